/**
 * The real embedded register for tests, with a switch that takes it down: while `down` every lookup
 * throws RegisterUnavailable, as a Haal Centraal register that cannot be reached does. Fault
 * injection only; what it answers when up is the embedded register's own answer.
 */
import { createEmbeddedRegister, type EmbeddedRegister } from '../population-register/embedded-register.ts';
import { type PopulationRegister, RegisterUnavailable } from '../population-register/population-register.ts';
import type { Clock } from '../shared/clock.ts';

export type SwitchableRegister = PopulationRegister & { down: boolean; lookups: number; embedded: EmbeddedRegister };

export function switchableRegister(options: { changesFile?: string; clock?: Clock } = {}): SwitchableRegister {
  const embedded = createEmbeddedRegister(options);
  const register: SwitchableRegister = {
    kind: 'embedded',
    down: false,
    lookups: 0,
    embedded,
    changes: embedded.changes,
    async lookup(bsns) {
      register.lookups++;
      if (register.down) throw new RegisterUnavailable('The register is down (test)');
      return embedded.lookup(bsns);
    },
  };
  return register;
}

/** Test persons of the RvIG's set (src/population-register/rvig/test-data.json) the tests file on. */
export const TEST_PERSONS = {
  /** Teun Groot Esselink, a child of the Rotterdam family: born 2012-04-18, male, Hofdijk 651, Rotterdam. */
  teun: '999999369',
  /** Johan Groot Esselink, the father: born 1985-05-27. */
  johan: '999999345',
  /** Wilma Haverkamp, the mother: born 1990-11-16. */
  wilma: '999999357',
  /** Simone Saasveld, deceased 2020-08-01 (born 1998-12-01). */
  deceased: '999970239',
  /** Jeroen Verstraten, a confidential record (geheimhouding), born 1965-06-12, Amsterdam. */
  confidential: '999971104',
  /** Passes the 11-test; not in the register. */
  unknown: '123456782',
} as const;
