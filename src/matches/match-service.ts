/**
 * Matches as a professional sees them: only open matches in which they take part with an active
 * signal. Anything else, including a match they have left, is "not found", the same answer as for
 * an id that does not exist.
 */
import { type Kysely, sql, type Transaction } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB, MatchKind } from '../db/schema.ts';
import { inTransaction } from '../db/transactions.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import type { Clock } from '../shared/clock.ts';
import { notFound } from '../shared/errors.ts';
import { type CountedPage, type Cursors, exactTotal, type Page } from '../shared/paging.ts';
import { type OtherRegion, otherRegionsOfMatches } from './other-regions.ts';
import { type ParticipantView, participantsOfMatches, participantView } from './participants.ts';

export type MatchView = {
  id: string;
  /** person: signals on the same person; family: on children of the same registered parent (which child is never said). */
  kind: MatchKind;
  createdAt: Date;
  yourSignalId: string;
  participants: ParticipantView[];
  /** A cross-region match only: the other regions, each with its professionals' contact details as relayed through the hub. */
  otherRegions?: OtherRegion[];
};

export type MatchService = ReturnType<typeof createMatchService>;

export function createMatchService(deps: { db: Kysely<DB>; clock: Clock; audit: AuditLog; cursors: Cursors }) {
  const { db, clock, audit } = deps;

  /** The open matches the actor takes part in with an active signal. */
  function myMatches(trx: Kysely<DB>, actor: ProfessionalActor) {
    return trx
      .selectFrom('matches as m')
      .innerJoin('match_participants as mine', 'mine.match_id', 'm.id')
      .innerJoin('signals as s', 's.id', 'mine.signal_id')
      .select(['m.id', 'm.kind', 'm.created_at', 'm.person_key', 's.id as signal_id'])
      .where('m.status', '=', 'open')
      .where('mine.left_at', 'is', null)
      .where('s.status', '=', 'active')
      .where('s.professional_id', '=', actor.professionalId)
      .where('s.organisation_id', '=', actor.organisationId);
  }

  async function participantsOf(trx: Kysely<DB>, matchIds: string[], actor: ProfessionalActor) {
    const byMatch = new Map<string, MatchView['participants']>();
    for (const [matchId, participants] of await participantsOfMatches(trx, matchIds)) {
      byMatch.set(
        matchId,
        participants.map((p) => participantView(p, actor.professionalId)),
      );
    }
    return byMatch;
  }

  /** The view of one of the actor's matches; `otherRegions` only on a cross-region match (empty while the hub has named none). */
  const viewOf = (
    m: { id: string; kind: MatchKind; created_at: Date; signal_id: string },
    participants: ParticipantView[],
    otherRegions: OtherRegion[] | undefined,
  ): MatchView => ({
    id: m.id,
    kind: m.kind,
    createdAt: m.created_at,
    yourSignalId: m.signal_id,
    participants,
    ...(m.kind === 'cross_region' && { otherRegions: otherRegions ?? [] }),
  });

  /** The professional has now seen the match: the start page's "Nieuw" marker reads this, not the audit trail. */
  async function markSeen(trx: Kysely<DB>, actor: ProfessionalActor, match: { id: string; person_key: Uint8Array }, now: Date) {
    await trx
      .insertInto('match_seen')
      .values({ match_id: match.id, professional_id: actor.professionalId, person_key: match.person_key, seen_at: now })
      .onConflict((oc) => oc.columns(['match_id', 'professional_id']).doUpdateSet({ seen_at: sql<Date>`greatest(match_seen.seen_at, excluded.seen_at)` }))
      .execute();
  }

  /** The professional's open matches, newest first (each listed one audited); `ids` narrows to those matches. */
  async function list(
    actor: ProfessionalActor,
    query: { limit: number; cursor?: string; ids?: readonly string[] },
    within?: Transaction<DB>,
  ): Promise<Page<MatchView>> {
    const now = clock.now();
    const after = query.cursor ? deps.cursors.decodeAt('matches', query.cursor) : undefined;
    if (query.ids?.length === 0) return { items: [], nextCursor: null };
    return inTransaction(db, within, async (trx) => {
      let select = myMatches(trx, actor)
        .orderBy('m.created_at', 'desc')
        .orderBy('m.id', 'desc')
        .limit(query.limit + 1);
      if (query.ids) select = select.where('m.id', 'in', [...query.ids]);
      if (after)
        select = select.where((eb) => eb.or([eb('m.created_at', '<', after.at), eb.and([eb('m.created_at', '=', after.at), eb('m.id', '<', after.id)])]));
      const rows = await select.execute();
      const page = rows.slice(0, query.limit);
      const participants = await participantsOf(
        trx,
        page.map((m) => m.id),
        actor,
      );
      const otherRegions = await otherRegionsOfMatches(
        trx,
        page.filter((m) => m.kind === 'cross_region').map((m) => m.id),
      );
      await audit.record(
        trx,
        now,
        page.map((m) => ({ type: 'match.listed' as const, actor, subjectKey: m.person_key, resource: { type: 'match', id: m.id } })),
      );
      const last = page.at(-1);
      return {
        items: page.map((m) => viewOf(m, participants.get(m.id) ?? [], otherRegions.get(m.id))),
        nextCursor: rows.length > query.limit && last ? deps.cursors.encodeAt('matches', last.created_at, last.id) : null,
      };
    });
  }

  return {
    async get(actor: ProfessionalActor, matchId: string): Promise<MatchView> {
      const now = clock.now();
      const view = await db.transaction().execute(async (trx) => {
        const match = await myMatches(trx, actor).where('m.id', '=', matchId).executeTakeFirst();
        if (!match) return undefined;
        const participants = (await participantsOf(trx, [match.id], actor)).get(match.id) ?? [];
        const otherRegions = match.kind === 'cross_region' ? (await otherRegionsOfMatches(trx, [match.id])).get(match.id) : undefined;
        await audit.record(trx, now, { type: 'match.read', actor, subjectKey: match.person_key, resource: { type: 'match', id: match.id } });
        await markSeen(trx, actor, match, now);
        return viewOf(match, participants, otherRegions);
      });
      if (view) return view;
      // Audited outside the transaction: a record written in it would go when the 404 rolls it back.
      await audit.record(db, now, { type: 'match.read', outcome: 'not_found', actor, resource: { type: 'match', id: matchId } });
      throw notFound('match');
    },

    list,

    /** A page of the professional's open matches with how many there are: one count in the same transaction. */
    async page(actor: ProfessionalActor, query: { limit: number; cursor?: string }): Promise<CountedPage<MatchView>> {
      return db.transaction().execute(async (trx) => {
        const page = await list(actor, query, trx);
        const counted = await myMatches(trx, actor)
          .clearSelect()
          .select((eb) => eb.fn.countAll<number | string>().as('n'))
          .executeTakeFirstOrThrow();
        return { ...page, ...exactTotal(Number(counted.n)) };
      });
    },
  };
}
