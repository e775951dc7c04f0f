/** Reading the audit trail (municipality administrators). Reading it is itself audited. */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { COUNT_CAP, type CountedPage, type Cursors, cappedTotal } from '../shared/paging.ts';
import type { AuditLog } from './audit-log.ts';

export type AuditEventView = {
  id: number;
  occurredAt: Date;
  eventType: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  organisationId: string | null;
  apiClientId: string | null;
  subject: string | null;
  /** The acting professional's or staff member's name, and the organisation's name, when known. */
  actorName: string | null;
  organisationName: string | null;
  resourceType: string | null;
  resourceId: string | null;
  requestId: string | null;
  details: Record<string, unknown>;
};

export type AuditQuery = {
  limit: number;
  cursor?: string;
  /** Items skipped: the web page's page numbers (the API pages by cursor). */
  offset?: number;
  eventType?: string;
  organisationId?: string;
  actorId?: string;
  outcome?: 'success' | 'denied' | 'not_found';
  from?: string;
  to?: string;
  subjectKey?: Uint8Array;
};

export type AuditService = ReturnType<typeof createAuditService>;

export function createAuditService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; cursors: Cursors }) {
  const { db, clock, audit } = deps;
  return {
    /** A page of the trail, newest first, with how many events match the filters (counted up to COUNT_CAP). */
    async list(actor: StaffActor, query: AuditQuery): Promise<CountedPage<AuditEventView>> {
      const before = query.cursor ? deps.cursors.decodeNumber('audit-events', query.cursor) : undefined;
      return db.transaction().execute(async (trx) => {
        let select = filtered(trx, query)
          .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
          .leftJoin('professionals as p', (join) => join.onRef('p.id', '=', 'a.actor_id').on('a.actor_type', '=', 'professional'))
          .leftJoin('staff_members as m', (join) => join.onRef('m.id', '=', 'a.actor_id').on('a.actor_type', '=', 'staff'))
          .selectAll('a')
          .select(['o.name as organisation_name', 'p.name as professional_name', 'm.name as staff_name'])
          .orderBy('a.id', 'desc')
          .limit(query.limit + 1);
        if (before !== undefined) select = select.where('a.id', '<', before);
        if (query.offset) select = select.offset(query.offset);
        const rows = await select.execute();
        // Counting stops after COUNT_CAP + 1 events: the trail grows without bound, and "more than 10,000" is answer enough.
        const counted = await trx
          .selectFrom(
            filtered(trx, query)
              .select(sql<number>`1`.as('one'))
              .limit(COUNT_CAP + 1)
              .as('t'),
          )
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow();
        const page = rows.slice(0, query.limit);
        await audit.record(trx, clock.now(), { type: 'audit.read', actor, subjectKey: query.subjectKey ?? null, details: { count: page.length } });
        const last = page.at(-1);
        return {
          items: page.map((row) => ({
            id: row.id,
            occurredAt: row.occurred_at,
            eventType: row.event_type,
            outcome: row.outcome,
            actorType: row.actor_type,
            actorId: row.actor_id,
            organisationId: row.organisation_id,
            apiClientId: row.api_client_id,
            subject: row.subject_key ? Buffer.from(row.subject_key).toString('hex').slice(0, 16) : null,
            actorName: row.professional_name ?? row.staff_name ?? null,
            organisationName: row.organisation_name ?? null,
            resourceType: row.resource_type,
            resourceId: row.resource_id,
            requestId: row.request_id,
            details: row.details as Record<string, unknown>,
          })),
          nextCursor: rows.length > query.limit && last ? deps.cursors.encodeNumber('audit-events', last.id) : null,
          ...cappedTotal(Number(counted.n)),
        };
      });
    },
  };
}

/** The events that match the filters (not their order or page), for the page and its count alike. */
function filtered(trx: Kysely<DB>, query: AuditQuery) {
  let select = trx.selectFrom('audit_events as a');
  if (query.eventType) select = select.where('a.event_type', '=', query.eventType);
  if (query.organisationId) select = select.where('a.organisation_id', '=', query.organisationId);
  if (query.actorId) select = select.where('a.actor_id', '=', query.actorId);
  if (query.outcome) select = select.where('a.outcome', '=', query.outcome);
  if (query.from) select = select.where('a.occurred_at', '>=', new Date(query.from));
  if (query.to) select = select.where('a.occurred_at', '<', new Date(query.to));
  if (query.subjectKey) select = select.where('a.subject_key', '=', query.subjectKey);
  return select;
}
