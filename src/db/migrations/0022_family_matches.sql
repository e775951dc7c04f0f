-- Family matches (gezinsmatch, Jeugdwet 7.1.2.3): signals on two persons who share a registered
-- parent. See docs/architecture.md, "Family matches".
--
-- A match has a kind. `person_key` is the match's key: the person's key for a person match (as
-- before), the shared parent's key for a family match (the parent's pseudonym, the key the parent
-- would have as a person, from person_register.parent_keys). It stays the match's lock, shard and
-- audit-subject key. A parent is usually no person of the index, so the foreign key to persons goes;
-- person matches are only made by sluis_file_signal, which inserts the person first.
alter table matches drop constraint matches_person_key_fkey;
alter table matches add column kind text not null default 'person' check (kind in ('person', 'family'));
alter table matches add constraint matches_id_kind unique (id, kind);
drop index matches_one_open_per_person;
create unique index matches_one_open_per_person on matches (person_key) where status = 'open' and kind = 'person';
-- At most one open family match per parent.
create unique index matches_one_open_per_family on matches (person_key) where status = 'open' and kind = 'family';

-- A participation carries its match's kind (kept equal by the foreign key), so that "the match of a
-- signal" (the person match) stays one row while a signal may also take part in family matches.
alter table match_participants add column kind text not null default 'person';
alter table match_participants add constraint match_participants_match_kind foreign key (match_id, kind) references matches (id, kind) on delete cascade;

-- The family lock: a transaction-scoped advisory lock per parent key (two-key form, namespace
-- 7150100, the key's first four bytes; a collision only makes two families wait for each other).
-- Taken after the person lock, for several parents in ascending key order, so no two transactions
-- wait for each other's locks. Works the same on PGlite.
create function sluis_lock_families(p_keys bytea[]) returns void language plpgsql as $$
declare
  k bytea;
begin
  for k in select distinct x from unnest(p_keys) as x order by x loop
    perform pg_advisory_xact_lock(7150100, ('x' || encode(substring(k from 1 for 4), 'hex'))::bit(32)::int);
  end loop;
end $$;

-- The municipality's settings for family matching (only in effect with a population register).
alter table settings
  add column family_matching boolean not null default true,
  add column family_match_age_limit integer not null default 23 check (family_match_age_limit between 1 and 99),
  add column family_match_includes_parent boolean not null default false;

-- The filing function (migration 0002) and its answer (0012) look at the person match only.
create or replace function sluis_file_signal(
  p_now timestamptz,
  p_today date,
  p_settings_version integer,
  p_organisation_id uuid,
  p_professional_id uuid,
  p_api_client_id uuid,
  p_request_id text,
  p_person_key bytea,
  p_bsn_ciphertext bytea,
  p_person_details jsonb,
  p_date_of_birth date,
  p_legal_basis jsonb,
  p_client_reference text,
  p_active_until timestamptz
) returns jsonb language plpgsql as $$
declare
  v_settings settings%rowtype;
  v_signal_id uuid;
  v_outcome text := 'created';
  v_match_id uuid;
  v_match_event text;
  v_parties integer;
begin
  if not exists (
    select from covenants c where c.organisation_id = p_organisation_id and c.status = 'active' and c.starts_on <= p_today
  ) or (p_api_client_id is not null and not exists (
    select from api_clients a where a.id = p_api_client_id and a.organisation_id = p_organisation_id and a.revoked_at is null
  )) then
    return jsonb_build_object('outcome', 'organisation_refused');
  end if;
  if not exists (
    select from professionals p where p.id = p_professional_id and p.organisation_id = p_organisation_id and p.active
  ) then
    return jsonb_build_object('outcome', 'professional_refused');
  end if;

  select * into v_settings from settings;
  if v_settings.version <> p_settings_version then
    return jsonb_build_object('outcome', 'settings_changed');
  end if;

  loop
    insert into persons (person_key, bsn_ciphertext, created_at) values (p_person_key, p_bsn_ciphertext, p_now)
      on conflict (person_key) do nothing;
    perform from persons where person_key = p_person_key for update;
    exit when found;
  end loop;

  select s.id into v_signal_id from signals s
    where s.person_key = p_person_key and s.professional_id = p_professional_id and s.status = 'active';

  if v_signal_id is not null then
    v_outcome := 'existing';
  else
    insert into signals (person_key, organisation_id, professional_id, client_reference, person_details,
      person_date_of_birth, legal_basis, status, filed_at, active_until)
    values (p_person_key, p_organisation_id, p_professional_id, p_client_reference, p_person_details,
      p_date_of_birth, p_legal_basis, 'active', p_now, p_active_until)
    returning id into v_signal_id;

    select case when v_settings.match_within_organisation then count(distinct s.professional_id)
                else count(distinct s.organisation_id) end
      into v_parties
      from signals s where s.person_key = p_person_key and s.status = 'active';

    select m.id into v_match_id from matches m where m.person_key = p_person_key and m.status = 'open' and m.kind = 'person';
    if v_match_id is not null then
      insert into match_participants (match_id, signal_id, person_key, joined_at)
        values (v_match_id, v_signal_id, p_person_key, p_now);
      v_match_event := 'match.participant_joined';
    elsif v_parties >= 2 then
      insert into matches (person_key, status, created_at) values (p_person_key, 'open', p_now)
        returning id into v_match_id;
      insert into match_participants (match_id, signal_id, person_key, joined_at)
        select v_match_id, s.id, p_person_key, p_now from signals s
        where s.person_key = p_person_key and s.status = 'active';
      v_match_event := 'match.created';
    end if;

    if v_match_event is not null then
      insert into outbox (created_at, event_type, recipient_professional_id, organisation_id, payload)
        select p_now, v_match_event, s.professional_id, s.organisation_id,
               jsonb_build_object('matchId', v_match_id, 'signalId', s.id, 'newSignalId', v_signal_id)
          from match_participants mp join signals s on s.id = mp.signal_id
         where mp.match_id = v_match_id and mp.left_at is null
         order by s.filed_at, s.id;
    end if;
  end if;

  insert into audit_events (occurred_at, event_type, outcome, actor_type, actor_id, organisation_id, api_client_id,
    subject_key, resource_type, resource_id, request_id, details)
  values (p_now, case v_outcome when 'created' then 'signal.created' else 'signal.filed_existing' end, 'success',
    'professional', p_professional_id, p_organisation_id, p_api_client_id, p_person_key, 'signal', v_signal_id,
    p_request_id, case when v_match_event is null then '{}'::jsonb
                       else jsonb_build_object('matchId', v_match_id, 'match', v_match_event) end);

  return jsonb_build_object(
    'outcome', v_outcome,
    'signalId', v_signal_id,
    'answer', sluis_filing_answer(v_signal_id, p_person_key, p_now));
end $$;

create or replace function sluis_filing_answer(p_signal_id uuid, p_person_key bytea, p_now timestamptz)
returns jsonb language plpgsql stable as $$
declare
  v_signal jsonb;
  v_match jsonb;
  v_history jsonb;
begin
  select jsonb_build_object('id', s.id, 'status', s.status, 'filedAt', sluis_instant(s.filed_at),
           'activeUntil', sluis_instant(s.active_until), 'clientReference', s.client_reference)
    into v_signal from signals s where s.id = p_signal_id;

  select jsonb_build_object('id', m.id, 'createdAt', sluis_instant(m.created_at), 'participants',
           jsonb_agg(jsonb_build_object('professionalName', d.professional_name, 'jobTitle', d.job_title,
             'organisationName', d.organisation_name, 'phone', d.phone, 'email', d.email,
             'since', sluis_instant(d.since), 'isYou', d.signal_id = p_signal_id)
             order by d.since, d.signal_id))
    into v_match
    from matches m
    join match_participant_details d on d.match_id = m.id
   where m.person_key = p_person_key and m.status = 'open' and m.kind = 'person'
   group by m.id, m.created_at;

  select coalesce(jsonb_agg(jsonb_build_object('professionalName', p.name, 'organisationName', o.name,
           'phone', p.phone, 'email', p.email, 'from', sluis_instant(s.filed_at), 'until', sluis_instant(s.ended_at))
           order by s.ended_at desc, s.id), '[]'::jsonb)
    into v_history
    from signals s join professionals p on p.id = s.professional_id join organisations o on o.id = s.organisation_id
   where s.person_key = p_person_key and s.status <> 'active' and s.retain_until > p_now;

  return jsonb_build_object('signal', v_signal, 'match', v_match, 'history', v_history);
end $$;
