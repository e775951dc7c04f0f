/**
 * The closed catalogue of audit event types. The database holds the same list in
 * audit_event_types (a foreign key refuses anything else); a test keeps the two equal.
 */
export const AUDIT_EVENT_TYPES = [
  'setup.admin_created',
  'auth.denied',
  'auth.throttled',
  'signal.created',
  'signal.filed_existing',
  'signal.read',
  'signal.listed',
  'signal.ended',
  'signal.expired',
  'signal.purged',
  'match.created',
  'match.participant_joined',
  'match.closed',
  'match.read',
  'match.listed',
  'person.purged',
  'organisation.created',
  'organisation.updated',
  'covenant.started',
  'covenant.suspended',
  'covenant.resumed',
  'covenant.ended',
  'professional.created',
  'professional.updated',
  'professional.listed',
  'api_client.created',
  'api_client.revoked',
  'settings.updated',
  'audit.read',
  'notification.sent',
  'delivery.retried',
  'delivery.listed',
  'webhook.subscribed',
  'webhook.secret_rotated',
  'webhook.unsubscribed',
  'dev_mailbox.read',
  'events.read',
  'web.signed_in',
  'web.sign_in_failed',
  'web.signed_out',
  'web.signed_out_everywhere',
  'web.session_expired',
  'web.second_factor_enrolled',
  'web.recovery_code_used',
  'web.second_factor_reset',
  'web.password_reset_requested',
  'web.password_set',
  'web.account_invited',
  'web.account_deactivated',
  'web.signals_transferred',
  'web.form_kept',
  'web.form_restored',
  'web.form_discarded',
  'person.looked_up',
  'directory.read',
  'coordination.changed',
  'coordination.read',
  'coordination.contact_recorded',
  'coordination.worklist_read',
  'coordination.follow_up_read',
  'audit.purged',
  'staff.created',
  'staff.roles_changed',
  'audit.exported',
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];

/**
 * The closed list of keys an audit event's details may hold: ids, counts and categories, never
 * person data. Each has a Dutch label on the audit pages and in the export
 * (src/web/municipality/audit-labels.ts); the audit log refuses any other key. The database's
 * filing function writes `matchId` and `match` itself.
 */
export const AUDIT_DETAIL_KEYS = [
  'action',
  'address',
  'after',
  'again',
  'before',
  'caseNumber',
  'category',
  'changed',
  'coordinator',
  'count',
  'deleted',
  'delivery',
  'ended',
  'enrolled',
  'eventType',
  'failuresPerMinute',
  'from',
  'locked',
  'match',
  'matchId',
  'matches',
  'moved',
  'organisation',
  'outcome',
  'own',
  'page',
  'professional',
  'purpose',
  'reason',
  'recoveryCode',
  'recoveryCodesDeleted',
  'retentionMonths',
  'roles',
  'search',
  'sent',
  'sessions',
  'sessionsEnded',
  'signals',
  'staffMember',
  'status',
  'to',
  'transfer',
] as const;

export type AuditDetailKey = (typeof AUDIT_DETAIL_KEYS)[number];

/** What an audit event's details hold: catalogued keys with plain values. */
export type AuditDetails = { [K in AuditDetailKey]?: string | number | boolean | null };

/** The kinds of thing an audit event can be about (its resource); closed like the event types. */
export const AUDIT_RESOURCE_TYPES = [
  'api_client',
  'covenant',
  'match',
  'organisation',
  'professional',
  'signal',
  'staff_member',
  'web_account',
  'webhook_subscription',
] as const;

export type AuditResourceType = (typeof AUDIT_RESOURCE_TYPES)[number];
