/**
 * The session timeout in Chromium, at phone and desktop width (docs/web.md, "Sessions"):
 * - a professional fills the signal form completely, the idle timeout passes (the server's test
 *   clock moves), they submit, are told they were signed out, sign in again on that page, land on
 *   the form with everything they typed, submit it, and the signal is filed;
 * - on a page with a form, sluis.js warns a few minutes before the timeout (the page's own clock is
 *   driven, no waiting) and "Ingelogd blijven" keeps the session; after the timeout it says so.
 * axe-core checks every page on the way. SLUIS_SCREENSHOTS=1 writes docs/screenshots/session-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomBsn } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  nextCode,
  type Page,
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
let anna: Awaited<ReturnType<typeof webProfessional>>;

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp();
  ({ t, browser } = env);
  const wijkteam = await t.organisation('Wijkteam Zuid');
  await t.services.db.updateTable('professionals').set({ name: 'Anna de Vries' }).where('id', '=', wijkteam.professionalId).execute();
  anna = await webProfessional(t, wijkteam);
});

after(() => env?.close());

const IDLE = 16 * 60_000;

async function fillSignal(page: Page, bsn: string) {
  await page.getByLabel('BSN').fill(bsn);
  await page.getByLabel('Voornamen').fill('Johannes');
  await page.getByLabel('Tussenvoegsel').fill('van der');
  await page.getByLabel('Achternaam').fill('Berg');
  await page.getByRole('group', { name: 'Geboortedatum' }).getByLabel('Dag').fill('17');
  await page.getByRole('group', { name: 'Geboortedatum' }).getByLabel('Maand').fill('5');
  await page.getByRole('group', { name: 'Geboortedatum' }).getByLabel('Jaar').fill('1980');
  await page.getByLabel('Man', { exact: true }).check();
  await page.getByLabel('Uw kenmerk').fill('WZ-2026-0042');
  await page.getByLabel('De persoon zelf').check();
}

const submit = (page: Page) => page.locator('form.sluis-signal-form').getByRole('button', { name: 'Signaal afgeven' }).click();

for (const [width, viewport] of [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const) {
  test(`a signal form sent after the idle timeout is recovered after signing in again, and filed (${width})`, async (testContext) => {
    if (skipWithoutChromium(testContext)) return;
    const page = await browser.newPage({ viewport });
    const check = pageChecks(page, width);
    try {
      await signInInBrowser(page, t, anna);
      await page.goto(`${t.baseUrl}/signalen/nieuw`);
      const bsn = randomBsn();
      await fillSignal(page, bsn);
      // The professional is called away; the session runs out before they press the button.
      t.clock.advance(IDLE);
      await submit(page);
      await page.getByRole('heading', { name: 'U bent uitgelogd', level: 1 }).waitFor();
      await page.getByText('U heeft 15 minuten niets naar SluiS gestuurd. Daarom bent u automatisch uitgelogd.').waitFor();
      await page.getByText(/Wat u had ingevuld is 30 minuten voor u bewaard/).waitFor();
      assert.equal(await page.getByText(bsn).count(), 0, 'no BSN on the signed-out page');
      await check('signed out, form kept', 'session-signed-out');

      // Signing in again right there: password, then the code, then back on the form.
      await page.getByLabel('E-mailadres').fill(anna.email);
      await page.getByLabel('Wachtwoord').fill(anna.password);
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await page.getByLabel('Code').fill(nextCode(t, anna));
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.waitForURL(/\/signalen\/nieuw$/);
      await page.getByText('U bent weer ingelogd. Wat u had ingevuld staat weer in het formulier.', { exact: false }).waitFor();
      assert.equal(await page.getByLabel('BSN').inputValue(), bsn);
      assert.equal(await page.getByLabel('Voornamen').inputValue(), 'Johannes');
      assert.equal(await page.getByLabel('Tussenvoegsel').inputValue(), 'van der');
      assert.equal(await page.getByLabel('Achternaam').inputValue(), 'Berg');
      assert.deepEqual(
        [
          await page.getByRole('group', { name: 'Geboortedatum' }).getByLabel('Dag').inputValue(),
          await page.getByRole('group', { name: 'Geboortedatum' }).getByLabel('Maand').inputValue(),
          await page.getByRole('group', { name: 'Geboortedatum' }).getByLabel('Jaar').inputValue(),
        ],
        ['17', '5', '1980'],
      );
      assert.equal(await page.getByLabel('Man', { exact: true }).isChecked(), true);
      assert.equal(await page.getByLabel('Uw kenmerk').inputValue(), 'WZ-2026-0042');
      assert.equal(await page.getByLabel('De persoon zelf').isChecked(), true);
      await check('form given back', 'session-restored');

      // Nothing was sent yet; the professional sends it now.
      await submit(page);
      await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
      await page.getByText('Geen match: u krijgt bericht zodra een andere professional betrokken raakt.').waitFor();
      await check('filed after recovery');
    } finally {
      await page.close();
    }
  });

  test(`a page with a form warns before the idle timeout, and "Ingelogd blijven" keeps the session (${width})`, async (testContext) => {
    if (skipWithoutChromium(testContext)) return;
    const page = await browser.newPage({ viewport });
    const check = pageChecks(page, width);
    try {
      await signInInBrowser(page, t, anna);
      // The page's clock is driven by the test (timers included); the server's by t.clock.
      await page.clock.install();
      await page.goto(`${t.baseUrl}/signalen/nieuw`);
      await page.getByLabel('Voornamen').fill('Sanne');
      assert.equal(await page.getByText('automatisch uitgelogd', { exact: false }).count(), 0, 'no warning yet');
      await page.clock.fastForward('12:30');
      const warning = page.locator('.sluis-session-notice').filter({ hasText: 'U wordt over 3 minuten automatisch uitgelogd' });
      await warning.waitFor();
      assert.equal(await warning.getAttribute('aria-live'), 'polite', 'read out politely, without taking the focus');
      assert.equal(await page.getByLabel('Voornamen').evaluate((input) => input === document.activeElement), true, 'the user keeps typing where they were');
      await check('idle warning');
      // The notice sits at the bottom of the screen: the screenshot shows the screen, not the whole page.
      if (process.env.SLUIS_SCREENSHOTS === '1') await page.screenshot({ path: `docs/screenshots/session-warning-${width}.png` });

      // Fourteen minutes after the page, the session is still there: keeping it refreshes it.
      t.clock.advance(14 * 60_000);
      await page.getByLabel('Voornamen').focus();
      await page.getByRole('button', { name: 'Ingelogd blijven' }).click();
      await page.locator('.sluis-session-notice').filter({ hasText: 'U blijft ingelogd.' }).waitFor();
      assert.equal(await page.evaluate(() => document.activeElement?.id), 'voornamen', 'focus back where the user was typing');
      assert.equal(await page.getByLabel('Voornamen').inputValue(), 'Sanne', 'nothing typed is lost');
      // Another fourteen minutes: without the keep-alive the session would have ended (28 > 15).
      t.clock.advance(14 * 60_000);
      await page.clock.fastForward('12:30');
      await warning.waitFor();
      t.clock.advance(2 * 60_000);
      // Now past the timeout on the server: the button says the user is signed out and how nothing is lost.
      await page.getByRole('button', { name: 'Ingelogd blijven' }).click();
      await page.locator('.sluis-session-notice').filter({ hasText: 'U bent nu uitgelogd' }).waitFor();
      await page.getByText('Verstuur het formulier gewoon: wat u heeft ingevuld, wordt bewaard', { exact: false }).waitFor();
      await check('signed out notice');
    } finally {
      await page.close();
    }
  });
}

test('the keep-alive did refresh the session on the server', async (testContext) => {
  if (skipWithoutChromium(testContext)) return;
  const page = await browser.newPage({ viewport: PHONE });
  try {
    await signInInBrowser(page, t, anna);
    await page.clock.install();
    await page.goto(`${t.baseUrl}/signalen/nieuw`);
    await page.clock.fastForward('12:30');
    t.clock.advance(14 * 60_000);
    await page.getByRole('button', { name: 'Ingelogd blijven' }).click();
    await page.locator('.sluis-session-notice').filter({ hasText: 'U blijft ingelogd.' }).waitFor();
    t.clock.advance(14 * 60_000);
    await page.reload();
    assert.match(page.url(), /\/signalen\/nieuw$/, 'still signed in, 28 minutes after the page was loaded');
  } finally {
    await page.close();
  }
});
