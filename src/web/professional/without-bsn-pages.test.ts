/**
 * The pages for a person without a BSN, on both databases: the filing form's "geen BSN" choice with
 * its errors in Dutch, the signal page that says the signal has no BSN, and adding the BSN later
 * (/signalen/<id>/bsn), with the register's refusals in Dutch; another professional gets "Niet
 * gevonden"; the BSN is on no page but as the typed field's value.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, showsWord, type TestApp } from '../../test-support/fixtures.ts';
import { switchableRegister, TEST_PERSONS } from '../../test-support/register.ts';
import { dateBoxes, type InjectSession, signInByInject, webProfessional } from '../../test-support/web.ts';

const consent = { 'toestemming-door': 'persoon', ...dateBoxes('toestemming-datum', '2026-03-10') };
const person = (familyName: string) => ({
  'zonder-bsn': 'ja',
  voornamen: 'Amira',
  achternaam: familyName,
  ...dateBoxes('geboortedatum', '1990-02-03'),
  geslacht: 'vrouw',
});
const withoutStrayBsn = (body: string) => !/\b\d{9}\b/.test(body.replace(/value="\d{9}"/g, ''));

describeOnEachDatabase('the pages for a person without a BSN', (database) => {
  let t: TestApp;
  let r: TestApp;
  let session: InjectSession;
  let other: InjectSession;
  let registerSession: InjectSession;
  before(async () => {
    t = await createTestApp(database());
    r = await createTestApp(database(), { register: switchableRegister() });
    session = await signInByInject(t, await webProfessional(t, await t.organisation()));
    other = await signInByInject(t, await webProfessional(t, await t.organisation()));
    registerSession = await signInByInject(r, await webProfessional(r, await r.organisation()));
  });
  after(async () => {
    await t.close();
    await r.close();
  });

  test('the form offers "geen BSN"; filed that way, the signal page says so and offers to add the BSN', async () => {
    const form = await session.get('/signalen/nieuw');
    assert.match(form.body, /De persoon heeft geen burgerservicenummer, of ik weet het niet/);
    const filed = await session.post('/signalen/nieuw', { ...person('Paginazonder'), ...consent });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 2000));
    const page = await session.get(String(filed.headers.location));
    assert.match(page.body, /Dit signaal is afgegeven zonder BSN/);
    assert.match(page.body, /BSN toevoegen/);
    assert.ok(showsWord(page.body, 'Niet bekend'));
  });

  test('without a BSN the form asks for the details and a known gender, and refuses a BSN typed as well, in Dutch', async () => {
    const empty = await session.post('/signalen/nieuw', { 'zonder-bsn': 'ja', ...consent });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Vul de achternaam in\./);
    assert.match(empty.body, /Vul de geboortedatum in\./);
    assert.match(empty.body, /Kies het geslacht: zonder BSN herkent SluiS de persoon er mede aan\./);
    const unknownGender = await session.post('/signalen/nieuw', { ...person('Paginazonder'), geslacht: 'onbekend', ...consent });
    assert.equal(unknownGender.statusCode, 422);
    assert.match(unknownGender.body, /kies vrouw, man of anders/);
    const both = await session.post('/signalen/nieuw', { ...person('Paginazonder'), bsn: randomBsn(), ...consent });
    assert.equal(both.statusCode, 422);
    assert.match(both.body, /Laat het BSN dan leeg, of haal het vinkje weg/);
    const none = await session.post('/signalen/nieuw', {
      voornamen: 'A',
      achternaam: 'B',
      ...dateBoxes('geboortedatum', '1990-02-03'),
      geslacht: 'vrouw',
      ...consent,
    });
    assert.match(none.body, /Heeft de persoon geen BSN, of weet u het niet\? Vink dat dan aan\./);
    // With a register too, the details are required without a BSN: the register cannot be asked.
    const registerEmpty = await registerSession.post('/signalen/nieuw', { 'zonder-bsn': 'ja', ...consent });
    assert.equal(registerEmpty.statusCode, 422);
    assert.match(registerEmpty.body, /Vul de achternaam in\./);
  });

  test('adding the BSN: an invalid number is refused, a good one moves the signal, and the page says so; others get "Niet gevonden"', async () => {
    const filed = await session.post('/signalen/nieuw', { ...person('Toevoegen'), ...consent });
    const signalPath = String(filed.headers.location).split('?')[0]!;
    const form = await session.get(`${signalPath}/bsn`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Voeg het toe: SluiS koppelt uw signaal dan op het BSN/);
    const invalid = await session.post(`${signalPath}/bsn`, { bsn: '123456789' });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /Dit BSN klopt niet/);
    assert.equal((await other.get(`${signalPath}/bsn`)).statusCode, 404);
    assert.equal((await other.post(`${signalPath}/bsn`, { bsn: randomBsn() })).statusCode, 404);
    const bsn = randomBsn();
    const added = await session.post(`${signalPath}/bsn`, { bsn: `${bsn.slice(0, 4)} ${bsn.slice(4)}` });
    assert.equal(added.statusCode, 303, added.body.slice(0, 2000));
    const page = await session.get(String(added.headers.location));
    assert.match(page.body, /Het BSN is toegevoegd/);
    assert.doesNotMatch(page.body, /Dit signaal is afgegeven zonder BSN/);
    assert.ok(!page.body.includes(bsn), 'no BSN on the page');
    // Once it has a BSN there is nothing to add any more.
    assert.equal((await session.get(`${signalPath}/bsn`)).statusCode, 404);
    // A signal the professional already has on that BSN: the page says what to do.
    const second = await session.post('/signalen/nieuw', { ...person('Tweede'), ...consent });
    const secondPath = String(second.headers.location).split('?')[0]!;
    const already = await session.post(`${secondPath}/bsn`, { bsn });
    assert.equal(already.statusCode, 422);
    assert.match(already.body, /U heeft al een actief signaal op de persoon met dit BSN/);
    assert.ok(withoutStrayBsn(already.body));
  });

  test('with a register, an unknown BSN and a different date of birth are refused in Dutch', async () => {
    const filed = await registerSession.post('/signalen/nieuw', { ...person('Registerloos'), ...consent });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 2000));
    const signalPath = String(filed.headers.location).split('?')[0]!;
    const unknown = await registerSession.post(`${signalPath}/bsn`, { bsn: TEST_PERSONS.unknown });
    assert.match(unknown.body, /De BRP kent dit BSN niet/);
    const mismatch = await registerSession.post(`${signalPath}/bsn`, { bsn: TEST_PERSONS.wilma });
    assert.match(mismatch.body, /een andere geboortedatum dan uw signaal/);
    for (const response of [unknown, mismatch]) assert.ok(withoutStrayBsn(response.body));
  });

  test('a signal filed with a BSN has no "BSN toevoegen"', async () => {
    const filed = await session.post('/signalen/nieuw', {
      bsn: randomBsn(),
      voornamen: 'Jan',
      achternaam: 'Metbsn',
      ...dateBoxes('geboortedatum', adultSignal().person.dateOfBirth!),
      geslacht: 'man',
      ...consent,
    });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 2000));
    const page = await session.get(String(filed.headers.location));
    assert.equal(page.statusCode, 200);
    assert.doesNotMatch(page.body, /BSN toevoegen/);
  });

  test("an unborn child: no form while the municipality does not allow it; once allowed, filed on the mother's BSN and later given its own", async () => {
    await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: { unbornSignals: false } });
    assert.doesNotMatch((await session.get('/signalen/nieuw')).body, /Signaal op een ongeboren kind/);
    assert.equal((await session.get('/signalen/nieuw-ongeboren')).statusCode, 404);
    await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: { unbornSignals: true } });
    assert.match((await session.get('/signalen/nieuw')).body, /href="\/signalen\/nieuw-ongeboren"/);
    const form = await session.get('/signalen/nieuw-ongeboren');
    assert.equal(form.statusCode, 200);
    const empty = await session.post('/signalen/nieuw-ongeboren', {});
    assert.equal(empty.statusCode, 422);
    for (const message of [
      'Vul het BSN van de moeder in.',
      'Vul de achternaam in die het kind waarschijnlijk krijgt.',
      'Vul de verwachte geboortedatum in.',
      'Kies of u de moeder heeft geïnformeerd',
    ]) {
      assert.ok(empty.body.includes(message), message);
    }
    const motherBsn = randomBsn();
    const tooLate = await session.post('/signalen/nieuw-ongeboren', {
      'moeder-bsn': motherBsn,
      achternaam: 'Verwacht',
      ...dateBoxes('verwachte-datum', '2027-06-01'),
      informeren: 'gedaan',
      geinformeerd: 'vertegenwoordiger',
      ...dateBoxes('informeer-datum', '2026-03-10'),
    });
    assert.match(tooLate.body, /De verwachte geboortedatum ligt na vandaag en hoogstens 300 dagen vooruit/);
    const youngPerson = await session.post('/signalen/nieuw-ongeboren', {
      'moeder-bsn': motherBsn,
      achternaam: 'Verwacht',
      ...dateBoxes('verwachte-datum', '2026-08-01'),
      informeren: 'gedaan',
      geinformeerd: 'jongere',
      ...dateBoxes('informeer-datum', '2026-03-10'),
    });
    assert.match(youngPerson.body, /Bij een ongeboren kind informeert u de moeder/);
    assert.ok(withoutStrayBsn(youngPerson.body));
    const filed = await session.post('/signalen/nieuw-ongeboren', {
      'moeder-bsn': motherBsn,
      achternaam: 'Verwacht',
      ...dateBoxes('verwachte-datum', '2026-08-01'),
      informeren: 'gedaan',
      geinformeerd: 'vertegenwoordiger',
      ...dateBoxes('informeer-datum', '2026-03-10'),
    });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 2000));
    const page = await session.get(String(filed.headers.location));
    assert.match(page.body, /Dit signaal gaat over een kind dat nog geboren moet worden/);
    assert.match(page.body, /Ongeboren kind Verwacht/);
    assert.match(page.body, /Verwachte geboortedatum/);
    assert.ok(!page.body.includes(motherBsn), "no mother's BSN on the page");
    const signalPath = String(filed.headers.location).split('?')[0]!;
    const add = await session.get(`${signalPath}/bsn`);
    assert.match(add.body, /Voeg dan het BSN van het kind toe/);
    const added = await session.post(`${signalPath}/bsn`, { bsn: randomBsn() });
    assert.equal(added.statusCode, 303, added.body.slice(0, 2000));
    await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: { unbornSignals: false } });
  });
});
