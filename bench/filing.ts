/**
 * Filing signals through the HTTP API (POST /api/v1/signals) with autocannon's programmatic API.
 *
 * Every request is built by a setupRequest function: a random caller (one of several organisations,
 * each with its own API client and professionals), and a person that is new (a fresh random BSN
 * passing the 11-test) or, for a share of the requests, already in the index (a preloaded "known"
 * person, or one filed earlier in the run), so that filings join or make matches and sometimes
 * return the professional's existing signal (200). Adults come with consent, young children with
 * their legal representative informed. Latencies are autocannon's own per-response times (the
 * 'response' event), kept unrounded; only 2xx responses count as filings.
 */

import { randomInt } from 'node:crypto';
import autocannon from 'autocannon';
import { Bsn } from '../src/persons/bsn.ts';
import type { PersonCrypto } from '../src/persons/identity-keys.ts';
import type { Services } from '../src/server/services.ts';
import type { StaffActor } from '../src/shared/actor.ts';
import { amsterdamDate } from '../src/shared/calendar.ts';
import { randomBsn } from '../src/test-support/fixtures.ts';
import type { KnownPerson, LoadProfessional } from './load.ts';

export type Caller = { organisationId: string; professionalId: string; apiClientId: string; token: string };

/** Organisations with a covenant, professionals and one API client each, made through the services. */
export async function createCallers(services: Services, options: { organisations: number; professionalsPerOrganisation: number }): Promise<Caller[]> {
  const member = await services.staff.create({ kind: 'system', requestId: 'bench' }, { name: 'Benchmark Beheerder', email: 'bench@gemeente.example' });
  const admin: StaffActor = { kind: 'staff', staffMemberId: member.id, roles: ['municipality_admin'], apiClientId: null, requestId: 'bench' };
  const domains = ['social_support', 'mental_health', 'housing', 'education', 'work_and_income', 'welfare', 'youth_care', 'health_care', 'safety'] as const;
  const callers: Caller[] = [];
  for (let o = 0; o < options.organisations; o++) {
    const name = `Benchmark organisatie ${o + 1}`;
    const organisation = await services.organisations.create(admin, { name, domains: [domains[o % domains.length]!] });
    await services.covenants.start(admin, organisation.id, { startsOn: '2020-01-01' });
    const client = await services.apiClients.createForOrganisation(admin, organisation.id, `${name} cliëntregistratie`);
    for (let p = 0; p < options.professionalsPerOrganisation; p++) {
      const professional = await services.professionals.create(admin, organisation.id, {
        name: `Professional ${p + 1} van ${name}`,
        email: `p${p + 1}@org${o + 1}.example`,
        phone: `010 000 ${String(o * 100 + p).padStart(4, '0')}`,
      });
      callers.push({ organisationId: organisation.id, professionalId: professional.id, apiClientId: client.id, token: client.token });
    }
  }
  return callers;
}

export const loadProfessionals = (callers: Caller[]): LoadProfessional[] => callers.map((c) => ({ id: c.professionalId, organisationId: c.organisationId }));

/** Persons whose person key is the real pseudonym of a BSN the load generator knows. */
export function knownPersons(crypto: PersonCrypto, count: number): { bsns: string[]; persons: KnownPerson[] } {
  const bsns = new Set<string>();
  while (bsns.size < count) bsns.add(randomBsn());
  const list = [...bsns];
  return {
    bsns: list,
    persons: list.map((value) => {
      const bsn = Bsn.parse(value)!;
      return { personKey: crypto.personKey(bsn), bsnCiphertext: crypto.encrypt(bsn) };
    }),
  };
}

/** BSNs the run may file on again: the known persons and (a bounded number of) persons filed in the run. */
export class PersonPool {
  readonly #bsns: string[];
  readonly #limit: number;
  #next = 0;
  constructor(initial: string[], limit = 200_000) {
    this.#bsns = [...initial];
    this.#limit = limit;
  }
  get size() {
    return this.#bsns.length;
  }
  add(bsn: string) {
    if (this.#bsns.length < this.#limit) this.#bsns.push(bsn);
    else this.#bsns[this.#next++ % this.#limit] = bsn;
  }
  pick(): string | undefined {
    return this.#bsns.length === 0 ? undefined : this.#bsns[randomInt(this.#bsns.length)];
  }
}

const GIVEN = ['Jan', 'Fatima', 'Sem', 'Noah', 'Emma', 'Mohammed', 'Julia', 'Daan', 'Sara', 'Lucas', 'Yara', 'Milan'];
const FAMILY = ['de Boer', 'Jansen', 'El Idrissi', 'Visser', 'Bakker', 'Yilmaz', 'Smit', 'de Vries', 'Meijer', 'Mulder', 'Kaya', 'Bos'];
const STREETS = ['Coolsingel', 'Zwaanshals', 'Bergweg', 'Beijerlandselaan', 'Nieuwe Binnenweg', 'Groene Hilledijk'];
const DAY = 86_400_000;

function isoDaysAgo(days: number): string {
  return new Date(Date.now() - days * DAY).toISOString().slice(0, 10);
}

/** A filing body: three in four adults (25-85) with consent, the rest children (3-10) whose legal representative was informed. */
export function filingBody(bsn: string, recordDate: string): string {
  const family = FAMILY[randomInt(FAMILY.length)]!;
  const [prefix, familyName] = family.startsWith('de ') ? ['de', family.slice(3)] : [undefined, family];
  const adult = randomInt(4) > 0;
  const dateOfBirth = adult ? isoDaysAgo(randomInt(25 * 366, 85 * 365)) : isoDaysAgo(randomInt(3 * 366, 10 * 365));
  const person = {
    bsn,
    name: { givenNames: GIVEN[randomInt(GIVEN.length)]!, ...(prefix && { familyNamePrefix: prefix }), familyName },
    dateOfBirth,
    gender: (['male', 'female', 'other', 'unknown'] as const)[randomInt(4)],
    address: {
      street: STREETS[randomInt(STREETS.length)]!,
      houseNumber: String(randomInt(1, 400)),
      postcode: `30${randomInt(11, 99)} ${'ABCDEFGH'[randomInt(8)]}${'KLMNPRST'[randomInt(8)]}`,
      city: 'Rotterdam',
    },
  };
  const legalBasis = adult
    ? { basis: 'consent', givenBy: 'person', givenOn: recordDate }
    : { basis: 'informed', informed: ['legal_representative'], informedOn: recordDate };
  return JSON.stringify({ person, legalBasis, clientReference: `dossier ${randomInt(1_000_000)}` });
}

export type FilingOptions = {
  url: string;
  connections: number;
  seconds: number;
  callers: Caller[];
  pool: PersonPool;
  /** Share of requests on a person already present (when the pool has any). */
  existingShare: number;
  /** Builds every body instead (the pool and the share are then not used): the register benchmark's test persons. */
  makeBody?: (recordDate: string) => string;
  title?: string;
  /** Called every second with the seconds elapsed and the responses in the last second. */
  onTick?: (second: number, perSecond: number) => void;
};

export type FilingResult = {
  seconds: number;
  requests: number;
  ok: number;
  created: number;
  existing: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  statusCodes: Record<string, number>;
  errorSamples: string[];
  onExisting: number;
  throughput: number;
  /** Responses per second, lowest and highest whole second of the run. */
  perSecond: { min: number; max: number };
  latency: { mean: number; p50: number; p90: number; p99: number; max: number };
  autocannonLatency: { p50: number; p99: number };
};

export async function runFiling(options: FilingOptions): Promise<FilingResult> {
  const { callers, pool } = options;
  // The consent or informing date: yesterday, so it is never after the server's signal date.
  const recordDate = amsterdamDate(new Date(Date.now() - DAY));
  let onExisting = 0;
  const errorSamples: string[] = [];
  const instance = autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.seconds,
    timeout: 30,
    title: options.title ?? 'filing',
    requests: [
      {
        method: 'POST',
        path: '/api/v1/signals',
        setupRequest: (request) => {
          const caller = callers[randomInt(callers.length)]!;
          const headers = { 'content-type': 'application/json', authorization: `Bearer ${caller.token}`, 'sluis-professional-id': caller.professionalId };
          if (options.makeBody) return { ...request, headers, body: options.makeBody(recordDate) };
          let bsn = Math.random() < options.existingShare ? pool.pick() : undefined;
          if (bsn) onExisting++;
          else {
            bsn = randomBsn();
            pool.add(bsn);
          }
          return { ...request, headers, body: filingBody(bsn, recordDate) };
        },
        onResponse: (status, body) => {
          if ((status < 200 || status > 299) && errorSamples.length < 5) errorSamples.push(`${status} ${body.slice(0, 300)}`);
        },
      },
    ],
  });

  let latencies = new Float64Array(1 << 16);
  let count = 0;
  instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 200 || statusCode > 299) return;
    if (count === latencies.length) {
      const bigger = new Float64Array(latencies.length * 2);
      bigger.set(latencies);
      latencies = bigger;
    }
    latencies[count++] = responseTime;
  });
  const ticks: number[] = [];
  instance.on('tick', ({ counter }: { counter: number }) => {
    ticks.push(counter);
    options.onTick?.(ticks.length, counter);
  });
  const result = await instance;

  const sorted = latencies.subarray(0, count).sort();
  const at = (q: number) => (count === 0 ? NaN : sorted[Math.min(count - 1, Math.ceil(q * count) - 1)]!);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, { count: n }]) => [code, Number(n)]));
  const ok = result['2xx'];
  return {
    seconds: result.duration,
    requests: ok + result.non2xx,
    ok,
    created: statusCodes['201'] ?? 0,
    existing: statusCodes['200'] ?? 0,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    statusCodes,
    errorSamples,
    onExisting,
    throughput: ok / result.duration,
    perSecond: (() => {
      const whole = ticks.length > 2 ? ticks.slice(0, -1) : ticks; // the last tick is a part of a second
      return { min: Math.min(...whole), max: Math.max(...whole) };
    })(),
    latency: {
      mean: count === 0 ? NaN : sorted.reduce((a, b) => a + b, 0) / count,
      p50: at(0.5),
      p90: at(0.9),
      p99: at(0.99),
      max: count === 0 ? NaN : sorted[count - 1]!,
    },
    autocannonLatency: { p50: result.latency.p50, p99: result.latency.p99 },
  };
}
