/**
 * The federation's pseudonym protocol (docs/federation.md): RFC 9497 OPRF, mode 0x00, suite
 * ristretto255-SHA512. The region encodes and blinds a BSN, the pseudonymisation service evaluates
 * the blinded point with the key of each active version, and the hub unblinds the result to
 * k·H(x) and keeps only a keyed hash of it. Pure functions over bytes (only `blindInput` and
 * `generateOprfKey` draw randomness).
 */
import { createHmac } from 'node:crypto';
import { ristretto255, ristretto255_oprf } from '@noble/curves/ed25519.js';
import type { Bsn } from '../persons/bsn.ts';

const oprf = ristretto255_oprf.oprf;
const Point = ristretto255.Point;
const Fn = Point.Fn;

/** The prefix of the input encoding; part of the input, so another encoding gives other points. */
export const BSN_INPUT_PREFIX_V1 = 'sluis-bsn-v1:';

/** The fixed, versioned encoding of a BSN as OPRF input: ASCII "sluis-bsn-v1:" then the nine digits. */
export function bsnInput(bsn: Bsn): Uint8Array {
  return new TextEncoder().encode(`${BSN_INPUT_PREFIX_V1}${bsn.reveal()}`);
}

/** What the region keeps (`blind`, until it has sent it to the hub) and what it sends the pseudonymisation service (`blinded`). */
export type Blinding = { blind: Uint8Array; blinded: Uint8Array };

/** Region: B = r·H(x) with a fresh random scalar r. */
export function blindInput(input: Uint8Array): Blinding {
  const { blind, blinded } = oprf.blind(input);
  return { blind, blinded };
}

/** A key of the pseudonymisation service: a secret scalar, named by its version. */
export type OprfKey = { version: number; secretKey: Uint8Array };

export function generateOprfKey(version: number): OprfKey {
  return { version, secretKey: oprf.generateKeyPair().secretKey };
}

export class ProtocolError extends Error {
  override name = 'ProtocolError';
}

/** A group element from bytes; refuses what is not a canonical ristretto255 encoding, and the identity. */
function element(bytes: Uint8Array, what: string) {
  let point: InstanceType<typeof Point>;
  try {
    point = Point.fromBytes(bytes);
  } catch {
    throw new ProtocolError(`${what} is not a ristretto255 element`);
  }
  if (point.is0()) throw new ProtocolError(`${what} is the identity element`);
  return point;
}

/** Pseudonymisation service: Z = k·B. It sees only B, a uniformly random element. */
export function evaluateBlinded(key: OprfKey, blinded: Uint8Array): Uint8Array {
  element(blinded, 'the blinded element');
  return oprf.blindEvaluate(key.secretKey, blinded);
}

/** Hub: N = r⁻¹·Z = k·H(x), the same for the same input whatever the blind. */
export function unblind(blind: Uint8Array, evaluated: Uint8Array): Uint8Array {
  if (blind.length !== 32) throw new ProtocolError('the blind is not a 32-byte scalar');
  let r: bigint;
  try {
    r = Fn.fromBytes(blind);
  } catch {
    throw new ProtocolError('the blind is not a canonical scalar');
  }
  if (r === 0n) throw new ProtocolError('the blind is zero');
  return element(evaluated, 'the evaluated element').multiply(Fn.inv(r)).toBytes();
}

/** Hub: what it stores of a person, h_v = HMAC-SHA256(s_v, "sluis hub pseudonym" ‖ v ‖ N_v). */
export function hubPseudonymHash(secret: Uint8Array, version: number, unblinded: Uint8Array): Buffer {
  const versionBytes = Buffer.alloc(4);
  versionBytes.writeUInt32BE(version);
  return createHmac('sha256', secret).update('sluis hub pseudonym').update(versionBytes).update(unblinded).digest();
}
