/**
 * Informing that was postponed at filing is not forgotten. Under 23 the Jeugdwet asks the
 * professional to inform (legal-basis.ts); when that was postponed, SluiS asks them after a set
 * period to record that the person was informed — who, by the age rules on the date of informing,
 * and when — or why not yet, which asks again after the period. Plain functions: every date comes in.
 */
import { ageOn, type IsoDate, isValidIsoDate } from '../shared/calendar.ts';
import { CONSENT_AGE, type InformedParty, type LegalBasisProblem, POSTPONEMENT_REASONS, type PostponementReason, requiredLegalBasis } from './legal-basis.ts';

/** What the professional records after postponing: informed (who, when), or still postponed (why). */
export type InformingRecord =
  | { basis: 'informed'; informed: InformedParty[]; informedOn: IsoDate }
  | { basis: 'informing_postponed'; reason: PostponementReason };

const DAY = 86_400_000;

/**
 * Whom the duty to inform covers on the date of informing: under 12 the legal representative, 12 to
 * 15 both, from 16 the young person. Someone who has turned 23 since the signal was filed is an
 * adult who is informed themselves.
 */
export function partiesToInform(dateOfBirth: IsoDate, onDate: IsoDate): InformedParty[] {
  const requirement = requiredLegalBasis(Math.min(ageOn(dateOfBirth, onDate), CONSENT_AGE - 1));
  return requirement.kind === 'inform' ? requirement.parties : ['person'];
}

/**
 * The problems with a record of informing after postponing, all at once; [] when it is acceptable.
 * The date of informing lies between the filing date and today (it was postponed at filing), and
 * those informed include everyone the person's age on that date asks for. `name` is the field's
 * name in the request body.
 */
export function checkInformingRecord(input: { dateOfBirth: IsoDate; filedOn: IsoDate; today: IsoDate; record: InformingRecord }): LegalBasisProblem[] {
  const { dateOfBirth, filedOn, today, record } = input;
  if (record.basis === 'informing_postponed') {
    if ((POSTPONEMENT_REASONS as readonly string[]).includes(record.reason)) return [];
    return [{ name: 'reason', code: 'unknown_reason', reason: `The reason for postponing must be one of ${POSTPONEMENT_REASONS.join(', ')}.` }];
  }
  if (!isValidIsoDate(record.informedOn)) {
    return [{ name: 'informedOn', code: 'invalid_date', reason: 'The informing date must be a real date written as YYYY-MM-DD.' }];
  }
  if (record.informedOn > today) return [{ name: 'informedOn', code: 'date_in_future', reason: 'The informing date is after today.' }];
  if (record.informedOn < filedOn) {
    return [{ name: 'informedOn', code: 'date_before_filing', reason: 'Informing was postponed when the signal was filed: the date cannot be before that.' }];
  }
  const required = partiesToInform(dateOfBirth, record.informedOn);
  const missing = required.filter((party) => !record.informed.includes(party));
  if (missing.length === 0) return [];
  return [
    {
      name: 'informed',
      code: 'parties_missing',
      reason: `On the informing date the person is ${ageOn(dateOfBirth, record.informedOn)}: ${required.join(' and ')} must be informed; missing: ${missing.join(', ')}`,
    },
  ];
}

/**
 * When an open follow-up is due, and stays due until the professional records it: the period after
 * filing, or after "not yet" was last recorded.
 */
export function informingDueAt(input: { filedAt: Date; deferredAt: Date | null; followUpDays: number }): Date {
  assertDays(input.followUpDays);
  const from = input.deferredAt && input.deferredAt > input.filedAt ? input.deferredAt : input.filedAt;
  return new Date(from.getTime() + input.followUpDays * DAY);
}

/**
 * When the sweep asks (again): once per period — the period after filing, after "not yet" was
 * last recorded, or after the last reminder, whichever is latest. (The sweep's SQL says the same:
 * greatest(filed_at, informing_deferred_at, informing_reminded_at) + the period.)
 */
export function nextInformingReminderAt(input: { filedAt: Date; deferredAt: Date | null; remindedAt: Date | null; followUpDays: number }): Date {
  const due = informingDueAt(input);
  if (!input.remindedAt) return due;
  const afterReminder = new Date(input.remindedAt.getTime() + input.followUpDays * DAY);
  return afterReminder > due ? afterReminder : due;
}

function assertDays(days: number) {
  if (!Number.isSafeInteger(days) || days < 1) throw new RangeError(`followUpDays must be a whole number of at least 1, got ${days}`);
}
