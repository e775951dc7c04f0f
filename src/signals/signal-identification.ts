/**
 * Adding the BSN to a signal filed on a person without one (Besluit Jeugdwet 7.3.1) or on an unborn child
 * now born: the signal moves from the person identified by family name, date of birth and gender (or
 * through the mother) to the person with that BSN.
 * One step, in the caller's transaction, under both persons' locks (taken here, in ascending key order,
 * and then their family and address locks in one order: see persons/person-lock.ts): the signal leaves
 * the matches it had as the old person's signal (each closing by its own rule, the others told as when
 * a signal ends), takes the new person, and joins or makes the new person's match with the same step
 * filing uses (sluis_join_person_match, migration 0026), with the same notifications. The old person's
 * record goes when nothing refers to it any more. Audited under both persons' keys.
 */
import { type Kysely, sql } from 'kysely';
import { type AuditLog, traceSetting } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { leaveMatch, purgeEmptyMatches } from '../matches/match-membership.ts';
import { lockFamiliesOfPersons } from '../persons/person-lock.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import { purgePersonIfUnreferenced, STEP_COLUMNS } from './signal-steps.ts';
import type { PersonDetails } from './signal-types.ts';

export type IdentificationOutcome =
  | { outcome: 'moved'; matchEvent: string | null }
  | { outcome: 'refused'; refusal: 'not_active' | 'has_bsn' | 'already_signalled' };

export async function moveSignalToPerson(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: {
    signalId: string;
    personKey: Uint8Array;
    bsnCiphertext: Uint8Array;
    details: PersonDetails;
    now: Date;
    actor: ProfessionalActor;
    matchWithinOrganisation: boolean;
    /** What a register answer about to be stored says: the parents' keys and the home address key, locked with the rest. */
    registered?: { parentKeys: readonly Uint8Array[]; addressKey: Uint8Array | null };
  },
): Promise<IdentificationOutcome> {
  const { signalId, personKey, now, actor } = input;
  const current = await trx.selectFrom('signals').select('person_key').where('id', '=', signalId).executeTakeFirstOrThrow();
  const oldKey = current.person_key;
  await trx
    .insertInto('persons')
    .values({ person_key: Buffer.from(personKey), bsn_ciphertext: Buffer.from(input.bsnCiphertext), identification: 'bsn', created_at: now })
    .onConflict((oc) => oc.column('person_key').doNothing())
    .execute();
  // Both persons' locks in ascending key order (no other path holds two person locks in another order).
  await sql`select from persons where person_key in (${Buffer.from(oldKey)}, ${Buffer.from(personKey)}) order by person_key for update`.execute(trx);
  const signal = await trx
    .selectFrom('signals as s')
    .innerJoin('persons as p', 'p.person_key', 's.person_key')
    .select(STEP_COLUMNS.map((column) => `s.${column}` as const))
    .select('p.identification')
    .where('s.id', '=', signalId)
    .executeTakeFirstOrThrow();
  if (signal.status !== 'active') return { outcome: 'refused', refusal: 'not_active' };
  if (signal.identification === 'bsn' || Buffer.compare(signal.person_key, oldKey) !== 0) return { outcome: 'refused', refusal: 'has_bsn' };
  const identification = signal.identification;
  const existing = await trx
    .selectFrom('signals')
    .select('id')
    .where('person_key', '=', Buffer.from(personKey))
    .where('professional_id', '=', signal.professional_id)
    .where('status', '=', 'active')
    .executeTakeFirst();
  if (existing) return { outcome: 'refused', refusal: 'already_signalled' };

  // The family and address locks of both persons at once, in one order; the steps below find them held.
  await lockFamiliesOfPersons(trx, [oldKey, personKey], {
    families: input.registered?.parentKeys ?? [],
    addresses: input.registered?.addressKey ? [input.registered.addressKey] : [],
  });
  await leaveMatch(trx, deps, { signal, now, actor, matchWithinOrganisation: input.matchWithinOrganisation });
  await trx
    .updateTable('signals')
    .set({
      person_key: Buffer.from(personKey),
      person_details: JSON.stringify(input.details),
      person_date_of_birth: input.details.dateOfBirth,
    })
    .where('id', '=', signalId)
    .execute();
  const joined = await sql<{ joined: { matchId: string | null; event: string | null } }>`
    select sluis_join_person_match(${now}::timestamptz, ${Buffer.from(personKey)}::bytea, ${signalId}::uuid, ${input.matchWithinOrganisation}::boolean) as joined
      from ${traceSetting()} as trace`.execute(trx);
  const { matchId, event } = joined.rows[0]!.joined;
  await deps.audit.record(trx, now, [
    {
      type: 'signal.person_identified',
      actor,
      subjectKey: oldKey,
      resource: { type: 'signal', id: signalId },
      details: { identification },
    },
    {
      type: 'signal.person_identified',
      actor,
      subjectKey: personKey,
      resource: { type: 'signal', id: signalId },
      details: { identification, ...(event && matchId && { match: event, matchId }) },
    },
  ]);
  // The person on the typed details goes when no signal is left on it, with its matches.
  await purgeEmptyMatches(trx, oldKey);
  await purgePersonIfUnreferenced(trx, deps, { personKey: oldKey, now, actor });
  return { outcome: 'moved', matchEvent: event };
}
