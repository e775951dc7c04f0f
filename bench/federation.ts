/**
 * The federation (docs/federation.md), `npm run bench -- --only federation`: two regions, a hub and a
 * pseudonymisation service as `sluis` processes of their own on embedded PGlite (keys from
 * `federationEnvironments`), each region with its own SMTP server.
 *
 * - **Filing to the other region's mail.** For each of N persons region A files first and its
 *   registration reaches the hub; then region B files on the same BSN (paced, a few a second) and the
 *   clock runs from B's answer to the cross-region mail reaching A's professional (the mail names A's
 *   signal by its client reference, so each mail is matched to its person). On the way: B's outbox,
 *   the OPRF exchange, the hub's match, both regions fetching the hub's events (every
 *   SLUIS_FEDERATION_POLL_SECONDS, here 1 s), B's contacts relayed. p50 / p99 / max.
 * - **Registrations per second at the hub.** The bench process acts as a region (it holds a region's
 *   signing key): the whole registration — evaluation at the pseudonymisation service, then the PUT at
 *   the hub — for M new persons at C concurrent calls. The limit in the same run: the hub's own
 *   cheapest signed request (`GET /federation/v1/events` with nothing to fetch: the signature check,
 *   the nonce stored, one query) at the same concurrency; the ratio is what a registration costs
 *   beyond being a signed request.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { base64url } from 'jose';
import { federationEnvironments } from '../src/federation/federation-keys.ts';
import { blindInput, bsnInput } from '../src/federation/pseudonym-protocol.ts';
import { importSigningKey, signRequest } from '../src/federation/request-signing.ts';
import { Bsn } from '../src/persons/bsn.ts';
import { adultSignal, randomBsn } from '../src/test-support/fixtures.ts';
import { startMailServer } from '../src/test-support/mail-server.ts';
import { freePort, sluisEnv, startSluis, stopSluis } from '../src/test-support/sluis-process.ts';
import { n0, n1, table } from './format.ts';
import type { Machine } from './system.ts';

export const FEDERATION_HEADING = '## Federation';

export type FederationPlan = { persons: number; registrations: number; concurrency: number; pacePerSecond: number };

export type FederationResult = {
  startMs: number;
  mail: { persons: number; p50Ms: number; p99Ms: number; maxMs: number; missing: number };
  registrations: { count: number; seconds: number; perSecond: number; failed: number };
  limit: { count: number; seconds: number; perSecond: number; failed: number };
};

const percentile = (sorted: number[], q: number) => (sorted.length === 0 ? Number.NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, boundMs = 300_000): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > boundMs) throw new Error(`gave up waiting: ${what}`);
    await sleep(50);
  }
}

/** `count` calls of `call`, `concurrency` at a time; seconds taken and failures. */
async function drive(count: number, concurrency: number, call: (i: number) => Promise<boolean>) {
  let next = 0;
  let failed = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < count) {
        const i = next++;
        if (!(await call(i))) failed++;
      }
    }),
  );
  const seconds = (performance.now() - started) / 1000;
  return { count, seconds, perSecond: count / seconds, failed };
}

export async function runFederationBench(plan: FederationPlan, log: (message: string) => void): Promise<FederationResult> {
  const root = mkdtempSync(path.join(tmpdir(), 'sluis-bench-federation-'));
  const regions = ['region-a', 'region-b'] as const;
  // A third region id the bench process itself signs as, for the hub's own rates.
  const keys = await federationEnvironments([...regions, 'bench']);
  const [hubPort, servicePort] = [await freePort(), await freePort()];
  const smtp = { 'region-a': await startMailServer(), 'region-b': await startMailServer() };
  const ports = { 'region-a': await freePort(), 'region-b': await freePort() };
  const quiet = { SLUIS_LOG_LEVEL: 'warn' };
  const started = Date.now();
  const service = startSluis(
    ['pseudonymiser'],
    sluisEnv({ ...keys.pseudonymiser, SLUIS_DATA_DIR: path.join(root, 'pseudonymiser'), PORT: String(servicePort), ...quiet }),
  );
  const hub = startSluis(['hub'], sluisEnv({ ...keys.hub, SLUIS_DATA_DIR: path.join(root, 'hub'), PORT: String(hubPort), ...quiet }));
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  const serviceUrl = `http://127.0.0.1:${servicePort}`;
  const running = Object.fromEntries(
    regions.map((region) => [
      region,
      startSluis(
        ['start'],
        sluisEnv({
          ...keys.regions[region],
          SLUIS_DATA_DIR: path.join(root, region),
          PORT: String(ports[region]),
          SMTP_URL: smtp[region].url,
          SLUIS_WORKER_POLL_MS: '100',
          SLUIS_JOBS_ENABLED: 'false',
          SLUIS_FEDERATION_POLL_SECONDS: '1',
          SLUIS_FEDERATION_HUB_URL: hubUrl,
          SLUIS_FEDERATION_PSEUDONYMISER_URL: serviceUrl,
          SLUIS_RATE_LIMIT_PER_MINUTE: '1000000',
          ...quiet,
        }),
      ),
    ]),
  ) as Record<(typeof regions)[number], ReturnType<typeof startSluis>>;
  try {
    await Promise.all([service.waitFor(/listens on/), hub.waitFor(/listens on/), ...regions.map((r) => running[r].waitFor(/"setupCode":"[0-9A-F-]+"/))]);
    const startMs = Date.now() - started;
    log(`federation: four processes started in parallel in ${n1(startMs / 1000)} s`);

    // Each region: its administrator (setup code), an organisation with a covenant, a professional and an API client.
    const seeded = {} as Record<(typeof regions)[number], { email: string; headers: Record<string, string>; admin: string }>;
    for (const region of regions) {
      const base = `http://127.0.0.1:${ports[region]}/api/v1`;
      const post = async (url: string, body: unknown, token?: string) => {
        const response = await fetch(`${base}${url}`, {
          method: 'POST',
          headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
          body: JSON.stringify(body),
        });
        assert.ok(response.status < 300, `${url}: ${response.status}`);
        return (await response.json()) as Record<string, string>;
      };
      const code = /"setupCode":"([0-9A-F-]+)"/.exec(running[region].output())![1];
      const { token: admin } = await post('/setup', { setupCode: code, name: 'Beheer', email: `beheer@${region}.example` });
      const organisation = await post('/organisations', { name: `Wijkteam ${region}`, domains: ['social_support'] }, admin);
      await post(`/organisations/${organisation.id}/covenants`, { startsOn: '2020-01-01' }, admin);
      const email = `pro@${region}.example`;
      const professional = await post(
        `/organisations/${organisation.id}/professionals`,
        { name: `Professional ${region}`, email, phone: '010 000 0000' },
        admin,
      );
      const client = await post(`/organisations/${organisation.id}/api-clients`, { name: 'bench' }, admin);
      seeded[region] = {
        email,
        admin: admin!,
        headers: { authorization: `Bearer ${client.token}`, 'sluis-professional-id': professional.id!, 'content-type': 'application/json' },
      };
    }
    const today = new Date().toISOString().slice(0, 10);
    const file = async (region: (typeof regions)[number], bsn: string, reference: string) => {
      const response = await fetch(`http://127.0.0.1:${ports[region]}/api/v1/signals`, {
        method: 'POST',
        headers: seeded[region].headers,
        body: JSON.stringify(adultSignal(bsn, today, { clientReference: reference })),
      });
      assert.equal(response.status, 201);
    };
    const pendingFederation = async (region: (typeof regions)[number]) => {
      const response = await fetch(`http://127.0.0.1:${ports[region]}/api/v1/deliveries?status=pending&limit=100`, {
        headers: { authorization: `Bearer ${seeded[region].admin}` },
      });
      return ((await response.json()) as { items: { channel: string }[] }).items.filter((d) => d.channel === 'federation').length;
    };

    // Filing in B to the mail in A: A's filings first, registered at the hub; then B's, paced.
    const persons = Array.from({ length: plan.persons }, () => randomBsn());
    for (const [i, bsn] of persons.entries()) await file('region-a', bsn, `bench-${i}`);
    await until("region A's registrations at the hub", async () => (await pendingFederation('region-a')) === 0);
    const filedAt = new Map<number, number>();
    const mailedAt = new Map<number, number>();
    const watcher = setInterval(() => {
      for (const mail of smtp['region-a'].received) {
        const i = Number(/kenmerk "bench-(\d+)"/.exec(mail.text)?.[1] ?? Number.NaN);
        if (/andere regio/.test(mail.subject) && !mailedAt.has(i) && filedAt.has(i)) mailedAt.set(i, performance.now());
      }
    }, 10);
    for (const [i, bsn] of persons.entries()) {
      await file('region-b', bsn, `other-${i}`);
      filedAt.set(i, performance.now());
      await sleep(1000 / plan.pacePerSecond);
    }
    await until('every cross-region mail in region A', () => mailedAt.size === persons.length, 120_000).catch(() => undefined);
    clearInterval(watcher);
    const latencies = [...mailedAt].map(([i, at]) => at - filedAt.get(i)!).sort((a, b) => a - b);
    const mail = {
      persons: persons.length,
      p50Ms: percentile(latencies, 0.5),
      p99Ms: percentile(latencies, 0.99),
      maxMs: latencies.at(-1) ?? Number.NaN,
      missing: persons.length - latencies.length,
    };
    log(`federation: filing in B to the mail in A over ${persons.length} persons: p50 ${n0(mail.p50Ms)} ms, p99 ${n0(mail.p99Ms)} ms, ${mail.missing} missing`);

    // The hub's rates, the bench process signing as region "bench".
    const key = importSigningKey('bench', 'k1', keys.regions.bench!.SLUIS_FEDERATION_SIGNING_KEY!);
    const signed = async (base: string, receiver: string, method: 'GET' | 'POST' | 'PUT', url: string, body?: unknown) => {
      const payload = body === undefined ? '' : JSON.stringify(body);
      const headers = signRequest(key, receiver, { method, path: url, body: payload }, new Date());
      const response = await fetch(`${base}${url}`, {
        method,
        headers: { ...headers, ...(payload && { 'content-type': 'application/json' }) },
        ...(payload && { body: payload }),
      });
      return { status: response.status, json: (await response.json().catch(() => ({}))) as Record<string, unknown> };
    };
    const limit = await drive(
      plan.registrations,
      plan.concurrency,
      async () => (await signed(hubUrl, 'hub', 'GET', '/federation/v1/events?after=0')).status === 200,
    );
    const registrations = await drive(plan.registrations, plan.concurrency, async () => {
      const { blind, blinded } = blindInput(bsnInput(Bsn.parse(randomBsn())!));
      const nonce = randomBytes(16).toString('base64url');
      const evaluated = await signed(serviceUrl, 'pseudonymiser', 'POST', '/federation/v1/evaluations', { blinded: base64url.encode(blinded), nonce });
      if (evaluated.status !== 200) return false;
      const reference = randomBytes(16).toString('base64url');
      const answer = await signed(hubUrl, 'hub', 'PUT', `/federation/v1/registrations/${reference}`, {
        token: evaluated.json.token,
        blind: base64url.encode(blind),
        nonce,
      });
      return answer.status === 200;
    });
    log(
      `federation: ${n0(registrations.perSecond)} registrations/s at the hub (${registrations.failed} failed); its cheapest signed request ${n0(limit.perSecond)}/s`,
    );
    return { startMs, mail, registrations, limit };
  } finally {
    await Promise.all([service.child, hub.child, ...regions.map((r) => running[r].child)].map((child) => stopSluis(child)));
    for (const server of Object.values(smtp)) await server.close();
    rmSync(root, { recursive: true, force: true });
  }
}

export function renderFederation(
  result: FederationResult,
  context: { machine: Machine; quick: boolean; plan: FederationPlan; date: Date; command: string },
): string[] {
  const { mail, registrations, limit } = result;
  const m = context.machine;
  return [
    FEDERATION_HEADING,
    '',
    `Generated by \`${context.command}\` (bench/federation.ts) on ${context.date.toISOString().replace('T', ' ').slice(0, 16)} UTC: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB.toFixed(1)} GiB, Node.js ${m.node}; load average at the start ${m.loadAverage.map((x) => x.toFixed(2)).join(' ')}.` +
      (context.quick ? ' **A quick smoke run: not the figures to quote.**' : '') +
      (m.loadAverage[0]! > m.cores ? ' **The machine was busy with other work (load average above its cores): the figures are low.**' : ''),
    '',
    `Two regions, the hub and the pseudonymisation service, each a \`sluis\` process on embedded PGlite, on this one machine (they share its cores); the four started in parallel in ${n1(result.startMs / 1000)} s. Regions fetch the hub's events every second (\`SLUIS_FEDERATION_POLL_SECONDS=1\`; the default is 30).`,
    '',
    '### From a filing in one region to the other region’s mail',
    '',
    `Region A files on ${mail.persons} persons and registers them; then region B files on each (${context.plan.pacePerSecond} a second). Timed from B's answer to the cross-region mail reaching A's professional: B's registration (the OPRF exchange, the hub's match), both regions fetching the hub's events, B's contacts relayed through the hub, A's mail.`,
    '',
    ...table(['persons', 'p50 ms', 'p99 ms', 'max ms', 'missing'], [[n0(mail.persons), n0(mail.p50Ms), n0(mail.p99Ms), n0(mail.maxMs), n0(mail.missing)]]),
    'Most of it is waiting for the two event fetches (up to a second each at this setting); with the default of 30 s expect up to a minute.',
    '',
    '### Registrations per second at the hub',
    '',
    `The bench process acts as a region: ${n0(registrations.count)} whole registrations (evaluation at the pseudonymisation service, then the hub's PUT: the token opened, the unblinding, the keyed hash, the rows) at ${context.plan.concurrency} concurrent calls. The limit, measured in the same run at the same concurrency: the hub's cheapest signed request (\`GET /federation/v1/events\` with nothing to fetch: the signature checked, the nonce stored, one query).`,
    '',
    ...table(
      ['', 'requests', 'seconds', 'per second', 'failed'],
      [
        ['registrations (service + hub)', n0(registrations.count), n1(registrations.seconds), n0(registrations.perSecond), n0(registrations.failed)],
        ['limit: signed no-op at the hub', n0(limit.count), n1(limit.seconds), n0(limit.perSecond), n0(limit.failed)],
      ],
    ),
    `A registration runs at ${(registrations.perSecond / limit.perSecond).toFixed(2)}× the hub's signed no-op rate: two signed calls instead of one, an X25519 decryption and a scalar multiplication on top.`,
    '',
  ];
}
