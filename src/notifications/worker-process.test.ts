/**
 * A `sluis worker` process killed with SIGKILL in the middle of a batch loses nothing: its leases
 * run out and another worker delivers the rest. PostgreSQL only, since two processes cannot share an
 * embedded database (the in-process lease test in notifications.test.ts covers PGlite).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createTestDatabase, isPostgresReachable, POSTGRES_MISSING } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, TEST_KEYS } from '../test-support/fixtures.ts';
import { startMailServer } from '../test-support/mail-server.ts';
import { createSmtpTransport } from './mail-transport.ts';

const CLI = new URL('../cli.ts', import.meta.url).pathname;

test('a worker killed mid-batch loses nothing; a new worker finishes [postgres]', async (t) => {
  if (!(await isPostgresReachable())) return t.skip(POSTGRES_MISSING);
  const database = await createTestDatabase('postgres');
  const smtp = await startMailServer({ delayMs: 250 });
  const app = await createTestApp(database, { mail: createSmtpTransport({ url: smtp.url, from: 'SluiS <sluis@gemeente.test>', rejectUnauthorized: false }) });
  try {
    app.clock.set(new Date());
    const orgs = [];
    for (let i = 0; i < 6; i++) orgs.push(await app.organisation());
    const bsn = randomBsn();
    for (const org of orgs) {
      const response = await app.app.inject({
        method: 'POST',
        url: '/api/v1/signals',
        headers: org.headers,
        payload: adultSignal(bsn, new Date().toISOString().slice(0, 10)),
      });
      assert.equal(response.statusCode, 201);
    }
    await app.services.dispatcher.dispatchBatch();
    const total = (await sql<{ n: number }>`select count(*)::int as n from deliveries`.execute(database.db)).rows[0]!.n;
    assert.equal(total, 20, '2 for the match, then 3 + 4 + 5 + 6 as each joins');

    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'worker'], {
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        SMTP_URL: smtp.url,
        SLUIS_JOBS_ENABLED: 'false',
        SLUIS_WORKER_POLL_MS: '100',
        SLUIS_PSEUDONYM_KEY: TEST_KEYS.pseudonymKey.toString('base64'),
        SLUIS_BSN_ENCRYPTION_KEY: TEST_KEYS.encryptionKey.toString('base64'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    await smtp.waitFor(3, 30_000).catch((error) => {
      throw new Error(`${error.message}\n${output}`);
    });
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;

    const leased = (await sql<{ n: number }>`select count(*)::int as n from deliveries where status = 'pending' and lease_until > now()`.execute(database.db))
      .rows[0]!.n;
    const delivered = (await sql<{ n: number }>`select count(*)::int as n from deliveries where status = 'delivered'`.execute(database.db)).rows[0]!.n;
    assert.ok(delivered < total, `killed in the middle: ${delivered} of ${total} delivered`);
    assert.ok(leased > 0, 'the killed worker left deliveries in flight');

    // A new worker, once the dead worker's leases have run out.
    app.clock.set(new Date(Date.now() + 61_000));
    for (let round = 0; round < 10 && (await app.services.deliveryWorker.runOnce()).delivered > 0; round++);
    const state = await sql<{ status: string; n: number }>`select status, count(*)::int as n from deliveries group by status`.execute(database.db);
    assert.deepEqual(state.rows, [{ status: 'delivered', n: total }]);
    await smtp.waitFor(total);
    const distinct = new Set(smtp.received.map((m) => m.messageId));
    const expected = await sql<{ id: string }>`select message->>'messageId' as id from deliveries`.execute(database.db);
    assert.deepEqual(
      [...distinct].sort(),
      expected.rows.map((r) => r.id).sort(),
      'every mail arrived; a duplicate is possible only for one that was in flight',
    );
    assert.ok(smtp.received.length - total <= leased, `at most the in-flight ones twice (${smtp.received.length - total} duplicates)`);
  } finally {
    await app.close();
    await smtp.close();
    await database.drop();
  }
});
