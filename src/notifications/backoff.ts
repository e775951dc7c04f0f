/** When to try a failed delivery again: exponential backoff with full jitter, capped. */
export const BACKOFF_BASE_MS = 2_000;
export const BACKOFF_CAP_MS = 6 * 3_600_000;

/** Delay before try number `attempts + 1`, after `attempts` failed tries; `random` in [0, 1). */
export function retryDelayMs(attempts: number, random: number): number {
  const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_BASE_MS * 2 ** Math.max(0, attempts - 1));
  return Math.round(ceiling / 2 + (ceiling / 2) * random);
}
