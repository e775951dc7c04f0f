/**
 * Family matching (gezinsmatch, Jeugdwet 7.1.2.3): the one step that makes or joins the family
 * matches of a person's active signals, written once and called wherever what the population
 * register says of a person becomes known — after filing (signals/signal-service.ts), after a
 * queued verification (jobs/register-verification.ts), and when the register's parents of the person
 * change (jobs/register-changes.ts: a recognition, an adoption, a correction). A family match is keyed on the shared
 * parent's pseudonym (matches.person_key with kind 'family'); its participants are the active
 * signals on that parent's children within the age limit (and on the parent themself when the
 * setting says so). See docs/architecture.md, "Family matches".
 *
 * Runs inside the caller's transaction, which holds the person lock; the step takes the family locks.
 * It writes no person data anywhere a professional reads it: outbox payloads carry ids and the match
 * kind, and every reader strips the other children's signal ids from what leaves (events.ts).
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { lockFamilies } from '../persons/person-lock.ts';
import { keysLeft } from '../population-register/register-rules.ts';
import type { Settings } from '../settings/settings-service.ts';
import type { Actor } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import { createKeyedMatch, currentSignals, joinKeyedMatch } from './keyed-match-steps.ts';
import { leaveKeyedMatches } from './match-membership.ts';
import { isChildInFamilyAge, isFamilyMatch } from './match-rule.ts';

export type FamilySettings = Pick<Settings, 'familyMatching' | 'familyMatchAgeLimit' | 'familyMatchIncludesParent' | 'matchWithinOrganisation'>;

type Candidate = {
  id: string;
  person_key: Uint8Array;
  professional_id: string;
  organisation_id: string;
  person_date_of_birth: string;
  parent_keys: Uint8Array[] | null;
};

const hex = (key: Uint8Array) => Buffer.from(key).toString('hex');
const sortedUnique = (keys: readonly Uint8Array[]) =>
  keys
    .map((key) => Buffer.from(key))
    .sort(Buffer.compare)
    .filter((key, i, all) => i === 0 || !key.equals(all[i - 1]!));

/**
 * Makes or joins the family matches the person's active signals belong in, under the family locks of
 * the person's registered parents (and of the person, when a parent's own signal counts). Returns the
 * ids of the open family matches the person's signals now take part in. Does nothing when family
 * matching is off or the register has not verified the person.
 *
 * `formerParents`: the parent keys stored before this answer, when the caller just stored a fresh one.
 * A former parent who is no longer the person's (a correction, a recognition undone) takes the person's
 * signals out of that parent's family match first — the usual leave step, closing the match when fewer
 * than two parties remain — whether or not family matching is on. The family locks of the former and
 * the current parents (and of the person) are taken first, at once, in one ascending order, and held
 * until the caller commits: a family match being formed at the same moment on a former parent's
 * children either commits first (and the person's signals leave it here) or waits and reads the new
 * answer, in which the person is no longer that parent's child.
 */
export async function matchFamilies(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: { personKey: Uint8Array; now: Date; actor: Actor; settings: FamilySettings; formerParents?: readonly Uint8Array[] | undefined },
): Promise<string[]> {
  const { personKey, now, actor, settings } = input;
  if (!settings.familyMatching && !input.formerParents?.length) return [];
  const registered = await trx
    .selectFrom('person_register')
    .select('parent_keys')
    .where('person_key', '=', personKey)
    .where('state', '=', 'verified')
    .executeTakeFirst();
  const parents = registered?.parent_keys ?? [];
  const families = settings.familyMatching ? sortedUnique([...parents, ...(settings.familyMatchIncludesParent ? [personKey] : [])]) : [];
  const formerOnly = keysLeft(input.formerParents ?? [], parents);
  if (formerOnly.length > 0) {
    await lockFamilies(trx, [...formerOnly, ...parents, personKey]);
    await leaveKeyedMatches(trx, deps, {
      personKey,
      kind: 'family',
      keep: [...parents, personKey],
      now,
      actor,
      matchWithinOrganisation: settings.matchWithinOrganisation,
    });
  }
  if (families.length === 0) return [];
  // A restricted person's signals make and join no family match (a rights decision, migration 0033).
  if (await isRestricted(trx, personKey)) return [];
  await lockFamilies(trx, families);

  const today = amsterdamDate(now);
  /** The open family matches of these families and their current participants, as this step leaves them. */
  const openMatches = new Map<string, { id: string; signals: Set<string> }>();
  for (const family of families) {
    const open = await trx
      .selectFrom('matches')
      .select('id')
      .where('person_key', '=', family)
      .where('kind', '=', 'family')
      .where('status', '=', 'open')
      .executeTakeFirst();
    if (open) openMatches.set(hex(family), { id: open.id, signals: new Set(await currentSignals(trx, open.id)) });
  }

  const candidates = await candidatesOf(trx, families, settings.familyMatchIncludesParent);
  for (const family of families) {
    const members = candidates.filter((s) => inFamily(s, family, settings, today));
    const open = openMatches.get(hex(family));
    if (open) {
      const newcomers = members.filter((s) => !open.signals.has(s.id));
      if (newcomers.length > 0) await joinKeyedMatch(trx, deps, { kind: 'family', matchId: open.id, newcomers, now, actor });
      for (const s of newcomers) open.signals.add(s.id);
    } else {
      const rule = members.map((s) => ({ person: hex(s.person_key), organisationId: s.organisation_id, professionalId: s.professional_id }));
      if (!isFamilyMatch(rule, { withinOrganisation: settings.matchWithinOrganisation })) continue;
      // Two parents of the same children make one family match, not two: a family whose signals all take
      // part in an open family match of another of the person's parents already gets none of its own.
      const ids = members.map((s) => s.id);
      if ([...openMatches.values()].some((other) => ids.every((id) => other.signals.has(id)))) continue;
      const matchId = await createKeyedMatch(trx, deps, { kind: 'family', key: family, members, now, actor });
      openMatches.set(hex(family), { id: matchId, signals: new Set(ids) });
    }
  }
  const own = await trx.selectFrom('signals').select('id').where('person_key', '=', personKey).where('status', '=', 'active').execute();
  return [...openMatches.values()].filter((open) => own.some((s) => open.signals.has(s.id))).map((open) => open.id);
}

/**
 * The active signals on the verified children of any of `families` (and on those persons themselves,
 * when a parent's own signal counts), with the children's parent keys: one statement, so that every
 * family of this step is judged on one snapshot. (A child's register row is written under that child's
 * person lock, not a family lock: read in two statements, two parents of the same children could see
 * different children, and the second would not see that the first already has them all.)
 */
async function candidatesOf(trx: Kysely<DB>, families: Uint8Array[], includesParent: boolean): Promise<Candidate[]> {
  const keys = families.map((key) => Buffer.from(key));
  return (
    trx
      .selectFrom('signals as s')
      .leftJoin('person_register as r', (join) => join.onRef('r.person_key', '=', 's.person_key').on('r.state', '=', 'verified'))
      .innerJoin('persons as p', 'p.person_key', 's.person_key')
      .select(['s.id', 's.person_key', 's.professional_id', 's.organisation_id', 's.person_date_of_birth', 'r.parent_keys'])
      .where('s.status', '=', 'active')
      // A restricted person's signals are never taken into a family match (a rights decision).
      .where('p.restricted_at', 'is', null)
      .where((eb) => {
        const children = sql<boolean>`r.parent_keys && ${keys}::bytea[]`;
        return includesParent ? eb.or([children, sql<boolean>`s.person_key = any(${keys}::bytea[])`]) : children;
      })
      .orderBy('s.filed_at')
      .orderBy('s.id')
      .execute()
  );
}

/** Whether the processing of the person is restricted (a rights decision, migration 0033): their signals make and join no match. */
export async function isRestricted(trx: Kysely<DB>, personKey: Uint8Array): Promise<boolean> {
  const row = await trx.selectFrom('persons').select('restricted_at').where('person_key', '=', personKey).executeTakeFirst();
  return Boolean(row?.restricted_at);
}

/** Whether a candidate belongs in `family`'s match: a child of that parent within the age limit, or the parent themself when that counts. */
function inFamily(signal: Candidate, family: Buffer, settings: FamilySettings, today: string): boolean {
  if (settings.familyMatchIncludesParent && family.equals(Buffer.from(signal.person_key))) return true;
  const child = (signal.parent_keys ?? []).some((key) => family.equals(Buffer.from(key)));
  return child && isChildInFamilyAge(signal.person_date_of_birth, today, settings.familyMatchAgeLimit);
}
