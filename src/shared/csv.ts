/**
 * CSV for spreadsheets (RFC 4180), as Excel in a Dutch locale opens it with a double click: UTF-8
 * with a byte order mark (without one Excel reads "ë" as "Ã«"), fields separated by semicolons
 * (the list separator of Dutch Excel; with commas every line lands in one cell), lines ending in
 * CRLF. A field is quoted when it holds a separator, a quote or a line break, its quotes doubled.
 *
 * A field a spreadsheet would take for a formula — one starting with =, +, -, @, a tab or a
 * carriage return (or their full-width forms) — first gets a leading apostrophe, as OWASP advises
 * against CSV injection: text someone typed (a name, a case number) never runs as a formula.
 */

export const CSV_BOM = '\uFEFF';
export const CSV_SEPARATOR = ';';

const FORMULA_START = /^[=+\-@\t\r\n＝＋－＠]/;
const NEEDS_QUOTES = /[;,"\r\n]/;

/** One field, guarded against formulas and quoted when needed. */
export function csvField(value: string): string {
  const guarded = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(guarded) || guarded !== guarded.trim() ? `"${guarded.replaceAll('"', '""')}"` : guarded;
}

/** One line of fields, ending in CRLF. */
export const csvLine = (fields: readonly string[]): string => `${fields.map(csvField).join(CSV_SEPARATOR)}\r\n`;
