/**
 * PGlite runs no autovacuum, so an embedded index that lives long would keep dead rows (ended
 * sessions, purged signals, delivered outbox records) and its planner would never learn the table
 * sizes. The lifetime sweep therefore runs `VACUUM (ANALYZE)` on PGlite once a night: the first sweep
 * after 03:00 Amsterdam time. A process started later in the day waits for the next night, so a start
 * is never slowed down. PostgreSQL has autovacuum and gets nothing from here.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import { amsterdamDate, startOfAmsterdamDay } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';

const NIGHTLY_HOUR = 3;

/** Whether the nightly vacuum is due at `now`, when the last one (or the start) was at `last`. */
export function vacuumDue(now: Date, last: Date): boolean {
  const tonight = new Date(startOfAmsterdamDay(amsterdamDate(now)).getTime() + NIGHTLY_HOUR * 3_600_000);
  return last < tonight && tonight <= now;
}

export type EmbeddedMaintenance = { runIfDue(): Promise<{ vacuumed: boolean; milliseconds: number }> };

export function createEmbeddedMaintenance(deps: { db: Kysely<DB>; clock: Clock }): EmbeddedMaintenance {
  let last = deps.clock.now();
  return {
    async runIfDue() {
      const now = deps.clock.now();
      if (!vacuumDue(now, last)) return { vacuumed: false, milliseconds: 0 };
      last = now;
      const started = performance.now();
      await sql`vacuum (analyze)`.execute(deps.db);
      return { vacuumed: true, milliseconds: Math.round(performance.now() - started) };
    },
  };
}
