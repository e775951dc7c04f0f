/** The types and refusals the account services share with their callers. */
import { Problem } from '../shared/errors.ts';
import type { WebUser } from './web-user.ts';

export type WebSession = { accountId: string; stage: 'password_ok' | 'signed_in'; csrfToken: string; user: WebUser; enrolled: boolean };

export type SignInResult = { ok: true; sessionToken: string; next: 'second_factor' | 'enrolment' } | { ok: false; reason: 'invalid' | 'locked' | 'inactive' };

/** Whose lost second factor is reset: a professional (by their coordinator) or a staff member (by an administrator). */
export type SecondFactorHolder = { professionalId: string } | { staffMemberId: string };

/** What the confirmation page needs: who, their sign-in address, and whether there is a linked app to reset. */
export type SecondFactorState = { name: string; email: string; state: 'enrolled' | 'not_enrolled' | 'no_account' };

/** One's own second factor is never reset this way: sign in with a recovery code, or ask a colleague. */
export const ownSecondFactor = () =>
  new Problem(
    409,
    'own_second_factor',
    'Conflict',
    'You cannot reset your own second factor; sign in with a recovery code, or ask another coordinator or administrator.',
  );
export const notEnrolled = () =>
  new Problem(409, 'not_enrolled', 'Conflict', 'This account has no linked authenticator app to reset; its holder links one at the next sign-in.');

/**
 * The state of a web account, in one word for every page and the API: none yet, invited (no password
 * chosen yet), active, or deactivated.
 */
export type WebAccountState = 'none' | 'invited' | 'active' | 'deactivated';

export function webAccountState(account: { exists: boolean; hasPassword: boolean; deactivated: boolean }): WebAccountState {
  if (!account.exists) return 'none';
  if (account.deactivated) return 'deactivated';
  return account.hasPassword ? 'active' : 'invited';
}
