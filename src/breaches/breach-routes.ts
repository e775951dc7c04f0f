/** /api/v1/data-breaches: the data breach register (administrators and privacy officers; docs/accountability.md). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, Instant, IsoDate, Nullable, problemResponses, StringEnum, Text } from '../api/schemas.ts';
import { BREACH_CATEGORIES, BREACH_DATA_CATEGORIES } from './breach-rules.ts';
import type { BreachService, BreachView } from './breach-service.ts';

const tags = ['Accountability'];
const security = [{ bearer: [] }];
const caller = 'administratorOrPrivacyOfficer' as const;

const BreachOut = Type.Object({
  id: Id,
  recordedAt: Instant,
  recordedByName: Type.String(),
  category: StringEnum(BREACH_CATEGORIES),
  description: Type.String({ description: 'What happened, as staff wrote it (never person data)' }),
  occurredOn: Nullable(IsoDate),
  discoveredAt: Instant,
  dataCategories: Type.Array(StringEnum(BREACH_DATA_CATEGORIES)),
  personsMin: Type.Integer(),
  personsMax: Nullable(Type.Integer({ description: 'null: the upper bound is not known' })),
  apRequired: Nullable(Type.Boolean({ description: 'Whether the Autoriteit Persoonsgegevens must be told; null: not assessed yet' })),
  assessmentReasons: Nullable(Type.String()),
  assessedAt: Nullable(Instant),
  apDeadline: Instant,
  apStanding: Type.Object(
    {
      state: StringEnum(['not_required', 'notified', 'open', 'overdue'] as const),
      late: Type.Optional(Type.Boolean()),
      hoursLeft: Type.Optional(Type.Integer()),
      hoursOver: Type.Optional(Type.Integer()),
    },
    { description: 'Where the breach stands against the 72 hours from discovery' },
  ),
  apNotifiedOn: Nullable(IsoDate),
  apReference: Nullable(Type.String()),
  personsInformed: Nullable(Type.Boolean()),
  personsInformedOn: Nullable(IsoDate),
  personsReasons: Nullable(Type.String()),
  updatedAt: Instant,
  notices: Type.Array(Type.Object({ organisationId: Id, organisationName: Type.String(), sentAt: Instant, recipients: Type.Integer() })),
});

const BreachIn = Type.Object(
  {
    category: StringEnum(BREACH_CATEGORIES),
    description: Text(2000, { description: 'What happened, in a few sentences; never person data' }),
    occurredOn: Type.Optional(Nullable(IsoDate)),
    discoveredAt: Type.String({ format: 'date-time' }),
    dataCategories: Type.Array(StringEnum(BREACH_DATA_CATEGORIES), { minItems: 1, uniqueItems: true }),
    personsMin: Type.Integer({ minimum: 0, maximum: 100_000_000 }),
    personsMax: Type.Optional(
      Nullable(Type.Integer({ minimum: 0, maximum: 100_000_000, description: 'Omit or equal to personsMin for an exact number; null: unknown' })),
    ),
  },
  { additionalProperties: false },
);

const BreachChangeIn = Type.Object(
  {
    assessment: Type.Optional(Type.Object({ apRequired: Type.Boolean(), reasons: Text(2000) }, { additionalProperties: false })),
    apNotice: Type.Optional(
      Type.Object({ notifiedOn: IsoDate, reference: Type.Optional(Nullable(Type.String({ maxLength: 100 }))) }, { additionalProperties: false }),
    ),
    persons: Type.Optional(
      Type.Union([
        Type.Object({ informed: Type.Literal(true), informedOn: IsoDate }, { additionalProperties: false }),
        Type.Object({ informed: Type.Literal(false), reasons: Text(2000) }, { additionalProperties: false }),
      ]),
    ),
  },
  { additionalProperties: false },
);

const NoticeIn = Type.Object(
  {
    organisationIds: Type.Union([Type.Array(Id, { minItems: 1, uniqueItems: true }), Type.Literal('all')], {
      description: "The partner organisations whose coordinators are mailed, or 'all'",
    }),
  },
  { additionalProperties: false },
);

/** The services these routes call. */
export type BreachRoutesServices = { breaches: BreachService };

const out = (view: BreachView) => view;

export const breachRoutes: FastifyPluginAsyncTypebox<{ services: BreachRoutesServices }> = async (app, { services }) => {
  app.get(
    '/data-breaches',
    {
      config: { caller },
      schema: {
        tags,
        security,
        summary: 'The data breach register, the most recently found first',
        response: { 200: Type.Array(BreachOut), ...problemResponses },
      },
    },
    async (request) => (await services.breaches.list(callerOf(request, caller))).map(out),
  );

  app.post(
    '/data-breaches',
    {
      config: { caller },
      schema: { tags, security, summary: 'Record a data breach', body: BreachIn, response: { 201: BreachOut, ...problemResponses } },
    },
    async (request, reply) => {
      const body = request.body;
      const view = await services.breaches.record(callerOf(request, caller), {
        category: body.category,
        description: body.description,
        occurredOn: body.occurredOn ?? null,
        discoveredAt: new Date(body.discoveredAt),
        dataCategories: body.dataCategories,
        personsMin: body.personsMin,
        personsMax: body.personsMax === undefined ? body.personsMin : body.personsMax,
      });
      return reply.status(201).send(out(view));
    },
  );

  app.get(
    '/data-breaches/:id',
    {
      config: { caller },
      schema: { tags, security, summary: 'One data breach with its notices', params: IdParams, response: { 200: BreachOut, ...problemResponses } },
    },
    async (request) => out(await services.breaches.get(callerOf(request, caller), request.params.id)),
  );

  app.patch(
    '/data-breaches/:id',
    {
      config: { caller },
      schema: {
        tags,
        security,
        summary: 'Record the assessment, the notice to the Autoriteit Persoonsgegevens and/or the informing of the persons',
        params: IdParams,
        body: BreachChangeIn,
        response: { 200: BreachOut, ...problemResponses },
      },
    },
    async (request) => {
      const { assessment, apNotice, persons } = request.body;
      return out(
        await services.breaches.change(callerOf(request, caller), request.params.id, {
          ...(assessment && { assessment }),
          ...(apNotice && { apNotice: { notifiedOn: apNotice.notifiedOn, reference: apNotice.reference ?? null } }),
          ...(persons && { persons }),
        }),
      );
    },
  );

  app.post(
    '/data-breaches/:id/notices',
    {
      config: { caller },
      schema: {
        tags,
        security,
        summary: "Mail the partner organisations' coordinators about the breach (without person data)",
        params: IdParams,
        body: NoticeIn,
        response: { 200: BreachOut, ...problemResponses },
      },
    },
    async (request) => out(await services.breaches.notifyPartners(callerOf(request, caller), request.params.id, request.body.organisationIds)),
  );
};
