/** Audit retention: the municipality's setting, the sweep that deletes older events, and the trigger that stops anything else. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { originalMessageOf } from '../db/errors.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp } from '../test-support/fixtures.ts';

/** The trigger's refusal: insufficient_privilege, with its own reason (the driver's message, read as only tests and migrations may). */
const appendOnlyRefusal = (error: unknown) => (error as { code?: string }).code === '42501' && /append-only/.test(originalMessageOf(error) ?? '');

const MONTH = 30.5 * 86_400_000;

describeOnEachDatabase('audit retention', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { start: '2026-03-10T09:00:00Z' });
  });
  after(() => t.close());

  const count = async () => Number((await sql<{ n: string }>`select count(*) as n from audit_events`.execute(database().db)).rows[0]!.n);
  const oldest = async () =>
    (await database().db.selectFrom('audit_events').select('occurred_at').orderBy('occurred_at').executeTakeFirstOrThrow()).occurred_at;

  test('nothing is deleted by default, and nothing but the sweep can delete, change or empty the table', async () => {
    assert.equal((await t.services.settings.current()).auditRetentionMonths, 0);
    const before = await count();
    assert.ok(before > 0, 'the test app made audit events');
    t.clock.advance(120 * MONTH);
    assert.equal((await t.services.jobs.runOnce()).purgedAuditEvents, 0);
    assert.equal(await count(), before);

    const db = database().db;
    await assert.rejects(db.deleteFrom('audit_events').execute(), appendOnlyRefusal);
    await assert.rejects(db.updateTable('audit_events').set({ outcome: 'denied' }).execute(), appendOnlyRefusal);
    await assert.rejects(sql`truncate audit_events`.execute(db), appendOnlyRefusal);
    // Even the sweep's own flag lets through only a DELETE.
    await assert.rejects(
      db.transaction().execute(async (trx) => {
        await sql`set local sluis.audit_purge = 'on'`.execute(trx);
        await trx.updateTable('audit_events').set({ outcome: 'denied' }).execute();
      }),
      appendOnlyRefusal,
    );
    assert.equal(await count(), before);
  });

  test('with a retention, the sweep deletes older events only, and records that it did', async () => {
    t.clock.set('2030-01-15T09:00:00Z');
    await t.services.settings.update(t.admin, { auditRetentionMonths: 12 });
    const recent = await database().db.selectFrom('audit_events').select('id').where('occurred_at', '>=', new Date('2029-01-15T09:00:00Z')).execute();
    const old = await database().db.selectFrom('audit_events').select('id').where('occurred_at', '<', new Date('2029-01-15T09:00:00Z')).execute();
    assert.ok(old.length > 0 && recent.length > 0);
    assert.ok((await oldest()) < new Date('2029-01-01'));

    const swept = await t.services.jobs.runOnce();
    assert.equal(swept.purgedAuditEvents, old.length);
    assert.ok((await oldest()) >= new Date('2029-01-15T09:00:00Z'), 'nothing older than 12 months is left');
    const kept = await database()
      .db.selectFrom('audit_events')
      .select('id')
      .where(
        'id',
        'in',
        recent.map((r) => r.id),
      )
      .execute();
    assert.equal(kept.length, recent.length, 'everything younger is kept');
    const purged = await database().db.selectFrom('audit_events').selectAll().where('event_type', '=', 'audit.purged').execute();
    assert.equal(purged.length, 1);
    assert.deepEqual(purged[0]!.details, { deleted: old.length, before: '2029-01-15T09:00:00.000Z', retentionMonths: 12 });
    assert.equal(purged[0]!.actor_type, 'system');

    assert.equal((await t.services.jobs.runOnce()).purgedAuditEvents, 0, 'a second sweep finds nothing more');
  });

  test('the setting is refused outside 0 to 1200 months, through the API', async () => {
    for (const value of [-1, 1201, 1.5]) {
      const response = await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: { auditRetentionMonths: value } });
      assert.equal(response.statusCode, 422, String(value));
    }
    const ok = await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: { auditRetentionMonths: 84 } });
    assert.equal(ok.statusCode, 200);
    assert.equal(ok.json().auditRetentionMonths, 84);
  });
});
