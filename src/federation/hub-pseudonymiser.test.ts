/**
 * The hub and the pseudonymisation service as apps on their own databases — the pseudonymisation
 * service on PGlite, the hub on PostgreSQL (PGlite when PostgreSQL is not reachable) — driven as two
 * regions would drive them: a cross-region match, idempotent registration, contact relay,
 * deregistration, every refusal of an unknown, forged, expired or replayed call, and a scan of both
 * databases and logs for the BSNs and the regions' person keys.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { base64url } from 'jose';
import { type Kysely, sql } from 'kysely';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { type FederationProcess, openHub, openPseudonymiser } from '../server/federation-apps.ts';
import { createEmptyPostgresDatabase, isPostgresReachable } from '../test-support/databases.ts';
import { captureLog, logForms } from '../test-support/log-capture.ts';
import { generateTokenKeyPair } from './evaluation-token.ts';
import { blindInput, bsnInput, generateOprfKey } from './pseudonym-protocol.ts';
import { generateSigningKeyPair, importSigningKey, type SigningKey, signRequest } from './request-signing.ts';

const bsn = (digits: string) => Bsn.parse(digits) ?? assert.fail('not a BSN');
const PERSON = bsn('111222333');
const OTHER = bsn('123456782');

describe('the hub and the pseudonymisation service', async () => {
  const regions = ['rotterdam', 'utrecht'] as const;
  const pairs = Object.fromEntries(['rotterdam', 'utrecht', 'hub'].map((party) => [party, generateSigningKeyPair()]));
  const signing: Record<string, SigningKey> = Object.fromEntries(
    Object.entries(pairs).map(([party, pair]) => [party, importSigningKey(party, 'k1', pair.privateKey)]),
  );
  const parties = Object.fromEntries(Object.entries(pairs).map(([party, pair]) => [party, { k1: pair.publicKey }]));
  // Each region's own person keys (HMAC of the BSN): the scan looks for them at the hub.
  const regionCrypto = regions.map(() => createPersonCrypto({ pseudonymKey: randomBytes(32), encryptionKey: randomBytes(32) }));
  const tokenPair = await generateTokenKeyPair('hub-1');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'sluis-pseudonymiser-'));
  const hubLog = captureLog();
  const serviceLog = captureLog();
  let hub: FederationProcess;
  let service: FederationProcess;
  let hubDatabase: { url: string; drop(): Promise<void> } | undefined;
  const blindedSeen: Uint8Array[] = [];

  before(async () => {
    hubDatabase = (await isPostgresReachable()) ? await createEmptyPostgresDatabase() : undefined;
    const common = { host: '127.0.0.1', port: 0, logLevel: 'trace' as const, parties };
    service = await openPseudonymiser(
      {
        ...common,
        id: 'pseudonymiser',
        databaseUrl: undefined,
        dataDir,
        oprfKeys: { 1: Buffer.from(generateOprfKey(1).secretKey).toString('base64') },
        hubTokenKey: tokenPair.publicJwk,
      },
      { logger: serviceLog.logger },
    );
    hub = await openHub(
      {
        ...common,
        id: 'hub',
        databaseUrl: hubDatabase?.url,
        dataDir: `${dataDir}-hub`,
        tokenKeys: [tokenPair.privateJwk],
        hashSecrets: { 1: randomBytes(32).toString('base64') },
        matchVersion: 1,
      },
      { logger: hubLog.logger },
    );
  });
  after(async () => {
    await hub?.close();
    await service?.close();
    await hubDatabase?.drop();
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(`${dataDir}-hub`, { recursive: true, force: true });
  });

  /** A signed call as `party`; `tamper` changes the request after signing. */
  async function call(target: FederationProcess, receiver: string, party: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', url: string, body?: unknown) {
    const payload = body === undefined ? '' : JSON.stringify(body);
    const headers = signRequest(signing[party]!, receiver, { method, path: url, body: payload }, new Date());
    return target.app.inject({ method, url, headers: { ...headers, ...(payload && { 'content-type': 'application/json' }) }, payload });
  }

  /** What a region does to register a person: blind, have it evaluated, hand token and blind to the hub. */
  async function register(region: string, person: Bsn, reference: string) {
    const { blind, blinded } = blindInput(bsnInput(person));
    blindedSeen.push(blinded);
    const nonce = randomBytes(16).toString('base64url');
    const evaluated = await call(service, 'pseudonymiser', region, 'POST', '/federation/v1/evaluations', { blinded: base64url.encode(blinded), nonce });
    assert.equal(evaluated.statusCode, 200, evaluated.body);
    const body = { token: evaluated.json().token as string, blind: base64url.encode(blind), nonce };
    return { response: await call(hub, 'hub', region, 'PUT', `/federation/v1/registrations/${reference}`, body), body };
  }
  const events = async (region: string, after = 0) =>
    (await call(hub, 'hub', region, 'GET', `/federation/v1/events?after=${after}`)).json().events as { seq: number; event: Record<string, unknown> }[];
  const reference = () => randomBytes(16).toString('base64url');

  const rotterdamRef = reference();
  const utrechtRef = reference();
  let matchId = '';

  it('makes a cross-region match when the same person is registered in two regions, and tells each region under its own reference', async () => {
    assert.equal((await register('rotterdam', PERSON, rotterdamRef)).response.statusCode, 200);
    assert.equal((await register('utrecht', OTHER, reference())).response.statusCode, 200);
    assert.deepEqual(await events('rotterdam'), []);
    assert.equal((await register('utrecht', PERSON, utrechtRef)).response.statusCode, 200);
    const [toRotterdam] = await events('rotterdam');
    const [toUtrecht] = await events('utrecht');
    assert.equal(toRotterdam?.event.type, 'match');
    assert.equal(toRotterdam?.event.reference, rotterdamRef);
    assert.deepEqual(toRotterdam?.event.regions, ['utrecht']);
    assert.deepEqual(toUtrecht?.event, { type: 'match', match: toRotterdam?.event.match, reference: utrechtRef, regions: ['rotterdam'] });
    matchId = toRotterdam?.event.match as string;
  });

  it('is idempotent by reference: registering again changes nothing and tells no one', async () => {
    const before = (await events('rotterdam')).length;
    const again = await register('rotterdam', PERSON, rotterdamRef);
    assert.equal(again.response.statusCode, 200);
    assert.equal((await events('rotterdam')).length, before);
  });

  it('relays contact details by match id to the other region only, and refuses a region not in the match', async () => {
    const contacts = [
      { name: 'Sanne de Vries', jobTitle: 'Jeugdprofessional', organisation: 'Wijkteam Noord', phone: '010-1234567', email: 'sanne@example.nl' },
    ];
    const relayed = await call(hub, 'hub', 'rotterdam', 'PUT', `/federation/v1/matches/${matchId}/contacts`, { contacts });
    assert.equal(relayed.statusCode, 204);
    const toUtrecht = (await events('utrecht')).at(-1);
    assert.deepEqual(toUtrecht?.event, { type: 'contacts', match: matchId, region: 'rotterdam', contacts });
    assert.equal(
      (await events('rotterdam')).some((e) => e.event.type === 'contacts'),
      false,
    );
    const stranger = await call(hub, 'hub', 'hub', 'PUT', `/federation/v1/matches/${matchId}/contacts`, { contacts });
    assert.equal(stranger.statusCode, 403);
  });

  it('refuses a replayed request, a reused token, a forged, expired or unknown call, and the hub asking for an evaluation', async () => {
    // The same signed request twice: the second is a replay.
    const url = '/federation/v1/events?after=0';
    const headers = signRequest(signing.rotterdam!, 'hub', { method: 'GET', path: url, body: '' }, new Date());
    assert.equal((await hub.app.inject({ method: 'GET', url, headers })).statusCode, 200);
    assert.equal((await hub.app.inject({ method: 'GET', url, headers })).statusCode, 401);
    // A token used once, sent again in a freshly signed request.
    const first = await register('rotterdam', OTHER, reference());
    const reused = await call(hub, 'hub', 'rotterdam', 'PUT', `/federation/v1/registrations/${reference()}`, first.body);
    assert.equal(reused.statusCode, 409);
    // The token of one region, presented by another.
    const stolen = await register('rotterdam', OTHER, reference());
    assert.equal(
      (
        await call(hub, 'hub', 'utrecht', 'PUT', `/federation/v1/registrations/${reference()}`, {
          ...stolen.body,
          nonce: randomBytes(16).toString('base64url'),
        })
      ).statusCode,
      400,
    );
    // Forged: signed, then the body changed.
    const body = JSON.stringify({ contacts: [] });
    const forged = signRequest(signing.rotterdam!, 'hub', { method: 'PUT', path: `/federation/v1/matches/${matchId}/contacts`, body }, new Date());
    const sent = await hub.app.inject({
      method: 'PUT',
      url: `/federation/v1/matches/${matchId}/contacts`,
      headers: { ...forged, 'content-type': 'application/json' },
      payload: JSON.stringify({ contacts: [{}] }),
    });
    assert.equal(sent.statusCode, 401);
    // Signed for the pseudonymisation service, sent to the hub.
    const elsewhere = signRequest(signing.rotterdam!, 'pseudonymiser', { method: 'GET', path: url, body: '' }, new Date());
    assert.equal((await hub.app.inject({ method: 'GET', url, headers: elsewhere })).statusCode, 401);
    // Expired.
    const old = signRequest(signing.rotterdam!, 'hub', { method: 'GET', path: url, body: '' }, new Date(Date.now() - 5 * 60_000));
    assert.equal((await hub.app.inject({ method: 'GET', url, headers: old })).statusCode, 401);
    // Unsigned, and signed by a party nobody registered.
    assert.equal((await hub.app.inject({ method: 'GET', url })).statusCode, 401);
    const stranger = importSigningKey('amsterdam', 'k1', generateSigningKeyPair().privateKey);
    assert.equal(
      (await hub.app.inject({ method: 'GET', url, headers: signRequest(stranger, 'hub', { method: 'GET', path: url, body: '' }, new Date()) })).statusCode,
      401,
    );
    // The hub may not have anything evaluated: it could try BSNs.
    const { blinded } = blindInput(bsnInput(OTHER));
    const byHub = await call(service, 'pseudonymiser', 'hub', 'POST', '/federation/v1/evaluations', {
      blinded: base64url.encode(blinded),
      nonce: randomBytes(16).toString('base64url'),
    });
    assert.equal(byHub.statusCode, 401);
  });

  it('ends the match when one region deregisters, and tells the region that stays', async () => {
    const cursor = (await events('rotterdam')).at(-1)?.seq ?? 0;
    assert.equal((await call(hub, 'hub', 'utrecht', 'DELETE', `/federation/v1/registrations/${utrechtRef}`)).statusCode, 204);
    const [ended] = await events('rotterdam', cursor);
    assert.deepEqual(ended?.event, { type: 'match_ended', match: matchId, reference: rotterdamRef });
  });

  it('holds no BSN and no regional person key in the databases or the logs of the hub and the pseudonymisation service', async () => {
    const secrets = [PERSON, OTHER].flatMap((person) => [
      ...logForms(person.reveal()),
      ...regionCrypto.flatMap((crypto) => logForms(crypto.personKey(person))),
      ...logForms(bsnInput(person)),
    ]);
    const dumps = [hubLog.text(), serviceLog.text()];
    assert.ok(hubLog.text().includes('federation request refused'), 'the hub log was captured');
    // Every table of both databases, bytes as hex.
    for (const process of [hub, service]) {
      const db = process.database.db as Kysely<object>;
      const tables = await sql<{ tablename: string }>`select tablename from pg_tables where schemaname = 'public'`.execute(db);
      assert.ok(tables.rows.length > 0);
      for (const { tablename } of tables.rows) {
        const rows = await sql<Record<string, unknown>>`select * from ${sql.table(tablename)}`.execute(db);
        dumps.push(JSON.stringify(rows.rows, (_key, value) => (value instanceof Uint8Array ? Buffer.from(value).toString('hex') : value)));
      }
    }
    const all = dumps.join('\n');
    assert.ok(all.includes(rotterdamRef), 'the scan reads what the hub stores');
    for (const secret of secrets) assert.equal(all.includes(secret), false, 'a BSN or a regional person key reached the hub or the pseudonymisation service');
  });
});
