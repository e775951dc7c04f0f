-- A form submitted after its session had ended (the idle or absolute timeout, "overal uitloggen",
-- a new password) is kept for a short time, so that the same account, signing in again in the same
-- browser, lands on the form with what it typed (src/accounts/kept-forms.ts, docs/web.md, "A form
-- after the session ended"). Nothing is acted on: the user checks the form and submits it again
-- with a fresh CSRF token.
--
-- The row belongs to a session: first the ended one whose cookie posted the form, then the sessions
-- of the sign-in that follows (the password stage, then the signed-in session), but only when the
-- same account signs in; for another account it is deleted. It goes with its session, after
-- `expires_at` (the lifetime sweep), when it is restored (once) and when the session signs out.
create table web_kept_forms (
  session_hash bytea not null references web_sessions (id_hash) on delete cascade,
  account_id uuid not null references web_accounts (id) on delete cascade,
  -- The page the form was on (a GET path of page words and opaque ids only) and where it posted to.
  page_path text not null check (length(page_path) between 1 and 200),
  action_path text not null check (length(action_path) between 1 and 200),
  -- The posted fields as JSON, without passwords, codes or tokens, encrypted (AES-256-GCM, a key
  -- derived from the BSN encryption key): a filing form holds a BSN.
  fields_ciphertext bytea not null,
  created_at timestamptz not null,
  expires_at timestamptz not null,
  primary key (session_hash, page_path)
);
create index web_kept_forms_expiry on web_kept_forms (expires_at);

insert into audit_event_types (event_type, description) values
  ('web.form_kept', 'A form submitted after its session ended was kept for the same account to finish after signing in again'),
  ('web.form_restored', 'A kept form was shown again, filled in, to the account that typed it'),
  ('web.form_discarded', 'A kept form was deleted unseen, because another account signed in on that browser');
