/**
 * The restore drill of the embedded database, as an operator runs it (docs/operations.md, "Backup
 * and restore"): `sluis backup` while `sluis start` serves, more signals filed afterwards, `sluis
 * restore` into a new data directory, its keys put back, `sluis start` on it. The restored index is
 * exactly the backed-up one: the signals, matches and audit events from before the backup, none of
 * what came after. And a backup from before a migration starts with that migration applied.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { type Database, openDatabase, restoreDataDir } from '../db/database.ts';
import { readMigrations } from '../db/migrate.ts';
import { DEMO_ORGANISATIONS, demoToken, seedDemo } from '../demo/seed-demo.ts';
import { systemClock } from '../shared/clock.ts';
import { adultSignal, randomBsn } from '../test-support/fixtures.ts';
import { freePort, runSluis, sluisEnv, startSluis, stopSluis } from '../test-support/sluis-process.ts';
import { backUpEmbeddedDatabase } from './backup.ts';
import { loadConfig } from './config.ts';
import { openRuntime } from './runtime.ts';

const root = mkdtempSync(path.join(tmpdir(), 'sluis-backup-'));
after(() => rmSync(root, { recursive: true, force: true }));
const dir = (name: string) => path.join(root, name);
// No sweep and no delivery worker: nothing but the test's requests writes, so "before the backup" is exact.
const env = (dataDir: string, port = 8080) =>
  sluisEnv({ SLUIS_DATA_DIR: dataDir, PORT: String(port), SLUIS_JOBS_ENABLED: 'false', SLUIS_WORKER_ENABLED: 'false' });

const professional = (key: string) => {
  const organisation = DEMO_ORGANISATIONS.find((o) => o.key === key)!;
  return { authorization: `Bearer ${demoToken(key)}`, 'sluis-professional-id': organisation.professional.id };
};

async function file(base: string, key: string, bsn: string): Promise<string> {
  const response = await fetch(`${base}/signals`, {
    method: 'POST',
    headers: { ...professional(key), 'content-type': 'application/json' },
    body: JSON.stringify(adultSignal(bsn, new Date().toISOString().slice(0, 10))),
  });
  assert.equal(response.status, 201, await response.clone().text());
  return ((await response.json()) as { signal: { id: string } }).signal.id;
}

/** What the comparison looks at: signals, match participation and the audit trail. */
async function contents(dataDir: string) {
  const database = await openDatabase({ dataDir });
  try {
    const { db } = database;
    return {
      signals: (await db.selectFrom('signals').select('id').orderBy('id').execute()).map((row) => row.id),
      participants: (
        await sql<{
          row: string;
        }>`select match_id || ' ' || signal_id || ' ' || coalesce(left_at::text, '-') as row from match_participants order by 1`.execute(db)
      ).rows.map((row) => row.row),
      audit: (
        await sql<{ row: string }>`select id || ' ' || event_type || ' ' || coalesce(resource_id::text, '-') as row from audit_events order by id`.execute(db)
      ).rows.map((row) => row.row),
    };
  } finally {
    await database.close();
  }
}

test('restore drill: a backup made while SluiS runs restores to exactly the index it copied, and starts', async () => {
  const original = dir('data');
  const seeding = await openRuntime(loadConfig({ SLUIS_DATA_DIR: original }));
  await seedDemo(seeding.services, 'http://localhost:8080');
  await seeding.close();
  const port = await freePort();
  const sluis = startSluis(['start'], env(original, port));
  await sluis.waitFor(/SluiS listens on/);
  const base = `http://127.0.0.1:${port}/api/v1`;

  const person = randomBsn();
  const before = [await file(base, 'ggz', person), await file(base, 'woonstad', person)];
  const backup = dir('sluis.tar.gz');
  const backedUp = runSluis(['backup', backup], env(original));
  assert.equal(backedUp.status, 0, backedUp.stderr);
  assert.match(backedUp.stdout, /Backup of the running SluiS \(process \d+\) written to .*; recorded in the audit trail/);
  assert.equal(statSync(backup).mode & 0o777, 0o600, 'the backup is readable by its owner only');

  // The server went on serving: these come after the backup.
  const later = [await file(base, 'wijkteam', person), await file(base, 'ggz', randomBsn())];
  assert.equal(await stopSluis(sluis.child), 0);
  const keys = dir('keys.json');
  assert.equal(runSluis(['backup', '--keys', keys], env(original)).status, 0);

  const refused = runSluis(['restore', backup], env(original));
  assert.equal(refused.status, 2);
  assert.match(refused.stderr, /is not empty \(it holds .*pglite.*\)\. A restore goes into an empty directory only/);

  const restored = dir('restored');
  const restoring = runSluis(['restore', backup], env(restored));
  assert.equal(restoring.status, 0, restoring.stderr);
  assert.match(restoring.stdout, /Now put its keys back/);

  const was = await contents(original);
  const now = await contents(restored);
  assert.deepEqual(now.signals, was.signals.filter((id) => !later.includes(id)).sort());
  for (const id of before) assert.ok(now.signals.includes(id));
  assert.deepEqual(
    now.participants,
    was.participants.filter((row) => !later.some((id) => row.includes(id))),
    'the match as it was: the later participant absent',
  );
  assert.ok(now.participants.some((row) => row.includes(before[0]!)) && now.participants.some((row) => row.includes(before[1]!)));
  const backupEvent = was.audit.findIndex((row) => row.includes(' database.backed_up '));
  assert.ok(backupEvent > 0, 'the backup is in the audit trail of the running SluiS');
  assert.deepEqual(now.audit, was.audit.slice(0, backupEvent), 'the audit trail up to the backup, nothing after');

  // Without its keys SluiS refuses to start on the restored data rather than make new ones.
  const keyless = runSluis(['migrate'], env(restored));
  assert.equal(keyless.status, 1);
  assert.match(keyless.stderr, /keys are missing/);
  assert.equal(runSluis(['restore', '--keys', keys], env(restored)).status, 0);

  const restartPort = await freePort();
  const again = startSluis(['start'], env(restored, restartPort));
  await again.waitFor(/SluiS listens on/);
  const read = (id: string, key: string) => fetch(`http://127.0.0.1:${restartPort}/api/v1/signals/${id}`, { headers: professional(key) });
  assert.equal((await read(before[0]!, 'ggz')).status, 200);
  assert.equal((await read(later[1]!, 'ggz')).status, 404);
  // The keys are the right ones: filing on the same person again joins the restored match.
  const rejoined = await fetch(`http://127.0.0.1:${restartPort}/api/v1/signals`, {
    method: 'POST',
    headers: { ...professional('wijkteam'), 'content-type': 'application/json' },
    body: JSON.stringify(adultSignal(person, new Date().toISOString().slice(0, 10))),
  });
  assert.equal(rejoined.status, 201);
  assert.equal(((await rejoined.json()) as { match: { participants: unknown[] } }).match.participants.length, 3);
  assert.equal(await stopSluis(again.child), 0);
});

test('a backup from before a migration is restored and migrated by the next start', async () => {
  const migrations = readMigrations();
  const database: Database = await openDatabase({});
  let tarball: Uint8Array;
  try {
    await sql`create table schema_migrations (version integer primary key, name text not null, applied_at timestamptz not null default now())`.execute(
      database.db,
    );
    for (const migration of migrations.slice(0, -1)) {
      await sql.raw(migration.sql).execute(database.db);
      await sql`insert into schema_migrations (version, name) values (${migration.version}, ${migration.name})`.execute(database.db);
    }
    ({ tarball } = await backUpEmbeddedDatabase(database, systemClock));
  } finally {
    await database.close();
  }
  const restored = dir('older');
  assert.equal(await restoreDataDir(restored, tarball), migrations.at(-2)!.version);
  const last = migrations.at(-1)!;
  const migrated = runSluis(['migrate'], env(restored));
  assert.equal(migrated.status, 0, migrated.stderr);
  assert.equal(migrated.stdout.trim(), `Applied: ${String(last.version).padStart(4, '0')}_${last.name}`);
});

test('restore refuses what is not a backup and leaves the directory empty', () => {
  const bogus = dir('bogus.tar.gz');
  writeFileSync(bogus, 'not a backup');
  const target = dir('bogus');
  const refused = runSluis(['restore', bogus], env(target));
  assert.equal(refused.status, 1);
  assert.match(refused.stderr, /could not be restored: it is not a backup of sluis backup, or it is damaged/);
  assert.deepEqual(readdirSync(target), [], 'nothing of the failed restore stays behind');
});
