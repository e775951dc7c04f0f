-- Failed authentications are counted per source address; an address over its limit is answered 429,
-- and recorded once per window as auth.throttled (with the address) instead of an auth.denied each time.
insert into audit_event_types (event_type, description) values
  ('auth.throttled', 'An address failed to authenticate too often and was throttled for the rest of the minute');
