/**
 * A throwaway PostgreSQL server for a test (backups, point-in-time recovery, failover): initdb, or
 * pg_basebackup -R from another instance for a streaming standby, or an existing directory (a
 * restored base backup), in a temp directory, started on a free port on 127.0.0.1 with trust auth;
 * stopped, killed (-9, the postmaster and its backends) or promoted at the test's command. initdb and
 * pg_ctl refuse to run as root, so as root every command runs as the `postgres` user.
 * `POSTGRES_BIN` is undefined when the binaries are not installed: the test then skips, loudly.
 * `cleanUpPostgresInstances()` in an `after` stops what is left and removes the directories.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { freePort } from './sluis-process.ts';

const run = promisify(execFile);

/** The newest installed PostgreSQL's bin directory (SLUIS_POSTGRES_BIN overrides), or undefined. */
export function postgresBinDir(): string | undefined {
  const given = process.env.SLUIS_POSTGRES_BIN;
  if (given) return existsSync(path.join(given, 'initdb')) ? given : undefined;
  const root = '/usr/lib/postgresql';
  if (!existsSync(root)) return undefined;
  const versions = readdirSync(root).filter((v) => existsSync(path.join(root, v, 'bin', 'initdb')));
  const newest = versions.sort((a, b) => Number(b) - Number(a))[0];
  return newest ? path.join(root, newest, 'bin') : undefined;
}

export const POSTGRES_BIN = postgresBinDir();

export const POSTGRES_BINARIES_MISSING =
  'PostgreSQL programs (/usr/lib/postgresql/*/bin/initdb) are NOT installed: this test of a second PostgreSQL instance is SKIPPED';

export type PostgresSettings = Record<string, string | number | boolean>;

export type PostgresInstance = {
  readonly port: number;
  readonly dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** One statement on a short-lived connection: its rows. */
  query<T = Record<string, unknown>>(text: string, database?: string): Promise<T[]>;
  /** One statement through psql: the first column of the first row as psql prints it ('t' for true). */
  value(text: string, database?: string): Promise<string>;
  start(): Promise<void>;
  /** pg_ctl stop: a fast shutdown, or an immediate one (no shutdown checkpoint). */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** kill -9 of the postmaster and every process it started: a crash. */
  kill(): void;
  /** pg_ctl promote: a standby becomes a primary (waits until it accepts writes). */
  promote(): Promise<void>;
  /** Stops (or kills) the server if it runs and removes its directory. */
  cleanup(): Promise<void>;
};

const asRoot = process.getuid?.() === 0;

/** Runs a PostgreSQL program (by name, from POSTGRES_BIN) or any command, as the postgres user. */
export async function runAsPostgres(command: string, args: string[]): Promise<string> {
  const program = command.includes('/') || !POSTGRES_BIN || !existsSync(path.join(POSTGRES_BIN, command)) ? command : path.join(POSTGRES_BIN, command);
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', program, ...args]] : [program, args];
  const { stdout } = await run(file, argv, { encoding: 'utf8', maxBuffer: 10 * 1024 * 1024 });
  return stdout;
}

let postgresIds: { uid: number; gid: number } | undefined;
function postgresUser(): { uid: number; gid: number } {
  postgresIds ??= (() => {
    const line = readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .find((entry) => entry.startsWith('postgres:'));
    if (!line) throw new Error('There is no postgres user to run PostgreSQL as');
    const [, , uid, gid] = line.split(':');
    return { uid: Number(uid), gid: Number(gid) };
  })();
  return postgresIds;
}

const workDirs: string[] = [];
const instances: PostgresInstance[] = [];

/** A temporary directory the postgres user owns (mode 0700): data directories, WAL archives, base backups. */
export function postgresWorkDir(prefix = 'sluis-pg-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  workDirs.push(dir);
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  return dir;
}

/** A directory inside a work directory, made by the postgres user (so PostgreSQL may write there). */
export async function postgresDir(parent: string, name: string): Promise<string> {
  const dir = path.join(parent, name);
  if (asRoot) await runAsPostgres('mkdir', ['-p', '-m', '700', dir]);
  else mkdirSync(dir, { recursive: true, mode: 0o700 });
  return dir;
}

const confLine = (key: string, value: string | number | boolean) => `${key} = '${String(value).replaceAll("'", "''")}'\n`;

/**
 * A new server: initdb; or with `standbyOf` a streaming standby of that (running) instance taken
 * with pg_basebackup -R; or with `dataDir` that directory as it is (a restored base backup).
 * `settings` go into its postgresql.conf, after what is there, so they win over copied ones.
 */
export async function startPostgresInstance(
  options: { settings?: PostgresSettings; standbyOf?: PostgresInstance; dataDir?: string } = {},
): Promise<PostgresInstance> {
  if (!POSTGRES_BIN) throw new Error(POSTGRES_BINARIES_MISSING);
  const home = postgresWorkDir();
  const dataDir = options.dataDir ?? path.join(home, 'data');
  const port = await freePort();
  if (options.standbyOf) {
    const from = ['-h', '127.0.0.1', '-p', String(options.standbyOf.port), '-U', 'postgres'];
    await runAsPostgres('pg_basebackup', [...from, '-D', dataDir, '-R', '-X', 'stream', '-c', 'fast', '--no-sync']);
  } else if (!options.dataDir) {
    await runAsPostgres('initdb', ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  }
  const settings: PostgresSettings = { listen_addresses: '127.0.0.1', unix_socket_directories: home, fsync: 'off', ...options.settings };
  appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    Object.entries(settings)
      .map(([key, value]) => confLine(key, value))
      .join(''),
  );

  const log = path.join(home, 'server.log');
  const postmasterPid = () => Number(readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[0]);
  let running = false;
  let shmemId: string | undefined;
  const instance: PostgresInstance = {
    port,
    dataDir,
    url: (database = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${database}`,
    async query<T>(text: string, database?: string) {
      const client = new pg.Client({ connectionString: instance.url(database), connectionTimeoutMillis: 5_000 });
      await client.connect();
      try {
        return (await client.query(text)).rows as T[];
      } finally {
        await client.end();
      }
    },
    async value(text: string, database = 'postgres') {
      const to = ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', database];
      return (await runAsPostgres('psql', ['-X', '-A', '-t', '-v', 'ON_ERROR_STOP=1', ...to, '-c', text])).trim();
    },
    async start() {
      // The port on the command line, not in postgresql.conf: a base backup of this instance copies that file.
      await runAsPostgres('pg_ctl', ['-D', dataDir, '-l', log, '-o', `-p ${port}`, '-w', '-t', '60', 'start']).catch((error: Error) => {
        throw new Error(`PostgreSQL did not start: ${error.message}\n${existsSync(log) ? readFileSync(log, 'utf8').slice(-2000) : ''}`);
      });
      running = true;
    },
    async stop(mode: 'fast' | 'immediate' = 'fast') {
      await runAsPostgres('pg_ctl', ['-D', dataDir, '-m', mode, '-w', 'stop']);
      running = false;
    },
    kill() {
      const pid = postmasterPid();
      // Line 7 of postmaster.pid: the key and id of the server's shared memory segment, which a crash leaves behind.
      shmemId = readFileSync(path.join(dataDir, 'postmaster.pid'), 'utf8').split('\n')[6]?.trim().split(/\s+/)[1];
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8').split(' ').filter(Boolean).map(Number);
      for (const each of [pid, ...children]) {
        try {
          process.kill(each, 'SIGKILL');
        } catch {
          // gone already
        }
      }
      running = false;
    },
    async promote() {
      await runAsPostgres('pg_ctl', ['-D', dataDir, '-w', '-t', '30', 'promote']);
    },
    async cleanup() {
      if (running) await instance.stop('immediate').catch(() => instance.kill());
      if (shmemId && /^\d+$/.test(shmemId)) await run('ipcrm', ['-m', shmemId]).catch(() => {});
      rmSync(home, { recursive: true, force: true });
    },
  };
  instances.push(instance);
  await instance.start();
  return instance;
}

/** For `after`: stops every instance still running and removes every work directory. */
export async function cleanUpPostgresInstances(): Promise<void> {
  for (const instance of instances.splice(0)) await instance.cleanup();
  for (const dir of workDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}
