/**
 * Looking after deliveries: the municipality's administrators see all of them, a record system those
 * of its own organisation; a dead letter can be put back in the queue by hand. Also the development
 * mailbox (administrators only).
 */
import { type Kysely, type SelectQueryBuilder, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, DeliveryChannel, DeliveryStatus, OutboxEventType } from '../db/schema.ts';
import type { ProfessionalActor, RecordSystemActor, StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';
import { COUNT_CAP, type CountedPage, type Cursors, cappedTotal, type Positioned, type Slice } from '../shared/paging.ts';

export type DeliveryView = {
  id: number;
  eventType: OutboxEventType;
  channel: DeliveryChannel;
  /** Null for a mail to a staff member. */
  organisationId: string | null;
  professionalId: string | null;
  subscriptionId: string | null;
  status: DeliveryStatus;
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  createdAt: Date;
  deliveredAt: Date | null;
};

export type DevMail = { id: number; receivedAt: Date; to: string; subject: string; text: string; html: string };

export type DeliveryService = ReturnType<typeof createDeliveryService>;

export function createDeliveryService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; cursors: Cursors; wake: () => void }) {
  const { db, clock, audit } = deps;
  const columns = [
    'id',
    'event_type',
    'channel',
    'organisation_id',
    'professional_id',
    'subscription_id',
    'status',
    'attempts',
    'next_attempt_at',
    'last_error',
    'created_at',
    'delivered_at',
  ] as const;
  type Row = {
    id: number;
    event_type: OutboxEventType;
    channel: DeliveryChannel;
    organisation_id: string | null;
    professional_id: string | null;
    subscription_id: string | null;
    status: DeliveryStatus;
    attempts: number;
    next_attempt_at: Date;
    last_error: string | null;
    created_at: Date;
    delivered_at: Date | null;
  };
  const toView = (row: Row): DeliveryView => ({
    id: row.id,
    eventType: row.event_type,
    channel: row.channel,
    organisationId: row.organisation_id,
    professionalId: row.professional_id,
    subscriptionId: row.subscription_id,
    status: row.status,
    attempts: row.attempts,
    nextAttemptAt: row.next_attempt_at,
    lastError: row.last_error,
    createdAt: row.created_at,
    deliveredAt: row.delivered_at,
  });
  const scope = (actor: StaffActor | RecordSystemActor, organisationId: string | undefined) =>
    actor.kind === 'record_system' ? actor.organisationId : organisationId;

  return {
    async list(
      actor: StaffActor | RecordSystemActor,
      query: { status?: DeliveryStatus; organisationId?: string; limit: number; cursor?: string },
    ): Promise<CountedPage<DeliveryView>> {
      const before = query.cursor ? deps.cursors.decodeNumber('deliveries', query.cursor) : undefined;
      const organisationId = scope(actor, query.organisationId);
      let filtered = db.selectFrom('deliveries');
      if (organisationId) filtered = filtered.where('organisation_id', '=', organisationId);
      if (query.status) filtered = filtered.where('status', '=', query.status);
      let select = filtered
        .select(columns)
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (before !== undefined) select = select.where('id', '<', before);
      const [rows, counted] = await Promise.all([select.execute(), countUpToCap(db, filtered)]);
      const page = rows.slice(0, query.limit);
      await audit.record(db, clock.now(), {
        type: 'delivery.listed',
        actor,
        organisationId: organisationId ?? null,
        details: { count: page.length, status: query.status ?? null },
      });
      const last = page.at(-1);
      return {
        items: page.map(toView),
        nextCursor: rows.length > query.limit && last ? deps.cursors.encodeNumber('deliveries', last.id) : null,
        ...cappedTotal(counted),
      };
    },

    /** Administrators any; a record system or the organisation's coordinator (authorised by the caller) their organisation's. */
    async retry(actor: StaffActor | RecordSystemActor | ProfessionalActor, id: number): Promise<DeliveryView> {
      const now = clock.now();
      if (!Number.isSafeInteger(id) || id <= 0) throw notFound('delivery');
      const view = await db.transaction().execute(async (trx) => {
        let select = trx.selectFrom('deliveries').select(['status', 'organisation_id']).where('id', '=', id);
        if (actor.kind !== 'staff') select = select.where('organisation_id', '=', actor.organisationId);
        const current = await select.forUpdate().executeTakeFirst();
        if (!current) throw notFound('delivery');
        if (current.status !== 'dead') throw conflict(`Only a dead letter can be retried; this delivery is ${current.status}.`);
        const row = await trx
          .updateTable('deliveries')
          .set({ status: 'pending', attempts: 0, next_attempt_at: now, lease_until: null })
          .where('id', '=', id)
          .returning(columns)
          .executeTakeFirstOrThrow();
        await audit.record(trx, now, { type: 'delivery.retried', actor, organisationId: current.organisation_id, details: { delivery: id } });
        return toView(row);
      });
      deps.wake();
      return view;
    },

    /** The development mailbox's mails to one address, newest first, a page at a time: what a signed-in user would have received (demo and development only). */
    async ownDevMail(actor: ProfessionalActor | StaffActor, email: string, slice: Slice): Promise<Positioned<DevMail>> {
      const filtered = db.selectFrom('dev_mailbox').where('to_address', '=', email.toLowerCase());
      const [rows, counted] = await Promise.all([
        filtered.selectAll().orderBy('id', 'desc').limit(slice.limit).offset(slice.offset).execute(),
        countUpToCap(db, filtered),
      ]);
      await audit.record(db, clock.now(), { type: 'dev_mailbox.read', actor, details: { count: rows.length, own: true } });
      return {
        items: rows.map((row) => ({
          id: row.id,
          receivedAt: row.received_at,
          to: row.to_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
        })),
        ...cappedTotal(counted),
      };
    },

    /** The development mailbox, newest first, by cursor (the API) or position (the page), with how many mails there are (up to COUNT_CAP). */
    async devMailbox(actor: StaffActor, query: { to?: string; limit: number; cursor?: string; offset?: number }): Promise<CountedPage<DevMail>> {
      const before = query.cursor ? deps.cursors.decodeNumber('dev-mailbox', query.cursor) : undefined;
      let filtered = db.selectFrom('dev_mailbox');
      if (query.to) filtered = filtered.where('to_address', '=', query.to.toLowerCase());
      let select = filtered
        .selectAll()
        .orderBy('id', 'desc')
        .limit(query.limit + 1);
      if (before !== undefined) select = select.where('id', '<', before);
      if (query.offset) select = select.offset(query.offset);
      const [rows, counted] = await Promise.all([select.execute(), countUpToCap(db, filtered)]);
      const page = rows.slice(0, query.limit);
      await audit.record(db, clock.now(), { type: 'dev_mailbox.read', actor, details: { count: page.length } });
      const last = page.at(-1);
      return {
        items: page.map((row) => ({
          id: row.id,
          receivedAt: row.received_at,
          to: row.to_address,
          subject: row.subject,
          text: row.text_body,
          html: row.html_body,
        })),
        nextCursor: rows.length > query.limit && last ? deps.cursors.encodeNumber('dev-mailbox', last.id) : null,
        ...cappedTotal(counted),
      };
    },
  };
}

/** How many rows a filtered list holds, counting no further than COUNT_CAP + 1 (lists that grow without bound). */
async function countUpToCap<T extends keyof DB>(db: Kysely<DB>, filtered: SelectQueryBuilder<DB, T, object>): Promise<number> {
  const row = await db
    .selectFrom(
      filtered
        .select(sql<number>`1`.as('one'))
        .limit(COUNT_CAP + 1)
        .as('t'),
    )
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
