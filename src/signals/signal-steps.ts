/**
 * The steps of a signal's lifecycle (the state table in signal-lifecycle.ts), each written once with
 * everything it requires: leaving the match, the status, the outbox record, the audit events, and
 * for a purge the deletion of the signal with what refers to it and, when nothing else does, the
 * person. Every caller uses them — the API and pages (signal-service.ts), the transfer of a leaver's
 * signals (signal-transfer.ts) and the lifetime sweep (jobs/lifetime-jobs.ts). Extending a signal
 * and recording the informing that was postponed at filing are steps too.
 *
 * Each step runs inside the caller's transaction, which must hold the person lock (lockPerson) and
 * have read the signal under it; a step the table refuses changes nothing and says why.
 */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, SignalsTable } from '../db/schema.ts';
import { leaveMatch, purgeEmptyMatches, releasePurgedSignals } from '../matches/match-membership.ts';
import { lockFamiliesOfPerson } from '../persons/person-lock.ts';
import type { Settings } from '../settings/settings-service.ts';
import type { Actor } from '../shared/actor.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import { checkInformingRecord, type InformingRecord } from './informing.ts';
import type { LegalBasis, LegalBasisProblem } from './legal-basis.ts';
import type { EndReasonInput, ExtensionReason, ExtensionRules } from './lifetime.ts';
import { type LifecycleEvent, type LifecycleRefusal, type LifecycleSignal, transition } from './signal-lifecycle.ts';

export type SignalRecord = Selectable<SignalsTable>;

/** The columns a step needs of a signal (read under the person lock). */
export const STEP_COLUMNS = [
  'id',
  'person_key',
  'professional_id',
  'organisation_id',
  'status',
  'active_until',
  'retain_until',
  'person_date_of_birth',
] as const;
export type StepSignal = Pick<SignalRecord, (typeof STEP_COLUMNS)[number]>;

export type StepDeps = {
  audit: AuditLog;
  /** The settings current for this change (read once by the caller). */
  settings: Pick<Settings, 'matchWithinOrganisation' | 'historyRetentionMonths'>;
};

export type Refused = { outcome: 'refused'; refusal: LifecycleRefusal };

const facts = (signal: StepSignal): LifecycleSignal => ({
  status: signal.status,
  activeUntil: signal.active_until,
  retainUntil: signal.retain_until,
  dateOfBirth: signal.person_date_of_birth,
});

function decide(signal: StepSignal, event: LifecycleEvent) {
  const result = transition(facts(signal), event);
  return result.ok ? result.step : ({ outcome: 'refused', refusal: result.refusal } as const);
}

/**
 * A professional (or, for a transfer, their organisation's coordinator) ends an active signal: it
 * leaves its match and is kept as history until its retain-until date, or — unjustified, objection
 * upheld — it is purged at once.
 */
export async function endSignal(
  trx: Kysely<DB>,
  deps: StepDeps,
  input: { signal: StepSignal; reason: EndReasonInput; now: Date; actor: Actor; transfer?: boolean },
): Promise<{ outcome: 'ended'; signal: SignalRecord } | { outcome: 'purged'; personPurged: boolean } | Refused> {
  const { signal, reason, now, actor } = input;
  const step = decide(signal, { action: 'end', reason, now, historyRetentionMonths: deps.settings.historyRetentionMonths });
  if ('outcome' in step) return step;
  await leaveMatch(trx, deps, { signal, now, actor, matchWithinOrganisation: deps.settings.matchWithinOrganisation });
  await deps.audit.record(trx, now, {
    type: 'signal.ended',
    actor,
    organisationId: signal.organisation_id,
    subjectKey: signal.person_key,
    resource: { type: 'signal', id: signal.id },
    details: input.transfer ? { reason, transfer: true } : { reason },
  });
  if (step.transition === 'purge_at_once') {
    const purged = await purgeCascade(trx, deps, { personKey: signal.person_key, signals: [signal], reason, now, actor });
    return { outcome: 'purged', personPurged: purged.personPurged };
  }
  if (step.transition !== 'end') throw new Error(`Ending a signal cannot lead to ${step.transition}`);
  const ended = await trx
    .updateTable('signals')
    .set({ status: step.to, ended_at: step.endedAt, end_reason: step.endReason, retain_until: step.retainUntil })
    .where('id', '=', signal.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tellOwner(trx, signal, now, step.endReason);
  return { outcome: 'ended', signal: ended };
}

/** The sweep expires an active signal at its end date: it leaves its match and is kept as history until its retain-until date. */
export async function expireSignal(
  trx: Kysely<DB>,
  deps: StepDeps,
  input: { signal: StepSignal; now: Date; actor: Actor },
): Promise<{ outcome: 'expired'; signal: SignalRecord } | Refused> {
  const { signal, now, actor } = input;
  const step = decide(signal, { action: 'expire', now, historyRetentionMonths: deps.settings.historyRetentionMonths });
  if ('outcome' in step) return step;
  if (step.transition !== 'expire') throw new Error(`Expiring a signal cannot lead to ${step.transition}`);
  await leaveMatch(trx, deps, { signal, now, actor, matchWithinOrganisation: deps.settings.matchWithinOrganisation });
  const expired = await trx
    .updateTable('signals')
    .set({ status: step.to, ended_at: step.endedAt, end_reason: step.endReason, retain_until: step.retainUntil })
    .where('id', '=', signal.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tellOwner(trx, signal, now, step.endReason);
  await deps.audit.record(trx, now, {
    type: 'signal.expired',
    actor,
    organisationId: signal.organisation_id,
    subjectKey: signal.person_key,
    resource: { type: 'signal', id: signal.id },
  });
  return { outcome: 'expired', signal: expired };
}

/**
 * The sweep purges one person's inactive signals whose retain-until date has come (the others are
 * left alone), then the matches and the person record nothing refers to any more.
 */
export async function purgeSignals(
  trx: Kysely<DB>,
  deps: Pick<StepDeps, 'audit'>,
  input: { personKey: Uint8Array; signals: StepSignal[]; now: Date; actor: Actor },
): Promise<{ purged: number; personPurged: boolean }> {
  const { personKey, now } = input;
  const due = input.signals.filter((signal) => {
    if (Buffer.compare(signal.person_key, personKey) !== 0) throw new Error('purgeSignals takes the signals of one person');
    return !('outcome' in decide(signal, { action: 'purge', now }));
  });
  if (due.length === 0) return { purged: 0, personPurged: false };
  const { personPurged } = await purgeCascade(trx, deps, { personKey, signals: due, now, actor: input.actor });
  return { purged: due.length, personPurged };
}

/**
 * A rights decision erases signals on one person at once, whatever their state (the erase transition):
 * an erasure takes all of them, an upheld objection the history that ending its active signals does
 * not reach. An active one first leaves its matches, as ending does (the others hear of it, each
 * match closes by its own rule); then the purge cascade, with the person record when nothing refers
 * to it any more. Under the person lock, like every step.
 */
export async function eraseSignals(
  trx: Kysely<DB>,
  deps: StepDeps,
  input: { personKey: Uint8Array; signals: StepSignal[]; reason: ErasureReason; now: Date; actor: Actor },
): Promise<{ purged: number; personPurged: boolean }> {
  const { personKey, now, actor } = input;
  if (input.signals.length === 0) return { purged: 0, personPurged: false };
  for (const signal of input.signals) {
    if (Buffer.compare(signal.person_key, personKey) !== 0) throw new Error('eraseSignals takes the signals of one person');
    const step = decide(signal, { action: 'erase', now });
    if ('outcome' in step || step.transition !== 'erase') throw new Error('Erasing a signal is allowed from every state');
    if (step.wasActive) await leaveMatch(trx, deps, { signal, now, actor, matchWithinOrganisation: deps.settings.matchWithinOrganisation });
  }
  const { personPurged } = await purgeCascade(trx, deps, { personKey, signals: input.signals, reason: input.reason, now, actor });
  return { purged: input.signals.length, personPurged };
}

/** Why a rights decision erases a signal: an erasure, or the history of a person whose objection was upheld. */
export type ErasureReason = 'erasure' | 'objection_upheld';

/**
 * A professional extends their active signal within the window before its end date: its end date
 * moves on by the set period (at most to the regime's limit), the expiry notice is due again before
 * the new end date, and the signal stays in its match — the other participants see no change. The
 * record systems of the professional's organisation hear of it (signal.extended: they hold the end date).
 */
export async function extendSignal(
  trx: Kysely<DB>,
  deps: Pick<StepDeps, 'audit'>,
  input: { signal: StepSignal; reason: ExtensionReason; rules: ExtensionRules; now: Date; actor: Actor },
): Promise<{ outcome: 'extended'; signal: SignalRecord; limitedByAge: boolean } | Refused> {
  const { signal, reason, now, actor } = input;
  const step = decide(signal, { action: 'extend', now, rules: input.rules });
  if ('outcome' in step) return step;
  if (step.transition !== 'extend') throw new Error(`Extending a signal cannot lead to ${step.transition}`);
  const extended = await trx
    .updateTable('signals')
    .set({ active_until: step.activeUntil, extended_at: now, expiry_notice_at: null })
    .where('id', '=', signal.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tellRecordSystems(trx, signal, now, 'signal.extended');
  await deps.audit.record(trx, now, {
    type: 'signal.extended',
    actor,
    organisationId: signal.organisation_id,
    subjectKey: signal.person_key,
    resource: { type: 'signal', id: signal.id },
    details: { reason, from: step.previousActiveUntil.toISOString(), until: step.activeUntil.toISOString(), ...(step.limitedByAge && { ageLimit: true }) },
  });
  return { outcome: 'extended', signal: extended, limitedByAge: step.limitedByAge };
}

/** What recording the informing needs of a signal (read under the person lock). */
export type InformingSignal = StepSignal & Pick<SignalRecord, 'filed_at' | 'legal_basis'>;

/**
 * A professional who postponed informing at filing records that the person was informed (the
 * signal's legal basis becomes that record) or why not yet (the reason is kept, and the follow-up
 * period starts again). Refused when the signal is not active or its informing was not postponed;
 * the record's own problems (date, who by age) come back as problems and change nothing.
 */
export async function recordInforming(
  trx: Kysely<DB>,
  deps: Pick<StepDeps, 'audit'>,
  input: { signal: InformingSignal; record: InformingRecord; now: Date; actor: Actor },
): Promise<
  | { outcome: 'recorded'; signal: SignalRecord }
  | { outcome: 'refused'; refusal: 'state' | 'not_postponed' }
  | { outcome: 'invalid'; problems: LegalBasisProblem[] }
> {
  const { signal, record, now, actor } = input;
  if (signal.status !== 'active') return { outcome: 'refused', refusal: 'state' };
  const current = signal.legal_basis as LegalBasis;
  if (current.basis !== 'informing_postponed') return { outcome: 'refused', refusal: 'not_postponed' };
  const problems = checkInformingRecord({
    dateOfBirth: signal.person_date_of_birth,
    filedOn: amsterdamDate(signal.filed_at),
    today: amsterdamDate(now),
    record,
  });
  if (problems.length > 0) return { outcome: 'invalid', problems };
  const informed = record.basis === 'informed';
  const recorded = await trx
    .updateTable('signals')
    .set({
      legal_basis: JSON.stringify(record),
      informing_deferred_at: informed ? null : now,
      informing_reminded_at: null,
    })
    .where('id', '=', signal.id)
    .returningAll()
    .executeTakeFirstOrThrow();
  await tellRecordSystems(trx, signal, now, 'signal.informing_recorded');
  await deps.audit.record(trx, now, {
    type: 'signal.informing_recorded',
    actor,
    organisationId: signal.organisation_id,
    subjectKey: signal.person_key,
    resource: { type: 'signal', id: signal.id },
    details: informed
      ? { outcome: 'informed', informed: record.informed.join(','), informedOn: record.informedOn, postponedFor: current.reason }
      : { outcome: 'not_yet', reason: record.reason, postponedFor: current.reason },
  });
  return { outcome: 'recorded', signal: recorded };
}

/** The record systems of the signal's organisation hear of a change to it (feed, webhooks); its professional made it, so no mail. */
async function tellRecordSystems(trx: Kysely<DB>, signal: StepSignal, now: Date, type: 'signal.extended' | 'signal.informing_recorded') {
  await trx
    .insertInto('outbox')
    .values({
      created_at: now,
      event_type: type,
      recipient_professional_id: signal.professional_id,
      organisation_id: signal.organisation_id,
      payload: JSON.stringify({ signalId: signal.id }),
    })
    .execute();
}

/** The signal's own professional hears that it ended (not when it is purged at once: then there is nothing left to point at). */
async function tellOwner(trx: Kysely<DB>, signal: StepSignal, now: Date, reason: string) {
  await trx
    .insertInto('outbox')
    .values({
      created_at: now,
      event_type: 'signal.ended',
      recipient_professional_id: signal.professional_id,
      organisation_id: signal.organisation_id,
      payload: JSON.stringify({ signalId: signal.id, reason }),
    })
    .execute();
}

/**
 * The purge, written once: the signals go with what refers to them (match participation, the
 * coordination they held, recorded contacts), then the person's matches nobody takes part in, then
 * the person record when no signal or match refers to it. The audit trail keeps the pseudonym.
 */
async function purgeCascade(
  trx: Kysely<DB>,
  deps: Pick<StepDeps, 'audit'>,
  input: { personKey: Uint8Array; signals: Pick<StepSignal, 'id' | 'organisation_id'>[]; reason?: EndReasonInput | ErasureReason; now: Date; actor: Actor },
): Promise<{ personPurged: boolean }> {
  const { personKey, signals, now, actor } = input;
  const ids = signals.map((s) => s.id);
  await lockFamiliesOfPerson(trx, personKey);
  // The family and address matches these signals took part in (their keys are not the person's).
  const familyMatches = await trx
    .selectFrom('match_participants')
    .select('match_id')
    .where('signal_id', 'in', ids)
    .where('kind', 'in', ['family', 'address'])
    .execute();
  await releasePurgedSignals(trx, deps, { signalIds: ids, personKey, now });
  await trx.deleteFrom('signals').where('id', 'in', ids).execute();
  await deps.audit.record(
    trx,
    now,
    signals.map((s) => ({
      type: 'signal.purged' as const,
      actor,
      organisationId: s.organisation_id,
      subjectKey: personKey,
      resource: { type: 'signal', id: s.id },
      ...(input.reason && { details: { reason: input.reason } }),
    })),
  );
  await purgeEmptyMatches(
    trx,
    personKey,
    familyMatches.map((m) => m.match_id),
  );
  return purgePersonIfUnreferenced(trx, deps, { personKey, now, actor });
}

/** Deletes the person record when no signal and no person match refers to it any more (audited); the audit trail keeps the pseudonym. */
export async function purgePersonIfUnreferenced(
  trx: Kysely<DB>,
  deps: Pick<StepDeps, 'audit'>,
  input: { personKey: Uint8Array; now: Date; actor: Actor },
): Promise<{ personPurged: boolean }> {
  const { personKey, now, actor } = input;
  const person = await trx
    .deleteFrom('persons')
    .where('person_key', '=', personKey)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom('signals').whereRef('signals.person_key', '=', 'persons.person_key').select(sql`1`.as('one')))),
    )
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(selectFrom('matches').whereRef('matches.person_key', '=', 'persons.person_key').where('matches.kind', '=', 'person').select(sql`1`.as('one'))),
      ),
    )
    .returning('person_key')
    .executeTakeFirst();
  if (person) await deps.audit.record(trx, now, { type: 'person.purged', actor, subjectKey: personKey });
  return { personPurged: Boolean(person) };
}
