/**
 * Everything the index holds about one person, for the municipality's work on a data subject's
 * rights request (GDPR articles 15-22): the signals (who, when, on what legal basis), the matches,
 * and the audit events about the person. Only a municipality administrator may ask, with a reason
 * category; the look-up is itself audited (`person.looked_up`, with the person key and the reason),
 * in the same transaction as the reads.
 *
 * The answer never carries the BSN or the person key: the caller shows the person only as
 * "de gezochte persoon".
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, EndReason, SignalStatus } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden } from '../shared/errors.ts';
import type { LegalBasis } from '../signals/legal-basis.ts';
import type { Bsn } from './bsn.ts';
import type { PersonCrypto } from './identity-keys.ts';
import { ensureRekeyed } from './key-rotation.ts';

export const LOOKUP_REASONS = ['inzageverzoek', 'correctie', 'bezwaar', 'verwijderverzoek', 'anders'] as const;
export type LookupReason = (typeof LOOKUP_REASONS)[number];

/** A case number (zaaknummer): letters, digits and . / _ -, at most 40; never free text about the person. */
export const CASE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9./_-]{0,39}$/;

export type PersonSignal = {
  id: string;
  organisationName: string;
  professionalName: string;
  status: SignalStatus;
  filedAt: Date;
  activeUntil: Date;
  endedAt: Date | null;
  endReason: EndReason | null;
  retainUntil: Date | null;
  legalBasis: LegalBasis;
};
export type PersonMatch = {
  id: string;
  status: 'open' | 'closed';
  createdAt: Date;
  closedAt: Date | null;
  participants: { organisationName: string; professionalName: string; joinedAt: Date; leftAt: Date | null }[];
};
export type PersonAuditEvent = {
  id: number;
  occurredAt: Date;
  eventType: string;
  outcome: string;
  actorType: string;
  actorName: string | null;
  organisationName: string | null;
};
export type PersonLookupResult = {
  /** Whether the index knows the person at all (a persons row exists). */
  known: boolean;
  signals: PersonSignal[];
  matches: PersonMatch[];
  /** The most recent audit events about the person (at most AUDIT_LIMIT), before this look-up. */
  auditEvents: PersonAuditEvent[];
  auditTruncated: boolean;
};

const AUDIT_LIMIT = 500;

export type PersonLookupService = ReturnType<typeof createPersonLookupService>;

export function createPersonLookupService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; crypto: PersonCrypto }) {
  const { db, clock, audit, crypto } = deps;

  return {
    async lookUp(actor: StaffActor, bsn: Bsn, reason: { category: LookupReason; caseNumber?: string }): Promise<PersonLookupResult> {
      if (!actor.roles.includes('municipality_admin')) throw forbidden('Only a municipality administrator may look up a person.');
      if (!LOOKUP_REASONS.includes(reason.category)) throw new RangeError(`Unknown reason category: ${String(reason.category)}`);
      if (reason.caseNumber && !CASE_NUMBER.test(reason.caseNumber)) throw new RangeError('A case number holds letters, digits and . / _ - only');
      await ensureRekeyed(db, crypto, { bsns: [bsn] });
      const key = crypto.personKey(bsn);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const person = await trx.selectFrom('persons').select('created_at').where('person_key', '=', key).executeTakeFirst();

        const signalRows = await trx
          .selectFrom('signals as s')
          .innerJoin('organisations as o', 'o.id', 's.organisation_id')
          .innerJoin('professionals as p', 'p.id', 's.professional_id')
          .select([
            's.id',
            'o.name as organisation_name',
            'p.name as professional_name',
            's.status',
            's.filed_at',
            's.active_until',
            's.ended_at',
            's.end_reason',
            's.retain_until',
            's.legal_basis',
          ])
          .where('s.person_key', '=', key)
          .orderBy('s.filed_at', 'desc')
          .execute();

        const matchRows = await trx
          .selectFrom('matches')
          .select(['id', 'status', 'created_at', 'closed_at'])
          .where('person_key', '=', key)
          .where('kind', '=', 'person')
          .orderBy('created_at', 'desc')
          .execute();
        const participantRows =
          matchRows.length === 0
            ? []
            : await trx
                .selectFrom('match_participants as mp')
                .innerJoin('signals as s', 's.id', 'mp.signal_id')
                .innerJoin('organisations as o', 'o.id', 's.organisation_id')
                .innerJoin('professionals as p', 'p.id', 's.professional_id')
                .select(['mp.match_id', 'o.name as organisation_name', 'p.name as professional_name', 'mp.joined_at', 'mp.left_at'])
                .where('mp.person_key', '=', key)
                .where('mp.kind', '=', 'person')
                .orderBy('mp.joined_at')
                .execute();

        const auditRows = await trx
          .selectFrom('audit_events as a')
          .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
          .leftJoin('professionals as p', (join) => join.onRef('p.id', '=', 'a.actor_id').on('a.actor_type', '=', 'professional'))
          .leftJoin('staff_members as m', (join) => join.onRef('m.id', '=', 'a.actor_id').on('a.actor_type', '=', 'staff'))
          .select([
            'a.id',
            'a.occurred_at',
            'a.event_type',
            'a.outcome',
            'a.actor_type',
            'o.name as organisation_name',
            'p.name as professional_name',
            'm.name as staff_name',
          ])
          .where('a.subject_key', '=', key)
          .orderBy('a.id', 'desc')
          .limit(AUDIT_LIMIT + 1)
          .execute();

        await audit.record(trx, now, {
          type: 'person.looked_up',
          actor,
          subjectKey: key,
          details: { reason: reason.category, caseNumber: reason.caseNumber || null, signals: signalRows.length, matches: matchRows.length },
        });

        return {
          known: Boolean(person),
          signals: signalRows.map((row) => ({
            id: row.id,
            organisationName: row.organisation_name,
            professionalName: row.professional_name,
            status: row.status,
            filedAt: row.filed_at,
            activeUntil: row.active_until,
            endedAt: row.ended_at,
            endReason: row.end_reason,
            retainUntil: row.retain_until,
            legalBasis: row.legal_basis as LegalBasis,
          })),
          matches: matchRows.map((row) => ({
            id: row.id,
            status: row.status,
            createdAt: row.created_at,
            closedAt: row.closed_at,
            participants: participantRows
              .filter((p) => p.match_id === row.id)
              .map((p) => ({
                organisationName: p.organisation_name,
                professionalName: p.professional_name,
                joinedAt: p.joined_at,
                leftAt: p.left_at,
              })),
          })),
          auditEvents: auditRows.slice(0, AUDIT_LIMIT).map((row) => ({
            id: Number(row.id),
            occurredAt: row.occurred_at,
            eventType: row.event_type,
            outcome: row.outcome,
            actorType: row.actor_type,
            actorName: row.professional_name ?? row.staff_name ?? null,
            organisationName: row.organisation_name,
          })),
          auditTruncated: auditRows.length > AUDIT_LIMIT,
        };
      });
    },
  };
}
