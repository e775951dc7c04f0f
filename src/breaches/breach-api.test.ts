/**
 * The data breach register through the API, on both databases: recorded, assessed, told to the AP
 * and the persons, the 72 hours shown (overdue plainly), the partners' coordinators mailed through
 * the outbox without the description or person data; everything audited; only administrators and
 * privacy officers reach it (each operation refused to the others).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';

const DESCRIPTION = 'Een laptop met een geopende sessie van SluiS is in de trein blijven liggen.';

describeOnEachDatabase('data breach register API', (database) => {
  let t: TestApp;
  let privacy: Record<string, string>;
  let officer: Record<string, string>;
  let partner: TestOrganisation;
  let other: TestOrganisation;
  let coordinatorEmail: string;
  before(async () => {
    t = await createTestApp(database());
    const p = await t.services.staff.create(t.admin, { name: 'Privacy', email: `p-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
    privacy = { authorization: `Bearer ${p.token}` };
    const o = await t.services.staff.create(t.admin, { name: 'Functionaris', email: `f-${randomUUID()}@gemeente.example`, roles: ['escalation_officer'] });
    officer = { authorization: `Bearer ${o.token}` };
    partner = await t.organisation();
    other = await t.organisation();
    coordinatorEmail = `coordinator-${randomUUID()}@example.nl`;
    await t.services.professionals.create(t.admin, partner.id, {
      name: 'Coördinator Partner',
      email: coordinatorEmail,
      phone: '010 000 0002',
      coordinator: true,
    });
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) });
  const breach = {
    category: 'lost_device',
    description: DESCRIPTION,
    occurredOn: '2026-03-09',
    discoveredAt: '2026-03-10T08:00:00Z',
    dataCategories: ['signal', 'identifying'],
    personsMin: 10,
    personsMax: 50,
  };

  test('recorded by a privacy officer, read by the administrator, the 72 hours counted from discovery; overdue when passed', async () => {
    const created = await call('POST', '/data-breaches', privacy, breach);
    assert.equal(created.statusCode, 201, created.body);
    const view = created.json();
    assert.equal(view.apDeadline, '2026-03-13T08:00:00.000Z');
    assert.deepEqual(view.apStanding, { state: 'open', hoursLeft: 71 });
    assert.deepEqual(view.dataCategories, ['identifying', 'signal'], 'in the fixed order');
    assert.equal(view.recordedByName, 'Privacy');

    const list = await call('GET', '/data-breaches', t.adminHeaders);
    assert.equal(list.statusCode, 200);
    assert.ok(list.json().some((b: { id: string }) => b.id === view.id));

    t.clock.advance(80 * 3_600_000);
    const late = (await call('GET', `/data-breaches/${view.id}`, t.adminHeaders)).json();
    assert.deepEqual(late.apStanding, { state: 'overdue', hoursOver: 9 });

    const assessed = await call('PATCH', `/data-breaches/${view.id}`, privacy, {
      assessment: { apRequired: true, reasons: 'Identificerende gegevens van veel personen, niet versleuteld.' },
      apNotice: { notifiedOn: '2026-03-13', reference: 'AP-123' },
      persons: { informed: false, reasons: 'Eerst nagaan om wie het gaat.' },
    });
    assert.equal(assessed.statusCode, 200, assessed.body);
    assert.deepEqual(assessed.json().apStanding, { state: 'notified', late: false });
    assert.equal(assessed.json().personsInformed, false);

    const events = (
      await sql<{ event_type: string; details: Record<string, unknown> }>`select event_type, details from audit_events
        where resource_id = ${view.id} order by id`.execute(database().db)
    ).rows;
    assert.deepEqual(
      events.map((e) => e.event_type),
      ['breach.recorded', 'breach.read', 'breach.changed', 'breach.changed', 'breach.changed'],
    );
    assert.ok(!JSON.stringify(events).includes('laptop'), 'the description stays out of the audit trail');
  });

  test('wrong input is refused with every error at once', async () => {
    const wrong = await call('POST', '/data-breaches', t.adminHeaders, {
      ...breach,
      occurredOn: '2099-02-01',
      discoveredAt: '2099-01-01T00:00:00Z',
      personsMin: 20,
      personsMax: 5,
    });
    assert.equal(wrong.statusCode, 422, wrong.body);
    const names = wrong
      .json()
      .invalidParams.map((p: { name: string }) => p.name)
      .sort();
    assert.deepEqual(names, ['discoveredAt', 'occurredOn', 'personsMax']);
  });

  test("the partners' coordinators are mailed through the outbox, without the description; the notice is recorded per organisation", async () => {
    const created = (await call('POST', '/data-breaches', t.adminHeaders, { ...breach, discoveredAt: t.clock.now().toISOString(), occurredOn: null })).json();
    const noticed = await call('POST', `/data-breaches/${created.id}/notices`, t.adminHeaders, { organisationIds: [partner.id, other.id] });
    assert.equal(noticed.statusCode, 200, noticed.body);
    const notices = noticed.json().notices as { organisationId: string; recipients: number }[];
    assert.deepEqual(notices.map((n) => [n.organisationId === partner.id ? 'partner' : 'other', n.recipients]).sort(), [
      ['other', 0],
      ['partner', 1],
    ]);
    await t.services.dispatcher.dispatchBatch();
    const mails = (
      await sql<{
        message: { to: string; subject: string; text: string };
      }>`select message from deliveries where event_type = 'breach.partners_notified'`.execute(database().db)
    ).rows.map((r) => r.message);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.to, coordinatorEmail);
    assert.match(mails[0]!.subject, /datalek/);
    assert.match(mails[0]!.text, /Apparaat of gegevensdrager kwijt of gestolen/);
    assert.ok(!mails[0]!.text.includes('laptop'), 'no description in the mail');
    const feed = await sql<{ n: number }>`select count(*)::int as n from organisation_events where event_type = 'breach.partners_notified'`.execute(
      database().db,
    );
    assert.equal(feed.rows[0]!.n, 0, 'no feed event for record systems');

    const unknown = await call('POST', `/data-breaches/${created.id}/notices`, t.adminHeaders, { organisationIds: [randomUUID()] });
    assert.equal(unknown.statusCode, 422);
    const all = await call('POST', `/data-breaches/${created.id}/notices`, privacy, { organisationIds: 'all' });
    assert.equal(all.statusCode, 200);
    assert.ok(all.json().notices.length >= 4);
    const audited = await sql<{
      n: number;
    }>`select count(*)::int as n from audit_events where event_type = 'breach.partners_notified' and resource_id = ${created.id}`.execute(database().db);
    assert.equal(audited.rows[0]!.n, all.json().notices.length);
  });

  test('each operation is refused to an escalation officer, a record system and a professional', async () => {
    const id = (await call('POST', '/data-breaches', t.adminHeaders, { ...breach, discoveredAt: t.clock.now().toISOString() })).json().id;
    const operations: ['GET' | 'POST' | 'PATCH', string, object?][] = [
      ['GET', '/data-breaches'],
      ['POST', '/data-breaches', breach],
      ['GET', `/data-breaches/${id}`],
      ['PATCH', `/data-breaches/${id}`, { assessment: { apRequired: false, reasons: 'x' } }],
      ['POST', `/data-breaches/${id}/notices`, { organisationIds: 'all' }],
    ];
    for (const [method, url, body] of operations) {
      for (const [who, headers] of [
        ['escalation officer', officer],
        ['record system', { authorization: partner.headers.authorization! }],
        ['professional', partner.headers],
      ] as const) {
        const response = await call(method, url, headers, body);
        assert.equal(response.statusCode, 403, `${method} ${url} by ${who}: ${response.body}`);
      }
    }
    const view = (await call('GET', `/data-breaches/${id}`, t.adminHeaders)).json();
    assert.equal(view.apRequired, null, 'nothing changed');
    assert.deepEqual(view.notices, []);
  });
});
