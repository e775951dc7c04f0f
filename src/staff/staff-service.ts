/**
 * Municipality staff and the very first administrator. While no administrator exists, each start
 * issues a one-time setup code (printed to the console, valid 24 hours); exchanging it creates the
 * first administrator and returns their API token, once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AccountService } from '../accounts/account-service.ts';
import { type WebAccountState, webAccountState } from '../accounts/account-types.ts';
import { insertApiClient } from '../api-clients/api-client-service.ts';
import { generateCredentials, type NewCredentials } from '../api-clients/credentials.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { DB } from '../db/schema.ts';
import type { StaffActor, StaffRole, SystemActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, forbidden, notFound, Problem } from '../shared/errors.ts';
import { STAFF_ROLES, type StaffInput } from './staff-schemas.ts';

export type { StaffInput } from './staff-schemas.ts';
export { STAFF_ROLES } from './staff-schemas.ts';

export type CreatedStaffMember = { id: string; name: string; email: string; roles: string[]; token: string };
export type StaffMemberView = { id: string; name: string; email: string; roles: StaffRole[]; active: boolean };

/** A staff member as the administrator's pages list them: with the state of their web account. */
export type StaffMemberWithAccount = StaffMemberView & {
  account: WebAccountState;
  /** An authenticator app is linked: there is a second factor to reset. */
  enrolled: boolean;
};

/** The roles as stored: known ones only, each once, in a fixed order; at least one. */
function normaliseRoles(roles: readonly string[] | undefined): StaffRole[] {
  const list = roles ?? ['municipality_admin'];
  const unknown = list.filter((role) => !(STAFF_ROLES as readonly string[]).includes(role));
  if (list.length === 0 || unknown.length > 0) {
    throw new Problem(422, 'invalid_input', 'Invalid input', 'One or more fields are invalid; see invalidParams.', [
      { name: 'roles', code: list.length === 0 ? 'empty' : 'unknown_role', reason: `One or more of ${STAFF_ROLES.join(', ')}.` },
    ]);
  }
  return STAFF_ROLES.filter((role) => list.includes(role));
}

export type StaffService = ReturnType<typeof createStaffService>;

const SETUP_CODE_HOURS = 24;
const SETUP_LOCK = 7_150_002;
const hashCode = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest();
const invalidCode = () => new Problem(403, 'setup_code_invalid', 'Forbidden', 'The setup code is unknown, used or expired. Restart SluiS to get a new one.');

/** What the staff service needs of the accounts: a web account with its invitation, and ending one, in the same transaction. */
type AccountMaker = Pick<AccountService, 'createAccount' | 'deactivate'>;

export function createStaffService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; accounts: AccountMaker }) {
  const { db, clock, audit, accounts } = deps;

  async function hasAdministrator(executor: Kysely<DB>): Promise<boolean> {
    const row = await executor
      .selectFrom('staff_members')
      .select('id')
      .where('active', '=', true)
      .where(sql<boolean>`'municipality_admin' = any(roles)`)
      .executeTakeFirst();
    return row !== undefined;
  }

  async function insertMember(trx: Kysely<DB>, input: StaffInput, now: Date) {
    const member = await trx
      .insertInto('staff_members')
      .values({
        name: input.name,
        email: input.email.toLowerCase(),
        roles: normaliseRoles(input.roles),
        created_at: now,
      })
      .returning(['id', 'name', 'email', 'roles'])
      .executeTakeFirstOrThrow();
    return { ...member, roles: member.roles as StaffRole[] };
  }

  async function insertStaff(trx: Kysely<DB>, input: StaffInput, now: Date, credentials: NewCredentials) {
    const member = await insertMember(trx, input, now);
    await insertApiClient(trx, { name: `${input.name} (API)`, organisationId: null, staffMemberId: member.id }, credentials, now);
    return { ...member, token: credentials.token };
  }

  return {
    hasAdministrator: () => hasAdministrator(db),

    /** A fresh one-time code while no administrator exists; null once one does. */
    async issueSetupCode(): Promise<string | null> {
      if (await hasAdministrator(db)) return null;
      const code = randomBytes(10).toString('hex').toUpperCase().match(/.{4}/g)!.join('-');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx.deleteFrom('setup_codes').execute();
        await trx
          .insertInto('setup_codes')
          .values({ code_hash: hashCode(code), expires_at: new Date(now.getTime() + SETUP_CODE_HOURS * 3_600_000), used_at: null })
          .execute();
      });
      return code;
    },

    async completeSetup(code: string, input: StaffInput, requestId: string, credentials: NewCredentials = generateCredentials()): Promise<CreatedStaffMember> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await sql`select pg_advisory_xact_lock(${SETUP_LOCK})`.execute(trx);
        const stored = await trx.selectFrom('setup_codes').select(['expires_at', 'used_at']).where('code_hash', '=', hashCode(code)).executeTakeFirst();
        if (!stored || stored.used_at || stored.expires_at <= now || (await hasAdministrator(trx))) throw invalidCode();
        await trx.updateTable('setup_codes').set({ used_at: now }).where('code_hash', '=', hashCode(code)).execute();
        const created = await insertStaff(trx, { name: input.name, email: input.email }, now, credentials);
        await audit.record(trx, now, {
          type: 'setup.admin_created',
          actor: { kind: 'staff', staffMemberId: created.id, roles: ['municipality_admin'], apiClientId: null, requestId },
          resource: { type: 'staff_member', id: created.id },
        });
        return created;
      });
    },

    /** An administrator adds another staff member (with their own API token); roles default to municipality_admin. */
    async create(actor: StaffActor | SystemActor, input: StaffInput, credentials: NewCredentials = generateCredentials()): Promise<CreatedStaffMember> {
      const now = clock.now();
      try {
        return await db.transaction().execute(async (trx) => {
          const created = await insertStaff(trx, input, now, credentials);
          await audit.record(trx, now, { type: 'api_client.created', actor, resource: { type: 'staff_member', id: created.id } });
          return created;
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('A staff member with this e-mail address already exists.');
        throw error;
      }
    },

    /**
     * An administrator adds a staff member through the API: the member with their own API token and
     * their web account, in one transaction; the invitation mail (a single-use link to choose a
     * password) is sent by calling `sendInvitation` after it.
     */
    async createWithAccount(actor: StaffActor, input: StaffInput): Promise<{ created: CreatedStaffMember; sendInvitation: () => Promise<void> }> {
      const now = clock.now();
      try {
        return await db.transaction().execute(async (trx) => {
          const created = await insertStaff(trx, input, now, generateCredentials());
          await audit.record(trx, now, { type: 'api_client.created', actor, resource: { type: 'staff_member', id: created.id } });
          const account = await accounts.createAccount(trx, { staffMemberId: created.id }, created.email, created.name);
          return { created, sendInvitation: account.sendInvitation };
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('A staff member or web account with this e-mail address already exists.');
        throw error;
      }
    },

    /**
     * An administrator adds a staff member who works through the web pages, so without an API token:
     * the member and their web account in one transaction (both exist or neither), audited as
     * staff.created and web.account_invited. An e-mail address already in use is a 409 conflict.
     * The invitation mail is sent by calling `sendInvitation` after it.
     */
    async inviteForWeb(actor: StaffActor, input: StaffInput): Promise<{ id: string; sendInvitation: () => Promise<void> }> {
      if (!actor.roles.includes('municipality_admin')) throw forbidden("This operation is for the municipality's administrators.");
      const now = clock.now();
      try {
        return await db.transaction().execute(async (trx) => {
          const member = await insertMember(trx, input, now);
          await audit.record(trx, now, {
            type: 'staff.created',
            actor,
            resource: { type: 'staff_member', id: member.id },
            details: { roles: member.roles.join(',') },
          });
          const account = await accounts.createAccount(trx, { staffMemberId: member.id }, member.email, member.name);
          await audit.record(trx, now, {
            type: 'web.account_invited',
            actor,
            resource: { type: 'web_account', id: account.accountId },
            details: { staffMember: member.id },
          });
          return { id: member.id, sendInvitation: account.sendInvitation };
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('A staff member or web account with this e-mail address already exists.');
        throw error;
      }
    },

    /** The staff members with their web accounts' state, by name (one, when `id` is given); for administrators. */
    async listWithAccounts(actor: StaffActor, id?: string): Promise<StaffMemberWithAccount[]> {
      if (!actor.roles.includes('municipality_admin')) throw forbidden("This operation is for the municipality's administrators.");
      let query = db
        .selectFrom('staff_members as s')
        .leftJoin('web_accounts as w', 'w.staff_member_id', 's.id')
        .select(['s.id', 's.name', 's.email', 's.roles', 's.active', 'w.id as accountId', 'w.password_hash', 'w.deactivated_at', 'w.totp_enrolled_at'])
        .orderBy('s.name')
        .orderBy('s.id');
      if (id) query = query.where('s.id', '=', id);
      const rows = await query.execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        email: r.email,
        roles: r.roles as StaffRole[],
        active: r.active,
        account: webAccountState({ exists: r.accountId !== null, hasPassword: r.password_hash !== null, deactivated: r.deactivated_at !== null }),
        enrolled: r.totp_enrolled_at !== null,
      }));
    },

    /**
     * An administrator deactivates a staff member who leaves, for good (audited as staff.deactivated,
     * with web.account_deactivated and api_client.revoked for what it ends): no more sign-in, every
     * session ends, every API token is revoked. Never oneself, so the index keeps an administrator.
     */
    async deactivate(actor: StaffActor, staffMemberId: string): Promise<void> {
      if (!actor.roles.includes('municipality_admin')) throw forbidden("This operation is for the municipality's administrators.");
      if (staffMemberId === actor.staffMemberId)
        throw new Problem(409, 'own_staff_member', 'Conflict', 'You cannot deactivate yourself; ask another administrator.');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const found = /^[0-9a-f-]{36}$/i.test(staffMemberId)
          ? await trx
              .updateTable('staff_members')
              .set({ active: false })
              .where('id', '=', staffMemberId)
              .where('active', '=', true)
              .returning('id')
              .executeTakeFirst()
          : undefined;
        if (!found) throw notFound('staff member');
        const accountIds = await accounts.deactivate(trx, { staffMemberId });
        const tokens = await trx
          .updateTable('api_clients')
          .set({ revoked_at: now })
          .where('staff_member_id', '=', staffMemberId)
          .where('revoked_at', 'is', null)
          .returning('id')
          .execute();
        await audit.record(trx, now, [
          { type: 'staff.deactivated', actor, resource: { type: 'staff_member', id: staffMemberId } },
          ...accountIds.map((id) => ({
            type: 'web.account_deactivated' as const,
            actor,
            resource: { type: 'web_account' as const, id },
            details: { staffMember: staffMemberId },
          })),
          ...tokens.map(({ id }) => ({ type: 'api_client.revoked' as const, actor, resource: { type: 'api_client' as const, id } })),
        ]);
      });
    },

    /**
     * An administrator changes a staff member's roles (audited as staff.roles_changed). An
     * administrator cannot take away their own municipality_admin role, so the index never loses
     * its last administrator through this.
     */
    async setRoles(actor: StaffActor, staffMemberId: string, roles: readonly StaffRole[]): Promise<StaffMemberView> {
      if (!actor.roles.includes('municipality_admin')) throw forbidden("This operation is for the municipality's administrators.");
      const next = normaliseRoles(roles);
      if (staffMemberId === actor.staffMemberId && !next.includes('municipality_admin')) {
        throw new Problem(409, 'own_admin_role', 'Conflict', 'You cannot remove your own administrator role; ask another administrator.');
      }
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const found = /^[0-9a-f-]{36}$/i.test(staffMemberId)
          ? await trx.selectFrom('staff_members').select(['id', 'roles']).where('id', '=', staffMemberId).forUpdate().executeTakeFirst()
          : undefined;
        if (!found) throw notFound('staff member');
        const updated = await trx
          .updateTable('staff_members')
          .set({ roles: next })
          .where('id', '=', staffMemberId)
          .returning(['id', 'name', 'email', 'roles', 'active'])
          .executeTakeFirstOrThrow();
        await audit.record(trx, now, {
          type: 'staff.roles_changed',
          actor,
          resource: { type: 'staff_member', id: staffMemberId },
          details: { from: STAFF_ROLES.filter((role) => found.roles.includes(role)).join(','), to: next.join(',') },
        });
        return { ...updated, roles: updated.roles as StaffRole[] };
      });
    },
  };
}
