/**
 * The coordinator's pages in Chromium, on a phone and on a desktop: invite a professional, transfer
 * a leaving professional's signals, reset a colleague's lost second factor, create an API client.
 * Every page visited passes axe (WCAG 2.1 AA); screenshots are kept (npm run screenshots).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { createTestDatabase } from '../../test-support/databases.ts';
import { adultSignal } from '../../test-support/fixtures.ts';
import {
  assertAccessible,
  chromiumAvailable,
  createListeningTestApp,
  DESKTOP,
  launchBrowser,
  PHONE,
  screenshot,
  signInInBrowser,
  skipWithoutChromium,
  webProfessional,
} from '../../test-support/web.ts';

describe('the coordinator’s pages, in the browser', { skip: !chromiumAvailable() && 'Chromium is not installed' }, () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let t: Awaited<ReturnType<typeof createListeningTestApp>>;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;
  before(async () => {
    database = await createTestDatabase('pglite');
    t = await createListeningTestApp(database);
    browser = await launchBrowser();
  });
  after(async () => {
    await browser?.close();
    await t?.close();
    await database?.drop();
  });

  for (const [width, viewport] of [
    ['phone', PHONE],
    ['desktop', DESKTOP],
  ] as const) {
    test(`invite a professional, transfer signals, reset a second factor, create an API client (${width})`, async (context) => {
      if (skipWithoutChromium(context)) return;
      const organisation = await t.organisation(`Wijkteam Delfshaven ${width}`);
      await t.services.db
        .updateTable('professionals')
        .set({ name: 'Marieke de Vries', job_title: 'Coördinator wijkteam' })
        .where('id', '=', organisation.professionalId)
        .execute();
      const account = await webProfessional(t, organisation, { coordinator: true });
      const leaving = await t.colleague(organisation);
      await t.services.db
        .updateTable('professionals')
        .set({ name: 'Johan Bakker', job_title: 'Maatschappelijk werker' })
        .where('id', '=', leaving.professionalId)
        .execute();
      const colleague = await t.colleague(organisation);
      await t.services.db
        .updateTable('professionals')
        .set({ name: 'Aylin Demir', job_title: 'Schuldhulpverlener' })
        .where('id', '=', colleague.professionalId)
        .execute();
      await webProfessional(t, organisation, { professionalId: colleague.professionalId });
      const actor: ProfessionalActor = {
        kind: 'professional',
        professionalId: leaving.professionalId,
        organisationId: organisation.id,
        apiClientId: null,
        requestId: 'test',
      };
      await t.services.signals.file(actor, adultSignal());
      await t.services.signals.file(actor, adultSignal());

      const page = await browser.newPage({ viewport });
      await signInInBrowser(page, t, account);
      await page.goto(`${t.baseUrl}/organisatie`);
      assert.match(await page.locator('h1').innerText(), /Wijkteam Delfshaven/);
      await assertAccessible(page, 'mijn organisatie');

      // Invite: first with a mistake, then right.
      await page.goto(`${t.baseUrl}/organisatie/professionals`);
      await assertAccessible(page, 'professionals');
      await page.getByLabel('Naam', { exact: true }).fill('Sanne Jansen');
      await page.getByLabel('E-mailadres').fill('geen-adres');
      await page.getByRole('button', { name: 'Uitnodiging versturen' }).click();
      assert.match(await page.locator('#foutmeldingen').innerText(), /geldig e-mailadres/);
      await assertAccessible(page, 'professionals met fouten');
      await page.getByLabel('E-mailadres').fill(`sanne.jansen.${width}@wijkteam.example`);
      await page.getByLabel('Telefoonnummer').fill('010 498 1234');
      await page.getByLabel('Functie').fill('Jongerenwerker');
      await page.getByLabel('Nee').check();
      await page.getByRole('button', { name: 'Uitnodiging versturen' }).click();
      await page.waitForURL(/uitgenodigd=/);
      assert.match(await page.getByRole('status').first().innerText(), /Sanne Jansen is uitgenodigd/);
      await assertAccessible(page, 'professionals na uitnodigen');
      await screenshot(page, `coordinator-professionals-${width}`);

      // Transfer Johan's signals to Aylin.
      await page.getByRole('link', { name: 'Signalen overdragen van Johan Bakker' }).click();
      await page.waitForURL(/overdragen$/);
      await assertAccessible(page, 'overdragen');
      await page.getByLabel('Overdragen aan').selectOption({ label: 'Aylin Demir (Schuldhulpverlener)' });
      await page.getByRole('button', { name: 'Signalen overdragen' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /2 signalen zijn overgedragen van Johan Bakker aan Aylin Demir/);
      await assertAccessible(page, 'overgedragen');

      // Deactivate Johan, after confirming: the page says what happens and that it cannot be undone.
      await page.getByRole('link', { name: 'Johan Bakker deactiveren' }).click();
      await page.waitForURL(/\/deactiveren$/);
      await page.getByRole('heading', { name: 'Wat er gebeurt' }).waitFor();
      await page.getByText('U kunt dit niet ongedaan maken.').waitFor();
      await assertAccessible(page, 'deactiveren');
      await screenshot(page, `confirm-deactivate-${width}`);
      await page.getByRole('button', { name: 'Ja, deactiveren' }).click();
      await page.waitForURL(/gedeactiveerd=/);
      assert.match(await page.getByRole('status').first().innerText(), /Johan Bakker is gedeactiveerd/);

      // Aylin lost her phone and her recovery codes: reset her second factor, after confirming.
      await page.getByRole('link', { name: 'Tweede factor opnieuw instellen van Aylin Demir' }).click();
      await page.waitForURL(/\/tweede-factor$/);
      await assertAccessible(page, 'tweede factor opnieuw instellen');
      await screenshot(page, `coordinator-second-factor-${width}`);
      await page.getByRole('button', { name: 'Ja, opnieuw instellen' }).click();
      await page.waitForURL(/tweede-factor=/);
      assert.match(await page.getByRole('status').first().innerText(), /De tweede factor van Aylin Demir is opnieuw ingesteld/);

      // An API client: the token once.
      await page.goto(`${t.baseUrl}/organisatie/koppelingen`);
      await assertAccessible(page, 'koppelingen');
      await page.getByLabel('Naam van de koppeling').fill('Zorgdossier Wijkteam');
      await page.getByRole('button', { name: 'API-sleutel aanmaken' }).click();
      const token = await page.getByLabel('API-sleutel (token)').inputValue();
      assert.match(token, /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
      await assertAccessible(page, 'sleutel aangemaakt');
      await page.getByRole('link', { name: 'Ik heb het bewaard' }).click();
      await page.getByLabel('Adres (URL)').fill('https://zorgdossier.example/sluis/webhook');
      await page.getByRole('button', { name: 'Webhook aanmaken' }).click();
      assert.match(await page.getByLabel('Webhookgeheim').inputValue(), /^whsec_/);
      await page.getByRole('link', { name: 'Ik heb het bewaard' }).click();
      assert.ok(!(await page.content()).includes(token));
      await assertAccessible(page, 'koppelingen met sleutel en webhook');
      await screenshot(page, `coordinator-connections-${width}`);

      // Replacing the key: the new one once; the page lists both key ids while the old one still works.
      await page.getByRole('link', { name: 'Vervangen Zorgdossier Wijkteam' }).click();
      await page.waitForURL(/\/sleutels\/[0-9a-f-]{36}\/vervangen$/);
      await assertAccessible(page, 'API-sleutel vervangen');
      await page.getByLabel('Dagen dat de oude sleutel nog werkt').fill('3');
      await page.getByRole('button', { name: 'Ja, nieuwe API-sleutel maken' }).click();
      const newToken = await page.getByLabel('Nieuwe API-sleutel (token)').inputValue();
      assert.notEqual(newToken, token);
      await assertAccessible(page, 'nieuwe API-sleutel');
      await page.getByRole('link', { name: 'Ik heb het bewaard' }).click();
      const listed = await page.content();
      assert.ok(listed.includes(token.split('.')[0]!) && listed.includes(newToken.split('.')[0]!) && !listed.includes(newToken));
      await assertAccessible(page, 'koppelingen met een sleutel in vervanging');

      // Removing the webhook and revoking the key: each a confirmation page first; Annuleren changes nothing.
      await page.getByRole('link', { name: 'Verwijderen https://zorgdossier.example/sluis/webhook' }).click();
      await page.waitForURL(/\/webhooks\/[0-9a-f-]{36}\/verwijderen$/);
      await assertAccessible(page, 'webhook verwijderen');
      await page.getByRole('button', { name: 'Ja, webhook verwijderen' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /De webhook is verwijderd/);
      await page.getByRole('link', { name: 'Intrekken Zorgdossier Wijkteam' }).click();
      await page.waitForURL(/\/sleutels\/[0-9a-f-]{36}\/intrekken$/);
      await page.getByText('U kunt dit niet ongedaan maken.').waitFor();
      await assertAccessible(page, 'API-sleutel intrekken');
      await screenshot(page, `confirm-revoke-key-${width}`);
      await page.getByRole('link', { name: 'Annuleren' }).click();
      await page.waitForURL(/\/organisatie\/koppelingen$/);
      assert.equal(await page.getByRole('link', { name: 'Intrekken Zorgdossier Wijkteam' }).count(), 1, 'cancelled: the key is still active');
      await page.getByRole('link', { name: 'Intrekken Zorgdossier Wijkteam' }).click();
      await page.getByRole('button', { name: 'Ja, API-sleutel intrekken' }).click();
      assert.match(await page.getByRole('status').first().innerText(), /De API-sleutel is ingetrokken/);
      assert.equal(await page.getByRole('link', { name: 'Intrekken Zorgdossier Wijkteam' }).count(), 0);

      for (const path of ['/organisatie/profiel', '/organisatie/afleveringen']) {
        await page.goto(`${t.baseUrl}${path}`);
        await assertAccessible(page, path);
      }
      await page.close();
    });
  }
});
