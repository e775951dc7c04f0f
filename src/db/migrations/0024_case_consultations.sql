-- Case consultations under the covenant ((zorg)casusoverleg, issue 14; docs/case-consultations.md).
--
-- A consultation is anonymous (casuïstiekoverleg, art. 5.4) or identifying. An anonymous one holds
-- no person link at all: no person key, no match, no signal (a check constraint, below). An
-- identifying one is linked to the initiator's own signal on the person (their date of birth
-- decides who consents, art. 8) and, when it was started from a match, to that match. When that
-- signal is purged (its retention ran out, or it was unjustified), the consultation goes with it.

alter table settings
  add column case_consultation_retention_months integer not null default 12 check (case_consultation_retention_months between 1 and 120);

create table case_consultations (
  id uuid primary key default gen_random_uuid(),
  kind text not null check (kind in ('anonymous', 'identifying')),
  purpose text not null check (length(purpose) between 1 and 300),
  consultation_on date not null,
  initiator_professional_id uuid not null references professionals (id),
  initiator_organisation_id uuid not null references organisations (id),
  state text not null default 'open' check (state in ('open', 'closed')),
  -- The person link: only for identifying consultations.
  person_key bytea,
  signal_id uuid references signals (id) on delete cascade,
  match_id uuid references matches (id) on delete set null,
  -- consent or without_consent once the basis is complete (kept for the figures); null before, and for anonymous ones.
  basis text check (basis in ('consent', 'without_consent')),
  started_at timestamptz not null,
  identified_at timestamptz,
  closed_at timestamptz,
  outcome text check (outcome in ('plan_agreed', 'handed_back', 'referred_to_veilig_thuis', 'referred_elsewhere', 'no_longer_needed',
    'discussed_anonymously')),
  delete_after timestamptz,
  constraint case_consultations_person_link check (
    case kind when 'anonymous' then person_key is null and signal_id is null and match_id is null and basis is null and identified_at is null
              else person_key is not null and signal_id is not null end),
  constraint case_consultations_closed check ((state = 'closed') = (closed_at is not null and outcome is not null and delete_after is not null))
);
create index case_consultations_initiator on case_consultations (initiator_professional_id);
create index case_consultations_delete_after on case_consultations (delete_after) where state = 'closed';
create index case_consultations_started on case_consultations (started_at);
create index case_consultations_signal on case_consultations (signal_id) where signal_id is not null;
create index case_consultations_match on case_consultations (match_id) where match_id is not null;

-- Who takes part: the initiator, participants of the match, or professionals invited from other
-- covenant organisations for this case only (they sign the confidentiality declaration, art. 18,
-- before they see anything). Declined and removed participants see nothing any more.
create table case_consultation_participants (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references case_consultations (id) on delete cascade,
  professional_id uuid not null references professionals (id),
  organisation_id uuid not null references organisations (id),
  source text not null check (source in ('initiator', 'match', 'invited')),
  legal_task text not null check (length(legal_task) between 1 and 300),
  state text not null check (state in ('invited', 'active', 'declined', 'removed')),
  is_chair boolean not null default false,
  declaration_signed_at timestamptz,
  added_at timestamptz not null,
  left_at timestamptz,
  unique (consultation_id, professional_id),
  check (state <> 'invited' or source = 'invited'),
  check (source <> 'invited' or state not in ('active') or declaration_signed_at is not null),
  check (not is_chair or state = 'active')
);
create unique index case_consultation_participants_chair on case_consultation_participants (consultation_id) where is_chair;
create index case_consultation_participants_professional on case_consultation_participants (professional_id, state);

-- Consent (art. 7, 8): by whom, when, how, for these categories and these participants. The purpose
-- is the consultation's own, which does not change.
create table case_consultation_consents (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references case_consultations (id) on delete cascade,
  given_by text not null check (given_by in ('person', 'legal_representative')),
  given_on date not null,
  method text not null check (method in ('in_writing', 'in_person', 'by_phone', 'digitally')),
  categories text[] not null check (cardinality(categories) > 0),
  participant_ids uuid[] not null,
  recorded_at timestamptz not null,
  recorded_by uuid not null references professionals (id)
);
create index case_consultation_consents_consultation on case_consultation_consents (consultation_id);

-- The art. 9 reasoning for going ahead without consent: one per consultation, replaced when recorded again.
create table case_consultation_reasonings (
  consultation_id uuid primary key references case_consultations (id) on delete cascade,
  no_consent_reason text not null check (no_consent_reason in ('asking_unsafe', 'not_reachable', 'refused', 'not_capable')),
  no_consent_explanation text not null check (length(no_consent_explanation) <= 2000),
  ground text not null check (ground in ('conflict_of_duties', 'vital_interest', 'legal_task')),
  answers jsonb not null,
  vital_interest_motivation text check (length(vital_interest_motivation) <= 2000),
  official_consulted text not null check (length(official_consulted) between 1 and 300),
  official_consulted_on date not null,
  recorded_at timestamptz not null,
  recorded_by uuid not null references professionals (id),
  check ((ground = 'vital_interest') = (vital_interest_motivation is not null))
);

-- Informing the person (art. 11): who (by the age rules), when, how; that the processing, its
-- purpose, the controller and the person's rights were told.
create table case_consultation_informings (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references case_consultations (id) on delete cascade,
  informed text[] not null check (cardinality(informed) > 0 and informed <@ array['person', 'legal_representative']),
  informed_on date not null,
  method text not null check (method in ('in_person', 'by_phone', 'by_letter', 'by_email', 'information_text_handed_over')),
  recorded_at timestamptz not null,
  recorded_by uuid not null references professionals (id)
);
create index case_consultation_informings_consultation on case_consultation_informings (consultation_id);

-- The sharing ledger (art. 9.4): which category of data — never the content — went to which
-- participant, for what, on which ground, and whether and when the client was informed or why not yet.
create table case_consultation_sharings (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references case_consultations (id) on delete cascade,
  participant_id uuid not null references case_consultation_participants (id) on delete cascade,
  category text not null,
  purpose text not null check (length(purpose) between 1 and 300),
  ground text not null check (ground in ('consent', 'without_consent')),
  shared_on date not null,
  client_informed_on date,
  not_yet_informed_reason text check (not_yet_informed_reason in ('safety_of_person', 'safety_of_others', 'not_reachable_yet', 'would_harm_purpose')),
  recorded_at timestamptz not null,
  recorded_by uuid not null references professionals (id),
  check (client_informed_on is null or not_yet_informed_reason is null),
  check (ground = 'consent' or client_informed_on is not null or not_yet_informed_reason is not null)
);
create index case_consultation_sharings_consultation on case_consultation_sharings (consultation_id);

create table case_consultation_meetings (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references case_consultations (id) on delete cascade,
  held_on date not null,
  attendee_ids uuid[] not null default '{}',
  planned_at timestamptz not null
);
create index case_consultation_meetings_consultation on case_consultation_meetings (consultation_id, held_on);

-- Action points (art. 6.5): visible to the initiator, the chair and the participant they are for.
create table case_consultation_action_points (
  id uuid primary key default gen_random_uuid(),
  consultation_id uuid not null references case_consultations (id) on delete cascade,
  meeting_id uuid references case_consultation_meetings (id) on delete cascade,
  description text not null check (length(description) between 1 and 300),
  assignee_participant_id uuid not null references case_consultation_participants (id) on delete cascade,
  due_on date not null,
  done_at timestamptz,
  created_at timestamptz not null
);
create index case_consultation_action_points_consultation on case_consultation_action_points (consultation_id);

-- What the municipality's figures keep of a consultation once it is deleted (art. 2.3): its month
-- and kind, nothing that identifies anyone or links to the audit trail.
create table case_consultation_statistics (
  month text not null check (month ~ '^\d{4}-\d{2}$'),
  anonymous boolean not null,
  basis text check (basis in ('consent', 'without_consent')),
  official_consulted boolean not null
);
create index case_consultation_statistics_month on case_consultation_statistics (month);

insert into audit_event_types (event_type, description) values
  ('case_consultation.started', 'A professional started a case consultation (anonymous or identifying)'),
  ('case_consultation.read', 'A participant read a case consultation'),
  ('case_consultation.listed', 'A professional listed their case consultations'),
  ('case_consultation.changed', 'The initiator changed a case consultation (the chair)'),
  ('case_consultation.identified', 'An anonymous case consultation was made identifying, on consent or the art. 9 reasoning'),
  ('case_consultation.participant_added', 'A professional was added to a case consultation'),
  ('case_consultation.participant_removed', 'A participant was removed from a case consultation and lost access'),
  ('case_consultation.declaration_signed', 'An invited participant signed the confidentiality declaration (art. 18)'),
  ('case_consultation.declined', 'An invited participant declined to take part'),
  ('case_consultation.consent_recorded', 'Consent for a case consultation was recorded (by whom, when, how, for what)'),
  ('case_consultation.reasoning_recorded', 'The reasoning for a case consultation without consent was recorded (art. 9)'),
  ('case_consultation.informing_recorded', 'That the person was informed about a case consultation was recorded (art. 11)'),
  ('case_consultation.sharing_recorded', 'A sharing of data (a category, to a participant) was recorded in the ledger'),
  ('case_consultation.meeting_planned', 'A meeting of a case consultation was planned'),
  ('case_consultation.attendance_recorded', 'Who attended a meeting of a case consultation was recorded'),
  ('case_consultation.action_point_added', 'An action point was agreed in a case consultation'),
  ('case_consultation.action_point_done', 'An action point of a case consultation was marked done'),
  ('case_consultation.closed', 'A case consultation was closed with an outcome'),
  ('case_consultation.purged', 'A closed case consultation was deleted after its retention period'),
  ('case_consultation.figures_read', 'Staff read the case consultation figures (figures only)');

-- Participants hear, by mail without person data, when they are invited, when a meeting is planned
-- and when an action point is theirs. The allowed lists are extended rather than restated (as in 0016;
-- since 0016 they are array literals, whose elements are not quoted).
do $$
declare
  constraint_name text;
  table_name text;
  allowed text[];
  added constant text[] := array['case_consultation.invited', 'case_consultation.meeting_planned', 'case_consultation.action_point_assigned'];
begin
  foreach constraint_name in array array['outbox_event_type_check', 'webhook_subscriptions_event_types_check'] loop
    select c.conrelid::regclass::text, array_agg(distinct m[1])
      into table_name, allowed
      from pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '([a-z_]+\.[a-z_]+)', 'g') as m
     where c.conname = constraint_name
     group by c.conrelid;
    allowed := array(select distinct unnest(allowed || added) order by 1);
    execute format('alter table %s drop constraint %I', table_name, constraint_name);
    if constraint_name = 'outbox_event_type_check' then
      execute format('alter table %s add constraint %I check (event_type = any (%L::text[]))', table_name, constraint_name, allowed);
    else
      execute format('alter table %s add constraint %I check (cardinality(event_types) > 0 and event_types <@ %L::text[])', table_name, constraint_name, allowed);
    end if;
  end loop;
end $$;
