/**
 * Coordination on the match page in Chromium, at phone and desktop width: Anna takes coordination
 * and hands it over to Bram, Bram (in his own browser) finds the offer on his start page, accepts and
 * records contact, and Anna escalates to the municipality's escalation officer with a reason category
 * — the form offers only the reasons that fit the match. axe-core checks every state of the page on
 * the way. SLUIS_SCREENSHOTS=1 writes docs/screenshots/coordination-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { adultSignal, randomBsn, type TestOrganisation } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  DESKTOP,
  type ListeningTestApp,
  type Page,
  PHONE,
  pageChecks,
  screenshot,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  webAdministrator,
  webProfessional,
} from '../../test-support/web.ts';

type Person = { org: TestOrganisation; account: Awaited<ReturnType<typeof webProfessional>>; actor: ProfessionalActor };

let env: Awaited<ReturnType<typeof startBrowserApp>>;
let t: ListeningTestApp;
let browser: Browser;
let anna: Person;
let bram: Person;
let carla: Person;

async function person(
  name: string,
  domains: ('social_support' | 'youth_care' | 'housing' | 'mental_health')[],
  professional: { name: string; jobTitle: string; phone: string; email: string },
): Promise<Person> {
  const org = await t.organisation(name);
  await t.services.organisations.update(t.admin, org.id, { domains });
  await t.services.db
    .updateTable('professionals')
    .set({ name: professional.name, job_title: professional.jobTitle, phone: professional.phone, email: professional.email })
    .where('id', '=', org.professionalId)
    .execute();
  return {
    org,
    account: await webProfessional(t, org),
    actor: { kind: 'professional', professionalId: org.professionalId, organisationId: org.id, apiClientId: null, requestId: 'test' },
  };
}

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp();
  ({ t, browser } = env);
  anna = await person('Wijkteam Noord', ['social_support', 'youth_care'], {
    name: 'Anna de Vries',
    jobTitle: 'Gezinscoach',
    phone: '06 1234 5678',
    email: 'anna.devries@wijkteamnoord.example',
  });
  bram = await person('Woonstichting De Maas', ['housing'], {
    name: 'Bram Jansen',
    jobTitle: 'Woonconsulent',
    phone: '010 444 5570',
    email: 'bram.jansen@demaas.example',
  });
  carla = await person('GGZ Rijnmond', ['mental_health'], {
    name: 'Carla Mulder',
    jobTitle: 'Sociaal psychiatrisch verpleegkundige',
    phone: '010 777 8800',
    email: 'c.mulder@ggzrijnmond.example',
  });
  // The covenant's rule: youth care first (Anna's organisation is proposed while nobody coordinates).
  await t.services.settings.update(t.admin, { coordinatorDomainPriority: ['youth_care', 'mental_health', 'housing'] });
});

after(() => env?.close());

/** A match on a new person: Anna, Bram and Carla each file a signal. */
async function match(name: { givenNames: string; familyNamePrefix?: string; familyName: string }): Promise<string> {
  const bsn = randomBsn();
  let matchId = '';
  for (const who of [anna, bram, carla]) {
    const base = adultSignal(bsn);
    const filed = await t.services.signals.file(who.actor, { ...base, person: { ...base.person, name } });
    assert.ok(filed.outcome === 'created');
    if (filed.answer.match) matchId = filed.answer.match.id;
    t.clock.advance(60_000);
  }
  return matchId;
}

const regie = (page: Page) => page.locator('section.sluis-coordination');

for (const [width, viewport] of [
  ['phone', PHONE],
  ['desktop', DESKTOP],
] as const) {
  test(`coordination: take, hand over, accept, contact, escalate (${width})`, async (testContext) => {
    if (skipWithoutChromium(testContext)) return;
    const matchId = await match(
      width === 'phone' ? { givenNames: 'Johannes', familyNamePrefix: 'van der', familyName: 'Berg' } : { givenNames: 'Fatima', familyName: 'El Amrani' },
    );
    const url = `${t.baseUrl}/matches/${matchId}`;
    const contextA = await browser.newContext({ viewport, locale: 'nl-NL' });
    const contextB = await browser.newContext({ viewport, locale: 'nl-NL' });
    const check = (page: Page, label: string) => pageChecks(page, width, { fitsWidth: width === 'phone' })(label);
    try {
      // Anna: nobody coordinates yet; the covenant proposes her. She takes coordination.
      const a = await contextA.newPage();
      await signInInBrowser(a, t, anna.account);
      await a.goto(url);
      await regie(a).getByText('Nog niemand heeft de regie', { exact: true }).waitFor();
      await regie(a).getByText('Voorstel volgens de afspraken in het convenant:', { exact: false }).waitFor();
      await check(a, 'match without coordinator');
      await regie(a).getByRole('button', { name: 'Ik neem de regie' }).click();
      await a.waitForURL(/\?regie=genomen#regie$/);
      await regie(a).getByText('U heeft nu de regie.', { exact: false }).waitFor();
      await check(a, 'match, you coordinate');

      // She proposes to hand over to Bram.
      await regie(a).getByLabel('Bram Jansen (Woonstichting De Maas)').check();
      await regie(a).getByRole('button', { name: 'Overdracht voorstellen' }).click();
      await a.waitForURL(/\?regie=voorgesteld#regie$/);
      await regie(a).getByRole('heading', { name: 'U stelde voor de regie over te dragen aan Bram Jansen' }).waitFor();
      await check(a, 'match, hand-over offered');

      // Bram, in his own browser, finds the offer on his start page, opens it and accepts.
      const b = await contextB.newPage();
      await signInInBrowser(b, t, bram.account);
      await b.goto(`${t.baseUrl}/`);
      const offers = b.getByRole('region', { name: 'Regie aan u voorgesteld' });
      await offers.getByText('Anna de Vries (Wijkteam Noord) wil de regie aan u overdragen', { exact: false }).waitFor();
      await check(b, 'start page with a hand-over offered');
      await screenshot(b, `coordination-start-handover-${width}`);
      await offers.getByRole('link', { name: /^Aannemen of afwijzen/ }).click();
      await b.waitForURL(new RegExp(`/matches/${matchId}#regie$`));
      await regie(b).getByRole('heading', { name: 'Anna de Vries wil de regie aan u overdragen' }).waitFor();
      await check(b, 'match, hand-over offered to you');
      await regie(b).getByRole('button', { name: 'Aannemen' }).click();
      await b.waitForURL(/\?regie=aangenomen#regie$/);
      await regie(b).getByText('U heeft de regie overgenomen.', { exact: false }).waitFor();
      await check(b, 'match, you took over');
      await b.goto(`${t.baseUrl}/`);
      assert.equal(await b.getByRole('region', { name: 'Regie aan u voorgesteld' }).count(), 0, 'answered: no longer on the start page');
      await b.goto(url);

      // Bram records contact (today is the default), then Anna does.
      const contactDate = regie(b).getByRole('group', { name: 'Datum van het contact' });
      assert.deepEqual(
        [
          await contactDate.getByLabel('Dag').inputValue(),
          await contactDate.getByLabel('Maand').inputValue(),
          await contactDate.getByLabel('Jaar').inputValue(),
        ],
        ['10', '3', '2026'],
      );
      await regie(b).getByRole('button', { name: 'Contact vastleggen' }).click();
      await b.waitForURL(/\?regie=contact#regie$/);
      await regie(b).getByText('Vastgelegd: u heeft contact gelegd', { exact: false }).waitFor();
      await check(b, 'match, contact recorded');
      await a.goto(url);
      await regie(a).getByText('De regie ligt bij', { exact: true }).waitFor();
      await regie(a).getByText('Bram Jansen', { exact: true }).first().waitFor();
      await regie(a).getByRole('button', { name: 'Contact vastleggen' }).click();
      await a.waitForURL(/\?regie=contact#regie$/);
      const rows = regie(a).getByRole('region', { name: 'Contact gelegd per betrokkene' }).getByRole('row');
      assert.equal(await rows.count(), 4);
      assert.match(await rows.nth(3).innerText(), /Carla Mulder, GGZ Rijnmond[\s\S]*Nog niet/);
      await check(a, 'match with a coordinator and contacts');
      await a.goto(url);
      await screenshot(a, `coordination-match-${width}`);

      // Anna escalates: a confirmation page with only the reasons that fit (Bram coordinates, Carla has
      // not recorded contact); without a reason the error summary; then with one.
      await regie(a).getByRole('link', { name: 'Opschalen naar de functionaris' }).click();
      await a.waitForURL(/\/regie\/opschalen$/);
      const reasons = a.getByRole('group', { name: 'Waarom schaalt u op?' }).getByRole('radio');
      assert.deepEqual(
        await reasons.evaluateAll((inputs) => inputs.map((i) => (i as HTMLInputElement).labels?.[0]?.textContent?.trim())),
        ['Er komt geen contact tot stand', 'De betrokkenen komen niet tot afspraken', 'Een andere reden'],
        'not "Niemand neemt de regie": someone does',
      );
      await check(a, 'escalate');
      await a.getByRole('button', { name: 'Ja, opschalen' }).click();
      await a.getByRole('heading', { name: 'Controleer het formulier' }).waitFor();
      assert.match(await a.title(), /^Fout: Opschalen naar de functionaris/);
      await check(a, 'escalate without a reason');
      await a.getByLabel('Er komt geen contact tot stand').check();
      // The screenshot shows the page as one first meets it, with a reason chosen.
      if (width === 'phone' && process.env.SLUIS_SCREENSHOTS === '1') {
        const clean = await contextA.newPage();
        await clean.goto(`${url}/regie/opschalen`);
        await clean.getByLabel('Er komt geen contact tot stand').check();
        await screenshot(clean, 'coordination-escalate-phone');
        await clean.close();
      }
      await a.getByRole('button', { name: 'Ja, opschalen' }).click();
      await a.waitForURL(/\?regie=opgeschaald#regie$/);
      await regie(a).getByRole('heading', { name: 'De match is opgeschaald naar de functionaris van de gemeente' }).waitFor();
      await regie(a).getByText('Reden: er komt geen contact tot stand.', { exact: false }).waitFor();
      assert.equal(await regie(a).getByRole('link', { name: 'Opschalen naar de functionaris' }).count(), 0);
      await check(a, 'match, escalated');

      // Bram sees the escalation and the whole history.
      await b.goto(url);
      await regie(b).getByText('Anna de Vries (Wijkteam Noord) schaalde op naar de functionaris (er komt geen contact tot stand).').waitFor();
      await regie(b).getByText('Bram Jansen (Woonstichting De Maas) nam de regie over.').waitFor();
      await check(b, 'match, escalated (other participant)');
    } finally {
      await contextA.close();
      await contextB.close();
    }
  });
}

test('an organisation that may only signal: set by the administrator on the covenant, and the school sees why it cannot take coordination (phone)', async (testContext) => {
  if (skipWithoutChromium(testContext)) return;
  const dirk = await person('Basisschool De Regenboog', ['social_support'], {
    name: 'Dirk Smit',
    jobTitle: 'Intern begeleider',
    phone: '010 222 3344',
    email: 'd.smit@regenboog.example',
  });
  const context = await browser.newContext({ viewport: PHONE, locale: 'nl-NL' });
  const check = (page: Page, label: string, shot?: string) => pageChecks(page, 'phone', { fitsWidth: true })(label, shot);
  try {
    // The administrator records on the school's covenant that it signals only.
    const admin = await context.newPage();
    await signInInBrowser(admin, t, await webAdministrator(t));
    await admin.goto(`${t.baseUrl}/beheer/organisaties/${dirk.org.id}`);
    const terms = admin.getByRole('group', { name: 'Mogen de professionals van deze organisatie de regie nemen?' });
    assert.equal(await terms.getByLabel('Ja, haar professionals kunnen de regie nemen').isChecked(), true);
    await terms.getByLabel('Nee, de organisatie geeft alleen signalen af').check();
    await admin.getByRole('button', { name: 'Afspraak over de regie opslaan' }).click();
    await admin.waitForURL(/\?klaar=regie$/);
    assert.match(await admin.getByRole('status').first().innerText(), /De afspraak over de regie is opgeslagen/);
    await check(admin, 'organisation, signals only');
    if (process.env.SLUIS_SCREENSHOTS === '1')
      await admin.locator('.sluis-covenant-terms').screenshot({ path: 'docs/screenshots/admin-covenant-terms-phone.png' });
    await admin.close();

    // Dirk and Anna match; on Dirk's phone there is no "Ik neem de regie", but why not.
    const bsn = randomBsn();
    let matchId = '';
    for (const who of [dirk, anna]) {
      const filed = await t.services.signals.file(who.actor, adultSignal(bsn));
      assert.ok(filed.outcome === 'created');
      if (filed.answer.match) matchId = filed.answer.match.id;
      t.clock.advance(60_000);
    }
    // Dirk in his own browser (the administrator's session is in the other).
    const dirkContext = await browser.newContext({ viewport: PHONE, locale: 'nl-NL' });
    const d = await dirkContext.newPage();
    await signInInBrowser(d, t, dirk.account);
    await d.goto(`${t.baseUrl}/matches/${matchId}`);
    await regie(d).getByText('Uw organisatie geeft volgens het convenant met de gemeente alleen signalen af', { exact: false }).waitFor();
    assert.equal(await regie(d).getByRole('button', { name: 'Ik neem de regie' }).count(), 0);
    await regie(d).getByText('Alleen signaleren', { exact: true }).waitFor();
    await check(d, 'match, your organisation signals only');
    if (process.env.SLUIS_SCREENSHOTS === '1') await regie(d).screenshot({ path: 'docs/screenshots/coordination-signal-only-phone.png' });
    await dirkContext.close();
  } finally {
    await context.close();
  }
});
