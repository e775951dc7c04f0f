import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { CSV_BOM, CSV_SEPARATOR, csvField, csvLine } from './csv.ts';

/** RFC 4180 read back, with the semicolon: the fields of one line (CRLF included). */
function parseLine(line: string): string[] {
  assert.ok(line.endsWith('\r\n'), 'a line ends in CRLF');
  const text = line.slice(0, -2);
  const fields: string[] = [];
  let i = 0;
  for (;;) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        const quote = text.indexOf('"', i);
        assert.ok(quote >= 0, 'a quoted field is closed');
        field += text.slice(i, quote);
        i = quote + 1;
        if (text[i] === '"') {
          field += '"';
          i++;
        } else break;
      }
    } else {
      const end = text.indexOf(CSV_SEPARATOR, i);
      field = text.slice(i, end < 0 ? text.length : end);
      assert.ok(!/[";\r\n]/.test(field), `an unquoted field holds no quote, separator or line break: ${JSON.stringify(field)}`);
      i = end < 0 ? text.length : end;
    }
    fields.push(field);
    if (i >= text.length) return fields;
    assert.equal(text[i], CSV_SEPARATOR);
    i++;
  }
}

test('plain text stays plain; separators, quotes and line breaks are quoted, quotes doubled', () => {
  assert.equal(csvField('Signaal afgegeven'), 'Signaal afgegeven');
  assert.equal(csvField('Zoë Bakker'), 'Zoë Bakker');
  assert.equal(csvField('a;b'), '"a;b"');
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('zij zei "ja"'), '"zij zei ""ja"""');
  assert.equal(csvField('twee\nregels'), '"twee\nregels"');
  assert.equal(csvField(''), '');
  assert.equal(csvLine(['a', 'b;c', '']), 'a;"b;c";\r\n');
  assert.equal(CSV_BOM, '\uFEFF');
});

test('a field a spreadsheet would run as a formula starts with an apostrophe', () => {
  for (const formula of ['=SUM(A1:A2)', '+31 10 123', '-1', '@cmd', '\t=1', '\r=1', '＝1', '=HYPERLINK("https://example.org";"klik")']) {
    const field = csvField(formula);
    const [read] = parseLine(`${field}\r\n`);
    assert.equal(read, `'${formula}`, JSON.stringify(formula));
  }
  assert.equal(csvField('a=b'), 'a=b', 'only the first character counts');
});

test('any list of fields reads back as it was, with formulas guarded (property)', () => {
  fc.assert(
    fc.property(fc.array(fc.string({ unit: fc.constantFrom('a', 'ë', ' ', ';', ',', '"', '\r', '\n', '=', '+', '-', '@', '\t', '1') })), (fields) => {
      fc.pre(fields.length > 0);
      const read = parseLine(csvLine(fields));
      assert.deepEqual(
        read,
        fields.map((f) => (/^[=+\-@\t\r\n]/.test(f) ? `'${f}` : f)),
      );
      for (const field of read) assert.ok(!/^[=+\-@\t\r\n]/.test(field), 'no field starts like a formula');
    }),
  );
});
