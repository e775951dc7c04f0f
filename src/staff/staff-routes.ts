/** /api/v1/setup (the first administrator, with the one-time code) and /api/v1/staff-members. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { Id, problemResponses, Text } from '../http/schemas.ts';
import { asAdministrator } from '../http/request-auth.ts';
import type { Services } from '../services.ts';

const tags = ['Staff'];
const StaffInput = { name: Text(200), email: Type.String({ format: 'email', maxLength: 254 }) };
const CreatedStaff = Type.Object({
  id: Id, name: Type.String(), email: Type.String(), roles: Type.Array(Type.String()),
  token: Type.String({ description: 'The API token of this administrator; shown once' }),
});

export const staffRoutes: FastifyPluginAsyncTypebox<{ services: Services }> = async (app, { services }) => {
  app.post('/setup', {
    config: { rateLimit: { max: 10, timeWindow: '1 minute' } },
    schema: {
      tags, summary: 'Create the first municipality administrator with the one-time setup code printed at start',
      body: Type.Object({ setupCode: Type.String({ minLength: 10, maxLength: 40 }), ...StaffInput }, { additionalProperties: false }),
      response: { 201: CreatedStaff, ...problemResponses },
    },
  }, async (request, reply) => {
    const { setupCode, ...input } = request.body;
    return reply.status(201).send(await services.staff.completeSetup(setupCode, input, request.id));
  });

  app.post('/staff-members', {
    schema: {
      tags, security: [{ bearer: [] }], summary: 'Add a municipality administrator',
      body: Type.Object(StaffInput, { additionalProperties: false }),
      response: { 201: CreatedStaff, ...problemResponses },
    },
  }, async (request, reply) => {
    const actor = await asAdministrator(services, request);
    return reply.status(201).send(await services.staff.create(actor, request.body));
  });
};
