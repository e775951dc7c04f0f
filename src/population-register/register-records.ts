/**
 * Storing what the register said of a person (person_register, migration 0020) and queueing a
 * verification when it could not answer (register_verifications). Called under the person's lock, in
 * the transaction of the change it belongs to. Only what matching and the pages need is kept: parents
 * and the address object as keyed pseudonyms, never a BSN or an address id in clear.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PersonCrypto } from '../persons/identity-keys.ts';
import type { RegisteredPerson } from './population-register.ts';

/** The register's answer as a person_register row: `undefined` when it does not know the BSN. */
export async function storeRegisterAnswer(
  trx: Kysely<DB>,
  crypto: PersonCrypto,
  input: { personKey: Uint8Array; person: RegisteredPerson | undefined; now: Date },
): Promise<void> {
  const { personKey, person, now } = input;
  const row = person
    ? {
        state: 'verified' as const,
        verified_at: now,
        deceased_on: person.deceasedOn ?? null,
        suspension: person.suspension?.reason ?? null,
        confidential: person.confidential,
        municipality_code: person.municipalityCode ?? null,
        address_key: person.address?.addressObjectId ? crypto.addressKey(person.address.addressObjectId) : null,
        address_function: person.address?.addressObjectId ? person.address.function : null,
        parent_keys: person.parents.map((parent) => crypto.personKey(parent)),
      }
    : {
        state: 'unknown' as const,
        verified_at: null,
        deceased_on: null,
        suspension: null,
        confidential: false,
        municipality_code: null,
        address_key: null,
        address_function: null,
        parent_keys: [],
      };
  await trx
    .insertInto('person_register')
    .values({ person_key: personKey, refreshed_at: now, ...row })
    .onConflict((oc) => oc.column('person_key').doUpdateSet({ refreshed_at: now, ...row }))
    .execute();
}

/**
 * The parents the stored answer holds, read under the person lock before a fresh answer replaces it;
 * undefined when no verified answer is stored. Family matching compares them with the fresh answer's: a
 * parent who is no longer the person's takes the person's signals out of that family match (matchFamilies).
 */
export async function storedParents(trx: Kysely<DB>, personKey: Uint8Array): Promise<Uint8Array[] | undefined> {
  const row = await trx.selectFrom('person_register').select(['state', 'parent_keys']).where('person_key', '=', personKey).executeTakeFirst();
  return row?.state === 'verified' ? row.parent_keys : undefined;
}

/**
 * The register could not answer: mark the person pending (unless an earlier answer is kept) and queue
 * a verification, due at once for the job; a queued one keeps its place and attempts.
 */
export async function queueVerification(trx: Kysely<DB>, input: { personKey: Uint8Array; now: Date }): Promise<void> {
  const { personKey, now } = input;
  await trx
    .insertInto('person_register')
    .values({ person_key: personKey, state: 'pending', refreshed_at: now, parent_keys: [] })
    .onConflict((oc) => oc.column('person_key').doNothing())
    .execute();
  await trx
    .insertInto('register_verifications')
    .values({ person_key: personKey, queued_at: now, next_attempt_at: now, attention: null, attention_since: null })
    .onConflict((oc) => oc.column('person_key').doNothing())
    .execute();
}

/** A confidential record's address leaves every signal on the person (what a professional typed before the register answered). */
export async function removeAddresses(trx: Kysely<DB>, personKey: Uint8Array): Promise<void> {
  await sql`update signals set person_details = person_details - 'address' where person_key = ${personKey} and person_details ? 'address'`.execute(trx);
}

/** Whether the register's answer for this person says it is confidential (no address on any page). */
export async function isConfidential(trx: Kysely<DB>, personKey: Uint8Array): Promise<boolean> {
  const row = await trx.selectFrom('person_register').select('confidential').where('person_key', '=', personKey).executeTakeFirst();
  return row?.confidential ?? false;
}

/** For administrators: how many verifications wait, since when the oldest, and how many need attention. Counts only. */
export type VerificationFigures = { waiting: number; oldestWaitingSince: Date | null; unknown: number; deceased: number };

export async function verificationFigures(db: Kysely<DB>): Promise<VerificationFigures> {
  const row = (
    await sql<{ waiting: number; oldest: Date | null; unknown: number; deceased: number }>`
      select count(*) filter (where attention is null)::int as waiting,
             min(queued_at) filter (where attention is null) as oldest,
             count(*) filter (where attention = 'unknown')::int as unknown,
             count(*) filter (where attention = 'deceased')::int as deceased
        from register_verifications`.execute(db)
  ).rows[0]!;
  return { waiting: row.waiting, oldestWaitingSince: row.oldest ? new Date(row.oldest) : null, unknown: row.unknown, deceased: row.deceased };
}
