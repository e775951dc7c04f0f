/**
 * Generators for trying SluiS from outside: values that follow a JSON schema often enough to get
 * past it (and so reach the services and the database), and break it often enough to test every
 * refusal — arbitrary Unicode with NUL and lone surrogates, very long strings, wrong types, odd
 * numbers and dates. Every generated value can carry an identifier (a BSN-like number, a uuid, a
 * marker word) whose later appearance in an answer or the log is a finding.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { rowCounts } from './fixtures.ts';
import type { captureLog } from './log-capture.ts';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  enum?: unknown[];
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  pattern?: string;
  minItems?: number;
  maxItems?: number;
};

/** A 9-digit number that passes the 11-test, as a BSN does. */
export const bsnLike = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })
  .filter((digits) => digits[0] !== 0)
  .map((digits) => {
    const sum = digits.reduce((total, digit, i) => total + (9 - i) * digit, 0);
    return { digits, last: sum % 11 };
  })
  .filter(({ last }) => last <= 9)
  .map(({ digits, last }) => `${digits.join('')}${last}`);

/** A word no text of SluiS contains: a stand-in for a name someone typed. */
export const marker = fc.stringMatching(/^Qx[a-z]{10}$/);

const ODD_TEXT = [
  '\u0000',
  'a\u0000b',
  '\ud800',
  'x\udfffy',
  '\ud83d',
  '',
  ' ',
  '  \t',
  '0',
  '-1',
  '1e309',
  'NaN',
  'null',
  'true',
  '[]',
  '{}',
  '%00',
  '%ED%A0%80',
  '../..',
  '<script>alert(1)</script>',
  '\u202e',
  '\ufeff',
  '😀',
  'ĳ',
  "'; drop table signals; --",
];
export const ODD_DATES = [
  '0000-01-01',
  '0001-01-01',
  '9999-12-31',
  '2026-02-29',
  '2024-02-29',
  '1900-02-29',
  '2026-13-01',
  '2026-00-10',
  '10000-01-01',
  '+275760-09-13',
  '1970-01-01',
  '2026-03-10',
];
export const ODD_INSTANTS = [
  '0000-01-01T00:00:00Z',
  '0001-01-01T00:00:00Z',
  '9999-12-31T23:59:59Z',
  '+275760-09-13T00:00:00.000Z',
  '2026-03-10T09:00:00Z',
  '2026-03-10T25:00:00Z',
  '2026-03-10T09:00:00+14:00',
  '1969-12-31T23:59:59.999Z',
  '0001-01-01T00:00:00+14:00',
  '9999-12-31T23:59:59-12:00',
  '2026-03-10T09:00:60Z',
];
export const ODD_NUMBERS = [0, -0, -1, 1, 0.5, 2 ** 31, 2 ** 31 - 1, -(2 ** 31) - 1, 2 ** 53, 2 ** 63, -(2 ** 53), 1e308, 1e-308, 120, 1200, 100, 101];

/** Any string: arbitrary code points (lone surrogates too), odd texts, very long ones, identifiers. */
export const oddString: fc.Arbitrary<string> = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary', maxLength: 30 }) },
  { weight: 3, arbitrary: fc.constantFrom(...ODD_TEXT, ...ODD_DATES, ...ODD_INSTANTS) },
  { weight: 1, arbitrary: fc.string({ minLength: 300, maxLength: 5000 }) },
  { weight: 3, arbitrary: fc.oneof(bsnLike, marker, fc.uuid()) },
  { weight: 2, arbitrary: fc.tuple(marker, fc.string({ unit: 'binary', maxLength: 5 }), bsnLike).map(([a, b, c]) => `${a}${b}${c}`) },
);

export const oddNumber: fc.Arbitrary<number> = fc.oneof(fc.integer(), fc.double({ noNaN: true }), fc.constantFrom(...ODD_NUMBERS));

/** Any JSON value, leaning on the odd strings and numbers above. */
export const oddJson: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    oddString,
    oddNumber,
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(oddString, fc.constantFrom('name', 'person', 'bsn', '__proto__', 'constructor')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

/** A value for a string the schema describes: usually a plausible one, sometimes an odd one. */
function stringFor(schema: JsonSchema, ids: readonly string[]): fc.Arbitrary<string> {
  const plausible: fc.Arbitrary<string> = schema.enum
    ? fc.constantFrom(...(schema.enum as string[]))
    : schema.format === 'date'
      ? fc.oneof(
          fc.constantFrom(...ODD_DATES),
          fc.date({ min: new Date('1900-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
        )
      : schema.format === 'date-time'
        ? fc.oneof(
            fc.constantFrom(...ODD_INSTANTS),
            fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
          )
        : schema.format === 'uuid'
          ? ids.length > 0
            ? fc.oneof(fc.constantFrom(...ids), fc.uuid())
            : fc.uuid()
          : schema.format === 'bsn'
            ? bsnLike
            : schema.format === 'email'
              ? fc.oneof(
                  marker.map((m) => `${m}@example.nl`),
                  fc.constantFrom('a@b', 'x@example.nl', '@', 'x@'),
                )
              : schema.format === 'uri'
                ? fc.oneof(
                    marker.map((m) => `https://hook.example/${m}`),
                    fc.constantFrom('https://10.0.0.1/', 'http://localhost/', 'https://user:pw@hook.example/'),
                  )
                : schema.pattern === '^[+0-9 ()-]+$'
                  ? fc.constantFrom('010 123 4567', '+31 (0)10 1234567', '0', '((((((')
                  : fc.oneof(
                      marker,
                      fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(schema.maxLength ?? 40, 40) }),
                      marker.map((m) => `${m} ${m}`),
                    );
  return fc.oneof({ weight: 3, arbitrary: plausible }, { weight: 1, arbitrary: oddString });
}

/** A value for the schema: following it most of the time, breaking it some of the time, with identifiers throughout. */
export function valueFor(schema: JsonSchema | undefined, ids: readonly string[], depth = 0): fc.Arbitrary<unknown> {
  if (!schema || depth > 5) return oddJson;
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((branch) => valueFor(branch, ids, depth + 1)));
  const type = Array.isArray(schema.type) ? schema.type[0] : schema.type;
  const follows: fc.Arbitrary<unknown> = (() => {
    switch (type) {
      case 'object': {
        const properties = Object.entries(schema.properties ?? {});
        if (properties.length === 0) return fc.constant({});
        const required = new Set(schema.required ?? []);
        return fc
          .record(Object.fromEntries(properties.map(([name, child]) => [name, valueFor(child, ids, depth + 1)])), {
            requiredKeys: properties.map(([name]) => name).filter((name) => required.has(name)),
          })
          .chain((object) =>
            fc.oneof({ weight: 5, arbitrary: fc.constant(object) }, { weight: 1, arbitrary: oddString.map((extra) => ({ ...object, [extra]: 1 })) }),
          );
      }
      case 'array':
        return fc.array(valueFor(schema.items, ids, depth + 1), { minLength: schema.minItems ?? 0, maxLength: Math.min(schema.maxItems ?? 4, 4) });
      case 'string':
        return stringFor(schema, ids);
      case 'integer':
        return fc.oneof(fc.integer({ min: schema.minimum ?? -1000, max: schema.maximum ?? 1000 }), oddNumber);
      case 'number':
        return oddNumber;
      case 'boolean':
        return fc.boolean();
      case 'null':
        return fc.constant(null);
      default:
        return oddJson;
    }
  })();
  return fc.oneof({ weight: 6, arbitrary: follows }, { weight: 1, arbitrary: oddJson });
}

/** Every string in a value (keys too). */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value && typeof value === 'object') return Object.entries(value).flatMap(([key, item]) => [key, ...stringsIn(item)]);
  return [];
}

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;

/** The identifiers in what was sent: BSN-like numbers, uuids and marker words. */
export function identifiersIn(strings: readonly string[]): string[] {
  const found = new Set<string>();
  for (const text of strings) {
    for (const match of text.matchAll(UUID)) found.add(match[0].toLowerCase());
    // Digits inside a uuid are the uuid's, not a number of their own.
    for (const match of text.replace(UUID, '-').matchAll(/\d{9,}/g)) found.add(match[0]);
    for (const match of text.matchAll(/Qx[a-z]{10}/g)) found.add(match[0]);
  }
  return [...found];
}

/** The identifiers that occur in a text (digits only where no other digit touches them). */
export function occurring(text: string, identifiers: readonly string[]): string[] {
  const lower = text.toLowerCase();
  return identifiers.filter((id) => (/^\d+$/.test(id) ? new RegExp(`(?<!\\d)${id}(?!\\d)`).test(text) : lower.includes(id.toLowerCase())));
}

/** Percent-encoding for any string, a lone surrogate included (as the three bytes it would take, which are no UTF-8). */
export function encodeAny(text: string): string {
  let out = '';
  for (const char of text) {
    const unit = char.charCodeAt(0);
    if (char.length === 1 && unit >= 0xd800 && unit <= 0xdfff) {
      out += [0xe0 | (unit >> 12), 0x80 | ((unit >> 6) & 0x3f), 0x80 | (unit & 0x3f)].map((b) => `%${b.toString(16).toUpperCase()}`).join('');
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

/**
 * What the database holds, but for the audit trail's records of refused access (denied, not found)
 * and of reads, which a refusal writes by design: a form shown again with its problems shows the
 * page's data again, and records that.
 */
async function writtenState(database: Database, ignore: readonly string[]): Promise<Record<string, number>> {
  const counts = await rowCounts(database.db);
  const audited = await sql<{ type: string; n: number }>`select event_type as type, count(*)::int as n from audit_events
    where outcome = 'success' and event_type !~ '(\\.read|\\.listed|_read|\\.peeked|\\.looked_up)$' group by event_type`.execute(database.db);
  delete counts.audit_events;
  for (const table of ignore) delete counts[table];
  return { ...counts, ...Object.fromEntries(audited.rows.map((row) => [`audit_events (${row.type})`, row.n])) };
}

/**
 * The written state once the work a previous answer left behind is done: a request for a password
 * link, say, is answered at once and makes the link and its mail just after, which must not count
 * as written by the next request.
 */
async function settledState(database: Database, ignore: readonly string[]): Promise<Record<string, number>> {
  let state = await writtenState(database, ignore);
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    const again = await writtenState(database, ignore);
    if (JSON.stringify(again) === JSON.stringify(state)) return state;
    state = again;
  }
  return state;
}

/** A page without what its forms hold: the values of inputs and options, and the text of text areas. */
export const withoutFormInput = (html: string) =>
  html.replace(/\svalue="[^"]*"/g, ' value=""').replace(/(<textarea\b[^>]*>)[\s\S]*?<\/textarea>/g, '$1</textarea>');

export type Finding = { what: string; detail: string };
export type Answer = { statusCode: number; body: string };

/**
 * Checks one request sent from outside: never a 5xx; a refusal (a status of 400 or more) repeats
 * no identifier that was sent (with `formsKeepInput`, but in the fields of a form shown again) and
 * writes nothing but the tables in `ignore`; the log holds none of the identifiers sent, whatever the answer. `known` are the
 * fixture's own ids: found in an answer they are no finding, found in the log only when sent.
 */
export function createChecker(
  database: () => Database,
  log: ReturnType<typeof captureLog>,
  known: () => readonly string[],
  options: { formsKeepInput?: boolean; ignore?: readonly string[] } = {},
) {
  const statuses = new Map<number, number>();
  async function check(send: () => Promise<Answer>, sent: string[], what: string): Promise<Finding[]> {
    const ids = known();
    const identifiers = identifiersIn(sent).filter((id) => !ids.includes(id));
    const before = await settledState(database(), options.ignore ?? []);
    log.clear();
    const response = await send();
    statuses.set(response.statusCode, (statuses.get(response.statusCode) ?? 0) + 1);
    const findings: Finding[] = [];
    if (response.statusCode >= 500) findings.push({ what, detail: `answered ${response.statusCode}: ${response.body.slice(0, 300)}` });
    if (response.statusCode >= 400) {
      const echoed = occurring(options.formsKeepInput ? withoutFormInput(response.body) : response.body, identifiers);
      if (echoed.length > 0) findings.push({ what, detail: `a ${response.statusCode} repeats ${echoed.join(', ')}: ${response.body.slice(0, 300)}` });
      const after = await writtenState(database(), options.ignore ?? []);
      const changed = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((table) => after[table] !== before[table]);
      if (changed.length > 0) findings.push({ what, detail: `a ${response.statusCode} wrote to ${changed.join(', ')}` });
    }
    const logged = occurring(log.text(), [...identifiers, ...ids.filter((id) => sent.some((s) => s.toLowerCase().includes(id)))]);
    if (logged.length > 0) findings.push({ what, detail: `the log holds ${logged.join(', ')}:\n${log.text().slice(0, 1500)}` });
    return findings;
  }
  return {
    check,
    /** How the requests were answered, per status, for the test's diagnostics: so its reach is visible. */
    histogram: () =>
      [...statuses]
        .sort(([a], [b]) => a - b)
        .map(([status, n]) => `${status}×${n}`)
        .join(' '),
    reset: () => statuses.clear(),
  };
}

/** Fails with every finding, each with what was sent. */
export const noFindings = (found: Finding[]) => {
  if (found.length > 0) throw new Error(found.map((f) => `${f.what}\n  ${f.detail}`).join('\n'));
};
