import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { anniversary, startOfAmsterdamDay } from '../shared/calendar.ts';
import { END_REASONS, isPurgedAtOnce, retainUntil, YOUTH_AGE_LIMIT } from './lifetime.ts';
import {
  expiryReason,
  LIFECYCLE_STATES,
  type LifecycleEvent,
  type LifecycleSignal,
  type LifecycleState,
  TRANSITIONS,
  transition,
  transitionOf,
} from './signal-lifecycle.ts';

const iso = (instant: Date) => instant.toISOString();
const activeUntil = new Date('2028-03-10T09:00:00Z');
const endedAt = new Date('2027-01-05T10:00:00Z');

/** A signal in `status` that makes sense for it: ended in January 2027, kept 60 months. */
function inState(status: LifecycleState): LifecycleSignal {
  const retain = status === 'active' ? null : status === 'expired' ? retainUntil(activeUntil, 60) : retainUntil(endedAt, 60);
  return { status, activeUntil, retainUntil: retain, dateOfBirth: '1980-05-17' };
}

/** An event for each transition that is due for `inState` signals. */
const EVENTS: LifecycleEvent[] = [
  { action: 'end', reason: 'care_ended', now: endedAt, historyRetentionMonths: 60 },
  { action: 'end', reason: 'unjustified', now: endedAt, historyRetentionMonths: 60 },
  { action: 'expire', now: activeUntil, historyRetentionMonths: 60 },
  { action: 'purge', now: new Date('2040-01-01T00:00:00Z') },
  { action: 'extend', now: new Date(activeUntil.getTime() - 7 * 86_400_000), rules: { months: 24, windowDays: 28, regime: 'all_ages' } },
  { action: 'erase', now: endedAt },
];

describe('the signal lifecycle', () => {
  it('allows exactly the transitions of the table', () => {
    const allowed: string[] = [];
    for (const status of LIFECYCLE_STATES) {
      for (const event of EVENTS) {
        const result = transition(inState(status), event);
        const name = transitionOf(event);
        assert.equal(result.ok, TRANSITIONS[name].from.includes(status), `${name} from ${status}`);
        if (result.ok) {
          assert.equal(result.step.transition, name);
          assert.equal(result.step.to, TRANSITIONS[name].to);
          allowed.push(`${status} --${name}--> ${result.step.to}`);
        } else assert.equal(result.refusal, 'state');
      }
    }
    assert.deepEqual(allowed.sort(), [
      'active --end--> ended',
      'active --erase--> purged',
      'active --expire--> expired',
      'active --extend--> active',
      'active --purge_at_once--> purged',
      'ended --erase--> purged',
      'ended --purge--> purged',
      'expired --erase--> purged',
      'expired --purge--> purged',
    ]);
  });

  it('ends now and keeps the history for the retention period from then', () => {
    const result = transition(inState('active'), { action: 'end', reason: 'moved', now: endedAt, historyRetentionMonths: 60 });
    assert.ok(result.ok && result.step.transition === 'end');
    assert.equal(iso(result.step.endedAt), iso(endedAt));
    assert.equal(result.step.endReason, 'moved');
    assert.equal(iso(result.step.retainUntil), '2032-01-05T10:00:00.000Z');
  });

  it('purges at once a signal ended as unjustified or with an upheld objection, keeping no history', () => {
    for (const reason of ['unjustified', 'objection_upheld'] as const) {
      const result = transition(inState('active'), { action: 'end', reason, now: endedAt, historyRetentionMonths: 60 });
      assert.deepEqual(result, { ok: true, step: { transition: 'purge_at_once', to: 'purged', reason } });
    }
  });

  it('refuses an unknown end reason', () => {
    const event = { action: 'end', reason: 'expired', now: endedAt, historyRetentionMonths: 60 } as unknown as LifecycleEvent;
    assert.deepEqual(transition(inState('active'), event), { ok: false, refusal: 'reason' });
  });

  it('expires at the end date, not before, and counts the retention from the end date however late the sweep comes', () => {
    assert.deepEqual(transition(inState('active'), { action: 'expire', now: new Date(activeUntil.getTime() - 1), historyRetentionMonths: 60 }), {
      ok: false,
      refusal: 'not_due',
    });
    const late = transition(inState('active'), { action: 'expire', now: new Date('2028-03-12T00:00:00Z'), historyRetentionMonths: 60 });
    assert.ok(late.ok && late.step.transition === 'expire');
    assert.equal(iso(late.step.endedAt), iso(activeUntil));
    assert.equal(late.step.endReason, 'expired');
    assert.equal(iso(late.step.retainUntil), '2033-03-10T09:00:00.000Z');
  });

  it('expires for the age limit when the end date is the start of the 23rd birthday', () => {
    const dateOfBirth = '2008-01-20';
    const atBirthday = startOfAmsterdamDay(anniversary(dateOfBirth, YOUTH_AGE_LIMIT));
    assert.equal(iso(atBirthday), '2031-01-19T23:00:00.000Z');
    assert.equal(expiryReason({ activeUntil: atBirthday, dateOfBirth }), 'age_limit');
    assert.equal(expiryReason({ activeUntil: new Date(atBirthday.getTime() + 1000), dateOfBirth }), 'expired');
    const result = transition({ ...inState('active'), activeUntil: atBirthday, dateOfBirth }, { action: 'expire', now: atBirthday, historyRetentionMonths: 0 });
    assert.ok(result.ok && result.step.transition === 'expire');
    assert.equal(result.step.endReason, 'age_limit');
  });

  it('purges history from its retain-until date, not before', () => {
    const ended = inState('ended');
    assert.deepEqual(transition(ended, { action: 'purge', now: new Date(ended.retainUntil!.getTime() - 1) }), { ok: false, refusal: 'not_due' });
    assert.deepEqual(transition(ended, { action: 'purge', now: ended.retainUntil! }), { ok: true, step: { transition: 'purge', to: 'purged' } });
  });

  it('takes every active signal to purged, by whatever way it ends, and never back', () => {
    const instant = fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2090-01-01T00:00:00Z'), noInvalidDate: true });
    fc.assert(
      fc.property(
        instant,
        fc.integer({ min: 0, max: 30 * 24 * 3600 }),
        fc.option(fc.constantFrom(...END_REASONS), { nil: undefined }),
        fc.integer({ min: 0, max: 240 }),
        fc.integer({ min: 0, max: 100 * 24 * 3600 }),
        (until, late, reason, months, afterwards) => {
          const signal: LifecycleSignal = { status: 'active', activeUntil: until, retainUntil: null, dateOfBirth: '1990-07-01' };
          // Ended by the professional at some moment, or expired by a sweep that may come late.
          const now = new Date(until.getTime() + (reason ? -late : late) * 1000);
          const event: LifecycleEvent = reason
            ? { action: 'end', reason, now, historyRetentionMonths: months }
            : { action: 'expire', now, historyRetentionMonths: months };
          const first = transition(signal, event);
          assert.ok(first.ok);
          if (reason && isPurgedAtOnce(reason)) {
            assert.equal(first.step.to, 'purged');
            return;
          }
          assert.ok(first.step.transition === 'end' || first.step.transition === 'expire');
          assert.ok(first.step.retainUntil >= first.step.endedAt);
          assert.ok(first.step.endedAt <= now, 'an end date is never in the future');
          const inactive: LifecycleSignal = { ...signal, status: first.step.to, retainUntil: first.step.retainUntil };
          // Once inactive, it can neither end nor expire again; it is purged at its retain-until date.
          assert.equal(transition(inactive, event).ok, false);
          const purgeAt = new Date(first.step.retainUntil.getTime() + afterwards * 1000);
          assert.deepEqual(transition(inactive, { action: 'purge', now: purgeAt }), { ok: true, step: { transition: 'purge', to: 'purged' } });
          for (const again of [event, { action: 'purge' as const, now: purgeAt }]) assert.equal(transition({ ...inactive, status: 'purged' }, again).ok, false);
        },
      ),
    );
  });
});
