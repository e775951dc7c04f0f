-- Signing in to the web application: accounts for professionals and municipality staff, a password
-- (argon2id) and a mandatory second factor (TOTP), server-side sessions, throttling that treats
-- unknown addresses exactly like known ones, and single-use links (invitation, password reset).
-- See src/accounts/README.md.

-- The organisation coordinator is a professional who also manages the organisation's professionals,
-- profile, API clients, webhooks and failed deliveries.
alter table professionals add column coordinator boolean not null default false;

alter table settings
  add column session_idle_minutes integer not null default 15 check (session_idle_minutes between 5 and 240),
  add column session_absolute_hours integer not null default 12 check (session_absolute_hours between 1 and 24),
  -- The municipality's name, logo and colours for the web pages (design tokens); see src/web/theme.ts.
  add column theme jsonb not null default '{}'::jsonb check (jsonb_typeof(theme) = 'object');

create table web_accounts (
  id uuid primary key default gen_random_uuid(),
  email text not null unique check (email = lower(email) and length(email) between 3 and 254),
  professional_id uuid unique references professionals (id),
  staff_member_id uuid unique references staff_members (id),
  -- Null until the holder chose a password through an invitation link.
  password_hash text,
  -- The TOTP secret (base32); the server must know it to check codes. Null until enrolled.
  totp_secret text,
  totp_enrolled_at timestamptz,
  -- The last time step a code was accepted for: a code is never accepted twice.
  totp_last_step bigint,
  -- Set when the account may no longer sign in (its professional or staff member was deactivated).
  deactivated_at timestamptz,
  created_at timestamptz not null,
  updated_at timestamptz not null,
  check ((professional_id is null) <> (staff_member_id is null))
);

create table web_recovery_codes (
  account_id uuid not null references web_accounts (id),
  code_hash bytea not null,
  used_at timestamptz,
  primary key (account_id, code_hash)
);

-- The cookie holds a random id; the database keeps only its SHA-256 hash.
create table web_sessions (
  id_hash bytea primary key,
  account_id uuid not null references web_accounts (id),
  -- password_ok: the password was right, the second factor is still to come (or to be enrolled).
  stage text not null check (stage in ('password_ok', 'signed_in')),
  csrf_token text not null,
  created_at timestamptz not null,
  last_seen_at timestamptz not null,
  expires_at timestamptz not null,
  ended_at timestamptz,
  end_reason text check (end_reason in ('signed_out', 'signed_out_everywhere', 'idle', 'expired', 'deactivated', 'password_changed'))
);
create index web_sessions_account on web_sessions (account_id) where ended_at is null;

-- Failed sign-ins per e-mail address (keyed by a hash of the address), kept whether or not an account
-- with that address exists, so the lockout says nothing about which addresses are known.
create table web_login_throttle (
  email_hash bytea primary key,
  failures integer not null default 0,
  window_started_at timestamptz not null,
  locked_until timestamptz
);

create table web_one_time_links (
  token_hash bytea primary key,
  account_id uuid not null references web_accounts (id),
  purpose text not null check (purpose in ('invitation', 'password_reset')),
  created_at timestamptz not null,
  expires_at timestamptz not null,
  used_at timestamptz
);
create index web_one_time_links_account on web_one_time_links (account_id);

insert into audit_event_types (event_type, description) values
  ('web.signed_in', 'Signed in to the web application (password and second factor)'),
  ('web.sign_in_failed', 'A sign-in attempt failed (wrong password or code, locked, inactive)'),
  ('web.signed_out', 'Signed out of the web application'),
  ('web.signed_out_everywhere', 'Ended all of an account''s sessions'),
  ('web.session_expired', 'A session ended by the idle or absolute timeout'),
  ('web.second_factor_enrolled', 'An authenticator app was linked to an account'),
  ('web.recovery_code_used', 'A recovery code was used instead of the authenticator app'),
  ('web.password_reset_requested', 'A password reset link was asked for'),
  ('web.password_set', 'A password was set through an invitation or reset link'),
  ('web.account_invited', 'A web account was created and an invitation sent'),
  ('web.account_deactivated', 'A web account was deactivated with its professional'),
  ('web.signals_transferred', 'The active signals of a professional were transferred to a colleague'),
  ('person.looked_up', 'Everything about one person was looked up for a rights request'),
  ('directory.read', 'The directory of participating organisations was read');
