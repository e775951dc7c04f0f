/**
 * The register of rights requests through the API, on both databases: only administrators and
 * privacy officers reach it; the age rule, the deadline and its one extension (with the injectable
 * clock), the decision and letter, closing and the purge after the retention period; a professional
 * passes a request on from their own signal; the deadline mail to the privacy officers; every step
 * audited under the person key, and no BSN in any answer.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { Bsn } from '../persons/bsn.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';

describeOnEachDatabase('rights requests (API)', (database) => {
  let t: TestApp;
  let privacy: Record<string, string>;
  let officer: Record<string, string>;
  before(async () => {
    t = await createTestApp(database());
    const member = await t.services.staff.create(t.admin, { name: 'Privacy', email: `pf-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
    privacy = { authorization: `Bearer ${member.token}` };
    const escalation = await t.services.staff.create(t.admin, {
      name: 'Functionaris',
      email: `f-${randomUUID()}@gemeente.example`,
      roles: ['escalation_officer'],
    });
    officer = { authorization: `Bearer ${escalation.token}` };
  });
  after(() => t.close());

  const call = (method: 'GET' | 'POST', url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined && { payload: payload as object }) });
  const body = (bsn: string, overrides: Record<string, unknown> = {}) => ({
    person: { identifiedBy: 'bsn', bsn, dateOfBirth: '1980-05-17' },
    kind: 'inspection',
    receivedOn: '2026-03-10',
    through: 'person',
    requester: 'person',
    identityCheck: 'id_document_seen',
    caseNumber: 'Z-2026/001',
    ...overrides,
  });
  const auditOf = async (id: string) =>
    (
      await sql<{ event_type: string; subject_key: Uint8Array | null }>`select event_type, subject_key from audit_events
      where resource_type = 'rights_request' and resource_id = ${id} order by id`.execute(database().db)
    ).rows;

  test('only administrators and privacy officers reach the register; a professional, an escalation officer, no credentials are refused', async () => {
    const org = await t.organisation();
    for (const [headers, status] of [
      [{}, 401],
      [officer, 403],
      [org.headers, 403],
      [{ authorization: org.headers.authorization! }, 403],
    ] as const) {
      assert.equal((await call('GET', '/rights-requests', headers)).statusCode, status);
      assert.equal((await call('POST', '/rights-requests', headers, body(randomBsn()))).statusCode, status);
      assert.equal((await call('GET', `/rights-requests/${randomUUID()}`, headers)).statusCode, status);
      for (const step of ['status', 'extension', 'decision', 'letter']) {
        assert.equal((await call('POST', `/rights-requests/${randomUUID()}/${step}`, headers, {})).statusCode, status, step);
      }
    }
    await assert.rejects(
      t.services.rightsRequests.list({ kind: 'staff', staffMemberId: randomUUID(), roles: ['escalation_officer'], apiClientId: null, requestId: 'x' }),
      { status: 403 },
    );
    assert.equal((await call('GET', '/rights-requests', privacy)).statusCode, 200);
    assert.equal((await call('GET', '/rights-requests', t.adminHeaders)).statusCode, 200);
  });

  test('a request goes from registered to closed: age rule, deadline, one extension, decision with reasons, letter; audited under the person key', async () => {
    const bsn = randomBsn();
    const child = await call('POST', '/rights-requests', privacy, body(bsn, { person: { identifiedBy: 'bsn', bsn, dateOfBirth: '2018-06-01' } }));
    assert.equal(child.statusCode, 422);
    assert.equal(child.json().invalidParams[0].code, 'requester_does_not_fit_age');

    const created = await call('POST', '/rights-requests', privacy, body(bsn));
    assert.equal(created.statusCode, 201, created.body);
    const request = created.json();
    assert.equal(request.dueOn, '2026-04-07');
    assert.equal(request.status, 'received');
    assert.equal(request.urgency, 'on_time');
    assert.ok(!created.body.includes(bsn), 'the BSN is never answered');

    assert.equal(
      (await call('POST', `/rights-requests/${request.id}/letter`, privacy, { sentOn: '2026-03-10' })).statusCode,
      409,
      'no letter before a decision',
    );
    const started = await call('POST', `/rights-requests/${request.id}/status`, privacy, { status: 'in_progress' });
    assert.equal(started.json().status, 'in_progress');

    t.clock.set('2026-04-01T09:00:00Z');
    assert.equal((await call('GET', `/rights-requests/${request.id}`, privacy)).json().urgency, 'nearly_due');
    const extended = await call('POST', `/rights-requests/${request.id}/extension`, privacy, { weeks: 4, reason: 'complexity' });
    assert.equal(extended.statusCode, 200, extended.body);
    assert.equal(extended.json().dueOn, '2026-05-05');
    assert.equal(extended.json().originalDueOn, '2026-04-07');
    assert.equal((await call('POST', `/rights-requests/${request.id}/extension`, privacy, { weeks: 2, reason: 'complexity' })).statusCode, 409, 'once');

    const noReasons = await call('POST', `/rights-requests/${request.id}/decision`, privacy, {
      decision: 'partly_granted',
      reasons: [],
      decidedOn: '2026-04-01',
    });
    assert.equal(noReasons.statusCode, 422);
    const decided = await call('POST', `/rights-requests/${request.id}/decision`, privacy, {
      decision: 'partly_granted',
      reasons: ['rights_of_others'],
      decidedOn: '2026-04-01',
    });
    assert.equal(decided.json().status, 'decided');
    assert.equal((await call('POST', `/rights-requests/${request.id}/status`, privacy, { status: 'closed' })).statusCode, 409, 'not before the letter');
    assert.equal((await call('POST', `/rights-requests/${request.id}/letter`, privacy, { sentOn: '2026-04-01' })).json().urgency, 'answered');
    const closed = await call('POST', `/rights-requests/${request.id}/status`, t.adminHeaders, { status: 'closed' });
    assert.equal(closed.json().status, 'closed');
    assert.equal(closed.json().deleteAfter, '2028-04-01T09:00:00.000Z');

    const key = t.services.crypto.personKey(Bsn.parse(bsn)!);
    const events = await auditOf(request.id);
    assert.deepEqual(
      events.map((e) => e.event_type),
      [
        'rights_request.registered',
        'rights_request.status_changed',
        'rights_request.read',
        'rights_request.extended',
        'rights_request.decided',
        'rights_request.letter_sent',
        'rights_request.status_changed',
      ],
    );
    for (const event of events) assert.deepEqual(Buffer.from(event.subject_key!), key);
    const stored = await database().db.selectFrom('rights_requests').select(['bsn_ciphertext']).where('id', '=', request.id).executeTakeFirstOrThrow();
    assert.equal(t.services.crypto.decrypt(stored.bsn_ciphertext!), bsn);

    t.clock.set('2028-03-31T09:00:00Z');
    assert.equal((await t.services.jobs.runOnce()).purgedRightsRequests, 0, 'not before the retention period is over');
    t.clock.set('2028-04-02T09:00:00Z');
    assert.ok((await t.services.jobs.runOnce()).purgedRightsRequests >= 1);
    assert.equal((await call('GET', `/rights-requests/${request.id}`, privacy)).statusCode, 404);
    assert.equal((await auditOf(request.id)).at(-1)?.event_type, 'rights_request.purged');
    t.clock.set('2026-03-10T09:00:00Z');
  });

  test('a person without a BSN is identified by family name, date of birth and gender', async () => {
    const response = await call(
      'POST',
      '/rights-requests',
      t.adminHeaders,
      body('', {
        person: { identifiedBy: 'details', familyNamePrefix: 'van der', familyName: 'Berg', dateOfBirth: '1990-01-02', gender: 'female' },
        through: 'letter',
      }),
    );
    assert.equal(response.statusCode, 201, response.body);
    assert.equal(response.json().identifiedBy, 'details');
  });

  test('a professional passes a request on from their own signal; another professional cannot', async () => {
    const org = await t.organisation();
    const filed = await call('POST', '/signals', org.headers, adultSignal(randomBsn()));
    const signalId = filed.json().signal.id as string;
    const passed = await call('POST', `/signals/${signalId}/rights-requests`, org.headers, { kind: 'objection', askedOn: '2026-03-09' });
    assert.equal(passed.statusCode, 201, passed.body);
    assert.deepEqual(Object.keys(passed.json()).sort(), ['id', 'kind', 'passedOnAt', 'receivedOn']);
    const other = await t.organisation();
    assert.equal((await call('POST', `/signals/${signalId}/rights-requests`, other.headers, { kind: 'objection', askedOn: '2026-03-09' })).statusCode, 404);
    assert.equal(
      (await call('POST', `/signals/${signalId}/rights-requests`, org.headers, { kind: 'objection', askedOn: '2026-03-09', note: 'x' })).statusCode,
      422,
      'categories only',
    );

    const seen = (await call('GET', `/rights-requests/${passed.json().id}`, privacy)).json();
    assert.equal(seen.through, 'professional');
    assert.equal(seen.requester, 'person');
    assert.equal(seen.dueOn, '2026-04-06');
    assert.equal(seen.passedOnBy.organisationName, org.name);
  });

  test('overdue and nearly due requests are listed first and mailed once a day to the privacy officers, without person data', async () => {
    t.clock.set('2026-05-01T09:00:00Z');
    const bsn = randomBsn();
    const late = (await call('POST', '/rights-requests', privacy, body(bsn, { receivedOn: '2026-03-20' }))).json();
    const soon = (await call('POST', '/rights-requests', privacy, body(randomBsn(), { receivedOn: '2026-04-06' }))).json();
    const fresh = (await call('POST', '/rights-requests', privacy, body(randomBsn(), { receivedOn: '2026-04-30' }))).json();
    const list = (await call('GET', '/rights-requests?open=true', privacy)).json();
    const ids = list.items.map((r: { id: string }) => r.id);
    assert.ok(ids.indexOf(late.id) < ids.indexOf(soon.id) && ids.indexOf(soon.id) < ids.indexOf(fresh.id), 'overdue, nearly due, then on time');
    assert.equal(list.items[0].urgency, 'overdue');

    const first = await t.services.jobs.runOnce();
    assert.ok(first.rightsDeadlineMails >= 1);
    assert.equal((await t.services.jobs.runOnce()).rightsDeadlineMails, 0, 'once a day');
    await t.services.dispatcher.dispatchBatch();
    const mails = await database()
      .db.selectFrom('deliveries')
      .select(['recipient_key', 'message', 'organisation_id'])
      .where('event_type', '=', 'rights_request.deadlines_due')
      .execute();
    assert.ok(mails.length >= 1);
    for (const mail of mails) {
      assert.match(mail.recipient_key, /^staff:/);
      assert.equal(mail.organisation_id, null);
      const text = JSON.stringify(mail.message);
      assert.ok(!text.includes(bsn));
      assert.match(text, /privacy\/verzoeken/);
      assert.match(text, /termijn voorbij/);
    }
    t.clock.set('2026-03-10T09:00:00Z');
  });
});
