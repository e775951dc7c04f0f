/**
 * A cross-region match's other regions (docs/federation.md, "In a region"): per region the hub named
 * for the match, the contact details of its professionals as the hub relayed them — organisation,
 * name, job title, phone, e-mail; never person data. The one reader the match view, the pages and
 * the mails use. It authorises nothing: callers read it only for matches the actor may see.
 */
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/** Another region's professional, as relayed (no "since": the hub does not say). */
export type RemoteContact = { name: string; jobTitle: string | null; organisation: string; phone: string | null; email: string | null };

/** One other region of a cross-region match: its id, and its contacts relayed so far (empty until they arrive). */
export type OtherRegion = { region: string; contacts: RemoteContact[] };

/** The other regions of each of `matchIds` that is a cross-region match (others are absent from the map). */
export async function otherRegionsOfMatches(db: Kysely<DB>, matchIds: readonly string[]): Promise<Map<string, OtherRegion[]>> {
  const byMatch = new Map<string, OtherRegion[]>();
  if (matchIds.length === 0) return byMatch;
  const rows = await db
    .selectFrom('federation_matches as f')
    .leftJoin('federation_match_contacts as c', 'c.hub_match', 'f.hub_match')
    .select(['f.match_id', 'f.regions', 'c.region', 'c.contacts'])
    .where('f.match_id', 'in', [...matchIds])
    .execute();
  for (const matchId of new Set(rows.map((row) => row.match_id))) {
    const mine = rows.filter((row) => row.match_id === matchId);
    byMatch.set(
      matchId,
      [...mine[0]!.regions].sort().map((region) => {
        const relayed = mine.find((row) => row.region === region)?.contacts;
        return { region, contacts: ((typeof relayed === 'string' ? JSON.parse(relayed) : relayed) ?? []) as RemoteContact[] };
      }),
    );
  }
  return byMatch;
}
