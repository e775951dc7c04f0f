/**
 * Coordination after a match: reading it (participants, who coordinates, contact made, history),
 * acting on it (the transitions of coordination-rules.ts), recording contact, the escalation
 * timers, the escalation officer's work list and actions, and the follow-up figures.
 *
 * This service authorises, holds the transactions and the person lock, and audits; the reads are
 * coordination-queries.ts, every change is written by applyTransition (coordination-transitions.ts),
 * and the timing and counting rules are coordination-rules.ts. It returns codes and data: the pages
 * and the API word them.
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { lockMatchKey } from '../persons/person-lock.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { amsterdamDate, type IsoDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, notFound, Problem } from '../shared/errors.ts';
import {
  coordinationOf,
  coordinationView,
  escalationCandidates,
  followUpMatches,
  type OpenMatch,
  openMatch,
  participantFacts,
  participantsOf,
  pendingHandoversOf,
  signalInMatch,
  wasEscalated,
  workItems,
} from './coordination-queries.ts';
import {
  allowedActions,
  amsterdamPeriod,
  type CoordinationAction,
  contactDateAllowed,
  type EscalationReason,
  escalationDue,
  followUpFigures,
  OFFICER_ACTIONS,
  type Outcome,
  PARTICIPANT_ACTIONS,
  standingOf,
  TIMED_STATES,
  type TransitionRefusal,
} from './coordination-rules.ts';
import { applyTransition, type TransitionRequest } from './coordination-transitions.ts';
import type { CoordinationView, PendingHandover, ProfessionalCoordinationView, WorkItem } from './coordination-types.ts';

export type { CoordinationView, HistoryEntry, Participant, PendingHandover, ProfessionalCoordinationView, WorkItem } from './coordination-types.ts';

/** Why an escalation reason does not fit the match now (coordination-rules.ts, reasonFits). */
const UNFIT_REASONS: Record<EscalationReason, string> = {
  no_coordinator: 'Someone coordinates this match, so no_coordinator does not fit.',
  no_contact: 'Every participant recorded contact, so no_contact does not fit.',
  no_agreement: 'There is nobody to disagree with in this match, so no_agreement does not fit.',
  other: 'This reason does not fit the match.',
};

const refusalProblem = (refusal: TransitionRefusal, reason?: EscalationReason) => {
  const forbidden = refusal === 'standing' || refusal === 'covenant';
  return new Problem(
    forbidden ? 403 : 409,
    `coordination_${refusal}`,
    forbidden ? 'Forbidden' : 'Conflict',
    {
      state: "This is not possible in the coordination's current state.",
      standing: "You may not do this in this match's coordination.",
      covenant: "Under its covenant your organisation signals only: its professionals do not take coordination. Another participant's organisation may.",
      target: 'Choose another current participant of this match.',
      target_covenant: "Under its covenant this participant's organisation signals only: choose a participant whose organisation may coordinate.",
      reason: 'Choose a reason category.',
      reason_unfit: `${reason ? UNFIT_REASONS[reason] : 'This reason does not fit the match.'} The reasons that fit now are in escalationReasons.`,
      outcome: 'Choose an outcome.',
      has_coordinator: 'Someone already coordinates this match.',
    }[refusal],
  );
};

/** A transition as the service asks for it: the match, and what to do; the coordination before and the participants are read here. */
type Change = Omit<TransitionRequest, 'before' | 'participants' | 'match'> & { match: OpenMatch };

type Deps = { db: Kysely<DB>; clock: Clock; audit: AuditLog; settings: SettingsService; onOutbox?: () => void };

export type CoordinationService = ReturnType<typeof createCoordinationService>;

/** The service: what participants do, what the escalation officer does, and the municipality's timers and figures. */
export function createCoordinationService(deps: Deps) {
  const core = coordinationCore(deps);
  return { ...participantCoordination(deps, core), ...officerCoordination(deps, core), ...municipalityCoordination(deps, core) };
}

type Core = ReturnType<typeof coordinationCore>;

/** What every part of the service shares: finding the actor's part in a match, the lock, the write path, the read audit. */
function coordinationCore({ db, clock, audit }: Deps) {
  /** The "not found" problems participation() throws, so that the caller can audit them once the transaction has rolled back. */
  const notParticipating = new WeakSet<Problem>();

  return {
    /** The actor's signal in this open match, or "not found" (the same as for a match that does not exist). */
    async participation(trx: Kysely<DB>, actor: ProfessionalActor, matchId: string) {
      const match = await openMatch(trx, matchId);
      const signalId = match && (await signalInMatch(trx, match.id, actor));
      if (!match || !signalId) {
        const problem = notFound('match');
        notParticipating.add(problem);
        throw problem;
      }
      return { match, signalId };
    },

    /**
     * Runs a professional's work in a transaction. A refusal because they do not take part is audited
     * (outcome not_found) after the rollback; written inside the transaction, the record would be lost with it.
     */
    async asParticipant<T>(actor: ProfessionalActor, matchId: string, work: (trx: Kysely<DB>) => Promise<T>): Promise<T> {
      try {
        return await db.transaction().execute(work);
      } catch (error) {
        if (error instanceof Problem && notParticipating.has(error)) {
          await audit.record(db, clock.now(), { type: 'coordination.read', outcome: 'not_found', actor, resource: { type: 'match', id: matchId } });
        }
        throw error;
      }
    },

    /** The open match, read again under its lock (its person's, or its parent's family lock); undefined when it is gone or closed meanwhile. */
    async lockedMatch(trx: Kysely<DB>, matchId: string): Promise<OpenMatch | undefined> {
      const found = await openMatch(trx, matchId);
      if (!found) return undefined;
      await lockMatchKey(trx, found);
      return openMatch(trx, matchId);
    },

    /** Writes a change through the one write path; a refusal is a problem. Returns whether others were notified. */
    async apply(trx: Kysely<DB>, change: Change): Promise<boolean> {
      const before = await coordinationOf(trx, change.match);
      const participants = (await participantsOf(trx, change.match.id, amsterdamDate(change.now))).map((p) => ({
        signalId: p.signalId,
        professionalId: p.professionalId,
        organisationId: p.organisationId,
        mayCoordinate: p.mayCoordinate,
        contacted: p.contactedOn !== null,
      }));
      const written = await applyTransition(trx, { audit }, { ...change, before, participants });
      if (!written.ok) throw refusalProblem(written.refusal, change.reason);
      return written.notified > 0;
    },

    readAudited: (trx: Kysely<DB>, actor: ProfessionalActor | StaffActor, match: OpenMatch) =>
      audit.record(trx, clock.now(), { type: 'coordination.read', actor, subjectKey: match.person_key, resource: { type: 'match', id: match.id } }),
  };
}

/** A participating professional (through a page or a record system): read, act, record contact. */
function participantCoordination({ db, clock, audit, settings, onOutbox }: Deps, core: Core) {
  async function get(actor: ProfessionalActor, matchId: string): Promise<ProfessionalCoordinationView> {
    return core.asParticipant(actor, matchId, async (trx) => {
      const { match, signalId } = await core.participation(trx, actor, matchId);
      const found = await coordinationView(trx, match, (await settings.current()).coordinatorDomainPriority, amsterdamDate(clock.now()));
      await core.readAudited(trx, actor, match);
      const yourStanding = standingOf(found, signalId);
      const allowed = allowedActions(found, yourStanding, { participants: participantFacts(found.participants), actorSignalId: signalId });
      return { ...found, yourSignalId: signalId, yourStanding, allowed };
    });
  }

  /**
   * The hand-overs offered to the professional (newest first, at most `limit`), for their start page.
   * Each match shown is audited as a read of its coordination, like the rest of the start page.
   */
  async function pendingHandovers(actor: ProfessionalActor, limit: number): Promise<PendingHandover[]> {
    return db.transaction().execute(async (trx) => {
      const rows = await pendingHandoversOf(trx, actor, limit);
      await audit.record(
        trx,
        clock.now(),
        rows.map((r) => ({ type: 'coordination.read' as const, actor, subjectKey: r.personKey, resource: { type: 'match', id: r.matchId } })),
      );
      return rows.map(({ personKey: _key, ...pending }) => pending);
    });
  }

  /** A participant's action: take, propose_handover (targetSignalId), accept/decline/withdraw_handover, escalate (reason). */
  async function act(actor: ProfessionalActor, matchId: string, input: { action: CoordinationAction; targetSignalId?: string; reason?: EscalationReason }) {
    if (!(PARTICIPANT_ACTIONS as readonly string[]).includes(input.action)) throw refusalProblem('standing');
    const now = clock.now();
    const wrote = await core.asParticipant(actor, matchId, async (trx) => {
      const first = await core.participation(trx, actor, matchId);
      await lockMatchKey(trx, first.match);
      const { match, signalId } = await core.participation(trx, actor, matchId);
      const before = await coordinationOf(trx, match);
      return core.apply(trx, {
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
    if (wrote) onOutbox?.();
    return get(actor, matchId);
  }

  /** Contact made on a date (not in the future, not before the match). */
  async function recordContact(actor: ProfessionalActor, matchId: string, contactedOn: IsoDate) {
    const now = clock.now();
    await core.asParticipant(actor, matchId, async (trx) => {
      const { match, signalId } = await core.participation(trx, actor, matchId);
      if (!contactDateAllowed(contactedOn, match.created_at, now)) {
        throw new Problem(422, 'contact_date_invalid', 'Invalid input', 'The date must lie between the match and today.', [
          { name: 'contactedOn', reason: 'between the match and today', code: 'out_of_range' },
        ]);
      }
      await trx
        .insertInto('match_contacts')
        .values({ match_id: match.id, signal_id: signalId, person_key: match.person_key, contacted_on: contactedOn, recorded_at: now })
        .onConflict((oc) => oc.columns(['match_id', 'signal_id']).doUpdateSet({ contacted_on: contactedOn, recorded_at: now }))
        .execute();
      // The coordination history shows every recording (the row above holds only the latest date).
      const current = await coordinationOf(trx, match);
      await trx
        .insertInto('coordination_transitions')
        .values({
          match_id: match.id,
          person_key: match.person_key,
          occurred_at: now,
          action: 'contact_recorded',
          from_state: current.state,
          to_state: current.state,
          actor_type: 'professional',
          actor_id: actor.professionalId,
          coordinator_signal_id: current.coordinatorSignalId,
          subject_signal_id: signalId,
          category: null,
          contacted_on: contactedOn,
        })
        .execute();
      await audit.record(trx, now, { type: 'coordination.contact_recorded', actor, subjectKey: match.person_key, resource: { type: 'match', id: match.id } });
    });
    return get(actor, matchId);
  }

  return { get, act, recordContact, pendingHandovers };
}

function requireOfficer(actor: StaffActor) {
  if (!actor.roles.includes('escalation_officer')) throw forbidden("This is for the municipality's escalation officer.");
}

/** The municipality's escalation officer: the work list, one match, appointing a coordinator and resolving. */
function officerCoordination({ db, clock, audit, settings, onOutbox }: Deps, core: Core) {
  async function worklist(actor: StaffActor): Promise<WorkItem[]> {
    requireOfficer(actor);
    const items = await workItems(db, await settings.current(), clock.now());
    await audit.record(db, clock.now(), { type: 'coordination.worklist_read', actor, details: { count: items.length } });
    return items;
  }

  /** What the officer may see of one match: participants' contact details and the coordination history, not more. */
  async function officerGet(actor: StaffActor, matchId: string): Promise<CoordinationView & { allowed: CoordinationAction[] }> {
    requireOfficer(actor);
    return db.transaction().execute(async (trx) => {
      const match = await openMatch(trx, matchId);
      const current = await settings.current();
      // Least privilege: only matches that were escalated, or are on the work list as stalled.
      const visible = match && ((await wasEscalated(trx, match.id)) || (await workItems(trx, current, clock.now(), match.id)).length > 0);
      if (!match || !visible) throw notFound('match');
      const found = await coordinationView(trx, match, current.coordinatorDomainPriority, amsterdamDate(clock.now()));
      await core.readAudited(trx, actor, match);
      return { ...found, allowed: allowedActions(found, 'officer', { participants: participantFacts(found.participants) }) };
    });
  }

  async function officerAct(actor: StaffActor, matchId: string, input: { action: 'appoint' | 'resolve'; targetSignalId?: string; outcome?: Outcome }) {
    requireOfficer(actor);
    if (!(OFFICER_ACTIONS as readonly string[]).includes(input.action)) throw refusalProblem('standing');
    const now = clock.now();
    const wrote = await db.transaction().execute(async (trx) => {
      const match = await core.lockedMatch(trx, matchId);
      if (!match) throw notFound('match');
      return core.apply(trx, {
        match,
        actor,
        by: 'officer',
        action: input.action,
        now,
        ...(input.targetSignalId && { targetSignalId: input.targetSignalId }),
        ...(input.outcome && { outcome: input.outcome }),
      });
    });
    if (wrote) onOutbox?.();
    return officerGet(actor, matchId);
  }

  return { worklist, officerGet, officerAct };
}

/** The escalation timers (run by the lifetime sweep) and the follow-up figures for the municipality. */
function municipalityCoordination({ db, clock, audit, settings, onOutbox }: Deps, core: Core) {
  /** Escalates matches without a coordinator, or without contact, for the set number of working days. */
  async function escalateDue(): Promise<number> {
    const now = clock.now();
    const current = await settings.current();
    let escalated = 0;
    for (const candidate of await escalationCandidates(db, current, now)) {
      const reason = escalationDue(candidate, current, now);
      if (!reason) continue;
      const done = await db
        .transaction()
        .execute(async (trx) => {
          const match = await core.lockedMatch(trx, candidate.matchId);
          // Under the lock, the match may have been closed or its coordination moved on meanwhile.
          if (!match || !TIMED_STATES.includes((await coordinationOf(trx, match)).state)) return false;
          await core.apply(trx, { match, actor: { kind: 'system', requestId: null }, by: 'system', action: 'escalate', reason, now });
          return true;
        })
        .catch((error: unknown) => {
          // Someone took coordination or recorded contact meanwhile: the reason no longer fits, nothing was written.
          if (error instanceof Problem && error.code === 'coordination_reason_unfit') return false;
          throw error;
        });
      if (done) escalated += 1;
    }
    if (escalated > 0) onOutbox?.();
    return escalated;
  }

  /** Per month of the match: no one identifiable, small cells suppressed. */
  async function followUp(actor: StaffActor, query: { from: IsoDate; to: IsoDate }) {
    if (!actor.roles.includes('municipality_admin') && !actor.roles.includes('escalation_officer')) throw forbidden("This is for the municipality's staff.");
    // Days in Amsterdam time, like the months the matches are counted in; `to` is inclusive.
    const periods = followUpFigures(await followUpMatches(db, amsterdamPeriod(query.from, query.to)));
    await audit.record(db, clock.now(), { type: 'coordination.follow_up_read', actor, details: { from: query.from, to: query.to } });
    return periods;
  }

  return { escalateDue, followUp };
}
