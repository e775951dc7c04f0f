/**
 * The population register through the RvIG's Haal Centraal BRP Personen API 2.x
 * (rvig/brp-personen-openapi.yaml) and, where the municipality offers it, the BRP Update API
 * (rvig/brp-update-api-openapi.yaml).
 *
 * - One call asks for at most 20 persons (`RaadpleegMetBurgerservicenummer`), with the minimal
 *   `fields` list below; a few calls run side by side. Deceased persons always come back from this
 *   operation (the API accepts no `inclusiefOverledenPersonen` on it: an unspecified parameter is a 400).
 * - Authentication by API key (`X-API-KEY`, the RvIG test environment) or OAuth 2.0 client
 *   credentials (the token cached until shortly before it expires), optionally over mutual TLS.
 *   TLS is required unless the register runs on this machine (loopback).
 * - A call that fails on the network, times out, or gets 429 or 5xx is retried with backoff; after the
 *   last retry `RegisterUnavailable`. A 400, 401 or 403 means SluiS is configured wrongly (or asks what
 *   it may not): a plain Error that quotes the register's problem title, status and code.
 * - Nothing here logs, and no error message holds a BSN, a URL path (the Update API puts the BSN in
 *   its path) or an answer body.
 */
import { Agent, fetch, type Response } from 'undici';
import { type Bsn, Bsn as BsnValue } from '../persons/bsn.ts';
import { amsterdamDate, type IsoDate } from '../shared/calendar.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { type PopulationRegister, type RegisteredAddress, type RegisteredPerson, RegisterUnavailable, type Suspension } from './population-register.ts';

export type HaalCentraalAuthentication =
  | { type: 'api-key'; apiKey: string }
  | { type: 'oauth'; tokenUrl: string; clientId: string; clientSecret: string; scope?: string };

export type HaalCentraalOptions = {
  /** Base URL of the BRP Personen API; SluiS posts to `{url}/personen`. */
  url: string;
  /** Base URL of the BRP Update API (`{updateUrl}/volgindicaties`, `{updateUrl}/wijzigingen`); absent: no `changes`. */
  updateUrl?: string;
  authentication: HaalCentraalAuthentication;
  /** PEM texts: a client certificate and key for mutual TLS, and a CA to trust besides the system's. */
  tls?: { cert?: string; key?: string; ca?: string };
  /** Per call, including reading the answer. */
  timeoutMs: number;
  /** Retries after the first attempt, on network errors, timeouts, 429 and 5xx. */
  retries: number;
  /** Calls to the register at the same time for one lookup (default 4). */
  concurrency?: number;
  /** First backoff in ms, doubled each retry (default 200). */
  retryDelayMs?: number;
  clock?: Clock;
};

export type HaalCentraalRegister = PopulationRegister & {
  readonly kind: 'haal-centraal';
  /** Closes the connections to the register. */
  close(): Promise<void>;
};

/** The most persons one `RaadpleegMetBurgerservicenummer` call may ask for (the API's maxItems). */
export const BSNS_PER_CALL = 20;

/**
 * What SluiS asks of each person (data minimisation; docs/population-register.md says why each is
 * needed). `geheimhoudingPersoonsgegevens` and `opschortingBijhouding` come back without being asked:
 * asking for them is a 400.
 */
export const PERSON_FIELDS = [
  'burgerservicenummer',
  'naam.voornamen',
  'naam.voorvoegsel',
  'naam.geslachtsnaam',
  'geboorte.datum',
  'geslacht',
  'ouders.burgerservicenummer',
  'verblijfplaats.adresseerbaarObjectIdentificatie',
  'verblijfplaats.functieAdres',
  'verblijfplaats.verblijfadres.korteStraatnaam',
  'verblijfplaats.verblijfadres.huisnummer',
  'verblijfplaats.verblijfadres.huisletter',
  'verblijfplaats.verblijfadres.huisnummertoevoeging',
  'verblijfplaats.verblijfadres.postcode',
  'verblijfplaats.verblijfadres.woonplaats',
  'overlijden.datum',
  'gemeenteVanInschrijving',
] as const;

const TOKEN_EARLY_RENEWAL_MS = 60_000;
const MAX_RETRY_AFTER_MS = 10_000;

export function createHaalCentraalRegister(options: HaalCentraalOptions): HaalCentraalRegister {
  const personenUrl = `${requireSecureUrl(options.url, 'the BRP API URL')}/personen`;
  const updateUrl = options.updateUrl === undefined ? undefined : requireSecureUrl(options.updateUrl, 'the BRP Update API URL');
  if (options.authentication.type === 'oauth') requireSecureUrl(options.authentication.tokenUrl, 'the OAuth token URL');
  const clock = options.clock ?? systemClock;
  const concurrency = Math.max(1, options.concurrency ?? 4);
  const dispatcher = new Agent({ connect: { ...options.tls } });
  const http = createHttp(options, dispatcher);

  async function lookupBatch(batch: Bsn[]): Promise<RegisteredPerson[]> {
    const body = { type: 'RaadpleegMetBurgerservicenummer', burgerservicenummer: batch.map((bsn) => bsn.reveal()), fields: PERSON_FIELDS };
    const answer = (await http.call('POST', personenUrl, body, 'the person lookup')) as { personen?: unknown };
    const requested = new Map(batch.map((bsn) => [bsn.reveal(), bsn]));
    const persons = Array.isArray(answer?.personen) ? (answer.personen as ApiPerson[]) : [];
    return persons.flatMap((person) => {
      const bsn = requested.get(person.burgerservicenummer ?? '');
      return bsn ? [toRegisteredPerson(bsn, person)] : [];
    });
  }

  const register: HaalCentraalRegister = {
    kind: 'haal-centraal',
    async lookup(bsns) {
      const unique = [...new Map(bsns.map((bsn) => [bsn.reveal(), bsn])).values()];
      const batches: Bsn[][] = [];
      for (let i = 0; i < unique.length; i += BSNS_PER_CALL) batches.push(unique.slice(i, i + BSNS_PER_CALL));
      return (await mapWithConcurrency(batches, concurrency, lookupBatch)).flat();
    },
    close: () => dispatcher.close(),
  };
  if (updateUrl === undefined) return register;
  return {
    ...register,
    changes: {
      async follow(bsn) {
        // An empty body: follow from today, without an end date (the spec's way to clear one too).
        await http.call('PUT', `${updateUrl}/volgindicaties/${bsn.reveal()}`, {}, 'placing a follow indication');
      },
      async unfollow(bsn) {
        // The Update API ends a follow indication by an end date of today.
        await http.call('PUT', `${updateUrl}/volgindicaties/${bsn.reveal()}`, { einddatum: amsterdamDate(clock.now()) }, 'ending a follow indication');
      },
      async since(since) {
        const answer = (await http.call('GET', `${updateUrl}/wijzigingen?vanaf=${encodeURIComponent(since)}`, undefined, 'reading changes')) as {
          burgerservicenummers?: unknown;
        };
        const numbers = Array.isArray(answer?.burgerservicenummers) ? answer.burgerservicenummers : [];
        return numbers.flatMap((value) => {
          const bsn = typeof value === 'string' ? BsnValue.parse(value) : undefined;
          return bsn ? [bsn] : [];
        });
      },
      async followed() {
        const answer = (await http.call('GET', `${updateUrl}/volgindicaties`, undefined, 'reading follow indications')) as { volgindicaties?: unknown };
        const indications = Array.isArray(answer?.volgindicaties) ? (answer.volgindicaties as { burgerservicenummer?: unknown }[]) : [];
        return indications.flatMap((indication) => {
          const bsn = typeof indication?.burgerservicenummer === 'string' ? BsnValue.parse(indication.burgerservicenummer) : undefined;
          return bsn ? [bsn] : [];
        });
      },
    },
  };
}

// --- HTTP: authentication, timeout, retries ------------------------------------------------------

type Http = { call(method: 'GET' | 'POST' | 'PUT', url: string, body: unknown, what: string): Promise<unknown> };

function createHttp(options: HaalCentraalOptions, dispatcher: Agent): Http {
  const origin = new URL(options.url).origin;
  const retryDelayMs = options.retryDelayMs ?? 200;
  const tokens = options.authentication.type === 'oauth' ? createTokenCache(options.authentication, options, dispatcher) : undefined;

  async function authorisation(): Promise<Record<string, string>> {
    if (options.authentication.type === 'api-key') return { 'X-API-KEY': options.authentication.apiKey };
    return { Authorization: `Bearer ${await tokens!.get()}` };
  }

  return {
    async call(method, url, body, what) {
      let renewedToken = false;
      for (let attempt = 0; ; attempt++) {
        const outcome = await attemptOnce(method, url, body, await authorisation(), options.timeoutMs, dispatcher);
        if (outcome.kind === 'answer') return outcome.json;
        if (outcome.kind === 'refused') {
          // A token the register no longer accepts (revoked, clock skew): fetch a fresh one, once.
          if (outcome.status === 401 && tokens && !renewedToken) {
            renewedToken = true;
            tokens.forget();
            attempt--;
            continue;
          }
          throw new Error(`The population register (Haal Centraal, ${origin}) refused ${what}: ${outcome.problem}. ${adviceFor(outcome.status)}`);
        }
        if (attempt >= options.retries) {
          throw new RegisterUnavailable(
            `The population register (Haal Centraal, ${origin}) did not answer ${what} after ${attempt + 1} attempt(s): ${outcome.reason}`,
          );
        }
        await sleep(outcome.retryAfterMs ?? retryDelayMs * 2 ** attempt * (0.75 + Math.random() / 2));
      }
    },
  };
}

type Outcome =
  | { kind: 'answer'; json: unknown }
  | { kind: 'refused'; status: number; problem: string }
  | { kind: 'unavailable'; reason: string; retryAfterMs?: number };

async function attemptOnce(
  method: string,
  url: string,
  body: unknown,
  headers: Record<string, string>,
  timeoutMs: number,
  dispatcher: Agent,
): Promise<Outcome> {
  try {
    const response = await fetch(url, {
      method,
      dispatcher,
      signal: AbortSignal.timeout(timeoutMs),
      headers: {
        Accept: 'application/json, application/hal+json, application/problem+json',
        ...(body !== undefined && { 'Content-Type': 'application/json; charset=utf-8' }),
        ...headers,
      },
      ...(body !== undefined && { body: JSON.stringify(body) }),
    });
    if (response.ok) return { kind: 'answer', json: await readJson(response) };
    if (response.status === 429 || response.status >= 500) {
      await response.body?.cancel();
      return { kind: 'unavailable', reason: `HTTP ${response.status}`, ...retryAfter(response) };
    }
    return { kind: 'refused', status: response.status, problem: await describeProblem(response) };
  } catch (error) {
    return { kind: 'unavailable', reason: describeFailure(error, timeoutMs) };
  }
}

async function readJson(response: Response): Promise<unknown> {
  const text = await response.text();
  if (text === '') return {};
  try {
    return JSON.parse(text);
  } catch {
    throw new SyntaxError('the answer is not JSON'); // no body in the message: it may hold personal data
  }
}

/** The register's problem JSON in a few safe words: title, status and code; never the detail or the body. */
async function describeProblem(response: Response): Promise<string> {
  let problem: { title?: unknown; code?: unknown } = {};
  try {
    problem = (await response.json()) as typeof problem;
  } catch {
    // not problem JSON: the status says enough
  }
  const safe = (value: unknown) => (typeof value === 'string' ? withoutNumbers(value).slice(0, 120) : undefined);
  const title = safe(problem?.title);
  const code = safe(problem?.code);
  return [`HTTP ${response.status}`, title && `"${title}"`, code && `(code ${code})`].filter(Boolean).join(' ');
}

/** A register could quote a parameter back; a run of 9 digits might be a BSN. */
function withoutNumbers(text: string): string {
  return text.replace(/\d{6,}/g, '[number]');
}

function adviceFor(status: number): string {
  if (status === 401) return 'Check the API key or the OAuth client credentials (SLUIS_BRP_API_KEY, SLUIS_BRP_OAUTH_*).';
  if (status === 403)
    return 'The credentials are not authorised for this request: ask the RvIG or the gateway which fields and operations the authorisation covers.';
  return 'SluiS sent a request the register does not accept: check SLUIS_BRP_URL and the API version (BRP API Personen 2.x).';
}

function retryAfter(response: Response): { retryAfterMs?: number } {
  const header = response.headers.get('retry-after');
  if (header === null || !/^\d+$/.test(header.trim())) return {};
  return { retryAfterMs: Math.min(Number(header) * 1000, MAX_RETRY_AFTER_MS) };
}

/** Why a call failed, from the error's name and code only (a message may quote the URL). */
function describeFailure(error: unknown, timeoutMs: number): string {
  if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) return `no answer within ${timeoutMs} ms`;
  if (error instanceof SyntaxError) return error.message;
  const code = findCode(error);
  return code ? `the connection failed (${code})` : 'the connection failed';
}

function findCode(error: unknown): string | undefined {
  for (let current = error, depth = 0; current instanceof Error && depth < 4; current = current.cause, depth++) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)) return code;
  }
  return undefined;
}

/** The token endpoint refused SluiS's credentials: configuration, not unavailability, so no retry. */
class TokenRefused extends Error {}

function createTokenCache(oauth: Extract<HaalCentraalAuthentication, { type: 'oauth' }>, options: HaalCentraalOptions, dispatcher: Agent) {
  const clock = options.clock ?? systemClock;
  let cached: { token: string; renewAt: number } | undefined;
  let pending: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    const credentials = Buffer.from(`${encodeURIComponent(oauth.clientId)}:${encodeURIComponent(oauth.clientSecret)}`).toString('base64');
    const form = new URLSearchParams({ grant_type: 'client_credentials', ...(oauth.scope && { scope: oauth.scope }) });
    const origin = new URL(oauth.tokenUrl).origin;
    for (let attempt = 0; ; attempt++) {
      let reason: string;
      try {
        const response = await fetch(oauth.tokenUrl, {
          method: 'POST',
          dispatcher,
          signal: AbortSignal.timeout(options.timeoutMs),
          headers: { Authorization: `Basic ${credentials}`, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
          body: form.toString(),
        });
        if (response.ok) {
          const answer = (await response.json()) as { access_token?: unknown; expires_in?: unknown };
          if (typeof answer.access_token !== 'string' || answer.access_token === '')
            throw new Error(`The OAuth token endpoint (${origin}) answered without an access_token`);
          const lifetimeMs = typeof answer.expires_in === 'number' && answer.expires_in > 0 ? answer.expires_in * 1000 : 300_000;
          cached = { token: answer.access_token, renewAt: clock.now().getTime() + Math.max(lifetimeMs - TOKEN_EARLY_RENEWAL_MS, lifetimeMs / 2) };
          return answer.access_token;
        }
        if (response.status !== 429 && response.status < 500) {
          const refusal = (await response.json().catch(() => ({}))) as { error?: unknown };
          const error = typeof refusal.error === 'string' && /^[a-z_]{1,40}$/.test(refusal.error) ? ` (${refusal.error})` : '';
          throw new TokenRefused(
            `The OAuth token endpoint (${origin}) refused the client credentials: HTTP ${response.status}${error}. Check SLUIS_BRP_OAUTH_CLIENT_ID, SLUIS_BRP_OAUTH_CLIENT_SECRET and SLUIS_BRP_OAUTH_SCOPE.`,
          );
        }
        await response.body?.cancel();
        reason = `HTTP ${response.status}`;
      } catch (error) {
        if (error instanceof TokenRefused) throw error;
        reason = describeFailure(error, options.timeoutMs);
      }
      if (attempt >= options.retries)
        throw new RegisterUnavailable(`The OAuth token endpoint (${origin}) did not answer after ${attempt + 1} attempt(s): ${reason}`);
      await sleep((options.retryDelayMs ?? 200) * 2 ** attempt);
    }
  }

  return {
    async get(): Promise<string> {
      if (cached && clock.now().getTime() < cached.renewAt) return cached.token;
      pending ??= fetchToken().finally(() => {
        pending = undefined;
      });
      return pending;
    },
    forget() {
      cached = undefined;
    },
  };
}

// --- The answer, as SluiS sees it ---------------------------------------------------------------

type Waardetabel = { code?: string; omschrijving?: string };
type ApiDate = { type?: string; datum?: string };
type ApiPerson = {
  burgerservicenummer?: string;
  naam?: { voornamen?: string; voorvoegsel?: string; geslachtsnaam?: string };
  geboorte?: { datum?: ApiDate };
  geslacht?: Waardetabel;
  ouders?: { burgerservicenummer?: string }[];
  verblijfplaats?: {
    type?: string;
    adresseerbaarObjectIdentificatie?: string;
    functieAdres?: Waardetabel;
    verblijfadres?: {
      korteStraatnaam?: string;
      huisnummer?: number;
      huisletter?: string;
      huisnummertoevoeging?: string;
      postcode?: string;
      woonplaats?: string;
    };
  };
  overlijden?: { datum?: ApiDate };
  gemeenteVanInschrijving?: Waardetabel;
  opschortingBijhouding?: { reden?: Waardetabel; datum?: ApiDate };
  geheimhoudingPersoonsgegevens?: boolean | number | string;
};

const SUSPENSIONS: Record<string, Suspension> = { O: 'deceased', E: 'emigrated', M: 'ministerial_decree' };

function toRegisteredPerson(bsn: Bsn, person: ApiPerson): RegisteredPerson {
  const naam = person.naam ?? {};
  const parents = (person.ouders ?? []).flatMap((ouder) => {
    const parent = ouder.burgerservicenummer ? BsnValue.parse(ouder.burgerservicenummer) : undefined;
    return parent ? [parent] : [];
  });
  const address = toAddress(person.verblijfplaats);
  const deceasedOn = fullDate(person.overlijden?.datum);
  const municipalityCode = person.gemeenteVanInschrijving?.code;
  const dateOfBirth = fullDate(person.geboorte?.datum);
  const suspension = person.opschortingBijhouding?.reden?.code;
  const suspendedSince = fullDate(person.opschortingBijhouding?.datum);
  return {
    bsn,
    name: {
      givenNames: naam.voornamen ?? '',
      ...(naam.voorvoegsel && { familyNamePrefix: naam.voorvoegsel }),
      familyName: naam.geslachtsnaam ?? '',
    },
    ...(dateOfBirth && { dateOfBirth }),
    gender: person.geslacht?.code === 'M' ? 'male' : person.geslacht?.code === 'V' ? 'female' : 'unknown',
    parents,
    ...(address && { address }),
    ...(municipalityCode && /^\d{4}$/.test(municipalityCode) && { municipalityCode }),
    ...(deceasedOn && { deceasedOn }),
    ...(suspension && { suspension: { reason: SUSPENSIONS[suspension] ?? 'other', ...(suspendedSince && { since: suspendedSince }) } }),
    confidential: isConfidential(person.geheimhoudingPersoonsgegevens),
  };
}

/** The API gives a boolean; the GBA source an indication 1-7. Either way, anything but "none" is confidential. */
function isConfidential(value: ApiPerson['geheimhoudingPersoonsgegevens']): boolean {
  if (typeof value === 'boolean') return value;
  return value !== undefined && Number(value) > 0;
}

/** A full date (`type: Datum`); a partial or unknown date (JaarDatum, JaarMaandDatum, DatumOnbekend) is undefined. */
function fullDate(date: ApiDate | undefined): IsoDate | undefined {
  return date?.type === 'Datum' && typeof date.datum === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(date.datum) ? date.datum : undefined;
}

/** A residence in the Netherlands (`Adres`, or `Locatie` such as a houseboat); abroad or unknown is no address. */
function toAddress(place: ApiPerson['verblijfplaats']): RegisteredAddress | undefined {
  if (!place || (place.type !== 'Adres' && place.type !== 'Locatie')) return undefined;
  const lines = place.verblijfadres ?? {};
  const addition = [lines.huisletter, lines.huisnummertoevoeging].filter(Boolean).join(' ');
  const objectId = place.adresseerbaarObjectIdentificatie;
  return {
    ...(objectId && /^\d{16}$/.test(objectId) && !/^0+$/.test(objectId) && { addressObjectId: objectId }),
    function: place.functieAdres?.code === 'B' ? 'postal' : 'home',
    ...(lines.korteStraatnaam && { street: lines.korteStraatnaam }),
    ...(lines.huisnummer !== undefined && { houseNumber: String(lines.huisnummer) }),
    ...(addition && { houseNumberAddition: addition }),
    ...(lines.postcode && { postcode: lines.postcode }),
    ...(lines.woonplaats && { city: lines.woonplaats }),
  };
}

// --- Small helpers -------------------------------------------------------------------------------

const LOOPBACK_HOSTS = new Set(['localhost', '[::1]']);

/** The URL without a trailing slash; refuses plain http except to this machine (loopback). */
export function requireSecureUrl(value: string, what: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} is not a URL`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'https:' || (url.protocol === 'http:' && loopback)) return url.href.replace(/\/+$/, '');
  if (url.protocol === 'http:') {
    throw new Error(`${what} must use https:// (TLS); plain http:// is allowed only to this machine (localhost, 127.0.0.1, ::1), not to ${url.hostname}`);
  }
  throw new Error(`${what} must be an https:// URL`);
}

async function mapWithConcurrency<T, R>(items: T[], limit: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
