/**
 * The escalation officer in Chromium, on a phone and on a desktop: signs in, lands on the work
 * list, opens an escalated match, appoints a coordinator, closes the escalation, and reads the
 * follow-up figures; the administrator's staff and coordination-settings pages. Every page passes
 * axe (WCAG 2.1 AA) and fits the screen; screenshots are kept (SLUIS_SCREENSHOTS=1).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { adultSignal, randomBsn, type TestOrganisation } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  createWebAccount,
  DESKTOP,
  type ListeningTestApp,
  openMenu,
  PHONE,
  pageChecks,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  type WebAccount,
  webAdministrator,
} from '../../test-support/web.ts';

const actorOf = (o: TestOrganisation): ProfessionalActor => ({
  kind: 'professional',
  professionalId: o.professionalId,
  organisationId: o.id,
  apiClientId: null,
  requestId: 'test',
});

describe('the escalation officer pages, in the browser', { skip: !chromiumAvailable() && 'Chromium is not installed' }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let t: ListeningTestApp;
  let browser: Browser;
  let officer: WebAccount;
  let admin: WebAccount;
  const escalated: Record<'phone' | 'desktop', string> = { phone: '', desktop: '' };
  const bsns: string[] = [];

  before(async () => {
    env = await startBrowserApp();
    ({ t, browser } = env);
    const wijkteam = await t.organisation('Wijkteam Noord');
    const ggz = await t.organisation('GGZ Rijnmond');
    const jeugd = await t.organisation('Jeugdhulp Zuid');
    const match = async (x: TestOrganisation, y: TestOrganisation) => {
      const bsn = randomBsn();
      bsns.push(bsn);
      await t.services.signals.file(actorOf(x), adultSignal(bsn));
      const second = await t.services.signals.file(actorOf(y), adultSignal(bsn));
      return second.outcome === 'created' ? second.answer.match!.id : '';
    };
    for (const width of ['phone', 'desktop'] as const) {
      escalated[width] = await match(wijkteam, ggz);
      await t.services.coordination.act(actorOf(wijkteam), escalated[width], { action: 'escalate', reason: 'no_agreement' });
    }
    await match(wijkteam, jeugd);
    for (let i = 0; i < 5; i++) {
      const id = await match(ggz, jeugd);
      await t.services.coordination.act(actorOf(jeugd), id, { action: 'take' });
    }
    t.clock.advance(8 * 86_400_000);
    const member = await t.services.staff.create(t.admin, { name: 'Fatima Functionaris', email: `f-${randomUUID()}@gemeente.example` });
    await t.services.db
      .updateTable('staff_members')
      .set({ roles: ['escalation_officer'] })
      .where('id', '=', member.id)
      .execute();
    officer = await createWebAccount(t, { staffMemberId: member.id });
    admin = await webAdministrator(t);
  });
  after(() => env?.close());

  for (const [width, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    test(`work list, appoint, resolve and follow-up (${width})`, async (context) => {
      if (skipWithoutChromium(context)) return;
      const page = await browser.newPage({ viewport });
      const check = pageChecks(page, width, {
        also: async (label) => {
          const html = await page.content();
          for (const bsn of bsns) assert.ok(!html.includes(bsn), `no BSN on ${label}`);
          assert.ok(!html.includes('Boer'), `no person's name on ${label}`);
        },
      });
      await signInInBrowser(page, t, officer);
      await page.goto(`${t.baseUrl}/`);
      assert.match(page.url(), /\/regie$/);
      assert.match(await page.locator('h1').innerText(), /Werklijst opschaling/);
      await check('werklijst', 'officer-worklist');

      await page.locator(`a[href="/regie/matches/${escalated[width]}"]`).click();
      assert.match(await page.locator('h1').innerText(), /Match van 10 maart 2026/);
      await check('match', undefined);
      await page.getByRole('button', { name: 'Regisseur aanwijzen' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /Kies wie de regie krijgt/);
      await check('match met fout');
      await page.getByLabel('Professional of GGZ Rijnmond (GGZ Rijnmond)').check();
      await page.getByRole('button', { name: 'Regisseur aanwijzen' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /De regisseur is aangewezen/);
      await check('match met regisseur', 'officer-match');
      await page.getByLabel('Er is een regisseur').check();
      await page.getByRole('button', { name: 'Opschaling afsluiten' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /De opschaling is afgesloten/);
      await check('match afgesloten');

      await (await openMenu(page)).getByRole('link', { name: 'Opvolging' }).click();
      assert.match(await page.locator('h1').innerText(), /Opvolging/);
      await page.getByLabel('Van maand').selectOption('2026-01');
      await page.getByRole('button', { name: 'Periode tonen' }).click();
      await page.waitForURL(/van=2026-01/);
      assert.match(await page.getByRole('table', { name: /^Opvolging per maand/ }).innerText(), /minder dan 5/);
      await check('opvolging', 'officer-follow-up');
      await page.close();
    });
  }

  test('the administrator: staff and coordination settings (phone and desktop)', async (context) => {
    if (skipWithoutChromium(context)) return;
    for (const [width, viewport] of [
      ['phone', PHONE],
      ['desktop', DESKTOP],
    ] as const) {
      const page = await browser.newPage({ viewport });
      const check = pageChecks(page, width);
      await signInInBrowser(page, t, admin);
      await page.goto(`${t.baseUrl}/beheer/medewerkers`);
      await check('medewerkers', 'admin-staff');
      await page.getByLabel('Naam', { exact: true }).fill(`Olaf ${width}`);
      await page.getByLabel('E-mailadres').fill(`olaf-${width}-${randomUUID().slice(0, 6)}@gemeente.example`);
      await page.getByLabel('Functionaris opschaling').check();
      await page.getByRole('button', { name: 'Medewerker toevoegen' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /uitnodiging/);
      await page.getByRole('link', { name: `Rollen van Olaf ${width} wijzigen` }).click();
      await page.waitForURL(/\/beheer\/medewerkers\/[0-9a-f-]{36}/);
      await check('rollen');
      // Olaf leaves again: deactivated after a confirmation page (Annuleren first, which changes nothing).
      await page.getByRole('link', { name: `Olaf ${width} deactiveren` }).click();
      await page.waitForURL(/\/deactiveren$/);
      await page.getByText('U kunt dit niet ongedaan maken.').waitFor();
      await check('medewerker deactiveren', 'confirm-deactivate-staff');
      await page.getByRole('link', { name: 'Annuleren' }).click();
      await page.waitForURL(/\/beheer\/medewerkers\/[0-9a-f-]{36}$/);
      await page.getByRole('link', { name: `Olaf ${width} deactiveren` }).click();
      await page.getByRole('button', { name: 'Ja, deactiveren' }).click();
      assert.match(await page.getByRole('status').first().innerText(), new RegExp(`Olaf ${width} is gedeactiveerd`));
      await check('medewerker gedeactiveerd');
      await page.goto(`${t.baseUrl}/beheer/instellingen/regie`);
      await page.getByLabel('Opschalen zonder regisseur na (werkdagen)').fill('99');
      await page.getByLabel('1e keus').selectOption('youth_care');
      await page.getByLabel('2e keus').selectOption('youth_care');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /0 tot en met 60/);
      await check('regie-instellingen met fouten', 'admin-coordination-settings-error');
      await page.getByLabel('Opschalen zonder regisseur na (werkdagen)').fill('10');
      await page.getByLabel('2e keus').selectOption('education');
      await page.getByRole('button', { name: 'Opslaan' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /opgeslagen|niets gewijzigd/);
      await check('regie-instellingen', 'admin-coordination-settings');
      assert.deepEqual((await t.services.settings.reload()).coordinatorDomainPriority, ['youth_care', 'education']);
      await page.goto(`${t.baseUrl}/regie/opvolging`);
      await check('opvolging beheerder');
      await page.close();
    }
  });
});
