-- The register of rights requests (issue 12; docs/rights.md): a person's request about their data
-- (GDPR 15-22, seed 004 art. 14-16, 19), registered by the municipality's staff or passed on by a
-- professional from their signal. A request about a person is itself personal data: it carries the
-- person key (and, for a person with a BSN, the encrypted BSN as persons.bsn_ciphertext does), and is
-- deleted rights_request_retention_months after it is closed, by the sweep.

alter table settings
  add column rights_request_retention_months integer not null default 24 check (rights_request_retention_months between 1 and 120);

create table rights_requests (
  id uuid primary key default gen_random_uuid(),
  person_key bytea not null,
  -- AES-256-GCM copy of the BSN; null for a person identified by family name, date of birth and gender.
  bsn_ciphertext bytea,
  identified_by text not null check (identified_by in ('bsn', 'details')),
  kind text not null check (kind in ('inspection', 'copy', 'correction', 'restriction', 'objection', 'erasure', 'own_statement', 'portability', 'complaint')),
  received_on date not null,
  through text not null check (through in ('person', 'professional', 'letter')),
  requester text not null check (requester in ('person', 'legal_representative', 'person_and_representative')),
  identity_check text check (identity_check in ('id_document_seen', 'digid', 'signed_letter_with_id_copy', 'known_to_professional',
    'representative_authority_checked')),
  -- The request's number in the municipality's case system (zaaknummer): letters, digits and . / _ - only.
  case_number text check (case_number ~ '^[A-Za-z0-9][A-Za-z0-9./_-]{0,39}$'),
  -- Passed on by a professional from their signal (through = professional).
  signal_id uuid references signals (id) on delete set null,
  passed_on_by uuid references professionals (id),
  passed_on_organisation_id uuid references organisations (id),
  registered_by uuid references staff_members (id),
  registered_at timestamptz not null,
  due_on date not null,
  extension_weeks integer check (extension_weeks between 1 and 8),
  extension_reason text check (extension_reason in ('complexity', 'number_of_requests')),
  extended_at timestamptz,
  status text not null default 'received' check (status in ('received', 'in_progress', 'decided', 'closed')),
  decision text check (decision in ('granted', 'partly_granted', 'refused')),
  decision_reasons text[] not null default '{}' check (decision_reasons <@ array['rights_of_others', 'legal_retention_duty',
    'compelling_legitimate_grounds', 'manifestly_unfounded_or_excessive', 'identity_not_established', 'data_held_by_partner', 'data_correct']::text[]),
  decided_on date,
  letter_sent_on date,
  closed_at timestamptz,
  delete_after timestamptz,
  check ((through = 'professional') = (passed_on_by is not null and passed_on_organisation_id is not null)),
  check ((through = 'professional') or registered_by is not null),
  check ((identified_by = 'bsn') = (bsn_ciphertext is not null)),
  check ((extension_weeks is null) = (extension_reason is null) and (extension_weeks is null) = (extended_at is null)),
  check ((decision is null) = (decided_on is null)),
  check ((status in ('decided', 'closed')) = (decision is not null)),
  check (decision is distinct from 'granted' or cardinality(decision_reasons) = 0),
  check (decision is null or decision = 'granted' or cardinality(decision_reasons) > 0),
  check (letter_sent_on is null or decided_on is not null),
  check ((status = 'closed') = (closed_at is not null and delete_after is not null and letter_sent_on is not null))
);
create index rights_requests_person on rights_requests (person_key);
create index rights_requests_open on rights_requests (due_on) where status <> 'closed';
create index rights_requests_delete_after on rights_requests (delete_after) where status = 'closed';
create index rights_requests_signal on rights_requests (signal_id) where signal_id is not null;

-- The days on which the deadline mail went out: at most one a day.
create table rights_deadline_mails (
  day date primary key,
  sent_at timestamptz not null,
  overdue integer not null,
  nearly_due integer not null
);

insert into audit_event_types (event_type, description) values
  ('rights_request.registered', 'Staff registered a rights request of a person'),
  ('rights_request.passed_on', 'A professional passed a person''s rights request or complaint on to the municipality'),
  ('rights_request.read', 'Staff read a rights request'),
  ('rights_request.listed', 'Staff listed the rights requests'),
  ('rights_request.status_changed', 'Staff changed the status of a rights request'),
  ('rights_request.extended', 'Staff extended the deadline of a rights request, with a reason (GDPR art. 12.3)'),
  ('rights_request.decided', 'Staff recorded the decision on a rights request, with reasons for a refusal'),
  ('rights_request.letter_sent', 'Staff recorded the day the letter with the decision was sent'),
  ('rights_request.purged', 'A closed rights request was deleted after its retention period'),
  ('rights_request.deadlines_mailed', 'The responsible staff were mailed the counts of overdue and nearly due rights requests');

-- Staff are mailed through the outbox as professionals are: an outbox record and a delivery have
-- a professional or a staff member as recipient; a staff member's mail belongs to no organisation.
alter table outbox add column recipient_staff_member_id uuid references staff_members (id);
alter table outbox alter column recipient_professional_id drop not null;
alter table outbox alter column organisation_id drop not null;
alter table outbox add constraint outbox_recipient check (
  (recipient_professional_id is not null and organisation_id is not null and recipient_staff_member_id is null)
  or (recipient_professional_id is null and organisation_id is null and recipient_staff_member_id is not null));
alter table deliveries alter column organisation_id drop not null;
alter table deliveries drop constraint deliveries_email_recipient;
alter table deliveries add constraint deliveries_email_recipient check (
  (channel = 'email' and (professional_id is not null or recipient_key like 'email:%' or recipient_key like 'staff:%'))
  or (channel = 'webhook' and professional_id is null));
alter table deliveries add constraint deliveries_organisation check (organisation_id is not null or recipient_key like 'staff:%');

do $$
declare
  allowed text[];
  added constant text[] := array['rights_request.deadlines_due'];
begin
  select array_agg(distinct m[1]) into allowed
    from pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '([a-z_]+\.[a-z_]+)', 'g') as m
   where c.conname = 'outbox_event_type_check';
  allowed := array(select distinct unnest(allowed || added) order by 1);
  alter table outbox drop constraint outbox_event_type_check;
  execute format('alter table outbox add constraint outbox_event_type_check check (event_type = any (%L::text[]))', allowed);
end $$;
