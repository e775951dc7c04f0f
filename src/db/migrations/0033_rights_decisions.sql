-- Carrying out a decision on a rights request at once (issue 12; seed 004 art. 15.6; docs/rights.md,
-- "Carrying out a decision"): an upheld objection and an erasure purge (no schema needed), a
-- restriction marks the person (persons.restricted_at: no new matches, no match notifications; the
-- signals are kept), a correction changes the person details on the person's signals, and an own
-- statement is kept sealed (AES-256-GCM, crypto.sealText) beside the person. Each decision carried out
-- is recorded on the request and mailed to the professionals concerned (outbox
-- rights.decision_carried_out: a mail only, no webhook and no feed event).

alter table persons add column restricted_at timestamptz;

-- The person's own statement (seed 004 art. 15.7), in their own words: sealed, at most one (a later
-- statement replaces it), gone with the person record.
create table person_statements (
  person_key bytea primary key references persons (person_key) on delete cascade,
  statement_ciphertext bytea not null,
  rights_request_id uuid references rights_requests (id) on delete set null,
  added_at timestamptz not null
);

-- When the decision was carried out (once); and when a restriction it imposed was lifted.
alter table rights_requests add column carried_out_at timestamptz;
alter table rights_requests add column restriction_lifted_at timestamptz;
alter table rights_requests add constraint rights_requests_carried_out check (
  carried_out_at is null or (decision in ('granted', 'partly_granted')
    and kind in ('objection', 'erasure', 'restriction', 'correction', 'own_statement')));
alter table rights_requests add constraint rights_requests_restriction_lifted check (
  restriction_lifted_at is null or (kind = 'restriction' and carried_out_at is not null));

-- Joining or making the person match of a newly active signal: as migration 0026, except that a
-- restricted person's signal joins and makes none (and so writes no outbox record). Filing
-- (sluis_file_signal) and adding a BSN to a signal both call this one step, so both keep the rule.
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

insert into audit_event_types (event_type, description) values
  ('rights.decision_carried_out', 'Staff carried out a granted decision on a rights request (seed 004 art. 15.6)'),
  ('rights.person_erased', 'The person''s data were erased on a rights request: signals, matches taken part in, register data, the person record (the audit trail keeps the pseudonym)'),
  ('rights.person_restricted', 'The processing of a person''s data was restricted on a rights request: no new matches or notifications'),
  ('rights.restriction_lifted', 'Staff lifted the restriction of a person''s processing'),
  ('rights.details_corrected', 'Staff corrected the person details on a signal on a rights request (which fields, never the values)'),
  ('rights.statement_added', 'Staff added the person''s own statement on a rights request (seed 004 art. 15.7)'),
  ('rights.statement_read', 'A professional with an active signal on the person was shown the person''s own statement'),
  ('rights.restriction_read', 'A professional read that the processing of the person on their signal or match is restricted');

-- The professionals concerned hear of a decision carried out by mail only (no webhook, no feed event):
-- the outbox's allowed list is extended rather than restated, as in 0023, 0024 and 0030.
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
  allowed := array(select distinct unnest(allowed || array['rights.decision_carried_out']) order by 1);
  execute format('alter table %s drop constraint %I', table_name, 'outbox_event_type_check');
  execute format('alter table %s add constraint %I check (event_type = any (%L::text[]))', table_name, 'outbox_event_type_check', allowed);
end $$;
