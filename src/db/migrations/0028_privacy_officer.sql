-- A staff role for the municipality's privacy work (issue 12: rights requests, breaches, the processing
-- register and its log export, figures): the privacy officer (privacyfunctionaris / FG-medewerker), who
-- reaches those pages and endpoints without being a functional administrator.
alter table staff_members drop constraint staff_members_roles_check;
alter table staff_members add constraint staff_members_roles_check
  check (cardinality(roles) > 0 and roles <@ array['municipality_admin', 'escalation_officer', 'privacy_officer']::text[]);
