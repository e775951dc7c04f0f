/**
 * Passing a person's request on to the municipality in Chromium on a phone: from the signal page to the
 * form, its error summary, and back to the signal page that says it was passed on. axe-core checks each
 * page. SLUIS_SCREENSHOTS=1 writes docs/screenshots/rights-pass-on-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { adultSignal, randomBsn } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  type ListeningTestApp,
  PHONE,
  pageChecks,
  signInInBrowser,
  skipWithoutChromium,
  startBrowserApp,
  webProfessional,
} from '../../test-support/web.ts';

let env: Awaited<ReturnType<typeof startBrowserApp>>;
let t: ListeningTestApp;
let browser: Browser;

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp({ start: '2026-03-10T09:00:00Z' });
  ({ t, browser } = env);
});

after(() => env?.close());

test('a professional passes a request for inspection on to the municipality (phone)', async (testContext) => {
  if (skipWithoutChromium(testContext)) return;
  const org = await t.organisation('Wijkteam Centrum');
  const professional = await webProfessional(t, org);
  const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: adultSignal(randomBsn()) });
  const signalId = filed.json().signal.id as string;
  const page = await browser.newPage({ viewport: PHONE });
  const check = pageChecks(page, 'phone');
  try {
    await signInInBrowser(page, t, professional);
    await page.goto(`${t.baseUrl}/signalen/${signalId}`);
    const main = page.locator('main');
    await main.getByRole('link', { name: 'Verzoek of klacht doorgeven' }).click();
    await page.waitForURL(new RegExp(`/signalen/${signalId}/verzoek$`));
    await check('pass-on form', 'rights-pass-on-form');
    await main.getByRole('button', { name: 'Doorgeven aan de gemeente' }).click();
    const summary = page.locator('#foutmeldingen');
    await assert.doesNotReject(summary.waitFor());
    assert.match((await summary.textContent()) ?? '', /Kies wat de persoon vraagt/);
    await check('pass-on form with an error');
    await main.getByLabel('Inzage', { exact: true }).check();
    await main.getByRole('button', { name: 'Doorgeven aan de gemeente' }).click();
    await page.waitForURL(new RegExp(`/signalen/${signalId}\\?verzoek=1$`));
    await main.getByText('Doorgegeven aan de gemeente.', { exact: false }).first().waitFor();
    await check('signal page after passing it on', 'rights-pass-on-done');
  } finally {
    await page.close();
  }
});
