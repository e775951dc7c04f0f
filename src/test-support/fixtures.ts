/**
 * Builders for tests: an app on a test database with a clock the test controls, and quick ways to
 * make an administrator, organisations with a covenant, professionals and API clients, and persons.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { type RegionFederationOptions, recordFederationRegion } from '../federation/region-client.ts';
import type { MailTransport } from '../notifications/mail-transport.ts';
import type { WebhookAddressOptions } from '../notifications/webhook-address-guard.ts';
import { createPersonCrypto, type IdentityKeys } from '../persons/identity-keys.ts';
import type { PopulationRegister } from '../population-register/population-register.ts';
import { buildApp } from '../server/app.ts';
import { createMetrics } from '../server/metrics.ts';
import { createServices, type Services } from '../server/services.ts';
import type { StaffActor } from '../shared/actor.ts';
import { createManualClock, type ManualClock } from '../shared/clock.ts';
import type { FileSignalInput } from '../signals/signal-types.ts';
import { knowPerson, leakGuardActive, observeResponse } from './leak-guard.ts';
import { TEST_WEBHOOK_ADDRESSES } from './webhook-addresses.ts';

export type TestApp = Awaited<ReturnType<typeof createTestApp>>;

export type TestOrganisation = {
  id: string;
  name: string;
  token: string;
  apiClientId: string;
  professionalId: string;
  /** Headers of the record system acting for the organisation's first professional. */
  headers: Record<string, string>;
  covenantId: string;
};

export const TEST_KEYS = { pseudonymKey: Buffer.alloc(32, 7), encryptionKey: Buffer.alloc(32, 9) };

export type TestAppOptions = {
  start?: string;
  /** Requests per minute per API client (and pages per address); unlimited unless given. */
  rateLimitPerMinute?: number;
  /** Failed API authentications per address per minute; unlimited unless given. */
  failedAuthenticationsPerMinute?: number;
  logger?: Parameters<typeof buildApp>[0]['logger'];
  mail?: MailTransport;
  publicUrl?: string;
  signInRateLimitPerMinute?: number;
  webhookAddresses?: WebhookAddressOptions;
  /** The population register filing checks against (see test-support/register.ts); none unless given. */
  register?: PopulationRegister;
  /** The keys (default TEST_KEYS), e.g. with a newer version for a key rotation. */
  keys?: IdentityKeys;
  /** Serve /metrics behind this bearer token (SLUIS_METRICS_TOKEN); no /metrics without it. */
  metricsToken?: string;
  /** The link to a federation hub (src/federation/region-client.ts); the region's row is written too. */
  federation?: RegionFederationOptions;
};

export async function createTestApp(database: Database, options: TestAppOptions = {}) {
  const clock: ManualClock = createManualClock(options.start ?? '2026-03-10T09:00:00Z');
  const services: Services = createServices({
    db: database.db,
    clock,
    engine: database.engine,
    crypto: createPersonCrypto(options.keys ?? TEST_KEYS),
    publicUrl: options.publicUrl ?? 'https://sluis.test',
    ...(options.mail && { mail: options.mail }),
    webhookAddresses: options.webhookAddresses ?? TEST_WEBHOOK_ADDRESSES,
    ...(options.register && { register: options.register }),
    ...(options.federation && { federation: options.federation }),
    apiLimits: {
      perClientPerMinute: options.rateLimitPerMinute ?? 1_000_000,
      failedAuthenticationsPerAddressPerMinute: options.failedAuthenticationsPerMinute ?? 1_000_000,
    },
  });
  if (options.federation) await recordFederationRegion(database.db, options.federation.id);
  const app = await buildApp({
    services,
    rateLimitPerMinute: options.rateLimitPerMinute ?? 1_000_000,
    signInRateLimitPerMinute: options.signInRateLimitPerMinute ?? 1_000_000,
    ...(options.logger && { logger: options.logger }),
    ...(leakGuardActive && { observeResponse }),
    ...(options.metricsToken && {
      metricsToken: options.metricsToken,
      metrics: createMetrics({ db: database.db, clock, poolUse: database.poolUse }),
    }),
  });
  const adminMember = await services.staff.create(
    { kind: 'system', requestId: 'test' },
    { name: 'Test Beheerder', email: `admin-${randomUUID()}@gemeente.example` },
  );
  const admin: StaffActor = { kind: 'staff', staffMemberId: adminMember.id, roles: ['municipality_admin'], apiClientId: null, requestId: 'test' };
  const adminHeaders = { authorization: `Bearer ${adminMember.token}` };

  let counter = 0;
  async function organisation(name = `Organisatie ${++counter} ${randomUUID().slice(0, 6)}`): Promise<TestOrganisation> {
    const organisation = await services.organisations.create(admin, { name, domains: ['social_support'] });
    const covenant = await services.covenants.start(admin, organisation.id, { startsOn: '2020-01-01' });
    const professional = await services.professionals.create(admin, organisation.id, {
      name: `Professional of ${name}`,
      email: `p-${randomUUID()}@example.nl`,
      phone: '010 000 0000',
    });
    const client = await services.apiClients.createForOrganisation(admin, organisation.id, 'record system');
    return {
      id: organisation.id,
      name,
      token: client.token,
      apiClientId: client.id,
      professionalId: professional.id,
      covenantId: covenant.id,
      headers: { authorization: `Bearer ${client.token}`, 'sluis-professional-id': professional.id },
    };
  }

  /** Another professional in the same organisation; headers act for them. */
  async function colleague(of: TestOrganisation) {
    const professional = await services.professionals.create(admin, of.id, { name: 'Collega', email: `c-${randomUUID()}@example.nl`, phone: '010 000 0001' });
    return { professionalId: professional.id, headers: { authorization: `Bearer ${of.token}`, 'sluis-professional-id': professional.id } };
  }

  return {
    app,
    services,
    clock,
    admin,
    adminHeaders,
    organisation,
    colleague,
    close: async () => {
      await app.close();
      services.mail.close();
    },
  };
}

/** A random BSN that passes the 11-test. */
export function randomBsn(): string {
  for (;;) {
    const digits = [...randomBytes(8)].map((b) => b % 10);
    const sum = digits.reduce((total, digit, i) => total + (9 - i) * digit, 0);
    const last = sum % 11;
    if (last <= 9 && digits[0] !== 0) {
      const bsn = digits.join('') + String(last);
      knowPerson({ bsn });
      return bsn;
    }
  }
}

/** A filing body for an adult with consent given on `today`. */
export function adultSignal(bsn = randomBsn(), today = '2026-03-10', overrides: Partial<FileSignalInput> = {}): FileSignalInput {
  return {
    person: {
      bsn,
      name: { givenNames: 'Jan', familyNamePrefix: 'de', familyName: 'Boer' },
      dateOfBirth: '1980-05-17',
      gender: 'male',
      address: { street: 'Coolsingel', houseNumber: '40', postcode: '3011 AD', city: 'Rotterdam' },
    },
    legalBasis: { basis: 'consent', givenBy: 'person', givenOn: today },
    clientReference: 'dossier 1',
    ...overrides,
  };
}

/** A filing body for a child under 12 whose legal representative was informed. */
export function childSignal(bsn = randomBsn(), dateOfBirth = '2018-06-01', informedOn = '2026-03-10'): FileSignalInput {
  return {
    person: { bsn, name: { givenNames: 'Sam', familyName: 'Kok' }, dateOfBirth, gender: 'other' },
    legalBasis: { basis: 'informed', informed: ['legal_representative'], informedOn },
  };
}

/** The number of rows in every table: what a refused request must leave as it was. */
export async function rowCounts(db: Database['db']): Promise<Record<string, number>> {
  const tables = await sql<{ name: string }>`select tablename as name from pg_tables where schemaname = 'public' order by tablename`.execute(db);
  const counts = await sql<{ name: string; rows: number }>`${sql.join(
    tables.rows.map(({ name }) => sql`select ${name}::text as name, count(*)::int as rows from ${sql.table(name)}`),
    sql` union all `,
  )}`.execute(db);
  return Object.fromEntries(counts.rows.map((row) => [row.name, row.rows]));
}

/**
 * Whether `text` shows `value` as a word of its own: not inside a random id, token or number (a
 * UUID or a CSRF token may hold "1980" by chance), so a test that checks a page for a person's
 * details cannot fail on a coincidence.
 */
export function showsWord(text: string, value: string): boolean {
  const escaped = value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`(?<![0-9A-Za-z_-])${escaped}(?![0-9A-Za-z_-])`).test(text);
}
