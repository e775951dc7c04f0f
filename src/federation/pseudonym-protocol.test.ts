import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { ristretto255, ristretto255_oprf } from '@noble/curves/ed25519.js';
import fc from 'fast-check';
import { Bsn, passesElevenTest } from '../persons/bsn.ts';
import { generateTokenKeyPair, importTokenKey, openEvaluations, sealEvaluations } from './evaluation-token.ts';
import { blindInput, bsnInput, evaluateBlinded, generateOprfKey, hubPseudonymHash, ProtocolError, unblind } from './pseudonym-protocol.ts';

/** Valid BSNs: eight digits and the check digit that makes the 11-test pass (skipped when it would be 10). */
const bsnArbitrary = fc
  .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })
  .map((digits) => {
    const sum = digits.reduce((total, digit, i) => total + (9 - i) * digit, 0);
    return `${digits.join('')}${sum % 11}`;
  })
  .filter(passesElevenTest);

const bsn = (digits: string) => Bsn.parse(digits) ?? assert.fail(`not a BSN: ${digits}`);
const key = generateOprfKey(1);
const hubSecret = randomBytes(32);

/** One region's whole path to the hash the hub stores: blind, evaluate, unblind, hash. */
function hubHashFromRegion(digits: string, oprfKey = key, secret: Uint8Array = hubSecret) {
  const { blind, blinded } = blindInput(bsnInput(bsn(digits)));
  return hubPseudonymHash(secret, oprfKey.version, unblind(blind, evaluateBlinded(oprfKey, blinded))).toString('hex');
}

describe('the BSN input encoding', () => {
  it('is the fixed, versioned ASCII encoding, leading zeros kept', () => {
    assert.equal(new TextDecoder().decode(bsnInput(bsn('123456782'))), 'sluis-bsn-v1:123456782');
    assert.equal(new TextDecoder().decode(bsnInput(bsn('011111112'))), 'sluis-bsn-v1:011111112');
  });
});

describe('the pseudonym protocol', () => {
  it('gives the hub the same hash for the same BSN from any region (any blind), and different hashes for different BSNs', () => {
    fc.assert(
      fc.property(bsnArbitrary, bsnArbitrary, (a, b) => {
        const inRotterdam = hubHashFromRegion(a);
        const inUtrecht = hubHashFromRegion(a);
        assert.equal(inRotterdam, inUtrecht);
        if (a !== b) assert.notEqual(hubHashFromRegion(b), inRotterdam);
      }),
      { numRuns: 40 },
    );
  });

  it('unblinds to k·H(x) exactly as RFC 9497 finalizes it', () => {
    const input = bsnInput(bsn('111222333'));
    const { blind, blinded } = blindInput(input);
    const evaluated = evaluateBlinded(key, blinded);
    const unblinded = unblind(blind, evaluated);
    const length = (n: number) => Buffer.from([n >> 8, n & 0xff]);
    const ours = createHash('sha512')
      .update(Buffer.concat([length(input.length), input, length(unblinded.length), unblinded, Buffer.from('Finalize')]))
      .digest();
    assert.deepEqual(Buffer.from(ristretto255_oprf.oprf.finalize(input, blind, evaluated)), ours);
  });

  it('gives other hashes under another key version, another OPRF key or another hub secret', () => {
    const base = hubHashFromRegion('111222333');
    assert.notEqual(hubHashFromRegion('111222333', generateOprfKey(2)), base);
    assert.notEqual(hubHashFromRegion('111222333', { version: 1, secretKey: generateOprfKey(1).secretKey }), base);
    assert.notEqual(hubHashFromRegion('111222333', key, randomBytes(32)), base);
  });

  it('shows the pseudonymisation service a fresh random element each time, never the same one for the same BSN', () => {
    const input = bsnInput(bsn('111222333'));
    assert.notDeepEqual(blindInput(input).blinded, blindInput(input).blinded);
  });

  it('never lets the region hold the hub pseudonym: what the region sees holds neither k·H(x) nor its hash, and it cannot open the token', async () => {
    const hub = await generateTokenKeyPair('hub-1');
    const hubPublic = await importTokenKey(hub.publicJwk);
    const hubPrivate = await importTokenKey(hub.privateJwk);
    const input = bsnInput(bsn('123456782'));
    const { blind, blinded } = blindInput(input);
    const evaluated = evaluateBlinded(key, blinded);
    const now = new Date();
    const token = await sealEvaluations(hubPublic, { region: 'rotterdam', nonce: 'n1', evaluations: [{ version: 1, evaluated }] }, now);
    const unblinded = Buffer.from(unblind(blind, evaluated));
    const stored = hubPseudonymHash(hubSecret, 1, unblinded);
    // Everything the region holds or receives, in every encoding it could be written in.
    const seenByRegion = [Buffer.from(input), Buffer.from(blind), Buffer.from(blinded), Buffer.from(token)];
    for (const seen of seenByRegion) {
      for (const secret of [unblinded, Buffer.from(evaluated), stored]) {
        assert.equal(seen.includes(secret), false);
        assert.equal(seen.includes(Buffer.from(secret.toString('base64url'))), false);
        assert.equal(seen.includes(Buffer.from(secret.toString('hex'))), false);
      }
    }
    // A region's own key pair (or anyone's but the hub's) does not open the token.
    const other = await importTokenKey((await generateTokenKeyPair('hub-1')).privateJwk);
    await assert.rejects(openEvaluations(new Map([[other.kid, other.key]]), token, { region: 'rotterdam', nonce: 'n1' }, now));
    // The hub does, and gets the same k·H(x).
    const opened = await openEvaluations(new Map([[hubPrivate.kid, hubPrivate.key]]), token, { region: 'rotterdam', nonce: 'n1' }, now);
    assert.deepEqual(Buffer.from(unblind(blind, opened.evaluations[0]!.evaluated)), unblinded);
  });

  it('refuses the identity element, malformed points and a zero or malformed blind', () => {
    const identity = ristretto255.Point.ZERO.toBytes();
    assert.throws(() => evaluateBlinded(key, identity), ProtocolError);
    assert.throws(() => evaluateBlinded(key, new Uint8Array(32).fill(0xff)), ProtocolError);
    const { blind, blinded } = blindInput(bsnInput(bsn('111222333')));
    const evaluated = evaluateBlinded(key, blinded);
    assert.throws(() => unblind(new Uint8Array(32), evaluated), ProtocolError);
    assert.throws(() => unblind(blind.subarray(0, 16), evaluated), ProtocolError);
    assert.throws(() => unblind(new Uint8Array(32).fill(0xff), evaluated), ProtocolError);
    assert.throws(() => unblind(blind, identity), ProtocolError);
  });
});
