/**
 * Runs a database test suite on both engines: embedded PGlite (in memory) and a real PostgreSQL
 * server (a fresh database per suite, dropped afterwards). When PostgreSQL cannot be reached the
 * PostgreSQL half is skipped with a loud message; scripts/test.ts tries to start it first.
 */
import { randomBytes } from 'node:crypto';
import { after, before, describe } from 'node:test';
import pg from 'pg';
import { type Database, type Engine, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';

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

/** A fresh, migrated database on the given engine; `drop()` removes it. */
export async function createTestDatabase(engine: Engine, options: { poolSize?: number } = {}): Promise<Database & { drop(): Promise<void>; url?: string }> {
  if (engine === 'pglite') {
    const database = await openDatabase({});
    await migrate(database.db);
    return { ...database, drop: () => database.close() };
  }
  const empty = await createEmptyPostgresDatabase();
  const database = await openDatabase({ databaseUrl: empty.url, poolSize: options.poolSize ?? 16 });
  await migrate(database.db);
  return {
    ...database,
    url: empty.url,
    drop: async () => {
      await database.close();
      await empty.drop();
    },
  };
}

/** A fresh, empty database on the test PostgreSQL server (for a process that migrates its own, as the federation hub). */
export async function createEmptyPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `sluis_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`create database ${name}`);
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
