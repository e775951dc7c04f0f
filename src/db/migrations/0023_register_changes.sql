-- Changes from the population register: the one change path that the BRP Update API, the daily
-- re-read and the embedded register's applied moves and deaths all feed
-- (src/population-register/register-changes.ts).

-- When SluiS placed a follow indication for the person (the Update API); null: not followed.
alter table person_register add column followed_at timestamptz;
-- The daily re-read takes the verified persons whose answer is oldest first.
create index person_register_refresh_due on person_register (refreshed_at) where state = 'verified';
-- Follow indications to place or end: verified persons by whether they are followed.
create index person_register_followed on person_register (followed_at) where followed_at is not null;

-- One row: when SluiS last asked the register which followed persons changed (GET /wijzigingen?vanaf=).
create table register_change_runs (
  id boolean primary key default true check (id),
  changes_read_on date not null,
  changes_read_at timestamptz not null
);

-- Who hears that a person with a signal moved to another municipality: per municipality code (four
-- digits, as the register gives gemeenteVanInschrijving) either an organisation in SluiS (its active
-- coordinators get the mail) or an e-mail address. Kept by administrators; across regions this
-- becomes the federation's job.
create table municipality_contacts (
  municipality_code text primary key check (municipality_code ~ '^[0-9]{4}$'),
  organisation_id uuid references organisations (id),
  email text check (email is null or (length(email) <= 254 and email ~ '^[^@\s]+@[^@\s]+$')),
  updated_at timestamptz not null,
  check ((organisation_id is null) <> (email is null))
);
-- Moves to a municipality without a contact, for the administrators' attention (counts only).
create table register_moves_unrouted (
  municipality_code text primary key check (municipality_code ~ '^[0-9]{4}$'),
  moves integer not null check (moves > 0),
  last_move_at timestamptz not null
);

-- A mail to a municipality's e-mail address has no professional behind it: an e-mail delivery has
-- either a professional or an 'email:' recipient.
do $$
declare
  constraint_name text;
begin
  for constraint_name in
    select c.conname from pg_constraint c
     where c.conrelid = 'deliveries'::regclass and c.contype = 'c'
       and pg_get_constraintdef(c.oid) like '%professional_id IS NOT NULL%'
  loop
    execute format('alter table deliveries drop constraint %I', constraint_name);
  end loop;
end $$;
alter table deliveries add constraint deliveries_email_recipient check (
  (channel = 'email' and (professional_id is not null or recipient_key like 'email:%'))
  or (channel = 'webhook' and professional_id is null));

-- A new event: the person of a signal moved to another municipality (mail to the signaller, feed and
-- webhooks). The allowed lists are extended rather than restated, so that this composes with other
-- migrations that add event types in any order (0024 on main does the same). 0016's pattern looked for
-- quoted elements, which the array literal it left no longer has: the unquoted pattern finds both forms.
-- With this migration the list is: coordination.changed, match.created, match.participant_joined,
-- match.participant_left, signal.ended, signal.expiring, signal.extended, signal.informing_due,
-- signal.informing_recorded, signal.person_moved (plus whatever other migrations add).
do $$
declare
  constraint_name text;
  table_name text;
  allowed text[];
  added constant text[] := array['signal.person_moved'];
begin
  foreach constraint_name in array array['outbox_event_type_check', 'webhook_subscriptions_event_types_check'] loop
    select c.conrelid::regclass::text, array_agg(distinct m[1])
      into table_name, allowed
      from pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '([a-z_]+\.[a-z_]+)', 'g') as m
     where c.conname = constraint_name
     group by c.conrelid;
    allowed := array(select distinct unnest(allowed || added) order by 1);
    execute format('alter table %s drop constraint %I', table_name, constraint_name);
    if constraint_name = 'outbox_event_type_check' then
      execute format('alter table %s add constraint %I check (event_type = any (%L::text[]))', table_name, constraint_name, allowed);
    else
      execute format('alter table %s add constraint %I check (cardinality(event_types) > 0 and event_types <@ %L::text[])', table_name, constraint_name, allowed);
    end if;
  end loop;
end $$;

insert into audit_event_types (event_type, description) values
  ('person.register_changed', 'A change from the population register was applied to a person (death, emigration, a move), with what SluiS did'),
  ('person.register_followed', 'SluiS placed or ended a follow indication for a person at the register''s Update API'),
  ('municipality_contacts.changed', 'An administrator set or removed who hears of moves to a municipality');
