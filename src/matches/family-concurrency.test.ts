/**
 * 50 organisations filing at the same moment on the seven children of one pair of parents (the RvIG's
 * test family of 999998870 and 999998882): exactly one family match with all 50 signals, beside one
 * person match per child. On PostgreSQL the requests really run in parallel over a pool; the family
 * locks (after the person locks) serialise the family step.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { switchableRegister } from '../test-support/register.ts';

const CHILDREN = ['999970355', '999970367', '999970379', '999970380', '999998869', '999999448', '999998894'];
const informed = { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-03-10' };

describeOnEachDatabase(
  'concurrent family matching',
  (database) => {
    let t: TestApp;
    let organisations: TestOrganisation[];
    before(async () => {
      t = await createTestApp(database(), { register: switchableRegister() });
      organisations = [];
      for (let i = 0; i < 50; i++) organisations.push(await t.organisation());
    });
    after(() => t.close());

    test('50 filings on the children of one family at once give exactly one family match with all 50 signals', async () => {
      const responses = await Promise.all(
        organisations.map((o, i) =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/signals',
            headers: o.headers,
            payload: { person: { bsn: CHILDREN[i % CHILDREN.length] }, legalBasis: informed },
          }),
        ),
      );
      assert.deepEqual(
        responses.map((r) => r.statusCode),
        Array(50).fill(201),
        responses.find((r) => r.statusCode !== 201)?.body,
      );
      const answers = responses.map((r) => r.json() as { signal: { id: string }; familyMatches: { id: string }[] });
      const shown = new Set(answers.flatMap((a) => a.familyMatches.map((m) => m.id)));
      assert.equal(shown.size, 1, 'every answer that shows a family match shows the same one');

      const state = await sql<{ family: number; person: number; familyParticipants: number }>`
        select (select count(*)::int from matches where kind = 'family' and status = 'open') as family,
               (select count(*)::int from matches where kind = 'person' and status = 'open') as person,
               (select count(*)::int from match_participants where kind = 'family' and left_at is null) as "familyParticipants"`.execute(database().db);
      assert.deepEqual(state.rows[0], { family: 1, person: CHILDREN.length, familyParticipants: 50 });

      // Every signal was told exactly once how it came into the family match: with it when it was made, or joining it after.
      const events = await sql<{ event_type: string; signal: string; joined: string | null }>`
        select event_type, payload ->> 'signalId' as signal, payload ->> 'newSignalId' as joined
          from outbox where payload ->> 'matchKind' = 'family'`.execute(database().db);
      const founders = events.rows.filter((e) => e.event_type === 'match.created').map((e) => e.signal);
      const joiners = [...new Set(events.rows.filter((e) => e.event_type === 'match.participant_joined').map((e) => e.joined!))];
      assert.ok(founders.length >= 2);
      assert.deepEqual([...founders, ...joiners].sort(), answers.map((a) => a.signal.id).sort());
      // A filing whose answer shows no family match came before the match, and was one of those it was made with.
      for (const answer of answers.filter((a) => a.familyMatches.length === 0)) assert.ok(founders.includes(answer.signal.id));
    });
  },
  { poolSize: 16 },
);
