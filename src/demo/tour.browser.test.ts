/**
 * The README's web tour, step by step, on a phone-sized screen, against the demo region: two
 * professionals of two organisations sign in, file signals on one new person, the second sees the
 * match with the first one's contact details, and the first finds the match mail in her mail; the
 * municipality answers an inspection request on the demo child with the letter (PDF) and the JSON.
 * If this test changes, change the README's tour with it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createEmbeddedRegister } from '../population-register/embedded-register.ts';
import { pdfText } from '../test-support/pdf.ts';
import {
  assertAccessible,
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  nextCode,
  openMenu,
  type Page,
  PHONE,
  screenshot,
  skipWithoutChromium,
  startBrowserApp,
} from '../test-support/web.ts';
import { DEMO_ADMIN_EMAIL, DEMO_PASSWORD, DEMO_TOTP_SECRET, seedDemo } from './seed-demo.ts';

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

async function signIn(page: Page, email: string, landing = '/') {
  await page.goto(`${t.baseUrl}/`);
  await page.waitForURL(/\/inloggen/);
  await page.getByLabel('E-mailadres').fill(email);
  await page.getByLabel('Wachtwoord').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Code').fill(nextCode(t, { accountId: '', email, password: DEMO_PASSWORD, secret: DEMO_TOTP_SECRET }));
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.waitForURL(`${t.baseUrl}${landing}`);
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

test('the README tour, part 3: the municipality answers an inspection request on the demo child', async (context) => {
  if (skipWithoutChromium(context)) return;
  const admin = await (await browser.newContext({ viewport: DESKTOP })).newPage();
  await signIn(admin, DEMO_ADMIN_EMAIL, '/beheer');
  await (await openMenu(admin)).getByRole('link', { name: 'Verzoeken' }).click();
  await admin.getByRole('link', { name: 'Verzoek registreren' }).click();
  // Maud (9): her parents ask, by letter; the BSN goes in the form only.
  await admin.getByLabel('BSN (niet verplicht)').fill('999999394');
  const birth = admin.getByRole('group', { name: 'Geboortedatum van de persoon' });
  await birth.getByLabel('Dag').fill('3');
  await birth.getByLabel('Maand').fill('3');
  await birth.getByLabel('Jaar').fill('2017');
  await admin.getByLabel('Inzage', { exact: true }).check();
  const [year, month, day] = new Date().toISOString().slice(0, 10).split('-').map(Number);
  const received = admin.getByRole('group', { name: 'Ontvangen op' });
  await received.getByLabel('Dag').fill(String(day));
  await received.getByLabel('Maand').fill(String(month));
  await received.getByLabel('Jaar').fill(String(year));
  await admin.getByLabel('Per brief').check();
  await admin.getByLabel('De wettelijk vertegenwoordiger', { exact: true }).check();
  await admin.getByLabel('Gezag of vertegenwoordiging gecontroleerd').check();
  await admin.getByRole('button', { name: 'Registreren' }).click();
  await admin.waitForURL(/\/privacy\/verzoeken\/[0-9a-f-]{36}$/);
  assert.ok(!(await admin.content()).includes('999999394'), 'the BSN is not shown again');
  await admin.getByRole('heading', { name: 'Inzage en kopie' }).waitFor();
  await assertAccessible(admin, 'tour: a rights request with its inspection report');
  await screenshot(admin, 'tour-inspection-request-desktop');

  // The letter to her parents: her signals, the match, the family match without her brother, who looked; no BSN.
  const pdfLink = admin.getByRole('link', { name: 'Inzagerapport maken (PDF)' });
  const letter = await admin.request.get(new URL((await pdfLink.getAttribute('href'))!, t.baseUrl).toString());
  assert.equal(letter.status(), 200);
  assert.equal(letter.headers()['content-type'], 'application/pdf');
  const text = pdfText(await letter.body());
  for (const expected of [
    'Inzage in uw gegevens in SluiS',
    'U vroeg dit als ouder of voogd.',
    'Maud Groot Esselink',
    'Wijkteam Noord',
    'Gezinsmatch',
    'GGZ Maasstad',
  ])
    assert.ok(text.includes(expected), `${expected} in the letter`);
  assert.doesNotMatch(text, /Teun|999999394|999999369|GGZ-3310/, 'no BSN, nothing of her brother');

  const jsonLink = admin.getByRole('link', { name: 'Gegevens downloaden (JSON)' });
  const data = await admin.request.get(new URL((await jsonLink.getAttribute('href'))!, t.baseUrl).toString());
  const report = JSON.parse(await data.text());
  assert.deepEqual(report.matches.map((m: { kind: string }) => m.kind).sort(), ['family', 'person']);
  assert.doesNotMatch(JSON.stringify(report), /Teun|999999394|999999369|GGZ-3310/);

  // The same through the API, as the README's curl tour does it with the demo administrator's public token.
  const ADMIN = { authorization: 'Bearer demo-admin.demo-admin-secret-not-for-production', 'content-type': 'application/json' };
  const registered = await fetch(`${t.baseUrl}/api/v1/rights-requests`, {
    method: 'POST',
    headers: ADMIN,
    body: JSON.stringify({
      person: { identifiedBy: 'bsn', bsn: '999999394', dateOfBirth: '2017-03-03' },
      kind: 'inspection',
      receivedOn: new Date().toISOString().slice(0, 10),
      through: 'letter',
      requester: 'legal_representative',
      identityCheck: 'representative_authority_checked',
    }),
  });
  assert.equal(registered.status, 201);
  const { id } = (await registered.json()) as { id: string };
  const viaApi = await fetch(`${t.baseUrl}/api/v1/rights-requests/${id}/inspection`, { headers: { authorization: ADMIN.authorization } });
  assert.equal(viaApi.status, 200);
  assert.equal(((await viaApi.json()) as { rightsRequests: unknown[] }).rightsRequests.length, 2);
  const letterViaApi = await fetch(`${t.baseUrl}/api/v1/rights-requests/${id}/inspection-letter`, { headers: { authorization: ADMIN.authorization } });
  assert.equal(letterViaApi.headers.get('content-type'), 'application/pdf');
});
