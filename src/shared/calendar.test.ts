import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addMonths, ageOn, amsterdamDate, amsterdamInstant, anniversary, isValidIsoDate, startOfAmsterdamDay } from './calendar.ts';

const HOUR = 3_600_000;

/** ISO dates between two bounds (inclusive), as 'YYYY-MM-DD'. */
const isoDateBetween = (min: string, max: string) =>
  fc
    .date({ min: new Date(`${min}T00:00:00.000Z`), max: new Date(`${max}T00:00:00.000Z`), noInvalidDate: true })
    .map((instant) => instant.toISOString().slice(0, 10));

const instantBetween = (min: string, max: string) => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });

/** Milliseconds since UTC midnight. */
const timeOfDay = (instant: Date) => ((instant.getTime() % (24 * HOUR)) + 24 * HOUR) % (24 * HOUR);

/** The previous calendar date, computed independently of the module under test. */
const previousDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) - 24 * HOUR).toISOString().slice(0, 10);

describe('isValidIsoDate', () => {
  it('accepts real calendar dates', () => {
    for (const value of ['2026-01-01', '2024-02-29', '2000-02-29', '2026-12-31', '0001-01-01', '9999-12-31']) {
      assert.equal(isValidIsoDate(value), true, value);
    }
  });

  it('rejects dates that do not exist', () => {
    for (const value of ['2026-02-30', '2023-02-29', '1900-02-29', '2026-04-31', '2026-13-01', '2026-00-10', '2026-01-00', '0000-01-01']) {
      assert.equal(isValidIsoDate(value), false, value);
    }
  });

  it('rejects anything but exactly YYYY-MM-DD', () => {
    for (const value of [
      '2026-1-01',
      '2026-01-1',
      '26-01-01',
      '2026/01/01',
      ' 2026-01-01',
      '2026-01-01 ',
      '2026-01-01T00:00:00Z',
      '+02026-01-01',
      '',
      '２０２６-01-01',
    ]) {
      assert.equal(isValidIsoDate(value), false, JSON.stringify(value));
    }
  });

  it('agrees with the proleptic Gregorian calendar for any year, month and day numbers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 9999 }), fc.integer({ min: 0, max: 13 }), fc.integer({ min: 0, max: 32 }), (year, month, day) => {
        const candidate = new Date(0);
        candidate.setUTCFullYear(year, month - 1, day);
        const exists = candidate.getUTCFullYear() === year && candidate.getUTCMonth() === month - 1 && candidate.getUTCDate() === day;
        const text = `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        assert.equal(isValidIsoDate(text), exists);
      }),
    );
  });
});

describe('amsterdamDate', () => {
  it('is one hour ahead of UTC in winter (CET)', () => {
    assert.equal(amsterdamDate(new Date('2026-01-15T22:59:59.999Z')), '2026-01-15');
    assert.equal(amsterdamDate(new Date('2026-01-15T23:00:00.000Z')), '2026-01-16');
  });

  it('is two hours ahead of UTC in summer (CEST)', () => {
    assert.equal(amsterdamDate(new Date('2026-07-01T21:59:59.999Z')), '2026-07-01');
    assert.equal(amsterdamDate(new Date('2026-07-01T22:00:00.000Z')), '2026-07-02');
  });

  it('crosses the year boundary in local time', () => {
    assert.equal(amsterdamDate(new Date('2025-12-31T23:30:00Z')), '2026-01-01');
  });

  it('refuses an invalid Date', () => {
    assert.throws(() => amsterdamDate(new Date(Number.NaN)), RangeError);
  });

  it('always returns a valid date within a day of the UTC date', () => {
    fc.assert(
      fc.property(instantBetween('1970-01-01T00:00:00Z', '2100-12-31T00:00:00Z'), (instant) => {
        const local = amsterdamDate(instant);
        const utc = instant.toISOString().slice(0, 10);
        assert.equal(isValidIsoDate(local), true);
        assert.ok(local === utc || previousDate(local) === utc, `${local} vs UTC ${utc}`);
      }),
    );
  });
});

describe('amsterdamInstant', () => {
  it('is the wall-clock time in CET or CEST, also on the days the clocks change', () => {
    assert.equal(amsterdamInstant('2026-01-16', 9, 30).toISOString(), '2026-01-16T08:30:00.000Z');
    assert.equal(amsterdamInstant('2026-07-02', 0, 0).toISOString(), '2026-07-01T22:00:00.000Z');
    assert.equal(amsterdamInstant('2026-03-29', 3, 30).toISOString(), '2026-03-29T01:30:00.000Z');
    assert.equal(amsterdamInstant('2026-10-25', 10, 0).toISOString(), '2026-10-25T09:00:00.000Z');
    assert.equal(amsterdamInstant('2026-10-25', 23, 59).toISOString(), '2026-10-25T22:59:00.000Z');
    assert.throws(() => amsterdamInstant('2026-01-16', 24, 0), RangeError);
  });
});

describe('startOfAmsterdamDay', () => {
  it('is 23:00 UTC the day before in winter and 22:00 UTC in summer', () => {
    assert.equal(startOfAmsterdamDay('2026-01-16').toISOString(), '2026-01-15T23:00:00.000Z');
    assert.equal(startOfAmsterdamDay('2026-07-02').toISOString(), '2026-07-01T22:00:00.000Z');
  });

  it('handles the days the clocks change', () => {
    // 29 March 2026: clocks go forward at 02:00, so the day starts in CET and lasts 23 hours.
    assert.equal(startOfAmsterdamDay('2026-03-29').toISOString(), '2026-03-28T23:00:00.000Z');
    assert.equal(startOfAmsterdamDay('2026-03-30').toISOString(), '2026-03-29T22:00:00.000Z');
    // 25 October 2026: clocks go back at 03:00, so the day starts in CEST and lasts 25 hours.
    assert.equal(startOfAmsterdamDay('2026-10-25').toISOString(), '2026-10-24T22:00:00.000Z');
    assert.equal(startOfAmsterdamDay('2026-10-26').toISOString(), '2026-10-25T23:00:00.000Z');
  });

  it('refuses an invalid date', () => {
    assert.throws(() => startOfAmsterdamDay('2026-02-30'), RangeError);
    assert.throws(() => startOfAmsterdamDay('20260101'), RangeError);
  });

  it('is the first instant of that Amsterdam date', () => {
    fc.assert(
      fc.property(isoDateBetween('1970-01-02', '2100-12-31'), (date) => {
        const start = startOfAmsterdamDay(date);
        assert.equal(amsterdamDate(start), date);
        assert.equal(amsterdamDate(new Date(start.getTime() - 1)), previousDate(date));
        const offsetHours = (Date.parse(`${date}T00:00:00Z`) - start.getTime()) / HOUR;
        assert.ok(offsetHours === 1 || offsetHours === 2, `offset ${offsetHours}h`);
      }),
    );
  });

  it('on historical days when the clock changed at midnight, is still the first instant of that date', () => {
    // Offset changes at local midnight in the time zone data (1892, 1914, 1916): 00:00 was skipped or repeated.
    for (const date of ['1892-05-01', '1914-11-08', '1916-05-01', '1916-10-01', '0001-01-01']) {
      const start = startOfAmsterdamDay(date);
      assert.equal(amsterdamDate(start), date, date);
      if (date !== '0001-01-01') assert.equal(amsterdamDate(new Date(start.getTime() - 1)), previousDate(date), date);
    }
  });

  it('is the first instant of the date in any year since 1850', () => {
    fc.assert(
      fc.property(isoDateBetween('1850-01-02', '2200-12-31'), (date) => {
        const start = startOfAmsterdamDay(date);
        assert.equal(amsterdamDate(start), date);
        assert.equal(amsterdamDate(new Date(start.getTime() - 1)), previousDate(date));
      }),
    );
  });

  it('gives days of 23, 24 or 25 hours', () => {
    fc.assert(
      fc.property(isoDateBetween('1970-01-02', '2100-12-30'), (date) => {
        const nextDate = new Date(Date.parse(`${date}T00:00:00Z`) + 24 * HOUR).toISOString().slice(0, 10);
        const hours = (startOfAmsterdamDay(nextDate).getTime() - startOfAmsterdamDay(date).getTime()) / HOUR;
        assert.ok([23, 24, 25].includes(hours), `${date} lasts ${hours}h`);
      }),
    );
  });
});

describe('addMonths', () => {
  it('keeps the day and time of day when the month is long enough', () => {
    assert.equal(addMonths(new Date('2026-01-15T10:20:30.400Z'), 1).toISOString(), '2026-02-15T10:20:30.400Z');
    assert.equal(addMonths(new Date('2026-01-15T10:00:00Z'), 36).toISOString(), '2029-01-15T10:00:00.000Z');
  });

  it('clamps the day to the end of a shorter month, keeping the time of day', () => {
    assert.equal(addMonths(new Date('2026-01-31T13:14:15.678Z'), 1).toISOString(), '2026-02-28T13:14:15.678Z');
    assert.equal(addMonths(new Date('2024-01-31T08:00:00Z'), 1).toISOString(), '2024-02-29T08:00:00.000Z');
    assert.equal(addMonths(new Date('2026-03-31T08:00:00Z'), 1).toISOString(), '2026-04-30T08:00:00.000Z');
  });

  it('crosses year boundaries both ways', () => {
    assert.equal(addMonths(new Date('2026-11-30T00:00:00Z'), 3).toISOString(), '2027-02-28T00:00:00.000Z');
    assert.equal(addMonths(new Date('2026-01-15T00:00:00Z'), -1).toISOString(), '2025-12-15T00:00:00.000Z');
    assert.equal(addMonths(new Date('2024-03-31T00:00:00Z'), -1).toISOString(), '2024-02-29T00:00:00.000Z');
  });

  it('works in UTC, not in local time', () => {
    // 23:30 UTC on 31 January is already 1 February in Amsterdam; the UTC day (31) is what counts.
    assert.equal(addMonths(new Date('2026-01-31T23:30:00Z'), 1).toISOString(), '2026-02-28T23:30:00.000Z');
  });

  it('leaves the instant alone for zero months and returns a new Date', () => {
    const instant = new Date('2026-05-05T05:05:05Z');
    const result = addMonths(instant, 0);
    assert.equal(result.getTime(), instant.getTime());
    assert.notEqual(result, instant);
  });

  it('refuses fractional months and invalid dates', () => {
    assert.throws(() => addMonths(new Date('2026-01-01T00:00:00Z'), 1.5), RangeError);
    assert.throws(() => addMonths(new Date('2026-01-01T00:00:00Z'), Number.NaN), RangeError);
    assert.throws(() => addMonths(new Date(Number.NaN), 1), RangeError);
  });

  it('moves the calendar month by exactly n, clamps the day and keeps the time of day', () => {
    fc.assert(
      fc.property(instantBetween('1900-01-01T00:00:00Z', '2200-01-01T00:00:00Z'), fc.integer({ min: -1200, max: 1200 }), (instant, months) => {
        const result = addMonths(instant, months);
        const monthIndex = (date: Date) => date.getUTCFullYear() * 12 + date.getUTCMonth();
        assert.equal(monthIndex(result) - monthIndex(instant), months);
        const lastDayOfTargetMonth = new Date(Date.UTC(result.getUTCFullYear(), result.getUTCMonth() + 1, 0)).getUTCDate();
        assert.equal(result.getUTCDate(), Math.min(instant.getUTCDate(), lastDayOfTargetMonth));
        assert.equal(timeOfDay(result), timeOfDay(instant));
      }),
    );
  });

  it('is strictly increasing in the number of months', () => {
    fc.assert(
      fc.property(
        instantBetween('1900-01-01T00:00:00Z', '2200-01-01T00:00:00Z'),
        fc.integer({ min: -600, max: 600 }),
        fc.integer({ min: 1, max: 600 }),
        (instant, months, more) => {
          assert.ok(addMonths(instant, months) < addMonths(instant, months + more));
        },
      ),
    );
  });
});

describe('anniversary', () => {
  it('falls on the same month and day', () => {
    assert.equal(anniversary('2003-05-10', 23), '2026-05-10');
    assert.equal(anniversary('1999-12-31', 1), '2000-12-31');
    assert.equal(anniversary('2003-05-10', 0), '2003-05-10');
  });

  it('moves 29 February to 1 March in a non-leap year only', () => {
    assert.equal(anniversary('2004-02-29', 23), '2027-03-01');
    assert.equal(anniversary('2004-02-29', 24), '2028-02-29');
    assert.equal(anniversary('1996-02-29', 4), '2000-02-29');
    assert.equal(anniversary('1896-02-29', 4), '1900-03-01');
  });

  it('refuses a negative or fractional number of years and an invalid date', () => {
    assert.throws(() => anniversary('2003-05-10', -1), RangeError);
    assert.throws(() => anniversary('2003-05-10', 2.5), RangeError);
    assert.throws(() => anniversary('2003-02-29', 1), RangeError);
  });

  it('is a valid date, strictly later for each further year', () => {
    fc.assert(
      fc.property(isoDateBetween('1900-01-01', '2100-12-31'), fc.integer({ min: 0, max: 120 }), (dateOfBirth, years) => {
        const date = anniversary(dateOfBirth, years);
        assert.equal(isValidIsoDate(date), true);
        assert.equal(Number(date.slice(0, 4)), Number(dateOfBirth.slice(0, 4)) + years);
        assert.ok(anniversary(dateOfBirth, years + 1) > date);
      }),
    );
  });
});

describe('ageOn', () => {
  it('counts completed years', () => {
    assert.equal(ageOn('2003-05-10', '2026-05-09'), 22);
    assert.equal(ageOn('2003-05-10', '2026-05-10'), 23);
    assert.equal(ageOn('2003-05-10', '2026-12-31'), 23);
    assert.equal(ageOn('2003-05-10', '2003-05-10'), 0);
    assert.equal(ageOn('2003-05-10', '2004-05-09'), 0);
  });

  it('lets someone born on 29 February age on 1 March in a non-leap year', () => {
    assert.equal(ageOn('2004-02-29', '2027-02-28'), 22);
    assert.equal(ageOn('2004-02-29', '2027-03-01'), 23);
    assert.equal(ageOn('2004-02-29', '2028-02-28'), 23);
    assert.equal(ageOn('2004-02-29', '2028-02-29'), 24);
  });

  it('refuses a date before birth and invalid dates', () => {
    assert.throws(() => ageOn('2003-05-10', '2003-05-09'), RangeError);
    assert.throws(() => ageOn('2003-05-32', '2026-01-01'), RangeError);
    assert.throws(() => ageOn('2003-05-10', '2026-02-29'), RangeError);
  });

  it('is consistent with anniversary: age >= n exactly when onDate >= anniversary(dob, n)', () => {
    fc.assert(
      fc.property(
        isoDateBetween('1900-01-01', '2100-12-31'),
        fc.integer({ min: 0, max: 50_000 }),
        fc.integer({ min: 0, max: 140 }),
        (dateOfBirth, daysLater, years) => {
          const onDate = new Date(Date.parse(`${dateOfBirth}T00:00:00Z`) + daysLater * 24 * HOUR).toISOString().slice(0, 10);
          assert.equal(ageOn(dateOfBirth, onDate) >= years, onDate >= anniversary(dateOfBirth, years));
        },
      ),
    );
  });

  it('is exactly n on the n-th anniversary and n - 1 the day before', () => {
    fc.assert(
      fc.property(isoDateBetween('1900-01-01', '2100-12-31'), fc.integer({ min: 1, max: 120 }), (dateOfBirth, years) => {
        const date = anniversary(dateOfBirth, years);
        assert.equal(ageOn(dateOfBirth, date), years);
        assert.equal(ageOn(dateOfBirth, previousDate(date)), years - 1);
      }),
    );
  });
});
