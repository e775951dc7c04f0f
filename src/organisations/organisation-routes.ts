/** /api/v1/organisations: the municipality manages organisations; everyone signed in reads the directory. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { IdParams, PageOf, PageQuery, problemResponses } from '../api/schemas.ts';
import type { Cursors } from '../shared/paging.ts';
import { Domain, NewOrganisationBody, OrganisationPatchBody, OrganisationView } from './organisation-schemas.ts';
import type { OrganisationService } from './organisation-service.ts';

const tags = ['Organisations'];
const security = [{ bearer: [] }];
/** The services these routes call. */
export type OrganisationRoutesServices = { organisations: OrganisationService; cursors: Cursors };

export const organisationRoutes: FastifyPluginAsyncTypebox<{ services: OrganisationRoutesServices }> = async (app, { services }) => {
  /** Any live credential may read the directory: organisations are not personal data. */
  app.get(
    '/organisations',
    {
      config: { caller: 'anyCaller' },
      schema: {
        tags,
        security,
        summary: 'The directory of organisations and their profiles, by name',
        querystring: Type.Object(
          { domain: Type.Optional(Domain), name: Type.Optional(Type.String({ maxLength: 100 })), ...PageQuery },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(OrganisationView), ...problemResponses },
      },
    },
    async (request) => {
      const { domain, name, limit, cursor } = request.query;
      const all = await services.organisations.list({ ...(domain && { domain }), ...(name && { name }) });
      return services.cursors.pageOfWhole('organisations', all, { limit: limit ?? 50, ...(cursor && { cursor }) });
    },
  );

  app.get(
    '/organisations/:id',
    {
      config: { caller: 'anyCaller' },
      schema: { tags, security, params: IdParams, summary: 'One organisation and its profile', response: { 200: OrganisationView, ...problemResponses } },
    },
    async (request) => services.organisations.get(request.params.id),
  );

  app.post(
    '/organisations',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'Register an organisation (administrators)',
        body: NewOrganisationBody,
        response: { 201: OrganisationView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = callerOf(request, 'administrator');
      return reply.status(201).send(await services.organisations.create(actor, request.body));
    },
  );

  app.patch(
    '/organisations/:id',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Change an organisation or its profile (administrators)',
        body: OrganisationPatchBody,
        response: { 200: OrganisationView, ...problemResponses },
      },
    },
    async (request) => services.organisations.update(callerOf(request, 'administrator'), request.params.id, request.body),
  );
};
