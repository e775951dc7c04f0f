-- SluiS core schema: organisations, covenants, professionals, API clients, persons, signals,
-- matches, outbox and the append-only audit trail. Forward-only; never edit after release.

create table settings (
  id boolean primary key default true check (id),
  version integer not null default 1,
  regime text not null default 'all_ages' check (regime in ('all_ages', 'youth')),
  signal_lifetime_months integer not null default 24 check (signal_lifetime_months between 1 and 120),
  history_retention_months integer not null default 60 check (history_retention_months between 0 and 240),
  match_within_organisation boolean not null default false,
  updated_at timestamptz not null default now()
);
insert into settings default values;

create table staff_members (
  id uuid primary key default gen_random_uuid(),
  name text not null check (length(name) between 1 and 200),
  email text not null unique check (length(email) between 3 and 254),
  roles text[] not null check (cardinality(roles) > 0 and roles <@ array['municipality_admin']::text[]),
  active boolean not null default true,
  created_at timestamptz not null
);

-- One-time codes that let the first municipality administrator be created.
create table setup_codes (
  code_hash bytea primary key,
  expires_at timestamptz not null,
  used_at timestamptz
);

create table organisations (
  id uuid primary key default gen_random_uuid(),
  name text not null unique check (length(name) between 1 and 200),
  domains text[] not null check (
    cardinality(domains) > 0 and domains <@ array['health_care', 'mental_health', 'social_support', 'education',
      'work_and_income', 'welfare', 'housing', 'safety', 'youth_care']::text[]),
  description text not null default '',
  signalling_criteria text not null default '',
  website text,
  phone text,
  email text,
  created_at timestamptz not null,
  updated_at timestamptz not null
);

-- An organisation may use SluiS only while it has a covenant with status 'active' that has started.
create table covenants (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  reference text not null default '',
  status text not null check (status in ('active', 'suspended', 'ended')),
  starts_on date not null,
  ended_on date,
  status_reason text,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((status = 'ended') = (ended_on is not null))
);
create unique index covenants_one_current_per_organisation on covenants (organisation_id) where status <> 'ended';

create table professionals (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  name text not null check (length(name) between 1 and 200),
  email text not null check (length(email) between 3 and 254),
  phone text not null check (length(phone) between 1 and 40),
  job_title text not null default '',
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  unique (organisation_id, email)
);

-- Credentials for record systems (organisation_id) and for municipality staff (staff_member_id).
-- The secret is random (256 bits) and stored only as its SHA-256 hash.
create table api_clients (
  id uuid primary key default gen_random_uuid(),
  key_id text not null unique,
  secret_hash bytea not null,
  name text not null check (length(name) between 1 and 200),
  organisation_id uuid references organisations (id),
  staff_member_id uuid references staff_members (id),
  created_at timestamptz not null,
  revoked_at timestamptz,
  check ((organisation_id is null) <> (staff_member_id is null))
);
create index api_clients_organisation on api_clients (organisation_id);

-- A person is known only by a keyed pseudonym of the BSN (HMAC-SHA256), the person key that every
-- table with personal data carries (the sharding key), plus an encrypted copy of the BSN for the
-- municipality's work on data subjects' rights.
create table persons (
  person_key bytea primary key check (length(person_key) = 32),
  bsn_ciphertext bytea not null,
  created_at timestamptz not null
);

create table signals (
  id uuid primary key default gen_random_uuid(),
  person_key bytea not null references persons (person_key),
  organisation_id uuid not null references organisations (id),
  professional_id uuid not null references professionals (id),
  client_reference text check (length(client_reference) between 1 and 100),
  -- The person as the professional registered them (never the BSN).
  person_details jsonb not null,
  person_date_of_birth date not null,
  -- Consent (23+) or informing record (under 23), see src/signals/legal-basis.ts.
  legal_basis jsonb not null check (legal_basis ->> 'basis' in ('consent', 'informed', 'informing_postponed')),
  status text not null check (status in ('active', 'ended', 'expired')),
  filed_at timestamptz not null,
  active_until timestamptz not null,
  ended_at timestamptz,
  end_reason text check (end_reason in ('care_ended', 'moved', 'deceased', 'expired', 'age_limit')),
  retain_until timestamptz,
  check ((status = 'active') = (ended_at is null)),
  check ((status = 'active') = (retain_until is null)),
  check ((status = 'active') = (end_reason is null))
);
create unique index signals_one_active_per_professional_per_person on signals (person_key, professional_id) where status = 'active';
create index signals_person on signals (person_key);
create index signals_professional on signals (professional_id, filed_at desc);
create index signals_active_until on signals (active_until) where status = 'active';
create index signals_retain_until on signals (retain_until) where status <> 'active';

-- At most one open match per person. A match is closed when fewer than two of its participants
-- (from different organisations, unless settings allow one) remain active.
create table matches (
  id uuid primary key default gen_random_uuid(),
  person_key bytea not null references persons (person_key),
  status text not null check (status in ('open', 'closed')),
  created_at timestamptz not null,
  closed_at timestamptz,
  check ((status = 'open') = (closed_at is null))
);
create unique index matches_one_open_per_person on matches (person_key) where status = 'open';
create index matches_person on matches (person_key);

create table match_participants (
  match_id uuid not null references matches (id) on delete cascade,
  signal_id uuid not null references signals (id) on delete cascade,
  person_key bytea not null,
  joined_at timestamptz not null,
  left_at timestamptz,
  primary key (match_id, signal_id)
);
create index match_participants_signal on match_participants (signal_id);

-- Transactional outbox: one record per event and recipient, written in the same transaction as the
-- change that causes it. Payloads carry ids only. Delivery is a separate capability.
create table outbox (
  id bigint generated always as identity primary key,
  created_at timestamptz not null,
  event_type text not null check (event_type in ('match.created', 'match.participant_joined', 'match.participant_left', 'signal.ended')),
  recipient_professional_id uuid not null,
  organisation_id uuid not null,
  payload jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead'))
);
create index outbox_pending on outbox (id) where status = 'pending';

-- The audit trail (NEN 7513: who, on whose behalf, what, when, which subject, outcome).
-- The catalogue of event types is closed: a foreign key to this table.
create table audit_event_types (
  event_type text primary key,
  description text not null
);
insert into audit_event_types (event_type, description) values
  ('setup.admin_created', 'The first municipality administrator was created with a setup code'),
  ('auth.denied', 'A request was refused: unknown, revoked or unauthorised credentials'),
  ('signal.created', 'A professional filed a signal'),
  ('signal.filed_existing', 'A professional filed a signal they already had; the existing one was returned'),
  ('signal.read', 'A professional read one of their signals'),
  ('signal.listed', 'A professional listed their signals'),
  ('signal.ended', 'A professional ended a signal'),
  ('signal.expired', 'A signal reached the end of its lifetime'),
  ('signal.purged', 'A signal was deleted for good'),
  ('match.created', 'A match was made'),
  ('match.participant_joined', 'A professional joined an open match'),
  ('match.closed', 'A match was closed because too few participants remained'),
  ('match.read', 'A professional read a match'),
  ('match.listed', 'A professional listed their matches'),
  ('person.purged', 'A person record was deleted for good'),
  ('organisation.created', 'An organisation was created'),
  ('organisation.updated', 'An organisation or its profile was changed'),
  ('covenant.started', 'A covenant was started'),
  ('covenant.suspended', 'A covenant was suspended'),
  ('covenant.resumed', 'A suspended covenant was resumed'),
  ('covenant.ended', 'A covenant was ended'),
  ('professional.created', 'A professional was registered'),
  ('professional.updated', 'A professional was changed or deactivated'),
  ('professional.listed', 'Professionals of an organisation were listed'),
  ('api_client.created', 'An API client was created'),
  ('api_client.revoked', 'An API client was revoked'),
  ('settings.updated', 'The municipality changed settings'),
  ('audit.read', 'The audit trail was read');

create table audit_events (
  id bigint generated always as identity primary key,
  occurred_at timestamptz not null,
  event_type text not null references audit_event_types (event_type),
  outcome text not null check (outcome in ('success', 'denied', 'not_found')),
  actor_type text not null check (actor_type in ('professional', 'staff', 'system', 'anonymous')),
  actor_id uuid,
  organisation_id uuid,
  api_client_id uuid,
  subject_key bytea,
  resource_type text,
  resource_id uuid,
  request_id text,
  details jsonb not null default '{}'
);
create index audit_events_occurred on audit_events (occurred_at);
create index audit_events_subject on audit_events (subject_key) where subject_key is not null;
create index audit_events_actor on audit_events (actor_id, occurred_at);

create function audit_events_refuse_change() returns trigger language plpgsql as $$
begin
  raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;
create trigger audit_events_no_update_or_delete before update or delete on audit_events
  for each row execute function audit_events_refuse_change();
create trigger audit_events_no_truncate before truncate on audit_events
  for each statement execute function audit_events_refuse_change();
