-- Operations (issue 11, docs/operations.md "Monitoring").
--
-- The W3C trace id of the request that wrote an audit event (32 lowercase hex digits), so an audit
-- record leads to the log lines of its request; null for the sweeps and the delivery worker, and for
-- events written before this migration. Events written by TypeScript carry it explicitly; events the
-- database functions write (filing, a person match) take it from the transaction's setting
-- sluis.trace_id, which the caller sets in the same statement (shared/trace-context.ts). Adding a
-- nullable column changes no row, so the append-only trigger (0001, 0009) is not touched.
alter table audit_events add column trace_id text
  default nullif(current_setting('sluis.trace_id', true), '')
  check (trace_id ~ '^[0-9a-f]{32}$');

-- /metrics counts dead deliveries at every scrape: a small partial index instead of a scan of all
-- deliveries kept for 30 days (pending ones have deliveries_due already).
create index deliveries_dead on deliveries (id) where status = 'dead';
