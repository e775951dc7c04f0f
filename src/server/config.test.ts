import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ConfigError, loadConfig } from './config.ts';

test('defaults run on the embedded database with nothing set', () => {
  const config = loadConfig({});
  assert.equal(config.databaseUrl, undefined);
  assert.equal(config.port, 8080);
  assert.equal(config.host, '127.0.0.1');
  assert.equal(config.publicUrl, 'http://localhost:8080');
  assert.match(config.dataDir, /\/data$/);
});

test('every invalid value is named at once, and the process would stop', () => {
  assert.throws(
    () => loadConfig({ PORT: '80800', SLUIS_LOG_LEVEL: 'loud', DATABASE_URL: 'mysql://x', SLUIS_JOBS_ENABLED: 'maybe' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      for (const name of ['PORT', 'SLUIS_LOG_LEVEL', 'DATABASE_URL', 'SLUIS_JOBS_ENABLED']) assert.match(error.message, new RegExp(name));
      return true;
    },
  );
});

test('PostgreSQL needs both keys from configuration', () => {
  assert.throws(() => loadConfig({ DATABASE_URL: 'postgres://localhost/sluis' }), /SLUIS_PSEUDONYM_KEY and SLUIS_BSN_ENCRYPTION_KEY are required/);
  const key = Buffer.alloc(32, 1).toString('base64');
  assert.throws(
    () => loadConfig({ DATABASE_URL: 'postgres://localhost/sluis', SLUIS_PSEUDONYM_KEY: key, SLUIS_BSN_ENCRYPTION_KEY: 'c2hvcnQ=' }),
    /SLUIS_BSN_ENCRYPTION_KEY/,
  );
  const config = loadConfig({ DATABASE_URL: 'postgres://localhost/sluis', SLUIS_PSEUDONYM_KEY: key, SLUIS_BSN_ENCRYPTION_KEY: key, PORT: '9000' });
  assert.equal(config.databaseUrl, 'postgres://localhost/sluis');
  assert.equal(config.publicUrl, 'http://localhost:9000');
});

test('webhooks reach only public addresses unless networks are allowed: a CIDR list, every entry checked', () => {
  assert.deepEqual(loadConfig({}).webhookAllowedNetworks, []);
  assert.deepEqual(loadConfig({ SLUIS_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8, ::1/128 10.20.0.0/16' }).webhookAllowedNetworks, [
    '127.0.0.0/8',
    '::1/128',
    '10.20.0.0/16',
  ]);
  assert.throws(
    () => loadConfig({ SLUIS_WEBHOOK_ALLOWED_NETWORKS: '127.0.0.0/8,intranet' }),
    /SLUIS_WEBHOOK_ALLOWED_NETWORKS="127.0.0.0\/8,intranet" is not valid: expected networks in CIDR notation/,
  );
  assert.throws(() => loadConfig({ SLUIS_WEBHOOK_ALLOWED_NETWORKS: '10.0.0.0/33' }), /SLUIS_WEBHOOK_ALLOWED_NETWORKS/);
});

test('the log level: warnings and errors on the embedded database, requests too on PostgreSQL, unless SLUIS_LOG_LEVEL says', () => {
  assert.equal(loadConfig({}).logLevel, 'warn');
  const keys = { SLUIS_PSEUDONYM_KEY: Buffer.alloc(32, 1).toString('base64'), SLUIS_BSN_ENCRYPTION_KEY: Buffer.alloc(32, 2).toString('base64') };
  assert.equal(loadConfig({ DATABASE_URL: 'postgres://db/sluis', ...keys }).logLevel, 'info');
  assert.equal(loadConfig({ SLUIS_LOG_LEVEL: 'debug' }).logLevel, 'debug');
});

test('the population register: none by default, embedded with its own file, haal-centraal with its SLUIS_BRP_* settings', async () => {
  const { openPopulationRegister } = await import('./runtime.ts');
  const manualClock = { now: () => new Date('2026-03-10T09:00:00Z') };
  assert.equal(loadConfig({}).register, 'none');
  assert.equal(openPopulationRegister(loadConfig({}), manualClock), undefined);
  const file = new URL('../population-register/rvig/test-data.json', import.meta.url).pathname;
  const embedded = loadConfig({ SLUIS_REGISTER: 'embedded', SLUIS_REGISTER_FILE: file, SLUIS_DATA_DIR: '/tmp/sluis-config-test' });
  assert.equal(embedded.registerFile, file);
  assert.equal(openPopulationRegister(embedded, manualClock)?.kind, 'embedded');
  assert.throws(() => loadConfig({ SLUIS_REGISTER: 'brp' }), /SLUIS_REGISTER="brp" is not valid: expected one of none, embedded, haal-centraal/);
  assert.throws(() => loadConfig({ SLUIS_REGISTER: 'embedded', SLUIS_REGISTER_FILE: '/no/such/file.json' }), /SLUIS_REGISTER_FILE/);
  assert.throws(() => loadConfig({ SLUIS_REGISTER_FILE: file }), /SLUIS_REGISTER_FILE is read only with SLUIS_REGISTER=embedded/);
  // Haal Centraal: its own settings are checked with the rest, every wrong one named at once.
  assert.throws(
    () => loadConfig({ SLUIS_REGISTER: 'haal-centraal', SLUIS_BRP_RETRIES: 'many' }),
    (error: unknown) =>
      error instanceof ConfigError && /Invalid configuration:\n {2}- SLUIS_BRP_URL is required/.test(error.message) && /SLUIS_BRP_RETRIES/.test(error.message),
  );
  assert.throws(
    () => loadConfig({ SLUIS_BRP_URL: 'https://brp.example.nl/haalcentraal/api/brp' }),
    /SLUIS_BRP_URL is read only with SLUIS_REGISTER=haal-centraal/,
  );
  const haalCentraal = loadConfig({
    SLUIS_REGISTER: 'haal-centraal',
    SLUIS_BRP_URL: 'https://brp.example.nl/haalcentraal/api/brp',
    SLUIS_BRP_API_KEY: 'test-key',
  });
  assert.equal(haalCentraal.haalCentraal?.url, 'https://brp.example.nl/haalcentraal/api/brp');
  const register = openPopulationRegister(haalCentraal, manualClock);
  assert.equal(register?.kind, 'haal-centraal');
  await register?.close?.();
});

test('the federation is off by default, whole when its four settings are set, and a half configuration stops the start naming what is missing', async () => {
  const { generateSigningKeyPair } = await import('../federation/request-signing.ts');
  assert.equal(loadConfig({}).federation, undefined);
  const whole = {
    SLUIS_FEDERATION_ID: 'rotterdam',
    SLUIS_FEDERATION_HUB_URL: 'https://hub.example.nl/',
    SLUIS_FEDERATION_PSEUDONYMISER_URL: 'https://oprf.example.nl',
    SLUIS_FEDERATION_SIGNING_KEY: generateSigningKeyPair().privateKey,
  };
  const federation = loadConfig(whole).federation;
  assert.equal(federation?.id, 'rotterdam');
  assert.equal(federation?.hubUrl, 'https://hub.example.nl');
  assert.equal(federation?.hubId, 'hub');
  assert.equal(federation?.signingKeyId, 'k1');
  assert.throws(
    () => loadConfig({ SLUIS_FEDERATION_ID: 'rotterdam', SLUIS_FEDERATION_HUB_URL: 'https://hub.example.nl' }),
    /half configured: .*SLUIS_FEDERATION_HUB_URL.* but SLUIS_FEDERATION_PSEUDONYMISER_URL, SLUIS_FEDERATION_SIGNING_KEY are not/,
  );
  assert.throws(() => loadConfig({ ...whole, SLUIS_FEDERATION_SIGNING_KEY: Buffer.alloc(32).toString('base64') }), /SLUIS_FEDERATION_SIGNING_KEY/);
  // The hub's own variable is not a region's.
  assert.equal(loadConfig({ SLUIS_FEDERATION_PARTIES: '{}' }).federation, undefined);
});
