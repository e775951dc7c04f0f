/** The tables of the hub's and the pseudonymisation service's own databases (hub-migrations/, pseudonymiser-migrations/). */
import type { ColumnType, Generated } from 'kysely';

type Timestamp = ColumnType<Date, Date | string, Date | string>;
type Bytes = ColumnType<Uint8Array, Uint8Array, Uint8Array>;

export type FederationNoncesTable = { party: string; nonce: string; expires_at: Timestamp };

export type PseudonymiserDB = { federation_nonces: FederationNoncesTable };

export type HubDB = {
  federation_nonces: FederationNoncesTable;
  hub_registrations: { region: string; reference: string; since: Timestamp };
  hub_pseudonyms: { region: string; reference: string; key_version: number; hash: Bytes };
  hub_matches: { id: string; key_version: number; hash: Bytes; created_at: Timestamp; ended_at: Timestamp | null };
  hub_match_contacts: { match_id: string; region: string; contacts: ColumnType<unknown, string, string>; updated_at: Timestamp };
  hub_events: { seq: Generated<number>; region: string; event: ColumnType<HubEvent, string, string>; created_at: Timestamp };
  hub_used_tokens: { region: string; nonce: string; expires_at: Timestamp };
  hub_moves: { region: string; move_id: string; created_at: Timestamp };
};

/** Professionals' contact details for a match: the fields a match shows, never person data. */
export type RelayedContact = { name: string; jobTitle: string | null; organisation: string; phone: string | null; email: string | null };

/** What the hub tells a region. `reference` is always the receiving region's own. */
export type HubEvent =
  | { type: 'match'; match: string; reference: string; regions: string[] }
  | { type: 'match_ended'; match: string; reference: string }
  | { type: 'contacts'; match: string; region: string; contacts: RelayedContact[] }
  /** A registered person moved to a municipality of the receiving region; `region` is the one they left. No person data. */
  | { type: 'move'; move: string; municipality: string; region: string; contacts: RelayedContact[] };

export const HUB_MIGRATIONS = new URL('./hub-migrations/', import.meta.url);
export const PSEUDONYMISER_MIGRATIONS = new URL('./pseudonymiser-migrations/', import.meta.url);
