/** The lifetime rules over years, with the clock moved ahead: expiry, history, purge; the youth regime. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, childSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';

const YEAR = 365 * 24 * 3600 * 1000;
const DAY = 24 * 3600 * 1000;

describeOnEachDatabase('lifetime of signals', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { start: '2026-03-10T09:00:00Z' });
  });
  after(() => t.close());

  const file = (headers: Record<string, string>, body: unknown) => {
    t.clock.advance(1000);
    return t.app.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: body as object });
  };
  const today = () => t.clock.now().toISOString().slice(0, 10);
  const personCount = async (signalIds: string[]) =>
    (await sql<{ n: number }>`select count(distinct person_key)::int as n from signals where id = any(${signalIds}::uuid[])`.execute(database().db)).rows[0]!.n;

  test('signals expire after 2 years, stay visible as history for 5 more, then are purged for good', async () => {
    t.clock.set('2026-03-10T09:00:00Z');
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = (await file(a.headers, adultSignal(bsn, today()))).json();
    const second = (await file(b.headers, adultSignal(bsn, today()))).json();
    assert.ok(second.match);

    // Two years and a day later both signals have expired and the match is closed.
    t.clock.advance(2 * YEAR + DAY);
    const swept = await t.services.jobs.runOnce();
    assert.ok(swept.expired >= 2);
    const rows = await database()
      .db.selectFrom('signals')
      .select(['id', 'status', 'end_reason', 'ended_at', 'retain_until'])
      .where('id', 'in', [first.signal.id, second.signal.id])
      .orderBy('filed_at')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.status, r.end_reason]),
      [
        ['expired', 'expired'],
        ['expired', 'expired'],
      ],
    );
    assert.equal(rows[0]!.ended_at!.toISOString(), first.signal.activeUntil);
    assert.equal(first.signal.activeUntil, '2028-03-10T09:00:01.000Z');
    assert.equal(rows[0]!.retain_until!.toISOString(), '2033-03-10T09:00:01.000Z');
    const match = await database().db.selectFrom('matches').select(['status']).where('id', '=', second.match.id).executeTakeFirstOrThrow();
    assert.equal(match.status, 'closed');
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/matches/${second.match.id}`, headers: a.headers })).statusCode, 404);
    const ended = await database()
      .db.selectFrom('outbox')
      .select(['event_type', 'recipient_professional_id'])
      .where('event_type', '=', 'signal.ended')
      .where('recipient_professional_id', 'in', [a.professionalId, b.professionalId])
      .execute();
    assert.equal(ended.length, 2);

    // A newcomer sees no match, but the history of who was involved and when.
    const third = (await file(c.headers, adultSignal(bsn, today()))).json();
    assert.equal(third.match, null);
    assert.deepEqual(
      third.history.map((h: { organisationName: string }) => h.organisationName),
      [b.name, a.name],
    );
    assert.deepEqual(third.history[1].from, first.signal.filedAt);

    // Seven years after filing, the first two are gone for good; the person stays for the third.
    t.clock.set('2033-03-10T09:00:05Z'); // 2 years active + 5 years history, to the second
    const purged = await t.services.jobs.runOnce();
    assert.ok(purged.purgedSignals >= 2);
    assert.equal((await database().db.selectFrom('signals').select('id').where('id', 'in', [first.signal.id, second.signal.id]).execute()).length, 0);
    assert.equal(await personCount([third.signal.id]), 1);
    assert.equal((await database().db.selectFrom('matches').select('id').where('id', '=', second.match.id).execute()).length, 0, 'the empty match is gone');
    const audit = await database()
      .db.selectFrom('audit_events')
      .select(['event_type', 'actor_type'])
      .where('resource_id', '=', first.signal.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((e) => e.event_type),
      ['signal.created', 'signal.expired', 'signal.purged'],
    );
    assert.equal(audit[2]!.actor_type, 'system');

    // And when the third has also outlived its retention, the person record goes too.
    t.clock.advance(3 * YEAR);
    const last = await t.services.jobs.runOnce();
    assert.ok(last.purgedPersons >= 1);
    const left = await database()
      .db.selectFrom('persons')
      .select('person_key')
      .where('person_key', 'in', (eb) => eb.selectFrom('audit_events').select('subject_key').where('resource_id', '=', third.signal.id))
      .execute();
    assert.equal(left.length, 0);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/signals/${third.signal.id}`, headers: c.headers })).statusCode, 404);
  });

  test('an ended signal is kept as history for the retention period from the day it ended', async () => {
    t.clock.set('2040-01-01T10:00:00Z');
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const filed = (await file(a.headers, adultSignal(bsn, today()))).json();
    t.clock.advance(30 * DAY);
    const ended = await t.app.inject({ method: 'POST', url: `/api/v1/signals/${filed.signal.id}/end`, headers: a.headers, payload: { reason: 'moved' } });
    assert.equal(ended.statusCode, 200);
    t.clock.set('2045-01-30T10:00:00Z'); // ended 2040-01-31: kept until 2045-01-31
    await t.services.jobs.runOnce();
    assert.equal((await file(b.headers, adultSignal(bsn, today()))).json().history.length, 1, 'still history just before 5 years');
    t.clock.set('2045-01-31T10:00:02Z');
    await t.services.jobs.runOnce();
    const other = await t.organisation();
    assert.equal((await file(other.headers, adultSignal(bsn, today()))).json().history.length, 0, 'purged after 5 years');
  });

  test('under the youth regime persons must be under 23 and every signal ends at the 23rd birthday', async () => {
    t.clock.set('2030-06-15T08:00:00Z');
    await t.services.settings.update(t.admin, { regime: 'youth' });
    try {
      const a = await t.organisation();
      const adult = await file(a.headers, adultSignal(randomBsn(), today()));
      assert.equal(adult.statusCode, 422);
      assert.deepEqual(
        adult.json().invalidParams.map((p: { code: string }) => p.code),
        ['outside_youth_regime'],
      );

      // Born 2008-01-20: 22 now, 23 on 2031-01-20, which starts at 2031-01-19T23:00:00Z in Amsterdam (CET).
      const young = {
        ...childSignal(randomBsn(), '2008-01-20', today()),
        legalBasis: { basis: 'informed' as const, informed: ['person' as const], informedOn: today() },
      };
      const filed = await file(a.headers, young);
      assert.equal(filed.statusCode, 201, filed.body);
      assert.equal(filed.json().signal.activeUntil, '2031-01-19T23:00:00.000Z');

      t.clock.set('2031-01-19T22:59:59Z');
      await t.services.jobs.runOnce();
      assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: a.headers })).json().status, 'active');
      t.clock.set('2031-01-19T23:00:00Z');
      await t.services.jobs.runOnce();
      const read = (await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: a.headers })).json();
      assert.deepEqual([read.status, read.endReason], ['expired', 'age_limit']);
    } finally {
      await t.services.settings.update(t.admin, { regime: 'all_ages' });
    }
  });

  test('the sweep can run twice at once without doing anything twice', async () => {
    t.clock.set('2050-01-01T10:00:00Z');
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = (await file(a.headers, adultSignal(bsn, today()))).json();
    const second = (await file(b.headers, adultSignal(bsn, today()))).json();
    t.clock.advance(3 * YEAR);
    await Promise.all([t.services.jobs.runOnce(), t.services.jobs.runOnce()]);
    const events = await database()
      .db.selectFrom('audit_events')
      .select(['event_type', 'resource_id'])
      .where('resource_id', 'in', [first.signal.id, second.signal.id, second.match.id])
      .where('event_type', 'in', ['signal.expired', 'match.closed'])
      .execute();
    assert.deepEqual(events.map((e) => e.event_type).sort(), ['match.closed', 'signal.expired', 'signal.expired']);
    const outbox = await sql<{
      n: number;
    }>`select count(*)::int as n from outbox where event_type = 'signal.ended' and payload->>'signalId' in (${first.signal.id}, ${second.signal.id})`.execute(
      database().db,
    );
    assert.equal(outbox.rows[0]!.n, 2);
  });
});
