/** Professionals of an organisation: the people on whose behalf signals are filed. */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import { isUniqueViolation } from '../db/errors.ts';
import type { DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, notFound } from '../shared/errors.ts';
import type { ProfessionalInput, ProfessionalPatch } from './professional-schemas.ts';

export type { ProfessionalInput, ProfessionalPatch } from './professional-schemas.ts';

export type ProfessionalView = {
  id: string;
  organisationId: string;
  name: string;
  email: string;
  phone: string;
  jobTitle: string;
  active: boolean;
  /** The organisation's coordinator (organisatiecoördinator): manages its professionals and links in the web pages. */
  coordinator: boolean;
};

export type ProfessionalService = ReturnType<typeof createProfessionalService>;

export function createProfessionalService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog }) {
  const { db, clock, audit } = deps;
  const columns = ['id', 'organisation_id', 'name', 'email', 'phone', 'job_title', 'active', 'coordinator'] as const;
  const toView = (row: {
    id: string;
    organisation_id: string;
    name: string;
    email: string;
    phone: string;
    job_title: string;
    active: boolean;
    coordinator: boolean;
  }): ProfessionalView => ({
    id: row.id,
    organisationId: row.organisation_id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    jobTitle: row.job_title,
    active: row.active,
    coordinator: row.coordinator,
  });

  async function guard<T>(work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict('This organisation already has a professional with this e-mail address.');
      throw error;
    }
  }

  return {
    async list(actor: StaffActor, organisationId: string): Promise<ProfessionalView[]> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const rows = await trx.selectFrom('professionals').select(columns).where('organisation_id', '=', organisationId).orderBy('name').execute();
        await audit.record(trx, now, { type: 'professional.listed', actor, organisationId, details: { count: rows.length } });
        return rows.map(toView);
      });
    },

    /** `id` is for the demo region only, whose ids the README's tour uses. */
    async create(actor: StaffActor, organisationId: string, input: ProfessionalInput, id?: string): Promise<ProfessionalView> {
      const now = clock.now();
      const organisation = await db.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst();
      if (!organisation) throw notFound('organisation');
      return guard(() =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .insertInto('professionals')
            .values({
              ...(id && { id }),
              organisation_id: organisationId,
              name: input.name,
              email: input.email.toLowerCase(),
              phone: input.phone,
              job_title: input.jobTitle ?? '',
              created_at: now,
              updated_at: now,
            })
            .returning(columns)
            .executeTakeFirstOrThrow();
          await audit.record(trx, now, { type: 'professional.created', actor, organisationId, resource: { type: 'professional', id: row.id } });
          return toView(row);
        }),
      );
    },

    async update(actor: StaffActor, id: string, patch: ProfessionalPatch): Promise<ProfessionalView> {
      const now = clock.now();
      return guard(() =>
        db.transaction().execute(async (trx) => {
          const row = await trx
            .updateTable('professionals')
            .set({
              updated_at: now,
              ...(patch.name !== undefined && { name: patch.name }),
              ...(patch.email !== undefined && { email: patch.email.toLowerCase() }),
              ...(patch.phone !== undefined && { phone: patch.phone }),
              ...(patch.jobTitle !== undefined && { job_title: patch.jobTitle }),
              ...(patch.active !== undefined && { active: patch.active }),
            })
            .where('id', '=', id)
            .returning(columns)
            .executeTakeFirst();
          if (!row) throw notFound('professional');
          await audit.record(trx, now, {
            type: 'professional.updated',
            actor,
            organisationId: row.organisation_id,
            resource: { type: 'professional', id },
            details: { changed: Object.keys(patch).sort().join(',') },
          });
          return toView(row);
        }),
      );
    },

    /** An administrator makes a professional of this organisation its coordinator, or no longer; audited as professional.updated. */
    async setCoordinator(actor: StaffActor, organisationId: string, professionalId: string, coordinator: boolean): Promise<ProfessionalView> {
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const row = await trx
          .updateTable('professionals')
          .set({ coordinator, updated_at: now })
          .where('id', '=', professionalId)
          .where('organisation_id', '=', organisationId)
          .returning(columns)
          .executeTakeFirst();
        if (!row) throw notFound('professional');
        await audit.record(trx, now, {
          type: 'professional.updated',
          actor,
          organisationId,
          resource: { type: 'professional', id: professionalId },
          details: { changed: 'coordinator', coordinator },
        });
        return toView(row);
      });
    },
  };
}
