-- Extending a signal (verlengen), and following up informing that was postponed at filing.
-- See src/signals/lifetime.ts (extensionOffer), signal-lifecycle.ts (the 'extend' transition),
-- informing.ts (the follow-up rules) and signal-steps.ts (extendSignal, recordInforming).

-- signal_extension_months: by how many months an extension moves a signal's end date; null (the
-- default) means the signal lifetime, 0 switches extending off. informing_follow_up_days: after how
-- many days a professional who postponed informing is asked to record it (and asked again).
alter table settings
  add column signal_extension_months integer check (signal_extension_months between 0 and 120),
  add column informing_follow_up_days integer not null default 14 check (informing_follow_up_days between 1 and 365);

-- extended_at: when the signal was last extended. informing_deferred_at: when the professional last
-- recorded "not informed yet" (the follow-up period runs from then, else from filing).
-- informing_reminded_at: when the sweep last asked (once per period).
alter table signals
  add column extended_at timestamptz,
  add column informing_deferred_at timestamptz,
  add column informing_reminded_at timestamptz;
create index signals_informing_postponed on signals (filed_at) where status = 'active' and legal_basis ->> 'basis' = 'informing_postponed';

-- New events for record systems (webhooks, feed) and mail. The allowed lists are extended rather
-- than restated, so that other migrations adding event types compose with this one in any order.
do $$
declare
  constraint_name text;
  table_name text;
  allowed text[];
  added constant text[] := array['signal.extended', 'signal.informing_due', 'signal.informing_recorded'];
begin
  foreach constraint_name in array array['outbox_event_type_check', 'webhook_subscriptions_event_types_check'] loop
    select c.conrelid::regclass::text, array_agg(distinct m[1])
      into table_name, allowed
      from pg_constraint c, regexp_matches(pg_get_constraintdef(c.oid), '''([a-z_]+\.[a-z_]+)''', 'g') as m
     where c.conname = constraint_name
     group by c.conrelid;
    allowed := array(select distinct unnest(allowed || added) order by 1);
    execute format('alter table %s drop constraint %I', table_name, constraint_name);
    if constraint_name = 'outbox_event_type_check' then
      execute format('alter table %s add constraint %I check (event_type = any (%L::text[]))', table_name, constraint_name, allowed);
    else
      execute format('alter table %s add constraint %I check (cardinality(event_types) > 0 and event_types <@ %L::text[])', table_name, constraint_name, allowed);
    end if;
  end loop;
end $$;

insert into audit_event_types (event_type, description) values
  ('signal.extended', 'A professional extended their active signal by the set period (with a reason category)'),
  ('signal.informing_recorded', 'A professional recorded, after postponing it, that the person was informed, or why not yet'),
  ('signal.informing_figures_read', 'Staff read how many signals wait for informing to be recorded (figures only)');
