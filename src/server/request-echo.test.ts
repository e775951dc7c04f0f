/**
 * What a caller puts in a URL by mistake (a BSN in a path segment or a query parameter) is neither
 * echoed back nor written to the log, on every operation of the API and for unknown paths: the
 * problem's `instance` names the request, the log names the route pattern. Unknown query parameters
 * are refused on every operation, as unknown body fields are.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { apiOperations, callerHeaders, type Operation, urlOf } from '../test-support/api-walk.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, rowCounts, type TestApp } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';

const BSN = '708227156';

describeOnEachDatabase('nothing a caller typed is echoed or logged', (database) => {
  const log = captureLog();
  let t: TestApp;
  let operations: Operation[];
  let headers: Awaited<ReturnType<typeof callerHeaders>>;
  before(async () => {
    t = await createTestApp(database(), { logger: log.logger });
    headers = await callerHeaders(t, await t.organisation());
    operations = await apiOperations(t);
  });
  after(() => t.close());

  const send = (operation: Operation, url: string) =>
    t.app.inject({
      method: operation.method,
      url,
      headers: { ...headers[operation.caller], ...(operation.hasBody && { 'content-type': 'application/json' }) },
      ...(operation.hasBody && { payload: '{}' }),
    });

  test('a BSN in a path segment of any operation: refused, not echoed, not logged; the log has the route', async () => {
    const withParams = operations.filter((o) => o.pathParams.length > 0);
    assert.ok(withParams.length >= 20);
    for (const operation of withParams) {
      log.clear();
      const response = await send(
        operation,
        urlOf(operation, () => BSN),
      );
      assert.ok([400, 404].includes(response.statusCode), `${operation.method} ${operation.path}: ${response.statusCode} ${response.body}`);
      assert.ok(!response.body.includes(BSN), `${operation.method} ${operation.path} echoes the segment: ${response.body}`);
      assert.equal(response.json().instance, `urn:uuid:${response.headers['x-request-id']}`);
      assert.ok(leakedIn(log.text(), [BSN]).length === 0, `${operation.method} ${operation.path} logs the segment:\n${log.text()}`);
      assert.ok(log.text().includes(`"route":"/api/v1${operation.path.replace(/\{([^}]+)\}/g, ':$1')}"`), `${operation.path}: the route pattern is logged`);
    }
  });

  test('an unknown query parameter is refused on every operation, with the caller it declares; nothing written, nothing echoed', async () => {
    const before = await rowCounts(database().db);
    for (const operation of operations) {
      if (operation.caller === 'public') continue;
      log.clear();
      const response = await send(operation, `${urlOf(operation)}?bsn=${BSN}`);
      assert.equal(response.statusCode, 400, `${operation.method} ${operation.path}: ${response.body}`);
      assert.ok(
        response.json().invalidParams.some((p: { name: string; code: string }) => p.name === 'querystring:bsn' && p.code === 'unknown_field'),
        operation.path,
      );
      assert.ok(!response.body.includes(BSN) && leakedIn(log.text(), [BSN]).length === 0, operation.path);
    }
    // The public ones too: the setup with a query string.
    const setup = await t.app.inject({
      method: 'POST',
      url: `/api/v1/setup?bsn=${BSN}`,
      payload: { setupCode: 'AAAA-BBBB-CCCC', name: 'X', email: 'x@example.nl' },
    });
    assert.equal(setup.statusCode, 400);
    assert.deepEqual(await rowCounts(database().db), before);
  });

  test('unknown paths and methods, and a query parameter no route knows: a 404 that repeats neither', async () => {
    for (const url of [`/api/v1/${BSN}`, `/api/v1/persons/${BSN}`, `/api/v1/signals/${BSN}/history?bsn=${BSN}`, `/${BSN}`, `/signalen/${BSN}/x`]) {
      log.clear();
      const response = await t.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 404, url);
      assert.ok(!response.body.includes(BSN), `${url}: ${response.body.slice(0, 200)}`);
      assert.ok(leakedIn(log.text(), [BSN]).length === 0, `${url}:\n${log.text()}`);
      assert.match(log.text(), /"route":null/);
    }
    // A page behind sign-in keeps the way back only when it repeats our own words and ids.
    const page = await t.app.inject({ method: 'GET', url: `/signalen/${BSN}` });
    assert.equal(page.statusCode, 303);
    assert.equal(page.headers.location, '/inloggen');
  });

  test('a path that is not valid percent-encoding: a problem without the path', async () => {
    for (const url of [`/api/v1/signals/${BSN}%E0%A4%A`, `/api/v1/signals/%ED%A0%80${BSN}`]) {
      log.clear();
      const response = await t.app.inject({ method: 'GET', url, headers: headers.professional });
      assert.ok(response.statusCode === 400 || response.statusCode === 404, `${url}: ${response.statusCode}`);
      assert.match(String(response.headers['content-type']), /application\/problem\+json/);
      assert.ok(!response.body.includes(BSN) && leakedIn(log.text(), [BSN]).length === 0, `${url}: ${response.body}\n${log.text()}`);
    }
  });
});
