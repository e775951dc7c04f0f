/** The rule that says what a fresh register answer changed, by example: plain values, no database. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Bsn } from '../persons/bsn.ts';
import type { RegisteredPerson } from '../population-register/population-register.ts';
import { registerChange } from './register-changes.ts';

const key = (n: number) => new Uint8Array(32).fill(n);
const stored = { deceased_on: null, suspension: null, municipality_code: '0599', address_key: key(1) };
const person = (overrides: Partial<RegisteredPerson> = {}): RegisteredPerson => ({
  bsn: Bsn.parse('999999369')!,
  name: { givenNames: 'Teun', familyName: 'Groot Esselink' },
  gender: 'male',
  parents: [],
  confidential: false,
  municipalityCode: '0599',
  ...overrides,
});

test('nothing stored before (a first answer) is no change; the same answer neither', () => {
  assert.equal(registerChange(undefined, person({ deceasedOn: '2026-03-10' }), key(1)), undefined);
  assert.equal(registerChange(stored, person(), key(1)), undefined);
});

test('a death, by date or by suspension alone, once', () => {
  assert.equal(registerChange(stored, person({ deceasedOn: '2026-03-10' }), key(1)), 'death');
  assert.equal(registerChange(stored, person({ suspension: { reason: 'deceased' } }), key(1)), 'death');
  assert.equal(registerChange({ ...stored, deceased_on: '2026-03-10' }, person({ deceasedOn: '2026-03-10' }), key(1)), undefined);
  // A death wins over a move recorded at the same time.
  assert.equal(registerChange(stored, person({ deceasedOn: '2026-03-10', municipalityCode: '0363' }), key(2)), 'death');
});

test('an emigration, once; a move away or within the municipality by the code and the address pseudonym', () => {
  assert.equal(registerChange(stored, person({ suspension: { reason: 'emigrated' }, municipalityCode: undefined }), null), 'emigration');
  assert.equal(registerChange({ ...stored, suspension: 'emigrated' }, person({ suspension: { reason: 'emigrated' } }), null), undefined);
  assert.equal(registerChange(stored, person({ municipalityCode: '0363' }), key(2)), 'moved_away');
  assert.equal(registerChange(stored, person(), key(2)), 'moved_within');
  assert.equal(registerChange({ ...stored, address_key: null }, person(), key(2)), 'moved_within');
  // No address object in the answer: nothing to compare, so no move is read into it.
  assert.equal(registerChange(stored, person(), null), undefined);
});
