import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import fc from 'fast-check';
import { Bsn } from './bsn.ts';
import { createPersonCrypto } from './identity-keys.ts';
import { identityWithoutBsn, normalisedFamilyName, unbornIdentity } from './identity-without-bsn.ts';

test('a family name is the same identity however it is typed: prefix apart or together, case, accents, spaces and hyphens', () => {
  const one = normalisedFamilyName({ familyNamePrefix: 'van der', familyName: 'Berg' });
  for (const name of [
    { familyName: 'van der Berg' },
    { familyName: 'Van Der Berg' },
    { familyName: 'Vanderberg' },
    { familyNamePrefix: 'Van der', familyName: 'Bérg' },
    { familyNamePrefix: 'van', familyName: 'der-Berg' },
    { familyName: ' van  der  berg ' },
  ]) {
    assert.equal(normalisedFamilyName(name), one, JSON.stringify(name));
  }
  assert.equal(one, 'vanderberg');
  assert.equal(normalisedFamilyName({ familyName: 'El-Amrani' }), 'elamrani');
  assert.equal(normalisedFamilyName({ familyName: "D'Artagnan" }), 'dartagnan');
  assert.equal(normalisedFamilyName({ familyName: 'Straße' }), 'strasse');
  assert.equal(normalisedFamilyName({ familyName: 'Øster' }), 'øster', 'a letter that is not an accented one stays itself');
});

test('different family names, dates of birth or genders are different identities', () => {
  const base = { name: { familyName: 'Jansen' }, dateOfBirth: '2015-03-01', gender: 'female' } as const;
  const identity = identityWithoutBsn(base);
  assert.ok(identity);
  assert.notEqual(identityWithoutBsn({ ...base, name: { familyName: 'Janssen' } }), identity);
  assert.notEqual(identityWithoutBsn({ ...base, dateOfBirth: '2015-03-02' }), identity);
  assert.notEqual(identityWithoutBsn({ ...base, gender: 'male' }), identity);
  assert.notEqual(identityWithoutBsn({ ...base, gender: 'other' }), identity);
});

test('an unknown gender or a family name without letters identifies nobody', () => {
  assert.equal(identityWithoutBsn({ name: { familyName: 'Jansen' }, dateOfBirth: '2015-03-01', gender: 'unknown' }), undefined);
  assert.equal(identityWithoutBsn({ name: { familyName: '-- 12' }, dateOfBirth: '2015-03-01', gender: 'male' }), undefined);
});

test('property: the key of a person without a BSN never equals the key of a BSN, and the same details give the same key', () => {
  const crypto = createPersonCrypto({ pseudonymKey: randomBytes(32), encryptionKey: randomBytes(32) });
  fc.assert(
    fc.property(
      fc.string({ minLength: 1, maxLength: 30 }),
      fc.constantFrom('male', 'female', 'other'),
      fc.integer({ min: 0, max: 999 }),
      (name, gender, day) => {
        const dateOfBirth = new Date(Date.UTC(2005, 0, 1) + day * 86_400_000).toISOString().slice(0, 10);
        const identity = identityWithoutBsn({ name: { familyName: `A${name}` }, dateOfBirth, gender: gender as 'male' });
        if (!identity) return false;
        assert.deepEqual(
          crypto.detailsKey(identity),
          crypto.detailsKey(identityWithoutBsn({ name: { familyName: `a${name}` }, dateOfBirth, gender: gender as 'male' })!),
        );
        // The identity text is never a nine-digit number, and its key is made with another key than a BSN's.
        assert.ok(!/^\d{9}$/.test(identity));
        const bsn = Bsn.parse('999999369')!;
        assert.notDeepEqual(crypto.detailsKey(identity), crypto.personKey(bsn));
        return true;
      },
    ),
  );
});

test("an unborn child's identity is its mother's BSN, never a BSN's own key nor an identity by details", () => {
  const crypto = createPersonCrypto({ pseudonymKey: randomBytes(32), encryptionKey: randomBytes(32) });
  const mother = Bsn.parse('999999357')!;
  const identity = unbornIdentity(mother);
  assert.equal(identity, unbornIdentity(Bsn.parse('999999357')!));
  assert.notEqual(identity, unbornIdentity(Bsn.parse('999999369')!));
  assert.notDeepEqual(crypto.detailsKey(identity), crypto.personKey(mother));
  assert.ok(!identity.startsWith('v1|'), 'another prefix than an identity by details');
});
