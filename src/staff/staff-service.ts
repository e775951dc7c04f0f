/**
 * Municipality staff and the very first administrator. While no administrator exists, each start
 * issues a one-time setup code (printed to the console, valid 24 hours); exchanging it creates the
 * first administrator and returns their API token, once.
 */
import { createHash, randomBytes } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import { generateCredentials, type NewCredentials } from '../api-clients/credentials.ts';
import type { DB } from '../db/schema.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { StaffActor, SystemActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, Problem } from '../shared/errors.ts';

export type StaffInput = { name: string; email: string };
export type CreatedStaffMember = { id: string; name: string; email: string; roles: string[]; token: string };

export type StaffService = ReturnType<typeof createStaffService>;

const SETUP_CODE_HOURS = 24;
const SETUP_LOCK = 7_150_002;
const hashCode = (code: string) => createHash('sha256').update(code.trim().toUpperCase()).digest();
const invalidCode = () => new Problem(403, 'setup_code_invalid', 'Forbidden', 'The setup code is unknown, used or expired. Restart SluiS to get a new one.');

export function createStaffService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog }) {
  const { db, clock, audit } = deps;

  async function hasAdministrator(executor: Kysely<DB>): Promise<boolean> {
    const row = await executor.selectFrom('staff_members').select('id').where('active', '=', true).where(sql<boolean>`'municipality_admin' = any(roles)`).executeTakeFirst();
    return row !== undefined;
  }

  async function insertStaff(trx: Kysely<DB>, input: StaffInput, now: Date, credentials: NewCredentials) {
    const member = await trx.insertInto('staff_members').values({
      name: input.name, email: input.email.toLowerCase(), roles: ['municipality_admin'], created_at: now,
    }).returning(['id', 'name', 'email', 'roles']).executeTakeFirstOrThrow();
    await trx.insertInto('api_clients').values({
      key_id: credentials.keyId, secret_hash: credentials.secretHash, name: `${input.name} (API)`,
      organisation_id: null, staff_member_id: member.id, created_at: now, revoked_at: null,
    }).execute();
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
        await trx.insertInto('setup_codes').values({ code_hash: hashCode(code), expires_at: new Date(now.getTime() + SETUP_CODE_HOURS * 3_600_000), used_at: null }).execute();
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
        const created = await insertStaff(trx, input, now, credentials);
        await audit.record(trx, now, {
          type: 'setup.admin_created',
          actor: { kind: 'staff', staffMemberId: created.id, roles: ['municipality_admin'], apiClientId: null, requestId },
          resource: { type: 'staff_member', id: created.id },
        });
        return created;
      });
    },

    /** An administrator adds another administrator (with their own API token). */
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
  };
}
