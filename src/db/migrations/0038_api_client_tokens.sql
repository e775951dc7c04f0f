-- API tokens of their own (issue 11, key rotation; docs/operations.md, "Rotating an API token").
--
-- An API client keeps its id, name, organisation and revocation; its tokens move to a table of their
-- own, so a client can have a second live token for an overlap period. A token is live while neither
-- it nor its client is revoked and its expires_at (set on the old token when a new one is issued) has
-- not passed. last_used_at is written at most once an hour per token (authenticator.ts).
create table api_client_tokens (
  id uuid primary key default gen_random_uuid(),
  api_client_id uuid not null references api_clients (id),
  key_id text not null unique,
  secret_hash bytea not null,
  created_at timestamptz not null,
  expires_at timestamptz,
  revoked_at timestamptz,
  last_used_at timestamptz
);
create index api_client_tokens_client on api_client_tokens (api_client_id, created_at);

insert into api_client_tokens (api_client_id, key_id, secret_hash, created_at)
  select id, key_id, secret_hash, created_at from api_clients;

alter table api_clients drop column key_id, drop column secret_hash;

insert into audit_event_types (event_type, description) values
  ('api_client.token_issued', 'A new token was issued for an API client; the token it replaces stays valid until the end of the overlap period (until)'),
  ('api_client.token_revoked', 'One token of an API client was revoked before its overlap period ended; the client and its other token stay');
