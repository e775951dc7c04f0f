/**
 * Extending a signal from the start page and recording postponed informing, in Chromium on a phone
 * (and at desktop width): the start page offers both, each form refuses what is incomplete with its
 * error summary and then goes back to the signal. axe-core checks every page on the way.
 * SLUIS_SCREENSHOTS=1 writes docs/screenshots/signal-life-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adultSignal, childSignal, randomBsn, type TestOrganisation } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  openMenu,
  PHONE,
  pageChecks,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  webProfessional,
} from '../../test-support/web.ts';

const DAY = 86_400_000;

let env: Awaited<ReturnType<typeof startBrowserApp>>;
let t: ListeningTestApp;
let browser: Browser;
let org: TestOrganisation;
let sanne: Awaited<ReturnType<typeof webProfessional>>;

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp({ start: '2026-03-10T09:00:00Z' });
  ({ t, browser } = env);
  org = await t.organisation('Wijkteam Zuid');
  await t.services.db
    .updateTable('professionals')
    .set({ name: 'Sanne Bakker', job_title: 'Gezinscoach', email: 'sanne.bakker@wijkteamzuid.example' })
    .where('id', '=', org.professionalId)
    .execute();
  sanne = await webProfessional(t, org);
});

after(() => env?.close());

async function fileThroughApi(body: unknown) {
  const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: body as object });
  assert.equal(response.statusCode, 201, response.body);
  return response.json().signal as { id: string; activeUntil: string };
}

for (const [width, viewport] of [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const) {
  test(`a professional extends a signal from the start page and records the informing they postponed (${width})`, async (testContext) => {
    if (skipWithoutChromium(testContext)) return;
    // An adult's signal that will be about to expire, and a 13-year-old's with informing postponed.
    const start = width === 'phone' ? Date.parse('2026-03-10T09:00:00Z') : Date.parse('2030-03-10T09:00:00Z');
    t.clock.set(new Date(start));
    const adult = adultSignal(randomBsn(), new Date(start).toISOString().slice(0, 10), { clientReference: `WZ-${width}` });
    adult.person.name = { givenNames: 'Karin', familyName: width === 'phone' ? 'Verlengd' : 'Langer' };
    const expiring = await fileThroughApi(adult);
    t.clock.set(new Date(Date.parse(expiring.activeUntil) - 40 * DAY));
    const birthYear = new Date(t.clock.now()).getUTCFullYear() - 13;
    const child = {
      ...childSignal(randomBsn(), `${birthYear}-01-15`),
      person: {
        bsn: randomBsn(),
        name: { givenNames: 'Noa', familyName: width === 'phone' ? 'Later' : 'Straks' },
        dateOfBirth: `${birthYear}-01-15`,
        gender: 'female',
      },
      legalBasis: { basis: 'informing_postponed', reason: 'not_reachable_yet' },
    };
    const postponed = await fileThroughApi(child);
    // 20 days on: the adult's signal is within 28 days of its end, the child's informing 14 days overdue.
    t.clock.set(new Date(Date.parse(expiring.activeUntil) - 20 * DAY));
    await t.services.jobs.runOnce(); // as every minute: what the phone run left behind has expired by the desktop run

    const page = await browser.newPage({ viewport });
    const check = pageChecks(page, width);
    try {
      await signInInBrowser(page, t, sanne);
      const main = page.locator('main');
      await assert.doesNotReject(main.getByRole('heading', { name: 'Informeren vastleggen' }).waitFor());
      await check('start page with a signal to extend and informing to record', 'signal-life-start');

      // Extending, from the "Verlopen binnenkort" list.
      const name = width === 'phone' ? 'Karin Verlengd' : 'Karin Langer';
      await main.getByRole('link', { name: `Verlengen (signaal over ${name})` }).click();
      await page.waitForURL(new RegExp(`/signalen/${expiring.id}/verlengen$`));
      assert.match((await main.textContent()) ?? '', /Verleng het dan tot \d+ \w+ \d{4}\./);
      await check('extend form', 'signal-life-extend');
      await main.getByRole('button', { name: 'Signaal verlengen' }).click();
      await page.waitForURL(new RegExp(`/signalen/${expiring.id}/verlengen$`));
      const summary = page.locator('#foutmeldingen');
      await assert.doesNotReject(summary.waitFor());
      assert.match((await summary.textContent()) ?? '', /Kies waarom u het signaal verlengt/);
      await check('extend form with an error');
      await main.getByLabel('De samenwerking met de andere betrokkenen loopt nog').check();
      await main.getByRole('button', { name: 'Signaal verlengen' }).click();
      await page.waitForURL(new RegExp(`/signalen/${expiring.id}\\?verlengd=1$`));
      assert.match((await main.textContent()) ?? '', /Uw signaal is verlengd\. Het is nu actief tot/);
      await check('signal page after extending', 'signal-life-extended');

      // Recording the informing, from the start page's reminder.
      await (await openMenu(page)).getByRole('navigation', { name: 'Hoofdmenu' }).getByRole('link', { name: 'Start' }).click();
      await page.waitForURL(/\/$/);
      assert.equal(await main.getByRole('link', { name: `Verlengen (signaal over ${name})` }).count(), 0, 'no longer about to expire');
      await main.getByRole('link', { name: `Vastleggen (informeren over ${width === 'phone' ? 'Noa Later' : 'Noa Straks'})` }).click();
      await page.waitForURL(new RegExp(`/signalen/${postponed.id}/informeren$`));
      assert.match(
        (await main.textContent()) ?? '',
        /De persoon is vandaag 13 jaar\. Van 12 tot en met 15 jaar informeert u de jongere én de ouders of voogd\./,
      );
      await check('informing form', 'signal-life-informing');
      // With the script, only the questions that belong to the answer show.
      await main.getByLabel('Ja, ik heb geïnformeerd').check();
      assert.equal(await main.getByRole('group', { name: 'Waarom nog niet?' }).isVisible(), false);
      await main.getByLabel('De ouders of de voogd').check();
      await main.getByRole('button', { name: 'Vastleggen' }).click();
      await page.waitForURL(new RegExp(`/signalen/${postponed.id}/informeren$`));
      await assert.doesNotReject(summary.waitFor());
      assert.match((await summary.textContent()) ?? '', /Niet iedereen die u moet informeren is aangevinkt/);
      await check('informing form with an error', 'signal-life-informing-error');
      await main.getByLabel('De jongere zelf').check();
      await main.getByRole('button', { name: 'Vastleggen' }).click();
      await page.waitForURL(new RegExp(`/signalen/${postponed.id}\\?geinformeerd=1$`));
      assert.match((await main.textContent()) ?? '', /Vastgelegd: u heeft geïnformeerd\./);
      assert.match((await main.textContent()) ?? '', /Geïnformeerd: de jongere en de wettelijk vertegenwoordiger/);
      await check('signal page after recording the informing');
    } finally {
      await page.close();
    }
  });
}
