/**
 * The two keys that protect the BSN: a pseudonym key (HMAC-SHA256, the person key used for
 * matching; the same BSN always gives the same key) and an encryption key (AES-256-GCM, a copy of
 * the BSN that only the municipality's rights work decrypts). From configuration; in embedded mode
 * generated once into the data directory (file mode 0600).
 */
import { createCipheriv, createDecipheriv, createHmac, createSecretKey, hkdfSync, type KeyObject, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Bsn } from './bsn.ts';

export type IdentityKeys = { pseudonymKey: Buffer; encryptionKey: Buffer };

export type PersonCrypto = {
  personKey(bsn: Bsn): Buffer;
  /**
   * The person key of a person without a BSN, from their normalised identity (identity-without-bsn.ts):
   * HMAC-SHA256 with a key derived (HKDF) from the pseudonym key for this use only, so it can never
   * equal a BSN's person key, and the same details always give the same key.
   */
  detailsKey(identity: string): Buffer;
  encrypt(bsn: Bsn): Buffer;
  decrypt(ciphertext: Uint8Array): string;
  /** A key for signing paging cursors, derived (HKDF) from the pseudonym key: it reveals nothing of that key. */
  cursorKey: KeyObject;
  /**
   * A keyed pseudonym of an address object id (BAG, from the population register), for address
   * matching: HMAC-SHA256 with a key derived (HKDF) from the pseudonym key, so it reveals neither the
   * address nor that key, and the same address always gives the same key.
   */
  addressKey(addressObjectId: string): Buffer;
  /**
   * Other text that may hold a BSN, encrypted at rest (AES-256-GCM with a key derived from the
   * encryption key; `purpose` is bound in as associated data, so a ciphertext opens only for its use).
   */
  sealText(text: string, purpose: string): Buffer;
  /** The text back; throws when it was not sealed with this key for this purpose. */
  openText(ciphertext: Uint8Array, purpose: string): string;
};

export function createPersonCrypto(keys: IdentityKeys): PersonCrypto {
  // Key objects made once: passing raw bytes makes Node import the key on every call.
  const pseudonymKey = createSecretKey(keys.pseudonymKey);
  const encryptionKey = createSecretKey(keys.encryptionKey);
  const cursorKey = createSecretKey(Buffer.from(hkdfSync('sha256', keys.pseudonymKey, Buffer.alloc(0), 'sluis paging cursors v1', 32)));
  const addressKeyKey = createSecretKey(Buffer.from(hkdfSync('sha256', keys.pseudonymKey, Buffer.alloc(0), 'sluis address keys v1', 32)));
  const detailsKeyKey = createSecretKey(Buffer.from(hkdfSync('sha256', keys.pseudonymKey, Buffer.alloc(0), 'sluis persons without a bsn v1', 32)));
  const textKey = createSecretKey(Buffer.from(hkdfSync('sha256', keys.encryptionKey, Buffer.alloc(0), 'sluis sealed text v1', 32)));
  return {
    cursorKey,
    addressKey: (addressObjectId) => createHmac('sha256', addressKeyKey).update(addressObjectId).digest(),
    sealText: (text, purpose) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', textKey, iv).setAAD(Buffer.from(purpose, 'utf8'));
      const body = Buffer.concat([cipher.update(text, 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]);
    },
    openText: (ciphertext, purpose) => {
      const data = Buffer.from(ciphertext);
      if (data[0] !== 1) throw new Error('Unknown sealed text version');
      const decipher = createDecipheriv('aes-256-gcm', textKey, data.subarray(1, 13)).setAAD(Buffer.from(purpose, 'utf8'));
      decipher.setAuthTag(data.subarray(13, 29));
      return Buffer.concat([decipher.update(data.subarray(29)), decipher.final()]).toString('utf8');
    },
    detailsKey: (identity) => createHmac('sha256', detailsKeyKey).update(identity).digest(),
    personKey: (bsn) => createHmac('sha256', pseudonymKey).update(bsn.reveal()).digest(),
    encrypt: (bsn) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encryptionKey, iv);
      const body = Buffer.concat([cipher.update(bsn.reveal(), 'utf8'), cipher.final()]);
      return Buffer.concat([Buffer.from([1]), iv, cipher.getAuthTag(), body]); // version 1 layout
    },
    decrypt: (ciphertext) => {
      const data = Buffer.from(ciphertext);
      if (data[0] !== 1) throw new Error('Unknown BSN ciphertext version');
      const decipher = createDecipheriv('aes-256-gcm', encryptionKey, data.subarray(1, 13));
      decipher.setAuthTag(data.subarray(13, 29));
      return Buffer.concat([decipher.update(data.subarray(29)), decipher.final()]).toString('utf8');
    },
  };
}

/** Keys from configuration, or (embedded mode only) from `<dataDir>/keys.json`, created if missing. */
export function loadIdentityKeys(options: { pseudonymKey?: string | undefined; bsnEncryptionKey?: string | undefined; dataDir: string }): IdentityKeys {
  if (options.pseudonymKey && options.bsnEncryptionKey) {
    return { pseudonymKey: Buffer.from(options.pseudonymKey, 'base64'), encryptionKey: Buffer.from(options.bsnEncryptionKey, 'base64') };
  }
  const file = path.join(options.dataDir, 'keys.json');
  if (!existsSync(file)) {
    mkdirSync(options.dataDir, { recursive: true });
    const generated = { pseudonymKey: randomBytes(32).toString('base64'), bsnEncryptionKey: randomBytes(32).toString('base64') };
    writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
  }
  const stored = JSON.parse(readFileSync(file, 'utf8')) as { pseudonymKey: string; bsnEncryptionKey: string };
  return {
    pseudonymKey: Buffer.from(options.pseudonymKey ?? stored.pseudonymKey, 'base64'),
    encryptionKey: Buffer.from(options.bsnEncryptionKey ?? stored.bsnEncryptionKey, 'base64'),
  };
}
