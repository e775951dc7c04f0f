/**
 * Case consultations under the covenant: starting one (anonymous or identifying), who takes part,
 * consent and the art. 9 reasoning, informing the person, the sharing ledger, meetings and action
 * points, closing, the retention sweep and the municipality's figures.
 *
 * Authorisation lives here. Only participants see a consultation: anyone else — a declined or
 * removed participant, a colleague, another organisation — gets the same "not found" as for an id
 * that does not exist, and the refusal is audited after the rollback. Every change takes the
 * consultation's row lock, so changes on one consultation are serial. The rules are
 * case-consultation-rules.ts; the reads are case-consultation-queries.ts. It returns codes and data.
 */
import { randomUUID } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { AuditDetails, AuditEventType } from '../audit/audit-catalogue.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { participantsOfMatches } from '../matches/participants.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor, StaffActor, SystemActor } from '../shared/actor.ts';
import { addDaysToIsoDate, amsterdamDate, type IsoDate, startOfAmsterdamDay } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, type InvalidParam, invalidInput, notFound, Problem } from '../shared/errors.ts';
import type { PersonName } from '../signals/signal-schemas.ts';
import {
  actionPointsOf,
  type ConsultationRow,
  consentFacts,
  consultationRow,
  consultationsOf,
  covenantProfessional,
  figureRows,
  informingsOf,
  initiatorSignal,
  inMatch,
  meetingsOf,
  type ParticipantRow,
  participantRows,
  professionalIdByEmail,
  reasoningOf,
  sharingsOf,
} from './case-consultation-queries.ts';
import {
  type Basis,
  type ConsentMethod,
  consentComplete,
  consultationFigures,
  type DataCategory,
  deleteAfter,
  type InformingMethod,
  identifyingBasis,
  identifyingText,
  informingProblem,
  MAX_SHORT_TEXT,
  missingInformed,
  type NotYetInformedReason,
  needsDeclaration,
  type Outcome,
  type Party,
  partiesToConsent,
  type Reasoning,
  type Role,
  reasoningProblems,
  seesActionPoint,
  sharingGround,
} from './case-consultation-rules.ts';

export type PersonLink = { matchId: string } | { signalId: string };

export type StartInput = { kind: 'anonymous' | 'identifying'; purpose: string; consultationOn: IsoDate; legalTask: string; link?: PersonLink | undefined };
export type ConsentInput = { givenBy: Party; givenOn: IsoDate; method: ConsentMethod; categories: DataCategory[]; participantIds: string[] };
export type InformingInput = { informed: Party[]; informedOn: IsoDate; method: InformingMethod };
export type SharingInput = {
  participantId: string;
  category: DataCategory;
  purpose: string;
  sharedOn: IsoDate;
  clientInformedOn?: IsoDate | null | undefined;
  notYetInformedReason?: NotYetInformedReason | null | undefined;
};
export type ActionPointInput = { description: string; assigneeId: string; dueOn: IsoDate; meetingId?: string | null | undefined };

/** What one may do now, as the pages and the API offer it. */
export type ConsultationAction =
  | 'add_participant'
  | 'remove_participant'
  | 'change_chair'
  | 'record_consent'
  | 'record_reasoning'
  | 'record_informing'
  | 'record_sharing'
  | 'plan_meeting'
  | 'record_attendance'
  | 'add_action_point'
  | 'identify'
  | 'close';

export type ParticipantView = {
  id: string;
  professionalId: string;
  professionalName: string;
  jobTitle: string;
  organisationName: string;
  phone: string;
  email: string;
  legalTask: string;
  source: 'initiator' | 'match' | 'invited';
  state: 'invited' | 'active' | 'declined' | 'removed';
  isChair: boolean;
  declarationSignedAt: Date | null;
  addedAt: Date;
  leftAt: Date | null;
  isYou: boolean;
};

export type ConsultationView = {
  id: string;
  kind: 'anonymous' | 'identifying';
  state: 'open' | 'closed';
  purpose: string;
  consultationOn: IsoDate;
  startedAt: Date;
  identifiedAt: Date | null;
  closedAt: Date | null;
  outcome: Outcome | null;
  deleteAfter: Date | null;
  yourRole: Role;
  yourParticipantId: string;
  /** Only for the initiator: the match the consultation was started from. */
  matchId: string | null;
  /** The person, for identifying consultations: to the initiator always, to others once the basis is complete. */
  person: { name: PersonName; dateOfBirth: IsoDate } | null;
  basis: {
    status: Basis | 'incomplete' | 'not_applicable';
    /** For the initiator: who must consent on the consultation date, and who has not yet (identifying only). */
    requiredConsent: Party[] | null;
    missingConsent: Party[] | null;
  };
  participants: ParticipantView[];
  consents: Awaited<ReturnType<typeof consentFacts>>;
  reasoning: Awaited<ReturnType<typeof reasoningOf>>;
  informings: Awaited<ReturnType<typeof informingsOf>>;
  sharings: Awaited<ReturnType<typeof sharingsOf>>;
  meetings: Awaited<ReturnType<typeof meetingsOf>>;
  actionPoints: (Awaited<ReturnType<typeof actionPointsOf>>[number] & { yours: boolean })[];
  allowed: ConsultationAction[];
};

export type ConsultationListItem = {
  id: string;
  kind: 'anonymous' | 'identifying';
  state: 'open' | 'closed';
  /** null while the declaration is not signed: an invited participant sees nothing before that (art. 18). */
  purpose: string | null;
  consultationOn: IsoDate | null;
  startedAt: Date;
  closedAt: Date | null;
  outcome: Outcome | null;
  yourRole: Role | 'invited';
  declarationRequired: boolean;
};

/** A professional of a match the initiator may ask to take part. */
export type MatchCandidate = { professionalId: string; professionalName: string; jobTitle: string; organisationName: string };

type Deps = { db: Kysely<DB>; clock: Clock; audit: AuditLog; settings: SettingsService; onOutbox?: () => void };

export type CaseConsultationService = ReturnType<typeof createCaseConsultationService>;

const INITIATOR_ACTIONS: ConsultationAction[] = [
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
];
const CHAIR_ACTIONS: ConsultationAction[] = ['plan_meeting', 'record_attendance', 'add_action_point'];

const problem = (status: number, code: string, detail: string, invalidParams?: InvalidParam[]) =>
  new Problem(status, code, status === 409 ? 'Conflict' : status === 403 ? 'Forbidden' : 'Invalid input', detail, invalidParams);

/** Free text about the work, not the person (art. 12.2): short, without digit runs or dates. */
function checkShortText(name: string, text: string, problems: InvalidParam[]) {
  if (text.trim().length === 0 || text.length > MAX_SHORT_TEXT) problems.push({ name, code: 'length', reason: `Between 1 and ${MAX_SHORT_TEXT} characters.` });
  else if (identifyingText(text))
    problems.push({
      name,
      code: 'identifying_text',
      reason: 'Write about the work, not the person: no numbers such as a BSN or phone number, and no dates (and no health or criminal details).',
    });
}

export function createCaseConsultationService(deps: Deps) {
  const { db, clock, audit, settings } = deps;
  const today = () => amsterdamDate(clock.now());
  /** The "not found" problems thrown for non-participants, audited once the transaction has rolled back. */
  const notParticipating = new WeakSet<Problem>();

  const hidden = () => {
    const refusal = notFound('case consultation');
    notParticipating.add(refusal);
    return refusal;
  };

  /** Runs the work in a transaction; a refusal because the actor does not take part is audited after the rollback. */
  async function run<T>(actor: ProfessionalActor, id: string, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (error instanceof Problem && notParticipating.has(error)) {
        await audit.record(db, clock.now(), { type: 'case_consultation.read', outcome: 'not_found', actor, resource: { type: 'case_consultation', id } });
      }
      throw error;
    }
  }

  type Context = { consultation: ConsultationRow; participants: ParticipantRow[]; you: ParticipantRow; role: Role };

  /**
   * The consultation and the actor's part in it; "not found" unless they take part (active). An
   * invited participant who has not signed the declaration hears so, and nothing more.
   */
  async function load(trx: Kysely<DB>, actor: ProfessionalActor, id: string, lock = false): Promise<Context> {
    const consultation = await consultationRow(trx, id, lock);
    if (!consultation) throw hidden();
    const participants = await participantRows(trx, id);
    const you = participants.find((p) => p.professional_id === actor.professionalId);
    if (!you || you.state === 'declined' || you.state === 'removed') throw hidden();
    if (you.state === 'invited') {
      throw problem(403, 'declaration_required', 'Sign the confidentiality declaration (art. 18) before you see this case consultation, or decline.');
    }
    const role: Role = you.source === 'initiator' ? 'initiator' : you.is_chair ? 'chair' : 'participant';
    return { consultation, participants, you, role };
  }

  function requireRole(context: Context, roles: Role[], what: string) {
    if (!roles.includes(context.role)) throw problem(403, 'consultation_role', `Only the ${roles.join(' or ')} may ${what}.`);
  }
  function requireOpen(context: Context) {
    if (context.consultation.state !== 'open') throw problem(409, 'consultation_closed', 'The case consultation is closed.');
  }
  function requireIdentifying(context: Context) {
    if (context.consultation.kind !== 'identifying')
      throw problem(409, 'consultation_anonymous', 'An anonymous case consultation holds nothing about the person: make it identifying first.');
  }

  /** The active participants consent must name: all but the initiator, whose own client it is. */
  const consentScope = (participants: ParticipantRow[]) => participants.filter((p) => p.source !== 'initiator' && p.state === 'active').map((p) => p.id);

  /** The basis on a date for an identifying consultation, from what is recorded. */
  async function basisOn(trx: Kysely<DB>, context: Pick<Context, 'consultation' | 'participants'>, on: IsoDate) {
    const { consultation } = context;
    if (consultation.kind !== 'identifying' || !consultation.date_of_birth) return null;
    return identifyingBasis({
      dateOfBirth: consultation.date_of_birth,
      on,
      today: today(),
      consents: await consentFacts(trx, consultation.id),
      participantIds: consentScope(context.participants),
      reasoning: await reasoningOf(trx, consultation.id),
    });
  }

  /** Keeps the stored basis (for the figures) in step after consent, reasoning or participants change. */
  async function refreshBasis(trx: Kysely<DB>, id: string) {
    const consultation = await consultationRow(trx, id);
    if (consultation?.kind !== 'identifying') return;
    const result = await basisOn(trx, { consultation, participants: await participantRows(trx, id) }, consultation.consultation_on);
    await trx
      .updateTable('case_consultations')
      .set({ basis: result?.ok ? result.basis : null })
      .where('id', '=', id)
      .execute();
  }

  /** Meetings, sharings and action points of an identifying consultation need the basis complete on their date. */
  async function requireBasis(trx: Kysely<DB>, context: Context, on: IsoDate) {
    const result = await basisOn(trx, context, on);
    if (result && !result.ok) {
      throw problem(
        409,
        'basis_incomplete',
        `This identifying case consultation may not be held on ${on} yet: record consent of ${result.missing.join(' and ') || 'the parties'} for every participant, or the complete reasoning of art. 9.`,
        result.reasoning,
      );
    }
  }

  const audited = (trx: Kysely<DB>, actor: ProfessionalActor, consultation: ConsultationRow, type: AuditEventType, details?: AuditDetails) =>
    audit.record(trx, clock.now(), {
      type,
      actor,
      subjectKey: consultation.person_key,
      resource: { type: 'case_consultation', id: consultation.id },
      ...(details && { details }),
    });

  async function notify(
    trx: Kysely<DB>,
    type: 'case_consultation.invited' | 'case_consultation.meeting_planned' | 'case_consultation.action_point_assigned',
    consultationId: string,
    recipients: { professional_id: string; organisation_id: string }[],
    extra: Record<string, string> = {},
  ) {
    if (recipients.length === 0) return;
    await trx
      .insertInto('outbox')
      .values(
        recipients.map((r) => ({
          created_at: clock.now(),
          event_type: type,
          recipient_professional_id: r.professional_id,
          organisation_id: r.organisation_id,
          payload: JSON.stringify({ consultationId, ...extra }),
        })),
      )
      .execute();
  }

  /** The consultation as this participant may see it (art. 6.5, 12.3). */
  async function view(trx: Kysely<DB>, context: Context): Promise<ConsultationView> {
    const { consultation, participants, you, role } = context;
    const initiator = role === 'initiator';
    const consents = await consentFacts(trx, consultation.id);
    const reasoning = await reasoningOf(trx, consultation.id);
    const identifying = consultation.kind === 'identifying' && consultation.date_of_birth !== null;
    const result = identifying ? await basisOn(trx, context, consultation.consultation_on) : null;
    const consent = identifying
      ? consentComplete({
          dateOfBirth: consultation.date_of_birth!,
          on: consultation.consultation_on,
          consents,
          scope: { participantIds: consentScope(participants) },
        })
      : null;
    const details = consultation.person_details as { name: PersonName } | null;
    const showPerson = identifying && details && (initiator || (result?.ok && consultation.state === 'open'));
    const actionPoints = (await actionPointsOf(trx, consultation.id))
      .filter((a) => seesActionPoint(role, you.id, a.assigneeId))
      .map((a) => ({ ...a, yours: a.assigneeId === you.id }));
    const allowed = consultation.state !== 'open' ? [] : initiator ? INITIATOR_ACTIONS : role === 'chair' ? CHAIR_ACTIONS : [];
    return {
      id: consultation.id,
      kind: consultation.kind,
      state: consultation.state,
      purpose: consultation.purpose,
      consultationOn: consultation.consultation_on,
      startedAt: consultation.started_at,
      identifiedAt: consultation.identified_at,
      closedAt: consultation.closed_at,
      outcome: consultation.outcome as Outcome | null,
      deleteAfter: consultation.delete_after,
      yourRole: role,
      yourParticipantId: you.id,
      matchId: initiator ? consultation.match_id : null,
      person: showPerson ? { name: details.name, dateOfBirth: consultation.date_of_birth! } : null,
      basis: {
        status: !identifying ? 'not_applicable' : result?.ok ? result.basis : 'incomplete',
        requiredConsent: initiator && consent ? consent.required : null,
        missingConsent: initiator && consent ? consent.missing : null,
      },
      participants: participants
        .filter((p) => initiator || p.state === 'active')
        .map((p) => ({
          id: p.id,
          professionalId: p.professional_id,
          professionalName: p.professional_name,
          jobTitle: p.job_title,
          organisationName: p.organisation_name,
          phone: p.phone,
          email: p.email,
          legalTask: p.legal_task,
          source: p.source,
          state: p.state,
          isChair: p.is_chair,
          declarationSignedAt: p.declaration_signed_at,
          addedAt: p.added_at,
          leftAt: p.left_at,
          isYou: p.id === you.id,
        })),
      consents: initiator ? consents : [],
      reasoning: initiator ? reasoning : null,
      informings: initiator ? await informingsOf(trx, consultation.id) : [],
      sharings: (await sharingsOf(trx, consultation.id)).filter((s) => initiator || s.participantId === you.id),
      meetings: await meetingsOf(trx, consultation.id),
      actionPoints,
      allowed,
    };
  }

  /** Reads the view after a change, in the same transaction, and audits that read with it. */
  async function afterChange(trx: Kysely<DB>, actor: ProfessionalActor, id: string) {
    return view(trx, await load(trx, actor, id));
  }

  /** A change by a participant: lock, load, check, write, audit, and the view after it. */
  async function change(actor: ProfessionalActor, id: string, work: (trx: Kysely<DB>, context: Context) => Promise<unknown>) {
    let notified = false;
    const result = await run(actor, id, async (trx) => {
      const context = await load(trx, actor, id, true);
      notified = (await work(trx, context)) === true;
      return afterChange(trx, actor, id);
    });
    if (notified) deps.onOutbox?.();
    return result;
  }

  async function resolveLink(trx: Kysely<DB>, actor: ProfessionalActor, link: PersonLink) {
    const found = await initiatorSignal(trx, actor.professionalId, link);
    // A match or signal the initiator has no active part in is the same as one that does not exist.
    if (!found) throw notFound('match or signal');
    return found;
  }

  // ------------------------------------------------------------------------------------------------

  async function start(actor: ProfessionalActor, input: StartInput): Promise<ConsultationView> {
    const problems: InvalidParam[] = [];
    checkShortText('purpose', input.purpose, problems);
    checkShortText('legalTask', input.legalTask, problems);
    if (input.consultationOn < today()) problems.push({ name: 'consultationOn', code: 'date_in_past', reason: 'The consultation date is today or later.' });
    if (input.kind === 'anonymous' && input.link)
      problems.push({ name: 'link', code: 'not_allowed', reason: 'An anonymous case consultation holds no link to the person (art. 5.4).' });
    if (input.kind === 'identifying' && !input.link)
      problems.push({
        name: 'link',
        code: 'required',
        reason: 'An identifying case consultation is about a match you take part in, or a person you have an active signal on.',
      });
    if (problems.length > 0) throw invalidInput(problems);
    const now = clock.now();
    const id = await db.transaction().execute(async (trx) => {
      const link = input.link ? await resolveLink(trx, actor, input.link) : null;
      const row = await trx
        .insertInto('case_consultations')
        .values({
          kind: input.kind,
          purpose: input.purpose,
          consultation_on: input.consultationOn,
          initiator_professional_id: actor.professionalId,
          initiator_organisation_id: actor.organisationId,
          person_key: link?.personKey ?? null,
          signal_id: link?.signalId ?? null,
          match_id: link?.matchId ?? null,
          basis: null,
          started_at: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('case_consultation_participants')
        .values({
          consultation_id: row.id,
          professional_id: actor.professionalId,
          organisation_id: actor.organisationId,
          source: 'initiator',
          legal_task: input.legalTask,
          state: 'active',
          is_chair: true,
          added_at: now,
        })
        .execute();
      await audit.record(trx, now, {
        type: 'case_consultation.started',
        actor,
        subjectKey: link?.personKey ?? null,
        resource: { type: 'case_consultation', id: row.id },
        details: { kind: input.kind, ...(link?.matchId && { matchId: link.matchId }) },
      });
      return row.id;
    });
    return get(actor, id);
  }

  async function get(actor: ProfessionalActor | StaffActor, id: string): Promise<ConsultationView> {
    // Staff take part in no consultation: the same "not found" as anyone else who does not.
    if (actor.kind === 'staff') {
      await audit.record(db, clock.now(), { type: 'case_consultation.read', outcome: 'not_found', actor, resource: { type: 'case_consultation', id } });
      throw notFound('case consultation');
    }
    return run(actor, id, async (trx) => {
      const context = await load(trx, actor, id);
      await audited(trx, actor, context.consultation, 'case_consultation.read');
      return view(trx, context);
    });
  }

  async function list(actor: ProfessionalActor): Promise<ConsultationListItem[]> {
    return db.transaction().execute(async (trx) => {
      const rows = await consultationsOf(trx, actor.professionalId);
      await audit.record(trx, clock.now(), { type: 'case_consultation.listed', actor, details: { count: rows.length } });
      return rows.map((r) => {
        const invited = r.participant_state === 'invited';
        return {
          id: r.id,
          kind: r.kind,
          state: r.state,
          purpose: invited ? null : r.purpose,
          consultationOn: invited ? null : r.consultation_on,
          startedAt: r.started_at,
          closedAt: r.closed_at,
          outcome: r.outcome as Outcome | null,
          yourRole: invited ? 'invited' : r.source === 'initiator' ? 'initiator' : r.is_chair ? 'chair' : 'participant',
          declarationRequired: invited,
        };
      });
    });
  }

  /**
   * Whom the initiator may choose from a match they take part in (art. 7.2, 9.5): the match's other
   * current participants, with the professional's id the choice needs. "Not found" for a match the
   * actor has no active signal in; the read is audited as a read of the match.
   */
  async function matchCandidates(actor: ProfessionalActor, matchId: string): Promise<MatchCandidate[]> {
    return db.transaction().execute(async (trx) => {
      const found = await initiatorSignal(trx, actor.professionalId, { matchId });
      if (!found) throw notFound('match');
      const participants = (await participantsOfMatches(trx, [matchId])).get(matchId) ?? [];
      await audit.record(trx, clock.now(), { type: 'match.read', actor, subjectKey: found.personKey, resource: { type: 'match', id: matchId } });
      return participants
        .filter((p) => p.professionalId !== actor.professionalId)
        .map((p) => ({ professionalId: p.professionalId, professionalName: p.professionalName, jobTitle: p.jobTitle, organisationName: p.organisationName }));
    });
  }

  /** How many open consultations the professional takes part in, and to how many they are invited (for the start page): counts only, nothing about a person. */
  async function openCounts(actor: ProfessionalActor): Promise<{ open: number; invitations: number }> {
    const rows = await db
      .selectFrom('case_consultation_participants as cp')
      .innerJoin('case_consultations as c', 'c.id', 'cp.consultation_id')
      .select(['cp.state', (eb) => eb.fn.countAll<number | string>().as('n')])
      .where('cp.professional_id', '=', actor.professionalId)
      .where('cp.state', 'in', ['invited', 'active'])
      .where('c.state', '=', 'open')
      .groupBy('cp.state')
      .execute();
    const count = (state: string) => Number(rows.find((r) => r.state === state)?.n ?? 0);
    return { open: count('active'), invitations: count('invited') };
  }

  async function changeChair(actor: ProfessionalActor, id: string, participantId: string) {
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator'], 'change the chair');
      requireOpen(context);
      const target = context.participants.find((p) => p.id === participantId && p.state === 'active');
      if (!target)
        throw invalidInput([{ name: 'chairParticipantId', code: 'not_participant', reason: 'The chair is an active participant of this consultation.' }]);
      await trx.updateTable('case_consultation_participants').set({ is_chair: false }).where('consultation_id', '=', id).execute();
      await trx.updateTable('case_consultation_participants').set({ is_chair: true }).where('id', '=', target.id).execute();
      await audited(trx, actor, context.consultation, 'case_consultation.changed', { professional: target.professional_id });
    });
  }

  async function addParticipant(actor: ProfessionalActor, id: string, input: { professionalId: string; legalTask: string }) {
    const problems: InvalidParam[] = [];
    checkShortText('legalTask', input.legalTask, problems);
    if (problems.length > 0) throw invalidInput(problems);
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator'], 'add participants');
      requireOpen(context);
      const professional = await covenantProfessional(trx, input.professionalId, today());
      if (!professional)
        throw invalidInput([{ name: 'professionalId', code: 'not_available', reason: 'An active professional of an organisation with an active covenant.' }]);
      const existing = context.participants.find((p) => p.professional_id === professional.id);
      if (existing && (existing.state === 'active' || existing.state === 'invited'))
        throw problem(409, 'already_participant', 'This professional already takes part.');
      const source = (await inMatch(trx, context.consultation.match_id, professional.id)) ? 'match' : 'invited';
      const state = needsDeclaration(source) ? 'invited' : 'active';
      const values = {
        source,
        legal_task: input.legalTask,
        state,
        is_chair: false,
        declaration_signed_at: null,
        added_at: clock.now(),
        left_at: null,
      } as const;
      if (existing) await trx.updateTable('case_consultation_participants').set(values).where('id', '=', existing.id).execute();
      else
        await trx
          .insertInto('case_consultation_participants')
          .values({ ...values, consultation_id: id, professional_id: professional.id, organisation_id: professional.organisation_id })
          .execute();
      await refreshBasis(trx, id);
      await audited(trx, actor, context.consultation, 'case_consultation.participant_added', { professional: professional.id, status: state });
      await notify(trx, 'case_consultation.invited', id, [{ professional_id: professional.id, organisation_id: professional.organisation_id }]);
      return true;
    });
  }

  /**
   * Adds a professional by their work e-mail address (the pages' way to invite someone from another
   * covenant organisation). An address nobody has is refused like a professional who may not take
   * part, and only after the role check: the form tells no one who is in SluiS.
   */
  async function addParticipantByEmail(actor: ProfessionalActor, id: string, input: { email: string; legalTask: string }) {
    const professionalId = (await professionalIdByEmail(db, input.email)) ?? randomUUID();
    return addParticipant(actor, id, { professionalId, legalTask: input.legalTask });
  }

  async function removeParticipant(actor: ProfessionalActor, id: string, participantId: string) {
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator'], 'remove participants');
      const target = context.participants.find((p) => p.id === participantId && (p.state === 'active' || p.state === 'invited'));
      if (!target || target.source === 'initiator') throw notFound('participant');
      await trx
        .updateTable('case_consultation_participants')
        .set({ state: 'removed', is_chair: false, left_at: clock.now() })
        .where('id', '=', target.id)
        .execute();
      // The chair falls back to the initiator.
      if (target.is_chair)
        await trx
          .updateTable('case_consultation_participants')
          .set({ is_chair: true })
          .where('consultation_id', '=', id)
          .where('source', '=', 'initiator')
          .execute();
      await refreshBasis(trx, id);
      await audited(trx, actor, context.consultation, 'case_consultation.participant_removed', { professional: target.professional_id });
    });
  }

  /** An invited participant's own row (signing or declining): "not found" for anyone else. */
  async function invitation(trx: Kysely<DB>, actor: ProfessionalActor, id: string) {
    const consultation = await consultationRow(trx, id, true);
    const row =
      consultation &&
      (await trx
        .selectFrom('case_consultation_participants')
        .select(['id', 'state'])
        .where('consultation_id', '=', id)
        .where('professional_id', '=', actor.professionalId)
        .executeTakeFirst());
    if (!consultation || !row || row.state === 'declined' || row.state === 'removed') throw hidden();
    return { consultation, row };
  }

  async function signDeclaration(actor: ProfessionalActor, id: string) {
    return run(actor, id, async (trx) => {
      const { consultation, row } = await invitation(trx, actor, id);
      if (row.state === 'active') throw problem(409, 'declaration_not_required', 'You take part already: there is nothing to sign.');
      if (consultation.state !== 'open') throw problem(409, 'consultation_closed', 'The case consultation is closed.');
      await trx.updateTable('case_consultation_participants').set({ state: 'active', declaration_signed_at: clock.now() }).where('id', '=', row.id).execute();
      await refreshBasis(trx, id);
      await audited(trx, actor, consultation, 'case_consultation.declaration_signed');
      return afterChange(trx, actor, id);
    });
  }

  async function decline(actor: ProfessionalActor, id: string): Promise<void> {
    await run(actor, id, async (trx) => {
      const { consultation, row } = await invitation(trx, actor, id);
      if (row.state !== 'invited') throw problem(409, 'not_invited', 'Only an invitation that is not yet accepted can be declined.');
      await trx.updateTable('case_consultation_participants').set({ state: 'declined', left_at: clock.now() }).where('id', '=', row.id).execute();
      await audited(trx, actor, consultation, 'case_consultation.declined');
    });
  }

  async function recordConsent(actor: ProfessionalActor, id: string, input: ConsentInput) {
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator'], 'record consent');
      requireOpen(context);
      const problems: InvalidParam[] = [];
      if (input.givenOn > today()) problems.push({ name: 'givenOn', code: 'date_in_future', reason: 'Consent cannot be given after today.' });
      const known = new Set(context.participants.filter((p) => p.source !== 'initiator' && (p.state === 'active' || p.state === 'invited')).map((p) => p.id));
      if (input.participantIds.some((p) => !known.has(p)))
        problems.push({ name: 'participantIds', code: 'not_participant', reason: 'Consent names participants of this consultation (not the initiator).' });
      if (problems.length > 0) throw invalidInput(problems);
      await trx
        .insertInto('case_consultation_consents')
        .values({
          consultation_id: id,
          given_by: input.givenBy,
          given_on: input.givenOn,
          method: input.method,
          categories: [...new Set(input.categories)],
          participant_ids: [...new Set(input.participantIds)],
          recorded_at: clock.now(),
          recorded_by: actor.professionalId,
        })
        .execute();
      await refreshBasis(trx, id);
      await audited(trx, actor, context.consultation, 'case_consultation.consent_recorded', { givenBy: input.givenBy, count: input.participantIds.length });
    });
  }

  async function recordReasoning(actor: ProfessionalActor, id: string, input: Reasoning) {
    const problems = reasoningProblems(input, today());
    if (problems.length > 0) throw invalidInput(problems);
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator'], 'record the reasoning');
      requireOpen(context);
      const values = {
        no_consent_reason: input.noConsentReason,
        no_consent_explanation: input.noConsentExplanation,
        ground: input.ground,
        answers: JSON.stringify(input.answers),
        vital_interest_motivation: input.vitalInterestMotivation,
        official_consulted: input.officialConsulted,
        official_consulted_on: input.officialConsultedOn,
        recorded_at: clock.now(),
        recorded_by: actor.professionalId,
      };
      await trx
        .insertInto('case_consultation_reasonings')
        .values({ consultation_id: id, ...values })
        .onConflict((oc) => oc.column('consultation_id').doUpdateSet(values))
        .execute();
      await refreshBasis(trx, id);
      await audited(trx, actor, context.consultation, 'case_consultation.reasoning_recorded', { ground: input.ground });
    });
  }

  async function recordInforming(actor: ProfessionalActor, id: string, input: InformingInput) {
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator'], 'record the informing');
      requireOpen(context);
      requireIdentifying(context);
      const problems: InvalidParam[] = [];
      if (input.informedOn > today()) problems.push({ name: 'informedOn', code: 'date_in_future', reason: 'The informing date is not after today.' });
      else {
        const missing = missingInformed(context.consultation.date_of_birth!, input.informedOn, input.informed);
        if (missing.length > 0)
          problems.push({
            name: 'informed',
            code: 'parties_missing',
            reason: `By the age on the informing date, ${partiesToConsent(context.consultation.date_of_birth!, input.informedOn).join(' and ')} are informed; missing: ${missing.join(', ')}.`,
          });
      }
      if (problems.length > 0) throw invalidInput(problems);
      await trx
        .insertInto('case_consultation_informings')
        .values({
          consultation_id: id,
          informed: [...new Set(input.informed)],
          informed_on: input.informedOn,
          method: input.method,
          recorded_at: clock.now(),
          recorded_by: actor.professionalId,
        })
        .execute();
      await audited(trx, actor, context.consultation, 'case_consultation.informing_recorded', { informedOn: input.informedOn });
    });
  }

  async function recordSharing(actor: ProfessionalActor, id: string, input: SharingInput) {
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator'], 'keep the sharing ledger');
      requireOpen(context);
      requireIdentifying(context);
      const problems: InvalidParam[] = [];
      checkShortText('purpose', input.purpose, problems);
      if (input.sharedOn > today()) problems.push({ name: 'sharedOn', code: 'date_in_future', reason: 'A sharing is recorded when it happened, not before.' });
      if (input.clientInformedOn && input.clientInformedOn > today())
        problems.push({ name: 'clientInformedOn', code: 'date_in_future', reason: 'The client cannot have been informed after today.' });
      const target = context.participants.find((p) => p.id === input.participantId && p.state === 'active' && p.source !== 'initiator');
      if (!target) problems.push({ name: 'participantId', code: 'not_participant', reason: 'Data goes only to an active participant of this consultation.' });
      if (problems.length > 0) throw invalidInput(problems);
      const { consultation } = context;
      const ground = sharingGround({
        dateOfBirth: consultation.date_of_birth!,
        on: input.sharedOn,
        today: today(),
        consents: await consentFacts(trx, id),
        participantId: input.participantId,
        category: input.category,
        reasoning: await reasoningOf(trx, id),
      });
      if (!ground)
        throw problem(
          409,
          'no_ground',
          'There is no ground for this sharing: consent that names this category and this participant, or the complete reasoning of art. 9.',
        );
      const informing = informingProblem({
        ground,
        sharedOn: input.sharedOn,
        informedOn: input.clientInformedOn ?? null,
        notYetReason: input.notYetInformedReason ?? null,
      });
      if (informing) throw invalidInput([informing]);
      await trx
        .insertInto('case_consultation_sharings')
        .values({
          consultation_id: id,
          participant_id: input.participantId,
          category: input.category,
          purpose: input.purpose,
          ground,
          shared_on: input.sharedOn,
          client_informed_on: input.clientInformedOn ?? null,
          not_yet_informed_reason: input.notYetInformedReason ?? null,
          recorded_at: clock.now(),
          recorded_by: actor.professionalId,
        })
        .execute();
      await audited(trx, actor, consultation, 'case_consultation.sharing_recorded', {
        dataCategory: input.category,
        basis: ground,
        professional: target!.professional_id,
      });
    });
  }

  async function planMeeting(actor: ProfessionalActor, id: string, input: { heldOn: IsoDate }) {
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator', 'chair'], 'plan meetings');
      requireOpen(context);
      if (input.heldOn < context.consultation.started_at.toISOString().slice(0, 10))
        throw invalidInput([{ name: 'heldOn', code: 'before_start', reason: 'A meeting is not before the consultation started.' }]);
      await requireBasis(trx, context, input.heldOn);
      const meeting = await trx
        .insertInto('case_consultation_meetings')
        .values({ consultation_id: id, held_on: input.heldOn, planned_at: clock.now() })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audited(trx, actor, context.consultation, 'case_consultation.meeting_planned', { until: input.heldOn });
      const others = context.participants.filter((p) => p.state === 'active' && p.professional_id !== actor.professionalId);
      await notify(trx, 'case_consultation.meeting_planned', id, others, { meetingId: meeting.id });
      return others.length > 0;
    });
  }

  async function recordAttendance(actor: ProfessionalActor, id: string, meetingId: string, attendeeIds: string[]) {
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator', 'chair'], 'record who attended');
      requireOpen(context);
      const meeting = await trx
        .selectFrom('case_consultation_meetings')
        .select('id')
        .where('id', '=', meetingId)
        .where('consultation_id', '=', id)
        .executeTakeFirst();
      if (!meeting) throw notFound('meeting');
      const known = new Set(context.participants.filter((p) => p.state === 'active' || p.state === 'removed').map((p) => p.id));
      if (attendeeIds.some((a) => !known.has(a)))
        throw invalidInput([{ name: 'attendeeIds', code: 'not_participant', reason: 'Attendees are participants of this consultation.' }]);
      await trx
        .updateTable('case_consultation_meetings')
        .set({ attendee_ids: [...new Set(attendeeIds)] as string[] })
        .where('id', '=', meetingId)
        .execute();
      await audited(trx, actor, context.consultation, 'case_consultation.attendance_recorded', { count: attendeeIds.length });
    });
  }

  async function addActionPoint(actor: ProfessionalActor, id: string, input: ActionPointInput) {
    const problems: InvalidParam[] = [];
    checkShortText('description', input.description, problems);
    if (problems.length > 0) throw invalidInput(problems);
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator', 'chair'], 'agree action points');
      requireOpen(context);
      await requireBasis(trx, context, today());
      const assignee = context.participants.find((p) => p.id === input.assigneeId && p.state === 'active');
      if (!assignee) throw invalidInput([{ name: 'assigneeId', code: 'not_participant', reason: 'An action point is for an active participant.' }]);
      if (input.dueOn < today()) throw invalidInput([{ name: 'dueOn', code: 'date_in_past', reason: 'The due date is today or later.' }]);
      if (input.meetingId) {
        const meeting = await trx
          .selectFrom('case_consultation_meetings')
          .select('id')
          .where('id', '=', input.meetingId)
          .where('consultation_id', '=', id)
          .executeTakeFirst();
        if (!meeting) throw invalidInput([{ name: 'meetingId', code: 'not_found', reason: 'A meeting of this consultation.' }]);
      }
      const point = await trx
        .insertInto('case_consultation_action_points')
        .values({
          consultation_id: id,
          meeting_id: input.meetingId ?? null,
          description: input.description,
          assignee_participant_id: assignee.id,
          due_on: input.dueOn,
          created_at: clock.now(),
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await audited(trx, actor, context.consultation, 'case_consultation.action_point_added', { professional: assignee.professional_id });
      if (assignee.professional_id === actor.professionalId) return false;
      await notify(trx, 'case_consultation.action_point_assigned', id, [assignee], { actionPointId: point.id });
      return true;
    });
  }

  async function completeActionPoint(actor: ProfessionalActor, id: string, actionPointId: string) {
    return change(actor, id, async (trx, context) => {
      requireOpen(context);
      const point = await trx
        .selectFrom('case_consultation_action_points')
        .select(['id', 'assignee_participant_id', 'done_at'])
        .where('id', '=', actionPointId)
        .where('consultation_id', '=', id)
        .executeTakeFirst();
      // One that is not yours, and you may not see, is the same as one that does not exist.
      if (!point || !seesActionPoint(context.role, context.you.id, point.assignee_participant_id)) throw notFound('action point');
      if (point.done_at) throw problem(409, 'action_point_done', 'This action point is done already.');
      await trx.updateTable('case_consultation_action_points').set({ done_at: clock.now() }).where('id', '=', point.id).execute();
      await audited(trx, actor, context.consultation, 'case_consultation.action_point_done');
    });
  }

  /** An anonymous consultation made identifying: needs consent or the art. 9 reasoning, complete on the consultation date. */
  async function identify(actor: ProfessionalActor, id: string, link: PersonLink) {
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator'], 'make the consultation identifying');
      requireOpen(context);
      if (context.consultation.kind !== 'anonymous') throw problem(409, 'consultation_identifying', 'This case consultation is identifying already.');
      const found = await resolveLink(trx, actor, link);
      const signal = await trx.selectFrom('signals').select('person_date_of_birth').where('id', '=', found.signalId).executeTakeFirstOrThrow();
      // The consultation date, or today when that has passed.
      const on = [context.consultation.consultation_on, today()].sort()[1]!;
      const result = identifyingBasis({
        dateOfBirth: signal.person_date_of_birth,
        on,
        today: today(),
        consents: await consentFacts(trx, id),
        participantIds: consentScope(context.participants),
        reasoning: await reasoningOf(trx, id),
      });
      if (!result.ok) {
        throw problem(
          409,
          'basis_incomplete',
          `An anonymous case consultation becomes identifying only with consent of ${result.missing.join(' and ')} for every participant, or the complete reasoning of art. 9.`,
          result.reasoning,
        );
      }
      await trx
        .updateTable('case_consultations')
        .set({
          kind: 'identifying',
          person_key: found.personKey,
          signal_id: found.signalId,
          match_id: found.matchId,
          basis: result.basis,
          identified_at: clock.now(),
        })
        .where('id', '=', id)
        .execute();
      await audit.record(trx, clock.now(), {
        type: 'case_consultation.identified',
        actor,
        subjectKey: found.personKey,
        resource: { type: 'case_consultation', id },
        details: { basis: result.basis },
      });
    });
  }

  async function close(actor: ProfessionalActor, id: string, outcome: Outcome) {
    const { caseConsultationRetentionMonths } = await settings.current();
    return change(actor, id, async (trx, context) => {
      requireRole(context, ['initiator'], 'close the consultation');
      requireOpen(context);
      const now = clock.now();
      await trx
        .updateTable('case_consultations')
        .set({ state: 'closed', closed_at: now, outcome, delete_after: deleteAfter(now, caseConsultationRetentionMonths) })
        .where('id', '=', id)
        .execute();
      await audited(trx, actor, context.consultation, 'case_consultation.closed', { outcome });
    });
  }

  // ------------------------------------------------------------------------------------------------
  // The sweep and the municipality

  /** Deletes closed consultations past their retention date (art. 17), keeping a figure row without identifiers; the audit trail stays. */
  async function purgeDue(): Promise<number> {
    const now = clock.now();
    const actor: SystemActor = { kind: 'system', requestId: null };
    const due = await db.selectFrom('case_consultations').select('id').where('state', '=', 'closed').where('delete_after', '<=', now).limit(500).execute();
    let purged = 0;
    for (const { id } of due) {
      const done = await db.transaction().execute(async (trx) => {
        const row = await consultationRow(trx, id, true);
        if (row?.state !== 'closed' || !row.delete_after || row.delete_after > now) return false;
        const official = await trx.selectFrom('case_consultation_reasonings').select('consultation_id').where('consultation_id', '=', id).executeTakeFirst();
        await trx
          .insertInto('case_consultation_statistics')
          .values({
            month: amsterdamDate(row.started_at).slice(0, 7),
            anonymous: row.kind === 'anonymous',
            basis: row.basis,
            official_consulted: official !== undefined,
          })
          .execute();
        await trx.deleteFrom('case_consultations').where('id', '=', id).execute();
        await audit.record(trx, now, { type: 'case_consultation.purged', actor, subjectKey: row.person_key, resource: { type: 'case_consultation', id } });
        return true;
      });
      if (done) purged++;
    }
    return purged;
  }

  /** Per month of the start: consultations, with consent, anonymous, without consent with an official consulted; small cells suppressed. */
  async function figures(actor: StaffActor, period: { from: IsoDate; to: IsoDate }) {
    if (!actor.roles.includes('municipality_admin') && !actor.roles.includes('escalation_officer')) throw forbidden("This is for the municipality's staff.");
    if (period.from > period.to) throw invalidInput([{ name: 'to', code: 'before_from', reason: 'The period ends on or after its start.' }]);
    const rows = await figureRows(db, {
      from: startOfAmsterdamDay(period.from),
      to: new Date(startOfAmsterdamDay(addDaysToIsoDate(period.to, 1)).getTime() - 1),
      fromMonth: period.from.slice(0, 7),
      toMonth: period.to.slice(0, 7),
    });
    await audit.record(db, clock.now(), { type: 'case_consultation.figures_read', actor, details: { from: period.from, to: period.to } });
    return consultationFigures(rows);
  }

  return {
    start,
    get,
    list,
    openCounts,
    matchCandidates,
    changeChair,
    addParticipant,
    addParticipantByEmail,
    removeParticipant,
    signDeclaration,
    decline,
    recordConsent,
    recordReasoning,
    recordInforming,
    recordSharing,
    planMeeting,
    recordAttendance,
    addActionPoint,
    completeActionPoint,
    identify,
    close,
    purgeDue,
    figures,
  };
}
