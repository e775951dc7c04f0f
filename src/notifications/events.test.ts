/** What of an outbox payload leaves SluiS (webhooks, the feed): by example, plain values. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { publicEventData } from './events.ts';

test('a person match: everything but the routing of a move', () => {
  assert.deepEqual(publicEventData({ matchId: 'm', signalId: 'mine', leftSignalId: 'theirs', municipalityCode: '0363' }), {
    matchId: 'm',
    signalId: 'mine',
    leftSignalId: 'theirs',
  });
});

test('a family or address match: which other signal joined or left stays inside; the own signal leaving is said', () => {
  for (const matchKind of ['family', 'address'] as const) {
    assert.deepEqual(publicEventData({ matchId: 'm', signalId: 'mine', leftSignalId: 'theirs', matchKind }), { matchId: 'm', signalId: 'mine', matchKind });
    assert.deepEqual(publicEventData({ matchId: 'm', signalId: 'mine', newSignalId: 'theirs', matchKind }), { matchId: 'm', signalId: 'mine', matchKind });
    assert.deepEqual(publicEventData({ matchId: 'm', signalId: 'mine', leftSignalId: 'mine', matchKind }), {
      matchId: 'm',
      signalId: 'mine',
      leftSignalId: 'mine',
      matchKind,
    });
  }
});
