-- Delivering what the outbox records: e-mail to professionals, signed webhooks to record systems,
-- and an event feed per organisation. See src/notifications/README.md.

alter table settings
  add column mail_mode text not null default 'full' check (mail_mode in ('full', 'link_only')),
  add column expiry_notice_days integer not null default 28 check (expiry_notice_days between 0 and 365),
  add column delivery_max_attempts integer not null default 12 check (delivery_max_attempts between 1 and 100);

-- When the "about to expire" notice was written for a signal (once per signal).
alter table signals add column expiry_notice_at timestamptz;
create index signals_expiry_notice_due on signals (active_until) where status = 'active' and expiry_notice_at is null;

alter table outbox drop constraint outbox_event_type_check;
alter table outbox add constraint outbox_event_type_check check (event_type in
  ('match.created', 'match.participant_joined', 'match.participant_left', 'signal.ended', 'signal.expiring'));
-- 'pending' until the dispatcher has turned it into deliveries and feed events.
alter table outbox drop constraint outbox_status_check;
update outbox set status = 'pending' where status <> 'pending';
alter table outbox add constraint outbox_status_check check (status in ('pending', 'dispatched'));

create table webhook_subscriptions (
  id uuid primary key default gen_random_uuid(),
  organisation_id uuid not null references organisations (id),
  api_client_id uuid not null references api_clients (id),
  url text not null check (url ~ '^https?://' and length(url) <= 2000),
  event_types text[] not null check (cardinality(event_types) > 0 and event_types <@ array['match.created',
    'match.participant_joined', 'match.participant_left', 'signal.ended', 'signal.expiring']::text[]),
  -- Signing secrets (whsec_…). The server must know them to sign, so they cannot be hashed.
  secret text not null,
  previous_secret text,
  previous_secret_expires_at timestamptz,
  active boolean not null default true,
  created_at timestamptz not null,
  updated_at timestamptz not null
);
create index webhook_subscriptions_organisation on webhook_subscriptions (organisation_id) where active;

-- The event feed: what each organisation's record systems may pull, in order (GET /api/v1/events).
create table organisation_events (
  seq bigint generated always as identity primary key,
  organisation_id uuid not null,
  outbox_id bigint not null,
  event_type text not null,
  occurred_at timestamptz not null,
  data jsonb not null
);
create index organisation_events_feed on organisation_events (organisation_id, seq);

-- One delivery per outbox record and channel recipient: a mail to a professional, or a webhook call.
-- Delivered in order per recipient_key, at least once, with retries and a dead-letter state.
create table deliveries (
  id bigint generated always as identity primary key,
  outbox_id bigint not null,
  event_type text not null,
  channel text not null check (channel in ('email', 'webhook')),
  recipient_key text not null,
  organisation_id uuid not null,
  professional_id uuid,
  subscription_id uuid references webhook_subscriptions (id) on delete cascade,
  message jsonb not null,
  status text not null default 'pending' check (status in ('pending', 'delivered', 'dead')),
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  lease_until timestamptz,
  last_error text,
  created_at timestamptz not null,
  delivered_at timestamptz,
  check ((channel = 'email') = (professional_id is not null)),
  check ((channel = 'webhook') = (subscription_id is not null))
);
create index deliveries_due on deliveries (next_attempt_at, id) where status = 'pending';
create index deliveries_recipient_pending on deliveries (recipient_key, id) where status = 'pending';
create index deliveries_organisation on deliveries (organisation_id, status, id);
create index deliveries_delivered on deliveries (delivered_at) where status = 'delivered';

create table delivery_attempts (
  id bigint generated always as identity primary key,
  delivery_id bigint not null references deliveries (id) on delete cascade,
  attempted_at timestamptz not null,
  outcome text not null check (outcome in ('delivered', 'failed')),
  error text,
  duration_ms integer not null
);
create index delivery_attempts_delivery on delivery_attempts (delivery_id);

-- The development mailbox: where mail goes when no SMTP server is configured.
create table dev_mailbox (
  id bigint generated always as identity primary key,
  received_at timestamptz not null,
  message_id text not null,
  to_address text not null,
  subject text not null,
  text_body text not null,
  html_body text not null
);

-- A record system acting for its organisation as a whole (webhooks, the event feed, deliveries).
alter table audit_events drop constraint audit_events_actor_type_check;
alter table audit_events add constraint audit_events_actor_type_check
  check (actor_type in ('professional', 'staff', 'system', 'anonymous', 'record_system'));

insert into audit_event_types (event_type, description) values
  ('notification.sent', 'A notification carrying professionals'' contact details was delivered'),
  ('delivery.retried', 'A failed delivery was put back in the queue by hand'),
  ('delivery.listed', 'Deliveries were listed'),
  ('webhook.subscribed', 'A record system subscribed a webhook'),
  ('webhook.secret_rotated', 'A webhook''s signing secret was rotated'),
  ('webhook.unsubscribed', 'A webhook subscription was removed'),
  ('dev_mailbox.read', 'The development mailbox was read'),
  ('events.read', 'A record system read its organisation''s event feed');
