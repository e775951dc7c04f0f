/**
 * The shapes a signal has on its way in and out of the service. What a record system sends is typed
 * by its schema (signal-schemas.ts, `Static`); the signal read is the service's own type, which the
 * response schema whitelists.
 */
import type { Static } from 'typebox';
import type { EndReason, SignalStatus } from '../db/schema.ts';
import type { LegalBasis } from './legal-basis.ts';
import type { FilingAnswer as FilingAnswerSchema, IdentifiedBy, PersonDetails } from './signal-schemas.ts';

export type { EndReason, SignalStatus } from '../db/schema.ts';
export type { Address, FileSignalInput, Gender, PersonDetails, PersonName } from './signal-schemas.ts';

/** The filing answer as the database builds it (JSON from sluis_filing_answer); the route adds `created`. */
export type FilingAnswer = Omit<Static<typeof FilingAnswerSchema>, 'created'>;

export type SignalView = {
  id: string;
  status: SignalStatus;
  filedAt: Date;
  activeUntil: Date;
  endedAt: Date | null;
  endReason: EndReason | null;
  clientReference: string | null;
  matchId: string | null;
  /** Only while the signal is active: what the professional registered, never the BSN. */
  person: PersonDetails | null;
  /** How the signal's person is identified: by the BSN, or without one (family name, date of birth and gender). */
  identifiedBy: IdentifiedBy;
  legalBasis: LegalBasis;
  /** When the signal was last extended. */
  extendedAt: Date | null;
  /**
   * Extending: from when it may be done and the end date it would give; null when it cannot be
   * (not active, extending switched off, or already ending at the youth regime's limit).
   */
  extension: { opensAt: Date; until: Date } | null;
  /** When informing postponed at filing is due to be recorded (and stays due until it is); null when nothing is postponed. */
  informingDueAt: Date | null;
};
