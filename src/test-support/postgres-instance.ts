/**
 * A throwaway PostgreSQL server for a test: initdb (or pg_basebackup -R from another instance, for a
 * streaming standby) in a temp directory, started on a free port on 127.0.0.1 with trust auth, and
 * stopped, killed (-9, the postmaster and its backends) or promoted at the test's command. initdb
 * and pg_ctl refuse to run as root, so as root every command runs as the `postgres` user.
 * `postgresBinDir()` is undefined when the binaries are not installed: the test then skips, loudly.
 */
import { execFile } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';

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

export type PostgresSettings = Record<string, string | number | boolean>;

export type PostgresInstance = {
  readonly port: number;
  readonly dataDir: string;
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  url(database?: string): string;
  /** One statement on a short-lived connection. */
  query<T = Record<string, unknown>>(text: string, database?: string): Promise<T[]>;
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

async function asPostgres(bin: string, args: string[]): Promise<string> {
  const [file, argv] = asRoot ? ['runuser', ['-u', 'postgres', '--', bin, ...args]] : [bin, args];
  const { stdout } = await run(file, argv, { maxBuffer: 10 * 1024 * 1024 });
  return stdout;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A directory the postgres user owns (mode 0700, as PostgreSQL requires of a data directory). */
function ownedDirectory(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'sluis-pg-'));
  if (asRoot) {
    const { uid, gid } = postgresUser();
    chownSync(dir, uid, gid);
  }
  return dir;
}

function postgresUser(): { uid: number; gid: number } {
  const line = readFileSync('/etc/passwd', 'utf8')
    .split('\n')
    .find((l) => l.startsWith('postgres:'));
  if (!line) throw new Error('There is no postgres user to run PostgreSQL as');
  const [, , uid, gid] = line.split(':');
  return { uid: Number(uid), gid: Number(gid) };
}

const confLine = (key: string, value: string | number | boolean) => `${key} = '${String(value).replaceAll("'", "''")}'\n`;

/**
 * A new server: initdb, or with `standbyOf` a streaming standby of that (running) instance taken
 * with pg_basebackup -R. `settings` go into its postgresql.conf (after what a base backup copied).
 */
export async function startPostgresInstance(options: { settings?: PostgresSettings; standbyOf?: PostgresInstance } = {}): Promise<PostgresInstance> {
  const bin = postgresBinDir();
  if (!bin) throw new Error('PostgreSQL binaries are not installed');
  const tool = (name: string) => path.join(bin, name);
  const home = ownedDirectory();
  const dataDir = path.join(home, 'data');
  const port = await freePort();
  if (options.standbyOf) {
    await asPostgres(tool('pg_basebackup'), [
      '-h',
      '127.0.0.1',
      '-p',
      String(options.standbyOf.port),
      '-U',
      'postgres',
      '-D',
      dataDir,
      '-R',
      '-X',
      'stream',
      '-c',
      'fast',
      '--no-sync',
    ]);
  } else {
    await asPostgres(tool('initdb'), ['-D', dataDir, '-U', 'postgres', '--auth=trust', '--encoding=UTF8', '--locale=C.UTF-8', '--no-sync']);
  }
  const settings: PostgresSettings = { listen_addresses: '127.0.0.1', unix_socket_directories: home, fsync: 'off', ...options.settings };
  appendFileSync(
    path.join(dataDir, 'postgresql.conf'),
    Object.entries(settings)
      .map(([key, value]) => confLine(key, value))
      .join(''),
  );

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
    async start() {
      // The port on the command line, not in postgresql.conf: a base backup of this instance copies that file.
      await asPostgres(tool('pg_ctl'), ['-D', dataDir, '-l', path.join(home, 'server.log'), '-o', `-p ${port}`, '-w', '-t', '30', 'start']);
      running = true;
    },
    async stop(mode: 'fast' | 'immediate' = 'fast') {
      await asPostgres(tool('pg_ctl'), ['-D', dataDir, '-m', mode, '-w', 'stop']);
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
      await asPostgres(tool('pg_ctl'), ['-D', dataDir, '-w', '-t', '30', 'promote']);
    },
    async cleanup() {
      if (running) await instance.stop('immediate').catch(() => instance.kill());
      if (shmemId && /^\d+$/.test(shmemId)) await run('ipcrm', ['-m', shmemId]).catch(() => {});
      rmSync(home, { recursive: true, force: true });
    },
  };
  await instance.start();
  return instance;
}
