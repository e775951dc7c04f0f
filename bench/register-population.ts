/**
 * The persons the population register benchmark files on and re-reads.
 *
 * - Filing: the RvIG's fictitious test persons (the embedded register's own file, and the stub's):
 *   those it knows alive with a full date of birth. A filing body carries what the register holds
 *   (name, date of birth, gender, address), so that one request mix serves all three runs — without a
 *   register (where the details are required), with the embedded one and with the stub — and the
 *   legal basis the person's age asks for.
 * - The daily re-read: a synthetic population, each person made from the BSN alone (a hash of it), so
 *   that the stub register (in its own process) and the loader (which stores the "earlier" answer in
 *   person_register) agree without sharing a list. One person in about a thousand has moved within the
 *   municipality since (another address object): the re-read finds and applies that change.
 */
import { createHash, randomInt } from 'node:crypto';
import { Bsn } from '../src/persons/bsn.ts';
import type { PersonCrypto } from '../src/persons/identity-keys.ts';
import { createEmbeddedRegister } from '../src/population-register/embedded-register.ts';
import type { RegisteredPerson } from '../src/population-register/population-register.ts';
import { isRegisteredDeceased } from '../src/population-register/register-rules.ts';
import { ageOn, amsterdamDate } from '../src/shared/calendar.ts';
import { requiredLegalBasis } from '../src/signals/legal-basis.ts';
import { readGbaTestPersons } from '../src/test-support/brp-api-shape.ts';

const DAY = 86_400_000;

// --- filing on the RvIG's test persons --------------------------------------------------------------

/** A test person a professional can file on: the register knows them, alive, with a full date of birth. */
export type FileablePerson = { bsn: string; person: RegisteredPerson };

/** The test persons of the embedded register (the stub serves the same file) that a filing can be on. */
export async function fileableTestPersons(): Promise<{ persons: FileablePerson[]; inRegister: number }> {
  const register = createEmbeddedRegister();
  const bsns = readGbaTestPersons().flatMap((gba) => {
    const bsn = Bsn.parse(String(gba.burgerservicenummer ?? ''));
    return bsn ? [bsn] : [];
  });
  const found = await register.lookup(bsns);
  const twoDaysAgo = amsterdamDate(new Date(Date.now() - 2 * DAY));
  const persons = found
    .filter((person) => !isRegisteredDeceased(person) && person.dateOfBirth !== undefined && person.dateOfBirth <= twoDaysAgo)
    .map((person) => ({ bsn: person.bsn.reveal(), person }));
  return { persons, inRegister: register.size };
}

/**
 * A filing body on a test person: the details as the register holds them (a professional may type
 * them; they agree, so no date of birth mismatch), and the legal basis the age asks for, recorded
 * yesterday: consent from 23, under 23 the parties the Jeugdwet's duty to inform names.
 */
export function registerFilingBody({ bsn, person }: FileablePerson, recordDate: string): string {
  const dateOfBirth = person.dateOfBirth!;
  const requirement = requiredLegalBasis(ageOn(dateOfBirth, recordDate));
  const legalBasis =
    requirement.kind === 'consent'
      ? { basis: 'consent', givenBy: 'person', givenOn: recordDate }
      : { basis: 'informed', informed: requirement.parties, informedOn: recordDate };
  const { givenNames, familyNamePrefix, familyName } = person.name;
  const name = { givenNames: givenNames.trim() || 'Onbekend', ...(familyNamePrefix && { familyNamePrefix }), familyName };
  const address = typedAddress(person);
  return JSON.stringify({
    person: { bsn, name, dateOfBirth, gender: person.gender, ...(address && { address }) },
    legalBasis,
    clientReference: `dossier ${randomInt(1_000_000)}`,
  });
}

/** The register's address as a professional would type it, when it is complete enough for the API's schema. */
function typedAddress(person: RegisteredPerson) {
  const address = person.address;
  if (!address?.street || !address.houseNumber || !address.postcode || !address.city || !/^[1-9][0-9]{0,4}$/.test(address.houseNumber)) return undefined;
  if (!/^[1-9][0-9]{3} ?[A-Za-z]{2}$/.test(address.postcode)) return undefined;
  return { street: address.street, houseNumber: address.houseNumber, postcode: address.postcode, city: address.city };
}

// --- the synthetic population of the daily re-read ----------------------------------------------------

const GIVEN = ['Jan', 'Fatima', 'Sem', 'Noah', 'Emma', 'Mohammed', 'Julia', 'Daan', 'Sara', 'Lucas', 'Yara', 'Milan'];
const FAMILY = ['Boer', 'Jansen', 'El Idrissi', 'Visser', 'Bakker', 'Yilmaz', 'Smit', 'Vries', 'Meijer', 'Mulder', 'Kaya', 'Bos'];
const STREETS = ['Coolsingel', 'Zwaanshals', 'Bergweg', 'Beijerlandselaan', 'Nieuwe Binnenweg', 'Groene Hilledijk'];
const ROTTERDAM = { code: '0599', omschrijving: 'Rotterdam' };

const digest = (bsn: string) => createHash('sha256').update(`sluis-bench-register:${bsn}`).digest();

/** A BSN (passing the 11-test) made from bytes of a digest: a synthetic person's parent. */
function bsnFrom(bytes: Buffer, offset: number): string {
  const digits = [...bytes.subarray(offset, offset + 8)].map((b) => b % 10);
  if (digits[0] === 0) digits[0] = 1;
  for (;;) {
    const last = digits.reduce((total, digit, i) => total + (9 - i) * digit, 0) % 11;
    if (last <= 9) return digits.join('') + String(last);
    digits[7] = (digits[7]! + 1) % 10;
  }
}

/** Whether the synthetic person moved (within the municipality) since the stored answer: about one in a thousand. */
export function movedSinceStored(bsn: string): boolean {
  const d = digest(bsn);
  return d[0] === 0 && d[1]! < 64; // 1/256 × 1/4 ≈ 0.1%
}

/** The BAG address object id (16 digits) of the synthetic person's home: before a move, or now. */
export function syntheticObjectId(bsn: string, now: boolean): string {
  const d = digest(bsn);
  const number = (d.readUInt32BE(4) + (now && movedSinceStored(bsn) ? 1 : 0)) % 10_000_000_000;
  return `059901${String(number).padStart(10, '0')}`;
}

export function syntheticParents(bsn: string): [string, string] {
  const d = digest(bsn);
  return [bsnFrom(d, 8), bsnFrom(d, 16)];
}

/** The synthetic person as the register holds them now, GBA-shaped (the stub converts it to the API's answer). */
export function syntheticGbaPerson(bsn: string): Record<string, unknown> | undefined {
  if (!Bsn.parse(bsn)) return undefined;
  const d = digest(bsn);
  const born = new Date(Date.UTC(1940, 0, 1) + (d.readUInt32BE(24) % (80 * 365)) * DAY).toISOString().slice(0, 10).replaceAll('-', '');
  const [first, second] = syntheticParents(bsn);
  const male = d[28]! % 2 === 0;
  return {
    burgerservicenummer: bsn,
    naam: { voornamen: GIVEN[d[29]! % GIVEN.length], geslachtsnaam: FAMILY[d[30]! % FAMILY.length] },
    geboorte: { datum: born },
    geslacht: male ? { code: 'M', omschrijving: 'man' } : { code: 'V', omschrijving: 'vrouw' },
    ouders: [
      { burgerservicenummer: first, ouderAanduiding: '1' },
      { burgerservicenummer: second, ouderAanduiding: '2' },
    ],
    verblijfplaats: {
      functieAdres: { code: 'W', omschrijving: 'woonadres' },
      adresseerbaarObjectIdentificatie: syntheticObjectId(bsn, true),
      straat: STREETS[d[31]! % STREETS.length],
      naamOpenbareRuimte: STREETS[d[31]! % STREETS.length],
      huisnummer: String(1 + (d.readUInt16BE(4) % 400)),
      postcode: `30${10 + (d[6]! % 90)}AB`,
      woonplaats: 'Rotterdam',
      datumAanvangAdreshouding: '20100101',
    },
    gemeenteVanInschrijving: ROTTERDAM,
  };
}

/** The person_register columns of the answer stored a while ago (before any move), for the loader. */
export function storedAnswer(crypto: PersonCrypto, bsn: string): { addressKey: Buffer; parentKeys: Buffer[] } {
  return {
    addressKey: crypto.addressKey(syntheticObjectId(bsn, false)),
    parentKeys: syntheticParents(bsn).map((parent) => crypto.personKey(Bsn.parse(parent)!)),
  };
}
