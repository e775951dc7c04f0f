/**
 * The pages of the register of rights requests, through app.inject on both databases: a privacy
 * officer starts at the list; registers a request by BSN (never shown again, never in a URL) and
 * takes it through its steps; the age rule and date problems in Dutch; a professional and an
 * escalation officer are refused. From a request's page, the inspection report as the PDF letter and as
 * JSON: made for the request's person, no BSN in either, refused to anyone but the rights staff.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../../test-support/fixtures.ts';
import { pdfText } from '../../test-support/pdf.ts';
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
    assert.match(list.body, /class="sluis-brand" href="\/privacy\/verzoeken"/, 'the logo leads to their start page, not to /beheer');
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

  test('the inspection report from the request page: the PDF letter and the JSON, without the BSN', async () => {
    const org = await t.organisation('Wijkteam Zuid');
    const bsn = randomBsn();
    const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: adultSignal(bsn) });
    assert.equal(filed.statusCode, 201, filed.body);
    const web = await staffSession(['privacy_officer']);
    const created = await web.post('/privacy/verzoeken/nieuw', {
      identificatie: 'bsn',
      bsn,
      ...dateBoxes('geboortedatum', '1980-05-17'),
      soort: 'copy',
      ...dateBoxes('ontvangen', '2026-03-09'),
      via: 'person',
      verzoeker: 'person',
      identiteit: 'id_document_seen',
    });
    assert.equal(created.statusCode, 303, created.body);
    const location = created.headers.location as string;
    const detail = await web.get(location);
    assert.match(detail.body, /<h2 class="utrecht-heading-2" id="inzage">Inzage en kopie<\/h2>/);
    assert.match(detail.body, new RegExp(`href="${location}/inzage/pdf">Inzagerapport maken \\(PDF\\)</a>`));
    assert.match(detail.body, new RegExp(`href="${location}/inzage/json">\\s*Gegevens downloaden \\(JSON\\)\\s*</a>`));

    const pdf = await web.get(`${location}/inzage/pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="sluis-inzage-\d{4}-\d{2}-\d{2}\.pdf"$/);
    assert.equal(pdf.headers['cache-control'], 'no-store');
    const text = pdfText(pdf.rawPayload);
    for (const expected of [
      'Inzage in uw gegevens in SluiS',
      'Professional of Wijkteam Zuid van Wijkteam Zuid.',
      'Jan de Boer, geboren op 17 mei 1980',
      'u gaf toestemming op',
    ])
      assert.ok(text.includes(expected), `${expected} in the letter`);
    assert.ok(!text.includes(bsn) && !pdf.rawPayload.toString('latin1').includes(bsn), 'no BSN in the letter');

    const json = await web.get(`${location}/inzage/json`);
    assert.equal(json.statusCode, 200);
    assert.match(String(json.headers['content-type']), /^application\/json/);
    assert.match(String(json.headers['content-disposition']), /^attachment; filename="sluis-gegevens-\d{4}-\d{2}-\d{2}\.json"$/);
    assert.ok(!json.body.includes(bsn), 'no BSN in the JSON');
    const report = JSON.parse(json.body);
    assert.equal(report.request.kind, 'copy');
    assert.deepEqual(
      report.signals.map((s: { organisationName: string; clientReference: string }) => [s.organisationName, s.clientReference]),
      [['Wijkteam Zuid', 'dossier 1']],
    );
    assert.equal(report.person.identifiedBy, 'bsn');
    // The same report as the API gives (the API's whitelist), apart from the moment it was made.
    const requestId = location.split('/').at(-1)!;
    const api = await t.app.inject({ method: 'GET', url: `/api/v1/rights-requests/${requestId}/inspection`, headers: t.adminHeaders });
    const { madeAt: _a, accesses: _b, ...viaApi } = api.json();
    const { madeAt: _c, accesses: _d, ...viaPage } = report;
    assert.deepEqual(viaPage, viaApi);

    assert.equal((await web.get(`${location}/inzage/xml`)).statusCode, 404);
    assert.equal((await web.get(`/privacy/verzoeken/${randomUUID()}/inzage/pdf`)).statusCode, 404);
    const professional = await signInByInject(t, await webProfessional(t, org));
    assert.equal((await professional.get(`${location}/inzage/pdf`)).statusCode, 403);
    assert.equal((await professional.get(`${location}/inzage/json`)).statusCode, 403);
    const officer = await staffSession(['escalation_officer']);
    assert.equal((await officer.get(`${location}/inzage/pdf`)).statusCode, 403);
    assert.equal((await officer.get(`${location}/inzage/json`)).statusCode, 403);
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
