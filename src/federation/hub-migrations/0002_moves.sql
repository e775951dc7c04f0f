-- Moves across regions (docs/federation.md, "Moves across regions"): the move ids a region sent, so
-- that a retried move is passed on once. Nothing about the person; kept 30 days.
create table hub_moves (
  region text not null,
  move_id text not null,
  created_at timestamptz not null,
  primary key (region, move_id)
);
