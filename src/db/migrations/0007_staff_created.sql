-- Staff members added through the web pages get no API token (they sign in to the pages); their
-- creation is recorded as staff.created rather than api_client.created.
insert into audit_event_types (event_type, description) values
  ('staff.created', 'An administrator added a staff member who works through the web pages (no API token)');
