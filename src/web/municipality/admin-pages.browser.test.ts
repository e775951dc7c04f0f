/**
 * The administrator's pages in Chromium, on a phone and on a desktop: every page passes axe
 * (WCAG 2.1 AA) and fits the screen, the forms work, the BSN appears nowhere after the look-up,
 * and screenshots are kept (SLUIS_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, test } from 'node:test';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { adultSignal, randomBsn, type TestOrganisation } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  PHONE,
  pageChecks,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  webAdministrator,
} from '../../test-support/web.ts';

const actorOf = (o: TestOrganisation): ProfessionalActor => ({
  kind: 'professional',
  professionalId: o.professionalId,
  organisationId: o.id,
  apiClientId: null,
  requestId: 'test',
});

describe('the administrator pages, in the browser', { skip: !chromiumAvailable() && 'Chromium is not installed' }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let t: ListeningTestApp;
  let browser: Browser;
  let bsn: string;
  let admin: Awaited<ReturnType<typeof webAdministrator>>;
  before(async () => {
    env = await startBrowserApp();
    ({ t, browser } = env);
    admin = await webAdministrator(t);
    const wijkteam = await t.organisation('Wijkteam Noord');
    const ggz = await t.organisation('GGZ Rijnmond');
    await t.organisation('Woonstad');
    bsn = randomBsn();
    await t.services.signals.file(actorOf(wijkteam), adultSignal(bsn));
    await t.services.signals.file(actorOf(ggz), adultSignal(bsn));
    await t.services.signals.file(actorOf(ggz), adultSignal(randomBsn()));
  });
  after(() => env?.close());

  for (const [width, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    test(`overview, organisations, settings, audit, person look-up and mailbox (${width})`, async (context) => {
      if (skipWithoutChromium(context)) return;
      const page = await browser.newPage({ viewport });
      await signInInBrowser(page, t, admin);
      const check = pageChecks(page, width);

      await page.goto(`${t.baseUrl}/beheer`);
      assert.match(await page.locator('h1').innerText(), /Overzicht/);
      await check('overzicht', 'admin-overview');

      // Organisations: add one, start its covenant; a missing reason is refused.
      await page.goto(`${t.baseUrl}/beheer/organisaties`);
      await check('organisaties', 'admin-organisations');
      await page.getByRole('link', { name: 'Organisatie toevoegen' }).click();
      await page.waitForURL(/\/beheer\/organisaties\/nieuw$/);
      await check('organisatie toevoegen');
      await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /Vul de naam/);
      await check('organisatie toevoegen met fouten');
      await page.getByLabel('Naam', { exact: true }).fill(`Schuldhulp ${width}`);
      await page.getByLabel('Werk en inkomen').check();
      await page.getByLabel('Welke hulp biedt de organisatie?').fill('Schuldhulpverlening voor inwoners.');
      await page.getByRole('button', { name: 'Organisatie toevoegen' }).click();
      assert.match(await page.locator('h1').innerText(), new RegExp(`Schuldhulp ${width}`));
      await page.getByLabel('Kenmerk van het convenant').fill('CONV-7');
      await page.getByRole('button', { name: 'Convenant starten' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Het convenant is gestart/);
      await page.getByRole('button', { name: 'Convenant opschorten' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /Vul de reden in/);
      await check('organisatie met fout', 'admin-organisation');
      // Ending the covenant cannot be undone: a confirmation page, with the reason to give first.
      await page.getByRole('link', { name: 'Convenant beëindigen' }).click();
      await page.waitForURL(/\/convenant\/[0-9a-f-]{36}\/beeindigen$/);
      await check('convenant beëindigen');
      await page.getByRole('button', { name: 'Ja, convenant beëindigen' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /Vul de reden in/);
      await check('convenant beëindigen met fout', 'admin-end-covenant');
      await page.getByLabel('Reden').fill('De organisatie stopt met schuldhulp.');
      await page.getByRole('button', { name: 'Ja, convenant beëindigen' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /Het convenant is beëindigd/);
      const [wijkteam] = await t.services.organisations.list({ name: 'Wijkteam Noord' });
      await page.goto(`${t.baseUrl}/beheer/organisaties/${wijkteam!.id}`);
      await page.getByRole('button', { name: /coördinator/ }).click();
      // The phone run makes the professional (who has no web account) coordinator, which invites them; the desktop run takes it away again.
      assert.match(
        await page.getByRole('status').first().innerText(),
        width === 'phone' ? /is nu coördinator en krijgt een uitnodiging per e-mail/ : /De coördinator is gewijzigd/,
      );
      await check('organisatie met professionals', 'admin-organisation-professionals');

      // Settings: refused colours, then saved.
      await page.goto(`${t.baseUrl}/beheer/instellingen`);
      await check('instellingen', 'admin-settings');
      await page.getByLabel('Hoofdkleur', { exact: true }).fill('#ffff00');
      await page.getByRole('button', { name: 'Instellingen opslaan' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /slecht leesbaar/);
      await check('instellingen met fout', 'admin-settings-error');
      await page.getByLabel('Hoofdkleur', { exact: true }).fill('#154273');
      await page.getByLabel('Bericht vóór het verlopen (dagen)').fill(width === 'phone' ? '21' : '14');
      await page.getByRole('button', { name: 'Instellingen opslaan' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /opgeslagen/);
      assert.equal((await t.services.settings.reload()).expiryNoticeDays, width === 'phone' ? 21 : 14);

      // Audit trail: the filters fold away until they are wanted; names, not ids; exported as a spreadsheet.
      await page.goto(`${t.baseUrl}/beheer/audit`);
      assert.equal(await page.getByLabel('Soort gebeurtenis').isVisible(), false, 'the filters are folded away');
      await check('audit');
      await page.getByText('Filteren op periode, soort, organisatie of uitkomst').click();
      await page.getByLabel('Soort gebeurtenis').selectOption('signal.created');
      await page.getByRole('button', { name: 'Filteren' }).click();
      await page.waitForURL(/soort=signal.created/);
      const trail = await page.locator('table').innerText();
      assert.match(trail, /Signaal afgegeven/);
      assert.match(trail, /Professional of GGZ Rijnmond \(GGZ Rijnmond\)/);
      assert.doesNotMatch(trail, /[0-9a-f]{8}-[0-9a-f]{4}-/, 'no raw ids');
      assert.match(await page.locator('.sluis-admin-filter-summary').innerText(), /U ziet: Signaal afgegeven/);
      await check('audit gefilterd', 'admin-audit');
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Exporteren als spreadsheet (CSV)' }).click()]);
      assert.match(download.suggestedFilename(), /^sluis-audit-trail-\d{4}-\d{2}-\d{2}\.csv$/);
      const csv = await readFile((await download.path())!);
      assert.deepEqual([...csv.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark');
      const lines = csv.toString('utf8').slice(1).trimEnd().split('\r\n');
      assert.match(lines[0]!, /^Tijd;Gebeurtenis;Uitkomst;Door;/);
      assert.equal(lines.length, 1 + 3, 'the three filings, and nothing else');
      assert.ok(lines.slice(1).every((line) => line.includes(';Signaal afgegeven;Gelukt;')));

      // Person look-up: a wrong BSN, then the right one; the BSN is nowhere afterwards.
      await page.goto(`${t.baseUrl}/beheer/persoon`);
      await check('persoon opzoeken', 'admin-person-form');
      await page.getByLabel('BSN').fill('123456789');
      await page.getByLabel('Inzageverzoek').check();
      await page.getByRole('button', { name: 'Opzoeken' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /elfproef/);
      await check('persoon opzoeken met fout');
      await page.getByLabel('BSN').fill(bsn);
      await page.getByLabel('Zaaknummer').fill('Z-2026-42');
      await page.getByRole('button', { name: 'Opzoeken' }).click();
      assert.match(await page.locator('h1').innerText(), /de gezochte persoon/);
      assert.ok(!page.url().includes(bsn));
      const html = await page.content();
      assert.ok(!html.includes(bsn), 'no BSN on the result page');
      assert.match(html, /Wijkteam Noord/);
      assert.match(html, /GGZ Rijnmond/);
      await check('persoon gevonden', 'admin-person');

      await page.goto(`${t.baseUrl}/beheer/mailbox`);
      await check('postvak');
      await page.close();
    });
  }
});
