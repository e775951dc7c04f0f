/**
 * Bad input of any kind gets a 4xx problem and changes nothing; a 500 is a bug. fast-check sends
 * arbitrary JSON and mutated filings. (The rate limits are tested in api-clients/rate-limits.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';

describeOnEachDatabase('bad input', (database) => {
  let t: TestApp;
  let org: TestOrganisation;
  before(async () => {
    t = await createTestApp(database());
    org = await t.organisation();
  });
  after(() => t.close());

  const state = async () =>
    (
      await sql<{ signals: number; persons: number; outbox: number }>`select (select count(*)::int from signals) as signals,
      (select count(*)::int from persons) as persons, (select count(*)::int from outbox) as outbox`.execute(database().db)
    ).rows[0];

  /** A valid filing with one field replaced by an arbitrary JSON value, or removed. */
  const mutatedFiling = fc
    .tuple(
      fc.constantFrom(
        'person',
        'person.bsn',
        'person.name',
        'person.name.familyName',
        'person.dateOfBirth',
        'person.gender',
        'person.address',
        'person.address.postcode',
        'legalBasis',
        'legalBasis.basis',
        'legalBasis.givenOn',
        'clientReference',
        'extra',
      ),
      fc.option(fc.jsonValue(), { nil: undefined }),
    )
    .map(([path, value]) => {
      const body = structuredClone(adultSignal('100023757')) as unknown as Record<string, unknown>;
      const keys = path.split('.');
      let target = body;
      for (const key of keys.slice(0, -1)) target = target[key] as Record<string, unknown>;
      if (value === undefined) delete target[keys.at(-1)!];
      else target[keys.at(-1)!] = value;
      return body;
    });

  test('arbitrary bodies never cause a 5xx, and those refused change nothing', async () => {
    const before = await state();
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), mutatedFiling), async (body) => {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/signals',
          headers: { ...org.headers, 'content-type': 'application/json' },
          payload: JSON.stringify(body),
        });
        assert.ok(response.statusCode < 500, `${response.statusCode} for ${JSON.stringify(body)}: ${response.body}`);
        if (response.statusCode >= 400) {
          assert.match(String(response.headers['content-type']), /application\/problem\+json/);
          assert.ok(!response.body.includes('100023757'));
        } else {
          accepted++;
        }
      }),
      { numRuns: 150 },
    );
    const afterwards = await state();
    // Only mutations that leave a valid filing (an optional field removed, say) may add the one signal on this BSN.
    assert.equal(afterwards!.signals - before!.signals, accepted > 0 ? 1 : 0);
  });

  test('arbitrary query strings and ids on reads never cause a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string(), fc.string(), async (id, query) => {
        const url = `/api/v1/signals/${encodeURIComponent(id)}?${encodeURIComponent(query)}=${encodeURIComponent(id)}`;
        const response = await t.app.inject({ method: 'GET', url, headers: org.headers });
        assert.ok([400, 404].includes(response.statusCode), `${response.statusCode} for ${url}`);
        const list = await t.app.inject({
          method: 'GET',
          url: `/api/v1/signals?limit=${encodeURIComponent(query)}&cursor=${encodeURIComponent(id)}`,
          headers: org.headers,
        });
        assert.ok(list.statusCode === 200 || list.statusCode === 400, `${list.statusCode} for list ${query} ${id}: ${list.body}`);
      }),
      { numRuns: 100 },
    );
  });
});

describeOnEachDatabase('dates the database cannot hold', (database) => {
  let t: TestApp;
  let org: TestOrganisation;
  before(async () => {
    t = await createTestApp(database());
    org = await t.organisation();
  });
  after(() => t.close());

  test('a date or moment in the year 0000 or after 9999 is refused as bad input, not a 500, and nothing is written', async () => {
    const signals = async () => (await sql<{ n: number }>`select count(*)::int as n from signals`.execute(database().db)).rows[0]!.n;
    const before = await signals();
    for (const givenOn of ['0000-01-01', '0000-02-29', '10000-01-01']) {
      const body = adultSignal('100023757') as unknown as { legalBasis: Record<string, unknown> };
      body.legalBasis.givenOn = givenOn;
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: body });
      assert.ok([400, 422].includes(response.statusCode), `${response.statusCode} for ${givenOn}: ${response.body}`);
    }
    for (const from of ['0000-01-01T00:00:00Z', '0000-12-31T23:59:59+01:00', '2026-02-30T10:00:00Z']) {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/audit-events?from=${encodeURIComponent(from)}`, headers: t.adminHeaders });
      assert.equal(response.statusCode, 400, `${response.statusCode} for ${from}: ${response.body}`);
    }
    const fine = await t.app.inject({ method: 'GET', url: `/api/v1/audit-events?from=${encodeURIComponent('0001-01-01T00:00:00Z')}`, headers: t.adminHeaders });
    assert.equal(fine.statusCode, 200, fine.body);
    assert.equal(await signals(), before);
  });
});
