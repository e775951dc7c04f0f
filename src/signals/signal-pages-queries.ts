/**
 * The few reads the professional's pages need beyond the signal and match services. Each runs only
 * AFTER the service has authorised (and audited) the access: the signal or match service has
 * already answered for this professional, so these add detail, never reach.
 */
import { sql, type Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { MatchView } from '../matches/match-service.ts';

/** A current participant of a match, as MatchView lists them. */
export type ContactRow = MatchView['participants'][number];
export type HistoryRow = Omit<ContactRow, 'since'> & { from: Date; until: Date | null };

/**
 * Who was involved with the person of the professional's active signal before (ended or expired
 * signals still kept as history), newest first: the same history the filing answer gives.
 */
export async function historyOf(db: Kysely<DB>, signalId: string, professionalId: string, now: Date): Promise<HistoryRow[]> {
  const rows = await db
    .selectFrom('signals as mine')
    .innerJoin('signals as s', 's.person_key', 'mine.person_key')
    .innerJoin('professionals as p', 'p.id', 's.professional_id')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .select(['p.name as professionalName', 'o.name as organisationName', 'p.job_title as jobTitle', 'p.phone', 'p.email', 's.filed_at as from', 's.ended_at as until', 's.professional_id'])
    .where('mine.id', '=', signalId)
    .where('mine.professional_id', '=', professionalId)
    .where('mine.status', '=', 'active')
    .where('s.status', '<>', 'active')
    .where('s.retain_until', '>', now)
    .orderBy('s.ended_at', 'desc')
    .orderBy('s.id')
    .execute();
  return rows.map(({ professional_id, ...row }) => ({ ...row, isYou: professional_id === professionalId }));
}

/**
 * The matches the professional has not opened since someone else joined them. Derived from the
 * audit trail: the professional's last successful match.read of the match, against the latest
 * joining of another participant. No table of its own, so nothing to keep in step.
 */
export async function unseenMatches(db: Kysely<DB>, professionalId: string, matchIds: string[]): Promise<Set<string>> {
  if (matchIds.length === 0) return new Set();
  const joins = await db
    .selectFrom('match_participants as mp')
    .innerJoin('signals as s', 's.id', 'mp.signal_id')
    .select(['mp.match_id', sql<Date>`max(mp.joined_at)`.as('latest')])
    .where('mp.match_id', 'in', matchIds)
    .where('mp.left_at', 'is', null)
    .where('s.professional_id', '<>', professionalId)
    .groupBy('mp.match_id')
    .execute();
  const reads = await db
    .selectFrom('audit_events')
    .select(['resource_id', sql<Date>`max(occurred_at)`.as('latest')])
    .where('actor_id', '=', professionalId)
    .where('event_type', '=', 'match.read')
    .where('outcome', '=', 'success')
    .where('resource_id', 'in', matchIds)
    .groupBy('resource_id')
    .execute();
  const lastRead = new Map(reads.map((r) => [r.resource_id, new Date(r.latest)]));
  return new Set(joins.filter((j) => {
    const read = lastRead.get(j.match_id);
    return !read || new Date(j.latest) > read;
  }).map((j) => j.match_id));
}
