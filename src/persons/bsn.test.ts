import assert from 'node:assert/strict';
import { test } from 'node:test';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { Bsn, passesElevenTest } from './bsn.ts';
import { createPersonCrypto } from './identity-keys.ts';

test('the 11-test accepts valid BSNs and refuses others', () => {
  for (const valid of ['111222333', '123456782', '100023757', '999999990']) assert.equal(passesElevenTest(valid), true, valid);
  for (const invalid of ['123456789', '111222334', '12345678', '1234567820', '12345678a', ' 11122233', '000000000', '']) {
    assert.equal(passesElevenTest(invalid), false, JSON.stringify(invalid));
  }
});

test('property: changing one digit of a valid BSN always breaks the 11-test', () => {
  const validBsn = fc
    .array(fc.integer({ min: 0, max: 9 }), { minLength: 8, maxLength: 8 })
    .map((digits) => {
      const sum = digits.reduce((total, d, i) => total + (9 - i) * d, 0);
      return { digits, check: sum % 11 };
    })
    .filter(({ digits, check }) => check <= 9 && digits.some((d) => d > 0))
    .map(({ digits, check }) => digits.join('') + String(check));
  fc.assert(
    fc.property(validBsn, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (bsn, position, delta) => {
      assert.equal(passesElevenTest(bsn), true);
      const changed = bsn.slice(0, position) + String((Number(bsn[position]) + delta) % 10) + bsn.slice(position + 1);
      return passesElevenTest(changed) === false;
    }),
  );
});

test('a Bsn never prints itself', () => {
  const bsn = Bsn.parse('111222333')!;
  assert.equal(bsn.reveal(), '111222333');
  for (const printed of [String(bsn), `${bsn}`, JSON.stringify({ bsn }), inspect(bsn), inspect({ nested: { bsn } })]) {
    assert.ok(!printed.includes('111222333'), printed);
    assert.ok(printed.includes('[bsn]'), printed);
  }
  assert.equal(Bsn.parse('111222334'), undefined);
});

test('the person key is a keyed pseudonym: stable per BSN, different per key, and the copy decrypts', () => {
  const crypto = createPersonCrypto({ pseudonymKey: Buffer.alloc(32, 1), encryptionKey: Buffer.alloc(32, 2) });
  const other = createPersonCrypto({ pseudonymKey: Buffer.alloc(32, 3), encryptionKey: Buffer.alloc(32, 2) });
  const bsn = Bsn.parse('123456782')!;
  assert.deepEqual(crypto.personKey(bsn), crypto.personKey(Bsn.parse('123456782')!));
  assert.notDeepEqual(crypto.personKey(bsn), other.personKey(bsn));
  assert.equal(crypto.personKey(bsn).length, 32);
  const first = crypto.encrypt(bsn);
  assert.notDeepEqual(first, crypto.encrypt(bsn), 'a fresh IV each time');
  assert.ok(!first.toString('latin1').includes('123456782'));
  assert.equal(crypto.decrypt(first), '123456782');
  const tampered = Buffer.from(first);
  tampered[tampered.length - 1]! ^= 1;
  assert.throws(() => crypto.decrypt(tampered));
});

test('sealed text opens only with its key and for its purpose, and shows nothing of itself', () => {
  const crypto = createPersonCrypto({ pseudonymKey: Buffer.alloc(32, 1), encryptionKey: Buffer.alloc(32, 2) });
  const other = createPersonCrypto({ pseudonymKey: Buffer.alloc(32, 1), encryptionKey: Buffer.alloc(32, 4) });
  const text = JSON.stringify({ bsn: '123456782', voornamen: 'Jan' });
  const sealed = crypto.sealText(text, 'kept form');
  assert.ok(!sealed.toString('latin1').includes('123456782'));
  assert.notDeepEqual(sealed, crypto.sealText(text, 'kept form'), 'a fresh IV each time');
  assert.equal(crypto.openText(sealed, 'kept form'), text);
  assert.throws(() => crypto.openText(sealed, 'something else'));
  assert.throws(() => other.openText(sealed, 'kept form'));
  // The BSN copy and sealed text use different keys: neither opens as the other.
  assert.throws(() => crypto.decrypt(sealed));
});
