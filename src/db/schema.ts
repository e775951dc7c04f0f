/** Row types of the tables, as Kysely sees them. Keep in step with src/db/migrations. */
import type { ColumnType, Generated } from 'kysely';
import type { CaseConsultationTables } from './case-consultation-schema.ts';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** 'YYYY-MM-DD' on both engines (see database.ts). */
type DateString = string;
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export type Domain = 'health_care' | 'mental_health' | 'social_support' | 'education' | 'work_and_income' | 'welfare' | 'housing' | 'safety' | 'youth_care';

export type SettingsTable = {
  id: Generated<boolean>;
  version: Generated<number>;
  regime: 'all_ages' | 'youth';
  signal_lifetime_months: number;
  history_retention_months: number;
  match_within_organisation: boolean;
  family_matching: Generated<boolean>;
  family_match_age_limit: Generated<number>;
  family_match_includes_parent: Generated<boolean>;
  address_matching: Generated<boolean>;
  unborn_signals: Generated<boolean>;
  mail_mode: 'full' | 'link_only';
  expiry_notice_days: number;
  delivery_max_attempts: number;
  session_idle_minutes: Generated<number>;
  session_absolute_hours: Generated<number>;
  theme: ColumnType<Record<string, string>, string | undefined, string>;
  escalate_no_coordinator_working_days: Generated<number>;
  escalate_no_contact_working_days: Generated<number>;
  audit_retention_months: Generated<number>;
  coordinator_domain_priority: Generated<string[]>;
  privacy_statement: ColumnType<Record<string, string>, string | undefined, string>;

  /** Migration 0016: null means the signal lifetime; 0 switches extending off. */
  signal_extension_months: Generated<number | null>;
  informing_follow_up_days: Generated<number>;
  case_consultation_retention_months: Generated<number>;
  rights_request_retention_months: Generated<number>;
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
  /** Whether the organisation's professionals may take coordination (migration 0017); false: they signal only. */
  may_coordinate: Generated<boolean>;
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
  coordinator: Generated<boolean>;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type ApiClientsTable = {
  id: Generated<string>;
  name: string;
  organisation_id: string | null;
  staff_member_id: string | null;
  created_at: Timestamp;
  revoked_at: Timestamp | null;
};

/** An API client's tokens (migration 0038): at most two live at once, the older one until its expires_at. */
export type ApiClientTokensTable = {
  id: Generated<string>;
  api_client_id: string;
  key_id: string;
  secret_hash: Bytes;
  created_at: Timestamp;
  expires_at: Timestamp | null;
  revoked_at: Timestamp | null;
  last_used_at: Timestamp | null;
};

export type PersonsTable = {
  person_key: Bytes;
  /** Null for a person identified without a BSN (family name, date of birth and gender; migration 0026). */
  bsn_ciphertext: Bytes | null;
  identification: Generated<'bsn' | 'details' | 'unborn'>;
  created_at: Timestamp;
  /** Migration 0033: the processing of the person is restricted (a rights decision): no new matches, no match notifications. */
  restricted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
};

/** Migration 0033: the person's own statement (seed 004 art. 15.7), sealed with crypto.sealText. */
export type PersonStatementsTable = {
  person_key: Bytes;
  statement_ciphertext: Bytes;
  rights_request_id: string | null;
  added_at: Timestamp;
};

/** Migration 0020: what the population register said of a person (parents and address as keyed pseudonyms). */
export type PersonRegisterTable = {
  person_key: Bytes;
  state: 'verified' | 'unknown' | 'pending';
  verified_at: Timestamp | null;
  refreshed_at: Timestamp;
  deceased_on: DateString | null;
  suspension: 'deceased' | 'emigrated' | 'ministerial_decree' | 'other' | null;
  confidential: Generated<boolean>;
  municipality_code: string | null;
  address_key: Bytes | null;
  address_function: 'home' | 'postal' | null;
  parent_keys: ColumnType<Uint8Array[], Uint8Array[] | undefined, Uint8Array[]>;
  /** Migration 0023: when SluiS placed a follow indication (the Update API); null: not followed. */
  followed_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
};

/** Migration 0023: when SluiS last asked which followed persons changed (one row). */
export type RegisterChangeRunsTable = { id: Generated<boolean>; changes_read_on: DateString; changes_read_at: Timestamp };

/** Migration 0023: who hears of a move to a municipality: an organisation (its coordinators) or an e-mail address. */
export type ExcludedAddressesTable = { address_key: Uint8Array; label: string | null; created_at: Timestamp };
export type MunicipalityContactsTable = { municipality_code: string; organisation_id: string | null; email: string | null; updated_at: Timestamp };

/** Migration 0023: moves to a municipality without a contact (counts for the administrators). */
export type RegisterMovesUnroutedTable = { municipality_code: string; moves: number; last_move_at: Timestamp };

/** Migration 0020: verifications waiting for the register, or needing the administrators' attention. */
export type RegisterVerificationsTable = {
  person_key: Bytes;
  queued_at: Timestamp;
  attempts: Generated<number>;
  next_attempt_at: Timestamp;
  last_attempt_at: Timestamp | null;
  attention: 'unknown' | 'deceased' | null;
  attention_since: Timestamp | null;
};

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
  /** Migration 0016: the last extension, and the follow-up of informing that was postponed. */
  extended_at: Timestamp | null;
  informing_deferred_at: Timestamp | null;
  informing_reminded_at: Timestamp | null;
};

/** person or family (migration 0022). */
export type MatchKind = 'person' | 'family' | 'address' | 'cross_region';

export type MatchesTable = {
  id: Generated<string>;
  /** The match's key: the person's key for a person match, the shared parent's key for a family match. */
  person_key: Bytes;
  kind: Generated<MatchKind>;
  status: 'open' | 'closed';
  created_at: Timestamp;
  closed_at: Timestamp | null;
};

/** Migration 0040: this region at the hub (while the federation is on), and the last hub event handled. */
export type FederationRegionTable = { id: Generated<boolean>; region: string; events_after: Generated<number> };
/** Migration 0040: a person registered at the hub under a random reference. */
export type FederationRegistrationsTable = { person_key: Bytes; reference: string; created_at: Timestamp; registered_at: Timestamp | null };
/** Migration 0040: a cross-region match's hub match id and the other regions in it. */
export type FederationMatchesTable = { match_id: string; hub_match: string; regions: string[] };
/** Migration 0041: a move into one of this region's municipalities from another region, as the hub relayed it (no person data). */
export type FederationMovesTable = {
  id: string;
  from_region: string;
  municipality_code: string;
  contacts: ColumnType<unknown, string, string>;
  received_at: Timestamp;
};
/** Migration 0040: another region's professionals' contact details for a hub match, as relayed. */
export type FederationMatchContactsTable = { hub_match: string; region: string; contacts: ColumnType<unknown, string, string>; received_at: Timestamp };

export type MatchParticipantsTable = {
  match_id: string;
  signal_id: string;
  /** The signal's person (for a family match: the child, not the match's key). */
  person_key: Bytes;
  kind: Generated<MatchKind>;
  joined_at: Timestamp;
  left_at: Timestamp | null;
};

/** When a professional last opened a match (the start page's "Nieuw" marker); migration 0011. */
export type MatchSeenTable = {
  match_id: string;
  professional_id: string;
  person_key: Bytes;
  seen_at: Timestamp;
};

/** The view match_participant_details (migration 0012): who is involved in a match; read only, through matches/participants.ts. */
export type MatchParticipantDetailsView = {
  match_id: string;
  signal_id: string;
  professional_id: string;
  organisation_id: string;
  professional_name: string;
  job_title: string;
  organisation_name: string;
  phone: string;
  email: string;
  since: Timestamp;
};

export type OutboxEventType =
  | 'match.created'
  | 'match.participant_joined'
  | 'match.participant_left'
  | 'signal.ended'
  | 'signal.expiring'
  | 'coordination.changed'
  | 'signal.extended'
  | 'signal.informing_due'
  | 'signal.informing_recorded'
  | 'case_consultation.invited'
  | 'case_consultation.meeting_planned'
  | 'case_consultation.action_point_assigned'
  | 'signal.person_moved'
  | 'breach.partners_notified'
  | 'rights_request.deadlines_due'
  | 'rights.decision_carried_out'
  | 'federation.register'
  | 'federation.deregister'
  | 'federation.contacts'
  | 'federation.move'
  | 'federation.move_received';
export type OutboxTable = {
  id: Generated<number>;
  created_at: Timestamp;
  event_type: OutboxEventType;
  /** A professional (with their organisation), or a staff member (no organisation): one of the two. */
  recipient_professional_id: string | null;
  organisation_id: string | null;
  recipient_staff_member_id: string | null;
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

export type DeliveryChannel = 'email' | 'webhook' | 'federation';
export type DeliveryStatus = 'pending' | 'delivered' | 'dead';
export type DeliveriesTable = {
  id: Generated<number>;
  outbox_id: number;
  event_type: OutboxEventType;
  channel: DeliveryChannel;
  recipient_key: string;
  /** Null for a mail to a staff member (recipient_key staff:<id>). */
  organisation_id: string | null;
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
  /** The W3C trace id of the request that wrote it (migration 0035). */
  trace_id: Generated<string | null>;
  details: ColumnType<unknown, string, string>;
};

export type WebAccountsTable = {
  id: Generated<string>;
  email: string;
  professional_id: string | null;
  staff_member_id: string | null;
  password_hash: string | null;
  totp_secret: string | null;
  totp_enrolled_at: Timestamp | null;
  totp_last_step: ColumnType<string | null, string | number | null, string | number | null>;
  deactivated_at: Timestamp | null;
  created_at: Timestamp;
  updated_at: Timestamp;
};

export type WebSessionEndReason = 'signed_out' | 'signed_out_everywhere' | 'idle' | 'expired' | 'deactivated' | 'password_changed' | 'second_factor_reset';

export type WebSessionsTable = {
  id_hash: Bytes;
  account_id: string;
  stage: 'password_ok' | 'signed_in';
  csrf_token: string;
  created_at: Timestamp;
  last_seen_at: Timestamp;
  expires_at: Timestamp;
  ended_at: Timestamp | null;
  end_reason: WebSessionEndReason | null;
};

/** A form posted after its session ended, kept for the same account to finish after signing in again (migration 0014). */
export type WebKeptFormsTable = {
  session_hash: Bytes;
  account_id: string;
  page_path: string;
  action_path: string;
  fields_ciphertext: Bytes;
  created_at: Timestamp;
  expires_at: Timestamp;
};

export type CoordinationsTable = {
  match_id: string;
  person_key: Bytes;
  state: 'open' | 'taken' | 'handover_proposed' | 'escalated' | 'resolved';
  coordinator_signal_id: string | null;
  proposed_signal_id: string | null;
  escalation_reason: 'no_coordinator' | 'no_contact' | 'no_agreement' | 'other' | null;
  escalated_at: Timestamp | null;
  escalated_by: 'participant' | 'timer' | null;
  outcome: 'coordinator_appointed' | 'contact_restored' | 'no_coordination_needed' | 'other' | null;
  state_since: Timestamp;
  updated_at: Timestamp;
};

export type CoordinationTransitionsTable = {
  id: Generated<number>;
  match_id: string;
  person_key: Bytes;
  occurred_at: Timestamp;
  action: string;
  from_state: string;
  to_state: string;
  actor_type: 'professional' | 'staff' | 'system';
  actor_id: string | null;
  coordinator_signal_id: string | null;
  subject_signal_id: string | null;
  category: string | null;
  /** contact_recorded: the date the participant recorded (migration 0017). */
  contacted_on: DateString | null;
};

/** The data breach register (migration 0030, src/breaches/). */
export type DataBreachesTable = {
  id: string;
  recorded_at: Timestamp;
  recorded_by: string;
  category: string;
  description: string;
  occurred_on: DateString | null;
  discovered_at: Timestamp;
  data_categories: string[];
  persons_min: number;
  persons_max: number | null;
  ap_required: boolean | null;
  assessment_reasons: string | null;
  assessed_at: Timestamp | null;
  ap_notified_on: DateString | null;
  ap_reference: string | null;
  persons_informed: boolean | null;
  persons_informed_on: DateString | null;
  persons_reasons: string | null;
  updated_at: Timestamp;
};

export type DataBreachNoticesTable = {
  id: Generated<number>;
  breach_id: string;
  organisation_id: string;
  sent_at: Timestamp;
  recipients: number;
};

export type RightsRequestsTable = {
  id: Generated<string>;
  person_key: Bytes;
  bsn_ciphertext: Bytes | null;
  identified_by: 'bsn' | 'details';
  kind: string;
  received_on: DateString;
  through: string;
  requester: string;
  identity_check: string | null;
  case_number: string | null;
  signal_id: string | null;
  passed_on_by: string | null;
  passed_on_organisation_id: string | null;
  registered_by: string | null;
  registered_at: Timestamp;
  due_on: DateString;
  extension_weeks: number | null;
  extension_reason: string | null;
  extended_at: Timestamp | null;
  status: Generated<string>;
  decision: string | null;
  decision_reasons: Generated<string[]>;
  decided_on: DateString | null;
  letter_sent_on: DateString | null;
  closed_at: Timestamp | null;
  delete_after: Timestamp | null;
  /** Migration 0033: when the (partly) granted decision was carried out, and when a restriction it imposed was lifted. */
  carried_out_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  restriction_lifted_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
};

export type DB = CaseConsultationTables & {
  person_statements: PersonStatementsTable;
  data_breaches: DataBreachesTable;
  data_breach_notices: DataBreachNoticesTable;
  rights_requests: RightsRequestsTable;
  /** Figure rows for policy (migration 0034): a month's first day, the figure, a column, a count; nothing that identifies anyone. */
  figure_events: { month: DateString; figure: string; column_key: string; count: number };
  rights_deadline_mails: { day: DateString; sent_at: Timestamp; overdue: number; nearly_due: number };
  settings: SettingsTable;
  staff_members: StaffMembersTable;
  setup_codes: SetupCodesTable;
  organisations: OrganisationsTable;
  covenants: CovenantsTable;
  professionals: ProfessionalsTable;
  api_clients: ApiClientsTable;
  api_client_tokens: ApiClientTokensTable;
  persons: PersonsTable;
  person_register: PersonRegisterTable;
  register_verifications: RegisterVerificationsTable;
  register_change_runs: RegisterChangeRunsTable;
  municipality_contacts: MunicipalityContactsTable;
  excluded_addresses: ExcludedAddressesTable;
  register_moves_unrouted: RegisterMovesUnroutedTable;
  signals: SignalsTable;
  matches: MatchesTable;
  match_participants: MatchParticipantsTable;
  federation_region: FederationRegionTable;
  federation_registrations: FederationRegistrationsTable;
  federation_matches: FederationMatchesTable;
  federation_match_contacts: FederationMatchContactsTable;
  federation_moves: FederationMovesTable;
  match_seen: MatchSeenTable;
  match_participant_details: MatchParticipantDetailsView;
  outbox: OutboxTable;
  audit_event_types: { event_type: string; description: string };
  audit_events: AuditEventsTable;
  webhook_subscriptions: WebhookSubscriptionsTable;
  organisation_events: OrganisationEventsTable;
  deliveries: DeliveriesTable;
  delivery_attempts: DeliveryAttemptsTable;
  dev_mailbox: DevMailboxTable;
  web_accounts: WebAccountsTable;
  coordinations: CoordinationsTable;
  coordination_transitions: CoordinationTransitionsTable;
  match_contacts: { match_id: string; signal_id: string; person_key: Bytes; contacted_on: DateString; recorded_at: Timestamp };
  web_recovery_codes: { account_id: string; code_hash: Bytes; used_at: Timestamp | null };
  web_sessions: WebSessionsTable;
  web_kept_forms: WebKeptFormsTable;
  web_login_throttle: { email_hash: Bytes; failures: Generated<number>; window_started_at: Timestamp; locked_until: Timestamp | null };
  web_one_time_links: {
    token_hash: Bytes;
    account_id: string;
    purpose: 'invitation' | 'password_reset';
    created_at: Timestamp;
    expires_at: Timestamp;
    used_at: Timestamp | null;
  };
};
