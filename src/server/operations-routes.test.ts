/**
 * /health, /ready and /metrics: readiness follows the database and its migrations; /metrics exists
 * only with a token and answers only the caller that sends it; what it shows counts filings, matches
 * and refusals, and names no person, signal, match or organisation, with a bounded set of labels.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { openDatabase } from '../db/database.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';
import { buildApp } from './app.ts';
import { createMetrics } from './metrics.ts';

const TOKEN = 'metrics-token-0123456789abcdef0123456789';
const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

describeOnEachDatabase('health, readiness and metrics', (database) => {
  let t: TestApp;
  let watched: Awaited<ReturnType<typeof buildApp>>;
  before(async () => {
    t = await createTestApp(database());
    const metrics = createMetrics({ db: database().db, clock: t.clock, poolUse: database().poolUse });
    watched = await buildApp({ services: t.services, metrics, metricsToken: TOKEN });
  });
  after(async () => {
    await watched.close();
    await t.close();
  });

  const scrape = (authorization?: string) => watched.inject({ method: 'GET', url: '/metrics', headers: authorization ? { authorization } : {} });

  test('/health answers without the database; /ready only with every migration applied', async () => {
    assert.deepEqual((await t.app.inject({ method: 'GET', url: '/health' })).json(), { status: 'ok' });
    const ready = await t.app.inject({ method: 'GET', url: '/ready' });
    assert.equal(ready.statusCode, 200);
    assert.deepEqual(ready.json(), { status: 'ready' });

    const { db } = database();
    const last = await db
      .selectFrom('schema_migrations' as never)
      .selectAll()
      .orderBy('version' as never, 'desc')
      .executeTakeFirstOrThrow();
    await db
      .deleteFrom('schema_migrations' as never)
      .where('version' as never, '=', (last as { version: number }).version as never)
      .execute();
    try {
      const missing = await t.app.inject({ method: 'GET', url: '/ready' });
      assert.equal(missing.statusCode, 503);
      assert.equal(missing.headers['content-type'], 'application/problem+json; charset=utf-8');
      assert.equal(missing.headers['retry-after'], '5');
      assert.equal((missing.json() as { code: string }).code, 'not_ready');
    } finally {
      await db
        .insertInto('schema_migrations' as never)
        .values(last as never)
        .execute();
    }
    assert.equal((await t.app.inject({ method: 'GET', url: '/ready' })).statusCode, 200);
  });

  test('without SLUIS_METRICS_TOKEN there is no /metrics; with it, only the bearer of the token reads it', async () => {
    assert.equal((await t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode, 404);
    for (const refused of [undefined, `Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(1)}`, TOKEN, t.adminHeaders.authorization]) {
      const response = await scrape(refused);
      assert.equal(response.statusCode, 401, String(refused));
      assert.doesNotMatch(response.body, /sluis_|nodejs_/);
    }
    const allowed = await scrape(`Bearer ${TOKEN}`);
    assert.equal(allowed.statusCode, 200);
    assert.match(String(allowed.headers['content-type']), /^text\/plain; version=0\.0\.4/);
  });

  test('filings, matches and refusals are counted; no BSN, name or id appears, and the labels are few', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsns = [randomBsn(), randomBsn()];
    const names = ['Metrica', 'Zichtbaar'];
    const filings: string[] = [];
    for (const [i, headers] of [a.headers, b.headers, a.headers].entries()) {
      const body = adultSignal(bsns[i === 2 ? 1 : 0]);
      body.person.name = { givenNames: names[i % 2]!, familyName: `Persoon${names[i % 2]}` };
      const filed = await watched.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: body });
      assert.equal(filed.statusCode, 201, filed.body);
      const answer = filed.json() as { signal: { id: string }; match: { id: string } | null };
      filings.push(answer.signal.id, ...(answer.match ? [answer.match.id] : []));
    }
    const refused = await watched.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal('123456789') });
    assert.equal(refused.statusCode, 422);
    assert.equal((await watched.inject({ method: 'GET', url: `/api/v1/matches/${filings[0]}`, headers: { authorization: 'Bearer nope' } })).statusCode, 401);

    const text = (await scrape(`Bearer ${TOKEN}`)).body;
    const value = (series: string) => Number(new RegExp(`^${series.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.equal(value('sluis_signals_filed_total'), 3);
    assert.equal(value('sluis_matches_made_total{kind="person"}'), 1);
    assert.equal(value('sluis_matches_made_total{kind="family"}'), 0);
    assert.equal(value('sluis_api_problems_total{code="invalid_input",status="422"}'), 1);
    assert.equal(value('sluis_api_problems_total{code="unauthenticated",status="401"}') >= 1, true);
    assert.ok(value('sluis_deliveries{state="pending"}') >= 0);
    assert.equal(value('sluis_deliveries{state="dead"}'), 0);
    assert.ok(value('sluis_outbox_pending') >= 1, 'the match is still to be dispatched');
    assert.ok(value('sluis_db_pool_connections{state="max"}') >= 1);
    assert.equal(value('sluis_db_pool_waiting'), 0);
    assert.ok(value('nodejs_eventloop_lag_seconds') >= 0);
    assert.ok(value('process_resident_memory_bytes') > 0);

    for (const secret of [...bsns, ...names, 'Boer', 'Coolsingel', ...filings, a.id, b.id, a.professionalId, b.professionalId]) {
      assert.ok(!text.includes(secret), `${secret} is not in /metrics`);
    }
    assert.doesNotMatch(text, UUID);
    // Every label value is a word of a closed set, and no SluiS metric has more than a handful of series.
    const series = text.split('\n').filter((line) => line && !line.startsWith('#'));
    const perMetric = new Map<string, number>();
    for (const line of series) {
      const name = /^[a-z_:]+/i.exec(line)![0];
      perMetric.set(name, (perMetric.get(name) ?? 0) + 1);
      for (const [, label] of line.matchAll(/="([^"]*)"/g)) assert.match(label!, /^[A-Za-z0-9_.+-]{0,40}$/, line);
    }
    for (const [name, count] of perMetric) if (name.startsWith('sluis_')) assert.ok(count <= 30, `${name}: ${count} series`);
  });

  test('/ready refuses a database it cannot read its migrations from', async () => {
    const empty = await openDatabase({});
    const app = await buildApp({ services: { ...t.services, db: empty.db } });
    try {
      assert.equal((await app.inject({ method: 'GET', url: '/ready' })).statusCode, 503);
    } finally {
      await app.close();
      await empty.close();
    }
  });
});
