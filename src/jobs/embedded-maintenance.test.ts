/** PGlite's nightly VACUUM (ANALYZE) from the lifetime sweep; PostgreSQL leaves it to autovacuum. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp } from '../test-support/fixtures.ts';
import { vacuumDue } from './embedded-maintenance.ts';

test('the vacuum is due once a night, from 03:00 Amsterdam time', () => {
  const at = (iso: string) => new Date(iso);
  // 10 March 2026 is winter time (UTC+1): 03:00 in Amsterdam is 02:00 UTC.
  assert.equal(vacuumDue(at('2026-03-10T01:59:00Z'), at('2026-03-09T09:00:00Z')), false, 'before 03:00');
  assert.equal(vacuumDue(at('2026-03-10T02:00:00Z'), at('2026-03-09T09:00:00Z')), true, 'at 03:00');
  assert.equal(vacuumDue(at('2026-03-10T21:00:00Z'), at('2026-03-09T09:00:00Z')), true, 'missed the night: later that day');
  assert.equal(vacuumDue(at('2026-03-10T21:00:00Z'), at('2026-03-10T02:00:00Z')), false, 'done tonight');
  assert.equal(vacuumDue(at('2026-03-10T21:00:00Z'), at('2026-03-10T08:00:00Z')), false, 'started after 03:00: waits for the next night');
  // Summer time (UTC+2): 03:00 is 01:00 UTC.
  assert.equal(vacuumDue(at('2026-07-01T01:00:00Z'), at('2026-06-30T12:00:00Z')), true);
  assert.equal(vacuumDue(at('2026-07-01T00:59:00Z'), at('2026-06-30T12:00:00Z')), false);
});

describeOnEachDatabase('nightly maintenance', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { start: '2026-03-10T09:00:00Z' });
  });
  after(() => t.close());

  const analysed = async () =>
    (await sql<{ reltuples: number }>`select reltuples::float8 as reltuples from pg_class where relname = 'web_sessions'`.execute(database().db)).rows[0]!
      .reltuples >= 0;

  test('the sweep vacuums PGlite after 03:00, once a night; PostgreSQL never from here', async () => {
    const engine = database().engine;
    assert.equal((await t.services.jobs.runOnce()).vacuumMilliseconds, undefined, 'not during the day of the start');
    t.clock.set('2026-03-11T01:30:00Z'); // 02:30 in Amsterdam
    assert.equal((await t.services.jobs.runOnce()).vacuumMilliseconds, undefined, 'not before 03:00');
    if (engine === 'pglite') assert.equal(await analysed(), false, 'an empty table never analysed yet');
    t.clock.set('2026-03-11T02:05:00Z'); // 03:05
    const night = await t.services.jobs.runOnce();
    if (engine === 'pglite') {
      assert.equal(typeof night.vacuumMilliseconds, 'number');
      assert.equal(await analysed(), true, 'ANALYZE ran: the planner knows the table');
    } else {
      assert.equal(night.vacuumMilliseconds, undefined);
    }
    t.clock.set('2026-03-11T10:00:00Z');
    assert.equal((await t.services.jobs.runOnce()).vacuumMilliseconds, undefined, 'once a night');
    t.clock.set('2026-03-12T02:30:00Z');
    assert.equal((await t.services.jobs.runOnce()).vacuumMilliseconds === undefined, engine !== 'pglite', 'the next night again');
  });
});
