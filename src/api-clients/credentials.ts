/**
 * API client credentials: a token `<keyId>.<secret>`, shown once. The key id is public and finds
 * the client; the secret (256 random bits) is stored only as its SHA-256 hash. A slow password hash
 * is not needed for a random secret of this size, and would cost every request dearly.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type NewCredentials = { keyId: string; token: string; secretHash: Buffer };

export function generateCredentials(): NewCredentials {
  const keyId = randomBytes(9).toString('base64url');
  const secret = randomBytes(32).toString('base64url');
  return { keyId, token: `${keyId}.${secret}`, secretHash: hashSecret(secret) };
}

/** Credentials from a known secret: only for the demo region, whose tokens the README prints. */
export function credentialsFromSecret(keyId: string, secret: string): NewCredentials {
  return { keyId, token: `${keyId}.${secret}`, secretHash: hashSecret(secret) };
}

export function parseToken(token: string): { keyId: string; secret: string } | undefined {
  const match = /^([A-Za-z0-9_-]{8,64})\.([A-Za-z0-9_-]{16,128})$/.exec(token);
  return match ? { keyId: match[1]!, secret: match[2]! } : undefined;
}

export function secretMatches(secret: string, storedHash: Uint8Array): boolean {
  const hash = hashSecret(secret);
  return storedHash.length === hash.length && timingSafeEqual(hash, storedHash);
}

function hashSecret(secret: string): Buffer {
  return createHash('sha256').update(secret).digest();
}
