-- Audit retention. Audit events name the person they concern by pseudonym, so keeping them for ever
-- keeps a trace of people whose signals were deleted long ago. The municipality chooses how long
-- (settings.audit_retention_months; 0, the default, keeps everything, as before). The lifetime sweep
-- deletes older events in batches, in a transaction that first says so with
-- `set local sluis.audit_purge = 'on'`; without that, DELETE stays refused, and UPDATE and TRUNCATE
-- are refused always.
alter table settings add column audit_retention_months integer not null default 0
  check (audit_retention_months between 0 and 1200);

create or replace function audit_events_refuse_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('sluis.audit_purge', true) = 'on' then
    return old;
  end if;
  raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;

insert into audit_event_types (event_type, description) values
  ('audit.purged', 'The lifetime sweep deleted audit events older than the audit retention (a count, no contents)');
