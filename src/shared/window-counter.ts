/**
 * Counts events per key in fixed windows (a minute, say), in memory: the rate limits of one process.
 * The clock is a dependency, so a test moves to the next window instead of waiting. Keys whose window
 * has passed are forgotten, and at most `maxKeys` are kept (the oldest go first), so a flood of new
 * keys cannot grow the map without bound.
 */
import type { Clock } from './clock.ts';

export type WindowCount = { count: number; limit: number; over: boolean; retryAfterSeconds: number; resetsAt: Date };

export function createWindowCounter(options: { limit: number; windowMs: number; clock: Clock; maxKeys?: number }) {
  const { limit, windowMs, clock } = options;
  const maxKeys = options.maxKeys ?? 100_000;
  const windows = new Map<string, { startedAt: number; count: number }>();

  function current(key: string, now: number) {
    const window = windows.get(key);
    if (window && now - window.startedAt < windowMs) return window;
    if (window) windows.delete(key);
    return undefined;
  }

  function view(count: number, startedAt: number, now: number): WindowCount {
    const resetsAt = startedAt + windowMs;
    return { count, limit, over: count > limit, retryAfterSeconds: Math.max(1, Math.ceil((resetsAt - now) / 1000)), resetsAt: new Date(resetsAt) };
  }

  return {
    /** Counts one event for the key; `over` once more than `limit` happened in this window. */
    hit(key: string): WindowCount {
      const now = clock.now().getTime();
      let window = current(key, now);
      if (!window) {
        if (windows.size >= maxKeys) windows.delete(windows.keys().next().value!);
        window = { startedAt: now, count: 0 };
        windows.set(key, window);
      }
      window.count++;
      return view(window.count, window.startedAt, now);
    },
    /** The key's count in this window, without counting. */
    peek(key: string): WindowCount {
      const now = clock.now().getTime();
      const window = current(key, now);
      return window ? view(window.count, window.startedAt, now) : view(0, now, now);
    },
  };
}
