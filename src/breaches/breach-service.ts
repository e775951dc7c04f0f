/**
 * The data breach register (covenant privacy rules art. 13; docs/accountability.md): the
 * municipality's administrators and privacy officers record what happened, when it happened and
 * was found, which data and how many persons; assess whether the Autoriteit Persoonsgegevens must be
 * told (within 72 hours of discovery); record when it was told and whether the persons are told;
 * and notify the partner organisations' coordinators by mail (through the outbox, without person
 * data). Every read and change is audited. The description is staff-written text about the breach,
 * never person data.
 */
import { randomUUID } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import { amsterdamDate, isValidIsoDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, type InvalidParam, invalidInput, notFound } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import {
  type ApStanding,
  apDeadline,
  apStanding,
  BREACH_CATEGORIES,
  BREACH_DATA_CATEGORIES,
  type BreachCategory,
  type BreachDataCategory,
} from './breach-rules.ts';

export type BreachInput = {
  category: BreachCategory;
  description: string;
  occurredOn: string | null;
  discoveredAt: Date;
  dataCategories: BreachDataCategory[];
  personsMin: number;
  personsMax: number | null;
};

/** A change to a breach: one or more of its parts, each as a whole. */
export type BreachChange = {
  assessment?: { apRequired: boolean; reasons: string };
  apNotice?: { notifiedOn: string; reference: string | null };
  persons?: { informed: true; informedOn: string } | { informed: false; reasons: string };
};

export type BreachNotice = { organisationId: string; organisationName: string; sentAt: Date; recipients: number };

export type BreachView = {
  id: string;
  recordedAt: Date;
  recordedByName: string;
  category: BreachCategory;
  description: string;
  occurredOn: string | null;
  discoveredAt: Date;
  dataCategories: BreachDataCategory[];
  personsMin: number;
  personsMax: number | null;
  apRequired: boolean | null;
  assessmentReasons: string | null;
  assessedAt: Date | null;
  apDeadline: Date;
  apStanding: ApStanding;
  apNotifiedOn: string | null;
  apReference: string | null;
  personsInformed: boolean | null;
  personsInformedOn: string | null;
  personsReasons: string | null;
  updatedAt: Date;
  notices: BreachNotice[];
};

/** A partner organisation a notice can go to: a covenant that has not ended, and how many active coordinators. */
export type BreachPartner = { id: string; name: string; coordinators: number };

const TEXT_MAX = 2000;

/** The municipality's administrators and privacy officers keep the register; nobody else. */
export function assertAccountabilityStaff(actor: StaffActor) {
  if (!actor.roles.includes('municipality_admin') && !actor.roles.includes('privacy_officer'))
    throw forbidden("The municipality's accountability (breaches, processing register, figures) is for its administrators and privacy officers.");
}

const text = (name: string, value: string, errors: InvalidParam[], max = TEXT_MAX) => {
  const trimmed = value.trim();
  if (trimmed.length === 0) errors.push({ name, code: 'required', reason: 'Required.' });
  else if (trimmed.length > max) errors.push({ name, code: 'too_long', reason: `At most ${max} characters.` });
  return trimmed;
};

function checkInput(input: BreachInput, now: Date): BreachInput {
  const errors: InvalidParam[] = [];
  if (!BREACH_CATEGORIES.includes(input.category)) errors.push({ name: 'category', code: 'unknown', reason: 'Not a known category.' });
  const description = text('description', input.description, errors);
  if (input.occurredOn !== null && !isValidIsoDate(input.occurredOn)) errors.push({ name: 'occurredOn', code: 'invalid', reason: 'Not a date.' });
  else if (input.occurredOn !== null && input.occurredOn > amsterdamDate(now))
    errors.push({ name: 'occurredOn', code: 'future', reason: 'Lies in the future.' });
  if (Number.isNaN(input.discoveredAt.getTime())) errors.push({ name: 'discoveredAt', code: 'invalid', reason: 'Not a time.' });
  else if (input.discoveredAt > now) errors.push({ name: 'discoveredAt', code: 'future', reason: 'Lies in the future.' });
  else if (input.occurredOn !== null && input.occurredOn > amsterdamDate(input.discoveredAt))
    errors.push({ name: 'discoveredAt', code: 'before_occurred', reason: 'Found before it happened.' });
  const dataCategories = [...new Set(input.dataCategories)];
  if (dataCategories.length === 0 || dataCategories.some((c) => !BREACH_DATA_CATEGORIES.includes(c)))
    errors.push({ name: 'dataCategories', code: 'invalid', reason: 'Choose one or more known data categories.' });
  if (!Number.isInteger(input.personsMin) || input.personsMin < 0 || input.personsMin > 100_000_000)
    errors.push({ name: 'personsMin', code: 'invalid', reason: 'A whole number, 0 or more.' });
  if (input.personsMax !== null && (!Number.isInteger(input.personsMax) || input.personsMax < input.personsMin || input.personsMax > 100_000_000))
    errors.push({ name: 'personsMax', code: 'invalid', reason: 'A whole number, not below the lowest number.' });
  if (errors.length > 0) throw invalidInput(errors);
  return { ...input, description, dataCategories: BREACH_DATA_CATEGORIES.filter((c) => dataCategories.includes(c)) };
}

function checkChange(change: BreachChange, breach: { discovered_at: Date }, now: Date): BreachChange {
  const errors: InvalidParam[] = [];
  const checked: BreachChange = {};
  const day = (name: string, value: string) => {
    if (!isValidIsoDate(value)) errors.push({ name, code: 'invalid', reason: 'Not a date.' });
    else if (value > amsterdamDate(now)) errors.push({ name, code: 'future', reason: 'Lies in the future.' });
    else if (value < amsterdamDate(breach.discovered_at)) errors.push({ name, code: 'before_discovery', reason: 'Before the breach was found.' });
  };
  if (change.assessment)
    checked.assessment = { apRequired: change.assessment.apRequired, reasons: text('assessment.reasons', change.assessment.reasons, errors) };
  if (change.apNotice) {
    day('apNotice.notifiedOn', change.apNotice.notifiedOn);
    const reference = change.apNotice.reference?.trim() || null;
    if (reference && reference.length > 100) errors.push({ name: 'apNotice.reference', code: 'too_long', reason: 'At most 100 characters.' });
    checked.apNotice = { notifiedOn: change.apNotice.notifiedOn, reference };
  }
  if (change.persons) {
    if (change.persons.informed) {
      day('persons.informedOn', change.persons.informedOn);
      checked.persons = change.persons;
    } else checked.persons = { informed: false, reasons: text('persons.reasons', change.persons.reasons, errors) };
  }
  if (!checked.assessment && !checked.apNotice && !checked.persons) errors.push({ name: 'body', code: 'empty', reason: 'Nothing to change.' });
  if (errors.length > 0) throw invalidInput(errors);
  return checked;
}

type Deps = { db: Kysely<DB>; clock: Clock; audit: AuditLog; onOutbox?: () => void };

export type BreachService = ReturnType<typeof createBreachService>;

export function createBreachService(deps: Deps) {
  const { db, clock, audit } = deps;

  async function views(trx: Kysely<DB>, ids?: string[]): Promise<BreachView[]> {
    let select = trx
      .selectFrom('data_breaches as b')
      .innerJoin('staff_members as m', 'm.id', 'b.recorded_by')
      .selectAll('b')
      .select('m.name as recorded_by_name')
      .orderBy('b.discovered_at', 'desc')
      .orderBy('b.id');
    if (ids) select = select.where('b.id', 'in', ids);
    const rows = await select.execute();
    const notices =
      rows.length === 0
        ? []
        : await trx
            .selectFrom('data_breach_notices as n')
            .innerJoin('organisations as o', 'o.id', 'n.organisation_id')
            .select(['n.breach_id', 'n.organisation_id', 'o.name', 'n.sent_at', 'n.recipients'])
            .where(
              'n.breach_id',
              'in',
              rows.map((r) => r.id),
            )
            .orderBy('n.sent_at')
            .orderBy('o.name')
            .execute();
    const now = clock.now();
    return rows.map((row) => {
      const deadline = apDeadline(row.discovered_at);
      return {
        id: row.id,
        recordedAt: row.recorded_at,
        recordedByName: row.recorded_by_name,
        category: row.category as BreachCategory,
        description: row.description,
        occurredOn: row.occurred_on,
        discoveredAt: row.discovered_at,
        dataCategories: row.data_categories as BreachDataCategory[],
        personsMin: row.persons_min,
        personsMax: row.persons_max,
        apRequired: row.ap_required,
        assessmentReasons: row.assessment_reasons,
        assessedAt: row.assessed_at,
        apDeadline: deadline,
        apStanding: apStanding({ apRequired: row.ap_required, apNotifiedOn: row.ap_notified_on }, deadline, amsterdamDate(deadline), now),
        apNotifiedOn: row.ap_notified_on,
        apReference: row.ap_reference,
        personsInformed: row.persons_informed,
        personsInformedOn: row.persons_informed_on,
        personsReasons: row.persons_reasons,
        updatedAt: row.updated_at,
        notices: notices
          .filter((n) => n.breach_id === row.id)
          .map((n) => ({ organisationId: n.organisation_id, organisationName: n.name, sentAt: n.sent_at, recipients: n.recipients })),
      };
    });
  }

  async function one(id: string): Promise<BreachView> {
    if (!isUuid(id)) throw notFound('data breach');
    const [view] = await views(db, [id]);
    if (!view) throw notFound('data breach');
    return view;
  }

  /** The partner organisations: a covenant that has not ended, and their active coordinators. */
  async function partnerRows(trx: Kysely<DB>) {
    const { rows } = await sql<{ id: string; name: string; coordinators: number }>`
      select o.id, o.name,
        (select count(*)::int from professionals p where p.organisation_id = o.id and p.coordinator and p.active) as coordinators
      from organisations o
      where exists (select 1 from covenants c where c.organisation_id = o.id and c.status in ('active', 'suspended'))
      order by o.name, o.id`.execute(trx);
    return rows;
  }

  return {
    /** Records a new breach (audited: breach.recorded). */
    async record(actor: StaffActor, input: BreachInput): Promise<BreachView> {
      assertAccountabilityStaff(actor);
      const now = clock.now();
      const checked = checkInput(input, now);
      const id = randomUUID();
      await db.transaction().execute(async (trx) => {
        await trx
          .insertInto('data_breaches')
          .values({
            id,
            recorded_at: now,
            recorded_by: actor.staffMemberId,
            category: checked.category,
            description: checked.description,
            occurred_on: checked.occurredOn,
            discovered_at: checked.discoveredAt,
            data_categories: checked.dataCategories,
            persons_min: checked.personsMin,
            persons_max: checked.personsMax,
            updated_at: now,
          })
          .execute();
        await audit.record(trx, now, {
          type: 'breach.recorded',
          actor,
          resource: { type: 'data_breach', id },
          details: { category: checked.category, count: checked.personsMax ?? checked.personsMin },
        });
      });
      return one(id);
    },

    /** Every breach, the most recently found first (audited: breach.read with the count). */
    async list(actor: StaffActor): Promise<BreachView[]> {
      assertAccountabilityStaff(actor);
      const list = await views(db);
      await audit.record(db, clock.now(), { type: 'breach.read', actor, details: { count: list.length } });
      return list;
    },

    /** One breach with its notices (audited: breach.read). */
    async get(actor: StaffActor, id: string): Promise<BreachView> {
      assertAccountabilityStaff(actor);
      const view = await one(id);
      await audit.record(db, clock.now(), { type: 'breach.read', actor, resource: { type: 'data_breach', id } });
      return view;
    },

    /** Records the assessment, the notice to the AP and/or the informing of the persons (audited per part: breach.changed). */
    async change(actor: StaffActor, id: string, change: BreachChange): Promise<BreachView> {
      assertAccountabilityStaff(actor);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = isUuid(id)
          ? await trx.selectFrom('data_breaches').select(['id', 'discovered_at']).where('id', '=', id).forUpdate().executeTakeFirst()
          : undefined;
        if (!row) throw notFound('data breach');
        const checked = checkChange(change, row, now);
        await trx
          .updateTable('data_breaches')
          .set({
            updated_at: now,
            ...(checked.assessment && { ap_required: checked.assessment.apRequired, assessment_reasons: checked.assessment.reasons, assessed_at: now }),
            ...(checked.apNotice && { ap_notified_on: checked.apNotice.notifiedOn, ap_reference: checked.apNotice.reference }),
            ...(checked.persons &&
              (checked.persons.informed
                ? { persons_informed: true, persons_informed_on: checked.persons.informedOn, persons_reasons: null }
                : { persons_informed: false, persons_informed_on: null, persons_reasons: checked.persons.reasons })),
          })
          .where('id', '=', id)
          .execute();
        const resource = { type: 'data_breach' as const, id };
        const events = [];
        if (checked.assessment)
          events.push({ type: 'breach.changed' as const, actor, resource, details: { action: 'assessment', status: checked.assessment.apRequired } });
        if (checked.apNotice)
          events.push({ type: 'breach.changed' as const, actor, resource, details: { action: 'ap_notified', informedOn: checked.apNotice.notifiedOn } });
        if (checked.persons)
          events.push({
            type: 'breach.changed' as const,
            actor,
            resource,
            details: {
              action: 'persons_informed',
              informed: checked.persons.informed,
              ...(checked.persons.informed && { informedOn: checked.persons.informedOn }),
            },
          });
        await audit.record(trx, now, events);
      });
      return one(id);
    },

    /** The organisations a notice can go to. */
    async partners(actor: StaffActor): Promise<BreachPartner[]> {
      assertAccountabilityStaff(actor);
      return partnerRows(db);
    },

    /**
     * Mails the coordinators of the chosen partner organisations (all of them when `organisationIds`
     * is 'all') about the breach, through the outbox: one mail per active coordinator, one notice row
     * and one audit event per organisation. An organisation without an active coordinator is
     * recorded with 0 recipients, so the page can say it heard nothing.
     */
    async notifyPartners(actor: StaffActor, id: string, organisationIds: string[] | 'all'): Promise<BreachView> {
      assertAccountabilityStaff(actor);
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const row = isUuid(id) ? await trx.selectFrom('data_breaches').select('id').where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
        if (!row) throw notFound('data breach');
        const partners = await partnerRows(trx);
        const chosen = organisationIds === 'all' ? partners : partners.filter((p) => organisationIds.includes(p.id));
        if (chosen.length === 0 || (organisationIds !== 'all' && chosen.length !== new Set(organisationIds).size))
          throw invalidInput([
            { name: 'organisationIds', code: 'invalid', reason: 'Choose one or more partner organisations (with a covenant that has not ended).' },
          ]);
        const coordinators = await trx
          .selectFrom('professionals')
          .select(['id', 'organisation_id'])
          .where(
            'organisation_id',
            'in',
            chosen.map((p) => p.id),
          )
          .where('coordinator', '=', true)
          .where('active', '=', true)
          .orderBy('id')
          .execute();
        if (coordinators.length > 0) {
          await trx
            .insertInto('outbox')
            .values(
              coordinators.map((c) => ({
                created_at: now,
                event_type: 'breach.partners_notified' as const,
                recipient_professional_id: c.id,
                organisation_id: c.organisation_id,
                payload: JSON.stringify({ breachId: id }),
              })),
            )
            .execute();
        }
        const counted = chosen.map((p) => ({ ...p, recipients: coordinators.filter((c) => c.organisation_id === p.id).length }));
        await trx
          .insertInto('data_breach_notices')
          .values(counted.map((p) => ({ breach_id: id, organisation_id: p.id, sent_at: now, recipients: p.recipients })))
          .execute();
        await audit.record(
          trx,
          now,
          counted.map((p) => ({
            type: 'breach.partners_notified' as const,
            actor,
            organisationId: p.id,
            resource: { type: 'data_breach' as const, id },
            details: { count: p.recipients },
          })),
        );
      });
      deps.onOutbox?.();
      return one(id);
    },
  };
}
