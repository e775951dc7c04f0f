/**
 * API clients of organisations (record systems) and of municipality staff, and their tokens. A token
 * is shown once; SluiS keeps only its hash (credentials.ts).
 *
 * Rotation (issue 11): a new token for a live client leaves the current one working for an overlap
 * period (0 to 30 days, 7 by default), so the record system can be switched over without a gap. A
 * client has at most two live tokens: issuing a third is refused (409 `two_live_tokens`) rather than
 * ending the older one unasked, since the record system may still use it. The older token may be
 * revoked before its overlap ends; the newest may not (409 `newest_token`): replace it first, or
 * revoke the client, so a live client always keeps a token without an end.
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, invalidInput, notFound, Problem } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { generateCredentials, type NewCredentials } from './credentials.ts';

/** One live token of a client, without its secret. */
export type ApiTokenView = { id: string; keyId: string; createdAt: Date; expiresAt: Date | null; lastUsedAt: Date | null };
/** A client with its key id (the newest token's) and its live tokens, newest first. */
export type ApiClientView = {
  id: string;
  keyId: string;
  name: string;
  organisationId: string | null;
  createdAt: Date;
  revokedAt: Date | null;
  tokens: ApiTokenView[];
};
export type CreatedApiClient = ApiClientView & { token: string };
/** The answer to a new token: the client as it is now, and the new token, this once. */
export type IssuedApiToken = ApiClientView & { token: string; tokenId: string };

export const DEFAULT_OVERLAP_DAYS = 7;
export const MAX_OVERLAP_DAYS = 30;
const DAY_MS = 86_400_000;

/** Who manages a client: an administrator any client, an organisation's coordinator only their organisation's (authorised by the caller). */
type Manager = StaffActor | ProfessionalActor;
const organisationScope = (actor: Manager) => (actor.kind === 'professional' ? actor.organisationId : undefined);

export type ApiClientService = ReturnType<typeof createApiClientService>;

/** Inserts a client with its first token (also for staff members' clients, staff-service.ts). */
export async function insertApiClient(
  trx: Kysely<DB>,
  client: { name: string; organisationId: string | null; staffMemberId: string | null },
  credentials: NewCredentials,
  now: Date,
) {
  const row = await trx
    .insertInto('api_clients')
    .values({ name: client.name, organisation_id: client.organisationId, staff_member_id: client.staffMemberId, created_at: now, revoked_at: null })
    .returning(['id', 'name', 'organisation_id', 'created_at', 'revoked_at'])
    .executeTakeFirstOrThrow();
  await trx
    .insertInto('api_client_tokens')
    .values({ api_client_id: row.id, key_id: credentials.keyId, secret_hash: credentials.secretHash, created_at: now })
    .execute();
  return row;
}

/** Whether a token works at `now` (its client's revocation is checked apart). */
export const tokenLive = (token: { revoked_at: Date | null; expires_at: Date | null }, now: Date) =>
  token.revoked_at === null && (token.expires_at === null || token.expires_at > now);

export function createApiClientService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog }) {
  const { db, clock, audit } = deps;

  /** The views of some clients, with their live tokens. */
  async function viewsOf(
    executor: Kysely<DB>,
    clients: { id: string; name: string; organisation_id: string | null; created_at: Date; revoked_at: Date | null }[],
  ): Promise<ApiClientView[]> {
    if (clients.length === 0) return [];
    const now = clock.now();
    const tokens = await executor
      .selectFrom('api_client_tokens')
      .select(['id', 'api_client_id', 'key_id', 'created_at', 'expires_at', 'revoked_at', 'last_used_at'])
      .where(
        'api_client_id',
        'in',
        clients.map((c) => c.id),
      )
      // The newest token never has an end (issuing a newer one gives it one): newest first, also within one instant.
      .orderBy('expires_at', (ob) => ob.desc().nullsFirst())
      .orderBy('created_at', 'desc')
      .execute();
    return clients.map((c) => {
      const own = tokens.filter((t) => t.api_client_id === c.id);
      return {
        id: c.id,
        keyId: own[0]?.key_id ?? '',
        name: c.name,
        organisationId: c.organisation_id,
        createdAt: c.created_at,
        revokedAt: c.revoked_at,
        tokens: c.revoked_at
          ? []
          : own
              .filter((t) => tokenLive(t, now))
              .map((t) => ({ id: t.id, keyId: t.key_id, createdAt: t.created_at, expiresAt: t.expires_at, lastUsedAt: t.last_used_at })),
      };
    });
  }

  const clientColumns = ['id', 'name', 'organisation_id', 'created_at', 'revoked_at'] as const;

  /** The client, locked, within the manager's scope; 404 otherwise. */
  async function lockedClient(trx: Kysely<DB>, actor: Manager, id: string) {
    if (!isUuid(id)) throw notFound('API client');
    const scope = organisationScope(actor);
    const client = await trx
      .selectFrom('api_clients')
      .select([...clientColumns, 'staff_member_id'])
      .where('id', '=', id)
      .$if(scope !== undefined, (q) => q.where('organisation_id', '=', scope!))
      .forUpdate()
      .executeTakeFirst();
    if (!client) throw notFound('API client');
    return client;
  }

  async function one(executor: Kysely<DB>, id: string): Promise<ApiClientView> {
    const row = await executor.selectFrom('api_clients').select(clientColumns).where('id', '=', id).executeTakeFirstOrThrow();
    return (await viewsOf(executor, [row]))[0]!;
  }

  return {
    /** The organisation's clients, live ones first, with their live tokens (never a secret). */
    async list(organisationId: string): Promise<ApiClientView[]> {
      const rows = await db
        .selectFrom('api_clients')
        .select(clientColumns)
        .where('organisation_id', '=', organisationId)
        .orderBy('created_at')
        .orderBy('id')
        .execute();
      return viewsOf(db, rows);
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
        const row = await insertApiClient(trx, { name, organisationId, staffMemberId: null }, credentials, now);
        await audit.record(trx, now, { type: 'api_client.created', actor, organisationId, resource: { type: 'api_client', id: row.id } });
        return { ...(await viewsOf(trx, [row]))[0]!, token: credentials.token };
      });
    },

    async revoke(actor: StaffActor, id: string): Promise<ApiClientView> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const current = await lockedClient(trx, actor, id);
        if (current.revoked_at) throw conflict('This API client was already revoked.');
        if (current.staff_member_id === actor.staffMemberId && id === actor.apiClientId) throw conflict('You cannot revoke the token you are using.');
        const row = await trx.updateTable('api_clients').set({ revoked_at: now }).where('id', '=', id).returning(clientColumns).executeTakeFirstOrThrow();
        await audit.record(trx, now, { type: 'api_client.revoked', actor, organisationId: current.organisation_id, resource: { type: 'api_client', id } });
        return (await viewsOf(trx, [row]))[0]!;
      });
    },

    /**
     * A new token for a live client; the current one keeps working for `overlapDays` (0 ends it at
     * once). Refused while the client has two live tokens. The answer holds the new token, this once.
     */
    async issueToken(
      actor: Manager,
      id: string,
      overlapDays: number = DEFAULT_OVERLAP_DAYS,
      credentials: NewCredentials = generateCredentials(),
    ): Promise<IssuedApiToken> {
      if (!Number.isInteger(overlapDays) || overlapDays < 0 || overlapDays > MAX_OVERLAP_DAYS) {
        throw invalidInput([{ name: 'overlapDays', code: 'out_of_range', reason: `A whole number of days from 0 to ${MAX_OVERLAP_DAYS}.` }]);
      }
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const client = await lockedClient(trx, actor, id);
        if (client.revoked_at) throw conflict('This API client was revoked; create a new one.');
        const tokens = await trx.selectFrom('api_client_tokens').select(['id', 'key_id', 'expires_at', 'revoked_at']).where('api_client_id', '=', id).execute();
        const live = tokens.filter((t) => tokenLive(t, now));
        if (live.length >= 2) {
          const ends = live.find((t) => t.expires_at)?.expires_at?.toISOString();
          throw new Problem(
            409,
            'two_live_tokens',
            'Conflict',
            `This API client has two live tokens already. Revoke the older one (POST /api/v1/api-clients/${id}/tokens/{tokenId}/revoke) or wait until its overlap ends${ends ? ` (${ends})` : ''}.`,
          );
        }
        const previous = live[0];
        const until = new Date(now.getTime() + overlapDays * DAY_MS);
        if (previous) await trx.updateTable('api_client_tokens').set({ expires_at: until }).where('id', '=', previous.id).execute();
        const issued = await trx
          .insertInto('api_client_tokens')
          .values({ api_client_id: id, key_id: credentials.keyId, secret_hash: credentials.secretHash, created_at: now })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit.record(trx, now, {
          type: 'api_client.token_issued',
          actor,
          organisationId: client.organisation_id,
          resource: { type: 'api_client', id },
          details: { keyId: credentials.keyId, ...(previous && { previousKeyId: previous.key_id, until: until.toISOString() }) },
        });
        return { ...(await one(trx, id)), token: credentials.token, tokenId: issued.id };
      });
    },

    /** Ends the older of two live tokens before its overlap is over. The newest token cannot be revoked on its own. */
    async revokeToken(actor: Manager, id: string, tokenId: string): Promise<ApiClientView> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const client = await lockedClient(trx, actor, id);
        if (client.revoked_at) throw conflict('This API client was revoked; its tokens with it.');
        const token = isUuid(tokenId)
          ? await trx
              .selectFrom('api_client_tokens')
              .select(['id', 'key_id', 'expires_at', 'revoked_at'])
              .where('id', '=', tokenId)
              .where('api_client_id', '=', id)
              .executeTakeFirst()
          : undefined;
        if (!token) throw notFound('token');
        if (!tokenLive(token, now)) throw conflict('This token is no longer valid: it was revoked or its overlap period has ended.');
        if (token.expires_at === null) {
          throw new Problem(
            409,
            'newest_token',
            'Conflict',
            'This is the newest token of the API client. Issue a new token first (with overlapDays 0 to end this one at once), or revoke the API client.',
          );
        }
        await trx.updateTable('api_client_tokens').set({ revoked_at: now }).where('id', '=', tokenId).execute();
        await audit.record(trx, now, {
          type: 'api_client.token_revoked',
          actor,
          organisationId: client.organisation_id,
          resource: { type: 'api_client', id },
          details: { keyId: token.key_id },
        });
        return one(trx, id);
      });
    },

    /** The clients' tokens in their overlap period: for `sluis keys status`. */
    async tokensInOverlap(): Promise<{ apiClientId: string; name: string; keyId: string; expiresAt: Date }[]> {
      const now = clock.now();
      const rows = await db
        .selectFrom('api_client_tokens as t')
        .innerJoin('api_clients as a', 'a.id', 't.api_client_id')
        .select(['a.id', 'a.name', 't.key_id', 't.expires_at'])
        .where('a.revoked_at', 'is', null)
        .where('t.revoked_at', 'is', null)
        .where('t.expires_at', '>', now)
        .orderBy('t.expires_at')
        .execute();
      return rows.map((r) => ({ apiClientId: r.id, name: r.name, keyId: r.key_id, expiresAt: r.expires_at! }));
    },
  };
}
