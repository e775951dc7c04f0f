/**
 * Webhook subscriptions of an organisation: subscribe, list, rotate the secret, remove. Called by
 * its record systems (API) and by its coordinator (web pages, with the API client named).
 */

import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, OutboxEventType } from '../db/schema.ts';
import type { ProfessionalActor, RecordSystemActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { invalidInput, notFound } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import type { WebhookAddressGuard } from './webhook-address-guard.ts';
import { generateWebhookSecret } from './webhook-signing.ts';

export const PREVIOUS_SECRET_VALID_HOURS = 24;

export type WebhookView = { id: string; url: string; eventTypes: OutboxEventType[]; createdAt: Date; previousSecretValidUntil: Date | null };
export type WebhookService = ReturnType<typeof createWebhookService>;

/** Who may manage an organisation's webhooks: its record systems, or its coordinator (authorised by the caller). */
type OrganisationActor = RecordSystemActor | ProfessionalActor;

export function createWebhookService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; addresses: WebhookAddressGuard }) {
  const { db, clock, audit, addresses } = deps;
  const columns = ['id', 'url', 'event_types', 'created_at', 'previous_secret_expires_at'] as const;
  const toView = (row: {
    id: string;
    url: string;
    event_types: OutboxEventType[];
    created_at: Date;
    previous_secret_expires_at: Date | null;
  }): WebhookView => ({
    id: row.id,
    url: row.url,
    eventTypes: row.event_types,
    createdAt: row.created_at,
    previousSecretValidUntil: row.previous_secret_expires_at && row.previous_secret_expires_at > clock.now() ? row.previous_secret_expires_at : null,
  });

  return {
    async list(actor: OrganisationActor): Promise<WebhookView[]> {
      const rows = await db
        .selectFrom('webhook_subscriptions')
        .select(columns)
        .where('organisation_id', '=', actor.organisationId)
        .where('active', '=', true)
        .orderBy('created_at')
        .execute();
      return rows.map(toView);
    },

    /**
     * For the calling record system's own client, or for `apiClientId`: a live client of the same organisation.
     * The URL must reach public addresses only (see webhook-address.ts): a name is resolved now, before the
     * transaction, and refused with 422 (invalidParams `url`) when it does not resolve or any address is not allowed.
     */
    async subscribe(
      actor: OrganisationActor,
      input: { url: string; eventTypes: OutboxEventType[]; apiClientId?: string },
    ): Promise<WebhookView & { secret: string }> {
      const refused = await addresses.check(input.url);
      if (refused) throw invalidInput([{ name: 'url', code: refused.code, reason: refused.reason }]);
      const now = clock.now();
      const secret = generateWebhookSecret();
      return db.transaction().execute(async (trx) => {
        const named = input.apiClientId ?? actor.apiClientId;
        const client =
          named && isUuid(named)
            ? await trx
                .selectFrom('api_clients')
                .select('id')
                .where('id', '=', named)
                .where('organisation_id', '=', actor.organisationId)
                .where('revoked_at', 'is', null)
                .executeTakeFirst()
            : undefined;
        if (!client) throw notFound('API client');
        const row = await trx
          .insertInto('webhook_subscriptions')
          .values({
            organisation_id: actor.organisationId,
            api_client_id: client.id,
            url: input.url,
            event_types: input.eventTypes,
            secret,
            previous_secret: null,
            previous_secret_expires_at: null,
            created_at: now,
            updated_at: now,
          })
          .returning(columns)
          .executeTakeFirstOrThrow();
        await audit.record(trx, now, { type: 'webhook.subscribed', actor, resource: { type: 'webhook_subscription', id: row.id } });
        return { ...toView(row), secret };
      });
    },

    /** A new secret; the old one keeps signing alongside it for 24 hours, so receivers can switch without losing events. */
    async rotateSecret(actor: OrganisationActor, id: string): Promise<WebhookView & { secret: string }> {
      const now = clock.now();
      const secret = generateWebhookSecret();
      if (!isUuid(id)) throw notFound('webhook subscription');
      return db.transaction().execute(async (trx) => {
        const current = await trx
          .selectFrom('webhook_subscriptions')
          .select('secret')
          .where('id', '=', id)
          .where('organisation_id', '=', actor.organisationId)
          .where('active', '=', true)
          .forUpdate()
          .executeTakeFirst();
        if (!current) throw notFound('webhook subscription');
        const row = await trx
          .updateTable('webhook_subscriptions')
          .set({
            secret,
            previous_secret: current.secret,
            previous_secret_expires_at: new Date(now.getTime() + PREVIOUS_SECRET_VALID_HOURS * 3_600_000),
            updated_at: now,
          })
          .where('id', '=', id)
          .returning(columns)
          .executeTakeFirstOrThrow();
        await audit.record(trx, now, { type: 'webhook.secret_rotated', actor, resource: { type: 'webhook_subscription', id } });
        return { ...toView(row), secret };
      });
    },

    /** Stops the subscription; its undelivered events become dead letters (the feed still has them). */
    async remove(actor: OrganisationActor, id: string): Promise<void> {
      if (!isUuid(id)) throw notFound('webhook subscription');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('webhook_subscriptions')
          .set({ active: false, updated_at: now })
          .where('id', '=', id)
          .where('organisation_id', '=', actor.organisationId)
          .where('active', '=', true)
          .returning('id')
          .executeTakeFirst();
        if (!row) throw notFound('webhook subscription');
        await trx
          .updateTable('deliveries')
          .set({ status: 'dead', last_error: 'The webhook subscription was removed', lease_until: null })
          .where('subscription_id', '=', id)
          .where('status', '=', 'pending')
          .execute();
        await audit.record(trx, now, { type: 'webhook.unsubscribed', actor, resource: { type: 'webhook_subscription', id } });
      });
    },
  };
}
