/**
 * The municipality's settings (one row). Read often, changed rarely: the service keeps the current
 * row in memory. Statements that depend on settings pass the version they used, and the database
 * refuses a stale one (see sluis_file_signal), so a change made by another instance is picked up at
 * once without a read per request. The first read happens at start (openRuntime), before any
 * transaction: on PGlite, a first read from inside a transaction would wait for the one connection
 * that transaction holds.
 */
import type { Kysely } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, Domain } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden } from '../shared/errors.ts';
import type { PrivacyStatement, Settings, SettingsPatch, Theme } from './settings-schemas.ts';

export type { PrivacyStatement, Settings, SettingsPatch, Theme } from './settings-schemas.ts';

export type SettingsService = ReturnType<typeof createSettingsService>;

export function createSettingsService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog }) {
  const { db, clock, audit } = deps;
  let cached: Settings | undefined;

  async function reload(executor: Kysely<DB> = db): Promise<Settings> {
    const row = await executor.selectFrom('settings').selectAll().executeTakeFirstOrThrow();
    cached = {
      version: row.version,
      regime: row.regime,
      signalLifetimeMonths: row.signal_lifetime_months,
      historyRetentionMonths: row.history_retention_months,
      matchWithinOrganisation: row.match_within_organisation,
      mailMode: row.mail_mode,
      expiryNoticeDays: row.expiry_notice_days,
      deliveryMaxAttempts: row.delivery_max_attempts,
      sessionIdleMinutes: row.session_idle_minutes,
      sessionAbsoluteHours: row.session_absolute_hours,
      theme: row.theme as Theme,
      escalateNoCoordinatorWorkingDays: row.escalate_no_coordinator_working_days,
      escalateNoContactWorkingDays: row.escalate_no_contact_working_days,
      coordinatorDomainPriority: row.coordinator_domain_priority as Domain[],
      auditRetentionMonths: row.audit_retention_months,
      privacyStatement: row.privacy_statement as PrivacyStatement,

      signalExtensionMonths: row.signal_extension_months,
      informingFollowUpDays: row.informing_follow_up_days,
      caseConsultationRetentionMonths: row.case_consultation_retention_months,
      rightsRequestRetentionMonths: row.rights_request_retention_months,
      familyMatching: row.family_matching,
      familyMatchAgeLimit: row.family_match_age_limit,
      familyMatchIncludesParent: row.family_match_includes_parent,
      addressMatching: row.address_matching,
      unbornSignals: row.unborn_signals,
      updatedAt: row.updated_at,
    };
    return cached;
  }

  return {
    /** The settings as last read; cheap. */
    current: async () => cached ?? reload(),
    reload,
    async update(actor: StaffActor, patch: SettingsPatch): Promise<Settings> {
      if (!actor.roles.includes('municipality_admin')) throw forbidden("This operation is for the municipality's administrators.");
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        await trx
          .updateTable('settings')
          .set((eb) => ({
            version: eb('version', '+', 1),
            updated_at: now,
            ...(patch.regime !== undefined && { regime: patch.regime }),
            ...(patch.signalLifetimeMonths !== undefined && { signal_lifetime_months: patch.signalLifetimeMonths }),
            ...(patch.historyRetentionMonths !== undefined && { history_retention_months: patch.historyRetentionMonths }),
            ...(patch.matchWithinOrganisation !== undefined && { match_within_organisation: patch.matchWithinOrganisation }),
            ...(patch.mailMode !== undefined && { mail_mode: patch.mailMode }),
            ...(patch.expiryNoticeDays !== undefined && { expiry_notice_days: patch.expiryNoticeDays }),
            ...(patch.deliveryMaxAttempts !== undefined && { delivery_max_attempts: patch.deliveryMaxAttempts }),
            ...(patch.sessionIdleMinutes !== undefined && { session_idle_minutes: patch.sessionIdleMinutes }),
            ...(patch.sessionAbsoluteHours !== undefined && { session_absolute_hours: patch.sessionAbsoluteHours }),
            ...(patch.theme !== undefined && { theme: JSON.stringify(patch.theme) }),
            ...(patch.escalateNoCoordinatorWorkingDays !== undefined && { escalate_no_coordinator_working_days: patch.escalateNoCoordinatorWorkingDays }),
            ...(patch.escalateNoContactWorkingDays !== undefined && { escalate_no_contact_working_days: patch.escalateNoContactWorkingDays }),
            ...(patch.coordinatorDomainPriority !== undefined && { coordinator_domain_priority: patch.coordinatorDomainPriority }),
            ...(patch.auditRetentionMonths !== undefined && { audit_retention_months: patch.auditRetentionMonths }),
            ...(patch.privacyStatement !== undefined && { privacy_statement: JSON.stringify(patch.privacyStatement) }),

            ...(patch.signalExtensionMonths !== undefined && { signal_extension_months: patch.signalExtensionMonths }),
            ...(patch.informingFollowUpDays !== undefined && { informing_follow_up_days: patch.informingFollowUpDays }),
            ...(patch.caseConsultationRetentionMonths !== undefined && { case_consultation_retention_months: patch.caseConsultationRetentionMonths }),
            ...(patch.rightsRequestRetentionMonths !== undefined && { rights_request_retention_months: patch.rightsRequestRetentionMonths }),
            ...(patch.familyMatching !== undefined && { family_matching: patch.familyMatching }),
            ...(patch.familyMatchAgeLimit !== undefined && { family_match_age_limit: patch.familyMatchAgeLimit }),
            ...(patch.familyMatchIncludesParent !== undefined && { family_match_includes_parent: patch.familyMatchIncludesParent }),
            ...(patch.addressMatching !== undefined && { address_matching: patch.addressMatching }),
            ...(patch.unbornSignals !== undefined && { unborn_signals: patch.unbornSignals }),
          }))
          .execute();
        await audit.record(trx, now, { type: 'settings.updated', actor, details: { changed: Object.keys(patch).sort().join(',') } });
        return reload(trx);
      });
    },
  };
}
