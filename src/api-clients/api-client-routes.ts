/** API clients of organisations (administrators) and their tokens. A token is in the answer that makes it only. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, Instant, Nullable, PageOf, PageQuery, problemResponses, Text } from '../api/schemas.ts';
import type { Cursors } from '../shared/paging.ts';
import type { ApiClientService } from './api-client-service.ts';

const tags = ['API clients'];
const security = [{ bearer: [] }];
const TokenView = Type.Object({
  id: Id,
  keyId: Type.String({ description: 'The public part of the token, before the dot' }),
  createdAt: Instant,
  expiresAt: Nullable(Instant),
  lastUsedAt: Nullable(Instant),
});
const fields = {
  id: Id,
  keyId: Type.String({ description: "The newest token's key id" }),
  name: Type.String(),
  organisationId: Nullable(Id),
  createdAt: Instant,
  revokedAt: Nullable(Instant),
  tokens: Type.Array(TokenView, {
    description:
      'The live tokens, newest first (never their secrets): one, or two while the older one is in its overlap period (expiresAt). None once the client is revoked. lastUsedAt is exact to the hour.',
  }),
};
const ApiClientView = Type.Object(fields);
const TokenParams = Type.Object({ id: Id, tokenId: Id }, { additionalProperties: false });

/** The services these routes call. */
export type ApiClientRoutesServices = { apiClients: ApiClientService; cursors: Cursors };

export const apiClientRoutes: FastifyPluginAsyncTypebox<{ services: ApiClientRoutesServices }> = async (app, { services }) => {
  app.get(
    '/organisations/:id/api-clients',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "The organisation's API clients (never their secrets)",
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: PageOf(ApiClientView), ...problemResponses },
      },
    },
    async (request) => {
      const all = await services.apiClients.list(request.params.id);
      return services.cursors.pageOfWhole('api-clients', all, {
        limit: request.query.limit ?? 50,
        ...(request.query.cursor && { cursor: request.query.cursor }),
      });
    },
  );

  app.post(
    '/organisations/:id/api-clients',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "Create an API client for the organisation's record system",
        description: 'The answer holds the token (`Authorization: Bearer <token>`). It is shown this once; SluiS keeps only a hash.',
        body: Type.Object({ name: Text(200) }, { additionalProperties: false }),
        response: { 201: Type.Object({ ...fields, token: Type.String() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = callerOf(request, 'administrator');
      return reply.status(201).send(await services.apiClients.createForOrganisation(actor, request.params.id, request.body.name));
    },
  );

  app.post(
    '/api-clients/:id/revoke',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Revoke an API client: refused from the next request on',
        response: { 200: ApiClientView, ...problemResponses },
      },
    },
    async (request) => services.apiClients.revoke(callerOf(request, 'administrator'), request.params.id),
  );

  app.post(
    '/api-clients/:id/tokens',
    {
      config: { caller: 'administrator' },
      // The body is optional: no body is the default overlap.
      preValidation: async (request) => {
        request.body ??= {};
      },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Issue a new token for an API client; the current one works on for the overlap period',
        description:
          'The answer holds the new token (`token`, shown this once) and its id (`tokenId`). The current token keeps working for `overlapDays` ' +
          '(default 7, at most 30; 0 ends it at once) or until it is revoked. A client has at most two live tokens: while it has two, this is ' +
          'refused with `409 two_live_tokens`.',
        body: Type.Optional(
          Type.Object(
            { overlapDays: Type.Optional(Type.Integer({ minimum: 0, maximum: 30, description: 'Days the current token keeps working; default 7' })) },
            { additionalProperties: false },
          ),
        ),
        response: { 201: Type.Object({ ...fields, tokenId: Id, token: Type.String() }), ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = callerOf(request, 'administrator');
      return reply.status(201).send(await services.apiClients.issueToken(actor, request.params.id, request.body?.overlapDays));
    },
  );

  app.post(
    '/api-clients/:id/tokens/:tokenId/revoke',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: TokenParams,
        summary: "Revoke an API client's older token before its overlap period ends",
        description: 'The newest token cannot be revoked on its own (`409 newest_token`): issue a new token first, or revoke the client.',
        response: { 200: ApiClientView, ...problemResponses },
      },
    },
    async (request) => services.apiClients.revokeToken(callerOf(request, 'administrator'), request.params.id, request.params.tokenId),
  );
};
