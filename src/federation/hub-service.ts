/**
 * The hub (docs/federation.md): registrations by region and random reference, stored as keyed hashes
 * of the hub pseudonym; cross-region matches when a hash is registered in two regions or more; the
 * events each region fetches; the professionals' contact details relayed per match. It never holds
 * a BSN, a region's person key, the blinded element or (beyond one call) the unblinded one.
 */
import { randomBytes } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Clock } from '../shared/clock.ts';
import { openEvaluations, TokenRefused } from './evaluation-token.ts';
import type { HubDB, HubEvent, RelayedContact } from './federation-schema.ts';
import { hubPseudonymHash, ProtocolError, unblind } from './pseudonym-protocol.ts';

export type HubKeys = {
  /** The hub's token keys by kid (private X25519, for opening the evaluation tokens). */
  tokenKeys: ReadonlyMap<string, CryptoKey | Uint8Array>;
  /** The hash secret s_v per key version. */
  hashSecrets: ReadonlyMap<number, Uint8Array>;
  /** The key version matches are made on. */
  matchVersion: number;
};

/** Which region each municipality (CBS code, four digits) belongs to: the hub's configuration (SLUIS_HUB_MUNICIPALITIES). */
export type MunicipalityRegions = ReadonlyMap<string, string>;

export type Registration = { token: string; blind: string; nonce: string };

export type HubRefusalCode = 'token_refused' | 'token_replayed' | 'malformed' | 'not_found' | 'not_in_match';

export class HubRefusal extends Error {
  override name = 'HubRefusal';
  readonly code: HubRefusalCode;
  constructor(code: HubRefusalCode, message: string) {
    super(message);
    this.code = code;
  }
}

const REFERENCE = /^[A-Za-z0-9_-]{22,64}$/;
export const isReference = (value: string) => REFERENCE.test(value);

export type HubService = ReturnType<typeof createHubService>;

export function createHubService(deps: { db: Kysely<HubDB>; clock: Clock; keys: HubKeys; municipalities?: MunicipalityRegions }) {
  const { db, clock, keys } = deps;
  const municipalities: MunicipalityRegions = deps.municipalities ?? new Map();

  /** The hashes of one registration, from the token and the blind; refuses what does not check out. */
  async function hashesOf(region: string, registration: Registration, now: Date) {
    let opened: Awaited<ReturnType<typeof openEvaluations>>;
    try {
      opened = await openEvaluations(keys.tokenKeys, registration.token, { region, nonce: registration.nonce }, now);
    } catch (error) {
      if (error instanceof TokenRefused) throw new HubRefusal('token_refused', 'the evaluation token was refused');
      throw error;
    }
    const blind = Buffer.from(registration.blind, 'base64url');
    const hashes: { version: number; hash: Buffer }[] = [];
    for (const { version, evaluated } of opened.evaluations) {
      const secret = keys.hashSecrets.get(version);
      if (!secret) continue; // a version the hub has retired or not yet taken up
      try {
        hashes.push({ version, hash: hubPseudonymHash(secret, version, unblind(blind, evaluated)) });
      } catch (error) {
        if (error instanceof ProtocolError) throw new HubRefusal('malformed', 'the blind or an evaluation is malformed');
        throw error;
      }
    }
    if (!hashes.some((h) => h.version === keys.matchVersion))
      throw new HubRefusal('token_refused', 'the token holds no evaluation under the matching key version');
    return { hashes, expiresAt: opened.expiresAt };
  }

  /** The regions holding a registration with this hash, with their references. */
  async function holders(trx: Kysely<HubDB>, version: number, hash: Uint8Array) {
    return trx
      .selectFrom('hub_pseudonyms')
      .select(['region', 'reference'])
      .where('key_version', '=', version)
      .where('hash', '=', hash)
      .orderBy('region')
      .orderBy('reference')
      .execute();
  }

  async function tell(trx: Kysely<HubDB>, region: string, event: HubEvent, now: Date) {
    await trx
      .insertInto('hub_events')
      .values({ region, event: JSON.stringify(event), created_at: now })
      .execute();
  }

  /** After the holders of a hash changed: make, update or end its match, and tell the regions in it. */
  async function settleMatch(trx: Kysely<HubDB>, version: number, hash: Uint8Array, now: Date) {
    const current = await holders(trx, version, hash);
    const regions = [...new Set(current.map((h) => h.region))];
    const open = await trx
      .selectFrom('hub_matches')
      .select('id')
      .where('key_version', '=', version)
      .where('hash', '=', hash)
      .where('ended_at', 'is', null)
      .executeTakeFirst();
    if (regions.length < 2) {
      if (!open) return;
      await trx.updateTable('hub_matches').set({ ended_at: now }).where('id', '=', open.id).execute();
      await trx.deleteFrom('hub_match_contacts').where('match_id', '=', open.id).execute();
      for (const holder of current) await tell(trx, holder.region, { type: 'match_ended', match: open.id, reference: holder.reference }, now);
      return;
    }
    const id = open?.id ?? randomBytes(16).toString('base64url');
    if (!open) await trx.insertInto('hub_matches').values({ id, key_version: version, hash, created_at: now, ended_at: null }).execute();
    for (const holder of current) {
      await tell(trx, holder.region, { type: 'match', match: id, reference: holder.reference, regions: regions.filter((r) => r !== holder.region) }, now);
    }
  }

  /** Serialises the changes to one hash's registrations (two regions registering one person at once). */
  const lockHash = (trx: Kysely<HubDB>, version: number, hash: Uint8Array) =>
    sql`select pg_advisory_xact_lock(${7_150_100 + version}, hashtext(encode(${hash}::bytea, 'hex')))`.execute(trx);

  return {
    /** A registration, idempotent by (region, reference): a repeat changes nothing (but may add hashes of a new key version). */
    async register(region: string, reference: string, registration: Registration): Promise<{ registered: true; since: Date }> {
      if (!isReference(reference)) throw new HubRefusal('malformed', 'the reference is malformed');
      const now = clock.now();
      const { hashes, expiresAt } = await hashesOf(region, registration, now);
      return db.transaction().execute(async (trx) => {
        const used = await trx
          .insertInto('hub_used_tokens')
          .values({ region, nonce: registration.nonce, expires_at: expiresAt })
          .onConflict((c) => c.columns(['region', 'nonce']).doNothing())
          .returning('nonce')
          .executeTakeFirst();
        if (!used) throw new HubRefusal('token_replayed', 'the evaluation token was used before');
        await trx.deleteFrom('hub_used_tokens').where('region', '=', region).where('expires_at', '<', now).execute();
        const matching = hashes.find((h) => h.version === keys.matchVersion)!;
        await lockHash(trx, matching.version, matching.hash);
        await trx
          .insertInto('hub_registrations')
          .values({ region, reference, since: now })
          .onConflict((c) => c.columns(['region', 'reference']).doNothing())
          .execute();
        const existing = await trx
          .selectFrom('hub_pseudonyms')
          .select(['key_version', 'hash'])
          .where('region', '=', region)
          .where('reference', '=', reference)
          .execute();
        const added = hashes.filter((h) => !existing.some((e) => e.key_version === h.version));
        for (const h of added) await trx.insertInto('hub_pseudonyms').values({ region, reference, key_version: h.version, hash: h.hash }).execute();
        if (added.some((h) => h.version === keys.matchVersion)) await settleMatch(trx, matching.version, matching.hash, now);
        const row = await trx
          .selectFrom('hub_registrations')
          .select('since')
          .where('region', '=', region)
          .where('reference', '=', reference)
          .executeTakeFirstOrThrow();
        return { registered: true as const, since: row.since };
      });
    },

    /** The end of a registration (the region's last active signal on the person ended). Idempotent. */
    async deregister(region: string, reference: string): Promise<void> {
      if (!isReference(reference)) throw new HubRefusal('malformed', 'the reference is malformed');
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const matching = await trx
          .selectFrom('hub_pseudonyms')
          .select(['key_version', 'hash'])
          .where('region', '=', region)
          .where('reference', '=', reference)
          .where('key_version', '=', keys.matchVersion)
          .executeTakeFirst();
        if (matching) await lockHash(trx, matching.key_version, matching.hash);
        await trx.deleteFrom('hub_registrations').where('region', '=', region).where('reference', '=', reference).execute();
        if (matching) await settleMatch(trx, matching.key_version, matching.hash, now);
      });
    },

    /** A region's events after its cursor, in order; those up to the cursor are deleted (the region has them). */
    async events(region: string, after: number, limit = 100): Promise<{ seq: number; event: HubEvent }[]> {
      if (after > 0) await db.deleteFrom('hub_events').where('region', '=', region).where('seq', '<=', after).execute();
      const rows = await db
        .selectFrom('hub_events')
        .select(['seq', 'event'])
        .where('region', '=', region)
        .where('seq', '>', after)
        .orderBy('seq')
        .limit(limit)
        .execute();
      return rows.map((row) => ({ seq: row.seq, event: typeof row.event === 'string' ? (JSON.parse(row.event) as HubEvent) : row.event }));
    },

    /**
     * A registered person moved to another municipality: when the hub's table puts it in another
     * region, that region gets a `move` event (the municipality, the leaving region, its professionals'
     * contact details). Idempotent by the region's move id. `routed: false` when the municipality is
     * the sender's own region's, or in none the hub knows.
     */
    async move(region: string, reference: string, input: { move: string; municipality: string; contacts: RelayedContact[] }): Promise<{ routed: boolean }> {
      if (!isReference(reference)) throw new HubRefusal('malformed', 'the reference is malformed');
      const now = clock.now();
      return db.transaction().execute(async (trx) => {
        const registered = await trx
          .selectFrom('hub_registrations')
          .select('reference')
          .where('region', '=', region)
          .where('reference', '=', reference)
          .executeTakeFirst();
        if (!registered) throw new HubRefusal('not_found', 'no registration with this reference');
        const to = municipalities.get(input.municipality);
        if (!to || to === region) return { routed: false };
        await trx
          .deleteFrom('hub_moves')
          .where('created_at', '<', new Date(now.getTime() - 30 * 86_400_000))
          .execute();
        const fresh = await trx
          .insertInto('hub_moves')
          .values({ region, move_id: input.move, created_at: now })
          .onConflict((c) => c.columns(['region', 'move_id']).doNothing())
          .returning('move_id')
          .executeTakeFirst();
        if (fresh) await tell(trx, to, { type: 'move', move: input.move, municipality: input.municipality, region, contacts: input.contacts }, now);
        return { routed: true };
      });
    },

    /** A region's professionals' contact details for an open match it is in, passed to the other regions of the match. */
    async relayContacts(region: string, matchId: string, contacts: RelayedContact[]): Promise<void> {
      const now = clock.now();
      await db.transaction().execute(async (trx) => {
        const match = await trx
          .selectFrom('hub_matches')
          .select(['key_version', 'hash'])
          .where('id', '=', matchId)
          .where('ended_at', 'is', null)
          .executeTakeFirst();
        if (!match) throw new HubRefusal('not_found', 'no open match with this id');
        await lockHash(trx, match.key_version, match.hash);
        const regions = new Set((await holders(trx, match.key_version, match.hash)).map((h) => h.region));
        if (!regions.has(region)) throw new HubRefusal('not_in_match', 'the region is not in this match');
        await trx
          .insertInto('hub_match_contacts')
          .values({ match_id: matchId, region, contacts: JSON.stringify(contacts), updated_at: now })
          .onConflict((c) => c.columns(['match_id', 'region']).doUpdateSet({ contacts: JSON.stringify(contacts), updated_at: now }))
          .execute();
        for (const other of regions) if (other !== region) await tell(trx, other, { type: 'contacts', match: matchId, region, contacts }, now);
      });
    },
  };
}
