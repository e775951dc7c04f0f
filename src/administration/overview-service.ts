/**
 * The municipality's overview of its index: how many organisations, covenants, signals, matches and
 * failed deliveries there are. Counts only, so nothing about a person; for administrators.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { PopulationRegister } from '../population-register/population-register.ts';
import { type VerificationFigures, verificationFigures } from '../population-register/register-records.ts';
import type { StaffActor } from '../shared/actor.ts';
import { forbidden } from '../shared/errors.ts';

export type IndexCounts = { organisations: number; activeCovenants: number; activeSignals: number; openMatches: number; failedDeliveries: number };

export type OverviewService = ReturnType<typeof createOverviewService>;

/**
 * The population register SluiS uses (none: matching on the BSN only), its queued verifications, and
 * the moves to another municipality that no one there was told of (no contact set for its code).
 */
export type RegisterOverview = {
  kind: PopulationRegister['kind'] | 'none';
  movesWithoutContact: number;
  municipalitiesWithoutContact: number;
} & VerificationFigures;

export function createOverviewService(deps: { db: Kysely<DB>; register?: PopulationRegister | undefined }) {
  const { db } = deps;
  return {
    /** The register in use and its verifications: how many wait, the oldest's queueing time, how many need attention. Counts only. */
    async register(actor: StaffActor): Promise<RegisterOverview> {
      if (!actor.roles.includes('municipality_admin')) throw forbidden("This operation is for the municipality's administrators.");
      const unrouted = (
        await sql<{
          moves: number;
          municipalities: number;
        }>`select coalesce(sum(moves), 0)::int as moves, count(*)::int as municipalities from register_moves_unrouted`.execute(db)
      ).rows[0]!;
      return {
        kind: deps.register?.kind ?? 'none',
        movesWithoutContact: unrouted.moves,
        municipalitiesWithoutContact: unrouted.municipalities,
        ...(await verificationFigures(db)),
      };
    },
    /** The counts, read in one statement. */
    async counts(actor: StaffActor): Promise<IndexCounts> {
      if (!actor.roles.includes('municipality_admin')) throw forbidden("This operation is for the municipality's administrators.");
      const row = (
        await sql<IndexCounts>`select
          (select count(*) from organisations)::int as "organisations",
          (select count(*) from covenants where status = 'active')::int as "activeCovenants",
          (select count(*) from signals where status = 'active')::int as "activeSignals",
          (select count(*) from matches where status = 'open')::int as "openMatches",
          (select count(*) from deliveries where status = 'dead')::int as "failedDeliveries"`.execute(db)
      ).rows[0];
      if (!row) throw new Error('The overview counts returned no row');
      return row;
    },
  };
}
