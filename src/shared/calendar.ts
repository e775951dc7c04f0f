/**
 * Calendar helpers. Pure functions over ISO calendar dates ('YYYY-MM-DD') and instants (Date);
 * nothing here reads the clock. Dates of the Dutch calendar day are taken in Europe/Amsterdam.
 */

/** A calendar date written as 'YYYY-MM-DD' (years 0001 to 9999). */
export type IsoDate = string;

const AMSTERDAM = 'Europe/Amsterdam';
const ISO_DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const MILLISECONDS_PER_DAY = 86_400_000;

type DateParts = { year: number; month: number; day: number };

function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeapYear(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function parseParts(value: string): DateParts | undefined {
  const match = ISO_DATE_PATTERN.exec(value);
  if (!match) return undefined;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (year < 1 || month < 1 || month > 12 || day < 1) return undefined;
  return day <= daysInMonth(year, month) ? { year, month, day } : undefined;
}

function partsOf(date: IsoDate): DateParts {
  const parts = parseParts(date);
  if (!parts) throw new RangeError('Not a valid calendar date (YYYY-MM-DD)'); // no value: it may be a date of birth
  return parts;
}

function formatParts({ year, month, day }: DateParts): IsoDate {
  const pad = (value: number, width: number) => String(value).padStart(width, '0');
  return `${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`;
}

function assertValidInstant(instant: Date): void {
  if (Number.isNaN(instant.getTime())) throw new RangeError('Invalid Date');
}

function assertInteger(value: number, what: string): void {
  if (!Number.isSafeInteger(value)) throw new RangeError(`${what} must be a whole number, got ${value}`);
}

/** The UTC instant of midnight on the given calendar date, without the 1900 mapping of years 0-99. */
function utcMidnight({ year, month, day }: DateParts): number {
  const instant = new Date(0);
  instant.setUTCFullYear(year, month - 1, day);
  return instant.getTime();
}

/** True when the value is exactly 'YYYY-MM-DD' and names a real calendar date in years 0001-9999. */
export function isValidIsoDate(value: string): boolean {
  return parseParts(value) !== undefined;
}

let amsterdamFormatter: Intl.DateTimeFormat | undefined;

/** The wall-clock fields of an instant in Europe/Amsterdam (one cached formatter). */
function amsterdamWallClock(instant: Date): DateParts & { hour: number; minute: number; second: number } {
  amsterdamFormatter ??= new Intl.DateTimeFormat('en-US', {
    timeZone: AMSTERDAM,
    era: 'short',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    hourCycle: 'h23',
  });
  const fields: Record<string, string> = {};
  for (const part of amsterdamFormatter.formatToParts(instant)) fields[part.type] = part.value;
  const field = (name: string) => Number(fields[name]);
  const year = fields.era === 'BC' ? 1 - field('year') : field('year');
  return { year, month: field('month'), day: field('day'), hour: field('hour'), minute: field('minute'), second: field('second') };
}

/** The Amsterdam date of an epoch instant, without the 0001-9999 range check (for comparisons). */
function amsterdamDateOf(epochMilliseconds: number): IsoDate {
  return formatParts(amsterdamWallClock(new Date(epochMilliseconds)));
}

/** The calendar date of an instant in the Europe/Amsterdam time zone. */
export function amsterdamDate(instant: Date): IsoDate {
  assertValidInstant(instant);
  const { year, month, day } = amsterdamWallClock(instant);
  if (year < 1 || year > 9999) throw new RangeError(`Year out of range 0001-9999: ${year}`);
  return formatParts({ year, month, day });
}

/** Milliseconds that Amsterdam wall-clock time is ahead of UTC at the given instant (whole seconds). */
function amsterdamOffset(epochMilliseconds: number): number {
  const wholeSecond = Math.floor(epochMilliseconds / 1000) * 1000;
  const wall = amsterdamWallClock(new Date(wholeSecond));
  const wallAsUtc = utcMidnight(wall) + ((wall.hour * 60 + wall.minute) * 60 + wall.second) * 1000;
  return wallAsUtc - wholeSecond;
}

function isFirstInstantOf(date: IsoDate, epochMilliseconds: number): boolean {
  return amsterdamDateOf(epochMilliseconds) === date && amsterdamDateOf(epochMilliseconds - 1) < date;
}

/** The first instant whose Amsterdam date is not before `date`, by bisection within a day of UTC midnight. */
function searchFirstInstantOf(date: IsoDate, midnightAsUtc: number): number {
  let before = midnightAsUtc - MILLISECONDS_PER_DAY;
  let onOrAfter = midnightAsUtc + MILLISECONDS_PER_DAY;
  while (onOrAfter - before > 1) {
    const middle = before + Math.floor((onOrAfter - before) / 2);
    if (amsterdamDateOf(middle) < date) before = middle;
    else onOrAfter = middle;
  }
  return onOrAfter;
}

/**
 * The instant at which the given date begins in Europe/Amsterdam: 00:00 local time, CET or CEST
 * alike. On the few historical days without a local midnight, the first instant of that date.
 */
export function startOfAmsterdamDay(date: IsoDate): Date {
  const midnightAsUtc = utcMidnight(partsOf(date));
  const guess = midnightAsUtc - amsterdamOffset(midnightAsUtc);
  if (isFirstInstantOf(date, guess)) return new Date(guess);
  return new Date(searchFirstInstantOf(date, midnightAsUtc));
}

/**
 * The instant of a wall-clock time (hour, minute) on a date in Europe/Amsterdam, CET or CEST alike.
 * A time the clock skips in spring (02:30 on the last Sunday of March) gives the instant an hour earlier (01:30).
 */
export function amsterdamInstant(date: IsoDate, hour: number, minute: number): Date {
  if (!Number.isInteger(hour) || hour < 0 || hour > 23 || !Number.isInteger(minute) || minute < 0 || minute > 59)
    throw new RangeError('Not a time of day (hour 0-23, minute 0-59)');
  const start = startOfAmsterdamDay(date).getTime();
  const guess = start + (hour * 60 + minute) * 60_000;
  return new Date(guess + amsterdamOffset(start) - amsterdamOffset(guess));
}

/**
 * The instant `months` calendar months later (earlier when negative), in UTC, at the same time of
 * day; the day of the month is clamped to the end of a shorter month (01-31 + 1 month = 02-28).
 */
export function addMonths(instant: Date, months: number): Date {
  assertValidInstant(instant);
  assertInteger(months, 'months');
  const monthIndex = instant.getUTCFullYear() * 12 + instant.getUTCMonth() + months;
  const year = Math.floor(monthIndex / 12);
  const month = monthIndex - year * 12 + 1;
  const day = Math.min(instant.getUTCDate(), daysInMonth(year, month));
  const result = new Date(instant.getTime());
  result.setUTCFullYear(year, month - 1, day);
  return result;
}

/**
 * The date on which someone born on `dateOfBirth` reaches `years` years of age. Someone born on
 * 29 February reaches it on 1 March in a year that is not a leap year.
 */
export function anniversary(dateOfBirth: IsoDate, years: number): IsoDate {
  const birth = partsOf(dateOfBirth);
  assertInteger(years, 'years');
  if (years < 0) throw new RangeError(`years must not be negative, got ${years}`);
  const year = birth.year + years;
  if (year > 9999) throw new RangeError('Year out of range 0001-9999');
  if (birth.month === 2 && birth.day === 29 && !isLeapYear(year)) return formatParts({ year, month: 3, day: 1 });
  return formatParts({ year, month: birth.month, day: birth.day });
}

/**
 * Completed years of age on `onDate`: at least n exactly when onDate >= anniversary(dateOfBirth, n).
 * Throws a RangeError when onDate is before dateOfBirth.
 */
export function ageOn(dateOfBirth: IsoDate, onDate: IsoDate): number {
  const birth = partsOf(dateOfBirth);
  const on = partsOf(onDate);
  if (onDate < dateOfBirth) throw new RangeError('The date is before the date of birth');
  const yearsApart = on.year - birth.year;
  return onDate < anniversary(dateOfBirth, yearsApart) ? yearsApart - 1 : yearsApart;
}

/** The calendar date `days` days after (or before, when negative) `date`. */
export function addDaysToIsoDate(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}
