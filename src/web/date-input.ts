/**
 * A date as people type it on a form: day, month and year in three boxes, in Dutch order, whatever
 * the browser's language (no native date picker that shows mm/dd/yyyy). Plain functions: read the
 * three posted parts, check them, say in plain Dutch what is wrong, and fill the boxes from a date.
 * The DateField component (components.tsx) draws the boxes; docs/web.md shows how to use both.
 */
import { type IsoDate, isValidIsoDate } from '../shared/calendar.ts';

/** The three boxes as typed (trimmed), so that a form shown again with its errors keeps them. */
export type DateParts = { day: string; month: string; year: string };

export const NO_DATE: DateParts = { day: '', month: '', year: '' };

/**
 * The names of the inputs of a date field called `name`. The day box carries the name itself, so the
 * error summary's link to `#name` lands on the first box (the birth date has always worked so).
 */
export const datePartNames = (name: string) => ({ day: name, month: `${name}-maand`, year: `${name}-jaar` }) as const;

/** The longest text kept per box: enough to show back what was typed, too short to carry anything else. */
const MAX_PART = 10;

/** The three parts of the date field `name` from a posted form or a query string; anything else is ignored. */
export function readDateParts(body: unknown, name: string): DateParts {
  const record = (body ?? {}) as Record<string, unknown>;
  const text = (key: string) => {
    const value = record[key];
    const first = Array.isArray(value) ? value[0] : value;
    return typeof first === 'string' ? first.trim().slice(0, MAX_PART) : '';
  };
  const names = datePartNames(name);
  return { day: text(names.day), month: text(names.month), year: text(names.year) };
}

/** The boxes filled with a date, the way a person writes it: 2026-03-05 → 5, 3, 2026. */
export function datePartsOf(date: IsoDate): DateParts {
  const [year, month, day] = date.split('-');
  return { day: String(Number(day)), month: String(Number(month)), year: year ?? '' };
}

/** The same parts as query-string or form pairs (a pager link that keeps a filter). */
export function datePartPairs(name: string, parts: DateParts): [string, string][] {
  const names = datePartNames(name);
  return [
    [names.day, parts.day],
    [names.month, parts.month],
    [names.year, parts.year],
  ];
}

type Part = keyof DateParts;

/** What the three boxes hold. Only `date` is a date; every other kind is a problem to show (or, for an optional field, `empty` is fine). */
export type DateReading =
  | { kind: 'date'; date: IsoDate }
  | { kind: 'empty' }
  | { kind: 'incomplete'; missing: Part[] }
  | { kind: 'not_numbers' }
  | { kind: 'short_year' }
  | { kind: 'no_such_month' }
  | { kind: 'no_such_day'; month: number; year: number; daysInMonth: number };

function daysInMonth(year: number, month: number): number {
  const lastDay = new Date(0);
  lastDay.setUTCFullYear(year, month, 0);
  return lastDay.getUTCDate();
}

/** Reads the three boxes: digits only (a leading zero is fine), the year with four digits from 1000. */
export function readDate(parts: DateParts): DateReading {
  const order: Part[] = ['day', 'month', 'year'];
  const missing = order.filter((part) => parts[part] === '');
  if (missing.length === 3) return { kind: 'empty' };
  if (missing.length > 0) return { kind: 'incomplete', missing };
  if (!/^\d{1,2}$/.test(parts.day) || !/^\d{1,2}$/.test(parts.month) || !/^\d{1,4}$/.test(parts.year)) return { kind: 'not_numbers' };
  const [day, month, year] = [Number(parts.day), Number(parts.month), Number(parts.year)];
  if (parts.year.length !== 4 || year < 1000) return { kind: 'short_year' };
  if (month < 1 || month > 12) return { kind: 'no_such_month' };
  const iso = `${parts.year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
  if (!isValidIsoDate(iso)) return { kind: 'no_such_day', month, year, daysInMonth: daysInMonth(year, month) };
  return { kind: 'date', date: iso };
}

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];
const PART_WORDS: Record<Part, string> = { day: 'de dag', month: 'de maand', year: 'het jaar' };
const capital = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/** "17 5 1980": a date as an example of what to type. */
export function exampleText(date: IsoDate): string {
  const parts = datePartsOf(date);
  return `${parts.day} ${parts.month} ${parts.year}`;
}

/**
 * What is wrong with the boxes, in plain Dutch, or undefined when nothing is. `what` names the field
 * in a sentence, with its article ("de geboortedatum", "de datum van het contact"); `example` is a
 * date to show as an example; `empty` is the message for an empty required field (leave it out for
 * an optional one). Range rules (not in the future, after the match …) are the page's own.
 */
export function dateProblem(reading: DateReading, field: { what: string; example: IsoDate; empty?: string }): string | undefined {
  switch (reading.kind) {
    case 'date':
      return undefined;
    case 'empty':
      return field.empty;
    case 'incomplete': {
      const words = reading.missing.map((part) => PART_WORDS[part]);
      const list = words.length === 1 ? words[0] : `${words[0]} en ${words[1]}`;
      return `Vul ${field.what} helemaal in: ${list} ${words.length === 1 ? 'ontbreekt' : 'ontbreken'}.`;
    }
    case 'not_numbers':
      return `Vul ${field.what} in cijfers in, bijvoorbeeld ${exampleText(field.example)}.`;
    case 'short_year':
      return `Vul het jaar van ${field.what} in met 4 cijfers, bijvoorbeeld ${field.example.slice(0, 4)}.`;
    case 'no_such_month':
      return `${capital(field.what)} bestaat niet: de maand is een getal van 1 tot en met 12.`;
    case 'no_such_day':
      return `${capital(field.what)} bestaat niet: ${MONTHS[reading.month - 1]} ${reading.year} heeft ${reading.daysInMonth} dagen.`;
  }
}

/**
 * The date field `name` of a posted form (or query string) in one call: the parts to show back,
 * the date when there is one, and the problem in Dutch when there is one.
 */
export function checkDateField(
  body: unknown,
  name: string,
  field: { what: string; example: IsoDate; empty?: string },
): { parts: DateParts; date: IsoDate | undefined; error: string | undefined } {
  const parts = readDateParts(body, name);
  const reading = readDate(parts);
  return { parts, date: reading.kind === 'date' ? reading.date : undefined, error: dateProblem(reading, field) };
}
