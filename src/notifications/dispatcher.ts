/**
 * Turns pending outbox records into what is delivered: one e-mail to the recipient professional,
 * one webhook delivery per subscription of their organisation that wants the event, and one event
 * in the organisation's feed. Runs in one transaction per batch; one dispatcher at a time (an
 * advisory lock), so deliveries are numbered in the order of the events. Mails are rendered here, from the state at dispatch,
 * and stored with the delivery so that every retry sends the same message.
 */
import { type Kysely, sql } from 'kysely';
import { BREACH_CATEGORY_LABELS, BREACH_DATA_CATEGORY_LABELS } from '../breaches/breach-labels.ts';
import type { BreachCategory, BreachDataCategory } from '../breaches/breach-rules.ts';
import type { DB, OutboxEventType } from '../db/schema.ts';
import { type OtherRegion, otherRegionsOfMatches, type RemoteContact } from '../matches/other-regions.ts';
import { selectParticipants } from '../matches/participants.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { Clock } from '../shared/clock.ts';
import { extensionOffer, extensionRules } from '../signals/lifetime.ts';
import {
  type EventData,
  eventId,
  isBreachNotice,
  isConsultationEvent,
  isHubEvent,
  isMailed,
  isMoveFromRegion,
  isRightsDecisionNotice,
  isStaffEvent,
  publicEventData,
  toCloudEvent,
} from './events.ts';
import {
  type MailContact,
  renderBreachMail,
  renderConsultationMail,
  renderMail,
  renderMoveInMail,
  renderRightsDeadlineMail,
  renderRightsDecisionMail,
} from './mail-templates.ts';

export type Dispatcher = ReturnType<typeof createDispatcher>;

const DISPATCH_LOCK = 7_150_003;

type ProfessionalRow = {
  id: number;
  created_at: Date;
  event_type: OutboxEventType;
  recipient_professional_id: string;
  organisation_id: string;
  payload: unknown;
};
type StaffRow = { id: number; created_at: Date; event_type: OutboxEventType; recipient_staff_member_id: string; payload: unknown };
type OutboxRow = ProfessionalRow;

export type EmailMessage = { to: string; subject: string; text: string; html: string; messageId: string };

/** Where a move to each of `codes` is told: each active coordinator of the municipality contact's organisation, or its e-mail address; none when no contact is set. */
async function moveRecipientsOf(trx: Kysely<DB>, codes: (string | undefined)[]) {
  const wanted = [...new Set(codes.filter((code): code is string => Boolean(code)))];
  const contacts = wanted.length === 0 ? [] : await trx.selectFrom('municipality_contacts').selectAll().where('municipality_code', 'in', wanted).execute();
  const organisations = contacts.map((c) => c.organisation_id).filter((id): id is string => id !== null);
  const coordinators =
    organisations.length === 0
      ? []
      : await trx
          .selectFrom('professionals')
          .select(['id', 'name', 'email', 'organisation_id'])
          .where('organisation_id', 'in', organisations)
          .where('coordinator', '=', true)
          .where('active', '=', true)
          .orderBy('id')
          .execute();
  return (code: string | undefined): { professionalId: string | null; organisationId: string | null; name: string | null; email: string }[] => {
    const contact = contacts.find((c) => c.municipality_code === code);
    if (!contact) return [];
    if (contact.email) return [{ professionalId: null, organisationId: null, name: null, email: contact.email }];
    return coordinators
      .filter((c) => c.organisation_id === contact.organisation_id)
      .map((c) => ({ professionalId: c.id, organisationId: c.organisation_id, name: c.name, email: c.email }));
  };
}

export function createDispatcher(deps: { db: Kysely<DB>; clock: Clock; settings: SettingsService; publicUrl: string; mailHost: string }) {
  const { db, clock, settings, publicUrl } = deps;

  async function context(trx: Kysely<DB>, rows: OutboxRow[]) {
    const data = rows.map((row) => row.payload as EventData);
    const signalIds = [
      ...new Set(data.flatMap((d) => [d.signalId, d.newSignalId, d.leftSignalId, d.coordinatorSignalId].filter((id): id is string => Boolean(id)))),
    ];
    const matchIds = [...new Set(data.map((d) => d.matchId).filter((id): id is string => Boolean(id)))];
    const organisationIds = [...new Set(rows.map((row) => row.organisation_id))];

    const signals =
      signalIds.length === 0
        ? []
        : await trx
            .selectFrom('signals as s')
            .innerJoin('professionals as p', 'p.id', 's.professional_id')
            .innerJoin('organisations as o', 'o.id', 's.organisation_id')
            .select([
              's.id',
              's.client_reference',
              's.filed_at',
              's.active_until',
              's.end_reason',
              's.person_date_of_birth',
              'p.name as professionalName',
              'p.email',
              'p.phone',
              'o.name as organisationName',
            ])
            .where('s.id', 'in', signalIds)
            .execute();
    const participants = matchIds.length === 0 ? [] : await selectParticipants(trx).where('pd.match_id', 'in', matchIds).execute();
    // Only staff members' mails in this batch: no professional or organisation to read.
    const recipients =
      rows.length === 0
        ? []
        : await trx
            .selectFrom('professionals')
            .select(['id', 'name', 'email'])
            .where('id', 'in', [...new Set(rows.map((row) => row.recipient_professional_id))])
            .execute();
    const subscriptions =
      organisationIds.length === 0
        ? []
        : await trx
            .selectFrom('webhook_subscriptions')
            .select(['id', 'organisation_id', 'event_types'])
            .where('organisation_id', 'in', organisationIds)
            .where('active', '=', true)
            .execute();

    // A move to another municipality: who hears of it there (its coordinators, or its e-mail address).
    const moveRecipients = await moveRecipientsOf(
      trx,
      rows.filter((row) => row.event_type === 'signal.person_moved').map((row) => (row.payload as EventData).municipalityCode),
    );

    const breachIds = [...new Set(data.map((d) => d.breachId).filter((id): id is string => Boolean(id)))];
    const breaches =
      breachIds.length === 0
        ? []
        : await trx
            .selectFrom('data_breaches')
            .select(['id', 'category', 'discovered_at', 'data_categories', 'ap_notified_on'])
            .where('id', 'in', breachIds)
            .execute();

    // A cross-region match: the other regions' professionals, as the hub relayed them.
    const crossRegion = await otherRegionsOfMatches(trx, matchIds);

    const signalById = new Map(signals.map((s) => [s.id, s]));
    const contact = (id: string | undefined): MailContact | null => {
      const s = id ? signalById.get(id) : undefined;
      return s ? { professionalName: s.professionalName, organisationName: s.organisationName, phone: s.phone, email: s.email, since: s.filed_at } : null;
    };
    return {
      breach: (id: string | undefined) => breaches.find((b) => b.id === id),
      signal: (id: string) => signalById.get(id),
      contact,
      others: (matchId: string | undefined, exceptSignalId: string) =>
        participants
          .filter((p) => p.matchId === matchId && p.signalId !== exceptSignalId)
          .map(
            (p): MailContact => ({
              professionalName: p.professionalName,
              organisationName: p.organisationName,
              phone: p.phone,
              email: p.email,
              since: p.since,
            }),
          ),
      recipient: new Map(recipients.map((r) => [r.id, r])),
      /** A cross-region match's other regions, each with the contacts relayed so far; undefined for another match. */
      otherRegions: (matchId: string | undefined): OtherRegion[] | undefined => (matchId ? crossRegion.get(matchId) : undefined),
      /** Where a move to this municipality is told: each coordinator of its organisation, or its e-mail address; none when no contact is set. */
      moveRecipients,
      subscriptionsOf: (organisationId: string, type: OutboxEventType) =>
        subscriptions.filter((s) => s.organisation_id === organisationId && s.event_types.includes(type)),
    };
  }

  return {
    /** Dispatches up to `limit` pending outbox records; returns how many, and which organisations got feed events. */
    async dispatchBatch(limit = 200): Promise<{ dispatched: number; organisations: string[] }> {
      const now = clock.now();
      const current = await settings.current();
      return db.transaction().execute(async (trx) => {
        // One dispatcher at a time (others skip this round), so deliveries get ids in event order.
        const turn = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${DISPATCH_LOCK}) as ok`.execute(trx);
        if (!turn.rows[0]?.ok) return { dispatched: 0, organisations: [] };
        const claimed = (
          await sql<OutboxRow & { recipient_staff_member_id: string | null }>`select id, created_at, event_type, recipient_professional_id,
          organisation_id, recipient_staff_member_id, payload
          from outbox where status = 'pending' order by id limit ${limit} for update skip locked`.execute(trx)
        ).rows;
        if (claimed.length === 0) return { dispatched: 0, organisations: [] };
        // A staff member's mail (no organisation): a mail only, never a feed event or a webhook.
        const staffRows = claimed.filter((row): row is typeof row & StaffRow => row.recipient_staff_member_id !== null);
        // Records for the hub (src/federation): one delivery over the channel 'federation', in order per
        // registration or cross-region match; never mailed, published or fed.
        const hubRows = claimed.filter((row) => isHubEvent(row.event_type));
        // A move from another region: a mail to this region's contact for the municipality, nothing else.
        const movedInRows = claimed.filter((row) => isMoveFromRegion(row.event_type));
        const rows: OutboxRow[] = claimed.filter(
          (row) => row.recipient_staff_member_id === null && !isHubEvent(row.event_type) && !isMoveFromRegion(row.event_type),
        );
        const ctx = await context(trx, rows);
        const feed = [];
        const deliveries: {
          outboxId: number;
          type: OutboxEventType;
          organisationId: string | null;
          channel: 'email' | 'webhook' | 'federation';
          recipient_key: string;
          professional_id: string | null;
          subscription_id: string | null;
          message: unknown;
        }[] = [];
        const staff =
          staffRows.length === 0
            ? []
            : await trx
                .selectFrom('staff_members')
                .select(['id', 'name', 'email'])
                .where(
                  'id',
                  'in',
                  staffRows.map((row) => row.recipient_staff_member_id),
                )
                .where('active', '=', true)
                .execute();
        for (const row of hubRows) {
          const data = row.payload as EventData;
          deliveries.push({
            outboxId: row.id,
            type: row.event_type,
            organisationId: null,
            channel: 'federation',
            recipient_key: `federation:${data.reference ?? data.hubMatch}`,
            professional_id: null,
            subscription_id: null,
            message: {
              type: row.event_type,
              ...(data.reference && { reference: data.reference }),
              ...(data.matchId && { matchId: data.matchId, hubMatch: data.hubMatch }),
              ...(data.move && { move: data.move, municipality: data.municipalityCode }),
            },
          });
        }
        if (movedInRows.length > 0) {
          const moveIds = movedInRows.map((row) => (row.payload as EventData).move ?? '');
          const moves = await trx.selectFrom('federation_moves').selectAll().where('id', 'in', moveIds).execute();
          const recipientsOf = await moveRecipientsOf(
            trx,
            moves.map((m) => m.municipality_code),
          );
          for (const row of movedInRows) {
            const move = moves.find((m) => m.id === (row.payload as EventData).move);
            if (!move) continue;
            const contacts = (typeof move.contacts === 'string' ? JSON.parse(move.contacts) : move.contacts) as RemoteContact[];
            for (const [n, to] of recipientsOf(move.municipality_code).entries()) {
              const mail = renderMoveInMail({
                recipientName: to.name,
                municipalityCode: move.municipality_code,
                fromRegion: { region: move.from_region, contacts },
              });
              deliveries.push({
                outboxId: row.id,
                type: row.event_type,
                organisationId: to.organisationId,
                channel: 'email',
                recipient_key: to.professionalId ? `professional:${to.professionalId}` : `email:${to.email}`,
                professional_id: to.professionalId,
                subscription_id: null,
                message: { to: to.email, ...mail, messageId: `<${eventId(row.id)}-moved-${n}@${deps.mailHost}>` } satisfies EmailMessage,
              });
            }
          }
        }
        for (const row of staffRows) {
          const member = staff.find((s) => s.id === row.recipient_staff_member_id);
          const data = row.payload as EventData;
          if (!member || !isStaffEvent(row.event_type)) continue;
          const mail = renderRightsDeadlineMail({ publicUrl, recipientName: member.name, overdue: data.overdue ?? 0, nearlyDue: data.nearlyDue ?? 0 });
          deliveries.push({
            outboxId: row.id,
            type: row.event_type,
            organisationId: null,
            channel: 'email',
            recipient_key: `staff:${member.id}`,
            professional_id: null,
            subscription_id: null,
            message: { to: member.email, ...mail, messageId: `<${eventId(row.id)}@${deps.mailHost}>` } satisfies EmailMessage,
          });
        }
        for (const row of rows) {
          const base = { outboxId: row.id, type: row.event_type, organisationId: row.organisation_id };
          const data = row.payload as EventData;
          if (isRightsDecisionNotice(row.event_type)) {
            // A mail to the professional only: no feed event, no webhook. The link only while the signal exists.
            const recipient = ctx.recipient.get(row.recipient_professional_id);
            if (recipient) {
              const signalId = data.signalId && ctx.signal(data.signalId) ? data.signalId : null;
              const mail = renderRightsDecisionMail({ publicUrl, recipientName: recipient.name, decision: data.decision ?? '', signalId });
              deliveries.push({
                ...base,
                channel: 'email',
                recipient_key: `professional:${recipient.id}`,
                professional_id: recipient.id,
                subscription_id: null,
                message: { to: recipient.email, ...mail, messageId: `<${eventId(row.id)}@${deps.mailHost}>` } satisfies EmailMessage,
              });
            }
            continue;
          }
          if (isBreachNotice(row.event_type)) {
            // A mail to the coordinator only: no feed event, no webhook.
            const recipient = ctx.recipient.get(row.recipient_professional_id);
            const breach = ctx.breach(data.breachId);
            if (recipient && breach) {
              const mail = renderBreachMail({
                recipientName: recipient.name,
                category: BREACH_CATEGORY_LABELS[breach.category as BreachCategory],
                discoveredAt: breach.discovered_at,
                dataCategories: breach.data_categories.map((c) => BREACH_DATA_CATEGORY_LABELS[c as BreachDataCategory]),
                apNotifiedOn: breach.ap_notified_on ? new Date(`${breach.ap_notified_on}T12:00:00Z`) : null,
                municipalityName: current.theme.municipalityName ?? 'De gemeente',
              });
              deliveries.push({
                ...base,
                channel: 'email',
                recipient_key: `professional:${recipient.id}`,
                professional_id: recipient.id,
                subscription_id: null,
                message: { to: recipient.email, ...mail, messageId: `<${eventId(row.id)}@${deps.mailHost}>` } satisfies EmailMessage,
              });
            }
            continue;
          }
          feed.push({
            organisation_id: row.organisation_id,
            outbox_id: row.id,
            event_type: row.event_type,
            occurred_at: row.created_at,
            data: JSON.stringify({ ...publicEventData(data), professionalId: row.recipient_professional_id }),
          });

          const recipient = ctx.recipient.get(row.recipient_professional_id);
          const signal = data.signalId ? ctx.signal(data.signalId) : undefined;
          const type = row.event_type;
          if (recipient && data.consultationId && isConsultationEvent(type)) {
            const mail = renderConsultationMail({ type, publicUrl, recipientName: recipient.name, consultationId: data.consultationId });
            const message: EmailMessage = { to: recipient.email, ...mail, messageId: `<${eventId(row.id)}@${deps.mailHost}>` };
            deliveries.push({
              ...base,
              channel: 'email',
              recipient_key: `professional:${recipient.id}`,
              professional_id: recipient.id,
              subscription_id: null,
              message,
            });
          } else if (recipient && signal && isMailed(type)) {
            // The expiry notice offers extending: the end date it would give (the person's date of birth only decides the youth limit).
            const offer =
              type === 'signal.expiring'
                ? extensionOffer({ activeUntil: signal.active_until, dateOfBirth: signal.person_date_of_birth }, extensionRules(current))
                : undefined;
            const mail = renderMail({
              type,
              mode: current.mailMode,
              publicUrl,
              recipientName: recipient.name,
              signal: {
                id: signal.id,
                clientReference: signal.client_reference,
                filedAt: signal.filed_at,
                activeUntil: signal.active_until,
                endReason: data.reason ?? signal.end_reason,
              },
              matchId: data.matchId ?? null,
              family: data.matchKind === 'family',
              address: data.matchKind === 'address',
              ownSignalLeft: type === 'match.participant_left' && data.leftSignalId === signal.id,
              others: ctx.others(data.matchId, signal.id),
              otherRegions: data.matchKind === 'cross_region' ? ctx.otherRegions(data.matchId) : undefined,
              crossRegionEnded: data.matchKind === 'cross_region' && data.matchEnded === true,
              changed: ctx.contact(row.event_type === 'coordination.changed' ? data.coordinatorSignalId : (data.newSignalId ?? data.leftSignalId)),
              action: data.action,
              reason: data.reason,
              extension: offer && (offer.ok ? { until: offer.until } : { refusal: offer.refusal }),
              coordinatorSignalId: data.coordinatorSignalId,
              proposedSignalId: data.proposedSignalId,
            });
            const message: EmailMessage = { to: recipient.email, ...mail, messageId: `<${eventId(row.id)}@${deps.mailHost}>` };
            deliveries.push({
              ...base,
              channel: 'email',
              recipient_key: `professional:${recipient.id}`,
              professional_id: recipient.id,
              subscription_id: null,
              message,
            });
          }
          const involved = type === 'signal.person_moved' ? ctx.contact(data.signalId) : null;
          if (involved) {
            for (const [n, to] of ctx.moveRecipients(data.municipalityCode).entries()) {
              const mail = renderMoveInMail({ recipientName: to.name, municipalityCode: data.municipalityCode!, involved });
              deliveries.push({
                ...base,
                // The coordinator's own organisation sees it among its deliveries; a bare address, the signaller's.
                organisationId: to.organisationId ?? row.organisation_id,
                channel: 'email',
                recipient_key: to.professionalId ? `professional:${to.professionalId}` : `email:${to.email}`,
                professional_id: to.professionalId,
                subscription_id: null,
                message: { to: to.email, ...mail, messageId: `<${eventId(row.id)}-moved-${n}@${deps.mailHost}>` } satisfies EmailMessage,
              });
            }
          }
          const event = toCloudEvent({
            outboxId: row.id,
            type: row.event_type,
            time: row.created_at,
            publicUrl,
            professionalId: row.recipient_professional_id,
            organisationId: row.organisation_id,
            data,
          });
          for (const subscription of ctx.subscriptionsOf(row.organisation_id, row.event_type)) {
            deliveries.push({
              ...base,
              channel: 'webhook',
              recipient_key: `webhook:${subscription.id}`,
              professional_id: null,
              subscription_id: subscription.id,
              message: event,
            });
          }
        }
        // One insert, in outbox order: identities follow the rows, so each recipient's deliveries keep their order.
        if (deliveries.length > 0) {
          await trx
            .insertInto('deliveries')
            .values(
              deliveries.map((delivery) => ({
                outbox_id: delivery.outboxId,
                event_type: delivery.type,
                organisation_id: delivery.organisationId,
                created_at: now,
                next_attempt_at: now,
                channel: delivery.channel,
                recipient_key: delivery.recipient_key,
                professional_id: delivery.professional_id,
                subscription_id: delivery.subscription_id,
                message: JSON.stringify(delivery.message),
              })),
            )
            .execute();
        }
        if (feed.length > 0) await trx.insertInto('organisation_events').values(feed).execute();
        await trx
          .updateTable('outbox')
          .set({ status: 'dispatched' })
          .where(
            'id',
            'in',
            claimed.map((row) => row.id),
          )
          .execute();
        return { dispatched: claimed.length, organisations: [...new Set(rows.map((row) => row.organisation_id))] };
      });
    },
  };
}
