/**
 * The lifetime of a signal: how long it stays active, how long it is kept as history after it
 * ends, and which end reasons delete it at once. Callers pass every date in; nothing reads the clock.
 */
import { addMonths, anniversary, type IsoDate, isValidIsoDate, startOfAmsterdamDay } from '../shared/calendar.ts';

/** 'youth': the signal falls under the Jeugdwet and ends at the latest when the person turns 23. */
export type Regime = 'all_ages' | 'youth';

/** The age at which the youth regime ends. */
export const YOUTH_AGE_LIMIT = 23;

export const END_REASONS = ['care_ended', 'moved', 'deceased', 'unjustified', 'objection_upheld'] as const;
export type EndReasonInput = (typeof END_REASONS)[number];

const PURGED_AT_ONCE: readonly EndReasonInput[] = ['unjustified', 'objection_upheld'];

/**
 * The instant the signal stops being active: `lifetimeMonths` after filing; under the youth regime
 * no later than the start (00:00 Europe/Amsterdam) of the person's 23rd birthday.
 */
export function activeUntil(input: { filedAt: Date; lifetimeMonths: number; regime: Regime; dateOfBirth: IsoDate }): Date {
  const { filedAt, lifetimeMonths, regime, dateOfBirth } = input;
  if (!Number.isSafeInteger(lifetimeMonths) || lifetimeMonths < 1) {
    throw new RangeError(`lifetimeMonths must be a whole number of at least 1, got ${lifetimeMonths}`);
  }
  const endOfLifetime = addMonths(filedAt, lifetimeMonths);
  if (regime === 'all_ages') return endOfLifetime;
  const endOfYouth = startOfAmsterdamDay(anniversary(dateOfBirth, YOUTH_AGE_LIMIT));
  // biome-ignore lint/complexity/useMathMinMax: these are Dates, and the earlier one is wanted as a Date
  return endOfYouth < endOfLifetime ? endOfYouth : endOfLifetime;
}

/** True while the person is younger than 23 on the given date. */
export function isWithinYouthRegime(dateOfBirth: IsoDate, onDate: IsoDate): boolean {
  if (!isValidIsoDate(onDate)) throw new RangeError('Not a valid calendar date (YYYY-MM-DD)');
  return onDate < anniversary(dateOfBirth, YOUTH_AGE_LIMIT);
}

/** Until when an ended signal is kept as history: `retentionMonths` after it ended. */
export function retainUntil(endedAt: Date, retentionMonths: number): Date {
  if (!Number.isSafeInteger(retentionMonths) || retentionMonths < 0) {
    throw new RangeError(`retentionMonths must be a whole number of at least 0, got ${retentionMonths}`);
  }
  return addMonths(endedAt, retentionMonths);
}

/** True when a signal ended for this reason is deleted at once instead of kept as history. */
export function isPurgedAtOnce(reason: EndReasonInput): boolean {
  return PURGED_AT_ONCE.includes(reason);
}
