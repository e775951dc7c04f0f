/**
 * The register of rights requests (docs/rights.md): the municipality's staff — administrators and
 * privacy officers, nobody else — register a person's request, take it through its steps, extend its
 * deadline once, record the decision and the letter; a professional passes a person's request on from
 * their own signal. Every step is audited with the person key as subject. A request about a person is
 * personal data itself: it holds the person key (and the encrypted BSN), never shows either, and is
 * deleted rightsRequestRetentionMonths after it is closed (purgeDue, run by the sweep).
 */
import type { Kysely, Selectable } from 'kysely';
import { countRightsRequest } from '../administration/figure-events.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, RightsRequestsTable } from '../db/schema.ts';
import type { Bsn } from '../persons/bsn.ts';
import type { PersonCrypto } from '../persons/identity-keys.ts';
import { type IdentityDetails, identityWithoutBsn } from '../persons/identity-without-bsn.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor, StaffActor, StaffRole } from '../shared/actor.ts';
import { addMonths, amsterdamDate, type IsoDate, isValidIsoDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, forbidden, type InvalidParam, invalidInput, notFound } from '../shared/errors.ts';
import {
  type Channel,
  compareForList,
  DECISION_REASONS,
  type Decision,
  type DecisionReason,
  decisionProblems,
  dueOn,
  EXTENSION_REASONS,
  type ExtensionReason,
  extensionProblem,
  type IdentityCheck,
  letterProblem,
  type Requester,
  type RequestKind,
  type RequestStatus,
  requesterFor,
  requesterProblem,
  transitionProblem,
  type Urgency,
  urgency,
} from './rights-rules.ts';

/** Who does the municipality's rights work. */
export const RIGHTS_ROLES: readonly StaffRole[] = ['municipality_admin', 'privacy_officer'];
export const mayHandleRights = (roles: readonly StaffRole[]) => roles.some((role) => RIGHTS_ROLES.includes(role));

/** A case number (zaaknummer): letters, digits and . / _ -, at most 40; never free text about the person. */
export const CASE_NUMBER = /^[A-Za-z0-9][A-Za-z0-9./_-]{0,39}$/;

/** The person a request is about: by BSN (typed by staff, in a POST body only), or by details for a person without one. */
export type RequestPerson =
  | { identifiedBy: 'bsn'; bsn: Bsn; dateOfBirth: IsoDate }
  | { identifiedBy: 'details'; familyNamePrefix?: string | undefined; familyName: string; dateOfBirth: IsoDate; gender: IdentityDetails['gender'] };

export type RegisterInput = {
  person: RequestPerson;
  kind: RequestKind;
  receivedOn: IsoDate;
  through: Exclude<Channel, 'professional'>;
  requester: Requester;
  identityCheck: IdentityCheck;
  caseNumber?: string | undefined;
};

export type RightsRequestView = {
  id: string;
  kind: RequestKind;
  receivedOn: IsoDate;
  through: Channel;
  requester: Requester;
  identityCheck: IdentityCheck | null;
  identifiedBy: 'bsn' | 'details';
  caseNumber: string | null;
  passedOnBy: { professionalName: string; organisationName: string } | null;
  registeredAt: Date;
  originalDueOn: IsoDate;
  dueOn: IsoDate;
  extensionWeeks: number | null;
  extensionReason: ExtensionReason | null;
  status: RequestStatus;
  decision: Decision | null;
  decisionReasons: DecisionReason[];
  decidedOn: IsoDate | null;
  letterSentOn: IsoDate | null;
  closedAt: Date | null;
  deleteAfter: Date | null;
  /** When the (partly) granted decision was carried out (rights-decision-service.ts); and when a restriction it imposed was lifted. */
  carriedOutAt: Date | null;
  restrictionLiftedAt: Date | null;
  urgency: Urgency;
};

/** What the professional who passed a request on sees of it on their signal's page: the kind and when, nothing of its handling. */
export type PassedOnView = { id: string; kind: RequestKind; receivedOn: IsoDate; passedOnAt: Date };

type Row = Selectable<RightsRequestsTable> & { professional_name: string | null; organisation_name: string | null };

export type RightsRequestService = ReturnType<typeof createRightsRequestService>;

export function createRightsRequestService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  crypto: PersonCrypto;
  settings: SettingsService;
  onOutbox?: () => void;
}) {
  const { db, clock, audit, crypto, settings } = deps;

  function authorise(actor: StaffActor) {
    if (!mayHandleRights(actor.roles)) throw forbidden("Rights requests are for the municipality's administrators and privacy officers.");
  }

  const toView = (row: Row, on: IsoDate): RightsRequestView => ({
    id: row.id,
    kind: row.kind as RequestKind,
    receivedOn: row.received_on,
    through: row.through as Channel,
    requester: row.requester as Requester,
    identityCheck: row.identity_check as IdentityCheck | null,
    identifiedBy: row.identified_by,
    caseNumber: row.case_number,
    passedOnBy: row.passed_on_by ? { professionalName: row.professional_name ?? '', organisationName: row.organisation_name ?? '' } : null,
    registeredAt: row.registered_at,
    originalDueOn: dueOn(row.received_on),
    dueOn: row.due_on,
    extensionWeeks: row.extension_weeks,
    extensionReason: row.extension_reason as ExtensionReason | null,
    status: row.status as RequestStatus,
    decision: row.decision as Decision | null,
    decisionReasons: row.decision_reasons as DecisionReason[],
    decidedOn: row.decided_on,
    letterSentOn: row.letter_sent_on,
    closedAt: row.closed_at,
    deleteAfter: row.delete_after,
    carriedOutAt: row.carried_out_at,
    restrictionLiftedAt: row.restriction_lifted_at,
    urgency: urgency({ status: row.status as RequestStatus, letterSentOn: row.letter_sent_on, dueOn: row.due_on, today: on }),
  });

  const selectRows = (trx: Kysely<DB>) =>
    trx
      .selectFrom('rights_requests as r')
      .leftJoin('professionals as p', 'p.id', 'r.passed_on_by')
      .leftJoin('organisations as o', 'o.id', 'r.passed_on_organisation_id')
      .selectAll('r')
      .select(['p.name as professional_name', 'o.name as organisation_name']);

  async function lockedRow(trx: Kysely<DB>, id: string): Promise<Row> {
    const locked = await trx.selectFrom('rights_requests').select('id').where('id', '=', id).forUpdate().executeTakeFirst();
    if (!locked) throw notFound('rights request');
    return (await selectRows(trx).where('r.id', '=', id).executeTakeFirstOrThrow()) as Row;
  }

  function personKeyOf(person: RequestPerson): { key: Buffer; ciphertext: Buffer | null } {
    if (person.identifiedBy === 'bsn') return { key: crypto.personKey(person.bsn), ciphertext: crypto.encrypt(person.bsn) };
    const identity = identityWithoutBsn({
      name: { familyNamePrefix: person.familyNamePrefix, familyName: person.familyName },
      dateOfBirth: person.dateOfBirth,
      gender: person.gender,
    });
    if (!identity) {
      throw invalidInput([
        { name: 'person', code: 'not_identifying', reason: 'A family name with letters and a known gender (male, female or other) are needed' },
      ]);
    }
    return { key: crypto.detailsKey(identity), ciphertext: null };
  }

  function inputProblems(input: RegisterInput, on: IsoDate): InvalidParam[] {
    const problems: InvalidParam[] = [];
    if (!isValidIsoDate(input.receivedOn) || input.receivedOn > on)
      problems.push({ name: 'receivedOn', code: 'out_of_range', reason: 'A real date, not after today' });
    const born = input.person.dateOfBirth;
    if (!isValidIsoDate(born) || born > on) problems.push({ name: 'person.dateOfBirth', code: 'out_of_range', reason: 'A real date, not after today' });
    else if (isValidIsoDate(input.receivedOn) && input.receivedOn >= born) {
      const expected = requesterProblem({ dateOfBirth: born, receivedOn: input.receivedOn, requester: input.requester });
      if (expected) {
        problems.push({
          name: 'requester',
          code: 'requester_does_not_fit_age',
          reason: `By the person's age on receipt the request is made by: ${expected} (seed 004 art. 8: under 12 the representative, 12 to 15 both, 16 and over the person)`,
        });
      }
    }
    if (input.caseNumber !== undefined && input.caseNumber !== '' && !CASE_NUMBER.test(input.caseNumber)) {
      problems.push({ name: 'caseNumber', code: 'pattern', reason: 'Letters, digits and . / _ - only, at most 40' });
    }
    return problems;
  }

  const auditOf = (actor: StaffActor | ProfessionalActor, row: { id: string; person_key: Uint8Array }) => ({
    actor,
    subjectKey: row.person_key,
    resource: { type: 'rights_request' as const, id: row.id },
  });

  return {
    /** Staff register a request the person (or their representative) made to the municipality directly, or by letter. */
    async register(actor: StaffActor, input: RegisterInput): Promise<RightsRequestView> {
      authorise(actor);
      const now = clock.now();
      const on = amsterdamDate(now);
      const problems = inputProblems(input, on);
      if (problems.length > 0) throw invalidInput(problems);
      const { key, ciphertext } = personKeyOf(input.person);
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('rights_requests')
          .values({
            person_key: key,
            bsn_ciphertext: ciphertext,
            identified_by: input.person.identifiedBy,
            kind: input.kind,
            received_on: input.receivedOn,
            through: input.through,
            requester: input.requester,
            identity_check: input.identityCheck,
            case_number: input.caseNumber || null,
            registered_by: actor.staffMemberId,
            registered_at: now,
            due_on: dueOn(input.receivedOn),
          })
          .returning(['id', 'person_key'])
          .executeTakeFirstOrThrow();
        await countRightsRequest(trx, { kind: input.kind, receivedOn: input.receivedOn });
        await audit.record(trx, now, {
          type: 'rights_request.registered',
          ...auditOf(actor, row),
          details: { requestKind: input.kind, through: input.through, requester: input.requester, identityCheck: input.identityCheck },
        });
        return toView((await selectRows(trx).where('r.id', '=', row.id).executeTakeFirstOrThrow()) as Row, on);
      });
    },

    /**
     * A professional passes on a request or complaint the person made to them (seed 000: "Geef dit dan
     * aan bij uw professional"), from their own signal: on that signal's person; who asks follows the
     * person's age on the day they asked.
     */
    async passOn(actor: ProfessionalActor, signalId: string, input: { kind: RequestKind; askedOn: IsoDate }): Promise<PassedOnView> {
      const now = clock.now();
      const on = amsterdamDate(now);
      return db.transaction().execute(async (trx) => {
        const signal = await trx
          .selectFrom('signals as s')
          .leftJoin('persons as p', 'p.person_key', 's.person_key')
          .select(['s.id', 's.person_key', 's.person_date_of_birth', 's.filed_at', 'p.bsn_ciphertext'])
          .where('s.id', '=', signalId)
          .where('s.professional_id', '=', actor.professionalId)
          .where('s.organisation_id', '=', actor.organisationId)
          .executeTakeFirst();
        if (!signal) throw notFound('signal');
        const problems: InvalidParam[] = [];
        if (!isValidIsoDate(input.askedOn) || input.askedOn > on)
          problems.push({ name: 'askedOn', code: 'out_of_range', reason: 'A real date, not after today' });
        else if (input.askedOn < signal.person_date_of_birth)
          problems.push({ name: 'askedOn', code: 'out_of_range', reason: "Not before the person's date of birth" });
        if (problems.length > 0) throw invalidInput(problems);
        const row = await trx
          .insertInto('rights_requests')
          .values({
            person_key: signal.person_key,
            bsn_ciphertext: signal.bsn_ciphertext ?? null,
            identified_by: signal.bsn_ciphertext ? 'bsn' : 'details',
            kind: input.kind,
            received_on: input.askedOn,
            through: 'professional',
            requester: requesterFor(signal.person_date_of_birth, input.askedOn),
            identity_check: 'known_to_professional',
            signal_id: signal.id,
            passed_on_by: actor.professionalId,
            passed_on_organisation_id: actor.organisationId,
            registered_at: now,
            due_on: dueOn(input.askedOn),
          })
          .returning(['id', 'person_key', 'kind', 'received_on', 'registered_at'])
          .executeTakeFirstOrThrow();
        await countRightsRequest(trx, { kind: input.kind, receivedOn: input.askedOn });
        await audit.record(trx, now, {
          type: 'rights_request.passed_on',
          ...auditOf(actor, row),
          details: { requestKind: input.kind, through: 'professional', signalId: signal.id },
        });
        deps.onOutbox?.();
        return { id: row.id, kind: row.kind as RequestKind, receivedOn: row.received_on, passedOnAt: row.registered_at };
      });
    },

    /** What the professional passed on from this signal of theirs (for the signal's page); 404 for another's signal. */
    async passedOn(actor: ProfessionalActor, signalId: string): Promise<PassedOnView[]> {
      const own = await db
        .selectFrom('signals')
        .select('id')
        .where('id', '=', signalId)
        .where('professional_id', '=', actor.professionalId)
        .where('organisation_id', '=', actor.organisationId)
        .executeTakeFirst();
      if (!own) throw notFound('signal');
      const rows = await db
        .selectFrom('rights_requests')
        .select(['id', 'kind', 'received_on', 'registered_at'])
        .where('signal_id', '=', signalId)
        .where('passed_on_by', '=', actor.professionalId)
        .orderBy('registered_at', 'desc')
        .execute();
      return rows.map((r) => ({ id: r.id, kind: r.kind as RequestKind, receivedOn: r.received_on, passedOnAt: r.registered_at }));
    },

    /** Every request, overdue and nearly due first (then by deadline), answered ones last; audited as one listing. */
    async list(actor: StaffActor, filter: { open?: boolean } = {}): Promise<RightsRequestView[]> {
      authorise(actor);
      const now = clock.now();
      const on = amsterdamDate(now);
      return db.transaction().execute(async (trx) => {
        let query = selectRows(trx);
        if (filter.open) query = query.where('r.status', '<>', 'closed');
        const rows = (await query.execute()) as Row[];
        await audit.record(trx, now, { type: 'rights_request.listed', actor, details: { count: rows.length } });
        return rows.map((row) => toView(row, on)).sort((a, b) => compareForList(a, b, on));
      });
    },

    async get(actor: StaffActor, id: string): Promise<RightsRequestView> {
      authorise(actor);
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = (await selectRows(trx).where('r.id', '=', id).executeTakeFirst()) as Row | undefined;
        if (!row) throw notFound('rights request');
        await audit.record(trx, now, { type: 'rights_request.read', ...auditOf(actor, row) });
        return toView(row, amsterdamDate(now));
      });
    },

    /** Start working on a received request, or close a decided one whose letter was sent. */
    async changeStatus(actor: StaffActor, id: string, to: RequestStatus): Promise<RightsRequestView> {
      authorise(actor);
      const now = clock.now();
      const { rightsRequestRetentionMonths } = await settings.current();
      return db.transaction().execute(async (trx) => {
        const row = await lockedRow(trx, id);
        const from = row.status as RequestStatus;
        const problem = transitionProblem({ from, to, letterSentOn: row.letter_sent_on });
        if (problem === 'letter_not_sent') throw conflict('Record the day the letter was sent before closing the request.');
        if (problem) throw conflict(`A request cannot go from ${from} to ${to}.`);
        await trx
          .updateTable('rights_requests')
          .set({ status: to, ...(to === 'closed' && { closed_at: now, delete_after: addMonths(now, rightsRequestRetentionMonths) }) })
          .where('id', '=', id)
          .execute();
        await audit.record(trx, now, { type: 'rights_request.status_changed', ...auditOf(actor, row), details: { from, to } });
        return toView(await lockedRow(trx, id), amsterdamDate(now));
      });
    },

    /** Extend the deadline once, by 1 to 8 weeks, for complexity or the number of requests (GDPR art. 12.3). */
    async extend(actor: StaffActor, id: string, input: { weeks: number; reason: ExtensionReason }): Promise<RightsRequestView> {
      authorise(actor);
      if (!EXTENSION_REASONS.includes(input.reason)) throw invalidInput([{ name: 'reason', code: 'enum', reason: 'complexity or number_of_requests' }]);
      const now = clock.now();
      const on = amsterdamDate(now);
      return db.transaction().execute(async (trx) => {
        const row = await lockedRow(trx, id);
        const problem = extensionProblem({
          status: row.status as RequestStatus,
          extensionWeeks: row.extension_weeks,
          dueOn: row.due_on,
          today: on,
          weeks: input.weeks,
        });
        if (problem === 'weeks_out_of_range') throw invalidInput([{ name: 'weeks', code: 'out_of_range', reason: 'From 1 to 8 weeks' }]);
        if (problem === 'already_extended') throw conflict('The deadline has been extended once already.');
        if (problem === 'not_open') throw conflict('The request has been decided.');
        if (problem === 'deadline_passed') throw conflict('The deadline has passed: it can no longer be extended.');
        await trx
          .updateTable('rights_requests')
          .set({ extension_weeks: input.weeks, extension_reason: input.reason, extended_at: now, due_on: dueOn(row.received_on, input.weeks) })
          .where('id', '=', id)
          .execute();
        await audit.record(trx, now, { type: 'rights_request.extended', ...auditOf(actor, row), details: { weeks: input.weeks, reason: input.reason } });
        return toView(await lockedRow(trx, id), on);
      });
    },

    /** The decision: granted, partly granted or refused; a (partial) refusal with its reasons (art. 15.5). */
    async decide(actor: StaffActor, id: string, input: { decision: Decision; reasons: DecisionReason[]; decidedOn: IsoDate }): Promise<RightsRequestView> {
      authorise(actor);
      const reasons = [...new Set(input.reasons)].filter((r) => DECISION_REASONS.includes(r));
      const now = clock.now();
      const on = amsterdamDate(now);
      return db.transaction().execute(async (trx) => {
        const row = await lockedRow(trx, id);
        if (!isValidIsoDate(input.decidedOn)) throw invalidInput([{ name: 'decidedOn', code: 'format', reason: 'A date' }]);
        const problems = decisionProblems({
          status: row.status as RequestStatus,
          decision: input.decision,
          reasons,
          decidedOn: input.decidedOn,
          receivedOn: row.received_on,
          today: on,
        });
        if (problems.some((p) => p.code === 'not_open')) throw conflict('The request has been decided already.');
        if (problems.length > 0) throw invalidInput(problems);
        await trx
          .updateTable('rights_requests')
          .set({ status: 'decided', decision: input.decision, decision_reasons: reasons, decided_on: input.decidedOn })
          .where('id', '=', id)
          .execute();
        await audit.record(trx, now, {
          type: 'rights_request.decided',
          ...auditOf(actor, row),
          details: { decision: input.decision, reason: reasons.join(',') || null, from: row.status },
        });
        // Carrying out the decision (correction, restriction, erasure, an own statement …) is a step of its own (issue 12, another part).
        return toView(await lockedRow(trx, id), on);
      });
    },

    /** The day the letter with the decision was sent to the person (or their representative). */
    async recordLetter(actor: StaffActor, id: string, input: { sentOn: IsoDate }): Promise<RightsRequestView> {
      authorise(actor);
      const now = clock.now();
      const on = amsterdamDate(now);
      return db.transaction().execute(async (trx) => {
        const row = await lockedRow(trx, id);
        if (!isValidIsoDate(input.sentOn)) throw invalidInput([{ name: 'sentOn', code: 'format', reason: 'A date' }]);
        const problem = letterProblem({
          status: row.status as RequestStatus,
          decidedOn: row.decided_on,
          letterSentOn: row.letter_sent_on,
          sentOn: input.sentOn,
          today: on,
        });
        if (problem === 'not_decided') throw conflict('Record the decision before the letter.');
        if (problem === 'already_sent') throw conflict('The letter has been recorded already.');
        if (problem) throw invalidInput([{ name: 'sentOn', code: 'out_of_range', reason: 'Between the day of the decision and today' }]);
        await trx.updateTable('rights_requests').set({ letter_sent_on: input.sentOn }).where('id', '=', id).execute();
        await audit.record(trx, now, { type: 'rights_request.letter_sent', ...auditOf(actor, row), details: { sent: input.sentOn } });
        return toView(await lockedRow(trx, id), on);
      });
    },

    /** Deletes closed requests whose retention ran out (the sweep); each deletion audited under the person key. */
    async purgeDue(): Promise<number> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const purged = await trx
          .deleteFrom('rights_requests')
          .where('status', '=', 'closed')
          .where('delete_after', '<=', now)
          .returning(['id', 'person_key', 'kind'])
          .execute();
        if (purged.length > 0) {
          await audit.record(
            trx,
            now,
            purged.map((row) => ({
              type: 'rights_request.purged' as const,
              actor: { kind: 'system' as const, requestId: null },
              subjectKey: row.person_key,
              resource: { type: 'rights_request' as const, id: row.id },
              details: { requestKind: row.kind },
            })),
          );
        }
        return purged.length;
      });
    },

    /**
     * Once a day, when requests are overdue or nearly due: a mail (counts and a link, no person data)
     * to each active privacy officer, or, when there is none, each active administrator, through the
     * outbox. Returns how many were mailed (0 when there was nothing to tell, or it went out today).
     */
    async mailDeadlines(): Promise<number> {
      const now = clock.now();
      const on = amsterdamDate(now);
      return db.transaction().execute(async (trx) => {
        const sent = await trx.selectFrom('rights_deadline_mails').select('day').where('day', '=', on).forUpdate().executeTakeFirst();
        if (sent) return 0;
        const open = await trx.selectFrom('rights_requests').select(['status', 'due_on', 'letter_sent_on']).where('status', '<>', 'closed').execute();
        const urgencies = open.map((r) => urgency({ status: r.status as RequestStatus, letterSentOn: r.letter_sent_on, dueOn: r.due_on, today: on }));
        const overdue = urgencies.filter((u) => u === 'overdue').length;
        const nearlyDue = urgencies.filter((u) => u === 'nearly_due').length;
        if (overdue + nearlyDue === 0) return 0;
        const staff = await trx.selectFrom('staff_members').select(['id', 'roles']).where('active', '=', true).orderBy('id').execute();
        const officers = staff.filter((s) => s.roles.includes('privacy_officer'));
        const recipients = officers.length > 0 ? officers : staff.filter((s) => s.roles.includes('municipality_admin'));
        const inserted = await trx
          .insertInto('rights_deadline_mails')
          .values({ day: on, sent_at: now, overdue, nearly_due: nearlyDue })
          .onConflict((oc) => oc.column('day').doNothing())
          .returning('day')
          .executeTakeFirst();
        if (!inserted || recipients.length === 0) return 0;
        await trx
          .insertInto('outbox')
          .values(
            recipients.map((r) => ({
              created_at: now,
              event_type: 'rights_request.deadlines_due' as const,
              recipient_professional_id: null,
              organisation_id: null,
              recipient_staff_member_id: r.id,
              payload: JSON.stringify({ overdue, nearlyDue }),
            })),
          )
          .execute();
        await audit.record(trx, now, {
          type: 'rights_request.deadlines_mailed',
          actor: { kind: 'system', requestId: null },
          details: { count: recipients.length, overdue, nearlyDue },
        });
        deps.onOutbox?.();
        return recipients.length;
      });
    },
  };
}
