/**
 * The web pages under load: what a professional's browser asks of SluiS on a busy day.
 *
 * Set-up (per engine, by bench/run.ts): the usual benchmark index (organisations, professionals,
 * 10 thousand persons preloaded, each with an active signal from one of the professionals), and
 * for every professional a web account (password and authenticator app, as src/test-support/web.ts
 * makes them) and a number of matches with other professionals (signals filed through the signal
 * service on preloaded persons). Every professional then signs in through the real pages over HTTP
 * (password, then the TOTP code), so the load runs on as many live sessions as there are
 * professionals and no single session row is hot.
 *
 * Each page is measured with autocannon at a few concurrencies; every request takes a random
 * session. Every response is checked: the status code, and a Dutch text on the page (or the
 * redirect's Location). A response that fails its check counts as unexpected and is not timed; a
 * run with any unexpected response, connection error or time-out is invalid, and bench/run.ts then
 * fails the benchmark. Latencies are autocannon's per-response times, over expected responses.
 */

import { randomInt } from 'node:crypto';
import os from 'node:os';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { totpCode } from '../src/accounts/credentials.ts';
import type { Engine } from '../src/db/database.ts';
import type { Services } from '../src/server/services.ts';
import { cookieNames } from '../src/server/web-plugin.ts';
import type { ProfessionalActor } from '../src/shared/actor.ts';
import { amsterdamDate } from '../src/shared/calendar.ts';
import type { FileSignalInput } from '../src/signals/signal-types.ts';
import { randomBsn } from '../src/test-support/fixtures.ts';
import { createWebAccount, csrfIn } from '../src/test-support/web.ts';
import { type Caller, filingBody } from './filing.ts';
import { mark, n0, n1, n2, range, table } from './format.ts';
import type { ServerStats } from './server.ts';
import { type Cpu, cpuBetween, cpuSeconds, type Machine, machineBusySeconds } from './system.ts';

const DAY = 86_400_000;

/** The target: a page for a professional answers p99 under this many ms at this many concurrent users. */
export const PAGE_TARGET = { p99Ms: 100, connections: 8 };

export type PagesPlan = {
  /** Concurrencies for the professional's pages; the sign-in runs at `signInConnections`. */
  connections: number[];
  signInConnections: number[];
  seconds: number;
  warmupSeconds: number;
  matchesPerProfessional: number;
};

// --- set-up: web accounts, matches, sessions --------------------------------------------------------

export type WebProfessional = { professionalId: string; organisationId: string; email: string; password: string; secret: string; matchIds: string[] };

/**
 * The pages' set-up on the index bench/run.ts prepared: web accounts and matches, then ANALYZE, so
 * the planner knows the matches and participants (as autovacuum would by now on a live PostgreSQL,
 * and PGlite's nightly maintenance; the bulk load analyzes only the tables it loads).
 */
export async function setUpWebPages(
  services: Services,
  callers: Caller[],
  knownBsns: string[],
  options: { matchesPerProfessional: number },
): Promise<WebProfessional[]> {
  const professionals = await createWebProfessionals(services, callers, knownBsns, options);
  await sql`analyze`.execute(services.db);
  return professionals;
}

/**
 * A web account for every professional, and `matchesPerProfessional` matches each: the professional
 * files (through the signal service) on preloaded persons that another professional already signalled.
 */
async function createWebProfessionals(
  services: Services,
  callers: Caller[],
  knownBsns: string[],
  options: { matchesPerProfessional: number },
): Promise<WebProfessional[]> {
  const recordDate = amsterdamDate(new Date(Date.now() - DAY));
  let next = 0;
  const professionals: WebProfessional[] = [];
  for (const [index, caller] of callers.entries()) {
    const account = await createWebAccount({ services }, { professionalId: caller.professionalId }, `web-${index + 1}@bench.example`);
    const actor: ProfessionalActor = {
      kind: 'professional',
      professionalId: caller.professionalId,
      organisationId: caller.organisationId,
      apiClientId: null,
      requestId: 'bench',
    };
    const matchIds: string[] = [];
    while (matchIds.length < options.matchesPerProfessional) {
      const bsn = knownBsns[next++];
      if (!bsn) throw new Error(`Not enough preloaded known persons for ${options.matchesPerProfessional} matches per professional`);
      const filed = await services.signals.file(actor, JSON.parse(filingBody(bsn, recordDate)) as FileSignalInput);
      // A person the professional signalled themselves gives no match: take the next one.
      if (filed.outcome === 'created' && filed.answer.match) matchIds.push(filed.answer.match.id);
    }
    professionals.push({
      professionalId: caller.professionalId,
      organisationId: caller.organisationId,
      email: account.email,
      password: account.password,
      secret: account.secret,
      matchIds,
    });
  }
  return professionals;
}

export type Session = { professional: WebProfessional; cookie: string; csrf: string };

const setCookie = (response: Response, name: string): string => {
  const found = response.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`sign-in: no ${name} cookie from ${response.url}`);
  return found.slice(name.length + 1);
};

async function expectPage(response: Response, text: string): Promise<string> {
  const body = await response.text();
  if (response.status !== 200 || !body.includes(text))
    throw new Error(`sign-in: ${response.url} answered ${response.status} without "${text}": ${titleOf(body)}`);
  return body;
}

function expectRedirect(response: Response, location: string) {
  if (response.status !== 303 || response.headers.get('location') !== location) {
    throw new Error(`sign-in: ${response.url} answered ${response.status} to ${response.headers.get('location')} (expected 303 to ${location})`);
  }
}

/** Signs in through the real pages: the form, the password, the code page, the TOTP code; then reads the filing form's CSRF token. */
export async function signIn(baseUrl: string, professional: WebProfessional): Promise<Session> {
  const names = cookieNames(baseUrl);
  const get = (path: string, cookie?: string) => fetch(`${baseUrl}${path}`, { redirect: 'manual', ...(cookie && { headers: { cookie } }) });
  const post = (path: string, cookie: string, fields: Record<string, string>) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      body: new URLSearchParams(fields).toString(),
    });

  const form = await get('/inloggen');
  await expectPage(form, 'Inloggen');
  const anonymous = setCookie(form, names.csrf);
  const password = await post('/inloggen', `${names.csrf}=${anonymous}`, { _csrf: anonymous, email: professional.email, wachtwoord: professional.password });
  expectRedirect(password, '/inloggen/code');
  const pending = `${names.session}=${setCookie(password, names.session)}`;
  const codePage = await expectPage(await get('/inloggen/code', pending), 'Code uit uw app');
  const code = await post('/inloggen/code', pending, { _csrf: csrfIn(codePage), code: totpCode(professional.secret, new Date()) });
  expectRedirect(code, '/');
  const cookie = `${names.session}=${setCookie(code, names.session)}`;
  const filingForm = await expectPage(await get('/signalen/nieuw', cookie), 'Wie is de persoon?');
  return { professional, cookie, csrf: csrfIn(filingForm) };
}

/** The anonymous CSRF token (cookie and form field) that the sign-in form hands out. */
async function anonymousCsrf(baseUrl: string): Promise<string> {
  const form = await fetch(`${baseUrl}/inloggen`, { redirect: 'manual' });
  await expectPage(form, 'Inloggen');
  return setCookie(form, cookieNames(baseUrl).csrf);
}

// --- the pages --------------------------------------------------------------------------------------

type Built = { method: 'GET' | 'POST'; path: string; headers: Record<string, string>; body?: string };
/** What a response must be: its status, and the Dutch texts on the page or the redirect's target. */
type Expected = { status: number; texts?: string[]; location?: RegExp };
type PageSpec = { page: string; forProfessional: boolean; connections: number[]; build: () => Built; expected: Expected };

const form = (cookie: string, fields: Record<string, string>) => ({
  method: 'POST' as const,
  headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
  body: new URLSearchParams(fields).toString(),
});

const pick = <T>(list: T[]): T => list[randomInt(list.length)]!;

const GIVEN = ['Jan', 'Fatima', 'Sem', 'Noah', 'Emma', 'Mohammed', 'Julia', 'Daan', 'Sara', 'Lucas'];
const FAMILY = ['Boer', 'Jansen', 'El Idrissi', 'Visser', 'Bakker', 'Yilmaz', 'Smit', 'Vries', 'Meijer', 'Kaya'];

/** The filing form as a browser posts it: a new person (a random BSN passing the 11-test); 3 in 4 adults with consent, 1 in 4 children with their parents informed. */
function filingFields(csrf: string, recordDate: string): Record<string, string> {
  const adult = randomInt(4) > 0;
  const year = new Date().getFullYear() - (adult ? randomInt(25, 85) : randomInt(3, 10));
  // A date field is three boxes: day, month and year (src/web/date-input.ts).
  const [y, m, d] = recordDate.split('-').map(Number);
  const dateParts = (name: string) => ({ [name]: String(d), [`${name}-maand`]: String(m), [`${name}-jaar`]: String(y) });
  const legalBasis: Record<string, string> = adult
    ? { 'toestemming-door': 'persoon', ...dateParts('toestemming-datum') }
    : { informeren: 'gedaan', geinformeerd: 'vertegenwoordiger', ...dateParts('informeer-datum') };
  return {
    _csrf: csrf,
    bsn: randomBsn(),
    voornamen: pick(GIVEN),
    voorvoegsel: randomInt(3) === 0 ? 'de' : '',
    achternaam: pick(FAMILY),
    geboortedatum: String(randomInt(1, 29)),
    'geboortedatum-maand': String(randomInt(1, 13)),
    'geboortedatum-jaar': String(year),
    geslacht: pick(['man', 'vrouw', 'anders', 'onbekend']),
    straat: 'Coolsingel',
    huisnummer: String(randomInt(1, 400)),
    toevoeging: '',
    postcode: '3011 AD',
    plaats: 'Rotterdam',
    kenmerk: `dossier ${randomInt(1_000_000)}`,
    ...legalBasis,
  };
}

function pageSpecs(sessions: Session[], anonymous: string, names: { csrf: string }, plan: PagesPlan): PageSpec[] {
  // Yesterday: never after the server's date, also when the run crosses midnight.
  const recordDate = amsterdamDate(new Date(Date.now() - DAY));
  const session = () => pick(sessions);
  return [
    {
      page: 'GET / (start page)',
      forProfessional: true,
      connections: plan.connections,
      build: () => ({ method: 'GET', path: '/', headers: { cookie: session().cookie } }),
      expected: { status: 200, texts: ['Welkom, ', 'Nieuwe matches', 'Verlopen binnenkort'] },
    },
    {
      page: 'GET /matches/:id',
      forProfessional: true,
      connections: plan.connections,
      build: () => {
        const s = session();
        return { method: 'GET', path: `/matches/${pick(s.professional.matchIds)}`, headers: { cookie: s.cookie } };
      },
      expected: { status: 200, texts: ['Ook betrokken', 'Eerder betrokken'] },
    },
    {
      page: 'GET /signalen/nieuw (form)',
      forProfessional: true,
      connections: plan.connections,
      build: () => ({ method: 'GET', path: '/signalen/nieuw', headers: { cookie: session().cookie } }),
      expected: { status: 200, texts: ['Wie is de persoon?', 'Toestemming of informeren'] },
    },
    {
      page: 'POST /signalen/nieuw (filing)',
      forProfessional: true,
      connections: plan.connections,
      build: () => {
        const s = session();
        return { path: '/signalen/nieuw', ...form(s.cookie, filingFields(s.csrf, recordDate)) };
      },
      // A new signal; very rarely a random BSN the professional already filed on gives their existing one.
      expected: { status: 303, location: /^\/signalen\/[0-9a-f-]{36}\?(nieuw|bestaand)=1$/ },
    },
    {
      page: 'POST /inloggen (password step)',
      forProfessional: false,
      connections: plan.signInConnections,
      build: () => {
        const p = session().professional;
        return { path: '/inloggen', ...form(`${names.csrf}=${anonymous}`, { _csrf: anonymous, email: p.email, wachtwoord: p.password }) };
      },
      expected: { status: 303, location: /^\/inloggen\/code$/ },
    },
  ];
}

// --- one run ----------------------------------------------------------------------------------------

type Load = {
  seconds: number;
  responses: number;
  asExpected: number;
  unexpected: number;
  statusClasses: Record<'2xx' | '3xx' | '4xx' | '5xx', number>;
  errors: number;
  timeouts: number;
  samples: string[];
  throughput: number;
  perSecond: { min: number; max: number };
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  kilobytesPerResponse: number;
};

const titleOf = (body: string) => /<title>([^<]*)<\/title>/.exec(body)?.[1] ?? body.slice(0, 120).replace(/\s+/g, ' ');

function headerValue(headers: Record<string, string | string[]>, name: string): string | undefined {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : headers[key];
  return Array.isArray(value) ? value[0] : value;
}

/** Why a response is not what the page should answer, or undefined when it is. */
function problemWith(expected: Expected, status: number, body: string, headers: Record<string, string | string[]>): string | undefined {
  const location = headerValue(headers, 'location');
  if (status !== expected.status) return `${status} (expected ${expected.status})${location ? ` to ${location}` : ''}: ${titleOf(body)}`;
  const missing = expected.texts?.find((text) => !body.includes(text));
  if (missing) return `${status} without "${missing}": ${titleOf(body)}`;
  if (expected.location && !expected.location.test(location ?? '')) return `${status} to ${location} (expected ${expected.location})`;
  return undefined;
}

async function runLoad(options: { url: string; connections: number; seconds: number; title: string; spec: PageSpec }): Promise<Load> {
  const { spec } = options;
  let problem: string | undefined;
  let unexpected = 0;
  const samples: string[] = [];
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    title: options.title,
    requests: [
      {
        setupRequest: (request) => ({ ...request, ...spec.build() }),
        onResponse: (status, body, _context, headers) => {
          problem = problemWith(spec.expected, status, body, headers);
          if (!problem) return;
          unexpected++;
          if (samples.length < 5) samples.push(problem);
        },
      },
    ],
  });
  // autocannon calls onResponse and then emits 'response' for the same response, synchronously.
  let latencies = new Float64Array(1 << 14);
  let count = 0;
  let bytes = 0;
  instance.on('response', (_client: unknown, _status: number, responseBytes: number, responseTime: number) => {
    if (problem) return;
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = responseTime;
    bytes += responseBytes;
  });
  const ticks: number[] = [];
  instance.on('tick', ({ counter }: { counter: number }) => ticks.push(counter));
  const result = await instance;

  const sorted = latencies.subarray(0, count).sort();
  const at = (q: number) => (count === 0 ? NaN : sorted[Math.min(count - 1, Math.ceil(q * count) - 1)]!);
  const whole = ticks.length > 2 ? ticks.slice(0, -1) : ticks; // the last tick is a part of a second
  return {
    seconds: result.duration,
    responses: result['2xx'] + result.non2xx,
    asExpected: count,
    unexpected,
    statusClasses: { '2xx': result['2xx'], '3xx': result['3xx'], '4xx': result['4xx'], '5xx': result['5xx'] },
    errors: result.errors,
    timeouts: result.timeouts,
    samples,
    throughput: count / result.duration,
    perSecond: { min: Math.min(...whole), max: Math.max(...whole) },
    latency: {
      mean: count === 0 ? NaN : sorted.reduce((a, b) => a + b, 0) / count,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: count === 0 ? NaN : sorted[count - 1]!,
    },
    kilobytesPerResponse: count === 0 ? NaN : bytes / count / 1024,
  };
}

// --- the benchmark for one engine -------------------------------------------------------------------

/** The server under test, as bench/run.ts started it. */
export type PagesServer = { port: number; pid: number; stats(counts: boolean): Promise<ServerStats> };

export type PageRun = Load & {
  page: string;
  forProfessional: boolean;
  connections: number;
  /** Problems in the warm-up before this page's runs (also invalidating). */
  warmupUnexpected: number;
  warmupErrors: number;
  /** Requests that reached the server in the measured window; the figures below are per such request. */
  served: number;
  serverCpuMs: number;
  postgresCpuMs: number;
  statements: number;
  auditRows: number;
  signalsAdded: number;
  generatorCores: number;
  otherCores: number;
};

export type PagesResult = {
  engine: Engine;
  persons: number;
  professionals: number;
  matchesPerProfessional: number;
  activeSignalsPerProfessional: number;
  runs: PageRun[];
  /** Rows in the audit table after the runs (the start page reads a professional's share of them). */
  auditRowsAfter: number;
  loadAverageBefore: number;
};

type Reading = { at: number; stats: ServerStats; serverCpu: number; postgresCpu: Cpu | undefined; generator: NodeJS.CpuUsage; machineBusy: number };

async function read(server: PagesServer, engine: Engine): Promise<Reading> {
  const stats = await server.stats(true);
  return {
    at: performance.now(),
    stats,
    serverCpu: cpuSeconds({ pid: server.pid }).total,
    postgresCpu: engine === 'postgres' ? cpuSeconds({ comm: 'postgres' }) : undefined,
    generator: process.cpuUsage(),
    machineBusy: machineBusySeconds(),
  };
}

export const validRun = (run: PageRun) =>
  run.asExpected > 0 && run.unexpected === 0 && run.errors === 0 && run.timeouts === 0 && run.warmupUnexpected === 0 && run.warmupErrors === 0;

export async function runPagesBench(options: {
  engine: Engine;
  persons: number;
  server: PagesServer;
  professionals: WebProfessional[];
  plan: PagesPlan;
  log: (line: string) => void;
}): Promise<PagesResult> {
  const { engine, server, plan, log } = options;
  const url = `http://127.0.0.1:${server.port}`;
  log(`signing in ${options.professionals.length} professionals through the pages (password, then the authenticator code)`);
  const sessions: Session[] = [];
  for (const professional of options.professionals) sessions.push(await signIn(url, professional));
  const anonymous = await anonymousCsrf(url);
  const loadAverageBefore = os.loadavg()[0]!;
  const runs: PageRun[] = [];
  let auditRowsAfter = 0;
  for (const spec of pageSpecs(sessions, anonymous, cookieNames(url), plan)) {
    const warmup = await runLoad({ url, connections: spec.connections[0]!, seconds: plan.warmupSeconds, title: `${spec.page} warm-up`, spec });
    for (const sample of warmup.samples) log(`  unexpected in the warm-up of ${spec.page}: ${sample}`);
    for (const connections of spec.connections) {
      const before = await read(server, engine);
      const load = await runLoad({ url, connections, seconds: plan.seconds, title: spec.page, spec });
      const after = await read(server, engine);
      const wall = (after.at - before.at) / 1000;
      // Per request the server received: requests still in flight at the window's edges count where their work was done.
      const served = after.stats.requests - before.stats.requests;
      const per = (value: number) => value / Math.max(1, served);
      const generator = process.cpuUsage(before.generator);
      const generatorCpu = (generator.user + generator.system) / 1e6;
      const serverCpu = after.serverCpu - before.serverCpu;
      const postgresCpu = before.postgresCpu && after.postgresCpu ? cpuBetween(before.postgresCpu, after.postgresCpu) : 0;
      const added = (rows: string) => (after.stats.counts?.[rows] ?? 0) - (before.stats.counts?.[rows] ?? 0);
      const run: PageRun = {
        ...load,
        page: spec.page,
        forProfessional: spec.forProfessional,
        connections,
        warmupUnexpected: warmup.unexpected,
        warmupErrors: warmup.errors + warmup.timeouts,
        served,
        serverCpuMs: per(serverCpu * 1000),
        postgresCpuMs: per(postgresCpu * 1000),
        statements: per(after.stats.queries - before.stats.queries),
        auditRows: per(added('auditEvents')),
        signalsAdded: added('signals'),
        generatorCores: generatorCpu / wall,
        otherCores: Math.max(0, after.machineBusy - before.machineBusy - serverCpu - postgresCpu - generatorCpu) / wall,
      };
      runs.push(run);
      auditRowsAfter = after.stats.counts?.auditEvents ?? 0;
      log(
        `  ${engine} ${spec.page} at ${connections}: ${n0(run.throughput)}/s, p50 ${n1(run.latency.p50)} ms, p99 ${n1(run.latency.p99)} ms, ` +
          `${run.asExpected} as expected, ${run.unexpected} unexpected, ${run.errors} errors, ${run.timeouts} time-outs; ` +
          `server ${n1(run.serverCpuMs)} ms CPU/request${engine === 'postgres' ? `, postgres ${n1(run.postgresCpuMs)}` : ''}, ${n1(run.statements)} statements, ${n1(run.auditRows)} audit rows; other processes ${n2(run.otherCores)} cores`,
      );
      for (const sample of load.samples) log(`    unexpected: ${sample}`);
    }
  }
  return {
    engine,
    persons: options.persons,
    professionals: sessions.length,
    matchesPerProfessional: plan.matchesPerProfessional,
    activeSignalsPerProfessional: Math.round(options.persons / sessions.length) + plan.matchesPerProfessional,
    runs,
    auditRowsAfter,
    loadAverageBefore,
  };
}

// --- the report section -----------------------------------------------------------------------------

export const PAGES_HEADING = '## Web pages';

export type PagesReportContext = {
  machine: Machine;
  postgresVersion: string;
  pgliteVersion: string;
  quick: boolean;
  plan: PagesPlan;
  date: Date;
  otherSessions: number;
  command: string;
};

const invalidRuns = (results: PagesResult[]) => results.flatMap((r) => r.runs.filter((run) => !validRun(run)).map((run) => ({ engine: r.engine, run })));

/** Every run's unexpected responses, for the log and the exit status. */
export function pagesFailures(results: PagesResult[]): string[] {
  return invalidRuns(results).map(
    ({ engine, run }) =>
      `${engine} ${run.page} at ${run.connections}: ${run.unexpected} unexpected responses, ${run.errors} errors, ${run.timeouts} time-outs` +
      (run.warmupUnexpected + run.warmupErrors > 0 ? ` (warm-up: ${run.warmupUnexpected} unexpected, ${run.warmupErrors} errors)` : '') +
      (run.asExpected === 0 ? ', no expected response at all' : '') +
      (run.samples.length > 0 ? `; e.g. ${run.samples[0]}` : ''),
  );
}

export function renderPages(results: PagesResult[], context: PagesReportContext): string[] {
  const { machine: m, plan } = context;
  const first = results[0];
  const lines: string[] = [PAGES_HEADING, ''];
  lines.push(
    `Generated by \`${context.command}\` on ${context.date.toISOString().replace('T', ' ').slice(0, 16)} UTC: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB, Node ${m.node}, ` +
      `PostgreSQL ${context.postgresVersion}, ${context.pgliteVersion}; load average at start ${m.loadAverage.map((x) => x.toFixed(2)).join(' ')}.` +
      (context.quick ? ` **Quick smoke run (${plan.seconds}-s runs): not the figures to quote.**` : ''),
    '',
  );
  if (context.otherSessions > 0)
    lines.push(
      `> Note: ${context.otherSessions} other client session(s) were connected to the PostgreSQL server when the run started; their work shows as PostgreSQL CPU and "other processes".`,
      '',
    );
  if (first) {
    lines.push(
      `- The server is the production app in a child process, as for filing (bench/server.ts), with the sign-in rate limit per IP also set out of reach. A fresh database per engine with ${first.persons.toLocaleString('en')} persons preloaded, each with an active signal from one of ${first.professionals} professionals: about ${n0(first.activeSignalsPerProfessional)} active signals per professional, far more than a real caseload, so the start page (the 10 newest active signals, up to 20 new matches with the signals they are about, and up to 20 signals about to end) is always full; as none of the 20 matches has been opened, all of them are new. Each professional also has ${first.matchesPerProfessional} matches with another professional (and some more where another professional filed on a person they signalled), and a web account. The database is then ANALYZEd, as autovacuum would have done by now on a live PostgreSQL (the bulk load analyzes only the tables it loads; without statistics on matches and participants the planner joins them row by row).`,
      `- All ${first.professionals} professionals sign in through the real pages (password, then the authenticator code) before the runs; every request takes one of these ${first.professionals} sessions at random, with its cookie (and for the filing form its CSRF token). ${plan.seconds} s per run with autocannon, after a ${plan.warmupSeconds} s warm-up per page; the runs go in the order of the table, on one database, so the later runs see the rows (signals, audit records) the earlier ones added.`,
      '- Every response is checked: the status, and a Dutch text on the page (start page "Welkom, ", "Nieuwe matches" and "Verlopen binnenkort"; match "Ook betrokken" and "Eerder betrokken"; form "Wie is de persoon?") or, for a form post, the redirect\'s Location (`/signalen/<id>?nieuw=1` for a filing, `/inloggen/code` for the password step). A response that fails its check is counted as unexpected and not timed; a run with any unexpected response, connection error or time-out is marked INVALID and makes `npm run bench` fail.',
      "- The filing form posts a new person each time (a random BSN passing the 11-test): 3 in 4 adults with consent, 1 in 4 children whose parents were informed. The password step signs in with the right password and stops before the code (argon2id with @node-rs/argon2's defaults: m = 19 MiB, t = 2, p = 1); it is slow on purpose, so that guessing passwords is expensive, and is not held to the page target.",
      '- CPU, statements and audit rows per request are over the measured window, divided by the requests that reached the server in it. CPU is that of the server process and (PostgreSQL) of all postgres processes on the machine, including any other database work there. "Other processes" is the rest of the machine\'s busy CPU (other work on a shared machine shows up there).',
      '',
    );
  }
  const atTarget = (run: PageRun) => (run.forProfessional && run.connections === PAGE_TARGET.connections ? mark(run.latency.p99 < PAGE_TARGET.p99Ms) : '');
  lines.push(
    ...table(
      [
        'Engine',
        'Page',
        'Connections',
        'Requests/s',
        'Slowest–fastest second',
        'p50 ms',
        'p90 ms',
        'p99 ms',
        'max ms',
        'As expected',
        'Unexpected / 4xx / 5xx / errors',
        `Target p99 < ${PAGE_TARGET.p99Ms} ms at ${PAGE_TARGET.connections}`,
      ],
      results.flatMap((r) =>
        r.runs.map((run) => [
          r.engine,
          run.page,
          String(run.connections),
          n0(run.throughput),
          `${n0(run.perSecond.min)}–${n0(run.perSecond.max)}`,
          n1(run.latency.p50),
          n1(run.latency.p90),
          n1(run.latency.p99),
          n1(run.latency.max),
          n0(run.asExpected),
          validRun(run)
            ? `0 / ${run.statusClasses['4xx']} / ${run.statusClasses['5xx']} / 0`
            : `**${run.unexpected + run.warmupUnexpected} / ${run.statusClasses['4xx']} / ${run.statusClasses['5xx']} / ${run.errors + run.timeouts + run.warmupErrors} — INVALID**`,
          atTarget(run),
        ]),
      ),
    ),
  );
  lines.push('### Where the time goes (pages)', '');
  lines.push(
    ...table(
      [
        'Engine',
        'Page',
        'Connections',
        'Server CPU ms per request',
        'PostgreSQL CPU ms per request',
        'DB statements per request',
        'Audit rows per request',
        'Response KiB',
        'Load generator (cores)',
        'Other processes (cores)',
      ],
      results.flatMap((r) =>
        r.runs.map((run) => [
          r.engine,
          run.page,
          String(run.connections),
          n2(run.serverCpuMs),
          r.engine === 'postgres' ? n2(run.postgresCpuMs) : '(in the server)',
          n1(run.statements),
          n1(run.auditRows),
          n1(run.kilobytesPerResponse),
          n2(run.generatorCores),
          n2(run.otherCores),
        ]),
      ),
    ),
  );
  lines.push('### What this means (pages)', '', ...pagesMeaning(results).flatMap((paragraph) => [paragraph, '']));
  return lines;
}

function pagesMeaning(results: PagesResult[]): string[] {
  const paragraphs: string[] = [];
  const invalid = invalidRuns(results);
  if (invalid.length > 0)
    paragraphs.push(`**${invalid.length} run(s) had unexpected responses or errors and are not valid measurements:** ${pagesFailures(results).join('; ')}.`);
  for (const r of results) {
    const targeted = r.runs.filter((run) => run.forProfessional && run.connections === PAGE_TARGET.connections);
    const missed = targeted.filter((run) => !(run.latency.p99 < PAGE_TARGET.p99Ms));
    const sentences = [
      `**${r.engine}:** at ${PAGE_TARGET.connections} concurrent users ` +
        targeted.map((run) => `${run.page} had p99 ${n1(run.latency.p99)} ms`).join(', ') +
        `: the target p99 < ${PAGE_TARGET.p99Ms} ms is ${missed.length === 0 ? 'met for every page' : `**missed** for ${missed.map((run) => run.page).join(', ')}`}.`,
    ];
    const slowest = [...targeted].sort((a, b) => a.throughput - b.throughput)[0];
    if (missed.length > 0 && slowest) {
      sentences.push(
        `${PAGE_TARGET.connections} clients that never pause make this a throughput target: latency is mostly queueing (${PAGE_TARGET.connections} ÷ throughput gives ` +
          `${n0((PAGE_TARGET.connections / slowest.throughput) * 1000)} ms for ${slowest.page}, which served ${n1(slowest.throughput)}/s), and p99 under ${PAGE_TARGET.p99Ms} ms takes roughly ` +
          `${n0((PAGE_TARGET.connections / PAGE_TARGET.p99Ms) * 1000 * 2)} answers/s when p99 is about twice the mean; real users pause between pages, so ${PAGE_TARGET.connections} of these clients stand for many more people.`,
      );
    }
    const start = targeted.find((run) => run.page.startsWith('GET / '));
    if (start) {
      sentences.push(
        `A view of the start page sent ${n1(start.statements)} statements and wrote ${n0(start.auditRows)} audit rows (one for each signal and match it lists), ` +
          `costing ${n1(start.serverCpuMs)} ms of server CPU${r.engine === 'postgres' ? ` and ${n1(start.postgresCpuMs)} ms of PostgreSQL CPU` : ''}; ` +
          `after the runs the audit table held ${n0(r.auditRowsAfter)} rows, about ${n0(r.auditRowsAfter / r.professionals)} per professional.`,
      );
    }
    const signIn = r.runs.filter((run) => !run.forProfessional);
    const alone = signIn.find((run) => run.connections === 1);
    const busiest = signIn.at(-1);
    if (alone && busiest) {
      sentences.push(
        `The password step of signing in took ${n0(alone.latency.p50)} ms (p50) with nobody else signing in, ${n1(alone.serverCpuMs)} ms of CPU, and ${n1(busiest.throughput)} sign-ins/s went through at ${busiest.connections} at once ` +
          `(p99 ${n0(busiest.latency.p99)} ms, about ${n0(Math.round((busiest.throughput * 3600) / 1000) * 1000)} an hour): slow by design (argon2id makes every guess expensive), and paid once per session, not per page.`,
      );
    }
    sentences.push(
      `Other processes kept ${range(
        r.runs.map((run) => run.otherCores),
        n2,
      )} cores busy during the runs.`,
    );
    paragraphs.push(sentences.join(' '));
  }
  return paragraphs;
}

/** The document with its pages section replaced (or added at the end), the other sections untouched. */
export function withPagesSection(document: string, section: string[]): string {
  const start = document.indexOf(`\n${PAGES_HEADING}\n`);
  const body = section.join('\n');
  if (start < 0) return `${document.replace(/\n*$/, '\n\n')}${body}`;
  const next = document.indexOf('\n## ', start + 1);
  return `${document.slice(0, start + 1)}${body}${next < 0 ? '' : `\n${document.slice(next + 1)}`}`;
}
