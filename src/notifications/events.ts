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
  'signal.person_moved',
];

/** Events for record systems only (webhooks, feed): the professional made the change themselves, so no mail. */
export const UNMAILED_EVENT_TYPES: readonly OutboxEventType[] = ['signal.extended', 'signal.informing_recorded'];
export type MailedEventType = Exclude<OutboxEventType, 'signal.extended' | 'signal.informing_recorded'>;
export const isMailed = (type: OutboxEventType): type is MailedEventType => !UNMAILED_EVENT_TYPES.includes(type);

/** The outbox payload: ids and categories only. */
export type EventData = {
  signalId: string;
  matchId?: string;
  newSignalId?: string;
  leftSignalId?: string;
  reason?: string;
  /** coordination.changed: what happened (take, propose_handover, …, escalate, appoint, resolve) and the coordinator after it. */
  action?: string;
  coordinatorSignalId?: string;
  /** coordination.changed, propose_handover and withdraw_handover: the participant the hand-over is (or was) offered to. */
  proposedSignalId?: string;
  /**
   * signal.person_moved: the municipality the person moved to, for routing the mail to that
   * municipality's contact at dispatch only. Never published (feed, webhooks, the signaller's mail).
   */
  municipalityCode?: string;
};

/** What is published of an outbox payload (feed, webhooks): everything but the routing of a move. */
export function publishedData(data: EventData): EventData {
  const { municipalityCode: _routing, ...published } = data;
  return published;
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
  return {
    specversion: '1.0',
    id: eventId(input.outboxId),
    source: `${input.publicUrl}/api/v1`,
    type: `nl.sluis.${input.type}`,
    time: input.time.toISOString(),
    datacontenttype: 'application/json',
    subject: input.data.signalId,
    data: {
      signalId: input.data.signalId,
      ...(input.data.matchId && { matchId: input.data.matchId }),
      ...(input.data.newSignalId && { newSignalId: input.data.newSignalId }),
      ...(input.data.leftSignalId && { leftSignalId: input.data.leftSignalId }),
      ...(input.data.reason && { reason: input.data.reason }),
      ...(input.data.action && { action: input.data.action }),
      ...(input.data.coordinatorSignalId && { coordinatorSignalId: input.data.coordinatorSignalId }),
      ...(input.data.proposedSignalId && { proposedSignalId: input.data.proposedSignalId }),
      professionalId: input.professionalId,
      organisationId: input.organisationId,
    },
  };
}
