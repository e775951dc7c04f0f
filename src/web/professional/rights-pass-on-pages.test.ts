/**
 * A professional passes a person's request on to the municipality from their own signal's page, on
 * both databases: the choices and the date are checked in Dutch, the request reaches the register with
 * `through: professional`, the signal page says it was passed on, and another professional gets
 * "Niet gevonden".
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../../test-support/fixtures.ts';
import { dateBoxes, type InjectSession, signInByInject, webProfessional } from '../../test-support/web.ts';

describeOnEachDatabase('passing a request on to the municipality', (database) => {
  let t: TestApp;
  let session: InjectSession;
  let other: InjectSession;
  let signalId: string;
  before(async () => {
    t = await createTestApp(database());
    const org = await t.organisation();
    session = await signInByInject(t, await webProfessional(t, org));
    other = await signInByInject(t, await webProfessional(t, await t.organisation()));
    const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: adultSignal(randomBsn()) });
    signalId = filed.json().signal.id;
  });
  after(() => t.close());

  test('the signal page offers it; the form asks what and when, in Dutch; the request reaches the register', async () => {
    const page = await session.get(`/signalen/${signalId}`);
    assert.match(page.body, /Verzoek of klacht doorgeven/);
    const form = await session.get(`/signalen/${signalId}/verzoek`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Wat vraagt de persoon\?/);
    const empty = await session.post(`/signalen/${signalId}/verzoek`, { datum: '', 'datum-maand': '', 'datum-jaar': '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Kies wat de persoon vraagt\./);
    assert.match(empty.body, /Vul de datum in waarop de persoon het vroeg\./);
    const future = await session.post(`/signalen/${signalId}/verzoek`, { soort: 'inspection', ...dateBoxes('datum', '2026-03-11') });
    assert.match(future.body, /De datum kan niet in de toekomst liggen\./);
    const sent = await session.post(`/signalen/${signalId}/verzoek`, { soort: 'inspection', ...dateBoxes('datum', '2026-03-09') });
    assert.equal(sent.statusCode, 303, sent.body.slice(0, 2000));
    const after = await session.get(String(sent.headers.location));
    assert.match(after.body, /Doorgegeven aan de gemeente/);
    assert.match(after.body, /Inzage, gevraagd op/);
    const row = await database()
      .db.selectFrom('rights_requests')
      .select(['kind', 'through', 'received_on', 'due_on'])
      .where('signal_id', '=', signalId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(
      { ...row, received_on: String(row.received_on), due_on: String(row.due_on) },
      {
        kind: 'inspection',
        through: 'professional',
        received_on: '2026-03-09',
        due_on: '2026-04-06',
      },
    );
  });

  test('another professional gets "Niet gevonden" for the form and the post', async () => {
    assert.equal((await other.get(`/signalen/${signalId}/verzoek`)).statusCode, 404);
    assert.equal((await other.post(`/signalen/${signalId}/verzoek`, { soort: 'complaint', ...dateBoxes('datum', '2026-03-09') })).statusCode, 404);
    const count = await database().db.selectFrom('rights_requests').select('id').where('kind', '=', 'complaint').execute();
    assert.equal(count.length, 0);
  });
});
