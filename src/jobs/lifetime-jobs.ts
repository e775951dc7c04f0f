/**
 * The sweeps that keep the lifetime rules: active signals past their end date expire (leaving their
 * match), professionals are told ahead of expiry and asked to record informing they postponed, and
 * inactive signals past their retention date are deleted for good, with matches and persons that
 * nothing refers to any more. Safe to run from several processes at once: each signal is re-checked
 * under its person lock, a notice or reminder is claimed by the update that writes it, and deleting
 * is idempotent.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import { lockPerson } from '../persons/person-lock.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { SystemActor } from '../shared/actor.ts';
import { addMonths } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { expireSignal, purgeSignals, STEP_COLUMNS } from '../signals/signal-steps.ts';
import type { EmbeddedMaintenance } from './embedded-maintenance.ts';

export type SweepResult = {
  expired: number;
  expiryNotices: number;
  informingReminders: number;
  escalated: number;
  /** Persons the population register verified after answering late (queued verifications). */
  registerVerified: number;
  /** Persons the register said something new of (a death, an emigration, a move), applied (jobs/register-changes.ts). */
  registerChanged: number;
  purgedSignals: number;
  purgedPersons: number;
  purgedDeliveries: number;
  purgedAuditEvents: number;
  purgedCaseConsultations: number;
  /** Closed rights requests past their retention (rights/rights-request-service.ts). */
  purgedRightsRequests: number;
  /** Staff mailed today about overdue and nearly due rights requests (at most once a day). */
  rightsDeadlineMails: number;
  /** Pseudonyms re-keyed and ciphertexts encrypted again by a running key rotation (persons/key-rotation.ts). */
  rekeyed: number;
  reencrypted: number;
  vacuumMilliseconds?: number;
};

/** Delivered mails and webhook calls, dispatched outbox records and feed events are kept this long. */
export const DELIVERY_RETENTION_DAYS = 30;
export type LifetimeJobs = ReturnType<typeof createLifetimeJobs>;

const BATCH = 500;
const AUDIT_BATCH = 5_000;
/** Batches of a running key rotation per sweep (of 500 each). */
const ROTATION_BATCHES = 100;

export function createLifetimeJobs(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  settings: SettingsService;
  onOutbox?: () => void;
  escalateDue?: () => Promise<number>;
  /** Runs the queued register verifications that are due; gives how many were verified. */
  verifyRegister?: (() => Promise<number>) | undefined;
  /** Closed case consultations past their retention (case-consultations/case-consultation-service.ts). */
  purgeCaseConsultations?: () => Promise<number>;
  /** Closed rights requests past their retention, and the daily mail of their deadlines (rights/rights-request-service.ts). */
  purgeRightsRequests?: () => Promise<number>;
  /** A batch of a running key rotation (persons/key-rotation.ts): gives how many it did, 0 when nothing is left. */
  rekeyBatch?: () => Promise<number>;
  reencryptBatch?: () => Promise<number>;
  mailRightsDeadlines?: () => Promise<number>;
  /** Follows the register's changes (Update API, or the daily re-read) and applies them; gives how many persons changed. */
  followRegister?: (() => Promise<number>) | undefined;
  maintenance?: EmbeddedMaintenance | undefined;
}) {
  const { db, clock, audit, settings } = deps;
  const actor: SystemActor = { kind: 'system', requestId: null };

  async function expireOne(signalId: string, personKey: Uint8Array, now: Date): Promise<boolean> {
    const current = await settings.current();
    return db.transaction().execute(async (trx) => {
      await lockPerson(trx, personKey);
      const signal = await trx.selectFrom('signals').select(STEP_COLUMNS).where('id', '=', signalId).executeTakeFirst();
      // Gone, ended or expired by another sweep since it was found: the lifecycle refuses, nothing is done twice.
      if (!signal) return false;
      return (await expireSignal(trx, { audit, settings: current }, { signal, now, actor })).outcome === 'expired';
    });
  }

  async function expireDue(now: Date): Promise<number> {
    let total = 0;
    for (;;) {
      const due = await db
        .selectFrom('signals')
        .select(['id', 'person_key'])
        .where('status', '=', 'active')
        .where('active_until', '<=', now)
        .orderBy('active_until')
        .limit(BATCH)
        .execute();
      for (const signal of due) if (await expireOne(signal.id, signal.person_key, now)) total++;
      if (due.length < BATCH) return total;
    }
  }

  /** Purges inactive signals past their retain-until date, a person at a time under the person's lock. */
  async function purgeDue(now: Date): Promise<{ signals: number; persons: number }> {
    const total = { signals: 0, persons: 0 };
    for (;;) {
      const due = await db.selectFrom('signals').select('person_key').where('status', '<>', 'active').where('retain_until', '<=', now).limit(BATCH).execute();
      const personKeys = [...new Map(due.map((s) => [Buffer.from(s.person_key).toString('hex'), s.person_key])).values()];
      for (const personKey of personKeys) {
        const purged = await db.transaction().execute(async (trx) => {
          await lockPerson(trx, personKey);
          const signals = await trx.selectFrom('signals').select(STEP_COLUMNS).where('person_key', '=', personKey).where('status', '<>', 'active').execute();
          return purgeSignals(trx, { audit }, { personKey, signals, now, actor });
        });
        total.signals += purged.purged;
        if (purged.personPurged) total.persons++;
      }
      if (due.length < BATCH) return total;
    }
  }

  /** Tells each professional once, `expiryNoticeDays` ahead, that their signal is about to expire. */
  async function noticeExpiring(now: Date): Promise<number> {
    const days = (await settings.current()).expiryNoticeDays;
    if (days === 0) return 0;
    const horizon = new Date(now.getTime() + days * 86_400_000);
    const result = await sql<{ n: number }>`
      with due as (
        update signals set expiry_notice_at = ${now}
         where id in (select id from signals where status = 'active' and expiry_notice_at is null
                      and active_until <= ${horizon} and active_until > ${now} order by active_until limit 5000)
        returning id, professional_id, organisation_id)
      insert into outbox (created_at, event_type, recipient_professional_id, organisation_id, payload)
      select ${now}, 'signal.expiring', professional_id, organisation_id, jsonb_build_object('signalId', id) from due
      returning 1 as n`.execute(db);
    return result.rows.length;
  }

  /**
   * Asks each professional who postponed informing to record it (or why not yet), once per period:
   * `informingFollowUpDays` after filing, after "not yet" was last recorded, or after the last
   * reminder, whichever is latest (signals/informing.ts, nextInformingReminderAt, says the same).
   */
  async function remindInforming(now: Date): Promise<number> {
    const { informingFollowUpDays } = await settings.current();
    const dueBefore = new Date(now.getTime() - informingFollowUpDays * 86_400_000);
    const result = await sql<{ n: number }>`
      with due as (
        update signals set informing_reminded_at = ${now}
         where id in (select id from signals
                       where status = 'active' and legal_basis ->> 'basis' = 'informing_postponed'
                         and greatest(filed_at, informing_deferred_at, informing_reminded_at) <= ${dueBefore}
                       order by filed_at limit 5000)
           and greatest(filed_at, informing_deferred_at, informing_reminded_at) <= ${dueBefore}
        returning id, professional_id, organisation_id)
      insert into outbox (created_at, event_type, recipient_professional_id, organisation_id, payload)
      select ${now}, 'signal.informing_due', professional_id, organisation_id, jsonb_build_object('signalId', id) from due
      returning 1 as n`.execute(db);
    return result.rows.length;
  }

  /** Deletes delivered deliveries, dispatched outbox records, feed events and development mails past their retention. */
  async function purgeDelivered(now: Date): Promise<number> {
    const before = new Date(now.getTime() - DELIVERY_RETENTION_DAYS * 86_400_000);
    const deleted = await db.deleteFrom('deliveries').where('status', '=', 'delivered').where('delivered_at', '<', before).executeTakeFirst();
    await db
      .deleteFrom('outbox')
      .where('status', '=', 'dispatched')
      .where('created_at', '<', before)
      .where(({ not, exists, selectFrom }) => not(exists(selectFrom('deliveries').whereRef('deliveries.outbox_id', '=', 'outbox.id').select(sql`1`.as('one')))))
      .execute();
    await db.deleteFrom('organisation_events').where('occurred_at', '<', before).execute();
    await db.deleteFrom('dev_mailbox').where('received_at', '<', before).execute();
    await purgeWebLeftovers(now, before);
    return Number(deleted.numDeletedRows);
  }

  /**
   * Audit events older than the municipality's audit retention (none when it is 0), in batches. Each
   * batch runs in a transaction that first sets sluis.audit_purge, the only way past the table's
   * append-only trigger; the purge itself is then recorded (a count, nothing of what was deleted).
   */
  async function purgeAudit(now: Date): Promise<number> {
    const { auditRetentionMonths } = await settings.current();
    if (auditRetentionMonths === 0) return 0;
    const before = addMonths(now, -auditRetentionMonths);
    let deleted = 0;
    for (;;) {
      const batch = await db.transaction().execute(async (trx) => {
        await sql`set local sluis.audit_purge = 'on'`.execute(trx);
        const oldest = trx.selectFrom('audit_events').select('id').where('occurred_at', '<', before).orderBy('id').limit(AUDIT_BATCH);
        return Number((await trx.deleteFrom('audit_events').where('id', 'in', oldest).executeTakeFirst()).numDeletedRows);
      });
      deleted += batch;
      if (batch < AUDIT_BATCH) break;
    }
    if (deleted > 0) {
      await audit.record(db, now, { type: 'audit.purged', actor, details: { deleted, before: before.toISOString(), retentionMonths: auditRetentionMonths } });
    }
    return deleted;
  }

  /** Forms kept after a session ended that nobody came back for, sessions that ended or expired, used or expired one-time links, and stale throttle counters. */
  async function purgeWebLeftovers(now: Date, before: Date): Promise<void> {
    await db.deleteFrom('web_kept_forms').where('expires_at', '<=', now).execute();
    await db
      .deleteFrom('web_sessions')
      .where((eb) => eb.or([eb('ended_at', '<', before), eb('expires_at', '<', before)]))
      .execute();
    await db.deleteFrom('web_one_time_links').where('expires_at', '<', before).execute();
    const dayAgo = new Date(now.getTime() - 86_400_000);
    await db
      .deleteFrom('web_login_throttle')
      .where('window_started_at', '<', dayAgo)
      .where((eb) => eb.or([eb('locked_until', 'is', null), eb('locked_until', '<', now)]))
      .execute();
  }

  /** Up to ROTATION_BATCHES batches of a key rotation, each its own transaction, so filing goes on between them. */
  async function batches(batch: (() => Promise<number>) | undefined): Promise<number> {
    let done = 0;
    for (let i = 0; batch && i < ROTATION_BATCHES; i++) {
      const n = await batch();
      if (n === 0) break;
      done += n;
    }
    return done;
  }

  return {
    /** One full sweep: expire what is due, give notice of what soon will, then purge what has outlived its retention. */
    async runOnce(): Promise<SweepResult> {
      const now = clock.now();
      const expired = await expireDue(now);
      const expiryNotices = await noticeExpiring(now);
      const informingReminders = await remindInforming(now);
      if (expired + expiryNotices + informingReminders > 0) deps.onOutbox?.();
      // Matches without a coordinator or contact for too long go to the escalation officer.
      const escalated = (await deps.escalateDue?.()) ?? 0;
      const registerVerified = (await deps.verifyRegister?.()) ?? 0;
      const registerChanged = (await deps.followRegister?.()) ?? 0;
      const result: SweepResult = {
        expired,
        expiryNotices,
        informingReminders,
        escalated,
        registerVerified,
        registerChanged,
        purgedSignals: 0,
        purgedPersons: 0,
        purgedDeliveries: await purgeDelivered(now),
        purgedAuditEvents: await purgeAudit(now),
        // Before the signals: a consultation whose retention ran out goes by its own rule, with a statistics row and an audit event.
        purgedCaseConsultations: (await deps.purgeCaseConsultations?.()) ?? 0,
        purgedRightsRequests: (await deps.purgeRightsRequests?.()) ?? 0,
        rightsDeadlineMails: (await deps.mailRightsDeadlines?.()) ?? 0,
        rekeyed: await batches(deps.rekeyBatch),
        reencrypted: await batches(deps.reencryptBatch),
      };
      const purged = await purgeDue(now);
      result.purgedSignals = purged.signals;
      result.purgedPersons = purged.persons;
      // On PGlite (no autovacuum), once a night, after the purge has made its dead rows.
      const maintenance = await deps.maintenance?.runIfDue();
      if (maintenance?.vacuumed) result.vacuumMilliseconds = maintenance.milliseconds;
      return result;
    },
  };
}

/** Runs the sweep every `intervalSeconds` inside the server process; never two at once. */
export function startScheduler(
  jobs: LifetimeJobs,
  intervalSeconds: number,
  log: { info(o: object, m: string): void; error(o: object, m: string): void },
  /** Told how long each sweep took (for /metrics). */
  onSweep?: (seconds: number, failed: boolean) => void,
) {
  let running: Promise<void> | undefined;
  const tick = () => {
    if (running) return;
    const startedAt = performance.now();
    const took = () => (performance.now() - startedAt) / 1000;
    running = jobs
      .runOnce()
      .then((result) => {
        onSweep?.(took(), false);
        if (result.expired + result.purgedSignals + result.purgedAuditEvents > 0 || result.vacuumMilliseconds !== undefined) log.info(result, 'lifetime sweep');
      })
      .catch((err: unknown) => {
        onSweep?.(took(), true);
        log.error({ err }, 'lifetime sweep failed');
      })
      .finally(() => {
        running = undefined;
      });
  };
  const timer = setInterval(tick, intervalSeconds * 1000);
  timer.unref();
  setImmediate(tick);
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
