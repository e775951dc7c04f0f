/**
 * Runs a database test suite on both engines: embedded PGlite (in memory) and a real PostgreSQL
 * server (a fresh database per suite, dropped afterwards). When PostgreSQL cannot be reached the
 * PostgreSQL half is skipped with a loud message; scripts/test.ts tries to start it first.
 *
 * A fresh database starts migrated from a copy, not by running the migrations again: PGlite loads a
 * data-directory dump of a migrated cluster (cached in node_modules/.cache, keyed by the migrations
 * and PGlite's version), and PostgreSQL creates the database from a migrated template database
 * (keyed the same way). Both are made once, by the first test process that needs them; the copy
 * costs a fraction of an empty PGlite cluster plus 30-odd migrations.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { after, before, describe } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { Kysely } from 'kysely';
import pg from 'pg';
import { type Database, type Engine, openDatabase } from '../db/database.ts';
import { migrate, readMigrations } from '../db/migrate.ts';
import { PGliteDialect } from '../db/pglite-dialect.ts';
import type { DB } from '../db/schema.ts';

export const POSTGRES_URL = process.env.SLUIS_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

let postgresReachable: Promise<boolean> | undefined;
export function isPostgresReachable(): Promise<boolean> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    try {
      await client.connect();
      await client.query('select 1');
      return true;
    } catch {
      return false;
    } finally {
      await client.end().catch(() => {});
    }
  })();
  return postgresReachable;
}

export const POSTGRES_MISSING = `PostgreSQL is NOT reachable at ${POSTGRES_URL}: the PostgreSQL half of the database tests is SKIPPED`;

/** What the migrated copies are keyed by: every migration's text and PGlite's version. */
const schemaVersion = (() => {
  const hash = createHash('sha256');
  for (const migration of readMigrations()) hash.update(`${migration.version}\0${migration.sql}\0`);
  hash.update(readFileSync(new URL('../../node_modules/@electric-sql/pglite/package.json', import.meta.url))); // its version
  return hash.digest('hex').slice(0, 16);
})();

let pgliteDump: Promise<Blob> | undefined;
/** A dump of a migrated PGlite cluster: read from the cache, or made (and cached) by this process. */
function migratedPgliteDump(): Promise<Blob> {
  pgliteDump ??= (async () => {
    const dir = new URL('../../node_modules/.cache/sluis-test/', import.meta.url);
    const file = new URL(`pglite-${schemaVersion}.tar`, dir);
    try {
      return new Blob([readFileSync(file)]);
    } catch {
      const pglite = await PGlite.create();
      await migrate(new Kysely<DB>({ dialect: new PGliteDialect(pglite) }));
      const dump = await pglite.dumpDataDir('none');
      await pglite.close();
      mkdirSync(dir, { recursive: true });
      const partial = new URL(`pglite-${schemaVersion}.${process.pid}.tmp`, dir);
      writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
      renameSync(partial, file); // atomic: a concurrent process reads a whole file or none
      return dump;
    }
  })();
  return pgliteDump;
}

let postgresTemplate: Promise<string> | undefined;
/** The name of a migrated template database on the PostgreSQL server, made by the first process that needs it. */
function migratedPostgresTemplate(): Promise<string> {
  postgresTemplate ??= (async () => {
    const template = `sluis_template_${schemaVersion}`;
    const admin = new pg.Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    try {
      const exists = await admin.query('select 1 from pg_database where datname = $1', [template]);
      if (exists.rowCount) return template;
      // Built under another name and renamed when whole, so nobody copies a half-migrated template.
      const building = `sluis_building_${randomBytes(6).toString('hex')}`;
      await admin.query(`create database ${building}`);
      const url = new URL(POSTGRES_URL);
      url.pathname = `/${building}`;
      const database = await openDatabase({ databaseUrl: url.toString(), poolSize: 1 });
      await migrate(database.db);
      await database.close();
      try {
        await admin.query(`alter database ${building} rename to ${template}`);
      } catch {
        await admin.query(`drop database if exists ${building} with (force)`); // another process made it first
      }
      return template;
    } finally {
      await admin.end();
    }
  })();
  return postgresTemplate;
}

/** A fresh, migrated database on the given engine; `drop()` removes it. */
export async function createTestDatabase(engine: Engine, options: { poolSize?: number } = {}): Promise<Database & { drop(): Promise<void>; url?: string }> {
  if (engine === 'pglite') {
    const database = await openDatabase({ loadDataDir: await migratedPgliteDump() });
    return { ...database, drop: () => database.close() };
  }
  const template = await migratedPostgresTemplate();
  const copy = await createEmptyPostgresDatabase(template);
  const database = await openDatabase({ databaseUrl: copy.url, poolSize: options.poolSize ?? 16 });
  return {
    ...database,
    url: copy.url,
    drop: async () => {
      await database.close();
      await copy.drop();
    },
  };
}

/** A fresh database on the test PostgreSQL server: empty (for a process that migrates its own, as the federation hub), or a copy of a template. */
export async function createEmptyPostgresDatabase(template?: string): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sluis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  await admin.end();
  const url = new URL(POSTGRES_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const cleanup = new pg.Client({ connectionString: POSTGRES_URL });
      await cleanup.connect();
      await cleanup.query(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}

export const ENGINES: Engine[] = ['pglite', 'postgres'];

/**
 * `describe` once per engine. The body gets a getter for the suite's database, which exists from the
 * suite's `before` until its `after`.
 */
export function describeOnEachDatabase(name: string, body: (database: () => Database, engine: Engine) => void, options: { poolSize?: number } = {}) {
  for (const engine of ENGINES) {
    describe(`${name} [${engine}]`, async () => {
      if (engine === 'postgres' && !(await isPostgresReachable())) {
        console.warn(`\n!!! ${POSTGRES_MISSING} (${name})\n`);
        describe.skip(POSTGRES_MISSING, () => {});
        return;
      }
      let database: (Database & { drop(): Promise<void> }) | undefined;
      before(async () => {
        database = await createTestDatabase(engine, options);
      });
      body(() => {
        if (!database) throw new Error('The test database is not open yet');
        return database;
      }, engine);
      // Registered after the body's own hooks, so the body's `after` still has its database.
      after(async () => {
        await database?.drop();
      });
    });
  }
}
