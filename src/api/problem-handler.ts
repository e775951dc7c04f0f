/**
 * Every error leaves as application/problem+json: validation errors list every invalid field at
 * once (invalidParams), malformed or oversized bodies get their own 4xx, and anything unexpected is
 * logged and answered with a 500 that carries only the request id. A database that is briefly out of
 * reach (a failover) is a 503 with Retry-After, logged as a warning.
 *
 * A problem never repeats what the caller sent: `instance` is the request's id (urn:uuid:…), not its
 * path, details are fixed texts rather than a library's message, and a field name is named only when
 * it is a name of the API's kind (shared/text.ts).
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { type InvalidParam, isUnavailable, Problem, serviceUnavailable } from '../shared/errors.ts';
import { displayableFieldName } from '../shared/text.ts';

/** Statuses that refuse a request for its input rather than for who sent it. */
const INPUT_REFUSALS = new Set([400, 413, 415, 422]);

export type ProblemHandlingOptions = {
  /** Runs before an input refusal is sent; a Problem it throws (401, 403) is sent instead. */
  beforeInputRefusal?: (request: FastifyRequest) => Promise<void>;
};

type AjvError = { instancePath: string; schemaPath?: string; keyword: string; params: Record<string, unknown>; message?: string };

export function registerProblemHandling(app: FastifyInstance, options: ProblemHandlingOptions = {}) {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    let problem = problemOf(error);
    if (isUnavailable(error)) request.log.warn({ err: error }, 'database unavailable');
    if (!problem) {
      request.log.error({ err: error }, 'unhandled error');
      problem = new Problem(
        500,
        'internal_error',
        'Internal server error',
        `Something went wrong on our side. Quote request id ${request.id} when reporting it.`,
      );
    }
    if (INPUT_REFUSALS.has(problem.status) && options.beforeInputRefusal) {
      try {
        await options.beforeInputRefusal(request);
      } catch (refusal) {
        if (!(refusal instanceof Problem)) throw refusal;
        problem = refusal;
      }
    }
    return sendProblem(reply, request, problem);
  });
}

/** The problem an error stands for, or undefined for an unexpected error (a bug: 500). */
export function problemOf(error: FastifyError): Problem | undefined {
  if (error instanceof Problem) return error;
  if (isUnavailable(error)) return serviceUnavailable();
  if (error.validation) {
    const status = error.validationContext === 'body' ? 422 : 400;
    return new Problem(status, 'invalid_input', 'Invalid input', 'One or more fields are invalid; see invalidParams.', invalidParamsOf(error));
  }
  const known = KNOWN_ERRORS[error.code];
  if (known) return new Problem(known.status, known.code, known.title, known.detail);
  if (error instanceof SyntaxError || error.code === 'FST_ERR_CTP_INVALID_JSON_BODY') {
    return new Problem(400, 'malformed_json', 'Malformed JSON', 'The request body is not valid JSON.');
  }
  if (error.statusCode === 429) {
    return new Problem(429, 'rate_limited', 'Too many requests', 'Slow down: too many requests from this address; see the Retry-After header.');
  }
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    // A library's message may quote the request (a URL, a header): the answer says only what kind of refusal it is.
    return new Problem(error.statusCode, 'bad_request', 'Bad request', 'The request could not be understood.');
  }
  return undefined;
}

/** Fastify's own refusals before routing (a path that is not valid percent-encoding): the same problems. */
export function frameworkProblem(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  return sendProblem(reply, request, problemOf(error) ?? new Problem(400, 'bad_request', 'Bad request', 'The request could not be understood.'));
}

export const apiNotFound = (request: FastifyRequest, reply: FastifyReply) =>
  sendProblem(reply, request, new Problem(404, 'not_found', 'Not found', 'There is no such endpoint. See /api/v1/openapi.json.'));

export function sendProblem(reply: FastifyReply, request: FastifyRequest, problem: Problem) {
  if (problem.status === 401) reply.header('www-authenticate', 'Bearer realm="sluis"');
  if (problem.retryAfterSeconds !== undefined) reply.header('retry-after', String(problem.retryAfterSeconds));
  return reply
    .status(problem.status)
    .type('application/problem+json')
    .send({
      type: `https://sluis.example/problems/${problem.code}`,
      title: problem.title,
      status: problem.status,
      detail: problem.message,
      instance: `urn:uuid:${request.id}`,
      code: problem.code,
      ...(problem.invalidParams && { invalidParams: problem.invalidParams }),
    });
}

const KNOWN_ERRORS: Record<string, { status: number; code: string; title: string; detail: string }> = {
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'body_too_large', title: 'Payload too large', detail: 'The request body is larger than this API accepts.' },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    status: 415,
    code: 'unsupported_media_type',
    title: 'Unsupported media type',
    detail: 'Send JSON with Content-Type: application/json.',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: { status: 400, code: 'empty_body', title: 'Bad request', detail: 'The request body is empty; send a JSON object.' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    status: 400,
    code: 'bad_content_length',
    title: 'Bad request',
    detail: 'The Content-Length header does not match the body.',
  },
  FST_ERR_BAD_URL: { status: 400, code: 'bad_url', title: 'Bad request', detail: 'The path is not valid percent-encoded UTF-8.' },
  FST_ERR_ASYNC_CONSTRAINT: { status: 400, code: 'bad_request', title: 'Bad request', detail: 'The request could not be routed.' },
};

/** The invalidParams of a schema validation error (also for routes that attach validation errors). */
export function invalidParamsOf(error: { validation?: unknown; validationContext?: string | undefined }): InvalidParam[] {
  return dedupeInvalidParams(withoutNullBranches((error.validation ?? []) as AjvError[]).map((e) => toInvalidParam(e, error.validationContext)));
}

/**
 * A nullable field (anyOf [x, null]) holding neither fails both branches: report only what is wrong
 * against x, not "must be of type null" and "must match a schema in anyOf" besides.
 */
function withoutNullBranches(errors: AjvError[]): AjvError[] {
  const isNullBranch = (e: AjvError) => e.keyword === 'type' && e.params.type === 'null' && /\/anyOf\/\d+\/type$/.test(e.schemaPath ?? '');
  const nullBranchAt = new Set(errors.filter(isNullBranch).map((e) => e.instancePath));
  return errors.filter((e) => !isNullBranch(e) && !(e.keyword === 'anyOf' && nullBranchAt.has(e.instancePath)));
}

function toInvalidParam(error: AjvError, context: string | undefined): InvalidParam {
  const base = error.instancePath.split('/').filter(Boolean).join('.');
  const at = (child: unknown) => [base, String(child)].filter(Boolean).join('.');
  const prefix = context && context !== 'body' ? `${context}:` : '';
  switch (error.keyword) {
    case 'required':
      return { name: prefix + at(error.params.missingProperty), code: 'required', reason: 'This field is required.' };
    case 'additionalProperties':
      return {
        name: prefix + at(displayableFieldName(String(error.params.additionalProperty))),
        code: 'unknown_field',
        reason: 'This field is not part of the API; remove it.',
      };
    case 'format':
      return {
        name: prefix + base,
        code: 'invalid_format',
        reason: FORMAT_REASONS[String(error.params.format)] ?? `Must be a valid ${String(error.params.format)}.`,
      };
    case 'enum':
      return { name: prefix + base, code: 'invalid_value', reason: `Must be one of: ${(error.params.allowedValues as unknown[]).join(', ')}.` };
    case 'type':
      return { name: prefix + base, code: 'invalid_type', reason: `Must be of type ${String(error.params.type)}.` };
    default:
      return {
        name: prefix + base,
        code: `invalid_${error.keyword}`.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`),
        reason: sentence(error.message ?? 'Invalid value.'),
      };
  }
}

const FORMAT_REASONS: Record<string, string> = {
  bsn: 'Must be a valid BSN: 9 digits that pass the 11-test.',
  date: 'Must be a real calendar date, YYYY-MM-DD.',
  'date-time': 'Must be a date and time in RFC 3339 form.',
  uuid: 'Must be an id as returned by this API.',
  email: 'Must be an e-mail address.',
};

const sentence = (message: string) => `${message.charAt(0).toUpperCase()}${message.slice(1)}.`;

export function dedupeInvalidParams(params: InvalidParam[]): InvalidParam[] {
  const seen = new Set<string>();
  return params.filter((p) => !seen.has(`${p.name}|${p.code}`) && seen.add(`${p.name}|${p.code}`));
}
