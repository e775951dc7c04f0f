/** The receiver's memory of request nonces (and the hub's of token nonces): a nonce seen before is a replay. */
import { type Kysely, sql } from 'kysely';
import type { FederationNoncesTable } from './federation-schema.ts';
import { SIGNATURE_WINDOW_SECONDS } from './request-signing.ts';

/** True when the party's nonce is new (and now remembered for twice the signature window); false for a replay. */
export async function rememberNonce(db: Kysely<{ federation_nonces: FederationNoncesTable }>, party: string, nonce: string, now: Date): Promise<boolean> {
  const expiresAt = new Date(now.getTime() + 2 * SIGNATURE_WINDOW_SECONDS * 1000);
  const inserted = await db
    .insertInto('federation_nonces')
    .values({ party, nonce, expires_at: expiresAt })
    .onConflict((conflict) => conflict.columns(['party', 'nonce']).doNothing())
    .returning('nonce')
    .executeTakeFirst();
  // Forget this party's nonces that can no longer be replayed (their requests are outside the window anyway).
  await sql`delete from federation_nonces where party = ${party} and expires_at < ${now}`.execute(db);
  return inserted !== undefined;
}
