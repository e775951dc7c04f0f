/** Professionals of an organisation (administrators). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { IdParams, PageOf, PageQuery, problemResponses } from '../api/schemas.ts';
import type { Cursors } from '../shared/paging.ts';
import { NewProfessionalBody, ProfessionalPatchBody, ProfessionalView } from './professional-schemas.ts';
import type { ProfessionalService } from './professional-service.ts';

const tags = ['Professionals'];
const security = [{ bearer: [] }];

/** The services these routes call. */
export type ProfessionalRoutesServices = { professionals: ProfessionalService; cursors: Cursors };

export const professionalRoutes: FastifyPluginAsyncTypebox<{ services: ProfessionalRoutesServices }> = async (app, { services }) => {
  app.get(
    '/organisations/:id/professionals',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "The organisation's professionals, by name",
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: PageOf(ProfessionalView), ...problemResponses },
      },
    },
    async (request) => {
      const all = await services.professionals.list(callerOf(request, 'administrator'), request.params.id);
      return services.cursors.pageOfWhole('professionals', all, {
        limit: request.query.limit ?? 50,
        ...(request.query.cursor && { cursor: request.query.cursor }),
      });
    },
  );

  app.post(
    '/organisations/:id/professionals',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Register a professional',
        body: NewProfessionalBody,
        response: { 201: ProfessionalView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = callerOf(request, 'administrator');
      return reply.status(201).send(await services.professionals.create(actor, request.params.id, request.body));
    },
  );

  app.patch(
    '/professionals/:id',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Change or deactivate a professional',
        body: ProfessionalPatchBody,
        response: { 200: ProfessionalView, ...problemResponses },
      },
    },
    async (request) => services.professionals.update(callerOf(request, 'administrator'), request.params.id, request.body),
  );
};
