/**
 * The information letter in Chromium on a phone: from the signal page (the filing answer) to the
 * text page, the copy button copying the letter, and the PDF with the municipality's logo. axe-core
 * checks each page. SLUIS_SCREENSHOTS=1 writes docs/screenshots/information-letter-*.png.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { childSignal, randomBsn, type TestOrganisation } from '../../test-support/fixtures.ts';
import { pdfHasImage, pdfText } from '../../test-support/pdf-text.ts';
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
let org: TestOrganisation;

before(async () => {
  if (!chromiumAvailable()) return;
  env = await startBrowserApp({ start: '2026-03-10T09:00:00Z' });
  ({ t, browser } = env);
  // The logo is the app's own icon (a same-site PNG), so the PDF can be checked for it.
  await t.services.settings.update(t.admin, {
    theme: { municipalityName: 'Gemeente Zeestad', logoUrl: '/assets/icon-192.png' },
    privacyStatement: { contact: 'Team Privacy, Postbus 1, 1000 AA Zeestad, telefoon 14 010, privacy@zeestad.example' },
  });
  org = await t.organisation('Wijkteam Zuid');
  await t.services.db
    .updateTable('professionals')
    .set({ name: 'Sanne Bakker', job_title: 'Gezinscoach', email: 'sanne.bakker@wijkteamzuid.example', phone: '010 765 4321' })
    .where('id', '=', org.professionalId)
    .execute();
});

after(() => env?.close());

test('a professional opens the letter text from the signal page on a phone, copies it, and downloads the PDF', async (testContext) => {
  if (skipWithoutChromium(testContext)) return;
  const bsn = randomBsn();
  const filed = await t.app.inject({
    method: 'POST',
    url: '/api/v1/signals',
    headers: org.headers,
    payload: {
      ...childSignal(bsn, '2012-01-15', '2026-03-10'),
      person: { bsn, name: { givenNames: 'Noa', familyName: 'Visser' }, dateOfBirth: '2012-01-15', gender: 'female' },
      legalBasis: { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-10' },
    },
  });
  assert.equal(filed.statusCode, 201, filed.body);
  const id = filed.json().signal.id as string;

  const page = await browser.newPage({ viewport: PHONE, permissions: ['clipboard-read', 'clipboard-write'] });
  const check = pageChecks(page, 'phone');
  try {
    await signInInBrowser(page, t, await webProfessional(t, org));
    await page.goto(`${t.baseUrl}/signalen/${id}?nieuw=1`);
    const main = page.locator('main');
    await assert.doesNotReject(main.getByRole('heading', { name: 'Informatiebrief' }).waitFor());
    assert.match((await main.textContent()) ?? '', /Vertel de jongere én de ouders of de voogd \(twee brieven\)/);
    await check('filing answer with the information letter', 'information-letter-signal');

    await main.getByRole('link', { name: 'Tekst om te versturen' }).click();
    await page.waitForURL(new RegExp(`/signalen/${id}/informatiebrief$`));
    const young = main.getByLabel('Tekst om te versturen').first();
    assert.match(await young.inputValue(), /^Gemeente Zeestad\n10 maart 2026\n\nInformatie over SluiS: een signaal over jou\n\nBeste Noa,/);
    assert.ok(!(await page.content()).includes(bsn), 'no BSN on the page');
    await check('information letter text', 'information-letter-text');

    // With the script the copy button shows and copies the whole letter.
    const copy = main.getByRole('button', { name: 'Tekst kopiëren (brief aan de jongere)' });
    await copy.click();
    await assert.doesNotReject(main.getByText('De tekst is gekopieerd.').first().waitFor());
    assert.equal(await page.evaluate(() => navigator.clipboard.readText()), await young.inputValue());

    const pdf = await page.request.get(`${t.baseUrl}/signalen/${id}/informatiebrief.pdf`);
    assert.equal(pdf.status(), 200);
    assert.equal(pdf.headers()['content-type'], 'application/pdf');
    const bytes = Buffer.from(await pdf.body());
    assert.ok(pdfHasImage(bytes), 'the municipality logo is in the PDF');
    const words = pdfText(bytes);
    assert.ok(words.includes('Beste Noa,') && words.includes('Beste ouder of voogd van Noa Visser,'), words.slice(0, 300));
  } finally {
    await page.close();
  }
});
