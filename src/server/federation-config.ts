/**
 * The configuration of `sluis hub` and `sluis pseudonymiser` (docs/configuration.md, "Federation"),
 * read from the environment and validated once; a wrong value stops the process naming the variable.
 * Neither holds person keys, so neither reads SLUIS_PSEUDONYM_KEY or SLUIS_BSN_ENCRYPTION_KEY.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { JWK } from 'jose';
import { isPartyId } from '../federation/request-signing.ts';
import { ConfigError } from './config.ts';

type Env = Record<string, string | undefined>;
type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export type FederationServiceConfig = {
  /** This party's id: requests must be signed for it. */
  id: string;
  databaseUrl: string | undefined;
  dataDir: string;
  host: string;
  port: number;
  logLevel: LogLevel;
  /** The registered callers' Ed25519 public keys (base64 SPKI), by party and key id. */
  parties: Record<string, Record<string, string>>;
};

export type PseudonymiserConfig = FederationServiceConfig & {
  /** The active OPRF keys (base64 of the 32-byte scalar) by key version. */
  oprfKeys: Record<string, string>;
  /** The hub's public X25519 token key (a JWK with kid). */
  hubTokenKey: JWK;
};

export type HubConfig = FederationServiceConfig & {
  /** The hub's private X25519 token keys (JWKs with kid): the current one and any still in transition. */
  tokenKeys: JWK[];
  /** The hash secret s_v (base64, ≥ 32 bytes) per key version. */
  hashSecrets: Record<string, string>;
  matchVersion: number;
  /** The municipality codes (CBS, four digits) of each region, for routing moves across regions; none: moves are not routed. */
  municipalities?: Record<string, string[]>;
};

function reader(env: Env, errors: string[]) {
  return <T>(name: string, fallback: T | undefined, parse: (raw: string) => T | undefined, expected: string): T => {
    const raw = env[name]?.trim();
    if (!raw) {
      if (fallback === undefined) errors.push(`${name} is required: ${expected}`);
      return fallback as T;
    }
    const value = parse(raw);
    if (value === undefined) errors.push(`${name} is not valid: expected ${expected}`);
    return value as T;
  };
}

const json =
  <T>(check: (value: unknown) => value is T) =>
  (raw: string) => {
    try {
      const value: unknown = JSON.parse(raw);
      return check(value) ? value : undefined;
    } catch {
      return undefined;
    }
  };
const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);
const isVersionMap =
  (minBytes: number) =>
  (value: unknown): value is Record<string, string> =>
    isRecord(value) &&
    Object.keys(value).length > 0 &&
    Object.entries(value).every(([version, key]) => /^[1-9]\d{0,5}$/.test(version) && typeof key === 'string' && Buffer.from(key, 'base64').length >= minBytes);
const isParties = (value: unknown): value is Record<string, Record<string, string>> =>
  isRecord(value) &&
  Object.entries(value).every(([party, keys]) => isPartyId(party) && isRecord(keys) && Object.values(keys).every((key) => typeof key === 'string'));
const isMunicipalities = (value: unknown): value is Record<string, string[]> =>
  isRecord(value) &&
  Object.entries(value).every(
    ([region, codes]) => isPartyId(region) && Array.isArray(codes) && codes.every((code) => typeof code === 'string' && /^\d{4}$/.test(code)),
  );
/** A file's text, or '' when it cannot be read (the value is then reported as not valid). */
const readJsonFile = (file: string) => {
  try {
    return readFileSync(file, 'utf8');
  } catch {
    return '';
  }
};
const isJwk = (value: unknown): value is JWK => isRecord(value) && value.kty === 'OKP' && value.crv === 'X25519' && typeof value.kid === 'string';

function common(env: Env, role: 'hub' | 'pseudonymiser', errors: string[]): FederationServiceConfig {
  const read = reader(env, errors);
  const port = read(
    'PORT',
    role === 'hub' ? 8090 : 8091,
    (s) => (/^\d+$/.test(s) && Number(s) >= 1 && Number(s) <= 65535 ? Number(s) : undefined),
    'a port number 1-65535',
  );
  const databaseUrl = read<string | undefined>('DATABASE_URL', '', (s) => (/^postgres(ql)?:\/\//.test(s) ? s : undefined), 'a postgres:// URL') || undefined;
  return {
    id: read('SLUIS_FEDERATION_ID', role, (s) => (isPartyId(s) ? s : undefined), 'a party id: lower-case letters, digits and dashes'),
    databaseUrl,
    dataDir: path.resolve(read('SLUIS_DATA_DIR', `./data-${role}`, (s) => s, 'a directory')),
    host: read('HOST', '127.0.0.1', (s) => s, 'a host name or address'),
    port,
    logLevel: read<LogLevel>(
      'SLUIS_LOG_LEVEL',
      'info',
      (s) => (['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'].includes(s) ? (s as LogLevel) : undefined),
      'one of fatal, error, warn, info, debug, trace, silent',
    ),
    parties: read('SLUIS_FEDERATION_PARTIES', undefined, json(isParties), 'JSON {"<party>": {"<key id>": "<base64 SPKI Ed25519 public key>"}}'),
  };
}

function done<T>(config: T, errors: string[]): T {
  if (errors.length > 0) throw new ConfigError(`Invalid configuration:\n  - ${errors.join('\n  - ')}`);
  return config;
}

export function loadPseudonymiserConfig(env: Env = process.env): PseudonymiserConfig {
  const errors: string[] = [];
  const read = reader(env, errors);
  return done(
    {
      ...common(env, 'pseudonymiser', errors),
      oprfKeys: read('SLUIS_PSEUDONYMISER_OPRF_KEYS', undefined, json(isVersionMap(32)), 'JSON {"<version>": "<base64 32-byte OPRF key>"}'),
      hubTokenKey: read('SLUIS_PSEUDONYMISER_HUB_TOKEN_KEY', undefined, json(isJwk), "the hub's public X25519 JWK with a kid"),
    },
    errors,
  );
}

export function loadHubConfig(env: Env = process.env): HubConfig {
  const errors: string[] = [];
  const read = reader(env, errors);
  const hashSecrets = read('SLUIS_HUB_HASH_SECRETS', undefined, json(isVersionMap(32)), 'JSON {"<version>": "<base64 secret of at least 32 bytes>"}');
  const highest = hashSecrets ? Math.max(...Object.keys(hashSecrets).map(Number)) : 1;
  const config: HubConfig = {
    ...common(env, 'hub', errors),
    tokenKeys: read(
      'SLUIS_HUB_TOKEN_KEYS',
      undefined,
      json((value): value is JWK[] => Array.isArray(value) && value.length > 0 && value.every((jwk) => isJwk(jwk) && typeof jwk.d === 'string')),
      'a JSON array of private X25519 JWKs, each with a kid',
    ),
    hashSecrets,
    matchVersion: read('SLUIS_HUB_MATCH_VERSION', highest, (s) => (/^[1-9]\d{0,5}$/.test(s) ? Number(s) : undefined), 'a key version'),
    municipalities: read(
      'SLUIS_HUB_MUNICIPALITIES',
      {},
      (raw) => json(isMunicipalities)(raw.startsWith('{') ? raw : readJsonFile(raw)),
      'JSON {"<region>": ["<four-digit municipality code>", …]}, or the path of a file holding it',
    ),
  };
  if (hashSecrets && !hashSecrets[String(config.matchVersion)]) errors.push('SLUIS_HUB_MATCH_VERSION names a version without a hash secret');
  const codes = Object.values(config.municipalities ?? {}).flat();
  const twice = codes.filter((code, i) => codes.indexOf(code) !== i);
  if (twice.length > 0) errors.push(`SLUIS_HUB_MUNICIPALITIES puts a municipality in two regions: ${[...new Set(twice)].join(', ')}`);
  return done(config, errors);
}
