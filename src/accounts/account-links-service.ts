/**
 * Web accounts and their one-time links: an account with its invitation, another invitation, a
 * password reset requested (always "done"), a password chosen through a link, deactivation.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import { errorSummary } from '../shared/logging.ts';
import { type AccountCore, NO_ACCOUNT } from './account-core.ts';
import { hashPassword, normaliseEmail, tokenHash } from './credentials.ts';
import { passwordProblems } from './sign-in-rules.ts';

export function createAccountLinkService(core: AccountCore) {
  const { db, clock, audit, warn, anonymous, userOf, sendLink } = core;
  const service = {
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
      const link = await service.link(token);
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
      note?: string,
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
      const sendInvitation = await sendLink(account.id, email, name, 'invitation', trx, note);
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
    async inviteAgain(trx: Kysely<DB>, accountId: string, email: string, name: string, note?: string): Promise<() => Promise<void>> {
      return sendLink(accountId, email, name, 'invitation', trx, note);
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
  };
  return service;
}
