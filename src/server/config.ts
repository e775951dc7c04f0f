/**
 * One typed configuration, read from the environment (and an optional `.env`) and validated once.
 * A wrong value stops the process with a message that names the variable. Documented in
 * docs/configuration.md; keep the two in step.
 */
import { createPrivateKey } from 'node:crypto';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseNetwork } from '../notifications/webhook-address.ts';
import { parseKeyList } from '../persons/identity-keys.ts';
import { HaalCentraalConfigError, readHaalCentraalConfig } from '../population-register/haal-centraal-config.ts';
import type { HaalCentraalOptions } from '../population-register/haal-centraal-register.ts';
import { isEmailAddress } from '../shared/email.ts';

export type Config = {
  /** PostgreSQL connection string; when absent SluiS runs on embedded PGlite in `dataDir`. */
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Base64 keys; undefined in embedded mode means "generate into dataDir on first start". */
  pseudonymKey: string | undefined;
  bsnEncryptionKey: string | undefined;
  /** Key versions as `2:base64,1:base64` (docs/operations.md, "Key rotation"); the single keys above are version 1. */
  pseudonymKeys: string | undefined;
  bsnEncryptionKeys: string | undefined;
  dbPoolSize: number;
  /** PostgreSQL: how long opening a connection (or waiting for a free one) may take. */
  dbConnectTimeoutSeconds: number;
  /** PostgreSQL: statement_timeout of SluiS's connections; 0: none. */
  dbStatementTimeoutSeconds: number;
  bodyLimitBytes: number;
  rateLimitPerMinute: number;
  failedAuthenticationsPerMinute: number;
  /** info.contact of the OpenAPI document: who answers questions about this deployment's API. */
  apiContact: { name: string; email: string; url: string };
  jobsEnabled: boolean;
  jobsIntervalSeconds: number;
  trustProxy: boolean;
  /** smtp:// or smtps:// URL of the mail server; undefined: mails go to the development mailbox. */
  smtpUrl: string | undefined;
  mailFrom: string;
  smtpRejectUnauthorized: boolean;
  workerEnabled: boolean;
  workerPollMs: number;
  /** The bearer token /metrics asks for; undefined: no /metrics. */
  metricsToken: string | undefined;
  /** How long a SIGTERM waits for requests and the delivery in progress before the process exits anyway. */
  shutdownTimeoutSeconds: number;
  /** Networks (CIDR) webhooks may reach besides public addresses; plain http is allowed only to these. Default: none. */
  webhookAllowedNetworks: string[];
  /**
   * The population register (BRP): none (matching on the BSN only), the embedded register (the RvIG's
   * test persons, or `registerFile` in the same GBA shape), or Haal Centraal BRP Personen.
   */
  register: 'none' | 'embedded' | 'haal-centraal';
  /** The embedded register's file (GBA shape, as src/population-register/rvig/test-data.json); undefined: the bundled test persons. */
  registerFile: string | undefined;
  /** The Haal Centraal BRP API's address, authentication, timeouts (SLUIS_BRP_*), read only with register haal-centraal. */
  haalCentraal: HaalCentraalOptions | undefined;
  /** The link to the national hub (docs/federation.md); undefined: this region is not federated (the default). */
  federation: RegionFederationConfig | undefined;
};

/** A region's federation settings (SLUIS_FEDERATION_*): all four required ones, or none. */
export type RegionFederationConfig = {
  /** This region's party id, as the hub and the pseudonymisation service registered it. */
  id: string;
  hubUrl: string;
  pseudonymiserUrl: string;
  /** The party ids requests are signed for. */
  hubId: string;
  pseudonymiserId: string;
  /** This region's Ed25519 signing key (base64 PKCS#8 DER) and its key id. */
  signingKey: string;
  signingKeyId: string;
  /** How often the hub's events are fetched. */
  pollSeconds: number;
};

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = readEnv()): Config {
  const errors: string[] = [];
  const read = <T>(name: string, fallback: T, parse: (raw: string) => T | undefined, expected: string): T => {
    const raw = env[name];
    if (raw === undefined || raw === '') return fallback;
    const value = parse(raw.trim());
    if (value === undefined) {
      errors.push(`${name}=${JSON.stringify(raw)} is not valid: expected ${expected}`);
      return fallback;
    }
    return value;
  };

  const port = read('PORT', 8080, intIn(1, 65535), 'a port number 1-65535');
  const host = read('HOST', '127.0.0.1', (s) => s, 'a host name or address');
  const databaseUrl = read<string | undefined>('DATABASE_URL', undefined, (s) => (/^postgres(ql)?:\/\//.test(s) ? s : undefined), 'a postgres:// URL');
  const settings: Omit<Config, 'apiContact' | 'haalCentraal' | 'federation'> = {
    databaseUrl,
    dataDir: path.resolve(read('SLUIS_DATA_DIR', './data', (s) => s, 'a directory')),
    host,
    port,
    publicUrl: read('SLUIS_PUBLIC_URL', `http://localhost:${port}`, (s) => (isHttpUrl(s) ? s.replace(/\/+$/, '') : undefined), 'an http(s) URL'),
    // On the embedded database (a laptop, a trial) the request log would push the set-up code off the
    // screen, so only warnings and errors show unless asked; on a PostgreSQL server, requests too.
    logLevel: read(
      'SLUIS_LOG_LEVEL',
      databaseUrl ? 'info' : 'warn',
      oneOf(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const),
      'one of fatal, error, warn, info, debug, trace, silent',
    ),
    pseudonymKey: read<string | undefined>('SLUIS_PSEUDONYM_KEY', undefined, base64Key, 'base64 of at least 32 random bytes'),
    bsnEncryptionKey: read<string | undefined>('SLUIS_BSN_ENCRYPTION_KEY', undefined, base64Key32, 'base64 of exactly 32 random bytes'),
    pseudonymKeys: read<string | undefined>(
      'SLUIS_PSEUDONYM_KEYS',
      undefined,
      keyList(false),
      'version:base64 pairs separated by commas (2:…,1:…), each key at least 32 random bytes',
    ),
    bsnEncryptionKeys: read<string | undefined>(
      'SLUIS_BSN_ENCRYPTION_KEYS',
      undefined,
      keyList(true),
      'version:base64 pairs separated by commas (2:…,1:…), each key exactly 32 random bytes',
    ),
    dbPoolSize: read('SLUIS_DB_POOL_SIZE', 16, intIn(1, 200), 'an integer 1-200'),
    dbConnectTimeoutSeconds: read('SLUIS_DB_CONNECT_TIMEOUT_SECONDS', 5, intIn(1, 300), 'an integer 1-300'),
    dbStatementTimeoutSeconds: read('SLUIS_DB_STATEMENT_TIMEOUT_SECONDS', 60, intIn(0, 86_400), 'an integer 0-86400 (0: no timeout)'),
    bodyLimitBytes: read('SLUIS_BODY_LIMIT_BYTES', 32 * 1024, intIn(1024, 10 * 1024 * 1024), 'an integer 1024-10485760'),
    rateLimitPerMinute: read('SLUIS_RATE_LIMIT_PER_MINUTE', 600, intIn(1, 10_000_000), 'a positive integer'),
    failedAuthenticationsPerMinute: read('SLUIS_AUTH_FAILURES_PER_MINUTE', 30, intIn(1, 10_000_000), 'a positive integer'),
    jobsEnabled: read('SLUIS_JOBS_ENABLED', true, bool, 'true or false'),
    jobsIntervalSeconds: read('SLUIS_JOBS_INTERVAL_SECONDS', 60, intIn(1, 86_400), 'an integer 1-86400'),
    trustProxy: read('SLUIS_TRUST_PROXY', false, bool, 'true or false'),
    smtpUrl: read<string | undefined>(
      'SMTP_URL',
      undefined,
      (s) => (/^smtps?:\/\/[^/]/.test(s) ? s : undefined),
      'an smtp:// or smtps:// URL, e.g. smtp://user:pass@mail.example.nl:587',
    ),
    mailFrom: read('SLUIS_MAIL_FROM', 'SluiS <noreply@localhost>', (s) => (/@/.test(s) ? s : undefined), 'a sender address, e.g. "SluiS <sluis@gemeente.nl>"'),
    smtpRejectUnauthorized: read('SMTP_TLS_REJECT_UNAUTHORIZED', true, bool, 'true or false'),
    workerEnabled: read('SLUIS_WORKER_ENABLED', true, bool, 'true or false'),
    workerPollMs: read('SLUIS_WORKER_POLL_MS', 500, intIn(50, 60_000), 'an integer 50-60000'),
    metricsToken: read<string | undefined>(
      'SLUIS_METRICS_TOKEN',
      undefined,
      (s) => (/^[\x21-\x7e]{32,}$/.test(s) ? s : undefined),
      'at least 32 printable characters without spaces (e.g. `openssl rand -hex 32`)',
    ),
    shutdownTimeoutSeconds: read('SLUIS_SHUTDOWN_TIMEOUT_SECONDS', 30, intIn(1, 3_600), 'an integer 1-3600'),
    webhookAllowedNetworks: read(
      'SLUIS_WEBHOOK_ALLOWED_NETWORKS',
      [],
      networkList,
      'networks in CIDR notation separated by commas, e.g. 127.0.0.0/8,::1/128 or 10.20.0.0/16',
    ),
    register: read('SLUIS_REGISTER', 'none', oneOf(['none', 'embedded', 'haal-centraal'] as const), 'one of none, embedded, haal-centraal'),
    registerFile: read<string | undefined>('SLUIS_REGISTER_FILE', undefined, (s) => (existsSync(s) ? path.resolve(s) : undefined), 'an existing file'),
  };
  const mailAddress = /<([^>]+)>/.exec(settings.mailFrom)?.[1] ?? settings.mailFrom;
  let haalCentraal: HaalCentraalOptions | undefined;
  if (settings.register === 'haal-centraal') {
    try {
      haalCentraal = readHaalCentraalConfig(env);
    } catch (error) {
      if (!(error instanceof HaalCentraalConfigError)) throw error;
      errors.push(...error.message.split('\n  - ').slice(1));
    }
  } else {
    const stray = Object.keys(env).filter((name) => name.startsWith('SLUIS_BRP_') && env[name]?.trim());
    if (stray.length > 0) errors.push(`${stray.sort().join(', ')} ${stray.length === 1 ? 'is' : 'are'} read only with SLUIS_REGISTER=haal-centraal`);
  }
  const config: Config = {
    ...settings,
    haalCentraal,
    federation: readFederation(env, read, errors),
    apiContact: {
      name: read('SLUIS_API_CONTACT_NAME', 'SluiS', (s) => (s.trim() && s.length <= 200 ? s.trim() : undefined), 'a name, at most 200 characters'),
      email: read('SLUIS_API_CONTACT_EMAIL', mailAddress, (s) => (isEmailAddress(s) ? s : undefined), 'an e-mail address'),
      url: read('SLUIS_API_CONTACT_URL', settings.publicUrl, (s) => (isHttpUrl(s) ? s : undefined), 'an http(s) URL'),
    },
  };
  if (config.databaseUrl && (!(config.pseudonymKey || config.pseudonymKeys) || !(config.bsnEncryptionKey || config.bsnEncryptionKeys))) {
    errors.push(
      'SLUIS_PSEUDONYM_KEY and SLUIS_BSN_ENCRYPTION_KEY are required with DATABASE_URL, or their versioned lists SLUIS_PSEUDONYM_KEYS and SLUIS_BSN_ENCRYPTION_KEYS (generate each with `openssl rand -base64 32`); only the embedded database generates its own keys',
    );
  }
  for (const [name, single, list] of [
    ['SLUIS_PSEUDONYM_KEY', config.pseudonymKey, config.pseudonymKeys],
    ['SLUIS_BSN_ENCRYPTION_KEY', config.bsnEncryptionKey, config.bsnEncryptionKeys],
  ] as const) {
    if (single && list?.split(',').some((part) => part.trim().startsWith('1:')))
      errors.push(`${name} is version 1: leave version 1 out of ${name}S, or ${name} out`);
  }
  if (config.registerFile && config.register !== 'embedded') {
    errors.push('SLUIS_REGISTER_FILE is read only with SLUIS_REGISTER=embedded');
  }
  if (errors.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  return config;
}

type Read = <T>(name: string, fallback: T, parse: (raw: string) => T | undefined, expected: string) => T;

/**
 * The federation settings: off unless set; set, the four that name the region, the hub, the
 * pseudonymisation service and the signing key are all required, so that a half configuration stops
 * the start naming what is missing rather than running unfederated by surprise.
 */
function readFederation(env: Env, read: Read, errors: string[]): RegionFederationConfig | undefined {
  const required = ['SLUIS_FEDERATION_ID', 'SLUIS_FEDERATION_HUB_URL', 'SLUIS_FEDERATION_PSEUDONYMISER_URL', 'SLUIS_FEDERATION_SIGNING_KEY'];
  // The hub's and the pseudonymisation service's own variables (SLUIS_FEDERATION_PARTIES) are not a region's.
  const regional = [
    ...required,
    'SLUIS_FEDERATION_HUB_ID',
    'SLUIS_FEDERATION_PSEUDONYMISER_ID',
    'SLUIS_FEDERATION_SIGNING_KEY_ID',
    'SLUIS_FEDERATION_POLL_SECONDS',
  ];
  const set = regional.filter((name) => env[name]?.trim());
  if (set.length === 0) return undefined;
  const missing = required.filter((name) => !env[name]?.trim());
  if (missing.length > 0) {
    errors.push(
      `the federation is half configured: ${set.sort().join(', ')} ${set.length === 1 ? 'is' : 'are'} set but ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} not (set all of ${required.join(', ')} to link this region to the hub, or none; docs/federation.md)`,
    );
    return undefined;
  }
  const party = (s: string) => (/^[a-z0-9][a-z0-9-]{0,62}$/.test(s) ? s : undefined);
  const url = (s: string) => (isHttpUrl(s) ? s.replace(/\/+$/, '') : undefined);
  return {
    id: read('SLUIS_FEDERATION_ID', '', party, 'a party id: lower-case letters, digits and dashes'),
    hubUrl: read('SLUIS_FEDERATION_HUB_URL', '', url, 'an http(s) URL'),
    pseudonymiserUrl: read('SLUIS_FEDERATION_PSEUDONYMISER_URL', '', url, 'an http(s) URL'),
    hubId: read('SLUIS_FEDERATION_HUB_ID', 'hub', party, 'a party id'),
    pseudonymiserId: read('SLUIS_FEDERATION_PSEUDONYMISER_ID', 'pseudonymiser', party, 'a party id'),
    signingKey: read('SLUIS_FEDERATION_SIGNING_KEY', '', ed25519PrivateKey, 'base64 of an Ed25519 private key (PKCS#8 DER), (docs/configuration.md)'),
    signingKeyId: read('SLUIS_FEDERATION_SIGNING_KEY_ID', 'k1', (s) => (/^[A-Za-z0-9_-]{1,64}$/.test(s) ? s : undefined), 'a key id: letters, digits, _ and -'),
    pollSeconds: read('SLUIS_FEDERATION_POLL_SECONDS', 30, intIn(1, 3600), 'an integer 1-3600'),
  };
}

const ed25519PrivateKey = (s: string) => {
  try {
    return createPrivateKey({ key: Buffer.from(s, 'base64'), format: 'der', type: 'pkcs8' }).asymmetricKeyType === 'ed25519' ? s : undefined;
  } catch {
    return undefined;
  }
};

function readEnv(): Env {
  if (existsSync('.env')) process.loadEnvFile('.env');
  return process.env;
}

const intIn = (min: number, max: number) => (s: string) => {
  if (!/^\d+$/.test(s)) return undefined;
  const n = Number(s);
  return n >= min && n <= max ? n : undefined;
};
const oneOf =
  <const T extends readonly string[]>(values: T) =>
  (s: string) =>
    (values as readonly string[]).includes(s) ? (s as T[number]) : undefined;
const bool = (s: string) => (['true', '1', 'yes'].includes(s) ? true : ['false', '0', 'no'].includes(s) ? false : undefined);
const isHttpUrl = (s: string) => {
  try {
    return ['http:', 'https:'].includes(new URL(s).protocol);
  } catch {
    return false;
  }
};
/** Comma- or space-separated CIDR networks (a bare address is one address). */
const networkList = (s: string) => {
  const items = s.split(/[\s,]+/).filter(Boolean);
  return items.every((item) => parseNetwork(item)) ? items : undefined;
};
const base64Key = (s: string) => (Buffer.from(s, 'base64').length >= 32 ? s : undefined);
const base64Key32 = (s: string) => (Buffer.from(s, 'base64').length === 32 ? s : undefined);
/** A key list `2:base64,1:base64`: versions 1-255, each once, each key 32 bytes (exactly, or at least). */
const keyList = (exact: boolean) => (s: string) => {
  try {
    const list = parseKeyList(s);
    return list.every((k) => k.version >= 1 && k.version <= 255 && (exact ? k.key.length === 32 : k.key.length >= 32)) ? s : undefined;
  } catch {
    return undefined;
  }
};
