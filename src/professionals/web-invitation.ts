/**
 * Inviting a professional to the web application, written once for every way it happens: the
 * organisation coordinator invites a new colleague or one that was registered through the API; the
 * municipality's administrator invites an organisation's first coordinator, makes an existing
 * professional coordinator, or invites (again) from the pages or through the API.
 *
 * The professional gets a web account in the invited state (no password yet) and a mail with a
 * one-time link (the account machinery of src/accounts/, valid 7 days); an invited account whose link
 * expired gets a fresh one. Refused with a 409, changing nothing: a deactivated professional, an
 * account that already has a password or was deactivated, an organisation without an active, started
 * covenant (its professionals could not sign in), and an e-mail address another web account uses.
 * Audited as web.account_invited, in the caller's transaction.
 */
import { type Kysely, sql } from 'kysely';
import type { AccountService } from '../accounts/account-service.ts';
import { webAccountState } from '../accounts/account-types.ts';
import { normaliseEmail } from '../accounts/credentials.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound, Problem } from '../shared/errors.ts';

/** Why an invitation is refused; the pages show each code in Dutch. */
export type InvitationRefusal = 'professional_inactive' | 'web_account_active' | 'web_account_deactivated' | 'covenant_not_active' | 'email_in_use';

const DETAILS: Record<InvitationRefusal, string> = {
  professional_inactive: 'The professional is deactivated and cannot be invited.',
  web_account_active: 'The professional already has a web account with a password; a forgotten password is renewed at /wachtwoord/vergeten.',
  web_account_deactivated: 'The professional’s web account was deactivated; it cannot be invited again.',
  covenant_not_active:
    'The organisation has no active, started covenant, so its professionals cannot sign in; start (or resume) the covenant first, then invite.',
  email_in_use: 'Another web account already uses this e-mail address.',
};

export const invitationRefused = (code: InvitationRefusal) => new Problem(409, code, 'Conflict', DETAILS[code]);

export const isInvitationRefusal = (error: unknown): error is Problem & { code: InvitationRefusal } =>
  error instanceof Problem && error.status === 409 && Object.hasOwn(DETAILS, error.code);

export type WebInvitation = ReturnType<typeof createWebInvitation>;

export function createWebInvitation(deps: { clock: Clock; audit: AuditLog; accounts: Pick<AccountService, 'createAccount' | 'inviteAgain'> }) {
  const { clock, audit, accounts } = deps;

  /** Whether the organisation's professionals can sign in today: a covenant that is active and has started. */
  async function covenantActive(executor: Kysely<DB>, organisationId: string): Promise<boolean> {
    const row = await sql<{ ok: boolean }>`
      select exists (select from covenants c where c.organisation_id = ${organisationId} and c.status = 'active'
                     and c.starts_on <= ${amsterdamDate(clock.now())}) as ok`.execute(executor);
    return row.rows[0]?.ok === true;
  }

  return {
    covenantActive,

    /**
     * Invites one professional, inside the caller's transaction (the professional's row is locked, so
     * two invitations at once make one account). Returns the sender of the mail: call it after the
     * commit. Another organisation's professional (when `organisationId` is given) is not found.
     */
    async invite(
      trx: Kysely<DB>,
      actor: ProfessionalActor | StaffActor,
      professionalId: string,
      organisationId?: string,
    ): Promise<{ accountId: string; again: boolean; send: () => Promise<void> }> {
      let locked = trx.selectFrom('professionals').select('id').where('id', '=', professionalId);
      if (organisationId) locked = locked.where('organisation_id', '=', organisationId);
      if (!(await locked.forUpdate().executeTakeFirst())) throw notFound('professional');
      const row = await trx
        .selectFrom('professionals as p')
        .innerJoin('organisations as o', 'o.id', 'p.organisation_id')
        .leftJoin('web_accounts as w', 'w.professional_id', 'p.id')
        .select([
          'p.id',
          'p.name',
          'p.email',
          'p.active',
          'p.coordinator',
          'p.organisation_id',
          'o.name as organisation_name',
          'w.id as account_id',
          'w.email as account_email',
        ])
        .select([sql<boolean>`w.password_hash is not null`.as('has_password'), sql<boolean>`w.deactivated_at is not null`.as('deactivated')])
        .where('p.id', '=', professionalId)
        .executeTakeFirstOrThrow();
      if (!row.active) throw invitationRefused('professional_inactive');
      const state = webAccountState({ exists: row.account_id !== null, hasPassword: row.has_password, deactivated: row.deactivated });
      if (state === 'active') throw invitationRefused('web_account_active');
      if (state === 'deactivated') throw invitationRefused('web_account_deactivated');
      if (!(await covenantActive(trx, row.organisation_id))) throw invitationRefused('covenant_not_active');
      const note = row.coordinator
        ? `U bent coördinator van ${row.organisation_name} in SluiS. Na het inloggen nodigt u bij "Mijn organisatie" de andere professionals van uw organisatie uit.`
        : `U bent uitgenodigd als professional van ${row.organisation_name}.`;
      let accountId: string;
      let send: () => Promise<void>;
      if (state === 'none') {
        const email = normaliseEmail(row.email);
        const taken = await trx.selectFrom('web_accounts').select('id').where('email', '=', email).executeTakeFirst();
        if (taken) throw invitationRefused('email_in_use');
        const created = await accounts.createAccount(trx, { professionalId }, email, row.name, note);
        accountId = created.accountId;
        send = created.sendInvitation;
      } else {
        accountId = row.account_id!;
        send = await accounts.inviteAgain(trx, accountId, row.account_email!, row.name, note);
      }
      await audit.record(trx, clock.now(), {
        type: 'web.account_invited',
        actor,
        organisationId: row.organisation_id,
        resource: { type: 'web_account', id: accountId },
        details: { professional: professionalId, again: state === 'invited', coordinator: row.coordinator },
      });
      return { accountId, again: state === 'invited', send };
    },
  };
}
