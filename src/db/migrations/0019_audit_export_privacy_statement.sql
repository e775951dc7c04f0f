-- The audit trail can be exported as a spreadsheet (CSV); the export is itself audited.
insert into audit_event_types (event_type, description) values
  ('audit.exported', 'The audit trail was exported (CSV), with the filters used');

-- The privacy statement on /privacy: the parts the municipality fills in (controller, contact,
-- data protection officer, purposes, a link to more). Empty: the page shows its defaults and
-- clear placeholders. Retention and rights are not stored: the page derives them from the settings.
alter table settings add column privacy_statement jsonb not null default '{}';
