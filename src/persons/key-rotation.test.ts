/**
 * Key rotation on a live index: a pseudonym key version 2 re-keys every pseudonym in batches while
 * professionals go on filing, and matches between a signal filed under version 1 and one filed during
 * the re-keying still form; at the end no row holds a version 1 key. An encryption key version 2
 * encrypts every BSN copy again, after which version 1 is no longer needed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, TEST_KEYS, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { Bsn } from './bsn.ts';
import { createPersonCrypto, type IdentityKeys } from './identity-keys.ts';
import { KEY_ARRAY_COLUMNS, KEY_COLUMNS } from './key-rotation.ts';

const ROTATED: IdentityKeys = {
  pseudonymKeys: [
    { version: 1, key: TEST_KEYS.pseudonymKey },
    { version: 2, key: Buffer.alloc(32, 11) },
  ],
  encryptionKeys: [
    { version: 1, key: TEST_KEYS.encryptionKey },
    { version: 2, key: Buffer.alloc(32, 13) },
  ],
};

/** Every pseudonym any row holds, as hex. */
async function allKeys(db: Kysely<DB>): Promise<Set<string>> {
  const parts = [
    ...KEY_COLUMNS.map(([table, column]) => sql`select ${sql.ref(column)} as k from ${sql.table(table)} where ${sql.ref(column)} is not null`),
    ...KEY_ARRAY_COLUMNS.map(([table, column]) => sql`select unnest(${sql.ref(column)}) as k from ${sql.table(table)}`),
  ];
  const rows = await sql<{ k: Uint8Array }>`${sql.join(parts, sql` union `)}`.execute(db);
  return new Set(rows.rows.map((row) => Buffer.from(row.k).toString('hex')));
}

const withoutBsn = (familyName: string) => ({
  ...adultSignal(),
  person: { identifiedBy: 'details' as const, name: { givenNames: 'Sam', familyName }, dateOfBirth: '1990-02-03', gender: 'female' as const },
});

describeOnEachDatabase(
  'key rotation',
  (database) => {
    let v1: TestApp;
    let v2: TestApp;
    let orgs: TestOrganisation[];
    before(async () => {
      v1 = await createTestApp(database());
      orgs = [await v1.organisation(), await v1.organisation(), await v1.organisation()];
    });
    after(async () => {
      await v1.close();
      await v2?.close();
    });

    test('every column with a pseudonym in it is re-keyed', async () => {
      const columns = await sql<{ table_name: string; column_name: string }>`
        select table_name, column_name from information_schema.columns
        where table_schema = current_schema() and udt_name in ('bytea', '_bytea')
          and (column_name like '%key' or column_name like '%keys') and table_name <> 'rekey_items'`.execute(database().db);
      const listed = new Set([...KEY_COLUMNS, ...KEY_ARRAY_COLUMNS].map(([table, column]) => `${table}.${column}`));
      assert.deepEqual(columns.rows.map((row) => `${row.table_name}.${row.column_name}`).sort(), [...listed].sort());
    });

    test('filing goes on during the re-keying, matches form across versions, and no old key is left', async () => {
      const db = database().db;
      const file = (app: TestApp, org: TestOrganisation, payload: object) =>
        app.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload });
      // Under version 1: 120 persons with a signal of the first organisation, one person without a BSN.
      const before = Array.from({ length: 120 }, () => randomBsn());
      for (const bsn of before) assert.equal((await file(v1, orgs[0]!, adultSignal(bsn))).statusCode, 201);
      assert.equal((await file(v1, orgs[0]!, withoutBsn('van der Berg'))).statusCode, 201);
      // What the register and the administrators stored, as version 1 pseudonyms of a parent and addresses.
      const crypto1 = v1.services.crypto;
      const child = Bsn.parse(before[0]!)!;
      const parent = Bsn.parse(randomBsn())!;
      await db
        .insertInto('person_register')
        .values({
          person_key: crypto1.personKey(child),
          state: 'verified',
          verified_at: new Date(),
          refreshed_at: new Date(),
          deceased_on: null,
          suspension: null,
          municipality_code: '0599',
          address_key: crypto1.addressKey('0599010000000001'),
          address_function: 'home',
          parent_keys: [crypto1.personKey(parent)],
        })
        .execute();
      await db
        .insertInto('excluded_addresses')
        .values({ address_key: crypto1.addressKey('0599010000000002'), label: null, created_at: new Date() })
        .execute();
      const oldKeys = await allKeys(db);

      // A process with version 2 starts: the rotation begins; nothing is re-keyed yet.
      v2 = await createTestApp(database(), { keys: ROTATED });
      const rotation = v2.services.keyRotation;
      assert.deepEqual(await rotation.begin(), { pseudonym: 'started', encryption: 'started' });
      assert.deepEqual(await rotation.begin(), { pseudonym: 'unchanged', encryption: 'unchanged' }, 'a second process starting changes nothing');

      // The sweep re-keys in small batches while the second organisation files on the same persons (and the one without a BSN)
      // and the third on new persons, all under version 2.
      // First one batch, one filing, in turn (so that on either engine filings meet persons not re-keyed yet), then at once.
      const fresh = Array.from({ length: 20 }, () => randomBsn());
      const inTurn = [];
      for (const bsn of before.slice(0, 20)) {
        assert.ok((await rotation.rekeyBatch(3)) > 0);
        inTurn.push(await file(v2, orgs[1]!, adultSignal(bsn)));
      }
      const sweep = (async () => {
        while ((await rotation.rekeyBatch(7)) > 0);
      })();
      const filings = Promise.all([
        ...before.slice(20, 60).map((bsn) => file(v2, orgs[1]!, adultSignal(bsn))),
        file(v2, orgs[1]!, withoutBsn('Vanderberg')),
        ...fresh.map((bsn) => file(v2, orgs[2]!, adultSignal(bsn))),
      ]);
      const [atOnce] = await Promise.all([filings, sweep]);
      const responses = [...inTurn, ...atOnce];
      for (const response of responses) assert.equal(response.statusCode, 201, response.body);
      assert.equal(responses.slice(0, 61).filter((r) => r.json().match !== null).length, 61, 'every filing on a person filed before found its match');
      assert.equal(responses.slice(61).filter((r) => r.json().match === null).length, 20, 'a new person has no match');
      // Filed after the re-keying: the rest of the persons filed before, and the new persons again.
      for (const bsn of before.slice(60, 70)) assert.notEqual((await file(v2, orgs[1]!, adultSignal(bsn))).json().match, null);
      for (const bsn of fresh.slice(0, 5)) assert.notEqual((await file(v2, orgs[0]!, adultSignal(bsn))).json().match, null);

      const counts = await sql<{ persons: number; matches: number }>`select (select count(*)::int from persons) as persons,
        (select count(*)::int from matches where status = 'open') as matches`.execute(db);
      assert.deepEqual(counts.rows[0], { persons: 141, matches: 76 }, 'one person per BSN: none was split over two versions');

      // No row holds a version 1 key; the parent and addresses are the version 2 keys of the same sources.
      const newKeys = await allKeys(db);
      assert.deepEqual(
        [...oldKeys].filter((key) => newKeys.has(key)),
        [],
      );
      const crypto2 = v2.services.crypto;
      const register = await db.selectFrom('person_register').selectAll().where('person_key', '=', crypto2.personKey(child)).executeTakeFirstOrThrow();
      assert.deepEqual(Buffer.from(register.address_key!), crypto2.addressKey('0599010000000001'));
      assert.deepEqual(
        register.parent_keys.map((key) => Buffer.from(key)),
        [crypto2.personKey(parent)],
      );
      const excluded = await db.selectFrom('excluded_addresses').select('address_key').executeTakeFirstOrThrow();
      assert.deepEqual(Buffer.from(excluded.address_key), crypto2.addressKey('0599010000000002'));
      // The audit trail still finds events about a person by their BSN.
      const subject = await db.selectFrom('audit_events').select('id').where('subject_key', '=', crypto2.personKey(child)).execute();
      assert.ok(subject.length >= 1);

      const [pseudonym] = await rotation.status();
      assert.deepEqual(
        { ...pseudonym, startedAt: undefined, finishedAt: undefined },
        {
          kind: 'pseudonym',
          version: 2,
          configured: 2,
          rotatingFrom: null,
          startedAt: undefined,
          finishedAt: undefined,
          remaining: 0,
        },
      );
      const audited = await db.selectFrom('audit_events').select(['event_type', 'details']).where('event_type', 'like', 'keys.%').orderBy('id').execute();
      assert.deepEqual(
        audited.map((row) => [row.event_type, (row.details as { keyKind: string }).keyKind]),
        [
          ['keys.rotation_started', 'pseudonym'],
          ['keys.rotation_started', 'encryption'],
          ['keys.rotation_finished', 'pseudonym'],
        ],
      );
    });

    test('the encryption key: every BSN copy is encrypted again, after which version 1 is not needed', async () => {
      const db = database().db;
      const rotation = v2.services.keyRotation;
      assert.ok((await db.selectFrom('persons').select('bsn_ciphertext').execute()).some((row) => row.bsn_ciphertext?.[0] === 1));
      for (let n = await rotation.reencryptBatch(50); n > 0; n = await rotation.reencryptBatch(50));
      const onlyV2 = createPersonCrypto({ pseudonymKeys: ROTATED.pseudonymKeys, encryptionKeys: [ROTATED.encryptionKeys[1]!] });
      const rows = await db.selectFrom('persons').select('bsn_ciphertext').where('bsn_ciphertext', 'is not', null).execute();
      assert.equal(rows.length, 140);
      for (const row of rows) assert.match(onlyV2.decrypt(row.bsn_ciphertext!), /^\d{9}$/);
      const encryption = (await rotation.status()).find((s) => s.kind === 'encryption')!;
      assert.equal(encryption.rotatingFrom, null);
      assert.equal(encryption.remaining, 0);
      // A process without version 2 of either key may no longer start.
      const stale = await createTestApp(database());
      await assert.rejects(stale.services.keyRotation.begin(), /pseudonym key version 2/);
      await stale.close();
    });
  },
  { poolSize: 16 },
);
