/**
 * Turns a bearer token (and, for record systems, the professional they act for) into an Actor, and
 * keeps the rate limits of the API: a verified client is counted by its client id (`admit`), and a
 * failed authentication by the source address it came from, separately. So nobody can spend another
 * client's budget by sending its key id with a wrong secret; an address that keeps failing is
 * answered 429 (audited once per window as auth.throttled) while a valid token from the same address
 * still passes — a record-system vendor's many clients may share one address.
 *
 * A client has one or two live tokens (api-client-service.ts, rotation): the key id finds the
 * token, the token its client. `professional` and `staff` check everything in one query: the secret,
 * that neither the client nor the token is revoked, that the token's overlap period (if it is being
 * replaced) has not ended, that the organisation's covenant is active, that the professional is
 * active in it. `professionalDeferred` only verifies the secret (the key lookup is cached; key id,
 * hash, client and organisation never change) and leaves the rest to the statement that does the
 * work, which checks the same things in the same round trip (sluis_file_signal, guarded by the
 * token's check in signal-service.ts). Either way a revoked client, a retired token or a suspended
 * organisation is refused at once.
 */

import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { ProfessionalActor, RecordSystemActor, StaffActor, StaffRole } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { Problem, tooManyRequests } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { createWindowCounter, type WindowCount } from '../shared/window-counter.ts';
import { parseToken, secretMatches } from './credentials.ts';

/** What a request presents: its token, the professional header (record systems), its id and the address it came from. */
export type { Credentials } from '../api/caller.ts';

import type { Credentials } from '../api/caller.ts';

export type ApiLimits = { perClientPerMinute: number; failedAuthenticationsPerAddressPerMinute: number };
export const DEFAULT_API_LIMITS: ApiLimits = { perClientPerMinute: 600, failedAuthenticationsPerAddressPerMinute: 30 };

export type Authenticator = ReturnType<typeof createAuthenticator>;

const CACHE_LIMIT = 10_000;

export const unauthenticated = () => new Problem(401, 'unauthenticated', 'Unauthenticated', 'Send a valid API token: Authorization: Bearer <keyId>.<secret>.');
const organisationRefused = () =>
  new Problem(403, 'organisation_not_allowed', 'Forbidden', 'Your organisation has no active covenant, or this API client was revoked.');
const professionalRefused = () =>
  new Problem(
    403,
    'professional_not_allowed',
    'Forbidden',
    'The professional in the Sluis-Professional-Id header is unknown or inactive in your organisation.',
  );
const staffOnly = () => new Problem(403, 'forbidden', 'Forbidden', "This operation is for the municipality's administrators.");
const officerOnly = () => new Problem(403, 'forbidden', 'Forbidden', "This operation is for the municipality's escalation officer.");

/** What never changes about a token: its client, its hash, its organisation (whether it is live is checked by the statement). */
type KeyFacts = { id: string; tokenId: string; secretHash: Uint8Array; organisationId: string | null };

/** last_used_at is written at most this often per token and process. */
const LAST_USED_PRECISION_MS = 3_600_000;

export function createAuthenticator(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; limits?: ApiLimits }) {
  const { db, clock, audit } = deps;
  const limits = deps.limits ?? DEFAULT_API_LIMITS;
  const keyCache = new Map<string, KeyFacts>();
  const touched = new Map<string, number>();
  const requestsByClient = createWindowCounter({ limit: limits.perClientPerMinute, windowMs: 60_000, clock });
  const failuresByAddress = createWindowCounter({ limit: limits.failedAuthenticationsPerAddressPerMinute, windowMs: 60_000, clock });

  async function deny(problem: Problem, credentials: Credentials, organisationId: string | null, reason: string): Promise<never> {
    const { requestId, source } = credentials;
    if (problem.status === 401) {
      const failures = failuresByAddress.hit(source);
      if (failures.over) {
        // Once per window: the address is throttled. Further failures in the window are answered without a record each.
        if (failures.count === failures.limit + 1) {
          await audit.record(db, clock.now(), {
            type: 'auth.throttled',
            outcome: 'denied',
            actor: { kind: 'anonymous', requestId },
            details: { reason, address: source, failuresPerMinute: failures.limit },
          });
        }
        throw tooManyRequests(
          'authentication_throttled',
          'Too many failed authentications from this address; see the Retry-After header.',
          failures.retryAfterSeconds,
        );
      }
    }
    await audit.record(db, clock.now(), {
      type: 'auth.denied',
      outcome: 'denied',
      actor: { kind: 'anonymous', requestId },
      organisationId,
      details: { reason },
    });
    throw problem;
  }

  /**
   * Records when a token was last used, at most once an hour per token and process: one small write
   * then, none on the other requests (the hour is the precision the listing promises).
   */
  async function touch(tokenId: string): Promise<void> {
    const now = clock.now();
    const last = touched.get(tokenId);
    if (last !== undefined && now.getTime() - last < LAST_USED_PRECISION_MS) return;
    if (touched.size >= CACHE_LIMIT) touched.delete(touched.keys().next().value!);
    touched.set(tokenId, now.getTime());
    await db
      .updateTable('api_client_tokens')
      .set({ last_used_at: now })
      .where('id', '=', tokenId)
      .where((eb) => eb.or([eb('last_used_at', 'is', null), eb('last_used_at', '<', now)]))
      .execute();
  }

  /** Why a token whose secret matched is refused (its client's revocation first), or undefined when it is live. */
  const tokenRefusal = (t: { revoked: boolean; token_revoked: boolean; expires_at: Date | null }): string | undefined =>
    t.revoked ? 'revoked' : t.token_revoked ? 'token_revoked' : t.expires_at && t.expires_at <= clock.now() ? 'token_expired' : undefined;

  async function lookup(credentials: Credentials, professionalId: string | null) {
    const { token } = credentials;
    const parsed = token ? parseToken(token) : undefined;
    if (!parsed) return deny(unauthenticated(), credentials, null, 'malformed_token');
    const result = await sql<{
      id: string;
      token_id: string;
      secret_hash: Uint8Array;
      organisation_id: string | null;
      revoked: boolean;
      token_revoked: boolean;
      expires_at: Date | null;
      staff_member_id: string | null;
      staff_active: boolean | null;
      roles: StaffRole[] | null;
      covenant_active: boolean;
      professional_ok: boolean;
    }>`
      select a.id, t.id as token_id, t.secret_hash, a.organisation_id, a.revoked_at is not null as revoked,
             t.revoked_at is not null as token_revoked, t.expires_at,
             a.staff_member_id, sm.active as staff_active, sm.roles,
             exists (select from covenants c where c.organisation_id = a.organisation_id
                     and c.status = 'active' and c.starts_on <= ${amsterdamDate(clock.now())}) as covenant_active,
             exists (select from professionals p where p.id = ${professionalId}::uuid
                     and p.organisation_id = a.organisation_id and p.active) as professional_ok
        from api_client_tokens t join api_clients a on a.id = t.api_client_id
        left join staff_members sm on sm.id = a.staff_member_id
       where t.key_id = ${parsed.keyId}`.execute(db);
    const row = result.rows[0];
    if (!row || !secretMatches(parsed.secret, row.secret_hash)) return deny(unauthenticated(), credentials, null, 'unknown_key');
    const refusal = tokenRefusal(row);
    if (refusal) return deny(unauthenticated(), credentials, row.organisation_id, refusal);
    await touch(row.token_id);
    return row;
  }

  /** The professional's id from the header, or undefined when it is missing or not an id (checked after the token, so an unauthenticated caller gets 401). */
  const professionalIdFrom = (header: string | undefined): string | undefined => (header && isUuid(header) ? header.toLowerCase() : undefined);
  const headerMissing = () =>
    new Problem(400, 'professional_header_missing', 'Bad request', 'Send the id of the professional you act for in the Sluis-Professional-Id header.');

  return {
    /** A record system acting for one of its professionals: live client, active covenant, active professional of that organisation. */
    async professional(credentials: Credentials): Promise<ProfessionalActor> {
      const { requestId } = credentials;
      const professionalId = professionalIdFrom(credentials.professionalHeader);
      const row = await lookup(credentials, professionalId ?? null);
      if (!row.organisation_id) return deny(staffOnlyForProfessionals(), credentials, null, 'staff_client_as_professional');
      if (!professionalId) throw headerMissing();
      if (!row.covenant_active) return deny(organisationRefused(), credentials, row.organisation_id, 'covenant_not_active');
      if (!row.professional_ok) return deny(professionalRefused(), credentials, row.organisation_id, 'professional_not_allowed');
      return { kind: 'professional', professionalId, organisationId: row.organisation_id, apiClientId: row.id, requestId };
    },

    /** Verifies the secret only; the caller's statement must check client, covenant and professional (or call `professional`). */
    async professionalDeferred(credentials: Credentials): Promise<ProfessionalActor> {
      const professionalId = professionalIdFrom(credentials.professionalHeader);
      const parsed = credentials.token ? parseToken(credentials.token) : undefined;
      if (!parsed) return deny(unauthenticated(), credentials, null, 'malformed_token');
      let facts = keyCache.get(parsed.keyId);
      if (!facts) {
        const row = await db
          .selectFrom('api_client_tokens as t')
          .innerJoin('api_clients as a', 'a.id', 't.api_client_id')
          .select(['a.id', 't.id as token_id', 't.secret_hash', 'a.organisation_id'])
          .where('t.key_id', '=', parsed.keyId)
          .executeTakeFirst();
        if (!row) return deny(unauthenticated(), credentials, null, 'unknown_key');
        facts = { id: row.id, tokenId: row.token_id, secretHash: row.secret_hash, organisationId: row.organisation_id };
        if (keyCache.size >= CACHE_LIMIT) keyCache.delete(keyCache.keys().next().value!);
        keyCache.set(parsed.keyId, facts);
      }
      if (!secretMatches(parsed.secret, facts.secretHash)) return deny(unauthenticated(), credentials, null, 'unknown_key');
      if (!facts.organisationId) return deny(staffOnlyForProfessionals(), credentials, null, 'staff_client_as_professional');
      if (!professionalId) throw headerMissing();
      await touch(facts.tokenId);
      return {
        kind: 'professional',
        professionalId,
        organisationId: facts.organisationId,
        apiClientId: facts.id,
        apiTokenId: facts.tokenId,
        requestId: credentials.requestId,
      };
    },

    /** Called when the deferred statement refused the caller, so the refusal is audited like any other. */
    async refuseDeferred(actor: ProfessionalActor, credentials: Credentials, outcome: 'organisation_refused' | 'professional_refused'): Promise<never> {
      if (outcome === 'organisation_refused' && actor.apiClientId) {
        // The statement does not say which check failed; a revoked client or a retired token is unauthenticated (401), as on every other endpoint.
        const standing = (
          await sql<{ revoked: boolean; token_revoked: boolean; expires_at: Date | null }>`
            select a.revoked_at is not null as revoked, coalesce(t.revoked_at is not null, false) as token_revoked, t.expires_at
              from api_clients a left join api_client_tokens t on t.api_client_id = a.id and t.id = ${actor.apiTokenId ?? null}::uuid
             where a.id = ${actor.apiClientId}::uuid`.execute(db)
        ).rows[0];
        const refusal = standing ? tokenRefusal(standing) : 'revoked';
        if (refusal) return deny(unauthenticated(), credentials, actor.organisationId, refusal);
      }
      return outcome === 'organisation_refused'
        ? deny(organisationRefused(), credentials, actor.organisationId, 'covenant_not_active')
        : deny(professionalRefused(), credentials, actor.organisationId, 'professional_not_allowed');
    },

    /** A record system acting for its organisation as a whole: a live client of an organisation with an active covenant. */
    async recordSystem(credentials: Credentials): Promise<RecordSystemActor> {
      const row = await lookup(credentials, null);
      if (!row.organisation_id) return deny(staffOnlyForProfessionals(), credentials, null, 'staff_client_as_record_system');
      if (!row.covenant_active) return deny(organisationRefused(), credentials, row.organisation_id, 'covenant_not_active');
      return { kind: 'record_system', organisationId: row.organisation_id, apiClientId: row.id, requestId: credentials.requestId };
    },

    /** An administrator, or a record system for its own organisation. */
    async staffOrRecordSystem(credentials: Credentials): Promise<StaffActor | RecordSystemActor> {
      const { requestId } = credentials;
      const row = await lookup(credentials, null);
      if (row.staff_member_id && row.staff_active && row.roles?.includes('municipality_admin')) {
        return { kind: 'staff', staffMemberId: row.staff_member_id, roles: row.roles, apiClientId: row.id, requestId };
      }
      if (!row.organisation_id) return deny(staffOnly(), credentials, null, 'not_staff');
      if (!row.covenant_active) return deny(organisationRefused(), credentials, row.organisation_id, 'covenant_not_active');
      return { kind: 'record_system', organisationId: row.organisation_id, apiClientId: row.id, requestId };
    },

    /** Any live credential: an active staff member's, or a client of an organisation with an active covenant. */
    async anyCaller(credentials: Credentials): Promise<{ apiClientId: string }> {
      const row = await lookup(credentials, null);
      if (row.staff_member_id ? !row.staff_active : !row.covenant_active) {
        return deny(organisationRefused(), credentials, row.organisation_id, 'covenant_not_active');
      }
      return { apiClientId: row.id };
    },

    /** An active staff member with the role, or with any of the roles when given a list. */
    async staff(credentials: Credentials, role: StaffRole | readonly StaffRole[] = 'municipality_admin'): Promise<StaffActor> {
      const row = await lookup(credentials, null);
      const wanted: readonly StaffRole[] = typeof role === 'string' ? [role] : role;
      if (!row.staff_member_id || !row.staff_active || !row.roles || !wanted.some((r) => row.roles?.includes(r))) {
        return deny(wanted.includes('municipality_admin') ? staffOnly() : officerOnly(), credentials, row.organisation_id, 'not_staff');
      }
      return { kind: 'staff', staffMemberId: row.staff_member_id, roles: row.roles, apiClientId: row.id, requestId: credentials.requestId };
    },

    /** Counts a verified client's request: 429 once it is over its limit in this minute. */
    admit(apiClientId: string): WindowCount {
      const count = requestsByClient.hit(apiClientId);
      if (count.over)
        throw tooManyRequests('rate_limited', 'Slow down: this API client has sent too many requests; see the Retry-After header.', count.retryAfterSeconds);
      return count;
    },
  };
}

const staffOnlyForProfessionals = () => new Problem(403, 'forbidden', 'Forbidden', 'This operation is for record systems acting for a professional.');
