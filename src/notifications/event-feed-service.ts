/**
 * The event feed: a record system behind a firewall pulls its organisation's events in order, as
 * CloudEvents, and resumes after a restart from the last cursor it saw. With `wait` the request is
 * held until an event arrives or the wait is over (long polling).
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { RecordSystemActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import type { Cursors } from '../shared/paging.ts';
import { type CloudEvent, type EventData, toCloudEvent } from './events.ts';
import type { Wakeups } from './wakeups.ts';

export type FeedEvent = CloudEvent & { sequence: string };
export type EventFeedService = ReturnType<typeof createEventFeedService>;

/** How often a waiting reader looks again when the event may come from another process. */
const RECHECK_MS = 1_000;

export function createEventFeedService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; cursors: Cursors; wakeups: Wakeups; publicUrl: string }) {
  const { db, clock, audit, wakeups, publicUrl } = deps;

  async function page(organisationId: string, after: number, limit: number) {
    return db
      .selectFrom('organisation_events')
      .select(['seq', 'outbox_id', 'event_type', 'occurred_at', 'data'])
      .where('organisation_id', '=', organisationId)
      .where('seq', '>', after)
      .orderBy('seq')
      .limit(limit)
      .execute();
  }

  return {
    async read(actor: RecordSystemActor, query: { after?: string; limit: number; waitSeconds: number }): Promise<{ items: FeedEvent[]; nextCursor: string }> {
      const after = query.after === undefined ? 0 : deps.cursors.decodeNumber('events', query.after, 'after');
      const deadline = Date.now() + query.waitSeconds * 1000;
      let rows = await page(actor.organisationId, after, query.limit);
      while (rows.length === 0 && Date.now() < deadline) {
        await wakeups.waitForFeed(actor.organisationId, Math.min(RECHECK_MS, deadline - Date.now()));
        rows = await page(actor.organisationId, after, query.limit);
      }
      if (rows.length > 0) {
        await audit.record(db, clock.now(), { type: 'events.read', actor, details: { count: rows.length, after } });
      }
      const items = rows.map((row) => {
        const { professionalId, ...data } = row.data as EventData & { professionalId: string };
        const event = toCloudEvent({
          outboxId: row.outbox_id,
          type: row.event_type,
          time: row.occurred_at,
          publicUrl,
          professionalId,
          organisationId: actor.organisationId,
          data,
        });
        return { ...event, sequence: String(row.seq) };
      });
      return { items, nextCursor: deps.cursors.encodeNumber('events', rows.at(-1)?.seq ?? after) };
    },
  };
}
