-- Address matches (adresmatch, Jeugdwet 7.1.2.3): signals on persons with the same home address,
-- except at the municipality's excluded addresses. See docs/architecture.md, "Address matches".
--
-- An address match is keyed on the address pseudonym (person_register.address_key, an HMAC of the
-- BAG address object id): matches.person_key holds it, as it holds the parent's key for a family match.
alter table matches drop constraint matches_kind_check;
alter table matches add constraint matches_kind_check check (kind in ('person', 'family', 'address'));
-- At most one open address match per address.
create unique index matches_one_open_per_address on matches (person_key) where status = 'open' and kind = 'address';

-- The address lock: a transaction-scoped advisory lock per address key (namespace 7150200, the key's
-- first four bytes). Taken after the person lock and the family locks, for several addresses in
-- ascending key order. Works the same on PGlite.
create function sluis_lock_addresses(p_keys bytea[]) returns void language plpgsql as $$
declare
  k bytea;
begin
  for k in select distinct x from unnest(p_keys) as x order by x loop
    perform pg_advisory_xact_lock(7150200, ('x' || encode(substring(k from 1 for 4), 'hex'))::bit(32)::int);
  end loop;
end $$;

-- The register of excluded addresses (care institutions, shelters, prisons), kept by administrators:
-- the address pseudonym only, never the address object id; an optional short label.
create table excluded_addresses (
  address_key bytea primary key check (length(address_key) = 32),
  label text check (char_length(label) <= 60),
  created_at timestamptz not null
);

-- Off by default: the excluded-address register is often incomplete (docs/population-register.md).
alter table settings add column address_matching boolean not null default false;

insert into audit_event_types (event_type, description) values
  ('excluded_addresses.changed', 'An administrator added, removed or imported excluded addresses (where no address match is made)');
