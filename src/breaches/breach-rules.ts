/**
 * The pure rules of the data breach register (covenant privacy rules art. 13; the AP's
 * Beleidsregels meldplicht datalekken): the 72 hours from discovery within which the Autoriteit
 * Persoonsgegevens must be told, where a breach stands against them, and how many persons as words.
 */

export const BREACH_CATEGORIES = ['lost_device', 'wrong_recipient', 'unauthorised_access', 'hacking', 'published', 'lost_paper', 'other'] as const;
export type BreachCategory = (typeof BREACH_CATEGORIES)[number];

/** Which kinds of data of SluiS the breach concerns. */
export const BREACH_DATA_CATEGORIES = ['identifying', 'contact', 'signal', 'match', 'coordination', 'case_consultation', 'register', 'account'] as const;
export type BreachDataCategory = (typeof BREACH_DATA_CATEGORIES)[number];

/** The AP must be told without undue delay and within 72 hours of discovery (GDPR art. 33.1). */
export const AP_DEADLINE_HOURS = 72;

export const apDeadline = (discoveredAt: Date): Date => new Date(discoveredAt.getTime() + AP_DEADLINE_HOURS * 3_600_000);

export type ApStanding =
  /** Assessed: the AP need not be told. */
  | { state: 'not_required' }
  /** Told within the 72 hours (on or before the deadline's day), or after them. */
  | { state: 'notified'; late: boolean }
  /** Not (yet) told, assessed as required or not assessed yet, deadline still ahead: hours left (rounded down). */
  | { state: 'open'; hoursLeft: number }
  /** Not told, not assessed as not required, and the deadline passed: hours past it (rounded down). */
  | { state: 'overdue'; hoursOver: number };

/**
 * Where a breach stands against the 72 hours. The notice to the AP is recorded as a date, so it is
 * on time when that date is not after the deadline's date (the caller gives the deadline's date in
 * the municipality's time zone).
 */
export function apStanding(breach: { apRequired: boolean | null; apNotifiedOn: string | null }, deadline: Date, deadlineDate: string, now: Date): ApStanding {
  if (breach.apRequired === false) return { state: 'not_required' };
  if (breach.apNotifiedOn) return { state: 'notified', late: breach.apNotifiedOn > deadlineDate };
  const ms = deadline.getTime() - now.getTime();
  if (ms >= 0) return { state: 'open', hoursLeft: Math.floor(ms / 3_600_000) };
  return { state: 'overdue', hoursOver: Math.floor(-ms / 3_600_000) };
}

/** How many persons: an exact number, a range, or "at least" when the upper bound is not known. */
export function personsText(min: number, max: number | null): string {
  if (max === min) return min === 1 ? '1 persoon' : `${min.toLocaleString('nl-NL')} personen`;
  if (max === null) return `minstens ${min.toLocaleString('nl-NL')} ${min === 1 ? 'persoon' : 'personen'}`;
  return `${min.toLocaleString('nl-NL')} tot ${max.toLocaleString('nl-NL')} personen`;
}
