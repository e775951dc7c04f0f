import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { afterFailure, isLocked, passwordProblems, sessionState, THROTTLE, type ThrottleState } from './sign-in-rules.ts';

const at = (minutes: number) => new Date(Date.UTC(2026, 10, 23, 9, 0) + minutes * 60_000);

test('the password policy asks for length and variety, and not the e-mail address', () => {
  assert.deepEqual(passwordProblems('lange-zin-met-woorden', 'a.jansen@wijkteam.nl'), []);
  assert.equal(passwordProblems('kort', 'a@b.nl').length, 1);
  assert.equal(passwordProblems('aaaaaaaaaaaaaaaa', 'a@b.nl').length, 1);
  assert.equal(passwordProblems('mijn-naam-is-jansen!', 'jansen@wijkteam.nl').length, 1);
  assert.equal(passwordProblems(`${'x'.repeat(201)}abcde`, 'a@b.nl').length, 1);
});

test('five failures within fifteen minutes lock the address for fifteen minutes', () => {
  let state: ThrottleState | undefined;
  for (let i = 0; i < THROTTLE.maxFailures - 1; i++) {
    state = afterFailure(state, at(i));
    assert.equal(isLocked(state, at(i)), false);
  }
  state = afterFailure(state, at(4));
  assert.equal(isLocked(state, at(4)), true);
  assert.equal(isLocked(state, at(18)), true);
  assert.equal(isLocked(state, at(19)), false);
  // After the lock, counting starts afresh.
  state = afterFailure(state, at(20));
  assert.equal(state.failures, 1);
});

test('failures spread out over time never lock', () => {
  let state: ThrottleState | undefined;
  for (let i = 0; i < 20; i++) {
    state = afterFailure(state, at(i * 16));
    assert.equal(isLocked(state, at(i * 16)), false);
  }
});

test('a lock always ends, and never before fifteen minutes', () => {
  fc.assert(
    fc.property(fc.array(fc.integer({ min: 0, max: 120 }), { minLength: 1, maxLength: 30 }), (gaps) => {
      let state: ThrottleState | undefined;
      let minute = 0;
      for (const gap of gaps) {
        minute += gap;
        state = afterFailure(state, at(minute));
        if (state.lockedUntil) {
          assert.equal(state.lockedUntil.getTime() - at(minute).getTime(), THROTTLE.lockMinutes * 60_000);
        }
      }
      assert.equal(isLocked(state, at(minute + THROTTLE.lockMinutes)), false);
    }),
  );
});

test('a session ends after the idle time and at its absolute end', () => {
  const session = { createdAt: at(0), lastSeenAt: at(10), expiresAt: at(12 * 60) };
  assert.equal(sessionState(session, at(24), 15), 'live');
  assert.equal(sessionState(session, at(25), 15), 'idle');
  assert.equal(sessionState({ ...session, lastSeenAt: at(12 * 60 - 1) }, at(12 * 60), 15), 'expired');
});
