-- The hub's database (docs/federation.md): per registration a region, the region's random reference,
-- since when, and per key version a keyed hash of the hub pseudonym. No BSN, no regional pseudonym.
create table hub_registrations (
  region text not null,
  reference text not null,
  since timestamptz not null,
  primary key (region, reference)
);

create table hub_pseudonyms (
  region text not null,
  reference text not null,
  key_version integer not null,
  hash bytea not null check (length(hash) = 32),
  primary key (region, reference, key_version),
  foreign key (region, reference) references hub_registrations (region, reference) on delete cascade
);
create index hub_pseudonyms_hash on hub_pseudonyms (key_version, hash);

-- A cross-region match: the registrations that share the hash of the matching key version, in two regions or more.
create table hub_matches (
  id text primary key,
  key_version integer not null,
  hash bytea not null,
  created_at timestamptz not null,
  ended_at timestamptz
);
create unique index hub_matches_open on hub_matches (key_version, hash) where ended_at is null;

-- Contact details of a region's professionals for a match, relayed to the other regions; deleted when the match ends.
create table hub_match_contacts (
  match_id text not null references hub_matches (id) on delete cascade,
  region text not null,
  contacts jsonb not null,
  updated_at timestamptz not null,
  primary key (match_id, region)
);

-- What each region is to be told, fetched by the region in order.
create table hub_events (
  seq bigserial primary key,
  region text not null,
  event jsonb not null,
  created_at timestamptz not null
);
create index hub_events_region on hub_events (region, seq);

-- Evaluation tokens used once (their nonce, per region), until they have expired.
create table hub_used_tokens (
  region text not null,
  nonce text not null,
  expires_at timestamptz not null,
  primary key (region, nonce)
);

-- Request nonces seen, per calling party, for twice the signature window: a replayed request is refused.
create table federation_nonces (
  party text not null,
  nonce text not null,
  expires_at timestamptz not null,
  primary key (party, nonce)
);
