/**
 * Address matching (adresmatch, Jeugdwet 7.1.2.3): the one step that makes or joins the address match
 * of a person's active signals, called wherever what the population register says of a person becomes
 * known — after filing and after a queued verification, next to family matching — and after a move
 * (jobs/register-changes.ts). An address match is keyed on the pseudonym of the registered home
 * address (person_register.address_key with function 'home'; matches.person_key with kind 'address');
 * its participants are the active signals on the verified persons registered there, by the family
 * match rule (two persons, two parties). No age limit: signals are only on the index's own persons
 * (the regime already bounds their age). Never at an excluded address (care institutions, shelters,
 * prisons: excluded_addresses). A person whose record is confidential (geheimhouding) takes no part:
 * their signals never make or join an address match (docs/population-register.md says why). See
 * docs/architecture.md, "Address matches".
 *
 * Runs inside the caller's transaction, which holds the person lock (and, after family matching, the
 * family locks); the step takes the address lock, last in the documented order (persons/person-lock.ts).
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { lockAddresses, lockAddressesOfPerson } from '../persons/person-lock.ts';
import type { Settings } from '../settings/settings-service.ts';
import type { Actor } from '../shared/actor.ts';
import { isRestricted } from './family-matching.ts';
import { createKeyedMatch, currentSignals, joinKeyedMatch } from './keyed-match-steps.ts';
import { leaveKeyedMatches } from './match-membership.ts';
import { isFamilyMatch } from './match-rule.ts';

export type AddressSettings = Pick<Settings, 'addressMatching' | 'matchWithinOrganisation'>;

/**
 * Makes or joins the address match at the person's registered home address, under that address's
 * lock. Returns the id of the open address match the person's signals now take part in (none, or
 * one). Does nothing when address matching is off, the register has not verified the person, the
 * person has no home address there (a postal address does not match), the person's record is
 * confidential, or the address is excluded. The signals on confidential records at the address are
 * never taken in either.
 */
export async function matchAddress(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: { personKey: Uint8Array; now: Date; actor: Actor; settings: AddressSettings },
): Promise<string[]> {
  const { personKey, now, actor, settings } = input;
  const registered = await trx
    .selectFrom('person_register')
    .select(['address_key', 'address_function', 'confidential'])
    .where('person_key', '=', personKey)
    .where('state', '=', 'verified')
    .executeTakeFirst();
  if (registered?.confidential) {
    // A confidential record takes no part: its signals leave any address match they are in (the record
    // became confidential since), whether address matching is on or not, and make or join none.
    await lockAddressesOfPerson(trx, personKey);
    await leaveKeyedMatches(trx, deps, { personKey, kind: 'address', keep: [], now, actor, matchWithinOrganisation: settings.matchWithinOrganisation });
    return [];
  }
  if (!settings.addressMatching) return [];
  // A restricted person's signals make and join no address match (a rights decision, migration 0033).
  if (await isRestricted(trx, personKey)) return [];
  const address = registered?.address_function === 'home' ? registered.address_key : null;
  if (!address) return [];
  await lockAddresses(trx, [address]);
  const excluded = await trx.selectFrom('excluded_addresses').select('address_key').where('address_key', '=', address).executeTakeFirst();
  if (excluded) return [];

  // One statement: every active signal on a verified person whose home address this is, and whose record is not confidential.
  const members = await trx
    .selectFrom('signals as s')
    .innerJoin('person_register as r', 'r.person_key', 's.person_key')
    .innerJoin('persons as p', 'p.person_key', 's.person_key')
    .select(['s.id', 's.person_key', 's.professional_id', 's.organisation_id'])
    .where('s.status', '=', 'active')
    .where('r.state', '=', 'verified')
    .where('r.address_function', '=', 'home')
    .where('r.address_key', '=', address)
    .where('r.confidential', '=', false)
    .where('p.restricted_at', 'is', null)
    .orderBy('s.filed_at')
    .orderBy('s.id')
    .execute();
  const open = await trx
    .selectFrom('matches')
    .select('id')
    .where('person_key', '=', address)
    .where('kind', '=', 'address')
    .where('status', '=', 'open')
    .executeTakeFirst();
  let matchId: string;
  if (open) {
    const current = new Set(await currentSignals(trx, open.id));
    const newcomers = members.filter((s) => !current.has(s.id));
    if (newcomers.length > 0) await joinKeyedMatch(trx, deps, { kind: 'address', matchId: open.id, newcomers, now, actor });
    matchId = open.id;
  } else {
    const rule = members.map((s) => ({
      person: Buffer.from(s.person_key).toString('hex'),
      organisationId: s.organisation_id,
      professionalId: s.professional_id,
    }));
    if (!isFamilyMatch(rule, { withinOrganisation: settings.matchWithinOrganisation })) return [];
    matchId = await createKeyedMatch(trx, deps, { kind: 'address', key: address, members, now, actor });
  }
  const own = members.some((s) => Buffer.from(s.person_key).equals(Buffer.from(personKey)));
  return own ? [matchId] : [];
}
