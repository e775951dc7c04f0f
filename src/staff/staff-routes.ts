/**
 * /api/v1/setup (the first administrator, with the one-time code) and /api/v1/staff-members
 * (administrators add staff — administrators and escalation officers — and change their roles).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { callerOf } from '../api/caller.ts';
import { IdParams, problemResponses } from '../api/schemas.ts';
import { CreatedStaff, NewStaffMemberBody, SetupBody, StaffMember, StaffRolesBody } from './staff-schemas.ts';
import type { StaffService } from './staff-service.ts';

const tags = ['Staff'];
/** The services these routes call. */
export type StaffRoutesServices = { staff: StaffService };

export const staffRoutes: FastifyPluginAsyncTypebox<{ services: StaffRoutesServices }> = async (app, { services }) => {
  app.post(
    '/setup',
    {
      config: { caller: 'public', rateLimit: { max: 10, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.ip } },
      schema: {
        tags,
        summary: 'Create the first municipality administrator with the one-time setup code printed at start',
        body: SetupBody,
        response: { 201: CreatedStaff, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { setupCode, ...input } = request.body;
      return reply.status(201).send(await services.staff.completeSetup(setupCode, input, request.id));
    },
  );

  app.post(
    '/staff-members',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security: [{ bearer: [] }],
        summary: 'Add a municipality staff member (administrator and/or escalation officer)',
        body: NewStaffMemberBody,
        response: { 201: CreatedStaff, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = callerOf(request, 'administrator');
      // The member with their API token and their web account; the invitation mail after the answer.
      const { created, sendInvitation } = await services.staff.createWithAccount(actor, request.body);
      void sendInvitation();
      return reply.status(201).send(created);
    },
  );

  app.patch(
    '/staff-members/:id',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security: [{ bearer: [] }],
        params: IdParams,
        summary: "Change a staff member's roles",
        description:
          'Administrators only; audited as staff.roles_changed. An administrator cannot remove their own municipality_admin role (409 own_admin_role).',
        body: StaffRolesBody,
        response: { 200: StaffMember, ...problemResponses },
      },
    },
    async (request) => services.staff.setRoles(callerOf(request, 'administrator'), request.params.id, request.body.roles),
  );
};
