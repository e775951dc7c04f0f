/**
 * Coordination after a match ("regie"), through the API:
 *   - record systems acting for a participating professional read a match's coordination, act on it
 *     (take, hand over, accept/decline/withdraw a hand-over, escalate) and record that contact was made:
 *     /matches/{id}/coordination and /matches/{id}/contact;
 *   - the municipality's escalation officer reads the work list and one match, appoints a coordinator
 *     and resolves an escalation: /escalations;
 *   - administrators and escalation officers read the follow-up figures: /follow-up.
 *
 * The response schemas whitelist what leaves: the coordination, the participants' professional
 * contact details and the history — never a BSN or anything else about the person.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, Instant, IsoDate, Nullable, PageOf, PageQuery, ProfessionalHeaders, problemResponses, StringEnum } from '../api/schemas.ts';
import { isValidIsoDate } from '../shared/calendar.ts';
import { type InvalidParam, invalidInput } from '../shared/errors.ts';
import type { Cursors } from '../shared/paging.ts';
import { ACTIONS, ESCALATION_REASONS, OUTCOMES, PARTICIPANT_ACTIONS, STATES, SUPPRESS_BELOW } from './coordination-rules.ts';
import type { CoordinationService } from './coordination-service.ts';
import type { CoordinationView, HistoryEntry as HistoryItem, Participant } from './coordination-types.ts';

const tags = ['Coordination'];
const security = [{ bearer: [] }];

const State = StringEnum(STATES, {
  description:
    'open: nobody coordinates; taken; handover_proposed: the coordinator offered it to another participant; escalated: with the escalation officer; resolved: the officer closed the escalation',
});
const Action = StringEnum(ACTIONS);
const HistoryAction = StringEnum([...ACTIONS, 'contact_recorded'] as const, {
  description: 'A transition of the coordination, or contact_recorded: a participant recorded contact (contactedOn; the state stays)',
});
const Reason = StringEnum(ESCALATION_REASONS, { description: 'no_coordinator, no_contact (also set by the timers), no_agreement, other' });
const OutcomeEnum = StringEnum(OUTCOMES);
const Standing = StringEnum(['coordinator', 'proposed', 'participant'] as const, {
  description: 'How you relate to this coordination: you coordinate, a hand-over is offered to you, or you take part',
});

const participantFields = {
  signalId: Id,
  professionalName: Type.String(),
  jobTitle: Type.String(),
  organisationName: Type.String(),
  phone: Type.String(),
  email: Type.String(),
  since: Instant,
  contactedOn: Nullable(IsoDate),
  mayCoordinate: Type.Boolean({
    description: "Whether their organisation's covenant lets them take coordination; false: it signals only (cannot take, be offered or be appointed)",
  }),
};
const HistoryEntry = Type.Object({
  occurredAt: Instant,
  action: HistoryAction,
  fromState: State,
  toState: State,
  actor: Type.String({
    description: 'Who did it, in Dutch: the professional and organisation, the escalation officer, or SluiS (timers, a participant leaving)',
  }),
  actorKind: Type.Union([Type.Literal('professional'), Type.Literal('staff'), Type.Literal('system')], {
    description: 'professional, staff (the escalation officer) or system (a timer, a participant leaving)',
  }),
  coordinator: Nullable(Type.String({ description: 'The coordinator after the transition' })),
  subject: Nullable(Type.String({ description: 'The participant it concerned: the hand-over target, the appointee, the one who left' })),
  category: Nullable(Type.String({ description: 'The escalation reason or the outcome' })),
  contactedOn: Nullable(IsoDate),
});
const coordinationFields = {
  matchId: Id,
  matchCreatedAt: Instant,
  state: State,
  stateSince: Instant,
  coordinatorSignalId: Nullable(Id),
  proposedSignalId: Nullable(Type.String({ format: 'uuid', description: 'The participant a pending hand-over is offered to' })),
  escalationReason: Nullable(Reason),
  outcome: Nullable(OutcomeEnum),
  proposedByRule: Nullable(
    Type.String({ format: 'uuid', description: "While nobody coordinates: the participant the covenant's domain priority proposes (one who may coordinate)" }),
  ),
  escalationReasons: Type.Array(Reason, {
    description:
      'The reason categories that fit the match now: no_coordinator while nobody coordinates, no_contact while someone has not recorded contact, no_agreement, other. escalate takes only these.',
  }),
  history: Type.Array(HistoryEntry),
};

const ProfessionalCoordination = Type.Object({
  ...coordinationFields,
  participants: Type.Array(Type.Object({ ...participantFields, isYou: Type.Boolean() })),
  yourSignalId: Id,
  yourStanding: Standing,
  allowed: Type.Array(Action, { description: 'The actions you may take now' }),
});

const OfficerCoordination = Type.Object({
  ...coordinationFields,
  participants: Type.Array(Type.Object(participantFields)),
  allowed: Type.Array(Action, { description: 'The actions the officer may take now (appoint, resolve)' }),
});

const WorkItem = Type.Object({
  matchId: Id,
  matchCreatedAt: Instant,
  state: State,
  escalationReason: Nullable(Reason),
  escalatedAt: Nullable(Instant),
  stalled: Nullable(StringEnum(['no_coordinator', 'no_contact'] as const, { description: 'Not yet escalated, but past half the escalation term' })),
  participants: Type.Integer(),
  coordinator: Nullable(Type.String({ description: "The coordinator's name" })),
});

const Count = Nullable(Type.Integer({ description: 'null: fewer than 5, suppressed' }));
const Days = Nullable(Type.Number({ description: 'null: fewer than 5 matches to take the median of' }));
const FollowUp = Type.Object({
  from: IsoDate,
  to: IsoDate,
  suppressBelow: Type.Integer({ description: 'Counts from 1 to this number minus one are shown as null' }),
  periods: Type.Array(
    Type.Object({
      month: Type.String({ description: 'YYYY-MM, by the date the match was made' }),
      matches: Count,
      withCoordinator: Count,
      withContact: Count,
      escalated: Count,
      medianDaysToCoordinator: Days,
      medianDaysToContact: Days,
    }),
  ),
});

const MatchIdParams = Type.Object({ matchId: Id }, { additionalProperties: false });

const ActBody = Type.Object(
  {
    action: StringEnum(PARTICIPANT_ACTIONS),
    targetSignalId: Type.Optional(Type.String({ format: 'uuid', description: "propose_handover: the participant's signal to hand over to" })),
    reason: Type.Optional(Reason),
  },
  { additionalProperties: false },
);

/** Per action, the fields it needs and the ones it does not take: every problem at once, as 422. */
function checkActBody(body: { action: string; targetSignalId?: string | undefined; reason?: string | undefined }) {
  const problems: InvalidParam[] = [];
  const needsTarget = body.action === 'propose_handover';
  const needsReason = body.action === 'escalate';
  if (needsTarget && !body.targetSignalId)
    problems.push({ name: 'targetSignalId', code: 'required', reason: 'propose_handover needs the signal of the participant to hand over to.' });
  if (!needsTarget && body.targetSignalId)
    problems.push({ name: 'targetSignalId', code: 'not_allowed', reason: 'Only propose_handover takes a targetSignalId.' });
  if (needsReason && !body.reason)
    problems.push({ name: 'reason', code: 'required', reason: `escalate needs a reason category: ${ESCALATION_REASONS.join(', ')}.` });
  if (!needsReason && body.reason) problems.push({ name: 'reason', code: 'not_allowed', reason: 'Only escalate takes a reason.' });
  if (problems.length > 0) throw invalidInput(problems);
}

const participantOut = (p: Participant) => ({
  signalId: p.signalId,
  professionalName: p.professionalName,
  jobTitle: p.jobTitle,
  organisationName: p.organisationName,
  phone: p.phone,
  email: p.email,
  since: p.since,
  contactedOn: p.contactedOn,
  mayCoordinate: p.mayCoordinate,
});

/**
 * The history's `actor`: the API has given who did it as Dutch text from the start, so it still
 * does, made here from the actor's kind and name (the service returns no display text).
 */
const actorText = (entry: HistoryItem): string =>
  entry.actorKind === 'professional'
    ? `${entry.actorName ?? 'Een professional'}${entry.actorOrganisation ? ` (${entry.actorOrganisation})` : ''}`
    : entry.actorKind === 'staff'
      ? 'De functionaris van de gemeente'
      : 'SluiS';

const historyOut = (entry: HistoryItem) => ({
  occurredAt: entry.occurredAt,
  action: entry.action,
  fromState: entry.fromState,
  toState: entry.toState,
  actor: actorText(entry),
  actorKind: entry.actorKind,
  coordinator: entry.coordinator,
  subject: entry.subject,
  category: entry.category,
  contactedOn: entry.contactedOn,
});

const coordinationOut = (view: CoordinationView) => ({
  matchId: view.matchId,
  matchCreatedAt: view.matchCreatedAt,
  state: view.state,
  stateSince: view.stateSince,
  coordinatorSignalId: view.coordinatorSignalId,
  proposedSignalId: view.proposedSignalId,
  escalationReason: view.escalationReason,
  outcome: view.outcome,
  proposedByRule: view.proposedByRule,
  escalationReasons: view.escalationReasons,
  history: view.history.map(historyOut),
});

type ProfessionalView = Awaited<ReturnType<CoordinationService['get']>>;
const professionalOut = (view: ProfessionalView) => ({
  ...coordinationOut(view),
  participants: view.participants.map((p) => ({ ...participantOut(p), isYou: p.signalId === view.yourSignalId })),
  yourSignalId: view.yourSignalId,
  yourStanding: view.yourStanding === 'coordinator' || view.yourStanding === 'proposed' ? view.yourStanding : ('participant' as const),
  allowed: view.allowed,
});

type OfficerView = Awaited<ReturnType<CoordinationService['officerGet']>>;
const officerOut = (view: OfficerView) => ({ ...coordinationOut(view), participants: view.participants.map(participantOut), allowed: view.allowed });

/** The services these routes call. */
export type CoordinationRoutesServices = { coordination: CoordinationService; cursors: Cursors };

export const coordinationRoutes: FastifyPluginAsyncTypebox<{ services: CoordinationRoutesServices }> = async (app, { services }) => {
  // ----------------------------------------------------------------------------------------------
  // Record systems, for a participating professional

  app.get(
    '/matches/:id/coordination',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        params: IdParams,
        summary: "Read a match's coordination: who coordinates, the participants and whether they made contact, what you may do, the history",
        response: { 200: ProfessionalCoordination, ...problemResponses },
      },
    },
    async (request) => professionalOut(await services.coordination.get(callerOf(request, 'professional'), request.params.id)),
  );

  app.post(
    '/matches/:id/coordination',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        params: IdParams,
        body: ActBody,
        summary: "Act on a match's coordination",
        description:
          'take (nobody coordinates); propose_handover with targetSignalId (the coordinator); accept_handover or decline_handover (the participant it was offered to); ' +
          'withdraw_handover (the coordinator); escalate with a reason that fits the match (any participant; escalationReasons lists them). ' +
          'A transition the current state does not allow is 409 coordination_state (coordination_has_coordinator when taking while someone coordinates; ' +
          'coordination_target for a wrong participant; coordination_target_covenant for one whose organisation signals only; coordination_reason_unfit for a reason ' +
          'the match contradicts, such as no_coordinator while someone coordinates); one your standing does not allow is 403 coordination_standing, and taking or ' +
          'accepting coordination when your organisation signals only under its covenant is 403 coordination_covenant. A refusal changes nothing.',
        response: { 200: ProfessionalCoordination, ...problemResponses },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'professional');
      checkActBody(request.body);
      const { action, targetSignalId, reason } = request.body;
      return professionalOut(
        await services.coordination.act(actor, request.params.id, { action, ...(targetSignalId && { targetSignalId }), ...(reason && { reason }) }),
      );
    },
  );

  app.post(
    '/matches/:id/contact',
    {
      config: { caller: 'professional' },
      schema: {
        tags,
        security,
        headers: ProfessionalHeaders,
        params: IdParams,
        body: Type.Object({ contactedOn: IsoDate }, { additionalProperties: false }),
        summary: 'Record that you made contact with the other participants ("contact gelegd"), on a date',
        description:
          'The date lies between the day of the match and today (otherwise 422 contact_date_invalid). Recording again replaces the date. No content, only the date.',
        response: { 200: ProfessionalCoordination, ...problemResponses },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'professional');
      const { contactedOn } = request.body;
      if (!isValidIsoDate(contactedOn)) throw invalidInput([{ name: 'contactedOn', code: 'invalid_format', reason: 'A calendar date, YYYY-MM-DD.' }]);
      return professionalOut(await services.coordination.recordContact(actor, request.params.id, contactedOn));
    },
  );

  // ----------------------------------------------------------------------------------------------
  // The escalation officer

  app.get(
    '/escalations',
    {
      config: { caller: 'escalationOfficer' },
      schema: {
        tags,
        security,
        summary: "The escalation officer's work list: escalated matches first, then matches that stall",
        description:
          'Escalated matches (oldest escalation first), then open matches past half an escalation term without a coordinator or without contact (stalled).',
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: PageOf(WorkItem), ...problemResponses },
      },
    },
    async (request) => {
      const all = await services.coordination.worklist(callerOf(request, 'escalationOfficer'));
      return services.cursors.pageOfWhole('escalations', all, {
        limit: request.query.limit ?? 50,
        ...(request.query.cursor && { cursor: request.query.cursor }),
      });
    },
  );

  app.get(
    '/escalations/:matchId',
    {
      config: { caller: 'escalationOfficer' },
      schema: {
        tags,
        security,
        params: MatchIdParams,
        summary: "Read one match as the escalation officer: participants' contact details and the coordination history",
        response: { 200: OfficerCoordination, ...problemResponses },
      },
    },
    async (request) => officerOut(await services.coordination.officerGet(callerOf(request, 'escalationOfficer'), request.params.matchId)),
  );

  app.post(
    '/escalations/:matchId/appoint',
    {
      config: { caller: 'escalationOfficer' },
      schema: {
        tags,
        security,
        params: MatchIdParams,
        body: Type.Object(
          { targetSignalId: Type.String({ format: 'uuid', description: "The participant's signal to appoint as coordinator" }) },
          { additionalProperties: false },
        ),
        summary: 'Appoint a participant as coordinator of an escalated match',
        description:
          'Only while escalated (otherwise 409 coordination_state); the target must be a current participant (409 coordination_target) whose organisation may coordinate under its covenant (409 coordination_target_covenant). The match stays escalated until resolved.',
        response: { 200: OfficerCoordination, ...problemResponses },
      },
    },
    async (request) =>
      officerOut(
        await services.coordination.officerAct(callerOf(request, 'escalationOfficer'), request.params.matchId, {
          action: 'appoint',
          targetSignalId: request.body.targetSignalId,
        }),
      ),
  );

  app.post(
    '/escalations/:matchId/resolve',
    {
      config: { caller: 'escalationOfficer' },
      schema: {
        tags,
        security,
        params: MatchIdParams,
        body: Type.Object({ outcome: OutcomeEnum }, { additionalProperties: false }),
        summary: 'Close an escalation with an outcome',
        description:
          'Only while escalated (otherwise 409 coordination_state). Outcomes: coordinator_appointed, contact_restored, no_coordination_needed, other.',
        response: { 200: OfficerCoordination, ...problemResponses },
      },
    },
    async (request) =>
      officerOut(
        await services.coordination.officerAct(callerOf(request, 'escalationOfficer'), request.params.matchId, {
          action: 'resolve',
          outcome: request.body.outcome,
        }),
      ),
  );

  // ----------------------------------------------------------------------------------------------
  // Follow-up figures

  app.get(
    '/follow-up',
    {
      config: { caller: 'administratorOrEscalationOfficer' },
      schema: {
        tags,
        security,
        querystring: Type.Object({ from: IsoDate, to: IsoDate }, { additionalProperties: false }),
        summary: 'Follow-up figures per month of matches made: how many got a coordinator, made contact, escalated, and the median days',
        description:
          'For administrators and escalation officers. Nobody is identifiable: counts from 1 to 4 are null, and a median over fewer than 5 matches is null. The period is at most 3 years.',
        response: { 200: FollowUp, ...problemResponses },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'administratorOrEscalationOfficer');
      const { from, to } = request.query;
      const problems: InvalidParam[] = [];
      for (const [name, value] of [
        ['from', from],
        ['to', to],
      ] as const) {
        if (!isValidIsoDate(value)) problems.push({ name, code: 'invalid_format', reason: 'A calendar date, YYYY-MM-DD.' });
      }
      if (problems.length === 0 && from > to) problems.push({ name: 'to', code: 'out_of_range', reason: 'to must not lie before from.' });
      if (problems.length === 0 && new Date(`${to}T00:00:00Z`).getTime() - new Date(`${from}T00:00:00Z`).getTime() > 3 * 366 * 86_400_000) {
        problems.push({ name: 'to', code: 'out_of_range', reason: 'The period is at most 3 years.' });
      }
      if (problems.length > 0) throw invalidInput(problems);
      return { from, to, suppressBelow: SUPPRESS_BELOW, periods: await services.coordination.followUp(actor, { from, to }) };
    },
  );
};
