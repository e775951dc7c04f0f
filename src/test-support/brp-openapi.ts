/**
 * The RvIG's OpenAPI documents (src/population-register/rvig/) as validators, for the BRP stub
 * server: every request it takes and every answer it gives is checked against them.
 *
 * The documents use OpenAPI's `discriminator` without `oneOf` (a subtype is `allOf: [base, …]` and
 * the base maps `type` values to subtypes), which JSON Schema alone does not dispatch on. So each
 * base with a mapping gets a `<Base>__dispatch` schema (the base, its `type` one of the mapped values,
 * and for each value `if type = value then the subtype`), and every reference to the base outside
 * its own subtypes is pointed at that dispatcher: a `Datum` must then have its `datum`, an `Adres`
 * only the properties of an address.
 */
import { readFileSync } from 'node:fs';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsImport from 'ajv-formats';
import { parse } from 'yaml';

const addFormats = addFormatsImport as unknown as (ajv: Ajv2020) => Ajv2020;
const RVIG = new URL('../population-register/rvig/', import.meta.url);

type Schema = Record<string, unknown>;
type Schemas = Record<string, Schema>;

/** Fields the API delivers by itself; asking for them in `fields` is a 400 (the RvIG's FieldsValidator). */
const AUTOMATIC_FIELDS = [
  'opschortingBijhouding',
  'geheimhoudingPersoonsgegevens',
  'inOnderzoek',
  'verificatie',
  'rni',
  'indicatieVastgesteldVerblijftNietOpAdres',
];

/** The parameters each query type accepts; any other is a 400 (the RvIG's NietGespecificeerdeParametersValidator). */
const PARAMETERS_OF_RAADPLEEG = ['type', 'burgerservicenummer', 'fields', 'gemeenteVanInschrijving'];

export type BrpOpenApi = ReturnType<typeof loadBrpOpenApi>;

export function loadBrpOpenApi() {
  const personen = parse(readFileSync(new URL('brp-personen-openapi.yaml', RVIG), 'utf8')) as { components: { schemas: Schemas } };
  const update = parse(readFileSync(new URL('brp-update-api-openapi.yaml', RVIG), 'utf8')) as { components: { schemas: Schemas } };
  const ajv = addFormats(new Ajv2020({ allErrors: true, strict: false, unicodeRegExp: false, validateFormats: true }));
  ajv.addSchema({ $id: 'brp-personen', components: { schemas: withDispatchers(personen.components.schemas) } });
  ajv.addSchema({ $id: 'brp-update', components: { schemas: withoutExternalRefs(update.components.schemas) } });
  const compiled = (document: string, name: string): ValidateFunction => ajv.getSchema(`${document}#/components/schemas/${name}`)!;
  const check = (validate: ValidateFunction) => (value: unknown) =>
    validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);

  const fieldPaths = collectFieldPaths(personen.components.schemas, 'Persoon');
  return {
    personenQuery: check(compiled('brp-personen', 'PersonenQuery__dispatch')),
    personenAnswer: check(compiled('brp-personen', 'PersonenQueryResponse__dispatch')),
    badRequest: check(compiled('brp-personen', 'BadRequestFoutbericht')),
    problem: check(compiled('brp-personen', 'Foutbericht')),
    volgindicatie: check(compiled('brp-update', 'Volgindicatie')),
    volgindicatieAnswer: check(compiled('brp-update', 'VolgindicatieRaadplegen')),
    wijzigingenAnswer: check(compiled('brp-update', 'GewijzigdePersonenHalCollectie')),
    volgindicatiesAnswer: check(compiled('brp-update', 'VolgindicatieCollectie')),
    /** What the real API says besides the schema for a `RaadpleegMetBurgerservicenummer`: no unknown parameters, only known fields, no automatic ones. */
    raadpleegRules(query: Record<string, unknown>): { name: string; code: string; reason: string }[] {
      const problems = Object.keys(query)
        .filter((name) => !PARAMETERS_OF_RAADPLEEG.includes(name))
        .map((name) => ({ name, code: 'unknownParam', reason: 'Parameter is niet verwacht.' }));
      const fields = Array.isArray(query.fields) ? query.fields : [];
      for (const field of fields) {
        if (typeof field !== 'string') continue;
        const automatic = AUTOMATIC_FIELDS.some((name) => field === name || (name !== 'inOnderzoek' && field.startsWith(`${name}.`)));
        if (automatic || !fieldPaths.has(field)) {
          problems.push({
            name: 'fields',
            code: 'fields',
            reason: automatic ? 'Parameter bevat een niet toegestane veldnaam.' : 'Parameter bevat een niet bestaande veldnaam.',
          });
        }
      }
      return problems;
    },
  };
}

function refName(ref: string): string {
  return ref.slice(ref.lastIndexOf('/') + 1);
}

function rewriteRefs(node: unknown, rewrite: (ref: string) => string): void {
  if (Array.isArray(node)) for (const item of node) rewriteRefs(item, rewrite);
  else if (node && typeof node === 'object') {
    const object = node as Record<string, unknown>;
    if (typeof object.$ref === 'string') object.$ref = rewrite(object.$ref);
    for (const value of Object.values(object)) rewriteRefs(value, rewrite);
  }
}

function withDispatchers(original: Schemas): Schemas {
  const schemas = structuredClone(original);
  const subtypesOf = new Map<string, Set<string>>();
  for (const [name, schema] of Object.entries(original)) {
    const discriminator = schema.discriminator as { propertyName: string; mapping?: Record<string, string> } | undefined;
    if (!discriminator?.mapping) continue;
    const { propertyName, mapping } = discriminator;
    delete schemas[name]!.discriminator;
    subtypesOf.set(name, new Set(Object.values(mapping).map(refName)));
    schemas[`${name}__dispatch`] = {
      allOf: [
        { $ref: `#/components/schemas/${name}` },
        { required: [propertyName], properties: { [propertyName]: { enum: Object.keys(mapping) } } },
        // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then, not a promise
        ...Object.entries(mapping).map(([value, ref]) => ({ if: { properties: { [propertyName]: { const: value } } }, then: { $ref: ref } })),
      ],
    };
  }
  for (const [name, schema] of Object.entries(schemas)) {
    if (name.endsWith('__dispatch')) continue;
    rewriteRefs(schema, (ref) => {
      const target = refName(ref);
      const subtypes = subtypesOf.get(target);
      return subtypes && !subtypes.has(name) ? `#/components/schemas/${target}__dispatch` : ref;
    });
  }
  return schemas;
}

/** The Update API refers to Haal Centraal's common.yaml on GitHub for HAL links; links are not what the stub checks. */
function withoutExternalRefs(original: Schemas): Schemas {
  const schemas = structuredClone(original);
  rewriteRefs(schemas, (ref) => (ref.startsWith('#') ? ref : '#/components/schemas/ExternalHalLink'));
  schemas.ExternalHalLink = { type: 'object', properties: { href: { type: 'string' } } };
  return schemas;
}

/** Every dotted path into a schema's properties (through allOf, items and discriminator subtypes): the valid `fields`. */
function collectFieldPaths(schemas: Schemas, root: string): Set<string> {
  const paths = new Set<string>();
  /** The properties of a schema, each with every schema it may have (subtypes can give one name several). */
  const propertiesOf = (schema: Schema, into: Map<string, Schema[]>, depth: number): Map<string, Schema[]> => {
    const resolved = typeof schema.$ref === 'string' ? schemas[refName(schema.$ref)] : schema;
    if (!resolved || depth > 8) return into;
    for (const [name, property] of Object.entries((resolved.properties as Record<string, Schema> | undefined) ?? {})) {
      into.set(name, [...(into.get(name) ?? []), property]);
    }
    for (const part of (resolved.allOf as Schema[] | undefined) ?? []) propertiesOf(part, into, depth + 1);
    if (resolved.items) propertiesOf(resolved.items as Schema, into, depth + 1);
    const mapping = (resolved.discriminator as { mapping?: Record<string, string> } | undefined)?.mapping;
    for (const ref of Object.values(mapping ?? {})) {
      // A subtype is allOf [this base, its own part]: only its own part adds properties.
      for (const part of ((schemas[refName(ref)]?.allOf as Schema[] | undefined) ?? []).slice(1)) propertiesOf(part, into, depth + 1);
    }
    return into;
  };
  const walk = (candidates: Schema[], prefix: string, depth: number) => {
    if (depth > 6) return;
    const properties = new Map<string, Schema[]>();
    for (const candidate of candidates) propertiesOf(candidate, properties, 0);
    for (const [name, schemasOfName] of properties) {
      const path = prefix ? `${prefix}.${name}` : name;
      paths.add(path);
      walk(schemasOfName, path, depth + 1);
    }
  };
  walk([{ $ref: `#/components/schemas/${root}` }], '', 0);
  return paths;
}
