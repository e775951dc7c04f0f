/**
 * The rules of a rights request (GDPR articles 12 and 15-22; seed 004 art. 8, 14-16, 19), as plain
 * functions over plain values: who may ask by the person's age, the deadline and its one
 * extension, how urgent an open request is, and the steps a request goes through.
 */
import { addDaysToIsoDate, ageOn, type IsoDate } from '../shared/calendar.ts';

/** What the person asks (AVG 15-22; seed 004 art. 15.7 own statement, art. 16.3 and 19 complaint). */
export const REQUEST_KINDS = ['inspection', 'copy', 'correction', 'restriction', 'objection', 'erasure', 'own_statement', 'portability', 'complaint'] as const;
export type RequestKind = (typeof REQUEST_KINDS)[number];

/** How the request reached the municipality. */
export const CHANNELS = ['person', 'professional', 'letter'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Who asks (seed 004 art. 8 and 15.3). */
export const REQUESTERS = ['person', 'legal_representative', 'person_and_representative'] as const;
export type Requester = (typeof REQUESTERS)[number];

/** How the requester's identity (and a representative's authority) was checked: a category, never the document's number. */
export const IDENTITY_CHECKS = [
  'id_document_seen',
  'digid',
  'signed_letter_with_id_copy',
  'known_to_professional',
  'representative_authority_checked',
] as const;
export type IdentityCheck = (typeof IDENTITY_CHECKS)[number];

export const STATUSES = ['received', 'in_progress', 'decided', 'closed'] as const;
export type RequestStatus = (typeof STATUSES)[number];

export const DECISIONS = ['granted', 'partly_granted', 'refused'] as const;
export type Decision = (typeof DECISIONS)[number];

/**
 * Why a request is (partly) refused (seed 004 art. 15.5: with reasons): categories the letter
 * spells out. GDPR art. 23 and 12.5, art. 17.3 (a legal duty to keep), art. 21.1 (compelling
 * grounds), seed 004 art. 14.2 (data a partner holds in its own file).
 */
export const DECISION_REASONS = [
  'rights_of_others',
  'legal_retention_duty',
  'compelling_legitimate_grounds',
  'manifestly_unfounded_or_excessive',
  'identity_not_established',
  'data_held_by_partner',
  'data_correct',
] as const;
export type DecisionReason = (typeof DECISION_REASONS)[number];

/** Why the deadline is extended: the two grounds of GDPR art. 12.3. */
export const EXTENSION_REASONS = ['complexity', 'number_of_requests'] as const;
export type ExtensionReason = (typeof EXTENSION_REASONS)[number];

/** Four weeks from receipt (seed 004 art. 15.4 and 16.2). */
export const ANSWER_DAYS = 28;
/** At most two further months (GDPR art. 12.3), counted here as eight weeks. */
export const MAX_EXTENSION_WEEKS = 8;
/** A request is nearly due this many days before its deadline. */
export const NEARLY_DUE_DAYS = 7;

/** Who must ask for a person of this age on the day the request was received. */
export function requesterFor(dateOfBirth: IsoDate, on: IsoDate): Requester {
  const age = ageOn(dateOfBirth, on);
  if (age < 12) return 'legal_representative';
  if (age < 16) return 'person_and_representative';
  return 'person';
}

/** Undefined when the requester fits the person's age on receipt; else who should have asked. */
export function requesterProblem(input: { dateOfBirth: IsoDate; receivedOn: IsoDate; requester: Requester }): Requester | undefined {
  const expected = requesterFor(input.dateOfBirth, input.receivedOn);
  return expected === input.requester ? undefined : expected;
}

/** The deadline: four weeks after receipt, plus the extension when there is one. */
export function dueOn(receivedOn: IsoDate, extensionWeeks: number | null = null): IsoDate {
  return addDaysToIsoDate(receivedOn, ANSWER_DAYS + (extensionWeeks ?? 0) * 7);
}

export type ExtensionProblem = 'already_extended' | 'weeks_out_of_range' | 'not_open' | 'deadline_passed';

/** Whether the deadline may be extended now: once, by 1 to 8 weeks, while open and before the deadline passed (GDPR art. 12.3: within the first month). */
export function extensionProblem(input: {
  status: RequestStatus;
  extensionWeeks: number | null;
  dueOn: IsoDate;
  today: IsoDate;
  weeks: number;
}): ExtensionProblem | undefined {
  if (input.extensionWeeks !== null) return 'already_extended';
  if (!Number.isInteger(input.weeks) || input.weeks < 1 || input.weeks > MAX_EXTENSION_WEEKS) return 'weeks_out_of_range';
  if (!isOpen(input.status)) return 'not_open';
  if (input.today > input.dueOn) return 'deadline_passed';
  return undefined;
}

/** Still to be answered: received or in progress. */
export const isOpen = (status: RequestStatus) => status === 'received' || status === 'in_progress';

export type Urgency = 'overdue' | 'nearly_due' | 'on_time' | 'answered';

/**
 * How urgent a request is today: answered once the letter with the decision is sent (or the request
 * is closed); before that overdue after its deadline, nearly due within 7 days of it.
 */
export function urgency(input: { status: RequestStatus; letterSentOn: IsoDate | null; dueOn: IsoDate; today: IsoDate }): Urgency {
  if (input.status === 'closed' || input.letterSentOn !== null) return 'answered';
  if (input.today > input.dueOn) return 'overdue';
  if (input.today >= addDaysToIsoDate(input.dueOn, -NEARLY_DUE_DAYS)) return 'nearly_due';
  return 'on_time';
}

const URGENCY_ORDER: Record<Urgency, number> = { overdue: 0, nearly_due: 1, on_time: 2, answered: 3 };

/** The list order: overdue, then nearly due, then the rest open, then answered; within each the earliest deadline first. */
export function compareForList(
  a: { status: RequestStatus; letterSentOn: IsoDate | null; dueOn: IsoDate; receivedOn: IsoDate; id: string },
  b: { status: RequestStatus; letterSentOn: IsoDate | null; dueOn: IsoDate; receivedOn: IsoDate; id: string },
  today: IsoDate,
): number {
  const ua = URGENCY_ORDER[urgency({ ...a, today })];
  const ub = URGENCY_ORDER[urgency({ ...b, today })];
  if (ua !== ub) return ua - ub;
  if (ua === URGENCY_ORDER.answered) return b.receivedOn.localeCompare(a.receivedOn) || a.id.localeCompare(b.id);
  return a.dueOn.localeCompare(b.dueOn) || a.id.localeCompare(b.id);
}

/** The steps by hand: start working on a received request; close a decided one once its letter is sent. Deciding is a step of its own. */
export const STATUS_TRANSITIONS: Record<RequestStatus, readonly RequestStatus[]> = {
  received: ['in_progress'],
  in_progress: [],
  decided: ['closed'],
  closed: [],
};

export type TransitionProblem = 'not_allowed' | 'letter_not_sent';

export function transitionProblem(input: { from: RequestStatus; to: RequestStatus; letterSentOn: IsoDate | null }): TransitionProblem | undefined {
  if (!STATUS_TRANSITIONS[input.from].includes(input.to)) return 'not_allowed';
  if (input.to === 'closed' && input.letterSentOn === null) return 'letter_not_sent';
  return undefined;
}

export type DecisionProblem = { name: string; code: string; reason: string };

/** A decision: while open; reasons for a (partial) refusal and none for a grant; decided on a day between receipt and today. */
export function decisionProblems(input: {
  status: RequestStatus;
  decision: Decision;
  reasons: readonly DecisionReason[];
  decidedOn: IsoDate;
  receivedOn: IsoDate;
  today: IsoDate;
}): DecisionProblem[] {
  const problems: DecisionProblem[] = [];
  if (!isOpen(input.status)) problems.push({ name: 'decision', code: 'not_open', reason: 'The request has been decided already' });
  if (input.decision !== 'granted' && input.reasons.length === 0)
    problems.push({ name: 'reasons', code: 'reasons_required', reason: 'A refusal, whole or in part, gives its reasons (art. 15.5)' });
  if (input.decision === 'granted' && input.reasons.length > 0)
    problems.push({ name: 'reasons', code: 'no_reasons_for_grant', reason: 'A grant has no refusal reasons' });
  if (input.decidedOn < input.receivedOn || input.decidedOn > input.today)
    problems.push({ name: 'decidedOn', code: 'out_of_range', reason: 'Between the day of receipt and today' });
  return problems;
}

/** The letter: after the decision, on a day between the decision and today. */
export function letterProblem(input: {
  status: RequestStatus;
  decidedOn: IsoDate | null;
  letterSentOn: IsoDate | null;
  sentOn: IsoDate;
  today: IsoDate;
}): 'not_decided' | 'already_sent' | 'out_of_range' | undefined {
  if (input.status !== 'decided' || input.decidedOn === null) return 'not_decided';
  if (input.letterSentOn !== null) return 'already_sent';
  if (input.sentOn < input.decidedOn || input.sentOn > input.today) return 'out_of_range';
  return undefined;
}

/**
 * The decisions SluiS carries out itself (seed 004 art. 15.6): an upheld objection and an erasure
 * purge, a restriction marks the person, a correction changes the person details on the signals, an
 * own statement is added. (Inspection, copy and portability are answered with the report; a
 * complaint is handled outside SluiS.)
 */
export const EXECUTABLE_KINDS = ['objection', 'erasure', 'restriction', 'correction', 'own_statement'] as const;
export type ExecutableKind = (typeof EXECUTABLE_KINDS)[number];
export const isExecutable = (kind: RequestKind): kind is ExecutableKind => (EXECUTABLE_KINDS as readonly string[]).includes(kind);

/** The person's own statement: their own words, at most this many characters. */
export const STATEMENT_MAX_LENGTH = 1000;

export type ExecutionProblem = 'not_executable' | 'not_decided' | 'refused' | 'already_carried_out';

/** Whether a request's decision may be carried out now: a kind SluiS carries out, decided (or closed) as granted or partly granted, once. */
export function executionProblem(input: {
  kind: RequestKind;
  status: RequestStatus;
  decision: Decision | null;
  carriedOutAt: Date | null;
}): ExecutionProblem | undefined {
  if (!isExecutable(input.kind)) return 'not_executable';
  if (input.status !== 'decided' && input.status !== 'closed') return 'not_decided';
  if (input.decision === 'refused' || input.decision === null) return 'refused';
  if (input.carriedOutAt !== null) return 'already_carried_out';
  return undefined;
}

export type LiftProblem = 'not_restriction' | 'not_carried_out' | 'already_lifted';

/** Lifting a restriction: of a restriction that was carried out, once. */
export function liftProblem(input: { kind: RequestKind; carriedOutAt: Date | null; liftedAt: Date | null }): LiftProblem | undefined {
  if (input.kind !== 'restriction') return 'not_restriction';
  if (input.carriedOutAt === null) return 'not_carried_out';
  if (input.liftedAt !== null) return 'already_lifted';
  return undefined;
}

/** The person details a correction may change; which of them changed is audited, never the values. */
export const CORRECTABLE_FIELDS = ['name', 'dateOfBirth', 'gender', 'address'] as const;
export type CorrectableField = (typeof CORRECTABLE_FIELDS)[number];

/** Which of the correctable fields differ between the details before and after (deep, by JSON). */
export function changedFields(before: Record<string, unknown>, after: Record<string, unknown>): CorrectableField[] {
  return CORRECTABLE_FIELDS.filter((field) => JSON.stringify(before[field] ?? null) !== JSON.stringify(after[field] ?? null));
}
