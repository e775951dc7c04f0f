/**
 * The inspection report (GDPR art. 15 and 20; seed 004 art. 14): everything SluiS holds on one
 * person, gathered by the person key, for the municipality to hand to the person as a letter or as
 * JSON. It authorises nothing: the inspection service calls it inside its transaction, for the
 * person of a rights request.
 *
 * What it never carries: the BSN, the person key or any other pseudonym, internal ids, and nothing
 * of another person. A family or address match shows that there was one and which professionals
 * took part (they are the recipients of the fact that a professional is involved with this person,
 * art. 15.1(c)) — never the other child, the parent or the other resident: no name, date of birth,
 * reference or signal of theirs, and whose signal a participant holds only as "yours" or "not yours".
 */
import { type Kysely, sql } from 'kysely';
import {
  actionPointsOf,
  consentFacts,
  informingsOf,
  meetingsOf,
  participantRows,
  reasoningOf,
  sharingsOf,
} from '../case-consultations/case-consultation-queries.ts';
import type {
  ConsentMethod,
  DataCategory,
  InformingMethod,
  NoConsentReason,
  NotYetInformedReason,
  Outcome,
  Party,
  WithoutConsentGround,
} from '../case-consultations/case-consultation-rules.ts';
import { coordinationOf, historyOf } from '../coordination/coordination-queries.ts';
import type { DB, EndReason, MatchKind, SignalStatus } from '../db/schema.ts';
import type { IsoDate } from '../shared/calendar.ts';
import type { LegalBasis } from '../signals/legal-basis.ts';
import type { PersonDetails } from '../signals/signal-types.ts';
import type { Channel, Decision, DecisionReason, Requester, RequestKind, RequestStatus } from './rights-rules.ts';

/** How SluiS knows the person: by BSN, or without one by family name, date of birth and gender, or (before birth) through the mother. */
export type Identification = 'bsn' | 'details' | 'unborn';

export type ReportSignal = {
  organisationName: string;
  professionalName: string;
  clientReference: string | null;
  status: SignalStatus;
  filedAt: Date;
  activeUntil: Date;
  extendedAt: Date | null;
  endedAt: Date | null;
  endReason: EndReason | null;
  retainUntil: Date | null;
  legalBasis: LegalBasis;
  /** The person's details as this signal holds them (from the register, or as the professional typed them); never the BSN. */
  personDetails: PersonDetails;
};

export type ReportMatchParticipant = {
  organisationName: string;
  professionalName: string;
  /** Whether the participant's signal is on this person; false: on another family member or resident, who is not named. */
  onThisPerson: boolean;
  joinedAt: Date;
  leftAt: Date | null;
};

export type ReportCoordinationStep = {
  occurredAt: Date;
  action: string;
  actorKind: 'professional' | 'staff' | 'system';
  actorName: string | null;
  actorOrganisation: string | null;
  /** Who coordinated after this step. */
  coordinator: string | null;
};

export type ReportMatch = {
  kind: MatchKind;
  status: 'open' | 'closed';
  createdAt: Date;
  closedAt: Date | null;
  participants: ReportMatchParticipant[];
  coordination: {
    state: string;
    since: Date;
    coordinator: { professionalName: string; organisationName: string } | null;
    history: ReportCoordinationStep[];
  };
};

export type ReportConsultation = {
  purpose: string;
  consultationOn: IsoDate;
  startedAt: Date;
  identifiedAt: Date | null;
  state: 'open' | 'closed';
  closedAt: Date | null;
  outcome: Outcome | null;
  deleteAfter: Date | null;
  basis: 'consent' | 'without_consent' | null;
  initiator: { professionalName: string; organisationName: string } | null;
  participants: { professionalName: string; organisationName: string; legalTask: string; state: string; chair: boolean }[];
  consents: { givenBy: Party; givenOn: IsoDate; method: ConsentMethod; categories: DataCategory[]; forParticipants: string[] }[];
  reasoning: {
    noConsentReason: NoConsentReason;
    explanation: string;
    ground: WithoutConsentGround;
    officialConsulted: string;
    officialConsultedOn: IsoDate;
  } | null;
  informings: { informed: Party[]; informedOn: IsoDate; method: InformingMethod }[];
  /** The ledger: which kind of data went to whom, for what, on which ground, and when the person was told. */
  sharings: {
    category: DataCategory;
    sharedWith: string;
    purpose: string;
    ground: 'consent' | 'without_consent';
    sharedOn: IsoDate;
    personInformedOn: IsoDate | null;
    notYetInformedReason: NotYetInformedReason | null;
  }[];
  meetings: { heldOn: IsoDate }[];
  actionPoints: { description: string; assignee: string; dueOn: IsoDate; doneAt: Date | null }[];
};

export type ReportRegister = {
  state: 'verified' | 'unknown' | 'pending';
  verifiedAt: Date | null;
  refreshedAt: Date;
  deceasedOn: IsoDate | null;
  suspension: 'deceased' | 'emigrated' | 'ministerial_decree' | 'other' | null;
  confidential: boolean;
  municipalityCode: string | null;
  /** The address is stored only as a keyed pseudonym (and whether it is a home or postal address). */
  addressStoredAsPseudonym: boolean;
  addressFunction: 'home' | 'postal' | null;
  /** How many registered parents SluiS keeps, each only as a keyed pseudonym. */
  parentsStoredAsPseudonyms: number;
  followedSince: Date | null;
};

export type ReportRightsRequest = {
  thisRequest: boolean;
  kind: RequestKind;
  receivedOn: IsoDate;
  through: Channel;
  requester: Requester;
  passedOnByOrganisation: string | null;
  dueOn: IsoDate;
  status: RequestStatus;
  decision: Decision | null;
  decisionReasons: DecisionReason[];
  decidedOn: IsoDate | null;
  letterSentOn: IsoDate | null;
};

export type ReportAccess = {
  occurredAt: Date;
  eventType: string;
  outcome: 'success' | 'denied' | 'not_found';
  actorKind: 'professional' | 'record_system' | 'staff' | 'system' | 'anonymous';
  organisationName: string | null;
};

export type InspectionReport = {
  madeAt: Date;
  request: { kind: RequestKind; receivedOn: IsoDate; requester: Requester };
  person: { identifiedBy: Identification; inIndexSince: Date | null };
  signals: ReportSignal[];
  matches: ReportMatch[];
  caseConsultations: ReportConsultation[];
  register: ReportRegister | null;
  rightsRequests: ReportRightsRequest[];
  accesses: ReportAccess[];
  /** True when there were more than ACCESS_LIMIT audit events; the newest are given. */
  accessesTruncated: boolean;
};

/** At most this many audit events go into one report (newest first); a person with more gets the newest and the flag. */
export const ACCESS_LIMIT = 5000;

const json = <T>(value: unknown): T => (typeof value === 'string' ? JSON.parse(value) : value) as T;

async function signalsOf(trx: Kysely<DB>, key: Uint8Array): Promise<ReportSignal[]> {
  const rows = await trx
    .selectFrom('signals as s')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .innerJoin('professionals as p', 'p.id', 's.professional_id')
    .select([
      'o.name as organisation_name',
      'p.name as professional_name',
      's.client_reference',
      's.status',
      's.filed_at',
      's.active_until',
      's.extended_at',
      's.ended_at',
      's.end_reason',
      's.retain_until',
      's.legal_basis',
      's.person_details',
    ])
    .where('s.person_key', '=', key)
    .orderBy('s.filed_at')
    .orderBy('s.id')
    .execute();
  return rows.map((r) => ({
    organisationName: r.organisation_name,
    professionalName: r.professional_name,
    clientReference: r.client_reference,
    status: r.status,
    filedAt: r.filed_at,
    activeUntil: r.active_until,
    extendedAt: r.extended_at,
    endedAt: r.ended_at,
    endReason: r.end_reason,
    retainUntil: r.retain_until,
    legalBasis: json<LegalBasis>(r.legal_basis),
    personDetails: json<PersonDetails>(r.person_details),
  }));
}

/** Every match a signal on the person took part in, of every kind, with who took part and its coordination. */
async function matchesOf(trx: Kysely<DB>, key: Uint8Array): Promise<ReportMatch[]> {
  const matches = await trx
    .selectFrom('matches as m')
    .select(['m.id', 'm.kind', 'm.status', 'm.created_at', 'm.closed_at'])
    .where((eb) =>
      eb.exists(eb.selectFrom('match_participants as own').select('own.match_id').whereRef('own.match_id', '=', 'm.id').where('own.person_key', '=', key)),
    )
    .orderBy('m.created_at')
    .orderBy('m.id')
    .execute();
  const result: ReportMatch[] = [];
  for (const match of matches) {
    const participants = await trx
      .selectFrom('match_participants as mp')
      .innerJoin('signals as s', 's.id', 'mp.signal_id')
      .innerJoin('organisations as o', 'o.id', 's.organisation_id')
      .innerJoin('professionals as p', 'p.id', 's.professional_id')
      .select([
        'o.name as organisation_name',
        'p.name as professional_name',
        'mp.joined_at',
        'mp.left_at',
        sql<boolean>`mp.person_key = ${key}`.as('on_this_person'),
      ])
      .where('mp.match_id', '=', match.id)
      .orderBy('s.filed_at')
      .orderBy('mp.signal_id')
      .execute();
    const coordination = await coordinationOf(trx, match);
    const coordinator = coordination.coordinatorSignalId
      ? await trx
          .selectFrom('signals as s')
          .innerJoin('organisations as o', 'o.id', 's.organisation_id')
          .innerJoin('professionals as p', 'p.id', 's.professional_id')
          .select(['p.name as professionalName', 'o.name as organisationName'])
          .where('s.id', '=', coordination.coordinatorSignalId)
          .executeTakeFirst()
      : undefined;
    result.push({
      kind: match.kind,
      status: match.status,
      createdAt: match.created_at,
      closedAt: match.closed_at,
      participants: participants.map((p) => ({
        organisationName: p.organisation_name,
        professionalName: p.professional_name,
        onThisPerson: Boolean(p.on_this_person),
        joinedAt: p.joined_at,
        leftAt: p.left_at,
      })),
      coordination: {
        state: coordination.state,
        since: coordination.stateSince,
        coordinator: coordinator ?? null,
        history: (await historyOf(trx, match.id)).map((h) => ({
          occurredAt: h.occurredAt,
          action: h.action,
          actorKind: h.actorKind,
          actorName: h.actorName,
          actorOrganisation: h.actorOrganisation,
          coordinator: h.coordinator,
        })),
      },
    });
  }
  return result;
}

/** The case consultations the person was identified in (an anonymous one holds nothing of anyone). */
async function consultationsOf(trx: Kysely<DB>, key: Uint8Array): Promise<ReportConsultation[]> {
  const rows = await trx
    .selectFrom('case_consultations')
    .selectAll()
    .where('person_key', '=', key)
    .where('kind', '=', 'identifying')
    .orderBy('started_at')
    .orderBy('id')
    .execute();
  const result: ReportConsultation[] = [];
  for (const c of rows) {
    const participants = await participantRows(trx, c.id);
    const nameOf = (participantId: string) => {
      const p = participants.find((x) => x.id === participantId);
      return p ? `${p.professional_name} (${p.organisation_name})` : 'Oud-deelnemer';
    };
    const initiator = participants.find((p) => p.source === 'initiator');
    const reasoning = await reasoningOf(trx, c.id);
    result.push({
      purpose: c.purpose,
      consultationOn: c.consultation_on,
      startedAt: c.started_at,
      identifiedAt: c.identified_at,
      state: c.state,
      closedAt: c.closed_at,
      outcome: c.outcome as Outcome | null,
      deleteAfter: c.delete_after,
      basis: c.basis,
      initiator: initiator ? { professionalName: initiator.professional_name, organisationName: initiator.organisation_name } : null,
      participants: participants.map((p) => ({
        professionalName: p.professional_name,
        organisationName: p.organisation_name,
        legalTask: p.legal_task,
        state: p.state,
        chair: p.is_chair,
      })),
      consents: (await consentFacts(trx, c.id)).map((x) => ({
        givenBy: x.givenBy,
        givenOn: x.givenOn,
        method: x.method,
        categories: x.categories,
        forParticipants: x.participantIds.map(nameOf),
      })),
      reasoning: reasoning && {
        noConsentReason: reasoning.noConsentReason,
        explanation: reasoning.noConsentExplanation,
        ground: reasoning.ground,
        officialConsulted: reasoning.officialConsulted,
        officialConsultedOn: reasoning.officialConsultedOn,
      },
      informings: (await informingsOf(trx, c.id)).map((i) => ({ informed: i.informed, informedOn: i.informedOn, method: i.method })),
      sharings: (await sharingsOf(trx, c.id)).map((s) => ({
        category: s.category,
        sharedWith: nameOf(s.participantId),
        purpose: s.purpose,
        ground: s.ground,
        sharedOn: s.sharedOn,
        personInformedOn: s.clientInformedOn,
        notYetInformedReason: s.notYetInformedReason,
      })),
      meetings: (await meetingsOf(trx, c.id)).map((m) => ({ heldOn: m.heldOn })),
      actionPoints: (await actionPointsOf(trx, c.id)).map((a) => ({
        description: a.description,
        assignee: nameOf(a.assigneeId),
        dueOn: a.dueOn,
        doneAt: a.doneAt,
      })),
    });
  }
  return result;
}

async function registerOf(trx: Kysely<DB>, key: Uint8Array): Promise<ReportRegister | null> {
  const row = await trx.selectFrom('person_register').selectAll().where('person_key', '=', key).executeTakeFirst();
  if (!row) return null;
  return {
    state: row.state,
    verifiedAt: row.verified_at,
    refreshedAt: row.refreshed_at,
    deceasedOn: row.deceased_on,
    suspension: row.suspension,
    confidential: row.confidential,
    municipalityCode: row.municipality_code,
    addressStoredAsPseudonym: row.address_key !== null,
    addressFunction: row.address_function,
    parentsStoredAsPseudonyms: row.parent_keys.length,
    followedSince: row.followed_at,
  };
}

async function rightsRequestsOf(trx: Kysely<DB>, key: Uint8Array, currentId: string): Promise<ReportRightsRequest[]> {
  const rows = await trx
    .selectFrom('rights_requests as r')
    .leftJoin('organisations as o', 'o.id', 'r.passed_on_organisation_id')
    .select([
      'r.id',
      'r.kind',
      'r.received_on',
      'r.through',
      'r.requester',
      'o.name as organisation_name',
      'r.due_on',
      'r.status',
      'r.decision',
      'r.decision_reasons',
      'r.decided_on',
      'r.letter_sent_on',
    ])
    .where('r.person_key', '=', key)
    .orderBy('r.received_on')
    .orderBy('r.registered_at')
    .execute();
  return rows.map((r) => ({
    thisRequest: r.id === currentId,
    kind: r.kind as RequestKind,
    receivedOn: r.received_on,
    through: r.through as Channel,
    requester: r.requester as Requester,
    passedOnByOrganisation: r.organisation_name ?? null,
    dueOn: r.due_on,
    status: r.status as RequestStatus,
    decision: r.decision as Decision | null,
    decisionReasons: r.decision_reasons as DecisionReason[],
    decidedOn: r.decided_on,
    letterSentOn: r.letter_sent_on,
  }));
}

/** Who did what with the person's data (NEN 7513): every audit event about the person, newest first, by organisation and kind of actor. */
async function accessesOf(trx: Kysely<DB>, key: Uint8Array): Promise<{ accesses: ReportAccess[]; truncated: boolean }> {
  const rows = await trx
    .selectFrom('audit_events as a')
    .leftJoin('organisations as o', 'o.id', 'a.organisation_id')
    .select(['a.occurred_at', 'a.event_type', 'a.outcome', 'a.actor_type', 'o.name as organisation_name'])
    .where('a.subject_key', '=', key)
    .orderBy('a.id', 'desc')
    .limit(ACCESS_LIMIT + 1)
    .execute();
  return {
    accesses: rows.slice(0, ACCESS_LIMIT).map((r) => ({
      occurredAt: r.occurred_at,
      eventType: r.event_type,
      outcome: r.outcome,
      actorKind: r.actor_type,
      organisationName: r.organisation_name ?? null,
    })),
    truncated: rows.length > ACCESS_LIMIT,
  };
}

/** Everything SluiS holds on the person of a rights request, read in the caller's transaction. */
export async function gatherInspectionReport(
  trx: Kysely<DB>,
  input: {
    personKey: Uint8Array;
    request: { id: string; kind: RequestKind; receivedOn: IsoDate; requester: Requester; identifiedBy: 'bsn' | 'details' };
    madeAt: Date;
  },
): Promise<InspectionReport> {
  const key = input.personKey;
  const person = await trx.selectFrom('persons').select(['identification', 'created_at']).where('person_key', '=', key).executeTakeFirst();
  const { accesses, truncated } = await accessesOf(trx, key);
  return {
    madeAt: input.madeAt,
    request: { kind: input.request.kind, receivedOn: input.request.receivedOn, requester: input.request.requester },
    person: { identifiedBy: person?.identification ?? input.request.identifiedBy, inIndexSince: person?.created_at ?? null },
    signals: await signalsOf(trx, key),
    matches: await matchesOf(trx, key),
    caseConsultations: await consultationsOf(trx, key),
    register: await registerOf(trx, key),
    rightsRequests: await rightsRequestsOf(trx, key, input.request.id),
    accesses,
    accessesTruncated: truncated,
  };
}
