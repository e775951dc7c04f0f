/** /api/v1/matches: the open matches the professional takes part in. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { IdParams, PageOf, PageQuery, ProfessionalHeaders, problemResponses } from '../api/schemas.ts';
import { MatchView } from './match-schemas.ts';
import type { MatchService } from './match-service.ts';

const tags = ['Matches'];
const security = [{ bearer: [] }];

/** The services these routes call. */
export type MatchRoutesServices = { matches: MatchService };

export const matchRoutes: FastifyPluginAsyncTypebox<{ services: MatchRoutesServices }> = async (app, { services }) => {
  app.get(
    '/matches',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        summary: 'List the open matches the professional takes part in',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: PageOf(MatchView), ...problemResponses },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'professional');
      return services.matches.page(actor, { limit: request.query.limit ?? 50, ...(request.query.cursor && { cursor: request.query.cursor }) });
    },
  );

  app.get(
    '/matches/:id',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        params: IdParams,
        summary: 'Read a match: the involved professionals and their contact details',
        response: { 200: MatchView, ...problemResponses },
      },
    },
    async (request) => services.matches.get(callerOf(request, 'professional'), request.params.id),
  );
};
