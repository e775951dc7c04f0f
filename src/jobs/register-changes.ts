/**
 * Changes from the population register: the one change path that the BRP Update API, the daily
 * re-read and the embedded register's applied moves and deaths all feed. Run by the lifetime sweep.
 *
 * With `register.changes` (the Update API, or the embedded register): follow indications are kept in
 * step with the signals — a verified person with an active signal is followed, a followed person
 * without one is no longer — and the followed persons that changed since the last read are looked
 * up again. Without it: a daily re-read, 20 persons a call, of every verified person with an active
 * signal whose answer is older than a day, a bounded number per sweep so that filing goes on.
 *
 * Every fresh answer goes through `applyRegisterAnswer`, one step written once, under the person's
 * lock: it stores the answer and compares it with what was stored before (`registerChanges`, a pure
 * rule). A death ends every active signal on the person as `deceased`, an emigration as `moved` (the
 * lifecycle's own end step, which mails each signaller); a change of the registered parents takes the
 * signals out of the family match of a parent who is no longer the person's and into those of the
 * current parents; a move within the municipality puts the new address on the signals and re-evaluates
 * the address matches; a move to another municipality also tells the signallers and that
 * municipality's contact (municipality_contacts, kept by administrators); a record that becomes
 * confidential leaves its address matches. Every lookup and every change applied is audited with the
 * person key as subject; no log line and no error message holds anything about a person.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { queueMoveForHub } from '../federation/region-registration.ts';
import { matchAddress } from '../matches/address-matching.ts';
import { matchFamilies } from '../matches/family-matching.ts';
import { leaveKeyedMatches } from '../matches/match-membership.ts';
import { Bsn } from '../persons/bsn.ts';
import type { PersonCrypto } from '../persons/identity-keys.ts';
import { lockAddressesOfPerson, lockFamilies, lockPerson } from '../persons/person-lock.ts';
import type { PopulationRegister, RegisteredPerson } from '../population-register/population-register.ts';
import { removeAddresses, storeRegisterAnswer } from '../population-register/register-records.ts';
import { isRegisteredDeceased, sameKeys } from '../population-register/register-rules.ts';
import type { Settings, SettingsService } from '../settings/settings-service.ts';
import type { SystemActor } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { detailsFromRegister } from '../signals/signal-service.ts';
import { endSignal, STEP_COLUMNS } from '../signals/signal-steps.ts';

/** The register's batch size (20 BSNs a call for Haal Centraal). */
export const REGISTER_BATCH = 20;
/** The daily re-read looks up at most this many persons a sweep (10 calls), so that filing goes on beside it. */
export const REREAD_PER_SWEEP = 200;
/** Follow indications placed or ended a sweep, at most. */
const FOLLOWS_PER_SWEEP = 200;
const DAY_MS = 86_400_000;

/**
 * What a register answer changed for the person. A change of the registered parents (`ouders`: a
 * recognition, an adoption, a correction) is `parents_changed`; a record that became confidential
 * (geheimhouding) or stopped being so is `confidential` or `no_longer_confidential`.
 */
export type RegisterChange = 'death' | 'emigration' | 'parents_changed' | 'moved_within' | 'moved_away' | 'confidential' | 'no_longer_confidential';

/** Why the person was looked up again (the audit's `purpose`). */
export type RefreshPurpose = 'changes' | 'daily_reread';

export type RegisterChangesRun = { lookedUp: number; changed: number; signalsEnded: number; followed: number; unfollowed: number; unavailable: boolean };

/** How often the follow indications at the register are compared with the persons SluiS follows. */
const FOLLOW_CHECK_MS = 86_400_000;

type Previous =
  | {
      deceased_on: string | null;
      suspension: string | null;
      municipality_code: string | null;
      address_key: Uint8Array | null;
      parent_keys: readonly Uint8Array[];
      confidential: boolean;
    }
  | undefined;

/**
 * What changed between the stored answer and the fresh one, in the order SluiS applies the changes: a
 * pure rule. A death or an emigration is the only change when there is one (every signal ends, and so
 * leaves every match). Otherwise several may come in one answer, and all are applied: first a change
 * of the registered parents (the family matches: family locks), then a move (address matches and the
 * address on the signals), then a change in confidentiality (address matches again) — the order of the
 * locks (person, families, addresses).
 */
export function registerChanges(
  previous: Previous,
  person: RegisteredPerson,
  keys: { addressKey: Uint8Array | null; parentKeys: readonly Uint8Array[] },
): RegisterChange[] {
  if (!previous) return [];
  const wasDeceased = previous.deceased_on !== null || previous.suspension === 'deceased';
  if (isRegisteredDeceased(person)) return wasDeceased ? [] : ['death'];
  if (person.suspension?.reason === 'emigrated') return previous.suspension === 'emigrated' ? [] : ['emigration'];
  const changes: RegisterChange[] = [];
  if (!sameKeys(previous.parent_keys, keys.parentKeys)) changes.push('parents_changed');
  const { addressKey } = keys;
  if (previous.municipality_code && person.municipalityCode && previous.municipality_code !== person.municipalityCode) changes.push('moved_away');
  else if (addressKey && !(previous.address_key && Buffer.compare(previous.address_key, addressKey) === 0)) changes.push('moved_within');
  if (person.confidential !== previous.confidential) changes.push(person.confidential ? 'confidential' : 'no_longer_confidential');
  return changes;
}

type ChangeSettings = Pick<
  Settings,
  'matchWithinOrganisation' | 'historyRetentionMonths' | 'addressMatching' | 'familyMatching' | 'familyMatchAgeLimit' | 'familyMatchIncludesParent'
>;

/**
 * Applies a fresh answer of the register to one person, under the person's lock, in the caller's
 * transaction: stores it, and acts on what changed since the stored answer (registerChanges), each
 * change audited. The step every path uses.
 */
export async function applyRegisterAnswer(
  trx: Kysely<DB>,
  deps: { audit: AuditLog; crypto: PersonCrypto; settings: ChangeSettings },
  input: { personKey: Uint8Array; person: RegisteredPerson; now: Date; purpose: RefreshPurpose },
): Promise<{ changes: RegisterChange[]; signalsEnded: number }> {
  const { personKey, person, now, purpose } = input;
  const actor: SystemActor = { kind: 'system', requestId: null };
  await lockPerson(trx, personKey);
  const previous = await trx
    .selectFrom('person_register')
    .select(['state', 'deceased_on', 'suspension', 'municipality_code', 'address_key', 'parent_keys', 'confidential'])
    .where('person_key', '=', personKey)
    .executeTakeFirst();
  // Purged since it was found (the row goes with the person): nothing to apply.
  if (!previous) return { changes: [], signalsEnded: 0 };
  const addressKey = person.address?.addressObjectId ? deps.crypto.addressKey(person.address.addressObjectId) : null;
  const parentKeys = person.parents.map((parent) => deps.crypto.personKey(parent));
  const changes = registerChanges(previous.state === 'verified' ? previous : undefined, person, { addressKey, parentKeys });
  await storeRegisterAnswer(trx, deps.crypto, { personKey, person, now });
  if (person.confidential) await removeAddresses(trx, personKey);
  await deps.audit.record(trx, now, {
    type: 'person.register_looked_up',
    actor,
    subjectKey: personKey,
    details: { outcome: isRegisteredDeceased(person) ? 'deceased' : 'found', purpose },
  });
  if (changes.length === 0) return { changes, signalsEnded: 0 };

  // Every lock the changes can touch, before anything is read or changed, in the documented order (after the
  // person lock): the family locks of the former and the current parents and of the person, in one ascending
  // order, then the address locks of the former and the current address and of the address matches the
  // person's signals take part in. The steps below take subsets of these again, which never waits.
  await lockFamilies(trx, [...previous.parent_keys, ...parentKeys, personKey]);
  await lockAddressesOfPerson(trx, personKey, previous.address_key ? [previous.address_key] : []);
  const active = await trx.selectFrom('signals').select(STEP_COLUMNS).where('person_key', '=', personKey).where('status', '=', 'active').execute();
  let signalsEnded = 0;
  let contact: 'organisation' | 'email' | 'none' | undefined;
  let toHub = false;
  const has = (change: RegisterChange) => changes.includes(change);
  if (has('death') || has('emigration')) {
    // The lifecycle's own end step: leaves every match, keeps the signal as history, mails its professional.
    const reason = has('death') ? 'deceased' : 'moved';
    for (const signal of active) {
      const ended = await endSignal(trx, deps, { signal, reason, now, actor });
      if (ended.outcome !== 'refused') signalsEnded++;
    }
  } else {
    if (has('parents_changed')) {
      // The family matches follow the register's parents: the signals leave the family match of a parent who
      // is no longer the person's (which closes when fewer than two parties remain), and join or make the
      // family matches of the new parents.
      await matchFamilies(trx, deps, { personKey, now, actor, settings: deps.settings, formerParents: previous.parent_keys });
    }
    const moved = has('moved_within') || has('moved_away');
    if (moved || has('confidential') || has('no_longer_confidential')) {
      // Address matching re-evaluates the person: the signals leave the address matches not at the new home
      // address — every one, for a confidential record — each closing when fewer than two parties remain,
      // and may join or make one at the home address.
      const home = !person.confidential && person.address?.function === 'home' ? addressKey : null;
      await leaveKeyedMatches(trx, deps, {
        personKey,
        kind: 'address',
        keep: home ? [home] : [],
        now,
        actor,
        matchWithinOrganisation: deps.settings.matchWithinOrganisation,
      });
      await matchAddress(trx, deps, { personKey, now, actor, settings: deps.settings });
    }
    // After a move, or once the record is no longer confidential, the signals show the register's address
    // (a confidential record's none at all).
    const address = person.confidential ? undefined : detailsFromRegister(person, {}).address;
    if ((moved || has('no_longer_confidential')) && address && active.length > 0) {
      await sql`update signals set person_details = jsonb_set(person_details, '{address}', ${JSON.stringify(address)}::jsonb)
                 where person_key = ${personKey} and status = 'active'`.execute(trx);
    }
    if (has('moved_away') && active.length > 0) {
      const code = person.municipalityCode!;
      contact = await moveContact(trx, code);
      if (contact === 'none') {
        await trx
          .insertInto('register_moves_unrouted')
          .values({ municipality_code: code, moves: 1, last_move_at: now })
          .onConflict((oc) => oc.column('municipality_code').doUpdateSet((eb) => ({ moves: eb('register_moves_unrouted.moves', '+', 1), last_move_at: now })))
          .execute();
      }
      await trx
        .insertInto('outbox')
        .values(
          active.map((signal) => ({
            created_at: now,
            event_type: 'signal.person_moved' as const,
            recipient_professional_id: signal.professional_id,
            organisation_id: signal.organisation_id,
            payload: JSON.stringify({ signalId: signal.id, municipalityCode: code }),
          })),
        )
        .execute();
      // A municipality without a contact here may be another region's: a person registered at the hub goes there as a move.
      if (contact === 'none') toHub = await queueMoveForHub(trx, { personKey, municipalityCode: code, now });
    }
  }
  await deps.audit.record(
    trx,
    now,
    changes.map((change) => ({
      type: 'person.register_changed' as const,
      actor,
      subjectKey: personKey,
      details: {
        change,
        signals: active.length,
        ...(signalsEnded > 0 && { ended: signalsEnded }),
        ...(change === 'moved_away' && { municipality: person.municipalityCode ?? null }),
        ...(change === 'moved_away' && contact && { contact }),
        ...(change === 'moved_away' && toHub && { hub: true }),
      },
    })),
  );
  return { changes, signalsEnded };
}

async function moveContact(trx: Kysely<DB>, code: string): Promise<'organisation' | 'email' | 'none'> {
  const row = await trx.selectFrom('municipality_contacts').select(['organisation_id', 'email']).where('municipality_code', '=', code).executeTakeFirst();
  return !row ? 'none' : row.email ? 'email' : 'organisation';
}

export type RegisterChanges = ReturnType<typeof createRegisterChanges>;

export function createRegisterChanges(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  crypto: PersonCrypto;
  settings: SettingsService;
  register: PopulationRegister;
  onOutbox?: () => void;
}) {
  const { db, clock, audit, crypto, settings, register } = deps;
  const actor: SystemActor = { kind: 'system', requestId: null };
  // The embedded register's changes are local and cheap: read them every sweep (a CLI change shows at
  // the next sweep). A real Update API is asked at most once an hour.
  const changesIntervalMs = register.kind === 'embedded' ? 0 : 3_600_000;

  const bsnOf = (ciphertext: Uint8Array) => Bsn.parse(crypto.decrypt(ciphertext))!;
  /** When this process last compared the register's follow indications with its own (once a day; a restart checks again). */
  let followsCheckedAt: number | undefined;
  const hasActiveSignal = sql<boolean>`exists (select 1 from signals s where s.person_key = pr.person_key and s.status = 'active')`;

  /** Looks the persons up (20 a call) and applies each answer; false when the register could not answer. */
  async function refresh(persons: { person_key: Uint8Array; bsn: Bsn }[], purpose: RefreshPurpose, run: RegisterChangesRun): Promise<boolean> {
    const current = await settings.current();
    for (let i = 0; i < persons.length; i += REGISTER_BATCH) {
      const batch = persons.slice(i, i + REGISTER_BATCH);
      let found: RegisteredPerson[];
      try {
        found = await register.lookup(batch.map((p) => p.bsn));
      } catch {
        run.unavailable = true;
        return false;
      }
      const byBsn = new Map(found.map((person) => [person.bsn.reveal(), person]));
      const now = clock.now();
      for (const { person_key: personKey, bsn } of batch) {
        const person = byBsn.get(bsn.reveal());
        run.lookedUp++;
        await db.transaction().execute(async (trx) => {
          if (!person) {
            // The register no longer knows the BSN: kept as it was, for a later look; audited.
            await lockPerson(trx, personKey);
            await trx.updateTable('person_register').set({ refreshed_at: now }).where('person_key', '=', personKey).execute();
            await audit.record(trx, now, {
              type: 'person.register_looked_up',
              outcome: 'not_found',
              actor,
              subjectKey: personKey,
              details: { outcome: 'unknown', purpose },
            });
            return;
          }
          const applied = await applyRegisterAnswer(trx, { audit, crypto, settings: current }, { personKey, person, now, purpose });
          if (applied.changes.length > 0) run.changed++;
          run.signalsEnded += applied.signalsEnded;
        });
      }
    }
    return true;
  }

  /** Follow every verified person with an active signal; stop following those without one. */
  async function reconcileFollows(changes: NonNullable<PopulationRegister['changes']>, run: RegisterChangesRun): Promise<boolean> {
    for (const follow of [true, false]) {
      const due = await db
        .selectFrom('person_register as pr')
        .innerJoin('persons as p', 'p.person_key', 'pr.person_key')
        .select(['pr.person_key', 'p.bsn_ciphertext'])
        .where('pr.state', '=', 'verified')
        .where('pr.followed_at', follow ? 'is' : 'is not', null)
        .where(follow ? hasActiveSignal : sql<boolean>`not ${hasActiveSignal}`)
        .limit(FOLLOWS_PER_SWEEP)
        .execute();
      for (const row of due) {
        try {
          if (follow) await changes.follow(bsnOf(row.bsn_ciphertext!));
          else await changes.unfollow(bsnOf(row.bsn_ciphertext!));
        } catch {
          run.unavailable = true;
          return false;
        }
        const now = clock.now();
        await db.transaction().execute(async (trx) => {
          await trx
            .updateTable('person_register')
            .set({ followed_at: follow ? now : null })
            .where('person_key', '=', row.person_key)
            .execute();
          await audit.record(trx, now, {
            type: 'person.register_followed',
            actor,
            subjectKey: row.person_key,
            details: { action: follow ? 'follow' : 'unfollow' },
          });
        });
        if (follow) run.followed++;
        else run.unfollowed++;
      }
    }
    return true;
  }

  /**
   * Once a day: the follow indications at the register that SluiS placed (its audit trail says so) for
   * persons it no longer follows are ended — a person purged at once (an unjustified signal) takes
   * its person_register row along, so the regular unfollow never sees it. Indications SluiS did not
   * place (another application on the same subscription) are left alone.
   */
  async function endForgottenFollows(changes: NonNullable<PopulationRegister['changes']>, run: RegisterChangesRun) {
    const now = clock.now();
    if (followsCheckedAt !== undefined && now.getTime() - followsCheckedAt < FOLLOW_CHECK_MS) return;
    let atRegister: Bsn[];
    try {
      atRegister = await changes.followed();
    } catch {
      run.unavailable = true;
      return;
    }
    for (let i = 0; i < atRegister.length; i += 1000) {
      const batch = atRegister.slice(i, i + 1000).map((bsn) => ({ bsn, key: crypto.personKey(bsn) }));
      const keys = batch.map((b) => b.key);
      const ours = await db.selectFrom('person_register').select('person_key').where('person_key', 'in', keys).where('followed_at', 'is not', null).execute();
      const placed = await db
        .selectFrom('audit_events')
        .select('subject_key')
        .distinct()
        .where('event_type', '=', 'person.register_followed')
        .where('subject_key', 'in', keys)
        .where(sql<boolean>`details ->> 'action' = 'follow'`)
        .execute();
      const hex = (key: Uint8Array | null) => (key ? Buffer.from(key).toString('hex') : '');
      const followedHere = new Set(ours.map((row) => hex(row.person_key)));
      const placedHere = new Set(placed.map((row) => hex(row.subject_key)));
      for (const { bsn, key } of batch) {
        if (followedHere.has(hex(key)) || !placedHere.has(hex(key))) continue;
        try {
          await changes.unfollow(bsn);
        } catch {
          run.unavailable = true;
          return;
        }
        await audit.record(db, clock.now(), { type: 'person.register_followed', actor, subjectKey: key, details: { action: 'unfollow', reason: 'forgotten' } });
        run.unfollowed++;
      }
    }
    followsCheckedAt = now.getTime();
  }

  /** The followed persons that changed since the last read (inclusive of its day), looked up again. */
  async function readChanges(changes: NonNullable<PopulationRegister['changes']>, run: RegisterChangesRun) {
    const now = clock.now();
    const last = await db.selectFrom('register_change_runs').selectAll().executeTakeFirst();
    if (last && now.getTime() - new Date(last.changes_read_at).getTime() < changesIntervalMs) return;
    const today = amsterdamDate(now);
    const since = last ? String(last.changes_read_on).slice(0, 10) : today;
    let changed: Bsn[];
    try {
      changed = await changes.since(since);
    } catch {
      run.unavailable = true;
      return;
    }
    const byKey = new Map(changed.map((bsn) => [Buffer.from(crypto.personKey(bsn)).toString('hex'), bsn]));
    const known =
      byKey.size === 0
        ? []
        : await db
            .selectFrom('person_register')
            .select('person_key')
            .where('state', '=', 'verified')
            .where(
              'person_key',
              'in',
              changed.map((bsn) => crypto.personKey(bsn)),
            )
            .execute();
    const persons = known.map((row) => ({ person_key: row.person_key, bsn: byKey.get(Buffer.from(row.person_key).toString('hex'))! }));
    if (!(await refresh(persons, 'changes', run))) return;
    await db
      .insertInto('register_change_runs')
      .values({ id: true, changes_read_on: today, changes_read_at: now })
      .onConflict((oc) => oc.column('id').doUpdateSet({ changes_read_on: today, changes_read_at: now }))
      .execute();
  }

  /** Without an Update API: the verified persons with an active signal whose answer is older than a day, oldest first, a bounded number. */
  async function rereadDaily(run: RegisterChangesRun) {
    const dayAgo = new Date(clock.now().getTime() - DAY_MS);
    const due = await db
      .selectFrom('person_register as pr')
      .innerJoin('persons as p', 'p.person_key', 'pr.person_key')
      .select(['pr.person_key', 'p.bsn_ciphertext'])
      .where('pr.state', '=', 'verified')
      .where('pr.refreshed_at', '<=', dayAgo)
      .where(hasActiveSignal)
      .orderBy('pr.refreshed_at')
      .limit(REREAD_PER_SWEEP)
      .execute();
    await refresh(
      due.map((row) => ({ person_key: row.person_key, bsn: bsnOf(row.bsn_ciphertext!) })),
      'daily_reread',
      run,
    );
  }

  return {
    /** One round: with an Update API, follow indications and the changes since the last read; without, a part of the daily re-read. */
    async runOnce(): Promise<RegisterChangesRun> {
      const run: RegisterChangesRun = { lookedUp: 0, changed: 0, signalsEnded: 0, followed: 0, unfollowed: 0, unavailable: false };
      const changes = register.changes;
      if (changes) {
        if (await reconcileFollows(changes, run)) {
          await readChanges(changes, run);
          if (!run.unavailable) await endForgottenFollows(changes, run);
        }
      } else {
        await rereadDaily(run);
      }
      if (run.changed > 0) deps.onOutbox?.();
      return run;
    },
  };
}
