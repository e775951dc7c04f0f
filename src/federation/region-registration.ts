/**
 * The region's registrations at the hub (docs/federation.md, "A registration, step by step"), as
 * steps inside a signal's lifecycle. Registering is part of joining the person's match at filing
 * (the database's sluis_join_person_match, migration 0040); deregistering is here, called where an
 * active signal stops being active (matches/match-membership.ts, leaveMatch). Both only write the
 * outbox: the delivery worker talks to the hub (region-client.ts).
 */
import { randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { DB } from '../db/schema.ts';

/**
 * When the signal leaving is the last active one on its person and the person is registered, the
 * registration ends: its row goes and a deregistration (carrying only the reference) is queued.
 * Inside the caller's transaction, under the person lock, before the signal's status changes.
 */
export async function deregisterIfLastActive(trx: Kysely<DB>, input: { personKey: Uint8Array; leavingSignalId: string; now: Date }): Promise<void> {
  const registration = await trx.selectFrom('federation_registrations').select('reference').where('person_key', '=', input.personKey).executeTakeFirst();
  if (!registration) return;
  const stillActive = await trx
    .selectFrom('signals')
    .select('id')
    .where('person_key', '=', input.personKey)
    .where('status', '=', 'active')
    .where('id', '<>', input.leavingSignalId)
    .executeTakeFirst();
  if (stillActive) return;
  await trx.deleteFrom('federation_registrations').where('person_key', '=', input.personKey).execute();
  await queueForHub(trx, input.now, 'federation.deregister', { reference: registration.reference });
}

/**
 * A registered person moved to a municipality this region has no contact for (so, presumably, in
 * another region): the move goes to the hub, which routes it by its municipality table
 * (docs/federation.md, "Moves across regions"). The reference, a random move id (the hub passes a
 * retried move on once) and the municipality code; the leaving region's contacts are read when it is
 * sent. Inside the register change's transaction, under the person lock. True when queued.
 */
export async function queueMoveForHub(trx: Kysely<DB>, input: { personKey: Uint8Array; municipalityCode: string; now: Date }): Promise<boolean> {
  const registration = await trx.selectFrom('federation_registrations').select('reference').where('person_key', '=', input.personKey).executeTakeFirst();
  if (!registration) return false;
  await queueForHub(trx, input.now, 'federation.move', {
    reference: registration.reference,
    move: randomBytes(16).toString('base64url'),
    municipalityCode: input.municipalityCode,
  });
  return true;
}

export type HubOutboxEvent = 'federation.register' | 'federation.deregister' | 'federation.contacts' | 'federation.move';

/** An outbox record for the hub: no professional, organisation or staff member; ids only (and a move's municipality code). */
export async function queueForHub(
  trx: Kysely<DB>,
  now: Date,
  type: HubOutboxEvent,
  payload: { reference?: string; matchId?: string; hubMatch?: string; move?: string; municipalityCode?: string },
) {
  await trx
    .insertInto('outbox')
    .values({ created_at: now, event_type: type, recipient_professional_id: null, organisation_id: null, payload: JSON.stringify(payload) })
    .execute();
}
