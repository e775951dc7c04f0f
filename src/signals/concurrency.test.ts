/**
 * 100 signals on one new person from 100 organisations at the same moment: exactly one person
 * record, one match and 100 participants. On PostgreSQL the requests really run in parallel over a
 * pool; the per-person row lock in sluis_file_signal serialises them.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';

describeOnEachDatabase(
  'concurrent filing',
  (database) => {
    let t: TestApp;
    let organisations: TestOrganisation[];
    before(async () => {
      t = await createTestApp(database());
      organisations = [];
      for (let i = 0; i < 100; i++) organisations.push(await t.organisation());
    });
    after(() => t.close());

    test('100 organisations filing on one new person at once give one person, one match, 100 participants', async () => {
      const bsn = randomBsn();
      const responses = await Promise.all(
        organisations.map((o) => t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: o.headers, payload: adultSignal(bsn) })),
      );
      assert.deepEqual(
        responses.map((r) => r.statusCode),
        Array(100).fill(201),
      );

      const answers = responses.map((r) => r.json());
      const matchIds = new Set(answers.filter((a) => a.match).map((a) => a.match.id));
      assert.equal(matchIds.size, 1, 'every answer that shows a match shows the same one');
      assert.equal(answers.filter((a) => a.match === null).length, 1, 'exactly one filing came first and found no one');

      const state = await sql<{ persons: number; signals: number; matches: number; participants: number; created: number }>`
      select (select count(*)::int from persons) as persons,
             (select count(*)::int from signals where status = 'active') as signals,
             (select count(*)::int from matches where status = 'open') as matches,
             (select count(*)::int from match_participants where left_at is null) as participants,
             (select count(*)::int from outbox where event_type = 'match.created') as created`.execute(database().db);
      assert.deepEqual(state.rows[0], { persons: 1, signals: 100, matches: 1, participants: 100, created: 2 });
    });

    test('the same professional filing twice at once gets one signal', async () => {
      const bsn = randomBsn();
      const [x, y] = await Promise.all(
        [0, 1].map(() => t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: organisations[0]!.headers, payload: adultSignal(bsn) })),
      );
      assert.deepEqual([x!.statusCode, y!.statusCode].sort(), [200, 201]);
      assert.equal(x!.json().signal.id, y!.json().signal.id);
    });
  },
  { poolSize: 16 },
);
