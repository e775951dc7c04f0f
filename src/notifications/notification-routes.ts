/** /api/v1/events, /webhook-subscriptions, /deliveries, /dev-mailbox. */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, IdParams, Instant, Nullable, PageOf, PageQuery, problemResponses, StringEnum } from '../api/schemas.ts';
import type { Cursors } from '../shared/paging.ts';
import type { DeliveryService } from './delivery-service.ts';
import type { EventFeedService } from './event-feed-service.ts';
import { EVENT_TYPES, STAFF_EVENT_TYPES } from './events.ts';
import type { WebhookService } from './webhook-service.ts';

const security = [{ bearer: [] }];
const EventType = StringEnum(EVENT_TYPES);

const CloudEventSchema = Type.Object({
  specversion: Type.Literal('1.0'),
  id: Type.String({ description: 'The same for this event on every channel: drop duplicates by it' }),
  source: Type.String(),
  type: Type.String({ description: 'nl.sluis.<event type>' }),
  time: Type.String(),
  datacontenttype: Type.String(),
  subject: Type.String({ description: "The recipient professional's signal id" }),
  sequence: Type.String({ description: 'Position in the feed: pass the last one as `after`' }),
  data: Type.Object({
    signalId: Id,
    matchId: Type.Optional(Id),
    matchKind: Type.Optional(
      StringEnum(['family', 'address', 'cross_region'] as const, {
        description:
          "A family match (gezinsmatch): another professional is involved with a child of the same registered parent; an address match (adresmatch): with someone at the same registered home address. Then newSignalId is never given, and leftSignalId, coordinatorSignalId and proposedSignalId only when they are your own signal (leftSignalId: your signal left the match while staying active, because the register no longer links its person to the parent or the address): nothing points at the other child or the other person at the address. A cross-region match (cross_region): professionals in another region are involved with the same person; a joining or leaving there has no newSignalId or leftSignalId (read the match for the other regions' contacts).",
      }),
    ),
    matchEnded: Type.Optional(
      Type.Boolean({ description: 'match.participant_left of a cross-region match: the match ended, because no other region holds the person any more' }),
    ),
    newSignalId: Type.Optional(Id),
    leftSignalId: Type.Optional(Id),
    reason: Type.Optional(Type.String()),
    action: Type.Optional(Type.String({ description: 'coordination.changed: what happened (take, propose_handover, …, escalate, appoint, resolve)' })),
    coordinatorSignalId: Type.Optional(Id),
    proposedSignalId: Type.Optional(Id),
    professionalId: Id,
    organisationId: Id,
  }),
});

const WebhookView = Type.Object({
  id: Id,
  url: Type.String(),
  eventTypes: Type.Array(EventType),
  createdAt: Instant,
  previousSecretValidUntil: Nullable(Instant),
});
const WebhookWithSecret = Type.Object({ ...WebhookView.properties, secret: Type.String({ description: 'whsec_…: shown once; verify signatures with it' }) });

const DeliveryView = Type.Object({
  id: Type.Integer(),
  eventType: StringEnum([...EVENT_TYPES, ...STAFF_EVENT_TYPES]),
  channel: StringEnum(['email', 'webhook'] as const),
  organisationId: Nullable(Id),
  professionalId: Nullable(Id),
  subscriptionId: Nullable(Id),
  status: StringEnum(['pending', 'delivered', 'dead'] as const),
  attempts: Type.Integer(),
  nextAttemptAt: Instant,
  lastError: Nullable(Type.String()),
  createdAt: Instant,
  deliveredAt: Nullable(Instant),
});
const DeliveryParams = Type.Object({ id: Type.Integer({ minimum: 1 }) }, { additionalProperties: false });

/** The services these routes call. */
export type NotificationRoutesServices = { deliveries: DeliveryService; eventFeed: EventFeedService; webhooks: WebhookService; cursors: Cursors };

export const notificationRoutes: FastifyPluginAsyncTypebox<{ services: NotificationRoutesServices }> = async (app, { services }) => {
  app.get(
    '/events',
    {
      config: { caller: 'recordSystem' },
      schema: {
        tags: ['Events'],
        security,
        summary: "The organisation's events in order, as CloudEvents (long polling with `wait`)",
        querystring: Type.Object(
          {
            after: Type.Optional(Type.String({ maxLength: 200, description: 'nextCursor of the previous answer; leave out to start at the beginning' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 500, default: 100 })),
            wait: Type.Optional(
              Type.Integer({ minimum: 0, maximum: 30, default: 0, description: 'Seconds to hold the request open when there is nothing new' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ items: Type.Array(CloudEventSchema), nextCursor: Type.String() }), ...problemResponses },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'recordSystem');
      const { after, limit, wait } = request.query;
      return services.eventFeed.read(actor, { ...(after !== undefined && { after }), limit: limit ?? 100, waitSeconds: wait ?? 0 });
    },
  );

  const tags = ['Webhooks'];
  app.get(
    '/webhook-subscriptions',
    {
      config: { caller: 'recordSystem' },
      schema: {
        tags,
        security,
        summary: "The organisation's webhook subscriptions",
        querystring: Type.Object({ ...PageQuery }, { additionalProperties: false }),
        response: { 200: PageOf(WebhookView), ...problemResponses },
      },
    },
    async (request) => {
      const all = await services.webhooks.list(callerOf(request, 'recordSystem'));
      return services.cursors.pageOfWhole('webhooks', all, { limit: request.query.limit ?? 50, ...(request.query.cursor && { cursor: request.query.cursor }) });
    },
  );

  app.post(
    '/webhook-subscriptions',
    {
      config: { caller: 'recordSystem' },
      schema: {
        tags,
        security,
        summary: 'Subscribe a URL to events; the answer holds the signing secret, once',
        body: Type.Object(
          {
            url: Type.String({
              maxLength: 2000,
              pattern: '^https?://',
              format: 'uri',
              description:
                'https:// to a host that is, or resolves only to, public addresses (checked again at every delivery); http:// only to networks the server allows (SLUIS_WEBHOOK_ALLOWED_NETWORKS); no user name or password. Refused: 422 with invalidParams code address_not_allowed, host_not_resolved, https_required or credentials_not_allowed',
            }),
            eventTypes: Type.Array(EventType, { minItems: 1, uniqueItems: true }),
          },
          { additionalProperties: false },
        ),
        response: { 201: WebhookWithSecret, ...problemResponses },
      },
    },
    async (request, reply) => reply.status(201).send(await services.webhooks.subscribe(callerOf(request, 'recordSystem'), request.body)),
  );

  app.post(
    '/webhook-subscriptions/:id/rotate-secret',
    {
      config: { caller: 'recordSystem' },
      schema: {
        tags,
        security,
        params: IdParams,
        summary: 'A new signing secret; the old one keeps signing alongside for 24 hours',
        response: { 200: WebhookWithSecret, ...problemResponses },
      },
    },
    async (request) => services.webhooks.rotateSecret(callerOf(request, 'recordSystem'), request.params.id),
  );

  app.delete(
    '/webhook-subscriptions/:id',
    {
      config: { caller: 'recordSystem' },
      schema: { tags, security, params: IdParams, summary: 'Remove a subscription', response: { 204: Type.Null(), ...problemResponses } },
    },
    async (request, reply) => {
      await services.webhooks.remove(callerOf(request, 'recordSystem'), request.params.id);
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/deliveries',
    {
      config: { caller: 'administratorOrRecordSystem' },
      schema: {
        tags: ['Deliveries'],
        security,
        summary: "Mails and webhook calls, newest first (administrators: all; a record system: its organisation's)",
        querystring: Type.Object(
          { status: Type.Optional(StringEnum(['pending', 'delivered', 'dead'] as const)), organisationId: Type.Optional(Id), ...PageQuery },
          { additionalProperties: false },
        ),
        response: { 200: PageOf(DeliveryView), ...problemResponses },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'administratorOrRecordSystem');
      const { status, organisationId, limit, cursor } = request.query;
      return services.deliveries.list(actor, {
        limit: limit ?? 50,
        ...(status && { status }),
        ...(organisationId && { organisationId }),
        ...(cursor && { cursor }),
      });
    },
  );

  app.post(
    '/deliveries/:id/retry',
    {
      config: { caller: 'administratorOrRecordSystem' },
      schema: {
        tags: ['Deliveries'],
        security,
        params: DeliveryParams,
        summary: 'Put a dead letter back in the queue',
        response: { 200: DeliveryView, ...problemResponses },
      },
    },
    async (request) => services.deliveries.retry(callerOf(request, 'administratorOrRecordSystem'), request.params.id),
  );

  app.get(
    '/dev-mailbox',
    {
      config: { caller: 'administrator' },
      schema: {
        tags: ['Deliveries'],
        security,
        summary: 'The development mailbox: mails sent while no SMTP server is configured (administrators)',
        querystring: Type.Object(
          {
            to: Type.Optional(Type.String({ format: 'email' })),
            limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 200, default: 50 })),
            cursor: PageQuery.cursor,
          },
          { additionalProperties: false },
        ),
        response: {
          200: PageOf(
            Type.Object({ id: Type.Integer(), receivedAt: Instant, to: Type.String(), subject: Type.String(), text: Type.String(), html: Type.String() }),
          ),
          ...problemResponses,
        },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'administrator');
      const { to, limit, cursor } = request.query;
      return services.deliveries.devMailbox(actor, { limit: limit ?? 50, ...(to && { to }), ...(cursor && { cursor }) });
    },
  );
};
