/**
 * Opens the database: embedded PGlite persisted in the data directory, or a PostgreSQL server when
 * a connection string is given. Both speak the same SQL and run the same migrations; the rest of the
 * code sees only a Kysely instance and does not know which engine is underneath. Either way every
 * error it throws is a data-free DatabaseError (errors.ts).
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { PGlite, types as pgliteTypes } from '@electric-sql/pglite';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { withSafeErrors } from './errors.ts';
import { PGliteDialect } from './pglite-dialect.ts';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

export type Database = {
  db: Kysely<DB>;
  engine: Engine;
  /** The connections now: open, idle and queries waiting for one (PGlite: its one connection). */
  poolUse(): PoolUse;
  close(): Promise<void>;
};

export type PoolUse = { max: number; total: number; idle: number; waiting: number };

// Same value shapes on both engines: dates as 'YYYY-MM-DD' strings, int8 as numbers.
const DATE_OID = 1082;
const INT8_OID = 20;

export async function openDatabase(options: { databaseUrl?: string | undefined; dataDir?: string; poolSize?: number }): Promise<Database> {
  if (options.databaseUrl) return openPostgres(options.databaseUrl, options.poolSize ?? 16);
  return openPGlite(options.dataDir);
}

async function openPostgres(connectionString: string, max: number): Promise<Database> {
  const pool = new pg.Pool({
    connectionString,
    max,
    options: '-c TimeZone=UTC',
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === DATE_OID) return (value: string) => value;
        if (oid === INT8_OID) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  });
  pool.on('error', () => {}); // an idle client's broken connection is replaced by the pool
  const db = new Kysely<DB>({ dialect: withSafeErrors(new PostgresDialect({ pool })) });
  return {
    db,
    engine: 'postgres',
    poolUse: () => ({ max, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

/** `dataDir` undefined means in memory (tests). */
async function openPGlite(dataDir: string | undefined): Promise<Database> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  const pglite = await PGlite.create(dataDir ? `${dataDir}/pglite` : undefined, {
    parsers: { [DATE_OID]: (value: string) => value, [pgliteTypes.INT8]: (value: string) => Number(value) },
  });
  await pglite.exec("set timezone = 'UTC'");
  const dialect = new PGliteDialect(pglite);
  const db = new Kysely<DB>({ dialect: withSafeErrors(dialect) });
  return {
    db,
    engine: 'pglite',
    poolUse: () => ({ max: 1, total: 1, idle: dialect.use.inUse ? 0 : 1, waiting: dialect.use.waiting }),
    close: async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}

/**
 * PGlite's files may be opened by one process at a time. A lock file with the owner's pid turns a
 * second `sluis` on the same data directory into a clear message instead of a damaged database.
 */
function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true });
  const file = `${dataDir}/pglite.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, String(process.pid), { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch {
      const owner = Number(readFileSync(file, 'utf8'));
      if (owner && owner !== process.pid && isRunning(owner)) {
        throw new Error(
          `The embedded database in ${dataDir} is in use by process ${owner} (another sluis). Stop that process first, or set SLUIS_DATA_DIR to another directory.`,
        );
      }
      rmSync(file, { force: true }); // left behind by a process that is gone
    }
  }
  throw new Error(`Could not lock ${file}`);
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
