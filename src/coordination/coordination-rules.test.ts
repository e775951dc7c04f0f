import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDaysToIsoDate } from '../shared/calendar.ts';
import {
  ACTIONS,
  addWorkingDays,
  allowedActions,
  amsterdamPeriod,
  announcedToOthers,
  type Coordination,
  type CoordinationAction,
  type CoordinationState,
  contactDateAllowed,
  ESCALATION_REASONS,
  escalationCutoff,
  escalationDue,
  type FollowUpMatch,
  fittingReasons,
  followUpFigures,
  halfTerm,
  isWorkingDay,
  leaveAction,
  mayCoordinate,
  median,
  OPEN,
  type ParticipantFacts,
  proposedCoordinator,
  reasonFits,
  STATES,
  type Standing,
  stalledReason,
  standingOf,
  suppressed,
  TIMED_STATES,
  type TimerFacts,
  TRANSITIONS,
  type TransitionInput,
  transition,
  workingDaysPassed,
  workListOrder,
} from './coordination-rules.ts';

const A = 'signal-a';
const B = 'signal-b';
const C = 'signal-c';
/** Three participants whose covenants let them coordinate, none of whom recorded contact yet. */
const participants: ParticipantFacts[] = [A, B, C].map((signalId) => ({ signalId, mayCoordinate: true, contacted: false }));
/** The same participants, with `signalOnly` from organisations that may only signal. */
const withSignalOnly = (...signalOnly: string[]): ParticipantFacts[] => participants.map((p) => ({ ...p, mayCoordinate: !signalOnly.includes(p.signalId) }));

/** A coordination in `state` that makes sense for it. */
function inState(state: CoordinationState): Coordination {
  switch (state) {
    case 'open':
      return OPEN;
    case 'taken':
      return { ...OPEN, state, coordinatorSignalId: A };
    case 'handover_proposed':
      return { ...OPEN, state, coordinatorSignalId: A, proposedSignalId: B };
    case 'escalated':
      return { ...OPEN, state, escalationReason: 'no_coordinator' };
    case 'resolved':
      return { ...OPEN, state, coordinatorSignalId: A, escalationReason: 'no_coordinator', outcome: 'coordinator_appointed' };
  }
}

/** A well-formed input for an action by a standing (the refusals then come from state or standing only). */
function inputFor(action: CoordinationAction, by: Standing): TransitionInput {
  const actorSignalId = by === 'coordinator' ? A : by === 'proposed' ? B : by === 'participant' ? C : undefined;
  return {
    action,
    by,
    participants,
    ...(actorSignalId && { actorSignalId }),
    targetSignalId: action === 'appoint' ? C : B,
    reason: 'no_agreement',
    outcome: 'contact_restored',
  };
}

const STANDINGS: Standing[] = ['coordinator', 'proposed', 'participant', 'officer', 'system'];

test('every allowed and every refused transition, against the table', () => {
  const allowed: string[] = [];
  for (const state of STATES) {
    for (const action of ACTIONS) {
      for (const by of STANDINGS) {
        const current = action === 'take' && state === 'resolved' ? { ...inState(state), coordinatorSignalId: null } : inState(state);
        const result = transition(current, inputFor(action, by));
        const rule = TRANSITIONS[action];
        const expected = rule.from.includes(state) && rule.by.includes(by);
        assert.equal(result.ok, expected, `${action} by ${by} in ${state}`);
        if (result.ok) allowed.push(`${state} --${action}(${by})--> ${result.next.state}`);
        else if (action === 'take' && current.coordinatorSignalId && !rule.from.includes(state))
          assert.equal(result.refusal, 'has_coordinator', `${action} by ${by} in ${state}`);
        else assert.ok(['state', 'standing'].includes(result.refusal), `${action} by ${by} in ${state}: ${result.refusal}`);
      }
    }
  }
  assert.deepEqual(allowed.sort(), [
    'escalated --appoint(officer)--> escalated',
    'escalated --coordinator_left(system)--> escalated',
    'escalated --resolve(officer)--> resolved',
    'handover_proposed --accept_handover(proposed)--> taken',
    'handover_proposed --coordinator_left(system)--> open',
    'handover_proposed --decline_handover(proposed)--> taken',
    'handover_proposed --escalate(coordinator)--> escalated',
    'handover_proposed --escalate(participant)--> escalated',
    'handover_proposed --escalate(proposed)--> escalated',
    'handover_proposed --escalate(system)--> escalated',
    'handover_proposed --proposed_left(system)--> taken',
    'handover_proposed --withdraw_handover(coordinator)--> taken',
    'open --escalate(coordinator)--> escalated',
    'open --escalate(participant)--> escalated',
    'open --escalate(proposed)--> escalated',
    'open --escalate(system)--> escalated',
    'open --take(participant)--> taken',
    'open --take(proposed)--> taken',
    'resolved --coordinator_left(system)--> open',
    'resolved --escalate(coordinator)--> escalated',
    'resolved --escalate(participant)--> escalated',
    'resolved --escalate(proposed)--> escalated',
    'resolved --escalate(system)--> escalated',
    'resolved --propose_handover(coordinator)--> handover_proposed',
    'resolved --take(participant)--> taken',
    'resolved --take(proposed)--> taken',
    'taken --coordinator_left(system)--> open',
    'taken --escalate(coordinator)--> escalated',
    'taken --escalate(participant)--> escalated',
    'taken --escalate(proposed)--> escalated',
    'taken --escalate(system)--> escalated',
    'taken --propose_handover(coordinator)--> handover_proposed',
  ]);
});

test('taking, handing over, accepting and declining move the coordinator as expected', () => {
  const taken = transition(OPEN, { action: 'take', by: 'participant', actorSignalId: A, participants });
  assert.ok(taken.ok);
  assert.equal(taken.next.coordinatorSignalId, A);
  assert.deepEqual(transition(taken.next, { action: 'take', by: 'participant', actorSignalId: B, participants }), { ok: false, refusal: 'has_coordinator' });
  const proposed = transition(taken.next, { action: 'propose_handover', by: 'coordinator', targetSignalId: B, participants });
  assert.ok(proposed.ok);
  assert.equal(proposed.next.proposedSignalId, B);
  const accepted = transition(proposed.next, { action: 'accept_handover', by: 'proposed', participants });
  assert.ok(accepted.ok);
  assert.deepEqual([accepted.next.state, accepted.next.coordinatorSignalId, accepted.next.proposedSignalId], ['taken', B, null]);
  const declined = transition(proposed.next, { action: 'decline_handover', by: 'proposed', participants });
  assert.ok(declined.ok);
  assert.deepEqual([declined.next.state, declined.next.coordinatorSignalId], ['taken', A]);
});

test('a hand-over goes to another current participant only; a take needs a participant', () => {
  const taken = inState('taken');
  for (const target of [A, 'not-a-participant', undefined]) {
    assert.deepEqual(transition(taken, { action: 'propose_handover', by: 'coordinator', ...(target && { targetSignalId: target }), participants }), {
      ok: false,
      refusal: 'target',
    });
  }
  assert.deepEqual(transition(OPEN, { action: 'take', by: 'participant', actorSignalId: 'stranger', participants }), { ok: false, refusal: 'standing' });
  assert.deepEqual(transition(inState('escalated'), { action: 'appoint', by: 'officer', targetSignalId: 'stranger', participants }), {
    ok: false,
    refusal: 'target',
  });
});

test('escalating needs a reason category, resolving an outcome', () => {
  assert.deepEqual(transition(OPEN, { action: 'escalate', by: 'participant', participants }), { ok: false, refusal: 'reason' });
  assert.deepEqual(transition(OPEN, { action: 'escalate', by: 'participant', participants, reason: 'free text' as never }), { ok: false, refusal: 'reason' });
  assert.deepEqual(transition(inState('escalated'), { action: 'resolve', by: 'officer', participants }), { ok: false, refusal: 'outcome' });
});

test('when the coordinator leaves, coordination is open again (an escalation stays escalated)', () => {
  for (const state of ['taken', 'handover_proposed', 'resolved'] as const) {
    const result = transition(inState(state), { action: 'coordinator_left', by: 'system', participants });
    assert.ok(result.ok);
    assert.deepEqual([result.next.state, result.next.coordinatorSignalId, result.next.proposedSignalId], ['open', null, null]);
  }
  const escalated = transition({ ...inState('escalated'), coordinatorSignalId: A }, { action: 'coordinator_left', by: 'system', participants });
  assert.ok(escalated.ok);
  assert.deepEqual([escalated.next.state, escalated.next.coordinatorSignalId], ['escalated', null]);
});

test('a well-formed result always satisfies the invariants the database checks', () => {
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.constantFrom(...ACTIONS), fc.constantFrom(...STANDINGS), fc.constantFrom(A, B, C)), { maxLength: 30 }), (steps) => {
      let current: Coordination = OPEN;
      for (const [action, by, signal] of steps) {
        const result = transition(current, { action, by, participants, actorSignalId: signal, targetSignalId: signal, reason: 'other', outcome: 'other' });
        if (!result.ok) continue;
        current = result.next;
        assert.equal(current.state === 'handover_proposed', current.proposedSignalId !== null);
        if (current.state === 'taken' || current.state === 'handover_proposed') assert.ok(current.coordinatorSignalId);
        if (current.state === 'escalated') assert.ok(current.escalationReason);
        if (current.proposedSignalId) assert.notEqual(current.proposedSignalId, current.coordinatorSignalId);
      }
    }),
  );
});

test('allowed actions for the pages match the table', () => {
  assert.deepEqual(allowedActions(OPEN, 'participant', { participants, actorSignalId: C }), ['take', 'escalate']);
  assert.deepEqual(allowedActions(inState('taken'), 'coordinator', { participants, actorSignalId: A }), ['propose_handover', 'escalate']);
  assert.deepEqual(allowedActions(inState('handover_proposed'), 'proposed', { participants, actorSignalId: B }), [
    'accept_handover',
    'decline_handover',
    'escalate',
  ]);
  assert.deepEqual(allowedActions(inState('escalated'), 'officer', { participants }), ['appoint', 'resolve']);
  assert.deepEqual(allowedActions(inState('escalated'), 'participant', { participants, actorSignalId: C }), []);
});

// ------------------------------------------------------------------------------------------------
// Organisations that may only signal (the covenant).

test('one whose organisation may only signal cannot take coordination, nor accept it; declining stays possible', () => {
  const schoolC = withSignalOnly(C);
  assert.deepEqual(transition(OPEN, { action: 'take', by: 'participant', actorSignalId: C, participants: schoolC }), { ok: false, refusal: 'covenant' });
  assert.ok(transition(OPEN, { action: 'take', by: 'participant', actorSignalId: B, participants: schoolC }).ok);
  // Someone coordinates already: that is what the answer says, whoever asks.
  assert.deepEqual(transition(inState('taken'), { action: 'take', by: 'participant', actorSignalId: C, participants: schoolC }), {
    ok: false,
    refusal: 'has_coordinator',
  });
  // The covenant changed after B was offered the hand-over.
  const offered = inState('handover_proposed');
  const schoolB = withSignalOnly(B);
  assert.deepEqual(transition(offered, { action: 'accept_handover', by: 'proposed', participants: schoolB }), { ok: false, refusal: 'covenant' });
  assert.ok(transition(offered, { action: 'decline_handover', by: 'proposed', participants: schoolB }).ok);
  assert.deepEqual(allowedActions(offered, 'proposed', { participants: schoolB, actorSignalId: B }), ['decline_handover', 'escalate']);
  assert.deepEqual(allowedActions(OPEN, 'participant', { participants: schoolC, actorSignalId: C }), ['escalate']);
  assert.deepEqual(allowedActions(OPEN, 'participant', { participants: schoolC, actorSignalId: B }), ['take', 'escalate']);
});

test('a hand-over or an appointment goes only to one whose organisation may coordinate', () => {
  const schoolB = withSignalOnly(B);
  assert.deepEqual(transition(inState('taken'), { action: 'propose_handover', by: 'coordinator', targetSignalId: B, participants: schoolB }), {
    ok: false,
    refusal: 'target_covenant',
  });
  assert.ok(transition(inState('taken'), { action: 'propose_handover', by: 'coordinator', targetSignalId: C, participants: schoolB }).ok);
  assert.deepEqual(transition(inState('escalated'), { action: 'appoint', by: 'officer', targetSignalId: B, participants: schoolB }), {
    ok: false,
    refusal: 'target_covenant',
  });
  // Nobody else may coordinate: no hand-over offered; nobody at all: no appointment offered.
  assert.deepEqual(allowedActions(inState('taken'), 'coordinator', { participants: withSignalOnly(B, C), actorSignalId: A }), ['escalate']);
  assert.deepEqual(allowedActions(inState('escalated'), 'officer', { participants: withSignalOnly(A, B, C) }), ['resolve']);
  assert.deepEqual(allowedActions(inState('escalated'), 'officer', { participants: withSignalOnly(A, B) }), ['appoint', 'resolve']);
  assert.equal(mayCoordinate(schoolB, B), false);
  assert.equal(mayCoordinate(schoolB, A), true);
  assert.equal(mayCoordinate(schoolB, 'stranger'), false);
  assert.equal(mayCoordinate(schoolB, null), false);
});

test('whatever happens, nobody from an organisation that may only signal ever coordinates', () => {
  fc.assert(
    fc.property(
      fc.subarray([A, B, C]),
      fc.array(fc.tuple(fc.constantFrom(...ACTIONS), fc.constantFrom(...STANDINGS), fc.constantFrom(A, B, C)), { maxLength: 30 }),
      (signalOnly, steps) => {
        const facts = withSignalOnly(...signalOnly);
        let current: Coordination = OPEN;
        for (const [action, by, signal] of steps) {
          const result = transition(current, {
            action,
            by,
            participants: facts,
            actorSignalId: signal,
            targetSignalId: signal,
            reason: 'other',
            outcome: 'other',
          });
          if (!result.ok) continue;
          current = result.next;
          for (const held of [current.coordinatorSignalId, current.proposedSignalId])
            if (held) assert.ok(!signalOnly.includes(held), `${held} after ${action}`);
        }
      },
    ),
  );
});

// ------------------------------------------------------------------------------------------------
// Escalation reasons that fit the match.

test('an escalation reason must fit the match: no "nobody coordinates" while someone does, no "no contact" once all made contact', () => {
  const allContacted = participants.map((p) => ({ ...p, contacted: true }));
  const oneContacted = participants.map((p) => ({ ...p, contacted: p.signalId === A }));
  assert.deepEqual(fittingReasons(OPEN, participants), ['no_coordinator', 'no_contact', 'no_agreement', 'other']);
  assert.deepEqual(fittingReasons(inState('taken'), participants), ['no_contact', 'no_agreement', 'other']);
  assert.deepEqual(fittingReasons(inState('handover_proposed'), oneContacted), ['no_contact', 'no_agreement', 'other']);
  assert.deepEqual(fittingReasons(inState('taken'), allContacted), ['no_agreement', 'other']);
  assert.deepEqual(fittingReasons(OPEN, allContacted), ['no_coordinator', 'no_agreement', 'other']);
  // A resolved escalation whose coordinator left has nobody coordinating again.
  assert.deepEqual(fittingReasons({ ...inState('resolved'), coordinatorSignalId: null }, allContacted), ['no_coordinator', 'no_agreement', 'other']);
  // With nobody to disagree with (a match always has two; the rule does not lean on it).
  assert.deepEqual(fittingReasons(OPEN, allContacted.slice(0, 1)), ['no_coordinator', 'other']);
  assert.equal(reasonFits('other', inState('taken'), []), true);

  assert.deepEqual(transition(inState('taken'), { action: 'escalate', by: 'participant', participants, reason: 'no_coordinator' }), {
    ok: false,
    refusal: 'reason_unfit',
  });
  assert.deepEqual(transition(inState('taken'), { action: 'escalate', by: 'participant', participants: allContacted, reason: 'no_contact' }), {
    ok: false,
    refusal: 'reason_unfit',
  });
  assert.ok(transition(inState('taken'), { action: 'escalate', by: 'participant', participants: oneContacted, reason: 'no_contact' }).ok);
  assert.ok(transition(OPEN, { action: 'escalate', by: 'system', participants, reason: 'no_coordinator' }).ok);
});

test('an escalation is allowed exactly with a reason that fits, and the result never contradicts its reason', () => {
  const state = fc.constantFrom(...STATES).map(inState);
  const facts = fc.array(fc.record({ signalId: fc.constantFrom(A, B, C), mayCoordinate: fc.boolean(), contacted: fc.boolean() }), { maxLength: 3 });
  fc.assert(
    fc.property(state, facts, fc.constantFrom(...ESCALATION_REASONS), (current, people, reason) => {
      const result = transition(current, { action: 'escalate', by: 'participant', participants: people, reason });
      if (!TRANSITIONS.escalate.from.includes(current.state)) return;
      assert.equal(result.ok, fittingReasons(current, people).includes(reason));
      if (!result.ok) return;
      if (reason === 'no_coordinator') assert.equal(result.next.coordinatorSignalId, null);
      if (reason === 'no_contact') assert.ok(people.some((p) => !p.contacted));
    }),
  );
});

test('working days skip weekends', () => {
  // 2026-11-20 is a Friday.
  assert.equal(addWorkingDays('2026-11-20', 1), '2026-11-23');
  assert.equal(addWorkingDays('2026-11-20', 10), '2026-12-04');
  assert.equal(addWorkingDays('2026-11-21', 1), '2026-11-23');
  assert.equal(workingDaysPassed('2026-11-20', '2026-12-03', 10), false);
  assert.equal(workingDaysPassed('2026-11-20', '2026-12-04', 10), true);
  assert.equal(workingDaysPassed('2026-11-20', '2026-11-20', 0), true);
});

test('working days skip public holidays', () => {
  // Christmas 2026: Friday 25 and Saturday 26 December; New Year's Day is a Friday.
  assert.equal(addWorkingDays('2026-12-24', 1), '2026-12-28');
  assert.equal(addWorkingDays('2026-12-18', 10), '2027-01-05');
  // Ascension Day 2026 is Thursday 14 May; King's Day 2026 a Monday.
  assert.equal(addWorkingDays('2026-05-13', 1), '2026-05-15');
  assert.equal(addWorkingDays('2026-04-24', 1), '2026-04-28');
  assert.equal(isWorkingDay('2026-05-05'), false);
  assert.equal(isWorkingDay('2026-04-03'), true, 'Good Friday');
});

test('a working day is never a weekend or a holiday, and each added day reaches one', () => {
  const day = fc.integer({ min: 0, max: 3650 }).map((n) => addDaysToIsoDate('2024-01-01', n));
  fc.assert(
    fc.property(day, fc.integer({ min: 1, max: 40 }), (from, days) => {
      const to = addWorkingDays(from, days);
      assert.ok(isWorkingDay(to));
      assert.ok(to > from);
      assert.equal(addWorkingDays(addWorkingDays(from, days - 1), 1), to);
    }),
  );
});

test('the domain priority proposes the first-listed domain, then the longest involved', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const candidates = [
    { signalId: 'school', domains: ['education'], since: at(1), mayCoordinate: true },
    { signalId: 'youth', domains: ['youth_care', 'social_support'], since: at(5), mayCoordinate: true },
    { signalId: 'youth-early', domains: ['youth_care'], since: at(3), mayCoordinate: true },
  ];
  assert.equal(proposedCoordinator(candidates, ['youth_care', 'education']), 'youth-early');
  assert.equal(proposedCoordinator(candidates, ['education']), 'school');
  assert.equal(proposedCoordinator(candidates, []), null);
  assert.equal(proposedCoordinator(candidates, ['housing']), null);
});

test('the domain priority proposes only those whose covenant lets them coordinate', () => {
  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const candidates = [
    { signalId: 'school', domains: ['education'], since: at(1), mayCoordinate: false },
    { signalId: 'police', domains: ['safety'], since: at(2), mayCoordinate: false },
    { signalId: 'youth-late', domains: ['youth_care'], since: at(9), mayCoordinate: true },
    { signalId: 'youth-early', domains: ['youth_care'], since: at(3), mayCoordinate: false },
  ];
  assert.equal(proposedCoordinator(candidates, ['education', 'safety', 'youth_care']), 'youth-late');
  assert.equal(proposedCoordinator(candidates, ['education', 'safety']), null);
  assert.equal(
    proposedCoordinator(
      candidates.map((c) => ({ ...c, mayCoordinate: false })),
      ['youth_care'],
    ),
    null,
  );
});

test('follow-up figures: counts under 5 are suppressed, the median is the middle', () => {
  assert.deepEqual([0, 1, 4, 5, 12].map(suppressed), [0, null, null, 5, 12]);
  assert.equal(median([]), null);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});

test('a standing, and what a leaving signal does, follow from who coordinates and who is offered it', () => {
  const proposed: Coordination = { ...OPEN, state: 'handover_proposed', coordinatorSignalId: A, proposedSignalId: B };
  assert.deepEqual(
    [A, B, C].map((s) => standingOf(proposed, s)),
    ['coordinator', 'proposed', 'participant'],
  );
  assert.deepEqual(
    [A, B, C].map((s) => leaveAction(proposed, s)),
    ['coordinator_left', 'proposed_left', null],
  );
  assert.equal(leaveAction(OPEN, A), null);
  assert.deepEqual(
    ACTIONS.filter((a) => !announcedToOthers(a)),
    ['proposed_left'],
  );
});

// ------------------------------------------------------------------------------------------------
// The timers. 2026-11-20 is a Friday; ten working days later is Friday 4 December, five is Friday 27 November.

const TERMS = { escalateNoCoordinatorWorkingDays: 10, escalateNoContactWorkingDays: 10 };
/** Noon in Amsterdam (CET, UTC+1) on a date. */
const noon = (date: string) => new Date(`${date}T11:00:00Z`);
const facts = (over: Partial<TimerFacts> = {}): TimerFacts => ({
  state: 'open',
  matchCreatedAt: noon('2026-11-20'),
  stateSince: noon('2026-11-20'),
  withoutContact: 0,
  ...over,
});

test('an open match escalates for no coordinator when the term in working days has passed since it became open', () => {
  assert.equal(escalationDue(facts(), TERMS, noon('2026-12-03')), null);
  assert.equal(escalationDue(facts(), TERMS, noon('2026-12-04')), 'no_coordinator');
  // Open again after the coordinator left: the term counts from then, not from the match.
  assert.equal(escalationDue(facts({ stateSince: noon('2026-11-27') }), TERMS, noon('2026-12-04')), null);
  assert.equal(escalationDue(facts({ stateSince: noon('2026-11-27') }), TERMS, noon('2026-12-11')), 'no_coordinator');
  // The term counts Amsterdam days: late on Thursday evening in UTC is already Friday in Amsterdam.
  assert.equal(escalationDue(facts({ stateSince: new Date('2026-11-19T23:30:00Z') }), TERMS, noon('2026-12-03')), null);
  assert.equal(escalationDue(facts({ stateSince: new Date('2026-11-19T22:30:00Z') }), TERMS, noon('2026-12-03')), 'no_coordinator');
});

test('a match escalates for no contact when someone has not recorded contact a term after the match', () => {
  const taken = facts({ state: 'taken', stateSince: noon('2026-11-23'), withoutContact: 1 });
  assert.equal(escalationDue(taken, TERMS, noon('2026-12-03')), null);
  assert.equal(escalationDue(taken, TERMS, noon('2026-12-04')), 'no_contact');
  assert.equal(escalationDue({ ...taken, withoutContact: 0 }, TERMS, noon('2027-06-01')), null);
  // No coordinator comes first when both apply.
  assert.equal(escalationDue(facts({ withoutContact: 2 }), TERMS, noon('2026-12-04')), 'no_coordinator');
  assert.equal(escalationDue(facts({ withoutContact: 2 }), { ...TERMS, escalateNoCoordinatorWorkingDays: 0 }, noon('2026-12-04')), 'no_contact');
});

test('a term of 0 never runs out, and escalated or resolved matches are left alone', () => {
  const off = { escalateNoCoordinatorWorkingDays: 0, escalateNoContactWorkingDays: 0 };
  assert.equal(escalationDue(facts({ withoutContact: 3 }), off, noon('2030-01-01')), null);
  assert.equal(stalledReason(facts({ withoutContact: 3 }), off, noon('2030-01-01')), null);
  for (const state of ['escalated', 'resolved'] as const) {
    assert.equal(escalationDue(facts({ state, withoutContact: 3 }), TERMS, noon('2030-01-01')), null);
    assert.equal(stalledReason(facts({ state, withoutContact: 3 }), TERMS, noon('2030-01-01')), null);
  }
  assert.deepEqual(TIMED_STATES, ['open', 'taken', 'handover_proposed']);
});

test('a match stalls at half a term, rounded up, and at least one working day', () => {
  assert.deepEqual([0, 1, 2, 3, 10, 11].map(halfTerm), [1, 1, 1, 2, 5, 6]);
  assert.equal(stalledReason(facts(), TERMS, noon('2026-11-26')), null);
  assert.equal(stalledReason(facts(), TERMS, noon('2026-11-27')), 'no_coordinator');
  assert.equal(stalledReason(facts({ state: 'handover_proposed', withoutContact: 1 }), TERMS, noon('2026-11-27')), 'no_contact');
});

test('whenever a match is due for escalation, it has stalled already', () => {
  const day = fc.integer({ min: 0, max: 60 }).map((n) => new Date(noon('2026-11-20').getTime() + n * 86_400_000));
  fc.assert(
    fc.property(
      fc.constantFrom(...STATES),
      day,
      fc.integer({ min: 0, max: 3 }),
      fc.integer({ min: 0, max: 15 }),
      fc.integer({ min: 0, max: 15 }),
      day,
      (state, stateSince, withoutContact, noCoordinator, noContact, now) => {
        const f = facts({ state, stateSince, withoutContact });
        const terms = { escalateNoCoordinatorWorkingDays: noCoordinator, escalateNoContactWorkingDays: noContact };
        if (escalationDue(f, terms, now)) assert.ok(stalledReason(f, terms, now));
      },
    ),
  );
});

test("the sweep's pre-filter: matches younger than the shortest term less a day cannot be due", () => {
  const now = noon('2026-12-04');
  assert.deepEqual(escalationCutoff(TERMS, now), new Date(now.getTime() - 9 * 86_400_000));
  assert.deepEqual(escalationCutoff({ escalateNoCoordinatorWorkingDays: 0, escalateNoContactWorkingDays: 5 }, now), new Date(now.getTime() - 4 * 86_400_000));
  assert.equal(escalationDue(facts({ matchCreatedAt: escalationCutoff(TERMS, now), stateSince: escalationCutoff(TERMS, now) }), TERMS, now), null);
});

test("the officer's work list: escalations first, oldest escalation first, then stalled matches, oldest first", () => {
  const at = (day: number) => new Date(Date.UTC(2026, 0, day));
  const items = [
    { id: 'stalled-new', state: 'open' as const, escalatedAt: null, matchCreatedAt: at(9) },
    { id: 'escalated-late', state: 'escalated' as const, escalatedAt: at(20), matchCreatedAt: at(1) },
    { id: 'stalled-old', state: 'taken' as const, escalatedAt: null, matchCreatedAt: at(2) },
    { id: 'escalated-early', state: 'escalated' as const, escalatedAt: at(10), matchCreatedAt: at(5) },
  ];
  assert.deepEqual(
    items.sort(workListOrder).map((i) => i.id),
    ['escalated-early', 'escalated-late', 'stalled-old', 'stalled-new'],
  );
});

test('contact may be recorded from the Amsterdam day of the match up to today', () => {
  const made = new Date('2026-03-01T23:30:00Z'); // 2 March in Amsterdam
  const now = noon('2026-03-10');
  assert.equal(contactDateAllowed('2026-03-01', made, now), false);
  assert.equal(contactDateAllowed('2026-03-02', made, now), true);
  assert.equal(contactDateAllowed('2026-03-10', made, now), true);
  assert.equal(contactDateAllowed('2026-03-11', made, now), false);
});

// ------------------------------------------------------------------------------------------------
// Follow-up figures.

test('a period of Amsterdam days covers from the first midnight to just before the midnight after the last day', () => {
  // Summer time starts on 29 March 2026.
  assert.deepEqual(amsterdamPeriod('2026-03-01', '2026-03-31'), {
    from: new Date('2026-02-28T23:00:00.000Z'),
    to: new Date('2026-03-31T21:59:59.999Z'),
  });
});

test('follow-up figures per month of the match, small counts suppressed, medians over at least 5 matches', () => {
  const made = (date: string, over: Partial<FollowUpMatch> = {}): FollowUpMatch => ({
    createdAt: noon(date),
    firstCoordinatorAt: null,
    firstContactOn: null,
    escalations: 0,
    ...over,
  });
  const march = [1, 2, 3, 4, 5, 6].map((day) =>
    made(`2026-03-0${day}`, { firstCoordinatorAt: new Date(noon(`2026-03-0${day}`).getTime() + day * 86_400_000), firstContactOn: `2026-03-1${day}` }),
  );
  const april = [made('2026-04-01', { escalations: 2 }), made('2026-04-02', { firstContactOn: '2026-04-02' })];
  // Late on 31 January in UTC is 1 February in Amsterdam.
  const february = [made('2026-02-10'), { ...made('2026-02-10'), createdAt: new Date('2026-01-31T23:30:00Z') }];
  assert.deepEqual(followUpFigures([...april, ...march, ...february]), [
    { month: '2026-02', matches: null, withCoordinator: 0, withContact: 0, escalated: 0, medianDaysToCoordinator: null, medianDaysToContact: null },
    { month: '2026-03', matches: 6, withCoordinator: 6, withContact: 6, escalated: 0, medianDaysToCoordinator: 3.5, medianDaysToContact: 10 },
    { month: '2026-04', matches: null, withCoordinator: 0, withContact: null, escalated: null, medianDaysToCoordinator: null, medianDaysToContact: null },
  ]);
  assert.deepEqual(followUpFigures([]), []);
});
