/**
 * Paging cursors are opaque and tamper-proof: only a cursor this index signed, for this list, is
 * taken; a cursor made or edited by hand is refused as a 400 problem before it reaches a query — in
 * the rules, and through every paged operation of the API on both engines.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, before, describe, it, test } from 'node:test';
import fc from 'fast-check';
import { apiOperations, callerHeaders, urlOf } from '../test-support/api-walk.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';
import { Problem } from './errors.ts';
import { createCursors } from './paging.ts';

const refused = (work: () => unknown) =>
  assert.throws(work, (error: unknown) => error instanceof Problem && error.status === 400 && error.code === 'invalid_cursor');
const base64 = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Cursors as someone might make them by hand: the old unsigned forms, edited payloads, other lists' cursors. */
function handMade(cursors: ReturnType<typeof createCursors>): string[] {
  const signals = cursors.encodeAt('signals', new Date('2026-03-10T09:00:00Z'), randomUUID());
  const [payload, tag] = signals.split('.') as [string, string];
  return [
    base64(['2026-01-01T00:00:00Z', 'abc']),
    base64(['2026-01-01T00:00:00Z', 5]),
    base64(['+275760-09-13T00:00:00.000Z', randomUUID()]),
    base64([7]),
    'bm90LWEtbnVtYmVy',
    '',
    '.',
    '..',
    'a.b',
    `${payload}.${tag}.${tag}`,
    `${base64(['2026-01-01T00:00:00.000Z', 'abc'])}.${tag}`,
    `${payload}.${Buffer.from(Buffer.from(tag, 'base64url').map((b) => b ^ 1)).toString('base64url')}`,
    `${payload}.${tag.slice(0, -2)}`,
    cursors.encodeNumber('audit-events', 12),
    cursors.encodeNumber('events', -1),
    cursors.encodeNumber('events', 2 ** 60),
    cursors.encodeAt('matches', new Date('2026-03-10T09:00:00Z'), randomUUID()),
    createCursors(randomBytes(32)).encodeAt('signals', new Date('2026-03-10T09:00:00Z'), randomUUID()),
  ];
}

describe('paging cursors (rules)', () => {
  const cursors = createCursors(randomBytes(32));

  it('a cursor the index signed comes back as it went out', () => {
    const at = new Date('2026-03-10T09:00:00.123Z');
    const id = randomUUID();
    assert.deepEqual(cursors.decodeAt('signals', cursors.encodeAt('signals', at, id)), { at, id });
    assert.equal(cursors.decodeNumber('events', cursors.encodeNumber('events', 4711)), 4711);
  });

  it("refuses hand-made, edited, foreign and other lists' cursors", () => {
    for (const cursor of handMade(cursors)) refused(() => cursors.decodeAt('signals', cursor));
    refused(() => cursors.decodeNumber('deliveries', cursors.encodeNumber('audit-events', 3)));
  });

  it('refuses any string it did not sign (property)', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (cursor) => {
        refused(() => cursors.decodeAt('matches', cursor));
        refused(() => cursors.decodeNumber('events', cursor));
      }),
    );
  });
});

describeOnEachDatabase('paging cursors', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  test('every paged operation answers a hand-made cursor with a 400 problem, and a real one with the next page', async () => {
    const org = await t.organisation();
    const headers = await callerHeaders(t, org);
    for (let i = 0; i < 3; i++) await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: adultSignal(randomBsn()) });
    const forged = handMade(createCursors(randomBytes(32)));
    const operations = await apiOperations(t);
    const paged = operations.filter((o) => o.queryParams.includes('cursor') || o.queryParams.includes('after'));
    assert.deepEqual(paged.map((o) => o.path).sort(), [
      '/audit-events',
      '/case-consultations',
      '/deliveries',
      '/dev-mailbox',
      '/escalations',
      '/events',
      '/matches',
      '/organisations',
      '/organisations/{id}/api-clients',
      '/organisations/{id}/covenants',
      '/organisations/{id}/professionals',
      '/rights-requests',
      '/signals',
      '/webhook-subscriptions',
    ]);
    for (const operation of paged) {
      const name = operation.queryParams.includes('cursor') ? 'cursor' : 'after';
      for (const cursor of forged.filter(Boolean)) {
        const response = await t.app.inject({
          method: 'GET',
          url: `${urlOf(operation, () => org.id)}?${name}=${encodeURIComponent(cursor)}`,
          headers: headers[operation.caller],
        });
        assert.equal(response.statusCode, 400, `${operation.path} ${cursor}: ${response.body}`);
        assert.equal(response.json().code, 'invalid_cursor');
      }
    }
    // The searches take their cursor in the body (their terms may not go into a URL).
    const searches = operations.filter((o) => o.method === 'POST' && (o.bodySchema?.properties as Record<string, unknown> | undefined)?.cursor);
    const bodies: Record<string, object> = {
      '/signals/search': { clientReference: 'dossier', match: 'prefix' },
      '/audit-events/search': { bsn: randomBsn() },
    };
    assert.deepEqual(searches.map((o) => o.path).sort(), Object.keys(bodies).sort());
    for (const operation of searches) {
      for (const cursor of forged.filter(Boolean)) {
        const response = await t.app.inject({
          method: 'POST',
          url: urlOf(operation),
          headers: headers[operation.caller],
          payload: { ...bodies[operation.path], cursor },
        });
        assert.equal(response.statusCode, 400, `${operation.path} ${cursor}: ${response.body}`);
        assert.equal(response.json().code, 'invalid_cursor');
      }
    }
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/signals?limit=1', headers: org.headers });
    const next = await t.app.inject({ method: 'GET', url: `/api/v1/signals?limit=1&cursor=${first.json().nextCursor}`, headers: org.headers });
    assert.equal(next.statusCode, 200);
    assert.notEqual(next.json().items[0].id, first.json().items[0].id);
    const elsewhere = await t.app.inject({ method: 'GET', url: `/api/v1/matches?cursor=${first.json().nextCursor}`, headers: org.headers });
    assert.equal(elsewhere.statusCode, 400, 'a signals cursor is no matches cursor');
    // A list paged by position (organisations by name) pages as the others do: every item once, with the total.
    for (let i = 0; i < 2; i++) await t.organisation();
    const ids = new Set<string>();
    let url: string | null = '/api/v1/organisations?limit=2';
    let total = -1;
    while (url) {
      const page = (await t.app.inject({ method: 'GET', url, headers: org.headers })).json() as {
        items: { id: string }[];
        nextCursor: string | null;
        total: number;
      };
      for (const item of page.items) ids.add(item.id);
      total = page.total;
      url = page.nextCursor ? `/api/v1/organisations?limit=2&cursor=${page.nextCursor}` : null;
    }
    assert.ok(total >= 3);
    assert.equal(ids.size, total);
  });
});
