/**
 * Bringing in a new organisation, in Chromium, from the administrator's first click to its
 * professional's first signal — at phone width first, then on a desktop:
 *
 * 1. The administrator adds the organisation, starts its covenant and invites its first coordinator.
 * 2. The coordinator's invitation is read back from the development mailbox (/beheer/mailbox, as the
 *    administrator of a test installation reads it); the coordinator opens the link, chooses a
 *    password, signs in, links an authenticator app (the test computes its codes from the key the
 *    enrolment page shows), and on /organisatie invites a professional.
 * 3. The professional's invitation is read back the same way; the professional signs up the same way
 *    and files a first signal, which matches one another organisation filed earlier.
 *
 * Every page on the way passes axe (WCAG 2.1 AA and best practices) and fits the screen;
 * SLUIS_SCREENSHOTS=1 saves the new pages as docs/screenshots/onboarding-*.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { totpCode } from '../../accounts/credentials.ts';
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
} from '../../test-support/web.ts';

describe('bringing in a new organisation, in the browser', { skip: !chromiumAvailable() && 'Chromium is not installed' }, () => {
  let env: Awaited<ReturnType<typeof startBrowserApp>>;
  let t: ListeningTestApp;
  let browser: Browser;
  let admin: Awaited<ReturnType<typeof webAdministrator>>;
  before(async () => {
    env = await startBrowserApp();
    ({ t, browser } = env);
    admin = await webAdministrator(t);
  });
  after(() => env?.close());

  /** The one-time link in the newest mail to `to`, read on the administrator's development mailbox page. */
  async function invitationLink(adminPage: Page, to: string, check: (label: string, shot?: string) => Promise<void>, shot?: string): Promise<string> {
    await adminPage.goto(`${t.baseUrl}/beheer/mailbox`);
    await adminPage.getByLabel('Alleen mails aan (niet verplicht)').fill(to);
    await adminPage.getByRole('button', { name: 'Filteren' }).click();
    await adminPage.waitForURL(/\/beheer\/mailbox\?aan=/);
    const mail = adminPage.locator('.sluis-admin-mail').first();
    assert.equal(await mail.locator('h2').innerText(), 'Uw account voor SluiS');
    await check('postvak met uitnodiging', shot);
    const text = await mail.locator('pre').innerText();
    const link = /(https?:\/\/\S+\/wachtwoord\/instellen\?link=[A-Za-z0-9_-]+)/.exec(text)?.[1];
    assert.ok(link, 'the invitation carries its one-time link');
    return link;
  }

  /** Opens the invitation link, chooses a password, signs in and links the authenticator app; ends on the start page. */
  async function signUp(page: Page, link: string, email: string, check: (label: string, shot?: string) => Promise<void>, welcomeShot?: string) {
    const password = `zonnebloemen in het veld ${email.length}`;
    await page.goto(link);
    assert.equal(await page.locator('h1').innerText(), 'Welkom bij SluiS');
    await check('wachtwoord kiezen', welcomeShot);
    await page.getByLabel('Nieuw wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Wachtwoord opslaan' }).click();
    await page.getByText('Uw wachtwoord is opgeslagen.').waitFor();
    await page.getByRole('link', { name: 'Inloggen' }).click();
    await page.getByLabel('E-mailadres').fill(email);
    await page.getByLabel('Wachtwoord').fill(password);
    await page.getByRole('button', { name: 'Inloggen' }).click();
    await page.waitForURL(/\/inloggen\/koppelen$/);
    await check('app koppelen');
    const secret = (await page.locator('.sluis-secret').innerText()).replace(/\s+/g, '');
    t.clock.advance(30_000);
    await page.getByLabel('Code uit de app').fill(totpCode(secret, t.clock.now()));
    await page.getByRole('button', { name: 'App koppelen' }).click();
    await page.getByRole('heading', { name: 'Uw herstelcodes' }).waitFor();
    await page.getByRole('link', { name: 'Ik heb ze bewaard, verder' }).click();
    await page.waitForURL(`${t.baseUrl}/`);
  }

  for (const [width, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    test(`from the administrator's first click to the professional's first signal (${width})`, async (context) => {
      if (skipWithoutChromium(context)) return;
      const suffix = randomUUID().slice(0, 6);
      const organisationName = `Jeugdteam Zuid ${width}`;
      const coordinatorEmail = `ilse.jansen.${suffix}@jeugdteamzuid.example`;
      const professionalEmail = `omar.haddou.${suffix}@jeugdteamzuid.example`;
      // Someone at another organisation already signalled the person the new professional will signal.
      const bsn = randomBsn();
      const wijkteam = await t.organisation(`Wijkteam Noord ${width}`);
      const wijkteamActor: ProfessionalActor = {
        kind: 'professional',
        professionalId: wijkteam.professionalId,
        organisationId: wijkteam.id,
        apiClientId: null,
        requestId: 'test',
      };
      await t.services.signals.file(wijkteamActor, adultSignal(bsn));

      const adminContext = await browser.newContext({ viewport });
      const coordinatorContext = await browser.newContext({ viewport });
      const professionalContext = await browser.newContext({ viewport });
      try {
        // 1. The administrator: the organisation, its covenant, its first coordinator.
        const a = await adminContext.newPage();
        const checkA = pageChecks(a, width);
        await signInInBrowser(a, t, admin);
        await a.goto(`${t.baseUrl}/beheer`);
        await a.getByRole('link', { name: 'Organisaties en convenanten beheren' }).click();
        await a.getByRole('link', { name: 'Organisatie toevoegen' }).click();
        await a.getByLabel('Naam', { exact: true }).fill(organisationName);
        await a.getByLabel('Jeugdhulp').check();
        await a.getByLabel('Welke hulp biedt de organisatie?').fill('Jeugdhulp en opvoedondersteuning voor gezinnen in Zuid.');
        await a.getByRole('button', { name: 'Organisatie toevoegen' }).click();
        await a.getByText('De organisatie is toegevoegd.').waitFor();
        await checkA('nieuwe organisatie', 'onboarding-organisation-new');
        await a.getByLabel('Kenmerk van het convenant').fill('CONV-2026-17');
        await a.getByRole('button', { name: 'Convenant starten' }).click();
        await a.getByText('Het convenant is gestart.').waitFor();
        assert.match(await a.locator('main').innerText(), /Nog geen coördinator/);
        await checkA('organisatie zonder coördinator', 'onboarding-organisation-no-coordinator');
        // The next step is offered where the administrator is, not only further down the page.
        await a.getByRole('link', { name: 'Nodig nu de eerste coördinator uit' }).click();
        await a.waitForURL(/\/coordinator-uitnodigen$/);
        await a.getByRole('button', { name: 'Uitnodiging versturen' }).click();
        assert.match(await a.locator('#foutmeldingen').innerText(), /Vul de naam van de coördinator in/);
        await checkA('coördinator uitnodigen met fouten');
        await a.getByLabel('Naam', { exact: true }).fill('Ilse Jansen');
        await a.getByLabel('E-mailadres').fill(coordinatorEmail);
        await a.getByLabel('Telefoonnummer').fill('010 765 4321');
        await a.getByLabel('Functie').fill('Teamleider');
        await checkA('coördinator uitnodigen', 'onboarding-invite-coordinator');
        await a.getByRole('button', { name: 'Uitnodiging versturen' }).click();
        await a.getByText('Ilse Jansen is uitgenodigd.').waitFor();
        const row = a.locator('tr', { hasText: 'Ilse Jansen' });
        assert.match(await row.innerText(), /Uitgenodigd/);
        assert.match(await row.innerText(), /Link geldig tot/);
        await checkA('organisatie met uitgenodigde coördinator', 'onboarding-organisation-invited');

        // 2. The coordinator: the mail, a password, the app; then the professionals.
        const coordinatorLink = await invitationLink(a, coordinatorEmail, checkA, 'onboarding-mailbox');
        const c = await coordinatorContext.newPage();
        const checkC = pageChecks(c, width);
        await signUp(c, coordinatorLink, coordinatorEmail, checkC, 'onboarding-welcome');
        await checkC('start coördinator');
        await c.goto(`${t.baseUrl}/organisatie`);
        assert.equal(await c.locator('h1').innerText(), organisationName);
        await checkC('mijn organisatie', 'onboarding-coordinator-organisation');
        assert.match(await c.getByRole('status').first().innerText(), /U bent nog de enige professional van uw organisatie/);
        await c.getByRole('link', { name: 'Nodig uw collega’s uit' }).click();
        await c.waitForURL(/\/organisatie\/professionals#uitnodigen$/);
        await c.getByLabel('Naam', { exact: true }).fill('Omar Haddou');
        await c.getByLabel('E-mailadres').fill(professionalEmail);
        await c.getByLabel('Telefoonnummer').fill('06 2345 6789');
        await c.getByLabel('Functie').fill('Jeugdhulpverlener');
        await c.getByLabel('Nee', { exact: true }).check();
        await c.getByRole('button', { name: 'Uitnodiging versturen' }).click();
        await c.getByText('Omar Haddou is uitgenodigd.').waitFor();
        assert.match(await c.locator('tr', { hasText: 'Omar Haddou' }).innerText(), /Uitgenodigd/);
        assert.match(await c.locator('tr', { hasText: 'Ilse Jansen' }).innerText(), /Actief/);
        await checkC('professionals met uitnodiging', 'onboarding-coordinator-professionals');

        // The administrator sees the coordinator's account is active now.
        await a.goto(`${t.baseUrl}/beheer/organisaties`);
        await a.getByRole('link', { name: organisationName }).click();
        assert.match(await a.locator('tr', { hasText: 'Ilse Jansen' }).innerText(), /Actief/);
        assert.match(await a.locator('tr', { hasText: 'Omar Haddou' }).innerText(), /Uitgenodigd/);

        // 3. The professional: the mail, a password, the app, and a first signal.
        const professionalLink = await invitationLink(a, professionalEmail, checkA);
        const p = await professionalContext.newPage();
        const checkP = pageChecks(p, width);
        await signUp(p, professionalLink, professionalEmail, checkP);
        await checkP('start professional', 'onboarding-professional-start');
        await p.locator('main').getByRole('link', { name: 'Signaal afgeven' }).click();
        await p.waitForURL(/\/signalen\/nieuw$/);
        await p.getByLabel('BSN').fill(bsn);
        await p.getByLabel('Voornamen').fill('Jan');
        await p.getByLabel('Tussenvoegsel').fill('de');
        await p.getByLabel('Achternaam').fill('Boer');
        await p.getByRole('group', { name: 'Geboortedatum' }).getByLabel('Dag').fill('17');
        await p.getByRole('group', { name: 'Geboortedatum' }).getByLabel('Maand').fill('5');
        await p.getByRole('group', { name: 'Geboortedatum' }).getByLabel('Jaar').fill('1980');
        await p.getByLabel('Man', { exact: true }).check();
        await p.getByLabel('De persoon zelf').check();
        await checkP('eerste signaal');
        await p.locator('form.sluis-signal-form').getByRole('button', { name: 'Signaal afgeven' }).click();
        await p.waitForURL(/\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
        const answer = await p.locator('main').innerText();
        assert.match(answer, /match/i);
        assert.match(answer, new RegExp(`Wijkteam Noord ${width}`));
        assert.ok(!(await p.content()).includes(bsn), 'the BSN is not on the answer');
        await checkP('eerste signaal met match', 'onboarding-first-signal');
      } finally {
        await adminContext.close();
        await coordinatorContext.close();
        await professionalContext.close();
      }
    });
  }
});
