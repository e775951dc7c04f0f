/** Professionals of an organisation, and their invitation to the web application (administrators). */
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

  app.post(
    '/professionals/:id/web-invitation',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'Invite a professional to the web application',
        description:
          'Gives the professional a web account in the invited state and mails them a one-time link (valid 7 days) to choose a password and link an authenticator app; for an invitation not yet accepted (one that expired, say) it mails a fresh link. Refused with 409: `professional_inactive`, `web_account_active` (they use "forgot password" instead), `web_account_deactivated`, `covenant_not_active` (the organisation has no active, started covenant), `email_in_use` (another web account has the address). Making a professional without a web account coordinator invites them too.',
        response: { 200: ProfessionalView, ...problemResponses },
      },
    },
    async (request) => services.professionals.inviteToWeb(callerOf(request, 'administrator'), request.params.id),
  );
};
