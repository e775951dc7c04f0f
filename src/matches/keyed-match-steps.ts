/**
 * The steps family and address matches share (matches keyed on something other than the person: a
 * parent's pseudonym, an address pseudonym): opening one and adding signals to it, with the outbox
 * records and audit events. Each runs inside the caller's transaction, under that key's lock. The
 * outbox payloads carry the match kind, so that every reader strips the other persons' signal ids
 * from what leaves (notifications/events.ts, publicEventData).
 */
import type { Kysely } from 'kysely';
import { countFigure, countSignalsByDomain } from '../administration/figure-events.ts';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { Actor } from '../shared/actor.ts';

export type KeyedMatchKind = 'family' | 'address';

/** A signal taking part: its id, person and who filed it. */
export type KeyedMember = { id: string; person_key: Uint8Array; professional_id: string; organisation_id: string };

export async function currentSignals(trx: Kysely<DB>, matchId: string): Promise<string[]> {
  const rows = await trx.selectFrom('match_participants').select('signal_id').where('match_id', '=', matchId).where('left_at', 'is', null).execute();
  return rows.map((row) => row.signal_id);
}

/** Opens a match of this kind on its key (the parent's or the address's pseudonym) with these signals, and tells each of them. */
export async function createKeyedMatch(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: { kind: KeyedMatchKind; key: Uint8Array; members: KeyedMember[]; now: Date; actor: Actor },
): Promise<string> {
  const { kind, key, members, now, actor } = input;
  const match = await trx.insertInto('matches').values({ person_key: key, kind, status: 'open', created_at: now }).returning('id').executeTakeFirstOrThrow();
  await trx
    .insertInto('match_participants')
    .values(members.map((s) => ({ match_id: match.id, signal_id: s.id, person_key: s.person_key, kind, joined_at: now })))
    .execute();
  await countFigure(trx, { figure: 'matches', column: kind, at: now });
  await countSignalsByDomain(trx, { figure: 'match_signals', signalIds: members.map((s) => s.id), at: now });
  await trx
    .insertInto('outbox')
    .values(
      members.map((s) => ({
        created_at: now,
        event_type: 'match.created' as const,
        recipient_professional_id: s.professional_id,
        organisation_id: s.organisation_id,
        payload: JSON.stringify({ matchId: match.id, signalId: s.id, matchKind: kind }),
      })),
    )
    .execute();
  await deps.audit.record(
    trx,
    now,
    members.map((s) => ({
      type: 'match.created' as const,
      actor,
      organisationId: s.organisation_id,
      subjectKey: s.person_key,
      resource: { type: 'match', id: match.id },
      details: { matchKind: kind, signalId: s.id },
    })),
  );
  return match.id;
}

/**
 * Adds these signals to an open match of this kind; every participant hears of each newcomer. A signal
 * that left the match while staying active (the register moved its person away from the parent or the
 * address, and back) takes its place again: its participation is the same row, joined anew.
 */
export async function joinKeyedMatch(
  trx: Kysely<DB>,
  deps: { audit: AuditLog },
  input: { kind: KeyedMatchKind; matchId: string; newcomers: KeyedMember[]; now: Date; actor: Actor },
): Promise<void> {
  const { kind, matchId, newcomers, now, actor } = input;
  await trx
    .insertInto('match_participants')
    .values(newcomers.map((s) => ({ match_id: matchId, signal_id: s.id, person_key: s.person_key, kind, joined_at: now })))
    .onConflict((oc) => oc.columns(['match_id', 'signal_id']).doUpdateSet({ joined_at: now, left_at: null }))
    .execute();
  // Each coming into the match counts, a return too (the figure counts signals coming into a match).
  await countSignalsByDomain(trx, { figure: 'match_signals', signalIds: newcomers.map((s) => s.id), at: now });
  const everyone = await trx
    .selectFrom('match_participants as mp')
    .innerJoin('signals as s', 's.id', 'mp.signal_id')
    .select(['s.id', 's.professional_id', 's.organisation_id'])
    .where('mp.match_id', '=', matchId)
    .where('mp.left_at', 'is', null)
    .orderBy('s.filed_at')
    .orderBy('s.id')
    .execute();
  await trx
    .insertInto('outbox')
    .values(
      newcomers.flatMap((newcomer) =>
        everyone.map((s) => ({
          created_at: now,
          event_type: 'match.participant_joined' as const,
          recipient_professional_id: s.professional_id,
          organisation_id: s.organisation_id,
          payload: JSON.stringify({ matchId, signalId: s.id, newSignalId: newcomer.id, matchKind: kind }),
        })),
      ),
    )
    .execute();
  await deps.audit.record(
    trx,
    now,
    newcomers.map((s) => ({
      type: 'match.participant_joined' as const,
      actor,
      organisationId: s.organisation_id,
      subjectKey: s.person_key,
      resource: { type: 'match', id: matchId },
      details: { matchKind: kind, signalId: s.id },
    })),
  );
}
