/**
 * What the coordination service returns: codes and data, no display text. The pages
 * (web/labels.ts, web/officer/officer-labels.ts) and the API (coordination-routes.ts) word them.
 */
import type { IsoDate } from '../shared/calendar.ts';
import type { Coordination, CoordinationAction, Standing, TimerReason } from './coordination-rules.ts';

export type Participant = {
  signalId: string;
  professionalId: string;
  organisationId: string;
  professionalName: string;
  jobTitle: string;
  organisationName: string;
  phone: string;
  email: string;
  since: Date;
  domains: string[];
  contactedOn: IsoDate | null;
};

export type HistoryEntry = {
  occurredAt: Date;
  action: string;
  fromState: string;
  toState: string;
  /** What kind of actor did it: a professional, the escalation officer (staff) or SluiS itself (a timer, a participant leaving). */
  actorKind: 'professional' | 'staff' | 'system';
  /** The acting professional's name and organisation; null for staff and the system (and for a professional no longer known). */
  actorName: string | null;
  actorOrganisation: string | null;
  coordinator: string | null;
  subject: string | null;
  category: string | null;
};

export type CoordinationView = Coordination & {
  matchId: string;
  matchCreatedAt: Date;
  stateSince: Date;
  participants: Participant[];
  /** The participant the covenant's domain priority proposes, while nobody coordinates. */
  proposedByRule: string | null;
  history: HistoryEntry[];
};

export type ProfessionalCoordinationView = CoordinationView & { yourSignalId: string; yourStanding: Standing; allowed: CoordinationAction[] };

export type WorkItem = {
  matchId: string;
  matchCreatedAt: Date;
  state: Coordination['state'];
  escalationReason: string | null;
  escalatedAt: Date | null;
  stalled: TimerReason | null;
  participants: number;
  coordinator: string | null;
};
