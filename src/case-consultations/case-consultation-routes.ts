/**
 * Case consultations through the API (docs/case-consultations.md), for record systems acting for a
 * participating professional: start one (anonymous or identifying), who takes part, the
 * confidentiality declaration, consent, the art. 9 reasoning, informing the person, the sharing
 * ledger, meetings and action points, making an anonymous one identifying, closing; and the
 * municipality's figures for staff.
 *
 * The response schema is the whitelist of what leaves: the consultation as the caller's role may
 * see it — never a BSN, and the person's name and date of birth only in an identifying consultation
 * whose basis is complete (to the initiator always).
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, Instant, IsoDate, Nullable, PageOf, PageQuery, ProfessionalHeaders, problemResponses, StringEnum, Text } from '../api/schemas.ts';
import type { Cursors } from '../shared/paging.ts';
import { PersonName } from '../signals/signal-schemas.ts';
import {
  CONSENT_METHODS,
  DATA_CATEGORIES,
  INFORMING_METHODS,
  MAX_ANSWER_LENGTH,
  MAX_SHORT_TEXT,
  NO_CONSENT_REASONS,
  NOT_YET_INFORMED_REASONS,
  OUTCOMES,
  PARTIES,
  SUPPRESS_BELOW,
  WEIGHING_QUESTIONS,
  WITHOUT_CONSENT_GROUNDS,
} from './case-consultation-rules.ts';
import type { CaseConsultationService, ConsultationView } from './case-consultation-service.ts';

const tags = ['Case consultations'];
const security = [{ bearer: [] }];

const Party = StringEnum(PARTIES, { description: 'person, or legal_representative (a parent or guardian)' });
const Category = StringEnum(DATA_CATEGORIES, { description: 'A category of data, never its content; health and justice are special categories (art. 12.2)' });
const Outcome = StringEnum(OUTCOMES, { description: 'Only the fact (art. 10)' });
const Kind = StringEnum(['anonymous', 'identifying'] as const, {
  description: 'anonymous (casuïstiekoverleg, art. 5.4): no link to the person at all; identifying: about a match or a person you have an active signal on',
});
const Role = StringEnum(['initiator', 'chair', 'participant'] as const);
const ShortText = (description: string) =>
  Text(MAX_SHORT_TEXT, { description: `${description}. About the work, not the person: no numbers such as a BSN, no dates, no health or criminal details` });
const Answer = Type.String({ maxLength: MAX_ANSWER_LENGTH });

const Participant = Type.Object({
  id: Id,
  professionalName: Type.String(),
  jobTitle: Type.String(),
  organisationName: Type.String(),
  phone: Type.String(),
  email: Type.String(),
  legalTask: Type.String({ description: "The (legal) task under which this participant's organisation takes part (art. 2.1)" }),
  source: StringEnum(['initiator', 'match', 'invited'] as const, {
    description: 'initiator; match: a participant of the match; invited: from another covenant organisation for this case only (signs the declaration first)',
  }),
  state: StringEnum(['invited', 'active', 'declined', 'removed'] as const, { description: 'Others than the initiator see active participants only' }),
  isChair: Type.Boolean(),
  declarationSignedAt: Nullable(Instant),
  addedAt: Instant,
  leftAt: Nullable(Instant),
  isYou: Type.Boolean(),
});

const Consent = Type.Object({
  id: Id,
  givenBy: Party,
  givenOn: IsoDate,
  method: StringEnum(CONSENT_METHODS),
  categories: Type.Array(Category),
  participantIds: Type.Array(Id),
  recordedAt: Instant,
});

const Answers = Type.Object(Object.fromEntries(WEIGHING_QUESTIONS.map((q) => [q, Answer])) as Record<(typeof WEIGHING_QUESTIONS)[number], typeof Answer>, {
  additionalProperties: false,
  description: 'The weighing questions a-h of art. 9.3, each answered',
});

const reasoningFields = {
  noConsentReason: StringEnum(NO_CONSENT_REASONS, { description: 'Why consent could not be asked or was not obtained' }),
  noConsentExplanation: Answer,
  ground: StringEnum(WITHOUT_CONSENT_GROUNDS, { description: 'vital_interest needs the heavier motivation of art. 9.2 (vitalInterestMotivation)' }),
  answers: Answers,
  vitalInterestMotivation: Nullable(Answer),
  officialConsulted: Text(MAX_SHORT_TEXT, { description: 'Which official was consulted (a role or name, such as the aandachtsfunctionaris)' }),
  officialConsultedOn: IsoDate,
};
const Reasoning = Type.Object({ ...reasoningFields, recordedAt: Instant });

const Consultation = Type.Object({
  id: Id,
  kind: Kind,
  state: StringEnum(['open', 'closed'] as const),
  purpose: Type.String(),
  consultationOn: IsoDate,
  startedAt: Instant,
  identifiedAt: Nullable(Instant),
  closedAt: Nullable(Instant),
  outcome: Nullable(Outcome),
  deleteAfter: Nullable(Instant),
  yourRole: Role,
  yourParticipantId: Id,
  matchId: Nullable(Type.String({ format: 'uuid', description: 'For the initiator: the match it was started from' })),
  person: Nullable(
    Type.Object(
      { name: PersonName, dateOfBirth: IsoDate },
      { description: 'Identifying consultations: to the initiator, and to active participants once the basis is complete; null otherwise' },
    ),
  ),
  basis: Type.Object({
    status: StringEnum(['consent', 'without_consent', 'incomplete', 'not_applicable'] as const, {
      description: 'consent or without_consent (art. 9) when complete on the consultation date; incomplete; not_applicable for anonymous ones',
    }),
    requiredConsent: Nullable(Type.Array(Party, { description: 'For the initiator: who must consent by the age on the consultation date (art. 8)' })),
    missingConsent: Nullable(Type.Array(Party)),
  }),
  participants: Type.Array(Participant),
  consents: Type.Array(Consent, { description: 'For the initiator only' }),
  reasoning: Nullable(Reasoning),
  informings: Type.Array(
    Type.Object({ id: Id, informed: Type.Array(Party), informedOn: IsoDate, method: StringEnum(INFORMING_METHODS), recordedAt: Instant }),
    { description: 'For the initiator only' },
  ),
  sharings: Type.Array(
    Type.Object({
      id: Id,
      participantId: Id,
      category: Category,
      purpose: Type.String(),
      ground: StringEnum(['consent', 'without_consent'] as const),
      sharedOn: IsoDate,
      clientInformedOn: Nullable(IsoDate),
      notYetInformedReason: Nullable(StringEnum(NOT_YET_INFORMED_REASONS)),
      recordedAt: Instant,
    }),
    { description: 'The sharing ledger: the initiator sees all of it, a participant what went to them' },
  ),
  meetings: Type.Array(Type.Object({ id: Id, heldOn: IsoDate, attendeeIds: Type.Array(Id), plannedAt: Instant })),
  actionPoints: Type.Array(
    Type.Object({
      id: Id,
      meetingId: Nullable(Id),
      description: Type.String(),
      assigneeId: Id,
      dueOn: IsoDate,
      doneAt: Nullable(Instant),
      createdAt: Instant,
      yours: Type.Boolean(),
    }),
    { description: 'The initiator and the chair see all; a participant only their own (art. 6.5)' },
  ),
  allowed: Type.Array(
    StringEnum([
      'add_participant',
      'remove_participant',
      'change_chair',
      'record_consent',
      'record_reasoning',
      'record_informing',
      'record_sharing',
      'plan_meeting',
      'record_attendance',
      'add_action_point',
      'identify',
      'close',
    ] as const),
  ),
});

const ListItem = Type.Object({
  id: Id,
  kind: Kind,
  state: StringEnum(['open', 'closed'] as const),
  purpose: Nullable(Type.String({ description: 'null until you signed the confidentiality declaration' })),
  consultationOn: Nullable(IsoDate),
  startedAt: Instant,
  closedAt: Nullable(Instant),
  outcome: Nullable(Outcome),
  yourRole: StringEnum(['initiator', 'chair', 'participant', 'invited'] as const),
  declarationRequired: Type.Boolean(),
});

const Link = Type.Union(
  [
    Type.Object({ matchId: Id }, { additionalProperties: false, description: 'A match you take part in' }),
    Type.Object({ signalId: Id }, { additionalProperties: false, description: 'Your own active signal on the person' }),
  ],
  { description: 'The person the consultation is about' },
);

const StartBody = Type.Object(
  {
    kind: Kind,
    purpose: ShortText('The purpose, stated concretely (art. 2, 7.4)'),
    consultationOn: IsoDate,
    legalTask: ShortText("Your organisation's (legal) task for this consultation (art. 2.1)"),
    link: Type.Optional(Link),
  },
  { additionalProperties: false },
);

const Count = Nullable(Type.Integer({ description: `null: from 1 to ${SUPPRESS_BELOW - 1}, suppressed` }));
const Percent = Nullable(Type.Integer({ description: 'Percent of the consultations that month; null when a count is suppressed' }));
const Figures = Type.Object({
  from: IsoDate,
  to: IsoDate,
  suppressBelow: Type.Integer(),
  months: Type.Array(
    Type.Object({
      month: Type.String({ description: 'YYYY-MM, by the start of the consultation' }),
      consultations: Count,
      withConsent: Count,
      anonymous: Count,
      withoutConsentOfficialConsulted: Count,
      withConsentPercent: Percent,
      anonymousPercent: Percent,
      withoutConsentOfficialConsultedPercent: Percent,
    }),
  ),
});

const out = (view: ConsultationView) => view;

/** The services these routes call. */
export type CaseConsultationRoutesServices = { caseConsultations: CaseConsultationService; cursors: Cursors };

export const caseConsultationRoutes: FastifyPluginAsyncTypebox<{ services: CaseConsultationRoutesServices }> = async (app, { services }) => {
  const consultations = services.caseConsultations;
  const one = { 200: Consultation, ...problemResponses };
  const base = { tags, security, headers: ProfessionalHeaders };
  const config = { caller: 'professional' as const };

  app.post(
    '/case-consultations',
    {
      config,
      schema: {
        ...base,
        body: StartBody,
        summary: 'Start a case consultation (anonymous first, where possible: art. 5.4)',
        description:
          'anonymous: no link, nothing that identifies the person. identifying: link to a match you take part in or your own active signal (404 otherwise). ' +
          'You take part as initiator and chair. Free text that holds digit runs or dates is refused (identifying_text).',
        response: { 201: Consultation, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(out(await consultations.start(callerOf(request, 'professional'), request.body))),
  );

  app.get(
    '/case-consultations',
    {
      config,
      schema: {
        ...base,
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        summary: 'The case consultations you take part in or are invited to, newest first',
        response: { 200: PageOf(ListItem), ...problemResponses },
      },
    },
    async (request) => {
      const { limit, cursor } = request.query;
      const all = await consultations.list(callerOf(request, 'professional'));
      return services.cursors.pageOfWhole('case-consultations', all, { limit: limit ?? 50, ...(cursor && { cursor }) });
    },
  );

  app.get(
    '/case-consultations/:id',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        summary: 'One case consultation, as your role may see it',
        description:
          '404 for anyone who does not take part (as for an id that does not exist); 403 declaration_required while you have not signed the declaration.',
        response: one,
      },
    },
    async (request) => out(await consultations.get(callerOf(request, 'professional'), request.params.id)),
  );

  app.patch(
    '/case-consultations/:id',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object({ chairParticipantId: Id }, { additionalProperties: false }),
        summary: 'Change the chair (the initiator)',
        response: one,
      },
    },
    async (request) => out(await consultations.changeChair(callerOf(request, 'professional'), request.params.id, request.body.chairParticipantId)),
  );

  app.post(
    '/case-consultations/:id/participants',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object({ professionalId: Id, legalTask: ShortText("The participant's organisation's (legal) task") }, { additionalProperties: false }),
        summary: 'Add a participant (the initiator): a participant of the match, or a professional of another covenant organisation',
        description:
          'Only those directly involved in reaching the purpose (art. 7.2, 9.5). Someone from outside the match is invited and signs the declaration first.',
        response: one,
      },
    },
    async (request) => out(await consultations.addParticipant(callerOf(request, 'professional'), request.params.id, request.body)),
  );

  app.delete(
    '/case-consultations/:id/participants/:participantId',
    {
      config,
      schema: {
        ...base,
        params: Type.Object({ id: Id, participantId: Id }, { additionalProperties: false }),
        summary: 'Remove a participant (the initiator): they lose access at once',
        response: one,
      },
    },
    async (request) => out(await consultations.removeParticipant(callerOf(request, 'professional'), request.params.id, request.params.participantId)),
  );

  app.post(
    '/case-consultations/:id/declaration',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object(
          { confidentiality: Type.Literal(true, { description: 'I keep confidential what I learn here (art. 18)' }) },
          { additionalProperties: false },
        ),
        summary: 'Sign the confidentiality declaration (an invited participant), and see the consultation',
        response: one,
      },
    },
    async (request) => out(await consultations.signDeclaration(callerOf(request, 'professional'), request.params.id)),
  );

  app.post(
    '/case-consultations/:id/decline',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        summary: 'Decline an invitation: you see nothing of it any more',
        response: { 204: Type.Null(), ...problemResponses },
      },
    },
    async (request, reply) => {
      await consultations.decline(callerOf(request, 'professional'), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/case-consultations/:id/consents',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object(
          {
            givenBy: Party,
            givenOn: IsoDate,
            method: StringEnum(CONSENT_METHODS, { description: 'How it was given: an active act (art. 7.5)' }),
            categories: Type.Array(Category, { minItems: 1, maxItems: DATA_CATEGORIES.length, uniqueItems: true }),
            participantIds: Type.Array(Id, { minItems: 1, maxItems: 50, uniqueItems: true }),
          },
          { additionalProperties: false },
        ),
        summary: 'Record consent (the initiator): by whom, when, how, for these categories and these participants',
        description: 'Under 12 the legal representative(s); 12 to 15 both; 16 and over the person alone — by the age on the consultation date (art. 8).',
        response: one,
      },
    },
    async (request) => out(await consultations.recordConsent(callerOf(request, 'professional'), request.params.id, request.body)),
  );

  app.post(
    '/case-consultations/:id/reasoning',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object({ ...reasoningFields, vitalInterestMotivation: Type.Optional(Nullable(Answer)) }, { additionalProperties: false }),
        summary: 'Record the reasoning for going ahead without consent (the initiator, art. 9); replaces an earlier one',
        description:
          'Every weighing question a-h answered; vital_interest with the heavier motivation; the official consulted and when. All problems at once (422).',
        response: one,
      },
    },
    async (request) =>
      out(
        await consultations.recordReasoning(callerOf(request, 'professional'), request.params.id, {
          ...request.body,
          vitalInterestMotivation: request.body.vitalInterestMotivation ?? null,
        }),
      ),
  );

  app.post(
    '/case-consultations/:id/informing',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object(
          {
            informed: Type.Array(Party, { minItems: 1, maxItems: 2, uniqueItems: true }),
            informedOn: IsoDate,
            method: StringEnum(INFORMING_METHODS),
          },
          { additionalProperties: false },
        ),
        summary: 'Record that the person was informed of the processing, its purpose, the controller and their rights (art. 11), by the age rules',
        response: one,
      },
    },
    async (request) => out(await consultations.recordInforming(callerOf(request, 'professional'), request.params.id, request.body)),
  );

  app.post(
    '/case-consultations/:id/sharings',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object(
          {
            participantId: Id,
            category: Category,
            purpose: ShortText('What this sharing is for'),
            sharedOn: IsoDate,
            clientInformedOn: Type.Optional(Nullable(IsoDate)),
            notYetInformedReason: Type.Optional(Nullable(StringEnum(NOT_YET_INFORMED_REASONS))),
          },
          { additionalProperties: false },
        ),
        summary: 'Record in the sharing ledger which category of data went to which participant, on which ground (the initiator, art. 9.4)',
        description:
          'The ground is decided here: consent that names the category and the participant, else the complete art. 9 reasoning (409 no_ground otherwise). ' +
          'Without consent: when the client was informed, or why not yet.',
        response: one,
      },
    },
    async (request) => out(await consultations.recordSharing(callerOf(request, 'professional'), request.params.id, request.body)),
  );

  app.post(
    '/case-consultations/:id/meetings',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object({ heldOn: IsoDate }, { additionalProperties: false }),
        summary: 'Plan a meeting (the initiator or the chair); participants hear of it',
        description: 'An identifying consultation needs consent or the art. 9 reasoning complete on that date (409 basis_incomplete).',
        response: one,
      },
    },
    async (request) => out(await consultations.planMeeting(callerOf(request, 'professional'), request.params.id, request.body)),
  );

  app.put(
    '/case-consultations/:id/meetings/:meetingId/attendees',
    {
      config,
      schema: {
        ...base,
        params: Type.Object({ id: Id, meetingId: Id }, { additionalProperties: false }),
        body: Type.Object({ attendeeIds: Type.Array(Id, { maxItems: 50, uniqueItems: true }) }, { additionalProperties: false }),
        summary: 'Record who attended a meeting (the initiator or the chair)',
        response: one,
      },
    },
    async (request) =>
      out(await consultations.recordAttendance(callerOf(request, 'professional'), request.params.id, request.params.meetingId, request.body.attendeeIds)),
  );

  app.post(
    '/case-consultations/:id/action-points',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object(
          {
            description: ShortText('What is to be done'),
            assigneeId: Id,
            dueOn: IsoDate,
            meetingId: Type.Optional(Nullable(Id)),
          },
          { additionalProperties: false },
        ),
        summary: 'Agree an action point (the initiator or the chair); the participant it is for hears of it',
        response: one,
      },
    },
    async (request) => out(await consultations.addActionPoint(callerOf(request, 'professional'), request.params.id, request.body)),
  );

  app.post(
    '/case-consultations/:id/action-points/:actionPointId/done',
    {
      config,
      schema: {
        ...base,
        params: Type.Object({ id: Id, actionPointId: Id }, { additionalProperties: false }),
        summary: 'Mark an action point done (the participant it is for, the initiator or the chair)',
        response: one,
      },
    },
    async (request) => out(await consultations.completeActionPoint(callerOf(request, 'professional'), request.params.id, request.params.actionPointId)),
  );

  app.post(
    '/case-consultations/:id/identify',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object({ link: Link }, { additionalProperties: false }),
        summary: 'Make an anonymous consultation identifying (the initiator): needs consent or the complete art. 9 reasoning',
        response: one,
      },
    },
    async (request) => out(await consultations.identify(callerOf(request, 'professional'), request.params.id, request.body.link)),
  );

  app.post(
    '/case-consultations/:id/close',
    {
      config,
      schema: {
        ...base,
        params: IdParams,
        body: Type.Object({ outcome: Outcome }, { additionalProperties: false }),
        summary: 'Close with an outcome (the initiator); deleted for good caseConsultationRetentionMonths later',
        response: one,
      },
    },
    async (request) => out(await consultations.close(callerOf(request, 'professional'), request.params.id, request.body.outcome)),
  );

  app.get(
    '/case-consultation-figures',
    {
      config: { caller: 'administratorOrEscalationOfficer' },
      schema: {
        tags,
        security,
        querystring: Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false }),
        summary: 'Figures per month: consultations, with consent, anonymous, without consent with an official consulted',
        description: `For the municipality's staff. Nobody is identifiable: counts from 1 to ${SUPPRESS_BELOW - 1} are null.`,
        response: { 200: Figures, ...problemResponses },
      },
    },
    async (request) => {
      const { from, to } = request.query;
      const months = await consultations.figures(callerOf(request, 'administratorOrEscalationOfficer'), { from, to });
      return { from, to, suppressBelow: SUPPRESS_BELOW, months };
    },
  );
};
