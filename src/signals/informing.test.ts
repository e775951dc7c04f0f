/** Following up postponed informing: who must have been informed, the date rules, and when the professional is asked. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDaysToIsoDate, ageOn } from '../shared/calendar.ts';
import { checkInformingRecord, informingDueAt, nextInformingReminderAt, partiesToInform } from './informing.ts';
import { requiredLegalBasis } from './legal-basis.ts';

const DAY = 86_400_000;
const codes = (problems: { code: string }[]) => problems.map((p) => p.code);

describe('partiesToInform', () => {
  it('follows the age rules on the date of informing', () => {
    assert.deepEqual(partiesToInform('2015-06-01', '2027-05-31'), ['legal_representative'], '11');
    assert.deepEqual(partiesToInform('2015-06-01', '2027-06-01'), ['person', 'legal_representative'], '12 on the day');
    assert.deepEqual(partiesToInform('2010-06-01', '2026-05-31'), ['person', 'legal_representative'], '15');
    assert.deepEqual(partiesToInform('2010-06-01', '2026-06-01'), ['person'], '16');
  });

  it('lets someone born on 29 February turn 12 on 1 March', () => {
    assert.deepEqual(partiesToInform('2016-02-29', '2028-02-28'), ['legal_representative']);
    assert.deepEqual(partiesToInform('2016-02-29', '2028-02-29'), ['person', 'legal_representative'], '2028 is a leap year');
    assert.deepEqual(partiesToInform('2012-02-29', '2023-02-28'), ['legal_representative']);
    assert.deepEqual(partiesToInform('2012-02-29', '2024-02-28'), ['legal_representative'], 'still 11 the day before');
    assert.deepEqual(partiesToInform('2011-02-28', '2023-02-28'), ['person', 'legal_representative']);
  });

  it('asks the person themselves once they have turned 23 since the signal was filed', () => {
    assert.deepEqual(partiesToInform('2003-04-01', '2026-04-01'), ['person']);
  });

  it('is what legal-basis.ts asks under 23, by property', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 * 366 }), fc.integer({ min: 0, max: 30 * 366 }), (birthOffset, days) => {
        const dateOfBirth = addDaysToIsoDate('1990-01-01', birthOffset);
        const onDate = addDaysToIsoDate(dateOfBirth, days);
        const age = ageOn(dateOfBirth, onDate);
        const requirement = requiredLegalBasis(age);
        assert.deepEqual(partiesToInform(dateOfBirth, onDate), requirement.kind === 'inform' ? requirement.parties : ['person']);
      }),
    );
  });
});

describe('checkInformingRecord', () => {
  const base = { dateOfBirth: '2014-09-15', filedOn: '2026-03-10', today: '2026-04-20' };

  it('accepts informing between the filing date and today, of everyone the age asks for', () => {
    assert.deepEqual(checkInformingRecord({ ...base, record: { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-03-10' } }), []);
    assert.deepEqual(
      checkInformingRecord({ ...base, record: { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-04-20' } }),
      [],
      'extra parties are fine',
    );
  });

  it('refuses a date before filing, after today, or that does not exist', () => {
    const record = (informedOn: string) => ({ basis: 'informed' as const, informed: ['legal_representative' as const], informedOn });
    assert.deepEqual(codes(checkInformingRecord({ ...base, record: record('2026-03-09') })), ['date_before_filing']);
    assert.deepEqual(codes(checkInformingRecord({ ...base, record: record('2026-04-21') })), ['date_in_future']);
    assert.deepEqual(codes(checkInformingRecord({ ...base, record: record('2026-02-30') })), ['invalid_date']);
  });

  it('names who is missing by the age on the date of informing, not on the filing date', () => {
    // 11 at filing, 12 on 2026-09-15: from then on both must be informed.
    const late = { ...base, today: '2026-10-01' };
    assert.deepEqual(checkInformingRecord({ ...late, record: { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-09-14' } }), []);
    const problems = checkInformingRecord({ ...late, record: { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-09-15' } });
    assert.deepEqual(
      problems.map((p) => [p.name, p.code]),
      [['informed', 'parties_missing']],
    );
    assert.match(problems[0]!.reason, /missing: person/);
  });

  it('accepts "not yet" with a reason category, and nothing else', () => {
    assert.deepEqual(checkInformingRecord({ ...base, record: { basis: 'informing_postponed', reason: 'not_reachable_yet' } }), []);
    const unknown = { basis: 'informing_postponed', reason: 'busy' } as unknown as Parameters<typeof checkInformingRecord>[0]['record'];
    assert.deepEqual(codes(checkInformingRecord({ ...base, record: unknown })), ['unknown_reason']);
  });
});

describe('when the professional is asked', () => {
  const filedAt = new Date('2026-03-10T09:00:00Z');

  it('is due a period after filing, or after "not yet" was last recorded, and stays due until recorded', () => {
    assert.equal(informingDueAt({ filedAt, deferredAt: null, followUpDays: 14 }).toISOString(), '2026-03-24T09:00:00.000Z');
    const deferredAt = new Date('2026-04-01T12:00:00Z');
    assert.equal(informingDueAt({ filedAt, deferredAt, followUpDays: 14 }).toISOString(), '2026-04-15T12:00:00.000Z');
  });

  it('reminds once per period: after filing, after each reminder, after "not yet"', () => {
    const at = (remindedAt: Date | null, deferredAt: Date | null = null) =>
      nextInformingReminderAt({ filedAt, deferredAt, remindedAt, followUpDays: 14 }).toISOString();
    assert.equal(at(null), '2026-03-24T09:00:00.000Z');
    assert.equal(at(new Date('2026-03-24T09:01:00Z')), '2026-04-07T09:01:00.000Z');
    assert.equal(at(new Date('2026-03-24T09:01:00Z'), new Date('2026-03-30T10:00:00Z')), '2026-04-13T10:00:00.000Z');
  });

  it('refuses a period that is not a whole number of days of at least 1', () => {
    for (const followUpDays of [0, -1, 2.5]) assert.throws(() => informingDueAt({ filedAt, deferredAt: null, followUpDays }), RangeError);
  });

  it('never asks twice within a period, and never before the follow-up is due, by property', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 365 }),
        fc.option(fc.integer({ min: 0, max: 400 * DAY }), { nil: null }),
        fc.option(fc.integer({ min: 0, max: 400 * DAY }), { nil: null }),
        (followUpDays, deferredAfter, remindedAfter) => {
          const deferredAt = deferredAfter === null ? null : new Date(filedAt.getTime() + deferredAfter);
          const remindedAt = remindedAfter === null ? null : new Date(filedAt.getTime() + remindedAfter);
          const next = nextInformingReminderAt({ filedAt, deferredAt, remindedAt, followUpDays });
          const due = informingDueAt({ filedAt, deferredAt, followUpDays });
          assert.ok(next >= due);
          if (remindedAt) assert.ok(next.getTime() - remindedAt.getTime() >= followUpDays * DAY);
          const latest = Math.max(filedAt.getTime(), deferredAt?.getTime() ?? 0, remindedAt?.getTime() ?? 0);
          assert.equal(next.getTime(), latest + followUpDays * DAY, 'the same as the sweep: greatest(filed, deferred, reminded) + period');
        },
      ),
    );
  });
});
