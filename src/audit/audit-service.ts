/**
 * Reading the audit trail (municipality administrators): a page at a time, or all of a filter as
 * an export. Reading it is itself audited (`audit.read` per page, `audit.exported` per export,
 * written before anything is handed out).
 *
 * The trail stores ids; a reader needs names. Every id of a page — the actor, the organisation, the
 * API client, the resource and the ids among the details — is looked up in one query per page
 * (never one per row): professionals (with their organisation), staff members, organisations, API
 * clients, web accounts (their holder), covenants (their reference) and signals (the professional
 * who filed it — never anything about the person). The person an event is about appears only as a
 * short reference to the pseudonym (`subject`), never a BSN.
 */
import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { COUNT_CAP, type CountedPage, type Cursors, cappedTotal } from '../shared/paging.ts';
import type { AuditDetails } from './audit-catalogue.ts';
import type { AuditLog } from './audit-log.ts';
import { type ProcessingActivity, processingActivities, processingActivityOf, type RetentionSettings } from './processing-activities.ts';

/**
 * One audit event in the fields of the Logboek Dataverwerkingen standard (Logius): a trace per
 * request, an operation per event, the processing activity it belongs to (a URI into the processing
 * register), and the data subject as the full pseudonym in hex (never a BSN).
 */
export type LogbookRecord = {
  trace_id: string;
  span_id: string;
  name: string;
  start_time: string;
  end_time: string;
  status_code: 'STATUS_CODE_OK' | 'STATUS_CODE_ERROR';
  resource: { attributes: Record<string, string> };
  attributes: Record<string, string>;
};

/**
 * An event as a Logboek record: the trace id of its request (traceparent, migration 0035) or, for an
 * event without one, an id derived from the request id; the span from the event's number, so the same
 * event always exports the same.
 */
export function logbookRecord(
  row: {
    id: number;
    occurred_at: Date;
    event_type: string;
    outcome: string;
    subject_key: Uint8Array | null;
    request_id: string | null;
    trace_id?: string | null;
    actor_type: string;
  },
  publicUrl: string,
): LogbookRecord {
  const trace =
    row.trace_id ??
    createHash('sha256')
      .update(row.request_id ?? `audit-event-${row.id}`)
      .digest('hex')
      .slice(0, 32);
  const at = row.occurred_at.toISOString();
  const activity = processingActivityOf(row.event_type) ?? 'accountability';
  return {
    trace_id: trace,
    span_id: row.id.toString(16).padStart(16, '0'),
    name: row.event_type,
    start_time: at,
    end_time: at,
    status_code: row.outcome === 'success' ? 'STATUS_CODE_OK' : 'STATUS_CODE_ERROR',
    resource: { attributes: { 'service.name': 'sluis' } },
    attributes: {
      'dpl.core.processing_activity_id': `${publicUrl}/api/v1/processing-activities#${activity}`,
      ...(row.subject_key && {
        'dpl.core.data_subject_id': Buffer.from(row.subject_key).toString('hex'),
        'dpl.core.data_subject_id_type': 'sluis-pseudoniem (HMAC-SHA256 van het BSN)',
      }),
      'sluis.outcome': row.outcome,
      'sluis.actor_type': row.actor_type,
    },
  };
}

/** What an id in the trail turned out to be, and its name now. */
export type AuditName = {
  kind: 'professional' | 'staff_member' | 'organisation' | 'api_client' | 'web_account' | 'covenant' | 'signal';
  /** The professional's, staff member's, organisation's or API client's name; a web account's holder; a covenant's reference; a signal's professional. */
  name: string;
  /** The organisation it belongs to, when it belongs to one. */
  organisationName: string | null;
};

export type AuditEventView = {
  id: number;
  occurredAt: Date;
  eventType: string;
  outcome: string;
  actorType: string;
  actorId: string | null;
  organisationId: string | null;
  apiClientId: string | null;
  /** A short reference to the subject's pseudonym (16 hex digits): equal for the same person, and nothing more. */
  subject: string | null;
  /** The acting professional's or staff member's name, and the organisation's name, when known. */
  actorName: string | null;
  organisationName: string | null;
  resourceType: string | null;
  resourceId: string | null;
  requestId: string | null;
  /** The W3C trace id of the request: its log lines carry the same traceId. */
  traceId: string | null;
  details: Record<string, unknown>;
  /** The names of the ids in this event (actor, organisation, API client, resource, details), by id. */
  names: Record<string, AuditName>;
};

/** Which events: every field narrows. */
export type AuditFilter = {
  eventType?: string;
  organisationId?: string;
  actorId?: string;
  outcome?: 'success' | 'denied' | 'not_found';
  from?: string;
  to?: string;
  subjectKey?: Uint8Array;
};

export type AuditQuery = AuditFilter & {
  limit: number;
  cursor?: string;
  /** Items skipped: the web page's page numbers (the API pages by cursor). */
  offset?: number;
};

/** Rows per query of an export: each chunk is one query for the events and one for their names. */
export const EXPORT_CHUNK = 1000;

type AuditRow = Awaited<ReturnType<typeof selectEvents>>[number];

/** The events that match the filter (not their order or page), for a page, its count and the export alike. */
function filtered(db: Kysely<DB>, filter: AuditFilter) {
  let select = db.selectFrom('audit_events as a');
  if (filter.eventType) select = select.where('a.event_type', '=', filter.eventType);
  if (filter.organisationId) select = select.where('a.organisation_id', '=', filter.organisationId);
  if (filter.actorId) select = select.where('a.actor_id', '=', filter.actorId);
  if (filter.outcome) select = select.where('a.outcome', '=', filter.outcome);
  if (filter.from) select = select.where('a.occurred_at', '>=', new Date(filter.from));
  if (filter.to) select = select.where('a.occurred_at', '<', new Date(filter.to));
  if (filter.subjectKey) select = select.where('a.subject_key', '=', filter.subjectKey);
  return select;
}

function selectEvents(db: Kysely<DB>, filter: AuditFilter, limit: number, before?: number, offset?: number) {
  let select = filtered(db, filter).selectAll('a').orderBy('a.id', 'desc').limit(limit);
  if (before !== undefined) select = select.where('a.id', '<', before);
  if (offset) select = select.offset(offset);
  return select.execute();
}

/** How many events match, counted up to COUNT_CAP + 1: the trail grows without bound, and "more than 10,000" is answer enough. */
async function countEvents(db: Kysely<DB>, filter: AuditFilter) {
  const counted = await db
    .selectFrom(
      filtered(db, filter)
        .select(sql<number>`1`.as('one'))
        .limit(COUNT_CAP + 1)
        .as('t'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return cappedTotal(Number(counted.n));
}

/** The ids an event mentions: who acted, for which organisation, through which API client, about what, and the ids among its details. */
function idsOf(row: AuditRow): string[] {
  const ids = [row.actor_id, row.organisation_id, row.api_client_id, row.resource_id];
  for (const value of Object.values(row.details as AuditDetails)) if (typeof value === 'string' && isUuid(value)) ids.push(value);
  return ids.filter((id): id is string => id !== null);
}

/** The names of all the ids, in one query. */
async function namesOf(db: Kysely<DB>, ids: string[]): Promise<Map<string, AuditName>> {
  const unique = [...new Set(ids.map((id) => id.toLowerCase()))];
  if (unique.length === 0) return new Map();
  const { rows } = await sql<{ id: string; kind: AuditName['kind'] | null; name: string | null; organisation_name: string | null }>`
    select r.id::text as id,
      case when p.id is not null then 'professional' when m.id is not null then 'staff_member' when o.id is not null then 'organisation'
           when c.id is not null then 'api_client' when w.id is not null then 'web_account' when cv.id is not null then 'covenant'
           when s.id is not null then 'signal' end as kind,
      coalesce(p.name, m.name, o.name, c.name, wp.name, wm.name, cv.reference, sp.name) as name,
      coalesce(po.name, co.name, wpo.name, cvo.name, spo.name) as organisation_name
    from unnest(cast(${unique} as uuid[])) as r(id)
    left join professionals p on p.id = r.id
    left join organisations po on po.id = p.organisation_id
    left join staff_members m on m.id = r.id
    left join organisations o on o.id = r.id
    left join api_clients c on c.id = r.id
    left join organisations co on co.id = c.organisation_id
    left join web_accounts w on w.id = r.id
    left join professionals wp on wp.id = w.professional_id
    left join organisations wpo on wpo.id = wp.organisation_id
    left join staff_members wm on wm.id = w.staff_member_id
    left join covenants cv on cv.id = r.id
    left join organisations cvo on cvo.id = cv.organisation_id
    left join signals s on s.id = r.id
    left join professionals sp on sp.id = s.professional_id
    left join organisations spo on spo.id = sp.organisation_id
  `.execute(db);
  return new Map(
    rows.filter((row) => row.kind !== null).map((row) => [row.id, { kind: row.kind!, name: row.name ?? '', organisationName: row.organisation_name }] as const),
  );
}

/** The rows as views, with the names of the ids they mention (one query for all of them). */
async function viewsOf(db: Kysely<DB>, rows: AuditRow[]): Promise<AuditEventView[]> {
  const names = await namesOf(db, rows.flatMap(idsOf));
  return rows.map((row) => {
    const own: Record<string, AuditName> = {};
    for (const id of idsOf(row)) {
      const name = names.get(id.toLowerCase());
      if (name) own[id] = name;
    }
    const actorName = row.actor_id && (row.actor_type === 'professional' || row.actor_type === 'staff') ? (own[row.actor_id]?.name ?? null) : null;
    return {
      id: row.id,
      occurredAt: row.occurred_at,
      eventType: row.event_type,
      outcome: row.outcome,
      actorType: row.actor_type,
      actorId: row.actor_id,
      organisationId: row.organisation_id,
      apiClientId: row.api_client_id,
      subject: row.subject_key ? Buffer.from(row.subject_key).toString('hex').slice(0, 16) : null,
      actorName,
      organisationName: row.organisation_id ? (own[row.organisation_id]?.name ?? null) : null,
      resourceType: row.resource_type,
      resourceId: row.resource_id,
      requestId: row.request_id,
      traceId: row.trace_id,
      details: row.details as Record<string, unknown>,
      names: own,
    };
  });
}

/** What an export records about its filter: the categories and ids, never a subject. */
function exportDetails(filter: AuditFilter): AuditDetails {
  return {
    ...(filter.eventType && { eventType: filter.eventType }),
    ...(filter.organisationId && { organisation: filter.organisationId }),
    ...(filter.outcome && { outcome: filter.outcome }),
    ...(filter.from && { from: filter.from }),
    ...(filter.to && { to: filter.to }),
  };
}

const administratorOnly = (actor: StaffActor) => {
  if (!actor.roles.includes('municipality_admin')) throw forbidden("The audit trail is for the municipality's administrators.");
};

export type AuditService = ReturnType<typeof createAuditService>;

/** The accountability pages and exports: administrators and privacy officers. */
const accountabilityStaff = (actor: StaffActor) => {
  if (!actor.roles.includes('municipality_admin') && !actor.roles.includes('privacy_officer'))
    throw forbidden("The processing register and its log export are for the municipality's administrators and privacy officers.");
};

export function createAuditService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  cursors: Cursors;
  /** The retention settings the processing register words (the settings service's current()). */
  retention?: () => Promise<RetentionSettings>;
  publicUrl?: string;
}) {
  const { db, clock, audit } = deps;
  const publicUrl = deps.publicUrl ?? 'http://localhost:8080';
  return {
    /** The processing register, with retention from the current settings (audited: processing_register.read). */
    async processingRegister(actor: StaffActor): Promise<ProcessingActivity[]> {
      accountabilityStaff(actor);
      const retention = deps.retention
        ? await deps.retention()
        : { signalLifetimeMonths: 24, historyRetentionMonths: 60, auditRetentionMonths: 0, caseConsultationRetentionMonths: 12 };
      await audit.record(db, clock.now(), { type: 'processing_register.read', actor });
      return processingActivities(retention);
    },

    /**
     * The trail of a period in the fields of the Logboek Dataverwerkingen, oldest first, in chunks
     * (for NDJSON). Recorded as `audit.exported` with format 'logboek' before anything is handed out.
     */
    async exportLogbook(actor: StaffActor, period: { from: string; to: string }): Promise<AsyncIterable<LogbookRecord[]>> {
      accountabilityStaff(actor);
      await audit.record(db, clock.now(), { type: 'audit.exported', actor, details: { format: 'logboek', from: period.from, to: period.to } });
      return (async function* chunks() {
        let after = 0;
        for (;;) {
          const rows = await filtered(db, period).selectAll('a').where('a.id', '>', after).orderBy('a.id').limit(EXPORT_CHUNK).execute();
          if (rows.length > 0) yield rows.map((row) => logbookRecord(row, publicUrl));
          if (rows.length < EXPORT_CHUNK) return;
          after = rows.at(-1)!.id;
        }
      })();
    },

    /** One page of the trail, newest first, with how many events match the filters (counted up to COUNT_CAP). */
    async list(actor: StaffActor, query: AuditQuery): Promise<CountedPage<AuditEventView>> {
      administratorOnly(actor);
      const before = query.cursor ? deps.cursors.decodeNumber('audit-events', query.cursor) : undefined;
      return db.transaction().execute(async (trx) => {
        const rows = await selectEvents(trx, query, query.limit + 1, before, query.offset);
        const total = await countEvents(trx, query);
        const page = rows.slice(0, query.limit);
        await audit.record(trx, clock.now(), { type: 'audit.read', actor, subjectKey: query.subjectKey ?? null, details: { count: page.length } });
        const last = page.at(-1);
        return {
          items: await viewsOf(trx, page),
          nextCursor: rows.length > query.limit && last ? deps.cursors.encodeNumber('audit-events', last.id) : null,
          ...total,
        };
      });
    },

    /**
     * All events of a filter, newest first, in chunks of EXPORT_CHUNK (for a spreadsheet). The export
     * is recorded (`audit.exported`, with the filter) before this returns, so before anything is
     * handed out; each chunk is then read as it is needed, with its names.
     */
    async export(actor: StaffActor, filter: AuditFilter): Promise<AsyncIterable<AuditEventView[]>> {
      administratorOnly(actor);
      await audit.record(db, clock.now(), { type: 'audit.exported', actor, subjectKey: filter.subjectKey ?? null, details: exportDetails(filter) });
      return (async function* chunks() {
        let before: number | undefined;
        for (;;) {
          const rows = await selectEvents(db, filter, EXPORT_CHUNK, before);
          if (rows.length > 0) yield await viewsOf(db, rows);
          if (rows.length < EXPORT_CHUNK) return;
          before = rows.at(-1)!.id;
        }
      })();
    },
  };
}
