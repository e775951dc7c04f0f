/**
 * Key rotation (docs/operations.md, "Key rotation"): a new pseudonym key version re-keys every
 * pseudonym the index holds, online and in batches; a new encryption key version encrypts every BSN
 * copy and sealed text again.
 *
 * Pseudonyms. A key of version v is made from its version v-1 value (identity-keys.ts), so a stored
 * key is re-keyed from itself: the same for a person's key (with or without a BSN), a parent's key
 * and an address key, none of which needs the BSN, details or address behind it (SluiS holds no
 * parent's BSN and no address). A rotation starts when a process comes up with a pseudonym version
 * one newer than the index's (`begin`): in one transaction it lists every distinct key value any row
 * holds (rekey_items) and moves the index to the new version; from then on every process writes new
 * keys only. Each listed value is then re-keyed in every table at once (KEY_COLUMNS), under the
 * person lock of the old key (a person), the family locks of old and new (a parent) or the address
 * locks (an address), by whichever comes first: the sweep's batches (`rekeyBatch`), or a filing or
 * look-up that needs that person, its parents or its address now (`ensureRekeyed`), so that a match
 * between a signal filed before and one filed during the rotation still forms. The transaction that
 * re-keys a value deletes its item; a second one finds it gone and does nothing.
 *
 * Ciphertexts. The first byte of a BSN copy or sealed text names its encryption key version; every
 * process decrypts any configured version and encrypts with the newest. The re-encryption takes rows
 * of another version in batches and writes each back only when it is still the ciphertext read.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { SystemActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import type { Bsn } from './bsn.ts';
import { type PersonCrypto, SEALED_TEXT_PURPOSES } from './identity-keys.ts';
import { lockAddresses, lockFamilies } from './person-lock.ts';

/** Every column that holds a pseudonym (a test compares this with the schema). persons first: its rows' references follow it. */
export const KEY_COLUMNS = [
  ['persons', 'person_key'],
  ['signals', 'person_key'],
  ['person_register', 'person_key'],
  ['person_register', 'address_key'],
  ['register_verifications', 'person_key'],
  ['person_statements', 'person_key'],
  ['excluded_addresses', 'address_key'],
  ['matches', 'person_key'],
  ['match_participants', 'person_key'],
  ['match_seen', 'person_key'],
  ['match_contacts', 'person_key'],
  ['coordinations', 'person_key'],
  ['coordination_transitions', 'person_key'],
  ['case_consultations', 'person_key'],
  ['rights_requests', 'person_key'],
  ['federation_registrations', 'person_key'],
  ['audit_events', 'subject_key'],
] as const;
/** Columns that hold an array of pseudonyms. */
export const KEY_ARRAY_COLUMNS = [['person_register', 'parent_keys']] as const;

/** Every column that holds a ciphertext, with the purpose it was sealed for (none: a BSN copy). */
export const CIPHERTEXT_COLUMNS = [
  { table: 'persons', column: 'bsn_ciphertext', purpose: undefined },
  { table: 'rights_requests', column: 'bsn_ciphertext', purpose: undefined },
  { table: 'person_statements', column: 'statement_ciphertext', purpose: SEALED_TEXT_PURPOSES.personStatement },
  { table: 'web_kept_forms', column: 'fields_ciphertext', purpose: SEALED_TEXT_PURPOSES.keptForm },
] as const;

export type KeyKind = 'pseudonym' | 'encryption';
export type RotationStatus = {
  kind: KeyKind;
  /** The version the index is at (rows are written with it). */
  version: number;
  /** The newest version this process has. */
  configured: number;
  /** While a rotation runs: the version it comes from. */
  rotatingFrom: number | null;
  startedAt: Date | null;
  finishedAt: Date | null;
  /** Pseudonyms still to re-key, or ciphertexts of another version than the newest. */
  remaining: number;
};

const BATCH = 500;
const actor: SystemActor = { kind: 'system', requestId: null };
const buffers = (keys: readonly Uint8Array[]) => keys.map((key) => Buffer.from(key));

/** Raised when this process's keys do not fit the index's versions; the process must not start. */
export class KeyVersionError extends Error {}

/** The index's key versions and the pending work, for `sluis keys status`. */
export async function rotationStatus(db: Kysely<DB>, crypto: PersonCrypto): Promise<RotationStatus[]> {
  const rows = await sql<{
    kind: KeyKind;
    version: number;
    rotating_from: number | null;
    started_at: Date | null;
    finished_at: Date | null;
  }>`select kind, version, rotating_from, started_at, finished_at from key_versions order by kind desc`.execute(db);
  const items = await sql<{ n: number }>`select count(*)::int as n from rekey_items`.execute(db);
  const stale = await staleCiphertexts(db, crypto.encryptionVersion);
  return rows.rows.map((row) => ({
    kind: row.kind,
    version: row.version,
    configured: row.kind === 'pseudonym' ? crypto.pseudonymVersion : crypto.encryptionVersion,
    rotatingFrom: row.rotating_from,
    startedAt: row.started_at,
    finishedAt: row.finished_at,
    remaining: row.kind === 'pseudonym' ? items.rows[0]!.n : stale,
  }));
}

async function staleCiphertexts(db: Kysely<DB>, version: number): Promise<number> {
  let total = 0;
  for (const { table, column } of CIPHERTEXT_COLUMNS) {
    const result = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}
      where ${sql.ref(column)} is not null and get_byte(${sql.ref(column)}, 0) <> ${version}`.execute(db);
    total += result.rows[0]!.n;
  }
  return total;
}

export type KeyRotation = ReturnType<typeof createKeyRotation>;

export function createKeyRotation(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; crypto: PersonCrypto }) {
  const { db, clock, audit, crypto } = deps;

  /**
   * At the start of a process, before it writes anything: checks that its keys fit the index, and
   * when its newest pseudonym or encryption version is one the index is not at yet, starts that
   * rotation. Refuses (KeyVersionError) a process that lacks the index's pseudonym version, a
   * pseudonym version more than one ahead, or a new one while the last rotation still runs.
   */
  async function begin(): Promise<{ pseudonym: 'started' | 'unchanged'; encryption: 'started' | 'unchanged' }> {
    const now = clock.now();
    return db.transaction().execute(async (trx) => {
      const rows = await sql<{ kind: KeyKind; version: number; rotating_from: number | null }>`
        select kind, version, rotating_from from key_versions order by kind for update`.execute(trx);
      const pseudonym = rows.rows.find((row) => row.kind === 'pseudonym')!;
      const encryption = rows.rows.find((row) => row.kind === 'encryption')!;
      const result = { pseudonym: 'unchanged' as 'started' | 'unchanged', encryption: 'unchanged' as 'started' | 'unchanged' };

      const configured = crypto.pseudonymVersion;
      if (configured < pseudonym.version) {
        throw new KeyVersionError(`The index is at pseudonym key version ${pseudonym.version}; this process has versions up to ${configured} only`);
      }
      if (configured > pseudonym.version) {
        if (configured > pseudonym.version + 1) {
          throw new KeyVersionError(
            `The index is at pseudonym key version ${pseudonym.version}: rotate one version at a time (this process has ${configured})`,
          );
        }
        if (pseudonym.rotating_from !== null) {
          throw new KeyVersionError(`The rotation to pseudonym key version ${pseudonym.version} still runs: let it finish (sluis keys status) first`);
        }
        // Every distinct pseudonym any row holds, once: an address key as an address, anything else as a person key.
        await sql`insert into rekey_items (old_key, kind)
          select address_key, 'address' from person_register where address_key is not null
          union select address_key, 'address' from excluded_addresses
          union select person_key, 'address' from matches where kind = 'address'
          on conflict do nothing`.execute(trx);
        const keySources = sql.join(
          [...KEY_COLUMNS.map(([table, column]) => sql`select ${sql.ref(column)} from ${sql.table(table)} where ${sql.ref(column)} is not null`)],
          sql` union `,
        );
        await sql`insert into rekey_items (old_key, kind)
          select k, 'person' from (${keySources} union select unnest(parent_keys) from person_register) as all_keys (k)
          on conflict do nothing`.execute(trx);
        const items = await sql<{ n: number }>`select count(*)::int as n from rekey_items`.execute(trx);
        await sql`update key_versions set version = ${configured}, rotating_from = ${pseudonym.version}, started_at = ${now}, finished_at = null
          where kind = 'pseudonym'`.execute(trx);
        await audit.record(trx, now, {
          type: 'keys.rotation_started',
          actor,
          details: { keyKind: 'pseudonym', from: pseudonym.version, to: configured, count: items.rows[0]!.n },
        });
        result.pseudonym = 'started';
      }

      const missing = (await ciphertextVersions(trx)).filter((version) => !crypto.encryptionVersions.includes(version));
      if (missing.length > 0) {
        throw new KeyVersionError(`The index holds ciphertexts of encryption key version ${missing.join(', ')}, which this process does not have`);
      }
      if (crypto.encryptionVersion !== encryption.version) {
        if (crypto.encryptionVersion < encryption.version) {
          throw new KeyVersionError(
            `The index is at encryption key version ${encryption.version}; this process encrypts with version ${crypto.encryptionVersion}`,
          );
        }
        await sql`update key_versions set version = ${crypto.encryptionVersion}, rotating_from = ${encryption.version}, started_at = ${now}, finished_at = null
          where kind = 'encryption'`.execute(trx);
        await audit.record(trx, now, {
          type: 'keys.rotation_started',
          actor,
          details: {
            keyKind: 'encryption',
            from: encryption.version,
            to: crypto.encryptionVersion,
            count: await staleCiphertexts(trx, crypto.encryptionVersion),
          },
        });
        result.encryption = 'started';
      }
      return result;
    });
  }

  /** Re-keys up to `limit` pseudonyms of the running rotation; at the end, records that it finished. Gives how many it re-keyed. */
  async function rekeyBatch(limit = BATCH): Promise<number> {
    const next = await sql<{ old_key: Uint8Array }>`select old_key from rekey_items order by old_key limit ${limit}`.execute(db);
    if (next.rows.length === 0) {
      await finish('pseudonym');
      return 0;
    }
    return rekeyValues(
      db,
      crypto,
      next.rows.map((row) => row.old_key),
    );
  }

  /** Encrypts up to `limit` ciphertexts of an older version again with the newest; at the end, records that the rotation finished. */
  async function reencryptBatch(limit = BATCH): Promise<number> {
    let done = 0;
    for (const { table, column, purpose } of CIPHERTEXT_COLUMNS) {
      if (done >= limit) break;
      const rows = await sql<{ c: Uint8Array }>`select ${sql.ref(column)} as c from ${sql.table(table)}
        where ${sql.ref(column)} is not null and get_byte(${sql.ref(column)}, 0) <> ${crypto.encryptionVersion} limit ${limit - done}`.execute(db);
      for (const { c } of rows.rows) {
        const again = crypto.reencrypt(c, purpose);
        // Only when it is still the ciphertext read: a change in between wrote the newest version already.
        await sql`update ${sql.table(table)} set ${sql.ref(column)} = ${again} where ${sql.ref(column)} = ${c}`.execute(db);
        done += 1;
      }
    }
    if (done === 0) await finish('encryption');
    return done;
  }

  async function finish(kind: KeyKind): Promise<void> {
    const now = clock.now();
    await db.transaction().execute(async (trx) => {
      const running = await sql<{ version: number; rotating_from: number }>`select version, rotating_from from key_versions
        where kind = ${kind} and rotating_from is not null for update`.execute(trx);
      const row = running.rows[0];
      if (!row) return;
      if (kind === 'pseudonym' && (await sql`select from rekey_items limit 1`.execute(trx)).rows.length > 0) return;
      if (kind === 'encryption' && (await staleCiphertexts(trx, crypto.encryptionVersion)) > 0) return;
      await sql`update key_versions set rotating_from = null, finished_at = ${now} where kind = ${kind}`.execute(trx);
      await audit.record(trx, now, { type: 'keys.rotation_finished', actor, details: { keyKind: kind, from: row.rotating_from, to: row.version } });
    });
  }

  /** Runs the rotations in batches until nothing is left (the sweep runs one batch of each per round). */
  async function runToEnd(onProgress?: (kind: KeyKind, done: number) => void): Promise<{ rekeyed: number; reencrypted: number }> {
    let rekeyed = 0;
    let reencrypted = 0;
    for (let n = await rekeyBatch(); n > 0; n = await rekeyBatch()) {
      rekeyed += n;
      onProgress?.('pseudonym', rekeyed);
    }
    for (let n = await reencryptBatch(); n > 0; n = await reencryptBatch()) {
      reencrypted += n;
      onProgress?.('encryption', reencrypted);
    }
    return { rekeyed, reencrypted };
  }

  return {
    begin,
    rekeyBatch,
    reencryptBatch,
    runToEnd,
    status: () => rotationStatus(db, crypto),
    /** ensureRekeyed (below) with this process's database and keys. */
    ensureRekeyed: (sources: RekeySources) => ensureRekeyed(db, crypto, sources),
  };
}

async function ciphertextVersions(db: Kysely<DB>): Promise<number[]> {
  const parts = CIPHERTEXT_COLUMNS.map(
    ({ table, column }) => sql`select distinct get_byte(${sql.ref(column)}, 0) as v from ${sql.table(table)} where ${sql.ref(column)} is not null`,
  );
  const result = await sql<{ v: number }>`${sql.join(parts, sql` union `)}`.execute(db);
  return result.rows.map((row) => Number(row.v));
}

/**
 * Re-keys these old pseudonyms everywhere, those still listed, in one transaction: the person locks
 * of the old person keys (ascending), then the family locks of old and new, then the address locks
 * of old and new (the lock order of person-lock.ts); then each item is taken (deleted) and its value
 * replaced in every key column. Gives how many it re-keyed.
 */
async function rekeyValues(db: Kysely<DB>, crypto: PersonCrypto, oldKeys: readonly Uint8Array[]): Promise<number> {
  return db.transaction().execute(async (trx) => {
    const listed = await sql<{ old_key: Uint8Array; kind: 'person' | 'address' }>`select old_key, kind from rekey_items
      where old_key = any(${buffers(oldKeys)}::bytea[])`.execute(trx);
    if (listed.rows.length === 0) return 0;
    const persons = listed.rows.filter((row) => row.kind === 'person').map((row) => Buffer.from(row.old_key));
    const addresses = listed.rows.filter((row) => row.kind === 'address').map((row) => Buffer.from(row.old_key));
    const newKey = (row: { old_key: Uint8Array; kind: 'person' | 'address' }) =>
      row.kind === 'person' ? crypto.rekeyPersonKey(row.old_key) : crypto.rekeyAddressKey(row.old_key);
    await sql`select from persons where person_key = any(${persons}::bytea[]) order by person_key for update`.execute(trx);
    await lockFamilies(trx, [...persons, ...persons.map((key) => crypto.rekeyPersonKey(key))]);
    await lockAddresses(trx, [...addresses, ...addresses.map((key) => crypto.rekeyAddressKey(key))]);
    const taken = await sql<{ old_key: Uint8Array; kind: 'person' | 'address' }>`delete from rekey_items
      where old_key = any(${buffers(oldKeys)}::bytea[]) returning old_key, kind`.execute(trx);
    if (taken.rows.length === 0) return 0;
    const olds = taken.rows.map((row) => Buffer.from(row.old_key));
    const news = taken.rows.map(newKey);
    await sql`select set_config('sluis.rekeying', 'on', true)`.execute(trx);
    for (const [table, column] of KEY_COLUMNS) {
      await sql`with m (old_key, new_key) as (select * from unnest(${olds}::bytea[], ${news}::bytea[]))
        update ${sql.table(table)} as t set ${sql.ref(column)} = m.new_key from m where t.${sql.ref(column)} = m.old_key`.execute(trx);
    }
    for (const [table, column] of KEY_ARRAY_COLUMNS) {
      await sql`with m (old_key, new_key) as (select * from unnest(${olds}::bytea[], ${news}::bytea[]))
        update ${sql.table(table)} as t set ${sql.ref(column)} = array(
          select coalesce(m.new_key, k) from unnest(t.${sql.ref(column)}) with ordinality as u (k, i) left join m on m.old_key = u.k order by u.i)
        where t.${sql.ref(column)} && ${olds}::bytea[]`.execute(trx);
    }
    return taken.rows.length;
  });
}

/** What keys are made from: BSNs (of persons and parents), identities of persons without a BSN, address object ids. */
export type RekeySources = { bsns?: readonly Bsn[]; identities?: readonly string[]; addressObjectIds?: readonly (string | undefined)[] };

const settled = new WeakMap<PersonCrypto, true>();

/**
 * Before a filing or look-up works with keys it made from a BSN, details or an address: while a
 * pseudonym rotation runs, re-keys now (each under its locks) the persons, parents and addresses it
 * names that are still at the previous version, so that it finds the rows they already have. Once
 * this process has seen the rotation finished, costs nothing. Give the sources, not the keys.
 */
export async function ensureRekeyed(db: Kysely<DB>, crypto: PersonCrypto, sources: RekeySources): Promise<void> {
  const previous = crypto.previous;
  if (!previous || settled.has(crypto)) return;
  const state = await sql<{ rotating_from: number | null }>`select rotating_from from key_versions where kind = 'pseudonym'`.execute(db);
  if (state.rows[0]?.rotating_from == null) {
    settled.set(crypto, true);
    return;
  }
  const oldKeys = [
    ...(sources.bsns ?? []).map((bsn) => previous.personKey(bsn)),
    ...(sources.identities ?? []).map((identity) => previous.detailsKey(identity)),
    ...(sources.addressObjectIds ?? []).filter((id): id is string => Boolean(id)).map((id) => previous.addressKey(id)),
  ];
  if (oldKeys.length > 0) await rekeyValues(db, crypto, oldKeys);
}
