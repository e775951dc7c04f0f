import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDaysToIsoDate } from '../shared/calendar.ts';
import {
  ACTIONS,
  addWorkingDays,
  allowedActions,
  type Coordination,
  type CoordinationAction,
  type CoordinationState,
  isWorkingDay,
  median,
  OPEN,
  proposedCoordinator,
  STATES,
  type Standing,
  suppressed,
  TRANSITIONS,
  type TransitionInput,
  transition,
  workingDaysPassed,
} from './coordination-rules.ts';

const A = 'signal-a';
const B = 'signal-b';
const C = 'signal-c';
const participants = [A, B, C];

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
  assert.deepEqual(allowedActions(OPEN, 'participant'), ['take', 'escalate']);
  assert.deepEqual(allowedActions(inState('taken'), 'coordinator'), ['propose_handover', 'escalate']);
  assert.deepEqual(allowedActions(inState('handover_proposed'), 'proposed'), ['accept_handover', 'decline_handover', 'escalate']);
  assert.deepEqual(allowedActions(inState('escalated'), 'officer'), ['appoint', 'resolve']);
  assert.deepEqual(allowedActions(inState('escalated'), 'participant'), []);
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
    { signalId: 'school', domains: ['education'], since: at(1) },
    { signalId: 'youth', domains: ['youth_care', 'social_support'], since: at(5) },
    { signalId: 'youth-early', domains: ['youth_care'], since: at(3) },
  ];
  assert.equal(proposedCoordinator(candidates, ['youth_care', 'education']), 'youth-early');
  assert.equal(proposedCoordinator(candidates, ['education']), 'school');
  assert.equal(proposedCoordinator(candidates, []), null);
  assert.equal(proposedCoordinator(candidates, ['housing']), null);
});

test('follow-up figures: counts under 5 are suppressed, the median is the middle', () => {
  assert.deepEqual([0, 1, 4, 5, 12].map(suppressed), [0, null, null, 5, 12]);
  assert.equal(median([]), null);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
});
