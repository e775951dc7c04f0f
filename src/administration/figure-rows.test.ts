/**
 * The figures for policy keep the months of the past as they were (migration 0034, figure rows), on
 * both databases: signals, matches, the signals in them, coordination, an escalation and rights
 * requests are counted when they happen; then the persons are purged — an upheld objection, an
 * erasure, expiry and the end of the history period through the sweep — and the closed requests
 * deleted, and the figures of that month read the same as before, to every shown cell and total,
 * with the raw counts of the figure rows what the test made. The figure rows hold a month, a figure,
 * a column and a count, nothing else.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { Bsn } from '../persons/bsn.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';

const DAY = 86_400_000;

describeOnEachDatabase('figures for policy: figure rows outlive the purge', (database) => {
  let t: TestApp;
  let wijkteam: TestOrganisation; // social_support
  let school: TestOrganisation; // education
  let ggz: TestOrganisation; // mental_health and youth_care: several
  const persons = Array.from({ length: 6 }, () => randomBsn());
  const requestIds: string[] = [];

  const api = async (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: object) => {
    const response = await t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) });
    assert.ok(response.statusCode < 300, `${method} ${url}: ${response.statusCode} ${response.body}`);
    return response.json();
  };
  const march = async () => {
    const body = await api('GET', '/policy-figures?from=2026-03&to=2026-03', t.adminHeaders);
    return body.figures as { id: string }[];
  };
  /** What the figure rows hold, summed per figure and column: the raw counts before suppression. */
  const rawRows = async () =>
    (
      await sql<{ figure: string; column_key: string; n: number }>`
        select figure, column_key, sum(count)::int as n from figure_events where month = '2026-03-01' group by 1, 2 order by 1, 2`.execute(t.services.db)
    ).rows.map((r) => `${r.figure} ${r.column_key} ${r.n}`);

  before(async () => {
    t = await createTestApp(database());
    wijkteam = await t.organisation('Wijkteam');
    school = await t.organisation('School');
    await t.services.organisations.update(t.admin, school.id, { domains: ['education'] });
    ggz = await t.organisation('Jeugd-GGZ');
    await t.services.organisations.update(t.admin, ggz.id, { domains: ['mental_health', 'youth_care'] });

    // March 2026: the wijkteam and the school file on 6 persons (6 person matches, the school takes
    // coordination of 5); the GGZ joins the 6th match, where the wijkteam escalates.
    const matchIds: string[] = [];
    for (const bsn of persons) {
      await api('POST', '/signals', wijkteam.headers, adultSignal(bsn));
      matchIds.push((await api('POST', '/signals', school.headers, adultSignal(bsn))).match.id);
    }
    for (const id of matchIds.slice(0, 5)) await api('POST', `/matches/${id}/coordination`, school.headers, { action: 'take' });
    await api('POST', '/signals', ggz.headers, adultSignal(persons[5]));
    await api('POST', `/matches/${matchIds[5]}/coordination`, wijkteam.headers, { action: 'escalate', reason: 'no_agreement' });
    // Rights requests on 4 of them: objections on persons 0 and 1, erasures on 2 and 3.
    for (const [i, kind] of [
      [0, 'objection'],
      [1, 'objection'],
      [2, 'erasure'],
      [3, 'erasure'],
    ] as const) {
      const request = await t.services.rightsRequests.register(t.admin, {
        person: { identifiedBy: 'bsn', bsn: Bsn.parse(persons[i]!)!, dateOfBirth: '1980-05-17' },
        kind,
        receivedOn: '2026-03-10',
        through: 'letter',
        requester: 'person',
        identityCheck: 'id_document_seen',
      });
      requestIds.push(request.id);
    }
  });
  after(() => t.close());

  test('after objections upheld, erasures, expiry and the purge through the sweep, and the closed requests deleted, March reads as before', async () => {
    const made = [
      'coordination education 5',
      'escalations no_agreement 1',
      'match_signals education 6',
      'match_signals several 1',
      'match_signals social_support 6',
      'matches person 6',
      'rights_requests erasure 2',
      'rights_requests objection 2',
      'signals education 6',
      'signals several 1',
      'signals social_support 6',
    ];
    assert.deepEqual(await rawRows(), made, 'each event counted once, in its column');
    const figuresBefore = await march();
    const shown = figuresBefore.find((f) => f.id === 'signals') as unknown as { rowTotals: (number | null)[] };
    assert.equal(shown.rowTotals[0], 13, 'a shown total, so the comparison below is about counts, not only about hidden cells');

    // The decisions carried out at once: objections upheld (persons 0, 1), erasures (2, 3).
    for (const id of requestIds) {
      await api('POST', `/rights-requests/${id}/decision`, t.adminHeaders, { decision: 'granted', reasons: [], decidedOn: '2026-03-10' });
      await api('POST', `/rights-requests/${id}/execution`, t.adminHeaders, {});
      await api('POST', `/rights-requests/${id}/letter`, t.adminHeaders, { sentOn: '2026-03-10' });
      await api('POST', `/rights-requests/${id}/status`, t.adminHeaders, { status: 'closed' });
    }
    const keys = persons.map((bsn) => t.services.crypto.personKey(Bsn.parse(bsn)!));
    const signalsOf = async (some: Uint8Array[]) => (await t.services.db.selectFrom('signals').select('id').where('person_key', 'in', some).execute()).length;
    assert.equal(await signalsOf(keys.slice(0, 4)), 0, 'the objections and erasures purged their signals');

    // The others expire after 2 years, and are purged 5 years later by the sweep, with their matches,
    // coordination and persons; the closed requests go when their retention has run out.
    t.clock.advance(2 * 365 * DAY + 2 * DAY);
    await t.services.jobs.runOnce();
    t.clock.advance(5 * 365 * DAY + 2 * DAY);
    await t.services.jobs.runOnce();
    await t.services.rightsRequests.purgeDue();
    assert.equal(await signalsOf(keys), 0, 'every signal of March is gone');
    const left = await sql<{ matches: number; transitions: number; persons: number; requests: number }>`
      select (select count(*)::int from matches) as matches, (select count(*)::int from coordination_transitions) as transitions,
             (select count(*)::int from persons where person_key = any(${keys.map((k) => Buffer.from(k))}::bytea[])) as persons,
             (select count(*)::int from rights_requests) as requests`.execute(t.services.db);
    assert.deepEqual(left.rows[0], { matches: 0, transitions: 0, persons: 0, requests: 0 }, 'nothing of it is held any more');

    assert.deepEqual(await rawRows(), made, 'the figure rows are as they were');
    assert.deepEqual(await march(), figuresBefore, 'and so are the figures of March');
  });

  test('a figure row holds a month, a figure, a column and a count: nothing that identifies anyone', async () => {
    const columns = await sql<{ column_name: string }>`
      select column_name from information_schema.columns where table_schema = current_schema() and table_name = 'figure_events' order by ordinal_position`.execute(
      t.services.db,
    );
    assert.deepEqual(
      columns.rows.map((c) => c.column_name),
      ['month', 'figure', 'column_key', 'count'],
    );
  });
});
