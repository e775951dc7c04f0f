import { type AccountCore, actorFor } from './account-core.ts';
import type { SignInResult, WebSession } from './account-types.ts';
import { enrolmentDetails, newRecoveryCodes, newTotpSecret, normaliseEmail, passwordMatches, recoveryCodeHash, tokenHash, totpStep } from './credentials.ts';
import type { KeepOutcome } from './kept-form-store.ts';
import type { KeptForm } from './kept-forms.ts';
import { isLocked, sessionState } from './sign-in-rules.ts';
import type { WebUser } from './web-user.ts';

export function createSignInService(core: AccountCore) {
  const { db, clock, audit, settings, anonymous, kept, userOf, throttleState, recordFailure, newSession, endSession, pendingSession, promote } = core;
  return {
    /**
     * The password step. `previousToken` is the cookie the browser still had: a form kept for that
     * (ended) session goes on with this sign-in when it is the same account, and is deleted when not.
     */
    async signInWithPassword(emailInput: string, password: string, requestId: string, previousToken?: string): Promise<SignInResult> {
      const email = normaliseEmail(emailInput);
      const now = clock.now();
      const account = await db.selectFrom('web_accounts').select(['id', 'password_hash', 'deactivated_at']).where('email', '=', email).executeTakeFirst();
      // The password is checked even when the address is locked or unknown: every answer costs the same.
      const matches = await passwordMatches(password, account?.password_hash ?? null);
      if (isLocked(await throttleState(email), now)) {
        await audit.record(db, now, {
          type: 'web.sign_in_failed',
          outcome: 'denied',
          actor: anonymous(requestId),
          resource: account ? { type: 'web_account', id: account.id } : null,
          details: { reason: 'locked', locked: true },
        });
        return { ok: false, reason: 'locked' };
      }
      if (!account || !matches) {
        await recordFailure(email, requestId, account ? 'wrong_password' : 'unknown_address', account?.id ?? null);
        return isLocked(await throttleState(email), clock.now()) ? { ok: false, reason: 'locked' } : { ok: false, reason: 'invalid' };
      }
      const holder = await userOf(account.id);
      if (!holder) {
        await audit.record(db, now, {
          type: 'web.sign_in_failed',
          outcome: 'denied',
          actor: anonymous(requestId),
          resource: { type: 'web_account', id: account.id },
          details: { reason: 'inactive', locked: false },
        });
        return { ok: false, reason: 'inactive' };
      }
      const sessionToken = await newSession(account.id, 'password_ok');
      if (previousToken) await kept.carry(db, previousToken, sessionToken, account.id, requestId);
      return { ok: true, sessionToken, next: holder.enrolled ? 'second_factor' : 'enrolment' };
    },

    /**
     * Checks a TOTP code (or a recovery code) for a password-stage session; on success a new, signed-in
     * session (and `resume`, the page of a kept form to land on). A code whose time step was already
     * used is `reused`: it still counts as a failed attempt, and only someone past the password gets it.
     */
    async verifySecondFactor(
      token: string,
      code: string,
      requestId: string,
    ): Promise<
      | { ok: true; sessionToken: string; recoveryCodeUsed: boolean; resume: string | undefined }
      | { ok: false; reason: 'invalid' | 'reused' | 'locked' | 'expired' }
    > {
      const pending = await pendingSession(token);
      if (!pending?.holder.enrolled) return { ok: false, reason: 'expired' };
      const { holder, session } = pending;
      const now = clock.now();
      if (isLocked(await throttleState(holder.user.email), now)) {
        await endSession(token, 'signed_out');
        return { ok: false, reason: 'locked' };
      }
      const step = totpStep(holder.totpSecret!, code, now);
      if (step !== null && (holder.totpLastStep === null || step > holder.totpLastStep)) {
        await db.updateTable('web_accounts').set({ totp_last_step: step }).where('id', '=', session.account_id).execute();
        return { ok: true, ...(await promote(token, session.account_id, requestId)), recoveryCodeUsed: false };
      }
      if (step !== null) {
        // A right code, but for a time step already used (a replay, or the same code typed again after signing out).
        await recordFailure(holder.user.email, requestId, 'reused_code', session.account_id);
        if (isLocked(await throttleState(holder.user.email), clock.now())) {
          await endSession(token, 'signed_out');
          return { ok: false, reason: 'locked' };
        }
        return { ok: false, reason: 'reused' };
      }
      const used = await db
        .updateTable('web_recovery_codes')
        .set({ used_at: now })
        .where('account_id', '=', session.account_id)
        .where('code_hash', '=', recoveryCodeHash(code))
        .where('used_at', 'is', null)
        .returning('account_id')
        .executeTakeFirst();
      if (used) {
        await audit.record(db, now, { type: 'web.recovery_code_used', actor: actorFor(holder.user, requestId) });
        return { ok: true, ...(await promote(token, session.account_id, requestId, { recoveryCode: true })), recoveryCodeUsed: true };
      }
      await recordFailure(holder.user.email, requestId, 'wrong_code', session.account_id);
      if (isLocked(await throttleState(holder.user.email), clock.now())) {
        await endSession(token, 'signed_out');
        return { ok: false, reason: 'locked' };
      }
      return { ok: false, reason: 'invalid' };
    },

    /** The QR code and secret for linking an authenticator app (a new secret until one is confirmed). */
    async enrolment(token: string) {
      const pending = await pendingSession(token);
      if (!pending || pending.holder.enrolled) return undefined;
      let secret = pending.holder.totpSecret;
      if (!secret) {
        secret = newTotpSecret();
        await db.updateTable('web_accounts').set({ totp_secret: secret, updated_at: clock.now() }).where('id', '=', pending.session.account_id).execute();
      }
      return enrolmentDetails(secret, pending.holder.user.email);
    },

    /** Confirms the app with a first code; returns a signed-in session and recovery codes (shown once). */
    async confirmEnrolment(
      token: string,
      code: string,
      requestId: string,
    ): Promise<{ ok: true; sessionToken: string; resume: string | undefined; recoveryCodes: string[] } | { ok: false; reason: 'invalid' | 'expired' }> {
      const pending = await pendingSession(token);
      if (!pending || pending.holder.enrolled || !pending.holder.totpSecret) return { ok: false, reason: 'expired' };
      const now = clock.now();
      const step = totpStep(pending.holder.totpSecret, code, now);
      if (step === null) {
        await recordFailure(pending.holder.user.email, requestId, 'wrong_enrolment_code', pending.session.account_id);
        return { ok: false, reason: 'invalid' };
      }
      const recoveryCodes = newRecoveryCodes();
      const accountId = pending.session.account_id;
      await db.transaction().execute(async (trx) => {
        await trx.updateTable('web_accounts').set({ totp_enrolled_at: now, totp_last_step: step, updated_at: now }).where('id', '=', accountId).execute();
        await trx.deleteFrom('web_recovery_codes').where('account_id', '=', accountId).execute();
        await trx
          .insertInto('web_recovery_codes')
          .values(recoveryCodes.map((c) => ({ account_id: accountId, code_hash: recoveryCodeHash(c), used_at: null })))
          .execute();
        await audit.record(trx, now, { type: 'web.second_factor_enrolled', actor: actorFor(pending.holder.user, requestId) });
      });
      return { ok: true, ...(await promote(token, accountId, requestId, { enrolled: true })), recoveryCodes };
    },

    /**
     * The session behind a cookie, when it is live; touches it. A session past its idle or absolute
     * time is ended (and audited) here, so it can never be used again.
     */
    async resolve(token: string | undefined, requestId: string): Promise<WebSession | undefined> {
      if (!token || token.length > 100) return undefined;
      const now = clock.now();
      const row = await db.selectFrom('web_sessions').selectAll().where('id_hash', '=', tokenHash(token)).where('ended_at', 'is', null).executeTakeFirst();
      if (!row) return undefined;
      const current = await settings.current();
      const state = sessionState({ createdAt: row.created_at, lastSeenAt: row.last_seen_at, expiresAt: row.expires_at }, now, current.sessionIdleMinutes);
      const holder = state === 'live' ? await userOf(row.account_id) : undefined;
      if (!holder) {
        const reason = state === 'live' ? 'deactivated' : state;
        await db.transaction().execute(async (trx) => {
          await endSession(token, reason, trx);
          if (row.stage === 'signed_in') {
            await audit.record(trx, now, {
              type: 'web.session_expired',
              actor: anonymous(requestId),
              resource: { type: 'web_account', id: row.account_id },
              details: { reason },
            });
          }
        });
        return undefined;
      }
      if (now.getTime() - row.last_seen_at.getTime() > 5_000) {
        await db.updateTable('web_sessions').set({ last_seen_at: now }).where('id_hash', '=', row.id_hash).execute();
      }
      return { accountId: row.account_id, stage: row.stage, csrfToken: row.csrf_token, user: holder.user, enrolled: holder.enrolled };
    },

    async signOut(token: string, requestId: string) {
      await kept.dropFor(token);
      const ended = await endSession(token, 'signed_out');
      if (ended?.stage === 'signed_in') {
        const holder = await userOf(ended.account_id);
        await audit.record(db, clock.now(), {
          type: 'web.signed_out',
          actor: holder ? actorFor(holder.user, requestId) : anonymous(requestId),
          resource: { type: 'web_account', id: ended.account_id },
        });
      }
    },

    async signOutEverywhere(user: WebUser, requestId: string) {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const ended = await trx
          .updateTable('web_sessions')
          .set({ ended_at: now, end_reason: 'signed_out_everywhere' })
          .where('account_id', '=', user.accountId)
          .where('ended_at', 'is', null)
          .returning('account_id')
          .execute();
        await audit.record(trx, now, { type: 'web.signed_out_everywhere', actor: actorFor(user, requestId), details: { sessions: ended.length } });
      });
    },

    /** The signed-in session behind a cookie that has ended, and whether a form posted with it may be kept. */
    endedSession: (token: string) => kept.ended(token),

    /** Keeps a form posted with an ended session's cookie (see kept-form-store.ts); nothing in it is acted on. */
    keepForm(token: string, posted: { csrf: string; action: string; page: string | undefined; body: unknown }, requestId: string): Promise<KeepOutcome> {
      return kept.keep(token, posted, requestId);
    },

    /** The form kept for this signed-in user on this page (and, if given, posting to `action`), once (then it is gone), or undefined. */
    takeKeptForm(token: string, user: WebUser, page: string, action: string | undefined, requestId: string): Promise<KeptForm | undefined> {
      return kept.take(token, user.accountId, page, action, actorFor(user, requestId));
    },
  };
}
