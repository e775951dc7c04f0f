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

/** One version of a key; versions count up from 1 (docs/operations.md, "Key rotation"). */
export type KeyVersion = { version: number; key: Buffer };

/**
 * The keys, each in one or more versions. The single-key form is version 1 of each. The newest
 * pseudonym version makes every key written; the earlier ones stay for good (see createPersonCrypto).
 * The newest encryption version encrypts; an earlier one is needed only until everything encrypted
 * with it is encrypted again (persons/key-rotation.ts).
 */
export type IdentityKeys = { pseudonymKey: Buffer; encryptionKey: Buffer } | { pseudonymKeys: KeyVersion[]; encryptionKeys: KeyVersion[] };

/** The purposes text is sealed for (PersonCrypto.sealText), one per table column that holds sealed text. */
export const SEALED_TEXT_PURPOSES = { keptForm: 'web_kept_forms.fields', personStatement: 'person statement' } as const;

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
  /** A BSN copy (no purpose) or sealed text encrypted again with the newest encryption version. */
  reencrypt(ciphertext: Uint8Array, purpose: string | undefined): Buffer;
  /** The pseudonym key version every key is made with (the newest configured). */
  pseudonymVersion: number;
  /** The encryption key version new ciphertexts get (their first byte). */
  encryptionVersion: number;
  /** The encryption versions this process can decrypt. */
  encryptionVersions: readonly number[];
  /** The same keys one pseudonym version back (undefined at version 1): the keys rows still hold during a rotation. */
  previous: PersonCrypto | undefined;
  /** A person key (of a BSN, a person without one, a parent) of the previous version, made into this version's. */
  rekeyPersonKey(previousKey: Uint8Array): Buffer;
  /** An address key of the previous version, made into this version's. */
  rekeyAddressKey(previousKey: Uint8Array): Buffer;
};

const hkdf = (key: Buffer, info: string) => createSecretKey(Buffer.from(hkdfSync('sha256', key, Buffer.alloc(0), info, 32)));
const hmac = (key: KeyObject, data: string | Uint8Array) => createHmac('sha256', key).update(data).digest();

function versionsOf(keys: IdentityKeys): { pseudonym: KeyVersion[]; encryption: KeyVersion[] } {
  const sorted = (list: KeyVersion[]) => [...list].sort((a, b) => a.version - b.version);
  if ('pseudonymKey' in keys) return { pseudonym: [{ version: 1, key: keys.pseudonymKey }], encryption: [{ version: 1, key: keys.encryptionKey }] };
  const pseudonym = sorted(keys.pseudonymKeys);
  // Each pseudonym version is made from the one before (see below), so none may be missing.
  if (pseudonym.length === 0 || pseudonym.some((k, i) => k.version !== i + 1)) throw new Error('The pseudonym key versions must be 1, 2, … without gaps');
  const encryption = sorted(keys.encryptionKeys);
  if (encryption.length === 0 || encryption.some((k) => !Number.isInteger(k.version) || k.version < 1 || k.version > 255)) {
    throw new Error('The encryption key versions must be whole numbers 1-255, at least one');
  }
  return { pseudonym, encryption };
}

/**
 * Version 1 of the pseudonyms is HMAC-SHA256 with the pseudonym key (or a key derived from it per use).
 * A later version v is made from version v-1: HMAC-SHA256 of the v-1 pseudonym with a key derived from
 * key v (one for person keys, one for address keys). So a stored key is re-keyed from itself, without
 * its BSN or address, which SluiS holds of no parent and no address; and it takes every version's key
 * to link a BSN to a stored key, so a leaked earlier key alone links nothing once everything is
 * re-keyed. Every pseudonym version therefore stays configured.
 */
export function createPersonCrypto(keys: IdentityKeys): PersonCrypto {
  const { pseudonym, encryption } = versionsOf(keys);
  return cryptoAt(pseudonym, encryption);
}

function cryptoAt(pseudonym: KeyVersion[], encryption: KeyVersion[]): PersonCrypto {
  const newest = pseudonym[pseudonym.length - 1]!;
  const previous = pseudonym.length > 1 ? cryptoAt(pseudonym.slice(0, -1), encryption) : undefined;
  // Key objects made once: passing raw bytes makes Node import the key on every call.
  const cursorKey = hkdf(newest.key, 'sluis paging cursors v1');
  let personKey: (bsn: Bsn) => Buffer;
  let detailsKey: (identity: string) => Buffer;
  let addressKey: (addressObjectId: string) => Buffer;
  let rekeyPersonKey: (previousKey: Uint8Array) => Buffer;
  let rekeyAddressKey: (previousKey: Uint8Array) => Buffer;
  if (!previous) {
    const pseudonymKey = createSecretKey(newest.key);
    const addressKeyKey = hkdf(newest.key, 'sluis address keys v1');
    const detailsKeyKey = hkdf(newest.key, 'sluis persons without a bsn v1');
    personKey = (bsn) => hmac(pseudonymKey, bsn.reveal());
    detailsKey = (identity) => hmac(detailsKeyKey, identity);
    addressKey = (addressObjectId) => hmac(addressKeyKey, addressObjectId);
    rekeyPersonKey = rekeyAddressKey = () => {
      throw new Error('Version 1 has no earlier version');
    };
  } else {
    const personChain = hkdf(newest.key, 'sluis person key rotation v1');
    const addressChain = hkdf(newest.key, 'sluis address key rotation v1');
    rekeyPersonKey = (previousKey) => hmac(personChain, previousKey);
    rekeyAddressKey = (previousKey) => hmac(addressChain, previousKey);
    personKey = (bsn) => rekeyPersonKey(previous.personKey(bsn));
    detailsKey = (identity) => rekeyPersonKey(previous.detailsKey(identity));
    addressKey = (addressObjectId) => rekeyAddressKey(previous.addressKey(addressObjectId));
  }

  const encryptionKeys = new Map(encryption.map((k) => [k.version, createSecretKey(k.key)]));
  const textKeys = new Map(encryption.map((k) => [k.version, hkdf(k.key, 'sluis sealed text v1')]));
  const encryptionVersion = encryption[encryption.length - 1]!.version;
  // Layout: version byte, 12-byte IV, 16-byte tag, ciphertext. The version names the key.
  const seal = (keys: Map<number, KeyObject>, plain: string, aad: string | undefined) => {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', keys.get(encryptionVersion)!, iv);
    if (aad !== undefined) cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return Buffer.concat([Buffer.from([encryptionVersion]), iv, cipher.getAuthTag(), body]);
  };
  const open = (keys: Map<number, KeyObject>, ciphertext: Uint8Array, aad: string | undefined, what: string) => {
    const data = Buffer.from(ciphertext);
    const key = keys.get(data[0]!);
    if (!key) throw new Error(`Unknown ${what} version ${data[0]}: its encryption key is not configured`);
    const decipher = createDecipheriv('aes-256-gcm', key, data.subarray(1, 13));
    if (aad !== undefined) decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(data.subarray(13, 29));
    return Buffer.concat([decipher.update(data.subarray(29)), decipher.final()]).toString('utf8');
  };
  return {
    cursorKey,
    addressKey,
    sealText: (text, purpose) => seal(textKeys, text, purpose),
    openText: (ciphertext, purpose) => open(textKeys, ciphertext, purpose, 'sealed text'),
    detailsKey,
    personKey,
    encrypt: (bsn) => seal(encryptionKeys, bsn.reveal(), undefined),
    decrypt: (ciphertext) => open(encryptionKeys, ciphertext, undefined, 'BSN ciphertext'),
    reencrypt: (ciphertext, purpose) =>
      purpose === undefined
        ? seal(encryptionKeys, open(encryptionKeys, ciphertext, undefined, 'BSN ciphertext'), undefined)
        : seal(textKeys, open(textKeys, ciphertext, purpose, 'sealed text'), purpose),
    pseudonymVersion: newest.version,
    encryptionVersion,
    encryptionVersions: encryption.map((k) => k.version),
    previous,
    rekeyPersonKey,
    rekeyAddressKey,
  };
}

/** The key lists as configured: `2:base64,1:base64` (SLUIS_PSEUDONYM_KEYS, SLUIS_BSN_ENCRYPTION_KEYS). Throws on a malformed list. */
export function parseKeyList(text: string): KeyVersion[] {
  const list = text.split(',').map((part) => {
    const match = /^\s*(\d{1,3})\s*:\s*([A-Za-z0-9+/]+={0,2})\s*$/.exec(part);
    if (!match) throw new Error('a key list is version:base64 pairs separated by commas, e.g. 2:…,1:…');
    return { version: Number(match[1]), key: Buffer.from(match[2]!, 'base64') };
  });
  if (new Set(list.map((k) => k.version)).size !== list.length) throw new Error('a key list names each version once');
  return list;
}

/** What keys.json holds: version 1 of each key as before, and later versions by number. */
type KeysFile = { pseudonymKey?: string; bsnEncryptionKey?: string; pseudonymKeys?: Record<string, string>; bsnEncryptionKeys?: Record<string, string> };

export type KeyOptions = {
  pseudonymKey?: string | undefined;
  bsnEncryptionKey?: string | undefined;
  pseudonymKeys?: string | undefined;
  bsnEncryptionKeys?: string | undefined;
  dataDir: string;
};

const keysFile = (dataDir: string) => path.join(dataDir, 'keys.json');

function fromFile(single: string | undefined, later: Record<string, string> | undefined): KeyVersion[] {
  return [
    ...(single ? [{ version: 1, key: Buffer.from(single, 'base64') }] : []),
    ...Object.entries(later ?? {}).map(([version, key]) => ({ version: Number(version), key: Buffer.from(key, 'base64') })),
  ];
}

function fromOptions(single: string | undefined, list: string | undefined): KeyVersion[] | undefined {
  if (!single && !list) return undefined;
  const versions = list ? parseKeyList(list) : [];
  if (single && versions.some((k) => k.version === 1)) throw new Error('version 1 is given twice (the single key and the list)');
  return [...(single ? [{ version: 1, key: Buffer.from(single, 'base64') }] : []), ...versions];
}

/**
 * Keys from configuration, or (embedded mode only) from `<dataDir>/keys.json`, created if missing.
 * Each kind comes whole from one place: the environment when it names that kind, else the file.
 */
export function loadIdentityKeys(options: KeyOptions): IdentityKeys {
  let pseudonymKeys = fromOptions(options.pseudonymKey, options.pseudonymKeys);
  let encryptionKeys = fromOptions(options.bsnEncryptionKey, options.bsnEncryptionKeys);
  if (!pseudonymKeys || !encryptionKeys) {
    const file = keysFile(options.dataDir);
    if (!existsSync(file)) {
      mkdirSync(options.dataDir, { recursive: true });
      const generated = { pseudonymKey: randomBytes(32).toString('base64'), bsnEncryptionKey: randomBytes(32).toString('base64') };
      writeFileSync(file, `${JSON.stringify(generated, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    }
    const stored = JSON.parse(readFileSync(file, 'utf8')) as KeysFile;
    pseudonymKeys ??= fromFile(stored.pseudonymKey, stored.pseudonymKeys);
    encryptionKeys ??= fromFile(stored.bsnEncryptionKey, stored.bsnEncryptionKeys);
  }
  return { pseudonymKeys, encryptionKeys };
}

/**
 * A new version of a key, after the newest: written into keys.json (embedded mode), or only made
 * (the caller prints it for the environment or secret store). Gives the version and the key.
 */
export function newKeyVersion(current: IdentityKeys, kind: 'pseudonym' | 'encryption'): KeyVersion {
  const { pseudonym, encryption } = versionsOf(current);
  const versions = kind === 'pseudonym' ? pseudonym : encryption;
  const version = versions[versions.length - 1]!.version + 1;
  if (version > 255) throw new Error('No key version after 255');
  return { version, key: randomBytes(32) };
}

/** Adds a key version to keys.json (embedded mode); the file stays 0600. */
export function addKeyVersionToFile(dataDir: string, kind: 'pseudonym' | 'encryption', added: KeyVersion): void {
  const file = keysFile(dataDir);
  const stored = JSON.parse(readFileSync(file, 'utf8')) as KeysFile;
  const field = kind === 'pseudonym' ? 'pseudonymKeys' : 'bsnEncryptionKeys';
  stored[field] = { ...stored[field], [String(added.version)]: added.key.toString('base64') };
  writeFileSync(file, `${JSON.stringify(stored, null, 2)}\n`, { mode: 0o600 });
}

/** The configured versions of each key, newest last. */
export function keyVersions(keys: IdentityKeys): { pseudonym: number[]; encryption: number[] } {
  const { pseudonym, encryption } = versionsOf(keys);
  return { pseudonym: pseudonym.map((k) => k.version), encryption: encryption.map((k) => k.version) };
}
