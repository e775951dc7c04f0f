/**
 * The reads of case consultations. They authorise nothing: the service calls them for
 * consultations the actor takes part in, inside its transaction.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PersonName } from '../signals/signal-schemas.ts';
import type { ConsentFacts, DataCategory, InformingMethod, NotYetInformedReason, Party, Reasoning, WeighingQuestion } from './case-consultation-rules.ts';

export type ConsultationRow = Awaited<ReturnType<typeof consultationRow>> & {};

/** The consultation row, locked for update when asked (every change takes the lock, so changes on one consultation are serial). */
export function consultationRow(trx: Kysely<DB>, id: string, lock = false) {
  let query = trx
    .selectFrom('case_consultations as c')
    .leftJoin('signals as s', 's.id', 'c.signal_id')
    .select([
      'c.id',
      'c.kind',
      'c.purpose',
      'c.consultation_on',
      'c.initiator_professional_id',
      'c.initiator_organisation_id',
      'c.state',
      'c.person_key',
      'c.signal_id',
      'c.match_id',
      'c.basis',
      'c.started_at',
      'c.identified_at',
      'c.closed_at',
      'c.outcome',
      'c.delete_after',
      's.person_date_of_birth as date_of_birth',
      's.person_details',
    ])
    .where('c.id', '=', id);
  if (lock) query = query.forUpdate('c');
  return query.executeTakeFirst();
}

export type ParticipantRow = Awaited<ReturnType<typeof participantRows>>[number];

/** Everyone who was ever added, with their professional's contact details, in the order they were added. */
export function participantRows(trx: Kysely<DB>, consultationId: string) {
  return trx
    .selectFrom('case_consultation_participants as cp')
    .innerJoin('professionals as p', 'p.id', 'cp.professional_id')
    .innerJoin('organisations as o', 'o.id', 'cp.organisation_id')
    .select([
      'cp.id',
      'cp.professional_id',
      'cp.organisation_id',
      'cp.source',
      'cp.legal_task',
      'cp.state',
      'cp.is_chair',
      'cp.declaration_signed_at',
      'cp.added_at',
      'cp.left_at',
      'p.name as professional_name',
      'p.job_title',
      'p.phone',
      'p.email',
      'o.name as organisation_name',
    ])
    .where('cp.consultation_id', '=', consultationId)
    .orderBy('cp.added_at')
    .orderBy('cp.id')
    .execute();
}

export async function consentFacts(trx: Kysely<DB>, consultationId: string) {
  const rows = await trx.selectFrom('case_consultation_consents').selectAll().where('consultation_id', '=', consultationId).orderBy('recorded_at').execute();
  return rows.map((r) => ({
    id: r.id,
    givenBy: r.given_by as Party,
    givenOn: r.given_on,
    method: r.method as ConsentFacts['method'],
    categories: r.categories as DataCategory[],
    participantIds: r.participant_ids,
    recordedAt: r.recorded_at,
  }));
}

/** The reasoning as recorded: every answer is there (the service refuses an incomplete one). */
export type RecordedReasoning = Omit<Reasoning, 'answers'> & { answers: Record<WeighingQuestion, string>; recordedAt: Date };

export async function reasoningOf(trx: Kysely<DB>, consultationId: string): Promise<RecordedReasoning | null> {
  const row = await trx.selectFrom('case_consultation_reasonings').selectAll().where('consultation_id', '=', consultationId).executeTakeFirst();
  if (!row) return null;
  return {
    noConsentReason: row.no_consent_reason as Reasoning['noConsentReason'],
    noConsentExplanation: row.no_consent_explanation,
    ground: row.ground as Reasoning['ground'],
    answers: (typeof row.answers === 'string' ? JSON.parse(row.answers) : row.answers) as Record<WeighingQuestion, string>,
    vitalInterestMotivation: row.vital_interest_motivation,
    officialConsulted: row.official_consulted,
    officialConsultedOn: row.official_consulted_on,
    recordedAt: row.recorded_at,
  };
}

export async function informingsOf(trx: Kysely<DB>, consultationId: string) {
  const rows = await trx.selectFrom('case_consultation_informings').selectAll().where('consultation_id', '=', consultationId).orderBy('informed_on').execute();
  return rows.map((r) => ({
    id: r.id,
    informed: r.informed as Party[],
    informedOn: r.informed_on,
    method: r.method as InformingMethod,
    recordedAt: r.recorded_at,
  }));
}

export async function sharingsOf(trx: Kysely<DB>, consultationId: string) {
  const rows = await trx.selectFrom('case_consultation_sharings').selectAll().where('consultation_id', '=', consultationId).orderBy('recorded_at').execute();
  return rows.map((r) => ({
    id: r.id,
    participantId: r.participant_id,
    category: r.category as DataCategory,
    purpose: r.purpose,
    ground: r.ground,
    sharedOn: r.shared_on,
    clientInformedOn: r.client_informed_on,
    notYetInformedReason: r.not_yet_informed_reason as NotYetInformedReason | null,
    recordedAt: r.recorded_at,
  }));
}

export async function meetingsOf(trx: Kysely<DB>, consultationId: string) {
  const rows = await trx
    .selectFrom('case_consultation_meetings')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .orderBy('held_on')
    .orderBy('id')
    .execute();
  return rows.map((r) => ({ id: r.id, heldOn: r.held_on, attendeeIds: r.attendee_ids, plannedAt: r.planned_at }));
}

export async function actionPointsOf(trx: Kysely<DB>, consultationId: string) {
  const rows = await trx
    .selectFrom('case_consultation_action_points')
    .selectAll()
    .where('consultation_id', '=', consultationId)
    .orderBy('due_on')
    .orderBy('created_at')
    .execute();
  return rows.map((r) => ({
    id: r.id,
    meetingId: r.meeting_id,
    description: r.description,
    assigneeId: r.assignee_participant_id,
    dueOn: r.due_on,
    doneAt: r.done_at,
    createdAt: r.created_at,
  }));
}

/** The actor's own active signal, as the link of an identifying consultation: by its id, or their signal in an open match. */
export async function initiatorSignal(trx: Kysely<DB>, professionalId: string, link: { signalId: string } | { matchId: string }) {
  if ('signalId' in link) {
    const row = await trx
      .selectFrom('signals')
      .select(['id', 'person_key'])
      .where('id', '=', link.signalId)
      .where('professional_id', '=', professionalId)
      .where('status', '=', 'active')
      .executeTakeFirst();
    return row && { signalId: row.id, personKey: row.person_key, matchId: null };
  }
  const row = await trx
    .selectFrom('match_participant_details as pd')
    .innerJoin('matches as m', 'm.id', 'pd.match_id')
    .select(['pd.signal_id', 'm.person_key', 'm.id'])
    .where('pd.match_id', '=', link.matchId)
    .where('pd.professional_id', '=', professionalId)
    .where('m.status', '=', 'open')
    // A person match only: a family or address match is keyed on a parent or an address, and a
    // consultation on one would name a person to professionals who must not learn who it is.
    .where('m.kind', '=', 'person')
    .executeTakeFirst();
  return row && { signalId: row.signal_id, personKey: row.person_key, matchId: row.id };
}

/** Whether the professional has a current signal in the match (so they take part in it). */
export async function inMatch(trx: Kysely<DB>, matchId: string | null, professionalId: string): Promise<boolean> {
  if (!matchId) return false;
  const row = await trx
    .selectFrom('match_participant_details')
    .select('signal_id')
    .where('match_id', '=', matchId)
    .where('professional_id', '=', professionalId)
    .executeTakeFirst();
  return row !== undefined;
}

/** The professional with this e-mail address (any case), if there is one; whether they may take part is covenantProfessional's question. */
export async function professionalIdByEmail(trx: Kysely<DB>, email: string): Promise<string | undefined> {
  const row = await trx
    .selectFrom('professionals')
    .select('id')
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .where('active', '=', true)
    .orderBy('id')
    .executeTakeFirst();
  return row?.id;
}

/** An active professional of an organisation whose covenant is active today. */
export async function covenantProfessional(trx: Kysely<DB>, professionalId: string, today: string) {
  return trx
    .selectFrom('professionals as p')
    .select(['p.id', 'p.organisation_id'])
    .where('p.id', '=', professionalId)
    .where('p.active', '=', true)
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('covenants as c')
          .select('c.id')
          .whereRef('c.organisation_id', '=', 'p.organisation_id')
          .where('c.status', '=', 'active')
          .where('c.starts_on', '<=', today),
      ),
    )
    .executeTakeFirst();
}

/** The consultations the professional takes part in (invited or active), newest first. */
export function consultationsOf(trx: Kysely<DB>, professionalId: string) {
  return trx
    .selectFrom('case_consultation_participants as cp')
    .innerJoin('case_consultations as c', 'c.id', 'cp.consultation_id')
    .select([
      'c.id',
      'c.kind',
      'c.state',
      'c.purpose',
      'c.consultation_on',
      'c.started_at',
      'c.closed_at',
      'c.outcome',
      'cp.source',
      'cp.state as participant_state',
      'cp.is_chair',
    ])
    .where('cp.professional_id', '=', professionalId)
    .where('cp.state', 'in', ['invited', 'active'])
    .orderBy('c.started_at', 'desc')
    .orderBy('c.id')
    .execute();
}

/** The rows the municipality's figures count, in a period: consultations still held, and the statistics of deleted ones. */
export async function figureRows(trx: Kysely<DB>, period: { from: Date; to: Date; fromMonth: string; toMonth: string }) {
  const live = await sql<{ month: string; anonymous: boolean; basis: 'consent' | 'without_consent' | null; official_consulted: boolean }>`
    select to_char(c.started_at at time zone 'Europe/Amsterdam', 'YYYY-MM') as month, c.kind = 'anonymous' as anonymous, c.basis,
           exists (select from case_consultation_reasonings r where r.consultation_id = c.id) as official_consulted
      from case_consultations c
     where c.started_at >= ${period.from} and c.started_at <= ${period.to}`.execute(trx);
  const kept = await trx
    .selectFrom('case_consultation_statistics')
    .selectAll()
    .where('month', '>=', period.fromMonth)
    .where('month', '<=', period.toMonth)
    .execute();
  return [...live.rows, ...kept].map((r) => ({ month: r.month, anonymous: r.anonymous, basis: r.basis, officialConsulted: r.official_consulted }));
}

export type PersonOfSignal = { name: PersonName; dateOfBirth: string };
