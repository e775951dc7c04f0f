/**
 * What the account services share: the account's holder, sessions, the sign-in throttle, one-time
 * links and the holder of a second factor to reset. Internal to src/accounts/.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, WebSessionEndReason } from '../db/schema.ts';
import type { MailTransport } from '../notifications/mail-transport.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor, StaffActor, StaffRole } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, notFound } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { errorSummary } from '../shared/logging.ts';
import { accountLinkMail } from './account-mails.ts';
import { ownSecondFactor, type SecondFactorHolder } from './account-types.ts';
import { emailHash, randomToken, tokenHash } from './credentials.ts';
import { createKeptFormStore, type KeptFormCrypto } from './kept-form-store.ts';
import { afterFailure } from './sign-in-rules.ts';
import type { WebUser } from './web-user.ts';

export const LINK_HOURS = { invitation: 7 * 24, password_reset: 1 } as const;

/** An id no account has: an unknown address is looked up the same way as a known one. */
export const NO_ACCOUNT = '00000000-0000-0000-0000-000000000000';

export type AccountDeps = {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  settings: SettingsService;
  mail: MailTransport;
  publicUrl: string;
  /** Encrypts the fields of a form kept after its session ended (they may hold a BSN). */
  crypto: KeptFormCrypto;
  /** Where a mail that could not be sent is reported (it holds no link or personal data); stderr by default. */
  log?: (message: string) => void;
};

export type AccountCore = ReturnType<typeof createAccountCore>;

export function createAccountCore(deps: AccountDeps) {
  const { db, clock, audit, settings, mail, publicUrl } = deps;
  const warn = deps.log ?? ((message: string) => console.warn(`sluis: ${message}`));
  const anonymous = (requestId: string) => ({ kind: 'anonymous' as const, requestId });
  const kept = createKeptFormStore({ db, clock, audit, crypto: deps.crypto });

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

  /**
   * Swaps the password-stage session for a signed-in one (a new id, so a planted cookie is worthless).
   * A form kept for this account comes along; `resume` is the page it was on, to land on.
   */
  async function promote(token: string, accountId: string, requestId: string, details: Record<string, string | boolean> = {}) {
    return db.transaction().execute(async (trx) => {
      await endSession(token, 'signed_out', trx);
      const fresh = await newSession(accountId, 'signed_in', trx);
      await kept.carry(trx, token, fresh, accountId, requestId);
      const email = await trx.selectFrom('web_accounts').select('email').where('id', '=', accountId).executeTakeFirstOrThrow();
      await trx.deleteFrom('web_login_throttle').where('email_hash', '=', emailHash(email.email)).execute();
      const holder = await userOf(accountId, trx);
      await audit.record(trx, clock.now(), { type: 'web.signed_in', actor: actorFor(holder!.user, requestId), details });
      return { sessionToken: fresh, resume: await kept.resumePage(trx, fresh) };
    });
  }

  async function sendLink(accountId: string, email: string, name: string, purpose: 'invitation' | 'password_reset', executor: Kysely<DB> = db, note?: string) {
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
      ...(note && { note }),
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
    db,
    clock,
    audit,
    settings,
    mail,
    publicUrl,
    warn,
    anonymous,
    kept,
    userOf,
    throttleState,
    recordFailure,
    newSession,
    endSession,
    pendingSession,
    promote,
    sendLink,
    resetHolder,
  };
}

export function actorFor(user: WebUser, requestId: string) {
  return user.kind === 'professional'
    ? { kind: 'professional' as const, professionalId: user.professionalId, organisationId: user.organisationId, apiClientId: null, requestId }
    : { kind: 'staff' as const, staffMemberId: user.staffMemberId, roles: user.roles, apiClientId: null, requestId };
}
