/**
 * The inspection report through the API (docs/rights.md, "Inspection and copy"; docs/api.md): for
 * the municipality's administrators and privacy officers, everything SluiS holds on a rights
 * request's person, as JSON (portability, GDPR art. 20) and as the Dutch PDF letter. Made on request,
 * never stored, each making audited. The response schema below is the whitelist and the documented
 * format of the JSON: it holds no BSN, person key, pseudonym or internal id.
 */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { IdParams, Instant, IsoDate, Nullable, problemResponses, StringEnum } from '../api/schemas.ts';
import {
  CONSENT_METHODS,
  DATA_CATEGORIES,
  INFORMING_METHODS,
  NO_CONSENT_REASONS,
  NOT_YET_INFORMED_REASONS,
  OUTCOMES,
  PARTIES,
  WITHOUT_CONSENT_GROUNDS,
} from '../case-consultations/case-consultation-rules.ts';
import { POSTPONEMENT_REASONS } from '../signals/legal-basis.ts';
import type { InspectionLetter, InspectionService } from './inspection-service.ts';
import { DECISION_REASONS, DECISIONS, REQUEST_KINDS, REQUESTERS, STATUSES } from './rights-rules.ts';

const tags = ['Rights requests'];
const security = [{ bearer: [] }];
const Name = Type.String();

const LegalBasis = Type.Union(
  [
    Type.Object({ basis: Type.Literal('consent'), givenBy: StringEnum(['person', 'legal_representative'] as const), givenOn: IsoDate }),
    Type.Object({ basis: Type.Literal('informed'), informed: Type.Array(StringEnum(['person', 'legal_representative'] as const)), informedOn: IsoDate }),
    Type.Object({ basis: Type.Literal('informing_postponed'), reason: StringEnum(POSTPONEMENT_REASONS) }),
  ],
  {
    description: 'The legal basis the professional recorded when filing: consent (23 and over), or who was informed (under 23), or why informing was postponed',
  },
);

const PersonDetails = Type.Object(
  {
    name: Type.Object({ givenNames: Type.Optional(Type.String()), familyNamePrefix: Type.Optional(Type.String()), familyName: Type.String() }),
    dateOfBirth: IsoDate,
    gender: StringEnum(['male', 'female', 'other', 'unknown'] as const),
    address: Type.Optional(
      Type.Object({
        street: Type.String(),
        houseNumber: Type.String(),
        houseNumberAddition: Type.Optional(Type.String()),
        postcode: Type.String(),
        city: Type.String(),
      }),
    ),
  },
  { description: 'The person as this signal holds them (from the population register, or as the professional typed them); never the BSN' },
);

const Signal = Type.Object({
  organisationName: Name,
  professionalName: Name,
  clientReference: Nullable(Type.String({ description: "The organisation's own reference for the person, if it gave one" })),
  status: StringEnum(['active', 'ended', 'expired'] as const),
  filedAt: Instant,
  activeUntil: Instant,
  extendedAt: Nullable(Instant),
  endedAt: Nullable(Instant),
  endReason: Nullable(StringEnum(['care_ended', 'moved', 'deceased', 'expired', 'age_limit'] as const)),
  retainUntil: Nullable(Instant),
  legalBasis: LegalBasis,
  personDetails: PersonDetails,
});

const Match = Type.Object({
  kind: StringEnum(['person', 'family', 'address'] as const, {
    description:
      'person: professionals involved with this person; family: with a child of the same registered parent; address: with someone at the same home address',
  }),
  status: StringEnum(['open', 'closed'] as const),
  createdAt: Instant,
  closedAt: Nullable(Instant),
  participants: Type.Array(
    Type.Object({
      organisationName: Name,
      professionalName: Name,
      onThisPerson: Type.Boolean({
        description: 'true: the professional is involved with this person; false: with another family member or resident, who is never named',
      }),
      joinedAt: Instant,
      leftAt: Nullable(Instant),
    }),
  ),
  coordination: Type.Object({
    state: StringEnum(['open', 'taken', 'handover_proposed', 'escalated', 'resolved'] as const),
    since: Instant,
    coordinator: Nullable(Type.Object({ professionalName: Name, organisationName: Name })),
    history: Type.Array(
      Type.Object({
        occurredAt: Instant,
        action: Type.String({ description: 'A step of the coordination state table (take, propose_handover, escalate, …) or contact_recorded' }),
        actorKind: StringEnum(['professional', 'staff', 'system'] as const, {
          description: "staff: the municipality's escalation officer; system: SluiS itself (a timer, a participant leaving)",
        }),
        actorName: Nullable(Name),
        actorOrganisation: Nullable(Name),
        coordinator: Nullable(Type.String({ description: 'Who coordinated after the step' })),
      }),
    ),
  }),
});

const Consultation = Type.Object({
  purpose: Type.String(),
  consultationOn: IsoDate,
  startedAt: Instant,
  identifiedAt: Nullable(Instant),
  state: StringEnum(['open', 'closed'] as const),
  closedAt: Nullable(Instant),
  outcome: Nullable(StringEnum(OUTCOMES)),
  deleteAfter: Nullable(Instant),
  basis: Nullable(StringEnum(['consent', 'without_consent'] as const)),
  initiator: Nullable(Type.Object({ professionalName: Name, organisationName: Name })),
  participants: Type.Array(
    Type.Object({ professionalName: Name, organisationName: Name, legalTask: Type.String(), state: Type.String(), chair: Type.Boolean() }),
  ),
  consents: Type.Array(
    Type.Object({
      givenBy: StringEnum(PARTIES),
      givenOn: IsoDate,
      method: StringEnum(CONSENT_METHODS),
      categories: Type.Array(StringEnum(DATA_CATEGORIES)),
      forParticipants: Type.Array(Type.String()),
    }),
  ),
  reasoning: Nullable(
    Type.Object(
      {
        noConsentReason: StringEnum(NO_CONSENT_REASONS),
        explanation: Type.String(),
        ground: StringEnum(WITHOUT_CONSENT_GROUNDS),
        officialConsulted: Type.String(),
        officialConsultedOn: IsoDate,
      },
      { description: 'Without consent: why, on which ground, and which official was consulted (covenant privacy rules art. 9)' },
    ),
  ),
  informings: Type.Array(Type.Object({ informed: Type.Array(StringEnum(PARTIES)), informedOn: IsoDate, method: StringEnum(INFORMING_METHODS) })),
  sharings: Type.Array(
    Type.Object(
      {
        category: StringEnum(DATA_CATEGORIES),
        sharedWith: Type.String({ description: 'The participant, with their organisation' }),
        purpose: Type.String(),
        ground: StringEnum(['consent', 'without_consent'] as const),
        sharedOn: IsoDate,
        personInformedOn: Nullable(IsoDate),
        notYetInformedReason: Nullable(StringEnum(NOT_YET_INFORMED_REASONS)),
      },
      { description: 'The ledger: which kind of data went to whom, for what, on which ground, and when the person was told' },
    ),
  ),
  meetings: Type.Array(Type.Object({ heldOn: IsoDate })),
  actionPoints: Type.Array(Type.Object({ description: Type.String(), assignee: Type.String(), dueOn: IsoDate, doneAt: Nullable(Instant) })),
});

const Register = Type.Object(
  {
    state: StringEnum(['verified', 'unknown', 'pending'] as const),
    verifiedAt: Nullable(Instant),
    refreshedAt: Instant,
    deceasedOn: Nullable(IsoDate),
    suspension: Nullable(StringEnum(['deceased', 'emigrated', 'ministerial_decree', 'other'] as const)),
    confidential: Type.Boolean({ description: 'The record is confidential (geheimhouding): no signal holds an address, no address match' }),
    municipalityCode: Nullable(Type.String()),
    addressStoredAsPseudonym: Type.Boolean({ description: 'SluiS keeps the registered address only as a keyed pseudonym, for address matching' }),
    addressFunction: Nullable(StringEnum(['home', 'postal'] as const)),
    parentsStoredAsPseudonyms: Type.Integer({ description: 'How many registered parents SluiS keeps, each only as a keyed pseudonym, for family matching' }),
    followedSince: Nullable(Instant),
  },
  { description: 'What SluiS keeps of the population register (BRP) answer about the person; null when SluiS never asked the register' },
);

const RightsRequestOut = Type.Object({
  thisRequest: Type.Boolean(),
  kind: StringEnum(REQUEST_KINDS),
  receivedOn: IsoDate,
  through: StringEnum(['person', 'professional', 'letter'] as const),
  requester: StringEnum(REQUESTERS),
  passedOnByOrganisation: Nullable(Name),
  dueOn: IsoDate,
  status: StringEnum(STATUSES),
  decision: Nullable(StringEnum(DECISIONS)),
  decisionReasons: Type.Array(StringEnum(DECISION_REASONS)),
  decidedOn: Nullable(IsoDate),
  letterSentOn: Nullable(IsoDate),
});

const Access = Type.Object({
  occurredAt: Instant,
  eventType: Type.String({ description: 'The audit event type (the closed catalogue; Dutch labels in the audit trail pages and the letter)' }),
  outcome: StringEnum(['success', 'denied', 'not_found'] as const),
  actorKind: StringEnum(['professional', 'record_system', 'staff', 'system', 'anonymous'] as const, {
    description: "professional; record_system: an organisation's client-record system; staff: the municipality; system: SluiS itself",
  }),
  organisationName: Nullable(Type.String({ description: 'The organisation of the professional or record system; null for the municipality and SluiS' })),
});

export const InspectionReportSchema = Type.Object(
  {
    madeAt: Instant,
    request: Type.Object({ kind: StringEnum(REQUEST_KINDS), receivedOn: IsoDate, requester: StringEnum(REQUESTERS) }),
    person: Type.Object({
      identifiedBy: StringEnum(['bsn', 'details', 'unborn'] as const, {
        description:
          'bsn: by the citizen service number (never in this report); details: without a BSN, by family name, date of birth and gender; unborn: before birth, through the mother',
      }),
      inIndexSince: Nullable(Instant),
    }),
    signals: Type.Array(Signal),
    matches: Type.Array(Match),
    caseConsultations: Type.Array(Consultation, { description: 'The case consultations the person was identified in' }),
    register: Nullable(Register),
    rightsRequests: Type.Array(RightsRequestOut),
    accesses: Type.Array(Access, { description: 'Who did what with the data of the person, newest first (NEN 7513)' }),
    accessesTruncated: Type.Boolean({ description: 'More events than a report holds (5,000): the newest are given' }),
  },
  {
    title: 'InspectionReport',
    description:
      'Everything SluiS holds on one person (GDPR art. 15 and 20). Never the BSN, a pseudonym or an internal id; nothing of another person: a family or address match names only the professionals.',
  },
);

/** The services these routes call. */
export type InspectionRoutesServices = { inspection: InspectionService; inspectionLetter: InspectionLetter };

export const inspectionRoutes: FastifyPluginAsyncTypebox<{ services: InspectionRoutesServices }> = async (app, { services }) => {
  const caller = 'administratorOrPrivacyOfficer' as const;

  app.get(
    '/rights-requests/:id/inspection',
    {
      config: { caller },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "The inspection report of the request's person as JSON: everything SluiS holds on them (GDPR art. 15, 20)",
        description: 'Made on request, never stored; making it is audited (rights_request.inspection_made, format json).',
        response: { 200: InspectionReportSchema, ...problemResponses },
      },
    },
    async (request) => services.inspection.report(callerOf(request, caller), request.params.id, 'json'),
  );

  app.get(
    '/rights-requests/:id/inspection-letter',
    {
      config: { caller },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: "The inspection report of the request's person as the Dutch PDF letter to the person (plain language, no BSN)",
        description:
          "The same content as GET /rights-requests/{id}/inspection, addressed to the person as 'u', with the municipality's name and contact from the settings. Made on request, never stored; making it is audited (rights_request.inspection_made, format pdf).",
        response: {
          200: { description: 'The letter (PDF)', content: { 'application/pdf': { schema: Type.String({ format: 'binary' }) } } },
          ...problemResponses,
        },
      },
    },
    async (request, reply) => {
      const report = await services.inspection.report(callerOf(request, caller), request.params.id, 'pdf');
      const pdf = await services.inspectionLetter(report);
      return reply
        .type('application/pdf')
        .header('content-disposition', `attachment; filename="inzage-${report.madeAt.toISOString().slice(0, 10)}.pdf"`)
        .send(pdf);
    },
  );
};
