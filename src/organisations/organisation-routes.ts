/** /api/v1/organisations: the municipality manages organisations; everyone signed in reads the directory. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, Nullable, problemResponses, StringEnum, Text } from '../api/schemas.ts';
import type { OrganisationService } from './organisation-service.ts';
import { DOMAINS } from './organisation-service.ts';

const tags = ['Organisations'];
const security = [{ bearer: [] }];
const Domain = StringEnum(DOMAINS);

const fields = {
  name: Text(200),
  domains: Type.Array(Domain, { minItems: 1, uniqueItems: true }),
  description: Type.Optional(Type.String({ maxLength: 4000, description: 'Profile: what help the organisation offers' })),
  signallingCriteria: Type.Optional(Type.String({ maxLength: 4000, description: 'Profile: in which situations its professionals signal' })),
  website: Type.Optional(Nullable(Type.String({ maxLength: 300, pattern: '^https?://' }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
};

export const OrganisationView = Type.Object({
  id: Id,
  name: Type.String(),
  domains: Type.Array(Type.String()),
  description: Type.String(),
  signallingCriteria: Type.String(),
  website: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  covenantStatus: StringEnum(['active', 'suspended', 'none'] as const),
});

/** The services these routes call. */
export type OrganisationRoutesServices = { organisations: OrganisationService };

export const organisationRoutes: FastifyPluginAsyncTypebox<{ services: OrganisationRoutesServices }> = async (app, { services }) => {
  /** Any live credential may read the directory: organisations are not personal data. */
  app.get(
    '/organisations',
    {
      config: { caller: 'anyCaller' },
      schema: {
        tags,
        security,
        summary: 'The directory of organisations and their profiles',
        querystring: Type.Object({ domain: Type.Optional(Domain), name: Type.Optional(Type.String({ maxLength: 100 })) }, { additionalProperties: false }),
        response: { 200: Type.Object({ items: Type.Array(OrganisationView) }), ...problemResponses },
      },
    },
    async (request) => {
      return {
        items: await services.organisations.list({
          ...(request.query.domain && { domain: request.query.domain }),
          ...(request.query.name && { name: request.query.name }),
        }),
      };
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
        body: Type.Object(fields, { additionalProperties: false }),
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
        body: Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 }),
        response: { 200: OrganisationView, ...problemResponses },
      },
    },
    async (request) => services.organisations.update(callerOf(request, 'administrator'), request.params.id, request.body),
  );
};
