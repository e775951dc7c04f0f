-- Filing a signal in one round trip: check the caller, lock the person, insert the signal, make or
-- join the match, write outbox and audit records, and return the answer the professional may see.
-- The rules that need no data (BSN check, age and consent rules, lifetime dates) run in TypeScript
-- before this is called; see src/signals/signal-service.ts.
--
-- Returns jsonb: { "outcome": "created" | "existing" | "settings_changed" | "organisation_refused"
--   | "professional_refused", "signalId", "answer": { signal, match, history } }
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
  -- The caller: an active covenant, an active professional of that organisation, a live client.
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

  -- The per-person lock: every change to one person's signals and matches holds this row lock.
  -- (A purge may delete the person between the insert and the lock: then insert again.)
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

    -- The match rule: active signals from at least two organisations (or two professionals when
    -- the municipality allows matches within one organisation).
    select case when v_settings.match_within_organisation then count(distinct s.professional_id)
                else count(distinct s.organisation_id) end
      into v_parties
      from signals s where s.person_key = p_person_key and s.status = 'active';

    select m.id into v_match_id from matches m where m.person_key = p_person_key and m.status = 'open';
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

-- Instants in JSON as JavaScript writes them (2026-01-15T10:00:00.000Z), whatever the session time zone.
create function sluis_instant(t timestamptz) returns text language sql immutable as $$
  select to_char(t at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- What the professional who filed (or re-filed) a signal may see: their signal, the open match with
-- the other involved professionals' contact details, and the history of ended signals still kept.
-- PL/pgSQL rather than SQL so that its query plans are cached per connection.
create function sluis_filing_answer(p_signal_id uuid, p_person_key bytea, p_now timestamptz)
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
           jsonb_agg(jsonb_build_object('professionalName', p.name, 'organisationName', o.name,
             'phone', p.phone, 'email', p.email, 'since', sluis_instant(s.filed_at), 'isYou', s.id = p_signal_id)
             order by s.filed_at, s.id))
    into v_match
    from matches m
    join match_participants mp on mp.match_id = m.id and mp.left_at is null
    join signals s on s.id = mp.signal_id
    join professionals p on p.id = s.professional_id
    join organisations o on o.id = s.organisation_id
   where m.person_key = p_person_key and m.status = 'open'
   group by m.id, m.created_at;

  select coalesce(jsonb_agg(jsonb_build_object('professionalName', p.name, 'organisationName', o.name,
           'phone', p.phone, 'email', p.email, 'from', sluis_instant(s.filed_at), 'until', sluis_instant(s.ended_at))
           order by s.ended_at desc, s.id), '[]'::jsonb)
    into v_history
    from signals s join professionals p on p.id = s.professional_id join organisations o on o.id = s.organisation_id
   where s.person_key = p_person_key and s.status <> 'active' and s.retain_until > p_now;

  return jsonb_build_object('signal', v_signal, 'match', v_match, 'history', v_history);
end $$;
