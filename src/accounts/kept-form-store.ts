/**
 * Forms kept after their session ended (table web_kept_forms, migration 0014): kept for the ended
 * session whose cookie and CSRF token posted them, carried along the sign-in that follows only when
 * the same account signs in, taken once by the form's page, and gone after KEPT_FORM_MINUTES. The
 * fields are encrypted at rest; they never reach a log line or an audit record (the audit records
 * name the page only). Internal to src/accounts/; the rules are in kept-forms.ts.
 */
import type { Kysely } from 'kysely';
import type { AuditEvent, AuditLog } from '../audit/audit-log.ts';
import type { DB, WebSessionEndReason } from '../db/schema.ts';
import { type PersonCrypto, SEALED_TEXT_PURPOSES } from '../persons/identity-keys.ts';
import type { Clock } from '../shared/clock.ts';
import { sameText, tokenHash } from './credentials.ts';
import { isKeepableAction, isRecoverableEnding, KEPT_FORM_MINUTES, type KeptFields, keptFields } from './kept-forms.ts';

const PURPOSE = SEALED_TEXT_PURPOSES.keptForm;

export type KeptFormCrypto = Pick<PersonCrypto, 'sealText' | 'openText'>;

/** A signed-in session that has ended, recognised by its cookie. */
export type EndedSession = { accountId: string; endReason: WebSessionEndReason | null; recoverable: boolean };

export type KeepOutcome = { kept: boolean; endReason: WebSessionEndReason | null };

export function createKeptFormStore(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; crypto: KeptFormCrypto }) {
  const { db, clock, audit, crypto } = deps;
  const anonymous = (requestId: string) => ({ kind: 'anonymous' as const, requestId });

  async function endedRow(token: string) {
    if (!token || token.length > 100) return undefined;
    return db
      .selectFrom('web_sessions')
      .select(['id_hash', 'account_id', 'stage', 'csrf_token', 'end_reason'])
      .where('id_hash', '=', tokenHash(token))
      .where('ended_at', 'is not', null)
      .where('stage', '=', 'signed_in')
      .executeTakeFirst();
  }

  return {
    /** The signed-in session behind a cookie that has ended (by the timeout, or elsewhere); undefined for anything else. */
    async ended(token: string): Promise<EndedSession | undefined> {
      const row = await endedRow(token);
      return row && { accountId: row.account_id, endReason: row.end_reason, recoverable: isRecoverableEnding(row.end_reason) };
    },

    /**
     * Keeps a form posted with an ended session's cookie, when the session ended in a way the same
     * person comes back from and the form carries that session's own CSRF token (so it was shown to
     * that session, not forged elsewhere). Nothing in the form is acted on.
     */
    async keep(token: string, posted: { csrf: string; action: string; page: string | undefined; body: unknown }, requestId: string): Promise<KeepOutcome> {
      const row = await endedRow(token);
      if (!row) return { kept: false, endReason: null };
      const fields = keptFields(posted.body);
      const keepable =
        isRecoverableEnding(row.end_reason) && posted.page !== undefined && isKeepableAction(posted.action) && fields && sameText(posted.csrf, row.csrf_token);
      if (!keepable) return { kept: false, endReason: row.end_reason };
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const values = {
          session_hash: row.id_hash,
          account_id: row.account_id,
          page_path: posted.page!,
          action_path: posted.action,
          fields_ciphertext: crypto.sealText(JSON.stringify(fields), PURPOSE),
          created_at: now,
          expires_at: new Date(now.getTime() + KEPT_FORM_MINUTES * 60_000),
        };
        await trx
          .insertInto('web_kept_forms')
          .values(values)
          .onConflict((oc) => oc.columns(['session_hash', 'page_path']).doUpdateSet(values))
          .execute();
        await audit.record(trx, now, {
          type: 'web.form_kept',
          actor: anonymous(requestId),
          resource: { type: 'web_account', id: row.account_id },
          details: { page: posted.page!, reason: row.end_reason ?? 'ended' },
        });
      });
      return { kept: true, endReason: row.end_reason };
    },

    /**
     * A sign-in step swapped the session `from` for `to`, for `accountId`: that account's kept forms
     * go along; another account's are deleted unseen (someone else signed in on this browser).
     */
    async carry(executor: Kysely<DB>, from: string, to: string, accountId: string, requestId: string) {
      if (!from || from.length > 100) return;
      const now = clock.now();
      const fromHash = tokenHash(from);
      await executor
        .updateTable('web_kept_forms')
        .set({ session_hash: tokenHash(to) })
        .where('session_hash', '=', fromHash)
        .where('account_id', '=', accountId)
        .where('expires_at', '>', now)
        .execute();
      const discarded = await executor
        .deleteFrom('web_kept_forms')
        .where('session_hash', '=', fromHash)
        .returning(['account_id', 'page_path', 'expires_at'])
        .execute();
      for (const row of discarded.filter((r) => r.account_id !== accountId && r.expires_at > now)) {
        await audit.record(executor, now, {
          type: 'web.form_discarded',
          actor: anonymous(requestId),
          resource: { type: 'web_account', id: row.account_id },
          details: { page: row.page_path, reason: 'other_account' },
        });
      }
    },

    /** The page of the newest kept form waiting for this (just signed-in) session, to land on. */
    async resumePage(executor: Kysely<DB>, token: string): Promise<string | undefined> {
      const row = await executor
        .selectFrom('web_kept_forms')
        .select('page_path')
        .where('session_hash', '=', tokenHash(token))
        .where('expires_at', '>', clock.now())
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst();
      return row?.page_path;
    },

    /**
     * The form kept for this page (one at most), once: it is deleted as it is read. With `action`, only
     * a form that posted there (the page's form of that name); without, whichever form of the page.
     */
    async take(
      token: string,
      accountId: string,
      page: string,
      action: string | undefined,
      actor: AuditEvent['actor'],
    ): Promise<{ action: string; fields: KeptFields } | undefined> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        let query = trx
          .deleteFrom('web_kept_forms')
          .where('session_hash', '=', tokenHash(token))
          .where('account_id', '=', accountId)
          .where('page_path', '=', page);
        if (action !== undefined) query = query.where('action_path', '=', action);
        const row = await query.returning(['action_path', 'fields_ciphertext', 'expires_at']).executeTakeFirst();
        if (!row || row.expires_at <= now) return undefined;
        let fields: KeptFields;
        try {
          fields = JSON.parse(crypto.openText(row.fields_ciphertext, PURPOSE)) as KeptFields;
        } catch {
          return undefined; // sealed with a key that has since been replaced: nothing to give back
        }
        await audit.record(trx, now, { type: 'web.form_restored', actor, resource: { type: 'web_account', id: accountId }, details: { page } });
        return { action: row.action_path, fields };
      });
    },

    /** Signing out drops what the session still kept. */
    async dropFor(token: string) {
      await db.deleteFrom('web_kept_forms').where('session_hash', '=', tokenHash(token)).execute();
    },
  };
}

export type KeptFormStore = ReturnType<typeof createKeptFormStore>;
