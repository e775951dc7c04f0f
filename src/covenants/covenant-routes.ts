/** Covenants of organisations (administrators). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, IsoDate, Nullable, PageOf, PageQuery, problemResponses, StringEnum } from '../api/schemas.ts';
import type { Cursors } from '../shared/paging.ts';
import type { CovenantService } from './covenant-service.ts';

const tags = ['Covenants'];
const security = [{ bearer: [] }];

const CovenantView = Type.Object({
  id: Id,
  organisationId: Id,
  reference: Type.String(),
  status: StringEnum(['active', 'suspended', 'ended'] as const),
  startsOn: IsoDate,
  endedOn: Nullable(IsoDate),
  statusReason: Nullable(Type.String()),
  mayCoordinate: Type.Boolean({
    description: "Whether the organisation's professionals may take coordination after a match; false: they signal only (schools, the police)",
  }),
});
const ReasonBody = Type.Object({ reason: Type.Optional(Type.String({ maxLength: 500 })) }, { additionalProperties: false });

/** The services these routes call. */
export type CovenantRoutesServices = { covenants: CovenantService; cursors: Cursors };

export const covenantRoutes: FastifyPluginAsyncTypebox<{ services: CovenantRoutesServices }> = async (app, { services }) => {
  app.get(
    '/organisations/:id/covenants',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "The organisation's covenants, newest first",
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: PageOf(CovenantView), ...problemResponses },
      },
    },
    async (request) => {
      const all = await services.covenants.list(request.params.id);
      return services.cursors.pageOfWhole('covenants', all, {
        limit: request.query.limit ?? 50,
        ...(request.query.cursor && { cursor: request.query.cursor }),
      });
    },
  );

  app.post(
    '/organisations/:id/covenants',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "Start a covenant: from its start date the organisation's professionals may use SluiS",
        body: Type.Object(
          {
            startsOn: Type.Optional(IsoDate),
            reference: Type.Optional(Type.String({ maxLength: 200 })),
            mayCoordinate: Type.Optional(Type.Boolean({ description: 'Whether its professionals may take coordination; default true' })),
          },
          { additionalProperties: false },
        ),
        response: { 201: CovenantView, ...problemResponses },
      },
    },
    async (request, reply) => {
      const actor = callerOf(request, 'administrator');
      return reply.status(201).send(await services.covenants.start(actor, request.params.id, request.body));
    },
  );

  app.patch(
    '/covenants/:id',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "Change a covenant's terms: whether the organisation's professionals may take coordination",
        description:
          'false: they signal only — they cannot take coordination, accept a hand-over, be offered one or be appointed, and the domain priority skips them. ' +
          'Whoever coordinates a match keeps it until they hand it over. Not for an ended covenant (409).',
        body: Type.Object({ mayCoordinate: Type.Boolean() }, { additionalProperties: false }),
        response: { 200: CovenantView, ...problemResponses },
      },
    },
    async (request) => services.covenants.setTerms(callerOf(request, 'administrator'), request.params.id, request.body),
  );

  for (const action of ['suspend', 'resume', 'end'] as const) {
    app.post(
      `/covenants/:id/${action}`,
      {
        config: { caller: 'administrator' },
        schema: {
          tags,
          security,
          params: IdParams,
          body: Nullable(ReasonBody),
          summary: {
            suspend: 'Suspend a covenant: the organisation is refused at once',
            resume: 'Resume a suspended covenant',
            end: 'End a covenant for good',
          }[action],
          response: { 200: CovenantView, ...problemResponses },
        },
      },
      async (request) => services.covenants.transition(callerOf(request, 'administrator'), request.params.id, action, request.body?.reason ?? null),
    );
  }
};
