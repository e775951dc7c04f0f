import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayableFieldName, unstorableTextPaths } from './text.ts';

test('a field name is repeated only when it has the shape of the API’s own names', () => {
  for (const name of ['familyName', 'person', 'dateOfBirth', 'clientReference']) assert.equal(displayableFieldName(name), name);
  for (const name of ['708227156', 'Jansen', 'person_bsn', '3f1c2a9e-1b2c-4d5e-8f90-0a1b2c3d4e5f', 'bsn708227156', '', 'a'.repeat(41), 'naam met spatie'])
    assert.equal(displayableFieldName(name), '*', name);
  assert.equal(displayableFieldName(3), '3');
});

test('text the database cannot store is found by its path, however deep', () => {
  assert.deepEqual(
    unstorableTextPaths({ person: { name: { familyName: '\ud800' } }, list: ['ok', 'a\u0000b'] })
      .map((p) => p.join('.'))
      .sort(),
    ['list.1', 'person.name.familyName'],
  );
  assert.deepEqual(unstorableTextPaths({ fine: 'Zoë 😀', n: 1, none: null }), []);
});
