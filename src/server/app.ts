/**
 * The HTTP application: /api/v1 following the Dutch API Design Rules (API-Version header,
 * problem+json errors, OpenAPI 3.1 at /api/v1/openapi.json generated from the same schemas that
 * validate requests and whitelist responses), security headers and a rate limit per API client.
 *
 * A request to the API passes, in this order: the caller declared by its route is authenticated and
 * its client counted (onRequest, request-auth.ts); the body is read, JSON only (415 otherwise); every
 * string is checked for what the database cannot store (text-guard.ts); then the schema, where an
 * unknown query parameter is refused like an unknown body field; then the handler.
 */
import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { FastifyPluginAsyncTypebox, TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { policyFiguresRoutes } from '../administration/policy-figures-routes.ts';
import { settleDeferredStanding } from '../api/caller.ts';
import { apiNotFound, frameworkProblem, registerProblemHandling } from '../api/problem-handler.ts';
import { ProblemSchema } from '../api/schemas.ts';
import { parseQueryString, refuseUnstorableText, validateQueryFirst } from '../api/text-guard.ts';
import { apiClientRoutes } from '../api-clients/api-client-routes.ts';
import { auditRoutes, processingRoutes } from '../audit/audit-routes.ts';
import { breachRoutes } from '../breaches/breach-routes.ts';
import { caseConsultationRoutes } from '../case-consultations/case-consultation-routes.ts';
import { coordinationRoutes } from '../coordination/coordination-routes.ts';
import { covenantRoutes } from '../covenants/covenant-routes.ts';
import { matchRoutes } from '../matches/match-routes.ts';
import { notificationRoutes } from '../notifications/notification-routes.ts';
import { organisationRoutes } from '../organisations/organisation-routes.ts';
import { passesElevenTest } from '../persons/bsn.ts';
import { excludedAddressRoutes } from '../population-register/excluded-address-routes.ts';
import { municipalityContactRoutes } from '../population-register/municipality-contact-routes.ts';
import { professionalRoutes } from '../professionals/professional-routes.ts';
import { inspectionRoutes } from '../rights/inspection-routes.ts';
import { rightsDecisionRoutes } from '../rights/rights-decision-routes.ts';
import { rightsRequestRoutes } from '../rights/rights-request-routes.ts';
import { settingsRoutes } from '../settings/settings-routes.ts';
import { isValidIsoDate } from '../shared/calendar.ts';
import { isEmailAddress } from '../shared/email.ts';
import { informationLetterRoutes } from '../signals/information-letter-routes.ts';
import { signalRoutes } from '../signals/signal-routes.ts';
import { staffRoutes } from '../staff/staff-routes.ts';
import type { Metrics } from './metrics.ts';
import { countProblems, operationsRoutes } from './operations-routes.ts';
import { authenticateCaller, CALLER_KINDS } from './request-auth.ts';
import type { Services } from './services.ts';
import { childLoggerWithTrace, registerTracing } from './tracing.ts';
import { htmlFrameworkError, htmlNotFound, webPlugin } from './web-plugin.ts';

export const API_VERSION = '1.0.0';

export type AppOptions = {
  services: Services;
  logger?: FastifyServerOptions['logger'];
  bodyLimitBytes?: number;
  /** Web page requests per client IP per minute (API clients are limited per client by the authenticator). */
  rateLimitPerMinute?: number;
  /** Sign-in, code and password-link forms per client IP per minute (default 30); the per-address lockout comes on top. */
  signInRateLimitPerMinute?: number;
  trustProxy?: boolean;
  publicUrl?: string;
  /** Who answers questions about this deployment's API (info.contact in the OpenAPI document). */
  apiContact?: ApiContact;
  /** The process's metrics (metrics.ts), served at /metrics when `metricsToken` is set too. */
  metrics?: Metrics;
  /** The bearer token /metrics asks for (SLUIS_METRICS_TOKEN); without one there is no /metrics. */
  metricsToken?: string | undefined;
  /** Sees every answer as it is sent (the test suite's leak guard, src/test-support/leak-guard.ts); never set in production. */
  observeResponse?: (answer: ObservedAnswer) => void;
};

/** An answer as the leak guard sees it: the route, who asked (staff or not), what was sent and what goes out. */
export type ObservedAnswer = {
  method: string;
  route: string;
  url: string;
  requestBody: unknown;
  staff: boolean;
  headers: Record<string, unknown>;
  body: string;
  contentType: string;
};

/** One route of the running app: its method and its path pattern (`/api/v1/signals/:id`). */
export type RouteEntry = { method: string; url: string };

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route of the app as registered, HEAD left out (see src/server/authorisation-matrix.test.ts). */
    routeTable: readonly RouteEntry[];
  }
}

export type ApiContact = { name: string; email: string; url: string };

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function createAjv(coerceTypes: boolean | 'array') {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes, strict: false, discriminator: true });
  addFormats(ajv);
  ajv.addFormat('bsn', passesElevenTest);
  // One e-mail rule for the API and the web forms (ajv-formats' own is a different regular expression).
  ajv.addFormat('email', isEmailAddress);
  // Dates and moments the database can hold: years 0001 to 9999 (ajv-formats takes year 0000, which PostgreSQL refuses).
  ajv.addFormat('date', isValidIsoDate);
  ajv.addFormat('date-time', isStorableInstant);
  return ajv;
}

const INSTANT = /^(\d{4})-\d\d-\d\d[Tt ]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$/;

/** An RFC 3339 date and time with a real calendar date in the years 0001 to 9999. */
function isStorableInstant(value: string): boolean {
  const match = INSTANT.exec(value);
  const time = Date.parse(value);
  return match !== null && isValidIsoDate(value.slice(0, 10)) && time >= EARLIEST_INSTANT && time <= LATEST_INSTANT;
}
const EARLIEST_INSTANT = Date.parse('0001-01-01T00:00:00Z');
const LATEST_INSTANT = Date.parse('9999-12-31T23:59:59.999Z');

export async function buildApp(options: AppOptions) {
  const { services } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? 32 * 1024,
    trustProxy: options.trustProxy ?? false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    childLoggerFactory: childLoggerWithTrace,
    routerOptions: { ignoreTrailingSlash: true, querystringParser: parseQueryString },
    frameworkErrors: (error, request, reply) =>
      request.url.startsWith('/api/') ? frameworkProblem(error, request, reply) : htmlFrameworkError(error, request, reply),
  }).withTypeProvider<TypeBoxTypeProvider>();
  // First, so every later hook, handler and log line of a request runs in its trace.
  registerTracing(app);
  if (options.metrics && options.metricsToken) countProblems(app, options.metrics);

  // Every route as registered (HEAD, which Fastify adds beside GET, left out), for the authorisation matrix test.
  const routeTable: RouteEntry[] = [];
  app.decorate('routeTable', routeTable);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) if (method !== 'HEAD') routeTable.push({ method, url: route.url });
  });

  // Bodies are validated strictly (no coercion, unknown fields refused); query strings are coerced.
  const bodyAjv = createAjv(false);
  const otherAjv = createAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : otherAjv).compile(schema));

  registerProblemHandling(app, { beforeInputRefusal: (request) => settleDeferredStanding(services.auth, request) });
  app.addSchema(ProblemSchema);

  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
  // Per-address limits only where a route asks for one (setup, the sign-in forms, the web pages); API clients are counted per client.
  await app.register(rateLimit, { global: false });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SluiS API',
        version: API_VERSION,
        description:
          'The reference index (verwijsindex) for professionals: file signals, learn of matches, manage the index. Personal data never appears in URLs; the BSN is accepted in request bodies only and never returned.',
        license: { name: 'EUPL-1.2', url: 'https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12' },
        contact: options.apiContact ?? { name: 'SluiS', email: 'sluis@example.nl', url: options.publicUrl ?? services.publicUrl },
      },
      servers: [{ url: `${options.publicUrl ?? ''}/api/v1` }],
      components: {
        securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token `<keyId>.<secret>`' } },
        headers: {
          'API-Version': {
            description: "The full version of the API that answered (the API Design Rules' version header)",
            schema: { type: 'string', example: API_VERSION },
          },
        },
      },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // @fastify/swagger marks every request body required; a body schema that also takes null is optional.
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
      for (const operations of Object.values((documentObject.openapiObject as OpenApiDocument).paths ?? {})) {
        for (const operation of Object.values(operations)) {
          const schema = operation.requestBody?.content?.['application/json']?.schema;
          if (schema && acceptsNull(schema)) operation.requestBody!.required = false;
          describeResponses(operation.responses ?? {});
        }
      }
      return documentObject.openapiObject;
    },
  });

  app.addHook('onSend', async (_request, reply) => {
    reply.header('api-version', API_VERSION);
    if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  const observe = options.observeResponse;
  if (observe) {
    app.addHook('onSend', async (request, reply, payload) => {
      const caller = request.caller as { kind?: string } | undefined;
      const session = (request as { webSession?: { stage?: string; user?: { kind?: string } } }).webSession;
      observe({
        method: request.method,
        route: request.routeOptions.url ?? '(no route)',
        url: request.url,
        requestBody: request.body,
        staff: caller?.kind === 'staff' || (session?.stage === 'signed_in' && session.user?.kind === 'staff'),
        headers: reply.getHeaders(),
        body: typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '',
        contentType: String(reply.getHeader('content-type') ?? ''),
      });
      return payload;
    });
  }

  await app.register(
    async (api) => {
      api.addHook('onRoute', (route) => {
        const caller = route.config?.caller;
        if (!caller || !CALLER_KINDS.includes(caller)) throw new Error(`The API route ${route.method} ${route.url} must declare its caller (config.caller)`);
        route.schema ??= {};
        // Who may call it, in the OpenAPI document too (an extension: administrator, professional, recordSystem, …).
        (route.schema as Record<string, unknown>)['x-sluis-caller'] = caller;
        // Unknown query parameters are refused on every route, as unknown body fields are.
        route.schema.querystring ??= { type: 'object', properties: {}, additionalProperties: false };
        if ((route.schema.querystring as { additionalProperties?: unknown }).additionalProperties !== false) {
          throw new Error(`The query string of ${route.method} ${route.url} must refuse unknown parameters (additionalProperties: false)`);
        }
      });
      api.addHook('onRequest', authenticateCaller(services.auth));
      api.addHook('preValidation', refuseUnstorableText);
      api.addHook('preValidation', validateQueryFirst);
      // JSON only: Fastify's text/plain parser would let a plain-text body reach the schema (422) instead of 415.
      api.removeContentTypeParser('text/plain');
      api.get('/openapi.json', { config: { caller: 'public' }, schema: { hide: true } }, async () => app.swagger());
      const apiRoutes: FastifyPluginAsyncTypebox<{ services: Services }>[] = [
        signalRoutes,
        informationLetterRoutes,
        matchRoutes,
        organisationRoutes,
        covenantRoutes,
        professionalRoutes,
        apiClientRoutes,
        settingsRoutes,
        auditRoutes,
        staffRoutes,
        notificationRoutes,
        coordinationRoutes,
        caseConsultationRoutes,
        rightsRequestRoutes,
        rightsDecisionRoutes,
        inspectionRoutes,
        municipalityContactRoutes,
        excludedAddressRoutes,
        breachRoutes,
        processingRoutes,
        policyFiguresRoutes,
      ];
      for (const routes of apiRoutes) await api.register(routes, { services });
    },
    { prefix: '/api/v1' },
  );

  await app.register(webPlugin, {
    services,
    publicUrl: options.publicUrl ?? services.publicUrl,
    pageRateLimitPerMinute: options.rateLimitPerMinute ?? 600,
    signInRateLimitPerMinute: options.signInRateLimitPerMinute ?? 30,
  });
  app.setNotFoundHandler((request, reply) => (request.url.startsWith('/api/') ? apiNotFound(request, reply) : htmlNotFound(request, reply)));

  operationsRoutes(app, { db: services.db, metrics: options.metrics, metricsToken: options.metricsToken });
  return app;
}

type JsonSchema = { type?: string | string[]; anyOf?: JsonSchema[] };
type OpenApiResponse = { description?: string; headers?: Record<string, unknown>; content?: Record<string, unknown> };
type OpenApiDocument = {
  paths?: Record<
    string,
    Record<string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> }; responses?: Record<string, OpenApiResponse> }>
  >;
};

const ERROR_DESCRIPTIONS: Record<string, string> = {
  400: 'Bad request: a bad path segment or query parameter (unknown ones are refused), a body that is not JSON, or a cursor this API did not give out',
  '4XX':
    "Refused: 401 unauthenticated, 403 not allowed, 404 not found, 409 conflict, 413 too large, 415 not JSON, 422 invalid input, 429 too many requests; the problem's code says which",
  '5XX': 'A fault on our side; the problem carries the request id to quote',
};

/** Every response carries API-Version, as the server sends it; error responses are application/problem+json. */
function describeResponses(responses: Record<string, OpenApiResponse>) {
  for (const [status, response] of Object.entries(responses)) {
    response.headers = { 'API-Version': { $ref: '#/components/headers/API-Version' }, ...response.headers };
    const error = ERROR_DESCRIPTIONS[status];
    if (!error) continue;
    response.description = error;
    const json = response.content?.['application/json'];
    if (json) response.content = { 'application/problem+json': json };
  }
}
const acceptsNull = (schema: JsonSchema): boolean =>
  schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null')) || (schema.anyOf ?? []).some(acceptsNull);
