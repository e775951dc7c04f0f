/**
 * The operational log (pino), one configuration for the server and the worker. It records what an
 * operator needs — method, route pattern, status, time, request id, an error's type and code — and
 * nothing a person could be recognised by:
 *   - a request is logged by its route pattern (`/api/v1/signals/:id`), never its path or query: a
 *     record system that puts a BSN in a URL by mistake must not get it written down;
 *   - an error is logged by a whitelist of fields: type, code, constraint, message and stack, never
 *     the other properties a library hangs on it (a driver's parameters, a mail server's recipients);
 *     database errors are data-free already (db/errors.ts);
 *   - bodies, authorisation headers, tokens and setup codes are redacted wherever they appear.
 */
import type { LoggerOptions } from 'pino';

/** Fields that may hold personal data or secrets; pino writes [redacted] instead. */
export const LOG_REDACT = ['req.headers.authorization', 'req.body', 'bsn', '*.bsn', '*.*.bsn', 'token', '*.token', 'setupCode', '*.setupCode'];

type RequestLike = { method: string; id: string; routeOptions?: { url?: string | undefined } };

/** A request as the log sees it: its route pattern, or null for a path no route serves. */
export function serializeRequest(request: RequestLike) {
  return { method: request.method, route: request.routeOptions?.url ?? null, id: request.id };
}

/** An error as the log sees it: only fields that describe the failure, not the data it failed on. */
export function serializeError(error: unknown): Record<string, unknown> {
  if (!(error instanceof Error)) return { type: typeof error };
  const fields = error as Error & { code?: unknown; constraint?: unknown; statusCode?: unknown };
  return {
    type: error.name,
    message: error.message,
    ...(typeof fields.code === 'string' && { code: fields.code }),
    ...(typeof fields.constraint === 'string' && { constraint: fields.constraint }),
    ...(typeof fields.statusCode === 'number' && { statusCode: fields.statusCode }),
    stack: error.stack,
    ...(error.cause !== undefined && { cause: serializeError(error.cause) }),
  };
}

export const LOG_SERIALIZERS = { req: serializeRequest, err: serializeError };

export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

/** The pino options every SluiS process logs with. */
export function loggerOptions(level: LogLevel): LoggerOptions {
  return { level, redact: LOG_REDACT, serializers: LOG_SERIALIZERS };
}

/**
 * An error in a few words for a warning line: its type and codes, not its message (a mail server's
 * refusal quotes the recipient's address).
 */
export function errorSummary(error: unknown): string {
  if (!(error instanceof Error)) return 'an error without details';
  const { code, responseCode } = error as Error & { code?: unknown; responseCode?: unknown };
  return [error.name, typeof code === 'string' && code, typeof responseCode === 'number' && `SMTP ${responseCode}`].filter(Boolean).join(' ');
}
