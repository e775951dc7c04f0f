/**
 * Who hears that a person with a signal moved to another municipality (jobs/register-changes.ts):
 * per municipality code either an organisation in SluiS, whose active coordinators get the mail, or
 * an e-mail address. Kept by the municipality's administrators; the moves to a municipality without a
 * contact are counted for them (counts only, nothing about a person). Across regions this becomes
 * the federation's job: another region's SluiS hears it from this one.
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { isEmailAddress } from '../shared/email.ts';
import { forbidden, invalidInput, notFound } from '../shared/errors.ts';

export type MunicipalityContact = { municipalityCode: string; organisationId: string | null; email: string | null; updatedAt: Date };
export type UnroutedMoves = { municipalityCode: string; moves: number; lastMoveAt: Date };
export type MunicipalityContactInput = { organisationId: string } | { email: string };

const CODE = /^[0-9]{4}$/;

export type MunicipalityContactsService = ReturnType<typeof createMunicipalityContactsService>;

export function createMunicipalityContactsService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog }) {
  const { db, clock, audit } = deps;
  const allowed = (actor: StaffActor) => {
    if (!actor.roles.includes('municipality_admin')) throw forbidden("This operation is for the municipality's administrators.");
  };
  const checkCode = (code: string) => {
    if (!CODE.test(code))
      throw invalidInput([
        { name: 'municipalityCode', code: 'pattern', reason: 'A municipality code is four digits, as the register gives it (0363 for Amsterdam).' },
      ]);
  };
  const view = (row: { municipality_code: string; organisation_id: string | null; email: string | null; updated_at: Date }): MunicipalityContact => ({
    municipalityCode: row.municipality_code,
    organisationId: row.organisation_id,
    email: row.email,
    updatedAt: new Date(row.updated_at),
  });

  return {
    /** Every contact set, and the municipalities moved to without one (how many moves, the last when). */
    async list(actor: StaffActor): Promise<{ contacts: MunicipalityContact[]; unrouted: UnroutedMoves[] }> {
      allowed(actor);
      const contacts = await db.selectFrom('municipality_contacts').selectAll().orderBy('municipality_code').execute();
      const unrouted = await db.selectFrom('register_moves_unrouted').selectAll().orderBy('municipality_code').execute();
      return {
        contacts: contacts.map(view),
        unrouted: unrouted.map((row) => ({ municipalityCode: row.municipality_code, moves: row.moves, lastMoveAt: new Date(row.last_move_at) })),
      };
    },

    /** Sets who hears of moves to this municipality; the count of moves that had no contact is cleared. */
    async set(actor: StaffActor, code: string, input: MunicipalityContactInput): Promise<MunicipalityContact> {
      allowed(actor);
      checkCode(code);
      const now = clock.now();
      const organisationId = 'organisationId' in input ? input.organisationId : null;
      const email = 'email' in input ? input.email.trim() : null;
      if (email !== null && !isEmailAddress(email))
        throw invalidInput([{ name: 'email', code: 'format', reason: 'This is not an e-mail address SluiS can send to.' }]);
      return db.transaction().execute(async (trx) => {
        if (organisationId !== null) {
          const organisation = await trx.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
          if (!organisation) throw invalidInput([{ name: 'organisationId', code: 'unknown', reason: 'No organisation has this id.' }]);
        }
        const row = await trx
          .insertInto('municipality_contacts')
          .values({ municipality_code: code, organisation_id: organisationId, email, updated_at: now })
          .onConflict((oc) => oc.column('municipality_code').doUpdateSet({ organisation_id: organisationId, email, updated_at: now }))
          .returningAll()
          .executeTakeFirstOrThrow();
        await trx.deleteFrom('register_moves_unrouted').where('municipality_code', '=', code).execute();
        await audit.record(trx, now, {
          type: 'municipality_contacts.changed',
          actor,
          details: { municipality: code, contact: email ? 'email' : 'organisation', ...(organisationId && { organisation: organisationId }) },
        });
        return view(row);
      });
    },

    /** Removes the contact: moves to this municipality are then counted for the administrators. */
    async remove(actor: StaffActor, code: string): Promise<void> {
      allowed(actor);
      checkCode(code);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const removed = await trx.deleteFrom('municipality_contacts').where('municipality_code', '=', code).returning('municipality_code').executeTakeFirst();
        if (!removed) throw notFound('municipality contact');
        await audit.record(trx, now, { type: 'municipality_contacts.changed', actor, details: { municipality: code, contact: 'none' } });
      });
    },
  };
}
