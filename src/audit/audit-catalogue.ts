/**
 * The closed catalogue of audit event types. The database holds the same list in
 * audit_event_types (a foreign key refuses anything else); a test keeps the two equal.
 */
export const AUDIT_EVENT_TYPES = [
  'setup.admin_created',
  'auth.denied',
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
] as const;

export type AuditEventType = (typeof AUDIT_EVENT_TYPES)[number];
