/**
 * The start page's "Nieuw" marker is product state (match_seen), not the audit trail: purging old
 * audit events under auditRetentionMonths leaves an opened match opened. On both databases.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';
import { signInByInject, type WebAccount, webProfessional } from '../test-support/web.ts';

const MONTH = 30.5 * 86_400_000;
const NEW_BADGE = /sluis-badge--new">Nieuw/;

describeOnEachDatabase('the "Nieuw" marker of a match', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { start: '2026-03-10T09:00:00Z' });
  });
  after(() => t.close());

  const file = (headers: Record<string, string>, bsn: string) => t.app.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: adultSignal(bsn) });
  /** The start page, signed in afresh (a session does not outlive months of test clock). */
  const startPage = async (account: WebAccount) => (await (await signInByInject(t, account)).get('/')).body;
  const matchReads = async (matchId: string) =>
    (
      await database()
        .db.selectFrom('audit_events')
        .select('id')
        .where('event_type', '=', 'match.read')
        .where('resource_id', '=', matchId)
        .where('outcome', '=', 'success')
        .execute()
    ).length;

  test('survives the purge of the read events by the audit retention sweep', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const account = await webProfessional(t, a);
    const bsn = randomBsn();
    assert.equal((await file(a.headers, bsn)).statusCode, 201);
    t.clock.advance(60_000);
    const matchId = (await file(b.headers, bsn)).json().match.id as string;

    t.clock.advance(60_000);
    const before = await startPage(account);
    assert.ok(before.includes(`href="/matches/${matchId}"`), 'the new match is on the start page');
    assert.match(before, NEW_BADGE);

    const session = await signInByInject(t, account);
    assert.equal((await session.get(`/matches/${matchId}`)).statusCode, 200);
    assert.doesNotMatch(await startPage(account), NEW_BADGE, 'opened, so no longer new');
    assert.equal(await matchReads(matchId), 1);

    // Three months on, with a retention of one month: the sweep deletes the read events.
    t.clock.advance(3 * MONTH);
    await t.services.settings.update(t.admin, { auditRetentionMonths: 1 });
    assert.ok((await t.services.jobs.runOnce()).purgedAuditEvents > 0);
    assert.equal(await matchReads(matchId), 0, 'the audit trail no longer holds the read');

    const after = await startPage(account);
    assert.doesNotMatch(after, NEW_BADGE, 'still seen after the purge');
    assert.doesNotMatch(after, /Nieuwe matches/);

    // And a newcomer still makes it new again.
    const c = await t.organisation();
    t.clock.advance(60_000);
    assert.equal((await file(c.headers, bsn)).statusCode, 201);
    t.clock.advance(60_000);
    const joined = await startPage(account);
    assert.ok(joined.includes(`href="/matches/${matchId}"`));
    assert.match(joined, NEW_BADGE);
  });

  test('a match read through the API counts as seen, a refused read does not', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const account = await webProfessional(t, a);
    const bsn = randomBsn();
    await file(a.headers, bsn);
    t.clock.advance(60_000);
    const matchId = (await file(b.headers, bsn)).json().match.id as string;
    const outsider = await t.organisation();
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/matches/${matchId}`, headers: outsider.headers })).statusCode, 404);
    t.clock.advance(60_000);
    assert.match(await startPage(account), NEW_BADGE);
    const seenRows = () => database().db.selectFrom('match_seen').select('professional_id').where('match_id', '=', matchId).execute();
    assert.deepEqual(await seenRows(), [], 'a refused read records nothing');

    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/matches/${matchId}`, headers: a.headers })).statusCode, 200);
    assert.doesNotMatch(await startPage(account), NEW_BADGE);
    assert.deepEqual(await seenRows(), [{ professional_id: a.professionalId }]);
  });

  test('the upgrade (migration 0011) takes the latest read of each match by each professional from the audit trail', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    await file(a.headers, bsn);
    t.clock.advance(60_000);
    const matchId = (await file(b.headers, bsn)).json().match.id as string;
    for (const headers of [a.headers, b.headers, a.headers]) {
      t.clock.advance(60_000);
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/matches/${matchId}`, headers })).statusCode, 200);
    }
    const seen = () =>
      database().db.selectFrom('match_seen').select(['professional_id', 'seen_at']).where('match_id', '=', matchId).orderBy('seen_at').execute();
    const written = await seen();
    assert.deepEqual(
      written.map((row) => row.professional_id),
      [b.professionalId, a.professionalId],
    );

    // As before the upgrade: no rows, only the audit trail; then the migration's backfill.
    const migration = readFileSync(new URL('../db/migrations/0011_match_seen.sql', import.meta.url), 'utf8');
    const backfill = /^insert into match_seen[\s\S]*?;$/m.exec(migration)?.[0] ?? assert.fail('no backfill statement in 0011');
    await database()
      .db.transaction()
      .execute(async (trx) => {
        await trx.deleteFrom('match_seen').execute();
        await sql.raw(backfill).execute(trx);
      });
    assert.deepEqual(await seen(), written);
  });
});
