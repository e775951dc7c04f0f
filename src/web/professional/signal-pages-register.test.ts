/**
 * The "Signaal afgeven" form with a population register (the real embedded register with the RvIG's
 * test persons): the details may be left empty and come from the BRP, its refusals read in Dutch,
 * and a confidential record's signal page shows no address.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, showsWord, type TestApp } from '../../test-support/fixtures.ts';
import { type SwitchableRegister, switchableRegister, TEST_PERSONS } from '../../test-support/register.ts';
import { dateBoxes, type InjectSession, signInByInject, webProfessional } from '../../test-support/web.ts';

const consent = { 'toestemming-door': 'persoon', ...dateBoxes('toestemming-datum', '2026-03-10') };
const informedBoth = { informeren: 'gedaan', geinformeerd: ['jongere', 'vertegenwoordiger'], ...dateBoxes('informeer-datum', '2026-03-10') };

describeOnEachDatabase('the filing form with a population register', (database) => {
  let t: TestApp;
  let register: SwitchableRegister;
  let session: InjectSession;
  before(async () => {
    register = switchableRegister();
    t = await createTestApp(database(), { register });
    session = await signInByInject(t, await webProfessional(t, await t.organisation()));
  });
  after(() => t.close());

  test('the form says the details may be left empty, and the BRP fills them in (the register’s date of birth for the age rules)', async () => {
    const form = await session.get('/signalen/nieuw');
    assert.match(form.body, /U kunt deze gegevens leeg laten: SluiS haalt ze uit de BRP/);
    const filed = await session.post('/signalen/nieuw', { bsn: TEST_PERSONS.teun, ...informedBoth });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 3000));
    const page = await session.get(String(filed.headers.location));
    assert.ok(showsWord(page.body, 'Teun'));
    assert.ok(showsWord(page.body, 'Groot Esselink'));
    assert.ok(showsWord(page.body, 'Hofdijk'));
    assert.ok(!page.body.includes(TEST_PERSONS.teun), 'no BSN on the page');
  });

  test('an unknown BSN, a deceased person and a different date of birth are refused in Dutch', async () => {
    const unknown = await session.post('/signalen/nieuw', { bsn: TEST_PERSONS.unknown, ...consent });
    assert.equal(unknown.statusCode, 422);
    assert.match(unknown.body, /De BRP kent dit BSN niet\. Controleer de cijfers\./);
    const deceased = await session.post('/signalen/nieuw', { bsn: TEST_PERSONS.deceased, ...consent });
    assert.equal(deceased.statusCode, 422);
    assert.match(deceased.body, /Volgens de BRP is deze persoon overleden/);
    const mismatch = await session.post('/signalen/nieuw', { bsn: TEST_PERSONS.wilma, ...dateBoxes('geboortedatum', '1990-11-17'), ...consent });
    assert.equal(mismatch.statusCode, 422);
    assert.match(mismatch.body, /Deze geboortedatum is anders dan in de BRP bij dit BSN/);
    for (const response of [unknown, deceased, mismatch]) {
      assert.ok(!/\b\d{9}\b/.test(response.body.replace(/value="\d{9}"/g, '')), 'the BSN only as the field’s value');
    }
  });

  test('a wrong legal basis for the register’s age is named on the form', async () => {
    // Teun is 13: consent does not fit, informing is asked.
    const refused = await session.post('/signalen/nieuw', { bsn: TEST_PERSONS.teun, ...consent });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Vul het informeren in\./);
  });

  test('a confidential record’s signal page shows no address, even one typed', async () => {
    const filed = await session.post('/signalen/nieuw', {
      bsn: TEST_PERSONS.confidential,
      straat: 'Geheimstraat',
      huisnummer: '9',
      postcode: '1044 AM',
      plaats: 'Amsterdam',
      ...consent,
    });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 3000));
    const page = await session.get(String(filed.headers.location));
    assert.ok(showsWord(page.body, 'Verstraten'));
    assert.ok(!page.body.includes('Geheimstraat') && !page.body.includes('Lipariweg'), 'no address on the page');
    const list = await session.get('/signalen');
    assert.ok(!list.body.includes('Lipariweg') && !list.body.includes('Geheimstraat'));
  });

  test('the register down: the details are asked for, then the signal is filed at once', async () => {
    register.down = true;
    try {
      const missing = await session.post('/signalen/nieuw', { bsn: TEST_PERSONS.johan, ...consent });
      assert.equal(missing.statusCode, 422);
      assert.match(missing.body, /De BRP is nu niet bereikbaar/);
      const filed = await session.post('/signalen/nieuw', {
        bsn: TEST_PERSONS.johan,
        voornamen: 'Johan',
        achternaam: 'Groot Esselink',
        ...dateBoxes('geboortedatum', '1985-05-27'),
        geslacht: 'man',
        ...consent,
      });
      assert.equal(filed.statusCode, 303, filed.body.slice(0, 3000));
    } finally {
      register.down = false;
    }
  });
});
