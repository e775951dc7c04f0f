-- Persons without a BSN (Besluit Jeugdwet 7.3.1): identified by family name, date of birth and gender;
-- and, where the municipality allows it (settings.unborn_signals, off by default), an unborn child,
-- identified through its mother's BSN.
-- Their person key is a keyed pseudonym of those three, normalised (src/persons/identity-keys.ts); they
-- hold no BSN copy. When the BSN becomes known, the professional adds it and the signal moves to the
-- person with that BSN (src/signals/signal-identification.ts). See docs/population-register.md,
-- "Persons without a BSN".
alter table persons alter column bsn_ciphertext drop not null;
alter table persons add column identification text not null default 'bsn' check (identification in ('bsn', 'details', 'unborn'));
alter table settings add column unborn_signals boolean not null default false;
alter table persons add constraint persons_bsn_copy check ((identification = 'bsn') = (bsn_ciphertext is not null));

-- Joining or making the person match of a newly active signal on a person: the one step that filing
-- (sluis_file_signal) and adding a BSN to a signal (the signal moves to that person) share. Runs under
-- the person's lock. Returns the match and the event written to the outbox (null when none).
create function sluis_join_person_match(p_now timestamptz, p_person_key bytea, p_signal_id uuid, p_within_organisation boolean)
returns jsonb language plpgsql as $$
declare
  v_match_id uuid;
  v_match_event text;
  v_parties integer;
begin
  select case when p_within_organisation then count(distinct s.professional_id)
              else count(distinct s.organisation_id) end
    into v_parties
    from signals s where s.person_key = p_person_key and s.status = 'active';

  select m.id into v_match_id from matches m where m.person_key = p_person_key and m.status = 'open' and m.kind = 'person';
  if v_match_id is not null then
    insert into match_participants (match_id, signal_id, person_key, joined_at)
      values (v_match_id, p_signal_id, p_person_key, p_now);
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
             jsonb_build_object('matchId', v_match_id, 'signalId', s.id, 'newSignalId', p_signal_id)
        from match_participants mp join signals s on s.id = mp.signal_id
       where mp.match_id = v_match_id and mp.left_at is null
       order by s.filed_at, s.id;
  end if;
  return jsonb_build_object('matchId', v_match_id, 'event', v_match_event);
end $$;

-- The filing function with the person's identification (bsn, details or unborn; no BSN copy but for bsn), and
-- its match step taken out into sluis_join_person_match.
drop function sluis_file_signal(timestamptz, date, integer, uuid, uuid, uuid, text, bytea, bytea, jsonb, date, jsonb, text, timestamptz);
create function sluis_file_signal(
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
  p_active_until timestamptz,
  p_identification text
) returns jsonb language plpgsql as $$
declare
  v_settings settings%rowtype;
  v_signal_id uuid;
  v_outcome text := 'created';
  v_joined jsonb;
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
    insert into persons (person_key, bsn_ciphertext, identification, created_at)
      values (p_person_key, p_bsn_ciphertext, p_identification, p_now)
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
    v_joined := sluis_join_person_match(p_now, p_person_key, v_signal_id, v_settings.match_within_organisation);
  end if;

  insert into audit_events (occurred_at, event_type, outcome, actor_type, actor_id, organisation_id, api_client_id,
    subject_key, resource_type, resource_id, request_id, details)
  values (p_now, case v_outcome when 'created' then 'signal.created' else 'signal.filed_existing' end, 'success',
    'professional', p_professional_id, p_organisation_id, p_api_client_id, p_person_key, 'signal', v_signal_id,
    p_request_id, case when v_joined is null or v_joined->>'event' is null then '{}'::jsonb
                       else jsonb_build_object('matchId', v_joined->>'matchId', 'match', v_joined->>'event') end);

  return jsonb_build_object(
    'outcome', v_outcome,
    'signalId', v_signal_id,
    'answer', sluis_filing_answer(v_signal_id, p_person_key, p_now));
end $$;

insert into audit_event_types (event_type, description) values
  ('signal.person_identified', 'A professional added the BSN of a person filed without one: the signal moved to the person with that BSN');
