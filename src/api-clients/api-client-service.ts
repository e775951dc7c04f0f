/** API clients of organisations (record systems) and of municipality staff. The token is shown once. */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { generateCredentials, type NewCredentials } from './credentials.ts';

export type ApiClientView = { id: string; keyId: string; name: string; organisationId: string | null; createdAt: Date; revokedAt: Date | null };
export type CreatedApiClient = ApiClientView & { token: string };

export type ApiClientService = ReturnType<typeof createApiClientService>;

export function createApiClientService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog }) {
  const { db, clock, audit } = deps;
  const columns = ['id', 'key_id', 'name', 'organisation_id', 'created_at', 'revoked_at'] as const;
  const toView = (row: {
    id: string;
    key_id: string;
    name: string;
    organisation_id: string | null;
    created_at: Date;
    revoked_at: Date | null;
  }): ApiClientView => ({
    id: row.id,
    keyId: row.key_id,
    name: row.name,
    organisationId: row.organisation_id,
    createdAt: row.created_at,
    revokedAt: row.revoked_at,
  });

  return {
    async list(organisationId: string): Promise<ApiClientView[]> {
      return (await db.selectFrom('api_clients').select(columns).where('organisation_id', '=', organisationId).orderBy('created_at').execute()).map(toView);
    },

    /** `credentials` is for the demo region only; normally they are generated. */
    /** By an administrator, or by the organisation's coordinator for their own organisation (authorised by the caller). */
    async createForOrganisation(
      actor: StaffActor | ProfessionalActor,
      organisationId: string,
      name: string,
      credentials: NewCredentials = generateCredentials(),
    ): Promise<CreatedApiClient> {
      const now = clock.now();
      const organisation = await db.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
      if (!organisation) throw notFound('organisation');
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .insertInto('api_clients')
          .values({
            key_id: credentials.keyId,
            secret_hash: credentials.secretHash,
            name,
            organisation_id: organisationId,
            staff_member_id: null,
            created_at: now,
            revoked_at: null,
          })
          .returning(columns)
          .executeTakeFirstOrThrow();
        await audit.record(trx, now, { type: 'api_client.created', actor, organisationId, resource: { type: 'api_client', id: row.id } });
        return { ...toView(row), token: credentials.token };
      });
    },

    async revoke(actor: StaffActor, id: string): Promise<ApiClientView> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('api_clients')
          .select(['revoked_at', 'organisation_id', 'staff_member_id'])
          .where('id', '=', id)
          .forUpdate()
          .executeTakeFirst();
        if (!current) throw notFound('API client');
        if (current.revoked_at) throw conflict('This API client was already revoked.');
        if (current.staff_member_id === actor.staffMemberId && id === actor.apiClientId) throw conflict('You cannot revoke the token you are using.');
        const row = await trx.updateTable('api_clients').set({ revoked_at: now }).where('id', '=', id).returning(columns).executeTakeFirstOrThrow();
        await audit.record(trx, now, { type: 'api_client.revoked', actor, organisationId: current.organisation_id, resource: { type: 'api_client', id } });
        return toView(row);
      });
    },
  };
}
