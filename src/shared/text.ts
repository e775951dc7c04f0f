/**
 * Text that can be stored. PostgreSQL refuses two things a JavaScript string can hold: the NUL
 * character (U+0000, in text and in JSON) and a lone UTF-16 surrogate (half of a pair, "\ud800",
 * which is no character at all and has no UTF-8 form). Every string that enters SluiS — API bodies,
 * query strings and path segments, form posts — is checked with these rules once, at the edge, and
 * refused with the field named; nothing is written.
 */

/** True when the database can store the string as it is. */
export const isStorableText = (value: string): boolean => !value.includes('\u0000') && value.isWellFormed();

/**
 * The paths of every string (value or object key) in a parsed value that cannot be stored, as lists
 * of keys and indices: [['person', 'name', 'familyName'], ['items', 2]].
 */
export function unstorableTextPaths(value: unknown, path: (string | number)[] = []): (string | number)[][] {
  if (typeof value === 'string') return isStorableText(value) ? [] : [path];
  if (Array.isArray(value)) return value.flatMap((item, index) => unstorableTextPaths(item, [...path, index]));
  if (value !== null && typeof value === 'object') {
    return Object.entries(value).flatMap(([key, item]) => (isStorableText(key) ? unstorableTextPaths(item, [...path, key]) : [[...path, key]]));
  }
  return [];
}

/** The shape of the API's own field names (lowerCamelCase, letters only), which no BSN, uuid or surname has. */
const FIELD_NAME = /^[a-z][a-zA-Z]{0,39}$/;

/**
 * A field's name as it may be repeated in an answer: a name of the API's kind (lowerCamelCase
 * letters) is shown as it is, and anything else — digits that could be a BSN, a uuid, a capitalised
 * surname someone put in the wrong place — as `*`. Answers never echo what a caller sent.
 */
export const displayableFieldName = (name: string | number): string => (typeof name === 'number' ? String(name) : FIELD_NAME.test(name) ? name : '*');

/** A path as a dotted field name for invalidParams: person.name.familyName, items.2, *. */
export const fieldPath = (path: readonly (string | number)[]): string => path.map(displayableFieldName).join('.');
