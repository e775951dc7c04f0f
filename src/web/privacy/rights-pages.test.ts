/**
 * The pages of the register of rights requests, through app.inject on both databases: a privacy
 * officer starts at the list; registers a request by BSN (never shown again, never in a URL) and
 * takes it through its steps; the age rule and date problems in Dutch; a professional and an
 * escalation officer are refused.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, randomBsn, type TestApp } from '../../test-support/fixtures.ts';
import { createWebAccount, dateBoxes, signInByInject, webProfessional } from '../../test-support/web.ts';

describeOnEachDatabase('rights request pages', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  const staffSession = async (roles: ('privacy_officer' | 'escalation_officer')[]) => {
    const member = await t.services.staff.create(t.admin, { name: 'Medewerker', email: `m-${randomUUID()}@gemeente.example`, roles });
    return signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
  };

  test('a privacy officer registers a request and takes it through its steps; the BSN is never shown', async () => {
    const web = await staffSession(['privacy_officer']);
    const home = await web.get('/');
    const list = await web.get('/privacy/verzoeken');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Verzoeken over persoonsgegevens/);
    assert.match(list.body, /href="\/privacy\/verzoeken"/, 'in the menu');
    assert.ok(home.statusCode < 500);

    const bsn = randomBsn();
    const fields = {
      identificatie: 'bsn',
      bsn,
      ...dateBoxes('geboortedatum', '2018-06-01'),
      soort: 'inspection',
      ...dateBoxes('ontvangen', '2026-03-09'),
      via: 'person',
      verzoeker: 'person',
      identiteit: 'id_document_seen',
      zaaknummer: 'Z-1',
    };
    const refused = await web.post('/privacy/verzoeken/nieuw', fields);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Bij deze leeftijd doet de wettelijk vertegenwoordiger het verzoek/);

    const created = await web.post('/privacy/verzoeken/nieuw', {
      ...fields,
      verzoeker: 'legal_representative',
      identiteit: 'representative_authority_checked',
    });
    assert.equal(created.statusCode, 303, created.body);
    const location = created.headers.location as string;
    assert.ok(!location.includes(bsn));
    const detail = await web.get(location);
    assert.equal(detail.statusCode, 200);
    assert.ok(!detail.body.includes(bsn), 'the BSN is not shown');
    assert.match(detail.body, /BSN \(niet getoond\)/);
    assert.match(detail.body, /6 april 2026/, 'four weeks after receipt');

    assert.equal((await web.post(`${location}/in-behandeling`)).statusCode, 303);
    assert.equal((await web.post(`${location}/verlengen`, { weken: '2', reden: 'complexity' })).statusCode, 303);
    assert.match((await web.get(location)).body, /20 april 2026/);
    const noReason = await web.post(`${location}/besluit`, { besluit: 'refused', ...dateBoxes('besloten', '2026-03-10') });
    assert.equal(noReason.statusCode, 422);
    assert.equal(
      (await web.post(`${location}/besluit`, { besluit: 'refused', redenen: ['rights_of_others'], ...dateBoxes('besloten', '2026-03-10') })).statusCode,
      303,
    );
    assert.equal((await web.post(`${location}/brief`, dateBoxes('verstuurd', '2026-03-10'))).statusCode, 303);
    assert.equal((await web.post(`${location}/afhandelen`)).statusCode, 303);
    const done = await web.get(location);
    assert.match(done.body, /Afgehandeld/);
    assert.match(done.body, /De rechten van anderen/);
    assert.ok(!(await web.get('/privacy/verzoeken')).body.includes(bsn));
  });

  test('a professional and an escalation officer are refused', async () => {
    const professional = await signInByInject(t, await webProfessional(t, await t.organisation()));
    assert.equal((await professional.get('/privacy/verzoeken')).statusCode, 403);
    assert.equal((await professional.get('/privacy/verzoeken/nieuw')).statusCode, 403);
    const officer = await staffSession(['escalation_officer']);
    assert.equal((await officer.get('/privacy/verzoeken')).statusCode, 403);
    assert.equal((await officer.post('/privacy/verzoeken/nieuw', {})).statusCode, 403);
  });
});
