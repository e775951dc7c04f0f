/**
 * The embedded register: the RvIG's fictitious test persons (rvig/test-data.json, the GBA shape the
 * RvIG's mock reads) or another file of that shape, held in memory, for the demo, the tests and a
 * municipality trying SluiS out. Moves, deaths, emigrations, changes of the registered parents and of
 * confidentiality can be applied to it; they are kept in
 * a JSON file (`changesFile`, in the data directory) and replayed over the base file at every start,
 * so they survive a restart, and they feed `changes` as the BRP Update API feeds a real register's.
 * When another process changes that file (`sluis register move|death|emigrate|parents|confidential`), the register reads
 * it again at its next use, so a running SluiS sees the change at its next sweep.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Bsn } from '../persons/bsn.ts';
import { amsterdamDate, type IsoDate, isValidIsoDate } from '../shared/calendar.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import type { PopulationRegister, RegisteredAddress, RegisteredPerson, Suspension } from './population-register.ts';

/** The RvIG's test persons, shipped with SluiS (EUPL-1.2, see rvig/NOTICE.md). */
export const BUNDLED_TEST_PERSONS = fileURLToPath(new URL('./rvig/test-data.json', import.meta.url));

/** A change as the changes file keeps it: what happened, to whom, and on which day the register recorded it. */
type StoredChange =
  | { kind: 'move'; bsn: string; recordedOn: IsoDate; address: RegisteredAddress; municipalityCode: string }
  | { kind: 'death'; bsn: string; recordedOn: IsoDate; date: IsoDate }
  | { kind: 'emigration'; bsn: string; recordedOn: IsoDate; date: IsoDate }
  | { kind: 'parents'; bsn: string; recordedOn: IsoDate; parents: string[] }
  | { kind: 'confidentiality'; bsn: string; recordedOn: IsoDate; confidential: boolean };

type ChangesFile = { changes: StoredChange[]; followed: string[] };

export type EmbeddedRegister = PopulationRegister & {
  readonly kind: 'embedded';
  readonly changes: NonNullable<PopulationRegister['changes']>;
  /** The person moves to this address (in this municipality, four digits) today. */
  applyMove(bsn: Bsn, move: { address: RegisteredAddress; municipalityCode: string }): Promise<void>;
  /** The person died on `date`. */
  applyDeath(bsn: Bsn, date: IsoDate): Promise<void>;
  /** The person left the country on `date`. */
  applyEmigration(bsn: Bsn, date: IsoDate): Promise<void>;
  /** The person's registered parents are now these (a recognition, an adoption, a correction), from today. */
  applyParents(bsn: Bsn, parents: readonly Bsn[]): Promise<void>;
  /** The person's record is confidential (geheimhouding) from today, or no longer. */
  applyConfidentiality(bsn: Bsn, confidential: boolean): Promise<void>;
  /** How many persons the register holds. */
  readonly size: number;
};

export function createEmbeddedRegister(options: { file?: string; changesFile?: string; clock?: Clock } = {}): EmbeddedRegister {
  const clock = options.clock ?? systemClock;
  const base = JSON.parse(readFileSync(options.file ?? BUNDLED_TEST_PERSONS, 'utf8')) as GbaPerson[];
  const persons = new Map<string, RegisteredPerson>();
  let stored: ChangesFile = { changes: [], followed: [] };
  const followed = new Set<string>();
  /** The changes file as last read or written (mtime and size): another process (`sluis register …`) may change it. */
  let seen = '';

  function fileStamp(): string {
    if (!options.changesFile || !existsSync(options.changesFile)) return '';
    const stat = statSync(options.changesFile);
    return `${stat.mtimeMs}:${stat.size}`;
  }

  /** The base file with every stored change replayed over it, when the changes file is new or changed since. */
  function load() {
    const stamp = fileStamp();
    if (persons.size > 0 && stamp === seen) return;
    stored = stamp && options.changesFile ? readChanges(options.changesFile) : { changes: [], followed: [] };
    persons.clear();
    for (const record of base) {
      const person = fromGba(record);
      if (person) persons.set(person.bsn.reveal(), person);
    }
    for (const change of stored.changes) apply(change);
    followed.clear();
    for (const bsn of stored.followed) followed.add(bsn);
    seen = stamp;
  }

  function apply(change: StoredChange) {
    const person = persons.get(change.bsn);
    if (!person) return;
    if (change.kind === 'move') {
      person.address = { ...change.address };
      person.municipalityCode = change.municipalityCode;
    } else if (change.kind === 'death') {
      person.deceasedOn = change.date;
      person.suspension = { reason: 'deceased', since: change.date };
    } else if (change.kind === 'parents') {
      person.parents = change.parents.map((digits) => Bsn.parse(digits)!);
    } else if (change.kind === 'confidentiality') {
      person.confidential = change.confidential;
    } else {
      delete person.address;
      delete person.municipalityCode;
      person.suspension = { reason: 'emigrated', since: change.date };
    }
  }

  function save() {
    if (!options.changesFile) return;
    mkdirSync(path.dirname(options.changesFile), { recursive: true });
    const temporary = `${options.changesFile}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify({ changes: stored.changes, followed: [...followed] }, null, 2)}\n`, { mode: 0o600 });
    renameSync(temporary, options.changesFile);
    seen = fileStamp();
  }

  async function record(change: StoredChange) {
    load();
    // Never the BSN in the message: the caller may log it.
    if (!persons.has(change.bsn)) throw new Error(`The embedded register holds no person with this BSN; the change (${change.kind}) was not applied`);
    stored.changes.push(change);
    apply(change);
    save();
  }

  const today = () => amsterdamDate(clock.now());
  load();

  return {
    kind: 'embedded',
    get size() {
      return persons.size;
    },
    async lookup(bsns) {
      load();
      const found: RegisteredPerson[] = [];
      for (const bsn of new Set(bsns.map((b) => b.reveal()))) {
        const person = persons.get(bsn);
        if (person) found.push(copyOf(person));
      }
      return found;
    },
    changes: {
      async follow(bsn) {
        load();
        followed.add(bsn.reveal());
        save();
      },
      async unfollow(bsn) {
        load();
        followed.delete(bsn.reveal());
        save();
      },
      async followed() {
        load();
        return [...followed].map((digits) => Bsn.parse(digits)!);
      },
      async since(since) {
        load();
        const changed = new Set(stored.changes.filter((c) => c.recordedOn >= since && followed.has(c.bsn)).map((c) => c.bsn));
        return [...changed].map((digits) => Bsn.parse(digits)!);
      },
    },
    applyMove: (bsn, move) =>
      record({ kind: 'move', bsn: bsn.reveal(), recordedOn: today(), address: { ...move.address }, municipalityCode: move.municipalityCode }),
    applyDeath: (bsn, date) => record({ kind: 'death', bsn: bsn.reveal(), recordedOn: today(), date }),
    applyEmigration: (bsn, date) => record({ kind: 'emigration', bsn: bsn.reveal(), recordedOn: today(), date }),
    applyParents: (bsn, parents) => record({ kind: 'parents', bsn: bsn.reveal(), recordedOn: today(), parents: [...new Set(parents.map((p) => p.reveal()))] }),
    applyConfidentiality: (bsn, confidential) => record({ kind: 'confidentiality', bsn: bsn.reveal(), recordedOn: today(), confidential }),
  };
}

function readChanges(file: string): ChangesFile {
  const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<ChangesFile>;
  return { changes: parsed.changes ?? [], followed: parsed.followed ?? [] };
}

function copyOf(person: RegisteredPerson): RegisteredPerson {
  return {
    ...person,
    name: { ...person.name },
    parents: [...person.parents],
    ...(person.address && { address: { ...person.address } }),
    ...(person.suspension && { suspension: { ...person.suspension } }),
  };
}

/** The parts of a GBA-shaped person (test-data.json) that SluiS reads. */
type Coded = { code?: string; omschrijving?: string };
export type GbaPerson = {
  burgerservicenummer?: string;
  naam?: { voornamen?: string; voorvoegsel?: string; geslachtsnaam?: string };
  geboorte?: { datum?: string };
  geslacht?: Coded;
  ouders?: { burgerservicenummer?: string }[];
  verblijfplaats?: {
    functieAdres?: Coded;
    adresseerbaarObjectIdentificatie?: string;
    straat?: string;
    naamOpenbareRuimte?: string;
    huisnummer?: string | number;
    huisletter?: string;
    huisnummertoevoeging?: string;
    postcode?: string;
    woonplaats?: string;
    land?: Coded;
  };
  gemeenteVanInschrijving?: Coded;
  overlijden?: { datum?: string };
  opschortingBijhouding?: { datum?: string; reden?: Coded };
  geheimhoudingPersoonsgegevens?: string | number;
};

/** "Registratie Niet-Ingezetenen": a person living abroad, registered in no municipality. */
const RNI = '1999';

/** A GBA person as SluiS sees it; undefined for a record without a valid BSN or a family name. */
export function fromGba(record: GbaPerson): RegisteredPerson | undefined {
  const bsn = record.burgerservicenummer ? Bsn.parse(record.burgerservicenummer) : undefined;
  const familyName = record.naam?.geslachtsnaam?.trim();
  if (!bsn || !familyName) return undefined;
  const person: RegisteredPerson = {
    bsn,
    name: {
      givenNames: record.naam?.voornamen?.trim() ?? '',
      ...(record.naam?.voorvoegsel && { familyNamePrefix: record.naam.voorvoegsel }),
      familyName,
    },
    gender: record.geslacht?.code === 'M' ? 'male' : record.geslacht?.code === 'V' ? 'female' : 'unknown',
    parents: (record.ouders ?? []).flatMap((parent) => {
      const parentBsn = parent.burgerservicenummer ? Bsn.parse(parent.burgerservicenummer) : undefined;
      return parentBsn ? [parentBsn] : [];
    }),
    confidential: Number(record.geheimhoudingPersoonsgegevens ?? 0) > 0,
  };
  const born = gbaDate(record.geboorte?.datum);
  if (born) person.dateOfBirth = born;
  const municipality = record.gemeenteVanInschrijving;
  const address = addressOf(record.verblijfplaats, municipality?.omschrijving);
  if (address) person.address = address;
  if (municipality?.code && /^\d{4}$/.test(municipality.code) && municipality.code !== RNI) person.municipalityCode = municipality.code;
  const died = gbaDate(record.overlijden?.datum);
  if (died) person.deceasedOn = died;
  const suspension = record.opschortingBijhouding;
  if (suspension?.reden?.code) {
    const since = gbaDate(suspension.datum);
    person.suspension = { reason: suspensionReason(suspension.reden.code), ...(since && { since }) };
  }
  return person;
}

/** A GBA date "YYYYMMDD" as an ISO date; undefined when unknown ("00000000") or only partly known ("19800000"). */
export function gbaDate(value: string | undefined): IsoDate | undefined {
  if (!value || !/^\d{8}$/.test(value)) return undefined;
  const iso = `${value.slice(0, 4)}-${value.slice(4, 6)}-${value.slice(6, 8)}`;
  return isValidIsoDate(iso) ? iso : undefined;
}

function suspensionReason(code: string): Suspension {
  if (code === 'O') return 'deceased';
  if (code === 'E') return 'emigrated';
  if (code === 'M') return 'ministerial_decree';
  return 'other';
}

/**
 * The current residence in the Netherlands; undefined abroad (`land`) or without an address function.
 * Where the record names no place of residence (woonplaats), the municipality's name stands in for it.
 */
function addressOf(place: GbaPerson['verblijfplaats'], municipalityName: string | undefined): RegisteredAddress | undefined {
  if (!place || place.land || !place.functieAdres?.code) return undefined;
  const objectId = place.adresseerbaarObjectIdentificatie;
  const addition = `${place.huisletter ?? ''}${place.huisnummertoevoeging ? `${place.huisletter ? ' ' : ''}${place.huisnummertoevoeging}` : ''}`.trim();
  const street = place.naamOpenbareRuimte ?? place.straat;
  const city = place.woonplaats ?? municipalityName;
  return {
    function: place.functieAdres.code === 'B' ? 'postal' : 'home',
    ...(objectId && /^\d{16}$/.test(objectId) && !/^0+$/.test(objectId) && { addressObjectId: objectId }),
    ...(street && { street }),
    ...(place.huisnummer !== undefined && { houseNumber: String(place.huisnummer) }),
    ...(addition && { houseNumberAddition: addition }),
    ...(place.postcode && { postcode: place.postcode }),
    ...(city && { city }),
  };
}
