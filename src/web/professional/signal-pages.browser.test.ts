/**
 * The professional's pages in Chromium, at phone and desktop width: filing a signal (no match),
 * a second organisation filing on the same person (match, with the first one's contact details),
 * the match page, ending a signal and the directory. axe-core checks every page on the way.
 * SLUIS_SCREENSHOTS=1 writes docs/screenshots/professional-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { randomBsn } from '../../test-support/fixtures.ts';
import {
  assertAccessible,
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  openMenu,
  type Page,
  PHONE,
  screenshot,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  webProfessional,
} from '../../test-support/web.ts';

let env: Awaited<ReturnType<typeof startBrowserApp>>;
let t: ListeningTestApp;
let browser: Browser;
let anna: Awaited<ReturnType<typeof webProfessional>>;
let bram: Awaited<ReturnType<typeof webProfessional>>;

async function organisation(
  name: string,
  profile: {
    domains: ('social_support' | 'youth_care' | 'housing' | 'mental_health' | 'work_and_income' | 'education')[];
    description: string;
    signallingCriteria: string;
    phone: string;
    email: string;
  },
) {
  const org = await t.organisation(name);
  await t.services.organisations.update(t.admin, org.id, profile);
  return org;
}

async function person(org: Awaited<ReturnType<typeof organisation>>, name: string, jobTitle: string, phone: string, email: string) {
  await t.services.db.updateTable('professionals').set({ name, job_title: jobTitle, phone, email }).where('id', '=', org.professionalId).execute();
  return webProfessional(t, org);
}

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp();
  ({ t, browser } = env);
  const wijkteam = await organisation('Wijkteam Noord', {
    domains: ['social_support', 'youth_care'],
    phone: '010 111 2233',
    email: 'info@wijkteamnoord.example',
    description: 'Wij helpen gezinnen en volwassenen in Noord met opvoeden, geldzaken, wonen en gezondheid.',
    signallingCriteria: 'Wij geven een signaal af als wij een gezin langer dan een maand begeleiden.',
  });
  const maas = await organisation('Woonstichting De Maas', {
    domains: ['housing'],
    phone: '010 444 5566',
    email: 'huurders@demaas.example',
    description: 'Wij verhuren 30.000 woningen in de regio en helpen huurders die hun huur niet kunnen betalen.',
    signallingCriteria: 'Bij twee maanden huurachterstand, of bij zorgen over de woning of de buren.',
  });
  await organisation('GGZ Rijnmond', {
    domains: ['mental_health'],
    phone: '010 777 8899',
    email: 'aanmelden@ggzrijnmond.example',
    description: 'Behandeling en begeleiding bij psychische klachten, voor jong en oud.',
    signallingCriteria: 'Bij elke cliënt in langdurige begeleiding.',
  });
  await organisation('Schuldhulp Rotterdam', {
    domains: ['work_and_income'],
    phone: '14 010',
    email: 'schuldhulp@rotterdam.example',
    description: 'Hulp bij schulden: budgetcoaching, schuldregeling en bewindvoering.',
    signallingCriteria: 'Bij een aanvraag voor schuldhulp.',
  });
  anna = await person(wijkteam, 'Anna de Vries', 'Gezinscoach', '06 1234 5678', 'anna.devries@wijkteamnoord.example');
  bram = await person(maas, 'Bram Jansen', 'Woonconsulent', '010 444 5570', 'bram.jansen@demaas.example');
});

after(() => env?.close());

async function fill(page: Page, bsn: string, name: [string, string, string], birth: [string, string, string]) {
  await page.getByLabel('BSN').fill(bsn);
  await page.getByLabel('Voornamen').fill(name[0]);
  await page.getByLabel('Tussenvoegsel').fill(name[1]);
  await page.getByLabel('Achternaam').fill(name[2]);
  // A date is three boxes in Dutch order, in a group named by its legend (every date on the form has its own Dag, Maand, Jaar).
  const birthDate = page.getByRole('group', { name: 'Geboortedatum' });
  await birthDate.getByLabel('Dag').fill(birth[0]);
  await birthDate.getByLabel('Maand').fill(birth[1]);
  await birthDate.getByLabel('Jaar').fill(birth[2]);
}

const submit = (page: Page) => page.locator('form.sluis-signal-form').getByRole('button', { name: 'Signaal afgeven' }).click();

for (const [width, viewport] of [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const) {
  test(`a professional files, matches, ends and looks up organisations (${width})`, async (testContext) => {
    if (skipWithoutChromium(testContext)) return;
    const bsn = randomBsn();
    const who: [string, string, string] = width === 'phone' ? ['Johannes', 'van der', 'Berg'] : ['Fatima', '', 'El Amrani'];
    const fullName = who.filter(Boolean).join(' ');
    const contextA = await browser.newContext({ viewport });
    const contextB = await browser.newContext({ viewport });
    try {
      // Anna (Wijkteam Noord) files on a new person: no match.
      const a = await contextA.newPage();
      await signInInBrowser(a, t, anna);
      await assertAccessible(a, `start (${width})`);
      await a.locator('main').getByRole('link', { name: 'Signaal afgeven' }).click();
      await a.waitForURL(/\/signalen\/nieuw$/);
      await assertAccessible(a, `new signal form (${width})`);
      // Controls one can hit with a thumb: every radio and checkbox row is at least 44 px high, its label the target.
      const rows = await a.locator('.sluis-choice .utrecht-form-label').evaluateAll((labels) => labels.map((l) => l.getBoundingClientRect().height));
      assert.ok(rows.length > 0 && rows.every((h) => h >= 44), `choice rows ${rows.join(', ')} px`);

      await a.getByLabel('BSN').fill('123456789');
      await assert.doesNotReject(a.getByText('Dit BSN klopt niet. Controleer de cijfers.').waitFor());
      // A child first: the informing section stays, the consent section goes, the law's ask is spelled out.
      await fill(a, bsn, ['Sanne', '', 'Bakker'], ['3', '9', '2012']);
      await a.getByText('Dit BSN klopt (elfproef).').waitFor();
      await a.getByText('Van 12 tot en met 15 jaar informeert u de jongere én de ouders of voogd.').waitFor();
      assert.equal(await a.locator('[data-sectie="toestemming"]').isVisible(), false);
      assert.equal(await a.locator('[data-sectie="informeren"]').isVisible(), true);
      // Then the adult it really is: consent.
      await fill(a, bsn, who, ['17', '5', '1980']);
      await a.getByText('Vanaf 23 jaar is toestemming van de persoon nodig.').waitFor();
      assert.equal(await a.locator('[data-sectie="informeren"]').isVisible(), false);
      await a.getByLabel('Man', { exact: true }).check();
      await a.getByLabel('Uw kenmerk').fill('WN-2026-0142');
      await a.getByLabel('De persoon zelf').check();
      await assertAccessible(a, `filled form (${width})`);
      await screenshot(a, `professional-new-signal-${width}`);
      await submit(a);
      await a.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
      await a.getByText('Geen match: u krijgt bericht zodra een andere professional betrokken raakt.').waitFor();
      await assertAccessible(a, `answer without match (${width})`);
      await screenshot(a, `professional-answer-no-match-${width}`);

      // Bram (Woonstichting De Maas) files on the same person: a match with Anna's contact details.
      const b = await contextB.newPage();
      await signInInBrowser(b, t, bram);
      await b.goto(`${t.baseUrl}/signalen/nieuw`);
      await fill(b, bsn, who, ['17', '5', '1980']);
      await b.getByLabel('Man', { exact: true }).check();
      await b.getByLabel('De persoon zelf').check();
      await submit(b);
      await b.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
      await b.getByRole('heading', { name: 'Match: er zijn meer professionals betrokken' }).waitFor();
      for (const detail of ['Anna de Vries', 'Gezinscoach, Wijkteam Noord', '06 1234 5678', 'anna.devries@wijkteamnoord.example']) {
        assert.equal((await b.locator('main').getByText(detail, { exact: true }).count()) > 0, true, detail);
      }
      await assertAccessible(b, `answer with match (${width})`);
      await screenshot(b, `professional-answer-match-${width}`);
      await b.getByRole('link', { name: 'Naar de match' }).click();
      await b.waitForURL(/\/matches\/[0-9a-f-]{36}$/);
      await b.getByRole('heading', { name: 'Ook betrokken' }).waitFor();
      await assertAccessible(b, `match page (${width})`);
      await screenshot(b, `professional-match-${width}`);
      // Printed, the match page keeps the contact details and drops the forms, buttons and menu.
      await b.emulateMedia({ media: 'print' });
      assert.equal(await b.locator('main').getByText('06 1234 5678', { exact: true }).first().isVisible(), true, 'contact details printed');
      for (const selector of ['form', '.utrecht-button', '.utrecht-button-link', '.sluis-header', '.sluis-footer']) {
        const shown = await b.locator(selector).evaluateAll((nodes) => nodes.filter((n) => n.getClientRects().length > 0).length);
        assert.equal(shown, 0, `${selector} is not printed`);
      }
      await screenshot(b, `professional-match-print-${width}`);
      await b.emulateMedia({ media: 'screen' });

      // Anna's start page marks the match as new.
      await a.goto(`${t.baseUrl}/`);
      await a.getByRole('heading', { name: 'Nieuwe matches' }).waitFor();
      await assertAccessible(a, `start with a new match (${width})`);
      await screenshot(a, `professional-start-${width}`);
      await a.getByRole('heading', { name: 'Nieuwe matches' }).locator('..').getByRole('link', { name: fullName }).click();
      await a.waitForURL(/\/matches\//);
      await a.getByText('Bram Jansen', { exact: true }).waitFor();

      // Bram ends his signal.
      await b.getByRole('link', { name: 'Naar uw signaal' }).click();
      await b.getByRole('link', { name: 'Signaal beëindigen' }).click();
      await b.waitForURL(/\/beeindigen$/);
      await b.getByRole('heading', { name: 'Wat er gebeurt' }).waitFor();
      await b.getByText('U kunt dit niet ongedaan maken.').waitFor();
      await assertAccessible(b, `end signal (${width})`);
      await b.getByRole('button', { name: 'Ja, signaal beëindigen' }).click();
      await b.getByText('Kies waarom u het signaal beëindigt.').first().waitFor();
      await assertAccessible(b, `end signal with error (${width})`);
      await b.getByLabel('Mijn hulp is afgerond').check();
      await screenshot(b, `confirm-end-signal-${width}`);
      await b.getByRole('button', { name: 'Ja, signaal beëindigen' }).click();
      await b.waitForURL(/\/signalen\?beeindigd=1$/);
      await b.getByText('Het signaal is beëindigd.', { exact: false }).waitFor();
      await assertAccessible(b, `my signals (${width})`);

      // The directory: everything, then by domain, then a profile.
      await (await openMenu(a)).getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Organisaties' }).click();
      await a.waitForURL(/\/organisaties$/);
      await assertAccessible(a, `directory (${width})`);
      await screenshot(a, `professional-directory-${width}`);
      // A select box shows its arrow.
      const arrow = await a.getByLabel('Domein', { exact: true }).evaluate((select) => getComputedStyle(select).backgroundImage);
      assert.match(arrow, /^url\("data:image\/svg\+xml/);
      await a.getByLabel('Domein', { exact: true }).selectOption('housing');
      await a.getByRole('button', { name: 'Zoeken' }).click();
      await a.waitForURL(/domein=housing/);
      await a.getByText('1 organisatie gevonden').waitFor();
      await a.getByRole('link', { name: 'Woonstichting De Maas' }).click();
      await a.getByRole('heading', { name: 'Wanneer wij een signaal afgeven' }).waitFor();
      await a.getByText('Bij twee maanden huurachterstand', { exact: false }).waitFor();
      await assertAccessible(a, `organisation profile (${width})`);
      assert.equal((await a.content()).includes(bsn), false);
      assert.equal((await b.content()).includes(bsn), false);
    } finally {
      await contextA.close();
      await contextB.close();
    }
  });
}
