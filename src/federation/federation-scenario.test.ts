/**
 * The federation as it runs (issue 10): three regions, a hub and a pseudonymisation service as
 * separate `sluis` processes on loopback, each on its own database — the hub and region Utrecht on
 * PostgreSQL, the pseudonymisation service and regions Rotterdam and Zwolle on PGlite — and each
 * region with its own SMTP server; the keys come from `federationEnvironments` (what `sluis
 * federation keys` prints). Region Rotterdam reaches the hub through a loopback proxy that keeps the
 * requests it forwarded, so that one can be replayed. One set of processes for the file:
 *   a filing on the same BSN in two regions mails both regions' professionals, each naming the other's;
 *   the third region, without a signal on the person, gets nothing;
 *   the hub killed and restarted: registrations made meanwhile arrive, none twice;
 *   a replayed signed request is refused;
 *   ending the signal in one region closes the other region's cross-region match;
 *   the hub's and the service's databases and logs hold no BSN and no region's person key.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import { type Database, openDatabase } from '../db/database.ts';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { createEmptyPostgresDatabase, isPostgresReachable, POSTGRES_MISSING } from '../test-support/databases.ts';
import { adultSignal, randomBsn } from '../test-support/fixtures.ts';
import { logForms } from '../test-support/log-capture.ts';
import { startMailServer } from '../test-support/mail-server.ts';
import { freePort, sluisEnv, startSluis, stopSluis } from '../test-support/sluis-process.ts';
import { federationEnvironments } from './federation-keys.ts';
import { bsnInput } from './pseudonym-protocol.ts';

const REGIONS = ['rotterdam', 'utrecht', 'zwolle'] as const;
type Region = (typeof REGIONS)[number];
// Random BSNs: a made-up pattern (100000009) can occur inside the numbers of any log line.
const PERSON = randomBsn();
const SECOND = randomBsn();
const ALONE = randomBsn();
const LISTENING = /listens on/;
/** A bound against a hang, not a timing check. */
const BOUND_MS = 120_000;

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false): Promise<T> {
  const started = Date.now();
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() - started > BOUND_MS) throw new Error(`gave up waiting: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A loopback proxy to the hub that keeps every request it forwarded (method, path, headers, body) and the hub's answer. */
async function capturingProxy(target: string) {
  const seen: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer; status: number }[] = [];
  const server: Server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<
      string,
      string
    >;
    try {
      const answer = await fetch(`${target}${request.url}`, { method: request.method!, headers, ...(body.length > 0 && { body }) });
      seen.push({ method: request.method!, url: request.url!, headers: request.headers, body, status: answer.status });
      response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
      response.end(Buffer.from(await answer.arrayBuffer()));
    } catch {
      request.socket.destroy(); // the hub is down: so is the proxy
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('three regions, a hub and a pseudonymisation service as separate processes', async () => {
  if (!(await isPostgresReachable())) {
    it('needs PostgreSQL for the hub and one region', (t) => t.skip(POSTGRES_MISSING));
    return;
  }
  const root = mkdtempSync(path.join(tmpdir(), 'sluis-federation-scenario-'));
  const environments = await federationEnvironments([...REGIONS]);
  const personKeys = Object.fromEntries(REGIONS.map((r) => [r, { pseudonymKey: randomBytes(32), encryptionKey: randomBytes(32) }])) as Record<
    Region,
    { pseudonymKey: Buffer; encryptionKey: Buffer }
  >;
  const [hubPort, servicePort] = [await freePort(), await freePort()];
  const hubUrl = `http://127.0.0.1:${hubPort}`;
  const proxy = await capturingProxy(hubUrl);
  const hubDatabase = await createEmptyPostgresDatabase();
  const utrechtDatabase = await createEmptyPostgresDatabase();
  const hubDb = (await openDatabase<object>({ databaseUrl: hubDatabase.url, poolSize: 2 })) as Database & { db: Kysely<object> };
  const utrechtDb = await openDatabase({ databaseUrl: utrechtDatabase.url, poolSize: 2 });
  const smtp = Object.fromEntries(await Promise.all(REGIONS.map(async (r) => [r, await startMailServer()]))) as Record<
    Region,
    Awaited<ReturnType<typeof startMailServer>>
  >;
  const ports = Object.fromEntries(await Promise.all(REGIONS.map(async (r) => [r, await freePort()]))) as Record<Region, number>;
  const serviceDir = path.join(root, 'pseudonymiser');
  const hubEnv = sluisEnv({
    ...environments.hub,
    DATABASE_URL: hubDatabase.url,
    PORT: String(hubPort),
    SLUIS_LOG_LEVEL: 'trace',
  });
  const serviceEnv = sluisEnv({ ...environments.pseudonymiser, SLUIS_DATA_DIR: serviceDir, PORT: String(servicePort), SLUIS_LOG_LEVEL: 'trace' });
  const regionEnv = (region: Region) =>
    sluisEnv({
      ...environments.regions[region],
      ...(region === 'utrecht' ? { DATABASE_URL: utrechtDatabase.url } : { SLUIS_DATA_DIR: path.join(root, region) }),
      SLUIS_PSEUDONYM_KEY: personKeys[region].pseudonymKey.toString('base64'),
      SLUIS_BSN_ENCRYPTION_KEY: personKeys[region].encryptionKey.toString('base64'),
      PORT: String(ports[region]),
      SMTP_URL: smtp[region].url,
      SLUIS_MAIL_FROM: `SluiS ${region} <sluis@${region}.test>`,
      SLUIS_WORKER_POLL_MS: '100',
      SLUIS_JOBS_ENABLED: 'false',
      SLUIS_FEDERATION_POLL_SECONDS: '1',
      SLUIS_FEDERATION_HUB_URL: region === 'rotterdam' ? proxy.url : hubUrl,
      SLUIS_FEDERATION_PSEUDONYMISER_URL: `http://127.0.0.1:${servicePort}`,
    });

  const service = startSluis(['pseudonymiser'], serviceEnv);
  let hub = startSluis(['hub'], hubEnv);
  /** Every output of the hub, across its restart. */
  const hubOutputs: (() => string)[] = [hub.output];
  const regions = Object.fromEntries(REGIONS.map((r) => [r, startSluis(['start'], regionEnv(r))])) as Record<Region, ReturnType<typeof startSluis>>;
  const seeded = {} as Record<Region, { admin: string; professional: { id: string; name: string; email: string }; headers: Record<string, string> }>;

  let timings = '';

  before(async () => {
    const started = Date.now();
    await Promise.all([service.waitFor(LISTENING), hub.waitFor(LISTENING), ...REGIONS.map((r) => regions[r].waitFor(/"setupCode":"[0-9A-F-]+"/))]);
    const ready = Date.now();
    // Each region: its first administrator with the setup code, then an organisation with a covenant, a professional and an API client.
    await Promise.all(
      REGIONS.map(async (region) => {
        const base = `http://127.0.0.1:${ports[region]}/api/v1`;
        const post = async (url: string, body: unknown, token?: string) => {
          const response = await fetch(`${base}${url}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(token && { authorization: `Bearer ${token}` }) },
            body: JSON.stringify(body),
          });
          assert.ok(response.status < 300, `${url}: ${response.status} ${await response.clone().text()}`);
          return (await response.json()) as Record<string, string>;
        };
        const code = /"setupCode":"([0-9A-F-]+)"/.exec(regions[region].output())![1];
        const { token: admin } = await post('/setup', { setupCode: code, name: `Beheer ${region}`, email: `beheer@${region}.example` });
        const organisation = await post('/organisations', { name: `Wijkteam ${region}`, domains: ['social_support'] }, admin);
        await post(`/organisations/${organisation.id}/covenants`, { startsOn: '2020-01-01' }, admin);
        const person = { name: `Professional ${region[0]!.toUpperCase()}${region.slice(1)}`, email: `pro@${region}.example`, phone: '010 000 0000' };
        const professional = await post(`/organisations/${organisation.id}/professionals`, person, admin);
        const client = await post(`/organisations/${organisation.id}/api-clients`, { name: 'cliëntregistratie' }, admin);
        seeded[region] = {
          admin: admin!,
          professional: { id: professional.id!, ...person },
          headers: { authorization: `Bearer ${client.token}`, 'sluis-professional-id': professional.id!, 'content-type': 'application/json' },
        };
      }),
    );
    timings = `five processes started in parallel in ${ready - started} ms; three regions seeded through the API in ${Date.now() - ready} ms`;
  });
  after(async () => {
    await Promise.all([service.child, hub.child, ...REGIONS.map((r) => regions[r].child)].map((child) => stopSluis(child)));
    await hubDb.close();
    await utrechtDb.close();
    await hubDatabase.drop();
    await utrechtDatabase.drop();
    await proxy.close();
    for (const server of Object.values(smtp)) await server.close();
    rmSync(root, { recursive: true, force: true });
  });

  const api = (region: Region) => `http://127.0.0.1:${ports[region]}/api/v1`;
  let filed = 0;
  const file = async (region: Region, bsn: string) => {
    const response = await fetch(`${api(region)}/signals`, {
      method: 'POST',
      headers: seeded[region].headers,
      body: JSON.stringify(adultSignal(bsn, new Date().toISOString().slice(0, 10), { clientReference: `${region}-${++filed}` })),
    });
    assert.equal(response.status, 201, await response.clone().text());
    return ((await response.json()) as { signal: { id: string } }).signal.id;
  };
  /** The cross-region mails a region's professional got. */
  const crossRegionMails = (region: Region) =>
    smtp[region].received.filter((m) => m.to === seeded[region].professional.email && /andere regio/.test(m.subject));
  const hubRows = async (table: string) => (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(hubDb.db)).rows;
  const registrations = async (region: Region) => (await hubRows('hub_registrations')).filter((r) => r.region === region).length;
  /** A region's federation deliveries not delivered yet (administrator's view of the outbox). */
  const pendingFederation = async (region: Region) => {
    const response = await fetch(`${api(region)}/deliveries?status=pending`, { headers: { authorization: `Bearer ${seeded[region].admin}` } });
    assert.equal(response.status, 200);
    return ((await response.json()) as { items: { channel: string; attempts: number; lastError: string | null }[] }).items.filter(
      (d) => d.channel === 'federation',
    );
  };
  const signalIds: Partial<Record<`${Region}:${string}`, string>> = {};

  it('mails both regions’ professionals when the same BSN is filed in two, each naming the other’s; the third region gets nothing', async (t) => {
    t.diagnostic(timings);
    signalIds[`zwolle:${ALONE}`] = await file('zwolle', ALONE);
    signalIds[`rotterdam:${PERSON}`] = await file('rotterdam', PERSON);
    signalIds[`utrecht:${PERSON}`] = await file('utrecht', PERSON);
    const [toRotterdam] = await until('the cross-region mail in Rotterdam', () => crossRegionMails('rotterdam').length > 0 && crossRegionMails('rotterdam'));
    const [toUtrecht] = await until('the cross-region mail in Utrecht', () => crossRegionMails('utrecht').length > 0 && crossRegionMails('utrecht'));
    const { utrecht, rotterdam } = { utrecht: seeded.utrecht.professional, rotterdam: seeded.rotterdam.professional };
    assert.ok(toRotterdam!.text.includes(utrecht.name) && toRotterdam!.text.includes(utrecht.email) && toRotterdam!.text.includes('regio utrecht'));
    assert.ok(toUtrecht!.text.includes(rotterdam.name) && toUtrecht!.text.includes(rotterdam.email) && toUtrecht!.text.includes('regio rotterdam'));
    // Zwolle is registered at the hub (its own person) but in no match, and told nothing.
    await until('Zwolle registered', async () => (await registrations('zwolle')) === 1);
    const [match] = await hubRows('hub_matches');
    assert.equal((await hubRows('hub_matches')).length, 1);
    assert.ok(match);
    assert.deepEqual(smtp.zwolle.received, []);
    for (const server of Object.values(smtp))
      for (const mail of server.received)
        for (const bsn of [PERSON, SECOND, ALONE])
          assert.ok(!mail.raw.includes(bsn), `${bsn} in ${mail.raw.slice(Math.max(0, mail.raw.indexOf(bsn) - 300), mail.raw.indexOf(bsn) + 100)}`);
  });

  it('refuses a signed request replayed as it was sent', async () => {
    // A request Rotterdam's worker sent through the proxy and the hub answered: sent again, unchanged.
    const sent = await until('a request from Rotterdam', () => proxy.seen.findLast((r) => r.status === 200));
    const headers = Object.fromEntries(Object.entries(sent.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<
      string,
      string
    >;
    const replayed = await fetch(`${hubUrl}${sent.url}`, { method: sent.method, headers, ...(sent.body.length > 0 && { body: new Uint8Array(sent.body) }) });
    assert.equal(replayed.status, 401);
    // The hub's log line arrives through its stdout pipe, a moment after the answer.
    await hub.waitFor(/"reason":"caller_or_replay".*federation request refused|federation request refused.*"reason":"caller_or_replay"/, 30_000);
  });

  it('the hub killed and started again: registrations made meanwhile arrive, none twice', async () => {
    hub.child.kill('SIGKILL');
    await new Promise((resolve) => hub.child.once('exit', resolve));
    signalIds[`rotterdam:${SECOND}`] = await file('rotterdam', SECOND);
    signalIds[`utrecht:${SECOND}`] = await file('utrecht', SECOND);
    // Both registrations tried and failed while the hub was down.
    for (const region of ['rotterdam', 'utrecht'] as const)
      await until(`${region}'s registration failed`, async () => (await pendingFederation(region)).some((d) => d.attempts > 0 && d.lastError));
    hub = startSluis(['hub'], hubEnv);
    hubOutputs.push(hub.output);
    await hub.waitFor(LISTENING);
    await until('the second cross-region mail in Rotterdam', () => crossRegionMails('rotterdam').length === 2);
    await until('the second cross-region mail in Utrecht', () => crossRegionMails('utrecht').length === 2);
    for (const region of ['rotterdam', 'utrecht'] as const) await until(`${region}'s outbox empty`, async () => (await pendingFederation(region)).length === 0);
    assert.equal(await registrations('rotterdam'), 2);
    assert.equal(await registrations('utrecht'), 2);
    assert.equal(await registrations('zwolle'), 1);
    assert.equal((await hubRows('hub_matches')).length, 2);
    assert.equal(crossRegionMails('rotterdam').length, 2);
    assert.equal(crossRegionMails('utrecht').length, 2);
    assert.deepEqual(smtp.zwolle.received, []);
  });

  it('closes the other region’s cross-region match when the signal in one region ends', async () => {
    const utrechtPersonKey = createPersonCrypto(personKeys.utrecht).personKey(Bsn.parse(PERSON)!);
    const status = async () =>
      (
        await utrechtDb.db
          .selectFrom('matches')
          .select('status')
          .where('kind', '=', 'cross_region')
          .where('person_key', '=', utrechtPersonKey)
          .executeTakeFirst()
      )?.status;
    assert.equal(await status(), 'open');
    const ended = await fetch(`${api('rotterdam')}/signals/${signalIds[`rotterdam:${PERSON}`]}/end`, {
      method: 'POST',
      headers: seeded.rotterdam.headers,
      body: JSON.stringify({ reason: 'care_ended' }),
    });
    assert.equal(ended.status, 200, await ended.clone().text());
    await until('Utrecht’s match closed', async () => (await status()) === 'closed');
    assert.equal(await registrations('rotterdam'), 1);
  });

  it('holds no BSN and no region’s person key in the hub’s or the service’s databases or logs', async () => {
    const secrets = [PERSON, SECOND, ALONE].flatMap((digits) => {
      const bsn = Bsn.parse(digits)!;
      return [...logForms(digits), ...REGIONS.flatMap((r) => logForms(createPersonCrypto(personKeys[r]).personKey(bsn))), ...logForms(bsnInput(bsn))];
    });
    // The service stops first: its embedded database is read once it is closed.
    assert.equal(await stopSluis(service.child), 0);
    const dumps = [...hubOutputs.map((output) => output()), service.output()];
    const serviceDb = await openDatabase<object>({ dataDir: serviceDir });
    try {
      for (const db of [hubDb.db, serviceDb.db as Kysely<object>]) {
        for (const { tablename } of (await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(db)).rows) {
          const rows = await sql<Record<string, unknown>>`select * from ${sql.table(tablename)}`.execute(db);
          dumps.push(JSON.stringify(rows.rows, (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value)));
        }
      }
    } finally {
      await serviceDb.close();
    }
    const all = dumps.join('\n');
    assert.ok(all.includes('rotterdam') && all.includes('federation request refused'), 'the scan reads what the hub stores and logs');
    // A number counts only as a whole number, not as digits inside a longer one (a timestamp, a duration).
    const occurs = (secret: string) => (/^\d+$/.test(secret) ? new RegExp(`(?<![0-9])${secret}(?![0-9])`).test(all) : all.includes(secret));
    for (const secret of secrets) assert.equal(occurs(secret), false, 'a BSN or a region’s person key reached the hub or the pseudonymisation service');
  });
});
