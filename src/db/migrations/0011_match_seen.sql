-- When a professional last opened a match: the product's own record behind the "Nieuw" marker on
-- the start page and /signalen (src/signals/worklist-service.ts, unseenMatchIds). Until now that
-- was derived from the professional's successful match.read audit events, so purging old audit
-- events (settings.audit_retention_months) made an open match "new" again; the audit trail now only
-- records the reads. One row per match and professional (a signal transferred to a colleague is new
-- to that colleague, as before), written by the match service when the professional reads the match.
-- It goes with the match (on delete cascade) and carries the person key like every row about a person.
create table match_seen (
  match_id uuid not null references matches (id) on delete cascade,
  professional_id uuid not null references professionals (id) on delete cascade,
  person_key bytea not null,
  seen_at timestamptz not null,
  primary key (match_id, professional_id)
);

-- Once, so that nothing turns "new" on upgrade: the latest successful read of each match by each
-- professional that the audit trail still holds.
insert into match_seen (match_id, professional_id, person_key, seen_at)
select m.id, p.id, m.person_key, max(a.occurred_at)
  from audit_events a
  join matches m on m.id = a.resource_id
  join professionals p on p.id = a.actor_id
 where a.event_type = 'match.read' and a.outcome = 'success' and a.actor_type = 'professional' and a.resource_type = 'match'
 group by m.id, p.id, m.person_key;

-- Nothing reads match.read events by actor and match any more (migration 0008 made it for the start page).
drop index audit_events_match_reads;
