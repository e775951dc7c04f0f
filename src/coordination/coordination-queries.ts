/**
 * The reads coordination is built from: the open match, its participants, its coordination row
 * and history, the view a participant or the officer sees, the officer's work list, the timers'
 * candidates and the follow-up rows. No authorisation and no audit: the service does both.
 */
import { type Kysely, sql } from 'kysely';
import type { DB, MatchKind } from '../db/schema.ts';
import { selectParticipants } from '../matches/participants.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import type { IsoDate } from '../shared/calendar.ts';
import { isUuid } from '../shared/ids.ts';
import {
  type Coordination,
  escalationCutoff,
  type FollowUpMatch,
  fittingReasons,
  OPEN,
  type ParticipantFacts,
  proposedCoordinator,
  stallCutoff,
  stalledReason,
  TIMED_STATES,
  type TimerFacts,
  type TimerSettings,
  workListOrder,
} from './coordination-rules.ts';
import type { CoordinationView, HistoryEntry, Participant, WorkItem } from './coordination-types.ts';

/** An open match; `person_key` is its key (the person's, or for a family match the parent's: see `kind`). */
export type OpenMatch = { id: string; person_key: Uint8Array; kind: MatchKind; created_at: Date };
export type StoredCoordination = Coordination & { stateSince: Date };

/** The match, while it is open; undefined for anything else (also for a malformed id). */
export async function openMatch(trx: Kysely<DB>, matchId: string): Promise<OpenMatch | undefined> {
  if (!isUuid(matchId)) return undefined;
  return trx.selectFrom('matches').select(['id', 'person_key', 'kind', 'created_at']).where('id', '=', matchId).where('status', '=', 'open').executeTakeFirst();
}

/** The actor's active signal taking part in this match, if any. */
export async function signalInMatch(trx: Kysely<DB>, matchId: string, actor: ProfessionalActor): Promise<string | undefined> {
  const row = await trx
    .selectFrom('match_participants as mp')
    .innerJoin('signals as s', 's.id', 'mp.signal_id')
    .select('s.id')
    .where('mp.match_id', '=', matchId)
    .where('mp.left_at', 'is', null)
    .where('s.status', '=', 'active')
    .where('s.professional_id', '=', actor.professionalId)
    .where('s.organisation_id', '=', actor.organisationId)
    .executeTakeFirst();
  return row?.id;
}

/**
 * The current participants, with their organisation's domains, whether its covenant lets them take
 * coordination on `today` (an active, started covenant that says so), and the contact they recorded.
 */
export async function participantsOf(trx: Kysely<DB>, matchId: string, today: IsoDate): Promise<Participant[]> {
  const rows = await selectParticipants(trx)
    .innerJoin('organisations as o', 'o.id', 'pd.organisation_id')
    .leftJoin('match_contacts as c', (join) => join.onRef('c.match_id', '=', 'pd.match_id').onRef('c.signal_id', '=', 'pd.signal_id'))
    .select((eb) => [
      'o.domains',
      'c.contacted_on as contactedOn',
      eb
        .exists(
          eb
            .selectFrom('covenants as cv')
            .whereRef('cv.organisation_id', '=', 'pd.organisation_id')
            .where('cv.status', '=', 'active')
            .where('cv.starts_on', '<=', today)
            .where('cv.may_coordinate', '=', true)
            .select(sql`1`.as('one')),
        )
        .as('mayCoordinate'),
    ])
    .where('pd.match_id', '=', matchId)
    .execute();
  return rows.map(({ matchId: _match, ...r }) => ({
    ...r,
    domains: r.domains as string[],
    contactedOn: r.contactedOn ?? null,
    mayCoordinate: Boolean(r.mayCoordinate),
  }));
}

/** The rules' view of the participants: whether each may coordinate and has recorded contact. */
export const participantFacts = (participants: readonly Participant[]): ParticipantFacts[] =>
  participants.map((p) => ({ signalId: p.signalId, mayCoordinate: p.mayCoordinate, contacted: p.contactedOn !== null }));

/** The coordination row of a match, if it has left `open` once. */
export async function storedCoordination(trx: Kysely<DB>, matchId: string): Promise<StoredCoordination | undefined> {
  const row = await trx.selectFrom('coordinations').selectAll().where('match_id', '=', matchId).executeTakeFirst();
  if (!row) return undefined;
  return {
    state: row.state,
    coordinatorSignalId: row.coordinator_signal_id,
    proposedSignalId: row.proposed_signal_id,
    escalationReason: row.escalation_reason,
    outcome: row.outcome,
    stateSince: row.state_since,
  };
}

/** The coordination of a match: its row, or open since the match was made. */
export async function coordinationOf(trx: Kysely<DB>, match: { id: string; created_at: Date }): Promise<StoredCoordination> {
  return (await storedCoordination(trx, match.id)) ?? { ...OPEN, stateSince: match.created_at };
}

/** Whether the match was ever escalated (the officer may read it for good then). */
export async function wasEscalated(trx: Kysely<DB>, matchId: string): Promise<boolean> {
  const row = await trx.selectFrom('coordinations').select('escalated_at').where('match_id', '=', matchId).executeTakeFirst();
  return Boolean(row?.escalated_at);
}

/** The transitions, oldest first, with the names of who did it, who coordinated after it and whom it concerned. */
export async function historyOf(trx: Kysely<DB>, matchId: string): Promise<HistoryEntry[]> {
  const rows = await trx
    .selectFrom('coordination_transitions as t')
    .leftJoin('professionals as ap', (join) => join.onRef('ap.id', '=', 't.actor_id').on('t.actor_type', '=', 'professional'))
    .leftJoin('organisations as ao', 'ao.id', 'ap.organisation_id')
    .leftJoin('signals as cs', 'cs.id', 't.coordinator_signal_id')
    .leftJoin('professionals as cp', 'cp.id', 'cs.professional_id')
    .leftJoin('signals as ss', 'ss.id', 't.subject_signal_id')
    .leftJoin('professionals as sp', 'sp.id', 'ss.professional_id')
    .select([
      't.occurred_at',
      't.action',
      't.from_state',
      't.to_state',
      't.actor_type',
      'ap.name as actorName',
      'ao.name as actorOrganisation',
      'cp.name as coordinatorName',
      'sp.name as subjectName',
      't.category',
      't.contacted_on',
    ])
    .where('t.match_id', '=', matchId)
    .orderBy('t.occurred_at')
    .orderBy('t.id')
    .execute();
  return rows.map((r) => {
    const professional = r.actor_type === 'professional';
    return {
      occurredAt: r.occurred_at,
      action: r.action,
      fromState: r.from_state,
      toState: r.to_state,
      actorKind: professional || r.actor_type === 'staff' ? r.actor_type : 'system',
      actorName: professional ? (r.actorName ?? null) : null,
      actorOrganisation: professional ? (r.actorOrganisation ?? null) : null,
      coordinator: r.coordinatorName ?? null,
      subject: r.subjectName ?? null,
      category: r.category,
      contactedOn: r.contacted_on ?? null,
    };
  });
}

/**
 * Everything one match's coordination page shows: the domain priority proposes a coordinator (among
 * those who may) while nobody coordinates, and the escalation reasons that fit the match now.
 */
export async function coordinationView(
  trx: Kysely<DB>,
  match: { id: string; created_at: Date },
  domainPriority: readonly string[],
  today: IsoDate,
): Promise<CoordinationView> {
  const coordination = await coordinationOf(trx, match);
  const participants = await participantsOf(trx, match.id, today);
  const history = await historyOf(trx, match.id);
  const proposedByRule = coordination.coordinatorSignalId
    ? null
    : proposedCoordinator(
        participants.map((p) => ({ signalId: p.signalId, domains: p.domains, since: p.since, mayCoordinate: p.mayCoordinate })),
        domainPriority,
      );
  const escalationReasons = fittingReasons(coordination, participantFacts(participants));
  return { ...coordination, matchId: match.id, matchCreatedAt: match.created_at, participants, proposedByRule, escalationReasons, history };
}

/**
 * The hand-overs offered to the professional's active signals in open matches, newest offer first
 * (at most `limit`): the match, their signal, since when, and who offers it. Only ids, times and
 * the coordinator's name; the service audits the reading.
 */
export async function pendingHandoversOf(executor: Kysely<DB>, actor: ProfessionalActor, limit: number): Promise<PendingHandoverRow[]> {
  return executor
    .selectFrom('coordinations as c')
    .innerJoin('signals as s', 's.id', 'c.proposed_signal_id')
    .innerJoin('matches as m', 'm.id', 'c.match_id')
    .innerJoin('match_participants as mp', (join) => join.onRef('mp.match_id', '=', 'c.match_id').onRef('mp.signal_id', '=', 's.id'))
    .leftJoin('signals as cs', 'cs.id', 'c.coordinator_signal_id')
    .leftJoin('professionals as cp', 'cp.id', 'cs.professional_id')
    .leftJoin('organisations as co', 'co.id', 'cs.organisation_id')
    .select([
      'c.match_id as matchId',
      's.id as signalId',
      'c.person_key as personKey',
      'c.state_since as offeredAt',
      'cp.name as coordinatorName',
      'co.name as coordinatorOrganisation',
    ])
    .where('c.state', '=', 'handover_proposed')
    .where('s.professional_id', '=', actor.professionalId)
    .where('s.organisation_id', '=', actor.organisationId)
    .where('s.status', '=', 'active')
    .where('m.status', '=', 'open')
    .where('mp.left_at', 'is', null)
    .orderBy('c.state_since', 'desc')
    .orderBy('c.match_id')
    .limit(limit)
    .execute();
}

export type PendingHandoverRow = {
  matchId: string;
  signalId: string;
  personKey: Uint8Array;
  offeredAt: Date;
  coordinatorName: string | null;
  coordinatorOrganisation: string | null;
};

// ------------------------------------------------------------------------------------------------
// The timers' facts: open matches, their coordination state, and how many participants lack contact.

function openMatchesWithTimerFacts(executor: Kysely<DB>) {
  return executor
    .selectFrom('matches as m')
    .leftJoin('coordinations as c', 'c.match_id', 'm.id')
    .select((eb) => [
      'm.id',
      'm.created_at',
      'c.state',
      'c.state_since',
      eb
        .selectFrom('match_participants as mp')
        .whereRef('mp.match_id', '=', 'm.id')
        .where('mp.left_at', 'is', null)
        .where(({ not, exists, selectFrom }) =>
          not(
            exists(
              selectFrom('match_contacts as mc')
                .whereRef('mc.match_id', '=', 'mp.match_id')
                .whereRef('mc.signal_id', '=', 'mp.signal_id')
                .select(sql`1`.as('one')),
            ),
          ),
        )
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('without_contact'),
    ])
    .where('m.status', '=', 'open');
}

const timerFacts = (r: { created_at: Date; state: Coordination['state'] | null; state_since: Date | null; without_contact: string | null }): TimerFacts => ({
  state: r.state ?? 'open',
  matchCreatedAt: r.created_at,
  stateSince: r.state_since ?? r.created_at,
  withoutContact: Number(r.without_contact),
});

/** The open matches a timer may escalate (the rules decide which are due), with their facts. */
export async function escalationCandidates(executor: Kysely<DB>, settings: TimerSettings, now: Date): Promise<(TimerFacts & { matchId: string })[]> {
  const rows = await openMatchesWithTimerFacts(executor)
    .where((eb) => eb.or([eb('c.state', 'is', null), eb('c.state', 'in', TIMED_STATES)]))
    .where('m.created_at', '<', escalationCutoff(settings, now))
    .execute();
  return rows.map((r) => ({ matchId: r.id, ...timerFacts(r) }));
}

/**
 * The escalated matches and the stalled ones (past half of a timer's term), in work-list order; one
 * match when `onlyMatchId` is given. All of them: the database narrows to matches that are escalated
 * or could have stalled (old enough, in a timed state, without a coordinator or with someone
 * without contact), and the rules decide; nothing is cut off.
 */
export async function workItems(executor: Kysely<DB>, settings: TimerSettings, now: Date, onlyMatchId?: string): Promise<WorkItem[]> {
  const cutoff = stallCutoff(settings, now);
  let query = openMatchesWithTimerFacts(executor)
    .leftJoin('signals as cs', 'cs.id', 'c.coordinator_signal_id')
    .leftJoin('professionals as cp', 'cp.id', 'cs.professional_id')
    .select((eb) => [
      'c.escalation_reason',
      'c.escalated_at',
      'cp.name as coordinatorName',
      eb
        .selectFrom('match_participants as mp')
        .whereRef('mp.match_id', '=', 'm.id')
        .where('mp.left_at', 'is', null)
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('participants'),
    ])
    .where((eb) => {
      const escalated = eb('c.state', '=', 'escalated');
      if (!cutoff) return escalated;
      const timed = eb.or([eb('c.state', 'is', null), eb('c.state', 'in', TIMED_STATES)]);
      const nobodyCoordinates = eb.or([eb('c.state', 'is', null), eb('c.state', '=', 'open')]);
      const someoneWithoutContact = eb.exists(
        eb
          .selectFrom('match_participants as wp')
          .whereRef('wp.match_id', '=', 'm.id')
          .where('wp.left_at', 'is', null)
          .where(({ not, exists, selectFrom }) =>
            not(
              exists(
                selectFrom('match_contacts as wc')
                  .whereRef('wc.match_id', '=', 'wp.match_id')
                  .whereRef('wc.signal_id', '=', 'wp.signal_id')
                  .select(sql`1`.as('one')),
              ),
            ),
          )
          .select(sql`1`.as('one')),
      );
      return eb.or([escalated, eb.and([timed, eb('m.created_at', '<', cutoff), eb.or([nobodyCoordinates, someoneWithoutContact])])]);
    })
    .orderBy('m.created_at');
  if (onlyMatchId) query = query.where('m.id', '=', onlyMatchId);
  const items: WorkItem[] = [];
  for (const r of await query.execute()) {
    const facts = timerFacts(r);
    const stalled = stalledReason(facts, settings, now);
    if (facts.state !== 'escalated' && !stalled) continue;
    items.push({
      matchId: r.id,
      matchCreatedAt: r.created_at,
      state: facts.state,
      escalationReason: r.escalation_reason ?? null,
      escalatedAt: r.escalated_at ?? null,
      stalled,
      participants: Number(r.participants),
      coordinator: r.coordinatorName ?? null,
    });
  }
  return items.sort(workListOrder);
}

/** The matches made in a period, with their first coordinator, first contact and number of escalations. */
export async function followUpMatches(executor: Kysely<DB>, period: { from: Date; to: Date }): Promise<FollowUpMatch[]> {
  const rows = await executor
    .selectFrom('matches as m')
    .select((eb) => [
      'm.created_at',
      eb
        .selectFrom('coordination_transitions as t')
        .whereRef('t.match_id', '=', 'm.id')
        .where('t.action', 'in', ['take', 'accept_handover', 'appoint'])
        .select((e) => e.fn.min('t.occurred_at').as('first'))
        .as('first_coordinator'),
      eb
        .selectFrom('match_contacts as mc')
        .whereRef('mc.match_id', '=', 'm.id')
        .select((e) => e.fn.min('mc.contacted_on').as('first'))
        .as('first_contact'),
      eb
        .selectFrom('coordination_transitions as t')
        .whereRef('t.match_id', '=', 'm.id')
        .where('t.action', '=', 'escalate')
        .select((e) => e.fn.countAll<string>().as('n'))
        .as('escalations'),
    ])
    .where('m.created_at', '>=', period.from)
    .where('m.created_at', '<=', period.to)
    .execute();
  return rows.map((r) => ({
    createdAt: r.created_at,
    // The subqueries' min() is not typed by Kysely: normalise to an instant and a date.
    firstCoordinatorAt: r.first_coordinator ? new Date(r.first_coordinator as unknown as string) : null,
    firstContactOn: r.first_contact ? (String(r.first_contact).slice(0, 10) as IsoDate) : null,
    escalations: Number(r.escalations),
  }));
}
