/**
 * Forward-only numbered SQL migrations (src/db/migrations/NNNN_name.sql), each applied once, in
 * order, in its own transaction, and recorded in schema_migrations. An advisory lock keeps two
 * starting instances from migrating at the same time.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { type Kysely, sql } from 'kysely';
import { originalMessageOf } from './errors.ts';

const MIGRATIONS_DIR = new URL('./migrations/', import.meta.url);
const MIGRATION_LOCK = 7_150_001;

export type Migration = { version: number; name: string; sql: string };

/** The migrations of a folder: the region's by default; the hub and the pseudonymisation service have their own (src/federation/). */
export function readMigrations(folder: URL = MIGRATIONS_DIR): Migration[] {
  return readdirSync(folder)
    .filter((file) => /^\d{4}_[a-z0-9_]+\.sql$/.test(file))
    .sort()
    .map((file) => ({
      version: Number(file.slice(0, 4)),
      name: file.slice(5, -4),
      sql: readFileSync(new URL(file, folder), 'utf8'),
    }));
}

/** Applies pending migrations; returns the names of those applied. */
// biome-ignore lint/suspicious/noExplicitAny: migrations run on a database whose tables they create
export async function migrate(db: Kysely<any>, folder: URL = MIGRATIONS_DIR): Promise<string[]> {
  await sql`create table if not exists schema_migrations (
    version integer primary key, name text not null, applied_at timestamptz not null default now())`.execute(db);
  const applied: string[] = [];
  await db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${MIGRATION_LOCK})`.execute(trx);
    // A migration on a big table may take longer than the statement timeout that guards requests.
    await sql`set local statement_timeout = 0`.execute(trx);
    const done = await sql<{ version: number }>`select version from schema_migrations`.execute(trx);
    const doneVersions = new Set(done.rows.map((row) => row.version));
    for (const migration of readMigrations(folder)) {
      if (doneVersions.has(migration.version)) continue;
      try {
        await sql.raw(migration.sql).execute(trx);
      } catch (error) {
        // Schema statements hold no person data: the operator gets the database's own reason.
        throw new Error(`Migration ${migration.version}_${migration.name} failed: ${originalMessageOf(error) ?? String(error)}`);
      }
      await sql`insert into schema_migrations (version, name) values (${migration.version}, ${migration.name})`.execute(trx);
      applied.push(`${String(migration.version).padStart(4, '0')}_${migration.name}`);
    }
  });
  return applied;
}
