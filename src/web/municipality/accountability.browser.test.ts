/**
 * The accountability pages in Chromium on a phone, as a privacy officer: the data breach register
 * (record with a problem first, the 72 hours, the assessment, the partners' mail). Every page passes
 * axe (WCAG 2.1 AA) and fits the screen; screenshots docs/screenshots/accountability-*.png
 * (SLUIS_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import {
  type Browser,
  chromiumAvailable,
  createWebAccount,
  type ListeningTestApp,
  openMenu,
  PHONE,
  pageChecks,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  type WebAccount,
} from '../../test-support/web.ts';

describe('the accountability pages, in the browser', { skip: !chromiumAvailable() && 'Chromium is not installed' }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let t: ListeningTestApp;
  let browser: Browser;
  let privacy: WebAccount;
  before(async () => {
    env = await startBrowserApp();
    ({ t, browser } = env);
    const member = await t.services.staff.create(t.admin, { name: 'Pim Privacy', email: `p-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
    privacy = await createWebAccount(t, { staffMemberId: member.id });
    const wijkteam = await t.organisation('Wijkteam Noord');
    await t.organisation('GGZ Rijnmond');
    await t.services.professionals.create(t.admin, wijkteam.id, {
      name: 'Coördinator Noord',
      email: `c-${randomUUID()}@example.nl`,
      phone: '010 000 0004',
      coordinator: true,
    });
  });
  after(() => env?.close());

  test('a privacy officer records a breach, assesses it and tells the partners (phone)', async (context) => {
    if (skipWithoutChromium(context)) return;
    const page = await browser.newPage({ viewport: PHONE });
    await signInInBrowser(page, t, privacy);
    const check = pageChecks(page, 'phone');

    const menu = await openMenu(page);
    await menu.getByRole('link', { name: 'Datalekken' }).click();
    await page.waitForURL(/\/beheer\/datalekken$/);
    await check('datalekken (leeg)');
    await page.getByRole('link', { name: 'Datalek vastleggen' }).click();
    await page.waitForURL(/\/beheer\/datalekken\/nieuw$/);
    await check('datalek vastleggen');
    await page.getByLabel('Gegevens naar de verkeerde ontvanger').check();
    await page.getByLabel('Omschrijving').fill('Een overzicht van signalen is naar een verkeerd e-mailadres gestuurd.');
    await page.getByRole('button', { name: 'Datalek vastleggen' }).click();
    assert.match(await page.locator('#foutmeldingen').innerText(), /Vul in wanneer het datalek is ontdekt/);
    await check('datalek vastleggen met fouten', 'accountability-breach-new-error');
    const fieldset = page.getByRole('group', { name: 'Wanneer is het ontdekt?' });
    await fieldset.getByLabel('Dag').fill('10');
    await fieldset.getByLabel('Maand').fill('3');
    await fieldset.getByLabel('Jaar').fill('2026');
    await page.getByLabel('Tijdstip van de ontdekking').fill('08:15');
    await page.getByLabel('Signalen').check();
    await page.getByLabel('Adres- en contactgegevens').check();
    await page.getByLabel('Om hoeveel personen gaat het?').fill('40');
    await page.getByRole('button', { name: 'Datalek vastleggen' }).click();
    await page.waitForURL(/\/beheer\/datalekken\/[0-9a-f-]{36}\?klaar=vastgelegd$/);
    assert.match(await page.locator('.sluis-alert__title').first().innerText(), /Nog 70 uur om het datalek bij de AP te melden/);
    await check('datalek', 'accountability-breach');

    await page.getByLabel('Ja', { exact: true }).check();
    await page.getByLabel('Redenen').fill('Contactgegevens van veel personen bij een onbekende ontvanger.');
    await page.getByRole('button', { name: 'Beoordeling vastleggen' }).click();
    await page.waitForURL(/klaar=beoordeling$/);
    await page.getByLabel('Wijkteam Noord').check();
    await page.getByRole('button', { name: 'Gekozen organisaties inlichten' }).click();
    await page.waitForURL(/klaar=partners$/);
    assert.match(await page.getByRole('region', { name: 'Tabel: Al ingelicht' }).innerText(), /Wijkteam Noord/);
    await check('datalek beoordeeld en partners ingelicht', 'accountability-breach-assessed');

    await page.goto(`${t.baseUrl}/beheer/datalekken`);
    assert.match(await page.locator('table').innerText(), /Gegevens naar de verkeerde ontvanger/);
    await check('datalekken', 'accountability-breaches');
    await page.close();
  });
});
