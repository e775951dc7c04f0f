/**
 * Appends audit events. Call it with the transaction that does the work, so the record and the
 * change commit together. Details hold ids and categories only, never personal data, under the
 * catalogued keys (audit-catalogue.ts); a key or resource type outside the catalogue is a
 * programming error and is refused before anything is written, as the database refuses an
 * unknown event type.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../shared/actor.ts';
import { currentTraceId } from '../shared/trace-context.ts';
import { AUDIT_DETAIL_KEYS, AUDIT_RESOURCE_TYPES, type AuditDetails, type AuditEventType, type AuditResourceType } from './audit-catalogue.ts';

export type AuditEvent = {
  type: AuditEventType;
  actor: Actor | { kind: 'anonymous'; requestId: string };
  outcome?: 'success' | 'denied' | 'not_found';
  organisationId?: string | null;
  subjectKey?: Uint8Array | null;
  resource?: { type: AuditResourceType; id: string } | null;
  details?: AuditDetails;
};

export type AuditLog = {
  record(db: Kysely<DB>, at: Date, events: AuditEvent | AuditEvent[]): Promise<void>;
};

export function createAuditLog(): AuditLog {
  return {
    async record(db, at, events) {
      const list = Array.isArray(events) ? events : [events];
      if (list.length === 0) return;
      for (const event of list) assertCatalogued(event);
      await db
        .insertInto('audit_events')
        .values(list.map((event) => toRow(event, at)))
        .execute();
    },
  };
}

const DETAIL_KEYS: ReadonlySet<string> = new Set(AUDIT_DETAIL_KEYS);
const RESOURCE_TYPES: ReadonlySet<string> = new Set(AUDIT_RESOURCE_TYPES);

/** Details and resources the types let through (a spread, a widened object) are checked here, so that every key has a label. */
function assertCatalogued(event: AuditEvent) {
  for (const key of Object.keys(event.details ?? {})) {
    if (!DETAIL_KEYS.has(key)) {
      throw new TypeError(
        `The audit detail key "${key}" of ${event.type} is not in AUDIT_DETAIL_KEYS: add it there (src/audit/audit-catalogue.ts) with a Dutch label`,
      );
    }
  }
  if (event.resource && !RESOURCE_TYPES.has(event.resource.type)) {
    throw new TypeError(`The audit resource type "${event.resource.type}" of ${event.type} is not in AUDIT_RESOURCE_TYPES (src/audit/audit-catalogue.ts)`);
  }
}

function toRow(event: AuditEvent, at: Date) {
  const { actor } = event;
  return {
    occurred_at: at,
    event_type: event.type,
    outcome: event.outcome ?? 'success',
    actor_type: actor.kind,
    actor_id: actor.kind === 'professional' ? actor.professionalId : actor.kind === 'staff' ? actor.staffMemberId : null,
    organisation_id: event.organisationId ?? (actor.kind === 'professional' || actor.kind === 'record_system' ? actor.organisationId : null),
    api_client_id: actor.kind === 'professional' || actor.kind === 'staff' || actor.kind === 'record_system' ? actor.apiClientId : null,
    subject_key: event.subjectKey ?? null,
    resource_type: event.resource?.type ?? null,
    resource_id: event.resource?.id ?? null,
    request_id: actor.requestId,
    trace_id: currentTraceId(),
    details: JSON.stringify(event.details ?? {}),
  };
}

/**
 * For a statement that calls a database function which writes audit events itself (filing, a person
 * match): a FROM item that first sets the transaction's sluis.trace_id, which audit_events.trace_id
 * defaults to (migration 0035). `select f(…) from ${traceSetting()} as trace`.
 */
export const traceSetting = () => sql`(select set_config('sluis.trace_id', ${currentTraceId() ?? ''}, true))`;
