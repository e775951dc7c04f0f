/**
 * A person without a BSN in Chromium on a phone: the filing form's "geen BSN" choice (with its error
 * summary when the gender is unknown), the signal page that says the signal has no BSN, and adding
 * the BSN later, first wrong and then right. axe-core checks every page on the way.
 * SLUIS_SCREENSHOTS=1 writes docs/screenshots/without-bsn-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomBsn } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  type ListeningTestApp,
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

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp({ start: '2026-03-10T09:00:00Z' });
  ({ t, browser } = env);
});

after(() => env?.close());

test('a professional files on a person without a BSN and adds the BSN later (phone)', async (testContext) => {
  if (skipWithoutChromium(testContext)) return;
  const professional = await webProfessional(t, await t.organisation('Jeugdteam West'));
  const page = await browser.newPage({ viewport: PHONE });
  const check = pageChecks(page, 'phone');
  try {
    await signInInBrowser(page, t, professional);
    await page.goto(`${t.baseUrl}/signalen/nieuw`);
    const main = page.locator('main');
    await main.getByLabel('De persoon heeft geen burgerservicenummer, of ik weet het niet').check();
    // The BSN field is still the one field labelled BSN.
    assert.equal(await main.getByLabel('BSN').count(), 1);
    await main.getByLabel('Voornamen').fill('Amira');
    await main.getByLabel('Achternaam').fill('Haddou');
    const birth = main.getByRole('group', { name: 'Geboortedatum' });
    await birth.getByLabel('Dag').fill('3');
    await birth.getByLabel('Maand').fill('2');
    await birth.getByLabel('Jaar').fill('1990');
    await main.getByLabel('Onbekend', { exact: true }).check();
    await main.getByLabel('De persoon zelf').check();
    await check('form without a BSN', 'without-bsn-form');
    await main.locator('form.sluis-signal-form').getByRole('button', { name: 'Signaal afgeven' }).click();
    const summary = page.locator('#foutmeldingen');
    await assert.doesNotReject(summary.waitFor());
    assert.match((await summary.textContent()) ?? '', /Zonder BSN herkent SluiS de persoon aan achternaam, geboortedatum en geslacht/);
    await check('form without a BSN, gender unknown', 'without-bsn-form-error');
    await main.getByLabel('Vrouw', { exact: true }).check();
    await main.locator('form.sluis-signal-form').getByRole('button', { name: 'Signaal afgeven' }).click();
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
    await main.getByText('Dit signaal is afgegeven zonder BSN.', { exact: false }).waitFor();
    await check('signal page without a BSN', 'without-bsn-signal');

    await main.getByRole('link', { name: 'BSN toevoegen' }).click();
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\/bsn$/);
    await check('add the BSN', 'without-bsn-add');
    await main.getByLabel('BSN').fill('123456789');
    await main.getByRole('button', { name: 'BSN toevoegen' }).click();
    await assert.doesNotReject(summary.waitFor());
    assert.match((await summary.textContent()) ?? '', /Dit BSN klopt niet/);
    await check('add the BSN, wrong number');
    const bsn = randomBsn();
    await main.getByLabel('BSN').fill(bsn);
    await main.getByRole('button', { name: 'BSN toevoegen' }).click();
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?bsn=1$/);
    await main.getByText('Het BSN is toegevoegd.', { exact: false }).waitFor();
    assert.ok(!((await page.content()) ?? '').includes(bsn), 'no BSN on the page');
    await check('signal page after adding the BSN', 'without-bsn-added');
  } finally {
    await page.close();
  }
});

test('a professional files on an unborn child where the municipality allows it (phone)', async (testContext) => {
  if (skipWithoutChromium(testContext)) return;
  await t.services.settings.update(t.admin, { unbornSignals: true });
  const professional = await webProfessional(t, await t.organisation('Verloskundigen Oost'));
  const page = await browser.newPage({ viewport: PHONE });
  const check = pageChecks(page, 'phone');
  try {
    await signInInBrowser(page, t, professional);
    await page.goto(`${t.baseUrl}/signalen/nieuw`);
    const main = page.locator('main');
    await main.getByRole('link', { name: 'Signaal op een ongeboren kind' }).click();
    await page.waitForURL(/\/signalen\/nieuw-ongeboren$/);
    await main.getByLabel('BSN van de moeder').fill(randomBsn());
    const expected = main.getByRole('group', { name: 'Verwachte geboortedatum' });
    await expected.getByLabel('Dag').fill('1');
    await expected.getByLabel('Maand').fill('8');
    await expected.getByLabel('Jaar').fill('2026');
    await main.getByLabel('Achternaam').fill('Bakker');
    await main.getByLabel('Ja, ik heb geïnformeerd').check();
    await check('unborn form', 'without-bsn-unborn-form');
    await main.getByRole('button', { name: 'Signaal afgeven' }).click();
    const summary = page.locator('#foutmeldingen');
    await assert.doesNotReject(summary.waitFor());
    assert.match((await summary.textContent()) ?? '', /Kies wie u heeft geïnformeerd/);
    await check('unborn form with an error');
    await main.getByLabel('De ouders of de voogd').check();
    await main.getByRole('button', { name: 'Signaal afgeven' }).click();
    await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
    await main.getByText('Dit signaal gaat over een kind dat nog geboren moet worden.', { exact: false }).waitFor();
    await check('signal page of an unborn child', 'without-bsn-unborn-signal');
  } finally {
    await page.close();
    await t.services.settings.update(t.admin, { unbornSignals: false });
  }
});
