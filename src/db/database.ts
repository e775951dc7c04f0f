/**
 * Opens the database: embedded PGlite persisted in the data directory, or a PostgreSQL server when
 * a connection string is given. Both speak the same SQL and run the same migrations; the rest of the
 * code sees only a Kysely instance and does not know which engine is underneath. Either way every
 * error it throws is a data-free DatabaseError (errors.ts).
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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
  /**
   * Embedded only: the whole data directory as a gzipped tarball (PGlite's `dumpDataDir`), taken
   * between transactions after a checkpoint, so the copy is consistent; queries wait meanwhile.
   */
  dumpDataDir?(): Promise<Uint8Array>;
  close(): Promise<void>;
};

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
  return { db, engine: 'postgres', close: () => db.destroy() };
}

/** `dataDir` undefined means in memory (tests). */
async function openPGlite(dataDir: string | undefined): Promise<Database> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  const pglite = await PGlite.create(dataDir ? `${dataDir}/pglite` : undefined, {
    parsers: { [DATE_OID]: (value: string) => value, [pgliteTypes.INT8]: (value: string) => Number(value) },
  });
  await pglite.exec("set timezone = 'UTC'");
  const db = new Kysely<DB>({ dialect: withSafeErrors(new PGliteDialect(pglite)) });
  return {
    db,
    engine: 'pglite',
    // Holding the dialect's one connection means no transaction is open: the dump is a committed state.
    dumpDataDir: () =>
      db.connection().execute(async () => {
        await pglite.exec('checkpoint');
        const tarball = await pglite.dumpDataDir('gzip');
        return new Uint8Array(await tarball.arrayBuffer());
      }),
    close: async () => {
      await db.destroy();
      await pglite.close();
      unlock();
    },
  };
}

/**
 * Unpacks a tarball of `dumpDataDir` as the embedded database of `dataDir`, which must hold none yet;
 * returns the newest migration it holds. The directory is locked meanwhile; on failure (not a
 * backup, a damaged file) nothing of it stays behind.
 */
export async function restoreDataDir(dataDir: string, tarball: Uint8Array): Promise<number> {
  const target = `${dataDir}/pglite`;
  if (existsSync(target)) throw new Error(`${target} exists already: restore into a data directory without a database`);
  const unlock = lockDataDir(dataDir);
  try {
    const pglite = await PGlite.create(target, { loadDataDir: new Blob([tarball as Uint8Array<ArrayBuffer>]) });
    try {
      const result = await pglite.query<{ version: number }>('select max(version)::int as version from schema_migrations');
      return result.rows[0]?.version ?? 0;
    } finally {
      await pglite.close();
    }
  } catch (error) {
    rmSync(target, { recursive: true, force: true });
    throw error;
  } finally {
    unlock();
  }
}

/** The process that holds the embedded database of `dataDir` now, if one does. */
export function dataDirOwner(dataDir: string): number | undefined {
  try {
    const owner = Number(readFileSync(`${dataDir}/pglite.lock`, 'utf8'));
    return owner && owner !== process.pid && isRunning(owner) ? owner : undefined;
  } catch {
    return undefined;
  }
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
      const owner = dataDirOwner(dataDir);
      if (owner) {
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
