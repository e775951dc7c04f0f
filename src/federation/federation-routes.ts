/**
 * The HTTP API of the hub and of the pseudonymisation service, under /federation/v1. Every request is
 * signed by a registered party (request-signing.ts) and refused `401` — without saying why — when the
 * signature is missing, unknown, expired, forged or replayed. Bodies are JSON; schemas whitelist
 * what comes in and goes out.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Clock } from '../shared/clock.ts';
import { HubRefusal, type HubService } from './hub-service.ts';
import { EvaluationRefused, type PseudonymiserService } from './pseudonymiser-service.ts';
import { checkSignedRequest, type PartyKeys } from './request-signing.ts';

export type SignedRequestsOptions = {
  /** This party's id: the receiver a request must be signed for. */
  self: string;
  keys: PartyKeys;
  /** Parties allowed to call this service (the hub calls no pseudonymisation service, say). */
  callers: (party: string) => boolean;
  /** True when the (party, nonce) is new, remembered from now on; false for a replay. */
  rememberNonce(party: string, nonce: string, now: Date): Promise<boolean>;
  clock: Clock;
};

declare module 'fastify' {
  interface FastifyRequest {
    federationParty?: string;
    rawBody?: string;
  }
}

/** JSON bodies kept as the signed bytes, and every request's signature checked before its schema and route (an unsigned caller learns nothing from validation). */
export function signedRequests(app: FastifyInstance, options: SignedRequestsOptions) {
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    request.rawBody = body as string;
    try {
      done(null, body === '' ? undefined : JSON.parse(body as string));
    } catch {
      done(Object.assign(new Error('the body is not JSON'), { statusCode: 400 }), undefined);
    }
  });
  app.addHook('preValidation', async (request: FastifyRequest, reply) => {
    const now = options.clock.now();
    const verdict = checkSignedRequest(
      options.keys,
      options.self,
      { method: request.method, path: request.url, body: request.rawBody ?? '' },
      request.headers as Record<string, string | undefined>,
      now,
    );
    if (!verdict.ok || !options.callers(verdict.party) || !(await options.rememberNonce(verdict.party, verdict.nonce, now))) {
      request.log.warn({ reason: verdict.ok ? 'caller_or_replay' : verdict.reason }, 'federation request refused');
      return reply.code(401).send({ error: 'unauthenticated' });
    }
    request.federationParty = verdict.party;
  });
}

const party = (request: FastifyRequest) => request.federationParty as string;
const ErrorSchema = { type: 'object', properties: { error: { type: 'string' } }, required: ['error'] } as const;
const B64 = { type: 'string', pattern: '^[A-Za-z0-9_-]+$', maxLength: 4096 } as const;

export function pseudonymiserRoutes(app: FastifyInstance, service: PseudonymiserService) {
  app.post(
    '/federation/v1/evaluations',
    {
      schema: {
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['blinded', 'nonce'],
          properties: { blinded: { ...B64, maxLength: 64 }, nonce: { ...B64, maxLength: 22 } },
        },
        response: { 200: { type: 'object', additionalProperties: false, required: ['token'], properties: { token: { type: 'string' } } }, 400: ErrorSchema },
      },
    },
    async (request, reply) => {
      try {
        return await service.evaluate(party(request), request.body as { blinded: string; nonce: string });
      } catch (error) {
        if (error instanceof EvaluationRefused) return reply.code(400).send({ error: 'evaluation_refused' });
        throw error;
      }
    },
  );
}

const HUB_STATUS: Record<HubRefusal['code'], number> = { token_refused: 400, token_replayed: 409, malformed: 400, not_found: 404, not_in_match: 403 };

export function hubRoutes(app: FastifyInstance, service: HubService) {
  const refusal = (error: unknown, reply: { code(n: number): { send(body: unknown): unknown } }) => {
    if (error instanceof HubRefusal) return reply.code(HUB_STATUS[error.code]).send({ error: error.code });
    throw error;
  };
  const referenceParams = {
    type: 'object',
    required: ['reference'],
    properties: { reference: { type: 'string', pattern: '^[A-Za-z0-9_-]{22,64}$' } },
  } as const;

  app.put(
    '/federation/v1/registrations/:reference',
    {
      schema: {
        params: referenceParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['token', 'blind', 'nonce'],
          properties: { token: { type: 'string', maxLength: 4096 }, blind: { ...B64, maxLength: 64 }, nonce: { ...B64, maxLength: 22 } },
        },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['registered', 'since'],
            properties: { registered: { type: 'boolean' }, since: { type: 'string' } },
          },
          400: ErrorSchema,
          409: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      const { reference } = request.params as { reference: string };
      try {
        const answer = await service.register(party(request), reference, request.body as { token: string; blind: string; nonce: string });
        return { registered: answer.registered, since: answer.since.toISOString() };
      } catch (error) {
        return refusal(error, reply);
      }
    },
  );

  app.delete('/federation/v1/registrations/:reference', { schema: { params: referenceParams } }, async (request, reply) => {
    const { reference } = request.params as { reference: string };
    await service.deregister(party(request), reference);
    return reply.code(204).send();
  });

  app.get(
    '/federation/v1/events',
    {
      schema: {
        querystring: { type: 'object', additionalProperties: false, properties: { after: { type: 'integer', minimum: 0, default: 0 } } },
        response: {
          200: {
            type: 'object',
            additionalProperties: false,
            required: ['events'],
            properties: {
              events: {
                type: 'array',
                items: {
                  type: 'object',
                  additionalProperties: false,
                  required: ['seq', 'event'],
                  properties: {
                    seq: { type: 'integer' },
                    event: {
                      type: 'object',
                      additionalProperties: false,
                      required: ['type'],
                      properties: {
                        type: { type: 'string', enum: ['match', 'match_ended', 'contacts', 'move'] },
                        match: { type: 'string' },
                        move: { type: 'string' },
                        municipality: { type: 'string' },
                        reference: { type: 'string' },
                        regions: { type: 'array', items: { type: 'string' } },
                        region: { type: 'string' },
                        contacts: { type: 'array', items: CONTACT },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => ({ events: await service.events(party(request), (request.query as { after: number }).after) }),
  );

  app.post(
    '/federation/v1/registrations/:reference/moves',
    {
      schema: {
        params: referenceParams,
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['move', 'municipality', 'contacts'],
          properties: {
            move: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' },
            municipality: { type: 'string', pattern: '^[0-9]{4}$' },
            contacts: { type: 'array', maxItems: 200, items: CONTACT },
          },
        },
        response: {
          202: { type: 'object', additionalProperties: false, required: ['routed'], properties: { routed: { type: 'boolean' } } },
          400: ErrorSchema,
          404: ErrorSchema,
        },
      },
    },
    async (request, reply) => {
      try {
        const answer = await service.move(party(request), (request.params as { reference: string }).reference, request.body as never);
        return reply.code(202).send(answer);
      } catch (error) {
        return refusal(error, reply);
      }
    },
  );

  app.put(
    '/federation/v1/matches/:match/contacts',
    {
      schema: {
        params: { type: 'object', required: ['match'], properties: { match: { type: 'string', pattern: '^[A-Za-z0-9_-]{22}$' } } },
        body: {
          type: 'object',
          additionalProperties: false,
          required: ['contacts'],
          properties: { contacts: { type: 'array', maxItems: 200, items: CONTACT } },
        },
        response: { 204: { type: 'null' }, 403: ErrorSchema, 404: ErrorSchema },
      },
    },
    async (request, reply) => {
      try {
        await service.relayContacts(party(request), (request.params as { match: string }).match, (request.body as { contacts: never[] }).contacts);
        return reply.code(204).send();
      } catch (error) {
        return refusal(error, reply);
      }
    },
  );
}

const TEXT = (max: number) => ({ type: ['string', 'null'], maxLength: max }) as const;
const CONTACT = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'jobTitle', 'organisation', 'phone', 'email'],
  properties: {
    name: { type: 'string', maxLength: 200 },
    jobTitle: TEXT(200),
    organisation: { type: 'string', maxLength: 200 },
    phone: TEXT(50),
    email: TEXT(254),
  },
} as const;
