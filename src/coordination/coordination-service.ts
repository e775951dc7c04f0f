/**
 * Coordination after a match: reading it (participants, who coordinates, contact made, history),
 * acting on it (the transitions of coordination-rules.ts), recording contact, the escalation
 * timers, the escalation officer's work list and actions, and the follow-up figures.
 *
 * Every change runs under the person's lock (the same one filing and ending take), writes the
 * coordination row, a transition record, an audit event and — for the others who must know — an
 * outbox record (coordination.changed: mail, webhook, feed), in one transaction.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { selectParticipants } from '../matches/participants.ts';
import { lockPerson } from '../persons/person-lock.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { addDaysToIsoDate, amsterdamDate, type IsoDate, startOfAmsterdamDay } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, notFound, Problem } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import {
  allowedActions,
  type Coordination,
  type CoordinationAction,
  type EscalationReason,
  median,
  OPEN,
  type Outcome,
  PARTICIPANT_ACTIONS,
  proposedCoordinator,
  type Standing,
  suppressed,
  type TransitionRefusal,
  transition,
  workingDaysPassed,
} from './coordination-rules.ts';
import type { CoordinationView, HistoryEntry, Participant, ProfessionalCoordinationView, WorkItem } from './coordination-types.ts';

export type { CoordinationView, HistoryEntry, Participant, ProfessionalCoordinationView, WorkItem } from './coordination-types.ts';

const refusalProblem = (refusal: TransitionRefusal) =>
  new Problem(
    refusal === 'standing' ? 403 : 409,
    `coordination_${refusal}`,
    refusal === 'standing' ? 'Forbidden' : 'Conflict',
    {
      state: "This is not possible in the coordination's current state.",
      standing: "You may not do this in this match's coordination.",
      target: 'Choose another current participant of this match.',
      reason: 'Choose a reason category.',
      outcome: 'Choose an outcome.',
      has_coordinator: 'Someone already coordinates this match.',
    }[refusal],
  );

export type CoordinationService = ReturnType<typeof createCoordinationService>;

export function createCoordinationService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; settings: SettingsService; onOutbox?: () => void }) {
  const { db, clock, audit, settings } = deps;

  async function matchOf(trx: Kysely<DB>, matchId: string) {
    if (!isUuid(matchId)) return undefined;
    return trx
      .selectFrom('matches')
      .select(['id', 'person_key', 'created_at', 'status'])
      .where('id', '=', matchId)
      .where('status', '=', 'open')
      .executeTakeFirst();
  }

  async function participantsOf(trx: Kysely<DB>, matchId: string): Promise<Participant[]> {
    const rows = await selectParticipants(trx)
      .innerJoin('organisations as o', 'o.id', 'pd.organisation_id')
      .leftJoin('match_contacts as c', (join) => join.onRef('c.match_id', '=', 'pd.match_id').onRef('c.signal_id', '=', 'pd.signal_id'))
      .select(['o.domains', 'c.contacted_on as contactedOn'])
      .where('pd.match_id', '=', matchId)
      .execute();
    return rows.map(({ matchId: _match, ...r }) => ({ ...r, domains: r.domains as string[], contactedOn: r.contactedOn ?? null }));
  }

  async function coordinationOf(trx: Kysely<DB>, matchId: string, createdAt: Date): Promise<Coordination & { stateSince: Date }> {
    const row = await trx.selectFrom('coordinations').selectAll().where('match_id', '=', matchId).executeTakeFirst();
    if (!row) return { ...OPEN, stateSince: createdAt };
    return {
      state: row.state,
      coordinatorSignalId: row.coordinator_signal_id,
      proposedSignalId: row.proposed_signal_id,
      escalationReason: row.escalation_reason,
      outcome: row.outcome,
      stateSince: row.state_since,
    };
  }

  async function historyOf(trx: Kysely<DB>, matchId: string): Promise<HistoryEntry[]> {
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
      ])
      .where('t.match_id', '=', matchId)
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
      };
    });
  }

  async function view(trx: Kysely<DB>, match: { id: string; created_at: Date }): Promise<CoordinationView> {
    const [coordination, participants, history, current] = [
      await coordinationOf(trx, match.id, match.created_at),
      await participantsOf(trx, match.id),
      await historyOf(trx, match.id),
      await settings.current(),
    ];
    const proposedByRule = coordination.coordinatorSignalId
      ? null
      : proposedCoordinator(
          participants.map((p) => ({ signalId: p.signalId, domains: p.domains, since: p.since })),
          current.coordinatorDomainPriority,
        );
    return { ...coordination, matchId: match.id, matchCreatedAt: match.created_at, participants, proposedByRule, history };
  }

  /** The "not found" problems participation() throws, so that the caller can audit them once the transaction has rolled back. */
  const notParticipating = new WeakSet<Problem>();

  /** The actor's signal in this open match, or "not found" (the same as for a match that does not exist). */
  async function participation(trx: Kysely<DB>, actor: ProfessionalActor, matchId: string) {
    const match = await matchOf(trx, matchId);
    const mine =
      match &&
      (await trx
        .selectFrom('match_participants as mp')
        .innerJoin('signals as s', 's.id', 'mp.signal_id')
        .select('s.id')
        .where('mp.match_id', '=', match.id)
        .where('mp.left_at', 'is', null)
        .where('s.status', '=', 'active')
        .where('s.professional_id', '=', actor.professionalId)
        .where('s.organisation_id', '=', actor.organisationId)
        .executeTakeFirst());
    if (!match || !mine) {
      const problem = notFound('match');
      notParticipating.add(problem);
      throw problem;
    }
    return { match, signalId: mine.id };
  }

  /**
   * Runs a professional's work in a transaction. A refusal because they do not take part is audited
   * (outcome not_found) after the rollback; written inside the transaction, the record would be lost with it.
   */
  async function asParticipant<T>(actor: ProfessionalActor, matchId: string, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
    try {
      return await db.transaction().execute(work);
    } catch (error) {
      if (error instanceof Problem && notParticipating.has(error)) {
        await audit.record(db, clock.now(), { type: 'coordination.read', outcome: 'not_found', actor, resource: { type: 'match', id: matchId } });
      }
      throw error;
    }
  }

  const standingOf = (coordination: Coordination, signalId: string): Standing =>
    coordination.coordinatorSignalId === signalId ? 'coordinator' : coordination.proposedSignalId === signalId ? 'proposed' : 'participant';

  /**
   * Applies a transition and writes everything it implies. `by` is the standing already established;
   * `actor` is recorded. Returns the new view.
   */
  async function apply(
    trx: Kysely<DB>,
    input: {
      match: { id: string; person_key: Uint8Array; created_at: Date };
      actor: ProfessionalActor | StaffActor | { kind: 'system'; requestId: string | null };
      by: Standing;
      action: CoordinationAction;
      actorSignalId?: string;
      targetSignalId?: string;
      reason?: EscalationReason;
      outcome?: Outcome;
      now: Date;
    },
  ) {
    const { match, now } = input;
    const before = await coordinationOf(trx, match.id, match.created_at);
    const participants = await participantsOf(trx, match.id);
    const result = transition(before, {
      action: input.action,
      by: input.by,
      participants: participants.map((p) => p.signalId),
      ...(input.actorSignalId && { actorSignalId: input.actorSignalId }),
      ...(input.targetSignalId && { targetSignalId: input.targetSignalId }),
      ...(input.reason && { reason: input.reason }),
      ...(input.outcome && { outcome: input.outcome }),
    });
    if (!result.ok) throw refusalProblem(result.refusal);
    const next = result.next;
    const escalating = input.action === 'escalate';
    const row = {
      person_key: match.person_key,
      state: next.state,
      coordinator_signal_id: next.coordinatorSignalId,
      proposed_signal_id: next.proposedSignalId,
      escalation_reason: next.escalationReason,
      outcome: next.outcome,
      updated_at: now,
      state_since: next.state !== before.state ? now : before.stateSince,
      ...(escalating && { escalated_at: now, escalated_by: input.by === 'system' ? ('timer' as const) : ('participant' as const) }),
    };
    await trx
      .insertInto('coordinations')
      .values({ match_id: match.id, ...row, escalated_at: row.escalated_at ?? null, escalated_by: row.escalated_by ?? null })
      .onConflict((oc) => oc.column('match_id').doUpdateSet(row))
      .execute();
    const actorType = input.actor.kind === 'professional' ? ('professional' as const) : input.actor.kind === 'staff' ? ('staff' as const) : ('system' as const);
    const actorId = input.actor.kind === 'professional' ? input.actor.professionalId : input.actor.kind === 'staff' ? input.actor.staffMemberId : null;
    const category = input.reason ?? input.outcome ?? null;
    await trx
      .insertInto('coordination_transitions')
      .values({
        match_id: match.id,
        person_key: match.person_key,
        occurred_at: now,
        action: input.action,
        from_state: before.state,
        to_state: next.state,
        actor_type: actorType,
        actor_id: actorId,
        coordinator_signal_id: next.coordinatorSignalId,
        subject_signal_id: input.targetSignalId ?? (input.action === 'accept_handover' || input.action === 'decline_handover' ? before.proposedSignalId : null),
        category,
      })
      .execute();
    // Everyone but the one who acted hears of it.
    const recipients = participants.filter(
      (p) => p.signalId !== input.actorSignalId && !(input.actor.kind === 'professional' && p.professionalId === input.actor.professionalId),
    );
    if (recipients.length > 0) {
      await trx
        .insertInto('outbox')
        .values(
          recipients.map((p) => ({
            created_at: now,
            event_type: 'coordination.changed' as const,
            recipient_professional_id: p.professionalId,
            organisation_id: p.organisationId,
            payload: JSON.stringify({
              signalId: p.signalId,
              matchId: match.id,
              action: input.action,
              ...(next.coordinatorSignalId && { coordinatorSignalId: next.coordinatorSignalId }),
              ...(category && { reason: category }),
            }),
          })),
        )
        .execute();
    }
    await audit.record(trx, now, {
      type: 'coordination.changed',
      actor: input.actor,
      subjectKey: match.person_key,
      resource: { type: 'match', id: match.id },
      details: { action: input.action, from: before.state, to: next.state, ...(category && { category }) },
    });
    return recipients.length > 0;
  }

  /** The escalated matches and the stalled ones (past half of a timer's period); one match when `onlyMatchId` is given. */
  async function workItems(executor: Kysely<DB>, onlyMatchId?: string): Promise<WorkItem[]> {
    const now = clock.now();
    const current = await settings.current();
    let query = executor
      .selectFrom('matches as m')
      .leftJoin('coordinations as c', 'c.match_id', 'm.id')
      .leftJoin('signals as cs', 'cs.id', 'c.coordinator_signal_id')
      .leftJoin('professionals as cp', 'cp.id', 'cs.professional_id')
      .select((eb) => [
        'm.id',
        'm.created_at',
        'c.state',
        'c.escalation_reason',
        'c.escalated_at',
        'c.state_since',
        'cp.name as coordinatorName',
        eb
          .selectFrom('match_participants as mp')
          .whereRef('mp.match_id', '=', 'm.id')
          .where('mp.left_at', 'is', null)
          .select((e) => e.fn.countAll<string>().as('n'))
          .as('participants'),
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
      .where('m.status', '=', 'open')
      .orderBy('m.created_at')
      .limit(1000);
    if (onlyMatchId) query = query.where('m.id', '=', onlyMatchId);
    const rows = await query.execute();
    const today = amsterdamDate(now);
    const half = (days: number) => Math.max(1, Math.ceil(days / 2));
    const items: WorkItem[] = [];
    for (const r of rows) {
      const state = r.state ?? 'open';
      let stalled: WorkItem['stalled'] = null;
      // Resolved matches stay off the list: the officer has dealt with them, and the timers leave them alone too.
      if (state !== 'escalated' && state !== 'resolved') {
        if (
          state === 'open' &&
          current.escalateNoCoordinatorWorkingDays > 0 &&
          workingDaysPassed(amsterdamDate(r.state_since ?? r.created_at), today, half(current.escalateNoCoordinatorWorkingDays))
        )
          stalled = 'no_coordinator';
        else if (
          Number(r.without_contact) > 0 &&
          current.escalateNoContactWorkingDays > 0 &&
          workingDaysPassed(amsterdamDate(r.created_at), today, half(current.escalateNoContactWorkingDays))
        )
          stalled = 'no_contact';
      }
      if (state === 'escalated' || stalled) {
        items.push({
          matchId: r.id,
          matchCreatedAt: r.created_at,
          state,
          escalationReason: r.escalation_reason ?? null,
          escalatedAt: r.escalated_at ?? null,
          stalled,
          participants: Number(r.participants),
          coordinator: r.coordinatorName ?? null,
        });
      }
    }
    items.sort(
      (a, b) =>
        (a.state === 'escalated' ? 0 : 1) - (b.state === 'escalated' ? 0 : 1) ||
        (a.escalatedAt ?? a.matchCreatedAt).getTime() - (b.escalatedAt ?? b.matchCreatedAt).getTime(),
    );
    return items;
  }

  function requireOfficer(actor: StaffActor) {
    if (!actor.roles.includes('escalation_officer')) throw forbidden("This is for the municipality's escalation officer.");
  }

  return {
    async get(actor: ProfessionalActor, matchId: string): Promise<ProfessionalCoordinationView> {
      return asParticipant(actor, matchId, async (trx) => {
        const { match, signalId } = await participation(trx, actor, matchId);
        const found = await view(trx, match);
        await audit.record(trx, clock.now(), { type: 'coordination.read', actor, subjectKey: match.person_key, resource: { type: 'match', id: match.id } });
        const yourStanding = standingOf(found, signalId);
        return { ...found, yourSignalId: signalId, yourStanding, allowed: allowedActions(found, yourStanding) };
      });
    },

    /** A participant's action: take, propose_handover (targetSignalId), accept/decline/withdraw_handover, escalate (reason). */
    async act(actor: ProfessionalActor, matchId: string, input: { action: CoordinationAction; targetSignalId?: string; reason?: EscalationReason }) {
      if (!(PARTICIPANT_ACTIONS as readonly string[]).includes(input.action)) throw refusalProblem('standing');
      const now = clock.now();
      const wrote = await asParticipant(actor, matchId, async (trx) => {
        const first = await participation(trx, actor, matchId);
        await lockPerson(trx, first.match.person_key);
        const { match, signalId } = await participation(trx, actor, matchId);
        const before = await coordinationOf(trx, match.id, match.created_at);
        return apply(trx, {
          match,
          actor,
          by: standingOf(before, signalId),
          action: input.action,
          actorSignalId: signalId,
          now,
          ...(input.targetSignalId && { targetSignalId: input.targetSignalId }),
          ...(input.reason && { reason: input.reason }),
        });
      });
      if (wrote) deps.onOutbox?.();
      return this.get(actor, matchId);
    },

    /** "Contact gelegd / afgestemd" on a date (not in the future, not before the match). */
    async recordContact(actor: ProfessionalActor, matchId: string, contactedOn: IsoDate) {
      const now = clock.now();
      await asParticipant(actor, matchId, async (trx) => {
        const { match, signalId } = await participation(trx, actor, matchId);
        if (contactedOn > amsterdamDate(now) || contactedOn < amsterdamDate(match.created_at)) {
          throw new Problem(422, 'contact_date_invalid', 'Invalid input', 'The date must lie between the match and today.', [
            { name: 'contactedOn', reason: 'between the match and today', code: 'out_of_range' },
          ]);
        }
        await trx
          .insertInto('match_contacts')
          .values({ match_id: match.id, signal_id: signalId, person_key: match.person_key, contacted_on: contactedOn, recorded_at: now })
          .onConflict((oc) => oc.columns(['match_id', 'signal_id']).doUpdateSet({ contacted_on: contactedOn, recorded_at: now }))
          .execute();
        await audit.record(trx, now, { type: 'coordination.contact_recorded', actor, subjectKey: match.person_key, resource: { type: 'match', id: match.id } });
      });
      return this.get(actor, matchId);
    },

    // --------------------------------------------------------------------------------------------
    // The escalation officer

    async worklist(actor: StaffActor): Promise<WorkItem[]> {
      requireOfficer(actor);
      const items = await workItems(db);
      await audit.record(db, clock.now(), { type: 'coordination.worklist_read', actor, details: { count: items.length } });
      return items;
    },

    /** What the officer may see of one match: participants' contact details and the coordination history, not more. */
    async officerGet(actor: StaffActor, matchId: string): Promise<CoordinationView & { allowed: CoordinationAction[] }> {
      requireOfficer(actor);
      return db.transaction().execute(async (trx) => {
        const match = await matchOf(trx, matchId);
        // Least privilege: only matches that were escalated, or are on the work list as stalled.
        const escalatedOnce =
          match && (await trx.selectFrom('coordinations').select('escalated_at').where('match_id', '=', match.id).executeTakeFirst())?.escalated_at;
        if (!match || (!escalatedOnce && (await workItems(trx, match.id)).length === 0)) throw notFound('match');
        const found = await view(trx, match);
        await audit.record(trx, clock.now(), { type: 'coordination.read', actor, subjectKey: match.person_key, resource: { type: 'match', id: match.id } });
        return { ...found, allowed: allowedActions(found, 'officer') };
      });
    },

    async officerAct(actor: StaffActor, matchId: string, input: { action: 'appoint' | 'resolve'; targetSignalId?: string; outcome?: Outcome }) {
      requireOfficer(actor);
      if (!['appoint', 'resolve'].includes(input.action)) throw refusalProblem('standing');
      const now = clock.now();
      const wrote = await db.transaction().execute(async (trx) => {
        const found = await matchOf(trx, matchId);
        if (!found) throw notFound('match');
        await lockPerson(trx, found.person_key);
        const match = await matchOf(trx, matchId);
        if (!match) throw notFound('match');
        return apply(trx, {
          match,
          actor,
          by: 'officer',
          action: input.action,
          now,
          ...(input.targetSignalId && { targetSignalId: input.targetSignalId }),
          ...(input.outcome && { outcome: input.outcome }),
        });
      });
      if (wrote) deps.onOutbox?.();
      return this.officerGet(actor, matchId);
    },

    // --------------------------------------------------------------------------------------------
    // The timers

    /** Escalates matches without a coordinator, or without contact, for the set number of working days. */
    async escalateDue(): Promise<number> {
      const now = clock.now();
      const current = await settings.current();
      const today = amsterdamDate(now);
      const candidates = await db
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
        .where('m.status', '=', 'open')
        .where((eb) => eb.or([eb('c.state', 'is', null), eb('c.state', 'in', ['open', 'taken', 'handover_proposed'])]))
        // A cheap pre-filter: N working days span at least N calendar days; one day of slack because the terms count Amsterdam dates, not hours.
        .where(
          'm.created_at',
          '<',
          new Date(now.getTime() - (Math.min(current.escalateNoCoordinatorWorkingDays || 999, current.escalateNoContactWorkingDays || 999) - 1) * 86_400_000),
        )
        .execute();
      let escalated = 0;
      for (const c of candidates) {
        const state = c.state ?? 'open';
        const reason: EscalationReason | null =
          state === 'open' &&
          current.escalateNoCoordinatorWorkingDays > 0 &&
          workingDaysPassed(amsterdamDate(c.state_since ?? c.created_at), today, current.escalateNoCoordinatorWorkingDays)
            ? 'no_coordinator'
            : Number(c.without_contact) > 0 &&
                current.escalateNoContactWorkingDays > 0 &&
                workingDaysPassed(amsterdamDate(c.created_at), today, current.escalateNoContactWorkingDays)
              ? 'no_contact'
              : null;
        if (!reason) continue;
        const done = await db.transaction().execute(async (trx) => {
          const found = await matchOf(trx, c.id);
          if (!found) return false;
          await lockPerson(trx, found.person_key);
          const match = await matchOf(trx, c.id);
          const again = match && (await coordinationOf(trx, match.id, match.created_at));
          if (!match || !again || !['open', 'taken', 'handover_proposed'].includes(again.state)) return false;
          await apply(trx, { match, actor: { kind: 'system', requestId: null }, by: 'system', action: 'escalate', reason, now });
          return true;
        });
        if (done) escalated += 1;
      }
      if (escalated > 0) deps.onOutbox?.();
      return escalated;
    },

    // --------------------------------------------------------------------------------------------
    // Follow-up figures for the municipality: no one identifiable, small cells suppressed.

    async followUp(actor: StaffActor, query: { from: IsoDate; to: IsoDate }) {
      if (!actor.roles.includes('municipality_admin') && !actor.roles.includes('escalation_officer')) throw forbidden("This is for the municipality's staff.");
      // Days in Amsterdam time, like the months the matches are counted in; `to` is inclusive.
      const from = startOfAmsterdamDay(query.from);
      const to = new Date(startOfAmsterdamDay(addDaysToIsoDate(query.to, 1)).getTime() - 1);
      const rows = await db
        .selectFrom('matches as m')
        .select((eb) => [
          'm.id',
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
        .where('m.created_at', '>=', from)
        .where('m.created_at', '<=', to)
        .execute();
      const byMonth = new Map<string, typeof rows>();
      for (const r of rows) {
        const month = amsterdamDate(r.created_at).slice(0, 7);
        byMonth.set(month, [...(byMonth.get(month) ?? []), r]);
      }
      const days = (a: Date, b: Date) => Math.max(0, Math.round((b.getTime() - a.getTime()) / 86_400_000));
      const periods = [...byMonth.entries()]
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([month, list]) => {
          const withCoordinator = list.filter((r) => r.first_coordinator);
          const withContact = list.filter((r) => r.first_contact);
          const enough = (values: number[]) => (values.length >= 5 ? median(values) : null);
          return {
            month,
            matches: suppressed(list.length),
            withCoordinator: suppressed(withCoordinator.length),
            withContact: suppressed(withContact.length),
            escalated: suppressed(list.filter((r) => Number(r.escalations) > 0).length),
            medianDaysToCoordinator: enough(withCoordinator.map((r) => days(r.created_at, new Date(r.first_coordinator as unknown as string)))),
            medianDaysToContact: enough(
              withContact.map((r) => days(new Date(`${amsterdamDate(r.created_at)}T00:00:00Z`), new Date(`${String(r.first_contact).slice(0, 10)}T00:00:00Z`))),
            ),
          };
        });
      await audit.record(db, clock.now(), { type: 'coordination.follow_up_read', actor, details: { from: query.from, to: query.to } });
      return periods;
    },
  };
}

/**
 * Called when a signal leaves a match that stays open (ended, expired, purged, or ended by a
 * transfer): when it coordinated, coordination goes back to open and the others hear of it; when a
 * hand-over was offered to it, the offer lapses. Runs in the caller's transaction, under the person lock.
 */
export async function coordinationAfterLeave(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: {
    matchId: string;
    personKey: Uint8Array;
    leftSignalId: string;
    now: Date;
    remaining: { id: string; professional_id: string; organisation_id: string }[];
  },
) {
  const row = await trx.selectFrom('coordinations').selectAll().where('match_id', '=', input.matchId).executeTakeFirst();
  if (!row) return;
  const action: CoordinationAction | null =
    row.coordinator_signal_id === input.leftSignalId ? 'coordinator_left' : row.proposed_signal_id === input.leftSignalId ? 'proposed_left' : null;
  if (!action) return;
  const before: Coordination = {
    state: row.state,
    coordinatorSignalId: row.coordinator_signal_id,
    proposedSignalId: row.proposed_signal_id,
    escalationReason: row.escalation_reason,
    outcome: row.outcome,
  };
  const result = transition(before, { action, by: 'system', participants: input.remaining.map((r) => r.id) });
  if (!result.ok) return;
  const next = result.next;
  await trx
    .updateTable('coordinations')
    .set({
      state: next.state,
      coordinator_signal_id: next.coordinatorSignalId,
      proposed_signal_id: next.proposedSignalId,
      state_since: next.state !== before.state ? input.now : row.state_since,
      updated_at: input.now,
    })
    .where('match_id', '=', input.matchId)
    .execute();
  await trx
    .insertInto('coordination_transitions')
    .values({
      match_id: input.matchId,
      person_key: input.personKey,
      occurred_at: input.now,
      action,
      from_state: before.state,
      to_state: next.state,
      actor_type: 'system',
      actor_id: null,
      coordinator_signal_id: next.coordinatorSignalId,
      subject_signal_id: input.leftSignalId,
      category: null,
    })
    .execute();
  if (action === 'coordinator_left' && input.remaining.length > 0) {
    await trx
      .insertInto('outbox')
      .values(
        input.remaining.map((p) => ({
          created_at: input.now,
          event_type: 'coordination.changed' as const,
          recipient_professional_id: p.professional_id,
          organisation_id: p.organisation_id,
          payload: JSON.stringify({ signalId: p.id, matchId: input.matchId, action }),
        })),
      )
      .execute();
  }
  await deps.audit.record(trx, input.now, {
    type: 'coordination.changed',
    actor: { kind: 'system', requestId: null },
    subjectKey: input.personKey,
    resource: { type: 'match', id: input.matchId },
    details: { action, from: before.state, to: next.state },
  });
}
