/**
 * The operational log of a test app, captured in memory with the production logger options at
 * `trace` level, so a test can read every line SluiS would write and look for what must not be there.
 */
import { Writable } from 'node:stream';
import { loggerOptions } from '../shared/logging.ts';
import { observeLog } from './leak-guard.ts';

export function captureLog() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const line = chunk.toString('utf8');
      observeLog(line);
      text += line;
      done();
    },
  });
  return {
    /** Pass as createTestApp's `logger`. */
    logger: { ...loggerOptions('trace'), stream },
    text: () => text,
    lines: () =>
      text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>),
    clear: () => {
      text = '';
    },
  };
}

/** The forms a value may take in a log line: as typed, JSON-escaped, and, for bytes, hex, base64 and a JSON byte array. */
export function logForms(value: string | Uint8Array): string[] {
  if (typeof value === 'string') return [...new Set([value, JSON.stringify(value).slice(1, -1)])];
  const bytes = Buffer.from(value);
  return [
    bytes.toString('hex'),
    bytes.toString('base64'),
    bytes.toString('base64url'),
    `\\\\x${bytes.toString('hex')}`,
    JSON.stringify([...bytes]).slice(1, -1),
  ];
}

/** The values (in any of their forms) that occur in the text. */
export function leakedIn(text: string, values: readonly (string | Uint8Array)[]): string[] {
  return values
    .filter((value) => logForms(value).some((form) => form.length > 0 && occursIn(text, form)))
    .map((value) => (typeof value === 'string' ? value : `<${value.length} bytes>`));
}

/**
 * Whether a form occurs in the text. A number (a BSN) counts as a number of its own, not as digits
 * inside a longer number: the request log's response times print with float tails such as
 * "responseTime":21.386230999999345, which once made a false alarm for the BSN 999999345.
 */
function occursIn(text: string, form: string): boolean {
  if (!/^[0-9]+$/.test(form)) return text.includes(form);
  return new RegExp(`(?<![0-9.])${form}(?![0-9])`).test(text);
}
