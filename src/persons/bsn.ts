/**
 * The citizen service number (BSN). Valid when it has 9 digits and passes the 11-test
 * (9·d1 + 8·d2 + … + 2·d8 − 1·d9 is a multiple of 11). A `Bsn` value never prints itself:
 * String(bsn), JSON.stringify(bsn) and console.log(bsn) all give "[bsn]"; only `reveal()` gives
 * the digits, for the pseudonym and the encrypted copy.
 */
import { inspect } from 'node:util';

export function passesElevenTest(value: string): boolean {
  if (!/^\d{9}$/.test(value) || value === '000000000') return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (9 - i) * Number(value[i]);
  sum -= Number(value[8]);
  return sum % 11 === 0;
}

export class Bsn {
  readonly #digits: string;
  private constructor(digits: string) {
    this.#digits = digits;
  }
  /** The Bsn, or undefined when the value is not a valid BSN. */
  static parse(value: string): Bsn | undefined {
    return passesElevenTest(value) ? new Bsn(value) : undefined;
  }
  reveal(): string {
    return this.#digits;
  }
  toString(): string {
    return '[bsn]';
  }
  toJSON(): string {
    return '[bsn]';
  }
  [inspect.custom](): string {
    return '[bsn]';
  }
}
