/**
 * The municipality's administration through the HTTP API, on both databases: organisations and
 * their directory, covenants and their lifecycle, professionals, API clients, settings, staff
 * members and the audit trail (including the search by BSN for a data subject's request).
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';

type Json = Record<string, unknown>;

describeOnEachDatabase('administration API', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  const admin = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: t.adminHeaders, ...(payload && { payload }) });

  const invalidNames = (body: { invalidParams?: { name: string }[] }) => (body.invalidParams ?? []).map((p) => p.name).sort();

  /** A name no other test uses. */
  const unique = (prefix: string) => `${prefix} ${randomUUID().slice(0, 8)}`;

  async function createOrganisation(body: Json = {}) {
    const response = await admin('POST', '/organisations', { name: unique('Organisatie'), domains: ['welfare'], ...body });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as Json & { id: string; name: string };
  }

  // ---------------------------------------------------------------- organisations

  test('organisations: create gives 201 with the profile and no covenant yet', async () => {
    const name = unique('Stichting Wijkteam');
    const response = await admin('POST', '/organisations', {
      name,
      domains: ['social_support', 'youth_care'],
      description: 'Wijkteams',
      signallingCriteria: 'Bij zorgen over opvoeding',
      website: 'https://wijkteam.example',
      phone: '010 111 2222',
      email: 'info@wijkteam.example',
    });
    assert.equal(response.statusCode, 201, response.body);
    const { id, ...rest } = response.json();
    assert.match(id, /^[0-9a-f-]{36}$/);
    assert.deepEqual(rest, {
      name,
      domains: ['social_support', 'youth_care'],
      description: 'Wijkteams',
      signallingCriteria: 'Bij zorgen over opvoeding',
      website: 'https://wijkteam.example',
      phone: '010 111 2222',
      email: 'info@wijkteam.example',
      covenantStatus: 'none',
    });
    const read = await admin('GET', `/organisations/${id}`);
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), response.json());
    const minimal = await createOrganisation();
    assert.deepEqual([minimal.description, minimal.signallingCriteria, minimal.website, minimal.phone, minimal.email], ['', '', null, null, null]);
  });

  test('organisations: a duplicate name gives 409, on create and on rename', async () => {
    const first = await createOrganisation();
    const duplicate = await admin('POST', '/organisations', { name: first.name, domains: ['housing'] });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().code, 'conflict');
    const second = await createOrganisation();
    const rename = await admin('PATCH', `/organisations/${second.id}`, { name: first.name });
    assert.equal(rename.statusCode, 409);
    assert.equal((await admin('GET', `/organisations/${second.id}`)).json().name, second.name);
  });

  test('organisations: invalid input gives 422 naming each field', async () => {
    const invalidDomain = await admin('POST', '/organisations', { name: unique('X'), domains: ['banking'] });
    assert.equal(invalidDomain.statusCode, 422);
    assert.deepEqual(invalidDomain.json().invalidParams, [
      {
        name: 'domains.0',
        code: 'invalid_value',
        reason: 'Must be one of: health_care, mental_health, social_support, education, work_and_income, welfare, housing, safety, youth_care.',
      },
    ]);

    const many = await admin('POST', '/organisations', { name: '', domains: [], website: 'ftp://x', email: 'not-an-email', colour: 'red' });
    assert.equal(many.statusCode, 422);
    assert.deepEqual(invalidNames(many.json()), ['colour', 'domains', 'email', 'name', 'website']);

    const duplicateDomain = await admin('POST', '/organisations', { name: unique('X'), domains: ['housing', 'housing'] });
    assert.equal(duplicateDomain.statusCode, 422);
    assert.deepEqual(invalidNames(duplicateDomain.json()), ['domains']);

    const emptyPatch = await admin('PATCH', `/organisations/${(await createOrganisation()).id}`, {});
    assert.equal(emptyPatch.statusCode, 422);
  });

  test('organisations: PATCH changes the profile and only what is sent', async () => {
    const organisation = await createOrganisation({ phone: '010 000 1111' });
    const patched = await admin('PATCH', `/organisations/${organisation.id}`, {
      description: 'Schuldhulp',
      signallingCriteria: 'Bij betalingsachterstanden',
      website: 'https://schuld.example',
      domains: ['work_and_income'],
    });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.deepEqual(patched.json(), {
      ...organisation,
      description: 'Schuldhulp',
      signallingCriteria: 'Bij betalingsachterstanden',
      website: 'https://schuld.example',
      domains: ['work_and_income'],
    });
    const cleared = await admin('PATCH', `/organisations/${organisation.id}`, { website: null });
    assert.equal(cleared.json().website, null);
    assert.equal(cleared.json().phone, '010 000 1111');
    const missing = await admin('PATCH', `/organisations/${randomUUID()}`, { description: 'x' });
    assert.equal(missing.statusCode, 404);
    assert.equal(missing.json().code, 'not_found');
    const audit = await database()
      .db.selectFrom('audit_events')
      .select(['event_type', 'details'])
      .where('resource_id', '=', organisation.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((e) => [e.event_type, (e.details as { changed?: string }).changed ?? null]),
      [
        ['organisation.created', null],
        ['organisation.updated', 'description,domains,signallingCriteria,website'],
        ['organisation.updated', 'website'],
      ],
    );
  });

  test('organisations: the list filters by domain and by name (wildcards are literal)', async () => {
    const tag = randomUUID().slice(0, 8);
    const housing = await createOrganisation({ name: `Woonstad ${tag}`, domains: ['housing'] });
    const school = await createOrganisation({ name: `School ${tag}`, domains: ['education', 'youth_care'] });
    const percent = await createOrganisation({ name: `Honderd% ${tag}`, domains: ['housing', 'safety'] });
    const names = async (query: string) => {
      const response = await admin('GET', `/organisations?${query}`);
      assert.equal(response.statusCode, 200, response.body);
      return response.json().items.map((o: { name: string }) => o.name);
    };
    assert.deepEqual(await names(`name=${tag}`), [percent.name, school.name, housing.name]);
    assert.deepEqual(await names(`name=${tag.toUpperCase()}`), [percent.name, school.name, housing.name]);
    assert.deepEqual(await names(`name=woonstad%20${tag}`), [housing.name]);
    assert.deepEqual(
      (await names('domain=housing')).filter((n: string) => n.endsWith(tag)),
      [percent.name, housing.name],
    );
    assert.deepEqual(await names(`domain=youth_care&name=${tag}`), [school.name]);
    assert.deepEqual(await names(`name=${encodeURIComponent(`%25 ${tag}`)}`), [], 'a % in the filter is not a wildcard');
    assert.deepEqual(await names(`name=${encodeURIComponent('%')}`).then((list) => list.filter((n: string) => n.endsWith(tag))), [percent.name]);
    const invalid = await admin('GET', '/organisations?domain=banking');
    assert.equal(invalid.statusCode, 400);
    assert.deepEqual(invalidNames(invalid.json()), ['querystring:domain']);
  });

  test("organisations: the directory is readable with a record system's token too, but not changeable", async () => {
    const reader = await t.organisation();
    const listed = await t.app.inject({ method: 'GET', url: `/api/v1/organisations?name=${encodeURIComponent(reader.name)}`, headers: reader.headers });
    assert.equal(listed.statusCode, 200);
    assert.deepEqual(
      listed.json().items.map((o: { id: string; covenantStatus: string }) => [o.id, o.covenantStatus]),
      [[reader.id, 'active']],
    );
    const one = await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${reader.id}`, headers: { authorization: reader.headers.authorization! } });
    assert.equal(one.statusCode, 200);
    assert.equal(one.json().name, reader.name);
    const patch = await t.app.inject({ method: 'PATCH', url: `/api/v1/organisations/${reader.id}`, headers: reader.headers, payload: { description: 'mine' } });
    assert.equal(patch.statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/organisations' })).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/organisations/${randomUUID()}`, headers: reader.headers })).statusCode, 404);
  });

  // ---------------------------------------------------------------- covenants

  test('covenants: start, suspend, resume, end; every refused transition is 409; after the end a new one starts', async () => {
    const organisation = await createOrganisation();
    const started = await admin('POST', `/organisations/${organisation.id}/covenants`, { startsOn: '2026-03-01', reference: 'CONV-2026-01' });
    assert.equal(started.statusCode, 201, started.body);
    const covenant = started.json();
    assert.deepEqual(
      { ...covenant, id: undefined },
      {
        id: undefined,
        organisationId: organisation.id,
        reference: 'CONV-2026-01',
        status: 'active',
        startsOn: '2026-03-01',
        endedOn: null,
        statusReason: null,
        mayCoordinate: true,
      },
    );
    assert.equal((await admin('GET', `/organisations/${organisation.id}`)).json().covenantStatus, 'active');

    const second = await admin('POST', `/organisations/${organisation.id}/covenants`, {});
    assert.equal(second.statusCode, 409);
    assert.equal(second.json().code, 'conflict');

    const transition = (action: string, payload?: object) => admin('POST', `/covenants/${covenant.id}/${action}`, payload);
    const expectConflict = async (action: string) => {
      const response = await transition(action);
      assert.equal(response.statusCode, 409, `${action}: ${response.body}`);
      assert.equal(response.json().code, 'conflict');
    };

    await expectConflict('resume');
    const suspended = await transition('suspend', { reason: 'Convenant niet nageleefd' });
    assert.equal(suspended.statusCode, 200);
    assert.deepEqual([suspended.json().status, suspended.json().statusReason, suspended.json().endedOn], ['suspended', 'Convenant niet nageleefd', null]);
    assert.equal((await admin('GET', `/organisations/${organisation.id}`)).json().covenantStatus, 'suspended');
    await expectConflict('suspend');

    const resumed = await transition('resume');
    assert.equal(resumed.statusCode, 200, resumed.body);
    assert.deepEqual([resumed.json().status, resumed.json().statusReason], ['active', null]);

    t.clock.advance(1000);
    const ended = await transition('end', { reason: 'Opgezegd' });
    assert.equal(ended.statusCode, 200);
    assert.deepEqual([ended.json().status, ended.json().endedOn, ended.json().statusReason], ['ended', '2026-03-10', 'Opgezegd']);
    assert.equal((await admin('GET', `/organisations/${organisation.id}`)).json().covenantStatus, 'none');
    for (const action of ['suspend', 'resume', 'end']) await expectConflict(action);

    t.clock.advance(1000);
    const renewed = await admin('POST', `/organisations/${organisation.id}/covenants`, {});
    assert.equal(renewed.statusCode, 201);
    assert.deepEqual([renewed.json().status, renewed.json().startsOn], ['active', '2026-03-10']);
    const list = await admin('GET', `/organisations/${organisation.id}/covenants`);
    assert.deepEqual(
      list.json().items.map((c: { id: string; status: string }) => [c.id, c.status]),
      [
        [renewed.json().id, 'active'],
        [covenant.id, 'ended'],
      ],
    );

    const events = await database().db.selectFrom('audit_events').select('event_type').where('resource_id', '=', covenant.id).orderBy('id').execute();
    assert.deepEqual(
      events.map((e) => e.event_type),
      ['covenant.started', 'covenant.suspended', 'covenant.resumed', 'covenant.ended'],
    );
  });

  test('covenant terms: an organisation that may only signal, at the start or later; only administrators change it, not after the end', async () => {
    const school = await createOrganisation();
    const started = await admin('POST', `/organisations/${school.id}/covenants`, { mayCoordinate: false });
    assert.equal(started.statusCode, 201, started.body);
    assert.equal(started.json().mayCoordinate, false);
    const covenantId = started.json().id;
    const terms = (headers: Record<string, string>, payload: object, id = covenantId) =>
      t.app.inject({ method: 'PATCH', url: `/api/v1/covenants/${id}`, headers, payload });

    const allowed = await terms(t.adminHeaders, { mayCoordinate: true });
    assert.equal(allowed.statusCode, 200, allowed.body);
    assert.equal(allowed.json().mayCoordinate, true);
    t.clock.advance(1000);
    assert.equal((await terms(t.adminHeaders, { mayCoordinate: false })).json().mayCoordinate, false);
    // The same choice again changes nothing and is not audited again.
    assert.equal((await terms(t.adminHeaders, { mayCoordinate: false })).statusCode, 200);
    const listed = await admin('GET', `/organisations/${school.id}/covenants`);
    assert.deepEqual(
      listed.json().items.map((c: { id: string; mayCoordinate: boolean }) => [c.id, c.mayCoordinate]),
      [[covenantId, false]],
    );

    // Refused: bad input, an unknown covenant, anyone but an administrator, an ended covenant. Nothing changes.
    for (const body of [{}, { mayCoordinate: 'nee' }, { mayCoordinate: true, reason: 'x' }]) {
      const response = await terms(t.adminHeaders, body);
      assert.equal(response.statusCode, 422, JSON.stringify(body));
      assert.equal(response.json().code, 'invalid_input');
    }
    assert.equal((await terms(t.adminHeaders, { mayCoordinate: true }, crypto.randomUUID())).statusCode, 404);
    const other = await t.organisation();
    for (const headers of [other.headers, { authorization: other.headers.authorization! }, {}]) {
      const response = await terms(headers, { mayCoordinate: true });
      assert.ok([401, 403].includes(response.statusCode), response.body);
    }
    await admin('POST', `/covenants/${covenantId}/end`, { reason: 'Opgezegd' });
    const afterEnd = await terms(t.adminHeaders, { mayCoordinate: true });
    assert.equal(afterEnd.statusCode, 409, afterEnd.body);
    assert.equal((await admin('GET', `/organisations/${school.id}/covenants`)).json().items[0].mayCoordinate, false);

    const events = await database()
      .db.selectFrom('audit_events')
      .select(['event_type', 'details'])
      .where('resource_id', '=', covenantId)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((e) => [e.event_type, (e.details as { mayCoordinate?: boolean } | null)?.mayCoordinate ?? null]),
      [
        ['covenant.started', null],
        ['covenant.changed', true],
        ['covenant.changed', false],
        ['covenant.ended', null],
      ],
    );
  });

  test('covenants: unknown ids give 404, invalid dates 422', async () => {
    const unknownOrganisation = await admin('POST', `/organisations/${randomUUID()}/covenants`, {});
    assert.equal(unknownOrganisation.statusCode, 404);
    const unknownCovenant = await admin('POST', `/covenants/${randomUUID()}/suspend`);
    assert.equal(unknownCovenant.statusCode, 404);
    const organisation = await createOrganisation();
    const badDate = await admin('POST', `/organisations/${organisation.id}/covenants`, { startsOn: '2026-02-30' });
    assert.equal(badDate.statusCode, 422);
    assert.deepEqual(invalidNames(badDate.json()), ['startsOn']);
    const badReason = await admin('POST', `/organisations/${organisation.id}/covenants`, { reason: 'x' });
    assert.equal(badReason.statusCode, 422);
    assert.deepEqual(invalidNames(badReason.json()), ['reason']);
  });

  // ---------------------------------------------------------------- professionals

  test('professionals: create, duplicate e-mail in one organisation 409, list, PATCH', async () => {
    const organisation = await createOrganisation();
    const other = await createOrganisation();
    const path = `/organisations/${organisation.id}/professionals`;
    const created = await admin('POST', path, {
      name: 'Zoë de Vries',
      email: 'Zoe.deVries@Example.nl',
      phone: '+31 10 123 4567',
      jobTitle: 'Wijkverpleegkundige',
    });
    assert.equal(created.statusCode, 201, created.body);
    const { id, ...rest } = created.json();
    assert.deepEqual(rest, {
      organisationId: organisation.id,
      name: 'Zoë de Vries',
      email: 'zoe.devries@example.nl',
      phone: '+31 10 123 4567',
      jobTitle: 'Wijkverpleegkundige',
      active: true,
      coordinator: false,
      webAccount: 'none',
      invitationExpiresAt: null,
    });

    const duplicate = await admin('POST', path, { name: 'Another', email: 'ZOE.DEVRIES@example.nl', phone: '010 000 0000' });
    assert.equal(duplicate.statusCode, 409);
    assert.equal(duplicate.json().code, 'conflict');
    const elsewhere = await admin('POST', `/organisations/${other.id}/professionals`, {
      name: 'Zoë elsewhere',
      email: 'zoe.devries@example.nl',
      phone: '010 000 0000',
    });
    assert.equal(elsewhere.statusCode, 201, 'the same e-mail address in another organisation is fine');

    const second = await admin('POST', path, { name: 'Anton Bakker', email: 'anton@example.nl', phone: '010 999 8888' });
    assert.equal(second.statusCode, 201);
    const list = await admin('GET', path);
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().items.map((p: { name: string; jobTitle: string }) => [p.name, p.jobTitle]),
      [
        ['Anton Bakker', ''],
        ['Zoë de Vries', 'Wijkverpleegkundige'],
      ],
    );

    const patched = await admin('PATCH', `/professionals/${id}`, { phone: '06 1234 5678', jobTitle: 'Coördinator' });
    assert.equal(patched.statusCode, 200);
    assert.deepEqual(
      [patched.json().phone, patched.json().jobTitle, patched.json().email, patched.json().active],
      ['06 1234 5678', 'Coördinator', 'zoe.devries@example.nl', true],
    );
    const clash = await admin('PATCH', `/professionals/${second.json().id}`, { email: 'zoe.devries@example.nl' });
    assert.equal(clash.statusCode, 409);
    const missing = await admin('PATCH', `/professionals/${randomUUID()}`, { active: false });
    assert.equal(missing.statusCode, 404);
    const invalid = await admin('POST', path, { name: 'X', email: 'nope', phone: 'call me' });
    assert.equal(invalid.statusCode, 422);
    assert.deepEqual(invalidNames(invalid.json()), ['email', 'phone']);
    const unknownOrganisation = await admin('POST', `/organisations/${randomUUID()}/professionals`, {
      name: 'X',
      email: 'x@example.nl',
      phone: '010 000 0000',
    });
    assert.equal(unknownOrganisation.statusCode, 404);
  });

  // ---------------------------------------------------------------- API clients

  test('API clients: the token is in the creation answer only; the list holds no secrets; revoke once', async () => {
    const organisation = await createOrganisation();
    await admin('POST', `/organisations/${organisation.id}/covenants`, {});
    const created = await admin('POST', `/organisations/${organisation.id}/api-clients`, { name: 'Dossiersysteem' });
    assert.equal(created.statusCode, 201, created.body);
    const client = created.json();
    assert.deepEqual(Object.keys(client).sort(), ['createdAt', 'id', 'keyId', 'name', 'organisationId', 'revokedAt', 'token', 'tokens']);
    assert.deepEqual(
      client.tokens.map((k: Json) => [k.keyId, k.expiresAt, k.lastUsedAt]),
      [[client.keyId, null, null]],
    );
    assert.match(client.token, /^[A-Za-z0-9_-]{8,64}\.[A-Za-z0-9_-]{16,128}$/);
    assert.equal(client.token.split('.')[0], client.keyId);
    assert.deepEqual(
      [client.name, client.organisationId, client.revokedAt, client.createdAt],
      ['Dossiersysteem', organisation.id, null, t.clock.now().toISOString()],
    );
    const secret = client.token.split('.')[1];

    const directory = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: { authorization: `Bearer ${client.token}` } });
    assert.equal(directory.statusCode, 200, 'the new token works');

    const list = await admin('GET', `/organisations/${organisation.id}/api-clients`);
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().items.length, 1);
    for (const item of list.json().items)
      assert.deepEqual(Object.keys(item).sort(), ['createdAt', 'id', 'keyId', 'name', 'organisationId', 'revokedAt', 'tokens']);
    for (const item of list.json().items)
      for (const token of item.tokens) assert.deepEqual(Object.keys(token).sort(), ['createdAt', 'expiresAt', 'id', 'keyId', 'lastUsedAt']);
    for (const forbidden of [secret, client.token, 'secret', 'hash'])
      assert.ok(!list.body.toLowerCase().includes(forbidden.toLowerCase()), `the list must not contain ${forbidden}`);

    t.clock.advance(60_000);
    const revokedAt = t.clock.now().toISOString();
    const revoked = await admin('POST', `/api-clients/${client.id}/revoke`);
    assert.equal(revoked.statusCode, 200);
    assert.equal(revoked.json().revokedAt, revokedAt);
    assert.equal(revoked.json().token, undefined);
    const again = await admin('POST', `/api-clients/${client.id}/revoke`);
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'conflict');
    const unknown = await admin('POST', `/api-clients/${randomUUID()}/revoke`);
    assert.equal(unknown.statusCode, 404);
    const afterRevoke = await t.app.inject({ method: 'GET', url: '/api/v1/organisations', headers: { authorization: `Bearer ${client.token}` } });
    assert.equal(afterRevoke.statusCode, 401);
    assert.equal((await admin('GET', `/organisations/${organisation.id}/api-clients`)).json().items[0].revokedAt, revokedAt);
    const unknownOrganisation = await admin('POST', `/organisations/${randomUUID()}/api-clients`, { name: 'x' });
    assert.equal(unknownOrganisation.statusCode, 404);
  });

  // ---------------------------------------------------------------- settings

  test('settings: defaults, PATCH bumps the version, invalid values and unknown fields give 422 and change nothing', async () => {
    const initial = await admin('GET', '/settings');
    assert.equal(initial.statusCode, 200);
    const { updatedAt, ...defaults } = initial.json();
    assert.equal(typeof updatedAt, 'string');
    assert.deepEqual(defaults, {
      version: 1,
      regime: 'all_ages',
      signalLifetimeMonths: 24,
      historyRetentionMonths: 60,
      matchWithinOrganisation: false,
      mailMode: 'full',
      expiryNoticeDays: 28,
      deliveryMaxAttempts: 12,
      sessionIdleMinutes: 15,
      sessionAbsoluteHours: 12,
      theme: {},
      escalateNoCoordinatorWorkingDays: 10,
      escalateNoContactWorkingDays: 10,
      coordinatorDomainPriority: [],
      auditRetentionMonths: 0,
      privacyStatement: {},
      signalExtensionMonths: null,
      informingFollowUpDays: 14,
      caseConsultationRetentionMonths: 12,
      rightsRequestRetentionMonths: 24,
      familyMatching: true,
      familyMatchAgeLimit: 23,
      familyMatchIncludesParent: false,
      addressMatching: false,
      unbornSignals: false,
    });

    const changed = await admin('PATCH', '/settings', { regime: 'youth', signalLifetimeMonths: 12 });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(changed.json(), {
      version: 2,
      regime: 'youth',
      signalLifetimeMonths: 12,
      historyRetentionMonths: 60,
      matchWithinOrganisation: false,
      mailMode: 'full',
      expiryNoticeDays: 28,
      deliveryMaxAttempts: 12,
      sessionIdleMinutes: 15,
      sessionAbsoluteHours: 12,
      theme: {},
      escalateNoCoordinatorWorkingDays: 10,
      escalateNoContactWorkingDays: 10,
      coordinatorDomainPriority: [],
      auditRetentionMonths: 0,
      privacyStatement: {},
      signalExtensionMonths: null,
      informingFollowUpDays: 14,
      caseConsultationRetentionMonths: 12,
      rightsRequestRetentionMonths: 24,
      familyMatching: true,
      familyMatchAgeLimit: 23,
      familyMatchIncludesParent: false,
      addressMatching: false,
      unbornSignals: false,
      updatedAt: t.clock.now().toISOString(),
    });
    assert.deepEqual((await admin('GET', '/settings')).json(), changed.json());

    const invalid = await admin('PATCH', '/settings', { regime: 'kids', signalLifetimeMonths: 0, historyRetentionMonths: 241, matchWithinOrganisation: 'yes' });
    assert.equal(invalid.statusCode, 422);
    assert.deepEqual(invalidNames(invalid.json()), ['historyRetentionMonths', 'matchWithinOrganisation', 'regime', 'signalLifetimeMonths']);
    for (const body of [{ signalLifetimeMonths: 121 }, { signalLifetimeMonths: 1.5 }, { signalLifetimeMonths: '24' }, { historyRetentionMonths: -1 }]) {
      const response = await admin('PATCH', '/settings', body);
      assert.equal(response.statusCode, 422, JSON.stringify(body));
      assert.deepEqual(invalidNames(response.json()), Object.keys(body));
    }
    const unknown = await admin('PATCH', '/settings', { signalLifetimeMonths: 18, maxSignals: 5 });
    assert.equal(unknown.statusCode, 422);
    assert.deepEqual(unknown.json().invalidParams, [{ name: 'maxSignals', code: 'unknown_field', reason: 'This field is not part of the API; remove it.' }]);
    const empty = await admin('PATCH', '/settings', {});
    assert.equal(empty.statusCode, 422);
    assert.deepEqual((await admin('GET', '/settings')).json(), changed.json(), 'refused changes change nothing');

    const restored = await admin('PATCH', '/settings', { regime: 'all_ages', signalLifetimeMonths: 24 });
    assert.deepEqual({ ...restored.json<Json>(), updatedAt: undefined }, { ...initial.json<Json>(), version: 3, updatedAt: undefined });
  });

  // ---------------------------------------------------------------- staff members

  test('staff members: an administrator adds another, whose token works; a duplicate e-mail gives 409', async () => {
    const email = `Beheerder-${randomUUID()}@Gemeente.example`;
    const created = await admin('POST', '/staff-members', { name: 'Tweede Beheerder', email });
    assert.equal(created.statusCode, 201, created.body);
    const member = created.json();
    assert.deepEqual([member.name, member.email, member.roles], ['Tweede Beheerder', email.toLowerCase(), ['municipality_admin']]);
    const headers = { authorization: `Bearer ${member.token}` };
    const settings = await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers });
    assert.equal(settings.statusCode, 200);
    const organisation = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers,
      payload: { name: unique('Door tweede beheerder'), domains: ['safety'] },
    });
    assert.equal(organisation.statusCode, 201);
    const audited = await database()
      .db.selectFrom('audit_events')
      .select(['actor_id', 'actor_type'])
      .where('resource_id', '=', organisation.json().id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(audited, { actor_id: member.id, actor_type: 'staff' });

    const duplicate = await admin('POST', '/staff-members', { name: 'Dubbel', email: email.toUpperCase() });
    assert.equal(duplicate.statusCode, 409);
    const invalid = await admin('POST', '/staff-members', { name: '', email: 'nope', roles: ['root'] });
    assert.equal(invalid.statusCode, 422);
    assert.deepEqual(invalidNames(invalid.json()), ['email', 'name', 'roles.0']);
  });

  // ---------------------------------------------------------------- audit trail

  test('audit trail: newest first, paged with a cursor, filtered by event type and organisation; reading is audited', async () => {
    const organisation = await createOrganisation();
    await admin('PATCH', `/organisations/${organisation.id}`, { description: 'een' });
    await admin('PATCH', `/organisations/${organisation.id}`, { description: 'twee' });

    const first = await admin('GET', '/audit-events?limit=3');
    assert.equal(first.statusCode, 200, first.body);
    const page1 = first.json();
    assert.equal(page1.items.length, 3);
    assert.equal(typeof page1.nextCursor, 'string');
    const ids1 = page1.items.map((e: { id: number }) => e.id);
    assert.deepEqual(
      ids1,
      [...ids1].sort((x: number, y: number) => y - x),
      'newest first',
    );
    assert.deepEqual(
      page1.items.slice(0, 2).map((e: { eventType: string; organisationId: string }) => [e.eventType, e.organisationId]),
      [
        ['organisation.updated', organisation.id],
        ['organisation.updated', organisation.id],
      ],
    );
    const second = await admin('GET', `/audit-events?limit=3&cursor=${page1.nextCursor}`);
    const ids2 = second.json().items.map((e: { id: number }) => e.id);
    assert.equal(ids2.length, 3);
    assert.ok(ids2[0] < ids1[2], 'the next page continues where the first ended');
    assert.deepEqual(
      ids2,
      [...ids2].sort((x: number, y: number) => y - x),
    );

    const byType = await admin('GET', '/audit-events?eventType=organisation.updated&limit=100');
    assert.ok(byType.json().items.length >= 2);
    assert.ok(byType.json().items.every((e: { eventType: string }) => e.eventType === 'organisation.updated'));

    const byOrganisation = await admin('GET', `/audit-events?organisationId=${organisation.id}`);
    assert.deepEqual(
      byOrganisation.json().items.map((e: { eventType: string }) => e.eventType),
      ['organisation.updated', 'organisation.updated', 'organisation.created'],
    );
    assert.equal(byOrganisation.json().nextCursor, null);
    const combined = await admin('GET', `/audit-events?organisationId=${organisation.id}&eventType=organisation.created`);
    assert.deepEqual(
      combined.json().items.map((e: { resourceId: string }) => e.resourceId),
      [organisation.id],
    );

    const reads = await admin('GET', '/audit-events?eventType=audit.read&limit=1');
    const read = reads.json().items[0];
    assert.deepEqual([read.eventType, read.actorType, read.organisationId, read.details], ['audit.read', 'staff', null, { count: 1 }]);
    assert.equal(read.requestId, combined.headers['x-request-id'], 'the previous read was audited with its request id');
    assert.equal(read.actorId, t.admin.staffMemberId);
    // Names of the actor and organisation, and a filter on the outcome.
    assert.equal(
      combined.json().items[0].organisationName,
      (await database().db.selectFrom('organisations').select('name').where('id', '=', organisation.id).executeTakeFirstOrThrow()).name,
    );
    assert.equal(combined.json().items[0].actorName, 'Test Beheerder', 'the acting staff member is named');
    await admin('GET', '/audit-events?eventType=nope');
    await t.app.inject({ method: 'GET', url: '/api/v1/audit-events', headers: { authorization: 'Bearer no.such-token' } });
    const denied = await admin('GET', '/audit-events?outcome=denied&limit=100');
    assert.ok(denied.json().items.length >= 1);
    assert.ok(denied.json().items.every((e: { outcome: string }) => e.outcome === 'denied'));

    const badCursor = await admin('GET', '/audit-events?cursor=bm90LWEtbnVtYmVy');
    assert.equal(badCursor.statusCode, 400);
    assert.equal(badCursor.json().code, 'invalid_cursor');
    const badType = await admin('GET', '/audit-events?eventType=signal.deleted');
    assert.equal(badType.statusCode, 400);
    const badLimit = await admin('GET', '/audit-events?limit=101');
    assert.equal(badLimit.statusCode, 400);
  });

  test('audit search by BSN: the events about that person and no other, never echoing the BSN', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const [bsn, otherBsn] = [randomBsn(), randomBsn()];
    const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(bsn) });
    assert.equal(filed.statusCode, 201);
    t.clock.advance(1000);
    const matched = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: b.headers, payload: adultSignal(bsn) });
    const other = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(otherBsn) });
    assert.equal(other.statusCode, 201);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: a.headers });
    assert.equal(read.statusCode, 200);

    const search = await admin('POST', '/audit-events/search', { bsn });
    assert.equal(search.statusCode, 200, search.body);
    const items = search.json().items as { eventType: string; resourceId: string; subject: string; organisationId: string }[];
    assert.deepEqual(
      items.map((e) => [e.eventType, e.resourceId]),
      [
        ['signal.read', filed.json().signal.id],
        ['signal.created', matched.json().signal.id],
        ['signal.created', filed.json().signal.id],
      ],
    );
    assert.equal(new Set(items.map((e) => e.subject)).size, 1);
    assert.match(items[0]!.subject, /^[0-9a-f]{16}$/);
    assert.ok(!items.some((e) => e.resourceId === other.json().signal.id), "none of the other person's events");
    assert.ok(!search.body.includes(bsn), 'the answer never contains the BSN');
    assert.ok(!search.body.includes('Boer'), "nor the person's name");

    const otherSearch = await admin('POST', '/audit-events/search', { bsn: otherBsn });
    assert.deepEqual(
      otherSearch.json().items.map((e: { resourceId: string }) => e.resourceId),
      [other.json().signal.id],
    );
    assert.notEqual(otherSearch.json().items[0].subject, items[0]!.subject);

    // The search itself is audited against the person, so the next search shows it.
    const again = await admin('POST', '/audit-events/search', { bsn, eventType: 'audit.read' });
    assert.deepEqual(
      again.json().items.map((e: { eventType: string; requestId: string }) => [e.eventType, e.requestId]),
      [['audit.read', search.headers['x-request-id']]],
    );
    const limited = await admin('POST', '/audit-events/search', { bsn, limit: 1 });
    assert.equal(limited.json().items.length, 1);
    assert.equal(typeof limited.json().nextCursor, 'string');

    const nobody = await admin('POST', '/audit-events/search', { bsn: randomBsn() });
    assert.deepEqual(nobody.json(), { items: [], nextCursor: null, total: 0, totalExact: true });

    const invalid = await admin('POST', '/audit-events/search', { bsn: '123456789' });
    assert.equal(invalid.statusCode, 422);
    assert.deepEqual(invalid.json().invalidParams, [{ name: 'bsn', code: 'invalid_format', reason: 'Must be a valid BSN: 9 digits that pass the 11-test.' }]);
    assert.ok(!invalid.body.includes('123456789'));
    const missing = await admin('POST', '/audit-events/search', {});
    assert.equal(missing.statusCode, 422);
    assert.deepEqual(invalidNames(missing.json()), ['bsn']);
  });
});
