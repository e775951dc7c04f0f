import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { isEmailAddress } from './email.ts';

/** An address of exactly `length` characters: a local part, then labels of at most 63 characters. */
function addressOfLength(length: number, local = 'a'): string {
  let domain = 'nl';
  while (local.length + 1 + domain.length < length) {
    const room = length - local.length - 1 - domain.length - 1;
    domain = `${'d'.repeat(Math.max(1, Math.min(63, room)))}.${domain}`;
  }
  return `${local}@${domain}`;
}

describe('isEmailAddress', () => {
  it('accepts addresses as people type them', () => {
    for (const address of [
      'naam@gemeente.nl',
      'Zoe.deVries@Example.nl',
      'info@organisatie.example',
      'a+tag@sub.domain.example',
      "o'brien@school.ie",
      'first_last-2@mail.co.uk',
      'x@xn--bcher-kva.de',
      'x@1.example',
      'x@a-b.nl',
    ])
      assert.equal(isEmailAddress(address), true, address);
  });

  it('refuses what is not a plain address', () => {
    for (const text of [
      '',
      'geen-adres',
      'nope',
      '@',
      'x@',
      '@x.nl',
      'a@b',
      'x@localhost',
      'a..b@x.nl',
      '.a@x.nl',
      'a.@x.nl',
      'a@-x.nl',
      'a@x-.nl',
      'a@x..nl',
      'a@.x.nl',
      'a@x.nl.',
      'a@x.n',
      'a@1.2.3.4',
      'a@[10.0.0.1]',
      '"a b"@x.nl',
      'a@b@x.nl',
      'a b@x.nl',
      ' a@x.nl',
      'a@x.nl ',
      'a@x.nl\n',
      'josé@x.nl',
      'a@bücher.de',
      'a@x_y.nl',
      'SluiS <sluis@gemeente.nl>',
    ])
      assert.equal(isEmailAddress(text), false, JSON.stringify(text));
  });

  it('keeps to the lengths of RFC 5321: 254 in all, 64 before the @, 63 per label', () => {
    assert.equal(isEmailAddress(addressOfLength(254)), true);
    assert.equal(isEmailAddress(addressOfLength(255)), false);
    assert.equal(isEmailAddress(`${'l'.repeat(64)}@x.nl`), true);
    assert.equal(isEmailAddress(`${'l'.repeat(65)}@x.nl`), false);
    assert.equal(isEmailAddress(`a@${'d'.repeat(63)}.nl`), true);
    assert.equal(isEmailAddress(`a@${'d'.repeat(64)}.nl`), false);
  });

  it('accepts every address fast-check generates within the length limit', () => {
    fc.assert(
      fc.property(
        fc.emailAddress().filter((address) => address.length <= 254),
        (address) => isEmailAddress(address) && isEmailAddress(address.toUpperCase()),
      ),
    );
  });

  it('refuses an address with a space, control character or non-ASCII character anywhere', () => {
    const intruder = fc.constantFrom(' ', '\t', '\n', '\u0000', '\u00a0', 'é', 'ß', '😀', '<', ',', ';', '(', '\\');
    fc.assert(
      fc.property(fc.emailAddress(), intruder, fc.nat(), (address, bad, at) => {
        const index = at % (address.length + 1);
        return !isEmailAddress(address.slice(0, index) + bad + address.slice(index));
      }),
    );
  });

  it('refuses anything without exactly one @ between the parts', () => {
    fc.assert(fc.property(fc.string({ maxLength: 80 }), (text) => isEmailAddress(text.replaceAll('@', '')) === false));
    fc.assert(fc.property(fc.emailAddress(), fc.emailAddress(), (a, b) => !isEmailAddress(`${a}@${b}`)));
  });

  it('accepts nothing longer than 254 characters', () => {
    fc.assert(
      fc.property(fc.integer({ min: 255, max: 400 }), fc.emailAddress(), (length, address) => {
        const local = address.slice(0, address.lastIndexOf('@'));
        return !isEmailAddress(addressOfLength(length, local));
      }),
    );
  });
});
