import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addMonths, ageOn, amsterdamDate, anniversary, startOfAmsterdamDay } from '../shared/calendar.ts';
import { activeUntil, END_REASONS, isPurgedAtOnce, isWithinYouthRegime, type Regime, retainUntil, YOUTH_AGE_LIMIT } from './lifetime.ts';

const iso = (instant: Date) => instant.toISOString();
const instantBetween = (min: string, max: string) => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });
const isoDateBetween = (min: string, max: string) => instantBetween(`${min}T00:00:00Z`, `${max}T00:00:00Z`).map((d) => d.toISOString().slice(0, 10));

describe('activeUntil', () => {
  it('under all_ages is the filing instant plus the lifetime', () => {
    const filedAt = new Date('2026-01-31T10:00:00Z');
    assert.equal(iso(activeUntil({ filedAt, lifetimeMonths: 12, regime: 'all_ages', dateOfBirth: '2010-01-01' })), '2027-01-31T10:00:00.000Z');
    assert.equal(iso(activeUntil({ filedAt, lifetimeMonths: 1, regime: 'all_ages', dateOfBirth: '2010-01-01' })), '2026-02-28T10:00:00.000Z');
  });

  it('under all_ages ignores the 23rd birthday', () => {
    const filedAt = new Date('2026-01-10T09:00:00Z');
    assert.equal(iso(activeUntil({ filedAt, lifetimeMonths: 12, regime: 'all_ages', dateOfBirth: '2003-06-01' })), '2027-01-10T09:00:00.000Z');
  });

  it('under youth is the lifetime when the 23rd birthday comes later', () => {
    const filedAt = new Date('2026-01-10T09:00:00Z');
    assert.equal(iso(activeUntil({ filedAt, lifetimeMonths: 12, regime: 'youth', dateOfBirth: '2005-03-15' })), '2027-01-10T09:00:00.000Z');
  });

  it('under youth ends at 00:00 Amsterdam time on the 23rd birthday when that comes first', () => {
    const filedAt = new Date('2026-01-10T09:00:00Z');
    // Summer birthday: midnight CEST is 22:00 UTC the day before.
    assert.equal(iso(activeUntil({ filedAt, lifetimeMonths: 12, regime: 'youth', dateOfBirth: '2003-06-01' })), '2026-05-31T22:00:00.000Z');
    // Winter birthday: midnight CET is 23:00 UTC the day before.
    assert.equal(iso(activeUntil({ filedAt, lifetimeMonths: 12, regime: 'youth', dateOfBirth: '2003-12-01' })), '2026-11-30T23:00:00.000Z');
  });

  it('under youth lets someone born on 29 February turn 23 on 1 March', () => {
    const filedAt = new Date('2026-06-01T12:00:00Z');
    assert.equal(iso(activeUntil({ filedAt, lifetimeMonths: 24, regime: 'youth', dateOfBirth: '2004-02-29' })), '2027-02-28T23:00:00.000Z');
  });

  it('under youth for someone already 23 gives the (past) start of the birthday', () => {
    const filedAt = new Date('2026-01-10T09:00:00Z');
    assert.equal(iso(activeUntil({ filedAt, lifetimeMonths: 12, regime: 'youth', dateOfBirth: '2000-01-01' })), '2022-12-31T23:00:00.000Z');
  });

  it('refuses a lifetime that is not a whole number of months of at least 1', () => {
    const input = { filedAt: new Date('2026-01-10T09:00:00Z'), regime: 'all_ages' as const, dateOfBirth: '2010-01-01' };
    for (const lifetimeMonths of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => activeUntil({ ...input, lifetimeMonths }), RangeError, String(lifetimeMonths));
    }
  });

  const situation = fc.record({
    filedAt: instantBetween('1990-01-01T00:00:00Z', '2080-12-31T23:59:59Z'),
    lifetimeMonths: fc.integer({ min: 1, max: 120 }),
    regime: fc.constantFrom<Regime>('all_ages', 'youth'),
    dateOfBirth: isoDateBetween('1950-01-01', '2080-12-31'),
  });

  it('is later than filing under all_ages, and under youth while the person is under 23 at filing', () => {
    fc.assert(
      fc.property(situation, (input) => {
        const underAgeLimit = isWithinYouthRegime(input.dateOfBirth, amsterdamDate(input.filedAt));
        if (input.regime === 'all_ages' || underAgeLimit) assert.ok(activeUntil(input) > input.filedAt);
      }),
    );
  });

  it('is never later than the lifetime, and exactly the lifetime under all_ages', () => {
    fc.assert(
      fc.property(situation, (input) => {
        const endOfLifetime = addMonths(input.filedAt, input.lifetimeMonths);
        const until = activeUntil(input);
        assert.ok(until <= endOfLifetime);
        if (input.regime === 'all_ages') assert.equal(until.getTime(), endOfLifetime.getTime());
      }),
    );
  });

  it('under youth is the earlier of the lifetime and the start of the 23rd birthday', () => {
    fc.assert(
      fc.property(situation, (input) => {
        const youth = { ...input, regime: 'youth' as const };
        const endOfYouth = startOfAmsterdamDay(anniversary(input.dateOfBirth, 23)).getTime();
        const endOfLifetime = addMonths(input.filedAt, input.lifetimeMonths).getTime();
        assert.equal(activeUntil(youth).getTime(), Math.min(endOfYouth, endOfLifetime));
        assert.ok(activeUntil(youth).getTime() <= endOfYouth);
      }),
    );
  });
});

describe('isWithinYouthRegime', () => {
  it('is true up to the day before the 23rd birthday', () => {
    assert.equal(YOUTH_AGE_LIMIT, 23);
    assert.equal(isWithinYouthRegime('2003-05-10', '2003-05-10'), true);
    assert.equal(isWithinYouthRegime('2003-05-10', '2026-05-09'), true);
    assert.equal(isWithinYouthRegime('2003-05-10', '2026-05-10'), false);
    assert.equal(isWithinYouthRegime('1960-01-01', '2026-05-10'), false);
  });

  it('lets someone born on 29 February leave it on 1 March in a non-leap year', () => {
    assert.equal(isWithinYouthRegime('2004-02-29', '2027-02-28'), true);
    assert.equal(isWithinYouthRegime('2004-02-29', '2027-03-01'), false);
  });

  it('refuses invalid dates', () => {
    assert.throws(() => isWithinYouthRegime('2004-02-30', '2026-01-01'), RangeError);
    assert.throws(() => isWithinYouthRegime('2004-02-01', '2026-1-1'), RangeError);
  });

  it('is the same as being younger than 23', () => {
    fc.assert(
      fc.property(isoDateBetween('1950-01-01', '2050-12-31'), fc.integer({ min: 0, max: 40 * 366 }), (dateOfBirth, days) => {
        const onDate = new Date(Date.parse(`${dateOfBirth}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
        assert.equal(isWithinYouthRegime(dateOfBirth, onDate), ageOn(dateOfBirth, onDate) < 23);
      }),
    );
  });
});

describe('retainUntil', () => {
  it('adds the retention in calendar months, clamping the day', () => {
    assert.equal(iso(retainUntil(new Date('2026-03-15T08:30:00Z'), 60)), '2031-03-15T08:30:00.000Z');
    assert.equal(iso(retainUntil(new Date('2026-08-31T08:30:00Z'), 6)), '2027-02-28T08:30:00.000Z');
    assert.equal(iso(retainUntil(new Date('2026-08-31T08:30:00Z'), 0)), '2026-08-31T08:30:00.000Z');
  });

  it('keeps the time of day, so clamping can put a later end a few hours earlier on the same day', () => {
    assert.equal(iso(retainUntil(new Date('2026-01-30T23:00:00Z'), 1)), '2026-02-28T23:00:00.000Z');
    assert.equal(iso(retainUntil(new Date('2026-01-31T01:00:00Z'), 1)), '2026-02-28T01:00:00.000Z');
  });

  it('refuses a negative or fractional retention', () => {
    assert.throws(() => retainUntil(new Date('2026-01-01T00:00:00Z'), -1), RangeError);
    assert.throws(() => retainUntil(new Date('2026-01-01T00:00:00Z'), 0.5), RangeError);
  });

  it('grows strictly with the retention and is never before the end', () => {
    fc.assert(
      fc.property(
        instantBetween('1990-01-01T00:00:00Z', '2080-12-31T00:00:00Z'),
        fc.integer({ min: 0, max: 240 }),
        fc.integer({ min: 1, max: 240 }),
        (endedAt, months, more) => {
          assert.ok(retainUntil(endedAt, months) >= endedAt);
          assert.ok(retainUntil(endedAt, months) < retainUntil(endedAt, months + more));
        },
      ),
    );
  });

  it('never falls on an earlier (UTC) day for a later end', () => {
    fc.assert(
      fc.property(
        instantBetween('1990-01-01T00:00:00Z', '2080-12-31T00:00:00Z'),
        fc.integer({ min: 0, max: 90 * 86_400_000 }),
        fc.integer({ min: 0, max: 240 }),
        (endedAt, laterBy, months) => {
          const later = new Date(endedAt.getTime() + laterBy);
          const day = (instant: Date) => instant.toISOString().slice(0, 10);
          assert.ok(day(retainUntil(endedAt, months)) <= day(retainUntil(later, months)));
        },
      ),
    );
  });
});

describe('end reasons', () => {
  it('lists the reasons a signal can be ended with', () => {
    assert.deepEqual([...END_REASONS], ['care_ended', 'moved', 'deceased', 'unjustified', 'objection_upheld']);
  });

  it('purges at once only unjustified signals and upheld objections', () => {
    assert.deepEqual(
      END_REASONS.map((reason) => [reason, isPurgedAtOnce(reason)]),
      [
        ['care_ended', false],
        ['moved', false],
        ['deceased', false],
        ['unjustified', true],
        ['objection_upheld', true],
      ],
    );
  });
});
