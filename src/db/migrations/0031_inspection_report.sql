-- The inspection report (issue 12; docs/rights.md, "Inspection and copy"): everything SluiS holds on
-- the person of a rights request, made on request (GDPR art. 15, 20; seed 004 art. 14) as JSON or as
-- a Dutch PDF letter, and never stored. Making one is audited under the person key.

insert into audit_event_types (event_type, description) values
  ('rights_request.inspection_made', 'Staff made the inspection report (JSON or PDF letter) of a rights request''s person');
