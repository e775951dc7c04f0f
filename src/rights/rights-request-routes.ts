/**
 * Rights requests through the API (docs/rights.md, docs/api.md): the register for the municipality's
 * administrators and privacy officers — list, read, register, start work, extend the deadline, record
 * the decision and the letter, close — and, for a record system acting for a professional, passing a
 * person's request on from the professional's own signal.
 *
 * The BSN is accepted in a POST body only and never answered: the response schema is the whitelist,
 * and holds no BSN, person key or name.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, Instant, IsoDate, Nullable, PageOf, PageQuery, ProfessionalHeaders, problemResponses, StringEnum, Text } from '../api/schemas.ts';
import { Bsn } from '../persons/bsn.ts';
import type { Cursors } from '../shared/paging.ts';
import type { RightsRequestService, RightsRequestView } from './rights-request-service.ts';
import { DECISION_REASONS, DECISIONS, EXTENSION_REASONS, IDENTITY_CHECKS, MAX_EXTENSION_WEEKS, REQUEST_KINDS, REQUESTERS, STATUSES } from './rights-rules.ts';

const tags = ['Rights requests'];
const security = [{ bearer: [] }];

const Kind = StringEnum(REQUEST_KINDS, {
  description: 'inspection, copy, correction, restriction, objection, erasure, own_statement (seed 004 art. 15.7), portability, complaint (art. 16.3, 19)',
});
const Requester = StringEnum(REQUESTERS, {
  description:
    "Who asks, by the person's age on receipt (seed 004 art. 8): under 12 legal_representative, 12 to 15 person_and_representative, 16 and over person",
});

const RightsRequest = Type.Object({
  id: Id,
  kind: Kind,
  receivedOn: IsoDate,
  through: StringEnum(['person', 'professional', 'letter'] as const),
  requester: Requester,
  identityCheck: Nullable(StringEnum(IDENTITY_CHECKS)),
  identifiedBy: StringEnum(['bsn', 'details'] as const, { description: 'How the person is identified; the BSN itself is never answered' }),
  caseNumber: Nullable(Type.String({ description: "The request's number in the municipality's case system" })),
  passedOnBy: Nullable(Type.Object({ professionalName: Type.String(), organisationName: Type.String() })),
  registeredAt: Instant,
  originalDueOn: IsoDate,
  dueOn: IsoDate,
  extensionWeeks: Nullable(Type.Integer()),
  extensionReason: Nullable(StringEnum(EXTENSION_REASONS)),
  status: StringEnum(STATUSES),
  decision: Nullable(StringEnum(DECISIONS)),
  decisionReasons: Type.Array(StringEnum(DECISION_REASONS)),
  decidedOn: Nullable(IsoDate),
  letterSentOn: Nullable(IsoDate),
  closedAt: Nullable(Instant),
  deleteAfter: Nullable(Instant),
  carriedOutAt: Nullable(Instant),
  restrictionLiftedAt: Nullable(Instant),
  urgency: StringEnum(['overdue', 'nearly_due', 'on_time', 'answered'] as const, {
    description: 'overdue: past its deadline; nearly_due: within 7 days of it; answered: the letter is sent',
  }),
});

const Person = Type.Union([
  Type.Object(
    {
      identifiedBy: Type.Literal('bsn'),
      bsn: Type.String({ format: 'bsn', description: 'Never answered, never in a URL or log' }),
      dateOfBirth: IsoDate,
    },
    { additionalProperties: false },
  ),
  Type.Object(
    {
      identifiedBy: Type.Literal('details'),
      familyNamePrefix: Type.Optional(Text(20)),
      familyName: Text(200),
      dateOfBirth: IsoDate,
      gender: StringEnum(['male', 'female', 'other'] as const),
    },
    { additionalProperties: false, description: 'A person without a BSN: family name, date of birth and gender, as signals identify them' },
  ),
]);

const RegisterBody = Type.Object(
  {
    person: Person,
    kind: Kind,
    receivedOn: IsoDate,
    through: StringEnum(['person', 'letter'] as const, {
      description: 'A request a professional passes on arrives through POST /signals/{id}/rights-requests',
    }),
    requester: Requester,
    identityCheck: StringEnum(IDENTITY_CHECKS),
    caseNumber: Type.Optional(Type.String({ pattern: '^[A-Za-z0-9][A-Za-z0-9./_-]{0,39}$' })),
  },
  { additionalProperties: false },
);

const PassedOn = Type.Object({ id: Id, kind: Kind, receivedOn: IsoDate, passedOnAt: Instant });

const out = (view: RightsRequestView) => view;

/** The services these routes call. */
export type RightsRequestRoutesServices = { rightsRequests: RightsRequestService; cursors: Cursors };

export const rightsRequestRoutes: FastifyPluginAsyncTypebox<{ services: RightsRequestRoutesServices }> = async (app, { services }) => {
  const requests = services.rightsRequests;
  const config = { caller: 'administratorOrPrivacyOfficer' as const };
  const one = { 200: RightsRequest, ...problemResponses };
  const base = { tags, security };

  app.get(
    '/rights-requests',
    {
      config,
      schema: {
        ...base,
        querystring: Type.Object(
          { ...PageQuery, open: Type.Optional(Type.Boolean({ description: 'Only requests not closed' })) },
          { additionalProperties: false },
        ),
        summary: 'The rights requests: overdue and nearly due first, then by deadline, answered last',
        response: { 200: PageOf(RightsRequest), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor, open } = request.query;
      const all = await requests.list(callerOf(request, 'administratorOrPrivacyOfficer'), { ...(open && { open }) });
      return services.cursors.pageOfWhole('rights-requests', all, { limit: limit ?? 50, ...(cursor && { cursor }) });
    },
  );

  app.post(
    '/rights-requests',
    {
      config,
      schema: {
        ...base,
        body: RegisterBody,
        summary: 'Register a request the person (or their representative) made to the municipality',
        description:
          'The deadline is four weeks after receipt. The requester must fit the age rule (422 requester_does_not_fit_age). The BSN goes in this body only and is never answered.',
        response: { 201: RightsRequest, ...problemResponses },
      },
    },
    async (request, reply) => {
      const { person, caseNumber, ...rest } = request.body;
      const actor = callerOf(request, 'administratorOrPrivacyOfficer');
      const subject =
        person.identifiedBy === 'bsn'
          ? { identifiedBy: 'bsn' as const, bsn: Bsn.parse(person.bsn)!, dateOfBirth: person.dateOfBirth }
          : { ...person, identifiedBy: 'details' as const };
      return reply.status(201).send(out(await requests.register(actor, { ...rest, person: subject, ...(caseNumber && { caseNumber }) })));
    },
  );

  app.get('/rights-requests/:id', { config, schema: { ...base, params: IdParams, summary: 'One rights request', response: one } }, async (request) =>
    out(await requests.get(callerOf(request, 'administratorOrPrivacyOfficer'), request.params.id)),
  );

  app.post(
    '/rights-requests/:id/status',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object({ status: StringEnum(['in_progress', 'closed'] as const) }, { additionalProperties: false }),
        summary: 'Start work on a received request (in_progress), or close a decided one whose letter was sent (closed)',
        description: '409 for any other step. Closing starts the retention period (rightsRequestRetentionMonths).',
        response: one,
      },
    },
    async (request) => out(await requests.changeStatus(callerOf(request, 'administratorOrPrivacyOfficer'), request.params.id, request.body.status)),
  );

  app.post(
    '/rights-requests/:id/extension',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object(
          { weeks: Type.Integer({ minimum: 1, maximum: MAX_EXTENSION_WEEKS }), reason: StringEnum(EXTENSION_REASONS) },
          { additionalProperties: false },
        ),
        summary: 'Extend the deadline once, by 1 to 8 weeks, for complexity or the number of requests (GDPR art. 12.3)',
        description: '409 when extended already, decided, or past the deadline. Tell the person within the first four weeks, with the reason.',
        response: one,
      },
    },
    async (request) => out(await requests.extend(callerOf(request, 'administratorOrPrivacyOfficer'), request.params.id, request.body)),
  );

  app.post(
    '/rights-requests/:id/decision',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object(
          { decision: StringEnum(DECISIONS), reasons: Type.Array(StringEnum(DECISION_REASONS), { maxItems: DECISION_REASONS.length }), decidedOn: IsoDate },
          { additionalProperties: false },
        ),
        summary: 'Record the decision: granted, partly_granted or refused; a (partial) refusal with its reasons (seed 004 art. 15.5)',
        response: one,
      },
    },
    async (request) => out(await requests.decide(callerOf(request, 'administratorOrPrivacyOfficer'), request.params.id, request.body)),
  );

  app.post(
    '/rights-requests/:id/letter',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object({ sentOn: IsoDate }, { additionalProperties: false }),
        summary: 'Record the day the letter with the decision was sent',
        response: one,
      },
    },
    async (request) => out(await requests.recordLetter(callerOf(request, 'administratorOrPrivacyOfficer'), request.params.id, request.body)),
  );

  app.post(
    '/signals/:id/rights-requests',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        params: IdParams,
        body: Type.Object({ kind: Kind, askedOn: IsoDate }, { additionalProperties: false }),
        summary: "Pass a person's request or complaint on to the municipality, from your own signal on them",
        description:
          'The municipality takes it from there (four weeks from askedOn). Categories only: no free text. Who asks follows the age rule. 404 for a signal that is not yours.',
        response: { 201: PassedOn, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await requests.passOn(callerOf(request, 'professional'), request.params.id, request.body)),
  );
};
