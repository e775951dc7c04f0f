/**
 * A database that does not answer in time (a lock held during a failover, an overloaded server): the
 * statement timeout ends the wait, and the request is answered 503 with Retry-After, as a problem on
 * the API and a Dutch page on the web, rather than hanging; once the database answers again, so does
 * SluiS. PostgreSQL only (statement_timeout). Connections lost in a failover: failover.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import { createTestDatabase, isPostgresReachable, POSTGRES_MISSING } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';
import { signInByInject, webProfessional } from '../test-support/web.ts';
import { type Database, openDatabase } from './database.ts';

const reachable = await isPostgresReachable();
if (!reachable) console.warn(`\n!!! ${POSTGRES_MISSING} (database unavailable)\n`);

describe('a database that does not answer in time [postgres]', { skip: reachable ? false : POSTGRES_MISSING }, () => {
  let created: Awaited<ReturnType<typeof createTestDatabase>>;
  let database: Database;
  let t: TestApp;

  before(async () => {
    created = await createTestDatabase('postgres', { poolSize: 1 });
    database = await openDatabase({ databaseUrl: created.url, poolSize: 4, statementTimeoutMs: 1_000 });
    t = await createTestApp(database);
  });
  after(async () => {
    await t.close();
    await database.close();
    await created.drop();
  });

  /** Runs `work` while another session holds an exclusive lock on the signals table. */
  async function whileLocked<T>(work: () => Promise<T>): Promise<T> {
    const other = new pg.Client({ connectionString: created.url });
    await other.connect();
    try {
      await other.query('begin');
      await other.query('lock table signals in access exclusive mode');
      return await work();
    } finally {
      await other.query('rollback');
      await other.end();
    }
  }

  test('a filing that waits too long is answered 503 service_unavailable with Retry-After; filing again works', async () => {
    const a = await t.organisation();
    const bsn = randomBsn();
    const failed = await whileLocked(() => t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(bsn) }));
    assert.equal(failed.statusCode, 503, failed.body);
    assert.equal(failed.headers['content-type'], 'application/problem+json; charset=utf-8');
    assert.equal(failed.json().code, 'service_unavailable');
    assert.match(String(failed.headers['retry-after']), /^\d+$/);
    const retried = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(bsn) });
    assert.equal(retried.statusCode, 201, retried.body);
  });

  test('a page that waits too long is answered 503 "SluiS is even niet bereikbaar" with Retry-After, then works again', async () => {
    const web = await signInByInject(t, await webProfessional(t, await t.organisation()));
    const failed = await whileLocked(() => web.get('/signalen'));
    assert.equal(failed.statusCode, 503);
    assert.match(failed.body, /SluiS is even niet bereikbaar/);
    assert.match(String(failed.headers['retry-after']), /^\d+$/);
    assert.equal((await web.get('/signalen')).statusCode, 200);
  });
});
