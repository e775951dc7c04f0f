-- Coordination after a match, issue 17 (docs/coordination.md):
--
-- 1. Organisations that may only signal. In practice schools and the police signal but do not
--    coordinate (Zorg voor Jeugd's rule). The covenant says whether the organisation's professionals
--    may take coordination; by default they may, as before.
alter table covenants add column may_coordinate boolean not null default true;

insert into audit_event_types (event_type, description) values
  ('covenant.changed', 'A covenant''s terms were changed (whether its professionals may take coordination)');

-- 2. The coordination history shows recorded contact. Recording "contact gelegd / afgestemd" writes a
--    history row (action contact_recorded, with the date recorded) besides the current date per
--    participant in match_contacts, so that the history keeps every recording, also one replaced later.
alter table coordination_transitions drop constraint coordination_transitions_action_check;
alter table coordination_transitions add constraint coordination_transitions_action_check check (action in ('take', 'propose_handover',
  'accept_handover', 'decline_handover', 'withdraw_handover', 'coordinator_left', 'proposed_left', 'escalate', 'appoint', 'resolve',
  'contact_recorded'));
alter table coordination_transitions add column contacted_on date;
alter table coordination_transitions add constraint coordination_transitions_contact_check
  check ((action = 'contact_recorded') = (contacted_on is not null));

-- Once: the contact recorded before this migration, as history rows at the time it was recorded.
insert into coordination_transitions (match_id, person_key, occurred_at, action, from_state, to_state, actor_type, actor_id,
                                      coordinator_signal_id, subject_signal_id, category, contacted_on)
select mc.match_id, mc.person_key, mc.recorded_at, 'contact_recorded', coalesce(c.state, 'open'), coalesce(c.state, 'open'),
       'professional', s.professional_id, c.coordinator_signal_id, mc.signal_id, null, mc.contacted_on
  from match_contacts mc
  join signals s on s.id = mc.signal_id
  left join coordinations c on c.match_id = mc.match_id;

-- The history is read in the order things happened (the rows above were added after later transitions).
create index coordination_transitions_match_time on coordination_transitions (match_id, occurred_at, id);
drop index coordination_transitions_match;

-- 3. A pending hand-over shows on the start page of the professional it is offered to.
create index coordinations_pending_handover on coordinations (proposed_signal_id) where state = 'handover_proposed';
