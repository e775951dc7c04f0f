/** /api/v1/audit-events: the audit trail (administrators); /api/v1/processing-activities and the Logboek export (administrators and privacy officers). */

import { Readable } from 'node:stream';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { callerOf } from '../api/caller.ts';
import { Id, Instant, Nullable, PageOf, PageQuery, problemResponses, StringEnum } from '../api/schemas.ts';
import { Bsn } from '../persons/bsn.ts';
import type { PersonCrypto } from '../persons/identity-keys.ts';
import type { KeyRotation } from '../persons/key-rotation.ts';
import { AUDIT_EVENT_TYPES } from './audit-catalogue.ts';
import type { AuditService } from './audit-service.ts';
import { PROCESSING_ACTIVITY_IDS } from './processing-activities.ts';

const tags = ['Audit trail'];
const security = [{ bearer: [] }];

const AuditEventView = Type.Object({
  id: Type.Integer(),
  occurredAt: Instant,
  eventType: Type.String(),
  outcome: Type.String(),
  actorType: Type.String(),
  actorId: Nullable(Id),
  organisationId: Nullable(Id),
  apiClientId: Nullable(Id),
  subject: Nullable(Type.String({ description: "A short reference to the subject's pseudonym; equal for the same person" })),
  resourceType: Nullable(Type.String()),
  resourceId: Nullable(Id),
  requestId: Nullable(Type.String()),
  traceId: Nullable(
    Type.String({ description: "The W3C trace id of the request that wrote it (from its traceparent); the request's log lines carry it as traceId" }),
  ),
  actorName: Nullable(Type.String({ description: "The acting professional's or staff member's name" })),
  organisationName: Nullable(Type.String()),
  details: Type.Record(Type.String(), Type.Unknown()),
  names: Type.Record(
    Type.String(),
    Type.Object({
      kind: StringEnum(['professional', 'staff_member', 'organisation', 'api_client', 'web_account', 'covenant', 'signal'] as const),
      name: Type.String({ description: "A covenant's reference; a web account's holder; a signal's professional" }),
      organisationName: Nullable(Type.String()),
    }),
    {
      description:
        'The names of the ids in this event (actor, organisation, API client, resource and the ids among the details), by id; looked up when read, once per page',
    },
  ),
});

const filters = {
  eventType: Type.Optional(StringEnum(AUDIT_EVENT_TYPES)),
  organisationId: Type.Optional(Id),
  actorId: Type.Optional(Id),
  outcome: Type.Optional(StringEnum(['success', 'denied', 'not_found'] as const)),
  from: Type.Optional(Type.String({ format: 'date-time' })),
  to: Type.Optional(Type.String({ format: 'date-time' })),
  ...PageQuery,
};

/** The services these routes call. */
export type AuditRoutesServices = { auditTrail: AuditService; crypto: PersonCrypto; keyRotation: Pick<KeyRotation, 'ensureRekeyed'> };

export const auditRoutes: FastifyPluginAsyncTypebox<{ services: AuditRoutesServices }> = async (app, { services }) => {
  app.get(
    '/audit-events',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'Read the audit trail, newest first',
        querystring: Type.Object(filters, { additionalProperties: false }),
        response: { 200: PageOf(AuditEventView), ...problemResponses },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'administrator');
      const { limit, ...rest } = request.query;
      return services.auditTrail.list(actor, { limit: limit ?? 50, ...definedOnly(rest) });
    },
  );

  app.post(
    '/audit-events/search',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: "Audit events about one person (for a data subject's request)",
        description: 'The BSN goes in the body, never in a URL. The search itself is audited.',
        body: Type.Object({ bsn: Type.String({ format: 'bsn' }), ...filters }, { additionalProperties: false }),
        response: { 200: PageOf(AuditEventView), ...problemResponses },
      },
    },
    async (request) => {
      const actor = callerOf(request, 'administrator');
      const { bsn, limit, ...rest } = request.body;
      const parsed = Bsn.parse(bsn)!;
      await services.keyRotation.ensureRekeyed({ bsns: [parsed] });
      const subjectKey = services.crypto.personKey(parsed);
      return services.auditTrail.list(actor, { limit: limit ?? 50, subjectKey, ...definedOnly(rest) });
    },
  );
};

const ProcessingActivityOut = Type.Object({
  id: StringEnum(PROCESSING_ACTIVITY_IDS),
  name: Type.String(),
  purpose: Type.String(),
  legalBasis: Type.String(),
  dataCategories: Type.Array(Type.String()),
  retention: Type.String({ description: 'From the current settings where it is a setting' }),
  recipients: Type.Array(Type.String()),
});

/** The processing register and the Logboek Dataverwerkingen export (administrators and privacy officers). */
export const processingRoutes: FastifyPluginAsyncTypebox<{ services: AuditRoutesServices }> = async (app, { services }) => {
  const caller = 'administratorOrPrivacyOfficer' as const;
  app.get(
    '/processing-activities',
    {
      config: { caller },
      schema: {
        tags: ['Accountability'],
        security,
        summary: 'The processing register: every processing activity of SluiS with purpose, legal basis, data categories, retention and recipients',
        response: { 200: Type.Array(ProcessingActivityOut), ...problemResponses },
      },
    },
    async (request) => services.auditTrail.processingRegister(callerOf(request, caller)),
  );

  app.get(
    '/audit-events/logbook',
    {
      config: { caller },
      schema: {
        tags: ['Accountability'],
        security,
        summary: 'The audit trail of a period in the fields of the Logboek Dataverwerkingen, as NDJSON (one record per line, oldest first)',
        description:
          'Each line: trace_id, span_id, name, start_time, end_time, status_code, resource, attributes (dpl.core.processing_activity_id, dpl.core.data_subject_id: the pseudonym in hex, dpl.core.data_subject_id_type). The export is audited.',
        querystring: Type.Object({ from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
        response: { 200: { description: 'NDJSON', content: { 'application/x-ndjson': { schema: Type.String() } } }, ...problemResponses },
      },
    },
    async (request, reply) => {
      const chunks = await services.auditTrail.exportLogbook(callerOf(request, caller), request.query);
      const lines = (async function* () {
        for await (const chunk of chunks) yield chunk.map((record) => `${JSON.stringify(record)}\n`).join('');
      })();
      return reply.type('application/x-ndjson').send(Readable.from(lines));
    },
  );
};

const definedOnly = <T extends object>(value: T) =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as { [K in keyof T]: Exclude<T[K], undefined> };
