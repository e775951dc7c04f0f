/**
 * Transferring the active signals of a leaving professional to a colleague of the same
 * organisation (Jeugdwet art. 7.1.3.3: the organisation sees to it that a signal keeps a
 * responsible professional when the one who filed it leaves).
 *
 * One transaction: every person concerned is locked first (in a fixed order, so two transfers
 * cannot deadlock), then each active signal either moves to the colleague — it keeps its id, its
 * dates and its place in any match, so the match keeps working and now shows the colleague — or,
 * when the colleague already has an active signal on the same person (at most one active signal per
 * professional per person), it is ended instead: it leaves its match like any ended signal, and the
 * colleague's own signal carries on.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { lockFamiliesOfPersons } from '../persons/person-lock.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { endSignal, STEP_COLUMNS } from './signal-steps.ts';

export type TransferResult = { moved: number; ended: number };

export type TransferDeps = { db: Kysely<DB>; clock: Clock; audit: AuditLog; settings: SettingsService; onOutbox?: () => void };

/**
 * Moves every active signal of `fromProfessionalId` to `toProfessionalId`. Both must belong to the
 * actor's organisation; the colleague must be active and another person. The actor is the
 * organisation's coordinator (the caller checks the role).
 */
export async function transferSignals(
  deps: TransferDeps,
  actor: ProfessionalActor,
  input: { fromProfessionalId: string; toProfessionalId: string },
): Promise<TransferResult> {
  const { db, clock, audit, settings } = deps;
  const { fromProfessionalId, toProfessionalId } = input;
  const now = clock.now();
  const current = await settings.current();
  if (fromProfessionalId === toProfessionalId) throw conflict('A professional cannot transfer signals to themselves.');

  const result = await db.transaction().execute(async (trx) => {
    const people = await trx
      .selectFrom('professionals')
      .select(['id', 'active'])
      .where('organisation_id', '=', actor.organisationId)
      .where('id', 'in', [fromProfessionalId, toProfessionalId])
      .execute();
    const from = people.find((p) => p.id === fromProfessionalId);
    const to = people.find((p) => p.id === toProfessionalId);
    if (!from || !to) throw notFound('professional');
    if (!to.active) throw conflict('The colleague is not active.');

    // Lock every person with an active signal of the leaving professional, in person-key order.
    await sql`select from persons where person_key in (
        select person_key from signals where professional_id = ${fromProfessionalId} and organisation_id = ${actor.organisationId} and status = 'active')
      order by person_key for update`.execute(trx);
    const signals = await trx
      .selectFrom('signals')
      .select(STEP_COLUMNS)
      .where('professional_id', '=', fromProfessionalId)
      .where('organisation_id', '=', actor.organisationId)
      .where('status', '=', 'active')
      .orderBy('person_key')
      .execute();
    // Then their family locks, all at once in one order (ending a signal takes them; see person-lock.ts).
    await lockFamiliesOfPersons(
      trx,
      signals.map((signal) => signal.person_key),
    );

    let moved = 0;
    let ended = 0;
    for (const signal of signals) {
      const colleagueHasOne = await trx
        .selectFrom('signals')
        .select('id')
        .where('person_key', '=', signal.person_key)
        .where('professional_id', '=', toProfessionalId)
        .where('status', '=', 'active')
        .executeTakeFirst();
      if (colleagueHasOne) {
        const step = await endSignal(trx, { audit, settings: current }, { signal, reason: 'care_ended', now, actor, transfer: true });
        // Cannot be refused: the signal was read as active under its person's lock.
        if (step.outcome !== 'ended') throw new Error(`Ending a transferred duplicate was ${step.outcome}`);
        ended++;
      } else {
        await trx.updateTable('signals').set({ professional_id: toProfessionalId }).where('id', '=', signal.id).execute();
        moved++;
      }
    }
    await audit.record(trx, now, {
      type: 'web.signals_transferred',
      actor,
      resource: { type: 'professional', id: fromProfessionalId },
      details: { from: fromProfessionalId, to: toProfessionalId, moved, ended },
    });
    return { moved, ended };
  });
  if (result.ended > 0) deps.onOutbox?.();
  return result;
}
