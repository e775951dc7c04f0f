/** Passwords (argon2id), TOTP codes and recovery codes, and the random tokens in cookies and links. */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

// argon2id with the library's defaults: m = 19 MiB, t = 2, p = 1 (OWASP's first recommendation).
export const hashPassword = (password: string): Promise<string> => hash(password);

// A hash of a random password, checked when no account matches, so a sign-in takes as long either way.
const DUMMY_HASH = hash(randomBytes(16).toString('hex'));

export async function passwordMatches(password: string, stored: string | null): Promise<boolean> {
  if (!stored) {
    await verify(await DUMMY_HASH, password).catch(() => false);
    return false;
  }
  return verify(stored, password).catch(() => false);
}

export const randomToken = (): string => randomBytes(32).toString('base64url');
export const tokenHash = (token: string): Buffer => createHash('sha256').update(token).digest();
export const sameText = (a: string, b: string): boolean => {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
};
export const emailHash = (email: string): Buffer =>
  createHash('sha256')
    .update(`sluis-sign-in:${normaliseEmail(email)}`)
    .digest();
export const normaliseEmail = (email: string): string => email.trim().toLowerCase();

const ISSUER = 'SluiS';
const totp = (secret: string, label: string) => new TOTP({ issuer: ISSUER, label, secret: Secret.fromBase32(secret), digits: 6, period: 30 });

export const newTotpSecret = (): string => new Secret({ size: 20 }).base32;

export async function enrolmentDetails(secret: string, email: string) {
  const uri = totp(secret, email).toString();
  const qrSvg = await QRCode.toString(uri, { type: 'svg', margin: 2, errorCorrectionLevel: 'M' });
  return { uri, qrSvg, secretGroups: secret.match(/.{1,4}/g)!.join(' ') };
}

/** The time step of a valid code (one step either side allowed for clock drift), or null. */
export function totpStep(secret: string, code: string, now: Date): number | null {
  const token = code.replace(/\s/g, '');
  if (!/^\d{6}$/.test(token)) return null;
  const delta = totp(secret, '').validate({ token, timestamp: now.getTime(), window: 1 });
  return delta === null ? null : Math.floor(now.getTime() / 30_000) + delta;
}

/** The code an authenticator app shows at `now` (demo accounts and tests). */
export const totpCode = (secret: string, now: Date): string => totp(secret, '').generate({ timestamp: now.getTime() });

const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export function newRecoveryCodes(count = 10): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => RECOVERY_ALPHABET[b % RECOVERY_ALPHABET.length]).join('');
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}
export const recoveryCodeHash = (code: string): Buffer =>
  tokenHash(
    `recovery:${code
      .trim()
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')}`,
  );
