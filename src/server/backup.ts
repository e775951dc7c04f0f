/**
 * Backups of the embedded database (docs/operations.md, "Backup and restore").
 *
 * Only one process may open the data directory, so `sluis backup` cannot read the database while
 * SluiS runs. The process that holds it therefore answers backups on a local control socket,
 * `<data directory>/control.sock`, and writes the dump itself. Why a socket and not an API endpoint:
 * the dump is every person's data at once. An endpoint would let anyone with one administrator's
 * token take the whole index over the network, and cron would need a token to keep; the socket is
 * reachable only by the operating-system users who may already read the data directory (mode 0600),
 * needs no credential, and the same `sluis backup <file>` works whether SluiS runs or not (when no
 * process holds the directory, the command opens it itself). Either way the backup is recorded in
 * the audit trail (`database.backed_up`, actor: system).
 */
import { once } from 'node:events';
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { chmod, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, request } from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { sql } from 'kysely';
import { createAuditLog } from '../audit/audit-log.ts';
import type { Database } from '../db/database.ts';
import type { Clock } from '../shared/clock.ts';

export const controlSocketPath = (dataDir: string) => path.join(dataDir, 'control.sock');

/** Longer socket paths do not fit a Unix socket address (108 bytes on Linux, 104 on macOS). */
const MAX_SOCKET_PATH = 100;

/**
 * The embedded database as a gzipped tarball, recorded in the audit trail. A database whose schema
 * does not know the event yet (backed up before `sluis start` migrated it) is copied unrecorded:
 * a backup must not change what it copies.
 */
export async function backUpEmbeddedDatabase(database: Database, clock: Clock): Promise<{ tarball: Uint8Array; recorded: boolean }> {
  if (!database.dumpDataDir) throw new Error('Only the embedded database is backed up by SluiS; back up PostgreSQL with its own tools');
  const tarball = await database.dumpDataDir();
  const known = await sql<{ known: boolean }>`select exists (
      select from information_schema.tables where table_schema = 'public' and table_name = 'audit_event_types') as known`.execute(database.db);
  const recorded =
    known.rows[0]!.known &&
    (await database.db.selectFrom('audit_event_types').select('event_type').where('event_type', '=', 'database.backed_up').executeTakeFirst()) !== undefined;
  if (recorded) await createAuditLog().record(database.db, clock.now(), { type: 'database.backed_up', actor: { kind: 'system', requestId: null } });
  return { tarball, recorded };
}

export type ControlSocket = { close(): Promise<void> };

/**
 * Answers `POST /backup` on the data directory's control socket with a backup (the holder of the
 * directory's lock calls this, so a leftover socket of a process that died may be replaced).
 * Undefined when the path is too long for a socket: `sluis backup` then asks to stop SluiS first.
 */
export async function serveControlSocket(dataDir: string, database: Database, clock: Clock): Promise<ControlSocket | undefined> {
  const socket = controlSocketPath(dataDir);
  if (Buffer.byteLength(socket) > MAX_SOCKET_PATH) return undefined;
  await rm(socket, { force: true });
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || req.url !== '/backup') {
      res.writeHead(404).end();
      return;
    }
    backUpEmbeddedDatabase(database, clock).then(
      ({ tarball }) => res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': tarball.byteLength }).end(tarball),
      // Database errors carry no data (db/errors.ts); the message is for the operator at the command.
      (error: unknown) => res.writeHead(500, { 'content-type': 'text/plain' }).end(error instanceof Error ? error.message : String(error)),
    );
  });
  server.listen(socket);
  await once(server, 'listening');
  await chmod(socket, 0o600);
  return {
    close: async () => {
      server.close();
      await rm(socket, { force: true });
    },
  };
}

/** `sluis backup` while another process holds the data directory: asks it for the backup and writes it to `file` (mode 0600). */
export async function requestBackup(dataDir: string, file: string): Promise<number> {
  const socket = controlSocketPath(dataDir);
  if (!existsSync(socket)) {
    throw new Error(
      `The running SluiS does not answer backups on ${socket} (an older version, or a data directory path too long for a socket): stop it and run sluis backup again.`,
    );
  }
  const partial = `${file}.partial`;
  const req = request({ socketPath: socket, method: 'POST', path: '/backup' });
  req.end();
  const [res] = (await once(req, 'response')) as [IncomingMessage];
  if (res.statusCode !== 200) {
    let message = '';
    for await (const chunk of res) message += chunk;
    throw new Error(`The running SluiS could not make the backup: ${message}`);
  }
  try {
    const out = createWriteStream(partial, { mode: 0o600 });
    await pipeline(res, out);
    const expected = Number(res.headers['content-length']);
    if (out.bytesWritten !== expected) throw new Error(`The backup was cut off (${out.bytesWritten} of ${expected} bytes)`);
    renameSync(partial, file);
    return expected;
  } catch (error) {
    rmSync(partial, { force: true });
    throw error;
  }
}
