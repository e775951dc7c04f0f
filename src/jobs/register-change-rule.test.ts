/** The rule that says what a fresh register answer changed, by example and by property: plain values, no database. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { Bsn } from '../persons/bsn.ts';
import type { RegisteredPerson } from '../population-register/population-register.ts';
import { keysLeft, sameKeys } from '../population-register/register-rules.ts';
import { registerChanges } from './register-changes.ts';

const key = (n: number) => new Uint8Array(32).fill(n);
const stored = { deceased_on: null, suspension: null, municipality_code: '0599', address_key: key(1), parent_keys: [key(7), key(8)], confidential: false };
const person = (overrides: Partial<RegisteredPerson> = {}): RegisteredPerson => ({
  bsn: Bsn.parse('999999369')!,
  name: { givenNames: 'Teun', familyName: 'Groot Esselink' },
  gender: 'male',
  parents: [],
  confidential: false,
  municipalityCode: '0599',
  ...overrides,
});
/** The keys of the fresh answer: its address pseudonym, and its parents' (the stored ones unless said). */
const keys = (addressKey: Uint8Array | null, parentKeys: Uint8Array[] = [key(7), key(8)]) => ({ addressKey, parentKeys });

test('nothing stored before (a first answer) is no change; the same answer neither', () => {
  assert.deepEqual(registerChanges(undefined, person({ deceasedOn: '2026-03-10' }), keys(key(1))), []);
  assert.deepEqual(registerChanges(stored, person(), keys(key(1))), []);
});

test('a death, by date or by suspension alone, once', () => {
  assert.deepEqual(registerChanges(stored, person({ deceasedOn: '2026-03-10' }), keys(key(1))), ['death']);
  assert.deepEqual(registerChanges(stored, person({ suspension: { reason: 'deceased' } }), keys(key(1))), ['death']);
  assert.deepEqual(registerChanges({ ...stored, deceased_on: '2026-03-10' }, person({ deceasedOn: '2026-03-10' }), keys(key(1))), []);
  // A death is the only change, whatever else the answer changed: every signal ends and leaves every match.
  assert.deepEqual(registerChanges(stored, person({ deceasedOn: '2026-03-10', municipalityCode: '0363', confidential: true }), keys(key(2), [key(9)])), [
    'death',
  ]);
});

test('an emigration, once; a move away or within the municipality by the code and the address pseudonym', () => {
  assert.deepEqual(registerChanges(stored, person({ suspension: { reason: 'emigrated' }, municipalityCode: undefined }), keys(null)), ['emigration']);
  assert.deepEqual(registerChanges(stored, person({ suspension: { reason: 'emigrated' } }), keys(null, [key(9)])), ['emigration'], 'the only change');
  assert.deepEqual(registerChanges({ ...stored, suspension: 'emigrated' }, person({ suspension: { reason: 'emigrated' } }), keys(null)), []);
  assert.deepEqual(registerChanges(stored, person({ municipalityCode: '0363' }), keys(key(2))), ['moved_away']);
  assert.deepEqual(registerChanges(stored, person(), keys(key(2))), ['moved_within']);
  assert.deepEqual(registerChanges({ ...stored, address_key: null }, person(), keys(key(2))), ['moved_within']);
  // No address object in the answer: nothing to compare, so no move is read into it.
  assert.deepEqual(registerChanges(stored, person(), keys(null)), []);
});

test('the registered parents: a parent recognised, a parent link removed, another parent; the order of the parents is no change', () => {
  assert.deepEqual(registerChanges(stored, person(), keys(key(1), [key(7), key(8), key(9)])), ['parents_changed'], 'recognised');
  assert.deepEqual(registerChanges(stored, person(), keys(key(1), [key(7)])), ['parents_changed'], 'removed');
  assert.deepEqual(registerChanges(stored, person(), keys(key(1), [])), ['parents_changed'], 'none left');
  assert.deepEqual(registerChanges(stored, person(), keys(key(1), [key(7), key(9)])), ['parents_changed'], 'one for another');
  assert.deepEqual(registerChanges({ ...stored, parent_keys: [] }, person(), keys(key(1), [key(9)])), ['parents_changed'], 'a first one');
  assert.deepEqual(registerChanges(stored, person(), keys(key(1), [key(8), key(7)])), [], 'the same two, the other way round');
});

test('confidentiality set or lifted is a change of its own', () => {
  assert.deepEqual(registerChanges(stored, person({ confidential: true }), keys(key(1))), ['confidential']);
  assert.deepEqual(registerChanges({ ...stored, confidential: true }, person(), keys(key(1))), ['no_longer_confidential']);
  assert.deepEqual(registerChanges({ ...stored, confidential: true }, person({ confidential: true }), keys(key(1))), []);
});

test('several changes in one answer are all applied, in the order of the locks: parents, then the move, then confidentiality', () => {
  assert.deepEqual(registerChanges(stored, person(), keys(key(2), [key(9)])), ['parents_changed', 'moved_within']);
  assert.deepEqual(registerChanges(stored, person({ municipalityCode: '0363', confidential: true }), keys(key(2), [key(7)])), [
    'parents_changed',
    'moved_away',
    'confidential',
  ]);
});

test('keys compared as sets of bytes', () => {
  assert.equal(sameKeys([key(1), key(2)], [Buffer.from(key(2)), Buffer.from(key(1))]), true);
  assert.equal(sameKeys([key(1)], [key(1), key(2)]), false);
  assert.equal(sameKeys([], []), true);
  assert.deepEqual(keysLeft([key(1), key(2), key(3)], [key(2)]), [key(1), key(3)]);
  assert.deepEqual(keysLeft([key(1)], [key(1), key(4)]), []);
});

const keyArb = fc.integer({ min: 1, max: 4 }).map(key);
const previousArb = fc.record({
  deceased_on: fc.constantFrom(null, '2026-03-01'),
  suspension: fc.constantFrom(null, 'deceased', 'emigrated'),
  municipality_code: fc.constantFrom(null, '0599', '0363'),
  address_key: fc.option(keyArb, { nil: null }),
  parent_keys: fc.uniqueArray(keyArb, { maxLength: 2, selector: (k) => k[0] }),
  confidential: fc.boolean(),
});
const personArb = fc.record({
  deceasedOn: fc.constantFrom(undefined, '2026-03-10'),
  suspension: fc.constantFrom(undefined, { reason: 'deceased' as const }, { reason: 'emigrated' as const }),
  municipalityCode: fc.constantFrom(undefined, '0599', '0363'),
  confidential: fc.boolean(),
});
const freshKeysArb = fc.record({
  addressKey: fc.option(keyArb, { nil: null }),
  parentKeys: fc.uniqueArray(keyArb, { maxLength: 2, selector: (k) => k[0] }),
});
const ORDER = ['parents_changed', 'moved_away', 'moved_within', 'confidential', 'no_longer_confidential'];

test('by property: a death or an emigration comes alone; otherwise each change at most once, in the order of the locks', () => {
  fc.assert(
    fc.property(previousArb, personArb, freshKeysArb, (previous, fields, keys) => {
      const { deceasedOn, suspension, municipalityCode, ...rest } = fields;
      const fresh = person({ ...rest, ...(deceasedOn && { deceasedOn }), ...(suspension && { suspension }), municipalityCode });
      const changes = registerChanges(previous, fresh, keys);
      if (changes.includes('death') || changes.includes('emigration')) return changes.length === 1;
      const positions = changes.map((change) => ORDER.indexOf(change));
      const moves = changes.filter((change) => change.startsWith('moved_')).length;
      return positions.every((p, i) => p >= 0 && (i === 0 || p > positions[i - 1]!)) && moves <= 1;
    }),
  );
});

test('by property: the order in which the register lists the parents is never a change', () => {
  fc.assert(
    fc.property(previousArb, freshKeysArb, (previous, keys) => {
      const fresh = person();
      const forward = registerChanges(previous, fresh, keys);
      const backward = registerChanges(previous, fresh, { ...keys, parentKeys: [...keys.parentKeys].reverse() });
      const sameParents = registerChanges(previous, fresh, { ...keys, parentKeys: [...previous.parent_keys].reverse() });
      return JSON.stringify(forward) === JSON.stringify(backward) && !sameParents.includes('parents_changed');
    }),
  );
});
