/**
 * The rules of coordination after a match, as plain functions (no I/O):
 *   - the table of allowed transitions (who may do what, from which state, to which state),
 *   - who may coordinate (the covenant of an organisation that may only signal), and which escalation
 *     reasons fit the match as it stands,
 *   - working days, and the escalation timers: when a match is due for escalation, when it stalls,
 *   - which participant the covenant's domain priority proposes as coordinator,
 *   - the follow-up figures with small cells suppressed, counted per month in Amsterdam time.
 *
 *   open ──take──▶ taken ──propose_handover──▶ handover_proposed ──accept/decline/withdraw──▶ taken
 *     ▲              │                                                                       │
 *     └─coordinator_left─┘        any of open/taken/handover_proposed/resolved ──escalate──▶ escalated
 *   escalated ──appoint──▶ escalated (with a coordinator) ──resolve──▶ resolved
 */
import { addDaysToIsoDate, amsterdamDate, type IsoDate, startOfAmsterdamDay } from '../shared/calendar.ts';
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

/** The actions a participant may ask for; coordinator_left and proposed_left are the system's, appoint and resolve the officer's. */
export const PARTICIPANT_ACTIONS = ['take', 'propose_handover', 'accept_handover', 'decline_handover', 'withdraw_handover', 'escalate'] as const;
export const OFFICER_ACTIONS = ['appoint', 'resolve'] as const;

export type Coordination = {
  state: CoordinationState;
  coordinatorSignalId: string | null;
  proposedSignalId: string | null;
  escalationReason: EscalationReason | null;
  outcome: Outcome | null;
};

export const OPEN: Coordination = { state: 'open', coordinatorSignalId: null, proposedSignalId: null, escalationReason: null, outcome: null };

/**
 * What the rules know of a current participant: whether their organisation's covenant lets them
 * take coordination (schools and the police, for instance, signal only), and whether they recorded
 * contact with the others.
 */
export type ParticipantFacts = { signalId: string; mayCoordinate: boolean; contacted: boolean };

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
  /** The match's current participants. */
  participants: readonly ParticipantFacts[];
  reason?: EscalationReason;
  outcome?: Outcome;
};

/**
 * Why a transition is refused. `covenant`: the acting participant's organisation may only signal;
 * `target_covenant`: so may the chosen participant's; `reason_unfit`: the escalation reason
 * contradicts the match (reasonFits).
 */
export type TransitionRefusal = 'state' | 'standing' | 'target' | 'target_covenant' | 'covenant' | 'reason' | 'reason_unfit' | 'outcome' | 'has_coordinator';
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
  const isParticipant = (id: string | undefined | null): id is string => Boolean(id && input.participants.some((p) => p.signalId === id));
  const may = (id: string | undefined | null) => mayCoordinate(input.participants, id);
  const to = rule.to === 'unchanged' ? current.state : rule.to;
  switch (input.action) {
    case 'take':
      if (current.coordinatorSignalId) return refuse('has_coordinator');
      if (!isParticipant(input.actorSignalId)) return refuse('standing');
      if (!may(input.actorSignalId)) return refuse('covenant');
      return { ok: true, next: { ...current, state: to, coordinatorSignalId: input.actorSignalId, proposedSignalId: null, outcome: null } };
    case 'propose_handover':
      if (!current.coordinatorSignalId) return refuse('state');
      if (!isParticipant(input.targetSignalId) || input.targetSignalId === current.coordinatorSignalId) return refuse('target');
      if (!may(input.targetSignalId)) return refuse('target_covenant');
      return { ok: true, next: { ...current, state: to, proposedSignalId: input.targetSignalId } };
    case 'accept_handover':
      // The covenant may have changed since the offer: one who may only signal can still decline it.
      if (!may(current.proposedSignalId)) return refuse('covenant');
      return { ok: true, next: { ...current, state: to, coordinatorSignalId: current.proposedSignalId, proposedSignalId: null } };
    case 'decline_handover':
    case 'withdraw_handover':
    case 'proposed_left':
      return { ok: true, next: { ...current, state: to, proposedSignalId: null } };
    case 'coordinator_left':
      return { ok: true, next: { ...current, state: current.state === 'escalated' ? 'escalated' : 'open', coordinatorSignalId: null, proposedSignalId: null } };
    case 'escalate': {
      if (!input.reason || !(ESCALATION_REASONS as readonly string[]).includes(input.reason)) return refuse('reason');
      if (!reasonFits(input.reason, current, input.participants)) return refuse('reason_unfit');
      return { ok: true, next: { ...current, state: to, proposedSignalId: null, escalationReason: input.reason, outcome: null } };
    }
    case 'appoint':
      if (!isParticipant(input.targetSignalId)) return refuse('target');
      if (!may(input.targetSignalId)) return refuse('target_covenant');
      return { ok: true, next: { ...current, coordinatorSignalId: input.targetSignalId } };
    case 'resolve':
      if (!input.outcome || !(OUTCOMES as readonly string[]).includes(input.outcome)) return refuse('outcome');
      return { ok: true, next: { ...current, state: to, outcome: input.outcome } };
  }
}

/** Whether this participant's covenant lets them take coordination (false for anyone who is not a current participant). */
export const mayCoordinate = (participants: readonly ParticipantFacts[], signalId: string | undefined | null): boolean =>
  Boolean(signalId && participants.some((p) => p.signalId === signalId && p.mayCoordinate));

/**
 * The actions a standing may take now, for the pages and the API's `allowed` (each still checked by
 * `transition`): what the state table allows, less what the covenant or the match rules out — taking
 * or accepting for one who may only signal, handing over or appointing when nobody else may coordinate.
 */
export function allowedActions(
  current: Coordination,
  by: Standing,
  facts: { participants: readonly ParticipantFacts[]; actorSignalId?: string | undefined },
): CoordinationAction[] {
  const { participants, actorSignalId } = facts;
  return ACTIONS.filter((action) => {
    const rule = TRANSITIONS[action];
    if (!rule.from.includes(current.state) || !rule.by.includes(by) || by === 'system') return false;
    switch (action) {
      case 'take':
        return !current.coordinatorSignalId && mayCoordinate(participants, actorSignalId);
      case 'accept_handover':
        return mayCoordinate(participants, current.proposedSignalId);
      case 'propose_handover':
        return Boolean(current.coordinatorSignalId) && participants.some((p) => p.mayCoordinate && p.signalId !== current.coordinatorSignalId);
      case 'appoint':
        return participants.some((p) => p.mayCoordinate);
      case 'escalate':
        return fittingReasons(current, participants).length > 0;
      default:
        return true;
    }
  });
}

/**
 * Whether an escalation reason fits the match as SluiS knows it, so that no escalation contradicts
 * it: "nobody coordinates" only while nobody does; "no contact" only while someone has not recorded
 * contact; "no agreement" only with someone to disagree with; "another reason" always.
 */
export function reasonFits(reason: EscalationReason, current: Pick<Coordination, 'coordinatorSignalId'>, participants: readonly ParticipantFacts[]): boolean {
  switch (reason) {
    case 'no_coordinator':
      return current.coordinatorSignalId === null;
    case 'no_contact':
      return participants.some((p) => !p.contacted);
    case 'no_agreement':
      return participants.length >= 2;
    case 'other':
      return true;
  }
}

/** The escalation reasons that fit the match now, in the form's order. */
export const fittingReasons = (current: Pick<Coordination, 'coordinatorSignalId'>, participants: readonly ParticipantFacts[]): EscalationReason[] =>
  ESCALATION_REASONS.filter((reason) => reasonFits(reason, current, participants));

/** How a participant's signal relates to a coordination (never officer or system: those are not participants). */
export const standingOf = (coordination: Coordination, signalId: string): Standing =>
  coordination.coordinatorSignalId === signalId ? 'coordinator' : coordination.proposedSignalId === signalId ? 'proposed' : 'participant';

/** What a signal leaving the match does to its coordination: the coordinator leaves, an offered hand-over lapses, or nothing. */
export const leaveAction = (coordination: Coordination, leftSignalId: string): 'coordinator_left' | 'proposed_left' | null =>
  coordination.coordinatorSignalId === leftSignalId ? 'coordinator_left' : coordination.proposedSignalId === leftSignalId ? 'proposed_left' : null;

/**
 * Whether the others hear of a transition (mail, webhook, feed). A lapsed hand-over offer changes
 * nothing for them — the coordinator stays — so it is recorded but not announced.
 */
export const announcedToOthers = (action: CoordinationAction): boolean => action !== 'proposed_left';

/** The actor recorded for the timers' escalations and for a participant leaving. */
export const escalatedBy = (by: Standing): 'timer' | 'participant' => (by === 'system' ? 'timer' : 'participant');

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
// The escalation timers and the stalled matches on the officer's work list.

export type TimerSettings = { escalateNoCoordinatorWorkingDays: number; escalateNoContactWorkingDays: number };
export type TimerReason = 'no_coordinator' | 'no_contact';

/** What the timers look at in one open match. */
export type TimerFacts = {
  state: CoordinationState;
  /** When the match was made. */
  matchCreatedAt: Date;
  /** Since when the coordination is in its state (the match's creation while it has no row). */
  stateSince: Date;
  /** How many current participants have not recorded contact. */
  withoutContact: number;
};

/** The states the timers watch: once escalated they have done their work, and after a resolution they leave the match alone. */
export const TIMED_STATES: readonly CoordinationState[] = ['open', 'taken', 'handover_proposed'];

/** A match stalls at half a term, rounded up, and at least one working day. */
export const halfTerm = (workingDays: number): number => Math.max(1, Math.ceil(workingDays / 2));

/** The reason a term has run out: open without a coordinator since the state began, or someone without contact since the match. A term of 0 never runs out. */
function termPassed(facts: TimerFacts, settings: TimerSettings, today: IsoDate, term: (workingDays: number) => number): TimerReason | null {
  if (!TIMED_STATES.includes(facts.state)) return null;
  const { escalateNoCoordinatorWorkingDays: noCoordinator, escalateNoContactWorkingDays: noContact } = settings;
  if (facts.state === 'open' && noCoordinator > 0 && workingDaysPassed(amsterdamDate(facts.stateSince), today, term(noCoordinator))) return 'no_coordinator';
  if (facts.withoutContact > 0 && noContact > 0 && workingDaysPassed(amsterdamDate(facts.matchCreatedAt), today, term(noContact))) return 'no_contact';
  return null;
}

/** Why the timer escalates this match now, or null. */
export const escalationDue = (facts: TimerFacts, settings: TimerSettings, now: Date): TimerReason | null =>
  termPassed(facts, settings, amsterdamDate(now), (days) => days);

/** Why this match is on the officer's work list as stalled (past half a term, not escalated or resolved), or null. */
export const stalledReason = (facts: TimerFacts, settings: TimerSettings, now: Date): TimerReason | null =>
  termPassed(facts, settings, amsterdamDate(now), halfTerm);

/**
 * Matches made at or after this instant cannot be due yet: N working days span at least N calendar
 * days, less one day of slack because the terms count Amsterdam dates, not hours. A cheap pre-filter for the sweep.
 */
export function escalationCutoff(settings: TimerSettings, now: Date): Date {
  const shortest = Math.min(settings.escalateNoCoordinatorWorkingDays || 999, settings.escalateNoContactWorkingDays || 999);
  return new Date(now.getTime() - (shortest - 1) * 86_400_000);
}

/**
 * Matches made at or after this instant cannot be stalled yet (half a term has not passed); like
 * escalationCutoff, with a day of slack. Null when both timers are off: then nothing stalls.
 */
export function stallCutoff(settings: TimerSettings, now: Date): Date | null {
  const terms = [settings.escalateNoCoordinatorWorkingDays, settings.escalateNoContactWorkingDays].filter((days) => days > 0);
  if (terms.length === 0) return null;
  return new Date(now.getTime() - (halfTerm(Math.min(...terms)) - 1) * 86_400_000);
}

/** The escalation officer's work list: escalated matches first, oldest escalation first, then the stalled ones, oldest match first. */
export const workListOrder = (
  a: { state: CoordinationState; escalatedAt: Date | null; matchCreatedAt: Date },
  b: { state: CoordinationState; escalatedAt: Date | null; matchCreatedAt: Date },
): number =>
  (a.state === 'escalated' ? 0 : 1) - (b.state === 'escalated' ? 0 : 1) ||
  (a.escalatedAt ?? a.matchCreatedAt).getTime() - (b.escalatedAt ?? b.matchCreatedAt).getTime();

/** Whether a contact date is allowed: from the (Amsterdam) day of the match up to today. */
export const contactDateAllowed = (contactedOn: IsoDate, matchCreatedAt: Date, now: Date): boolean =>
  contactedOn >= amsterdamDate(matchCreatedAt) && contactedOn <= amsterdamDate(now);

// ------------------------------------------------------------------------------------------------
// The covenant's domain priority.

export type Candidate = { signalId: string; domains: readonly string[]; since: Date; mayCoordinate: boolean };

/**
 * The participant to propose as coordinator: among those whose covenant lets them coordinate, the
 * one whose organisation works in the domain that comes first in the priority list; between equals,
 * the one involved longest. Null without a rule or when no such participant is in a listed domain.
 */
export function proposedCoordinator(candidates: readonly Candidate[], priority: readonly string[]): string | null {
  let best: { rank: number; candidate: Candidate } | null = null;
  for (const candidate of candidates) {
    if (!candidate.mayCoordinate) continue;
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

/** The instants a period of Amsterdam days covers, `to` inclusive. */
export const amsterdamPeriod = (from: IsoDate, to: IsoDate): { from: Date; to: Date } => ({
  from: startOfAmsterdamDay(from),
  to: new Date(startOfAmsterdamDay(addDaysToIsoDate(to, 1)).getTime() - 1),
});

/** One match, as the follow-up figures count it. */
export type FollowUpMatch = { createdAt: Date; firstCoordinatorAt: Date | null; firstContactOn: IsoDate | null; escalations: number };

export type FollowUpPeriod = {
  month: string;
  matches: number | null;
  withCoordinator: number | null;
  withContact: number | null;
  escalated: number | null;
  medianDaysToCoordinator: number | null;
  medianDaysToContact: number | null;
};

/** Whole days from a to b, not below zero. */
const daysBetween = (a: Date, b: Date) => Math.max(0, Math.round((b.getTime() - a.getTime()) / 86_400_000));
/** Calendar days from one date to another. */
const datesBetween = (a: IsoDate, b: IsoDate) => daysBetween(new Date(`${a}T00:00:00Z`), new Date(`${b}T00:00:00Z`));
/** A median only over enough matches that it points at no one. */
const safeMedian = (values: number[]) => (values.length >= SUPPRESS_BELOW ? median(values) : null);

/** The follow-up figures per month (YYYY-MM, Amsterdam time) of the match, oldest month first, small counts suppressed. */
export function followUpFigures(matches: readonly FollowUpMatch[]): FollowUpPeriod[] {
  const byMonth = new Map<string, FollowUpMatch[]>();
  for (const m of matches) {
    const month = amsterdamDate(m.createdAt).slice(0, 7);
    byMonth.set(month, [...(byMonth.get(month) ?? []), m]);
  }
  return [...byMonth.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([month, list]) => {
      const withCoordinator = list.filter((m): m is FollowUpMatch & { firstCoordinatorAt: Date } => m.firstCoordinatorAt !== null);
      const withContact = list.filter((m): m is FollowUpMatch & { firstContactOn: IsoDate } => m.firstContactOn !== null);
      return {
        month,
        matches: suppressed(list.length),
        withCoordinator: suppressed(withCoordinator.length),
        withContact: suppressed(withContact.length),
        escalated: suppressed(list.filter((m) => m.escalations > 0).length),
        medianDaysToCoordinator: safeMedian(withCoordinator.map((m) => daysBetween(m.createdAt, m.firstCoordinatorAt))),
        medianDaysToContact: safeMedian(withContact.map((m) => datesBetween(amsterdamDate(m.createdAt), m.firstContactOn))),
      };
    });
}

/** The median of a list of numbers, or null for an empty list. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
