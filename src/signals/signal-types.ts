/** The shapes a signal has on its way in and out of the service (the HTTP schemas mirror these). */
import type { EndReason, SignalStatus } from '../db/schema.ts';
import type { IsoDate } from '../shared/calendar.ts';
import type { LegalBasis } from './legal-basis.ts';

export type { EndReason, SignalStatus } from '../db/schema.ts';

export type Gender = 'male' | 'female' | 'other' | 'unknown';

export type PersonDetails = {
  name: { givenNames: string; familyNamePrefix?: string; familyName: string };
  dateOfBirth: IsoDate;
  gender: Gender;
  address?: { street: string; houseNumber: string; houseNumberAddition?: string; postcode: string; city: string };
};

export type FileSignalInput = {
  person: PersonDetails & { bsn: string };
  legalBasis: LegalBasis;
  clientReference?: string;
};

export type Contact = { professionalName: string; organisationName: string; phone: string; email: string };

/** As in the filing answer (JSON from sluis_filing_answer); the same fields as a match read. */
export type MatchParticipantView = Contact & { jobTitle: string; since: string; isYou: boolean };

export type FilingAnswer = {
  signal: { id: string; status: SignalStatus; filedAt: string; activeUntil: string; clientReference: string | null };
  match: { id: string; createdAt: string; participants: MatchParticipantView[] } | null;
  history: (Contact & { from: string; until: string })[];
};

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
  legalBasis: LegalBasis;
};
