/**
 * Covenants: start, suspend, resume, end, and their terms. A suspended or ended organisation is
 * refused at once. The terms: whether the organisation's professionals may take coordination after
 * a match (default yes); schools and the police, for instance, signal only.
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { CovenantStatus, DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, forbidden, notFound } from '../shared/errors.ts';
import { type CovenantAction, covenantTransition } from './covenant-transitions.ts';

export type CovenantView = {
  id: string;
  organisationId: string;
  reference: string;
  status: CovenantStatus;
  startsOn: string;
  endedOn: string | null;
  statusReason: string | null;
  /** Whether the organisation's professionals may take coordination; false: they signal only. */
  mayCoordinate: boolean;
};

export type CovenantService = ReturnType<typeof createCovenantService>;

const AUDIT_TYPE = { suspend: 'covenant.suspended', resume: 'covenant.resumed', end: 'covenant.ended' } as const;

export function createCovenantService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog }) {
  const { db, clock, audit } = deps;
  const columns = ['id', 'organisation_id', 'reference', 'status', 'starts_on', 'ended_on', 'status_reason', 'may_coordinate'] as const;
  const toView = (row: {
    id: string;
    organisation_id: string;
    reference: string;
    status: CovenantStatus;
    starts_on: string;
    ended_on: string | null;
    status_reason: string | null;
    may_coordinate: boolean;
  }): CovenantView => ({
    id: row.id,
    organisationId: row.organisation_id,
    reference: row.reference,
    status: row.status,
    startsOn: row.starts_on,
    endedOn: row.ended_on,
    statusReason: row.status_reason,
    mayCoordinate: row.may_coordinate,
  });

  return {
    async list(organisationId: string): Promise<CovenantView[]> {
      const rows = await db.selectFrom('covenants').select(columns).where('organisation_id', '=', organisationId).orderBy('created_at', 'desc').execute();
      return rows.map(toView);
    },

    async start(actor: StaffActor, organisationId: string, input: { startsOn?: string; reference?: string; mayCoordinate?: boolean }): Promise<CovenantView> {
      const now = clock.now();
      const exists = await db.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
      if (!exists) throw notFound('organisation');
      try {
        return await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('covenants')
            .values({
              organisation_id: organisationId,
              reference: input.reference ?? '',
              status: 'active',
              starts_on: input.startsOn ?? amsterdamDate(now),
              ended_on: null,
              status_reason: null,
              may_coordinate: input.mayCoordinate ?? true,
              created_at: now,
              updated_at: now,
            })
            .returning(columns)
            .executeTakeFirstOrThrow();
          await audit.record(trx, now, { type: 'covenant.started', actor, organisationId, resource: { type: 'covenant', id: row.id } });
          return toView(row);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('This organisation already has a covenant that has not ended.');
        throw error;
      }
    },

    /**
     * Changes the covenant's terms: whether its professionals may take coordination. Not for an ended
     * covenant. It takes effect at once for what they may do next; whoever coordinates a match keeps
     * it until they hand it over or leave (the officer sees it), so no match loses its coordinator.
     */
    async setTerms(actor: StaffActor, covenantId: string, terms: { mayCoordinate: boolean }): Promise<CovenantView> {
      if (!actor.roles.includes('municipality_admin')) throw forbidden("This is for the municipality's administrators.");
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('covenants')
          .select(['status', 'organisation_id', 'may_coordinate'])
          .where('id', '=', covenantId)
          .forUpdate()
          .executeTakeFirst();
        if (!current) throw notFound('covenant');
        if (current.status === 'ended') throw conflict('The terms of an ended covenant cannot be changed.');
        const row = await trx
          .updateTable('covenants')
          .set({ may_coordinate: terms.mayCoordinate, updated_at: now })
          .where('id', '=', covenantId)
          .returning(columns)
          .executeTakeFirstOrThrow();
        if (current.may_coordinate !== terms.mayCoordinate) {
          await audit.record(trx, now, {
            type: 'covenant.changed',
            actor,
            organisationId: current.organisation_id,
            resource: { type: 'covenant', id: covenantId },
            details: { mayCoordinate: terms.mayCoordinate },
          });
        }
        return toView(row);
      });
    },

    async transition(actor: StaffActor, covenantId: string, action: CovenantAction, reason: string | null): Promise<CovenantView> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await trx.selectFrom('covenants').select(['status', 'organisation_id']).where('id', '=', covenantId).forUpdate().executeTakeFirst();
        if (!current) throw notFound('covenant');
        const next = covenantTransition(current.status, action);
        if (!next) throw conflict(`A covenant that is ${current.status} cannot be ${action === 'end' ? 'ended' : `${action}d`}.`);
        const row = await trx
          .updateTable('covenants')
          .set({
            status: next,
            status_reason: reason,
            updated_at: now,
            ...(next === 'ended' && { ended_on: amsterdamDate(now) }),
          })
          .where('id', '=', covenantId)
          .returning(columns)
          .executeTakeFirstOrThrow();
        await audit.record(trx, now, {
          type: AUDIT_TYPE[action],
          actor,
          organisationId: current.organisation_id,
          resource: { type: 'covenant', id: covenantId },
        });
        return toView(row);
      });
    },
  };
}
