-- A backup of the embedded database (`sluis backup`, docs/operations.md "Backup and restore") is
-- recorded in the audit trail: it copies every person's data at once. (Issue 11; the number is
-- provisional until the coordinator merges.)
insert into audit_event_types (event_type, description) values
  ('database.backed_up', 'A backup of the embedded database was written (sluis backup): a copy of all data, without the keys');
