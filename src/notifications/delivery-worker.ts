/**
 * Delivers what the dispatcher queued: at least once, in order per recipient, with exponential
 * backoff and jitter, and a dead-letter state after the maximum number of tries (a setting).
 *
 * Claiming takes a lease (`lease_until`) in a short transaction with FOR UPDATE SKIP LOCKED: two
 * workers never hold the same delivery, no transaction stays open while mail or HTTP is in flight
 * (PGlite has one connection), and a worker that dies mid-batch leaves leases that simply run out,
 * after which another worker delivers. Only the oldest pending delivery of a recipient can be
 * claimed, so a recipient's deliveries go out in order. Every try is recorded.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, DeliveryChannel } from '../db/schema.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { Clock } from '../shared/clock.ts';
import { retryDelayMs } from './backoff.ts';
import type { Dispatcher, EmailMessage } from './dispatcher.ts';
import type { CloudEvent } from './events.ts';
import type { MailTransport } from './mail-transport.ts';
import type { WebhookAddressGuard } from './webhook-address-guard.ts';
import { createWebhookClient } from './webhook-request.ts';
import { webhookHeaders } from './webhook-signing.ts';

export type DeliveryWorker = ReturnType<typeof createDeliveryWorker>;

type Claimed = {
  id: number;
  channel: DeliveryChannel;
  organisation_id: string;
  professional_id: string | null;
  subscription_id: string | null;
  message: unknown;
  attempts: number;
  lease_until: Date;
};

export function createDeliveryWorker(deps: {
  db: Kysely<DB>;
  clock: Clock;
  settings: SettingsService;
  audit: AuditLog;
  dispatcher: Dispatcher;
  mail: MailTransport;
  /** Where webhooks may go: checked again at every call, on the addresses the call connects to. */
  webhookAddresses: WebhookAddressGuard;
  leaseMs?: number;
  batchSize?: number;
  webhookTimeoutMs?: number;
  random?: () => number;
  onFeed?: (organisationIds: string[]) => void;
  /** The region's link to the hub (src/federation/region-client.ts), when the federation is on. */
  federation?: { deliver(message: never): Promise<void>; pollIfDue(): Promise<number> } | undefined;
}) {
  const { db, clock, settings, audit, dispatcher, mail } = deps;
  const leaseMs = deps.leaseMs ?? 60_000;
  const batchSize = deps.batchSize ?? 50;
  const random = deps.random ?? Math.random;
  const webhookClient = createWebhookClient(deps.webhookAddresses);

  async function claim(): Promise<Claimed[]> {
    const now = clock.now();
    const leaseUntil = new Date(now.getTime() + leaseMs);
    const result = await sql<Claimed>`
      update deliveries set lease_until = ${leaseUntil}, attempts = attempts + 1
       where id in (
         select d.id from deliveries d
          where d.status = 'pending' and d.next_attempt_at <= ${now} and (d.lease_until is null or d.lease_until <= ${now})
            and not exists (select from deliveries e where e.recipient_key = d.recipient_key and e.status = 'pending' and e.id < d.id)
          order by d.id limit ${batchSize}
          for update skip locked)
      returning id, channel, organisation_id, professional_id, subscription_id, message, attempts, lease_until`.execute(db);
    return result.rows;
  }

  async function sendWebhook(delivery: Claimed): Promise<void> {
    const subscription = await db
      .selectFrom('webhook_subscriptions')
      .select(['url', 'secret', 'previous_secret', 'previous_secret_expires_at', 'active'])
      .where('id', '=', delivery.subscription_id!)
      .executeTakeFirst();
    if (!subscription?.active) throw new Error('The webhook subscription was removed');
    const event = delivery.message as CloudEvent;
    const body = JSON.stringify(event);
    const now = clock.now();
    const secrets = [subscription.secret];
    if (subscription.previous_secret && subscription.previous_secret_expires_at && subscription.previous_secret_expires_at > now)
      secrets.push(subscription.previous_secret);
    // A refused address (address_not_allowed, …) throws before any byte is sent, and counts as a failed try.
    // Redirects are not followed: a 3xx is a failure like any other non-2xx answer.
    const status = await webhookClient.post(
      subscription.url,
      {
        'content-type': 'application/cloudevents+json; charset=utf-8',
        'user-agent': 'SluiS-Webhooks/1',
        ...webhookHeaders(secrets, event.id, Math.floor(now.getTime() / 1000), body),
      },
      body,
      deps.webhookTimeoutMs ?? 10_000,
    );
    if (status < 200 || status >= 300) throw new Error(`The receiver answered HTTP ${status}`);
  }

  type Outcome = { delivery: Claimed; ok: boolean; error: string | null; durationMs: number };

  async function send(delivery: Claimed): Promise<Outcome> {
    const startedAt = performance.now();
    try {
      if (delivery.channel === 'email') await mail.send(delivery.message as EmailMessage);
      else if (delivery.channel === 'federation') {
        if (!deps.federation) throw new Error('The federation is not configured (SLUIS_FEDERATION_*)');
        await deps.federation.deliver(delivery.message as never);
      } else await sendWebhook(delivery);
      return { delivery, ok: true, error: null, durationMs: Math.round(performance.now() - startedAt) };
    } catch (error) {
      return { delivery, ok: false, error: errorText(error), durationMs: Math.round(performance.now() - startedAt) };
    }
  }

  /** Records a claimed batch's outcomes in one transaction; only deliveries still under this worker's lease change. */
  async function record(outcomes: Outcome[]): Promise<void> {
    const now = clock.now();
    const max = (await settings.current()).deliveryMaxAttempts;
    const delivered = outcomes.filter((o) => o.ok);
    await db.transaction().execute(async (trx) => {
      if (delivered.length > 0) {
        await trx
          .updateTable('deliveries')
          .set({ status: 'delivered', delivered_at: now, lease_until: null, last_error: null })
          .where(
            'id',
            'in',
            delivered.map((o) => o.delivery.id),
          )
          .where('lease_until', '=', delivered[0]!.delivery.lease_until)
          .execute();
      }
      for (const { delivery, error } of outcomes.filter((o) => !o.ok)) {
        const dead = delivery.attempts >= max;
        await trx
          .updateTable('deliveries')
          .set(
            dead
              ? { status: 'dead', lease_until: null, last_error: error }
              : { lease_until: null, last_error: error, next_attempt_at: new Date(now.getTime() + retryDelayMs(delivery.attempts, random())) },
          )
          .where('id', '=', delivery.id)
          .where('lease_until', '=', delivery.lease_until)
          .execute();
      }
      await trx
        .insertInto('delivery_attempts')
        .values(
          outcomes.map((o) => ({
            delivery_id: o.delivery.id,
            attempted_at: now,
            outcome: o.ok ? ('delivered' as const) : ('failed' as const),
            error: o.error,
            duration_ms: o.durationMs,
          })),
        )
        .execute();
      // A delivered mail carried professionals' contact details (personal data of professionals).
      await audit.record(
        trx,
        now,
        delivered
          .filter((o) => o.delivery.channel === 'email')
          .map(({ delivery }) => ({
            type: 'notification.sent' as const,
            actor: { kind: 'system' as const, requestId: null },
            organisationId: delivery.organisation_id,
            // A mail to a municipality's e-mail address (a move) has no professional behind it.
            ...(delivery.professional_id && { resource: { type: 'professional' as const, id: delivery.professional_id } }),
            details: { delivery: delivery.id },
          })),
      );
    });
  }

  /**
   * Fetch the hub's events when due (a hub that cannot be reached is tried again next round; the
   * deliveries go on meanwhile), dispatch everything pending, then deliver everything due, once.
   * `stopping` is asked between batches: once it says yes, the batch in progress is sent and
   * recorded, and nothing more is claimed.
   */
  async function runOnce(
    stopping: () => boolean = () => false,
  ): Promise<{ dispatched: number; delivered: number; failed: number; hubEvents: number; hubError: string | null }> {
    const result = { dispatched: 0, delivered: 0, failed: 0, hubEvents: 0, hubError: null as string | null };
    if (deps.federation && !stopping()) {
      try {
        result.hubEvents = await deps.federation.pollIfDue();
      } catch (error) {
        result.hubError = errorText(error);
      }
    }
    for (;;) {
      if (stopping()) return result;
      const batch = await dispatcher.dispatchBatch();
      result.dispatched += batch.dispatched;
      if (batch.organisations.length > 0) deps.onFeed?.(batch.organisations);
      if (batch.dispatched === 0) break;
    }
    for (;;) {
      if (stopping()) return result;
      const claimed = await claim();
      if (claimed.length === 0) return result;
      const outcomes = await Promise.all(claimed.map(send));
      await record(outcomes);
      for (const outcome of outcomes) outcome.ok ? result.delivered++ : result.failed++;
    }
  }

  return {
    runOnce,
    /** Runs until stopped: woken at once by `wake()`, otherwise every `pollMs`. */
    start(options: { pollMs: number; log: { error(o: object, m: string): void } }) {
      let stopped = false;
      let wakeUp: () => void = () => {};
      let pending = false;
      const loop = (async () => {
        while (!stopped) {
          pending = false;
          try {
            await runOnce(() => stopped);
          } catch (err) {
            options.log.error({ err }, 'delivery worker round failed');
          }
          if (stopped) break;
          if (!pending)
            await new Promise<void>((resolve) => {
              wakeUp = resolve;
              setTimeout(resolve, options.pollMs).unref();
            });
        }
      })();
      return {
        wake: () => {
          pending = true;
          wakeUp();
        },
        stop: async () => {
          stopped = true;
          wakeUp();
          await loop;
        },
      };
    },
  };
}

function errorText(error: unknown): string {
  const text = error instanceof Error ? `${error.message}${error.cause instanceof Error ? ` (${error.cause.message})` : ''}` : String(error);
  return text.slice(0, 500);
}
