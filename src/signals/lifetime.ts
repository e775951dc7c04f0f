/**
 * The lifetime of a signal: how long it stays active, how far and from when it may be extended, how
 * long it is kept as history after it ends, and which end reasons delete it at once. Callers pass
 * every date in; nothing reads the clock.
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

const DAY = 86_400_000;

/** Extending opens this many days before the end date when the expiry notice is switched off (0 days). */
export const DEFAULT_EXTENSION_WINDOW_DAYS = 28;

/** Why a professional extends a signal: categories only, for a signal holds nothing about the person. */
export const EXTENSION_REASONS = ['involvement_continues', 'collaboration_continues', 'handover_pending'] as const;
export type ExtensionReason = (typeof EXTENSION_REASONS)[number];

/**
 * The municipality's rules for extending: by `months` (0: switched off), from `windowDays` before
 * the end date (the window of the expiry notice), within the regime's limits.
 */
export type ExtensionRules = { months: number; windowDays: number; regime: Regime };

/** The extension rules that follow from the settings: the period defaults to the signal lifetime, the window to the expiry notice's. */
export function extensionRules(settings: {
  signalExtensionMonths: number | null;
  signalLifetimeMonths: number;
  expiryNoticeDays: number;
  regime: Regime;
}): ExtensionRules {
  return {
    months: settings.signalExtensionMonths ?? settings.signalLifetimeMonths,
    windowDays: settings.expiryNoticeDays > 0 ? settings.expiryNoticeDays : DEFAULT_EXTENSION_WINDOW_DAYS,
    regime: settings.regime,
  };
}

/**
 * What extending gives: `opensAt`, the moment from which it may be done (`windowDays` before the
 * end date), and `until`, the new end date — the current end date plus the period, under the youth
 * regime no later than the start of the 23rd birthday (`limitedByAge` then). 'switched_off' when
 * the period is 0; 'age_limit' when the end date already is the start of the 23rd birthday.
 * Whether the signal is active, and whether the window is open now, is the lifecycle's to decide.
 */
export type ExtensionOffer = { ok: true; opensAt: Date; until: Date; limitedByAge: boolean } | { ok: false; refusal: 'switched_off' | 'age_limit' };

export function extensionOffer(signal: { activeUntil: Date; dateOfBirth: IsoDate }, rules: ExtensionRules): ExtensionOffer {
  if (!Number.isSafeInteger(rules.windowDays) || rules.windowDays < 1) {
    throw new RangeError(`windowDays must be a whole number of at least 1, got ${rules.windowDays}`);
  }
  if (rules.months === 0) return { ok: false, refusal: 'switched_off' };
  const until = activeUntil({ filedAt: signal.activeUntil, lifetimeMonths: rules.months, regime: rules.regime, dateOfBirth: signal.dateOfBirth });
  if (until <= signal.activeUntil) return { ok: false, refusal: 'age_limit' };
  return {
    ok: true,
    opensAt: new Date(signal.activeUntil.getTime() - rules.windowDays * DAY),
    until,
    limitedByAge: until < addMonths(signal.activeUntil, rules.months),
  };
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
