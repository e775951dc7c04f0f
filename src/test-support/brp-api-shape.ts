/**
 * The RvIG's test persons (rvig/test-data.json, the GBA shape the RvIG mock reads) turned into the
 * BRP API Personen's answer shape, as the RvIG's proxy does (/work/shared/brp/README.md, "How the
 * API's answer differs"): dates become Datum objects, the address moves into `verblijfplaats.verblijfadres`
 * with `korteStraatnaam`/`officieleStraatnaam`, an all-zero object id is left out, and
 * `geheimhoudingPersoonsgegevens` becomes a boolean. Only the groups a client of SluiS's kind may ask
 * for are converted (identity, name, birth, gender, parents, residence, death, municipality,
 * suspension, confidentiality); `inOnderzoek` is left out.
 */
import { readFileSync } from 'node:fs';

type Json = Record<string, unknown>;
type Gba = Record<string, unknown>;
type Coded = { code: string; omschrijving: string };

const MONTHS = ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'];

export function readGbaTestPersons(): Gba[] {
  return JSON.parse(readFileSync(new URL('../population-register/rvig/test-data.json', import.meta.url), 'utf8')) as Gba[];
}

/** A GBA date "YYYYMMDD" (zeroes where unknown) as the API's date object. */
export function apiDate(gba: string): Json {
  const [year, month, day] = [Number(gba.slice(0, 4)), Number(gba.slice(4, 6)), Number(gba.slice(6, 8))];
  if (year === 0) return { type: 'DatumOnbekend', onbekend: true, langFormaat: 'onbekend' };
  if (month === 0) return { type: 'JaarDatum', jaar: year, langFormaat: String(year) };
  if (day === 0) return { type: 'JaarMaandDatum', jaar: year, maand: month, langFormaat: `${MONTHS[month - 1]} ${year}` };
  return { type: 'Datum', datum: `${gba.slice(0, 4)}-${gba.slice(4, 6)}-${gba.slice(6, 8)}`, langFormaat: `${day} ${MONTHS[month - 1]} ${year}` };
}

/** An ISO date as the API's full date object. */
export function apiDateFromIso(iso: string): Json {
  return apiDate(iso.replaceAll('-', ''));
}

const compact = (object: Json): Json => Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined && value !== ''));
/** A BAG id of 16 digits; the GBA field is space-padded and all zeroes when unknown, which the API leaves out. */
const bagId = (value: unknown): string | undefined => {
  const id = typeof value === 'string' ? value.trim() : '';
  return /^\d{16}$/.test(id) && !/^0+$/.test(id) ? id : undefined;
};
const coded = (value: unknown): Coded | undefined => (value && typeof value === 'object' ? (value as Coded) : undefined);
const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

function naam(gba: unknown): Json | undefined {
  if (!gba || typeof gba !== 'object') return undefined;
  const n = gba as Record<string, unknown>;
  return compact({ voornamen: text(n.voornamen), voorvoegsel: text(n.voorvoegsel), geslachtsnaam: text(n.geslachtsnaam) });
}

function verblijfplaats(gba: unknown): Json | undefined {
  if (!gba || typeof gba !== 'object') return undefined;
  const v = gba as Record<string, unknown>;
  const land = coded(v.land);
  if (land) {
    if (land.code === '0000')
      return compact({ type: 'VerblijfplaatsOnbekend', datumVan: v.datumAanvangAdresBuitenland && apiDate(String(v.datumAanvangAdresBuitenland)) });
    return compact({
      type: 'VerblijfplaatsBuitenland',
      verblijfadres: compact({ regel1: text(v.regel1), regel2: text(v.regel2), regel3: text(v.regel3), land }),
      datumVan: v.datumAanvangAdresBuitenland ? apiDate(String(v.datumAanvangAdresBuitenland)) : undefined,
    });
  }
  const datumVan = v.datumAanvangAdreshouding ? apiDate(String(v.datumAanvangAdreshouding)) : undefined;
  if (v.locatiebeschrijving) {
    return compact({ type: 'Locatie', functieAdres: coded(v.functieAdres), verblijfadres: { locatiebeschrijving: v.locatiebeschrijving }, datumVan });
  }
  return compact({
    type: 'Adres',
    functieAdres: coded(v.functieAdres),
    adresseerbaarObjectIdentificatie: bagId(v.adresseerbaarObjectIdentificatie),
    nummeraanduidingIdentificatie: bagId(v.nummeraanduidingIdentificatie),
    datumVan,
    verblijfadres: compact({
      officieleStraatnaam: text(v.naamOpenbareRuimte),
      korteStraatnaam: text(v.straat),
      huisnummer: v.huisnummer === undefined ? undefined : Number(v.huisnummer),
      huisletter: text(v.huisletter),
      huisnummertoevoeging: text(v.huisnummertoevoeging),
      aanduidingBijHuisnummer: coded(v.aanduidingBijHuisnummer),
      postcode: text(v.postcode),
      woonplaats: text(v.woonplaats),
    }),
  });
}

/** One test person in the API's answer shape (all converted groups; `selectFields` narrows it). */
export function toApiPerson(gba: Gba): Json {
  const geboorte = gba.geboorte as { datum?: string } | undefined;
  const overlijden = gba.overlijden as { datum?: string; land?: unknown; plaats?: unknown } | undefined;
  const opschorting = gba.opschortingBijhouding as { datum?: string; reden?: unknown } | undefined;
  return compact({
    burgerservicenummer: gba.burgerservicenummer,
    aNummer: gba.aNummer,
    naam: naam(gba.naam),
    geboorte: geboorte?.datum ? { datum: apiDate(geboorte.datum) } : undefined,
    geslacht: coded(gba.geslacht),
    ouders: Array.isArray(gba.ouders)
      ? (gba.ouders as Gba[]).map((ouder) =>
          compact({
            burgerservicenummer: text(ouder.burgerservicenummer),
            ouderAanduiding: text(ouder.ouderAanduiding),
            geslacht: coded(ouder.geslacht),
            naam: naam(ouder.naam),
          }),
        )
      : undefined,
    verblijfplaats: verblijfplaats(gba.verblijfplaats),
    overlijden: overlijden
      ? compact({ datum: overlijden.datum ? apiDate(overlijden.datum) : undefined, land: coded(overlijden.land), plaats: coded(overlijden.plaats) })
      : undefined,
    gemeenteVanInschrijving: coded(gba.gemeenteVanInschrijving),
    opschortingBijhouding: opschorting
      ? compact({ reden: coded(opschorting.reden), datum: opschorting.datum ? apiDate(opschorting.datum) : undefined })
      : undefined,
    geheimhoudingPersoonsgegevens: Number(gba.geheimhoudingPersoonsgegevens ?? 0) > 0 ? true : undefined,
  });
}

/**
 * The person narrowed to the asked `fields` (dotted paths; through arrays element by element), with a
 * polymorphic object's `type` kept whenever part of it is given, and the automatic fields added.
 */
export function selectFields(person: Json, fields: readonly string[]): Json {
  const result: Json = {};
  for (const field of fields) copyPath(person, result, field.split('.'));
  for (const automatic of ['geheimhoudingPersoonsgegevens', 'opschortingBijhouding']) {
    if (person[automatic] !== undefined) result[automatic] = structuredClone(person[automatic]);
  }
  return result;
}

function copyPath(source: unknown, target: Json, path: string[]): void {
  if (!source || typeof source !== 'object') return;
  const from = source as Json;
  if (typeof from.type === 'string') target.type = from.type;
  const [head, ...rest] = path as [string, ...string[]];
  const value = from[head];
  if (value === undefined) return;
  if (rest.length === 0) {
    target[head] = structuredClone(value);
    return;
  }
  if (Array.isArray(value)) {
    const into = (Array.isArray(target[head]) ? target[head] : value.map(() => ({}))) as Json[];
    for (const [index, item] of value.entries()) copyPath(item, into[index]!, rest);
    target[head] = into;
    return;
  }
  const into = (target[head] as Json | undefined) ?? {};
  copyPath(value, into, rest);
  if (Object.keys(into).length > 0) target[head] = into;
}
