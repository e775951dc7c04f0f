/**
 * Appends audit events. Call it with the transaction that does the work, so the record and the
 * change commit together. Details hold ids and categories only, never personal data.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../shared/actor.ts';
import type { AuditEventType } from './audit-catalogue.ts';

export type AuditEvent = {
  type: AuditEventType;
  actor: Actor | { kind: 'anonymous'; requestId: string };
  outcome?: 'success' | 'denied' | 'not_found';
  organisationId?: string | null;
  subjectKey?: Uint8Array | null;
  resource?: { type: string; id: string } | null;
  details?: Record<string, string | number | boolean | null>;
};

export type AuditLog = {
  record(db: Kysely<DB>, at: Date, events: AuditEvent | AuditEvent[]): Promise<void>;
};

export function createAuditLog(): AuditLog {
  return {
    async record(db, at, events) {
      const list = Array.isArray(events) ? events : [events];
      if (list.length === 0) return;
      await db
        .insertInto('audit_events')
        .values(list.map((event) => toRow(event, at)))
        .execute();
    },
  };
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
    details: JSON.stringify(event.details ?? {}),
  };
}
