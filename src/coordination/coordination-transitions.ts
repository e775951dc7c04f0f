/**
 * The one write path of coordination: a transition of the state table (coordination-rules.ts),
 * written as the coordination row, a transition record, an audit event and — for the others who
 * must know — coordination.changed outbox records (mail, webhook, feed). Every caller uses it: a
 * participant's or the officer's action, the escalation timers, and a signal leaving a match or
 * being purged (coordinationAfterLeave). It runs in the caller's transaction, under the person lock.
 */
import type { Kysely } from 'kysely';
import { countFigure, countSignalsByDomain } from '../administration/figure-events.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, MatchKind } from '../db/schema.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { type StoredCoordination, storedCoordination } from './coordination-queries.ts';
import {
  announcedToOthers,
  type Coordination,
  type CoordinationAction,
  type EscalationReason,
  escalatedBy,
  leaveAction,
  type Outcome,
  type Standing,
  type TransitionRefusal,
  transition,
} from './coordination-rules.ts';

export type TransitionActor = ProfessionalActor | StaffActor | { kind: 'system'; requestId: string | null };
/**
 * A current participant. `mayCoordinate` and `contacted` are what the rules weigh (the covenant, and
 * contact recorded); left out — as for a participant leaving, where no rule asks — they count as false.
 */
export type TransitionParticipant = { signalId: string; professionalId: string; organisationId: string; mayCoordinate?: boolean; contacted?: boolean };

export type TransitionRequest = {
  /** The match; `kind` family or address for a family or address match (its events then say so, and what leaves SluiS points at no other person). */
  match: { id: string; person_key: Uint8Array; kind?: MatchKind };
  /** The coordination before, read under the person lock. */
  before: StoredCoordination;
  /** The match's current participants: who may be a target, and who hears of it. */
  participants: readonly TransitionParticipant[];
  actor: TransitionActor;
  /** The actor's standing, already established. */
  by: Standing;
  action: CoordinationAction;
  actorSignalId?: string;
  targetSignalId?: string;
  /** The signal that left (coordinator_left, proposed_left). */
  leftSignalId?: string;
  reason?: EscalationReason;
  outcome?: Outcome;
  now: Date;
};

export type TransitionWritten = { ok: true; next: Coordination; notified: number } | { ok: false; refusal: TransitionRefusal };

/** A transition that the rules allowed: the request, the coordination after it, its category and the participant it concerned. */
type Step = { request: TransitionRequest; next: Coordination; category: string | null; subjectSignalId: string | null };

/** The participant a transition concerned: the hand-over target (also when they answer it or it is withdrawn), the appointee, the one who left. */
function subjectOf(request: TransitionRequest): string | null {
  const { action, before } = request;
  const aboutTheOffer = action === 'accept_handover' || action === 'decline_handover' || action === 'withdraw_handover';
  return request.targetSignalId ?? request.leftSignalId ?? (aboutTheOffer ? before.proposedSignalId : null);
}

/** Applies a transition and writes everything it implies; a refused transition writes nothing. */
export async function applyTransition(trx: Kysely<DB>, deps: { audit: AuditLog }, request: TransitionRequest): Promise<TransitionWritten> {
  const { before, action, by } = request;
  const result = transition(before, {
    action,
    by,
    participants: request.participants.map((p) => ({ signalId: p.signalId, mayCoordinate: p.mayCoordinate ?? false, contacted: p.contacted ?? false })),
    ...(request.actorSignalId && { actorSignalId: request.actorSignalId }),
    ...(request.targetSignalId && { targetSignalId: request.targetSignalId }),
    ...(request.reason && { reason: request.reason }),
    ...(request.outcome && { outcome: request.outcome }),
  });
  if (!result.ok) return result;
  const step: Step = { request, next: result.next, category: request.reason ?? request.outcome ?? null, subjectSignalId: subjectOf(request) };
  await writeState(trx, step);
  await writeTransition(trx, step);
  await countForFigures(trx, step);
  const notified = await notifyOthers(trx, step);
  await deps.audit.record(trx, request.now, {
    type: 'coordination.changed',
    actor: request.actor,
    subjectKey: request.match.person_key,
    resource: { type: 'match', id: request.match.id },
    details: { action, from: before.state, to: result.next.state, ...(step.category && { category: step.category }) },
  });
  return { ok: true, next: result.next, notified };
}

/** The coordination row: inserted the first time a match leaves `open`, updated after. */
async function writeState(trx: Kysely<DB>, { request, next }: Step) {
  const { match, before, now } = request;
  const escalating = request.action === 'escalate';
  const row = {
    person_key: match.person_key,
    state: next.state,
    coordinator_signal_id: next.coordinatorSignalId,
    proposed_signal_id: next.proposedSignalId,
    escalation_reason: next.escalationReason,
    outcome: next.outcome,
    updated_at: now,
    state_since: next.state !== before.state ? now : before.stateSince,
    ...(escalating && { escalated_at: now, escalated_by: escalatedBy(request.by) }),
  };
  await trx
    .insertInto('coordinations')
    .values({ match_id: match.id, ...row, escalated_at: row.escalated_at ?? null, escalated_by: row.escalated_by ?? null })
    .onConflict((oc) => oc.column('match_id').doUpdateSet(row))
    .execute();
}

/** The history record: who, when, from and to, the coordinator after it, whom it concerned, the category. */
async function writeTransition(trx: Kysely<DB>, { request, next, category, subjectSignalId }: Step) {
  const { match, before, actor, action } = request;
  await trx
    .insertInto('coordination_transitions')
    .values({
      match_id: match.id,
      person_key: match.person_key,
      occurred_at: request.now,
      action,
      from_state: before.state,
      to_state: next.state,
      actor_type: actor.kind === 'professional' || actor.kind === 'staff' ? actor.kind : 'system',
      actor_id: actor.kind === 'professional' ? actor.professionalId : actor.kind === 'staff' ? actor.staffMemberId : null,
      coordinator_signal_id: next.coordinatorSignalId,
      subject_signal_id: subjectSignalId,
      category,
    })
    .execute();
}

/** The figures for policy count a coordinator agreed (by the coordinator's domain) and an escalation (by its reason). */
async function countForFigures(trx: Kysely<DB>, { request, next, category }: Step) {
  const { action, now } = request;
  if (action === 'escalate') await countFigure(trx, { figure: 'escalations', column: category ?? 'other', at: now });
  else if ((action === 'take' || action === 'accept_handover' || action === 'appoint') && next.coordinatorSignalId)
    await countSignalsByDomain(trx, { figure: 'coordination', signalIds: [next.coordinatorSignalId], at: now });
}

/** Everyone but the one who acted hears of it (ids only; the dispatcher words it). Returns how many records were written. */
async function notifyOthers(trx: Kysely<DB>, { request, next, category, subjectSignalId }: Step): Promise<number> {
  const { actor, action, match } = request;
  if (!announcedToOthers(action)) return 0;
  const recipients = request.participants.filter(
    (p) => p.signalId !== request.actorSignalId && !(actor.kind === 'professional' && p.professionalId === actor.professionalId),
  );
  if (recipients.length === 0) return 0;
  // Whom a hand-over offer concerns (made or withdrawn), so that their mail can say it is them.
  const offeredTo = action === 'propose_handover' || action === 'withdraw_handover' ? subjectSignalId : null;
  await trx
    .insertInto('outbox')
    .values(
      recipients.map((p) => ({
        created_at: request.now,
        event_type: 'coordination.changed' as const,
        recipient_professional_id: p.professionalId,
        organisation_id: p.organisationId,
        payload: JSON.stringify({
          signalId: p.signalId,
          matchId: match.id,
          action,
          ...(next.coordinatorSignalId && { coordinatorSignalId: next.coordinatorSignalId }),
          ...(offeredTo && { proposedSignalId: offeredTo }),
          ...(category && { reason: category }),
          ...(match.kind && match.kind !== 'person' && { matchKind: match.kind }),
        }),
      })),
    )
    .execute();
  return recipients.length;
}

/**
 * Called when a signal leaves a match that stays open (ended, expired, purged, or ended by a
 * transfer), and before a signal is purged: when it coordinated, coordination goes back to open
 * (or stays escalated) and the others hear of it; when a hand-over was offered to it, the offer
 * lapses. Runs in the caller's transaction, under the person lock.
 */
export async function coordinationAfterLeave(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: {
    matchId: string;
    personKey: Uint8Array;
    kind?: MatchKind;
    leftSignalId: string;
    now: Date;
    remaining: { id: string; professional_id: string; organisation_id: string }[];
  },
): Promise<void> {
  const before = await storedCoordination(trx, input.matchId);
  const action = before && leaveAction(before, input.leftSignalId);
  if (!before || !action) return;
  await applyTransition(trx, deps, {
    match: { id: input.matchId, person_key: input.personKey, ...(input.kind && { kind: input.kind }) },
    before,
    participants: input.remaining.map((r) => ({ signalId: r.id, professionalId: r.professional_id, organisationId: r.organisation_id })),
    actor: { kind: 'system', requestId: null },
    by: 'system',
    action,
    leftSignalId: input.leftSignalId,
    now: input.now,
  });
}
