/**
 * Signals: filing, reading, listing, extending and ending them, and recording informing that was
 * postponed. The pure rules (BSN 11-test, consent and informing by age, lifetime dates) run here
 * before the database is touched; filing itself is one round trip (sluis_file_signal, migration 0002).
 */
import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql, type Transaction } from 'kysely';
import { type AuditLog, traceSetting } from '../audit/audit-log.ts';
import { suppressed } from '../coordination/coordination-rules.ts';
import type { DB, EndReason } from '../db/schema.ts';
import { inTransaction } from '../db/transactions.ts';
import { matchAddress } from '../matches/address-matching.ts';
import { matchFamilies } from '../matches/family-matching.ts';
import { participantsOfMatches, participantView } from '../matches/participants.ts';
import { Bsn } from '../persons/bsn.ts';
import type { PersonCrypto } from '../persons/identity-keys.ts';
import { identityWithoutBsn, unbornIdentity } from '../persons/identity-without-bsn.ts';
import { ensureRekeyed } from '../persons/key-rotation.ts';
import { lockPerson } from '../persons/person-lock.ts';
import { type PopulationRegister, type RegisteredAddress, type RegisteredPerson, RegisterUnavailable } from '../population-register/population-register.ts';
import { queueVerification, removeAddresses, storedParents, storeRegisterAnswer } from '../population-register/register-records.ts';
import { dateOfBirthMismatch, isRegisteredDeceased } from '../population-register/register-rules.ts';
import type { Settings, SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { addDaysToIsoDate, amsterdamDate, isValidIsoDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, forbidden, type InvalidParam, invalidInput, notFound, Problem } from '../shared/errors.ts';
import { type CountedPage, type Cursors, exactTotal, type Page } from '../shared/paging.ts';
import { type InformingRecord, informingDueAt } from './informing.ts';
import { checkLegalBasis, type LegalBasis } from './legal-basis.ts';
import { activeUntil, type EndReasonInput, type ExtensionReason, extensionOffer, extensionRules, isWithinYouthRegime } from './lifetime.ts';
import { moveSignalToPerson } from './signal-identification.ts';
import type { LifecycleRefusal } from './signal-lifecycle.ts';
import type { IdentifiedBy } from './signal-schemas.ts';
import { endSignal, extendSignal, recordInforming } from './signal-steps.ts';
import type { Address, FileSignalInput, FilingAnswer, PersonDetails, SignalView } from './signal-types.ts';
import { UNBORN_GIVEN_NAMES, UNBORN_MAX_DAYS_AHEAD } from './unborn.ts';

export type SignalService = ReturnType<typeof createSignalService>;

type FilingOutcome = 'created' | 'existing' | 'settings_changed' | 'organisation_refused' | 'professional_refused';

export type FilingResult = { outcome: 'created' | 'existing'; answer: FilingAnswer } | { outcome: 'organisation_refused' | 'professional_refused' };

/** What a transaction returns when the professional has no such signal (the 404 is audited after it). */
const NOT_FOUND = Symbol('not found');

export function createSignalService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  crypto: PersonCrypto;
  cursors: Cursors;
  settings: SettingsService;
  /** Told after a commit that wrote outbox records, so they are delivered at once. */
  onOutbox?: () => void;
  /** The population register filing checks a BSN against; undefined: none (the details are then required). */
  register?: PopulationRegister | undefined;
  /** How long filing waits for the register before it files without it (default 3 seconds). */
  registerTimeoutMs?: number;
}) {
  const { db, clock, audit, crypto, settings, register } = deps;
  const registerTimeoutMs = deps.registerTimeoutMs ?? 3_000;
  const outboxWritten = deps.onOutbox ?? (() => {});

  /** Asks the register about one BSN, never waiting longer than the timeout; audited, whatever it answered. */
  async function lookUp(register: PopulationRegister, bsn: Bsn): Promise<RegisterAnswer> {
    let timer: NodeJS.Timeout | undefined;
    let answer: RegisterAnswer;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new RegisterUnavailable('The population register did not answer in time')), registerTimeoutMs);
      });
      const found = (await Promise.race([register.lookup([bsn]), timeout])).find((person) => person.bsn.reveal() === bsn.reveal());
      answer = found ? { kind: 'found', person: found } : { kind: 'unknown' };
    } catch {
      // Down, refusing, too slow, or failing in any other way: the professional files on what they typed.
      answer = { kind: 'unavailable' };
    } finally {
      clearTimeout(timer);
    }
    return answer;
  }

  async function auditLookup(
    actor: ProfessionalActor,
    personKey: Uint8Array,
    outcome: RegisterOutcome,
    purpose: 'filing' | 'identification' | 'unborn' = 'filing',
  ) {
    await audit.record(db, clock.now(), {
      type: 'person.register_looked_up',
      outcome: outcome === 'unknown' ? 'not_found' : outcome === 'deceased' || outcome === 'mismatch' ? 'denied' : 'success',
      actor,
      subjectKey: personKey,
      details: { outcome, purpose },
    });
  }

  /**
   * What the register said of a BSN, as problems for the field that holds it: unknown, deceased, or a
   * date of birth (typed, or on the signal) that clearly differs from the registered one.
   */
  function registerProblems(answer: RegisterAnswer | undefined, bsnField: string, dateOfBirth: string | undefined, dateField: string): InvalidParam[] {
    if (answer?.kind === 'unknown') {
      return [{ name: bsnField, code: 'bsn_unknown_in_register', reason: 'The population register does not know this BSN. Check the number.' }];
    }
    if (answer?.kind === 'found' && isRegisteredDeceased(answer.person)) {
      return [{ name: bsnField, code: 'person_deceased', reason: 'The population register has this person registered as deceased; no signal can be filed.' }];
    }
    if (answer?.kind === 'found' && dateOfBirthMismatch(dateOfBirth, answer.person.dateOfBirth)) {
      return [
        {
          name: dateField,
          code: 'date_of_birth_mismatch',
          reason: 'This date of birth differs from the one the population register holds for this BSN. Check the BSN and the date of birth.',
        },
      ];
    }
    return [];
  }

  /**
   * The person's details to file with, and every problem at once: the BSN's 11-test, what the register
   * said (unknown, deceased, a date of birth that clearly differs), fields missing where nothing
   * supplies them, and the age and regime rules on the date of birth that counts (the register's
   * when the professional left it out).
   */
  async function prepare(actor: ProfessionalActor, input: FileSignalInput, signalDate: string, current: Settings): Promise<PreparedFiling> {
    if (input.person.identifiedBy === 'details') return prepareWithoutBsn(input, signalDate, current);
    if (input.person.identifiedBy === 'unborn') return prepareUnborn(actor, input, signalDate, current);
    if (input.person.bsn === undefined) {
      const problems: InvalidParam[] = [
        {
          name: 'person.bsn',
          code: 'required',
          reason: 'The BSN is required. For a person without a (known) BSN, send identifiedBy: details with family name, date of birth and gender.',
        },
      ];
      if (!register) problems.push(...missingFields(input.person, 'no_register'));
      if (input.person.dateOfBirth) problems.push(...ruleProblems(input.person.dateOfBirth, input.legalBasis, signalDate, current));
      throw invalidInput(problems);
    }
    const bsn = Bsn.parse(input.person.bsn);
    if (!bsn) {
      const problems: InvalidParam[] = [{ name: 'person.bsn', code: 'bsn_invalid', reason: 'A BSN has 9 digits and passes the 11-test.' }];
      if (!register) problems.push(...missingFields(input.person, 'no_register'));
      if (input.person.dateOfBirth) problems.push(...ruleProblems(input.person.dateOfBirth, input.legalBasis, signalDate, current));
      throw invalidInput(problems);
    }
    const personKey = crypto.personKey(bsn);
    const answer = register ? await lookUp(register, bsn) : undefined;
    const problems = [...givenNamesProblems(input.person), ...registerProblems(answer, 'person.bsn', input.person.dateOfBirth, 'person.dateOfBirth')];
    let typed: Partial<PersonDetails> = withoutBsn(input.person);
    if (answer?.kind === 'found' && problems.length === 0) typed = detailsFromRegister(answer.person, typed);
    if (answer) await auditLookup(actor, personKey, registerOutcome(answer, problems));
    if (problems.length === 0)
      problems.push(...missingFields(typed, answer ? (answer.kind === 'found' ? 'register_incomplete' : 'register_unavailable') : 'no_register'));
    const dateOfBirth = typed.dateOfBirth ?? (problems.some((p) => p.name === 'person.dateOfBirth') ? undefined : input.person.dateOfBirth);
    if (dateOfBirth) problems.push(...ruleProblems(dateOfBirth, input.legalBasis, signalDate, current));
    if (problems.length > 0) throw invalidInput(problems);
    return { bsn, personKey, details: typed as PersonDetails, answer, identification: 'bsn' };
  }

  /**
   * A person without a BSN (Besluit Jeugdwet 7.3.1): identified by family name, date of birth and gender,
   * all three required as typed (the register cannot be asked without a BSN). The person key is the
   * keyed pseudonym of those three, normalised (persons/identity-without-bsn.ts).
   */
  function prepareWithoutBsn(input: FileSignalInput, signalDate: string, current: Settings): PreparedFiling {
    const problems: InvalidParam[] = [];
    if (input.person.bsn !== undefined) {
      problems.push({
        name: 'person.bsn',
        code: 'bsn_with_details',
        reason: 'A person identified by details (identifiedBy: details) is filed without a BSN. Send the BSN without identifiedBy instead.',
      });
    }
    const typed = withoutBsn(input.person);
    problems.push(...missingFields(typed, 'without_bsn'), ...givenNamesProblems(input.person));
    if (typed.gender === 'unknown') {
      problems.push({
        name: 'person.gender',
        code: 'gender_required_without_bsn',
        reason: 'A person without a BSN is identified by family name, date of birth and gender: give the gender (male, female or other).',
      });
    }
    const identity = typed.name && typed.dateOfBirth && typed.gender ? identityWithoutBsn(typed as PersonDetails) : undefined;
    if (typed.name && !identity && typed.gender !== 'unknown') {
      problems.push({
        name: 'person.name.familyName',
        code: 'family_name_without_letters',
        reason: 'The family name must hold letters: it identifies the person.',
      });
    }
    if (typed.dateOfBirth) problems.push(...ruleProblems(typed.dateOfBirth, input.legalBasis, signalDate, current));
    if (problems.length > 0 || !identity) throw invalidInput(problems);
    return { bsn: undefined, personKey: crypto.detailsKey(identity), details: typed as PersonDetails, answer: undefined, identification: 'details', identity };
  }

  /**
   * An unborn child, where the municipality allows it (unbornSignals): identified through its mother's BSN
   * (persons/identity-without-bsn.ts), with the expected date of birth, the expected family name, and the
   * informing of its legal representative (the expectant mother) as legal basis. With a register the
   * mother's BSN is checked (known, alive); the child takes no part in family or address matching until
   * its own BSN is added once it is born.
   */
  async function prepareUnborn(actor: ProfessionalActor, input: FileSignalInput, signalDate: string, current: Settings): Promise<PreparedFiling> {
    if (!current.unbornSignals) {
      throw invalidInput([
        {
          name: 'person.identifiedBy',
          code: 'unborn_signals_off',
          reason: 'This municipality does not allow signals on an unborn child (the setting unbornSignals).',
        },
      ]);
    }
    const problems: InvalidParam[] = [];
    if (input.person.bsn !== undefined) {
      problems.push({ name: 'person.bsn', code: 'bsn_with_unborn', reason: "An unborn child has no BSN yet: send the mother's BSN as motherBsn." });
    }
    const motherBsn = input.person.motherBsn === undefined ? undefined : Bsn.parse(input.person.motherBsn);
    if (input.person.motherBsn === undefined)
      problems.push({ name: 'person.motherBsn', code: 'required', reason: "The mother's BSN identifies an unborn child." });
    else if (!motherBsn) problems.push({ name: 'person.motherBsn', code: 'bsn_invalid', reason: 'A BSN has 9 digits and passes the 11-test.' });
    const typed = withoutBsn(input.person);
    if (!typed.name) problems.push({ name: 'person.name', code: 'required', reason: 'The expected family name is required (given names may be left out).' });
    const expected = typed.dateOfBirth;
    if (!expected) problems.push({ name: 'person.dateOfBirth', code: 'required', reason: 'The expected date of birth is required.' });
    else if (expected <= signalDate || expected > addDaysToIsoDate(signalDate, UNBORN_MAX_DAYS_AHEAD)) {
      problems.push({
        name: 'person.dateOfBirth',
        code: 'expected_date_out_of_range',
        reason: `For an unborn child the expected date of birth lies after the signal date and at most ${UNBORN_MAX_DAYS_AHEAD} days ahead.`,
      });
    }
    problems.push(...checkLegalBasis({ dateOfBirth: signalDate, signalDate, legalBasis: input.legalBasis, unborn: true }));
    if (motherBsn && register) {
      const answer = await lookUp(register, motherBsn);
      const motherProblems = registerProblems(answer, 'person.motherBsn', undefined, 'person.motherBsn');
      await auditLookup(actor, crypto.personKey(motherBsn), registerOutcome(answer, motherProblems), 'unborn');
      problems.push(...motherProblems);
    }
    if (problems.length > 0 || !motherBsn || !typed.name || !expected) throw invalidInput(problems);
    const details: PersonDetails = {
      name: { ...typed.name, givenNames: typed.name.givenNames || UNBORN_GIVEN_NAMES },
      dateOfBirth: expected,
      gender: typed.gender ?? 'unknown',
      ...(typed.address && { address: typed.address }),
    };
    const identity = unbornIdentity(motherBsn);
    return { bsn: undefined, personKey: crypto.detailsKey(identity), details, answer: undefined, identification: 'unborn', identity };
  }

  async function fileOnce(actor: ProfessionalActor, input: FileSignalInput, prepared: PreparedFiling, current: Settings, now: Date) {
    const signalDate = amsterdamDate(now);
    const { bsn, personKey, details } = prepared;
    // The token's own check (a token being replaced stops when its overlap ends, api-client-service.ts) guards
    // the statement in the same round trip: the function is not called when the token is no longer live.
    const result = await sql<{ result: { outcome: FilingOutcome; answer?: Omit<FilingAnswer, 'familyMatches' | 'addressMatches'> } }>`
      select case when ${actor.apiTokenId ?? null}::uuid is not null and not exists (
          select from api_client_tokens t where t.id = ${actor.apiTokenId ?? null}::uuid and t.revoked_at is null
             and (t.expires_at is null or t.expires_at > ${now}::timestamptz)
        ) then jsonb_build_object('outcome', 'organisation_refused') else sluis_file_signal(
        ${now}::timestamptz, ${signalDate}::date, ${current.version}::int, ${actor.organisationId}::uuid,
        ${actor.professionalId}::uuid, ${actor.apiClientId}::uuid, ${actor.requestId}, ${personKey}::bytea,
        ${bsn ? crypto.encrypt(bsn) : null}::bytea, ${JSON.stringify(details)}::jsonb, ${details.dateOfBirth}::date,
        ${JSON.stringify(input.legalBasis)}::jsonb, ${input.clientReference ?? null}::text,
        ${activeUntil({ filedAt: now, lifetimeMonths: current.signalLifetimeMonths, regime: current.regime, dateOfBirth: details.dateOfBirth })}::timestamptz,
        ${prepared.identification}::text
      ) end as result from ${traceSetting()} as trace`.execute(db);
    return result.rows[0]!.result;
  }

  /**
   * After the filing, under the person's lock: what the register said (person_register), a confidential
   * record's address taken off every signal on the person, or, when it could not answer, a queued
   * verification (jobs/register-verification.ts).
   */
  async function recordAnswer(
    actor: ProfessionalActor,
    prepared: PreparedFiling,
    current: Settings,
    now: Date,
  ): Promise<{ families: string[]; addresses: string[] }> {
    if (!prepared.answer) return { families: [], addresses: [] };
    return db.transaction().execute(async (trx) => {
      await lockPerson(trx, prepared.personKey);
      return applyAnswer(trx, actor, prepared, current, now);
    });
  }

  /** recordAnswer's work in the caller's transaction, which holds the person's lock. */
  async function applyAnswer(
    trx: Kysely<DB>,
    actor: ProfessionalActor,
    prepared: PreparedFiling,
    current: Settings,
    now: Date,
  ): Promise<{ families: string[]; addresses: string[] }> {
    const { answer, personKey } = prepared;
    if (!answer) return { families: [], addresses: [] };
    let formerParents: Uint8Array[] | undefined;
    {
      if (answer.kind === 'found') {
        formerParents = await storedParents(trx, personKey);
        await storeRegisterAnswer(trx, crypto, { personKey, person: answer.person, now });
        if (answer.person.confidential) await removeAddresses(trx, personKey);
      } else {
        await queueVerification(trx, { personKey, now });
      }
      // What the register says is known now: the family and address matches follow (the same steps after a
      // queued verification), family first: the family locks come before the address lock (person-lock.ts).
      // Both steps also follow what changed since the stored answer: a former parent's family match is left,
      // and a confidential record's address matches.
      const families = await matchFamilies(trx, { audit }, { personKey, now, actor, settings: current, formerParents });
      const addresses = await matchAddress(trx, { audit }, { personKey, now, actor, settings: current });
      return { families, addresses };
    }
  }

  /** The family or address matches of the answer: the same participant fields as a match read, nothing about the other persons. */
  async function keyedMatchesOf(actor: ProfessionalActor, matchIds: string[]): Promise<FilingAnswer['familyMatches']> {
    if (matchIds.length === 0) return [];
    const matches = await db.selectFrom('matches').select(['id', 'created_at']).where('id', 'in', matchIds).orderBy('created_at').orderBy('id').execute();
    const participants = await participantsOfMatches(db, matchIds);
    return matches.map((m) => ({
      id: m.id,
      createdAt: m.created_at.toISOString(),
      participants: (participants.get(m.id) ?? []).map((p) => {
        const view = participantView(p, actor.professionalId);
        return { ...view, since: view.since.toISOString() };
      }),
    }));
  }

  /**
   * The professional's own signals, newest first (each listed one audited). `ids` narrows to those
   * signals; `expiringBefore` to active ones ending before that instant, soonest first (no cursor);
   * `clientReference` to those with the professional's own reference (see ClientReferenceSearch).
   * A page is asked for by `cursor` (the API) or by `offset` (the web pages' page numbers).
   */
  async function list(actor: ProfessionalActor, query: SignalListQuery, within?: Transaction<DB>): Promise<Page<SignalView>> {
    const now = clock.now();
    const current = await settings.current();
    const after = query.cursor ? deps.cursors.decodeAt(cursorListOf(query), query.cursor) : undefined;
    if (query.ids?.length === 0) return { items: [], nextCursor: null };
    return inTransaction(db, within, async (trx) => {
      let select = ownSignals(trx, actor).where(matchesFilters(actor, query));
      select = query.expiringBefore ? select.orderBy('s.active_until').orderBy('s.id') : select.orderBy('s.filed_at', 'desc').orderBy('s.id', 'desc');
      select = select.limit(query.limit + 1);
      if (query.offset) select = select.offset(query.offset);
      if (query.ids) select = select.where('s.id', 'in', [...query.ids]);
      if (after) select = select.where((eb) => eb.or([eb('s.filed_at', '<', after.at), eb.and([eb('s.filed_at', '=', after.at), eb('s.id', '<', after.id)])]));
      const rows = await select.execute();
      const items = rows.slice(0, query.limit);
      const search = query.clientReference ? { search: 'client_reference' } : undefined;
      await audit.record(
        trx,
        now,
        items.map((row) => ({
          type: 'signal.listed' as const,
          actor,
          subjectKey: row.person_key,
          resource: { type: 'signal', id: row.id },
          ...(search && { details: search }),
        })),
      );
      const last = items.at(-1);
      const more = rows.length > query.limit && last && !query.expiringBefore;
      return {
        items: items.map((row) => toView(row, current)),
        nextCursor: more ? deps.cursors.encodeAt(cursorListOf(query), last.filed_at, last.id) : null,
      };
    });
  }

  return {
    /**
     * The age and regime rules on a body that failed schema validation elsewhere, so that a 422 can
     * list every problem at once. Best effort: parts too malformed to judge give no problems here
     * (the schema errors already name them).
     */
    async ruleProblemsOfUnvalidated(body: unknown, options: { missingDetails?: boolean } = {}): Promise<InvalidParam[]> {
      const candidate = body as { person?: { dateOfBirth?: unknown; name?: unknown; gender?: unknown }; legalBasis?: unknown } | null;
      // Without a register the details are required; with one they may come from it (checked after the lookup).
      const missing =
        options.missingDetails && !register && typeof candidate?.person === 'object' && candidate.person !== null
          ? missingFields(candidate.person, 'no_register')
          : [];
      const dateOfBirth = candidate?.person?.dateOfBirth;
      const legalBasis = candidate?.legalBasis;
      if (typeof dateOfBirth !== 'string' || !isValidIsoDate(dateOfBirth) || typeof legalBasis !== 'object' || legalBasis === null) return missing;
      try {
        return [...missing, ...ruleProblems(dateOfBirth, legalBasis as LegalBasis, amsterdamDate(clock.now()), await settings.current())];
      } catch {
        return missing;
      }
    },

    /** Whether filing asks a population register first (the API then settles the caller's standing before the lookup). */
    checksRegister: register !== undefined,

    /**
     * Files a signal: one round trip (sluis_file_signal). With a population register the BSN is looked
     * up first (unknown, deceased or a clearly different date of birth: 422) and the details come from
     * it; when it cannot answer in time the signal is filed on what the professional typed and a
     * verification is queued.
     */
    async file(actor: ProfessionalActor, input: FileSignalInput): Promise<FilingResult> {
      let current = await settings.current();
      const prepared = await prepare(actor, input, amsterdamDate(clock.now()), current);
      await rekeyBeforeFiling(db, crypto, prepared);
      for (let attempt = 0; ; attempt++) {
        const now = clock.now();
        const result = await fileOnce(actor, input, prepared, current, now);
        if (result.outcome === 'settings_changed' && attempt < 3) {
          current = await settings.reload();
          // The regime may have changed: the rules again, on the answer the register already gave.
          const problems = ruleProblems(prepared.details.dateOfBirth, input.legalBasis, amsterdamDate(now), current);
          if (problems.length > 0) throw invalidInput(problems);
          continue;
        }
        if (result.outcome === 'created' || result.outcome === 'existing') {
          const { families, addresses } = await recordAnswer(actor, prepared, current, now);
          if (result.outcome === 'created' || families.length > 0 || addresses.length > 0) outboxWritten();
          const familyMatches = await keyedMatchesOf(actor, families);
          return { outcome: result.outcome, answer: { ...result.answer!, familyMatches, addressMatches: await keyedMatchesOf(actor, addresses) } };
        }
        if (result.outcome === 'settings_changed') throw new Error('Settings kept changing while filing a signal');
        return { outcome: result.outcome };
      }
    },

    /**
     * Adds the BSN to the professional's active signal on a person filed without one: with a register,
     * the BSN is looked up first (unknown, deceased, or a date of birth that clearly differs from the
     * signal's: 422) and the details come from it; then the signal moves to the person with that BSN,
     * under both persons' locks, and joins or makes their matches (signal-identification.ts).
     */
    async addBsn(actor: ProfessionalActor, signalId: string, bsnText: string): Promise<SignalView> {
      const now = clock.now();
      const current = await settings.current();
      const own = await ownSignals(db, actor).where('s.id', '=', signalId).executeTakeFirst();
      if (!own) {
        await audit.record(db, now, { type: 'signal.person_identified', outcome: 'not_found', actor, resource: { type: 'signal', id: signalId } });
        throw notFound('signal');
      }
      if (own.status !== 'active') throw signalNotActive();
      if (own.identification === 'bsn') throw new Problem(409, 'signal_has_bsn', 'Conflict', 'This signal was filed with a BSN already.');
      const bsn = Bsn.parse(bsnText);
      if (!bsn) throw invalidInput([{ name: 'bsn', code: 'bsn_invalid', reason: 'A BSN has 9 digits and passes the 11-test.' }]);
      const personKey = crypto.personKey(bsn);
      const typed = own.person_details as PersonDetails;
      const answer = register ? await lookUp(register, bsn) : undefined;
      // An unborn child's date is the expected one: the register's date of birth counts once it is born.
      const problems = registerProblems(answer, 'bsn', own.identification === 'unborn' ? undefined : typed.dateOfBirth, 'bsn');
      if (answer) await auditLookup(actor, personKey, registerOutcome(answer, problems), 'identification');
      if (problems.length > 0) throw invalidInput(problems);
      const fromRegister = answer?.kind === 'found' ? detailsFromRegister(answer.person, typed) : undefined;
      const details: PersonDetails = fromRegister?.name && fromRegister.dateOfBirth && fromRegister.gender ? (fromRegister as PersonDetails) : typed;
      const prepared: PreparedFiling = { bsn, personKey, details, answer, identification: 'bsn' };
      await rekeyBeforeFiling(db, crypto, prepared);
      await db.transaction().execute(async (trx) => {
        const moved = await moveSignalToPerson(
          trx,
          { audit },
          {
            signalId,
            personKey,
            bsnCiphertext: crypto.encrypt(bsn),
            details,
            now,
            actor,
            matchWithinOrganisation: current.matchWithinOrganisation,
            ...(answer?.kind === 'found' && {
              registered: {
                parentKeys: answer.person.parents.map((parent) => crypto.personKey(parent)),
                addressKey: answer.person.address?.addressObjectId ? crypto.addressKey(answer.person.address.addressObjectId) : null,
              },
            }),
          },
        );
        if (moved.outcome === 'refused') {
          if (moved.refusal === 'not_active') throw signalNotActive();
          if (moved.refusal === 'has_bsn') throw new Problem(409, 'signal_has_bsn', 'Conflict', 'This signal was filed with a BSN already.');
          throw new Problem(
            409,
            'already_signalled',
            'Conflict',
            'You already have an active signal on the person with this BSN. End one of the two signals (the one without a BSN, as care_ended) instead.',
          );
        }
        await applyAnswer(trx, actor, prepared, current, now);
      });
      outboxWritten();
      const view = await ownSignals(db, actor).where('s.id', '=', signalId).executeTakeFirstOrThrow();
      return toView(view, current);
    },

    async get(actor: ProfessionalActor, signalId: string): Promise<SignalView> {
      const now = clock.now();
      const current = await settings.current();
      const view = await db.transaction().execute(async (trx) => {
        const row = await ownSignals(trx, actor).where('s.id', '=', signalId).executeTakeFirst();
        if (!row) return undefined;
        await audit.record(trx, now, { type: 'signal.read', actor, subjectKey: row.person_key, resource: { type: 'signal', id: row.id } });
        return toView(row, current);
      });
      if (view) return view;
      // Audited outside the transaction: a record written in it would go when the 404 rolls it back.
      await audit.record(db, now, { type: 'signal.read', outcome: 'not_found', actor, resource: { type: 'signal', id: signalId } });
      throw notFound('signal');
    },

    list,

    /**
     * A page of the professional's signals as someone browsing them sees it: the page (audited as
     * `list` does) and how many signals the whole list holds with the same filters, read in one
     * transaction. One count over the professional's own signals, never the whole index.
     */
    async page(actor: ProfessionalActor, query: Omit<SignalListQuery, 'ids'>, within?: Transaction<DB>): Promise<CountedPage<SignalView>> {
      // The settings before the transaction: read for the first time from inside it, they would wait on
      // PGlite for the one connection that transaction holds (list reads them too).
      await settings.current();
      return inTransaction(db, within, async (trx) => {
        const page = await list(actor, query, trx);
        const counted = await trx
          .selectFrom('signals as s')
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .where(matchesFilters(actor, query))
          .executeTakeFirstOrThrow();
        return { ...page, ...exactTotal(Number(counted.n)) };
      });
    },

    /**
     * How many active and ended or expired signals the professional has, and how many active ones end
     * before `expiringBefore`: one statement, for the start page's "all n signals" links. Counts of
     * ids only; no personal data is read, so nothing is audited.
     */
    async counts(actor: ProfessionalActor, query: { expiringBefore: Date }, within?: Transaction<DB>): Promise<SignalCounts> {
      const row = await (within ?? db)
        .selectFrom('signals as s')
        .select((eb) => [
          eb.fn.countAll<number | string>().filterWhere('s.status', '=', 'active').as('active'),
          eb.fn.countAll<number | string>().filterWhere('s.status', '<>', 'active').as('inactive'),
          eb.fn
            .countAll<number | string>()
            .filterWhere((e) => e.and([e('s.status', '=', 'active'), e('s.active_until', '<=', query.expiringBefore)]))
            .as('expiring'),
        ])
        .where('s.professional_id', '=', actor.professionalId)
        .where('s.organisation_id', '=', actor.organisationId)
        .executeTakeFirstOrThrow();
      return { active: Number(row.active), inactive: Number(row.inactive), expiring: Number(row.expiring) };
    },

    async end(actor: ProfessionalActor, signalId: string, reason: EndReasonInput): Promise<SignalView | null> {
      const now = clock.now();
      const current = await settings.current();
      const ended = await db.transaction().execute(async (trx) => {
        const found = await trx
          .selectFrom('signals')
          .select(['person_key'])
          .where('id', '=', signalId)
          .where('professional_id', '=', actor.professionalId)
          .executeTakeFirst();
        if (!found) return NOT_FOUND;
        await lockPerson(trx, found.person_key);
        const signal = await ownSignals(trx, actor).where('s.id', '=', signalId).executeTakeFirstOrThrow();
        const step = await endSignal(trx, { audit, settings: current }, { signal, reason, now, actor });
        if (step.outcome === 'refused') throw conflict('This signal has already ended.');
        if (step.outcome === 'purged') return null;
        return toView({ ...step.signal, match_id: null, identification: signal.identification }, current);
      });
      if (ended === NOT_FOUND) {
        // Audited outside the transaction: a record written in it would go when the 404 rolls it back.
        await audit.record(db, now, { type: 'signal.ended', outcome: 'not_found', actor, resource: { type: 'signal', id: signalId } });
        throw notFound('signal');
      }
      outboxWritten();
      return ended;
    },

    /**
     * Extends the professional's active signal by the set period, within the window before its end
     * date and the regime's limits (lifetime.ts, signal-lifecycle.ts); a 409 with a code says why not.
     */
    async extend(actor: ProfessionalActor, signalId: string, reason: ExtensionReason): Promise<SignalView> {
      const now = clock.now();
      const current = await settings.current();
      const extended = await underPersonLock(actor, signalId, async (trx, signal) => {
        const step = await extendSignal(trx, { audit }, { signal, reason, rules: extensionRules(current), now, actor });
        if (step.outcome === 'refused') throw extensionRefused(step.refusal);
        return toView({ ...step.signal, match_id: signal.match_id, identification: signal.identification }, current);
      });
      if (extended === NOT_FOUND) {
        // Audited outside the transaction: a record written in it would go when the 404 rolls it back.
        await audit.record(db, now, { type: 'signal.extended', outcome: 'not_found', actor, resource: { type: 'signal', id: signalId } });
        throw notFound('signal');
      }
      outboxWritten();
      return extended;
    },

    /**
     * Records, for a signal filed with informing postponed, that the person was informed (who, when)
     * or why not yet. 422 for a record that does not fit (date, who by age); 409 when there is
     * nothing postponed to record.
     */
    async recordInforming(actor: ProfessionalActor, signalId: string, record: InformingRecord): Promise<SignalView> {
      const now = clock.now();
      const current = await settings.current();
      const recorded = await underPersonLock(actor, signalId, async (trx, signal) => {
        const step = await recordInforming(trx, { audit }, { signal, record, now, actor });
        if (step.outcome === 'invalid') throw invalidInput(step.problems);
        if (step.outcome === 'refused') {
          throw step.refusal === 'state'
            ? signalNotActive()
            : new Problem(409, 'informing_not_postponed', 'Conflict', 'Informing was not postponed when this signal was filed: there is nothing to record.');
        }
        return toView({ ...step.signal, match_id: signal.match_id, identification: signal.identification }, current);
      });
      if (recorded === NOT_FOUND) {
        await audit.record(db, now, { type: 'signal.informing_recorded', outcome: 'not_found', actor, resource: { type: 'signal', id: signalId } });
        throw notFound('signal');
      }
      outboxWritten();
      return recorded;
    },

    /**
     * For the municipality's follow-up view: how many active signals wait for postponed informing to
     * be recorded, and how many of them are past the follow-up period. Figures only, small ones
     * suppressed (null: 1 to 4), as the coordination figures are.
     */
    async informingFigures(actor: StaffActor): Promise<{ open: number | null; due: number | null; followUpDays: number }> {
      if (!actor.roles.includes('municipality_admin') && !actor.roles.includes('escalation_officer')) throw forbidden("This is for the municipality's staff.");
      const now = clock.now();
      const { informingFollowUpDays } = await settings.current();
      const dueBefore = new Date(now.getTime() - informingFollowUpDays * DAY);
      const row = await sql<{ open: number; due: number }>`
        select count(*)::int as open,
               count(*) filter (where greatest(filed_at, informing_deferred_at) <= ${dueBefore})::int as due
          from signals
         where status = 'active' and legal_basis ->> 'basis' = 'informing_postponed'`.execute(db);
      const { open, due } = row.rows[0]!;
      await audit.record(db, now, { type: 'signal.informing_figures_read', actor });
      return { open: suppressed(open), due: suppressed(due), followUpDays: informingFollowUpDays };
    },
  };

  /**
   * Runs `work` on the professional's own signal read under the person lock, or gives NOT_FOUND
   * (another professional's signal, or no such id: the same answer).
   */
  async function underPersonLock<T>(actor: ProfessionalActor, signalId: string, work: (trx: Transaction<DB>, signal: SignalRow & RowExtras) => Promise<T>) {
    return db.transaction().execute(async (trx) => {
      const found = await trx
        .selectFrom('signals')
        .select(['person_key'])
        .where('id', '=', signalId)
        .where('professional_id', '=', actor.professionalId)
        .where('organisation_id', '=', actor.organisationId)
        .executeTakeFirst();
      if (!found) return NOT_FOUND;
      await lockPerson(trx, found.person_key);
      const signal = await ownSignals(trx, actor).where('s.id', '=', signalId).executeTakeFirstOrThrow();
      return work(trx, signal);
    });
  }
}

const DAY = 86_400_000;

const signalNotActive = () =>
  new Problem(409, 'signal_not_active', 'Conflict', 'This signal is no longer active. If you are still involved, file a new signal.');

/** Why a signal cannot be extended, as a problem with a stable code. */
function extensionRefused(refusal: LifecycleRefusal): Problem {
  switch (refusal) {
    case 'not_due':
      return new Problem(
        409,
        'extension_not_yet',
        'Conflict',
        "A signal can be extended only in the period before its end date (the municipality's expiryNoticeDays); see extension.opensAt.",
      );
    case 'switched_off':
      return new Problem(409, 'extension_switched_off', 'Conflict', 'The municipality does not allow extending signals.');
    case 'age_limit':
      return new Problem(
        409,
        'extension_age_limit',
        'Conflict',
        "Under the youth regime a signal ends at the latest at the start of the person's 23rd birthday, and this one already does.",
      );
    default:
      return signalNotActive();
  }
}

type RegisterAnswer = { kind: 'found'; person: RegisteredPerson } | { kind: 'unknown' } | { kind: 'unavailable' };
type RegisterOutcome = 'found' | 'unknown' | 'deceased' | 'mismatch' | 'unavailable';
/** What filing goes on with; no BSN for a person identified by details (and then no register answer either). */
type PreparedFiling = {
  bsn: Bsn | undefined;
  personKey: Buffer;
  details: PersonDetails;
  answer: RegisterAnswer | undefined;
  identification: IdentifiedBy;
  /** The text a person without a BSN is keyed on (identity-without-bsn.ts), for a key rotation running. */
  identity?: string;
};

/**
 * While a pseudonym key rotation runs: the person, their registered parents and home address
 * re-keyed now if not yet (persons/key-rotation.ts), so that the filing finds the rows they have.
 */
function rekeyBeforeFiling(db: Kysely<DB>, crypto: PersonCrypto, prepared: PreparedFiling): Promise<void> {
  const person = prepared.answer?.kind === 'found' ? prepared.answer.person : undefined;
  return ensureRekeyed(db, crypto, {
    bsns: [...(prepared.bsn ? [prepared.bsn] : []), ...(person?.parents ?? [])],
    identities: prepared.identity ? [prepared.identity] : [],
    addressObjectIds: [person?.address?.addressObjectId],
  });
}

function registerOutcome(answer: RegisterAnswer, problems: InvalidParam[]): RegisterOutcome {
  if (answer.kind !== 'found') return answer.kind;
  if (problems.some((p) => p.code === 'person_deceased')) return 'deceased';
  if (problems.some((p) => p.code === 'date_of_birth_mismatch')) return 'mismatch';
  return 'found';
}

/** A name sent without given names: they may be left out for an unborn child only. */
function givenNamesProblems(person: FileSignalInput['person']): InvalidParam[] {
  if (!person.name || person.name.givenNames) return [];
  return [{ name: 'person.name.givenNames', code: 'required', reason: 'The given names are required (they may be left out for an unborn child only).' }];
}

/** The person's details as typed (no BSN, no mother's BSN); given names may be missing only for an unborn child (checked in prepare). */
function withoutBsn(person: FileSignalInput['person']): Partial<PersonDetails> & { name?: { givenNames?: string } } {
  const { bsn: _bsn, identifiedBy: _identifiedBy, motherBsn: _motherBsn, ...details } = person;
  return details as Partial<PersonDetails>;
}

/**
 * The details a signal holds when the register knows the person: name, date of birth, gender and
 * address from the register (what the professional typed only where the register has nothing: a
 * date of birth it knows only partly, gender unknown, an incomplete address). A confidential record
 * (geheimhouding) gets no address at all, not even a typed one.
 */
export function detailsFromRegister(person: RegisteredPerson, typed: Partial<PersonDetails>): Partial<PersonDetails> {
  const details: Partial<PersonDetails> = { name: { ...person.name } };
  if (!details.name?.familyNamePrefix) delete details.name?.familyNamePrefix;
  const dateOfBirth = person.dateOfBirth ?? typed.dateOfBirth;
  if (dateOfBirth) details.dateOfBirth = dateOfBirth;
  const gender = person.gender === 'unknown' ? (typed.gender ?? 'unknown') : person.gender;
  details.gender = gender;
  if (!person.confidential) {
    const address = person.address && addressOf(person.address);
    if (address) details.address = address;
    else if (typed.address) details.address = typed.address;
  }
  return details;
}

/** The register's address in the shape a signal holds, when it is complete enough for it. */
function addressOf(address: RegisteredAddress): Address | undefined {
  const { street, houseNumber, postcode, city } = address;
  if (!street || !houseNumber || !postcode || !city || !/^[1-9][0-9]{0,4}$/.test(houseNumber)) return undefined;
  const compact = postcode.replace(/\s+/g, '').toUpperCase();
  if (!/^[1-9][0-9]{3}[A-Z]{2}$/.test(compact)) return undefined;
  return {
    street,
    houseNumber,
    ...(address.houseNumberAddition && { houseNumberAddition: address.houseNumberAddition.slice(0, 10) }),
    postcode: `${compact.slice(0, 4)} ${compact.slice(4)}`,
    city,
  };
}

const MISSING_REASONS = {
  no_register: 'This field is required: SluiS has no population register to take it from.',
  register_incomplete: 'This field is required: the population register does not hold it for this person.',
  register_unavailable: 'This field is required while the population register cannot be reached; SluiS verifies the BSN later.',
  without_bsn: 'This field is required for a person without a BSN: family name, date of birth and gender identify them.',
} as const;

/** The person details that are required and missing, each named (person.name, person.dateOfBirth, person.gender). */
function missingFields(person: object, why: keyof typeof MISSING_REASONS): InvalidParam[] {
  return (['name', 'dateOfBirth', 'gender'] as const)
    .filter((field) => !(field in person) || (person as Record<string, unknown>)[field] === undefined)
    .map((field) => ({ name: `person.${field}`, code: 'required', reason: MISSING_REASONS[why] }));
}

/** The rules of age and regime: what consent or informing record is required, and who may be signalled. */
function ruleProblems(dateOfBirth: string, legalBasis: LegalBasis, signalDate: string, current: Settings): InvalidParam[] {
  const problems: InvalidParam[] = [];
  if (current.regime === 'youth' && dateOfBirth <= signalDate && !isWithinYouthRegime(dateOfBirth, signalDate)) {
    problems.push({
      name: 'person.dateOfBirth',
      code: 'outside_youth_regime',
      reason: 'This reference index is for young people under 23; the person is 23 or older on the signal date.',
    });
  }
  problems.push(...checkLegalBasis({ dateOfBirth, signalDate, legalBasis }));
  return problems;
}

/**
 * Finding a signal by the professional's own client reference: the whole reference or its beginning,
 * regardless of case. The reference is whatever the organisation chose (it may hold anything), so it
 * travels in a form post or a request body only, never in a URL, a log line or the audit trail.
 */
export type ClientReferenceSearch = { text: string; match: 'exact' | 'prefix' };

export type SignalListQuery = {
  status?: 'active' | 'inactive';
  limit: number;
  cursor?: string;
  /** Items skipped: the web pages' page numbers (the API pages by cursor). */
  offset?: number;
  ids?: readonly string[];
  expiringBefore?: Date;
  clientReference?: ClientReferenceSearch;
};

export type SignalCounts = { active: number; inactive: number; expiring: number };

/** A search's cursor is refused by the plain list, and the other way round: the two lists differ. */
const cursorListOf = (query: SignalListQuery) => (query.clientReference ? 'signal-search' : 'signals');

type SignalsExpressions = ExpressionBuilder<DB & { s: DB['signals'] }, 's'>;

/** The list's filters on the professional's own signals (not its order or page), for the list and its count alike. */
const matchesFilters =
  (actor: ProfessionalActor, query: Omit<SignalListQuery, 'ids'>) =>
  (eb: SignalsExpressions): Expression<SqlBool> => {
    const conditions: Expression<SqlBool>[] = [eb('s.professional_id', '=', actor.professionalId), eb('s.organisation_id', '=', actor.organisationId)];
    if (query.status === 'active' || query.expiringBefore) conditions.push(eb('s.status', '=', 'active'));
    if (query.status === 'inactive') conditions.push(eb('s.status', '<>', 'active'));
    if (query.expiringBefore) conditions.push(eb('s.active_until', '<=', query.expiringBefore));
    const reference = query.clientReference;
    if (reference?.match === 'exact') conditions.push(sql<SqlBool>`lower(s.client_reference) = lower(${reference.text})`);
    if (reference?.match === 'prefix') conditions.push(sql<SqlBool>`starts_with(lower(s.client_reference), lower(${reference.text}))`);
    return eb.and(conditions);
  };

function ownSignals(db: Kysely<DB>, actor: ProfessionalActor) {
  return db
    .selectFrom('signals as s')
    .innerJoin('persons as p', 'p.person_key', 's.person_key')
    .leftJoin('match_participants as mp', (join) => join.onRef('mp.signal_id', '=', 's.id').on('mp.left_at', 'is', null).on('mp.kind', '=', 'person'))
    .selectAll('s')
    .select(['mp.match_id', 'p.identification'])
    .where('s.professional_id', '=', actor.professionalId)
    .where('s.organisation_id', '=', actor.organisationId);
}

type SignalRow = {
  id: string;
  status: SignalView['status'];
  filed_at: Date;
  active_until: Date;
  ended_at: Date | null;
  end_reason: EndReason | null;
  client_reference: string | null;
  match_id: string | null;
  person_details: unknown;
  legal_basis: unknown;
  identification: IdentifiedBy;
};

/** What the view reads of a signal beyond SignalRow (selectAll gives it). */
type RowExtras = {
  person_key: Uint8Array;
  organisation_id: string;
  professional_id: string;
  retain_until: Date | null;
  person_date_of_birth: string;
  extended_at: Date | null;
  informing_deferred_at: Date | null;
};

function toView(row: SignalRow & RowExtras, current: Settings): SignalView {
  const active = row.status === 'active';
  const offer = active ? extensionOffer({ activeUntil: row.active_until, dateOfBirth: row.person_date_of_birth }, extensionRules(current)) : undefined;
  const postponed = active && (row.legal_basis as LegalBasis).basis === 'informing_postponed';
  return {
    id: row.id,
    status: row.status,
    filedAt: row.filed_at,
    activeUntil: row.active_until,
    endedAt: row.ended_at,
    endReason: row.end_reason,
    clientReference: row.client_reference,
    matchId: row.match_id,
    person: row.status === 'active' ? (row.person_details as PersonDetails) : null,
    identifiedBy: row.identification,
    legalBasis: row.legal_basis as LegalBasis,
    extendedAt: row.extended_at,
    extension: offer?.ok ? { opensAt: offer.opensAt, until: offer.until } : null,
    informingDueAt: postponed
      ? informingDueAt({ filedAt: row.filed_at, deferredAt: row.informing_deferred_at, followUpDays: current.informingFollowUpDays })
      : null,
  };
}
