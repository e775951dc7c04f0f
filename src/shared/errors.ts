/**
 * Errors are data: services throw a Problem, the HTTP layer turns it into
 * application/problem+json (RFC 9457, as the Dutch API Design Rules ask), the web pages into Dutch.
 */
export type InvalidParam = { name: string; code: string; reason: string };

export class Problem extends Error {
  override name = 'Problem';
  readonly status: number;
  readonly title: string;
  readonly code: string;
  readonly invalidParams: InvalidParam[] | undefined;
  /** For a 429 or 503: when to try again, sent as Retry-After. */
  retryAfterSeconds: number | undefined;
  constructor(status: number, code: string, title: string, detail?: string, invalidParams?: InvalidParam[]) {
    super(detail ?? title);
    this.status = status;
    this.code = code;
    this.title = title;
    this.invalidParams = invalidParams;
  }
}

/** A refusal to come back later: 429 with Retry-After. */
export function tooManyRequests(code: string, detail: string, retryAfterSeconds: number): Problem {
  const problem = new Problem(429, code, 'Too many requests', detail);
  problem.retryAfterSeconds = retryAfterSeconds;
  return problem;
}

export const notFound = (what = 'resource') => new Problem(404, 'not_found', 'Not found', `The ${what} does not exist or is not available to you.`);

export const invalidInput = (invalidParams: InvalidParam[]) =>
  new Problem(422, 'invalid_input', 'Invalid input', 'One or more fields are invalid; see invalidParams.', invalidParams);

export const forbidden = (detail: string) => new Problem(403, 'forbidden', 'Forbidden', detail);

export const conflict = (detail: string) => new Problem(409, 'conflict', 'Conflict', detail);

/** How long a caller waits before trying again after a 503 (the database switching over takes seconds). */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 3;

/**
 * Whether an error says the database is briefly out of reach (a failover, a restart): a DatabaseError
 * (db/errors.ts) marks itself `unavailable`. Such a request is answered 503 with Retry-After, never 500.
 */
export const isUnavailable = (error: unknown): boolean =>
  typeof error === 'object' && error !== null && (error as { unavailable?: unknown }).unavailable === true;

/** The 503 for a request that met the database switching over: nothing of it was half-written; try again. */
export function serviceUnavailable(): Problem {
  const problem = new Problem(
    503,
    'service_unavailable',
    'Service unavailable',
    'The database is briefly unavailable (for example while it switches over to its standby). Try again after the Retry-After seconds; filing again is safe.',
  );
  problem.retryAfterSeconds = UNAVAILABLE_RETRY_AFTER_SECONDS;
  return problem;
}
