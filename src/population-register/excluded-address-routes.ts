/** /api/v1/excluded-addresses: the addresses where no address match is made (administrators). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Instant, Nullable, problemResponses } from '../api/schemas.ts';
import { type ExcludedAddressesService, IMPORT_MAX_LINES, LABEL_MAX } from './excluded-addresses-service.ts';

const tags = ['Population register'];
const security = [{ bearer: [] }];

export const ExcludedAddressView = Type.Object(
  {
    id: Type.String({
      pattern: '^[0-9a-f]{64}$',
      description: 'The keyed pseudonym of the address object id (SluiS keeps no address id in clear); remove the address by it',
    }),
    label: Nullable(Type.String({ maxLength: LABEL_MAX, description: 'The short label the administrator gave, if any' })),
    createdAt: Instant,
  },
  { additionalProperties: false },
);

const AddBody = Type.Object(
  {
    addressObjectId: Type.String({
      pattern: '^[0-9]{16}$',
      description: 'The BAG address object id (adresseerbaarObjectIdentificatie), 16 digits, as the population register gives it',
    }),
    label: Type.Optional(
      Type.String({
        maxLength: LABEL_MAX,
        description: 'Optional short label ("Zorginstelling De Linde"). It may be sensitive (a shelter): keep it short, or leave it out',
      }),
    ),
  },
  { additionalProperties: false },
);

const ImportBody = Type.Object(
  {
    csv: Type.String({
      maxLength: IMPORT_MAX_LINES * 100,
      description: `One address a line: the 16-digit address object id, optionally a comma or semicolon and a label; at most ${IMPORT_MAX_LINES} lines. A first line starting with a letter is taken as a header. Every line is checked: when any is refused, nothing is imported and the 422 names the refused lines (number and reason)`,
    }),
  },
  { additionalProperties: false },
);

const IdParams = Type.Object({
  id: Type.String({ pattern: '^([0-9]{16}|[0-9a-f]{64})$', description: 'The id from the list, or the 16-digit address object id' }),
});

export type ExcludedAddressRoutesServices = { excludedAddresses: ExcludedAddressesService };

export const excludedAddressRoutes: FastifyPluginAsyncTypebox<{ services: ExcludedAddressRoutesServices }> = async (app, { services }) => {
  app.get(
    '/excluded-addresses',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'The excluded addresses (care institutions, shelters, prisons): no address match is made there',
        response: { 200: Type.Object({ addresses: Type.Array(ExcludedAddressView) }, { additionalProperties: false }), ...problemResponses },
      },
    },
    async (request) => ({ addresses: await services.excludedAddresses.list(callerOf(request, 'administrator')) }),
  );

  app.post(
    '/excluded-addresses',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'Exclude an address; the open address match there closes',
        body: AddBody,
        response: { 201: ExcludedAddressView, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await services.excludedAddresses.add(callerOf(request, 'administrator'), request.body)),
  );

  app.post(
    '/excluded-addresses/import',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'Import excluded addresses from CSV text: all lines or none',
        body: ImportBody,
        response: { 200: Type.Object({ imported: Type.Integer({ minimum: 1 }) }, { additionalProperties: false }), ...problemResponses },
      },
    },
    async (request) => services.excludedAddresses.importCsv(callerOf(request, 'administrator'), request.body.csv),
  );

  app.delete(
    '/excluded-addresses/:id',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'Remove an excluded address; address matches may be made there again',
        params: IdParams,
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await services.excludedAddresses.remove(callerOf(request, 'administrator'), request.params.id);
      return reply.status(204).send(null);
    },
  );
};
