-- A signal that stays active may leave a family or address match on its own, when the population
-- register no longer links its person to the match's parent (a parent change: a recognition, an
-- adoption, a correction) or address (a move, a record that became confidential). Each such leave is
-- audited per signal, as each joining is (match.participant_joined). See docs/architecture.md,
-- "Family matches" and "Address matches".
insert into audit_event_types (event_type, description) values
  ('match.participant_left', 'A signal that stays active left a family or address match: the register no longer links its person to the match''s parent or address');
