/**
 * The rules of signing in, as plain functions over plain values (no I/O): the password policy,
 * throttling and lockout, and when a session has run out.
 */

export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 200;

/** What is wrong with a new password, in Dutch for the form; empty when it is fine. */
export function passwordProblems(password: string, email: string): string[] {
  const problems: string[] = [];
  if (password.length < PASSWORD_MIN_LENGTH) problems.push(`Kies een wachtwoord van minstens ${PASSWORD_MIN_LENGTH} tekens.`);
  if (password.length > PASSWORD_MAX_LENGTH) problems.push(`Kies een wachtwoord van hoogstens ${PASSWORD_MAX_LENGTH} tekens.`);
  if (password.length >= PASSWORD_MIN_LENGTH && new Set(password).size < 5) problems.push('Kies een wachtwoord met meer verschillende tekens.');
  if (email && password.toLowerCase().includes(email.toLowerCase().split('@')[0]!) && email.split('@')[0]!.length >= 4) {
    problems.push('Gebruik uw e-mailadres niet in uw wachtwoord.');
  }
  return problems;
}

/** Failed attempts per e-mail address, whether or not an account with that address exists. */
export type ThrottleState = { failures: number; windowStartedAt: Date; lockedUntil: Date | null };

export const THROTTLE = { maxFailures: 5, windowMinutes: 15, lockMinutes: 15 } as const;

export const isLocked = (state: ThrottleState | undefined, now: Date): boolean => Boolean(state?.lockedUntil && state.lockedUntil.getTime() > now.getTime());

/** The state after one more failure: five failures within fifteen minutes lock the address for fifteen minutes. */
export function afterFailure(state: ThrottleState | undefined, now: Date): ThrottleState {
  const windowOpen = state && now.getTime() - state.windowStartedAt.getTime() < THROTTLE.windowMinutes * 60_000 && !isLockExpired(state, now);
  const failures = windowOpen ? state.failures + 1 : 1;
  const windowStartedAt = windowOpen ? state.windowStartedAt : now;
  const lockedUntil = failures >= THROTTLE.maxFailures ? new Date(now.getTime() + THROTTLE.lockMinutes * 60_000) : null;
  return { failures: lockedUntil ? 0 : failures, windowStartedAt: lockedUntil ? now : windowStartedAt, lockedUntil };
}

const isLockExpired = (state: ThrottleState, now: Date) => state.lockedUntil !== null && state.lockedUntil.getTime() <= now.getTime();

export type SessionTimes = { createdAt: Date; lastSeenAt: Date; expiresAt: Date };

/** Whether a session is still usable at `now`, or why not. */
export function sessionState(session: SessionTimes, now: Date, idleMinutes: number): 'live' | 'idle' | 'expired' {
  if (now.getTime() >= session.expiresAt.getTime()) return 'expired';
  if (now.getTime() - session.lastSeenAt.getTime() >= idleMinutes * 60_000) return 'idle';
  return 'live';
}
