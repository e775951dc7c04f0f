/**
 * The processing register and the Logboek Dataverwerkingen export through the API, on both
 * databases: the register with retention from the settings; the export of a period as NDJSON in the
 * standard's fields, the subject as the full pseudonym in hex, never a BSN; audited; refused to
 * everyone but administrators and privacy officers.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';

describeOnEachDatabase('processing register and Logboek export API', (database) => {
  let t: TestApp;
  let privacy: Record<string, string>;
  let officer: Record<string, string>;
  let organisation: TestOrganisation;
  const bsn = randomBsn();
  before(async () => {
    t = await createTestApp(database());
    privacy = {
      authorization: `Bearer ${(await t.services.staff.create(t.admin, { name: 'P', email: `p-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] })).token}`,
    };
    officer = {
      authorization: `Bearer ${(await t.services.staff.create(t.admin, { name: 'F', email: `f-${randomUUID()}@gemeente.example`, roles: ['escalation_officer'] })).token}`,
    };
    organisation = await t.organisation();
    const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: organisation.headers, payload: adultSignal(bsn) });
    assert.equal(filed.statusCode, 201, filed.body);
  });
  after(() => t.close());

  test('the register: every activity with its fields, retention from the settings, audited', async () => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/processing-activities', headers: privacy });
    assert.equal(response.statusCode, 200, response.body);
    const list = response.json() as { id: string; retention: string }[];
    assert.ok(list.some((a) => a.id === 'filing' && /2 jaar/.test(a.retention)));
    assert.ok(list.some((a) => a.id === 'case_consultation'));
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit_events where event_type = 'processing_register.read'`.execute(database().db);
    assert.equal(audited.rows[0]!.n, 1);
  });

  test('the Logboek export: NDJSON in the standard fields, the subject as the pseudonym in hex, no BSN; the export audited', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-events/logbook?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z',
      headers: t.adminHeaders,
    });
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /application\/x-ndjson/);
    assert.ok(!response.body.includes(bsn), 'no BSN');
    const records = response.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    const created = records.find((r) => r.name === 'signal.created');
    assert.ok(created, 'the filing is in it');
    assert.match(created.trace_id, /^[0-9a-f]{32}$/);
    assert.match(created.span_id, /^[0-9a-f]{16}$/);
    assert.equal(created.status_code, 'STATUS_CODE_OK');
    assert.equal(created.start_time, created.end_time);
    assert.equal(created.attributes['dpl.core.processing_activity_id'], 'https://sluis.test/api/v1/processing-activities#filing');
    const key = t.services.crypto.personKey((await import('../persons/bsn.ts')).Bsn.parse(bsn)!);
    assert.equal(created.attributes['dpl.core.data_subject_id'], Buffer.from(key).toString('hex'));
    const exported = await sql<{ details: Record<string, string> }>`select details from audit_events where event_type = 'audit.exported'`.execute(
      database().db,
    );
    assert.deepEqual(exported.rows.at(-1)!.details, { format: 'logboek', from: '2026-03-01T00:00:00Z', to: '2026-04-01T00:00:00Z' });
    const empty = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-events/logbook?from=2020-01-01T00:00:00Z&to=2020-02-01T00:00:00Z',
      headers: privacy,
    });
    assert.equal(empty.statusCode, 200);
    assert.equal(empty.body, '');
  });

  test('both refused to an escalation officer, a record system and a professional', async () => {
    for (const url of ['/api/v1/processing-activities', '/api/v1/audit-events/logbook?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z'])
      for (const headers of [officer, { authorization: organisation.headers.authorization! }, organisation.headers]) {
        const response = await t.app.inject({ method: 'GET', url, headers });
        assert.equal(response.statusCode, 403, `${url}: ${response.body}`);
      }
  });
});
