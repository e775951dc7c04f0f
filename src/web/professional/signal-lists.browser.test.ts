/**
 * Long lists in Chromium, phone width first: a professional with 130 active signals pages through
 * "Mijn signalen", sees how many there are, and finds one by their own client reference (a POST
 * form: the reference never shows in the address bar); the coordinator's professionals and the
 * municipality's organisations and audit trail page the same way. axe-core checks every page.
 * SLUIS_SCREENSHOTS=1 writes docs/screenshots/lists-*.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { adultSignal, randomBsn } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  type Page,
  PHONE,
  pageChecks,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  webAdministrator,
  webProfessional,
} from '../../test-support/web.ts';

const ACTIVE = 130;
const reference = (i: number) => `WN-2026-${String(i).padStart(4, '0')}`;
const GIVEN = ['Noor', 'Daan', 'Sem', 'Lotte', 'Milan', 'Sara', 'Finn', 'Eva', 'Lucas', 'Julia'];
const FAMILY = ['Jansen', 'de Vries', 'Bakker', 'Visser', 'Smit', 'Meijer', 'de Boer', 'Mulder', 'Bos', 'Vos', 'Peters', 'Hendriks', 'Dekker'];

let env: Awaited<ReturnType<typeof startBrowserApp>>;
let t: ListeningTestApp;
let browser: Browser;
let anna: Awaited<ReturnType<typeof webProfessional>>;
let admin: Awaited<ReturnType<typeof webAdministrator>>;

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp();
  ({ t, browser } = env);
  const wijkteam = await t.organisation('Wijkteam Noord');
  await t.services.db.updateTable('professionals').set({ name: 'Anna de Vries', job_title: 'Gezinscoach' }).where('id', '=', wijkteam.professionalId).execute();
  const actor: ProfessionalActor = {
    kind: 'professional',
    professionalId: wijkteam.professionalId,
    organisationId: wijkteam.id,
    apiClientId: null,
    requestId: 'test',
  };
  // 130 active signals and 4 ended ones, filed through the service a minute apart (not 134 form posts).
  for (let i = 0; i < ACTIVE + 4; i++) {
    t.clock.advance(60_000);
    const surname = (FAMILY[i % FAMILY.length] ?? 'Jansen').split(' ');
    const [prefix, family] = surname.length === 2 ? surname : [undefined, surname[0]];
    const filed = await t.services.signals.file(
      actor,
      adultSignal(randomBsn(), '2026-03-10', {
        clientReference: reference(i),
        person: {
          bsn: randomBsn(),
          name: { givenNames: GIVEN[i % GIVEN.length] ?? 'Noor', ...(prefix && { familyNamePrefix: prefix }), familyName: family ?? 'Jansen' },
          dateOfBirth: `19${60 + (i % 40)}-0${1 + (i % 9)}-1${i % 10}`,
          gender: i % 2 ? 'female' : 'male',
        },
      }),
    );
    if (i >= ACTIVE && filed.outcome === 'created') await t.services.signals.end(actor, filed.answer.signal.id, 'care_ended');
  }
  // Colleagues for the coordinator's list, and organisations for the municipality's.
  for (let i = 0; i < 30; i++) {
    await t.services.professionals.create(t.admin, wijkteam.id, {
      name: `${GIVEN[i % GIVEN.length]} ${FAMILY[(i * 7) % FAMILY.length]}`,
      email: `collega-${i}-${randomUUID().slice(0, 6)}@wijkteamnoord.example`,
      phone: `010 123 ${String(4500 + i)}`,
    });
  }
  for (let i = 0; i < 28; i++)
    await t.services.organisations.create(t.admin, { name: `Zorgaanbieder ${String(i + 1).padStart(2, '0')}`, domains: ['health_care'] });
  anna = await webProfessional(t, wijkteam, { coordinator: true });
  admin = await webAdministrator(t);
});

after(() => env?.close());

/** The text of the list's count line, e.g. "130 actieve signalen; u ziet 1 tot en met 25." */
const countLine = (page: Page, index = 0) => page.locator('main p.sluis-count').nth(index).innerText();

for (const [width, viewport] of [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const) {
  test(`a professional with 130 active signals pages through them and finds one by client reference (${width})`, async (testContext) => {
    if (skipWithoutChromium(testContext)) return;
    const page = await browser.newPage({ viewport });
    const check = pageChecks(page, width);
    try {
      await signInInBrowser(page, t, anna);
      await page.getByRole('link', { name: 'Alle 130 actieve signalen' }).waitFor();
      await check('start page with 130 signals');
      await page.getByRole('link', { name: 'Alle 130 actieve signalen' }).click();
      await page.waitForURL(/\/signalen$/);
      assert.equal(await countLine(page), '130 actieve signalen; u ziet 1 tot en met 25.');
      assert.equal(await countLine(page, 1), '4 beëindigde of verlopen signalen');
      await check('my signals, page 1', 'lists-my-signals');

      const pager = page.getByRole('navigation', { name: "Pagina's van de actieve signalen" });
      await pager.getByRole('link', { name: 'Volgende pagina' }).click();
      await page.waitForURL(/\/signalen\?actief=2#actief$/);
      assert.equal(await countLine(page), '130 actieve signalen; u ziet 26 tot en met 50.');
      await page
        .getByRole('table', { name: 'Actieve signalen' })
        .getByText(reference(ACTIVE - 26), { exact: true })
        .waitFor();
      await check('my signals, page 2');
      await pager.getByRole('link', { name: 'Pagina 6' }).click();
      await page.waitForURL(/actief=6/);
      assert.equal(await countLine(page), '130 actieve signalen; u ziet 126 tot en met 130.');
      assert.equal(await pager.getByRole('link', { name: 'Volgende pagina' }).count(), 0, 'no next page after the last');
      await pager.getByRole('link', { name: 'Vorige pagina' }).click();
      await page.waitForURL(/actief=5/);
      assert.equal(await countLine(page), '130 actieve signalen; u ziet 101 tot en met 125.');

      // Finding one signal by its client reference, typed in another case.
      await page.getByRole('searchbox', { name: 'Uw kenmerk' }).fill('wn-2026-0042');
      await page.getByLabel('Alleen precies dit kenmerk').check();
      await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
      await page.waitForURL(/\/signalen\/zoeken$/);
      await page.getByRole('heading', { name: '1 signaal gevonden' }).waitFor();
      assert.ok(!page.url().toLowerCase().includes('wn-2026'), 'the reference is not in the address');
      await check('search result', 'lists-search');
      await page.getByRole('table', { name: 'Gevonden signalen' }).getByRole('link').click();
      await page.waitForURL(/\/signalen\/[0-9a-f-]{36}$/);
      await page.getByText(reference(42), { exact: true }).waitFor();

      // Its beginning: 100 signals, paged with buttons that post the search again.
      await page.goto(`${t.baseUrl}/signalen`);
      await page.getByRole('searchbox', { name: 'Uw kenmerk' }).fill('WN-2026-00');
      await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
      await page.getByRole('heading', { name: '100 signalen gevonden' }).waitFor();
      await page.getByRole('navigation', { name: "Pagina's van de gevonden signalen" }).getByRole('button', { name: 'Volgende pagina' }).click();
      await page.getByText('U ziet 26 tot en met 50.').waitFor();
      assert.ok(page.url().endsWith('/signalen/zoeken'));
      await check('search result, page 2', 'lists-search-page-2');

      // Nothing typed: the error summary says what to do.
      await page.getByRole('searchbox', { name: 'Uw kenmerk' }).fill('');
      await page.getByRole('button', { name: 'Zoeken', exact: true }).click();
      await page.getByRole('link', { name: 'Vul uw kenmerk in, of het begin ervan.' }).waitFor();
      await check('search without a reference');
    } finally {
      await page.close();
    }
  });

  test(`the coordinator's and the municipality's lists say how many and page (${width})`, async (testContext) => {
    if (skipWithoutChromium(testContext)) return;
    const page = await browser.newPage({ viewport });
    const check = pageChecks(page, width);
    try {
      await signInInBrowser(page, t, anna);
      await page.goto(`${t.baseUrl}/organisatie/professionals`);
      assert.equal(await countLine(page), '31 professionals; u ziet 1 tot en met 25.');
      await check('coordinator: professionals', 'lists-coordinator-professionals');
      await page.getByRole('navigation', { name: "Pagina's van de professionals" }).getByRole('link', { name: 'Volgende pagina' }).click();
      assert.equal(await countLine(page), '31 professionals; u ziet 26 tot en met 31.');
      await check('coordinator: professionals, page 2');

      await page.goto(`${t.baseUrl}/inloggen`);
      const staff = await browser.newPage({ viewport });
      const checkStaff = pageChecks(staff, width);
      try {
        await signInInBrowser(staff, t, admin);
        await staff.goto(`${t.baseUrl}/beheer/organisaties`);
        assert.match(await countLine(staff), /^29 organisaties; u ziet 1 tot en met 25\.$/);
        await checkStaff('municipality: organisations', 'lists-admin-organisations');
        await staff.goto(`${t.baseUrl}/beheer/audit`);
        assert.match(await countLine(staff), /^[\d.]+ gebeurtenissen; u ziet 1 tot en met 50\.$/);
        await staff.getByRole('navigation', { name: "Pagina's van de audit trail" }).getByRole('link', { name: 'Volgende pagina' }).click();
        await staff.waitForURL(/pagina=2/);
        assert.match(await countLine(staff), /u ziet 51 tot en met 100\.$/);
        await checkStaff('municipality: audit trail, page 2', 'lists-admin-audit');
      } finally {
        await staff.close();
      }
    } finally {
      await page.close();
    }
  });
}
