-- The start page marks matches the professional has not opened since someone else joined them
-- (src/signals/signal-pages-queries.ts, unseenMatches). That reads the professional's successful
-- match.read events per match; through audit_events_actor it walked the professional's whole audit
-- history, which every page view makes longer. This partial index holds only those reads.
create index audit_events_match_reads on audit_events (actor_id, resource_id, occurred_at)
  where event_type = 'match.read' and outcome = 'success';
