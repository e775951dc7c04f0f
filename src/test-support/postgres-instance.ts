/**
 * A PostgreSQL instance of its own for a test (backups, recovery, failover): initdb in a temporary
 * directory, started on a free port with the given settings, as the `postgres` user when the tests
 * run as root (initdb and pg_ctl refuse root). Trust authentication on 127.0.0.1, replication
 * included. `cleanUpPostgresInstances()` in an `after` stops what is left and removes the directories.
 */
import { execFile } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from './sluis-process.ts';

const run = promisify(execFile);

/** The newest installed PostgreSQL's programs, if any. */
export const POSTGRES_BIN: string | undefined = (() => {
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root)
    .filter((version) => existsSync(path.join(root, version, 'bin', 'initdb')))
    .sort((a, b) => Number(b) - Number(a));
  return versions[0] && path.join(root, versions[0], 'bin');
})();

export const POSTGRES_BINARIES_MISSING =
  'PostgreSQL programs (/usr/lib/postgresql/*/bin/initdb) are NOT installed: this test of a second PostgreSQL instance is SKIPPED';

const asRoot = process.getuid?.() === 0;
let postgresIds: { uid: number; gid: number } | undefined;

/** Runs a PostgreSQL program (or any command) as the postgres user. */
export async function runAsPostgres(command: string, args: string[]): Promise<string> {
  const program = command.includes('/') || !POSTGRES_BIN || !existsSync(path.join(POSTGRES_BIN, command)) ? command : path.join(POSTGRES_BIN, command);
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  const { stdout } = await run(file, argv, { encoding: 'utf8' });
  return stdout;
}

const workDirs: string[] = [];
const instances: PostgresInstance[] = [];

/** A temporary directory the postgres user owns (for data directories, WAL archives, base backups). */
export function postgresWorkDir(prefix = 'sluis-pg-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  workDirs.push(dir);
  if (asRoot) {
    postgresIds ??= (() => {
      const line = readFileSync('/etc/passwd', 'utf8')
        .split('\n')
        .find((entry) => entry.startsWith('postgres:'));
      if (!line) throw new Error('There is no postgres user to run PostgreSQL as');
      const [, , uid, gid] = line.split(':');
      return { uid: Number(uid), gid: Number(gid) };
    })();
    chownSync(dir, postgresIds.uid, postgresIds.gid);
  }
  return dir;
}

export type PostgresInstance = {
  readonly port: number;
  readonly dataDir: string;
  url(database?: string): string;
  start(): Promise<void>;
  /** A clean shutdown (fast: open sessions are ended). */
  stop(): Promise<void>;
  /** kill -9 of the postmaster, as a crash. */
  kill(): void;
  /** Runs SQL as the superuser and returns the first column of the first row. */
  query(sql: string, database?: string): Promise<string>;
};

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Starts an instance. Without `dataDir` a new cluster is made (initdb); with one, that directory
 * (a restored base backup, a standby's copy) is started as it is. `settings` go into
 * postgresql.auto.conf, after whatever is there, so they win over the copied ones.
 */
export async function startPostgresInstance(options: { settings?: Record<string, string>; dataDir?: string } = {}): Promise<PostgresInstance> {
  if (!POSTGRES_BIN) throw new Error(POSTGRES_BINARIES_MISSING);
  const port = await freePort();
  const home = postgresWorkDir();
  const dataDir = options.dataDir ?? path.join(home, 'data');
  if (!options.dataDir) await runAsPostgres('initdb', ['--auth=trust', '--username=postgres', '--encoding=UTF8', '--no-sync', '-D', dataDir]);
  const settings: Record<string, string> = {
    listen_addresses: '127.0.0.1',
    port: String(port),
    unix_socket_directories: home,
    fsync: 'off',
    ...options.settings,
  };
  const autoConf = path.join(dataDir, 'postgresql.auto.conf');
  const lines = Object.entries(settings).map(([name, value]) => `${name} = ${quote(value)}`);
  writeFileSync(autoConf, `${existsSync(autoConf) ? readFileSync(autoConf, 'utf8') : ''}${lines.join('\n')}\n`);
  if (asRoot && postgresIds) chownSync(autoConf, postgresIds.uid, postgresIds.gid);
  const log = path.join(home, 'postgres.log');
  const url = (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`;
  const instance: PostgresInstance = {
    port,
    dataDir,
    url,
    start: async () => {
      await runAsPostgres('pg_ctl', ['start', '-w', '-t', '60', '-D', dataDir, '-l', log]).catch((error: Error) => {
        throw new Error(`PostgreSQL did not start: ${error.message}\n${existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''}`);
      });
    },
    stop: async () => {
      await runAsPostgres('pg_ctl', ['stop', '-w', '-m', 'fast', '-D', dataDir]);
    },
    kill: () => {
      const pidFile = path.join(dataDir, 'postmaster.pid');
      if (existsSync(pidFile)) process.kill(Number(readFileSync(pidFile, 'utf8').split('\n')[0]), 'SIGKILL');
    },
    query: async (sql, database = 'postgres') =>
      (
        await runAsPostgres('psql', [
          '-X',
          '-A',
          '-t',
          '-v',
          'ON_ERROR_STOP=1',
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          'postgres',
          '-d',
          database,
          '-c',
          sql,
        ])
      ).trim(),
  };
  instances.push(instance);
  await instance.start();
  return instance;
}

/** For `after`: stops every instance still running and removes the directories. */
export async function cleanUpPostgresInstances(): Promise<void> {
  for (const instance of instances.splice(0)) {
    if (existsSync(path.join(instance.dataDir, 'postmaster.pid'))) await instance.stop().catch(() => instance.kill());
  }
  for (const dir of workDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A directory inside a work directory, made by the postgres user (so PostgreSQL may write there). */
export async function postgresDir(parent: string, name: string): Promise<string> {
  const dir = path.join(parent, name);
  if (asRoot) await runAsPostgres('mkdir', ['-p', '-m', '700', dir]);
  else mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}
