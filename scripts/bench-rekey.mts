/**
 * The re-keying rate of a pseudonym key rotation (docs/operations.md, "Key rotation"): N persons,
 * each with a signal and an audit event, half of them in a person match with a second signal, on
 * embedded PGlite and on PostgreSQL; then a process with pseudonym version 2 re-keys them in the
 * sweep's batches. Usage: node --import tsx scripts/bench-rekey.mts [persons, default 20000]
 */
import { sql } from 'kysely';
import { createTestDatabase } from '../src/test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, TEST_KEYS } from '../src/test-support/fixtures.ts';

const persons = Number(process.argv[2] ?? 20_000);
for (const engine of ['pglite', 'postgres'] as const) {
  const database = await createTestDatabase(engine);
  const v1 = await createTestApp(database);
  const [a, b] = [await v1.organisation(), await v1.organisation()];
  // One filed signal pair as the template; the rest copied from it by SQL with other person keys.
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
  const v2 = await createTestApp(database, {
    keys: {
      pseudonymKeys: [
        { version: 1, key: TEST_KEYS.pseudonymKey },
        { version: 2, key: Buffer.alloc(32, 3) },
      ],
      encryptionKeys: [{ version: 1, key: TEST_KEYS.encryptionKey }],
    },
  });
  const started = performance.now();
  await v2.services.keyRotation.begin();
  const listed = performance.now();
  let keys = 0;
  for (let n = await v2.services.keyRotation.rekeyBatch(); n > 0; n = await v2.services.keyRotation.rekeyBatch()) keys += n;
  const done = performance.now();
  const seconds = (done - listed) / 1000;
  console.log(
    `${engine}: ${persons + 1} persons (${keys} pseudonyms) re-keyed in ${seconds.toFixed(1)} s after ${((listed - started) / 1000).toFixed(1)} s listing: ${Math.round((persons + 1) / seconds)} persons/s`,
  );
  await v1.close();
  await v2.close();
  await database.drop();
}
