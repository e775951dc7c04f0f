import assert from 'node:assert/strict';
import { test } from 'node:test';
import { apDeadline, apStanding, personsText } from './breach-rules.ts';

const discovered = new Date('2026-03-10T09:30:00Z');
const deadline = apDeadline(discovered);
const at = (iso: string) => new Date(iso);

test('the AP deadline is 72 hours after discovery', () => {
  assert.equal(deadline.toISOString(), '2026-03-13T09:30:00.000Z');
});

test('where a breach stands: open with hours left, overdue with hours past, not required, told on time or late', () => {
  const open = { apRequired: null, apNotifiedOn: null };
  assert.deepEqual(apStanding(open, deadline, '2026-03-13', at('2026-03-10T10:30:00Z')), { state: 'open', hoursLeft: 71 });
  assert.deepEqual(apStanding({ ...open, apRequired: true }, deadline, '2026-03-13', at('2026-03-13T09:30:00Z')), { state: 'open', hoursLeft: 0 });
  assert.deepEqual(apStanding(open, deadline, '2026-03-13', at('2026-03-13T12:31:00Z')), { state: 'overdue', hoursOver: 3 });
  assert.deepEqual(apStanding({ apRequired: false, apNotifiedOn: null }, deadline, '2026-03-13', at('2026-04-01T00:00:00Z')), { state: 'not_required' });
  assert.deepEqual(apStanding({ apRequired: true, apNotifiedOn: '2026-03-13' }, deadline, '2026-03-13', at('2026-04-01T00:00:00Z')), {
    state: 'notified',
    late: false,
  });
  assert.deepEqual(apStanding({ apRequired: true, apNotifiedOn: '2026-03-14' }, deadline, '2026-03-13', at('2026-04-01T00:00:00Z')), {
    state: 'notified',
    late: true,
  });
});

test('how many persons, in words', () => {
  assert.equal(personsText(1, 1), '1 persoon');
  assert.equal(personsText(40, 40), '40 personen');
  assert.equal(personsText(10, 50), '10 tot 50 personen');
  assert.equal(personsText(1200, null), 'minstens 1.200 personen');
});
