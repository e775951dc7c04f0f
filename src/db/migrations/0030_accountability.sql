-- The municipality's accountability (issue 12; docs/accountability.md): the data breach register
-- (covenant privacy rules art. 13), the processing register's reads, the Logboek Dataverwerkingen
-- export of the audit trail, and the figures for policy.

-- A data breach as the municipality's staff record it. The description is staff-written text about
-- what happened, never person data (the form says so); how many persons is a number or a range.
create table data_breaches (
  id uuid primary key,
  recorded_at timestamptz not null,
  recorded_by uuid not null references staff_members (id),
  category text not null check (category in ('lost_device', 'wrong_recipient', 'unauthorised_access', 'hacking', 'published', 'lost_paper', 'other')),
  description text not null check (length(description) between 1 and 2000),
  occurred_on date,
  discovered_at timestamptz not null,
  data_categories text[] not null check (cardinality(data_categories) > 0
    and data_categories <@ array['identifying', 'contact', 'signal', 'match', 'coordination', 'case_consultation', 'register', 'account']::text[]),
  persons_min integer not null check (persons_min >= 0),
  persons_max integer check (persons_max is null or persons_max >= persons_min),
  -- The assessment: must the Autoriteit Persoonsgegevens be told (null: not assessed yet), and why.
  ap_required boolean,
  assessment_reasons text check (assessment_reasons is null or length(assessment_reasons) between 1 and 2000),
  assessed_at timestamptz,
  ap_notified_on date,
  ap_reference text check (ap_reference is null or length(ap_reference) <= 100),
  -- Are the persons told: null not decided; true with the date; false with the reasons.
  persons_informed boolean,
  persons_informed_on date,
  persons_reasons text check (persons_reasons is null or length(persons_reasons) between 1 and 2000),
  updated_at timestamptz not null,
  check ((ap_required is null) = (assessed_at is null)),
  check (ap_required is null or assessment_reasons is not null),
  check (persons_informed is not true or persons_informed_on is not null),
  check (persons_informed is not false or persons_reasons is not null)
);
create index data_breaches_discovered on data_breaches (discovered_at desc);

-- The notices to the partner organisations (art. 13.5): when, which organisation, how many coordinators.
create table data_breach_notices (
  id bigint generated always as identity primary key,
  breach_id uuid not null references data_breaches (id),
  organisation_id uuid not null references organisations (id),
  sent_at timestamptz not null,
  recipients integer not null check (recipients >= 0)
);
create index data_breach_notices_breach on data_breach_notices (breach_id, sent_at);

insert into audit_event_types (event_type, description) values
  ('breach.recorded', 'Staff recorded a data breach in the breach register'),
  ('breach.changed', 'Staff changed a data breach: its facts, the assessment for the AP, the notice to the AP or the informing of the persons'),
  ('breach.partners_notified', 'Staff notified the partner organisations'' coordinators of a data breach (mail without person data)'),
  ('breach.read', 'Staff read the data breach register or one breach'),
  ('processing_register.read', 'Staff read the processing register'),
  ('policy_figures.read', 'Staff read or downloaded the figures for policy (figures only, small cells suppressed)');

-- The breach notice is mailed to the coordinators (no webhook, no feed event): the outbox's allowed
-- list is extended rather than restated, as in 0023 and 0024.
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
  allowed := array(select distinct unnest(allowed || array['breach.partners_notified']) order by 1);
  execute format('alter table %s drop constraint %I', table_name, 'outbox_event_type_check');
  execute format('alter table %s add constraint %I check (event_type = any (%L::text[]))', table_name, 'outbox_event_type_check', allowed);
end $$;
