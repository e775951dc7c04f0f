/**
 * Through the API, a record system pages through its professional's signals with a total, and finds
 * one by the professional's own client reference with POST /signals/search — never a query string,
 * since a client reference may hold anything an organisation chose. On both databases.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProfessionalActor } from '../shared/actor.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';

const ACTIVE = 120;
const reference = (i: number) => `Dossier-${String(i).padStart(3, '0')}`;

const actorOf = (org: TestOrganisation, professionalId = org.professionalId): ProfessionalActor => ({
  kind: 'professional',
  professionalId,
  organisationId: org.id,
  apiClientId: null,
  requestId: 'test',
});

type Item = { id: string; clientReference: string | null; status: string };
type PageBody = { items: Item[]; nextCursor: string | null; total: number; totalExact: boolean };

describeOnEachDatabase('signals API: paging with a total, and the search by client reference', (database) => {
  let t: TestApp;
  let org: TestOrganisation;
  let other: TestOrganisation;
  let colleagueHeaders: Record<string, string>;

  before(async () => {
    t = await createTestApp(database());
    org = await t.organisation();
    other = await t.organisation();
    for (let i = 0; i < ACTIVE + 2; i++) {
      t.clock.advance(60_000);
      const filed = await t.services.signals.file(actorOf(org), adultSignal(randomBsn(), '2026-03-10', { clientReference: reference(i) }));
      if (i >= ACTIVE && filed.outcome === 'created') await t.services.signals.end(actorOf(org), filed.answer.signal.id, 'moved');
    }
    await t.services.signals.file(actorOf(other), adultSignal(randomBsn(), '2026-03-10', { clientReference: reference(7) }));
    const colleague = await t.colleague(org);
    colleagueHeaders = colleague.headers;
    await t.services.signals.file(actorOf(org, colleague.professionalId), adultSignal(randomBsn(), '2026-03-10', { clientReference: 'Dossier-999' }));
  });
  after(() => t.close());

  const get = async (url: string, headers = org.headers) => {
    const response = await t.app.inject({ method: 'GET', url, headers });
    assert.equal(response.statusCode, 200, response.body);
    return response.json() as PageBody;
  };
  const search = (body: object, headers = org.headers) => t.app.inject({ method: 'POST', url: '/api/v1/signals/search', headers, payload: body });

  test('a list says how many there are, and its cursors page through all of them once', async () => {
    const first = await get('/api/v1/signals?status=active&limit=50');
    assert.equal(first.total, ACTIVE);
    assert.equal(first.totalExact, true);
    assert.equal(first.items.length, 50);
    const ids = new Set(first.items.map((s) => s.id));
    let cursor = first.nextCursor;
    let pages = 1;
    while (cursor) {
      const next = await get(`/api/v1/signals?status=active&limit=50&cursor=${cursor}`);
      assert.equal(next.total, ACTIVE, 'every page carries the same total');
      for (const item of next.items) ids.add(item.id);
      cursor = next.nextCursor;
      pages++;
    }
    assert.equal(pages, 3);
    assert.equal(ids.size, ACTIVE);
    assert.equal((await get('/api/v1/signals?status=inactive')).total, 2);
    assert.equal((await get('/api/v1/signals')).total, ACTIVE + 2);
    const matches = await get('/api/v1/matches');
    assert.deepEqual([matches.total, matches.totalExact, matches.items.length], [0, true, 0]);
  });

  test('search: the exact reference by default, or its beginning; case is ignored; active and ended alike', async () => {
    const exact = await search({ clientReference: 'dossier-007' });
    assert.equal(exact.statusCode, 200, exact.body);
    const found = exact.json() as PageBody;
    assert.deepEqual([found.total, found.items.map((s) => s.clientReference)], [1, [reference(7)]]);

    const prefix = (await search({ clientReference: 'DOSSIER-01', match: 'prefix', limit: 4 })).json() as PageBody;
    assert.equal(prefix.total, 10);
    assert.equal(prefix.items.length, 4);
    const rest = (await search({ clientReference: 'DOSSIER-01', match: 'prefix', limit: 4, cursor: prefix.nextCursor })).json() as PageBody;
    assert.deepEqual(
      rest.items.map((s) => s.clientReference),
      [reference(15), reference(14), reference(13), reference(12)],
      'the next page of the same search, newest first',
    );

    const ended = (await search({ clientReference: reference(ACTIVE + 1) })).json() as PageBody;
    assert.deepEqual(
      ended.items.map((s) => s.status),
      ['ended'],
    );
    const onlyActive = (await search({ clientReference: 'dossier-1', match: 'prefix', status: 'active' })).json() as PageBody;
    assert.equal(onlyActive.total, 20);
  });

  test("only the professional's own signals: another organisation's, or a colleague's, reference finds nothing", async () => {
    const theirs = (await search({ clientReference: reference(7) }, other.headers)).json() as PageBody;
    assert.equal(theirs.total, 1, "the other organisation finds its own Dossier-007, not this one's");
    assert.notDeepEqual(theirs.items[0]?.id, ((await search({ clientReference: reference(7) })).json() as PageBody).items[0]?.id);
    assert.equal(((await search({ clientReference: reference(8) }, other.headers)).json() as PageBody).total, 0);
    assert.equal(((await search({ clientReference: 'dossier-0', match: 'prefix' }, colleagueHeaders)).json() as PageBody).total, 0);
    assert.equal(((await search({ clientReference: 'Dossier-999' })).json() as PageBody).total, 0, "the colleague's own reference");
  });

  test('each signal a search returns is audited as listing is, without the reference', async () => {
    t.clock.advance(1000);
    await search({ clientReference: 'dossier-00', match: 'prefix' });
    const audited = await t.services.db
      .selectFrom('audit_events')
      .select(['details', 'subject_key'])
      .where('event_type', '=', 'signal.listed')
      .where('occurred_at', '=', t.clock.now())
      .execute();
    assert.equal(audited.length, 10);
    for (const row of audited) {
      assert.deepEqual(row.details, { search: 'client_reference' });
      assert.ok(row.subject_key, 'per person, as listing');
    }
  });

  test('a reference is refused in the query string, and cursors of the search and the list are not interchangeable', async () => {
    const inQuery = await t.app.inject({ method: 'GET', url: '/api/v1/signals?clientReference=Dossier-007', headers: org.headers });
    assert.equal(inQuery.statusCode, 400);
    const listCursor = (await get('/api/v1/signals?limit=1')).nextCursor;
    const refused = await search({ clientReference: 'dossier', match: 'prefix', cursor: listCursor });
    assert.equal(refused.statusCode, 400);
    assert.equal(refused.json().code, 'invalid_cursor');
    const searchCursor = ((await search({ clientReference: 'dossier', match: 'prefix', limit: 1 })).json() as PageBody).nextCursor;
    const back = await t.app.inject({ method: 'GET', url: `/api/v1/signals?cursor=${searchCursor}`, headers: org.headers });
    assert.equal(back.json().code, 'invalid_cursor');
    for (const body of [
      {},
      { clientReference: '' },
      { clientReference: 'x'.repeat(101) },
      { clientReference: 'a', match: 'fuzzy' },
      { clientReference: 'a', extra: 1 },
    ]) {
      const response = await search(body);
      assert.equal(response.statusCode, 422, JSON.stringify(body));
    }
  });

  test('staff and unauthenticated callers may not search', async () => {
    assert.equal((await search({ clientReference: 'dossier-007' }, t.adminHeaders)).statusCode, 403);
    assert.equal((await search({ clientReference: 'dossier-007' }, {})).statusCode, 401);
  });
});
