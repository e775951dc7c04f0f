/** The events SluiS tells others about, and their CloudEvents 1.0 form (ids only, never personal data). */
import type { OutboxEventType } from '../db/schema.ts';

export type { OutboxEventType } from '../db/schema.ts';

export const EVENT_TYPES: readonly OutboxEventType[] = [
  'match.created',
  'match.participant_joined',
  'match.participant_left',
  'signal.ended',
  'signal.expiring',
  'coordination.changed',
  'signal.extended',
  'signal.informing_due',
  'signal.informing_recorded',
  'case_consultation.invited',
  'case_consultation.meeting_planned',
  'case_consultation.action_point_assigned',
  'signal.person_moved',
];

/** Case consultations' events (src/case-consultations): a participant is invited, a meeting is planned, an action point is theirs. */
export const CONSULTATION_EVENT_TYPES = ['case_consultation.invited', 'case_consultation.meeting_planned', 'case_consultation.action_point_assigned'] as const;
export type ConsultationEventType = (typeof CONSULTATION_EVENT_TYPES)[number];
export const isConsultationEvent = (type: OutboxEventType): type is ConsultationEventType => (CONSULTATION_EVENT_TYPES as readonly string[]).includes(type);

/** A data breach notice to a partner's coordinators (src/breaches): a mail only, no feed event, no webhook. */
export const isBreachNotice = (type: OutboxEventType): type is 'breach.partners_notified' => type === 'breach.partners_notified';
/** Mailed to staff members only (no organisation, no feed, no webhooks): the counts of rights requests near or past their deadline. */
export const STAFF_EVENT_TYPES = ['rights_request.deadlines_due'] as const;
export type StaffEventType = (typeof STAFF_EVENT_TYPES)[number];
export const isStaffEvent = (type: OutboxEventType): type is StaffEventType => (STAFF_EVENT_TYPES as readonly string[]).includes(type);

/**
 * A rights decision carried out (src/rights): the professionals with a signal on the person hear of it
 * by mail only — no feed event, no webhook: the mail says what kind of decision and links to their own
 * signal, where it still exists; a record system has nothing to act on that the signal's own events
 * (or its absence) do not tell it.
 */
export const isRightsDecisionNotice = (type: OutboxEventType): type is 'rights.decision_carried_out' => type === 'rights.decision_carried_out';

/** Records for the hub (src/federation): delivered over the channel 'federation', never mailed, published or fed. */
export const HUB_EVENT_TYPES = ['federation.register', 'federation.deregister', 'federation.contacts', 'federation.move'] as const;
export type HubEventType = (typeof HUB_EVENT_TYPES)[number];
export const isHubEvent = (type: OutboxEventType): type is HubEventType => (HUB_EVENT_TYPES as readonly string[]).includes(type);

/**
 * A move into one of this region's municipalities from another region, as the hub relayed it
 * (src/federation): a mail to the municipality's contact only — no feed event, no webhook (there is
 * no signal here).
 */
export const isMoveFromRegion = (type: OutboxEventType): type is 'federation.move_received' => type === 'federation.move_received';

/** Events for record systems only (webhooks, feed): the professional made the change themselves, so no mail. */
export const UNMAILED_EVENT_TYPES: readonly OutboxEventType[] = ['signal.extended', 'signal.informing_recorded'];
/** The events mailed about a signal or match (case consultations' events have mails of their own: mail-templates.ts, renderConsultationMail). */
export type MailedEventType = Exclude<
  OutboxEventType,
  | 'signal.extended'
  | 'signal.informing_recorded'
  | ConsultationEventType
  | 'breach.partners_notified'
  | StaffEventType
  | 'rights.decision_carried_out'
  | HubEventType
  | 'federation.move_received'
>;
export const isMailed = (type: OutboxEventType): type is MailedEventType =>
  !UNMAILED_EVENT_TYPES.includes(type) &&
  !isConsultationEvent(type) &&
  !isBreachNotice(type) &&
  !isStaffEvent(type) &&
  !isRightsDecisionNotice(type) &&
  !isHubEvent(type) &&
  !isMoveFromRegion(type);

/** The outbox payload: ids and categories only. */
export type EventData = {
  /** Every event but those of case consultations, which carry consultationId instead. */
  signalId?: string;
  consultationId?: string;
  /** breach.partners_notified: the breach (never published: the notice has no feed event). */
  breachId?: string;
  meetingId?: string;
  actionPointId?: string;
  matchId?: string;
  newSignalId?: string;
  leftSignalId?: string;
  reason?: string;
  /** coordination.changed: what happened (take, propose_handover, …, escalate, appoint, resolve) and the coordinator after it. */
  action?: string;
  coordinatorSignalId?: string;
  /** coordination.changed, propose_handover and withdraw_handover: the participant the hand-over is (or was) offered to. */
  proposedSignalId?: string;
  /** match events of a family match (gezinsmatch), an address match (adresmatch) or a cross-region match; absent for a person match. */
  matchKind?: 'family' | 'address' | 'cross_region';
  /** match.participant_left of a cross-region match: the match ended (no other region holds the person any more). */
  matchEnded?: boolean;
  /** federation.* (to the hub only, never published): the registration's reference, the hub's match id. */
  reference?: string;
  hubMatch?: string;
  /** federation.move (to the hub), federation.move_received (the move as relayed, federation_moves): the random move id. */
  move?: string;
  /**
   * signal.person_moved: the municipality the person moved to, for routing the mail to that
   * municipality's contact at dispatch only. Never published (feed, webhooks, the signaller's mail).
   */
  municipalityCode?: string;
  /** rights.decision_carried_out: which decision (objection, erasure, restriction, restriction_lifted, correction, own_statement); signalId only while the signal exists. */
  decision?: string;
  /** rights_request.deadlines_due (to staff only): how many requests are overdue and nearly due. */
  overdue?: number;
  nearlyDue?: number;
};

/**
 * What of an outbox payload may leave SluiS (webhooks, the event feed): never the routing of a move;
 * and for a family or address match the other persons' signal ids stay inside: a receiver hears that
 * someone joined or left, or that someone else coordinates, never which signal — nothing that points
 * at the other child, or at the other person at the address.
 */
export function publicEventData(data: EventData): EventData {
  const { municipalityCode: _routing, reference: _reference, hubMatch: _hubMatch, ...published } = data;
  if (published.matchKind !== 'family' && published.matchKind !== 'address') return published;
  const { newSignalId: _joined, leftSignalId, coordinatorSignalId, proposedSignalId, ...rest } = published;
  // Coordination, and who left: only whether it is the recipient's own signal (then its id, which the receiver
  // knows) — a signal that stays active leaves a family or address match when the register says so.
  return {
    ...rest,
    ...(leftSignalId && leftSignalId === data.signalId && { leftSignalId }),
    ...(coordinatorSignalId === data.signalId && { coordinatorSignalId }),
    ...(proposedSignalId === data.signalId && { proposedSignalId }),
  };
}

export type CloudEvent = {
  specversion: '1.0';
  id: string;
  source: string;
  type: string;
  time: string;
  datacontenttype: 'application/json';
  subject: string;
  data: EventData & { professionalId: string; organisationId: string };
};

/** One id per outbox record, the same on every channel, so receivers can drop duplicates. */
export const eventId = (outboxId: number) => `sluis-${outboxId}`;

export function toCloudEvent(input: {
  outboxId: number;
  type: OutboxEventType;
  time: Date;
  publicUrl: string;
  professionalId: string;
  organisationId: string;
  data: EventData;
}): CloudEvent {
  const data = publicEventData(input.data);
  return {
    specversion: '1.0',
    id: eventId(input.outboxId),
    source: `${input.publicUrl}/api/v1`,
    type: `nl.sluis.${input.type}`,
    time: input.time.toISOString(),
    datacontenttype: 'application/json',
    subject: data.signalId ?? data.consultationId ?? '',
    data: {
      ...(data.signalId && { signalId: data.signalId }),
      ...(data.consultationId && { consultationId: data.consultationId }),
      ...(data.meetingId && { meetingId: data.meetingId }),
      ...(data.actionPointId && { actionPointId: data.actionPointId }),
      ...(data.matchId && { matchId: data.matchId }),
      ...(data.matchKind && { matchKind: data.matchKind }),
      ...(data.newSignalId && { newSignalId: data.newSignalId }),
      ...(data.leftSignalId && { leftSignalId: data.leftSignalId }),
      ...(data.reason && { reason: data.reason }),
      ...(data.action && { action: data.action }),
      ...(data.coordinatorSignalId && { coordinatorSignalId: data.coordinatorSignalId }),
      ...(data.proposedSignalId && { proposedSignalId: data.proposedSignalId }),
      professionalId: input.professionalId,
      organisationId: input.organisationId,
    },
  };
}
