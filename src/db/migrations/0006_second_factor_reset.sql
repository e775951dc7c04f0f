-- Resetting a lost second factor (src/accounts/account-service.ts, resetSecondFactor): an
-- organisation coordinator does it for a professional of their organisation, a municipality
-- administrator for a staff member. The account's TOTP secret and recovery codes are cleared, so the
-- next sign-in with the (unchanged) password goes to enrolment; its live sessions end with their own
-- reason. Migration 0004 stays as it was: the session end reasons are widened here.

alter table web_sessions drop constraint web_sessions_end_reason_check;
alter table web_sessions add constraint web_sessions_end_reason_check
  check (end_reason in ('signed_out', 'signed_out_everywhere', 'idle', 'expired', 'deactivated', 'password_changed', 'second_factor_reset'));

insert into audit_event_types (event_type, description) values
  ('web.second_factor_reset', 'A coordinator or administrator reset an account''s second factor (authenticator app and recovery codes)');
