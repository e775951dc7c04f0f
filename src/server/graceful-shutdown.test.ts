/**
 * SIGTERM to `sluis start` (embedded database in a temporary directory): no new connections, the
 * request in flight (its body still arriving) and the mail in flight finish, everything is recorded
 * once, and the process exits 0. Past SLUIS_SHUTDOWN_TIMEOUT_SECONDS it exits 1 anyway, and the mail
 * it cut off stays pending, to be sent again after its lease (at least once, never lost).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import { adultSignal, createTestApp, randomBsn, TEST_KEYS, type TestOrganisation } from '../test-support/fixtures.ts';
import { startMailServer } from '../test-support/mail-server.ts';

const CLI = new URL('../cli.ts', import.meta.url).pathname;
const dataDir = mkdtempSync(path.join(tmpdir(), 'sluis-shutdown-'));
const orgs: TestOrganisation[] = [];

before(async () => {
  // The organisations, professionals and API clients, written before the server starts on the same directory.
  const database = await openDatabase({ dataDir });
  await migrate(database.db);
  const t = await createTestApp(database);
  for (let i = 0; i < 5; i++) orgs.push(await t.organisation());
  await t.close();
  await database.close();
});
after(() => rmSync(dataDir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

async function startSluis(smtpUrl: string, shutdownTimeoutSeconds: number) {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    env: {
      ...process.env,
      DATABASE_URL: '',
      SLUIS_DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      SMTP_URL: smtpUrl,
      SLUIS_LOG_LEVEL: 'info',
      SLUIS_JOBS_ENABLED: 'false',
      SLUIS_SHUTDOWN_TIMEOUT_SECONDS: String(shutdownTimeoutSeconds),
      SLUIS_PSEUDONYM_KEY: TEST_KEYS.pseudonymKey.toString('base64'),
      SLUIS_BSN_ENCRYPTION_KEY: TEST_KEYS.encryptionKey.toString('base64'),
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const waiters = new Set<() => void>();
  const collect = (chunk: Buffer) => {
    output += chunk.toString('utf8');
    for (const waiter of waiters) waiter();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  /** Resolves once the output holds `count` matches of `pattern`. */
  const outputShows = (pattern: RegExp, count = 1) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if ((output.match(new RegExp(pattern, 'g')) ?? []).length >= count) {
          waiters.delete(check);
          resolve();
        }
      };
      waiters.add(check);
      check();
      exited.then(() => reject(new Error(`sluis exited before ${pattern}:\n${output}`)));
    });
  await outputShows(/SluiS listens on/);
  const file = async (org: TestOrganisation, bsn: string) => {
    const response = await fetch(`http://127.0.0.1:${port}/api/v1/signals`, {
      method: 'POST',
      headers: { ...org.headers, 'content-type': 'application/json', connection: 'close' },
      body: JSON.stringify(adultSignal(bsn, amsterdamDate(new Date()))),
    });
    assert.equal(response.status, 201, await response.text());
  };
  return { child, port, exited, outputShows, file, output: () => output };
}

/** Exits within a bound, with the code it gave. */
async function exitOf(sluis: { exited: Promise<number | null>; output(): string }, seconds: number) {
  let timer: NodeJS.Timeout | undefined;
  const code = await Promise.race([
    sluis.exited,
    new Promise<'still running'>((resolve) => {
      timer = setTimeout(() => resolve('still running'), seconds * 1000);
    }),
  ]);
  clearTimeout(timer);
  assert.notEqual(code, 'still running', sluis.output());
  return code;
}

/** A request whose body is still arriving: resolves the status once it is sent whole with `finish()`. */
function slowFiling(port: number, org: TestOrganisation) {
  const body = Buffer.from(JSON.stringify(adultSignal(randomBsn(), amsterdamDate(new Date()))));
  const req = httpRequest({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/api/v1/signals',
    agent: false,
    headers: { ...org.headers, 'content-type': 'application/json', 'content-length': body.length },
  });
  const status = new Promise<number | string>((resolve) => {
    req.on('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    req.on('error', (error) => resolve(error.message));
  });
  req.write(body.subarray(0, 20));
  return { status, finish: () => req.end(body.subarray(20)) };
}

const connectionRefused = (port: number) =>
  new Promise<boolean>((resolve) => {
    const req = httpRequest({ host: '127.0.0.1', port, path: '/health', agent: false }, (response) => {
      response.resume();
      resolve(false);
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve(error.code === 'ECONNREFUSED'));
    req.end();
  });

async function readDeliveries() {
  const database = await openDatabase({ dataDir });
  try {
    const deliveries = await sql<{ status: string; attempts: number; tries: number; message_id: string }>`
      select d.status, d.attempts, (select count(*)::int from delivery_attempts a where a.delivery_id = d.id) as tries,
             d.message->>'messageId' as message_id
        from deliveries d order by d.id`.execute(database.db);
    const signals = await sql<{ n: number }>`select count(*)::int as n from signals`.execute(database.db);
    return { deliveries: deliveries.rows, signals: signals.rows[0]!.n };
  } finally {
    await database.close();
  }
}

test('SIGTERM: the request and the mail in flight finish, each recorded once, and sluis start exits 0', async () => {
  const smtp = await startMailServer({ hold: true });
  const sluis = await startSluis(smtp.url, 60);
  try {
    const bsn = randomBsn();
    await sluis.file(orgs[0]!, bsn);
    await sluis.file(orgs[1]!, bsn);
    await smtp.waitForArrived(2, 30_000); // the match's two mails, held by the mail server

    const slow = slowFiling(sluis.port, orgs[2]!);
    await sluis.outputShows(/"route":"\/api\/v1\/signals"[^\n]*"msg":"incoming request"/, 3);
    sluis.child.kill('SIGTERM');
    await sluis.outputShows(/shutting down/);
    // The listener closes a moment after the signal: wait for it, with a bound.
    let refused = false;
    for (let attempt = 0; attempt < 100 && !refused; attempt++) {
      refused = await connectionRefused(sluis.port);
      if (!refused) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    assert.equal(refused, true, 'no new connections');

    slow.finish();
    assert.equal(await slow.status, 201, `the request in flight finished:\n${sluis.output()}`);
    smtp.release();
    assert.equal(await exitOf(sluis, 30), 0);

    const after = await readDeliveries();
    assert.equal(after.signals, 3);
    assert.deepEqual(
      after.deliveries.map((d) => [d.status, d.attempts, d.tries]),
      [
        ['delivered', 1, 1],
        ['delivered', 1, 1],
      ],
    );
    assert.deepEqual(smtp.received.map((m) => m.messageId).sort(), after.deliveries.map((d) => d.message_id).sort(), 'each mail sent once');
  } finally {
    sluis.child.kill('SIGKILL');
    await smtp.close();
  }
});

test('past SLUIS_SHUTDOWN_TIMEOUT_SECONDS it exits 1 anyway; the mail it cut off stays pending', async () => {
  const smtp = await startMailServer({ hold: true });
  const sluis = await startSluis(smtp.url, 1);
  try {
    const bsn = randomBsn();
    await sluis.file(orgs[3]!, bsn);
    await sluis.file(orgs[4]!, bsn);
    await smtp.waitForArrived(2, 30_000);
    sluis.child.kill('SIGTERM');
    assert.equal(await exitOf(sluis, 30), 1);
    assert.match(sluis.output(), /shutdown took too long/);
    const pending = (await readDeliveries()).deliveries.filter((d) => d.status === 'pending');
    assert.equal(pending.length, 2, 'claimed, not recorded: sent again once the lease runs out');
  } finally {
    sluis.child.kill('SIGKILL');
    smtp.release();
    await smtp.close();
  }
});
