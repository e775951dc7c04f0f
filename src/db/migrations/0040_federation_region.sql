-- The region side of the federation (issue 10; docs/federation.md): the person key → random
-- reference of each registration at the hub, the hub's events fetched so far, cross-region matches
-- and the contact details other regions relayed for them; registrations, deregistrations and the
-- region's own contact details go to the hub through the outbox and the deliveries (channel
-- 'federation'), so they wait, retry and are never lost when the hub or the pseudonymisation
-- service is down.

-- This region's id while the federation is switched on (the process writes it at start from
-- SLUIS_FEDERATION_ID, and deletes it when the settings are gone); the filing function registers
-- only then. `events_after`: the last hub event handled.
create table federation_region (
  id boolean primary key default true check (id),
  region text not null,
  events_after bigint not null default 0
);

-- One registration per person with a BSN and an active signal: the random reference the hub knows
-- it by (it tells the hub nothing), and when the hub confirmed it. Deleted when the last active
-- signal on the person ends (the deregistration carries the reference); follows a re-keyed person.
create table federation_registrations (
  person_key bytea primary key references persons (person_key) on update cascade on delete cascade,
  reference text not null unique check (reference ~ '^[A-Za-z0-9_-]{22,64}$'),
  created_at timestamptz not null,
  registered_at timestamptz
);

-- A cross-region match is a match of its own kind on the person's key: its participants are this
-- region's active signals on the person; the hub's match id and the other regions beside it.
alter table matches drop constraint matches_kind_check;
alter table matches add constraint matches_kind_check check (kind in ('person', 'family', 'address', 'cross_region'));
create unique index matches_one_open_cross_region on matches (person_key) where status = 'open' and kind = 'cross_region';
create table federation_matches (
  match_id uuid primary key references matches (id) on delete cascade,
  hub_match text not null unique check (hub_match ~ '^[A-Za-z0-9_-]{22}$'),
  regions text[] not null
);

-- The other regions' professionals' contact details for a cross-region match, as the hub relayed
-- them by match id: name, job title, organisation, phone, e-mail — never person data.
create table federation_match_contacts (
  hub_match text not null,
  region text not null,
  contacts jsonb not null,
  received_at timestamptz not null,
  primary key (hub_match, region)
);

-- Joining the person's match at filing (and when a BSN is added) also registers the person at the
-- hub when the federation is on, the person has a BSN, is not restricted and has no registration
-- yet — in the same transaction, through the outbox; and a signal joining a person with an open
-- cross-region match takes part in it. The filing function's own match step is kept as it is.
alter function sluis_join_person_match(timestamptz, bytea, uuid, boolean) rename to sluis_join_local_person_match;

create function sluis_join_person_match(p_now timestamptz, p_person_key bytea, p_signal_id uuid, p_within_organisation boolean)
returns jsonb language plpgsql as $$
declare
  v_joined jsonb;
  v_reference text;
  v_cross uuid;
begin
  v_joined := sluis_join_local_person_match(p_now, p_person_key, p_signal_id, p_within_organisation);
  if not exists (select from federation_region)
     or not exists (select from persons where person_key = p_person_key and bsn_ciphertext is not null and restricted_at is null) then
    return v_joined;
  end if;
  if not exists (select from federation_registrations where person_key = p_person_key) then
    -- 256 random bits (two v4 UUIDs' worth), base64url.
    v_reference := rtrim(translate(encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), '=');
    insert into federation_registrations (person_key, reference, created_at) values (p_person_key, v_reference, p_now);
    insert into outbox (created_at, event_type, recipient_professional_id, organisation_id, payload)
      values (p_now, 'federation.register', null, null, jsonb_build_object('reference', v_reference));
    return v_joined;
  end if;
  select m.id into v_cross from matches m where m.person_key = p_person_key and m.status = 'open' and m.kind = 'cross_region';
  if v_cross is not null then
    insert into match_participants (match_id, signal_id, person_key, kind, joined_at)
      values (v_cross, p_signal_id, p_person_key, 'cross_region', p_now)
      on conflict (match_id, signal_id) do update set joined_at = p_now, left_at = null;
    insert into outbox (created_at, event_type, recipient_professional_id, organisation_id, payload)
      select p_now, 'match.participant_joined', s.professional_id, s.organisation_id,
             jsonb_build_object('matchId', v_cross, 'signalId', s.id, 'newSignalId', p_signal_id, 'matchKind', 'cross_region')
        from match_participants mp join signals s on s.id = mp.signal_id
       where mp.match_id = v_cross and mp.left_at is null
       order by s.filed_at, s.id;
    insert into outbox (created_at, event_type, recipient_professional_id, organisation_id, payload)
      select p_now, 'federation.contacts', null, null, jsonb_build_object('matchId', v_cross, 'hubMatch', f.hub_match)
        from federation_matches f where f.match_id = v_cross;
  end if;
  return v_joined;
end $$;

-- The outbox and the deliveries: records for the hub have no professional, organisation or staff
-- member; their deliveries go over the channel 'federation', in order per reference (recipient_key
-- federation:<reference>) or per cross-region match.
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
  allowed := array(select distinct unnest(allowed || array['federation.register', 'federation.deregister', 'federation.contacts']) order by 1);
  execute format('alter table %s drop constraint %I', table_name, 'outbox_event_type_check');
  execute format('alter table %s add constraint %I check (event_type = any (%L::text[]))', table_name, 'outbox_event_type_check', allowed);
end $$;
alter table outbox drop constraint outbox_recipient;
alter table outbox add constraint outbox_recipient check (
  (recipient_professional_id is not null and organisation_id is not null and recipient_staff_member_id is null)
  or (recipient_professional_id is null and organisation_id is null and recipient_staff_member_id is not null)
  or (event_type like 'federation.%' and recipient_professional_id is null and organisation_id is null and recipient_staff_member_id is null));
alter table deliveries drop constraint deliveries_channel_check;
alter table deliveries add constraint deliveries_channel_check check (channel in ('email', 'webhook', 'federation'));
alter table deliveries drop constraint deliveries_email_recipient;
alter table deliveries add constraint deliveries_email_recipient check (
  (channel = 'email' and (professional_id is not null or recipient_key like 'email:%' or recipient_key like 'staff:%'))
  or (channel in ('webhook', 'federation') and professional_id is null));
alter table deliveries drop constraint deliveries_organisation;
alter table deliveries add constraint deliveries_organisation check (
  organisation_id is not null or recipient_key like 'staff:%' or (channel = 'federation' and recipient_key like 'federation:%'));

insert into audit_event_types (event_type, description) values
  ('federation.registered', 'The hub confirmed the registration of a person (by a random reference, never a BSN) after the first active signal on them'),
  ('federation.deregistered', 'The hub was told that the last active signal on a registered person ended'),
  ('federation.match_received', 'The hub said another region holds a registered person: a cross-region match was made or kept'),
  ('federation.match_ended', 'The hub said a cross-region match ended: no other region holds the person any more'),
  ('federation.contacts_sent', 'The professionals'' contact details of a cross-region match were sent to the hub for the other regions'),
  ('federation.contacts_received', 'Another region''s professionals'' contact details for a cross-region match arrived through the hub');
