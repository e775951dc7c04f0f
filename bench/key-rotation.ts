/**
 * The re-keying rate of a pseudonym key rotation (docs/operations.md, "Key rotation"): N persons,
 * each with a signal and an audit event, half of them in a person match with a second signal, on
 * one engine; then a process with pseudonym version 2 starts the rotation and re-keys them in the
 * sweep's batches, one batch after the other (as one sweep does). Beside it, the same engine's
 * one-row-insert limit with one client, measured in the same run: re-keying is one worker too.
 */
import { sql } from 'kysely';
import type { Engine } from '../src/db/database.ts';
import { createTestDatabase } from '../src/test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, TEST_KEYS } from '../src/test-support/fixtures.ts';
import { n0, n1 } from './format.ts';
import type { Limit } from './limits.ts';
import type { Machine } from './system.ts';

export const KEYS_HEADING = '## Key rotation';

export type RekeyResult = {
  engine: Engine;
  persons: number;
  pseudonyms: number;
  listingSeconds: number;
  seconds: number;
  personsPerSecond: number;
  /** What every row of the index still held under the old version when it was done (must be 0). */
  leftOver: number;
  limit?: Limit;
};

export async function runRekeyBench(engine: Engine, persons: number): Promise<RekeyResult> {
  const database = await createTestDatabase(engine);
  const v1 = await createTestApp(database);
  const v2Keys = {
    pseudonymKeys: [
      { version: 1, key: TEST_KEYS.pseudonymKey },
      { version: 2, key: Buffer.alloc(32, 3) },
    ],
    encryptionKeys: [{ version: 1, key: TEST_KEYS.encryptionKey }],
  };
  try {
    const [a, b] = [await v1.organisation(), await v1.organisation()];
    // One filed signal pair as the template; the rest copied from it by SQL under other person keys.
    const bsn = randomBsn();
    for (const org of [a, b]) await v1.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: adultSignal(bsn) });
    const db = database.db;
    await sql`insert into persons (person_key, bsn_ciphertext, created_at)
      select sha256(i::text::bytea), bsn_ciphertext, created_at from persons, generate_series(1, ${persons}) i`.execute(db);
    await sql`insert into signals (person_key, organisation_id, professional_id, client_reference, person_details, person_date_of_birth, legal_basis, status, filed_at, active_until)
      select sha256(i::text::bytea), s.organisation_id, s.professional_id, null, s.person_details, s.person_date_of_birth, s.legal_basis, s.status, s.filed_at, s.active_until
      from (select * from signals limit 2) s, generate_series(1, ${persons}) i where i % 2 = 0 or s.organisation_id = ${a.id}`.execute(db);
    await sql`insert into matches (person_key, status, created_at) select sha256(i::text::bytea), 'open', now() from generate_series(2, ${persons}, 2) i`.execute(
      db,
    );
    await sql`insert into match_participants (match_id, signal_id, person_key, joined_at)
      select m.id, s.id, s.person_key, now() from matches m join signals s on s.person_key = m.person_key
      where not exists (select from match_participants mp where mp.match_id = m.id)`.execute(db);
    await sql`insert into audit_events (occurred_at, event_type, outcome, actor_type, subject_key, details)
      select now(), 'signal.created', 'success', 'system', sha256(i::text::bytea), '{}' from generate_series(1, ${persons}) i`.execute(db);
    if (engine === 'postgres') await sql`analyze`.execute(db);
    const v2 = await createTestApp(database, { keys: v2Keys });
    try {
      const started = performance.now();
      await v2.services.keyRotation.begin();
      const listed = performance.now();
      let pseudonyms = 0;
      for (let n = await v2.services.keyRotation.rekeyBatch(); n > 0; n = await v2.services.keyRotation.rekeyBatch()) pseudonyms += n;
      const done = performance.now();
      const leftOver = Number(
        (
          await sql<{
            n: string;
          }>`select count(*) as n from persons where person_key = any(select sha256(i::text::bytea) from generate_series(1, ${persons}) i)`.execute(db)
        ).rows[0]!.n,
      );
      const seconds = (done - listed) / 1000;
      return {
        engine,
        persons: persons + 1,
        pseudonyms,
        listingSeconds: (listed - started) / 1000,
        seconds,
        personsPerSecond: (persons + 1) / seconds,
        leftOver,
      };
    } finally {
      await v2.close();
    }
  } finally {
    await v1.close();
    await database.drop();
  }
}

export function renderKeyRotation(results: RekeyResult[], context: { machine: Machine; date: Date; command: string }): string[] {
  const m = context.machine;
  const lines = [
    KEYS_HEADING,
    '',
    `Run of ${context.date.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${context.command}\` on ${m.cpuModel}, ${m.cores} cores. ` +
      'N persons each with a signal and an audit event, half of them in a person match with a second signal; a process with pseudonym ' +
      'key version 2 starts the rotation (listing every pseudonym) and re-keys them in the sweep’s batches of 500, one after the other, ' +
      'each batch under the persons’ locks. The limit beside it: the same engine committing one-row inserts with one client, in the same run.',
    '',
    '| Engine | Persons | Pseudonyms re-keyed | Listing | Re-keying | Persons/s | A million persons | One-row inserts/s (1 client) | Ratio | Old keys left |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...results
      .map((r) =>
        [
          r.engine === 'postgres' ? 'PostgreSQL' : 'PGlite',
          n0(r.persons),
          n0(r.pseudonyms),
          `${n1(r.listingSeconds)} s`,
          `${n1(r.seconds)} s`,
          n0(r.personsPerSecond),
          r.limit ? n0(r.limit.tps) : '–',
          r.limit ? `${(r.personsPerSecond / r.limit.tps).toFixed(2)}×` : '–',
          String(r.leftOver),
        ].join(' | '),
      )
      .map((row) => `| ${row} |`),
    '',
    'Re-keying a person rewrites its row in every table that holds its key (persons, signals, matches, participants, audit events, …), ' +
      'but a batch of 500 persons commits once, so the rate can pass the one-row commit rate of one client (the ratio). ' +
      '“A million persons” is the time one worker would take at this rate; filing goes on meanwhile, each filing re-keying its own person first ' +
      'when the sweep has not reached it. The machine was shared with other work during the run (see the load in the heading of the document).',
    '',
  ];
  return lines;
}
