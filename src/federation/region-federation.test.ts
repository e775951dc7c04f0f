/**
 * Two regions linked through the hub, in-process: region Rotterdam on PGlite, region Utrecht on
 * PostgreSQL (PGlite when it is not reachable), the hub and the pseudonymisation service on their own
 * PGlite databases, each behind a switchable loopback proxy so that "down" is a refused connection.
 * One set of apps for the file, driven as the delivery worker drives it: a cross-region match through
 * to both regions' professionals' mails, nothing registered twice after the hub was down, the
 * pseudonymisation service down and back, deregistration ending the match, no silent query, and a
 * scan of the hub's and the service's databases and logs for BSNs and regional person keys.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { createSmtpTransport } from '../notifications/mail-transport.ts';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { createEmbeddedRegister } from '../population-register/embedded-register.ts';
import { type FederationProcess, openHub, openPseudonymiser } from '../server/federation-apps.ts';
import { createManualClock } from '../shared/clock.ts';
import { createTestDatabase, isPostgresReachable } from '../test-support/databases.ts';
import { adultSignal, createTestApp, TEST_KEYS, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { captureLog, logForms } from '../test-support/log-capture.ts';
import { startMailServer } from '../test-support/mail-server.ts';
import { signInByInject, webProfessional } from '../test-support/web.ts';
import { generateTokenKeyPair } from './evaluation-token.ts';
import { bsnInput, generateOprfKey } from './pseudonym-protocol.ts';
import { generateSigningKeyPair } from './request-signing.ts';

const START = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString();
const PERSON = '111222333';
const OTHER = '123456782';
const ALONE = '100000009';

/** A loopback proxy to `target` that refuses connections while down. */
async function switchableProxy(target: () => string) {
  let up = true;
  const server: Server = createServer(async (request, response) => {
    if (!up) return request.socket.destroy();
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const headers = Object.fromEntries(Object.entries(request.headers).filter(([name]) => !['host', 'connection', 'content-length'].includes(name))) as Record<
      string,
      string
    >;
    const answer = await fetch(`${target()}${request.url}`, { method: request.method!, headers, ...(chunks.length > 0 && { body: Buffer.concat(chunks) }) });
    response.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
    response.end(Buffer.from(await answer.arrayBuffer()));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    down: () => {
      up = false;
    },
    up: () => {
      up = true;
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('two regions linked through the hub', async () => {
  const clock = createManualClock(START);
  const keys = Object.fromEntries(['rotterdam', 'utrecht', 'hub'].map((party) => [party, generateSigningKeyPair()]));
  const parties = Object.fromEntries(Object.entries(keys).map(([party, pair]) => [party, { k1: pair.publicKey }]));
  const tokenPair = await generateTokenKeyPair('hub-1');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sluis-federation-'));
  const hubLog = captureLog();
  const serviceLog = captureLog();
  let hub: FederationProcess;
  let service: FederationProcess;
  let hubListening: string;
  let serviceListening: string;
  const hubProxy = await switchableProxy(() => hubListening);
  const serviceProxy = await switchableProxy(() => serviceListening);
  const smtp = await startMailServer();
  const databases: (Database & { drop(): Promise<void> })[] = [];
  const regions: Record<'rotterdam' | 'utrecht', TestApp> = {} as never;
  const registerFile = path.join(dataDir, 'register.json');
  writeFileSync(
    registerFile,
    JSON.stringify(
      [PERSON, ALONE].map((bsn, i) => ({
        burgerservicenummer: bsn,
        naam: { voornamen: 'Jan', voorvoegsel: 'de', geslachtsnaam: 'Boer' },
        geboorte: { datum: '19800517' },
        geslacht: { code: 'M', omschrijving: 'man' },
        ouders: [],
        verblijfplaats: {
          functieAdres: { code: 'W', omschrijving: 'woonadres' },
          adresseerbaarObjectIdentificatie: `059901000000${i}`,
          straat: 'Coolsingel',
          huisnummer: 40 + i,
          postcode: '3011AD',
          woonplaats: 'Rotterdam',
        },
        gemeenteVanInschrijving: { code: '0599', omschrijving: 'Rotterdam' },
      })),
    ),
  );
  const rotterdamRegister = createEmbeddedRegister({ file: registerFile, clock });
  const orgs: Record<'rotterdam' | 'utrecht', TestOrganisation> = {} as never;

  before(async () => {
    const common = { host: '127.0.0.1', port: 0, logLevel: 'trace' as const, parties, databaseUrl: undefined };
    service = await openPseudonymiser(
      {
        ...common,
        id: 'pseudonymiser',
        dataDir: path.join(dataDir, 'pseudonymiser'),
        oprfKeys: { 1: Buffer.from(generateOprfKey(1).secretKey).toString('base64') },
        hubTokenKey: tokenPair.publicJwk,
      },
      { logger: serviceLog.logger, clock },
    );
    hub = await openHub(
      {
        ...common,
        id: 'hub',
        dataDir: path.join(dataDir, 'hub'),
        tokenKeys: [tokenPair.privateJwk],
        hashSecrets: { 1: randomBytes(32).toString('base64') },
        matchVersion: 1,
        municipalities: { rotterdam: ['0599'], utrecht: ['0344'] },
      },
      { logger: hubLog.logger, clock },
    );
    hubListening = await hub.app.listen({ port: 0, host: '127.0.0.1' });
    serviceListening = await service.app.listen({ port: 0, host: '127.0.0.1' });
    const postgres = await isPostgresReachable();
    for (const region of ['rotterdam', 'utrecht'] as const) {
      const database = await createTestDatabase(region === 'utrecht' && postgres ? 'postgres' : 'pglite');
      // Rotterdam checks its filings against a small embedded register holding the persons it files on (for the move).
      databases.push(database);
      regions[region] = await createTestApp(database, {
        start: START,
        mail: createSmtpTransport({ url: smtp.url, from: `SluiS ${region} <sluis@${region}.test>`, rejectUnauthorized: false, timeoutMs: 2000 }),
        ...(region === 'rotterdam' && { register: rotterdamRegister }),
        federation: {
          id: region,
          hubUrl: hubProxy.url,
          pseudonymiserUrl: serviceProxy.url,
          hubId: 'hub',
          pseudonymiserId: 'pseudonymiser',
          signingKey: keys[region]!.privateKey,
          signingKeyId: 'k1',
          pollMs: 0,
        },
      });
      orgs[region] = await regions[region].organisation(`Wijkteam ${region}`);
    }
  });
  after(async () => {
    for (const region of Object.values(regions)) await region.close();
    for (const database of databases) await database.drop();
    await hub?.close();
    await service?.close();
    await hubProxy.close();
    await serviceProxy.close();
    await smtp.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  /** Moves every clock on (the hub's and both regions'), past any back-off. */
  const advance = (ms: number) => {
    clock.advance(ms);
    for (const region of Object.values(regions)) region.clock.set(clock.now());
  };
  const file = async (region: 'rotterdam' | 'utrecht', bsn: string) => {
    advance(1000);
    const t = regions[region];
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: orgs[region].headers,
      payload: adultSignal(bsn, t.clock.now().toISOString().slice(0, 10), { clientReference: `${region}-1` }),
    });
    assert.ok(response.statusCode < 300, response.body);
    return response.json().signal.id as string;
  };
  /** The worker's rounds in both regions until nothing moves (each round: fetch hub events, dispatch, deliver). */
  const settle = async () => {
    for (let round = 0; round < 6; round++) {
      advance(10 * 60_000);
      let moved = 0;
      for (const region of Object.values(regions)) {
        const result = await region.services.deliveryWorker.runOnce();
        moved += result.dispatched + result.delivered + result.hubEvents;
      }
      if (moved === 0) return;
    }
  };
  const hubDb = () => hub.database.db as Kysely<object>;
  const hubRows = async (table: string) => (await sql<Record<string, unknown>>`select * from ${sql.table(table)}`.execute(hubDb())).rows;
  const crossRegion = (region: 'rotterdam' | 'utrecht') =>
    regions[region].services.db.selectFrom('matches').select(['id', 'status']).where('kind', '=', 'cross_region').execute();

  it('registers a person at the first active signal, and a region without a signal on them learns nothing', async () => {
    await file('rotterdam', PERSON);
    await file('rotterdam', ALONE);
    await settle();
    assert.equal((await hubRows('hub_registrations')).length, 2);
    assert.deepEqual(await crossRegion('utrecht'), []);
    assert.deepEqual(await crossRegion('rotterdam'), []);
    // No silent query: the hub has no route that answers about a person without registering them.
    for (const url of ['/federation/v1/registrations', '/federation/v1/lookups', '/federation/v1/persons']) {
      assert.equal((await hub.app.inject({ method: 'GET', url })).statusCode, 401);
    }
  });

  it('while the hub is down a registration waits in the outbox, and is delivered once when it is back', async () => {
    hubProxy.down();
    await file('utrecht', PERSON);
    const failed = await regions.utrecht.services.deliveryWorker.runOnce();
    assert.equal(failed.failed, 1);
    assert.ok(failed.hubError, 'fetching events failed too');
    const waiting = await regions.utrecht.services.db.selectFrom('deliveries').select(['status', 'last_error']).where('channel', '=', 'federation').execute();
    assert.deepEqual(
      waiting.map((d) => d.status),
      ['pending'],
    );
    assert.doesNotMatch(waiting[0]!.last_error ?? '', /\d{9}/);
    hubProxy.up();
    await settle();
    const registrations = await hubRows('hub_registrations');
    assert.equal(registrations.filter((r) => r.region === 'utrecht').length, 1);
    const delivered = await regions.utrecht.services.db.selectFrom('deliveries').select('status').where('channel', '=', 'federation').execute();
    assert.ok(delivered.every((d) => d.status === 'delivered'));
  });

  it('makes a cross-region match in both regions and mails each region the other region’s professionals', async () => {
    for (const region of ['rotterdam', 'utrecht'] as const) {
      const matches = await crossRegion(region);
      assert.equal(matches.length, 1, region);
      assert.equal(matches[0]!.status, 'open');
    }
    const pro = async (region: 'rotterdam' | 'utrecht') =>
      regions[region].services.db.selectFrom('professionals').select(['name', 'email']).where('id', '=', orgs[region].professionalId).executeTakeFirstOrThrow();
    const [rotterdam, utrecht] = [await pro('rotterdam'), await pro('utrecht')];
    await smtp.waitFor(2);
    const toRotterdam = smtp.received.find((m) => m.to === rotterdam.email && /andere regio/.test(m.subject));
    const toUtrecht = smtp.received.find((m) => m.to === utrecht.email && /andere regio/.test(m.subject));
    assert.ok(toRotterdam && toUtrecht, 'both professionals got the cross-region mail');
    assert.ok(toRotterdam.text.includes(utrecht.name) && toRotterdam.text.includes(utrecht.email) && toRotterdam.text.includes('regio utrecht'));
    assert.ok(toUtrecht.text.includes(rotterdam.name) && toUtrecht.text.includes(rotterdam.email));
    for (const mail of smtp.received) for (const bsn of [PERSON, OTHER, ALONE]) assert.ok(!mail.raw.includes(bsn));
  });

  it('shows the other region’s professionals to the match’s participants only: in the match API and on the match page', async () => {
    for (const [here, there] of [
      ['rotterdam', 'utrecht'],
      ['utrecht', 'rotterdam'],
    ] as const) {
      const t = regions[here];
      const [match] = await crossRegion(here);
      const other = await regions[there].services.db
        .selectFrom('professionals')
        .select(['name', 'email', 'phone'])
        .where('id', '=', orgs[there].professionalId)
        .executeTakeFirstOrThrow();
      const expected = [
        { region: there, contacts: [{ name: other.name, jobTitle: null, organisation: `Wijkteam ${there}`, phone: other.phone, email: other.email }] },
      ];
      const read = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${match!.id}`, headers: orgs[here].headers });
      assert.equal(read.statusCode, 200, read.body);
      assert.equal(read.json().kind, 'cross_region');
      assert.deepEqual(read.json().otherRegions, expected);
      const listed = await t.app.inject({ method: 'GET', url: '/api/v1/matches', headers: orgs[here].headers });
      assert.deepEqual(listed.json().items.find((m: { id: string }) => m.id === match!.id)?.otherRegions, expected);
      const session = await signInByInject(t, await webProfessional(t, orgs[here]));
      const page = await session.get(`/matches/${match!.id}`);
      assert.equal(page.statusCode, 200);
      assert.ok(page.body.includes(`Betrokken in regio ${there}`) && page.body.includes(other.name) && page.body.includes(`mailto:${other.email}`));
      assert.match(page.body, /In deze regio is geen andere professional betrokken/);
      assert.ok(!page.body.includes(PERSON) && !read.body.includes(PERSON));
      // Not a participant (another organisation, or a colleague in the same one): not found, and nothing of the other region.
      const stranger = await t.organisation();
      const colleague = await t.colleague(orgs[here]);
      for (const headers of [stranger.headers, colleague.headers]) {
        const refused = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${match!.id}`, headers });
        assert.equal(refused.statusCode, 404);
        const list = await t.app.inject({ method: 'GET', url: '/api/v1/matches', headers });
        assert.deepEqual(list.json().items, []);
        assert.ok(!refused.body.includes(other.email) && !list.body.includes(other.email));
      }
      const strangerPage = await (await signInByInject(t, await webProfessional(t, stranger))).get(`/matches/${match!.id}`);
      assert.equal(strangerPage.statusCode, 404);
      assert.ok(!strangerPage.body.includes(other.email));
    }
  });

  it('tells the participants when a professional in the other region joins or leaves', async () => {
    const rotterdam = await regions.rotterdam.services.db
      .selectFrom('professionals')
      .select('email')
      .where('id', '=', orgs.rotterdam.professionalId)
      .executeTakeFirstOrThrow();
    const youth = await regions.utrecht.organisation('Jeugdteam utrecht');
    advance(1000);
    const filed = await regions.utrecht.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: youth.headers,
      payload: adultSignal(PERSON, regions.utrecht.clock.now().toISOString().slice(0, 10), { clientReference: 'jeugd-1' }),
    });
    assert.equal(filed.statusCode, 201, filed.body);
    await settle();
    const toRotterdam = (subject: string) => smtp.received.filter((m) => m.to === rotterdam.email && m.subject === subject);
    await smtp.waitFor(smtp.received.length);
    const joined = toRotterdam('SluiS: een nieuwe professional is betrokken');
    assert.equal(joined.length, 1);
    assert.match(joined[0]!.text, /Bij een match met een andere regio is een professional betrokken geraakt/);
    assert.ok(joined[0]!.text.includes('Jeugdteam utrecht') && joined[0]!.text.includes('Wijkteam utrecht'));
    const ended = await regions.utrecht.app.inject({
      method: 'POST',
      url: `/api/v1/signals/${filed.json().signal.id}/end`,
      headers: youth.headers,
      payload: { reason: 'care_ended' },
    });
    assert.equal(ended.statusCode, 200, ended.body);
    await settle();
    const left = toRotterdam('SluiS: een professional is niet meer betrokken');
    assert.equal(left.length, 1);
    assert.ok(!left[0]!.text.includes('Jeugdteam utrecht') && left[0]!.text.includes('Wijkteam utrecht'));
    for (const mail of [...joined, ...left]) assert.ok(!mail.raw.includes(PERSON));
  });

  it('while the pseudonymisation service is down a registration waits, and is made when it is back', async () => {
    serviceProxy.down();
    await file('utrecht', OTHER);
    assert.equal((await regions.utrecht.services.deliveryWorker.runOnce()).failed, 1);
    assert.equal((await hubRows('hub_registrations')).filter((r) => r.region === 'utrecht').length, 1);
    serviceProxy.up();
    await settle();
    assert.equal((await hubRows('hub_registrations')).filter((r) => r.region === 'utrecht').length, 2);
  });

  it('deregisters when the last active signal on the person ends, and the other region’s cross-region match ends', async () => {
    const signalId = (
      await regions.utrecht.services.db
        .selectFrom('signals')
        .select('id')
        .where('status', '=', 'active')
        .where('professional_id', '=', orgs.utrecht.professionalId)
        .orderBy('filed_at')
        .executeTakeFirstOrThrow()
    ).id;
    const ended = await regions.utrecht.app.inject({
      method: 'POST',
      url: `/api/v1/signals/${signalId}/end`,
      headers: orgs.utrecht.headers,
      payload: { reason: 'care_ended' },
    });
    assert.equal(ended.statusCode, 200, ended.body);
    await settle();
    assert.equal((await hubRows('hub_registrations')).filter((r) => r.region === 'utrecht').length, 1);
    assert.deepEqual(
      (await crossRegion('rotterdam')).map((m) => m.status),
      ['closed'],
    );
    assert.equal((await hubRows('hub_match_contacts')).length, 0);
    // Rotterdam's professional is told the match ended (their own signal stays active), and the match page is gone.
    const rotterdam = await regions.rotterdam.services.db
      .selectFrom('professionals')
      .select('email')
      .where('id', '=', orgs.rotterdam.professionalId)
      .executeTakeFirstOrThrow();
    const told = smtp.received.filter((m) => m.to === rotterdam.email && m.subject === 'SluiS: een match met een andere regio is beëindigd');
    assert.equal(told.length, 1);
    assert.match(told[0]!.text, /in regio utrecht is geen professional meer betrokken/);
    assert.ok(!told[0]!.raw.includes(PERSON));
    const [match] = await crossRegion('rotterdam');
    assert.equal((await regions.rotterdam.app.inject({ method: 'GET', url: `/api/v1/matches/${match!.id}`, headers: orgs.rotterdam.headers })).statusCode, 404);
  });

  it('a move to a municipality of the other region reaches that municipality’s contact through the hub, without person data', async () => {
    const contact = await regions.utrecht.app.inject({
      method: 'PUT',
      url: '/api/v1/municipality-contacts/0344',
      headers: regions.utrecht.adminHeaders,
      payload: { email: 'regie@utrecht.example' },
    });
    assert.equal(contact.statusCode, 200, contact.body);
    const rotterdam = await regions.rotterdam.services.db
      .selectFrom('professionals')
      .select(['name', 'email'])
      .where('id', '=', orgs.rotterdam.professionalId)
      .executeTakeFirstOrThrow();
    await regions.rotterdam.services.jobs.runOnce();
    await rotterdamRegister.applyMove(Bsn.parse(ALONE)!, {
      municipalityCode: '0344',
      address: { addressObjectId: '0344010000777777', function: 'home', street: 'Domplein', houseNumber: '9', postcode: '3512JC', city: 'Utrecht' },
    });
    assert.equal((await regions.rotterdam.services.jobs.runOnce()).registerChanged, 1);
    await settle();
    await smtp.waitFor(smtp.received.length);
    const told = smtp.received.filter((m) => m.to === 'regie@utrecht.example');
    assert.equal(told.length, 1);
    assert.equal(told[0]!.subject, 'SluiS: een persoon met een signaal is naar uw gemeente verhuisd');
    assert.match(told[0]!.text, /in regio rotterdam een signaal in SluiS staat verhuisd naar uw gemeente \(gemeentecode 0344\)/);
    assert.ok(told[0]!.text.includes(rotterdam.name) && told[0]!.text.includes(rotterdam.email));
    for (const personal of [ALONE, 'Boer', 'Coolsingel', 'Domplein', '3512', '1980']) assert.ok(!told[0]!.raw.includes(personal), personal);
    // Kept once at the receiving region: the municipality code, the leaving region, its professionals.
    assert.equal((await regions.utrecht.services.db.selectFrom('federation_moves').selectAll().execute()).length, 1);
  });

  it('holds no BSN and no regional person key in the hub’s or the service’s databases or logs', async () => {
    const crypto = createPersonCrypto(TEST_KEYS);
    const secrets = [PERSON, OTHER, ALONE].flatMap((digits) => {
      const bsn = Bsn.parse(digits)!;
      return [...logForms(digits), ...logForms(crypto.personKey(bsn)), ...logForms(bsnInput(bsn))];
    });
    const dumps = [hubLog.text(), serviceLog.text()];
    for (const process of [hub, service]) {
      const db = process.database.db as Kysely<object>;
      for (const { tablename } of (await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(db)).rows) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(tablename)}`.execute(db);
        dumps.push(JSON.stringify(rows.rows, (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value)));
      }
    }
    const all = dumps.join('\n');
    assert.ok(all.includes('utrecht') && hubLog.text().length > 0, 'the scan reads what the hub stores and logs');
    for (const secret of secrets) assert.equal(all.includes(secret), false, 'a BSN or a regional person key reached the hub or the pseudonymisation service');
  });
});
