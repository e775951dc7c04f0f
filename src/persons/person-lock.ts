/**
 * The locks that serialise changes to matches. The per-person lock serialises every change to one
 * person's signals, matches and their coordination: taken first in every transaction that changes
 * them, so two changes to one person run one after the other and changes to different persons never
 * wait for each other. The family lock (one per parent key, migration 0022) serialises changes to
 * the family matches of one parent, which cross persons. Order: the person lock first, then family
 * locks in ascending key order (sluis_lock_families sorts them); never a person lock while holding a
 * family lock. See docs/architecture.md, "Family matches".
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';

export async function lockPerson(trx: Kysely<DB>, personKey: Uint8Array): Promise<void> {
  await sql`select from persons where person_key = ${personKey} for update`.execute(trx);
}

/** Family locks on these parent keys, in ascending key order, held until the transaction ends. */
export async function lockFamilies(trx: Kysely<DB>, parentKeys: readonly Uint8Array[]): Promise<void> {
  if (parentKeys.length === 0) return;
  await sql`select sluis_lock_families(${[...parentKeys]}::bytea[])`.execute(trx);
}

/**
 * Every family lock a change to this person's signals can touch: the person's registered parents
 * (families they are a child in) and the person themself (as a parent). Taken, under the person lock,
 * by whatever makes one of the person's signals stop being active, so that a family match being formed
 * at the same moment either sees the signal active and is left by it, or sees it ended.
 */
export async function lockFamiliesOfPerson(trx: Kysely<DB>, personKey: Uint8Array): Promise<void> {
  await sql`select sluis_lock_families(
    coalesce((select parent_keys from person_register where person_key = ${personKey}), '{}'::bytea[]) || ${personKey}::bytea)`.execute(trx);
}

/**
 * The family locks of several persons at once, in one ascending order: for a transaction that ends
 * signals of several persons (a transfer), which would otherwise take them person by person in an
 * order two such transactions could cross. Taken after those persons' locks; the per-signal steps then
 * find them held already.
 */
export async function lockFamiliesOfPersons(trx: Kysely<DB>, personKeys: readonly Uint8Array[]): Promise<void> {
  if (personKeys.length === 0) return;
  const keys = personKeys.map((key) => Buffer.from(key));
  await sql`select sluis_lock_families(array(
    select unnest(parent_keys) from person_register where person_key = any(${keys}::bytea[])
    union select unnest(${keys}::bytea[])))`.execute(trx);
}

/** The lock that serialises changes to one match: its person's, or for a family match its parent's. */
export async function lockMatchKey(trx: Kysely<DB>, match: { person_key: Uint8Array; kind: 'person' | 'family' }): Promise<void> {
  if (match.kind === 'family') await lockFamilies(trx, [match.person_key]);
  else await lockPerson(trx, match.person_key);
}
