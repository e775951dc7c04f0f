/**
 * Signing in, in Chromium, on a phone and on a desktop: every page passes axe (WCAG 2.1 AA), the
 * sign-in works without JavaScript, and screenshots are kept (npm run screenshots).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  assertAccessible,
  assertFitsWidth,
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  nextCode,
  openMenu,
  PHONE,
  SMALLEST,
  screenshot,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  webAdministrator,
  webProfessional,
} from '../../test-support/web.ts';

describe('signing in, in the browser', { skip: !chromiumAvailable() && 'Chromium is not installed' }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let t: ListeningTestApp;
  let browser: Browser;
  before(async () => {
    env = await startBrowserApp();
    ({ t, browser } = env);
  });
  after(() => env?.close());

  for (const [width, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    test(`sign in with password and code, see the account page, sign out (${width})`, async (context) => {
      if (skipWithoutChromium(context)) return;
      const organisation = await t.organisation(`Wijkteam Noord ${width}`);
      const account = await webProfessional(t, organisation);
      const page = await browser.newPage({ viewport });
      await page.goto(`${t.baseUrl}/inloggen`);
      assert.equal(await page.getAttribute('html', 'lang'), 'nl');
      assert.match(await page.title(), /^Inloggen · SluiS/);
      await assertAccessible(page, 'inloggen');
      await screenshot(page, `sign-in-${width}`);

      // A wrong password: the message is announced and the page is still accessible.
      await page.getByLabel('E-mailadres').fill(account.email);
      await page.getByLabel('Wachtwoord').fill('niet-het-goede-wachtwoord');
      await page.getByRole('button', { name: 'Inloggen' }).click();
      assert.match(await page.getByRole('alert').innerText(), /klopt niet/);
      await assertAccessible(page, 'inloggen met fout');

      await page.getByLabel('Wachtwoord').fill(account.password);
      await page.getByRole('button', { name: 'Inloggen' }).click();
      await page.waitForURL(/\/inloggen\/code$/);
      await assertAccessible(page, 'code');
      await screenshot(page, `sign-in-code-${width}`);
      await page.getByLabel('Code').fill('123456');
      await page.getByRole('button', { name: 'Verder' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /Deze code klopt niet/);
      await assertAccessible(page, 'code met fout');
      await page.getByLabel('Code').fill(nextCode(t, account));
      await page.getByRole('button', { name: 'Verder' }).click();
      await page.goto(`${t.baseUrl}/account`);
      assert.match(await page.locator('h1').innerText(), /Uw account/);
      await assertAccessible(page, 'account');
      await (await openMenu(page)).getByRole('button', { name: 'Uitloggen', exact: true }).click();
      assert.match(await page.locator('h1').innerText(), /uitgelogd/);
      await page.goto(`${t.baseUrl}/account`);
      await page.waitForURL(/\/inloggen/);
      await page.close();
    });
  }

  test('an administrator signs in without JavaScript; the enrolment and password pages pass axe', async (context) => {
    if (skipWithoutChromium(context)) return;
    const admin = await webAdministrator(t);
    const noScript = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false });
    const page = await noScript.newPage();
    await signInInBrowser(page, t, admin);
    await page.goto(`${t.baseUrl}/account`);
    assert.match(await page.locator('h1').innerText(), /Uw account/);
    await noScript.close();

    const organisation = await t.organisation();
    const fresh = await webProfessional(t, organisation);
    await t.services.db.updateTable('web_accounts').set({ totp_secret: null, totp_enrolled_at: null }).where('id', '=', fresh.accountId).execute();
    const phone = await browser.newPage({ viewport: PHONE });
    await phone.goto(`${t.baseUrl}/inloggen`);
    await phone.getByLabel('E-mailadres').fill(fresh.email);
    await phone.getByLabel('Wachtwoord').fill(fresh.password);
    await phone.getByRole('button', { name: 'Inloggen' }).click();
    await phone.waitForURL(/\/inloggen\/koppelen$/);
    await assertAccessible(phone, 'koppelen');
    await screenshot(phone, 'sign-in-enrol-phone');
    for (const path of ['/wachtwoord/vergeten', '/wachtwoord/instellen?link=onbekend', '/privacy', '/toegankelijkheid', '/offline', '/bestaat-niet']) {
      await phone.goto(`${t.baseUrl}${path}`);
      await assertAccessible(phone, path);
    }
    await phone.close();
  });

  test('installable: a manifest and a service worker that caches static assets only, never a page with personal data', async (context) => {
    if (skipWithoutChromium(context)) return;
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const page = await browser.newPage({ viewport: SMALLEST });
    await signInInBrowser(page, t, account);
    await page.goto(`${t.baseUrl}/account`);
    await assertFitsWidth(page, 'account at 320px');
    const manifest = await (await page.request.get(`${t.baseUrl}/manifest.webmanifest`)).json();
    assert.equal(manifest.lang, 'nl');
    assert.ok(manifest.icons.some((icon: { sizes: string }) => icon.sizes === '512x512'));
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await page.reload();
    await page.goto(`${t.baseUrl}/account`);
    const cached = await page.evaluate(async () => {
      const urls: string[] = [];
      for (const key of await caches.keys()) for (const request of await (await caches.open(key)).keys()) urls.push(new URL(request.url).pathname);
      return urls.sort();
    });
    assert.ok(cached.length > 0, 'the service worker cached its static assets');
    for (const path of cached) assert.ok(path.startsWith('/assets/') || path === '/offline', `only static assets are cached, not ${path}`);
    await page.close();
  });
});
