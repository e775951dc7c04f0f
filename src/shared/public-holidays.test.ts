import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { addDaysToIsoDate } from './calendar.ts';
import { dutchPublicHolidays, easterSunday, isDutchPublicHoliday } from './public-holidays.ts';

const weekday = (date: string) => new Date(`${date}T12:00:00Z`).getUTCDay();

test('Easter Sunday falls on the known dates', () => {
  const known: Record<number, string> = {
    1818: '1818-03-22',
    1943: '1943-04-25',
    2000: '2000-04-23',
    2008: '2008-03-23',
    2019: '2019-04-21',
    2024: '2024-03-31',
    2025: '2025-04-20',
    2026: '2026-04-05',
    2027: '2027-03-28',
    2038: '2038-04-25',
  };
  for (const [year, date] of Object.entries(known)) assert.equal(easterSunday(Number(year)), date, year);
});

test('Easter is always a Sunday from 22 March to 25 April', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
      const easter = easterSunday(year);
      assert.equal(weekday(easter), 0);
      const monthDay = easter.slice(5);
      assert.ok(monthDay >= '03-22' && monthDay <= '04-25', easter);
    }),
  );
  assert.throws(() => easterSunday(1582), RangeError);
});

test('the holidays of 2026 are the ones of the Algemene termijnenwet', () => {
  assert.deepEqual([...dutchPublicHolidays(2026)].sort(), [
    '2026-01-01', // Nieuwjaarsdag
    '2026-04-06', // Tweede paasdag
    '2026-04-27', // Koningsdag
    '2026-05-05', // Bevrijdingsdag
    '2026-05-14', // Hemelvaartsdag
    '2026-05-25', // Tweede pinksterdag
    '2026-12-25', // Eerste kerstdag
    '2026-12-26', // Tweede kerstdag
  ]);
  assert.equal(isDutchPublicHoliday('2026-04-03'), false, 'Good Friday is not one');
});

test("King's Day moves to Saturday 26 April when the 27th is a Sunday", () => {
  assert.ok(isDutchPublicHoliday('2025-04-26'));
  assert.ok(!isDutchPublicHoliday('2025-04-27'));
  assert.ok(isDutchPublicHoliday('2031-04-26'));
  assert.ok(isDutchPublicHoliday('2027-04-27'));
});

test('Easter Monday, Ascension Day and Whit Monday keep their weekdays', () => {
  fc.assert(
    fc.property(fc.integer({ min: 1583, max: 9999 }), (year) => {
      const easter = easterSunday(year);
      const holidays = dutchPublicHolidays(year);
      assert.ok(holidays.size <= 8); // Ascension Day or Easter Monday can fall on 5 May or King's Day
      for (const [days, day] of [
        [1, 1],
        [39, 4],
        [50, 1],
      ] as const) {
        const date = addDaysToIsoDate(easter, days);
        assert.ok(holidays.has(date), date);
        assert.equal(weekday(date), day, date);
      }
    }),
  );
});
