/**
 * `sluis federation keys`: what it prints is what each party's configuration takes, and the keys fit
 * together — a region's signed request passes the services' check with the printed parties entry, and
 * an evaluation sealed to the printed public token key opens with the hub's private one. The scenario
 * test (federation-scenario.test.ts) runs a whole federation on `federationEnvironments`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseEnv } from 'node:util';
import { loadConfig } from '../server/config.ts';
import { loadHubConfig, loadPseudonymiserConfig } from '../server/federation-config.ts';
import { runSluis, sluisEnv } from '../test-support/sluis-process.ts';
import { importTokenKey, openEvaluations, sealEvaluations } from './evaluation-token.ts';
import { federationEnvironments, federationKeysCommand } from './federation-keys.ts';
import { checkSignedRequest, importPublicKey, importSigningKey, signRequest } from './request-signing.ts';

const parsed = (text: string) => parseEnv(text) as Record<string, string>;

describe('sluis federation keys', () => {
  it('prints settings each party loads, with keys that fit together', async () => {
    const region = (await federationKeysCommand(['rotterdam']))!;
    const hub = (await federationKeysCommand(['hub', '--key-id', 'hub-7']))!;
    const service = (await federationKeysCommand(['pseudonymiser']))!;
    // The region's last line is its entry for SLUIS_FEDERATION_PARTIES.
    const parties = `{${region.trim().split('\n').at(-1)}}`;
    const [hubPart, forService] = hub.split('\n\n') as [string, string];
    const hubConfig = loadHubConfig({ ...parsed(hubPart), SLUIS_FEDERATION_PARTIES: parties });
    const serviceConfig = loadPseudonymiserConfig({ ...parsed(service), ...parsed(forService), SLUIS_FEDERATION_PARTIES: parties });
    const regionEnv = parsed(region);
    const regionConfig = loadConfig({
      ...regionEnv,
      SLUIS_FEDERATION_HUB_URL: 'http://127.0.0.1:8090',
      SLUIS_FEDERATION_PSEUDONYMISER_URL: 'http://127.0.0.1:8091',
    }).federation!;
    assert.equal(regionConfig.id, 'rotterdam');
    assert.equal(hubConfig.tokenKeys[0]!.kid, 'hub-7');

    const request = { method: 'GET', path: '/federation/v1/events?after=0', body: '' };
    const headers = signRequest(importSigningKey('rotterdam', regionConfig.signingKeyId, regionConfig.signingKey), 'hub', request, new Date());
    const keys = new Map([['rotterdam', new Map(Object.entries(serviceConfig.parties.rotterdam!).map(([id, key]) => [id, importPublicKey(key)]))]]);
    assert.equal(checkSignedRequest(keys, 'hub', request, headers, new Date()).ok, true);

    const sealed = await sealEvaluations(
      await importTokenKey(serviceConfig.hubTokenKey),
      { region: 'rotterdam', nonce: 'n', evaluations: [{ version: 1, evaluated: new Uint8Array(32) }] },
      new Date(),
    );
    const hubKey = await importTokenKey(hubConfig.tokenKeys[0]!);
    assert.equal((await openEvaluations(new Map([[hubKey.kid, hubKey.key]]), sealed, { region: 'rotterdam', nonce: 'n' }, new Date())).evaluations.length, 1);
  });

  it('refuses a wrong use with the usage, and generates a whole federation at once', async () => {
    assert.equal(await federationKeysCommand([]), undefined);
    assert.equal(await federationKeysCommand(['Rotterdam!']), undefined);
    assert.equal(await federationKeysCommand(['rotterdam', '--version', '2']), undefined);
    const all = await federationEnvironments(['a', 'b']);
    assert.deepEqual(Object.keys(JSON.parse(all.hub.SLUIS_FEDERATION_PARTIES!)), ['a', 'b']);
    loadHubConfig(all.hub);
    loadPseudonymiserConfig(all.pseudonymiser);
  });

  it('is a sluis command', () => {
    const run = runSluis(['federation', 'keys', 'utrecht'], sluisEnv({}));
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /^SLUIS_FEDERATION_SIGNING_KEY=/m);
  });
});
