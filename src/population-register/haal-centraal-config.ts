/**
 * The Haal Centraal BRP client's settings, read from the environment and validated once at start
 * (docs/population-register.md lists them). A wrong value gives one error that names every variable
 * in question and what it should be, as the rest of the configuration does.
 */
import { readFileSync } from 'node:fs';
import { type HaalCentraalAuthentication, type HaalCentraalOptions, requireSecureUrl } from './haal-centraal-register.ts';

export class HaalCentraalConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

export const HAAL_CENTRAAL_DEFAULTS = { timeoutMs: 5000, retries: 2 } as const;

export function readHaalCentraalConfig(env: Env): HaalCentraalOptions {
  const errors: string[] = [];
  const value = (name: string) => {
    const raw = env[name]?.trim();
    return raw === undefined || raw === '' ? undefined : raw;
  };
  const url = (name: string, required: boolean): string | undefined => {
    const raw = value(name);
    if (raw === undefined) {
      if (required) errors.push(`${name} is required: the base URL of the BRP API Personen, e.g. https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp`);
      return undefined;
    }
    try {
      return requireSecureUrl(raw, name);
    } catch (error) {
      errors.push(`${name}=${JSON.stringify(raw)} is not valid: ${(error as Error).message.replace(`${name} `, '')}`);
      return undefined;
    }
  };
  const integer = (name: string, fallback: number, min: number, max: number): number => {
    const raw = value(name);
    if (raw === undefined) return fallback;
    if (/^\d+$/.test(raw) && Number(raw) >= min && Number(raw) <= max) return Number(raw);
    errors.push(`${name}=${JSON.stringify(raw)} is not valid: expected an integer ${min}-${max}`);
    return fallback;
  };
  const pemFile = (name: string, expected: string): string | undefined => {
    const file = value(name);
    if (file === undefined) return undefined;
    try {
      const text = readFileSync(file, 'utf8');
      if (text.includes('-----BEGIN ')) return text;
      errors.push(`${name}=${JSON.stringify(file)} is not valid: expected a PEM file with ${expected}`);
    } catch (error) {
      errors.push(
        `${name}=${JSON.stringify(file)} cannot be read (${(error as NodeJS.ErrnoException).code ?? 'error'}): expected the path of a PEM file with ${expected}`,
      );
    }
    return undefined;
  };

  const registerUrl = url('SLUIS_BRP_URL', true);
  const updateUrl = url('SLUIS_BRP_UPDATE_URL', false);
  const authentication = readAuthentication(value, url, errors);
  const cert = pemFile('SLUIS_BRP_CLIENT_CERT', 'the client certificate (and its chain)');
  const key = pemFile('SLUIS_BRP_CLIENT_KEY', 'the private key of the client certificate');
  const ca = pemFile('SLUIS_BRP_CA', 'the CA certificate(s) to trust for the register');
  if ((value('SLUIS_BRP_CLIENT_CERT') === undefined) !== (value('SLUIS_BRP_CLIENT_KEY') === undefined)) {
    errors.push('SLUIS_BRP_CLIENT_CERT and SLUIS_BRP_CLIENT_KEY go together: set both (mutual TLS) or neither');
  }
  const timeoutMs = integer('SLUIS_BRP_TIMEOUT_MS', HAAL_CENTRAAL_DEFAULTS.timeoutMs, 100, 120_000);
  const retries = integer('SLUIS_BRP_RETRIES', HAAL_CENTRAAL_DEFAULTS.retries, 0, 10);

  if (errors.length > 0 || registerUrl === undefined || authentication === undefined) {
    throw new HaalCentraalConfigError(`Invalid configuration of the Haal Centraal BRP API:\n  - ${errors.join('\n  - ')}`);
  }
  const tls = { ...(cert && { cert }), ...(key && { key }), ...(ca && { ca }) };
  return {
    url: registerUrl,
    ...(updateUrl && { updateUrl }),
    authentication,
    ...(Object.keys(tls).length > 0 && { tls }),
    timeoutMs,
    retries,
  };
}

/** Exactly one way in: an API key, or all of the OAuth client credentials (scope optional). */
function readAuthentication(
  value: (name: string) => string | undefined,
  url: (name: string, required: boolean) => string | undefined,
  errors: string[],
): HaalCentraalAuthentication | undefined {
  const apiKey = value('SLUIS_BRP_API_KEY');
  const oauthNames = ['SLUIS_BRP_OAUTH_TOKEN_URL', 'SLUIS_BRP_OAUTH_CLIENT_ID', 'SLUIS_BRP_OAUTH_CLIENT_SECRET'];
  const oauthGiven = [...oauthNames, 'SLUIS_BRP_OAUTH_SCOPE'].filter((name) => value(name) !== undefined);
  if (apiKey !== undefined && oauthGiven.length > 0) {
    errors.push(
      `SLUIS_BRP_API_KEY and ${oauthGiven.join(', ')} are both set: choose one authentication, an API key (test environment) or OAuth client credentials`,
    );
    return undefined;
  }
  if (apiKey !== undefined) return { type: 'api-key', apiKey };
  if (oauthGiven.length === 0) {
    errors.push(
      'No authentication for the BRP API: set SLUIS_BRP_API_KEY, or SLUIS_BRP_OAUTH_TOKEN_URL, SLUIS_BRP_OAUTH_CLIENT_ID and SLUIS_BRP_OAUTH_CLIENT_SECRET',
    );
    return undefined;
  }
  const missing = oauthNames.filter((name) => value(name) === undefined);
  if (missing.length > 0) {
    errors.push(`OAuth client credentials are incomplete: ${missing.join(', ')} ${missing.length === 1 ? 'is' : 'are'} missing`);
    return undefined;
  }
  const tokenUrl = url('SLUIS_BRP_OAUTH_TOKEN_URL', true);
  if (tokenUrl === undefined) return undefined;
  const scope = value('SLUIS_BRP_OAUTH_SCOPE');
  return {
    type: 'oauth',
    tokenUrl,
    clientId: value('SLUIS_BRP_OAUTH_CLIENT_ID')!,
    clientSecret: value('SLUIS_BRP_OAUTH_CLIENT_SECRET')!,
    ...(scope && { scope }),
  };
}
