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
import { parseHostList, primaryFindingPool } from './primary-finder.ts';
import type { DB } from './schema.ts';

export type Engine = 'pglite' | 'postgres';

/** A database of the region (`DB`), or of the hub or the pseudonymisation service (their own schema types). */
export type Database<Schema = DB> = {
  db: Kysely<Schema>;
  engine: Engine;
  /**
   * Embedded only: the whole data directory as a gzipped tarball (PGlite's `dumpDataDir`), taken
   * between transactions after a checkpoint, so the copy is consistent; queries wait meanwhile.
   */
  dumpDataDir?(): Promise<Uint8Array>;
  /** The connections now: open, idle and queries waiting for one (PGlite: its one connection). */
  poolUse(): PoolUse;
  close(): Promise<void>;
};

export type PoolUse = { max: number; total: number; idle: number; waiting: number };

// Same value shapes on both engines: dates as 'YYYY-MM-DD' strings, int8 as numbers.
const DATE_OID = 1082;
const INT8_OID = 20;

export type DatabaseOptions = {
  databaseUrl?: string | undefined;
  dataDir?: string;
  poolSize?: number;
  /** PostgreSQL: how long opening a connection (or waiting for a free one) may take; default 5 s. */
  connectTimeoutMs?: number;
  /** PostgreSQL: the server cancels a statement that runs longer (statement_timeout); 0: never. Default 60 s. */
  statementTimeoutMs?: number;
  /** PGlite only: start from this data-directory dump (a tarball from `dumpDataDir`) instead of an empty cluster. */
  loadDataDir?: Blob;
};

export async function openDatabase<Schema = DB>(options: DatabaseOptions): Promise<Database<Schema>> {
  if (options.databaseUrl) return openPostgres<Schema>(options.databaseUrl, options);
  return openPGlite<Schema>(options.dataDir, options.loadDataDir);
}

/**
 * A pool that never hangs on a database that is gone: connecting gives up after the connect timeout,
 * the server ends statements past the statement timeout, TCP keepalive notices a silent peer, and a
 * connection string with several hosts goes to whichever is the primary (primary-finder.ts). What
 * fails for these reasons is a DatabaseError marked `unavailable` (errors.ts): a 503, never a hang.
 */
async function openPostgres<Schema>(connectionString: string, options: DatabaseOptions): Promise<Database<Schema>> {
  const statementTimeoutMs = options.statementTimeoutMs ?? 60_000;
  const config: pg.PoolConfig = {
    max: options.poolSize ?? 16,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    keepAlive: true,
    keepAliveInitialDelayMillis: 10_000,
    options: `-c TimeZone=UTC -c statement_timeout=${statementTimeoutMs}`,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
        if (oid === DATE_OID) return (value: string) => value;
        if (oid === INT8_OID) return (value: string) => Number(value);
        return pg.types.getTypeParser(oid, format as 'text');
      }) as typeof pg.types.getTypeParser,
    },
  };
  const hosts = parseHostList(connectionString);
  const finder = hosts ? primaryFindingPool(hosts, config) : undefined;
  const pool = finder?.pool ?? new pg.Pool({ ...config, connectionString });
  pool.on('error', () => {}); // an idle client's broken connection is replaced by the pool
  // A client in use whose server goes away (a crash, a failover) between two statements emits 'error'
  // with no pool listener attached: without this one the process would exit. Its next statement fails
  // instead (a DatabaseError marked unavailable), and the pool drops it when it is released.
  pool.on('connect', (client) => client.on('error', () => {}));
  const db = new Kysely<Schema>({ dialect: withSafeErrors(new PostgresDialect({ pool: finder ?? pool })) });
  return {
    db,
    engine: 'postgres',
    poolUse: () => ({ max: config.max ?? 16, total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
    close: () => db.destroy(),
  };
}

/** `dataDir` undefined means in memory (tests). */
async function openPGlite<Schema>(dataDir: string | undefined, loadDataDir?: Blob): Promise<Database<Schema>> {
  const unlock = dataDir ? lockDataDir(dataDir) : () => {};
  const pglite = await PGlite.create(dataDir ? `${dataDir}/pglite` : undefined, {
    ...(loadDataDir && { loadDataDir }),
    parsers: { [DATE_OID]: (value: string) => value, [pgliteTypes.INT8]: (value: string) => Number(value) },
  });
  await pglite.exec("set timezone = 'UTC'");
  const dialect = new PGliteDialect(pglite);
  const db = new Kysely<Schema>({ dialect: withSafeErrors(dialect) });
  return {
    db,
    engine: 'pglite',
    poolUse: () => ({ max: 1, total: 1, idle: dialect.use.inUse ? 0 : 1, waiting: dialect.use.waiting }),
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
