-- An administrator can deactivate a staff member who leaves (never themselves): the member can no
-- longer sign in or use an API token, and every session of theirs ends.
insert into audit_event_types (event_type, description) values
  ('staff.deactivated', 'An administrator deactivated a staff member: no more sign-in or API access');
