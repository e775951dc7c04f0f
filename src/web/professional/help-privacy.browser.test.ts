/**
 * Help where it is needed, in Chromium at phone width first and then on a desktop: the
 * administrator fills in the privacy statement (a wrong link refused first), anyone reads /privacy
 * (placeholders before, the municipality's text after), and a professional goes from the start page
 * to the help, from there to the organisation's own signalling criteria, and from the filing form
 * to the same. axe-core on every page, nothing wider than the screen. SLUIS_SCREENSHOTS=1 writes
 * docs/screenshots/{admin-privacy-settings,privacy,professional-help}-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestOrganisation } from '../../test-support/fixtures.ts';
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
  webProfessional,
} from '../../test-support/web.ts';

describe('help and the privacy statement, in the browser', { skip: !chromiumAvailable() && 'Chromium is not installed' }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let t: ListeningTestApp;
  let browser: Browser;
  let wijkteam: TestOrganisation;
  let admin: Awaited<ReturnType<typeof webAdministrator>>;
  let professional: Awaited<ReturnType<typeof webProfessional>>;
  before(async () => {
    env = await startBrowserApp();
    ({ t, browser } = env);
    wijkteam = await t.organisation('Wijkteam Noord');
    await t.services.organisations.update(t.admin, wijkteam.id, {
      signallingCriteria:
        'Wij geven een signaal af als wij een gezin langer dan een maand begeleiden, of als wij zorgen hebben over de veiligheid van een kind.',
    });
    admin = await webAdministrator(t);
    professional = await webProfessional(t, wijkteam);
  });
  after(() => env?.close());

  for (const [width, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    test(`the privacy statement, filled in and read (${width})`, async (context) => {
      if (skipWithoutChromium(context)) return;
      await t.services.settings.update(t.admin, { privacyStatement: {} });
      const reader = await browser.newPage({ viewport });
      const read = pageChecks(reader, width);
      await reader.goto(`${t.baseUrl}/privacy`);
      assert.equal(await reader.getByRole('heading', { name: 'Nog niet ingevuld' }).count(), 2);
      await read('privacy, nog niet ingevuld');

      const page = await browser.newPage({ viewport });
      await signInInBrowser(page, t, admin);
      const check = pageChecks(page, width);
      await page.goto(`${t.baseUrl}/beheer/instellingen`);
      await page.getByRole('link', { name: 'Privacyverklaring' }).click();
      await page.waitForURL(/\/beheer\/instellingen\/privacy$/);
      await check('privacyverklaring');
      await page.getByLabel('Contact voor vragen en verzoeken').fill('Gemeente Voorbeeld, Stadhuis\nCoolsingel 40, 3011 AD Voorbeeld\nTelefoon 14 010');
      await page.getByLabel('Functionaris gegevensbescherming').fill('fg@voorbeeld.example');
      await page.getByLabel('Link naar de privacyverklaring van de gemeente').fill('http://www.voorbeeld.example/privacy');
      await page.getByRole('button', { name: 'Privacyverklaring opslaan' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /https:\/\//);
      assert.equal(await page.getByLabel('Functionaris gegevensbescherming').inputValue(), 'fg@voorbeeld.example', 'nothing typed is lost');
      await check('privacyverklaring met fout');
      await page.getByLabel('Link naar de privacyverklaring van de gemeente').fill('https://www.voorbeeld.example/privacy');
      await page.getByRole('button', { name: 'Privacyverklaring opslaan' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /opgeslagen/);
      await check('privacyverklaring opgeslagen', 'admin-privacy-settings');

      await reader.reload();
      assert.equal(await reader.getByRole('heading', { name: 'Nog niet ingevuld' }).count(), 0);
      assert.match(await reader.locator('main').innerText(), /Coolsingel 40, 3011 AD Voorbeeld\nTelefoon 14 010/);
      await reader.getByRole('link', { name: 'Uw rechten', exact: true }).click();
      await read('privacy', 'privacy');
      await reader.close();
      await page.close();
    });

    test(`from the start page to the help and the organisation's criteria, and from the filing form (${width})`, async (context) => {
      if (skipWithoutChromium(context)) return;
      const page = await browser.newPage({ viewport });
      await signInInBrowser(page, t, professional);
      const check = pageChecks(page, width);
      await page.locator('main').getByRole('link', { name: 'Hulp bij signaleren' }).click();
      await page.waitForURL(/\/hulp$/);
      assert.match(await page.locator('main').innerText(), /Jonger dan 12 jaar/);
      await check('hulp', 'professional-help');
      await page.getByRole('link', { name: 'Lees de meldcriteria van Wijkteam Noord' }).click();
      await page.waitForURL(/#meldcriteria$/);
      assert.match(await page.locator('main').innerText(), /langer dan een maand begeleiden/);
      assert.ok(await page.getByRole('heading', { name: 'Wanneer wij een signaal afgeven' }).isVisible());
      await check('meldcriteria');

      await page.goto(`${t.baseUrl}/signalen/nieuw`);
      await page.getByRole('link', { name: 'De meldcriteria van Wijkteam Noord' }).click();
      await page.waitForURL(/#meldcriteria$/);
      await page.goBack();
      await page.getByRole('link', { name: 'Wanneer u een signaal afgeeft en wat u de persoon vertelt' }).click();
      await page.waitForURL(/\/hulp$/);
      await page.close();
    });
  }
});
