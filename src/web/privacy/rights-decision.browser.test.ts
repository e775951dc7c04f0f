/**
 * Carrying out a restriction in Chromium on a phone: the privacy officer opens the granted request,
 * reads what carrying it out does and restricts; a new signal on the person makes no match; the
 * professional's signal page says "Beperkt"; the officer lifts it again. axe-core checks each page.
 * SLUIS_SCREENSHOTS=1 writes docs/screenshots/rights-decision-*.png.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Bsn } from '../../persons/bsn.ts';
import { adultSignal, randomBsn } from '../../test-support/fixtures.ts';
import {
  type Browser,
  chromiumAvailable,
  createWebAccount,
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

test('a privacy officer carries out a restriction, the professional sees it on their signal, and the officer lifts it (phone)', async (testContext) => {
  if (skipWithoutChromium(testContext)) return;
  const [a, b] = [await t.organisation('Wijkteam Centrum'), await t.organisation('GGZ Rijnmond')];
  const bsn = randomBsn();
  const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(bsn) });
  const signalId = filed.json().signal.id as string;
  const registered = await t.app.inject({
    method: 'POST',
    url: '/api/v1/rights-requests',
    headers: t.adminHeaders,
    payload: {
      person: { identifiedBy: 'bsn', bsn, dateOfBirth: '1980-05-17' },
      kind: 'restriction',
      receivedOn: '2026-03-10',
      through: 'person',
      requester: 'person',
      identityCheck: 'id_document_seen',
    },
  });
  const requestId = registered.json().id as string;
  await t.app.inject({
    method: 'POST',
    url: `/api/v1/rights-requests/${requestId}/decision`,
    headers: t.adminHeaders,
    payload: { decision: 'granted', reasons: [], decidedOn: '2026-03-10' },
  });
  const member = await t.services.staff.create(t.admin, { name: 'Pia Privacy', email: `pf-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
  const officer = await createWebAccount(t, { staffMemberId: member.id });
  const professional = await webProfessional(t, a);

  const page = await browser.newPage({ viewport: PHONE });
  const check = pageChecks(page, 'phone');
  try {
    await signInInBrowser(page, t, officer);
    await page.goto(`${t.baseUrl}/privacy/verzoeken/${requestId}`);
    const main = page.locator('main');
    await main.getByRole('heading', { name: 'Verwerking beperken' }).waitFor();
    await check('request page with the restriction to carry out', 'rights-decision-restriction');
    await main.getByRole('button', { name: 'Verwerking beperken' }).click();
    await page.waitForURL(new RegExp(`/privacy/verzoeken/${requestId}$`));
    await main.getByRole('heading', { name: 'Besluit uitgevoerd' }).waitFor();
    await check('request page after carrying it out', 'rights-decision-done');

    // A new signal on the restricted person: no match.
    const second = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: b.headers, payload: adultSignal(bsn) });
    assert.equal(second.json().match, null);

    const professionalPage = await browser.newPage({ viewport: PHONE });
    const checkProfessional = pageChecks(professionalPage, 'phone');
    try {
      await signInInBrowser(professionalPage, t, professional);
      await professionalPage.goto(`${t.baseUrl}/signalen/${signalId}`);
      const notice = professionalPage.locator('main').getByText('Beperkt: de gemeente heeft de verwerking', { exact: false });
      await notice.waitFor();
      assert.match((await professionalPage.locator('main').textContent()) ?? '', /zolang de verwerking beperkt is/);
      await checkProfessional('signal page of a restricted person', 'rights-decision-signal');
    } finally {
      await professionalPage.close();
    }

    await main.getByRole('button', { name: 'Beperking opheffen' }).click();
    await page.waitForURL(new RegExp(`/privacy/verzoeken/${requestId}$`));
    await main.getByText('De beperking is opgeheven', { exact: false }).waitFor();
    await check('request page after lifting the restriction');
    const matches = await t.services.db
      .selectFrom('matches')
      .select('status')
      .where('person_key', '=', t.services.crypto.personKey(Bsn.parse(bsn)!))
      .execute();
    assert.deepEqual(
      matches.map((m) => m.status),
      ['open'],
      'lifting made the match the restriction held back',
    );
  } finally {
    await page.close();
  }
});
