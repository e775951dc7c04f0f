/** Row types of the tables, as Kysely sees them. Keep in step with src/db/migrations. */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** 'YYYY-MM-DD' on both engines (see database.ts). */
type DateString = string;
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export type Domain =
  | 'health_care' | 'mental_health' | 'social_support' | 'education' | 'work_and_income'
  | 'welfare' | 'housing' | 'safety' | 'youth_care';

export type SettingsTable = {
  id: Generated<boolean>;
  version: Generated<number>;
  regime: 'all_ages' | 'youth';
  signal_lifetime_months: number;
  history_retention_months: number;
  match_within_organisation: boolean;
  mail_mode: 'full' | 'link_only';
  expiry_notice_days: number;
  delivery_max_attempts: number;
  updated_at: Timestamp;
};

export type StaffMembersTable = {
  id: Generated<string>;
  name: string;
  email: string;
  roles: string[];
  active: Generated<boolean>;
  created_at: Timestamp;
};

export type SetupCodesTable = { code_hash: Bytes; expires_at: Timestamp; used_at: Timestamp | null };

export type OrganisationsTable = {
  id: Generated<string>;
  name: string;
  domains: Domain[];
  description: Generated<string>;
  signalling_criteria: Generated<string>;
  website: string | null;
  phone: string | null;
  email: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type CovenantStatus = 'active' | 'suspended' | 'ended';
export type CovenantsTable = {
  id: Generated<string>;
  organisation_id: string;
  reference: Generated<string>;
  status: CovenantStatus;
  starts_on: DateString;
  ended_on: DateString | null;
  status_reason: string | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type ProfessionalsTable = {
  id: Generated<string>;
  organisation_id: string;
  name: string;
  email: string;
  phone: string;
  job_title: Generated<string>;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type ApiClientsTable = {
  id: Generated<string>;
  key_id: string;
  secret_hash: Bytes;
  name: string;
  organisation_id: string | null;
  staff_member_id: string | null;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
};

export type PersonsTable = { person_key: Bytes; bsn_ciphertext: Bytes; created_at: Timestamp };

export type SignalStatus = 'active' | 'ended' | 'expired';
export type EndReason = 'care_ended' | 'moved' | 'deceased' | 'expired' | 'age_limit';
export type SignalsTable = {
  id: Generated<string>;
  person_key: Bytes;
  organisation_id: string;
  professional_id: string;
  client_reference: string | null;
  person_details: ColumnType<unknown, string, string>;
  person_date_of_birth: DateString;
  legal_basis: ColumnType<unknown, string, string>;
  status: SignalStatus;
  filed_at: Timestamp;
  active_until: Timestamp;
  ended_at: Timestamp | null;
  end_reason: EndReason | null;
  retain_until: Timestamp | null;
  expiry_notice_at: Timestamp | null;
};

export type MatchesTable = {
  id: Generated<string>;
  person_key: Bytes;
  status: 'open' | 'closed';
  created_at: Timestamp;
  closed_at: Timestamp | null;
};

export type MatchParticipantsTable = {
  match_id: string;
  signal_id: string;
  person_key: Bytes;
  joined_at: Timestamp;
  left_at: Timestamp | null;
};

export type OutboxEventType = 'match.created' | 'match.participant_joined' | 'match.participant_left' | 'signal.ended' | 'signal.expiring';
export type OutboxTable = {
  id: Generated<number>;
  created_at: Timestamp;
  event_type: OutboxEventType;
  recipient_professional_id: string;
  organisation_id: string;
  payload: ColumnType<unknown, string, string>;
  status: Generated<'pending' | 'dispatched'>;
};

export type WebhookSubscriptionsTable = {
  id: Generated<string>;
  organisation_id: string;
  api_client_id: string;
  url: string;
  event_types: OutboxEventType[];
  secret: string;
  previous_secret: string | null;
  previous_secret_expires_at: Timestamp | null;
  active: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type OrganisationEventsTable = {
  seq: Generated<number>;
  organisation_id: string;
  outbox_id: number;
  event_type: OutboxEventType;
  occurred_at: Timestamp;
  data: ColumnType<unknown, string, string>;
};

export type DeliveryChannel = 'email' | 'webhook';
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';
export type DeliveriesTable = {
  id: Generated<number>;
  outbox_id: number;
  event_type: OutboxEventType;
  channel: DeliveryChannel;
  recipient_key: string;
  organisation_id: string;
  professional_id: string | null;
  subscription_id: string | null;
  message: ColumnType<unknown, string, string>;
  status: Generated<DeliveryStatus>;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  lease_until: Timestamp | null;
  last_error: string | null;
  created_at: Timestamp;
  delivered_at: Timestamp | null;
};

export type DeliveryAttemptsTable = {
  id: Generated<number>;
  delivery_id: number;
  attempted_at: Timestamp;
  outcome: 'delivered' | 'failed';
  error: string | null;
  duration_ms: number;
};

export type DevMailboxTable = {
  id: Generated<number>;
  received_at: Timestamp;
  message_id: string;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
};

export type AuditEventsTable = {
  id: Generated<number>;
  occurred_at: Timestamp;
  event_type: string;
  outcome: 'success' | 'denied' | 'not_found';
  actor_type: 'professional' | 'record_system' | 'staff' | 'system' | 'anonymous';
  actor_id: string | null;
  organisation_id: string | null;
  api_client_id: string | null;
  subject_key: Bytes | null;
  resource_type: string | null;
  resource_id: string | null;
  request_id: string | null;
  details: ColumnType<unknown, string, string>;
};

export type DB = {
  settings: SettingsTable;
  staff_members: StaffMembersTable;
  setup_codes: SetupCodesTable;
  organisations: OrganisationsTable;
  covenants: CovenantsTable;
  professionals: ProfessionalsTable;
  api_clients: ApiClientsTable;
  persons: PersonsTable;
  signals: SignalsTable;
  matches: MatchesTable;
  match_participants: MatchParticipantsTable;
  outbox: OutboxTable;
  audit_event_types: { event_type: string; description: string };
  audit_events: AuditEventsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  organisation_events: OrganisationEventsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  dev_mailbox: DevMailboxTable;
};
