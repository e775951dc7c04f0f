/**
 * Address matching under concurrency, on both databases: 40 organisations filing at the same moment on
 * sixteen unrelated persons registered at one address (the RvIG's test address 0599010400010274) give
 * exactly one address match with all 40 signals; filings and endings at that address at once leave the
 * open address match holding exactly the active signals there. On PostgreSQL the requests really run
 * in parallel over a pool; the address lock (after the person and family locks) serialises the address
 * step. PGlite has one connection and runs them one by one.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, TEST_KEYS, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { switchableRegister } from '../test-support/register.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const ADDRESS = '0599010400010274';
/** Unrelated adults (born 1987-04-01, each with another family name) registered at ADDRESS. */
const RESIDENTS = [
  '999990767',
  '999995510',
  '999995522',
  '999995534',
  '999995571',
  '999995583',
  '999995595',
  '999995613',
  '999995625',
  '999995637',
  '999995649',
  '999995650',
  '999995662',
  '999995674',
  '999995686',
  '999995698',
];
const consent = { basis: 'consent', givenBy: 'person', givenOn: '2026-03-10' };

describeOnEachDatabase(
  'concurrent address matching',
  (database) => {
    let t: TestApp;
    let organisations: TestOrganisation[];
    before(async () => {
      t = await createTestApp(database(), { register: switchableRegister() });
      const settings = await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: { addressMatching: true } });
      assert.equal(settings.statusCode, 200, settings.body);
      organisations = [];
      for (let i = 0; i < 60; i++) organisations.push(await t.organisation());
    });
    after(() => t.close());

    const file = (org: TestOrganisation, i: number) =>
      t.app.inject({
        method: 'POST',
        url: '/api/v1/signals',
        headers: org.headers,
        payload: { person: { bsn: RESIDENTS[i % RESIDENTS.length] }, legalBasis: consent },
      });
    const openAtAddress = async () =>
      (
        await sql<{ id: string }>`select id from matches where kind = 'address' and status = 'open' and person_key = ${crypto.addressKey(ADDRESS)}`.execute(
          database().db,
        )
      ).rows;

    test('40 filings at one address at once give exactly one address match with all 40 signals', async () => {
      const responses = await Promise.all(organisations.slice(0, 40).map((o, i) => file(o, i)));
      assert.deepEqual(
        responses.map((r) => r.statusCode),
        Array(40).fill(201),
        responses.find((r) => r.statusCode !== 201)?.body,
      );
      const answers = responses.map((r) => r.json() as { signal: { id: string }; addressMatches: { id: string }[] });
      const shown = new Set(answers.flatMap((a) => a.addressMatches.map((m) => m.id)));
      assert.equal(shown.size, 1, 'every answer that shows an address match shows the same one');
      const open = await openAtAddress();
      assert.equal(open.length, 1);
      const participants = await sql<{ n: number }>`
        select count(*)::int as n from match_participants where match_id = ${open[0]!.id} and left_at is null`.execute(database().db);
      assert.equal(participants.rows[0]!.n, 40);
    });

    test('filings and endings at one address at once: the open address match holds exactly the active signals there', async () => {
      const signals = await sql<{ id: string; organisation_id: string }>`
        select s.id, s.organisation_id from signals s where s.status = 'active' order by s.filed_at, s.id limit 20`.execute(database().db);
      const work = [
        ...organisations.slice(40, 60).map((o, i) => file(o, i + 3)),
        ...signals.rows.map((s) => {
          const org = organisations.find((o) => o.id === s.organisation_id)!;
          return t.app.inject({ method: 'POST', url: `/api/v1/signals/${s.id}/end`, headers: org.headers, payload: { reason: 'care_ended' } });
        }),
      ];
      const responses = await Promise.all(work);
      assert.ok(
        responses.every((r) => r.statusCode === 200 || r.statusCode === 201),
        responses.find((r) => r.statusCode >= 300)?.body,
      );
      const open = await openAtAddress();
      assert.equal(open.length, 1, 'one open address match');
      const inMatch = await sql<{ id: string }>`
        select mp.signal_id as id from match_participants mp where mp.match_id = ${open[0]!.id} and mp.left_at is null order by mp.signal_id`.execute(
        database().db,
      );
      const active = await sql<{ id: string }>`select s.id from signals s where s.status = 'active' order by s.id`.execute(database().db);
      assert.deepEqual(
        inMatch.rows.map((r) => r.id),
        active.rows.map((r) => r.id),
        'every active signal at the address takes part, and no ended one',
      );
      assert.equal(active.rows.length, 40);
    });
  },
  { poolSize: 16 },
);
