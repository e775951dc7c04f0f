/**
 * Every permission is refused to those who lack it, through the HTTP API, on both databases: no or
 * bad tokens, revoked clients, suspended and ended covenants, missing, foreign and inactive
 * professionals, administrators on professional endpoints and record systems on administrator
 * endpoints. Refusals are audited, and "not found" never tells one kind of absence from another.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { LightMyRequestResponse } from 'fastify';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';

type Method = 'GET' | 'POST' | 'PATCH';
/** `payload` may be a function, for bodies that must differ per call (a new person for each filing). */
type Endpoint = { name: string; method: Method; url: string; payload?: object | (() => object); success: number };

/** A syntactically valid token that belongs to nobody. */
const UNKNOWN_TOKEN = `${'k'.repeat(12)}.${'s'.repeat(43)}`;

describeOnEachDatabase('authorisation', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  const call = (endpoint: Endpoint, headers: Record<string, string>) =>
    t.app.inject({
      method: endpoint.method,
      url: endpoint.url,
      headers,
      ...(endpoint.payload && { payload: typeof endpoint.payload === 'function' ? endpoint.payload() : endpoint.payload }),
    });

  /** Two organisations with a signal each on one person, so there is a match; `a` is the caller. */
  async function scene() {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const mine = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(bsn) });
    assert.equal(mine.statusCode, 201);
    const theirs = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: b.headers, payload: adultSignal(bsn) });
    assert.equal(theirs.statusCode, 201);
    const matchId: string = theirs.json().match.id;
    return { a, b, signalId: mine.json().signal.id as string, otherSignalId: theirs.json().signal.id as string, matchId };
  }

  /** The professional endpoints, in an order in which all of them succeed one after another (ending comes last). */
  const professionalEndpoints = (signalId: string, matchId: string): Endpoint[] => [
    { name: 'POST /signals', method: 'POST', url: '/api/v1/signals', payload: () => adultSignal(), success: 201 },
    { name: 'GET /signals', method: 'GET', url: '/api/v1/signals', success: 200 },
    { name: 'GET /signals/:id', method: 'GET', url: `/api/v1/signals/${signalId}`, success: 200 },
    { name: 'GET /matches', method: 'GET', url: '/api/v1/matches', success: 200 },
    { name: 'GET /matches/:id', method: 'GET', url: `/api/v1/matches/${matchId}`, success: 200 },
    { name: 'POST /signals/:id/end', method: 'POST', url: `/api/v1/signals/${signalId}/end`, payload: { reason: 'care_ended' }, success: 200 },
  ];

  function assertProblem(response: LightMyRequestResponse, status: number, code: string, label: string) {
    assert.equal(response.statusCode, status, `${label}: ${response.body}`);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/, label);
    const body = response.json();
    assert.equal(body.status, status, label);
    assert.equal(body.code, code, label);
    if (status === 401) assert.equal(response.headers['www-authenticate'], 'Bearer realm="sluis"', label);
    else assert.equal(response.headers['www-authenticate'], undefined, label);
  }

  /** The audit events written for one request, by its request id. */
  async function auditOf(response: LightMyRequestResponse) {
    const requestId = String(response.headers['x-request-id']);
    const rows = await database().db.selectFrom('audit_events').selectAll().where('request_id', '=', requestId).orderBy('id').execute();
    return rows.map((row) => ({
      type: row.event_type,
      outcome: row.outcome,
      actorType: row.actor_type,
      organisationId: row.organisation_id,
      reason: (row.details as { reason?: string }).reason,
    }));
  }

  async function assertAllWork(endpoints: Endpoint[], headers: Record<string, string>, label: string) {
    for (const endpoint of endpoints) {
      const response = await call(endpoint, headers);
      assert.equal(response.statusCode, endpoint.success, `${label}, ${endpoint.name}: ${response.body}`);
    }
  }

  async function assertAllRefused(endpoints: Endpoint[], headers: Record<string, string>, status: number, code: string, label: string) {
    for (const endpoint of endpoints) assertProblem(await call(endpoint, headers), status, code, `${label}, ${endpoint.name}`);
  }

  test('the scene works: with the right token and professional every professional endpoint answers', async () => {
    const { a, signalId, matchId } = await scene();
    await assertAllWork(professionalEndpoints(signalId, matchId), a.headers, 'all allowed');
  });

  test('no token, a malformed token or a wrong secret: 401 with WWW-Authenticate on every professional endpoint, audited', async () => {
    const { a, signalId, matchId } = await scene();
    const endpoints = professionalEndpoints(signalId, matchId);
    const keyId = a.token.split('.')[0]!;
    const cases: [string, Record<string, string>, string][] = [
      ['no token', { 'sluis-professional-id': a.professionalId }, 'malformed_token'],
      ['no token and no professional header', {}, 'malformed_token'],
      ['wrong secret and no professional header', { authorization: `Bearer ${keyId}.${'y'.repeat(43)}` }, 'unknown_key'],
      ['basic authentication', { authorization: 'Basic dXNlcjpwYXNz', 'sluis-professional-id': a.professionalId }, 'malformed_token'],
      ['malformed token', { authorization: 'Bearer not-a-token', 'sluis-professional-id': a.professionalId }, 'malformed_token'],
      ['unknown key', { authorization: `Bearer ${UNKNOWN_TOKEN}`, 'sluis-professional-id': a.professionalId }, 'unknown_key'],
      ['right key id, wrong secret', { authorization: `Bearer ${keyId}.${'x'.repeat(43)}`, 'sluis-professional-id': a.professionalId }, 'unknown_key'],
    ];
    for (const [label, headers, reason] of cases) {
      for (const endpoint of endpoints) {
        const response = await call(endpoint, headers);
        assertProblem(response, 401, 'unauthenticated', `${label}, ${endpoint.name}`);
        assert.deepEqual(
          await auditOf(response),
          [{ type: 'auth.denied', outcome: 'denied', actorType: 'anonymous', organisationId: null, reason }],
          `${label}, ${endpoint.name}`,
        );
      }
    }
    // Nothing was done for the failed callers: the signal is still active and readable by its owner.
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${signalId}`, headers: a.headers });
    assert.equal(read.json().status, 'active');
  });

  test('a revoked API client is refused with 401 from the very next request', async () => {
    const { a, signalId, matchId } = await scene();
    const created = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${a.id}/api-clients`,
      headers: t.adminHeaders,
      payload: { name: 'second system' },
    });
    assert.equal(created.statusCode, 201);
    const headers = { authorization: `Bearer ${created.json().token}`, 'sluis-professional-id': a.professionalId };
    const endpoints = professionalEndpoints(signalId, matchId);
    // Warm up every path (including the cached key lookup of filing) with the live client.
    await assertAllWork(
      endpoints.filter((e) => e.name !== 'POST /signals/:id/end'),
      headers,
      'before revoking',
    );

    const revoked = await t.app.inject({ method: 'POST', url: `/api/v1/api-clients/${created.json().id}/revoke`, headers: t.adminHeaders });
    assert.equal(revoked.statusCode, 200);
    for (const endpoint of endpoints) {
      const response = await call(endpoint, headers);
      assertProblem(response, 401, 'unauthenticated', `revoked, ${endpoint.name}`);
      assert.deepEqual(
        await auditOf(response),
        [{ type: 'auth.denied', outcome: 'denied', actorType: 'anonymous', organisationId: a.id, reason: 'revoked' }],
        endpoint.name,
      );
    }
    // The organisation's other client still works.
    await assertAllWork(endpoints, a.headers, 'the other client');
  });

  test('a suspended covenant refuses the organisation at once with 403; resuming lets it work again', async () => {
    const { a, signalId, matchId } = await scene();
    const endpoints = professionalEndpoints(signalId, matchId);
    const suspended = await t.app.inject({
      method: 'POST',
      url: `/api/v1/covenants/${a.covenantId}/suspend`,
      headers: t.adminHeaders,
      payload: { reason: 'audit' },
    });
    assert.equal(suspended.statusCode, 200);
    for (const endpoint of endpoints) {
      const response = await call(endpoint, a.headers);
      assertProblem(response, 403, 'organisation_not_allowed', `suspended, ${endpoint.name}`);
      assert.deepEqual(
        await auditOf(response),
        [{ type: 'auth.denied', outcome: 'denied', actorType: 'anonymous', organisationId: a.id, reason: 'covenant_not_active' }],
        endpoint.name,
      );
    }
    const resumed = await t.app.inject({ method: 'POST', url: `/api/v1/covenants/${a.covenantId}/resume`, headers: t.adminHeaders });
    assert.equal(resumed.statusCode, 200);
    await assertAllWork(professionalEndpoints(signalId, matchId), a.headers, 'after resuming');
  });

  test('an ended covenant refuses the organisation with 403', async () => {
    const { a, signalId, matchId } = await scene();
    const ended = await t.app.inject({ method: 'POST', url: `/api/v1/covenants/${a.covenantId}/end`, headers: t.adminHeaders });
    assert.equal(ended.statusCode, 200);
    await assertAllRefused(professionalEndpoints(signalId, matchId), a.headers, 403, 'organisation_not_allowed', 'ended covenant');
  });

  test('a covenant that starts in the future does not let the organisation in yet', async () => {
    const organisation = await t.services.organisations.create(t.admin, { name: `Toekomst ${randomUUID().slice(0, 6)}`, domains: ['housing'] });
    await t.services.covenants.start(t.admin, organisation.id, { startsOn: '2026-04-01' });
    const professional = await t.services.professionals.create(t.admin, organisation.id, {
      name: 'P',
      email: `f-${randomUUID()}@example.nl`,
      phone: '010 000 0002',
    });
    const client = await t.services.apiClients.createForOrganisation(t.admin, organisation.id, 'rs');
    const headers = { authorization: `Bearer ${client.token}`, 'sluis-professional-id': professional.id };
    await assertAllRefused(professionalEndpoints(randomUUID(), randomUUID()), headers, 403, 'organisation_not_allowed', 'future covenant');
  });

  test('a missing or malformed Sluis-Professional-Id header gives 400', async () => {
    const { a, signalId, matchId } = await scene();
    const endpoints = professionalEndpoints(signalId, matchId);
    await assertAllRefused(endpoints, { authorization: a.headers.authorization! }, 400, 'professional_header_missing', 'missing header');
    await assertAllRefused(
      endpoints,
      { authorization: a.headers.authorization!, 'sluis-professional-id': 'not-a-uuid' },
      400,
      'professional_header_missing',
      'malformed header',
    );
  });

  test('a professional of another organisation, or an unknown one, in the header gives 403', async () => {
    const { a, b, signalId, matchId } = await scene();
    const endpoints = professionalEndpoints(signalId, matchId);
    for (const [label, professionalId] of [
      ['other organisation', b.professionalId],
      ['unknown', randomUUID()],
    ] as const) {
      for (const endpoint of endpoints) {
        const response = await call(endpoint, { authorization: a.headers.authorization!, 'sluis-professional-id': professionalId });
        assertProblem(response, 403, 'professional_not_allowed', `${label}, ${endpoint.name}`);
        assert.deepEqual(
          await auditOf(response),
          [{ type: 'auth.denied', outcome: 'denied', actorType: 'anonymous', organisationId: a.id, reason: 'professional_not_allowed' }],
          `${label}, ${endpoint.name}`,
        );
      }
    }
    // B's signal was not ended by A's record system acting as B.
    const read = await t.app.inject({ method: 'GET', url: '/api/v1/signals', headers: b.headers });
    assert.deepEqual(
      read.json().items.map((s: { status: string }) => s.status),
      ['active'],
    );
  });

  test('a deactivated professional is refused with 403; reactivated, they work again', async () => {
    const { a, signalId, matchId } = await scene();
    const deactivated = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/professionals/${a.professionalId}`,
      headers: t.adminHeaders,
      payload: { active: false },
    });
    assert.equal(deactivated.statusCode, 200);
    assert.equal(deactivated.json().active, false);
    await assertAllRefused(professionalEndpoints(signalId, matchId), a.headers, 403, 'professional_not_allowed', 'deactivated');
    const reactivated = await t.app.inject({
      method: 'PATCH',
      url: `/api/v1/professionals/${a.professionalId}`,
      headers: t.adminHeaders,
      payload: { active: true },
    });
    assert.equal(reactivated.statusCode, 200);
    await assertAllWork(professionalEndpoints(signalId, matchId), a.headers, 'reactivated');
  });

  test("an administrator's token is refused on professional endpoints with 403", async () => {
    const { a, signalId, matchId } = await scene();
    for (const endpoint of professionalEndpoints(signalId, matchId)) {
      const response = await call(endpoint, { ...t.adminHeaders, 'sluis-professional-id': a.professionalId });
      assertProblem(response, 403, 'forbidden', `administrator, ${endpoint.name}`);
      assert.deepEqual(
        await auditOf(response),
        [{ type: 'auth.denied', outcome: 'denied', actorType: 'anonymous', organisationId: null, reason: 'staff_client_as_professional' }],
        endpoint.name,
      );
    }
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${signalId}`, headers: a.headers });
    assert.equal(read.json().status, 'active');
  });

  async function administratorEndpoints(): Promise<Endpoint[]> {
    const target = await t.organisation();
    const professionalId = target.professionalId;
    return [
      {
        name: 'POST /organisations',
        method: 'POST',
        url: '/api/v1/organisations',
        payload: { name: `Nieuw ${randomUUID()}`, domains: ['welfare'] },
        success: 201,
      },
      { name: 'PATCH /organisations/:id', method: 'PATCH', url: `/api/v1/organisations/${target.id}`, payload: { description: 'changed' }, success: 200 },
      { name: 'GET /organisations/:id/covenants', method: 'GET', url: `/api/v1/organisations/${target.id}/covenants`, success: 200 },
      { name: 'POST /organisations/:id/covenants', method: 'POST', url: `/api/v1/organisations/${target.id}/covenants`, payload: {}, success: 409 },
      { name: 'POST /covenants/:id/suspend', method: 'POST', url: `/api/v1/covenants/${target.covenantId}/suspend`, payload: {}, success: 200 },
      { name: 'POST /covenants/:id/resume', method: 'POST', url: `/api/v1/covenants/${target.covenantId}/resume`, payload: {}, success: 200 },
      { name: 'GET /organisations/:id/professionals', method: 'GET', url: `/api/v1/organisations/${target.id}/professionals`, success: 200 },
      {
        name: 'POST /organisations/:id/professionals',
        method: 'POST',
        url: `/api/v1/organisations/${target.id}/professionals`,
        payload: { name: 'Nieuw', email: `n-${randomUUID()}@example.nl`, phone: '010 123 4567' },
        success: 201,
      },
      { name: 'PATCH /professionals/:id', method: 'PATCH', url: `/api/v1/professionals/${professionalId}`, payload: { jobTitle: 'Wijkagent' }, success: 200 },
      { name: 'GET /organisations/:id/api-clients', method: 'GET', url: `/api/v1/organisations/${target.id}/api-clients`, success: 200 },
      {
        name: 'POST /organisations/:id/api-clients',
        method: 'POST',
        url: `/api/v1/organisations/${target.id}/api-clients`,
        payload: { name: 'rs' },
        success: 201,
      },
      { name: 'POST /api-clients/:id/revoke', method: 'POST', url: `/api/v1/api-clients/${target.apiClientId}/revoke`, success: 200 },
      { name: 'GET /settings', method: 'GET', url: '/api/v1/settings', success: 200 },
      { name: 'PATCH /settings', method: 'PATCH', url: '/api/v1/settings', payload: { signalLifetimeMonths: 24 }, success: 200 },
      { name: 'GET /audit-events', method: 'GET', url: '/api/v1/audit-events', success: 200 },
      { name: 'POST /audit-events/search', method: 'POST', url: '/api/v1/audit-events/search', payload: { bsn: randomBsn() }, success: 200 },
      {
        name: 'POST /staff-members',
        method: 'POST',
        url: '/api/v1/staff-members',
        payload: { name: 'Nieuwe beheerder', email: `b-${randomUUID()}@gemeente.example` },
        success: 201,
      },
      { name: 'POST /covenants/:id/end', method: 'POST', url: `/api/v1/covenants/${target.covenantId}/end`, payload: {}, success: 200 },
    ];
  }

  test("administrator endpoints: no token gives 401, a record system's token 403, and nothing changes", async () => {
    const endpoints = await administratorEndpoints();
    const recordSystem = await t.organisation();
    const settingsBefore = (await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: t.adminHeaders })).json();
    const organisationsBefore = await database()
      .db.selectFrom('organisations')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    for (const endpoint of endpoints) {
      const anonymous = await call(endpoint, {});
      assertProblem(anonymous, 401, 'unauthenticated', `no token, ${endpoint.name}`);
      assert.deepEqual(
        await auditOf(anonymous),
        [{ type: 'auth.denied', outcome: 'denied', actorType: 'anonymous', organisationId: null, reason: 'malformed_token' }],
        endpoint.name,
      );

      const asRecordSystem = await call(endpoint, recordSystem.headers);
      assertProblem(asRecordSystem, 403, 'forbidden', `record system, ${endpoint.name}`);
      assert.deepEqual(
        await auditOf(asRecordSystem),
        [{ type: 'auth.denied', outcome: 'denied', actorType: 'anonymous', organisationId: recordSystem.id, reason: 'not_staff' }],
        endpoint.name,
      );
    }
    const settingsAfter = (await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: t.adminHeaders })).json();
    assert.deepEqual(settingsAfter, settingsBefore);
    const organisationsAfter = await database()
      .db.selectFrom('organisations')
      .select(({ fn }) => fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(organisationsAfter.n), Number(organisationsBefore.n));
  });

  test("administrator endpoints: the administrator's own token is allowed on each", async () => {
    for (const endpoint of await administratorEndpoints()) {
      const response = await call(endpoint, t.adminHeaders);
      assert.equal(response.statusCode, endpoint.success, `${endpoint.name}: ${response.body}`);
    }
  });

  test("not found is one answer: another organisation's signal, a colleague's signal and a random id look the same", async () => {
    const { a, otherSignalId, matchId } = await scene();
    const colleague = await t.colleague(a);
    const colleagueSignal = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: colleague.headers, payload: adultSignal() });
    assert.equal(colleagueSignal.statusCode, 201);
    const candidates = { otherOrganisation: otherSignalId, colleague: colleagueSignal.json().signal.id as string, random: randomUUID(), aMatchId: matchId };
    const comparable = (response: LightMyRequestResponse) => {
      const { instance, ...rest } = response.json();
      assert.equal(typeof instance, 'string');
      return rest;
    };

    for (const [label, request] of [
      ['read', (id: string) => ({ method: 'GET' as const, url: `/api/v1/signals/${id}` })],
      ['end', (id: string) => ({ method: 'POST' as const, url: `/api/v1/signals/${id}/end`, payload: { reason: 'care_ended' } })],
    ] as const) {
      const bodies = [];
      for (const [name, id] of Object.entries(candidates)) {
        const response = await t.app.inject({ ...request(id), headers: a.headers });
        assert.equal(response.statusCode, 404, `${label} ${name}: ${response.body}`);
        assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
        bodies.push(comparable(response));
      }
      assert.deepEqual(bodies[0], {
        type: 'https://sluis.example/problems/not_found',
        title: 'Not found',
        status: 404,
        code: 'not_found',
        detail: 'The signal does not exist or is not available to you.',
      });
      for (const body of bodies) assert.deepEqual(body, bodies[0], label);
      // Every attempt is in the audit trail, although the answer says nothing.
      const attempts = await database()
        .db.selectFrom('audit_events')
        .select('resource_id')
        .where('actor_id', '=', a.professionalId)
        .where('event_type', '=', label === 'read' ? 'signal.read' : 'signal.ended')
        .where('outcome', '=', 'not_found')
        .execute();
      assert.deepEqual(attempts.map((e) => e.resource_id).sort(), Object.values(candidates).sort(), `${label}: audited`);
    }
    // Nobody's signal was ended by those attempts.
    for (const headers of [colleague.headers]) {
      const list = await t.app.inject({ method: 'GET', url: '/api/v1/signals', headers });
      assert.deepEqual(
        list.json().items.map((s: { status: string }) => s.status),
        ['active'],
      );
    }
  });

  test('not found is one answer for matches: a match the professional is not in, a random id and a signal id look the same', async () => {
    const { a, signalId, matchId } = await scene();
    const elsewhere = await scene();
    const outsider = await t.colleague(a);
    const outsiderSignal = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: outsider.headers, payload: adultSignal() });
    assert.equal(outsiderSignal.statusCode, 201);
    const bodies = [];
    for (const [label, headers, id] of [
      ['a match of other organisations', a.headers, elsewhere.matchId],
      ['a colleague not in the match', outsider.headers, matchId],
      ['a random id', a.headers, randomUUID()],
      ['a signal id', a.headers, signalId],
    ] as const) {
      const response = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${id}`, headers });
      assert.equal(response.statusCode, 404, `${label}: ${response.body}`);
      const { instance, ...rest } = response.json();
      assert.equal(instance, `urn:uuid:${response.headers['x-request-id']}`, 'instance names the request, not the path');
      assert.ok(!response.body.includes(id));
      bodies.push(rest);
    }
    assert.deepEqual(bodies[0], {
      type: 'https://sluis.example/problems/not_found',
      title: 'Not found',
      status: 404,
      code: 'not_found',
      detail: 'The match does not exist or is not available to you.',
    });
    for (const body of bodies) assert.deepEqual(body, bodies[0]);
    const attempts = await database()
      .db.selectFrom('audit_events')
      .select('resource_id')
      .where('event_type', '=', 'match.read')
      .where('outcome', '=', 'not_found')
      .where('actor_id', 'in', [a.professionalId, outsider.professionalId])
      .execute();
    assert.equal(attempts.length, 4, 'every attempt is in the audit trail, although the answer says nothing');
    for (const id of [elsewhere.matchId, matchId, signalId])
      assert.ok(
        attempts.some((e) => e.resource_id === id),
        id,
      );
    // The professional who is in the match does see it.
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/matches/${matchId}`, headers: a.headers })).statusCode, 200);
  });

  test('an id that is not a uuid gives 400 with invalidParams', async () => {
    const { a } = await scene();
    for (const [method, url] of [
      ['GET', '/api/v1/signals/12345'],
      ['POST', '/api/v1/signals/12345/end'],
      ['GET', '/api/v1/matches/abc'],
    ] as const) {
      const response = await t.app.inject({ method, url, headers: a.headers, ...(method === 'POST' && { payload: { reason: 'care_ended' } }) });
      assert.equal(response.statusCode, 400, `${method} ${url}: ${response.body}`);
      assert.equal(response.json().code, 'invalid_input');
      assert.deepEqual(response.json().invalidParams, [{ name: 'params:id', code: 'invalid_format', reason: 'Must be an id as returned by this API.' }]);
    }
  });
});
