/**
 * The covenant's privacy regulation for case consultations ((zorg)casusoverleg), as plain functions
 * over plain values: who must consent by the person's age on the consultation date (art. 8, 11.2),
 * when consent is complete (art. 7.5: this purpose, these categories, these participants), when the
 * art. 9 reasoning for going ahead without consent is complete, whether a consultation may be held
 * as identifying, what may be shared on which ground, the closing outcomes (only the fact, art. 10)
 * and the retention date (art. 17). The service calls them; they call nothing.
 */
import { addMonths, ageOn, type IsoDate, isValidIsoDate } from '../shared/calendar.ts';

/** Who can give consent or be informed: the person, or their legal representative(s). */
export const PARTIES = ['person', 'legal_representative'] as const;
export type Party = (typeof PARTIES)[number];

/** How consent was given: an active act (art. 7.5), never silence. */
export const CONSENT_METHODS = ['in_writing', 'in_person', 'by_phone', 'digitally'] as const;
export type ConsentMethod = (typeof CONSENT_METHODS)[number];

/** How the person was informed (art. 11). */
export const INFORMING_METHODS = ['in_person', 'by_phone', 'by_letter', 'by_email', 'information_text_handed_over'] as const;
export type InformingMethod = (typeof INFORMING_METHODS)[number];

/**
 * Categories of data that may be shared in a consultation (the ledger records the category, never
 * the content). `health` and `justice` are special (art. 1, 12.2): the ledger takes them like any
 * other, but the consent or the reasoning must name them.
 */
export const DATA_CATEGORIES = [
  'contact_details',
  'involvement',
  'family_situation',
  'housing',
  'finances',
  'education_work',
  'daily_functioning',
  'safety',
  'health',
  'justice',
] as const;
export type DataCategory = (typeof DATA_CATEGORIES)[number];

/** Why consent could not be asked or was not obtained (art. 9.4, first line). */
export const NO_CONSENT_REASONS = ['asking_unsafe', 'not_reachable', 'refused', 'not_capable'] as const;
export type NoConsentReason = (typeof NO_CONSENT_REASONS)[number];

/** The ground for sharing without consent (art. 6.2, 9.2). */
export const WITHOUT_CONSENT_GROUNDS = ['conflict_of_duties', 'vital_interest', 'legal_task'] as const;
export type WithoutConsentGround = (typeof WITHOUT_CONSENT_GROUNDS)[number];

/** The weighing questions of art. 9.3, a to h; each one needs an answer. */
export const WEIGHING_QUESTIONS = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'] as const;
export type WeighingQuestion = (typeof WEIGHING_QUESTIONS)[number];

/** Why the client has not been told of a sharing yet (art. 9.4, last line). */
export const NOT_YET_INFORMED_REASONS = ['safety_of_person', 'safety_of_others', 'not_reachable_yet', 'would_harm_purpose'] as const;
export type NotYetInformedReason = (typeof NOT_YET_INFORMED_REASONS)[number];

/** How a consultation ends: only the fact (art. 10), never the content. */
export const OUTCOMES = ['plan_agreed', 'handed_back', 'referred_to_veilig_thuis', 'referred_elsewhere', 'no_longer_needed', 'discussed_anonymously'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** The shortest answer to a weighing question, and to the heavier motivation of the vital-interest ground (art. 9.2). */
export const MIN_ANSWER_LENGTH = 10;
export const MIN_VITAL_INTEREST_LENGTH = 100;
/** Free text stays short: an action point's wording, a purpose, a legal task (art. 12.2). */
export const MAX_SHORT_TEXT = 300;
export const MAX_ANSWER_LENGTH = 2000;
/** Figures for the municipality: counts from 1 to 4 are not shown. */
export const SUPPRESS_BELOW = 5;

/** Who must consent (and be informed) by the person's age on that date (art. 8, 11.2). */
export function partiesToConsent(dateOfBirth: IsoDate, on: IsoDate): Party[] {
  const age = ageOn(dateOfBirth, on);
  if (age < 12) return ['legal_representative'];
  if (age < 16) return ['person', 'legal_representative'];
  return ['person'];
}

/** A consent as recorded: by whom, when, how, for which categories and which participants (the purpose is the consultation's own, which does not change). */
export type ConsentFacts = { givenBy: Party; givenOn: IsoDate; method: ConsentMethod; categories: readonly DataCategory[]; participantIds: readonly string[] };

/** The participants consent must name: everyone taking part who may see data, the initiator aside (it is their client). */
export type ScopeFacts = { participantIds: readonly string[]; categories?: readonly DataCategory[] };

/**
 * Which parties have consented for this scope on or before `on`: a party counts when one of its
 * consents names every participant and every category of the scope.
 */
export function consentingParties(consents: readonly ConsentFacts[], scope: ScopeFacts, on: IsoDate): Party[] {
  const covers = (c: ConsentFacts) =>
    c.givenOn <= on && scope.participantIds.every((id) => c.participantIds.includes(id)) && (scope.categories ?? []).every((k) => c.categories.includes(k));
  return PARTIES.filter((party) => consents.some((c) => c.givenBy === party && covers(c)));
}

/** Consent is complete when every party the age rules ask for consented for this scope (art. 7.5, 8). */
export function consentComplete(input: { dateOfBirth: IsoDate; on: IsoDate; consents: readonly ConsentFacts[]; scope: ScopeFacts }): {
  complete: boolean;
  required: Party[];
  missing: Party[];
} {
  const required = partiesToConsent(input.dateOfBirth, input.on);
  const given = consentingParties(input.consents, input.scope, input.on);
  const missing = required.filter((party) => !given.includes(party));
  return { complete: missing.length === 0, required, missing };
}

/** The art. 9 reasoning as recorded. */
export type Reasoning = {
  noConsentReason: NoConsentReason;
  noConsentExplanation: string;
  ground: WithoutConsentGround;
  answers: Partial<Record<WeighingQuestion, string>>;
  vitalInterestMotivation: string | null;
  officialConsulted: string;
  officialConsultedOn: IsoDate;
};

export type RuleProblem = { name: string; code: string; reason: string };

const answered = (text: string | null | undefined, min = MIN_ANSWER_LENGTH) => typeof text === 'string' && text.trim().length >= min;

/**
 * What is missing from an art. 9 reasoning, all at once; [] when it is complete: why consent could
 * not be asked or was not obtained, each weighing question a-h answered, the heavier motivation of
 * the vital-interest ground (art. 9.2), and which official was consulted and when (not after today).
 */
export function reasoningProblems(reasoning: Reasoning, today: IsoDate): RuleProblem[] {
  const problems: RuleProblem[] = [];
  if (!answered(reasoning.noConsentExplanation))
    problems.push({
      name: 'noConsentExplanation',
      code: 'required',
      reason: `Explain why consent could not be asked or was not obtained (at least ${MIN_ANSWER_LENGTH} characters).`,
    });
  for (const question of WEIGHING_QUESTIONS) {
    if (!answered(reasoning.answers[question]))
      problems.push({
        name: `answers.${question}`,
        code: 'required',
        reason: `Answer weighing question ${question} of art. 9.3 (at least ${MIN_ANSWER_LENGTH} characters).`,
      });
  }
  if (reasoning.ground === 'vital_interest' && !answered(reasoning.vitalInterestMotivation, MIN_VITAL_INTEREST_LENGTH)) {
    problems.push({
      name: 'vitalInterestMotivation',
      code: 'required',
      reason: `The vital-interest ground needs the heavier motivation of art. 9.2: why the situation is very serious or life-threatening (at least ${MIN_VITAL_INTEREST_LENGTH} characters).`,
    });
  }
  if (reasoning.ground !== 'vital_interest' && reasoning.vitalInterestMotivation)
    problems.push({ name: 'vitalInterestMotivation', code: 'not_allowed', reason: 'Only the vital-interest ground takes this motivation.' });
  if (!answered(reasoning.officialConsulted, 2)) problems.push({ name: 'officialConsulted', code: 'required', reason: 'Name the official who was consulted.' });
  if (!isValidIsoDate(reasoning.officialConsultedOn)) {
    problems.push({ name: 'officialConsultedOn', code: 'invalid_date', reason: 'The date the official was consulted, as YYYY-MM-DD.' });
  } else if (reasoning.officialConsultedOn > today) {
    problems.push({ name: 'officialConsultedOn', code: 'date_in_future', reason: 'The official cannot have been consulted after today.' });
  }
  return problems;
}

export type Basis = 'consent' | 'without_consent';

/**
 * Whether an identifying consultation may be held on `on`, and on which basis: consent complete for
 * this purpose, these categories and these participants by the age on that date, or a complete art.
 * 9 reasoning. Consent comes first: where it is complete, the reasoning is not needed.
 */
export function identifyingBasis(input: {
  dateOfBirth: IsoDate;
  on: IsoDate;
  today: IsoDate;
  consents: readonly ConsentFacts[];
  participantIds: readonly string[];
  reasoning: Reasoning | null;
}): { ok: true; basis: Basis } | { ok: false; missing: Party[]; reasoning: RuleProblem[] } {
  const consent = consentComplete({ dateOfBirth: input.dateOfBirth, on: input.on, consents: input.consents, scope: { participantIds: input.participantIds } });
  if (consent.complete) return { ok: true, basis: 'consent' };
  const problems = input.reasoning
    ? reasoningProblems(input.reasoning, input.today)
    : [{ name: 'reasoning', code: 'required', reason: 'Without complete consent, record the reasoning of art. 9.' }];
  if (problems.length === 0) return { ok: true, basis: 'without_consent' };
  return { ok: false, missing: consent.missing, reasoning: problems };
}

/**
 * On which ground one category may go to one participant on `on`: consent of every party the age
 * asks for that names this category and this participant, else a complete art. 9 reasoning; null
 * when neither holds.
 */
export function sharingGround(input: {
  dateOfBirth: IsoDate;
  on: IsoDate;
  today: IsoDate;
  consents: readonly ConsentFacts[];
  participantId: string;
  category: DataCategory;
  reasoning: Reasoning | null;
}): Basis | null {
  const consent = consentComplete({
    dateOfBirth: input.dateOfBirth,
    on: input.on,
    consents: input.consents,
    scope: { participantIds: [input.participantId], categories: [input.category] },
  });
  if (consent.complete) return 'consent';
  if (input.reasoning && reasoningProblems(input.reasoning, input.today).length === 0) return 'without_consent';
  return null;
}

/**
 * Whether a sharing may be recorded as to the client's knowing of it (art. 9.4, 11): informed on or
 * before the sharing, or — only without consent — a reason why not yet. Consent is itself given on
 * full information (art. 7.1), so a sharing on consent needs no separate reason.
 */
export function informingProblem(input: {
  ground: Basis;
  sharedOn: IsoDate;
  informedOn: IsoDate | null;
  notYetReason: NotYetInformedReason | null;
}): RuleProblem | null {
  if (input.informedOn !== null && input.notYetReason !== null)
    return { name: 'notYetInformedReason', code: 'not_allowed', reason: 'Either the date the client was informed, or why not yet; not both.' };
  if (input.informedOn !== null) {
    return input.informedOn > input.sharedOn
      ? {
          name: 'clientInformedOn',
          code: 'after_sharing',
          reason: 'The client was informed after this sharing: record the sharing with a reason why not yet, and the informing later.',
        }
      : null;
  }
  if (input.notYetReason !== null) {
    return input.ground === 'consent'
      ? {
          name: 'notYetInformedReason',
          code: 'not_allowed',
          reason: 'Consent is given on full information: a sharing on consent has no reason for not informing.',
        }
      : null;
  }
  return input.ground === 'consent'
    ? null
    : {
        name: 'clientInformedOn',
        code: 'required',
        reason: 'Without consent, record when the client was informed of this sharing, or why not yet (notYetInformedReason).',
      };
}

/** Whether an informing record covers everyone the age rules ask to inform on its date (art. 11.2). */
export function missingInformed(dateOfBirth: IsoDate, informedOn: IsoDate, informed: readonly Party[]): Party[] {
  return partiesToConsent(dateOfBirth, informedOn).filter((party) => !informed.includes(party));
}

/** The moment a closed consultation is deleted for good (art. 17): the set number of months after closing. */
export const deleteAfter = (closedAt: Date, retentionMonths: number): Date => addMonths(closedAt, retentionMonths);

/** Who may see what in a consultation. */
export type Role = 'initiator' | 'chair' | 'participant';

/** An action point is visible to the initiator, the chair, and the participant it is assigned to (art. 6.5). */
export const seesActionPoint = (role: Role, viewerParticipantId: string, assigneeParticipantId: string): boolean =>
  role !== 'participant' || viewerParticipantId === assigneeParticipantId;

/** A participant from outside the match (for this case only) signs the confidentiality declaration before seeing anything (art. 18). */
export const needsDeclaration = (source: 'initiator' | 'match' | 'invited'): boolean => source === 'invited';

const DIGIT_RUN = /\d(?:[ .-]?\d){7,}/;
const NUMERIC_DATE = /\b\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}\b/;
const WORDED_DATE =
  /\b\d{1,2}\s+(?:jan(?:uari)?|feb(?:ruari)?|maart|mrt|apr(?:il)?|mei|juni?|juli?|aug(?:ustus)?|sep(?:tember)?|okt(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?\s+\d{4}\b/i;

/**
 * Free text that looks like it identifies someone: a run of eight or more digits (a BSN, a phone
 * number, a client number), or a date. Purposes, legal tasks and action points are about the work,
 * not the person (art. 12.2); an anonymous consultation must hold nothing that identifies (art. 5.4).
 */
export function identifyingText(text: string): boolean {
  return DIGIT_RUN.test(text) || NUMERIC_DATE.test(text) || WORDED_DATE.test(text);
}

/** Figures for the municipality: counts below SUPPRESS_BELOW (other than 0) are suppressed as null. */
export const suppressed = (count: number): number | null => (count > 0 && count < SUPPRESS_BELOW ? null : count);

export type FigureRow = { month: string; anonymous: boolean; basis: Basis | null; officialConsulted: boolean };

/** A share in whole percent, or null when either count is suppressed or there is nothing to divide by. */
const share = (part: number | null, whole: number | null): number | null => (part === null || !whole ? null : Math.round((100 * part) / whole));

/** Per month: consultations, and how many with consent, anonymous, and without consent with an official consulted; small cells suppressed. */
export function consultationFigures(rows: readonly FigureRow[]) {
  const months = [...new Set(rows.map((r) => r.month))].sort();
  return months.map((month) => {
    const inMonth = rows.filter((r) => r.month === month);
    const consultations = suppressed(inMonth.length);
    const withConsent = suppressed(inMonth.filter((r) => r.basis === 'consent').length);
    const anonymous = suppressed(inMonth.filter((r) => r.anonymous).length);
    const withoutConsentOfficialConsulted = suppressed(inMonth.filter((r) => r.basis === 'without_consent' && r.officialConsulted).length);
    return {
      month,
      consultations,
      withConsent,
      anonymous,
      withoutConsentOfficialConsulted,
      withConsentPercent: share(withConsent, consultations),
      anonymousPercent: share(anonymous, consultations),
      withoutConsentOfficialConsultedPercent: share(withoutConsentOfficialConsulted, consultations),
    };
  });
}
