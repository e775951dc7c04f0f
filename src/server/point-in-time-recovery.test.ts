/**
 * The PostgreSQL backup procedure of docs/operations.md ("Backup and restore"), run on a second
 * PostgreSQL instance of this machine: WAL archiving on, a base backup with pg_basebackup, signals
 * filed through SluiS, a recovery target time noted, more signals filed; then the base backup
 * restored with recovery.signal, restore_command and recovery_target_time. The recovered index
 * holds exactly the signals from before the target, with their match and audit events, and SluiS
 * starts on it with nothing left to migrate.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { adultSignal, createTestApp, randomBsn } from '../test-support/fixtures.ts';
import {
  cleanUpPostgresInstances,
  POSTGRES_BIN,
  POSTGRES_BINARIES_MISSING,
  postgresDir,
  postgresWorkDir,
  runAsPostgres,
  startPostgresInstance,
} from '../test-support/postgres-instance.ts';

if (!POSTGRES_BIN) console.warn(`\n!!! ${POSTGRES_BINARIES_MISSING}\n`);
after(cleanUpPostgresInstances);

test('a base backup and the WAL archive recover the index to a point in time', { skip: POSTGRES_BIN ? false : POSTGRES_BINARIES_MISSING }, async () => {
  const work = postgresWorkDir();
  const archive = await postgresDir(work, 'wal-archive');
  const primary = await startPostgresInstance({
    settings: { wal_level: 'replica', archive_mode: 'on', archive_command: `test ! -f ${archive}/%f && cp %p ${archive}/%f` },
  });
  await primary.value('create database sluis');
  const database = await openDatabase({ databaseUrl: primary.url('sluis'), poolSize: 4 });
  await migrate(database.db);
  const t = await createTestApp(database);
  const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
  const file = async (headers: Record<string, string>, bsn: string) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: adultSignal(bsn) });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().signal.id as string;
  };

  // The nightly base backup (tar, compressed, with the WAL it needs to be consistent).
  const base = await postgresDir(work, 'base');
  await runAsPostgres('pg_basebackup', [
    '-h',
    '127.0.0.1',
    '-p',
    String(primary.port),
    '-U',
    'postgres',
    '-D',
    base,
    '-Ft',
    '-z',
    '-X',
    'stream',
    '-c',
    'fast',
  ]);

  const person = randomBsn();
  const before = [await file(a.headers, person), await file(b.headers, person)];
  const target = await primary.value('select clock_timestamp()');
  const later = [await file(c.headers, person), await file(a.headers, randomBsn())];
  // The segment holding the later filings goes to the archive too, so recovery sees past the target.
  const segment = await primary.value('select pg_walfile_name(pg_switch_wal())');
  await t.close();
  await database.close();
  await primary.stop();
  assert.ok(existsSync(path.join(archive, segment)), `the archive holds ${segment}`);

  // The restore: the base backup into an empty directory, its WAL into pg_wal, then recovery from the archive.
  const restored = await postgresDir(work, 'restored');
  await runAsPostgres('tar', ['-xzf', path.join(base, 'base.tar.gz'), '-C', restored]);
  await runAsPostgres('tar', ['-xzf', path.join(base, 'pg_wal.tar.gz'), '-C', path.join(restored, 'pg_wal')]);
  await runAsPostgres('touch', [path.join(restored, 'recovery.signal')]);
  const recovered = await startPostgresInstance({
    dataDir: restored,
    settings: {
      archive_mode: 'off',
      restore_command: `cp ${archive}/%f %p`,
      recovery_target_time: target,
      recovery_target_action: 'promote',
    },
  });
  for (let tries = 0; (await recovered.value('select pg_is_in_recovery()')) === 't'; tries++) {
    assert.ok(tries < 300, 'recovery ends');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const back = await openDatabase({ databaseUrl: recovered.url('sluis'), poolSize: 2 });
  try {
    assert.deepEqual(await migrate(back.db), [], 'SluiS starts on it with nothing to migrate');
    const signals = await back.db.selectFrom('signals').select('id').execute();
    assert.deepEqual(signals.map((row) => row.id).sort(), [...before].sort(), 'exactly the signals from before the target');
    const participants = await back.db.selectFrom('match_participants').select('signal_id').execute();
    assert.deepEqual(participants.map((row) => row.signal_id).sort(), [...before].sort(), 'their match, without the later participant');
    const audited = await sql<{ id: string }>`select resource_id::text as id from audit_events where event_type = 'signal.created'`.execute(back.db);
    assert.deepEqual(audited.rows.map((row) => row.id).sort(), [...before].sort(), 'their audit events, none of the later ones');
    for (const id of later) assert.ok(!signals.some((row) => row.id === id));
  } finally {
    await back.close();
  }
});
