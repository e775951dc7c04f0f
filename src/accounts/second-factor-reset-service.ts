import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { errorSummary } from '../shared/logging.ts';
import type { AccountCore } from './account-core.ts';
import { secondFactorResetMail } from './account-mails.ts';
import { notEnrolled, type SecondFactorHolder, type SecondFactorState } from './account-types.ts';

export function createSecondFactorResetService(core: AccountCore) {
  const { db, clock, audit, mail, publicUrl, warn, resetHolder } = core;
  return {
    async secondFactorOf(actor: ProfessionalActor | StaffActor, holder: SecondFactorHolder): Promise<SecondFactorState> {
      const found = await resetHolder(actor, holder);
      const account = await db
        .selectFrom('web_accounts')
        .select(['email', 'totp_enrolled_at', 'deactivated_at'])
        .where(found.column, '=', found.id)
        .executeTakeFirst();
      const state = !account || account.deactivated_at || !found.active ? 'no_account' : account.totp_enrolled_at ? 'enrolled' : 'not_enrolled';
      return { name: found.name, email: account?.email ?? found.email, state };
    },

    /**
     * Resets the second factor of a holder who lost both the authenticator app and the recovery
     * codes. In one transaction: the TOTP secret and enrolment are cleared, the recovery codes
     * deleted, every live session ended, and web.second_factor_reset recorded (the coordinator or
     * administrator as actor, the account as resource). The password stays, so the next sign-in goes
     * to enrolment. After the commit the holder gets a notice by mail. Refuses with 403 (wrong role),
     * 404 (not theirs to see), 409 own_second_factor or 409 not_enrolled.
     */
    async resetSecondFactor(
      actor: ProfessionalActor | StaffActor,
      holder: SecondFactorHolder,
    ): Promise<{ name: string; email: string; sessionsEnded: number }> {
      const found = await resetHolder(actor, holder);
      const now = clock.now();
      const done = await db.transaction().execute(async (trx) => {
        const account = await trx
          .selectFrom('web_accounts')
          .select(['id', 'email', 'totp_enrolled_at'])
          .where(found.column, '=', found.id)
          .where('deactivated_at', 'is', null)
          .forUpdate()
          .executeTakeFirst();
        if (!account || !found.active || !account.totp_enrolled_at) throw notEnrolled();
        await trx
          .updateTable('web_accounts')
          .set({ totp_secret: null, totp_enrolled_at: null, totp_last_step: null, updated_at: now })
          .where('id', '=', account.id)
          .execute();
        const codes = await trx.deleteFrom('web_recovery_codes').where('account_id', '=', account.id).executeTakeFirst();
        const sessions = await trx
          .updateTable('web_sessions')
          .set({ ended_at: now, end_reason: 'second_factor_reset' })
          .where('account_id', '=', account.id)
          .where('ended_at', 'is', null)
          .returning('stage')
          .execute();
        await audit.record(trx, now, {
          type: 'web.second_factor_reset',
          actor,
          resource: { type: 'web_account', id: account.id },
          details: { ...found.details, sessionsEnded: sessions.length, recoveryCodesDeleted: Number(codes.numDeletedRows) },
        });
        return { email: account.email, sessionsEnded: sessions.length };
      });
      const notice = secondFactorResetMail({
        to: done.email,
        name: found.name,
        by: actor.kind === 'professional' ? 'coordinator' : 'administrator',
        publicUrl,
      });
      await mail.send(notice).catch((error: unknown) => warn(`Could not send the second-factor reset notice: ${errorSummary(error)}`));
      return { name: found.name, ...done };
    },
  };
}
