/** /api/v1/municipality-contacts: who hears of moves to another municipality (administrators). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Instant, Nullable, problemResponses } from '../api/schemas.ts';
import type { MunicipalityContactsService } from './municipality-contacts-service.ts';

const tags = ['Population register'];
const security = [{ bearer: [] }];

const MunicipalityCode = Type.String({ pattern: '^[0-9]{4}$', description: 'The municipality code, four digits as the register gives it (0363: Amsterdam)' });

export const MunicipalityContactView = Type.Object(
  {
    municipalityCode: MunicipalityCode,
    organisationId: Nullable(
      Type.String({ format: 'uuid', description: 'The organisation whose active coordinators are told; null when it is an e-mail address' }),
    ),
    email: Nullable(Type.String({ description: 'The address that is told; null when it is an organisation' })),
    updatedAt: Instant,
  },
  { additionalProperties: false },
);

const ContactsView = Type.Object(
  {
    contacts: Type.Array(MunicipalityContactView),
    unrouted: Type.Array(
      Type.Object(
        {
          municipalityCode: MunicipalityCode,
          moves: Type.Integer({ minimum: 1, description: 'Moves to this municipality that no one there was told of (no contact was set)' }),
          lastMoveAt: Instant,
        },
        { additionalProperties: false },
      ),
      { description: 'Municipalities persons with a signal moved to while no contact was set; cleared when one is set' },
    ),
  },
  { additionalProperties: false },
);

const ContactBody = Type.Union(
  [
    Type.Object({ organisationId: Type.String({ format: 'uuid' }) }, { additionalProperties: false }),
    Type.Object({ email: Type.String({ minLength: 3, maxLength: 254 }) }, { additionalProperties: false }),
  ],
  { description: 'An organisation in SluiS (its active coordinators get the mail) or an e-mail address' },
);

const CodeParams = Type.Object({ municipalityCode: MunicipalityCode });

export type MunicipalityContactRoutesServices = { municipalityContacts: MunicipalityContactsService };

export const municipalityContactRoutes: FastifyPluginAsyncTypebox<{ services: MunicipalityContactRoutesServices }> = async (app, { services }) => {
  app.get(
    '/municipality-contacts',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'Who hears of moves to each municipality, and the municipalities moved to without a contact',
        response: { 200: ContactsView, ...problemResponses },
      },
    },
    async (request) => services.municipalityContacts.list(callerOf(request, 'administrator')),
  );

  app.put(
    '/municipality-contacts/:municipalityCode',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'Set who hears that a person with a signal moved to this municipality',
        params: CodeParams,
        body: ContactBody,
        response: { 200: MunicipalityContactView, ...problemResponses },
      },
    },
    async (request) => services.municipalityContacts.set(callerOf(request, 'administrator'), request.params.municipalityCode, request.body),
  );

  app.delete(
    '/municipality-contacts/:municipalityCode',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'Remove the contact of a municipality; moves there are then counted for the administrators',
        params: CodeParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await services.municipalityContacts.remove(callerOf(request, 'administrator'), request.params.municipalityCode);
      return reply.status(204).send(null);
    },
  );
};
