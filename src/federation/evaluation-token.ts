/**
 * The pseudonymisation service's answer, encrypted to the hub (JWE compact, ECDH-ES with the hub's
 * X25519 key, A256GCM): the evaluations per key version, bound to the asking region and its nonce,
 * expiring after 120 s. The region passes it on without being able to open it (docs/federation.md).
 * It never carries the blinded element: with that and the blind the hub could try BSNs.
 */
import { base64url, EncryptJWT, errors, exportJWK, generateKeyPair, importJWK, type JWK, jwtDecrypt } from 'jose';

export const TOKEN_LIFETIME_SECONDS = 120;
const ISSUER = 'sluis-pseudonymiser';
const AUDIENCE = 'sluis-hub';

export type Evaluation = { version: number; evaluated: Uint8Array };
type Key = CryptoKey | Uint8Array;

/** The hub's token key pair, as JWKs (the private one stays with the hub; the public one goes to the service). */
export async function generateTokenKeyPair(kid: string): Promise<{ publicJwk: JWK; privateJwk: JWK }> {
  const { publicKey, privateKey } = await generateKeyPair('ECDH-ES', { crv: 'X25519', extractable: true });
  return { publicJwk: { ...(await exportJWK(publicKey)), kid }, privateJwk: { ...(await exportJWK(privateKey)), kid } };
}

export async function importTokenKey(jwk: JWK): Promise<{ kid: string; key: Key }> {
  if (!jwk.kid) throw new Error('a token key needs a kid');
  return { kid: jwk.kid, key: await importJWK(jwk, 'ECDH-ES') };
}

/** Pseudonymisation service: the evaluations, sealed to the hub. */
export async function sealEvaluations(
  hubKey: { kid: string; key: Key },
  claims: { region: string; nonce: string; evaluations: Evaluation[] },
  now: Date,
): Promise<string> {
  const issuedAt = Math.floor(now.getTime() / 1000);
  return new EncryptJWT({ evaluations: claims.evaluations.map((e) => ({ v: e.version, z: base64url.encode(e.evaluated) })) })
    .setProtectedHeader({ alg: 'ECDH-ES', enc: 'A256GCM', kid: hubKey.kid })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject(claims.region)
    .setJti(claims.nonce)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + TOKEN_LIFETIME_SECONDS)
    .encrypt(hubKey.key);
}

export class TokenRefused extends Error {
  override name = 'TokenRefused';
}

/**
 * Hub: opens a token with the key its `kid` names and checks it was made for this region and this
 * nonce and has not expired. Whether the nonce was used before is the caller's (it needs a store).
 */
export async function openEvaluations(
  keys: ReadonlyMap<string, Key>,
  token: string,
  expected: { region: string; nonce: string },
  now: Date,
): Promise<{ evaluations: Evaluation[]; expiresAt: Date }> {
  try {
    const { payload } = await jwtDecrypt(
      token,
      (header) => {
        const key = header.kid ? keys.get(header.kid) : undefined;
        if (!key) throw new TokenRefused('unknown token key');
        return key;
      },
      {
        issuer: ISSUER,
        audience: AUDIENCE,
        subject: expected.region,
        currentDate: now,
        keyManagementAlgorithms: ['ECDH-ES'],
        contentEncryptionAlgorithms: ['A256GCM'],
        requiredClaims: ['exp', 'jti', 'sub'],
        maxTokenAge: TOKEN_LIFETIME_SECONDS,
      },
    );
    if (payload.jti !== expected.nonce) throw new TokenRefused('the token was made for another request');
    const raw = payload.evaluations;
    if (!Array.isArray(raw) || raw.length === 0 || raw.length > 4) throw new TokenRefused('no evaluations');
    const evaluations = raw.map((item: unknown) => {
      const { v, z } = (item ?? {}) as { v?: unknown; z?: unknown };
      if (!Number.isInteger(v) || typeof z !== 'string') throw new TokenRefused('a malformed evaluation');
      return { version: v as number, evaluated: base64url.decode(z) };
    });
    return { evaluations, expiresAt: new Date((payload.exp as number) * 1000) };
  } catch (error) {
    if (error instanceof TokenRefused) throw error;
    if (error instanceof errors.JOSEError) throw new TokenRefused(`token refused: ${error.code}`);
    throw error;
  }
}
