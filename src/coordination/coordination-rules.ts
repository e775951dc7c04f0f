/**
 * The rules of coordination after a match, as plain functions (no I/O):
 *   - the table of allowed transitions (who may do what, from which state, to which state),
 *   - working days for the escalation timers,
 *   - which participant the covenant's domain priority proposes as coordinator,
 *   - the follow-up figures with small cells suppressed.
 *
 *   open ──take──▶ taken ──propose_handover──▶ handover_proposed ──accept/decline/withdraw──▶ taken
 *     ▲              │                                                                       │
 *     └─coordinator_left─┘        any of open/taken/handover_proposed/resolved ──escalate──▶ escalated
 *   escalated ──appoint──▶ escalated (with a coordinator) ──resolve──▶ resolved
 */
import { addDaysToIsoDate, type IsoDate } from '../shared/calendar.ts';
import { isDutchPublicHoliday } from '../shared/public-holidays.ts';

export const STATES = ['open', 'taken', 'handover_proposed', 'escalated', 'resolved'] as const;
export type CoordinationState = (typeof STATES)[number];

export const ACTIONS = [
  'take',
  'propose_handover',
  'accept_handover',
  'decline_handover',
  'withdraw_handover',
  'coordinator_left',
  'proposed_left',
  'escalate',
  'appoint',
  'resolve',
] as const;
export type CoordinationAction = (typeof ACTIONS)[number];

/** How the actor relates to this match's coordination. */
export type Standing = 'coordinator' | 'proposed' | 'participant' | 'officer' | 'system';

export const ESCALATION_REASONS = ['no_coordinator', 'no_contact', 'no_agreement', 'other'] as const;
export type EscalationReason = (typeof ESCALATION_REASONS)[number];
export const OUTCOMES = ['coordinator_appointed', 'contact_restored', 'no_coordination_needed', 'other'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export type Coordination = {
  state: CoordinationState;
  coordinatorSignalId: string | null;
  proposedSignalId: string | null;
  escalationReason: EscalationReason | null;
  outcome: Outcome | null;
};

export const OPEN: Coordination = { state: 'open', coordinatorSignalId: null, proposedSignalId: null, escalationReason: null, outcome: null };

type Rule = { from: readonly CoordinationState[]; to: CoordinationState | 'unchanged'; by: readonly Standing[] };

/** The state table: every allowed transition. Anything not listed is refused. */
export const TRANSITIONS: Record<CoordinationAction, Rule> = {
  take: { from: ['open', 'resolved'], to: 'taken', by: ['participant', 'proposed'] },
  propose_handover: { from: ['taken', 'resolved'], to: 'handover_proposed', by: ['coordinator'] },
  accept_handover: { from: ['handover_proposed'], to: 'taken', by: ['proposed'] },
  decline_handover: { from: ['handover_proposed'], to: 'taken', by: ['proposed'] },
  withdraw_handover: { from: ['handover_proposed'], to: 'taken', by: ['coordinator'] },
  coordinator_left: { from: ['taken', 'handover_proposed', 'resolved', 'escalated'], to: 'unchanged', by: ['system'] },
  proposed_left: { from: ['handover_proposed'], to: 'taken', by: ['system'] },
  escalate: { from: ['open', 'taken', 'handover_proposed', 'resolved'], to: 'escalated', by: ['coordinator', 'proposed', 'participant', 'system'] },
  appoint: { from: ['escalated'], to: 'unchanged', by: ['officer'] },
  resolve: { from: ['escalated'], to: 'resolved', by: ['officer'] },
};

export type TransitionInput = {
  action: CoordinationAction;
  by: Standing;
  /** The acting participant's signal (take). */
  actorSignalId?: string;
  /** The participant concerned: the hand-over target, or the officer's appointee. */
  targetSignalId?: string;
  /** The signals of the match's current participants. */
  participants: readonly string[];
  reason?: EscalationReason;
  outcome?: Outcome;
};

export type TransitionRefusal = 'state' | 'standing' | 'target' | 'reason' | 'outcome' | 'has_coordinator';
export type TransitionResult = { ok: true; next: Coordination } | { ok: false; refusal: TransitionRefusal };

const refuse = (refusal: TransitionRefusal): TransitionResult => ({ ok: false, refusal });

/** Applies one action to a coordination, or says why it is not allowed. */
export function transition(current: Coordination, input: TransitionInput): TransitionResult {
  const rule = TRANSITIONS[input.action];
  if (!rule.from.includes(current.state)) {
    // Taking while someone coordinates says so, rather than only that the state does not allow it.
    const taken = input.action === 'take' && current.coordinatorSignalId && current.state !== 'escalated';
    return refuse(taken ? 'has_coordinator' : 'state');
  }
  if (!rule.by.includes(input.by)) return refuse('standing');
  const isParticipant = (id: string | undefined): id is string => Boolean(id && input.participants.includes(id));
  const to = rule.to === 'unchanged' ? current.state : rule.to;
  switch (input.action) {
    case 'take':
      if (current.coordinatorSignalId) return refuse('has_coordinator');
      if (!isParticipant(input.actorSignalId)) return refuse('standing');
      return { ok: true, next: { ...current, state: to, coordinatorSignalId: input.actorSignalId, proposedSignalId: null, outcome: null } };
    case 'propose_handover':
      if (!current.coordinatorSignalId) return refuse('state');
      if (!isParticipant(input.targetSignalId) || input.targetSignalId === current.coordinatorSignalId) return refuse('target');
      return { ok: true, next: { ...current, state: to, proposedSignalId: input.targetSignalId } };
    case 'accept_handover':
      return { ok: true, next: { ...current, state: to, coordinatorSignalId: current.proposedSignalId, proposedSignalId: null } };
    case 'decline_handover':
    case 'withdraw_handover':
    case 'proposed_left':
      return { ok: true, next: { ...current, state: to, proposedSignalId: null } };
    case 'coordinator_left':
      return { ok: true, next: { ...current, state: current.state === 'escalated' ? 'escalated' : 'open', coordinatorSignalId: null, proposedSignalId: null } };
    case 'escalate': {
      if (!input.reason || !(ESCALATION_REASONS as readonly string[]).includes(input.reason)) return refuse('reason');
      return { ok: true, next: { ...current, state: to, proposedSignalId: null, escalationReason: input.reason, outcome: null } };
    }
    case 'appoint':
      if (!isParticipant(input.targetSignalId)) return refuse('target');
      return { ok: true, next: { ...current, coordinatorSignalId: input.targetSignalId } };
    case 'resolve':
      if (!input.outcome || !(OUTCOMES as readonly string[]).includes(input.outcome)) return refuse('outcome');
      return { ok: true, next: { ...current, state: to, outcome: input.outcome } };
  }
}

/** The actions a standing may take in a state, for the pages (each still checked by `transition`). */
export function allowedActions(current: Coordination, by: Standing): CoordinationAction[] {
  return ACTIONS.filter((action) => {
    const rule = TRANSITIONS[action];
    if (!rule.from.includes(current.state) || !rule.by.includes(by) || by === 'system') return false;
    if (action === 'take' && current.coordinatorSignalId) return false;
    if (action === 'propose_handover' && !current.coordinatorSignalId) return false;
    return true;
  });
}

// ------------------------------------------------------------------------------------------------
// Working days (Monday to Friday, not a public holiday) for the escalation timers.

const weekday = (date: IsoDate) => new Date(`${date}T12:00:00Z`).getUTCDay();
export const isWorkingDay = (date: IsoDate) => weekday(date) !== 0 && weekday(date) !== 6 && !isDutchPublicHoliday(date);

/** The date that is `days` working days after `from` (weekends and public holidays skipped; from itself does not count). */
export function addWorkingDays(from: IsoDate, days: number): IsoDate {
  let date = from;
  let left = days;
  while (left > 0) {
    date = addDaysToIsoDate(date, 1);
    if (isWorkingDay(date)) left -= 1;
  }
  return date;
}

/** Whether, on `today`, at least `days` working days have passed since `since`. */
export const workingDaysPassed = (since: IsoDate, today: IsoDate, days: number): boolean => addWorkingDays(since, days) <= today;

// ------------------------------------------------------------------------------------------------
// The covenant's domain priority.

export type Candidate = { signalId: string; domains: readonly string[]; since: Date };

/**
 * The participant to propose as coordinator: the one whose organisation works in the domain that
 * comes first in the priority list; between equals, the one involved longest. Null without a rule
 * or when no participant is in a listed domain.
 */
export function proposedCoordinator(candidates: readonly Candidate[], priority: readonly string[]): string | null {
  let best: { rank: number; candidate: Candidate } | null = null;
  for (const candidate of candidates) {
    const ranks = candidate.domains.map((d) => priority.indexOf(d)).filter((r) => r >= 0);
    if (ranks.length === 0) continue;
    const rank = Math.min(...ranks);
    if (!best || rank < best.rank || (rank === best.rank && candidate.since.getTime() < best.candidate.since.getTime())) best = { rank, candidate };
  }
  return best?.candidate.signalId ?? null;
}

// ------------------------------------------------------------------------------------------------
// Follow-up figures.

export const SUPPRESS_BELOW = 5;

/** A count for publication: the number, or null ("fewer than 5") when it could point at someone. Zero is shown. */
export const suppressed = (count: number): number | null => (count > 0 && count < SUPPRESS_BELOW ? null : count);

/** The median of a list of numbers, or null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
