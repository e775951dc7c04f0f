/**
 * What deactivating a professional does to their web account, written once: the organisation
 * coordinator's page (coordinator-service) and the administrators' API (`PATCH /professionals/{id}`
 * with `active: false`) both end here. The account can no longer sign in and every session of it
 * ends at once, in the caller's transaction, each account audited as web.account_deactivated.
 */
import type { Kysely } from 'kysely';
import type { AccountService } from '../accounts/account-service.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../shared/actor.ts';

export async function endWebAccessOf(
  trx: Kysely<DB>,
  deps: { audit: AuditLog; accounts: Pick<AccountService, 'deactivate'> },
  input: { actor: Actor; professionalId: string; organisationId: string; now: Date },
): Promise<void> {
  const accountIds = await deps.accounts.deactivate(trx, { professionalId: input.professionalId });
  await deps.audit.record(
    trx,
    input.now,
    accountIds.map((accountId) => ({
      type: 'web.account_deactivated' as const,
      actor: input.actor,
      organisationId: input.organisationId,
      resource: { type: 'web_account' as const, id: accountId },
      details: { professional: input.professionalId },
    })),
  );
}
