/**
 * The leak guard over the whole suite (issue 11): scripts/test.ts loads this module in every test
 * process (`--import`), and everything SluiS produces in a test passes a scanner for the BSNs and
 * person names that test process used. A hit is written to the hits file (SLUIS_LEAK_HITS) with the
 * test's name; scripts/test.ts fails the run and names each one.
 *
 * What it knows: every BSN and person name a test sent to SluiS (any `bsn` field and any person's
 * `name` in an API body or a page form, learnt as the request arrives), and every BSN the fixtures
 * made (`randomBsn`). The RvIG test persons of the embedded register are not listed up front: the
 * tests send their BSNs in their filings, and so the guard learns them as any other.
 *
 * What it scans (see `observeResponse`, `observeMail`, `observeWebhook`, `observeLog`):
 *   - every HTTP response of a test app (createTestApp): a BSN in the body, headers included, and
 *     for the event feed and the dev mailbox also a name. A page's form fields are left out: a form
 *     shown again keeps what its user typed (by design). Names are not looked for in other bodies: a
 *     professional sees the name of the person they filed on, by design;
 *   - every mail the test SMTP server receives and every webhook call the test receiver gets: BSN and name;
 *   - every log line a test captures (captureLog): BSN and name.
 * ALLOWED below lists the answers that show a BSN by design, each with its reason.
 */
import { appendFileSync } from 'node:fs';
import { afterEach, beforeEach } from 'node:test';
import { passesElevenTest } from '../persons/bsn.ts';

type Hit = { file: string; test: string; channel: string; what: string; where: string };

const known = { bsns: new Set<string>(), names: new Set<string>() };
let currentTest = '(outside any test: a hook or the module itself)';
const file = process.argv[1] ?? '?';
const hitsFile = process.env.SLUIS_LEAK_HITS;
export const leakGuardActive = hitsFile !== undefined;

/** The answers that show a BSN by design, to whom, and why: "METHOD /route/pattern" → reason (staff callers only). */
export const ALLOWED: Record<string, string> = {
  'GET /beheer/persoon': 'the administrator looks a person up by BSN for the municipality (docs/rights.md); the page shows the BSN asked for',
  'POST /beheer/persoon': 'the same lookup, posted',
  'GET /api/v1/rights-requests/:id': "a rights request names its person by BSN for the administrator or privacy officer handling it (the person's own request)",
  'GET /api/v1/rights-requests': 'the list of rights requests, as above',
  'POST /api/v1/rights-requests': 'the created rights request, as above',
  'GET /privacy/verzoeken/:id': 'the rights request page, as above',
  'GET /privacy/verzoeken/:id/inzage/:format': 'the inspection report given to the person: their own data, BSN included (GDPR article 15)',
  'GET /api/v1/rights-requests/:id/inspection': 'the inspection report, as above',
  'GET /api/v1/rights-requests/:id/inspection-letter': 'the inspection letter to the person, as above',
};

/** Registers BSNs and names a test uses (the fixtures call this; requests are learnt from by `observeResponse`). */
export function knowPerson(person: { bsn?: string | undefined; names?: (string | undefined)[] }) {
  if (person.bsn && passesElevenTest(person.bsn)) known.bsns.add(person.bsn);
  for (const name of person.names ?? []) if (name && looksLikeName(name.trim())) known.names.add(name.trim());
}

/**
 * A name worth looking for: three characters or more with at least two letters in a row, and not a
 * date, a number or an id (the property tests post generated values, dates and ids among them, in
 * name fields; those occur everywhere by design and say nothing about a person).
 */
const looksLikeName = (name: string) =>
  name.length >= 3 &&
  !/^(true|false|null|undefined|nan)$/i.test(name) &&
  /\p{L}{2}/u.test(name) &&
  !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(name) &&
  !/^[\d\s.,:/-]+$/.test(name);

/** Learns the BSNs and names in what a test sent: `bsn` fields (any depth) and a person's name parts. */
export function learnFrom(value: unknown, key = ''): void {
  if (typeof value === 'string') {
    if (/bsn/i.test(key) && /^\d{9}$/.test(value.trim())) knowPerson({ bsn: value.trim() });
    if (learnsNames && /^(givenNames|familyName|voornamen|achternaam|geslachtsnaam)$/.test(key)) knowPerson({ names: [value] });
    return;
  }
  if (Array.isArray(value)) for (const item of value) learnFrom(item, key);
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) learnFrom(v, k);
}

/**
 * A property test posts generated values in its name fields ("true", "01", an id): they name nobody and
 * occur in pages by design, so its names are not learnt. Its BSNs are: a valid generated BSN is one.
 */
const learnsNames = !/\.property\.test\.tsx?$/.test(file);

const occurs = (text: string, value: string) =>
  /^\d+$/.test(value)
    ? new RegExp(`(?<![0-9.])${value}(?![0-9])`).test(text)
    : new RegExp(`(?<![\\p{L}\\d])${escapeRegExp(value)}(?![\\p{L}\\d])`, 'u').test(text);
const escapeRegExp = (value: string) => value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

function scan(channel: string, where: string, text: string, kinds: { bsn: boolean; names: boolean }) {
  if (!hitsFile || text.length === 0) return;
  const found = [...(kinds.bsn ? [...known.bsns].filter((bsn) => occurs(text, bsn)).map((bsn) => `BSN ${bsn}`) : [])];
  if (kinds.names) found.push(...[...known.names].filter((name) => occurs(text, name)).map((name) => `name "${name}"`));
  for (const what of found) record({ file, test: currentTest, channel, what, where });
}

function record(hit: Hit) {
  appendFileSync(hitsFile!, `${JSON.stringify(hit)}\n`);
}

/** A page without what its forms hold (a form shown again keeps what its user typed, by design). */
const withoutFormInput = (html: string) => html.replace(/\svalue="[^"]*"/g, ' value=""').replace(/(<textarea\b[^>]*>)[\s\S]*?<\/textarea>/g, '$1</textarea>');

/** An HTTP answer of a test app (buildApp's `observeResponse`). */
export function observeResponse(answer: {
  method: string;
  route: string;
  url: string;
  requestBody: unknown;
  staff: boolean;
  headers: Record<string, unknown>;
  body: string;
  contentType: string;
}) {
  if (!hitsFile) return;
  learnFrom(answer.requestBody);
  const where = `${answer.method} ${answer.url}`;
  scan('response header', where, JSON.stringify(answer.headers), { bsn: true, names: true });
  const route = `${answer.method} ${answer.route}`;
  if (answer.staff && ALLOWED[route]) return;
  if (!/json|html|text|xml/.test(answer.contentType)) return;
  const body = answer.contentType.includes('html') ? withoutFormInput(answer.body) : answer.body;
  const feed = /^\/api\/v1\/(events|dev-mailbox)\b|^\/beheer\/mailbox\b/.test(answer.url);
  scan('response body', where, body, { bsn: true, names: feed });
}

export const observeMail = (to: string, raw: string) => scan('mail', `mail to ${to}`, raw, { bsn: true, names: true });
export const observeWebhook = (url: string, body: string) => scan('webhook', `webhook call to ${url}`, body, { bsn: true, names: true });
export const observeLog = (text: string) => scan('log', 'a captured log line', text, { bsn: true, names: true });

// The current test's name, for the hits: root-level hooks of node:test run around every test of the file.
if (hitsFile && process.env.NODE_TEST_CONTEXT) {
  beforeEach((t) => {
    currentTest = (t as { fullName?: string }).fullName ?? t.name;
  });
  afterEach(() => {
    currentTest = '(between tests: a hook)';
  });
}
