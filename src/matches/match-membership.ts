/**
 * What happens to a match when one of its signals stops being active (ended, expired or purged at
 * once): the participant leaves, the others hear of it through the outbox, and the match closes
 * when the remaining active signals no longer make a match. And when a signal is deleted for good:
 * the coordination it still held lets it go, and a match nobody takes part in any more goes with
 * its coordination. Each runs inside the caller's transaction, which must hold the person lock
 * (lockPerson); leaving takes the family and address locks of the person itself. A signal may be in
 * its person match and in family and address matches at once: it leaves each, and each closes by its
 * own rule. A signal that stays active may also leave a family or address match alone, when the
 * register says the person is no longer a child of that parent or at that address (leaveKeyedMatches).
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import { coordinationAfterLeave } from '../coordination/coordination-transitions.ts';
import type { DB, MatchKind } from '../db/schema.ts';
import { deregisterIfLastActive, queueForHub } from '../federation/region-registration.ts';
import { lockFamiliesOfPerson } from '../persons/person-lock.ts';
import type { Actor } from '../shared/actor.ts';
import { isFamilyMatch, isMatch } from './match-rule.ts';

export type LeavingSignal = { id: string; person_key: Uint8Array; professional_id: string; organisation_id: string };

export async function leaveMatch(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: { signal: LeavingSignal; now: Date; actor: Actor; matchWithinOrganisation: boolean },
): Promise<void> {
  const { signal, now } = input;
  // The family and address locks before the participations change (person lock first, then these: see person-lock.ts).
  await lockFamiliesOfPerson(trx, signal.person_key);
  const left = await trx
    .updateTable('match_participants')
    .set({ left_at: now })
    .where('signal_id', '=', signal.id)
    .where('left_at', 'is', null)
    .returning(['match_id', 'kind'])
    .execute();
  // Its person match, and any family, address and cross-region matches it took part in.
  for (const match of left) await afterLeaving(trx, deps, { ...input, matchId: match.match_id, kind: match.kind });
  // The last active signal on a person registered at the hub: the registration ends (docs/federation.md).
  await deregisterIfLastActive(trx, { personKey: signal.person_key, leavingSignalId: signal.id, now });
}

/**
 * A change in the register (jobs/register-changes.ts): the person's active signals leave the open
 * matches of this kind whose key is not in `keep` — for an address match, every one not at the new
 * home address (a move; none kept for a confidential record); for a family match, every one whose
 * parent is no longer the person's registered parent (the person as a parent is kept) — each closing
 * by its own rule, with the usual events to those who remain. The signals stay active, so their own
 * professionals are told too: a `match.participant_left` on their own signal (mail: their signal no
 * longer takes part; nothing of why). Each leave is audited (`match.participant_left`, as each joining
 * is). Returns how many participations ended. Under the caller's locks: the person lock, and the lock
 * of every match key it may leave — for a family match the former parents' family locks (matchFamilies
 * takes them), for an address match the person's address locks with the former address
 * (lockAddressesOfPerson).
 */
export async function leaveKeyedMatches(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: { personKey: Uint8Array; kind: 'family' | 'address'; keep: readonly Uint8Array[]; now: Date; actor: Actor; matchWithinOrganisation: boolean },
): Promise<number> {
  const { personKey, kind, keep, now } = input;
  const current = await trx
    .selectFrom('match_participants as mp')
    .innerJoin('matches as m', 'm.id', 'mp.match_id')
    .innerJoin('signals as s', 's.id', 'mp.signal_id')
    .select(['mp.match_id', 'm.person_key as match_key', 's.id', 's.person_key', 's.professional_id', 's.organisation_id'])
    .where('s.person_key', '=', personKey)
    .where('mp.kind', '=', kind)
    .where('mp.left_at', 'is', null)
    .orderBy('mp.match_id')
    .orderBy('s.id')
    .execute();
  const stale = current.filter((row) => !keep.some((key) => Buffer.from(key).equals(Buffer.from(row.match_key))));
  for (const row of stale) {
    await trx.updateTable('match_participants').set({ left_at: now }).where('match_id', '=', row.match_id).where('signal_id', '=', row.id).execute();
    const signal = { id: row.id, person_key: row.person_key, professional_id: row.professional_id, organisation_id: row.organisation_id };
    await trx
      .insertInto('outbox')
      .values({
        created_at: now,
        event_type: 'match.participant_left',
        recipient_professional_id: row.professional_id,
        organisation_id: row.organisation_id,
        payload: JSON.stringify({ matchId: row.match_id, signalId: row.id, leftSignalId: row.id, matchKind: kind }),
      })
      .execute();
    await deps.audit.record(trx, now, {
      type: 'match.participant_left',
      actor: input.actor,
      organisationId: row.organisation_id,
      subjectKey: row.person_key,
      resource: { type: 'match', id: row.match_id },
      details: { matchKind: kind, signalId: row.id },
    });
    await afterLeaving(trx, deps, { ...input, signal, matchId: row.match_id, kind });
  }
  return stale.length;
}

async function afterLeaving(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: { signal: LeavingSignal; now: Date; actor: Actor; matchWithinOrganisation: boolean; matchId: string; kind: MatchKind },
): Promise<void> {
  const { signal, now, actor, matchId, kind } = input;
  // A family or address match: keyed on a parent or an address, across persons.
  const keyed = kind !== 'person';
  const remaining = await trx
    .selectFrom('match_participants as mp')
    .innerJoin('signals as s', 's.id', 'mp.signal_id')
    .select(['s.id', 's.professional_id', 's.organisation_id', 's.person_key'])
    .where('mp.match_id', '=', matchId)
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
          payload: JSON.stringify({ matchId, signalId: other.id, leftSignalId: signal.id, ...(keyed && { matchKind: kind }) }),
        })),
      )
      .execute();
  }

  const refs = remaining.map((r) => ({
    organisationId: r.organisation_id,
    professionalId: r.professional_id,
    person: Buffer.from(r.person_key).toString('hex'),
  }));
  const options = { withinOrganisation: input.matchWithinOrganisation };
  // A cross-region match holds while one signal here remains: the other side is another region.
  const stillAMatch = kind === 'cross_region' ? remaining.length > 0 : keyed ? isFamilyMatch(refs, options) : isMatch(refs, options);
  // The match's own key: the person's for a person match (the leaving signal's person), the parent's or the address's otherwise.
  const matchKey = keyed
    ? (await trx.selectFrom('matches').select('person_key').where('id', '=', matchId).executeTakeFirstOrThrow()).person_key
    : signal.person_key;
  if (stillAMatch) {
    await coordinationAfterLeave(trx, deps, { matchId, personKey: matchKey, kind, leftSignalId: signal.id, now, remaining });
    // The other regions get this region's contact details anew (without the one who left).
    if (kind === 'cross_region') await queueContactsForHub(trx, matchId, now);
  } else {
    await trx.updateTable('matches').set({ status: 'closed', closed_at: now }).where('id', '=', matchId).where('status', '=', 'open').execute();
    await trx.updateTable('match_participants').set({ left_at: now }).where('match_id', '=', matchId).where('left_at', 'is', null).execute();
    await deps.audit.record(trx, now, {
      type: 'match.closed',
      actor,
      organisationId: signal.organisation_id,
      subjectKey: signal.person_key,
      resource: { type: 'match', id: matchId },
      ...(keyed && { details: { matchKind: kind } }),
    });
  }
}

/** Queues this region's contact details of a cross-region match for the hub (the worker reads them when it sends). */
export async function queueContactsForHub(trx: Kysely<DB>, matchId: string, now: Date): Promise<void> {
  const federated = await trx.selectFrom('federation_matches').select('hub_match').where('match_id', '=', matchId).executeTakeFirst();
  if (federated) await queueForHub(trx, now, 'federation.contacts', { matchId, hubMatch: federated.hub_match });
}

/**
 * Before signals are deleted for good: a coordination they still hold (a match that closed when they
 * left keeps its coordinator) lets them go through the state table (coordinator_left, proposed_left),
 * and the contacts recorded for them go, with their rows in the coordination history.
 */
export async function releasePurgedSignals(trx: Kysely<DB>, deps: { audit: AuditLog }, input: { signalIds: string[]; personKey: Uint8Array; now: Date }) {
  const { signalIds, personKey, now } = input;
  if (signalIds.length === 0) return;
  // The person's own (person) matches, and the family matches these signals took part in.
  const personsMatches = trx
    .selectFrom('matches')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([eb('person_key', '=', personKey), eb('kind', '=', 'person')]),
        eb('id', 'in', eb.selectFrom('match_participants').select('match_id').where('signal_id', 'in', signalIds)),
      ]),
    );
  const coordinations = await trx
    .selectFrom('coordinations as c')
    .innerJoin('matches as m', 'm.id', 'c.match_id')
    .select(['c.match_id', 'c.coordinator_signal_id', 'c.proposed_signal_id', 'm.person_key', 'm.kind'])
    .where('c.match_id', 'in', personsMatches)
    .execute();
  for (const signalId of signalIds) {
    const held = coordinations.filter((c) => c.coordinator_signal_id === signalId || c.proposed_signal_id === signalId);
    // The signal has left these matches (it is inactive), so whoever remained there has been told already.
    for (const match of held) {
      await coordinationAfterLeave(trx, deps, {
        matchId: match.match_id,
        personKey: match.person_key,
        kind: match.kind,
        leftSignalId: signalId,
        now,
        remaining: [],
      });
    }
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

/**
 * Deletes this person's matches that no signal on the person takes part in any more — and the family
 * and address matches in `familyMatchIds` that no signal takes part in —, with their coordination,
 * transitions and contacts. (A signal that moved to another person when its BSN was added keeps its
 * past participation in this person's match; that does not keep the match.)
 */
export async function purgeEmptyMatches(trx: Kysely<DB>, personKey: Uint8Array, familyMatchIds: readonly string[] = []): Promise<void> {
  const empty = await trx
    .selectFrom('matches')
    .select('id')
    .where((eb) =>
      familyMatchIds.length === 0
        ? eb.and([eb('person_key', '=', personKey), eb('kind', 'in', ['person', 'cross_region'])])
        : eb.or([eb.and([eb('person_key', '=', personKey), eb('kind', 'in', ['person', 'cross_region'])]), eb('id', 'in', [...familyMatchIds])]),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom('match_participants as mp')
            .innerJoin('signals as s', 's.id', 'mp.signal_id')
            .whereRef('mp.match_id', '=', 'matches.id')
            .where((eb) => eb.or([eb('matches.kind', '<>', 'person'), eb('s.person_key', '=', eb.ref('matches.person_key'))]))
            .select(sql`1`.as('one')),
        ),
      ),
    )
    .execute();
  if (empty.length === 0) return;
  const ids = empty.map((m) => m.id);
  await trx.deleteFrom('match_contacts').where('match_id', 'in', ids).execute();
  await trx.deleteFrom('coordination_transitions').where('match_id', 'in', ids).execute();
  await trx.deleteFrom('coordinations').where('match_id', 'in', ids).execute();
  await trx.deleteFrom('matches').where('id', 'in', ids).execute();
}
