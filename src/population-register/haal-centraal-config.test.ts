import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { HaalCentraalConfigError, readHaalCentraalConfig } from './haal-centraal-config.ts';

const URL_ = 'https://proefomgeving.haalcentraal.nl/haalcentraal/api/brp';
const dir = mkdtempSync(path.join(tmpdir(), 'sluis-brp-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const pem = (name: string, kind: string) => {
  const file = path.join(dir, name);
  writeFileSync(file, `-----BEGIN ${kind}-----\nAAAA\n-----END ${kind}-----\n`);
  return file;
};

function errorOf(env: Record<string, string | undefined>): string {
  try {
    readHaalCentraalConfig(env);
  } catch (error) {
    assert.ok(error instanceof HaalCentraalConfigError);
    return error.message;
  }
  return assert.fail('expected a configuration error');
}

test('an API key (the RvIG test environment): the URL without trailing slash, default timeout and retries', () => {
  assert.deepEqual(readHaalCentraalConfig({ SLUIS_BRP_URL: `${URL_}/`, SLUIS_BRP_API_KEY: 'key' }), {
    url: URL_,
    authentication: { type: 'api-key', apiKey: 'key' },
    timeoutMs: 5000,
    retries: 2,
  });
});

test('OAuth client credentials with a client certificate, a CA, the Update API and own timeout and retries', () => {
  const config = readHaalCentraalConfig({
    SLUIS_BRP_URL: URL_,
    SLUIS_BRP_OAUTH_TOKEN_URL: 'https://gateway.gemeente.example/oauth2/token',
    SLUIS_BRP_OAUTH_CLIENT_ID: 'sluis',
    SLUIS_BRP_OAUTH_CLIENT_SECRET: 'secret',
    SLUIS_BRP_OAUTH_SCOPE: 'brp-personen',
    SLUIS_BRP_CLIENT_CERT: pem('client.crt', 'CERTIFICATE'),
    SLUIS_BRP_CLIENT_KEY: pem('client.key', 'PRIVATE KEY'),
    SLUIS_BRP_CA: pem('ca.crt', 'CERTIFICATE'),
    SLUIS_BRP_UPDATE_URL: 'https://gateway.gemeente.example/haalcentraal/api/brpupdate',
    SLUIS_BRP_TIMEOUT_MS: '8000',
    SLUIS_BRP_RETRIES: '0',
  });
  assert.deepEqual(config.authentication, {
    type: 'oauth',
    tokenUrl: 'https://gateway.gemeente.example/oauth2/token',
    clientId: 'sluis',
    clientSecret: 'secret',
    scope: 'brp-personen',
  });
  assert.match(config.tls?.cert ?? '', /BEGIN CERTIFICATE/);
  assert.match(config.tls?.key ?? '', /BEGIN PRIVATE KEY/);
  assert.match(config.tls?.ca ?? '', /BEGIN CERTIFICATE/);
  assert.equal(config.updateUrl, 'https://gateway.gemeente.example/haalcentraal/api/brpupdate');
  assert.equal(config.timeoutMs, 8000);
  assert.equal(config.retries, 0);
});

test('exactly one authentication: neither, both, or incomplete OAuth is an error naming the variables', () => {
  assert.match(errorOf({ SLUIS_BRP_URL: URL_ }), /No authentication for the BRP API: set SLUIS_BRP_API_KEY, or SLUIS_BRP_OAUTH_TOKEN_URL/);
  assert.match(
    errorOf({ SLUIS_BRP_URL: URL_, SLUIS_BRP_API_KEY: 'k', SLUIS_BRP_OAUTH_CLIENT_ID: 'id' }),
    /SLUIS_BRP_API_KEY and SLUIS_BRP_OAUTH_CLIENT_ID are both set/,
  );
  assert.match(
    errorOf({ SLUIS_BRP_URL: URL_, SLUIS_BRP_OAUTH_CLIENT_ID: 'id', SLUIS_BRP_OAUTH_SCOPE: 's' }),
    /incomplete: SLUIS_BRP_OAUTH_TOKEN_URL, SLUIS_BRP_OAUTH_CLIENT_SECRET are missing/,
  );
});

test('TLS is required outside this machine, for the register, the token endpoint and the Update API', () => {
  const message = errorOf({
    SLUIS_BRP_URL: 'http://brp.gemeente.example/api',
    SLUIS_BRP_UPDATE_URL: 'http://brp.gemeente.example/update',
    SLUIS_BRP_OAUTH_TOKEN_URL: 'http://gateway.gemeente.example/token',
    SLUIS_BRP_OAUTH_CLIENT_ID: 'id',
    SLUIS_BRP_OAUTH_CLIENT_SECRET: 'secret',
  });
  for (const name of ['SLUIS_BRP_URL', 'SLUIS_BRP_UPDATE_URL', 'SLUIS_BRP_OAUTH_TOKEN_URL']) {
    assert.match(message, new RegExp(`${name}="http://[^"]+" is not valid: must use https:// \\(TLS\\)`));
  }
  assert.equal(
    readHaalCentraalConfig({ SLUIS_BRP_URL: 'http://127.0.0.1:5010/haalcentraal/api/brp', SLUIS_BRP_API_KEY: 'k' }).url,
    'http://127.0.0.1:5010/haalcentraal/api/brp',
  );
  assert.match(errorOf({ SLUIS_BRP_API_KEY: 'k' }), /SLUIS_BRP_URL is required/);
});

test('numbers out of range, unreadable or non-PEM files, and a certificate without its key are errors, all at once, without the secrets', () => {
  const message = errorOf({
    SLUIS_BRP_URL: URL_,
    SLUIS_BRP_API_KEY: 'the-secret-key',
    SLUIS_BRP_TIMEOUT_MS: '50',
    SLUIS_BRP_RETRIES: 'many',
    SLUIS_BRP_CLIENT_CERT: path.join(dir, 'missing.crt'),
    SLUIS_BRP_CA: (() => {
      const file = path.join(dir, 'not-pem.txt');
      writeFileSync(file, 'hello');
      return file;
    })(),
  });
  assert.match(message, /SLUIS_BRP_TIMEOUT_MS="50" is not valid: expected an integer 100-120000/);
  assert.match(message, /SLUIS_BRP_RETRIES="many" is not valid: expected an integer 0-10/);
  assert.match(message, /SLUIS_BRP_CLIENT_CERT="[^"]+missing\.crt" cannot be read \(ENOENT\)/);
  assert.match(message, /SLUIS_BRP_CA="[^"]+not-pem\.txt" is not valid: expected a PEM file/);
  assert.match(message, /SLUIS_BRP_CLIENT_CERT and SLUIS_BRP_CLIENT_KEY go together/);
  assert.doesNotMatch(message, /the-secret-key/);
});
