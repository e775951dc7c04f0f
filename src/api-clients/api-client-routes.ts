/** API clients of organisations (administrators). The token is in the creation answer only. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, Instant, Nullable, PageOf, PageQuery, problemResponses, Text } from '../api/schemas.ts';
import type { Cursors } from '../shared/paging.ts';
import type { ApiClientService } from './api-client-service.ts';

const tags = ['API clients'];
const security = [{ bearer: [] }];
const fields = { id: Id, keyId: Type.String(), name: Type.String(), organisationId: Nullable(Id), createdAt: Instant, revokedAt: Nullable(Instant) };
const ApiClientView = Type.Object(fields);

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
};
