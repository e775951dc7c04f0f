-- The information letter (issue 12; docs/rights.md, "The information letter"): a professional makes
-- the letter for the person or their parents about their own active signal, as a PDF, as text to
-- copy, or through the API. Every letter made is audited under the person's pseudonym.
insert into audit_event_types (event_type, description) values
  ('signal.information_letter_made', 'A professional made the information letter for the person or their legal representative about their own signal (PDF, text or API)');
