/**
 * The professionals of an organisation with the state of their web accounts: one query for the
 * administrator's pages and API and the organisation coordinator's pages, so that every reader
 * names an account's state the same way (accounts/account-types.ts, webAccountState).
 */
import { type Kysely, sql } from 'kysely';
import { type WebAccountState, webAccountState } from '../accounts/account-types.ts';
import type { DB } from '../db/schema.ts';

export type ProfessionalWithAccount = {
  id: string;
  organisationId: string;
  name: string;
  email: string;
  phone: string;
  jobTitle: string;
  active: boolean;
  /** The organisation's coordinator (organisatiecoördinator): manages its professionals and links in the web pages. */
  coordinator: boolean;
  webAccount: WebAccountState;
  /** While the account is invited: when the newest invitation link expires (it may have expired already). */
  invitationExpiresAt: Date | null;
  /** Whether the account has a linked authenticator app (so a lost second factor can be reset). */
  secondFactor: boolean;
  /** The professional's active signals (a count only), when asked for. */
  activeSignals: number;
};

/** Active professionals first, then by name. `id` narrows to one professional (of that organisation). */
export async function professionalsWithAccounts(
  executor: Kysely<DB>,
  where: { organisationId?: string; id?: string },
  options: { activeSignals?: boolean } = {},
): Promise<ProfessionalWithAccount[]> {
  let query = executor
    .selectFrom('professionals as p')
    .leftJoin('web_accounts as w', 'w.professional_id', 'p.id')
    .select(['p.id', 'p.organisation_id', 'p.name', 'p.email', 'p.phone', 'p.job_title', 'p.active', 'p.coordinator', 'w.id as account_id'])
    .select([
      sql<boolean>`w.password_hash is not null`.as('has_password'),
      sql<boolean>`w.deactivated_at is not null`.as('deactivated'),
      sql<boolean>`w.totp_enrolled_at is not null`.as('enrolled'),
    ])
    .select((eb) =>
      eb
        .selectFrom('web_one_time_links as l')
        .whereRef('l.account_id', '=', 'w.id')
        .where('l.purpose', '=', 'invitation')
        .where('l.used_at', 'is', null)
        .select((e) => e.fn.max('l.expires_at').as('x'))
        .as('invitation_expires_at'),
    )
    .select((eb) =>
      options.activeSignals
        ? eb
            .selectFrom('signals as s')
            .whereRef('s.professional_id', '=', 'p.id')
            .where('s.status', '=', 'active')
            .select((e) => e.fn.countAll<string>().as('n'))
            .as('active_signals')
        : sql<string>`0`.as('active_signals'),
    )
    .orderBy('p.active', 'desc')
    .orderBy('p.name')
    .orderBy('p.id');
  if (where.organisationId) query = query.where('p.organisation_id', '=', where.organisationId);
  if (where.id) query = query.where('p.id', '=', where.id);
  const rows = await query.execute();
  return rows.map((r) => {
    const webAccount = webAccountState({ exists: r.account_id !== null, hasPassword: r.has_password, deactivated: r.deactivated });
    return {
      id: r.id,
      organisationId: r.organisation_id,
      name: r.name,
      email: r.email,
      phone: r.phone,
      jobTitle: r.job_title,
      active: r.active,
      coordinator: r.coordinator,
      webAccount,
      invitationExpiresAt: webAccount === 'invited' && r.invitation_expires_at ? new Date(r.invitation_expires_at) : null,
      secondFactor: (webAccount === 'active' || webAccount === 'invited') && r.enrolled,
      activeSignals: Number(r.active_signals ?? 0),
    };
  });
}
