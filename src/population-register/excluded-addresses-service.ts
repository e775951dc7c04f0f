/**
 * The municipality's register of excluded addresses (care institutions, shelters, prisons): no address
 * match is made there (matches/address-matching.ts). Kept by the municipality's administrators, who
 * enter the BAG address object id (adresseerbaarObjectIdentificatie, 16 digits); SluiS keeps only its
 * keyed pseudonym (PersonCrypto.addressKey) and an optional short label. Adding an address closes the
 * open address match there at once: the participants no longer see it, and the audit trail says why.
 * Removing one makes no match by itself: the next filing, verification or move at the address does.
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { PersonCrypto } from '../persons/identity-keys.ts';
import { ensureRekeyed } from '../persons/key-rotation.ts';
import { lockAddresses } from '../persons/person-lock.ts';
import type { StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, invalidInput, notFound } from '../shared/errors.ts';

export type ExcludedAddress = { id: string; label: string | null; createdAt: Date };
export type ExcludedAddressInput = { addressObjectId: string; label?: string | undefined };
/** A refused line of a CSV import: its number (from 1) and why, never the line's text. */
export type RefusedLine = { line: number; reason: string };

const OBJECT_ID = /^[0-9]{16}$/;
const KEY_HEX = /^[0-9a-f]{64}$/;
export const LABEL_MAX = 60;
export const IMPORT_MAX_LINES = 5000;

export type ExcludedAddressesService = ReturnType<typeof createExcludedAddressesService>;

export function createExcludedAddressesService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; crypto: PersonCrypto }) {
  const { db, clock, audit, crypto } = deps;
  const allowed = (actor: StaffActor) => {
    if (!actor.roles.includes('municipality_admin')) throw forbidden("This operation is for the municipality's administrators.");
  };

  /** The reason an entry is refused, or undefined when it is valid. */
  const problem = (input: ExcludedAddressInput): string | undefined => {
    if (!OBJECT_ID.test(input.addressObjectId)) return 'An address object id (adresseerbaarObjectIdentificatie) is 16 digits.';
    const label = input.label?.trim() ?? '';
    if (label.length > LABEL_MAX) return `A label is at most ${LABEL_MAX} characters.`;
    if (/[\p{Cc}]/u.test(label)) return 'A label is one line of text.';
    return undefined;
  };

  /** Stores the entries and closes the open address matches at them, in the caller's transaction. */
  async function store(trx: Kysely<DB>, actor: StaffActor, entries: ExcludedAddressInput[], now: Date): Promise<Buffer[]> {
    const keys = entries.map((e) => crypto.addressKey(e.addressObjectId));
    await lockAddresses(trx, keys);
    for (const [i, entry] of entries.entries()) {
      const label = entry.label?.trim() || null;
      await trx
        .insertInto('excluded_addresses')
        .values({ address_key: keys[i]!, label, created_at: now })
        .onConflict((oc) => oc.column('address_key').doUpdateSet({ label }))
        .execute();
    }
    const open = await trx
      .selectFrom('matches')
      .select('id')
      .where('kind', '=', 'address')
      .where('status', '=', 'open')
      .where('person_key', 'in', keys)
      .execute();
    for (const match of open) {
      const left = await trx
        .updateTable('match_participants as mp')
        .set({ left_at: now })
        .from('signals as s')
        .whereRef('s.id', '=', 'mp.signal_id')
        .where('mp.match_id', '=', match.id)
        .where('mp.left_at', 'is', null)
        .returning(['s.person_key', 's.organisation_id'])
        .execute();
      await trx.updateTable('matches').set({ status: 'closed', closed_at: now }).where('id', '=', match.id).execute();
      await audit.record(
        trx,
        now,
        left.map((p) => ({
          type: 'match.closed' as const,
          actor,
          organisationId: p.organisation_id,
          subjectKey: p.person_key,
          resource: { type: 'match', id: match.id },
          details: { matchKind: 'address', reason: 'excluded_address' },
        })),
      );
    }
    return keys;
  }

  return {
    /** Every excluded address: its id (the pseudonym, hex), label and when it was added. */
    async list(actor: StaffActor): Promise<ExcludedAddress[]> {
      allowed(actor);
      const rows = await db.selectFrom('excluded_addresses').selectAll().orderBy('created_at').orderBy('address_key').execute();
      return rows.map((row) => ({ id: Buffer.from(row.address_key).toString('hex'), label: row.label, createdAt: new Date(row.created_at) }));
    },

    /** Adds an address (or changes its label); the open address match there closes. */
    async add(actor: StaffActor, input: ExcludedAddressInput): Promise<ExcludedAddress> {
      allowed(actor);
      const reason = problem(input);
      if (reason) throw invalidInput([{ name: OBJECT_ID.test(input.addressObjectId) ? 'label' : 'addressObjectId', code: 'format', reason }]);
      const now = clock.now();
      await ensureRekeyed(db, crypto, { addressObjectIds: [input.addressObjectId] });
      return db.transaction().execute(async (trx) => {
        const [key] = await store(trx, actor, [input], now);
        await audit.record(trx, now, { type: 'excluded_addresses.changed', actor, details: { change: 'added', count: 1 } });
        const row = await trx.selectFrom('excluded_addresses').selectAll().where('address_key', '=', key!).executeTakeFirstOrThrow();
        return { id: key!.toString('hex'), label: row.label, createdAt: new Date(row.created_at) };
      });
    },

    /** Removes an address, by its id in the list or by its address object id. */
    async remove(actor: StaffActor, idOrObjectId: string): Promise<void> {
      allowed(actor);
      const key = OBJECT_ID.test(idOrObjectId) ? crypto.addressKey(idOrObjectId) : KEY_HEX.test(idOrObjectId) ? Buffer.from(idOrObjectId, 'hex') : undefined;
      if (!key) throw notFound('excluded address');
      if (OBJECT_ID.test(idOrObjectId)) await ensureRekeyed(db, crypto, { addressObjectIds: [idOrObjectId] });
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const removed = await trx.deleteFrom('excluded_addresses').where('address_key', '=', key).returning('address_key').executeTakeFirst();
        if (!removed) throw notFound('excluded address');
        await audit.record(trx, now, { type: 'excluded_addresses.changed', actor, details: { change: 'removed', count: 1 } });
      });
    },

    /**
     * A CSV import: one address a line, the 16-digit address object id and optionally a label after a
     * comma or semicolon; empty lines and a header line starting with a letter are skipped. Every line
     * is checked first: when any is refused, nothing is imported and the refused lines are named (by
     * number and reason, never their text).
     */
    async importCsv(actor: StaffActor, csv: string): Promise<{ imported: number }> {
      allowed(actor);
      const lines = csv.replace(/^\uFEFF/, '').split(/\r?\n/);
      const entries: ExcludedAddressInput[] = [];
      const refused: RefusedLine[] = [];
      for (const [i, raw] of lines.entries()) {
        const line = raw.trim();
        if (line === '' || (i === 0 && /^[\p{L}"]/u.test(line))) continue;
        const at = line.search(/[,;]/);
        const addressObjectId = (at < 0 ? line : line.slice(0, at)).trim().replace(/^"(.*)"$/, '$1');
        const label =
          at < 0
            ? undefined
            : line
                .slice(at + 1)
                .trim()
                .replace(/^"(.*)"$/, '$1');
        const entry = { addressObjectId, label };
        const reason = problem(entry);
        if (reason) refused.push({ line: i + 1, reason });
        else entries.push(entry);
      }
      if (entries.length + refused.length > IMPORT_MAX_LINES)
        refused.unshift({ line: IMPORT_MAX_LINES + 1, reason: `At most ${IMPORT_MAX_LINES} lines a file.` });
      if (entries.length === 0 && refused.length === 0) refused.push({ line: 1, reason: 'The file holds no address.' });
      if (refused.length > 0) {
        throw invalidInput(refused.slice(0, 50).map((r) => ({ name: `line ${r.line}`, code: 'refused', reason: r.reason })));
      }
      const now = clock.now();
      await ensureRekeyed(db, crypto, { addressObjectIds: entries.map((e) => e.addressObjectId) });
      await db.transaction().execute(async (trx) => {
        await store(trx, actor, entries, now);
        await audit.record(trx, now, { type: 'excluded_addresses.changed', actor, details: { change: 'imported', count: entries.length } });
      });
      return { imported: entries.length };
    },
  };
}
