/**
 * The professional's worklist: what their start page and signal pages show beyond one signal or one
 * match — the start page's lists read in one transaction, the matches that are new to them, and who
 * was involved with a person before. Every signal and match shown is listed (and audited) through
 * its own service; the queries here add detail after those have authorised, never reach, and read
 * no personal data themselves.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { MatchService, MatchView } from '../matches/match-service.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import type { SignalService } from './signal-service.ts';

/** A current participant of a match, as MatchView lists them. */
export type ContactRow = MatchView['participants'][number];
export type HistoryRow = Omit<ContactRow, 'since'> & { from: Date; until: Date | null };

const DAY = 86_400_000;

/** How much the start page shows of each list. */
export type StartPageSizes = { signals: number; expiring: number; matches: number; unseen: number; informing: number };

export type WorklistService = ReturnType<typeof createWorklistService>;

export function createWorklistService(deps: { db: Kysely<DB>; clock: Clock; settings: SettingsService; signals: SignalService; matches: MatchService }) {
  const { db, clock, settings, signals, matches } = deps;
  return {
    /**
     * What a busy day needs first: new matches, signals about to end, signals whose postponed
     * informing is due to be recorded, the latest signals, and the person of each new match (from the
     * professional's own signal in it). One transaction for the whole page: one commit for its reads
     * and their audit records.
     */
    async startPage(actor: ProfessionalActor, sizes: StartPageSizes) {
      const current = await settings.current();
      const lists = await db.transaction().execute(async (trx) => {
        const unseen = await unseenMatchIds(trx, actor, sizes.unseen);
        const expiringBefore = new Date(clock.now().getTime() + current.expiryNoticeDays * DAY);
        const latest = await signals.list(actor, { status: 'active', limit: sizes.signals }, trx);
        const expiring = await signals.list(actor, { expiringBefore, limit: sizes.expiring }, trx);
        // How many there are of each, so that the page can link to all of them instead of stopping silently.
        const counts = await signals.counts(actor, { expiringBefore }, trx);
        const fresh = await matches.list(actor, { ids: unseen.slice(0, sizes.matches), limit: sizes.matches }, trx);
        const shown = new Set(latest.items.map((s) => s.id));
        const missing = fresh.items.map((m) => m.yourSignalId).filter((id) => !shown.has(id));
        const ownInMatches = await signals.list(actor, { status: 'active', ids: missing, limit: missing.length }, trx);
        const dueIds = await informingDueIds(trx, actor, new Date(clock.now().getTime() - current.informingFollowUpDays * DAY), sizes.informing);
        const informing = await signals.list(actor, { status: 'active', ids: dueIds, limit: sizes.informing }, trx);
        return { unseen, latest, expiring, counts, fresh, ownInMatches, informing };
      });
      return { ...lists, noticeDays: current.expiryNoticeDays };
    },

    /** Where the start page's "binnenkort" list ends: active signals ending before this are about to end. */
    async expiringBefore(): Promise<{ before: Date; noticeDays: number }> {
      const current = await settings.current();
      return { before: new Date(clock.now().getTime() + current.expiryNoticeDays * DAY), noticeDays: current.expiryNoticeDays };
    },

    /** The professional's open matches that are new to them (at most `limit`), most recently joined first. */
    unseen: (actor: ProfessionalActor, limit: number) => unseenMatchIds(db, actor, limit),

    /** Who was involved with the person of the professional's active signal before, newest first. */
    history: (actor: ProfessionalActor, signalId: string) => historyOf(db, signalId, actor.professionalId, clock.now()),
  };
}

/**
 * Who was involved with the person of the professional's active signal before (ended or expired
 * signals still kept as history), newest first: the same history the filing answer gives.
 */
async function historyOf(db: Kysely<DB>, signalId: string, professionalId: string, now: Date): Promise<HistoryRow[]> {
  const rows = await db
    .selectFrom('signals as mine')
    .innerJoin('signals as s', 's.person_key', 'mine.person_key')
    .innerJoin('professionals as p', 'p.id', 's.professional_id')
    .innerJoin('organisations as o', 'o.id', 's.organisation_id')
    .select([
      'p.name as professionalName',
      'o.name as organisationName',
      'p.job_title as jobTitle',
      'p.phone',
      'p.email',
      's.filed_at as from',
      's.ended_at as until',
      's.professional_id',
    ])
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
 * The professional's active signals filed with informing postponed whose follow-up period has passed
 * (since filing, or since "not yet" was last recorded) without the informing being recorded, longest
 * waiting first (at most `limit`). Ids only, not audited itself: the page lists them through the
 * signal service, which is.
 */
async function informingDueIds(db: Kysely<DB>, actor: ProfessionalActor, dueBefore: Date, limit: number): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    select id from signals
     where professional_id = ${actor.professionalId} and organisation_id = ${actor.organisationId}
       and status = 'active' and legal_basis ->> 'basis' = 'informing_postponed'
       and greatest(filed_at, informing_deferred_at) <= ${dueBefore}
     order by greatest(filed_at, informing_deferred_at), id
     limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.id);
}

/**
 * The professional's open matches they have not opened since someone else joined them, most
 * recently joined first (at most `limit`). New means: no match_seen row of the professional (written
 * by the match service when they read the match) since the latest joining of another current
 * participant. Product state, not the audit trail, so purging old audit events changes nothing here.
 * It reads only ids and times of the professional's own participations, no personal data, so it is
 * not audited itself; the pages then list the matches through the match service, which is.
 */
async function unseenMatchIds(db: Kysely<DB>, actor: ProfessionalActor, limit: number): Promise<string[]> {
  const rows = await sql<{ match_id: string }>`
    select o.match_id
    from match_participants mine
    join signals s on s.id = mine.signal_id
    join matches m on m.id = mine.match_id
    join match_participants o on o.match_id = mine.match_id and o.left_at is null
    join signals os on os.id = o.signal_id and os.professional_id <> ${actor.professionalId}
    where s.professional_id = ${actor.professionalId} and s.organisation_id = ${actor.organisationId}
      and s.status = 'active' and mine.left_at is null and m.status = 'open'
    group by o.match_id
    having not exists (
      select 1 from match_seen seen
      where seen.match_id = o.match_id and seen.professional_id = ${actor.professionalId} and seen.seen_at >= max(o.joined_at))
    order by max(o.joined_at) desc, o.match_id
    limit ${limit}`.execute(db);
  return rows.rows.map((r) => r.match_id);
}
