/**
 * What an organisation's coordinator does in the web application: the organisation's professionals
 * (invite, deactivate, transfer their signals), its profile, its API clients and webhooks, and its
 * deliveries that failed.
 *
 * Every operation takes the coordinator's ProfessionalActor and is restricted to the actor's own
 * organisation by its queries: an id of another organisation's professional, client, webhook or
 * delivery is "not found", exactly like an id that does not exist. Before anything, the actor is
 * checked against the database (an active coordinator of that organisation), so a session that
 * outlived a change of role does nothing.
 */

import { type Kysely, sql } from 'kysely';
import type { AccountService } from '../accounts/account-service.ts';
import type { WebAccountState } from '../accounts/account-types.ts';
import { normaliseEmail } from '../accounts/credentials.ts';
import type { ApiClientService, ApiClientView, ApiTokenView } from '../api-clients/api-client-service.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { DB, DeliveryChannel, DeliveryStatus, Domain, OutboxEventType } from '../db/schema.ts';
import type { DeliveryService } from '../notifications/delivery-service.ts';
import type { WebhookService } from '../notifications/webhook-service.ts';
import { endWebAccessOf } from '../professionals/professional-accounts.ts';
import { type ProfessionalWithAccount, professionalsWithAccounts } from '../professionals/professional-queries.ts';
import { createWebInvitation, invitationRefused, isInvitationRefusal } from '../professionals/web-invitation.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, forbidden, notFound } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { COUNT_CAP, cappedTotal, type Positioned, type Slice } from '../shared/paging.ts';
import { type TransferResult, transferSignals } from '../signals/signal-transfer.ts';

export type AccountState = WebAccountState;

export type CoordinatedProfessional = ProfessionalWithAccount;

export type InviteInput = { name: string; email: string; phone: string; jobTitle: string; coordinator: boolean };

export type ProfileInput = {
  description: string;
  signallingCriteria: string;
  website: string | null;
  phone: string | null;
  email: string | null;
  domains: Domain[];
};

export type CoordinatorApiClient = { id: string; name: string; keyId: string; createdAt: Date; revokedAt: Date | null; tokens: ApiTokenView[] };
const coordinatorView = (c: ApiClientView): CoordinatorApiClient => ({
  id: c.id,
  name: c.name,
  keyId: c.keyId,
  createdAt: c.createdAt,
  revokedAt: c.revokedAt,
  tokens: c.tokens,
});
export type CoordinatorWebhook = {
  id: string;
  url: string;
  eventTypes: OutboxEventType[];
  apiClientName: string;
  createdAt: Date;
  previousSecretValidUntil: Date | null;
};
export type FailedDelivery = {
  id: number;
  eventType: OutboxEventType;
  channel: DeliveryChannel;
  status: DeliveryStatus;
  attempts: number;
  recipient: string;
  lastError: string | null;
  createdAt: Date;
  nextAttemptAt: Date;
};

/** Why an invitation was refused, per field. */
export class InviteRefused extends Error {
  readonly field: 'email';
  constructor(message: string) {
    super(message);
    this.field = 'email';
  }
}

export type CoordinatorService = ReturnType<typeof createCoordinatorService>;

export function createCoordinatorService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  accounts: AccountService;
  settings: SettingsService;
  apiClients: ApiClientService;
  webhooks: WebhookService;
  deliveries: DeliveryService;
  /** Told after a commit that wrote outbox records (a transfer that ended signals). */
  wake?: () => void;
}) {
  const { db, clock, audit, accounts, settings } = deps;
  const invitations = createWebInvitation({ clock, audit, accounts });
  const wake = deps.wake ?? (() => {});

  /** The actor must be an active coordinator of the organisation it claims. */
  async function authorise(executor: Kysely<DB>, actor: ProfessionalActor): Promise<void> {
    const row = await executor
      .selectFrom('professionals')
      .select('id')
      .where('id', '=', actor.professionalId)
      .where('organisation_id', '=', actor.organisationId)
      .where('coordinator', '=', true)
      .where('active', '=', true)
      .executeTakeFirst();
    if (!row) {
      await audit.record(db, clock.now(), { type: 'auth.denied', outcome: 'denied', actor, details: { reason: 'not_coordinator' } });
      throw forbidden('Only the organisation coordinator may do this.');
    }
  }

  const professionalsOf = (executor: Kysely<DB>, organisationId: string, id?: string): Promise<CoordinatedProfessional[]> =>
    professionalsWithAccounts(executor, { organisationId, ...(id && { id }) }, { activeSignals: true });

  async function professional(actor: ProfessionalActor, id: string): Promise<CoordinatedProfessional> {
    if (!isUuid(id)) throw notFound('professional');
    const [found] = await professionalsOf(db, actor.organisationId, id);
    if (!found) throw notFound('professional');
    return found;
  }

  return {
    async overview(actor: ProfessionalActor) {
      await authorise(db, actor);
      const org = actor.organisationId;
      const count = async (query: Promise<{ n: string | number | bigint } | undefined>) => Number((await query)?.n ?? 0);
      const [professionals, apiClients, webhooks, failedDeliveries] = await Promise.all([
        count(
          db
            .selectFrom('professionals')
            .select((e) => e.fn.countAll<string>().as('n'))
            .where('organisation_id', '=', org)
            .where('active', '=', true)
            .executeTakeFirst(),
        ),
        count(
          db
            .selectFrom('api_clients')
            .select((e) => e.fn.countAll<string>().as('n'))
            .where('organisation_id', '=', org)
            .where('revoked_at', 'is', null)
            .executeTakeFirst(),
        ),
        count(
          db
            .selectFrom('webhook_subscriptions')
            .select((e) => e.fn.countAll<string>().as('n'))
            .where('organisation_id', '=', org)
            .where('active', '=', true)
            .executeTakeFirst(),
        ),
        count(
          db
            .selectFrom('deliveries')
            .select((e) => e.fn.countAll<string>().as('n'))
            .where('organisation_id', '=', org)
            .where((eb) => eb.or([eb('status', '=', 'dead'), eb.and([eb('status', '=', 'pending'), eb('attempts', '>', 0)])]))
            .executeTakeFirst(),
        ),
      ]);
      return { professionals, apiClients, webhooks, failedDeliveries };
    },

    // ----------------------------------------------------------------------------------------
    // Professionals

    async listProfessionals(actor: ProfessionalActor): Promise<CoordinatedProfessional[]> {
      await authorise(db, actor);
      const rows = await professionalsOf(db, actor.organisationId);
      await audit.record(db, clock.now(), { type: 'professional.listed', actor, organisationId: actor.organisationId, details: { count: rows.length } });
      return rows;
    },

    async getProfessional(actor: ProfessionalActor, id: string): Promise<CoordinatedProfessional> {
      await authorise(db, actor);
      return professional(actor, id);
    },

    /**
     * A new professional, invited to the web application (web-invitation.ts); returns a function that
     * sends the invitation mail, to be called once this has committed (it is, when this returns).
     */
    async invite(actor: ProfessionalActor, input: InviteInput): Promise<{ professionalId: string; sendInvitation: () => Promise<void> }> {
      await authorise(db, actor);
      const now = clock.now();
      const email = normaliseEmail(input.email);
      try {
        return await db.transaction().execute(async (trx) => {
          const taken = await trx
            .selectFrom('professionals')
            .select('id')
            .where('organisation_id', '=', actor.organisationId)
            .where('email', '=', email)
            .executeTakeFirst();
          if (taken) throw new InviteRefused('Uw organisatie heeft al een professional met dit e-mailadres.');
          const row = await trx
            .insertInto('professionals')
            .values({
              organisation_id: actor.organisationId,
              name: input.name,
              email,
              phone: input.phone,
              job_title: input.jobTitle,
              coordinator: input.coordinator,
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await audit.record(trx, now, {
            type: 'professional.created',
            actor,
            resource: { type: 'professional', id: row.id },
            details: { coordinator: input.coordinator },
          });
          const invited = await invitations.invite(trx, actor, row.id, actor.organisationId);
          return { professionalId: row.id, sendInvitation: invited.send };
        });
      } catch (error) {
        if (isUniqueViolation(error) || (isInvitationRefusal(error) && error.code === 'email_in_use'))
          throw new InviteRefused('Met dit e-mailadres bestaat al een account in SluiS. Kies een ander e-mailadres.');
        throw error;
      }
    },

    /**
     * A web account for a professional who has none yet (for instance one registered through the API),
     * or a fresh invitation for one who has not chosen a password (web-invitation.ts, whose refusals
     * it throws). Returns the mail sender.
     */
    async inviteExisting(actor: ProfessionalActor, id: string): Promise<() => Promise<void>> {
      await authorise(db, actor);
      if (!isUuid(id)) throw notFound('professional');
      try {
        return await db.transaction().execute(async (trx) => (await invitations.invite(trx, actor, id, actor.organisationId)).send);
      } catch (error) {
        if (isUniqueViolation(error)) throw invitationRefused('email_in_use');
        throw error;
      }
    },

    /** The professional becomes inactive, their account can no longer sign in, and every session of theirs ends. */
    async deactivate(actor: ProfessionalActor, id: string): Promise<void> {
      await authorise(db, actor);
      if (id === actor.professionalId) throw conflict('You cannot deactivate yourself.');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = isUuid(id)
          ? await trx
              .updateTable('professionals')
              .set({ active: false, updated_at: now })
              .where('id', '=', id)
              .where('organisation_id', '=', actor.organisationId)
              .where('active', '=', true)
              .returning('id')
              .executeTakeFirst()
          : undefined;
        if (!row) throw notFound('professional');
        await audit.record(trx, now, { type: 'professional.updated', actor, resource: { type: 'professional', id }, details: { changed: 'active' } });
        await endWebAccessOf(trx, { audit, accounts }, { actor, professionalId: id, organisationId: actor.organisationId, now });
      });
    },

    /** Active colleagues a professional's signals can go to. */
    async colleaguesOf(actor: ProfessionalActor, id: string): Promise<CoordinatedProfessional[]> {
      await authorise(db, actor);
      return (await professionalsOf(db, actor.organisationId)).filter((p) => p.active && p.id !== id);
    },

    async transfer(actor: ProfessionalActor, fromProfessionalId: string, toProfessionalId: string): Promise<TransferResult> {
      await authorise(db, actor);
      if (!isUuid(fromProfessionalId) || !isUuid(toProfessionalId)) throw notFound('professional');
      return transferSignals({ db, clock, audit, settings, onOutbox: wake }, actor, { fromProfessionalId, toProfessionalId });
    },

    // ----------------------------------------------------------------------------------------
    // Profile

    async profile(actor: ProfessionalActor) {
      await authorise(db, actor);
      return db
        .selectFrom('organisations')
        .select(['id', 'name', 'domains', 'description', 'signalling_criteria', 'website', 'phone', 'email'])
        .where('id', '=', actor.organisationId)
        .executeTakeFirstOrThrow();
    },

    async updateProfile(actor: ProfessionalActor, input: ProfileInput): Promise<void> {
      await authorise(db, actor);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        await trx
          .updateTable('organisations')
          .set({
            description: input.description,
            signalling_criteria: input.signallingCriteria,
            website: input.website,
            phone: input.phone,
            email: input.email,
            domains: input.domains,
            updated_at: now,
          })
          .where('id', '=', actor.organisationId)
          .execute();
        await audit.record(trx, now, {
          type: 'organisation.updated',
          actor,
          resource: { type: 'organisation', id: actor.organisationId },
          details: { changed: 'description,domains,email,phone,signallingCriteria,website' },
        });
      });
    },

    // ----------------------------------------------------------------------------------------
    // API clients

    async apiClients(actor: ProfessionalActor): Promise<CoordinatorApiClient[]> {
      await authorise(db, actor);
      const clients = await deps.apiClients.list(actor.organisationId);
      // Live clients first, then the revoked ones, newest revocation first; each by creation.
      const revoked = clients.filter((c) => c.revokedAt).sort((a, b) => b.revokedAt!.getTime() - a.revokedAt!.getTime());
      return [...clients.filter((c) => !c.revokedAt), ...revoked].map(coordinatorView);
    },

    /** The token is returned here, once; only its hash is kept. */
    async createApiClient(actor: ProfessionalActor, name: string): Promise<CoordinatorApiClient & { token: string }> {
      await authorise(db, actor);
      const created = await deps.apiClients.createForOrganisation(actor, actor.organisationId, name);
      return { ...coordinatorView(created), token: created.token };
    },

    /** A new token for one of the organisation's clients; the current one works on for `overlapDays`. The token is returned here, once. */
    async issueApiToken(actor: ProfessionalActor, id: string, overlapDays: number): Promise<CoordinatorApiClient & { token: string }> {
      await authorise(db, actor);
      const issued = await deps.apiClients.issueToken(actor, id, overlapDays);
      return { ...coordinatorView(issued), token: issued.token };
    },

    /** Ends the older of a client's two live tokens before its overlap is over. */
    async revokeApiToken(actor: ProfessionalActor, id: string, tokenId: string): Promise<void> {
      await authorise(db, actor);
      await deps.apiClients.revokeToken(actor, id, tokenId);
    },

    async revokeApiClient(actor: ProfessionalActor, id: string): Promise<void> {
      await authorise(db, actor);
      if (!isUuid(id)) throw notFound('API client');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('api_clients')
          .set({ revoked_at: now })
          .where('id', '=', id)
          .where('organisation_id', '=', actor.organisationId)
          .where('revoked_at', 'is', null)
          .returning('id')
          .executeTakeFirst();
        if (!row) throw notFound('API client');
        await audit.record(trx, now, { type: 'api_client.revoked', actor, resource: { type: 'api_client', id } });
      });
    },

    // ----------------------------------------------------------------------------------------
    // Webhooks

    async webhooks(actor: ProfessionalActor): Promise<CoordinatorWebhook[]> {
      await authorise(db, actor);
      const now = clock.now();
      const rows = await db
        .selectFrom('webhook_subscriptions as w')
        .innerJoin('api_clients as c', 'c.id', 'w.api_client_id')
        .select(['w.id', 'w.url', 'w.event_types', 'w.created_at', 'w.previous_secret_expires_at', 'c.name as client_name'])
        .where('w.organisation_id', '=', actor.organisationId)
        .where('w.active', '=', true)
        .orderBy('w.created_at')
        .execute();
      return rows.map((r) => ({
        id: r.id,
        url: r.url,
        eventTypes: r.event_types,
        apiClientName: r.client_name,
        createdAt: r.created_at,
        previousSecretValidUntil: r.previous_secret_expires_at && r.previous_secret_expires_at > now ? r.previous_secret_expires_at : null,
      }));
    },

    /** A subscription for one of the organisation's active API clients; the secret is returned here, once. */
    async createWebhook(
      actor: ProfessionalActor,
      input: { apiClientId: string; url: string; eventTypes: OutboxEventType[] },
    ): Promise<{ id: string; secret: string }> {
      await authorise(db, actor);
      const created = await deps.webhooks.subscribe(actor, input);
      return { id: created.id, secret: created.secret };
    },

    /** A new secret, returned once; the old one keeps signing alongside it for 24 hours. */
    async rotateWebhookSecret(actor: ProfessionalActor, id: string): Promise<{ id: string; secret: string; previousSecretValidUntil: Date }> {
      await authorise(db, actor);
      const rotated = await deps.webhooks.rotateSecret(actor, id);
      return { id: rotated.id, secret: rotated.secret, previousSecretValidUntil: rotated.previousSecretValidUntil! };
    },

    /** Stops the subscription; its undelivered events become dead letters (the event feed still has them). */
    async removeWebhook(actor: ProfessionalActor, id: string): Promise<void> {
      await authorise(db, actor);
      await deps.webhooks.remove(actor, id);
    },

    // ----------------------------------------------------------------------------------------
    // Deliveries that failed

    /** Dead letters, and deliveries still being retried after a failure; newest first, a page at a time, with how many (up to COUNT_CAP). No message content. */
    async failedDeliveries(actor: ProfessionalActor, slice: Slice): Promise<Positioned<FailedDelivery>> {
      await authorise(db, actor);
      const failed = db
        .selectFrom('deliveries as d')
        .where('d.organisation_id', '=', actor.organisationId)
        .where((eb) => eb.or([eb('d.status', '=', 'dead'), eb.and([eb('d.status', '=', 'pending'), eb('d.attempts', '>', 0)])]));
      const [rows, counted] = await Promise.all([
        failed
          .leftJoin('professionals as p', 'p.id', 'd.professional_id')
          .leftJoin('webhook_subscriptions as w', 'w.id', 'd.subscription_id')
          .select([
            'd.id',
            'd.event_type',
            'd.channel',
            'd.status',
            'd.attempts',
            'd.last_error',
            'd.created_at',
            'd.next_attempt_at',
            'p.name as professional_name',
            'w.url as webhook_url',
          ])
          .orderBy('d.id', 'desc')
          .limit(slice.limit)
          .offset(slice.offset)
          .execute(),
        db
          .selectFrom(
            failed
              .select(sql<number>`1`.as('one'))
              .limit(COUNT_CAP + 1)
              .as('t'),
          )
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow(),
      ]);
      await audit.record(db, clock.now(), { type: 'delivery.listed', actor, details: { count: rows.length, status: 'failed' } });
      return {
        items: rows.map((r) => ({
          id: r.id,
          eventType: r.event_type,
          channel: r.channel,
          status: r.status,
          attempts: r.attempts,
          lastError: r.last_error,
          createdAt: r.created_at,
          nextAttemptAt: r.next_attempt_at,
          recipient: r.channel === 'webhook' ? (r.webhook_url ?? 'webhook') : (r.professional_name ?? 'e-mail'),
        })),
        ...cappedTotal(Number(counted.n)),
      };
    },

    /** Puts a dead letter of the organisation back in the queue. */
    async retryDelivery(actor: ProfessionalActor, id: number): Promise<void> {
      await authorise(db, actor);
      await deps.deliveries.retry(actor, id);
    },
  };
}
