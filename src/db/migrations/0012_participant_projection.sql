-- Who is involved in a match, written once. The filing answer, the match service, the signal pages
-- (through the match service), the notification dispatcher and coordination each joined
-- match_participants, signals, professionals and organisations themselves, and drifted apart (the
-- filing answer lacked the job title that reading the match gives). This view is the one
-- projection: the current participants (not left, signal active) with their professional's
-- contact details as the professionals' pages show them. It holds no BSN, no pseudonym and nothing
-- about the person; whoever reads it must already have authorised the reader for the match. The
-- TypeScript readers use it through src/matches/participants.ts.
create view match_participant_details as
select mp.match_id,
       mp.signal_id,
       s.professional_id,
       s.organisation_id,
       p.name as professional_name,
       p.job_title,
       o.name as organisation_name,
       p.phone,
       p.email,
       s.filed_at as since
  from match_participants mp
  join signals s on s.id = mp.signal_id
  join professionals p on p.id = s.professional_id
  join organisations o on o.id = s.organisation_id
 where mp.left_at is null and s.status = 'active';

-- The filing answer (migration 0002) with its participants from the projection, so that they carry
-- the same fields as a match read (jobTitle added). Otherwise as before.
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
