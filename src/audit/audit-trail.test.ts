/** The audit trail is append-only, with a closed catalogue of event types, on both databases. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { originalMessageOf } from '../db/errors.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { AUDIT_EVENT_TYPES } from './audit-catalogue.ts';
import { createAuditLog } from './audit-log.ts';

/** The trigger's refusal: insufficient_privilege, with its own reason (the driver's message, read as only tests and migrations may). */
const appendOnlyRefusal = (error: unknown) => (error as { code?: string }).code === '42501' && /append-only/.test(originalMessageOf(error) ?? '');

describeOnEachDatabase('audit trail', (database) => {
  const at = new Date('2026-05-01T12:00:00Z');
  const actor = { kind: 'system' as const, requestId: 'req-1' };

  test('the catalogue in the code is the catalogue in the database', async () => {
    const rows = await database().db.selectFrom('audit_event_types').select('event_type').orderBy('event_type').execute();
    assert.deepEqual(
      rows.map((r) => r.event_type),
      [...AUDIT_EVENT_TYPES].sort(),
    );
  });

  test('an event type outside the catalogue is refused', async () => {
    await assert.rejects(
      database()
        .db.insertInto('audit_events')
        .values({ occurred_at: at, event_type: 'signal.peeked', outcome: 'success', actor_type: 'system', details: '{}' })
        .execute(),
      (error: { code?: string }) => error.code === '23503',
    );
  });

  test('the database refuses to update, delete or truncate audit events', async () => {
    await createAuditLog().record(database().db, at, { type: 'settings.updated', actor });
    const before = await sql<{ n: number }>`select count(*)::int as n from audit_events`.execute(database().db);
    for (const statement of [sql`update audit_events set outcome = 'denied'`, sql`delete from audit_events`, sql`truncate audit_events`]) {
      await assert.rejects(statement.execute(database().db), appendOnlyRefusal);
    }
    const afterwards = await sql<{
      n: number;
      denied: number;
    }>`select count(*)::int as n, count(*) filter (where outcome = 'denied')::int as denied from audit_events`.execute(database().db);
    assert.equal(afterwards.rows[0]!.n, before.rows[0]!.n);
    assert.equal(afterwards.rows[0]!.denied, 0);
  });
});
