/** Runs work in the caller's transaction when there is one, otherwise in a transaction of its own. */
import type { Kysely, Transaction } from 'kysely';
import type { DB } from './schema.ts';

export function inTransaction<T>(db: Kysely<DB>, within: Transaction<DB> | undefined, work: (trx: Transaction<DB>) => Promise<T>): Promise<T> {
  return within ? work(within) : db.transaction().execute(work);
}
