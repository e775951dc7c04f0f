-- Coordination after a match (src/coordination/README.md): who coordinates ("regie"), hand-overs,
-- contact made between the participants, escalation to the municipality's escalation officer.
-- A match without a row in coordinations is "open" since the match was made.

create table coordinations (
  match_id uuid primary key references matches (id),
  person_key bytea not null,
  state text not null check (state in ('open', 'taken', 'handover_proposed', 'escalated', 'resolved')),
  -- The coordinator is a participant's signal (so a transferred signal keeps its coordination).
  coordinator_signal_id uuid references signals (id),
  -- The participant a hand-over was offered to, while it is pending.
  proposed_signal_id uuid references signals (id),
  escalation_reason text check (escalation_reason in ('no_coordinator', 'no_contact', 'no_agreement', 'other')),
  escalated_at timestamptz,
  escalated_by text check (escalated_by in ('participant', 'timer')),
  outcome text check (outcome in ('coordinator_appointed', 'contact_restored', 'no_coordination_needed', 'other')),
  state_since timestamptz not null,
  updated_at timestamptz not null,
  check ((state = 'handover_proposed') = (proposed_signal_id is not null)),
  check (state not in ('taken', 'handover_proposed') or coordinator_signal_id is not null),
  check (state <> 'escalated' or escalation_reason is not null)
);
create index coordinations_escalated on coordinations (escalated_at) where state = 'escalated';

-- Every transition, as the state table allows it: who, when, from, to.
create table coordination_transitions (
  id bigint generated always as identity primary key,
  match_id uuid not null references matches (id),
  person_key bytea not null,
  occurred_at timestamptz not null,
  action text not null check (action in ('take', 'propose_handover', 'accept_handover', 'decline_handover', 'withdraw_handover',
    'coordinator_left', 'proposed_left', 'escalate', 'appoint', 'resolve')),
  from_state text not null,
  to_state text not null,
  actor_type text not null check (actor_type in ('professional', 'staff', 'system')),
  actor_id uuid,
  -- The coordinator after the transition, and the participant it concerned (hand-over target, appointee).
  coordinator_signal_id uuid,
  subject_signal_id uuid,
  category text
);
create index coordination_transitions_match on coordination_transitions (match_id, id);

-- "Contact gelegd / afgestemd": a date per participant, no content.
create table match_contacts (
  match_id uuid not null references matches (id),
  signal_id uuid not null references signals (id),
  person_key bytea not null,
  contacted_on date not null,
  recorded_at timestamptz not null,
  primary key (match_id, signal_id)
);

alter table settings
  add column escalate_no_coordinator_working_days integer not null default 10 check (escalate_no_coordinator_working_days between 0 and 60),
  add column escalate_no_contact_working_days integer not null default 10 check (escalate_no_contact_working_days between 0 and 60),
  -- Covenant rule: the domains whose participant is proposed as coordinator, first one first (empty: no proposal).
  add column coordinator_domain_priority text[] not null default '{}';

alter table staff_members drop constraint staff_members_roles_check;
alter table staff_members add constraint staff_members_roles_check
  check (cardinality(roles) > 0 and roles <@ array['municipality_admin', 'escalation_officer']::text[]);

alter table outbox drop constraint outbox_event_type_check;
alter table outbox add constraint outbox_event_type_check check (event_type in
  ('match.created', 'match.participant_joined', 'match.participant_left', 'signal.ended', 'signal.expiring', 'coordination.changed'));
alter table webhook_subscriptions drop constraint webhook_subscriptions_event_types_check;
alter table webhook_subscriptions add constraint webhook_subscriptions_event_types_check check (cardinality(event_types) > 0 and event_types <@
  array['match.created', 'match.participant_joined', 'match.participant_left', 'signal.ended', 'signal.expiring', 'coordination.changed']::text[]);

insert into audit_event_types (event_type, description) values
  ('coordination.changed', 'The coordination of a match changed (taken, handed over, escalated, appointed, resolved)'),
  ('coordination.read', 'A match''s coordination was read'),
  ('coordination.contact_recorded', 'A participant recorded that contact was made'),
  ('coordination.worklist_read', 'The escalation officer read the work list'),
  ('coordination.follow_up_read', 'The follow-up figures were read'),
  ('staff.roles_changed', 'A staff member''s roles were changed');
