import assert from 'node:assert/strict';
import { test } from 'node:test';
import { covenantTransition } from './covenant-transitions.ts';

test('every allowed and every refused covenant transition', () => {
  const expected = {
    active: { suspend: 'suspended', resume: undefined, end: 'ended' },
    suspended: { suspend: undefined, resume: 'active', end: 'ended' },
    ended: { suspend: undefined, resume: undefined, end: undefined },
  } as const;
  for (const [from, actions] of Object.entries(expected)) {
    for (const [action, to] of Object.entries(actions)) {
      assert.equal(covenantTransition(from as keyof typeof expected, action as 'suspend'), to, `${from} --${action}-->`);
    }
  }
});
