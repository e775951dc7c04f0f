/**
 * A case consultation's whole life in Chromium on a phone: started anonymously from the match page,
 * consent recorded (after the form's error summary), made identifying, a meeting planned, an action
 * point added, the information text and the initiator's file, closed with an outcome; the consultation page once more at desktop width. axe-core
 * checks every page on the way. SLUIS_SCREENSHOTS=1 writes docs/screenshots/consultation-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adultSignal, randomBsn, type TestOrganisation } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  openMenu,
  PHONE,
  pageChecks,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  webProfessional,
} from '../../test-support/web.ts';

let env: Awaited<ReturnType<typeof startBrowserApp>>;
let t: ListeningTestApp;
let browser: Browser;
let a: TestOrganisation;
let b: TestOrganisation;

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp({ start: '2026-03-10T09:00:00Z' });
  ({ t, browser } = env);
  a = await t.organisation('Wijkteam Zuid');
  b = await t.organisation('Jeugdzorg West');
  for (const [org, name, job] of [
    [a, 'Sanne Bakker', 'Gezinscoach'],
    [b, 'Ahmed El Idrissi', 'Jeugdhulpverlener'],
  ] as const)
    await t.services.db.updateTable('professionals').set({ name, job_title: job }).where('id', '=', org.professionalId).execute();
});

after(() => env?.close());

test('a professional starts an anonymous case consultation from the match, makes it identifying with consent, plans a meeting, adds an action point and closes it (phone)', async (testContext) => {
  if (skipWithoutChromium(testContext)) return;
  const bsn = randomBsn();
  let matchId = '';
  for (const org of [a, b]) {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: adultSignal(bsn, '2026-03-10') });
    assert.equal(response.statusCode, 201, response.body);
    matchId = response.json().match?.id ?? matchId;
  }
  const sanne = await webProfessional(t, a);
  const page = await browser.newPage({ viewport: PHONE });
  try {
    const check = pageChecks(page, 'phone');
    const main = page.getByRole('main');
    await signInInBrowser(page, t, sanne);
    await (await openMenu(page)).getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Casusoverleggen' }).click();
    await page.waitForURL('**/casusoverleggen');
    await check('the list, empty', 'consultation-list');

    await page.goto(`${t.baseUrl}/matches/${matchId}`);
    await main.getByRole('link', { name: 'Casusoverleg starten' }).click();
    await page.waitForURL('**/casusoverleggen/nieuw?match=*');
    assert.equal(await main.getByLabel('Anoniem').isChecked(), true, 'anonymous is offered first');
    await check('start form', 'consultation-start');
    await main.getByLabel('Doel van het casusoverleg').fill('Afspraken maken over wie het gezin helpt met school en geld');
    await main.getByLabel('Uw (wettelijke) taak in deze casus').fill('Wmo-ondersteuning');
    await main.getByLabel('Ahmed El Idrissi, Jeugdhulpverlener bij Jeugdzorg West').check();
    await main.getByLabel('Taak van Jeugdzorg West (Ahmed El Idrissi)').fill('Jeugdhulp');
    await main.getByRole('button', { name: 'Casusoverleg starten' }).click();
    await page.waitForURL('**/casusoverleggen/*?gedaan=gestart');
    assert.match((await main.textContent()) ?? '', /SluiS bewaart niet over wie het gaat/);
    await check('an anonymous consultation', 'consultation-anonymous');

    await main.getByRole('link', { name: 'Toestemming vastleggen', exact: true }).click();
    await main.getByRole('button', { name: 'Toestemming vastleggen' }).click();
    await page.waitForSelector('#foutmeldingen');
    await check('consent form with errors', 'consultation-consent-error');
    await main.getByLabel('De persoon zelf').check();
    await main.getByLabel('Mondeling, in een gesprek').check();
    await main.getByLabel('Gezinssituatie').check();
    await main.getByLabel('Ahmed El Idrissi, Jeugdzorg West').check();
    await main.getByRole('button', { name: 'Toestemming vastleggen' }).click();
    await page.waitForURL('**?gedaan=toestemming');

    await main.getByRole('link', { name: 'Op naam zetten' }).click();
    await check('making it identifying', 'consultation-identify');
    await main.getByLabel('Jan de Boer').check();
    await main.getByRole('button', { name: 'Op naam zetten' }).click();
    await page.waitForURL('**?gedaan=op-naam');
    assert.match(await page.title(), /Casusoverleg: Jan de Boer/);

    await main.getByRole('link', { name: 'Bijeenkomst plannen' }).click();
    await check('meeting form');
    await main.getByRole('button', { name: 'Bijeenkomst plannen' }).click();
    await page.waitForURL('**?gedaan=bijeenkomst');

    await main.getByRole('link', { name: 'Actiepunt toevoegen' }).click();
    await check('action point form', 'consultation-action-point');
    await main.getByLabel('Wat moet er gebeuren?').fill('Schoolbezoek plannen met de mentor');
    await main.getByLabel('Wie doet het?').selectOption({ label: 'Sanne Bakker, Wijkteam Zuid' });
    const due = main.getByRole('group', { name: 'Uiterlijk op' });
    await due.getByLabel('Dag').fill('24');
    await due.getByLabel('Maand').fill('3');
    await due.getByLabel('Jaar').fill('2026');
    await main.getByRole('button', { name: 'Actiepunt toevoegen' }).click();
    await page.waitForURL('**?gedaan=actiepunt');
    await check('the consultation with a meeting and an action point', 'consultation-identifying');

    await main.getByRole('link', { name: 'Informatietekst voor de persoon (afdrukken)' }).click();
    await page.waitForURL('**/informatietekst');
    await check('the information text', 'consultation-information-text');
    await main.getByRole('link', { name: 'Terug naar het casusoverleg' }).click();
    await main.getByRole('link', { name: 'Verslag voor uw dossier (afdrukken)' }).click();
    await page.waitForURL('**/verslag');
    await check("the initiator's file", 'consultation-file');
    await main.getByRole('link', { name: 'Terug naar het casusoverleg' }).click();

    await main.getByRole('link', { name: 'Casusoverleg afsluiten' }).click();
    await check('closing', 'consultation-close');
    await main.getByLabel('Plan afgesproken').check();
    await main.getByRole('button', { name: 'Ja, afsluiten' }).click();
    await page.waitForURL('**?gedaan=afgesloten');
    assert.match((await main.textContent()) ?? '', /Het casusoverleg is afgesloten\./);
    await check('a closed consultation', 'consultation-closed');

    await page.setViewportSize(DESKTOP);
    await pageChecks(page, 'desktop')('a closed consultation', 'consultation-closed');
  } finally {
    await page.close();
  }
});
