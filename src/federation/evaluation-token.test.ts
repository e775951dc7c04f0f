import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateTokenKeyPair, importTokenKey, openEvaluations, sealEvaluations, TOKEN_LIFETIME_SECONDS, TokenRefused } from './evaluation-token.ts';

describe('the evaluation token', async () => {
  const pair = await generateTokenKeyPair('hub-2026-1');
  const hubPublic = await importTokenKey(pair.publicJwk);
  const hubPrivate = await importTokenKey(pair.privateJwk);
  const keys = new Map([[hubPrivate.kid, hubPrivate.key]]);
  const now = new Date('2026-11-23T09:30:00Z');
  const evaluations = [
    { version: 1, evaluated: new Uint8Array(32).fill(7) },
    { version: 2, evaluated: new Uint8Array(32).fill(9) },
  ];
  const token = await sealEvaluations(hubPublic, { region: 'rotterdam', nonce: 'abc', evaluations }, now);

  it('opens for the hub with every evaluation, for the region and nonce it was made for', async () => {
    const opened = await openEvaluations(keys, token, { region: 'rotterdam', nonce: 'abc' }, new Date(now.getTime() + 60_000));
    assert.deepEqual(
      opened.evaluations.map((e) => ({ version: e.version, evaluated: [...e.evaluated] })),
      evaluations.map((e) => ({ version: e.version, evaluated: [...e.evaluated] })),
    );
    assert.equal(opened.expiresAt.getTime(), now.getTime() + TOKEN_LIFETIME_SECONDS * 1000);
  });

  it('is refused after it expired, for another region, for another nonce, when changed, or under an unknown key', async () => {
    const refused = (promise: Promise<unknown>) => assert.rejects(promise, TokenRefused);
    await refused(openEvaluations(keys, token, { region: 'rotterdam', nonce: 'abc' }, new Date(now.getTime() + (TOKEN_LIFETIME_SECONDS + 1) * 1000)));
    await refused(openEvaluations(keys, token, { region: 'utrecht', nonce: 'abc' }, now));
    await refused(openEvaluations(keys, token, { region: 'rotterdam', nonce: 'abd' }, now));
    const parts = token.split('.');
    parts[3] = `${parts[3]!.slice(0, -2)}${parts[3]!.endsWith('AA') ? 'BB' : 'AA'}`;
    await refused(openEvaluations(keys, parts.join('.'), { region: 'rotterdam', nonce: 'abc' }, now));
    const other = await importTokenKey((await generateTokenKeyPair('hub-2026-1')).privateJwk);
    await refused(openEvaluations(new Map([[other.kid, other.key]]), token, { region: 'rotterdam', nonce: 'abc' }, now));
    await refused(openEvaluations(new Map(), token, { region: 'rotterdam', nonce: 'abc' }, now));
  });
});
