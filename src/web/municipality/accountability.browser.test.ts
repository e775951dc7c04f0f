/**
 * The accountability pages in Chromium on a phone, as a privacy officer: the data breach register
 * (record with a problem first, the 72 hours, the assessment, the partners' mail), the figures for
 * policy (chart, tables, the spreadsheet) and the processing register with the Logboek download. Every page passes
 * axe (WCAG 2.1 AA) and fits the screen; screenshots docs/screenshots/accountability-*.png
 * (SLUIS_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { adultSignal, randomBsn, type TestOrganisation } from '../../test-support/fixtures.ts';
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

const actorOf = (o: TestOrganisation): ProfessionalActor => ({
  kind: 'professional',
  professionalId: o.professionalId,
  organisationId: o.id,
  apiClientId: null,
  requestId: 'test',
});

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
    const ggz = await t.organisation('GGZ Rijnmond');
    await t.services.organisations.update(t.admin, ggz.id, { domains: ['mental_health'] });
    await t.services.professionals.create(t.admin, wijkteam.id, {
      name: 'Coördinator Noord',
      email: `c-${randomUUID()}@example.nl`,
      phone: '010 000 0004',
      coordinator: true,
    });
    // Figures to show: 7 signals from the wijkteam in March, 1 from the GGZ (a match).
    const bsns = Array.from({ length: 7 }, () => randomBsn());
    for (const bsn of bsns) await t.services.signals.file(actorOf(wijkteam), adultSignal(bsn));
    await t.services.signals.file(actorOf(ggz), adultSignal(bsns[0]));
  });
  after(() => env?.close());

  test('a privacy officer records a breach, tells the partners, reads the figures and the processing register (phone)', async (context) => {
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

    // The figures: the chart and the tables, hidden cells in words; the spreadsheet downloads.
    await (await openMenu(page)).getByRole('link', { name: 'Beleidscijfers' }).click();
    await page.waitForURL(/\/beheer\/beleidscijfers$/);
    const signals = page.getByRole('region', { name: 'Tabel: Signalen afgegeven per maand' });
    assert.match(await signals.innerText(), /afgeschermd/);
    await check('beleidscijfers', 'accountability-figures');
    const [csv] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Downloaden als spreadsheet (CSV)' }).click()]);
    assert.match(csv.suggestedFilename(), /^sluis-beleidscijfers-\d{4}-\d{2}-\d{4}-\d{2}\.csv$/);
    assert.match((await readFile((await csv.path())!)).toString('utf8'), /Signalen afgegeven;2026-03;Maatschappelijke ondersteuning;afgeschermd/);

    // The processing register, and the Logboek of a period.
    await (await openMenu(page)).getByRole('link', { name: 'Verwerkingsregister' }).click();
    await page.waitForURL(/\/beheer\/verwerkingsregister$/);
    await check('verwerkingsregister', 'accountability-processing-register');
    await page.getByRole('button', { name: 'Logboek downloaden' }).click();
    assert.match(await page.locator('#foutmeldingen').innerText(), /Vul de eerste dag van de periode in/);
    await check('verwerkingsregister met fout');
    for (const [legend, day] of [
      ['Van', '1'],
      ['Tot en met', '10'],
    ] as const) {
      const group = page.getByRole('group', { name: legend, exact: true });
      await group.getByLabel('Dag').fill(day);
      await group.getByLabel('Maand').fill('3');
      await group.getByLabel('Jaar').fill('2026');
    }
    const [logbook] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Logboek downloaden' }).click()]);
    assert.equal(logbook.suggestedFilename(), 'sluis-logboek-2026-03-01-2026-03-10.ndjson');
    const first = JSON.parse((await readFile((await logbook.path())!)).toString('utf8').split('\n')[0]!);
    assert.match(first.attributes['dpl.core.processing_activity_id'], /processing-activities#/);
    await page.close();
  });
});
