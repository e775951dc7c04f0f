/**
 * The header in Chromium: on a phone one slim row with a "Menu" button that opens the navigation and
 * the account (with the keyboard, and without JavaScript too); on a wide screen the menu is simply
 * there. axe-core on every state. SLUIS_SCREENSHOTS=1 writes docs/screenshots/header-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  assertAccessible,
  assertFitsWidth,
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  type Page,
  PHONE,
  SMALLEST,
  screenshot,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  webProfessional,
} from '../test-support/web.ts';

let env: Awaited<ReturnType<typeof startBrowserApp>>;
let t: ListeningTestApp;
let browser: Browser;
let anna: Awaited<ReturnType<typeof webProfessional>>;

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp();
  ({ t, browser } = env);
  const organisation = await t.organisation('Wijkteam Noord');
  await t.services.db.updateTable('professionals').set({ name: 'Anna de Vries' }).where('id', '=', organisation.professionalId).execute();
  anna = await webProfessional(t, organisation, { coordinator: true });
});

after(() => env?.close());

const menuButton = (page: Page) => page.getByRole('banner').locator('summary.sluis-menu__button');
const menuLink = (page: Page, name: string) => page.getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name, exact: true });
const isOpen = (page: Page) => page.locator('details.sluis-menu').evaluate((menu) => (menu as HTMLDetailsElement).open);
const headerHeight = (page: Page) => page.getByRole('banner').evaluate((header) => header.getBoundingClientRect().height);

test('on a phone the header is one row with a menu button that opens the navigation, by keyboard too', async (context) => {
  if (skipWithoutChromium(context)) return;
  const page = await browser.newPage({ viewport: PHONE });
  await signInInBrowser(page, t, anna);
  assert.ok((await headerHeight(page)) <= 72, `the header is ${await headerHeight(page)} px high`);
  assert.equal(await menuButton(page).isVisible(), true);
  assert.equal(await isOpen(page), false);
  assert.equal(await menuLink(page, 'Mijn signalen').isVisible(), false, 'the navigation waits behind the button');
  await assertAccessible(page, 'start, menu closed (phone)');
  await screenshot(page, 'header-menu-phone');

  // Keyboard: past the skip link and the brand to the button; Enter opens, Escape closes and keeps focus on it.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await menuButton(page).evaluate((button) => button === document.activeElement), true, 'the menu button is the third stop');
  await page.keyboard.press('Enter');
  assert.equal(await isOpen(page), true);
  for (const name of ['Start', 'Signaal afgeven', 'Mijn signalen', 'Casusoverleggen', 'Organisaties', 'Mijn organisatie'])
    assert.equal(await menuLink(page, name).isVisible(), true, name);
  assert.equal(await menuLink(page, 'Start').getAttribute('aria-current'), 'page');
  assert.equal(await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).isVisible(), true);
  await assertAccessible(page, 'start, menu open (phone)');
  await screenshot(page, 'header-menu-open-phone');
  await page.keyboard.press('Tab');
  assert.equal(await menuLink(page, 'Start').evaluate((link) => link === document.activeElement), true, 'the first link follows the button');
  await page.keyboard.press('Escape');
  assert.equal(await isOpen(page), false);
  assert.equal(await menuButton(page).evaluate((button) => button === document.activeElement), true, 'focus is back on the button');

  // A tap elsewhere closes it; a link in it goes where it says.
  await menuButton(page).click();
  await page.locator('main h1').click();
  assert.equal(await isOpen(page), false);
  await menuButton(page).click();
  await menuLink(page, 'Mijn signalen').click();
  await page.waitForURL(/\/signalen$/);
  assert.equal(await isOpen(page), false, 'the next page starts with the menu closed');
  await menuButton(page).click();
  assert.equal(await menuLink(page, 'Mijn signalen').getAttribute('aria-current'), 'page');
  await page.close();

  // At 320 px nothing sticks out, open or closed.
  const small = await browser.newPage({ viewport: SMALLEST });
  await signInInBrowser(small, t, anna);
  await assertFitsWidth(small, 'start, menu closed (320 px)');
  await menuButton(small).click();
  await assertFitsWidth(small, 'start, menu open (320 px)');
  await small.close();
});

test('the menu works without JavaScript', async (context) => {
  if (skipWithoutChromium(context)) return;
  const page = await browser.newPage({ viewport: PHONE, javaScriptEnabled: false });
  await signInInBrowser(page, t, anna);
  await menuButton(page).click();
  await menuLink(page, 'Organisaties').click();
  await page.waitForURL(/\/organisaties$/);
  await menuButton(page).click();
  await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).click();
  await page.waitForURL(/\/uitloggen$/);
  assert.match(await page.locator('h1').innerText(), /U bent uitgelogd/);
  assert.equal(await menuButton(page).count(), 0, 'signed out, there is no menu');
  await page.close();
});

test('on a wide screen the menu is simply there: no button, the navigation and the account in the header', async (context) => {
  if (skipWithoutChromium(context)) return;
  const page = await browser.newPage({ viewport: DESKTOP });
  await signInInBrowser(page, t, anna);
  assert.equal(await menuButton(page).isVisible(), false);
  for (const name of ['Start', 'Signaal afgeven', 'Mijn signalen', 'Casusoverleggen', 'Organisaties', 'Mijn organisatie'])
    assert.equal(await menuLink(page, name).isVisible(), true, name);
  assert.equal(
    await page
      .getByRole('banner')
      .getByRole('link', { name: /Anna de Vries/ })
      .isVisible(),
    true,
  );
  assert.equal(await page.getByRole('banner').getByRole('button', { name: 'Uitloggen' }).isVisible(), true);
  // The keyboard reaches the links straight after the brand.
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  await page.keyboard.press('Tab');
  assert.equal(await menuLink(page, 'Start').evaluate((link) => link === document.activeElement), true);
  await assertAccessible(page, 'start (desktop)');
  await screenshot(page, 'header-desktop');
  await page.close();
});
