/**
 * The rules SluiS applies to a register's answer when a signal is filed: plain functions over plain
 * values. Whether the person is registered as deceased, and whether a typed date of birth clearly
 * disagrees with the register's (so that a typo in the BSN cannot file on someone else). And, for the
 * changes the register reports later, whether the registered parents changed.
 */
import type { IsoDate } from '../shared/calendar.ts';
import type { RegisteredPerson } from './population-register.ts';

/** Deceased: a date of death, or the register stopped keeping the person up to date because of death (the date may be only partly known). */
export function isRegisteredDeceased(person: Pick<RegisteredPerson, 'deceasedOn' | 'suspension'>): boolean {
  return person.deceasedOn !== undefined || person.suspension?.reason === 'deceased';
}

/**
 * A clear mismatch: the professional typed a date of birth and the register knows the full date, and
 * they differ in any part. When the register knows the date only partly or not at all there is
 * nothing clear to compare, so the typed date stands.
 */
export function dateOfBirthMismatch(typed: IsoDate | undefined, registered: IsoDate | undefined): boolean {
  return typed !== undefined && registered !== undefined && typed !== registered;
}

/** Whether two lists of keys (the pseudonyms of a person's registered parents) hold the same keys, in any order. */
export function sameKeys(a: readonly Uint8Array[], b: readonly Uint8Array[]): boolean {
  return keysLeft(a, b).length === 0 && keysLeft(b, a).length === 0;
}

/** The keys of `former` that `current` no longer holds: parents that are no longer registered as the person's. */
export function keysLeft(former: readonly Uint8Array[], current: readonly Uint8Array[]): Uint8Array[] {
  return former.filter((key) => !current.some((other) => Buffer.from(other).equals(Buffer.from(key))));
}
