/**
 * What happens to a match when one of its signals stops being active (ended, expired or purged at
 * once): the participant leaves, the others hear of it through the outbox, and the match closes
 * when the remaining active signals no longer make a match. And when a signal is deleted for good:
 * the coordination it still held lets it go, and a match nobody takes part in any more goes with
 * its coordination. Each runs inside the caller's transaction, which must hold the person lock
 * (lockPerson).
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import { coordinationAfterLeave } from '../coordination/coordination-transitions.ts';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../shared/actor.ts';
import { isMatch } from './match-rule.ts';

export type LeavingSignal = { id: string; person_key: Uint8Array; professional_id: string; organisation_id: string };

export async function leaveMatch(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: { signal: LeavingSignal; now: Date; actor: Actor; matchWithinOrganisation: boolean },
): Promise<void> {
  const { signal, now, actor } = input;
  const left = await trx
    .updateTable('match_participants')
    .set({ left_at: now })
    .where('signal_id', '=', signal.id)
    .where('left_at', 'is', null)
    .returning('match_id')
    .executeTakeFirst();
  if (!left) return;

  const remaining = await trx
    .selectFrom('match_participants as mp')
    .innerJoin('signals as s', 's.id', 'mp.signal_id')
    .select(['s.id', 's.professional_id', 's.organisation_id'])
    .where('mp.match_id', '=', left.match_id)
    .where('mp.left_at', 'is', null)
    .execute();

  if (remaining.length > 0) {
    await trx
      .insertInto('outbox')
      .values(
        remaining.map((other) => ({
          created_at: now,
          event_type: 'match.participant_left' as const,
          recipient_professional_id: other.professional_id,
          organisation_id: other.organisation_id,
          payload: JSON.stringify({ matchId: left.match_id, signalId: other.id, leftSignalId: signal.id }),
        })),
      )
      .execute();
  }

  const stillAMatch = isMatch(
    remaining.map((r) => ({ organisationId: r.organisation_id, professionalId: r.professional_id })),
    { withinOrganisation: input.matchWithinOrganisation },
  );
  if (stillAMatch) {
    await coordinationAfterLeave(trx, deps, { matchId: left.match_id, personKey: signal.person_key, leftSignalId: signal.id, now, remaining });
  } else {
    await trx.updateTable('matches').set({ status: 'closed', closed_at: now }).where('id', '=', left.match_id).where('status', '=', 'open').execute();
    await trx.updateTable('match_participants').set({ left_at: now }).where('match_id', '=', left.match_id).where('left_at', 'is', null).execute();
    await deps.audit.record(trx, now, {
      type: 'match.closed',
      actor,
      organisationId: signal.organisation_id,
      subjectKey: signal.person_key,
      resource: { type: 'match', id: left.match_id },
    });
  }
}

/**
 * Before signals are deleted for good: a coordination they still hold (a match that closed when they
 * left keeps its coordinator) lets them go through the state table (coordinator_left, proposed_left),
 * and the contacts recorded for them go, with their rows in the coordination history.
 */
export async function releasePurgedSignals(trx: Kysely<DB>, deps: { audit: AuditLog }, input: { signalIds: string[]; personKey: Uint8Array; now: Date }) {
  const { signalIds, personKey, now } = input;
  if (signalIds.length === 0) return;
  const personsMatches = trx.selectFrom('matches').select('id').where('person_key', '=', personKey);
  const coordinations = await trx
    .selectFrom('coordinations')
    .select(['match_id', 'coordinator_signal_id', 'proposed_signal_id'])
    .where('match_id', 'in', personsMatches)
    .execute();
  for (const signalId of signalIds) {
    const held = coordinations.filter((c) => c.coordinator_signal_id === signalId || c.proposed_signal_id === signalId);
    // The signal has left these matches (it is inactive), so whoever remained there has been told already.
    for (const { match_id } of held) await coordinationAfterLeave(trx, deps, { matchId: match_id, personKey, leftSignalId: signalId, now, remaining: [] });
  }
  await trx.deleteFrom('match_contacts').where('match_id', 'in', personsMatches).where('signal_id', 'in', signalIds).execute();
  // The coordination history's record of that contact goes with it (migration 0017).
  await trx
    .deleteFrom('coordination_transitions')
    .where('match_id', 'in', personsMatches)
    .where('action', '=', 'contact_recorded')
    .where('subject_signal_id', 'in', signalIds)
    .execute();
}

/** Deletes this person's matches that no signal takes part in any more, with their coordination, transitions and contacts. */
export async function purgeEmptyMatches(trx: Kysely<DB>, personKey: Uint8Array): Promise<void> {
  const empty = await trx
    .selectFrom('matches')
    .select('id')
    .where('person_key', '=', personKey)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('match_participants as mp').whereRef('mp.match_id', '=', 'matches.id').select(sql`1`.as('one')))),
    )
    .execute();
  if (empty.length === 0) return;
  const ids = empty.map((m) => m.id);
  await trx.deleteFrom('match_contacts').where('match_id', 'in', ids).execute();
  await trx.deleteFrom('coordination_transitions').where('match_id', 'in', ids).execute();
  await trx.deleteFrom('coordinations').where('match_id', 'in', ids).execute();
  await trx.deleteFrom('matches').where('id', 'in', ids).execute();
}
