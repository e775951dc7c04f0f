import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkSignedRequest, generateSigningKeyPair, importPublicKey, importSigningKey, SIGNATURE_WINDOW_SECONDS, signRequest } from './request-signing.ts';

describe('signed requests between federation parties', () => {
  const rotterdam = generateSigningKeyPair();
  const key = importSigningKey('rotterdam', 'k1', rotterdam.privateKey);
  const keys = new Map([['rotterdam', new Map([['k1', importPublicKey(rotterdam.publicKey)]])]]);
  const now = new Date('2026-11-23T09:30:00Z');
  const request = { method: 'PUT', path: '/federation/v1/registrations/abc', body: '{"token":"x"}' };
  const headers = (at = now) => signRequest(key, 'hub', request, at);

  it('passes for the receiver it was signed for, naming the party and nonce', () => {
    const sent = headers();
    const verdict = checkSignedRequest(keys, 'hub', request, sent, new Date(now.getTime() + 5000));
    assert.deepEqual(verdict, { ok: true, party: 'rotterdam', nonce: sent['sluis-nonce'], timestamp: now });
  });

  it('is refused when forged: another body, path, method or receiver, or a signature of another key', () => {
    const sent = headers();
    assert.deepEqual(checkSignedRequest(keys, 'hub', { ...request, body: '{"token":"y"}' }, sent, now), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(checkSignedRequest(keys, 'hub', { ...request, path: '/federation/v1/registrations/abd' }, sent, now), {
      ok: false,
      reason: 'bad_signature',
    });
    assert.deepEqual(checkSignedRequest(keys, 'hub', { ...request, method: 'DELETE' }, sent, now), { ok: false, reason: 'bad_signature' });
    assert.deepEqual(checkSignedRequest(keys, 'pseudonymiser', request, sent, now), { ok: false, reason: 'bad_signature' });
    const impostor = importSigningKey('rotterdam', 'k1', generateSigningKeyPair().privateKey);
    assert.deepEqual(checkSignedRequest(keys, 'hub', request, signRequest(impostor, 'hub', request, now), now), { ok: false, reason: 'bad_signature' });
  });

  it('is refused from an unknown party or key, and without its headers', () => {
    const stranger = importSigningKey('utrecht', 'k1', generateSigningKeyPair().privateKey);
    assert.deepEqual(checkSignedRequest(keys, 'hub', request, signRequest(stranger, 'hub', request, now), now), { ok: false, reason: 'unknown_key' });
    const otherKeyId = importSigningKey('rotterdam', 'k2', rotterdam.privateKey);
    assert.deepEqual(checkSignedRequest(keys, 'hub', request, signRequest(otherKeyId, 'hub', request, now), now), { ok: false, reason: 'unknown_key' });
    const { 'sluis-nonce': _, ...withoutNonce } = headers();
    assert.deepEqual(checkSignedRequest(keys, 'hub', request, withoutNonce, now), { ok: false, reason: 'missing' });
    assert.deepEqual(checkSignedRequest(keys, 'hub', request, {}, now), { ok: false, reason: 'missing' });
  });

  it('is refused outside the window: expired or from the future', () => {
    const window = SIGNATURE_WINDOW_SECONDS * 1000;
    assert.deepEqual(checkSignedRequest(keys, 'hub', request, headers(), new Date(now.getTime() + window + 1)), { ok: false, reason: 'expired' });
    assert.deepEqual(checkSignedRequest(keys, 'hub', request, headers(), new Date(now.getTime() - window - 1)), { ok: false, reason: 'expired' });
    assert.equal(checkSignedRequest(keys, 'hub', request, headers(), new Date(now.getTime() + window)).ok, true);
  });
});
