/**
 * Reading the audit trail: names for the ids in one query per page, a catalogue of detail keys the
 * audit log holds every writer to, and the export (recorded before it hands out a row, complete
 * across its chunks). On both databases, through the service and the API.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { type KyselyPlugin, sql } from 'kysely';
import { Bsn } from '../persons/bsn.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { createCursors } from '../shared/paging.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { AUDIT_DETAIL_KEYS } from './audit-catalogue.ts';
import { createAuditLog } from './audit-log.ts';
import { type AuditEventView, createAuditService, EXPORT_CHUNK } from './audit-service.ts';

const actorOf = (o: TestOrganisation): ProfessionalActor => ({
  kind: 'professional',
  professionalId: o.professionalId,
  organisationId: o.id,
  apiClientId: null,
  requestId: 'test',
});

/** Counts the statements sent to the database. */
function statementCounter() {
  let count = 0;
  const plugin: KyselyPlugin = {
    transformQuery: (args) => args.node,
    // Counted per result: once per statement sent, however many query builders (a subquery) made it.
    transformResult: async (args) => {
      count++;
      return args.result;
    },
  };
  const reset = () => {
    count = 0;
  };
  return { plugin, count: () => count, reset };
}

describeOnEachDatabase('reading the audit trail', (database) => {
  let t: TestApp;
  let wijkteam: TestOrganisation;
  let school: TestOrganisation;
  before(async () => {
    t = await createTestApp(database());
    wijkteam = await t.organisation('Wijkteam Noord');
    school = await t.organisation('De Regenboog');
  });
  after(() => t.close());

  test('every id of a page gets its name in one query, however many rows the page has', async () => {
    const bsn = randomBsn();
    await t.services.signals.file(actorOf(wijkteam), adultSignal(bsn));
    await t.services.signals.file(actorOf(school), adultSignal(bsn));
    await t.services.professionals.update(t.admin, school.professionalId, { jobTitle: 'Intern begeleider' });

    const counter = statementCounter();
    const service = createAuditService({
      db: t.services.db.withPlugin(counter.plugin),
      clock: t.clock,
      audit: createAuditLog(),
      cursors: createCursors(Buffer.alloc(32, 1)),
    });
    const statements = async (limit: number) => {
      counter.reset();
      const page = await service.list(t.admin, { limit });
      return { count: counter.count(), page };
    };
    const small = await statements(2);
    const large = await statements(40);
    assert.ok(large.page.items.length > 10, String(large.page.items.length));
    assert.equal(small.count, 4, 'the events, their count, the audit record, the names');
    assert.equal(large.count, small.count, 'the number of statements does not grow with the rows');

    const byType = (type: string) => large.page.items.find((e) => e.eventType === type)!;
    const filed = large.page.items.find((e) => e.eventType === 'signal.created' && e.organisationId === school.id)!;
    assert.equal(filed.actorName, `Professional of De Regenboog`);
    assert.deepEqual(filed.names[school.professionalId], { kind: 'professional', name: 'Professional of De Regenboog', organisationName: 'De Regenboog' });
    assert.deepEqual(filed.names[filed.resourceId!], { kind: 'signal', name: 'Professional of De Regenboog', organisationName: 'De Regenboog' });
    assert.equal(filed.names[filed.details.matchId as string], undefined, 'a match has no name');
    const key = Buffer.from(t.services.crypto.personKey(Bsn.parse(bsn)!)).toString('hex');
    assert.equal(filed.subject, key.slice(0, 16));
    const updated = byType('professional.updated');
    assert.equal(updated.names[updated.resourceId!]!.name, 'Professional of De Regenboog');
    assert.equal(updated.names[t.admin.staffMemberId]!.kind, 'staff_member');
    assert.equal(updated.actorName, 'Test Beheerder');
    const client = large.page.items.find((e) => e.eventType === 'api_client.created' && e.resourceId)!;
    assert.deepEqual(client.names[client.resourceId!]!.kind, 'api_client');
  });

  test('the API gives the names too, and refuses the trail to staff who do not administer', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events?eventType=signal.created&limit=5', headers: t.adminHeaders });
    assert.equal(response.statusCode, 200);
    const item = (response.json().items as AuditEventView[]).find((e) => e.organisationId === wijkteam.id)!;
    assert.equal(item.names[wijkteam.professionalId]!.name, 'Professional of Wijkteam Noord');
    assert.equal(item.names[wijkteam.id]!.kind, 'organisation');

    const officer: StaffActor = { ...t.admin, roles: ['escalation_officer'] };
    await assert.rejects(t.services.auditTrail.list(officer, { limit: 5 }), (e: { status?: number }) => e.status === 403);
    await assert.rejects(t.services.auditTrail.export(officer, {}), (e: { status?: number }) => e.status === 403);
    const professional = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events', headers: wijkteam.headers });
    assert.equal(professional.statusCode, 403);
  });

  test('the audit log refuses a detail key or a resource type outside the catalogue, and writes nothing', async () => {
    const count = async () => Number((await sql<{ n: string }>`select count(*) as n from audit_events`.execute(database().db)).rows[0]!.n);
    const before = await count();
    const log = createAuditLog();
    const actor = { kind: 'system' as const, requestId: 'test' };
    await assert.rejects(
      log.record(database().db, t.clock.now(), [
        { type: 'settings.updated', actor },
        { type: 'settings.updated', actor, details: { ...({ surname: 'Jansen' } as object) } },
      ]),
      /"surname" of settings.updated is not in AUDIT_DETAIL_KEYS/,
    );
    await assert.rejects(
      log.record(database().db, t.clock.now(), { type: 'signal.read', actor, resource: { type: 'person' as 'signal', id: wijkteam.id } }),
      /resource type "person"/,
    );
    assert.equal(await count(), before);
  });

  test('every detail key the app wrote (the services and the database function) is in the catalogue', async () => {
    const { rows } = await sql<{ key: string }>`select distinct jsonb_object_keys(details) as key from audit_events`.execute(database().db);
    const keys = rows.map((r) => r.key);
    assert.ok(keys.includes('matchId') && keys.includes('match') && keys.includes('changed'), 'the flows above wrote details');
    for (const key of keys) assert.ok((AUDIT_DETAIL_KEYS as readonly string[]).includes(key), key);
  });

  test('an export is recorded before its first row, with its filter, and holds every event of the filter across chunks', async () => {
    const other = await t.organisation();
    const many = EXPORT_CHUNK * 2 + 7;
    await sql`
      insert into audit_events (occurred_at, event_type, outcome, actor_type, organisation_id, details)
      select ${t.clock.now()}, 'auth.denied', 'denied', 'anonymous', ${other.id}, '{"reason":"unknown_key"}'::jsonb from generate_series(1, ${many})
    `.execute(database().db);
    const before = await database().db.selectFrom('audit_events').select(sql<number>`max(id)`.as('max')).executeTakeFirstOrThrow();

    const chunks = await t.services.auditTrail.export(t.admin, { organisationId: other.id, outcome: 'denied', from: '2026-03-01T00:00:00.000Z' });
    const recorded = await database()
      .db.selectFrom('audit_events')
      .selectAll()
      .where('event_type', '=', 'audit.exported')
      .where('id', '>', Number(before.max))
      .execute();
    assert.equal(recorded.length, 1, 'recorded before anything was read');
    assert.deepEqual(recorded[0]!.details, { organisation: other.id, outcome: 'denied', from: '2026-03-01T00:00:00.000Z' });
    assert.equal(recorded[0]!.actor_id, t.admin.staffMemberId);

    const ids: number[] = [];
    let sizes = 0;
    for await (const chunk of chunks) {
      sizes++;
      for (const event of chunk) {
        assert.equal(event.organisationId, other.id);
        assert.equal(event.outcome, 'denied');
        ids.push(event.id);
      }
    }
    assert.equal(sizes, 3);
    assert.equal(ids.length, many);
    assert.equal(new Set(ids).size, many, 'no event twice');
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => b - a),
      'newest first',
    );
  });
});
