-- Moves across regions (issue 10; docs/federation.md, "Moves across regions"). The region a
-- registered person left sends the move to the hub through the outbox ('federation.move': the
-- reference, a random move id, the municipality code); the region the hub routes it to keeps what
-- the hub relayed — the municipality code, the leaving region and its professionals' contact
-- details, never person data — and mails its contact for that municipality
-- ('federation.move_received', a mail only: no feed event, no webhook).
create table federation_moves (
  id text primary key check (id ~ '^[A-Za-z0-9_-]{22}$'),
  from_region text not null,
  municipality_code text not null check (municipality_code ~ '^[0-9]{4}$'),
  contacts jsonb not null,
  received_at timestamptz not null
);

do $$
declare
  table_name text;
  allowed text[];
begin
  select c.conrelid::regclass::text, array_agg(distinct m[1])
    into table_name, allowed
    from pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '([a-z_]+\.[a-z_]+)', 'g') as m
   where c.conname = 'outbox_event_type_check'
   group by c.conrelid;
  allowed := array(select distinct unnest(allowed || array['federation.move', 'federation.move_received']) order by 1);
  execute format('alter table %s drop constraint %I', table_name, 'outbox_event_type_check');
  execute format('alter table %s add constraint %I check (event_type = any (%L::text[]))', table_name, 'outbox_event_type_check', allowed);
end $$;

-- The mail of a move from another region to a bare e-mail address has no organisation (there is no signaller here).
alter table deliveries drop constraint deliveries_organisation;
alter table deliveries add constraint deliveries_organisation check (
  organisation_id is not null or recipient_key like 'staff:%' or (channel = 'federation' and recipient_key like 'federation:%')
  or (event_type = 'federation.move_received' and channel = 'email' and recipient_key like 'email:%'));
