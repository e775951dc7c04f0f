/**
 * The API's check of every string it receives, before the schema and long before the database:
 * a path segment, query value or body string (or key) with a NUL or a lone surrogate is refused —
 * 400 for the path and query, 422 for the body — with each field named (shared/text.ts).
 */
import type { FastifyRequest } from 'fastify';
import { type InvalidParam, invalidInput, Problem } from '../shared/errors.ts';
import { fieldPath, unstorableTextPaths } from '../shared/text.ts';

const REASON = 'Contains a character that cannot be stored: U+0000 (NUL), half of a UTF-16 surrogate pair, or percent-encoding that is not UTF-8.';

/** What an undecodable percent-encoding stands for: half a surrogate pair, which the guard refuses like any unstorable text. */
const UNDECODABLE = '\ud800';

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text.replaceAll('+', ' '));
  } catch {
    return UNDECODABLE;
  }
};

/**
 * The query string parser of the whole app (API and pages): form encoding, repeated keys as arrays,
 * and an invalid percent-encoding (%ED%A0%80, %FF) turned into unstorable text so it is refused by
 * name instead of searched for as it stands.
 */
export function parseQueryString(text: string): Record<string, string | string[]> {
  const query: Record<string, string | string[]> = Object.create(null);
  for (const part of text.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const key = decode(equals < 0 ? part : part.slice(0, equals));
    const value = decode(equals < 0 ? '' : part.slice(equals + 1));
    const existing = query[key];
    query[key] = existing === undefined ? value : [...[existing].flat(), value];
  }
  return query;
}

const problemsIn = (value: unknown, prefix: string): InvalidParam[] =>
  unstorableTextPaths(value).map((path) => ({ name: `${prefix}${fieldPath(path)}`, code: 'invalid_characters', reason: REASON }));

export async function refuseUnstorableText(request: FastifyRequest): Promise<void> {
  const inUrl = [...problemsIn(request.params, 'params:'), ...problemsIn(request.query, 'querystring:')];
  if (inUrl.length > 0) throw new Problem(400, 'invalid_input', 'Invalid input', 'One or more parameters are invalid; see invalidParams.', inUrl);
  const inBody = problemsIn(request.body, '');
  if (inBody.length > 0) throw invalidInput(inBody);
}

/**
 * The query string is judged before the body (Fastify's own order is the other way round), so an
 * unknown or bad query parameter is a 400 whatever the body holds, as a bad path segment is.
 */
export async function validateQueryFirst(request: FastifyRequest): Promise<void> {
  const validate = request.getValidationFunction('querystring');
  if (!validate || validate(request.query)) return;
  throw Object.assign(new Error('invalid query string'), { validation: validate.errors ?? [], validationContext: 'querystring', statusCode: 400 });
}
