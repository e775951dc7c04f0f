/**
 * The README's web tour, step by step, on a phone-sized screen, against the demo region: two
 * professionals of two organisations sign in, file signals on one new person, the second sees the
 * match with the first one's contact details, and the first finds the match mail in her mail.
 * If this test changes, change the README's tour with it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEmbeddedRegister } from '../population-register/embedded-register.ts';
import {
  assertAccessible,
  type Browser,
  chromiumAvailable,
  type ListeningTestApp,
  nextCode,
  openMenu,
  type Page,
  PHONE,
  screenshot,
  skipWithoutChromium,
  startBrowserApp,
} from '../test-support/web.ts';
import { DEMO_PASSWORD, DEMO_TOTP_SECRET, seedDemo } from './seed-demo.ts';

let env: Awaited<ReturnType<typeof startBrowserApp>>;
let t: ListeningTestApp;
let browser: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  // As `npm run demo`: with the embedded register of the RvIG's test persons.
  env = await startBrowserApp({ start: new Date().toISOString(), register: createEmbeddedRegister() });
  ({ t, browser } = env);
  await seedDemo(t.services, t.baseUrl);
});

after(() => env?.close());

async function signIn(page: Page, email: string) {
  await page.goto(`${t.baseUrl}/`);
  await page.waitForURL(/\/inloggen/);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Code').fill(nextCode(t, { accountId: '', email, password: DEMO_PASSWORD, secret: DEMO_TOTP_SECRET }));
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.waitForURL(`${t.baseUrl}/`);
}

async function fileOnWilma(page: Page) {
  await page.locator('main').getByRole('link', { name: 'Signaal afgeven' }).click();
  await page.getByLabel('BSN').fill('999999357');
  await page.getByLabel('Voornamen').fill('Wilma');
  await page.getByLabel('Achternaam').fill('Haverkamp');
  const birthDate = page.getByRole('group', { name: 'Geboortedatum' });
  await birthDate.getByLabel('Dag').fill('16');
  await birthDate.getByLabel('Maand').fill('11');
  await birthDate.getByLabel('Jaar').fill('1990');
  await page.getByLabel('Vrouw').check();
  await page.getByLabel('De persoon zelf').check();
  await page.locator('form.sluis-signal-form').getByRole('button', { name: 'Signaal afgeven' }).click();
  await page.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
}

test('the README tour: two organisations, one person, a match and its mail, on a phone', async (context) => {
  if (skipWithoutChromium(context)) return;
  // Lisa Bakker (Woonstad Wonen) files first: no match yet.
  const lisa = await (await browser.newContext({ viewport: PHONE })).newPage();
  await signIn(lisa, 'l.bakker@woonstad.example');
  await fileOnWilma(lisa);
  await lisa.getByText('Geen match: u krijgt bericht zodra een andere professional betrokken raakt.').waitFor();

  // Fatma Yilmaz (Schuldhulp Rijnmond) files on the same person: a match, with Lisa's contact details.
  const fatma = await (await browser.newContext({ viewport: PHONE })).newPage();
  await signIn(fatma, 'f.yilmaz@schuldhulp.example');
  await fileOnWilma(fatma);
  const main = fatma.locator('main');
  await main.getByText('Lisa Bakker').first().waitFor();
  assert.match(await main.innerText(), /Woonstad Wonen/);
  assert.match(await main.innerText(), /010 123 4503/);
  assert.ok(!(await fatma.content()).includes('999999357'), 'no page shows the BSN');
  await assertAccessible(fatma, 'tour: answer with a match');
  await screenshot(fatma, 'tour-match-phone');

  // The worker inside `npm start` delivers the mail; here it runs once.
  await t.services.deliveryWorker.runOnce();
  await lisa.goto(`${t.baseUrl}/`);
  // Her account is in the menu (behind the Menu button on a phone).
  await (await openMenu(lisa)).getByRole('link', { name: /Lisa Bakker/ }).click();
  await lisa.getByRole('link', { name: 'Bekijk de mails die SluiS u stuurde' }).click();
  await lisa.getByText('SluiS: er is een match op uw signaal').waitFor();
  assert.match(await lisa.locator('main').innerText(), /Fatma Yilmaz/);
  await assertAccessible(lisa, 'tour: own mail');
  await screenshot(lisa, 'tour-mail-phone');
  const link = /(http:\/\/127\.0\.0\.1:\d+\/matches\/[0-9a-f-]{36})/.exec(await lisa.locator('main').innerText())![1]!;

  // Lisa's start page marks the match as new.
  await lisa.goto(`${t.baseUrl}/`);
  assert.match(await lisa.locator('main').innerText(), /Nieuw/);

  // The link in the mail opens the match page.
  await lisa.goto(link);
  assert.match(await lisa.locator('main').innerText(), /Fatma Yilmaz/);
  assert.doesNotMatch(await lisa.locator('h1').innerText(), /Niet gevonden/);
});

test('the README tour, part 2: the demo match gets a coordinator, the other participant hears of it', async (context) => {
  if (skipWithoutChromium(context)) return;
  // Sanne de Vries (Wijkteam Noord) has the demo match on Maud Groot Esselink with the school.
  const sanne = await (await browser.newContext({ viewport: PHONE })).newPage();
  await signIn(sanne, 'sanne.devries@wijkteam.example');
  const cards = sanne.locator('main li.sluis-match-card');
  await cards.filter({ hasNotText: 'Gezinsmatch' }).getByRole('link', { name: 'Maud Groot Esselink' }).click();
  await sanne.waitForURL(/\/matches\/[0-9a-f-]{36}/);
  // The covenant's rule proposes her (youth care before school); she takes coordination and records contact.
  assert.match(await sanne.locator('main').innerText(), /Voorstel volgens de afspraken in het convenant: u/);
  await sanne.getByRole('button', { name: 'Ik neem de regie' }).click();
  const contactDate = sanne.getByRole('group', { name: 'Datum van het contact' });
  const [year, month, day] = new Date().toISOString().slice(0, 10).split('-').map(Number);
  await contactDate.getByLabel('Dag').fill(String(day));
  await contactDate.getByLabel('Maand').fill(String(month));
  await contactDate.getByLabel('Jaar').fill(String(year));
  await sanne.getByRole('button', { name: 'Contact vastleggen' }).click();
  const text = await sanne.locator('main').innerText();
  assert.match(text, /Sanne de Vries/);
  assert.doesNotMatch(text, /Nog niemand heeft de regie/);
  await assertAccessible(sanne, 'tour: match with a coordinator');
  await screenshot(sanne, 'tour-coordination-phone');

  // Mark Jansen (the school) gets the mail.
  await t.services.deliveryWorker.runOnce();
  const mails = await t.services.db.selectFrom('dev_mailbox').select(['subject', 'text_body']).where('to_address', '=', 'm.jansen@regenboog.example').execute();
  const mail = mails.find((m) => m.subject === 'SluiS: de regie is genomen – stem af met de regisseur');
  assert.ok(mail, 'Mark is told');
  assert.match(mail.text_body, /Sanne de Vries/);
  assert.doesNotMatch(mail.text_body, /\bMaud\b|Groot Esselink|999999394/);

  // The family match: GGZ's Ahmed El Amrani is involved with a child of the same parents. Which child, SluiS does not say.
  await (await openMenu(sanne)).getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Start' }).click();
  await cards.filter({ hasText: 'Gezinsmatch' }).getByRole('link', { name: 'Maud Groot Esselink' }).click();
  await sanne.waitForURL(/\/matches\/[0-9a-f-]{36}/);
  const family = await sanne.locator('main').innerText();
  assert.match(family, /Gezinsmatch/);
  assert.match(family, /Ahmed El Amrani/);
  assert.match(family, /GGZ Maasstad/);
  assert.doesNotMatch(family, /Teun|999999369|GGZ-3310|2012/, 'nothing of the other child');
  await assertAccessible(sanne, 'tour: family match');
  await screenshot(sanne, 'tour-family-match-phone');
});
