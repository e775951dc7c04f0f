/**
 * The per-person lock that serialises every change to one person's signals, matches and their
 * coordination: taken first in every transaction that changes them, so two changes to one person
 * run one after the other and changes to different persons never wait for each other.
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';

export async function lockPerson(trx: Kysely<DB>, personKey: Uint8Array): Promise<void> {
  await sql`select from persons where person_key = ${personKey} for update`.execute(trx);
}
