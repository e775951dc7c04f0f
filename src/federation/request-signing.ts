/**
 * Every call between federation parties is signed with the sender's Ed25519 key (docs/federation.md,
 * "Authentication of every call"). The signed text names the sender, its key, the receiver, the
 * method, the path with query, a timestamp, a nonce and the body's SHA-256, so a request cannot be
 * sent to another receiver, changed, or kept for later. Whether a nonce was seen before is for the
 * receiver's store: `checkSignedRequest` returns it with the verdict.
 */
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject, randomBytes, sign, verify } from 'node:crypto';

/** How far a request's timestamp may be from the receiver's clock. */
export const SIGNATURE_WINDOW_SECONDS = 60;

export const SIGNATURE_HEADERS = ['sluis-party', 'sluis-key', 'sluis-timestamp', 'sluis-nonce', 'sluis-signature'] as const;

export type SigningKey = { party: string; keyId: string; privateKey: KeyObject };
/** The public keys a receiver has registered, by party then key id. */
export type PartyKeys = ReadonlyMap<string, ReadonlyMap<string, KeyObject>>;

export type SignedRequest = { method: string; path: string; body: string | Uint8Array };

const PARTY = /^[a-z0-9][a-z0-9-]{0,62}$/;
const NONCE = /^[A-Za-z0-9_-]{22}$/;

export function isPartyId(value: string): boolean {
  return PARTY.test(value);
}

/** An Ed25519 key pair as base64 DER (PKCS#8 private, SPKI public): the form the configuration takes. */
export function generateSigningKeyPair(): { privateKey: string; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  return {
    privateKey: privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64'),
    publicKey: publicKey.export({ format: 'der', type: 'spki' }).toString('base64'),
  };
}

export function importSigningKey(party: string, keyId: string, privateKeyBase64: string): SigningKey {
  const privateKey = createPrivateKey({ key: Buffer.from(privateKeyBase64, 'base64'), format: 'der', type: 'pkcs8' });
  if (privateKey.asymmetricKeyType !== 'ed25519') throw new Error('a signing key must be Ed25519');
  return { party, keyId, privateKey };
}

export function importPublicKey(publicKeyBase64: string): KeyObject {
  const publicKey = createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'spki' });
  if (publicKey.asymmetricKeyType !== 'ed25519') throw new Error('a party key must be Ed25519');
  return publicKey;
}

function signedText(fields: { party: string; keyId: string; receiver: string; timestamp: string; nonce: string }, request: SignedRequest): Buffer {
  const bodyHash = createHash('sha256').update(request.body).digest('base64url');
  return Buffer.from(
    [
      'sluis-federation-v1',
      fields.party,
      fields.keyId,
      fields.receiver,
      request.method.toUpperCase(),
      request.path,
      fields.timestamp,
      fields.nonce,
      bodyHash,
    ].join('\n'),
    'utf8',
  );
}

/** The headers that sign one request for `receiver`. */
export function signRequest(
  key: SigningKey,
  receiver: string,
  request: SignedRequest,
  now: Date,
  nonce = randomBytes(16).toString('base64url'),
): Record<string, string> {
  const timestamp = now.toISOString();
  const fields = { party: key.party, keyId: key.keyId, receiver, timestamp, nonce };
  return {
    'sluis-party': key.party,
    'sluis-key': key.keyId,
    'sluis-timestamp': timestamp,
    'sluis-nonce': nonce,
    'sluis-signature': sign(null, signedText(fields, request), key.privateKey).toString('base64url'),
  };
}

export type SignatureVerdict =
  | { ok: true; party: string; nonce: string; timestamp: Date }
  | { ok: false; reason: 'missing' | 'unknown_key' | 'expired' | 'bad_signature' };

/**
 * Checks one request's signature as `receiver`. The caller refuses the request unless the verdict
 * is ok and the (party, nonce) pair is new to its store (kept for twice the window).
 */
export function checkSignedRequest(
  keys: PartyKeys,
  receiver: string,
  request: SignedRequest,
  headers: Record<string, string | string[] | undefined>,
  now: Date,
): SignatureVerdict {
  const header = (name: string) => {
    const value = headers[name];
    return typeof value === 'string' ? value : undefined;
  };
  const party = header('sluis-party');
  const keyId = header('sluis-key');
  const timestamp = header('sluis-timestamp');
  const nonce = header('sluis-nonce');
  const signature = header('sluis-signature');
  if (!party || !keyId || !timestamp || !nonce || !signature || !NONCE.test(nonce)) return { ok: false, reason: 'missing' };
  const publicKey = keys.get(party)?.get(keyId);
  if (!publicKey) return { ok: false, reason: 'unknown_key' };
  const at = new Date(timestamp);
  if (!/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,3})?Z$/.test(timestamp) || Number.isNaN(at.getTime())) return { ok: false, reason: 'missing' };
  if (Math.abs(now.getTime() - at.getTime()) > SIGNATURE_WINDOW_SECONDS * 1000) return { ok: false, reason: 'expired' };
  const text = signedText({ party, keyId, receiver, timestamp, nonce }, request);
  const valid = verify(null, text, publicKey, Buffer.from(signature, 'base64url'));
  return valid ? { ok: true, party, nonce, timestamp: at } : { ok: false, reason: 'bad_signature' };
}
