/**
 * The HTTP application: /api/v1 following the Dutch API Design Rules (API-Version header,
 * problem+json errors, OpenAPI 3.1 at /api/v1/openapi.json generated from the same schemas that
 * validate requests and whitelist responses), security headers and a rate limit per API client.
 */
import { randomUUID } from 'node:crypto';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Ajv } from 'ajv';
import addFormatsImport from 'ajv-formats';
import Fastify, { type FastifyServerOptions } from 'fastify';
import { apiClientRoutes } from '../api-clients/api-client-routes.ts';
import { auditRoutes } from '../audit/audit-routes.ts';
import { coordinationRoutes } from '../coordination/coordination-routes.ts';
import { covenantRoutes } from '../covenants/covenant-routes.ts';
import { matchRoutes } from '../matches/match-routes.ts';
import { notificationRoutes } from '../notifications/notification-routes.ts';
import { organisationRoutes } from '../organisations/organisation-routes.ts';
import { passesElevenTest } from '../persons/bsn.ts';
import { professionalRoutes } from '../professionals/professional-routes.ts';
import type { Services } from '../services.ts';
import { settingsRoutes } from '../settings/settings-routes.ts';
import { signalRoutes } from '../signals/signal-routes.ts';
import { staffRoutes } from '../staff/staff-routes.ts';
import { apiNotFound, registerProblemHandling } from './problem-handler.ts';
import { ProblemSchema } from './schemas.ts';
import { htmlNotFound, webPlugin } from '../web/web-plugin.ts';

export const API_VERSION = '1.0.0';

export type AppOptions = {
  services: Services;
  logger?: FastifyServerOptions['logger'];
  bodyLimitBytes?: number;
  rateLimitPerMinute?: number;
  /** Sign-in, code and password-link forms per client IP per minute (default 30); the per-address lockout comes on top. */
  signInRateLimitPerMinute?: number;
  trustProxy?: boolean;
  publicUrl?: string;
};

const addFormats = addFormatsImport as unknown as (ajv: Ajv) => Ajv;

function createAjv(coerceTypes: boolean | 'array') {
  const ajv = new Ajv({ allErrors: true, removeAdditional: false, useDefaults: true, coerceTypes, strict: false, discriminator: true });
  addFormats(ajv);
  ajv.addFormat('bsn', passesElevenTest);
  return ajv;
}

export async function buildApp(options: AppOptions) {
  const { services } = options;
  const app = Fastify({
    logger: options.logger ?? false,
    bodyLimit: options.bodyLimitBytes ?? 32 * 1024,
    trustProxy: options.trustProxy ?? false,
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    routerOptions: { ignoreTrailingSlash: true },
  }).withTypeProvider<TypeBoxTypeProvider>();

  // Bodies are validated strictly (no coercion, unknown fields refused); query strings are coerced.
  const bodyAjv = createAjv(false);
  const otherAjv = createAjv('array');
  app.setValidatorCompiler(({ schema, httpPart }) => (httpPart === 'body' ? bodyAjv : otherAjv).compile(schema));

  registerProblemHandling(app);
  app.addSchema(ProblemSchema);

  await app.register(helmet, { contentSecurityPolicy: { directives: { defaultSrc: ["'none'"], frameAncestors: ["'none'"] } } });
  await app.register(rateLimit, {
    max: options.rateLimitPerMinute ?? 600,
    timeWindow: '1 minute',
    keyGenerator: (request) => request.headers.authorization?.slice(7).split('.')[0] ?? request.ip,
  });
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'SluiS API',
        version: API_VERSION,
        description: 'The reference index (verwijsindex) for professionals: file signals, learn of matches, manage the index. Personal data never appears in URLs; the BSN is accepted in request bodies only and never returned.',
        license: { name: 'EUPL-1.2', url: 'https://interoperable-europe.ec.europa.eu/collection/eupl/eupl-text-eupl-12' },
      },
      servers: [{ url: `${options.publicUrl ?? ''}/api/v1` }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'An API token `<keyId>.<secret>`' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => (typeof json.$id === 'string' ? json.$id : `def-${i}`) },
    // @fastify/swagger marks every request body required; a body schema that also takes null is optional.
    transformObject: (documentObject) => {
      if (!('openapiObject' in documentObject)) return documentObject.swaggerObject;
      for (const operations of Object.values((documentObject.openapiObject as OpenApiDocument).paths ?? {})) {
        for (const operation of Object.values(operations)) {
          const schema = operation.requestBody?.content?.['application/json']?.schema;
          if (schema && acceptsNull(schema)) operation.requestBody!.required = false;
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

  await app.register(async (api) => {
    api.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());
    for (const routes of [signalRoutes, matchRoutes, organisationRoutes, covenantRoutes, professionalRoutes, apiClientRoutes, settingsRoutes, auditRoutes, staffRoutes, notificationRoutes, coordinationRoutes]) {
      await api.register(routes, { services });
    }
  }, { prefix: '/api/v1' });

  await app.register(webPlugin, { services, publicUrl: options.publicUrl ?? services.publicUrl, signInRateLimitPerMinute: options.signInRateLimitPerMinute ?? 30 });
  app.setNotFoundHandler((request, reply) => (request.url.startsWith('/api/') ? apiNotFound(request, reply) : htmlNotFound(request, reply)));

  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));
  return app;
}

type JsonSchema = { type?: string | string[]; anyOf?: JsonSchema[] };
type OpenApiDocument = { paths?: Record<string, Record<string, { requestBody?: { required?: boolean; content?: Record<string, { schema?: JsonSchema }> } }>> };
const acceptsNull = (schema: JsonSchema): boolean =>
  schema.type === 'null' || (Array.isArray(schema.type) && schema.type.includes('null')) || (schema.anyOf ?? []).some(acceptsNull);
