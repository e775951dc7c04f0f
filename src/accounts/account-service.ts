/**
 * Web accounts and sessions: signing in with a password and a second factor (TOTP or a recovery
 * code), enrolment of the authenticator app, sessions with an idle and an absolute timeout,
 * signing out (everywhere), invitation and password-reset links, and the reset of a lost second
 * factor by a coordinator or administrator. See README.md in this folder.
 *
 * Nothing here tells a caller whether an e-mail address has an account: unknown addresses are
 * throttled and locked like known ones, take as long to check, and get the same answers.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, WebSessionEndReason } from '../db/schema.ts';
import type { MailTransport } from '../notifications/mail-transport.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor, StaffActor, StaffRole } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, notFound, Problem } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { errorSummary } from '../shared/logging.ts';
import { accountLinkMail, secondFactorResetMail } from './account-mails.ts';
import {
  emailHash,
  enrolmentDetails,
  hashPassword,
  newRecoveryCodes,
  newTotpSecret,
  normaliseEmail,
  passwordMatches,
  randomToken,
  recoveryCodeHash,
  tokenHash,
  totpStep,
} from './credentials.ts';
import { afterFailure, isLocked, passwordProblems, sessionState } from './sign-in-rules.ts';
import type { WebUser } from './web-user.ts';

export type WebSession = { accountId: string; stage: 'password_ok' | 'signed_in'; csrfToken: string; user: WebUser; enrolled: boolean };

export type SignInResult = { ok: true; sessionToken: string; next: 'second_factor' | 'enrolment' } | { ok: false; reason: 'invalid' | 'locked' | 'inactive' };

const LINK_HOURS = { invitation: 7 * 24, password_reset: 1 } as const;

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

export type AccountService = ReturnType<typeof createAccountService>;

/** An id no account has: an unknown address is looked up the same way as a known one. */
const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

export function createAccountService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  settings: SettingsService;
  mail: MailTransport;
  publicUrl: string;
  /** Where a mail that could not be sent is reported (it holds no link or personal data); stderr by default. */
  log?: (message: string) => void;
}) {
  const { db, clock, audit, settings, mail, publicUrl } = deps;
  const warn = deps.log ?? ((message: string) => console.warn(`sluis: ${message}`));
  const anonymous = (requestId: string) => ({ kind: 'anonymous' as const, requestId });

  /** The account's holder, when the account may sign in: active, and for professionals an active covenant. */
  async function userOf(
    accountId: string,
    executor: Kysely<DB> = db,
  ): Promise<{ user: WebUser; enrolled: boolean; totpSecret: string | null; totpLastStep: number | null } | undefined> {
    const row = await sql<{
      id: string;
      email: string;
      totp_secret: string | null;
      totp_enrolled_at: Date | null;
      totp_last_step: string | null;
      professional_id: string | null;
      professional_name: string | null;
      organisation_id: string | null;
      organisation_name: string | null;
      coordinator: boolean | null;
      professional_ok: boolean | null;
      staff_member_id: string | null;
      staff_name: string | null;
      roles: StaffRole[] | null;
      staff_active: boolean | null;
    }>`
      select w.id, w.email, w.totp_secret, w.totp_enrolled_at, w.totp_last_step,
             p.id as professional_id, p.name as professional_name, o.id as organisation_id, o.name as organisation_name, p.coordinator,
             (p.active and exists (select from covenants c where c.organisation_id = p.organisation_id and c.status = 'active'
                                   and c.starts_on <= ${amsterdamDate(clock.now())})) as professional_ok,
             sm.id as staff_member_id, sm.name as staff_name, sm.roles, sm.active as staff_active
        from web_accounts w
        left join professionals p on p.id = w.professional_id
        left join organisations o on o.id = p.organisation_id
        left join staff_members sm on sm.id = w.staff_member_id
       where w.id = ${accountId} and w.deactivated_at is null`.execute(executor);
    const r = row.rows[0];
    if (!r) return undefined;
    const common = {
      enrolled: r.totp_enrolled_at !== null,
      totpSecret: r.totp_secret,
      totpLastStep: r.totp_last_step === null ? null : Number(r.totp_last_step),
    };
    if (r.professional_id && r.professional_ok) {
      return {
        ...common,
        user: {
          kind: 'professional',
          accountId: r.id,
          email: r.email,
          name: r.professional_name!,
          professionalId: r.professional_id,
          organisationId: r.organisation_id!,
          organisationName: r.organisation_name!,
          coordinator: r.coordinator === true,
        },
      };
    }
    if (r.staff_member_id && r.staff_active) {
      return {
        ...common,
        user: { kind: 'staff', accountId: r.id, email: r.email, name: r.staff_name!, staffMemberId: r.staff_member_id, roles: r.roles ?? [] },
      };
    }
    return undefined;
  }

  async function throttleState(email: string) {
    const row = await db.selectFrom('web_login_throttle').selectAll().where('email_hash', '=', emailHash(email)).executeTakeFirst();
    return row && { failures: row.failures, windowStartedAt: row.window_started_at, lockedUntil: row.locked_until };
  }

  async function recordFailure(email: string, requestId: string, reason: string, accountId: string | null) {
    const now = clock.now();
    const next = afterFailure(await throttleState(email), now);
    await db
      .insertInto('web_login_throttle')
      .values({ email_hash: emailHash(email), failures: next.failures, window_started_at: next.windowStartedAt, locked_until: next.lockedUntil })
      .onConflict((oc) =>
        oc.column('email_hash').doUpdateSet({ failures: next.failures, window_started_at: next.windowStartedAt, locked_until: next.lockedUntil }),
      )
      .execute();
    await audit.record(db, now, {
      type: 'web.sign_in_failed',
      outcome: 'denied',
      actor: anonymous(requestId),
      resource: accountId ? { type: 'web_account', id: accountId } : null,
      details: { reason, locked: next.lockedUntil !== null },
    });
  }

  async function newSession(accountId: string, stage: 'password_ok' | 'signed_in', executor: Kysely<DB> = db) {
    const now = clock.now();
    const current = await settings.current();
    const token = randomToken();
    await executor
      .insertInto('web_sessions')
      .values({
        id_hash: tokenHash(token),
        account_id: accountId,
        stage,
        csrf_token: randomToken(),
        created_at: now,
        last_seen_at: now,
        expires_at: new Date(now.getTime() + (stage === 'signed_in' ? current.sessionAbsoluteHours * 3_600_000 : 10 * 60_000)),
      })
      .execute();
    return token;
  }

  async function endSession(token: string, reason: WebSessionEndReason, executor: Kysely<DB> = db) {
    return executor
      .updateTable('web_sessions')
      .set({ ended_at: clock.now(), end_reason: reason })
      .where('id_hash', '=', tokenHash(token))
      .where('ended_at', 'is', null)
      .returning(['account_id', 'stage'])
      .executeTakeFirst();
  }

  /** The password-stage session for a second-factor step, with its account. */
  async function pendingSession(token: string) {
    const session = await db
      .selectFrom('web_sessions')
      .selectAll()
      .where('id_hash', '=', tokenHash(token))
      .where('ended_at', 'is', null)
      .where('stage', '=', 'password_ok')
      .where('expires_at', '>', clock.now())
      .executeTakeFirst();
    if (!session) return undefined;
    const holder = await userOf(session.account_id);
    return holder && { session, holder };
  }

  /** Swaps the password-stage session for a signed-in one (a new id, so a planted cookie is worthless). */
  async function promote(token: string, accountId: string, requestId: string, details: Record<string, string | boolean> = {}) {
    return db.transaction().execute(async (trx) => {
      await endSession(token, 'signed_out', trx);
      const fresh = await newSession(accountId, 'signed_in', trx);
      const email = await trx.selectFrom('web_accounts').select('email').where('id', '=', accountId).executeTakeFirstOrThrow();
      await trx.deleteFrom('web_login_throttle').where('email_hash', '=', emailHash(email.email)).execute();
      const holder = await userOf(accountId, trx);
      await audit.record(trx, clock.now(), { type: 'web.signed_in', actor: actorFor(holder!.user, requestId), details });
      return fresh;
    });
  }

  async function sendLink(accountId: string, email: string, name: string, purpose: 'invitation' | 'password_reset', executor: Kysely<DB> = db) {
    const now = clock.now();
    const token = randomToken();
    await executor
      .insertInto('web_one_time_links')
      .values({
        token_hash: tokenHash(token),
        account_id: accountId,
        purpose,
        created_at: now,
        expires_at: new Date(now.getTime() + LINK_HOURS[purpose] * 3_600_000),
      })
      .execute();
    const message = accountLinkMail({
      purpose,
      to: email,
      name,
      link: `${publicUrl}/wachtwoord/instellen?link=${token}`,
      hours: LINK_HOURS[purpose],
      publicUrl,
    });
    return () => mail.send(message).catch((error: unknown) => warn(`Could not send the ${purpose} mail: ${errorSummary(error)}`));
  }

  /**
   * Who may reset whose second factor: an active coordinator for a professional of their own
   * organisation, an active administrator for a staff member; nobody their own. Another
   * organisation's professional is "not found", exactly like an id that does not exist.
   */
  async function resetHolder(actor: ProfessionalActor | StaffActor, holder: SecondFactorHolder) {
    const deny = async (reason: string) => {
      await audit.record(db, clock.now(), { type: 'auth.denied', outcome: 'denied', actor, details: { reason, action: 'second_factor_reset' } });
      return forbidden('Only an organisation coordinator (for its professionals) or an administrator (for staff members) may reset a second factor.');
    };
    if (actor.kind === 'professional') {
      const coordinator = await db
        .selectFrom('professionals')
        .select('id')
        .where('id', '=', actor.professionalId)
        .where('organisation_id', '=', actor.organisationId)
        .where('coordinator', '=', true)
        .where('active', '=', true)
        .executeTakeFirst();
      if (!coordinator) throw await deny('not_coordinator');
      if (!('professionalId' in holder)) throw await deny('not_administrator');
      if (holder.professionalId === actor.professionalId) throw ownSecondFactor();
      const row = isUuid(holder.professionalId)
        ? await db
            .selectFrom('professionals')
            .select(['name', 'email', 'active'])
            .where('id', '=', holder.professionalId)
            .where('organisation_id', '=', actor.organisationId)
            .executeTakeFirst()
        : undefined;
      if (!row) throw notFound('professional');
      return {
        ...row,
        column: 'professional_id' as const,
        id: holder.professionalId,
        details: { professional: holder.professionalId } as Record<string, string>,
      };
    }
    const administrator =
      actor.roles.includes('municipality_admin') &&
      (await db
        .selectFrom('staff_members')
        .select('id')
        .where('id', '=', actor.staffMemberId)
        .where('active', '=', true)
        .where(sql<boolean>`'municipality_admin' = any(roles)`)
        .executeTakeFirst());
    if (!administrator) throw await deny('not_administrator');
    if (!('staffMemberId' in holder)) throw await deny('not_coordinator');
    if (holder.staffMemberId === actor.staffMemberId) throw ownSecondFactor();
    const row = isUuid(holder.staffMemberId)
      ? await db.selectFrom('staff_members').select(['name', 'email', 'active']).where('id', '=', holder.staffMemberId).executeTakeFirst()
      : undefined;
    if (!row) throw notFound('staff member');
    return { ...row, column: 'staff_member_id' as const, id: holder.staffMemberId, details: { staffMember: holder.staffMemberId } as Record<string, string> };
  }

  return {
    userOf: async (accountId: string) => (await userOf(accountId))?.user,

    async signInWithPassword(emailInput: string, password: string, requestId: string): Promise<SignInResult> {
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
      return { ok: true, sessionToken, next: holder.enrolled ? 'second_factor' : 'enrolment' };
    },

    /** Checks a TOTP code (or a recovery code) for a password-stage session; on success a new, signed-in session. */
    async verifySecondFactor(
      token: string,
      code: string,
      requestId: string,
    ): Promise<{ ok: true; sessionToken: string; recoveryCodeUsed: boolean } | { ok: false; reason: 'invalid' | 'locked' | 'expired' }> {
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
        return { ok: true, sessionToken: await promote(token, session.account_id, requestId), recoveryCodeUsed: false };
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
        return { ok: true, sessionToken: await promote(token, session.account_id, requestId, { recoveryCode: true }), recoveryCodeUsed: true };
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
    ): Promise<{ ok: true; sessionToken: string; recoveryCodes: string[] } | { ok: false; reason: 'invalid' | 'expired' }> {
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
      return { ok: true, sessionToken: await promote(token, accountId, requestId, { enrolled: true }), recoveryCodes };
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

    /**
     * Always "done": whether a mail went out is never shown, and a known address costs the answer the
     * same work as an unknown one (the same two reads and one audit insert); the link and the mail
     * are made after the answer.
     */
    async requestPasswordReset(emailInput: string, requestId: string): Promise<void> {
      const email = normaliseEmail(emailInput);
      const account = await db
        .selectFrom('web_accounts')
        .select(['id', 'password_hash'])
        .where('email', '=', email)
        .where('deactivated_at', 'is', null)
        .executeTakeFirst();
      const holder = await userOf(account?.id ?? NO_ACCOUNT);
      await audit.record(db, clock.now(), {
        type: 'web.password_reset_requested',
        actor: anonymous(requestId),
        resource: account ? { type: 'web_account', id: account.id } : null,
        details: { sent: Boolean(holder) },
      });
      if (!account || !holder) return;
      setImmediate(() => {
        sendLink(account.id, email, holder.user.name, account.password_hash ? 'password_reset' : 'invitation')
          .then((send) => send())
          .catch((error: unknown) => warn(`Could not make the password link: ${errorSummary(error)}`));
      });
    },

    /** What a one-time link is for, when it is still usable. */
    async link(token: string): Promise<{ purpose: 'invitation' | 'password_reset'; email: string } | undefined> {
      if (!token || token.length > 100) return undefined;
      const row = await db
        .selectFrom('web_one_time_links as l')
        .innerJoin('web_accounts as w', 'w.id', 'l.account_id')
        .select(['l.purpose', 'w.email'])
        .where('l.token_hash', '=', tokenHash(token))
        .where('l.used_at', 'is', null)
        .where('l.expires_at', '>', clock.now())
        .where('w.deactivated_at', 'is', null)
        .executeTakeFirst();
      return row;
    },

    /** Sets a password through a link (used once). Ends the account's sessions. Returns problems for the form, if any. */
    async setPassword(token: string, password: string, requestId: string): Promise<{ ok: true } | { ok: false; problems: string[] }> {
      const link = await this.link(token);
      if (!link) return { ok: false, problems: ['Deze link is verlopen of al gebruikt. Vraag een nieuwe aan.'] };
      const problems = passwordProblems(password, link.email);
      if (problems.length > 0) return { ok: false, problems };
      const passwordHash = await hashPassword(password);
      const now = clock.now();
      const done = await db.transaction().execute(async (trx) => {
        const used = await trx
          .updateTable('web_one_time_links')
          .set({ used_at: now })
          .where('token_hash', '=', tokenHash(token))
          .where('used_at', 'is', null)
          .returning('account_id')
          .executeTakeFirst();
        if (!used) return false;
        await trx.updateTable('web_accounts').set({ password_hash: passwordHash, updated_at: now }).where('id', '=', used.account_id).execute();
        await trx.updateTable('web_one_time_links').set({ used_at: now }).where('account_id', '=', used.account_id).where('used_at', 'is', null).execute();
        await trx
          .updateTable('web_sessions')
          .set({ ended_at: now, end_reason: 'password_changed' })
          .where('account_id', '=', used.account_id)
          .where('ended_at', 'is', null)
          .execute();
        await audit.record(trx, now, {
          type: 'web.password_set',
          actor: anonymous(requestId),
          resource: { type: 'web_account', id: used.account_id },
          details: { purpose: link.purpose },
        });
        return true;
      });
      return done ? { ok: true } : { ok: false, problems: ['Deze link is verlopen of al gebruikt. Vraag een nieuwe aan.'] };
    },

    /**
     * Creates the web account of a professional or staff member and mails an invitation link.
     * Returns a function that sends the mail: call it after the transaction committed.
     */
    async createAccount(
      trx: Kysely<DB>,
      holder: { professionalId: string } | { staffMemberId: string },
      emailInput: string,
      name: string,
    ): Promise<{ accountId: string; sendInvitation: () => Promise<void> }> {
      const now = clock.now();
      const email = normaliseEmail(emailInput);
      const account = await trx
        .insertInto('web_accounts')
        .values({
          email,
          created_at: now,
          updated_at: now,
          professional_id: 'professionalId' in holder ? holder.professionalId : null,
          staff_member_id: 'staffMemberId' in holder ? holder.staffMemberId : null,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const sendInvitation = await sendLink(account.id, email, name, 'invitation', trx);
      return { accountId: account.id, sendInvitation };
    },

    /** The first administrator's account, with the password chosen on the setup page (the second factor follows at first sign-in). */
    async createAccountWithPassword(holder: { staffMemberId: string }, emailInput: string, password: string) {
      const now = clock.now();
      await db
        .insertInto('web_accounts')
        .values({
          email: normaliseEmail(emailInput),
          created_at: now,
          updated_at: now,
          password_hash: await hashPassword(password),
          professional_id: null,
          staff_member_id: holder.staffMemberId,
        })
        .execute();
    },

    /** A new invitation link for an account whose holder has not chosen a password yet; send it after the commit. */
    async inviteAgain(trx: Kysely<DB>, accountId: string, email: string, name: string): Promise<() => Promise<void>> {
      return sendLink(accountId, email, name, 'invitation', trx);
    },

    /** Ends every session of an account whose holder was deactivated, and keeps it from signing in. */
    async deactivate(trx: Kysely<DB>, where: { professionalId: string } | { staffMemberId: string }) {
      const now = clock.now();
      const accounts = await trx
        .updateTable('web_accounts')
        .set({ deactivated_at: now, updated_at: now })
        .where('professionalId' in where ? 'professional_id' : 'staff_member_id', '=', 'professionalId' in where ? where.professionalId : where.staffMemberId)
        .where('deactivated_at', 'is', null)
        .returning('id')
        .execute();
      for (const account of accounts) {
        await trx
          .updateTable('web_sessions')
          .set({ ended_at: now, end_reason: 'deactivated' })
          .where('account_id', '=', account.id)
          .where('ended_at', 'is', null)
          .execute();
      }
      return accounts.map((a) => a.id);
    },

    /** For the confirmation page: the holder, and whether there is a linked app to reset. Authorised like resetSecondFactor. */
    async secondFactorOf(actor: ProfessionalActor | StaffActor, holder: SecondFactorHolder): Promise<SecondFactorState> {
      const found = await resetHolder(actor, holder);
      const account = await db
        .selectFrom('web_accounts')
        .select(['email', 'totp_enrolled_at', 'deactivated_at'])
        .where(found.column, '=', found.id)
        .executeTakeFirst();
      const state = !account || account.deactivated_at || !found.active ? 'no_account' : account.totp_enrolled_at ? 'enrolled' : 'not_enrolled';
      return { name: found.name, email: account?.email ?? found.email, state };
    },

    /**
     * Resets the second factor of a holder who lost both the authenticator app and the recovery
     * codes. In one transaction: the TOTP secret and enrolment are cleared, the recovery codes
     * deleted, every live session ended, and web.second_factor_reset recorded (the coordinator or
     * administrator as actor, the account as resource). The password stays, so the next sign-in goes
     * to enrolment. After the commit the holder gets a notice by mail. Refuses with 403 (wrong role),
     * 404 (not theirs to see), 409 own_second_factor or 409 not_enrolled.
     */
    async resetSecondFactor(
      actor: ProfessionalActor | StaffActor,
      holder: SecondFactorHolder,
    ): Promise<{ name: string; email: string; sessionsEnded: number }> {
      const found = await resetHolder(actor, holder);
      const now = clock.now();
      const done = await db.transaction().execute(async (trx) => {
        const account = await trx
          .selectFrom('web_accounts')
          .select(['id', 'email', 'totp_enrolled_at'])
          .where(found.column, '=', found.id)
          .where('deactivated_at', 'is', null)
          .forUpdate()
          .executeTakeFirst();
        if (!account || !found.active || !account.totp_enrolled_at) throw notEnrolled();
        await trx
          .updateTable('web_accounts')
          .set({ totp_secret: null, totp_enrolled_at: null, totp_last_step: null, updated_at: now })
          .where('id', '=', account.id)
          .execute();
        const codes = await trx.deleteFrom('web_recovery_codes').where('account_id', '=', account.id).executeTakeFirst();
        const sessions = await trx
          .updateTable('web_sessions')
          .set({ ended_at: now, end_reason: 'second_factor_reset' })
          .where('account_id', '=', account.id)
          .where('ended_at', 'is', null)
          .returning('stage')
          .execute();
        await audit.record(trx, now, {
          type: 'web.second_factor_reset',
          actor,
          resource: { type: 'web_account', id: account.id },
          details: { ...found.details, sessionsEnded: sessions.length, recoveryCodesDeleted: Number(codes.numDeletedRows) },
        });
        return { email: account.email, sessionsEnded: sessions.length };
      });
      const notice = secondFactorResetMail({
        to: done.email,
        name: found.name,
        by: actor.kind === 'professional' ? 'coordinator' : 'administrator',
        publicUrl,
      });
      await mail.send(notice).catch((error: unknown) => warn(`Could not send the second-factor reset notice: ${errorSummary(error)}`));
      return { name: found.name, ...done };
    },
  };
}

export function actorFor(user: WebUser, requestId: string) {
  return user.kind === 'professional'
    ? { kind: 'professional' as const, professionalId: user.professionalId, organisationId: user.organisationId, apiClientId: null, requestId }
    : { kind: 'staff' as const, staffMemberId: user.staffMemberId, roles: user.roles, apiClientId: null, requestId };
}
