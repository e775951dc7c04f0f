-- What the population register (BRP) said of a person, stored minimally: only what filing, the pages
-- and the later family and address matching need. Parents and the address are keyed pseudonyms
-- (parent_keys: each parent's person key, HMAC of the parent's BSN, the key the parent would have as a
-- person; address_key: an HMAC of the address object id with a key derived from the pseudonym key),
-- never a BSN or an address id in clear. A row goes with its person (purge).
create table person_register (
  person_key bytea primary key references persons (person_key) on delete cascade,
  -- verified: the register answered and knows the person; unknown: it answered and does not;
  -- pending: it could not answer yet (a queued verification in register_verifications).
  state text not null check (state in ('verified', 'unknown', 'pending')),
  verified_at timestamptz,
  refreshed_at timestamptz not null,
  deceased_on date,
  suspension text check (suspension in ('deceased', 'emigrated', 'ministerial_decree', 'other')),
  confidential boolean not null default false,
  municipality_code text check (municipality_code ~ '^[0-9]{4}$'),
  address_key bytea check (length(address_key) = 32),
  address_function text check (address_function in ('home', 'postal')),
  parent_keys bytea[] not null default '{}',
  check (state = 'verified' or (deceased_on is null and suspension is null and address_key is null and parent_keys = '{}'))
);
-- Family matching: the persons with a given registered parent.
create index person_register_parents on person_register using gin (parent_keys);
-- Address matching: the persons at an address object (home addresses are what match).
create index person_register_address on person_register (address_key, address_function) where address_key is not null;

-- Verifications waiting for the register: a signal filed while the register could not answer. The
-- job (src/jobs/register-verification.ts) asks again with backoff; a BSN the register does not know,
-- or knows as deceased, stays here as needing the administrators' attention.
create table register_verifications (
  person_key bytea primary key references persons (person_key) on delete cascade,
  queued_at timestamptz not null,
  attempts integer not null default 0,
  next_attempt_at timestamptz not null,
  last_attempt_at timestamptz,
  attention text check (attention in ('unknown', 'deceased')),
  attention_since timestamptz,
  check ((attention is null) = (attention_since is null))
);
create index register_verifications_due on register_verifications (next_attempt_at) where attention is null;

insert into audit_event_types (event_type, description) values
  ('person.register_looked_up', 'The population register was asked about a person (filing, or a queued verification), with what it answered');
