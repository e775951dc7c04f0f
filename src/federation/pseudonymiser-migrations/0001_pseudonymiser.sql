-- The pseudonymisation service keeps no table of persons, inputs or results: only the request
-- nonces it saw, per calling party, for twice the signature window, so a replayed request is refused.
create table federation_nonces (
  party text not null,
  nonce text not null,
  expires_at timestamptz not null,
  primary key (party, nonce)
);
