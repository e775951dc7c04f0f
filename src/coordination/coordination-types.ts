/**
 * What the coordination service returns: codes and data, no display text. The pages
 * (web/labels.ts, web/officer/officer-labels.ts) and the API (coordination-routes.ts) word them.
 */
import type { IsoDate } from '../shared/calendar.ts';
import type { Coordination, CoordinationAction, EscalationReason, Standing, TimerReason } from './coordination-rules.ts';

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
  /** Whether their organisation's covenant lets them take coordination (false: the organisation signals only). */
  mayCoordinate: boolean;
};

export type HistoryEntry = {
  occurredAt: Date;
  /** A transition of the state table, or contact_recorded (a participant recorded contact; the state stays). */
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
  /** contact_recorded: the date of the contact; the participant is the actor. */
  contactedOn: IsoDate | null;
};

export type CoordinationView = Coordination & {
  matchId: string;
  matchCreatedAt: Date;
  stateSince: Date;
  participants: Participant[];
  /** The participant the covenant's domain priority proposes, while nobody coordinates. */
  proposedByRule: string | null;
  /** The escalation reasons that fit the match now (coordination-rules.ts, reasonFits); escalating takes only these. */
  escalationReasons: EscalationReason[];
  history: HistoryEntry[];
};

/** A hand-over offered to the professional, for their start page: the match, their signal in it, since when, by whom. */
export type PendingHandover = {
  matchId: string;
  signalId: string;
  offeredAt: Date;
  coordinatorName: string | null;
  coordinatorOrganisation: string | null;
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
