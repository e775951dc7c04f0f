/**
 * The pages of the data breach register, through app.inject on both databases: a privacy officer
 * finds it in the menu, records a breach (problems in Dutch), sees the 72 hours counted from the
 * discovery and plainly overdue once passed, records the assessment, the notice to the AP and the
 * persons, and mails the partner organisations' coordinators; the administrator reaches it from the
 * overview; a professional and an escalation officer are refused every page and form.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { amsterdamDate } from '../../shared/calendar.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import { createWebAccount, dateBoxes, type InjectSession, signInByInject, type WebAccount, webAdministrator, webProfessional } from '../../test-support/web.ts';

const DESCRIPTION = 'Een lijst met signalen is naar het verkeerde team gemaild en daar direct verwijderd.';

describeOnEachDatabase('data breach pages', (database) => {
  let t: TestApp;
  let partner: TestOrganisation;
  let quiet: TestOrganisation;
  let privacy: InjectSession;
  let privacyAccount: WebAccount;
  before(async () => {
    t = await createTestApp(database());
    partner = await t.organisation('Wijkteam Zuid');
    quiet = await t.organisation('Buurtwerk Oost');
    await t.services.professionals.create(t.admin, partner.id, {
      name: 'Coördinator Zuid',
      email: `coordinator-${randomUUID()}@example.nl`,
      phone: '010 000 0003',
      coordinator: true,
    });
    const member = await t.services.staff.create(t.admin, {
      name: 'Medewerker Privacy',
      email: `m-${randomUUID()}@gemeente.example`,
      roles: ['privacy_officer'],
    });
    privacyAccount = await createWebAccount(t, { staffMemberId: member.id });
    privacy = await signInByInject(t, privacyAccount);
  });
  after(() => t.close());

  async function staffSession(roles: ('privacy_officer' | 'escalation_officer')[]) {
    const member = await t.services.staff.create(t.admin, { name: 'Medewerker Privacy', email: `m-${randomUUID()}@gemeente.example`, roles });
    return signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
  }

  const breach = {
    soort: 'wrong_recipient',
    omschrijving: DESCRIPTION,
    ...dateBoxes('gebeurd', '2026-03-09'),
    ...dateBoxes('ontdekt', '2026-03-10'),
    tijd: '08:00',
    gegevens: ['signal', 'identifying'],
    aantal: '10',
    tot: '50',
  };

  test('a privacy officer records a breach; the 72 hours are shown, and plainly overdue once passed', async () => {
    const list = await privacy.get('/beheer/datalekken');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /<h1 class="utrecht-heading-1">Datalekken<\/h1>/);
    assert.match(list.body, /href="\/beheer\/datalekken" aria-current="page"/, 'in the privacy officer’s menu');

    const refused = await privacy.post('/beheer/datalekken/nieuw', { ...breach, soort: '', tijd: '25:00', aantal: 'tien', gegevens: [] });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Kies wat er gebeurde\./);
    assert.match(refused.body, /Vul het tijdstip in als uur en minuten/);
    assert.match(refused.body, /Kies om welke gegevens het gaat\./);
    assert.match(refused.body, /Vul het aantal personen in als een heel getal/);
    assert.match(refused.body, new RegExp(DESCRIPTION), 'what was typed is kept');
    const future = await privacy.post('/beheer/datalekken/nieuw', { ...breach, ...dateBoxes('ontdekt', '2026-03-11') });
    assert.match(future.body, /Het moment van ontdekking ligt in de toekomst\./);

    const created = await privacy.post('/beheer/datalekken/nieuw', breach);
    assert.equal(created.statusCode, 303, created.body);
    const location = (created.headers.location as string).split('?')[0]!;
    assert.match(location, /^\/beheer\/datalekken\/[0-9a-f-]{36}$/);
    const detail = await privacy.get(created.headers.location as string);
    assert.equal(detail.statusCode, 200);
    assert.match(detail.body, /Het datalek is vastgelegd/);
    // 08:00 in Amsterdam is 07:00 UTC; now is just past 09:00 UTC (signing in moved the clock on by half a minute).
    assert.match(detail.body, /Nog 69 uur om het datalek bij de AP te melden/);
    assert.match(detail.body, /Uiterlijk 13 maart 2026 om 08:00/);
    assert.match(detail.body, /10 tot 50 personen/);
    assert.match(detail.body, /Identificerende gegevens \(BSN, naam, geboortedatum\); Signalen/);

    t.clock.advance(80 * 3_600_000);
    privacy = await signInByInject(t, privacyAccount); // the session ended meanwhile
    const late = await privacy.get(location);
    assert.match(late.body, /De termijn van 72 uur is verstreken/);
    assert.match(late.body, /dat is 10 uur geleden/);
    assert.match((await privacy.get('/beheer/datalekken')).body, /Te laat: 10 uur over de termijn/);

    const noReasons = await privacy.post(`${location}/beoordeling`, { moet: 'ja' });
    assert.equal(noReasons.statusCode, 422);
    assert.match(noReasons.body, /Vul de redenen in\./);
    assert.equal((await privacy.post(`${location}/beoordeling`, { moet: 'ja', redenen: 'Identificerende gegevens, niet versleuteld.' })).statusCode, 303);
    const beforeDiscovery = await privacy.post(`${location}/ap`, dateBoxes('gemeld', '2026-03-09'));
    assert.equal(beforeDiscovery.statusCode, 422);
    assert.match(beforeDiscovery.body, /ligt vóór de ontdekking/);
    assert.equal((await privacy.post(`${location}/ap`, { ...dateBoxes('gemeld', '2026-03-13'), nummer: 'AP-2026-17' })).statusCode, 303);
    assert.equal((await privacy.post(`${location}/personen`, { ingelicht: 'nee', waarom: 'Eerst nagaan om wie het gaat.' })).statusCode, 303);
    const done = await privacy.get(location);
    assert.match(done.body, /Op tijd gemeld bij de AP/);
    assert.match(done.body, /AP-2026-17/);
    assert.match(done.body, /De personen worden niet ingelicht: Eerst nagaan om wie het gaat\./);
  });

  test('the partner organisations: chosen ones or all, with who had no coordinator to hear it', async () => {
    const created = await privacy.post('/beheer/datalekken/nieuw', {
      ...breach,
      tot: '',
      onbekend: 'ja',
      ...dateBoxes('ontdekt', amsterdamDate(t.clock.now())),
      tijd: '00:01',
    });
    assert.equal(created.statusCode, 303, created.body);
    const location = (created.headers.location as string).split('?')[0]!;
    const page = await privacy.get(location);
    assert.match(page.body, /minstens 10 personen/);
    assert.match(page.body, /Wijkteam Zuid/);
    assert.match(page.body, /Geen actieve coördinator: niemand krijgt de mail/);

    const none = await privacy.post(`${location}/partners`, {});
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /Kies een of meer organisaties/);

    const outboxBefore = await t.services.db.selectFrom('outbox').select('id').where('event_type', '=', 'breach.partners_notified').execute();
    assert.equal((await privacy.post(`${location}/partners`, { organisaties: [partner.id] })).statusCode, 303);
    assert.equal((await privacy.post(`${location}/partners`, { alle: 'ja' })).statusCode, 303);
    const outbox = await t.services.db.selectFrom('outbox').select('id').where('event_type', '=', 'breach.partners_notified').execute();
    assert.equal(outbox.length - outboxBefore.length, 2, 'the one coordinator, twice; nobody at the organisation without one');
    const after = await privacy.get(location);
    assert.match(after.body, /Al ingelicht/);
    const rows = [...after.body.matchAll(/<tr class="utrecht-table__row"><td[^>]*>([^<]+)<\/td>/g)].map((m) => m[1]);
    assert.deepEqual(rows.filter((name) => name === 'Wijkteam Zuid').length, 2);
    assert.ok(rows.includes(quiet.name));
    assert.match(after.body, /Geen actieve coördinator: niemand kreeg de mail/);
  });

  test('the administrator reaches the register from the overview', async () => {
    const admin = await signInByInject(t, await webAdministrator(t));
    assert.match((await admin.get('/beheer')).body, /href="\/beheer\/datalekken"/);
    assert.equal((await admin.get('/beheer/datalekken')).statusCode, 200);
    assert.equal((await admin.get('/beheer/datalekken/nieuw')).statusCode, 200);
  });

  test('a professional, a coordinator and an escalation officer are refused every page and form', async () => {
    const [first] = (await t.services.breaches.list(t.admin)).slice(-1);
    const id = first!.id;
    const professional = await signInByInject(t, await webProfessional(t, await t.organisation()));
    const coordinator = await signInByInject(t, await webProfessional(t, await t.organisation(), { coordinator: true }));
    const officer = await staffSession(['escalation_officer']);
    for (const web of [professional, coordinator, officer]) {
      for (const url of ['/beheer/datalekken', '/beheer/datalekken/nieuw', `/beheer/datalekken/${id}`]) assert.equal((await web.get(url)).statusCode, 403, url);
      for (const url of ['/beheer/datalekken/nieuw', ...['beoordeling', 'ap', 'personen', 'partners'].map((s) => `/beheer/datalekken/${id}/${s}`)])
        assert.equal((await web.post(url, { ...breach, moet: 'nee', redenen: 'x', alle: 'ja' })).statusCode, 403, url);
      assert.doesNotMatch((await web.get('/account')).body, /href="\/beheer\/datalekken"/);
    }
    assert.equal((await t.services.breaches.list(t.admin)).length, 2, 'nothing recorded by the refused');
  });
});
