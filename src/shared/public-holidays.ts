/**
 * The Dutch public holidays that count as non-working days, as listed in the Algemene termijnenwet
 * (art. 3): New Year's Day, Easter Monday, King's Day, 5 May (Liberation Day, every year in that
 * law), Ascension Day, Whit Monday and both Christmas days. Easter Sunday and Whit Sunday fall on a
 * Sunday and Good Friday is not listed. Pure functions, no clock.
 */
import { addDaysToIsoDate, type IsoDate } from './calendar.ts';

const pad = (value: number) => String(value).padStart(2, '0');
const isoDate = (year: number, month: number, day: number): IsoDate => `${String(year).padStart(4, '0')}-${pad(month)}-${pad(day)}`;
const isSunday = (date: IsoDate) => new Date(`${date}T12:00:00Z`).getUTCDay() === 0;

/** Easter Sunday in the Gregorian calendar (the anonymous Gregorian algorithm of Meeus, Jones and Butcher). */
export function easterSunday(year: number): IsoDate {
  if (!Number.isSafeInteger(year) || year < 1583 || year > 9999) throw new RangeError(`Easter is computed for Gregorian years 1583-9999, got ${year}`);
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return isoDate(year, month, day);
}

/** King's Day: 27 April, or the 26th when the 27th is a Sunday (from 2014; before, Queen's Day on 30 April or the 29th). */
function kingsDay(year: number): IsoDate {
  const day = year >= 2014 ? 27 : 30;
  const date = isoDate(year, 4, day);
  return isSunday(date) ? isoDate(year, 4, day - 1) : date;
}

const cache = new Map<number, ReadonlySet<IsoDate>>();

/** The public holidays of a year, as dates. */
export function dutchPublicHolidays(year: number): ReadonlySet<IsoDate> {
  let holidays = cache.get(year);
  if (!holidays) {
    const easter = easterSunday(year);
    holidays = new Set([
      isoDate(year, 1, 1),
      addDaysToIsoDate(easter, 1),
      kingsDay(year),
      isoDate(year, 5, 5),
      addDaysToIsoDate(easter, 39),
      addDaysToIsoDate(easter, 50),
      isoDate(year, 12, 25),
      isoDate(year, 12, 26),
    ]);
    cache.set(year, holidays);
  }
  return holidays;
}

export const isDutchPublicHoliday = (date: IsoDate): boolean => dutchPublicHolidays(Number(date.slice(0, 4))).has(date);
