import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { checkDateField, datePartsOf, dateProblem, exampleText, NO_DATE, readDate, readDateParts } from './date-input.ts';

const FIELD = { what: 'de datum van het contact', example: '2026-03-10', empty: 'Vul de datum in waarop u contact had.' };
const parts = (day: string, month: string, year: string) => ({ day, month, year });
const problem = (day: string, month: string, year: string) => dateProblem(readDate(parts(day, month, year)), FIELD);

/** A real calendar date between the years 1000 and 9999, as 'YYYY-MM-DD', made without the module under test. */
const realDate = fc
  .date({ min: new Date('1000-01-01T00:00:00Z'), max: new Date('9999-12-31T00:00:00Z'), noInvalidDate: true })
  .map((instant) => instant.toISOString().slice(0, 10));

describe('reading a date from three boxes', () => {
  it('reads day, month and year in Dutch order, with or without leading zeros', () => {
    assert.deepEqual(readDate(parts('5', '3', '2026')), { kind: 'date', date: '2026-03-05' });
    assert.deepEqual(readDate(parts('05', '03', '2026')), { kind: 'date', date: '2026-03-05' });
    assert.deepEqual(readDate(parts('29', '2', '2024')), { kind: 'date', date: '2024-02-29' });
    assert.deepEqual(readDate(parts('31', '12', '1999')), { kind: 'date', date: '1999-12-31' });
  });

  it('says which part is missing, or that nothing was typed', () => {
    assert.deepEqual(readDate(NO_DATE), { kind: 'empty' });
    assert.equal(problem('', '', ''), 'Vul de datum in waarop u contact had.');
    assert.equal(dateProblem(readDate(NO_DATE), { what: 'de datum', example: '2026-03-10' }), undefined, 'an optional field may stay empty');
    assert.equal(problem('10', '3', ''), 'Vul de datum van het contact helemaal in: het jaar ontbreekt.');
    assert.equal(problem('10', '', ''), 'Vul de datum van het contact helemaal in: de maand en het jaar ontbreken.');
    assert.equal(problem('', '3', '2026'), 'Vul de datum van het contact helemaal in: de dag ontbreekt.');
  });

  it('names what is wrong with a date that does not exist', () => {
    assert.equal(problem('31', '2', '2026'), 'De datum van het contact bestaat niet: februari 2026 heeft 28 dagen.');
    assert.equal(problem('29', '2', '2023'), 'De datum van het contact bestaat niet: februari 2023 heeft 28 dagen.');
    assert.equal(problem('31', '4', '2026'), 'De datum van het contact bestaat niet: april 2026 heeft 30 dagen.');
    assert.equal(problem('0', '4', '2026'), 'De datum van het contact bestaat niet: april 2026 heeft 30 dagen.');
    assert.equal(problem('10', '13', '2026'), 'De datum van het contact bestaat niet: de maand is een getal van 1 tot en met 12.');
    assert.equal(problem('10', '0', '2026'), 'De datum van het contact bestaat niet: de maand is een getal van 1 tot en met 12.');
  });

  it('asks for digits and a year of four digits', () => {
    assert.equal(problem('10', 'maart', '2026'), 'Vul de datum van het contact in cijfers in, bijvoorbeeld 10 3 2026.');
    assert.equal(problem('2026-03-10', '3', '2026'), 'Vul de datum van het contact in cijfers in, bijvoorbeeld 10 3 2026.');
    assert.equal(problem('١٠', '3', '2026'), 'Vul de datum van het contact in cijfers in, bijvoorbeeld 10 3 2026.', 'only the digits 0-9');
    assert.equal(problem('10', '3', '26'), 'Vul het jaar van de datum van het contact in met 4 cijfers, bijvoorbeeld 2026.');
    assert.equal(problem('10', '3', '0026'), 'Vul het jaar van de datum van het contact in met 4 cijfers, bijvoorbeeld 2026.');
  });

  it('reads the parts from a form or query string, trimmed, the day under the field name itself', () => {
    assert.deepEqual(readDateParts({ datum: ' 7 ', 'datum-maand': '11', 'datum-jaar': ['2025', '1999'] }, 'datum'), parts('7', '11', '2025'));
    assert.deepEqual(readDateParts({ datum: 7, 'datum-maand': {} }, 'datum'), NO_DATE);
    assert.deepEqual(readDateParts(undefined, 'datum'), NO_DATE);
    assert.equal(readDateParts({ datum: 'x'.repeat(500) }, 'datum').day.length, 10);
    assert.deepEqual(checkDateField({ datum: '7', 'datum-maand': '11', 'datum-jaar': '2025' }, 'datum', FIELD), {
      parts: parts('7', '11', '2025'),
      date: '2025-11-07',
      error: undefined,
    });
    assert.equal(checkDateField({ datum: '31', 'datum-maand': '11', 'datum-jaar': '2025' }, 'datum', FIELD).date, undefined);
  });

  it('fills the boxes from a date the way a person writes it', () => {
    assert.deepEqual(datePartsOf('2026-03-05'), parts('5', '3', '2026'));
    assert.equal(exampleText('1980-05-17'), '17 5 1980');
  });
});

describe('reading a date, for any input', () => {
  it('gives back every real date that filled the boxes, with or without leading zeros and spaces', () => {
    fc.assert(
      fc.property(realDate, fc.boolean(), fc.constantFrom('', ' ', '  '), (date, zeros, space) => {
        const filled = datePartsOf(date);
        const typed = zeros ? { ...filled, day: filled.day.padStart(2, '0'), month: filled.month.padStart(2, '0') } : filled;
        const body = { d: `${space}${typed.day}`, 'd-maand': `${typed.month}${space}`, 'd-jaar': typed.year };
        assert.deepEqual(readDate(readDateParts(body, 'd')), { kind: 'date', date });
      }),
    );
  });

  it('agrees with the calendar on which day, month and year numbers make a date', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40 }), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1000, max: 9999 }), (day, month, year) => {
        const candidate = new Date(0);
        candidate.setUTCFullYear(year, month - 1, day);
        const exists = candidate.getUTCFullYear() === year && candidate.getUTCMonth() === month - 1 && candidate.getUTCDate() === day;
        const reading = readDate(parts(String(day), String(month), String(year)));
        assert.equal(reading.kind === 'date', exists);
        if (reading.kind === 'date') assert.equal(reading.date, candidate.toISOString().slice(0, 10));
        else assert.ok(dateProblem(reading, FIELD), 'a date that does not exist always gets a message');
      }),
    );
  });

  it('never throws, finds a date only in digits, and has a message for everything but an empty optional field', () => {
    const box = fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^\d{0,5}$/), fc.constantFrom('', ' ', '0', '00', '31', '1e1', '+1', '-1', '0x1'));
    fc.assert(
      fc.property(box, box, box, (day, month, year) => {
        const reading = readDate(readDateParts({ d: day, 'd-maand': month, 'd-jaar': year }, 'd'));
        if (reading.kind === 'date') {
          assert.match(`${day}|${month}|${year}`.replace(/\s/g, ''), /^\d{1,2}\|\d{1,2}\|\d{4}$/);
          assert.equal(dateProblem(reading, FIELD), undefined);
        } else {
          assert.ok(dateProblem(reading, FIELD), JSON.stringify(reading));
        }
      }),
    );
  });
});

/** Every page file of the web application (not tests). */
function pageFiles(dir = 'src/web'): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const file = path.join(dir, entry.name);
    if (entry.isDirectory()) return pageFiles(file);
    return /\.tsx?$/.test(entry.name) && !/\.test\.tsx?$/.test(entry.name) ? [file] : [];
  });
}

/** A native date or time input, as a page would write it. */
const NATIVE_PICKER = /type\s*[=:]\s*\{?\s*["'](date|datetime-local|month|week|time)["']/;

describe('dates on the pages', () => {
  it('no page uses a native date or time picker: every date is the three-box DateField', () => {
    const found = pageFiles().flatMap((file) =>
      readFileSync(file, 'utf8')
        .split('\n')
        .flatMap((line, index) => (NATIVE_PICKER.test(line) ? [`${file}:${index + 1}: ${line.trim()}`] : [])),
    );
    assert.deepEqual(found, [], 'use DateField (src/web/components.tsx) for a date; see docs/web.md, "Dates"');
  });

  it('the check above finds a native date input', () => {
    const native = NATIVE_PICKER;
    assert.ok(native.test('<input type="date" name="x" />'));
    assert.ok(native.test('<TextField id="x" type={\'date\'} />'));
    assert.ok(native.test("type: 'date',"));
    assert.ok(!native.test('<input type="text" inputmode="numeric" />'));
  });
});
