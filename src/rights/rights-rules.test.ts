import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDaysToIsoDate, anniversary } from '../shared/calendar.ts';
import {
  compareForList,
  decisionProblems,
  dueOn,
  extensionProblem,
  letterProblem,
  requesterFor,
  requesterProblem,
  transitionProblem,
  urgency,
} from './rights-rules.ts';

describe('rights requests: who asks, by age (seed 004 art. 8 and 15.3)', () => {
  it('under 12 the representative, 12 to 15 both together, 16 and over the person alone', () => {
    const born = '2010-06-15';
    assert.equal(requesterFor(born, '2022-06-14'), 'legal_representative');
    assert.equal(requesterFor(born, '2022-06-15'), 'person_and_representative');
    assert.equal(requesterFor(born, '2026-06-14'), 'person_and_representative');
    assert.equal(requesterFor(born, '2026-06-15'), 'person');
    assert.equal(requesterFor('1980-05-17', '2026-03-10'), 'person');
  });

  it('a requester that does not fit the age names who should have asked', () => {
    assert.equal(requesterProblem({ dateOfBirth: '2018-06-01', receivedOn: '2026-03-10', requester: 'person' }), 'legal_representative');
    assert.equal(requesterProblem({ dateOfBirth: '2012-01-01', receivedOn: '2026-03-10', requester: 'legal_representative' }), 'person_and_representative');
    assert.equal(requesterProblem({ dateOfBirth: '2000-01-01', receivedOn: '2026-03-10', requester: 'person_and_representative' }), 'person');
    assert.equal(requesterProblem({ dateOfBirth: '2000-01-01', receivedOn: '2026-03-10', requester: 'person' }), undefined);
  });

  it('exactly one requester fits on any day, changing only on the 12th and 16th birthday (property)', () => {
    const day = fc.integer({ min: 0, max: 365 * 30 }).map((n) => addDaysToIsoDate('1996-01-01', n));
    fc.assert(
      fc.property(day, fc.integer({ min: 0, max: 365 * 25 }), (born, after) => {
        const on = addDaysToIsoDate(born, after);
        const expected = on < anniversary(born, 12) ? 'legal_representative' : on < anniversary(born, 16) ? 'person_and_representative' : 'person';
        assert.equal(requesterFor(born, on), expected);
      }),
    );
  });
});

describe('rights requests: the deadline (four weeks, extendable once by up to eight)', () => {
  it('is four weeks after receipt, plus the extension', () => {
    assert.equal(dueOn('2026-03-10'), '2026-04-07');
    assert.equal(dueOn('2026-03-10', 8), '2026-06-02');
    assert.equal(dueOn('2026-12-20'), '2027-01-17');
  });

  it('extends once, by 1 to 8 weeks, while open and not yet overdue', () => {
    const base = { status: 'in_progress' as const, extensionWeeks: null, dueOn: '2026-04-07', today: '2026-04-01', weeks: 4 };
    assert.equal(extensionProblem(base), undefined);
    assert.equal(extensionProblem({ ...base, today: '2026-04-07' }), undefined);
    assert.equal(extensionProblem({ ...base, extensionWeeks: 2 }), 'already_extended');
    assert.equal(extensionProblem({ ...base, weeks: 0 }), 'weeks_out_of_range');
    assert.equal(extensionProblem({ ...base, weeks: 9 }), 'weeks_out_of_range');
    assert.equal(extensionProblem({ ...base, status: 'decided' }), 'not_open');
    assert.equal(extensionProblem({ ...base, today: '2026-04-08' }), 'deadline_passed');
  });

  it('is overdue after the deadline, nearly due in its last seven days, answered once the letter is sent', () => {
    const open = { status: 'received' as const, letterSentOn: null, dueOn: '2026-04-07' };
    assert.equal(urgency({ ...open, today: '2026-03-30' }), 'on_time');
    assert.equal(urgency({ ...open, today: '2026-03-31' }), 'nearly_due');
    assert.equal(urgency({ ...open, today: '2026-04-07' }), 'nearly_due');
    assert.equal(urgency({ ...open, today: '2026-04-08' }), 'overdue');
    assert.equal(urgency({ ...open, status: 'decided', today: '2026-04-08' }), 'overdue');
    assert.equal(urgency({ ...open, status: 'decided', letterSentOn: '2026-04-08', today: '2026-04-09' }), 'answered');
    assert.equal(urgency({ ...open, status: 'closed', today: '2026-05-01' }), 'answered');
  });

  it('lists overdue first, then nearly due, then the rest by deadline, answered last', () => {
    const today = '2026-04-08';
    const requests = [
      { id: 'answered', status: 'closed' as const, letterSentOn: '2026-03-20', dueOn: '2026-03-30', receivedOn: '2026-03-02' },
      { id: 'later', status: 'received' as const, letterSentOn: null, dueOn: '2026-05-01', receivedOn: '2026-04-03' },
      { id: 'soon', status: 'in_progress' as const, letterSentOn: null, dueOn: '2026-04-10', receivedOn: '2026-03-13' },
      { id: 'overdue', status: 'received' as const, letterSentOn: null, dueOn: '2026-04-07', receivedOn: '2026-03-10' },
    ];
    assert.deepEqual(
      requests.sort((a, b) => compareForList(a, b, today)).map((r) => r.id),
      ['overdue', 'soon', 'later', 'answered'],
    );
  });
});

describe('rights requests: steps, decision and letter', () => {
  it('starts work on a received request, and closes a decided one only once its letter is sent', () => {
    assert.equal(transitionProblem({ from: 'received', to: 'in_progress', letterSentOn: null }), undefined);
    assert.equal(transitionProblem({ from: 'in_progress', to: 'received', letterSentOn: null }), 'not_allowed');
    assert.equal(transitionProblem({ from: 'received', to: 'closed', letterSentOn: null }), 'not_allowed');
    assert.equal(transitionProblem({ from: 'decided', to: 'closed', letterSentOn: null }), 'letter_not_sent');
    assert.equal(transitionProblem({ from: 'decided', to: 'closed', letterSentOn: '2026-04-01' }), undefined);
    assert.equal(transitionProblem({ from: 'closed', to: 'in_progress', letterSentOn: '2026-04-01' }), 'not_allowed');
  });

  it('a refusal gives reasons, a grant none; decided between receipt and today', () => {
    const base = { status: 'in_progress' as const, receivedOn: '2026-03-10', today: '2026-04-01', decidedOn: '2026-03-31' };
    assert.deepEqual(decisionProblems({ ...base, decision: 'granted', reasons: [] }), []);
    assert.deepEqual(decisionProblems({ ...base, decision: 'refused', reasons: ['rights_of_others'] }), []);
    assert.deepEqual(
      decisionProblems({ ...base, decision: 'partly_granted', reasons: [] }).map((p) => p.code),
      ['reasons_required'],
    );
    assert.deepEqual(
      decisionProblems({ ...base, decision: 'granted', reasons: ['data_correct'] }).map((p) => p.code),
      ['no_reasons_for_grant'],
    );
    assert.deepEqual(
      decisionProblems({ ...base, status: 'decided', decision: 'granted', reasons: [], decidedOn: '2026-04-02' }).map((p) => p.code),
      ['not_open', 'out_of_range'],
    );
  });

  it('the letter follows the decision, once', () => {
    const base = { status: 'decided' as const, decidedOn: '2026-03-31', letterSentOn: null, today: '2026-04-02' };
    assert.equal(letterProblem({ ...base, sentOn: '2026-04-01' }), undefined);
    assert.equal(letterProblem({ ...base, sentOn: '2026-03-30' }), 'out_of_range');
    assert.equal(letterProblem({ ...base, sentOn: '2026-04-03' }), 'out_of_range');
    assert.equal(letterProblem({ ...base, letterSentOn: '2026-04-01', sentOn: '2026-04-01' }), 'already_sent');
    assert.equal(letterProblem({ ...base, status: 'in_progress', decidedOn: null, sentOn: '2026-04-01' }), 'not_decided');
  });
});
