/**
 * The legal basis of a signal: what consent or informing record the person's age requires.
 * From 23 the person's consent is required. Under 23 the Jeugdwet asks no consent but a duty to
 * inform: under 12 the legal representative, from 12 to 15 both the young person and the legal
 * representative, from 16 the young person alone; or the informing was postponed for a reason.
 */
import { ageOn, type IsoDate, isValidIsoDate } from '../shared/calendar.ts';

export type InformedParty = 'person' | 'legal_representative';

export const POSTPONEMENT_REASONS = ['safety_of_person', 'safety_of_others', 'not_reachable_yet'] as const;
export type PostponementReason = (typeof POSTPONEMENT_REASONS)[number];

export type LegalBasis =
  | { basis: 'consent'; givenBy: 'person' | 'legal_representative'; givenOn: IsoDate }
  | { basis: 'informed'; informed: InformedParty[]; informedOn: IsoDate }
  | { basis: 'informing_postponed'; reason: PostponementReason };

export type Requirement = { kind: 'consent' } | { kind: 'inform'; parties: InformedParty[] };

export type LegalBasisProblem = { name: string; code: string; reason: string };

/** From this age the person's consent is required instead of informing (Jeugdwet ends). */
export const CONSENT_AGE = 23;
const REPRESENTATIVE_ONLY_BELOW = 12;
const PERSON_ONLY_FROM = 16;

/** What the law requires at the given age (completed years): consent, or whom to inform. */
export function requiredLegalBasis(age: number): Requirement {
  if (!Number.isSafeInteger(age) || age < 0) throw new RangeError('age must be a whole number of years >= 0');
  if (age >= CONSENT_AGE) return { kind: 'consent' };
  if (age < REPRESENTATIVE_ONLY_BELOW) return { kind: 'inform', parties: ['legal_representative'] };
  if (age < PERSON_ONLY_FROM) return { kind: 'inform', parties: ['person', 'legal_representative'] };
  return { kind: 'inform', parties: ['person'] };
}

/**
 * The problems with a signal's legal basis, all at once; [] when it is acceptable. `name` is the
 * JSON path of the offending field in the request body. `signalDate` comes from the caller and
 * must be a valid date (RangeError otherwise).
 */
export function checkLegalBasis(input: { dateOfBirth: IsoDate; signalDate: IsoDate; legalBasis: LegalBasis; unborn?: boolean }): LegalBasisProblem[] {
  const { dateOfBirth, signalDate, legalBasis } = input;
  if (!isValidIsoDate(signalDate)) throw new RangeError('signalDate is not a valid date');
  if (input.unborn) {
    // An unborn child (dateOfBirth the expected date, checked by the caller): as a child under 12, its legal
    // representative (the expectant mother) is informed; the informing date lies on or before the signal date.
    return [...checkRequirement(0, legalBasis), ...checkRecordDate(legalBasis, undefined, signalDate)];
  }
  const birthProblems = checkDateOfBirth(dateOfBirth, signalDate);
  // With a doubtful date of birth the age is unknown: only the record date is checked, against the signal date.
  const knownBirth = birthProblems.length === 0 ? dateOfBirth : undefined;
  const requirementProblems = knownBirth === undefined ? [] : checkRequirement(ageOn(knownBirth, signalDate), legalBasis);
  return [...birthProblems, ...requirementProblems, ...checkRecordDate(legalBasis, knownBirth, signalDate)];
}

function checkDateOfBirth(dateOfBirth: IsoDate, signalDate: IsoDate): LegalBasisProblem[] {
  const name = 'person.dateOfBirth';
  if (!isValidIsoDate(dateOfBirth)) {
    return [{ name, code: 'invalid_date', reason: 'The date of birth must be a real date written as YYYY-MM-DD.' }];
  }
  if (dateOfBirth > signalDate) {
    return [{ name, code: 'date_in_future', reason: 'The date of birth is after the signal date.' }];
  }
  return [];
}

function checkRequirement(age: number, legalBasis: LegalBasis): LegalBasisProblem[] {
  const requirement = requiredLegalBasis(age);
  const basis = legalBasis.basis as string;
  if (basis !== 'consent' && basis !== 'informed' && basis !== 'informing_postponed') {
    return [{ name: 'legalBasis.basis', code: 'unknown_basis', reason: 'The basis must be consent, informed or informing_postponed.' }];
  }
  if (requirement.kind === 'consent') return checkConsentRequired(age, legalBasis);
  return checkInformingRequired(age, requirement.parties, legalBasis);
}

function checkConsentRequired(age: number, legalBasis: LegalBasis): LegalBasisProblem[] {
  if (legalBasis.basis === 'consent') return [];
  const instead = legalBasis.basis === 'informed' ? 'informing is not enough' : 'informing cannot stand in for it, postponed or not';
  return [
    {
      name: 'legalBasis.basis',
      code: 'consent_required',
      reason: `The person is ${age} on the signal date: from ${CONSENT_AGE} the person's consent is required (basis consent, with givenBy and givenOn); ${instead}.`,
    },
  ];
}

function checkInformingRequired(age: number, parties: InformedParty[], legalBasis: LegalBasis): LegalBasisProblem[] {
  const duty = `${describeDuty(parties)} (or the informing postponed for a reason)`;
  switch (legalBasis.basis) {
    case 'consent':
      return [
        {
          name: 'legalBasis.basis',
          code: 'informing_required',
          reason: `The person is ${age} on the signal date: under ${CONSENT_AGE} the Jeugdwet asks no consent but informing; ${duty}.`,
        },
      ];
    case 'informed':
      return checkInformedParties(age, parties, legalBasis.informed);
    case 'informing_postponed':
      return checkPostponementReason(legalBasis.reason);
  }
}

function checkInformedParties(age: number, required: InformedParty[], informed: InformedParty[]): LegalBasisProblem[] {
  const missing = required.filter((party) => !informed.includes(party));
  if (missing.length === 0) return [];
  return [
    {
      name: 'legalBasis.informed',
      code: 'parties_missing',
      reason: `The person is ${age} on the signal date: ${describeDuty(required)}; missing: ${missing.join(', ')}`,
    },
  ];
}

function checkPostponementReason(reason: string): LegalBasisProblem[] {
  if ((POSTPONEMENT_REASONS as readonly string[]).includes(reason)) return [];
  return [
    {
      name: 'legalBasis.reason',
      code: 'unknown_reason',
      reason: `The reason for postponing must be one of ${POSTPONEMENT_REASONS.join(', ')}.`,
    },
  ];
}

function describeDuty(parties: InformedParty[]): string {
  const person = parties.includes('person');
  const representative = parties.includes('legal_representative');
  if (person && representative) return 'the young person and the legal representative must both be informed';
  return person ? 'the young person must be informed' : 'the legal representative must be informed';
}

/** The consent or informing date must lie between the date of birth and the signal date. */
function checkRecordDate(legalBasis: LegalBasis, dateOfBirth: IsoDate | undefined, signalDate: IsoDate): LegalBasisProblem[] {
  const record = recordDate(legalBasis);
  if (!record) return [];
  const { field, what, date } = record;
  const name = `legalBasis.${field}`;
  if (!isValidIsoDate(date)) {
    return [{ name, code: 'invalid_date', reason: `The ${what} date must be a real date written as YYYY-MM-DD.` }];
  }
  const problems: LegalBasisProblem[] = [];
  if (date > signalDate) {
    problems.push({ name, code: 'date_in_future', reason: `The ${what} date is after the signal date.` });
  }
  if (dateOfBirth !== undefined && date < dateOfBirth) {
    problems.push({ name, code: 'date_before_birth', reason: `The ${what} date is before the date of birth.` });
  }
  return problems;
}

function recordDate(legalBasis: LegalBasis): { field: string; what: string; date: IsoDate } | undefined {
  if (legalBasis.basis === 'consent') return { field: 'givenOn', what: 'consent', date: legalBasis.givenOn };
  if (legalBasis.basis === 'informed') return { field: 'informedOn', what: 'informing', date: legalBasis.informedOn };
  return undefined;
}
