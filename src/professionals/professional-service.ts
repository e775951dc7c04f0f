/**
 * Professionals of an organisation, as the municipality's administrator manages them (pages and API):
 * registering, changing, the coordinator flag, and inviting to the web application. Only an
 * administrator may; anyone else is refused (and recorded as auth.denied).
 *
 * A professional who becomes coordinator without a web account is invited at once, in the same
 * transaction (web-invitation.ts): a coordinator's work is in the web pages, so a coordinator without
 * an account would be a dead end. The invitation mail is sent after the commit.
 */
import type { Kysely } from 'kysely';
import type { AccountService } from '../accounts/account-service.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import { DatabaseError, isUniqueViolation } from '../db/errors.ts';
import type { DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { conflict, forbidden, notFound } from '../shared/errors.ts';
import { isUuid } from '../shared/ids.ts';
import { endWebAccessOf } from './professional-accounts.ts';
import { type ProfessionalWithAccount, professionalsWithAccounts } from './professional-queries.ts';
import type { ProfessionalInput, ProfessionalPatch } from './professional-schemas.ts';
import { createWebInvitation, invitationRefused } from './web-invitation.ts';

export type { ProfessionalInput, ProfessionalPatch } from './professional-schemas.ts';
export { type InvitationRefusal, isInvitationRefusal } from './web-invitation.ts';

/** A professional as the administrator sees them: contact details, the coordinator flag and the web account's state. */
export type ProfessionalView = Omit<ProfessionalWithAccount, 'secondFactor' | 'activeSignals'>;

export type ProfessionalService = ReturnType<typeof createProfessionalService>;

const emailTaken = () => conflict('This organisation already has a professional with this e-mail address.');

export function createProfessionalService(deps: {
  db: Kysely<DB>;
  clock: Clock;
  audit: AuditLog;
  accounts: Pick<AccountService, 'createAccount' | 'inviteAgain' | 'deactivate'>;
}) {
  const { db, clock, audit } = deps;
  const invitations = createWebInvitation(deps);

  const toView = ({ secondFactor: _s, activeSignals: _a, ...view }: ProfessionalWithAccount): ProfessionalView => view;

  async function viewOf(executor: Kysely<DB>, id: string): Promise<ProfessionalView> {
    const [found] = await professionalsWithAccounts(executor, { id });
    if (!found) throw notFound('professional');
    return toView(found);
  }

  /** Only the municipality's administrators manage professionals here. */
  async function authorise(actor: StaffActor, action: string): Promise<void> {
    if (actor.roles.includes('municipality_admin')) return;
    await audit.record(db, clock.now(), { type: 'auth.denied', outcome: 'denied', actor, details: { reason: 'not_administrator', action } });
    throw forbidden("This operation is for the municipality's administrators.");
  }

  /**
   * Runs the work in a transaction; sends the invitation mails it queued once it committed. A unique
   * violation (a race the checks before it could not see) is the same refusal as those checks give.
   */
  async function inTransaction<T>(work: (trx: Kysely<DB>, queue: (send: () => Promise<void>) => void) => Promise<T>): Promise<T> {
    const mails: (() => Promise<void>)[] = [];
    let result: T;
    try {
      result = await db.transaction().execute((trx) => work(trx, (send) => mails.push(send)));
    } catch (error) {
      if (isUniqueViolation(error))
        throw error instanceof DatabaseError && error.constraint?.startsWith('web_accounts') ? invitationRefused('email_in_use') : emailTaken();
      throw error;
    }
    for (const send of mails) await send();
    return result;
  }

  /** Sets the coordinator flag; a new coordinator without a web account is invited. Returns whether an invitation was queued. */
  async function applyCoordinator(
    trx: Kysely<DB>,
    actor: StaffActor,
    professionalId: string,
    organisationId: string,
    coordinator: boolean,
    queue: (send: () => Promise<void>) => void,
  ): Promise<boolean> {
    const now = clock.now();
    const row = await trx
      .updateTable('professionals')
      .set({ coordinator, updated_at: now })
      .where('id', '=', professionalId)
      .where('organisation_id', '=', organisationId)
      .returning('id')
      .executeTakeFirst();
    if (!row) throw notFound('professional');
    await audit.record(trx, now, {
      type: 'professional.updated',
      actor,
      organisationId,
      resource: { type: 'professional', id: professionalId },
      details: { changed: 'coordinator', coordinator },
    });
    if (!coordinator) return false;
    const [current] = await professionalsWithAccounts(trx, { id: professionalId });
    if (current?.webAccount !== 'none') return false;
    const invited = await invitations.invite(trx, actor, professionalId, organisationId);
    queue(invited.send);
    return true;
  }

  return {
    async list(actor: StaffActor, organisationId: string): Promise<ProfessionalView[]> {
      await authorise(actor, 'professional_list');
      if (!isUuid(organisationId)) throw notFound('organisation');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const rows = await professionalsWithAccounts(trx, { organisationId });
        await audit.record(trx, now, { type: 'professional.listed', actor, organisationId, details: { count: rows.length } });
        return rows.map(toView);
      });
    },

    /**
     * Registers a professional; with `coordinator`, also invites them to the web application (refused,
     * with nothing registered, when the organisation has no active covenant). `id` is for the demo
     * region only, whose ids the README's tour uses.
     */
    async create(actor: StaffActor, organisationId: string, input: ProfessionalInput, id?: string): Promise<ProfessionalView> {
      await authorise(actor, 'professional_create');
      const now = clock.now();
      const organisation = isUuid(organisationId)
        ? await db.selectFrom('organisations').select('id').where('id', '=', organisationId).executeTakeFirst()
        : undefined;
      if (!organisation) throw notFound('organisation');
      const coordinator = input.coordinator === true;
      return inTransaction(async (trx, queue) => {
        if (coordinator && !(await invitations.covenantActive(trx, organisationId))) throw invitationRefused('covenant_not_active');
        const email = input.email.toLowerCase();
        const taken = await trx
          .selectFrom('professionals')
          .select('id')
          .where('organisation_id', '=', organisationId)
          .where('email', '=', email)
          .executeTakeFirst();
        if (taken) throw emailTaken();
        const row = await trx
          .insertInto('professionals')
          .values({
            ...(id && { id }),
            organisation_id: organisationId,
            name: input.name,
            email,
            phone: input.phone,
            job_title: input.jobTitle ?? '',
            coordinator,
            created_at: now,
            updated_at: now,
          })
          .returning('id')
          .executeTakeFirstOrThrow();
        await audit.record(trx, now, {
          type: 'professional.created',
          actor,
          organisationId,
          resource: { type: 'professional', id: row.id },
          ...(coordinator && { details: { coordinator } }),
        });
        if (coordinator) queue((await invitations.invite(trx, actor, row.id, organisationId)).send);
        return viewOf(trx, row.id);
      });
    },

    async update(actor: StaffActor, id: string, patch: ProfessionalPatch): Promise<ProfessionalView> {
      await authorise(actor, 'professional_update');
      if (!isUuid(id)) throw notFound('professional');
      const now = clock.now();
      const { coordinator, ...fields } = patch;
      return inTransaction(async (trx, queue) => {
        const row = await trx
          .updateTable('professionals')
          .set({
            updated_at: now,
            ...(fields.name !== undefined && { name: fields.name }),
            ...(fields.email !== undefined && { email: fields.email.toLowerCase() }),
            ...(fields.phone !== undefined && { phone: fields.phone }),
            ...(fields.jobTitle !== undefined && { job_title: fields.jobTitle }),
            ...(fields.active !== undefined && { active: fields.active }),
          })
          .where('id', '=', id)
          .returning(['id', 'organisation_id'])
          .executeTakeFirst();
        if (!row) throw notFound('professional');
        // Deactivated: their web account can no longer sign in, and every session of it ends now (as on the coordinator's page).
        if (fields.active === false) await endWebAccessOf(trx, deps, { actor, professionalId: id, organisationId: row.organisation_id, now });
        if (Object.keys(fields).length > 0) {
          await audit.record(trx, now, {
            type: 'professional.updated',
            actor,
            organisationId: row.organisation_id,
            resource: { type: 'professional', id },
            details: { changed: Object.keys(fields).sort().join(',') },
          });
        }
        if (coordinator !== undefined) await applyCoordinator(trx, actor, id, row.organisation_id, coordinator, queue);
        return viewOf(trx, id);
      });
    },

    /**
     * An administrator makes a professional of this organisation its coordinator, or no longer (audited
     * as professional.updated); a new coordinator without a web account is invited at once.
     */
    async setCoordinator(
      actor: StaffActor,
      organisationId: string,
      professionalId: string,
      coordinator: boolean,
    ): Promise<{ professional: ProfessionalView; invited: boolean }> {
      await authorise(actor, 'professional_coordinator');
      if (!isUuid(organisationId) || !isUuid(professionalId)) throw notFound('professional');
      return inTransaction(async (trx, queue) => {
        const invited = await applyCoordinator(trx, actor, professionalId, organisationId, coordinator, queue);
        return { professional: await viewOf(trx, professionalId), invited };
      });
    },

    /**
     * Invites a professional to the web application: a web account in the invited state and a mail with
     * a one-time link, or a fresh link for an invitation not yet accepted (one that expired, say). With
     * `organisationId`, another organisation's professional is not found.
     */
    async inviteToWeb(actor: StaffActor, professionalId: string, organisationId?: string): Promise<ProfessionalView> {
      await authorise(actor, 'web_invitation');
      if (!isUuid(professionalId) || (organisationId !== undefined && !isUuid(organisationId))) throw notFound('professional');
      return inTransaction(async (trx, queue) => {
        queue((await invitations.invite(trx, actor, professionalId, organisationId)).send);
        return viewOf(trx, professionalId);
      });
    },
  };
}
