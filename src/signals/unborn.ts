/**
 * An unborn child (a municipality's setting, unbornSignals, off by default): the rules that are not the
 * legal basis's (legal-basis.ts, `unborn`). Identified through the mother's BSN (persons/identity-without-bsn.ts).
 */

/** How far ahead an expected date of birth may lie: a pregnancy's 40 weeks and some margin. */
export const UNBORN_MAX_DAYS_AHEAD = 300;

/** The given names an unborn child's signal shows when the professional gave none. */
export const UNBORN_GIVEN_NAMES = 'Ongeboren kind';
