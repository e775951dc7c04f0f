/**
 * The published contract: /api/v1/openapi.json is OpenAPI 3.1, documents every route the app
 * registers with its security, never shows a BSN in a response schema; every response carries the
 * API-Version, security and no-store headers; unknown paths get a problem. No engine dependence:
 * PGlite only.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { apiOperations, callerHeaders, urlOf } from '../test-support/api-walk.ts';
import { createTestDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp } from '../test-support/fixtures.ts';

type Json = Record<string, unknown>;
const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

/** The routes as `METHOD /path` lines, read from the tree that printRoutes draws. */
function routesFromTree(tree: string): string[] {
  const stack: string[] = [];
  const routes: string[] = [];
  for (const line of tree.split('\n')) {
    const match = /^((?:│ {3}| {4})*)(?:├── |└── )(\S+)(?: \(([^)]+)\))?$/.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = path;
    for (const method of (match[3] ?? '')
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean))
      routes.push(`${method} ${path}`);
  }
  return routes.sort();
}

/** Every object key `properties.<name>` reachable from `node`, following local $refs. */
function propertyNames(node: unknown, document: Json, seen = new Set<unknown>()): Set<string> {
  const names = new Set<string>();
  const visit = (value: unknown) => {
    if (!value || typeof value !== 'object' || seen.has(value)) return;
    seen.add(value);
    if (Array.isArray(value)) return value.forEach(visit);
    const object = value as Json;
    if (typeof object.$ref === 'string') visit(resolve(document, object.$ref));
    if (object.properties && typeof object.properties === 'object') for (const name of Object.keys(object.properties)) names.add(name);
    for (const child of Object.values(object)) visit(child);
  };
  visit(node);
  return names;
}

function resolve(document: Json, ref: string): unknown {
  if (ref.startsWith('#/'))
    return ref
      .slice(2)
      .split('/')
      .reduce<unknown>((node, key) => (node as Json | undefined)?.[key], document);
  // Schemas registered with an $id (such as Problem) are referenced by that id.
  const schemas = (document.components as { schemas?: Json } | undefined)?.schemas ?? {};
  return schemas[ref.replace(/#$/, '')];
}

describe('OpenAPI document and HTTP conventions [pglite]', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  let document: Json;
  before(async () => {
    const database = await createTestDatabase('pglite');
    t = await createTestApp(database);
    close = async () => {
      await t.close();
      await database.drop();
    };
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' });
    assert.equal(response.statusCode, 200);
    document = response.json();
  });
  after(() => close());

  const operations = () =>
    Object.entries(document.paths as Record<string, Json>).flatMap(([path, item]) =>
      METHODS.filter((method) => item[method]).map((method) => ({ path, method, operation: item[method] as Json })),
    );

  test('the document is OpenAPI 3.1 with a bearer scheme and the /api/v1 server', () => {
    assert.equal(document.openapi, '3.1.0');
    assert.equal((document.info as Json).version, '1.0.0');
    assert.equal((document.info as Json).title, 'SluiS API');
    assert.deepEqual(document.servers, [{ url: '/api/v1' }]);
    assert.deepEqual((document.components as { securitySchemes: Json }).securitySchemes.bearer, {
      type: 'http',
      scheme: 'bearer',
      description: 'An API token `<keyId>.<secret>`',
    });
  });

  test('it lists every route the app registers, and nothing else', async () => {
    const registered = routesFromTree(t.app.printRoutes({ commonPrefix: false }))
      .filter((route) => !route.startsWith('HEAD '))
      .filter((route) => !['GET /api/v1/openapi.json', 'GET /health'].includes(route))
      // The web pages are not part of the API (see docs/web.md).
      .filter((route) => route.split(' ')[1]!.startsWith('/api/'));
    const expected = [
      'GET /api/v1/audit-events',
      'GET /api/v1/data-breaches',
      'GET /api/v1/processing-activities',
      'GET /api/v1/policy-figures',
      'GET /api/v1/audit-events/logbook',
      'POST /api/v1/data-breaches',
      'GET /api/v1/data-breaches/:id',
      'PATCH /api/v1/data-breaches/:id',
      'POST /api/v1/data-breaches/:id/notices',
      'POST /api/v1/audit-events/search',
      'POST /api/v1/api-clients/:id/revoke',
      'POST /api/v1/api-clients/:id/tokens',
      'POST /api/v1/api-clients/:id/tokens/:tokenId/revoke',
      'PATCH /api/v1/covenants/:id',
      'POST /api/v1/covenants/:id/end',
      'POST /api/v1/covenants/:id/resume',
      'POST /api/v1/covenants/:id/suspend',
      'GET /api/v1/matches',
      'GET /api/v1/matches/:id',
      'GET /api/v1/matches/:id/coordination',
      'POST /api/v1/matches/:id/coordination',
      'POST /api/v1/matches/:id/contact',
      'GET /api/v1/escalations',
      'GET /api/v1/escalations/:matchId',
      'POST /api/v1/escalations/:matchId/appoint',
      'POST /api/v1/escalations/:matchId/resolve',
      'GET /api/v1/follow-up',
      'GET /api/v1/organisations',
      'POST /api/v1/organisations',
      'GET /api/v1/organisations/:id',
      'PATCH /api/v1/organisations/:id',
      'GET /api/v1/organisations/:id/api-clients',
      'POST /api/v1/organisations/:id/api-clients',
      'GET /api/v1/organisations/:id/covenants',
      'POST /api/v1/organisations/:id/covenants',
      'GET /api/v1/organisations/:id/professionals',
      'POST /api/v1/organisations/:id/professionals',
      'PATCH /api/v1/professionals/:id',
      'POST /api/v1/professionals/:id/web-invitation',
      'GET /api/v1/settings',
      'PATCH /api/v1/settings',
      'POST /api/v1/setup',
      'GET /api/v1/signals',
      'POST /api/v1/signals',
      'POST /api/v1/signals/search',
      'GET /api/v1/signals/:id',
      'POST /api/v1/signals/:id/end',
      'POST /api/v1/signals/:id/bsn',
      'POST /api/v1/signals/:id/extend',
      'POST /api/v1/signals/:id/informing',
      'GET /api/v1/signals/:id/information-letter',
      'POST /api/v1/staff-members',
      'PATCH /api/v1/staff-members/:id',
      'GET /api/v1/events',
      'GET /api/v1/webhook-subscriptions',
      'POST /api/v1/webhook-subscriptions',
      'POST /api/v1/webhook-subscriptions/:id/rotate-secret',
      'DELETE /api/v1/webhook-subscriptions/:id',
      'GET /api/v1/deliveries',
      'POST /api/v1/deliveries/:id/retry',
      'GET /api/v1/dev-mailbox',
      'GET /api/v1/case-consultations',
      'POST /api/v1/case-consultations',
      'GET /api/v1/case-consultations/:id',
      'PATCH /api/v1/case-consultations/:id',
      'POST /api/v1/case-consultations/:id/participants',
      'DELETE /api/v1/case-consultations/:id/participants/:participantId',
      'POST /api/v1/case-consultations/:id/declaration',
      'POST /api/v1/case-consultations/:id/decline',
      'POST /api/v1/case-consultations/:id/consents',
      'POST /api/v1/case-consultations/:id/reasoning',
      'POST /api/v1/case-consultations/:id/informing',
      'POST /api/v1/case-consultations/:id/sharings',
      'POST /api/v1/case-consultations/:id/meetings',
      'PUT /api/v1/case-consultations/:id/meetings/:meetingId/attendees',
      'POST /api/v1/case-consultations/:id/action-points',
      'POST /api/v1/case-consultations/:id/action-points/:actionPointId/done',
      'POST /api/v1/case-consultations/:id/identify',
      'POST /api/v1/case-consultations/:id/close',
      'GET /api/v1/case-consultation-figures',
      'GET /api/v1/municipality-contacts',
      'PUT /api/v1/municipality-contacts/:municipalityCode',
      'DELETE /api/v1/municipality-contacts/:municipalityCode',
      'GET /api/v1/excluded-addresses',
      'POST /api/v1/excluded-addresses',
      'POST /api/v1/excluded-addresses/import',
      'DELETE /api/v1/excluded-addresses/:id',
      'GET /api/v1/rights-requests',
      'POST /api/v1/rights-requests',
      'GET /api/v1/rights-requests/:id',
      'POST /api/v1/rights-requests/:id/status',
      'POST /api/v1/rights-requests/:id/extension',
      'POST /api/v1/rights-requests/:id/decision',
      'POST /api/v1/rights-requests/:id/letter',
      'POST /api/v1/rights-requests/:id/execution',
      'POST /api/v1/rights-requests/:id/restriction-lifting',
      'GET /api/v1/rights-requests/:id/inspection',
      'GET /api/v1/rights-requests/:id/inspection-letter',
      'POST /api/v1/signals/:id/rights-requests',
    ].sort();
    assert.deepEqual(registered, expected, 'the app registers the routes this test knows (update the list when adding one)');
    const documented = operations()
      .map(({ path, method }) => `${method.toUpperCase()} /api/v1${path.replace(/\{(\w+)\}/g, ':$1')}`)
      .sort();
    assert.deepEqual(documented, registered);
    for (const route of registered) {
      const [method, url] = route.split(' ') as [string, string];
      assert.ok(t.app.hasRoute({ method, url }), route);
    }
  });

  test('every operation requires the bearer token, except /setup', () => {
    for (const { path, method, operation } of operations()) {
      if (path === '/setup') {
        assert.equal(operation.security, undefined, 'setup is called before anyone has a token');
        continue;
      }
      assert.deepEqual(operation.security, [{ bearer: [] }], `${method} ${path}`);
      assert.ok((operation.responses as Json)['4XX'] && (operation.responses as Json)['5XX'], `${method} ${path} documents its problems`);
    }
  });

  test('no response schema has a property named bsn (while request bodies do)', () => {
    const responseNames = new Set<string>();
    for (const { path, method, operation } of operations()) {
      const names = propertyNames(operation.responses, document);
      assert.ok(!names.has('bsn'), `${method} ${path} has a bsn in a response schema`);
      for (const name of names) responseNames.add(name);
    }
    // The walk does see nested properties: a check that would find a bsn if one were there.
    assert.ok(responseNames.has('familyName') && responseNames.has('invalidParams') && responseNames.has('participants'));
    const filing = ((document.paths as Record<string, Json>)['/signals']!.post as Json).requestBody;
    assert.ok(propertyNames(filing, document).has('bsn'), 'the filing request body does take a bsn');
    const search = ((document.paths as Record<string, Json>)['/audit-events/search']!.post as Json).requestBody;
    assert.ok(propertyNames(search, document).has('bsn'));
  });

  test('a request body is required where the route needs one; optional where it takes none', () => {
    const post = (path: string) => ((document.paths as Record<string, Json>)[path]!.post as Json).requestBody as Json;
    assert.equal(post('/signals').required, true);
    for (const action of ['suspend', 'resume', 'end']) assert.equal(post(`/covenants/{id}/${action}`).required, false, action);
  });

  test('every answer carries API-Version, security headers and cache-control: no-store', async () => {
    const answers = [
      await t.app.inject({ method: 'GET', url: '/api/v1/openapi.json' }),
      await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: t.adminHeaders }),
      await t.app.inject({ method: 'GET', url: '/api/v1/settings' }),
      await t.app.inject({ method: 'POST', url: '/api/v1/organisations', headers: t.adminHeaders, payload: { name: '' } }),
      await t.app.inject({ method: 'GET', url: '/api/v1/no-such-thing' }),
      await t.app.inject({ method: 'GET', url: '/health' }),
    ];
    assert.deepEqual(
      answers.map((a) => a.statusCode),
      [200, 200, 401, 422, 404, 200],
    );
    for (const answer of answers) {
      const label = `${answer.statusCode} ${answer.body.slice(0, 60)}`;
      assert.equal(answer.headers['api-version'], '1.0.0', label);
      assert.equal(answer.headers['x-content-type-options'], 'nosniff', label);
      assert.equal(answer.headers['cache-control'], 'no-store', label);
      const csp = String(answer.headers['content-security-policy']);
      assert.match(csp, /(^|;)default-src 'none'(;|$)/, label);
      assert.match(csp, /(^|;)frame-ancestors 'none'(;|$)/, label);
      assert.equal(answer.headers['referrer-policy'], 'no-referrer', label);
      assert.match(String(answer.headers['x-request-id']), /^[0-9a-f-]{36}$/, label);
    }
  });

  test('an unknown path or method gives a 404 problem', async () => {
    for (const [method, url] of [
      ['GET', '/api/v1/nothing-here'],
      ['DELETE', '/api/v1/signals'],
      ['GET', '/api/v2/signals'],
    ] as const) {
      const response = await t.app.inject({ method, url: `${url}?bsn=123456782` });
      assert.equal(response.statusCode, 404, `${method} ${url}`);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      assert.deepEqual(response.json(), {
        type: 'https://sluis.example/problems/not_found',
        title: 'Not found',
        status: 404,
        detail: 'There is no such endpoint. See /api/v1/openapi.json.',
        instance: `urn:uuid:${response.headers['x-request-id']}`,
        code: 'not_found',
      });
      assert.ok(!response.body.includes('123456782') && !response.body.includes(url), 'neither the path nor the query is echoed');
    }
    // Outside /api the answer is the Dutch "Niet gevonden" page.
    const page = await t.app.inject({ method: 'GET', url: '/bestaat-niet?bsn=123456782' });
    assert.equal(page.statusCode, 404);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.body, /Niet gevonden/);
    assert.ok(!page.body.includes('123456782'));
  });

  test('a body that is not JSON gets 415 on every operation that takes one, as docs/api.md says', async () => {
    const headers = await callerHeaders(t, await t.organisation());
    const withBody = (await apiOperations(t)).filter((o) => o.hasBody && o.caller !== 'public');
    assert.ok(withBody.length >= 20);
    for (const operation of withBody) {
      for (const contentType of [
        'text/plain',
        'text/plain; charset=utf-8',
        'application/x-www-form-urlencoded',
        'application/xml',
        'multipart/form-data; boundary=x',
        'application/jsonx',
        undefined,
      ]) {
        const response = await t.app.inject({
          method: operation.method,
          url: urlOf(operation),
          payload: '{"name":"x"}',
          headers: { ...headers[operation.caller], ...(contentType ? { 'content-type': contentType } : {}) },
        });
        assert.equal(response.statusCode, 415, `${operation.method} ${operation.path} with ${contentType}: ${response.body}`);
        assert.equal(response.json().code, 'unsupported_media_type');
      }
    }
  });
});
