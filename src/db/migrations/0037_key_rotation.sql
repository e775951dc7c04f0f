-- Key rotation (docs/operations.md, "Key rotation"; src/persons/key-rotation.ts).
--
-- The key versions the rows are written under: per kind, the version the index is at, and while a
-- rotation runs, the version it comes from. A process whose newest configured version is older than
-- this refuses to start; one whose newest is one newer starts the rotation.
create table key_versions (
  kind text primary key check (kind in ('pseudonym', 'encryption')),
  version integer not null check (version between 1 and 255),
  rotating_from integer check (rotating_from between 1 and 255),
  started_at timestamptz,
  finished_at timestamptz,
  check ((rotating_from is null) or (rotating_from < version))
);
insert into key_versions (kind, version) values ('pseudonym', 1), ('encryption', 1);

-- The pseudonyms still to re-key in a pseudonym key rotation: every distinct key value any row held
-- when the rotation started (a person key, a parent key, the key of a person without a BSN, an
-- address key, an audit subject), once. A row is taken (deleted) by the transaction that re-keys that
-- value everywhere; rows written after the start carry the new version already.
create table rekey_items (
  old_key bytea primary key,
  kind text not null check (kind in ('person', 'address'))
);

-- Re-keying changes persons.person_key; the rows that refer to it follow.
alter table signals drop constraint signals_person_key_fkey,
  add constraint signals_person_key_fkey foreign key (person_key) references persons (person_key) on update cascade;
alter table person_register drop constraint person_register_person_key_fkey,
  add constraint person_register_person_key_fkey foreign key (person_key) references persons (person_key) on delete cascade on update cascade;
alter table register_verifications drop constraint register_verifications_person_key_fkey,
  add constraint register_verifications_person_key_fkey foreign key (person_key) references persons (person_key) on delete cascade on update cascade;
alter table person_statements drop constraint person_statements_person_key_fkey,
  add constraint person_statements_person_key_fkey foreign key (person_key) references persons (person_key) on delete cascade on update cascade;

-- Re-keying finds each key value through an index in every table that holds one.
create index match_participants_person on match_participants (person_key);
create index match_seen_person on match_seen (person_key);
create index match_contacts_person on match_contacts (person_key);
create index coordinations_person on coordinations (person_key);
create index coordination_transitions_person on coordination_transitions (person_key);
create index case_consultations_person on case_consultations (person_key) where person_key is not null;
create index person_register_address_key on person_register (address_key) where address_key is not null;

-- The audit trail stays append-only, with one exception: a re-keying transaction, which says so with
-- `set local sluis.rekeying = 'on'`, may replace an event's subject key and nothing else.
create or replace function audit_events_refuse_change() returns trigger language plpgsql as $$
begin
  if tg_op = 'DELETE' and current_setting('sluis.audit_purge', true) = 'on' then
    return old;
  end if;
  if tg_op = 'UPDATE' and current_setting('sluis.rekeying', true) = 'on'
     and (to_jsonb(new) - 'subject_key') = (to_jsonb(old) - 'subject_key') then
    return new;
  end if;
  raise exception 'audit_events is append-only: % refused', tg_op using errcode = 'insufficient_privilege';
end $$;

insert into audit_event_types (event_type, description) values
  ('keys.rotation_started', 'A key rotation started: the kind of key (pseudonym or encryption), the versions, how many keys or ciphertexts to do'),
  ('keys.rotation_finished', 'A key rotation finished: every pseudonym re-keyed or every ciphertext encrypted again with the new version');
