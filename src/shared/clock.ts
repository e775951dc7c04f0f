/** The clock is a dependency, so tests can move time years ahead. */
export type Clock = { now(): Date };

export const systemClock: Clock = { now: () => new Date() };

/** A clock for tests and demos that stands still until moved. */
export function createManualClock(start: Date | string = '2026-01-15T10:00:00Z') {
  let current = new Date(start);
  return {
    now: () => new Date(current),
    set(instant: Date | string) {
      current = new Date(instant);
    },
    advance(milliseconds: number) {
      current = new Date(current.getTime() + milliseconds);
    },
  };
}
export type ManualClock = ReturnType<typeof createManualClock>;
