/**
 * Bulk loading of an index that already holds many persons, straight in SQL (the same statements on
 * PostgreSQL and PGlite): every person has one active signal from one of the benchmark's
 * professionals and the audit record of its filing, as a real index would.
 *
 * Most persons are synthetic (person_key = sha256 of a counter: uniformly random 32 bytes, like a
 * real HMAC). A few thousand are "known": their person key is the real HMAC of a BSN the load
 * generator holds, so the benchmark can file on persons that are already present and make matches.
 *
 * Fast because it loads in chunks of `insert ... select from generate_series`, with foreign-key
 * triggers off for the load (session_replication_role = replica, as pg_restore does; the rows are
 * made consistent by construction), the indexes that back no constraint dropped and rebuilt once at
 * the end (rebuilding the partial unique index checks it again), rows inserted in primary-key order,
 * and without waiting for WAL flushes (synchronous_commit off). Check constraints and primary keys
 * stay on. Ends with ANALYZE of the loaded tables and a CHECKPOINT, both counted in the load time.
 */
import { type Kysely, type RawBuilder, sql } from 'kysely';
import type { DB } from '../src/db/schema.ts';

export type LoadProfessional = { id: string; organisationId: string };
export type KnownPerson = { personKey: Buffer; bsnCiphertext: Buffer };

export type LoadResult = { persons: number; seconds: number; dropIndexesSeconds: number; insertSeconds: number; indexSeconds: number; analyzeSeconds: number };

const CHUNK = 100_000;
/** Tables whose indexes (other than those backing constraints) are rebuilt after the load. */
const REBUILT_TABLES = ['signals', 'audit_events'];

export type LoadOptions = {
  persons: number;
  professionals: LoadProfessional[];
  known: KnownPerson[];
  progress?: (message: string) => void;
  /** Stop (LoadTooSlow) as soon as the load is projected to take longer than this. */
  maxSeconds?: number;
};

export class LoadTooSlow extends Error {
  override name = 'LoadTooSlow';
}

/** Loads on one connection (the session settings below must hold for every statement). */
export async function bulkLoad(database: Kysely<DB>, options: LoadOptions): Promise<LoadResult> {
  return database.connection().execute((db) => loadOn(db, options));
}

async function loadOn(db: Kysely<DB>, options: LoadOptions): Promise<LoadResult> {
  const { persons, professionals, known } = options;
  const progress = options.progress ?? (() => {});
  if (known.length > persons) throw new Error('More known persons than persons');
  if (professionals.length === 0) throw new Error('Loading needs professionals');
  const started = performance.now();
  // Persons are about a fifth of the insert work, signals with their audit records the rest.
  const checkPace = (done: number) => {
    if (!options.maxSeconds || done === 0) return;
    const elapsed = (performance.now() - started) / 1000;
    const projected = elapsed / done;
    if (projected > options.maxSeconds) {
      throw new LoadTooSlow(`loading ${persons.toLocaleString('en')} persons was projected to take ${Math.round(projected)} s (limit ${options.maxSeconds} s)`);
    }
  };
  const lap = (() => {
    let last = started;
    return () => {
      const now = performance.now();
      const seconds = (now - last) / 1000;
      last = now;
      return seconds;
    };
  })();

  await sql`set synchronous_commit = off`.execute(db);
  await sql`set session_replication_role = replica`.execute(db);
  await sql`set maintenance_work_mem = '256MB'`.execute(db);
  await sql`set work_mem = '64MB'`.execute(db);

  // Drop the indexes that back no constraint (primary keys stay; the partial unique index on
  // signals is rebuilt, which checks it again) and remember their definitions.
  const indexes = await sql<{ name: string; definition: string }>`
    select i.indexname as name, i.indexdef as definition
      from pg_indexes i join pg_class c on c.relname = i.indexname and c.relnamespace = current_schema()::regnamespace
     where i.schemaname = current_schema() and i.tablename in (${sql.join(REBUILT_TABLES)})
       and not exists (select from pg_constraint k where k.conindid = c.oid)`.execute(db);
  for (const index of indexes.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  const dropIndexesSeconds = lap();

  // Known persons first (ids 1..known.length), then synthetic ones.
  if (known.length > 0) {
    const keys = known.map((p) => p.personKey.toString('hex')).join(',');
    const ciphertexts = known.map((p) => p.bsnCiphertext.toString('hex')).join(',');
    await sql`
      insert into persons (person_key, bsn_ciphertext, created_at)
      select decode(key, 'hex'), decode(ciphertext, 'hex'), now() - interval '400 days'
        from unnest(string_to_array(${keys}::text, ','), string_to_array(${ciphertexts}::text, ',')) as known(key, ciphertext)`.execute(db);
  }
  const synthetic = persons - known.length;
  for (let from = 1; from <= synthetic; from += CHUNK) {
    const to = Math.min(synthetic, from + CHUNK - 1);
    await sql`
      insert into persons (person_key, bsn_ciphertext, created_at)
      select sha256(('sluis-bench-person-' || i)::bytea),
             '\\x01'::bytea || substring(sha256(('sluis-bench-bsn-' || i)::bytea) || sha256(('iv-' || i)::bytea) from 1 for 37),
             now() - (i % 600) * interval '1 day'
        from generate_series(${from}::int, ${to}::int) as i order by 1`.execute(db);
    progress(`persons ${to.toLocaleString('en')} / ${synthetic.toLocaleString('en')} synthetic`);
    checkPace((0.2 * to) / synthetic);
  }

  // One active signal per person, and its audit record. Filed up to 600 days ago, active for 24
  // months from filing, from professional i mod k; adults with consent.
  if (known.length > 0) {
    const keys = known.map((p) => p.personKey.toString('hex')).join(',');
    await insertSignals(
      db,
      sql`select i::int as i, decode(key, 'hex') as person_key
      from unnest(string_to_array(${keys}::text, ',')) with ordinality as t(key, i)`,
      professionals,
    );
  }
  for (let from = 1; from <= synthetic; from += CHUNK) {
    const to = Math.min(synthetic, from + CHUNK - 1);
    await insertSignals(
      db,
      sql`select ${known.length}::int + i as i, sha256(('sluis-bench-person-' || i)::bytea) as person_key
      from generate_series(${from}::int, ${to}::int) as i`,
      professionals,
    );
    progress(`signals ${to.toLocaleString('en')} / ${synthetic.toLocaleString('en')} synthetic`);
    checkPace(0.2 + (0.6 * to) / synthetic);
  }
  const insertSeconds = lap();

  for (const index of indexes.rows) await sql.raw(index.definition).execute(db);
  const indexSeconds = lap();
  progress(`rebuilt ${indexes.rows.length} indexes`);

  await sql`set session_replication_role = origin`.execute(db);
  // Only the loaded tables: ANALYZE on the still empty matches, match_participants and outbox would
  // record them as empty, and the cached plans would then scan them sequentially as they grow
  // during the run (until autovacuum analyzes them again; PGlite has no autovacuum).
  await sql`analyze persons, signals, audit_events`.execute(db);
  await sql`checkpoint`.execute(db); // so the load's dirty pages are not written during the measurement
  const analyzeSeconds = lap();
  await sql`set synchronous_commit = on`.execute(db);
  return { persons, seconds: (performance.now() - started) / 1000, dropIndexesSeconds, insertSeconds, indexSeconds, analyzeSeconds };
}

async function insertSignals(db: Kysely<DB>, source: RawBuilder<unknown>, professionals: LoadProfessional[]) {
  const professionalIds = sql.raw(`array[${professionals.map((p) => `'${uuid(p.id)}'`).join(',')}]::uuid[]`);
  const organisationIds = sql.raw(`array[${professionals.map((p) => `'${uuid(p.organisationId)}'`).join(',')}]::uuid[]`);
  const k = professionals.length;
  await sql`
    with numbered as (
      select gen_random_uuid() as id, i, person_key, now() - (i % 600) * interval '1 day' - (i % 86400) * interval '1 second' as filed_at
        from (${source}) as s
    ), inserted as (
      insert into signals (id, person_key, organisation_id, professional_id, client_reference, person_details,
        person_date_of_birth, legal_basis, status, filed_at, active_until)
      select n.id, n.person_key, (${organisationIds})[1 + i % ${k}::int], (${professionalIds})[1 + i % ${k}::int], 'dossier ' || i,
             jsonb_build_object('name', jsonb_build_object('givenNames', 'Persoon', 'familyName', 'Nummer ' || i),
                                'dateOfBirth', to_char(date '1950-01-01' + (i % 18000)::int, 'YYYY-MM-DD'), 'gender', 'unknown',
                                'address', jsonb_build_object('street', 'Coolsingel', 'houseNumber', (1 + i % 400)::text,
                                                              'postcode', '3011 AD', 'city', 'Rotterdam')),
             date '1950-01-01' + (i % 18000)::int,
             jsonb_build_object('basis', 'consent', 'givenBy', 'person', 'givenOn', to_char(n.filed_at, 'YYYY-MM-DD')),
             'active', n.filed_at, n.filed_at + interval '24 months'
        from numbered n order by n.id
      returning id, person_key, organisation_id, professional_id, filed_at
    )
    insert into audit_events (occurred_at, event_type, outcome, actor_type, actor_id, organisation_id, subject_key,
      resource_type, resource_id, request_id)
    select filed_at, 'signal.created', 'success', 'professional', professional_id, organisation_id, person_key,
           'signal', id, 'bench-load'
      from inserted order by id`.execute(db);
}

function uuid(value: string): string {
  if (!/^[0-9a-f-]{36}$/i.test(value)) throw new Error(`Not a uuid: ${value}`);
  return value;
}
