-- Figure rows for policy (issue 12; docs/accountability.md, "Figures for policy"): the monthly figures
-- of the past stay as they were when signals, their matches and coordination are purged and closed
-- rights requests deleted. Each event adds a row where the event itself is written — filing
-- (sluis_file_signal), a person match (sluis_join_person_match), a family or address match
-- (keyed-match-steps.ts), a coordinator agreed or an escalation (coordination-transitions.ts), a
-- rights request received (rights-request-service.ts) — in the same transaction; nothing is written at
-- a purge. A row holds only a month, the figure, a column (a domain or a kind) and a count: no person
-- key, no signal, match, request or organisation id, so it identifies no one and nothing refers to it.
-- Rows are appended, never updated, so that two filings in one domain never wait for each other on a
-- shared counter row; the figures add them up.
create table figure_events (
  month date not null check (extract(day from month) = 1),
  figure text not null check (figure in ('signals', 'matches', 'match_signals', 'coordination', 'escalations', 'rights_requests')),
  column_key text not null check (column_key ~ '^[a-z_]+$'),
  count integer not null check (count > 0)
);
create index figure_events_figure_month on figure_events (figure, month);

-- The month (its first day) of an instant, in Europe/Amsterdam.
create function sluis_figure_month(p_at timestamptz) returns date language sql stable as $$
  select date_trunc('month', p_at at time zone 'Europe/Amsterdam')::date
$$;

-- The figures' column of an organisation: its domain, or 'several' when it has more than one (so each
-- event sits in one column and the totals add up; policy-figures.ts, SEVERAL_DOMAINS).
create function sluis_domain_column(p_organisation_id uuid) returns text language sql stable as $$
  select case when cardinality(o.domains) = 1 then o.domains[1]::text else 'several' end
    from organisations o where o.id = p_organisation_id
$$;

-- Adds n events of a figure in a column to a month.
create function sluis_count_figure(p_month date, p_figure text, p_column text, p_n integer) returns void language sql as $$
  insert into figure_events (month, figure, column_key, count) values (p_month, p_figure, p_column, p_n)
$$;

-- Filing counts the signal, under the filing organisation's domain: as migration 0026, with that line added.
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
    perform sluis_count_figure(sluis_figure_month(p_now), 'signals', sluis_domain_column(p_organisation_id), 1);
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


-- Making a person match counts it and the signals in it; joining one counts the signal: as migration
-- 0033, with those lines added.
create or replace function sluis_join_person_match(p_now timestamptz, p_person_key bytea, p_signal_id uuid, p_within_organisation boolean)
returns jsonb language plpgsql as $$
declare
  v_match_id uuid;
  v_match_event text;
  v_parties integer;
begin
  if exists (select from persons where person_key = p_person_key and restricted_at is not null) then
    return jsonb_build_object('matchId', null, 'event', null);
  end if;

  select case when p_within_organisation then count(distinct s.professional_id)
              else count(distinct s.organisation_id) end
    into v_parties
    from signals s where s.person_key = p_person_key and s.status = 'active';

  select m.id into v_match_id from matches m where m.person_key = p_person_key and m.status = 'open' and m.kind = 'person';
  if v_match_id is not null then
    insert into match_participants (match_id, signal_id, person_key, joined_at)
      values (v_match_id, p_signal_id, p_person_key, p_now);
    perform sluis_count_figure(sluis_figure_month(p_now), 'match_signals', sluis_domain_column(s.organisation_id), 1)
       from signals s where s.id = p_signal_id;
    v_match_event := 'match.participant_joined';
  elsif v_parties >= 2 then
    insert into matches (person_key, status, created_at) values (p_person_key, 'open', p_now)
      returning id into v_match_id;
    insert into match_participants (match_id, signal_id, person_key, joined_at)
      select v_match_id, s.id, p_person_key, p_now from signals s
      where s.person_key = p_person_key and s.status = 'active';
    perform sluis_count_figure(sluis_figure_month(p_now), 'matches', 'person', 1);
    insert into figure_events (month, figure, column_key, count)
      select sluis_figure_month(p_now), 'match_signals', sluis_domain_column(s.organisation_id), count(*)::int
        from signals s where s.person_key = p_person_key and s.status = 'active'
       group by 3;
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

-- What SluiS holds now, counted as the figures did from the live tables until now (the same months,
-- domains and kinds), so that the figures read from these rows show no change on the day of this
-- migration. What was purged before it is not known any more.
insert into figure_events (month, figure, column_key, count)
  select sluis_figure_month(s.filed_at), 'signals', sluis_domain_column(s.organisation_id), count(*)::int
    from signals s group by 1, 3;
insert into figure_events (month, figure, column_key, count)
  select sluis_figure_month(m.created_at), 'matches', m.kind::text, count(*)::int
    from matches m group by 1, 3;
insert into figure_events (month, figure, column_key, count)
  select sluis_figure_month(mp.joined_at), 'match_signals', sluis_domain_column(s.organisation_id), count(*)::int
    from match_participants mp join signals s on s.id = mp.signal_id group by 1, 3;
insert into figure_events (month, figure, column_key, count)
  select sluis_figure_month(t.occurred_at), 'coordination', sluis_domain_column(s.organisation_id), count(*)::int
    from coordination_transitions t join signals s on s.id = t.coordinator_signal_id
   where t.action in ('take', 'accept_handover', 'appoint') group by 1, 3;
insert into figure_events (month, figure, column_key, count)
  select sluis_figure_month(t.occurred_at), 'escalations', coalesce(t.category, 'other'), count(*)::int
    from coordination_transitions t where t.action = 'escalate' group by 1, 3;
insert into figure_events (month, figure, column_key, count)
  select date_trunc('month', r.received_on::timestamp)::date, 'rights_requests', r.kind, count(*)::int
    from rights_requests r group by 1, 3;
