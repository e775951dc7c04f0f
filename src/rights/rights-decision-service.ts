/**
 * Carrying out a decision on a rights request at once (seed 004 art. 15.6; docs/rights.md, "Carrying
 * out a decision"): the municipality's administrators and privacy officers — nobody else — carry out a
 * granted or partly granted decision once, under the person lock, with the lifecycle's own steps:
 *
 * - objection upheld: every signal on the person ends as objection_upheld and is purged at once (the
 *   end step; the history the end step cannot reach goes by the erase step);
 * - erasure: every signal goes by the erase step (leaving its matches, the purge cascade), then what is
 *   left of the person — their own statement, register data, the person record; the audit trail keeps
 *   the pseudonym and the fact, and the request itself stays as the record of the decision;
 * - restriction: the person is marked restricted (no new person, family or address matches, no match
 *   notifications; the signals are kept); lifting it is a step of its own, which lets matching catch up;
 * - correction: the person details on every active signal on the person (which fields changed is
 *   audited, never the values);
 * - own statement: the person's own words, sealed at rest, shown to the professionals with an active
 *   signal on the person.
 *
 * Each is made known to the professionals concerned through the outbox (rights.decision_carried_out, a
 * mail without person data, linking to their signal while it exists). Every step is audited with the
 * person key as subject. The professionals' pages read the restriction and the statement here.
 */
import { type Kysely, sql } from 'kysely';
import { type AuditLog, traceSetting } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { matchAddress } from '../matches/address-matching.ts';
import { matchFamilies } from '../matches/family-matching.ts';
import { type PersonCrypto, SEALED_TEXT_PURPOSES } from '../persons/identity-keys.ts';
import { lockPerson } from '../persons/person-lock.ts';
import type { Settings, SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { isValidIsoDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, forbidden, type InvalidParam, invalidInput, notFound } from '../shared/errors.ts';
import { isStorableText } from '../shared/text.ts';
import { endSignal, eraseSignals, purgePersonIfUnreferenced, STEP_COLUMNS, type StepSignal } from '../signals/signal-steps.ts';
import type { PersonDetails } from '../signals/signal-types.ts';
import { mayHandleRights } from './rights-request-service.ts';
import {
  type CorrectableField,
  changedFields,
  type Decision,
  type ExecutableKind,
  executionProblem,
  liftProblem,
  type RequestKind,
  type RequestStatus,
  STATEMENT_MAX_LENGTH,
} from './rights-rules.ts';

/** The sealed statement's purpose (bound into the ciphertext: it opens for this use only). */
const STATEMENT_PURPOSE = SEALED_TEXT_PURPOSES.personStatement;

/** A correction: the fields to change (the others stay as each signal holds them). */
export type Correction = Partial<Pick<PersonDetails, 'name' | 'dateOfBirth' | 'gender' | 'address'>>;

/** What a decision needs beyond the request itself: the corrected details, or the statement. */
export type ExecutionInput = { correction?: Correction | undefined; statement?: string | undefined };

export type ExecutionView = {
  requestId: string;
  kind: ExecutableKind | 'restriction_lifted';
  carriedOutAt: Date;
  /** How many signals the decision touched (purged, restricted, corrected, shown the statement). */
  signals: number;
  /** How many professionals were told (mails through the outbox). */
  notified: number;
};

/** What a professional's signal page shows of a rights decision: the restriction, and the person's own statement. */
export type SignalRightsNotices = { restrictedAt: Date | null; statement: { text: string; addedAt: Date } | null };

export type RightsDecisionService = ReturnType<typeof createRightsDecisionService>;

type RequestRow = {
  id: string;
  person_key: Uint8Array;
  kind: string;
  status: string;
  decision: string | null;
  carried_out_at: Date | null;
  restriction_lifted_at: Date | null;
};

type DetailedSignal = StepSignal & { person_details: unknown };

export function createRightsDecisionService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  crypto: PersonCrypto;
  settings: SettingsService;
  onOutbox?: () => void;
}) {
  const { db, clock, audit, crypto } = deps;

  function authorise(actor: StaffActor) {
    if (!mayHandleRights(actor.roles)) throw forbidden("Carrying out decisions is for the municipality's administrators and privacy officers.");
  }

  async function lockedRequest(trx: Kysely<DB>, id: string): Promise<RequestRow> {
    const row = await trx
      .selectFrom('rights_requests')
      .select(['id', 'person_key', 'kind', 'status', 'decision', 'carried_out_at', 'restriction_lifted_at'])
      .where('id', '=', id)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('rights request');
    return row;
  }

  const signalsOf = (trx: Kysely<DB>, personKey: Uint8Array): Promise<DetailedSignal[]> =>
    trx
      .selectFrom('signals')
      .select([...STEP_COLUMNS, 'person_details'])
      .where('person_key', '=', personKey)
      .orderBy('filed_at')
      .orderBy('id')
      .execute();

  /**
   * The mails of a decision carried out: one per active signal, linking to it, for a decision that
   * keeps the signals; one per professional, without a link, for one that purges them.
   */
  async function tell(trx: Kysely<DB>, now: Date, decision: ExecutionView['kind'], signals: DetailedSignal[], purged: boolean): Promise<number> {
    const rows = purged
      ? [...new Map(signals.map((s) => [s.professional_id, { professional_id: s.professional_id, organisation_id: s.organisation_id }])).values()].map((s) => ({
          ...s,
          payload: { decision },
        }))
      : signals
          .filter((s) => s.status === 'active')
          .map((s) => ({ professional_id: s.professional_id, organisation_id: s.organisation_id, payload: { decision, signalId: s.id } }));
    if (rows.length === 0) return 0;
    await trx
      .insertInto('outbox')
      .values(
        rows.map((row) => ({
          created_at: now,
          event_type: 'rights.decision_carried_out' as const,
          recipient_professional_id: row.professional_id,
          organisation_id: row.organisation_id,
          payload: JSON.stringify(row.payload),
        })),
      )
      .execute();
    return rows.length;
  }

  function statementOf(input: ExecutionInput): string {
    const text = (input.statement ?? '').trim();
    const problems: InvalidParam[] = [];
    if (text.length === 0) problems.push({ name: 'statement', code: 'required', reason: "The person's own statement, in their own words" });
    else if (text.length > STATEMENT_MAX_LENGTH) problems.push({ name: 'statement', code: 'too_long', reason: `At most ${STATEMENT_MAX_LENGTH} characters` });
    else if (!isStorableText(text)) problems.push({ name: 'statement', code: 'unstorable', reason: 'Text without NUL or lone surrogates' });
    if (problems.length > 0) throw invalidInput(problems);
    return text;
  }

  function correctionOf(input: ExecutionInput): Correction {
    const correction = input.correction ?? {};
    const problems: InvalidParam[] = [];
    if (Object.values(correction).every((value) => value === undefined))
      problems.push({ name: 'correction', code: 'required', reason: 'At least one of name, dateOfBirth, gender, address' });
    if (correction.dateOfBirth !== undefined && !isValidIsoDate(correction.dateOfBirth))
      problems.push({ name: 'correction.dateOfBirth', code: 'format', reason: 'A date' });
    if (problems.length > 0) throw invalidInput(problems);
    return correction;
  }

  function inputProblems(kind: ExecutableKind, input: ExecutionInput) {
    const problems: InvalidParam[] = [];
    if (kind !== 'correction' && input.correction !== undefined)
      problems.push({ name: 'correction', code: 'not_allowed', reason: 'Only for a correction request' });
    if (kind !== 'own_statement' && input.statement !== undefined)
      problems.push({ name: 'statement', code: 'not_allowed', reason: 'Only for an own statement request' });
    if (problems.length > 0) throw invalidInput(problems);
  }

  async function personRow(trx: Kysely<DB>, personKey: Uint8Array) {
    return trx.selectFrom('persons').select(['person_key', 'restricted_at']).where('person_key', '=', personKey).executeTakeFirst();
  }

  const notInIndex = () => conflict('SluiS holds no signal on this person: there is nothing to carry this decision out on.');

  /** The matching a restriction held back, once it is lifted: the person match of each active signal not in one, then family and address. */
  async function catchUpMatching(trx: Kysely<DB>, personKey: Uint8Array, now: Date, actor: StaffActor, current: Settings) {
    const active = await trx
      .selectFrom('signals')
      .select('id')
      .where('person_key', '=', personKey)
      .where('status', '=', 'active')
      .orderBy('filed_at')
      .orderBy('id')
      .execute();
    for (const { id } of active) {
      const inOpenMatch = await trx
        .selectFrom('match_participants as mp')
        .innerJoin('matches as m', 'm.id', 'mp.match_id')
        .select('mp.match_id')
        .where('mp.signal_id', '=', id)
        .where('m.kind', '=', 'person')
        .where('m.status', '=', 'open')
        .where('mp.left_at', 'is', null)
        .executeTakeFirst();
      if (inOpenMatch) continue;
      // The one step filing uses (migration 0033): joins the open person match, or makes one with every active signal.
      await sql`select sluis_join_person_match(${now}, ${personKey}, ${id}::uuid, ${current.matchWithinOrganisation}) from ${traceSetting()} as trace`.execute(
        trx,
      );
    }
    await matchFamilies(trx, { audit }, { personKey, now, actor, settings: current });
    await matchAddress(trx, { audit }, { personKey, now, actor, settings: current });
  }

  return {
    /** Carries out the (partly) granted decision of a request, once; 409 when it cannot be (not decided, refused, done already, nothing held). */
    async carryOut(actor: StaffActor, requestId: string, input: ExecutionInput = {}): Promise<ExecutionView> {
      authorise(actor);
      const now = clock.now();
      const current = await deps.settings.current();
      const view = await db.transaction().execute(async (trx) => {
        const request = await lockedRequest(trx, requestId);
        const kind = request.kind as RequestKind;
        const problem = executionProblem({
          kind,
          status: request.status as RequestStatus,
          decision: request.decision as Decision | null,
          carriedOutAt: request.carried_out_at,
        });
        if (problem === 'not_executable') throw conflict('SluiS does not carry out this kind of request: it is answered with the report, or outside SluiS.');
        if (problem === 'not_decided') throw conflict('Record the decision before carrying it out.');
        if (problem === 'refused') throw conflict('A refused request is not carried out.');
        if (problem === 'already_carried_out') throw conflict('The decision has been carried out already.');
        const executable = kind as ExecutableKind;
        inputProblems(executable, input);
        const personKey = request.person_key;
        await lockPerson(trx, personKey);
        const signals = await signalsOf(trx, personKey);
        const stepDeps = { audit, settings: current };
        const subject = { actor, subjectKey: personKey };
        let notified = 0;
        let touched = signals.length;

        switch (executable) {
          case 'objection': {
            notified = await tell(trx, now, 'objection', signals, true);
            // The history the end step cannot reach goes by the erase step; the active signals end as objection upheld (purged at once).
            await eraseSignals(trx, stepDeps, {
              personKey,
              signals: signals.filter((s) => s.status !== 'active'),
              reason: 'objection_upheld',
              now,
              actor,
            });
            for (const signal of signals.filter((s) => s.status === 'active')) {
              const ended = await endSignal(trx, stepDeps, { signal, reason: 'objection_upheld', now, actor });
              if (ended.outcome !== 'purged') throw new Error('An upheld objection purges the signal at once');
            }
            break;
          }
          case 'erasure': {
            notified = await tell(trx, now, 'erasure', signals, true);
            await eraseSignals(trx, stepDeps, { personKey, signals, reason: 'erasure', now, actor });
            // What is left of the person: their statement (and, by cascade, register data and verification) with the record itself.
            await trx.deleteFrom('person_statements').where('person_key', '=', personKey).execute();
            await purgePersonIfUnreferenced(trx, { audit }, { personKey, now, actor });
            await audit.record(trx, now, { type: 'rights.person_erased', ...subject, details: { signals: signals.length } });
            break;
          }
          case 'restriction': {
            if (!(await personRow(trx, personKey))) throw notInIndex();
            await trx.updateTable('persons').set({ restricted_at: now }).where('person_key', '=', personKey).execute();
            await audit.record(trx, now, { type: 'rights.person_restricted', ...subject, resource: { type: 'rights_request', id: request.id } });
            notified = await tell(trx, now, 'restriction', signals, false);
            break;
          }
          case 'correction': {
            const correction = correctionOf(input);
            const active = signals.filter((s) => s.status === 'active');
            if (active.length === 0) throw conflict('The person has no active signal whose details could be corrected.');
            for (const signal of active) {
              const before = signal.person_details as Record<string, unknown>;
              const after = { ...before, ...Object.fromEntries(Object.entries(correction).filter(([, value]) => value !== undefined)) };
              const changed: CorrectableField[] = changedFields(before, after);
              if (changed.length === 0) continue;
              await trx
                .updateTable('signals')
                .set({
                  person_details: JSON.stringify(after),
                  ...(correction.dateOfBirth !== undefined && { person_date_of_birth: correction.dateOfBirth }),
                })
                .where('id', '=', signal.id)
                .execute();
              await audit.record(trx, now, {
                type: 'rights.details_corrected',
                ...subject,
                organisationId: signal.organisation_id,
                resource: { type: 'signal', id: signal.id },
                details: { changed: changed.join(',') },
              });
            }
            touched = active.length;
            notified = await tell(trx, now, 'correction', signals, false);
            break;
          }
          case 'own_statement': {
            const text = statementOf(input);
            if (!(await personRow(trx, personKey))) throw notInIndex();
            const sealed = crypto.sealText(text, STATEMENT_PURPOSE);
            await trx
              .insertInto('person_statements')
              .values({ person_key: personKey, statement_ciphertext: sealed, rights_request_id: request.id, added_at: now })
              .onConflict((oc) => oc.column('person_key').doUpdateSet({ statement_ciphertext: sealed, rights_request_id: request.id, added_at: now }))
              .execute();
            await audit.record(trx, now, { type: 'rights.statement_added', ...subject, resource: { type: 'rights_request', id: request.id } });
            touched = signals.filter((s) => s.status === 'active').length;
            notified = await tell(trx, now, 'own_statement', signals, false);
            break;
          }
        }

        await trx.updateTable('rights_requests').set({ carried_out_at: now }).where('id', '=', request.id).execute();
        await audit.record(trx, now, {
          type: 'rights.decision_carried_out',
          ...subject,
          resource: { type: 'rights_request', id: request.id },
          details: { requestKind: kind, signals: touched, count: notified },
        });
        return { requestId: request.id, kind: executable, carriedOutAt: now, signals: touched, notified } satisfies ExecutionView;
      });
      deps.onOutbox?.();
      return view;
    },

    /** Lifts a restriction carried out earlier (a later decision, or the end of its reason): matching catches up, the professionals are told. */
    async liftRestriction(actor: StaffActor, requestId: string): Promise<ExecutionView> {
      authorise(actor);
      const now = clock.now();
      const current = await deps.settings.current();
      const view = await db.transaction().execute(async (trx) => {
        const request = await lockedRequest(trx, requestId);
        const problem = liftProblem({ kind: request.kind as RequestKind, carriedOutAt: request.carried_out_at, liftedAt: request.restriction_lifted_at });
        if (problem === 'not_restriction') throw conflict('Only a restriction can be lifted.');
        if (problem === 'not_carried_out') throw conflict('The restriction has not been carried out.');
        if (problem === 'already_lifted') throw conflict('The restriction has been lifted already.');
        const personKey = request.person_key;
        await lockPerson(trx, personKey);
        await trx.updateTable('persons').set({ restricted_at: null }).where('person_key', '=', personKey).execute();
        await trx.updateTable('rights_requests').set({ restriction_lifted_at: now }).where('id', '=', request.id).execute();
        await audit.record(trx, now, { type: 'rights.restriction_lifted', actor, subjectKey: personKey, resource: { type: 'rights_request', id: request.id } });
        const signals = await signalsOf(trx, personKey);
        if (signals.length > 0) await catchUpMatching(trx, personKey, now, actor, current);
        const notified = await tell(trx, now, 'restriction_lifted', signals, false);
        return {
          requestId: request.id,
          kind: 'restriction_lifted' as const,
          carriedOutAt: now,
          signals: signals.filter((s) => s.status === 'active').length,
          notified,
        };
      });
      deps.onOutbox?.();
      return view;
    },

    /**
     * For the professional's own signal page: whether the person's processing is restricted, and the
     * person's own statement — only on an active signal of theirs (404 for another's); each shown is audited.
     */
    async noticesForSignal(actor: ProfessionalActor, signalId: string): Promise<SignalRightsNotices> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const signal = await trx
          .selectFrom('signals as s')
          .innerJoin('persons as p', 'p.person_key', 's.person_key')
          .leftJoin('person_statements as st', 'st.person_key', 's.person_key')
          .select(['s.id', 's.status', 's.person_key', 'p.restricted_at', 'st.statement_ciphertext', 'st.added_at'])
          .where('s.id', '=', signalId)
          .where('s.professional_id', '=', actor.professionalId)
          .where('s.organisation_id', '=', actor.organisationId)
          .executeTakeFirst();
        if (!signal) throw notFound('signal');
        if (signal.status !== 'active') return { restrictedAt: null, statement: null };
        const about = { actor, organisationId: actor.organisationId, subjectKey: signal.person_key, resource: { type: 'signal' as const, id: signal.id } };
        if (signal.restricted_at) await audit.record(trx, now, { type: 'rights.restriction_read', ...about });
        let statement: SignalRightsNotices['statement'] = null;
        if (signal.statement_ciphertext && signal.added_at) {
          statement = { text: crypto.openText(signal.statement_ciphertext, STATEMENT_PURPOSE), addedAt: signal.added_at };
          await audit.record(trx, now, { type: 'rights.statement_read', ...about });
        }
        return { restrictedAt: signal.restricted_at, statement };
      });
    },

    /**
     * For the match page: whether the processing of the match's person is restricted — a person match
     * only (a family or address match would tell of another person), for a professional with an active
     * signal in it; null otherwise. Audited when shown.
     */
    async restrictionOfMatch(actor: ProfessionalActor, matchId: string): Promise<Date | null> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .selectFrom('matches as m')
          .innerJoin('persons as p', 'p.person_key', 'm.person_key')
          .innerJoin('match_participants as mp', 'mp.match_id', 'm.id')
          .innerJoin('signals as s', 's.id', 'mp.signal_id')
          .select(['m.id', 'm.person_key', 'p.restricted_at'])
          .where('m.id', '=', matchId)
          .where('m.kind', '=', 'person')
          .where('s.professional_id', '=', actor.professionalId)
          .where('s.organisation_id', '=', actor.organisationId)
          .where('s.status', '=', 'active')
          .executeTakeFirst();
        if (!row?.restricted_at) return null;
        await audit.record(trx, now, {
          type: 'rights.restriction_read',
          actor,
          organisationId: actor.organisationId,
          subjectKey: row.person_key,
          resource: { type: 'match', id: row.id },
        });
        return row.restricted_at;
      });
    },
  };
}
