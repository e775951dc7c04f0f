/** Organisations and their public profile (what help they offer, when they signal). */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { DB, Domain } from '../db/schema.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';
import type { OrganisationInput, OrganisationPatch } from './organisation-schemas.ts';

/** The domains an organisation works in (stored as the database's enum). */
export type { Domain } from '../db/schema.ts';
export type { OrganisationInput, OrganisationPatch } from './organisation-schemas.ts';
export { DOMAINS } from './organisation-schemas.ts';

export type OrganisationView = {
  id: string;
  name: string;
  domains: Domain[];
  description: string;
  signallingCriteria: string;
  website: string | null;
  phone: string | null;
  email: string | null;
  covenantStatus: 'active' | 'suspended' | 'none';
};

export type OrganisationService = ReturnType<typeof createOrganisationService>;

export function createOrganisationService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog }) {
  const { db, clock, audit } = deps;

  const select = (executor: Kysely<DB>) =>
    executor
      .selectFrom('organisations as o')
      .leftJoin('covenants as c', (join) => join.onRef('c.organisation_id', '=', 'o.id').on('c.status', '<>', 'ended'))
      .select(['o.id', 'o.name', 'o.domains', 'o.description', 'o.signalling_criteria', 'o.website', 'o.phone', 'o.email', 'c.status as covenant_status']);

  type Row = Awaited<ReturnType<ReturnType<typeof select>['executeTakeFirstOrThrow']>>;
  const toView = (row: Row): OrganisationView => ({
    id: row.id,
    name: row.name,
    domains: row.domains,
    description: row.description,
    signallingCriteria: row.signalling_criteria,
    website: row.website,
    phone: row.phone,
    email: row.email,
    covenantStatus: row.covenant_status === 'active' || row.covenant_status === 'suspended' ? row.covenant_status : 'none',
  });

  return {
    async list(filter: { domain?: Domain; name?: string }): Promise<OrganisationView[]> {
      let query = select(db).orderBy('o.name');
      if (filter.domain) query = query.where('o.domains', '@>', sql<Domain[]>`array[${filter.domain}]::text[]`);
      if (filter.name) query = query.where('o.name', 'ilike', `%${filter.name.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
      return (await query.execute()).map(toView);
    },

    async get(id: string): Promise<OrganisationView> {
      const row = await select(db).where('o.id', '=', id).executeTakeFirst();
      if (!row) throw notFound('organisation');
      return toView(row);
    },

    /** The directory a professional reads: organisations with an active covenant, filtered; audited as directory.read. */
    async directory(actor: ProfessionalActor, filter: { domain?: Domain; name?: string }): Promise<OrganisationView[]> {
      const all = await this.list(filter);
      await audit.record(db, clock.now(), { type: 'directory.read', actor });
      return all.filter((o) => o.covenantStatus === 'active');
    },

    /** One organisation of the directory (with an active covenant, or not found); audited as directory.read. */
    async directoryEntry(actor: ProfessionalActor, id: string): Promise<OrganisationView> {
      const organisation = await this.get(id);
      if (organisation.covenantStatus !== 'active') throw notFound('organisation');
      await audit.record(db, clock.now(), { type: 'directory.read', actor, resource: { type: 'organisation', id: organisation.id } });
      return organisation;
    },

    async create(actor: StaffActor, input: OrganisationInput): Promise<OrganisationView> {
      const now = clock.now();
      try {
        const id = await db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('organisations')
            .values({
              name: input.name,
              domains: input.domains,
              description: input.description ?? '',
              signalling_criteria: input.signallingCriteria ?? '',
              website: input.website ?? null,
              phone: input.phone ?? null,
              email: input.email ?? null,
              created_at: now,
              updated_at: now,
            })
            .returning('id')
            .executeTakeFirstOrThrow();
          await audit.record(trx, now, { type: 'organisation.created', actor, organisationId: row.id, resource: { type: 'organisation', id: row.id } });
          return row.id;
        });
        return this.get(id);
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('An organisation with this name already exists.');
        throw error;
      }
    },

    async update(actor: StaffActor, id: string, patch: OrganisationPatch): Promise<OrganisationView> {
      const now = clock.now();
      try {
        await db.transaction().execute(async (trx) => {
          const updated = await trx
            .updateTable('organisations')
            .set({
              updated_at: now,
              ...(patch.name !== undefined && { name: patch.name }),
              ...(patch.domains !== undefined && { domains: patch.domains }),
              ...(patch.description !== undefined && { description: patch.description }),
              ...(patch.signallingCriteria !== undefined && { signalling_criteria: patch.signallingCriteria }),
              ...(patch.website !== undefined && { website: patch.website }),
              ...(patch.phone !== undefined && { phone: patch.phone }),
              ...(patch.email !== undefined && { email: patch.email }),
            })
            .where('id', '=', id)
            .returning('id')
            .executeTakeFirst();
          if (!updated) throw notFound('organisation');
          await audit.record(trx, now, {
            type: 'organisation.updated',
            actor,
            organisationId: id,
            resource: { type: 'organisation', id },
            details: { changed: Object.keys(patch).sort().join(',') },
          });
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict('An organisation with this name already exists.');
        throw error;
      }
      return this.get(id);
    },
  };
}
