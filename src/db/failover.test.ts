/**
 * Failover on PostgreSQL (docs/operations.md, "Failover"): a primary with a synchronous standby, SluiS
 * on the multi-host connection string, filings over HTTP while the primary is killed (-9) and the
 * standby promoted. Afterwards every acknowledged filing and its notifications are on the new primary,
 * every request that failed got a 503 problem with Retry-After (nothing else, no hang), a filing
 * retried after a 503 is answered with its one signal, and SluiS serves again: the interruption, from
 * the kill to the first filing that succeeded, is printed (not asserted).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { type PostgresInstance, postgresBinDir, startPostgresInstance } from '../test-support/postgres-instance.ts';
import { type Database, openDatabase } from './database.ts';
import { migrate } from './migrate.ts';

const MISSING = 'PostgreSQL binaries (initdb, pg_ctl, pg_basebackup) are NOT installed: the failover test is SKIPPED';
const WORKERS = 4;
const FILINGS_BEFORE_THE_CRASH = 40;
const FILINGS_AFTER_THE_CRASH = 40;

type Attempt = {
  organisation: TestOrganisation;
  bsn: string;
  startedAt: number;
  endedAt: number;
  status: number;
  retryAfter: string | null;
  contentType: string | null;
  body: { created?: boolean; code?: string; signal?: { id: string }; match?: { id: string; participants: unknown[] } | null } | undefined;
};

const binaries = postgresBinDir();
if (!binaries) console.warn(`\n!!! ${MISSING}\n`);

describe('failover: killing the primary and promoting the synchronous standby', { skip: binaries ? false : MISSING, timeout: 120_000 }, () => {
  let primary: PostgresInstance | undefined;
  let standby: PostgresInstance | undefined;
  let database: Database | undefined;
  let t: TestApp;
  let base: string;

  before(async () => {
    primary = await startPostgresInstance({ settings: { wal_level: 'replica', max_wal_senders: 4, synchronous_commit: 'on' } });
    await primary.query('create database sluis');
    standby = await startPostgresInstance({ standbyOf: primary });
    // Synchronous once the standby runs (before, every commit would wait for it): a commit is acknowledged when both hold it.
    await primary.query("alter system set synchronous_standby_names = '*'");
    await primary.query('select pg_reload_conf()');
    for (let tries = 0; ; tries++) {
      const rows = await primary.query<{ sync_state: string }>('select sync_state from pg_stat_replication');
      if (rows.some((row) => row.sync_state === 'sync')) break;
      if (tries > 100) throw new Error('The standby did not become synchronous');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    const url = `postgres://postgres@127.0.0.1:${primary.port},127.0.0.1:${standby.port}/sluis?target_session_attrs=read-write`;
    database = await openDatabase({ databaseUrl: url, poolSize: 8, connectTimeoutMs: 2_000 });
    await migrate(database.db);
    t = await createTestApp(database);
    base = await t.app.listen({ host: '127.0.0.1', port: 0 });
  });

  after(async () => {
    await t?.close();
    await database?.close();
    await standby?.cleanup();
    await primary?.cleanup();
  });

  async function file(organisation: TestOrganisation, bsn: string): Promise<Attempt> {
    const startedAt = performance.now();
    try {
      const response = await fetch(`${base}/api/v1/signals`, {
        method: 'POST',
        headers: { ...organisation.headers, 'content-type': 'application/json' },
        body: JSON.stringify(adultSignal(bsn)),
        signal: AbortSignal.timeout(20_000),
      });
      const body = (await response.json()) as Attempt['body'];
      return {
        organisation,
        bsn,
        startedAt,
        endedAt: performance.now(),
        status: response.status,
        retryAfter: response.headers.get('retry-after'),
        contentType: response.headers.get('content-type'),
        body,
      };
    } catch {
      // No answer: a hang or a dropped connection.
      return { organisation, bsn, startedAt, endedAt: performance.now(), status: 0, retryAfter: null, contentType: null, body: undefined };
    }
  }

  test('every acknowledged filing survives, every failure is a 503 with Retry-After, and filing resumes', async () => {
    const a = await t.organisation();
    const b = await t.organisation();
    const attempts: Attempt[] = [];
    let killedAt: number | undefined;
    let stop = false;
    const succeeded = (after: number) => attempts.filter((x) => (x.status === 200 || x.status === 201) && x.startedAt >= after).length;

    // Each worker files a fresh person by A and then by B: the second filing makes a match and its notifications.
    const worker = async () => {
      while (!stop) {
        const bsn = randomBsn();
        attempts.push(await file(a, bsn));
        attempts.push(await file(b, bsn));
        if (killedAt !== undefined && succeeded(killedAt) >= FILINGS_AFTER_THE_CRASH) stop = true;
      }
    };
    const workers = Array.from({ length: WORKERS }, worker);

    while (succeeded(0) < FILINGS_BEFORE_THE_CRASH) await new Promise((resolve) => setTimeout(resolve, 20));
    killedAt = performance.now();
    primary!.kill();
    await standby!.promote();
    // The runbook's step after promoting: alone, the new primary must not wait for a synchronous standby.
    await standby!.query("alter system set synchronous_standby_names = ''");
    await standby!.query('select pg_reload_conf()');
    await Promise.all(workers);

    const firstSuccess = attempts.filter((x) => (x.status === 200 || x.status === 201) && x.startedAt >= killedAt!).sort((x, y) => x.endedAt - y.endedAt)[0];
    const failed = attempts.filter((x) => x.status !== 200 && x.status !== 201);
    console.log(
      `failover: ${attempts.length} filings, ${failed.length} answered 503; interruption from kill -9 to the first successful filing: ${
        firstSuccess ? Math.round(firstSuccess.endedAt - killedAt) : '?'
      } ms (the promotion included)`,
    );

    for (const x of failed) {
      assert.equal(x.status, 503, `a failed filing got ${x.status === 0 ? 'no answer' : x.status}, not 503`);
      assert.equal(x.contentType, 'application/problem+json; charset=utf-8');
      assert.equal(x.body?.code, 'service_unavailable');
      assert.match(x.retryAfter ?? '', /^\d+$/);
      assert.ok(x.startedAt >= killedAt - 20_000, 'only requests around the crash fail');
    }
    assert.equal(attempts.filter((x) => x.startedAt < killedAt! - 1_000 && x.status === 503).length, 0, 'nothing failed well before the crash');

    // Filing again after a 503 is safe: the filing that did commit is answered (200), one that did not is made (201).
    const retried: Attempt[] = [];
    for (const x of failed) retried.push(await file(x.organisation, x.bsn));
    for (const x of retried) assert.ok(x.status === 200 || x.status === 201, `a retried filing got ${x.status}`);
    const alreadyThere = retried.filter((x) => x.status === 200).length;
    console.log(`failover: of the ${failed.length} filings retried after a 503, ${alreadyThere} had been committed (answered 200 with their signal)`);

    // What was acknowledged is on the new primary: each signal once, and each new match's notifications.
    const acknowledged = [...attempts, ...retried].filter((x) => x.status === 200 || x.status === 201);
    const ids = acknowledged.map((x) => x.body!.signal!.id);
    const list = ids.map((id) => `'${id}'`).join(',');
    const stored = await standby!.query<{ id: string }>(`select id from signals where id in (${list})`, 'sluis');
    assert.equal(stored.length, new Set(ids).size, 'every acknowledged signal is on the new primary');
    for (const x of acknowledged) {
      const match = x.body!.match;
      if (x.status !== 201 || !match) continue;
      const rows = await standby!.query<{ n: string }>(
        `select count(*) as n from outbox where payload->>'newSignalId' = '${x.body!.signal!.id}' and payload->>'matchId' = '${match.id}'`,
        'sluis',
      );
      assert.equal(Number(rows[0]!.n), match.participants.length, 'a new match notifies each participant');
    }
    // One active signal per professional per person, however often it was filed.
    const duplicates = await standby!.query(
      `select person_key, professional_id from signals where status = 'active' group by 1, 2 having count(*) > 1`,
      'sluis',
    );
    assert.deepEqual(duplicates, []);
    assert.ok(succeeded(killedAt) >= FILINGS_AFTER_THE_CRASH);
  });
});
