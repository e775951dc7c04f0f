/**
 * Coordination on the match page in Chromium, at phone and desktop width: Anna takes coordination
 * and hands it over to Bram, Bram (in his own browser) accepts and records contact, and Anna
 * escalates to the municipality's escalation officer with a reason category. axe-core checks every
 * state of the page on the way. SLUIS_SCREENSHOTS=1 writes docs/screenshots/coordination-*.png.
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

      // Bram, in his own browser, sees the offer and accepts.
      const b = await contextB.newPage();
      await signInInBrowser(b, t, bram.account);
      await b.goto(url);
      await regie(b).getByRole('heading', { name: 'Anna de Vries wil de regie aan u overdragen' }).waitFor();
      await check(b, 'match, hand-over offered to you');
      await regie(b).getByRole('button', { name: 'Aannemen' }).click();
      await b.waitForURL(/\?regie=aangenomen#regie$/);
      await regie(b).getByText('U heeft de regie overgenomen.', { exact: false }).waitFor();
      await check(b, 'match, you took over');

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

      // Anna escalates: a confirmation page; without a reason the error summary; then with one.
      await regie(a).getByRole('link', { name: 'Opschalen naar de functionaris' }).click();
      await a.waitForURL(/\/regie\/opschalen$/);
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
