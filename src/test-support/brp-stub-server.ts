/**
 * A real HTTP(S) server on 127.0.0.1 that serves the Haal Centraal BRP Personen API (and the BRP
 * Update API) from the RvIG's test persons, for the Haal Centraal client's tests and the bench.
 *
 * - `POST {basePath}/personen` with `RaadpleegMetBurgerservicenummer`, answered in the API's shape
 *   (brp-api-shape.ts), narrowed to the asked `fields`; deceased persons always come back, as the
 *   real API does for this operation.
 * - Every request and every answer is validated against the RvIG's OpenAPI documents
 *   (brp-openapi.ts). A request that breaks them, or asks for an unknown or automatic field, or
 *   passes a parameter the operation does not have, gets 400 as from the real API; every such
 *   request and any answer of the stub's own that breaks the document is kept in `violations`.
 * - Authentication: an API key (`X-API-KEY`) or OAuth 2.0 client credentials (a token endpoint at
 *   `/oauth/token`), optionally over TLS that requires a client certificate.
 * - `down()` really closes the listener (connection refused) or, with 'unavailable', answers 503;
 *   `up()` listens again on the same port. `latencyMs` delays every answer.
 * - `morePersons` answers for BSNs beyond the test persons with persons made on demand (GBA-shaped,
 *   converted as the test persons are): the bench's synthetic population of 100 thousand.
 * - The Update API: `PUT /volgindicaties/{bsn}`, `GET /volgindicaties`, `GET /wijzigingen?vanaf=`; `applyMove` and
 *   `applyDeath` change a person and record the change for `wijzigingen`.
 */
import { randomBytes } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { amsterdamDate } from '../shared/calendar.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { apiDateFromIso, readGbaTestPersons, selectFields, toApiPerson } from './brp-api-shape.ts';
import { type BrpOpenApi, loadBrpOpenApi } from './brp-openapi.ts';

const PERSONEN_PATH = '/haalcentraal/api/brp';
const UPDATE_PATH = '/haalcentraal/api/brpupdate';
const TOKEN_PATH = '/oauth/token';

export type BrpStubOptions = {
  /** Requests must carry this `X-API-KEY` (default: a random key, see `apiKey`). */
  apiKey?: string;
  /** Requests must carry a bearer token from the stub's token endpoint instead of an API key. */
  oauth?: { clientId: string; clientSecret: string; scope?: string; expiresInSeconds?: number };
  /** Serve HTTPS with this certificate; with `ca`, require a client certificate signed by it. */
  tls?: { cert: string; key: string; ca?: string };
  latencyMs?: number;
  clock?: Clock;
  /** A GBA-shaped person for a BSN that is not one of the test persons, made on each request; undefined: unknown. */
  morePersons?: (bsn: string) => Record<string, unknown> | undefined;
};

export type BrpStubViolation = { direction: 'request' | 'answer'; operation: string; errors: string[] };

type Json = Record<string, unknown>;
type StubAddress = {
  addressObjectId?: string;
  street: string;
  houseNumber: number;
  postcode?: string;
  city: string;
  municipality?: { code: string; omschrijving: string };
};

export async function startBrpStub(options: BrpStubOptions = {}) {
  const api: BrpOpenApi = loadBrpOpenApi();
  const clock = options.clock ?? systemClock;
  const apiKey = options.apiKey ?? randomBytes(16).toString('hex');
  const persons = new Map(readGbaTestPersons().map((gba) => [String(gba.burgerservicenummer), toApiPerson(gba)]));
  const tokens = new Map<string, number>(); // token → expiry (ms)
  const following = new Map<string, { begindatum: string; einddatum?: string }>();
  const changes: { bsn: string; on: string }[] = [];
  const violations: BrpStubViolation[] = [];
  const personenRequests: Json[] = [];
  const calls = { personen: 0, token: 0, volgindicaties: 0, wijzigingen: 0, unavailable: 0 };
  let latencyMs = options.latencyMs ?? 0;
  let state: 'up' | 'down' | 'unavailable' = 'up';
  const today = () => amsterdamDate(clock.now());

  function send(response: ServerResponse, status: number, body: unknown, contentType = 'application/json; charset=utf-8') {
    response.writeHead(status, { 'Content-Type': contentType }).end(JSON.stringify(body));
  }

  function problem(response: ServerResponse, operation: string, status: number, title: string, code: string, invalidParams?: Json[]) {
    const body = {
      type: 'https://www.w3.org/Protocols/rfc2616/rfc2616-sec10.html',
      title,
      status,
      instance: 'https://stub.invalid/haalcentraal/api/brp',
      code,
      ...(invalidParams && { invalidParams }),
    };
    const errors = status === 400 ? api.badRequest(body) : api.problem(body);
    if (errors.length > 0) violations.push({ direction: 'answer', operation, errors });
    send(response, status, body, 'application/problem+json');
  }

  function answer(response: ServerResponse, operation: string, status: number, body: unknown, errors: string[], contentType?: string) {
    if (errors.length > 0) violations.push({ direction: 'answer', operation, errors });
    send(response, status, body, contentType);
  }

  function authorised(request: IncomingMessage): boolean {
    if (options.oauth) {
      const token = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const expires = token ? tokens.get(token) : undefined;
      return expires !== undefined && expires > clock.now().getTime();
    }
    return request.headers['x-api-key'] === apiKey;
  }

  function issueToken(request: IncomingMessage, body: string, response: ServerResponse) {
    calls.token++;
    const oauth = options.oauth;
    const form = new URLSearchParams(body);
    const basic = /^Basic (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    const [id, secret] = basic
      ? Buffer.from(basic, 'base64').toString('utf8').split(':').map(decodeURIComponent)
      : [form.get('client_id') ?? '', form.get('client_secret') ?? ''];
    if (!oauth || id !== oauth.clientId || secret !== oauth.clientSecret) return send(response, 401, { error: 'invalid_client' });
    if (form.get('grant_type') !== 'client_credentials') return send(response, 400, { error: 'unsupported_grant_type' });
    if (oauth.scope !== undefined && form.get('scope') !== oauth.scope) return send(response, 400, { error: 'invalid_scope' });
    const token = randomBytes(24).toString('base64url');
    const expiresIn = oauth.expiresInSeconds ?? 3600;
    tokens.set(token, clock.now().getTime() + expiresIn * 1000);
    send(response, 200, { access_token: token, token_type: 'Bearer', expires_in: expiresIn });
  }

  function personen(request: IncomingMessage, body: string, response: ServerResponse) {
    calls.personen++;
    const operation = 'POST /personen';
    if (!/^application\/json\b/.test(request.headers['content-type'] ?? '')) return problem(response, operation, 415, 'Unsupported Media Type', 'unsupported');
    let query: Json;
    try {
      query = JSON.parse(body) as Json;
    } catch {
      violations.push({ direction: 'request', operation, errors: ['the body is not JSON'] });
      return problem(response, operation, 400, 'De foutieve invoer', 'paramsValidation');
    }
    personenRequests.push(query);
    const schemaErrors = api.personenQuery(query);
    const ruleErrors = query.type === 'RaadpleegMetBurgerservicenummer' ? api.raadpleegRules(query) : [];
    if (schemaErrors.length > 0 || ruleErrors.length > 0) {
      violations.push({ direction: 'request', operation, errors: [...schemaErrors, ...ruleErrors.map((e) => `${e.name} ${e.reason}`)] });
      const invalidParams = [...schemaErrors.map(() => ({ name: 'body', code: 'schema', reason: 'Waarde voldoet niet aan het schema.' })), ...ruleErrors];
      return problem(response, operation, 400, 'Een of meerdere parameters zijn niet correct', 'paramsValidation', invalidParams);
    }
    if (query.type !== 'RaadpleegMetBurgerservicenummer') {
      return problem(response, operation, 400, 'De stub beantwoordt alleen RaadpleegMetBurgerservicenummer', 'notSupported');
    }
    const fields = query.fields as string[];
    const municipality = query.gemeenteVanInschrijving as string | undefined;
    const more = (bsn: string) => {
      const gba = options.morePersons?.(bsn);
      return gba ? toApiPerson(gba) : undefined;
    };
    const found = (query.burgerservicenummer as string[])
      .map((bsn) => persons.get(bsn) ?? more(bsn))
      .filter((person): person is Json => person !== undefined)
      .filter((person) => municipality === undefined || (person.gemeenteVanInschrijving as { code?: string } | undefined)?.code === municipality)
      .map((person) => selectFields(person, fields));
    const body200 = { type: 'RaadpleegMetBurgerservicenummer', personen: found };
    answer(response, operation, 200, body200, api.personenAnswer(body200));
  }

  function volgindicatie(bsn: string, body: string, response: ServerResponse) {
    calls.volgindicaties++;
    const operation = 'PUT /volgindicaties/{bsn}';
    let wanted: Json;
    try {
      wanted = JSON.parse(body || 'null') as Json;
    } catch {
      wanted = [] as unknown as Json;
    }
    const errors = [
      ...(/^[0-9]{9}$/.test(bsn) ? [] : ['/burgerservicenummer must be 9 digits']),
      ...(wanted && typeof wanted === 'object' ? api.volgindicatie(wanted) : ['the body must be a JSON object']),
    ];
    if (errors.length > 0) {
      violations.push({ direction: 'request', operation, errors });
      return problem(response, operation, 400, 'Een of meerdere parameters zijn niet correct', 'paramsValidation');
    }
    const existing = following.get(bsn);
    const einddatum = wanted.einddatum as string | undefined;
    const next = { begindatum: existing?.begindatum ?? today(), ...(einddatum && { einddatum }) };
    following.set(bsn, next);
    const body200 = { burgerservicenummer: bsn, ...next };
    answer(response, operation, existing ? 200 : 201, body200, api.volgindicatieAnswer(body200), existing ? undefined : 'application/hal+json');
  }

  /** GET /volgindicaties: the active ones (none with an end date of today or before). */
  function activeIndications(response: ServerResponse) {
    calls.volgindicaties++;
    const volgindicaties = [...following]
      .filter(([, indication]) => indication.einddatum === undefined || indication.einddatum > today())
      .map(([bsn, indication]) => ({ burgerservicenummer: bsn, ...indication }));
    const body200 = { volgindicaties };
    answer(response, 'GET /volgindicaties', 200, body200, api.volgindicatiesAnswer(body200));
  }

  function wijzigingen(url: URL, response: ServerResponse) {
    calls.wijzigingen++;
    const operation = 'GET /wijzigingen';
    const vanaf = url.searchParams.get('vanaf');
    if (vanaf !== null && !/^\d{4}-\d{2}-\d{2}$/.test(vanaf)) {
      violations.push({ direction: 'request', operation, errors: ['vanaf must be a date'] });
      return problem(response, operation, 400, 'Een of meerdere parameters zijn niet correct', 'paramsValidation');
    }
    const active = (bsn: string) => {
      const indication = following.get(bsn);
      return indication !== undefined && (indication.einddatum === undefined || indication.einddatum > today());
    };
    const changed = [...new Set(changes.filter((change) => (vanaf === null || change.on >= vanaf) && active(change.bsn)).map((change) => change.bsn))];
    const body200 = { _links: { self: { href: `${UPDATE_PATH}/wijzigingen` } }, burgerservicenummers: changed };
    answer(response, operation, 200, body200, api.wijzigingenAnswer(body200), 'application/hal+json');
  }

  async function handle(request: IncomingMessage, response: ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString('utf8');
    if (latencyMs > 0) await new Promise((resolve) => setTimeout(resolve, latencyMs));
    const url = new URL(request.url ?? '/', 'http://stub.invalid');
    if (state === 'unavailable') {
      calls.unavailable++;
      return problem(response, 'any', 503, 'Bronservice BRP is tijdelijk niet beschikbaar.', 'notAvailable');
    }
    if (request.method === 'POST' && url.pathname === TOKEN_PATH) return issueToken(request, body, response);
    if (!authorised(request)) return problem(response, 'authentication', 401, 'Niet correct geauthenticeerd.', 'authentication');
    if (request.method === 'POST' && url.pathname === `${PERSONEN_PATH}/personen`) return personen(request, body, response);
    const follow = new RegExp(`^${UPDATE_PATH}/volgindicaties/([^/]+)$`).exec(url.pathname);
    if (request.method === 'PUT' && follow) return volgindicatie(decodeURIComponent(follow[1]!), body, response);
    if (request.method === 'GET' && url.pathname === `${UPDATE_PATH}/wijzigingen`) return wijzigingen(url, response);
    if (request.method === 'GET' && url.pathname === `${UPDATE_PATH}/volgindicaties`) return activeIndications(response);
    problem(response, 'unknown', 404, 'Opgevraagde resource bestaat niet.', 'notFound');
  }

  const onRequest = (request: IncomingMessage, response: ServerResponse) => {
    handle(request, response).catch(() => {
      if (!response.headersSent) response.writeHead(500).end();
    });
  };
  const tls = options.tls;
  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key, ...(tls.ca && { ca: tls.ca, requestCert: true, rejectUnauthorized: true }) }, onRequest)
    : createHttpServer(onRequest);
  const listen = (port: number) =>
    new Promise<number>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', reject);
        resolve((server.address() as AddressInfo).port);
      });
    });
  const stopListening = () =>
    new Promise<void>((resolve) => {
      if (!server.listening) return resolve();
      server.close(() => resolve());
      server.closeAllConnections();
    });
  const port = await listen(0);
  const origin = `${tls ? 'https' : 'http'}://127.0.0.1:${port}`;

  function person(bsn: string): Json {
    const found = persons.get(bsn);
    if (!found) throw new Error('No such test person');
    return found;
  }

  return {
    /** Base URL of the BRP Personen API (SLUIS_BRP_URL). */
    url: `${origin}${PERSONEN_PATH}`,
    /** Base URL of the BRP Update API (SLUIS_BRP_UPDATE_URL). */
    updateUrl: `${origin}${UPDATE_PATH}`,
    tokenUrl: `${origin}${TOKEN_PATH}`,
    apiKey,
    port,
    calls,
    /** Every `POST /personen` body, in order. */
    personenRequests,
    /** Requests that broke the OpenAPI document (or the API's field rules), and answers of the stub's own that did. */
    violations,
    setLatency(ms: number) {
      latencyMs = ms;
    },
    /** Take the register down: 'refused' closes the listener (connection refused); 'unavailable' answers 503. */
    async down(mode: 'refused' | 'unavailable' = 'refused') {
      state = mode === 'refused' ? 'down' : 'unavailable';
      if (mode === 'refused') await stopListening();
    },
    async up() {
      if (!server.listening) await listen(port);
      state = 'up';
    },
    /** A move within the Netherlands (a new address, and the municipality when it changes). */
    applyMove(bsn: string, to: StubAddress) {
      const target = person(bsn);
      target.verblijfplaats = {
        type: 'Adres',
        functieAdres: { code: 'W', omschrijving: 'woonadres' },
        ...(to.addressObjectId && { adresseerbaarObjectIdentificatie: to.addressObjectId }),
        datumVan: apiDateFromIso(today()),
        verblijfadres: {
          officieleStraatnaam: to.street,
          korteStraatnaam: to.street.slice(0, 24),
          huisnummer: to.houseNumber,
          ...(to.postcode && { postcode: to.postcode }),
          woonplaats: to.city,
        },
      };
      if (to.municipality) target.gemeenteVanInschrijving = to.municipality;
      changes.push({ bsn, on: today() });
    },
    applyDeath(bsn: string, date: string) {
      const target = person(bsn);
      target.overlijden = { datum: apiDateFromIso(date) };
      target.opschortingBijhouding = { reden: { code: 'O', omschrijving: 'overlijden' }, datum: apiDateFromIso(date) };
      changes.push({ bsn, on: today() });
    },
    /** A follow indication placed outside SluiS's knowledge (for the clean-up test). */
    follow(bsn: string) {
      following.set(bsn, { begindatum: today() });
    },
    /** The follow indications the stub holds (for assertions). */
    followIndications: () => new Map(following),
    async close() {
      await stopListening();
    },
  };
}

export type BrpStub = Awaited<ReturnType<typeof startBrpStub>>;
