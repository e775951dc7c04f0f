/**
 * The locks that serialise changes to matches. The per-person lock serialises every change to one
 * person's signals, matches and their coordination: taken first in every transaction that changes
 * them, so two changes to one person run one after the other and changes to different persons never
 * wait for each other. The family lock (one per parent key, migration 0022) serialises changes to
 * the family matches of one parent, which cross persons. Order: the person lock first, then family
 * locks in ascending key order (sluis_lock_families sorts them), then address locks (one per address
 * key, migration 0025) in ascending key order; never a person lock while holding a family or address
 * lock, never a family lock while holding an address lock. See docs/architecture.md, "Family matches"
 * and "Address matches".
 */
import { type Kysely, sql } from 'kysely';
import type { DB, MatchKind } from '../db/schema.ts';

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
  await lockAddressesOfPersons(trx, [personKey]);
}

/** Address locks on these address keys, in ascending key order, held until the transaction ends. */
export async function lockAddresses(trx: Kysely<DB>, addressKeys: readonly Uint8Array[]): Promise<void> {
  if (addressKeys.length === 0) return;
  await sql`select sluis_lock_addresses(${[...addressKeys]}::bytea[])`.execute(trx);
}

/**
 * Every address lock a change to this person's signals can touch (see lockAddressesOfPersons), for a
 * step that changes only address matches: after the person lock, and after any family locks the
 * transaction takes at all.
 */
export async function lockAddressesOfPerson(trx: Kysely<DB>, personKey: Uint8Array, alsoAddresses: readonly Uint8Array[] = []): Promise<void> {
  await lockAddressesOfPersons(trx, [personKey], alsoAddresses);
}

/**
 * Every address lock a change to these persons' signals can touch: their registered home addresses and
 * the addresses of the open address matches their signals take part in (an old address after a move),
 * and `alsoAddresses` (the address stored before a register answer replaced it). Taken after the person
 * and family locks (lockFamiliesOfPerson and lockFamiliesOfPersons take them).
 */
async function lockAddressesOfPersons(trx: Kysely<DB>, personKeys: readonly Uint8Array[], alsoAddresses: readonly Uint8Array[] = []): Promise<void> {
  const keys = personKeys.map((key) => Buffer.from(key));
  const also = alsoAddresses.map((key) => Buffer.from(key));
  await sql`select sluis_lock_addresses(array(
    select unnest(${also}::bytea[])
    union select address_key from person_register where person_key = any(${keys}::bytea[]) and address_key is not null
    union select m.person_key from match_participants mp join signals s on s.id = mp.signal_id join matches m on m.id = mp.match_id
      where s.person_key = any(${keys}::bytea[]) and mp.kind = 'address' and mp.left_at is null))`.execute(trx);
}

/**
 * The family locks of several persons at once, in one ascending order: for a transaction that ends
 * signals of several persons (a transfer), which would otherwise take them person by person in an
 * order two such transactions could cross. Taken after those persons' locks; the per-signal steps then
 * find them held already.
 */
export async function lockFamiliesOfPersons(
  trx: Kysely<DB>,
  personKeys: readonly Uint8Array[],
  also: { families?: readonly Uint8Array[]; addresses?: readonly Uint8Array[] } = {},
): Promise<void> {
  if (personKeys.length === 0) return;
  const keys = personKeys.map((key) => Buffer.from(key));
  // `also`: the parents and home address of a register answer about to be stored (adding a BSN to a signal), in the same sorted calls.
  const families = (also.families ?? []).map((key) => Buffer.from(key));
  await sql`select sluis_lock_families(array(
    select unnest(parent_keys) from person_register where person_key = any(${keys}::bytea[])
    union select unnest(${keys}::bytea[]) union select unnest(${families}::bytea[])))`.execute(trx);
  await lockAddressesOfPersons(trx, personKeys, also.addresses ?? []);
}

/** The lock that serialises changes to one match: its person's, for a family match its parent's, for an address match its address's. */
export async function lockMatchKey(trx: Kysely<DB>, match: { person_key: Uint8Array; kind: MatchKind }): Promise<void> {
  if (match.kind === 'family') await lockFamilies(trx, [match.person_key]);
  else if (match.kind === 'address') await lockAddresses(trx, [match.person_key]);
  else await lockPerson(trx, match.person_key);
}
