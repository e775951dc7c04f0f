/**
 * Test support for the web pages: web accounts with a known password and authenticator secret,
 * signing in through the real pages (with inject, for fast authorisation tests on both databases,
 * or in Chromium), axe-core checks and screenshots.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import type { TestContext } from 'node:test';
import { hashPassword, totpCode } from '../accounts/credentials.ts';
import type { Database } from '../db/database.ts';
import { createTestDatabase } from './databases.ts';
import { createTestApp, type TestApp, type TestOrganisation } from './fixtures.ts';

export const TEST_PASSWORD = 'een-lang-test-wachtwoord';
export const TEST_TOTP_SECRET = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';

export type WebAccount = { accountId: string; email: string; password: string; secret: string };

/** A web account, password chosen and authenticator linked, for a professional or a staff member. */
export async function createWebAccount(
  t: Pick<TestApp, 'services'>,
  holder: { professionalId: string } | { staffMemberId: string },
  email = `w-${randomUUID()}@example.nl`,
): Promise<WebAccount> {
  const now = t.services.clock.now();
  const row = await t.services.db
    .insertInto('web_accounts')
    .values({
      email,
      created_at: now,
      updated_at: now,
      password_hash: await hashPassword(TEST_PASSWORD),
      totp_secret: TEST_TOTP_SECRET,
      totp_enrolled_at: now,
      professional_id: 'professionalId' in holder ? holder.professionalId : null,
      staff_member_id: 'staffMemberId' in holder ? holder.staffMemberId : null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { accountId: row.id, email, password: TEST_PASSWORD, secret: TEST_TOTP_SECRET };
}

/** The web account of an organisation's professional (optionally its coordinator). */
export async function webProfessional(t: TestApp, organisation: TestOrganisation, options: { coordinator?: boolean; professionalId?: string } = {}) {
  const professionalId = options.professionalId ?? organisation.professionalId;
  if (options.coordinator) await t.services.db.updateTable('professionals').set({ coordinator: true }).where('id', '=', professionalId).execute();
  return { ...(await createWebAccount(t, { professionalId })), professionalId, organisation };
}

/** The web account of the test app's municipality administrator. */
export async function webAdministrator(t: TestApp) {
  return createWebAccount(t, { staffMemberId: t.admin.staffMemberId });
}

/** The current code of the account's authenticator; moves the test clock past it, so the next sign-in gets a fresh one. */
export function nextCode(t: Pick<TestApp, 'clock'>, account: WebAccount): string {
  t.clock.advance(30_000);
  return totpCode(account.secret, t.clock.now());
}

const cookieOf = (setCookie: string | string[] | undefined, name: string) => {
  const list = Array.isArray(setCookie) ? setCookie : setCookie ? [setCookie] : [];
  return list
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`))
    ?.slice(name.length + 1);
};

/** The `name=value` pairs of a response's Set-Cookie headers, as a browser would send them back. */
export const cookiesOf = (setCookie: string | string[] | undefined): string[] => [setCookie ?? []].flat().map((c) => c.split(';')[0]!);

export const csrfIn = (html: string): string => /name="_csrf" value="([^"]+)"/.exec(html)?.[1] ?? '';

/** A signed-in session through the real sign-in pages, for app.inject: { cookie, csrf, get, post }. */
export async function signInByInject(t: TestApp, account: WebAccount) {
  const secure = t.services.publicUrl.startsWith('https://');
  const sessionName = secure ? '__Host-sluis_sessie' : 'sluis_sessie';
  const csrfName = secure ? '__Host-sluis_csrf' : 'sluis_csrf';
  const first = await t.app.inject({ method: 'GET', url: '/inloggen' });
  const anonymous = cookieOf(first.headers['set-cookie'], csrfName)!;
  const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
  const password = await t.app.inject({
    method: 'POST',
    url: '/inloggen',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${csrfName}=${anonymous}` },
    payload: form({ _csrf: anonymous, email: account.email, wachtwoord: account.password }),
  });
  if (password.statusCode !== 303) throw new Error(`sign-in refused: ${password.statusCode}`);
  const pending = cookieOf(password.headers['set-cookie'], sessionName)!;
  const codePage = await t.app.inject({ method: 'GET', url: '/inloggen/code', headers: { cookie: `${sessionName}=${pending}` } });
  const code = await t.app.inject({
    method: 'POST',
    url: '/inloggen/code',
    headers: { 'content-type': 'application/x-www-form-urlencoded', cookie: `${sessionName}=${pending}` },
    payload: form({ _csrf: csrfIn(codePage.body), code: nextCode(t, account) }),
  });
  if (code.statusCode !== 303) throw new Error(`second factor refused: ${code.statusCode}`);
  const session = cookieOf(code.headers['set-cookie'], sessionName)!;
  const cookie = `${sessionName}=${session}`;
  const start = await t.app.inject({ method: 'GET', url: '/account', headers: { cookie } });
  const csrf = csrfIn(start.body);
  return {
    cookie,
    csrf,
    get: (url: string) => t.app.inject({ method: 'GET', url, headers: { cookie } }),
    post: (url: string, fields: Record<string, string | string[]> = {}) => {
      const body = new URLSearchParams();
      body.append('_csrf', csrf);
      for (const [key, value] of Object.entries(fields)) for (const v of Array.isArray(value) ? value : [value]) body.append(key, v);
      return t.app.inject({ method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded', cookie }, payload: body.toString() });
    },
  };
}
export type InjectSession = Awaited<ReturnType<typeof signInByInject>>;

/**
 * Without signing in, every page sends the visitor to sign in (with the way back), and every form,
 * posted with a valid pre-sign-in CSRF token, is sent to sign in too (the caller checks that nothing changed).
 */
export async function assertAnonymousSentToSignIn(
  t: TestApp,
  pages: readonly string[],
  forms: readonly (readonly [string, Record<string, string | string[]>])[],
) {
  const start = await t.app.inject({ method: 'GET', url: '/inloggen' });
  const cookie = cookiesOf(start.headers['set-cookie']).join('; ');
  const csrf = csrfIn(start.body);
  for (const url of pages) {
    const response = await t.app.inject({ method: 'GET', url });
    assert.equal(response.statusCode, 303, url);
    assert.equal(response.headers.location, `/inloggen?terug=${encodeURIComponent(url)}`, url);
  }
  for (const [url, fields] of forms) {
    const body = new URLSearchParams({ _csrf: csrf });
    for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
    const response = await t.app.inject({
      method: 'POST',
      url,
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: body.toString(),
    });
    assert.equal(response.statusCode, 303, url);
    assert.equal(response.headers.location, '/inloggen', url);
  }
}

// ---------------------------------------------------------------------------------------------
// The browser: Debian's Chromium through playwright-core.

export const CHROMIUM = process.env.SLUIS_CHROMIUM ?? '/usr/bin/chromium';
export const CHROMIUM_MISSING = `Chromium is NOT installed at ${CHROMIUM}: browser tests are SKIPPED (apt-get install -y chromium, or .ci/run)`;
export const chromiumAvailable = () => existsSync(CHROMIUM);
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export const PHONE = { width: 360, height: 760 } as const;
export const DESKTOP = { width: 1280, height: 900 } as const;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A test app listening on a real port, with its public URL set to it (mail links, cookies). */
export async function createListeningTestApp(database: Database, options: Parameters<typeof createTestApp>[1] = {}) {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const t = await createTestApp(database, { ...options, publicUrl: baseUrl });
  await t.app.listen({ port, host: '127.0.0.1' });
  return { ...t, baseUrl };
}

export async function launchBrowser() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  // axe-core needs pages made through a context (not browser.newPage): give each page its own context.
  browser.newPage = async (options) => {
    const context = await browser.newContext(options);
    const page = await context.newPage();
    page.on('close', () => void context.close().catch(() => {}));
    return page;
  };
  return browser;
}
export type ListeningTestApp = Awaited<ReturnType<typeof createListeningTestApp>>;
export type Browser = Awaited<ReturnType<typeof launchBrowser>>;
export type Page = Awaited<ReturnType<Browser['newPage']>>;

/** What a browser test starts from: a fresh PGlite database, the app listening on a port, and Chromium. */
export async function startBrowserApp(options: Parameters<typeof createTestApp>[1] = {}) {
  const database = await createTestDatabase('pglite');
  const t = await createListeningTestApp(database, options);
  const browser = await launchBrowser().catch(async (error: unknown) => {
    await t.close();
    await database.drop();
    throw error;
  });
  return {
    t,
    browser,
    async close() {
      await browser.close();
      await t.close();
      await database.drop();
    },
  };
}

/**
 * The checks for each page a browser test visits: axe-core (WCAG 2.1 AA and best practices), no sideways scrolling
 * (unless `fitsWidth` is false), and a screenshot named `<shot>-<width>` when screenshots are on.
 */
export function pageChecks(page: Page, width: string, options: { fitsWidth?: boolean; also?: (label: string) => Promise<void> } = {}) {
  return async (label: string, shot?: string) => {
    await assertAccessible(page, `${label} (${width})`);
    if (options.fitsWidth !== false) await assertFitsWidth(page, `${label} (${width})`);
    await options.also?.(label);
    if (shot) await screenshot(page, `${shot}-${width}`);
  };
}

/** Signs in through the pages in the browser, ending on the start page. */
export async function signInInBrowser(page: Page, t: { baseUrl: string; clock: TestApp['clock'] }, account: WebAccount) {
  await page.goto(`${t.baseUrl}/inloggen`);
  await page.getByLabel('E-mailadres').fill(account.email);
  await page.getByLabel('Wachtwoord').fill(account.password);
  await page.getByRole('button', { name: 'Inloggen' }).click();
  await page.getByLabel('Code').fill(nextCode(t, account));
  await page.getByRole('button', { name: 'Verder' }).click();
  await page.waitForLoadState('domcontentloaded');
}

const NAVIGATED = /documentElement|Execution context was destroyed|navigat|Target page, context or browser has been closed/i;

/** Waits until the page's document has loaded: a click on a link returns before the next page is there. */
async function loaded(page: Page) {
  await page.waitForLoadState('load');
  await page.waitForFunction(() => document.readyState === 'complete' && document.documentElement !== null);
}

/** axe-core on the page: WCAG 2.1 A and AA and axe's best practices; fails with the violations listed. */
export async function assertAccessible(page: Page, label: string) {
  const { AxeBuilder } = await import('@axe-core/playwright');
  const analyze = () => new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']).analyze();
  let result: Awaited<ReturnType<typeof analyze>>;
  for (let attempt = 1; ; attempt++) {
    await loaded(page);
    try {
      result = await analyze();
      break;
    } catch (error) {
      // A navigation that was still under way replaced the document axe was reading: read the new one.
      if (attempt < 3 && NAVIGATED.test(String(error))) continue;
      throw error;
    }
  }
  const violations = result.violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.help} — ${v.nodes
        .slice(0, 3)
        .map((n) => n.target.join(' '))
        .join(' | ')}`,
  );
  if (violations.length > 0) throw new Error(`axe: ${violations.length} violation(s) (WCAG 2.1 AA or best practice) on ${label}:\n${violations.join('\n')}`);
}

/** Saves a screenshot to docs/screenshots/<name>.png when SLUIS_SCREENSHOTS=1 (npm run screenshots). */
export async function screenshot(page: Page, name: string) {
  if (process.env.SLUIS_SCREENSHOTS !== '1') return;
  mkdirSync('docs/screenshots', { recursive: true });
  await page.screenshot({ path: `docs/screenshots/${name}.png`, fullPage: true });
}

/** Skips a browser test, loudly, where Chromium cannot be had. */
export function skipWithoutChromium(t: TestContext): boolean {
  if (chromiumAvailable()) return false;
  console.log(`\n!!! ${CHROMIUM_MISSING}\n`);
  t.skip(CHROMIUM_MISSING);
  return true;
}

/** Nothing on the page is wider than the screen (no sideways scrolling on a phone). */
export async function assertFitsWidth(page: Page, label: string) {
  await loaded(page);
  const { scrollWidth, clientWidth } = await page.evaluate(() => ({
    scrollWidth: document.documentElement.scrollWidth,
    clientWidth: document.documentElement.clientWidth,
  }));
  if (scrollWidth > clientWidth) throw new Error(`${label} is ${scrollWidth}px wide on a ${clientWidth}px screen`);
}

export const SMALLEST = { width: 320, height: 640 } as const;

/**
 * The header's menu (src/web/layout.tsx): on a phone it sits behind the "Menu" button, which this
 * opens when it is shown and closed; on a wide screen it is always there. Returns the header, to find
 * a menu link or the sign-out button in.
 */
export async function openMenu(page: Page) {
  const header = page.getByRole('banner');
  const button = header.locator('summary.sluis-menu__button');
  if ((await button.isVisible()) && (await page.locator('details.sluis-menu[open]').count()) === 0) await button.click();
  return header;
}

/**
 * The one confirmation pattern (src/web/confirm-page.tsx) in a page's HTML: what will happen, what
 * cannot be undone, a POST form to `action` with the CSRF token and a red button, and "Annuleren"
 * back to `back`.
 */
export function assertConfirmation(html: string, action: string, back: string) {
  const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  assert.match(html, /<h2 class="utrecht-heading-2">Wat er gebeurt<\/h2>/);
  assert.match(html, /<strong>U kunt dit niet ongedaan maken\.<\/strong>/);
  const form = new RegExp(`<form method="post" action="${escaped(action)}"[^>]*>([\\s\\S]*?)</form>`).exec(html);
  assert.ok(form, `a POST form to ${action}`);
  assert.match(form[1]!, /<input type="hidden" name="_csrf" value="[^"]+"/);
  assert.match(form[1]!, /<button type="submit" class="utrecht-button utrecht-button--primary-action utrecht-button--danger">Ja, /);
  assert.match(form[1]!, new RegExp(`<a class="utrecht-link" href="${escaped(back)}">Annuleren</a>`));
}

/** A date's three boxes as form or query fields, the way a person fills them: ('van', '2026-03-05') → van=5, van-maand=3, van-jaar=2026. */
export function dateBoxes(name: string, isoDate: string): Record<string, string> {
  const [year = '', month = '', day = ''] = isoDate.split('-');
  return { [name]: String(Number(day)), [`${name}-maand`]: String(Number(month)), [`${name}-jaar`]: year };
}
