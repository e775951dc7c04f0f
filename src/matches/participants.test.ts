/**
 * One participant projection (match_participant_details, migration 0012): the filing answer and
 * reading the match list the same participants with the same fields, and the projection holds
 * nothing about the person. On both databases.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';

const FIELDS = ['email', 'isYou', 'jobTitle', 'organisationName', 'phone', 'professionalName', 'since'];

describeOnEachDatabase('the participant projection', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  const file = (organisation: TestOrganisation, bsn: string) => {
    t.clock.advance(1000);
    return t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: organisation.headers, payload: adultSignal(bsn) });
  };
  const read = async (organisation: TestOrganisation, matchId: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${matchId}`, headers: organisation.headers });
    assert.equal(response.statusCode, 200);
    return response.json();
  };
  const jobTitle = (organisation: TestOrganisation, title: string) =>
    t.services.db.updateTable('professionals').set({ job_title: title }).where('id', '=', organisation.professionalId).execute();

  test("the filing answer's participants equal the match read's, for the filer and for the others", async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    await jobTitle(a, 'Gezinscoach');
    await jobTitle(c, 'Wijkverpleegkundige');
    const bsn = randomBsn();
    await file(a, bsn);
    await file(b, bsn);
    const filed = await file(c, bsn);
    assert.equal(filed.statusCode, 201);
    const match = filed.json().match;
    assert.equal(match.participants.length, 3);
    for (const participant of match.participants) assert.deepEqual(Object.keys(participant).sort(), FIELDS);
    assert.deepEqual(
      match.participants.map((p: { jobTitle: string }) => p.jobTitle),
      ['Gezinscoach', '', 'Wijkverpleegkundige'],
    );
    assert.deepEqual((await read(c, match.id)).participants, match.participants);

    // Filing again gives the existing signal: its answer is what the match read shows that professional.
    const again = await file(a, bsn);
    assert.equal(again.statusCode, 200);
    assert.deepEqual((await read(a, match.id)).participants, again.json().match.participants);

    // A participant who left is in neither.
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/signals/${(await file(b, bsn)).json().signal.id}/end`,
          headers: b.headers,
          payload: { reason: 'moved' },
        })
      ).statusCode,
      200,
    );
    const d = await t.organisation();
    const joined = (await file(d, bsn)).json().match;
    assert.deepEqual(
      joined.participants.map((p: { organisationName: string }) => p.organisationName),
      [a.name, c.name, d.name],
    );
    assert.deepEqual((await read(d, joined.id)).participants, joined.participants);
  });

  test('the projection holds contact details and ids only: no BSN, pseudonym or person details', async () => {
    const columns = await sql<{ name: string }>`select column_name as name from information_schema.columns
      where table_schema = 'public' and table_name = 'match_participant_details' order by ordinal_position`.execute(database().db);
    assert.deepEqual(
      columns.rows.map((c) => c.name),
      ['match_id', 'signal_id', 'professional_id', 'organisation_id', 'professional_name', 'job_title', 'organisation_name', 'phone', 'email', 'since'],
    );
  });
});
