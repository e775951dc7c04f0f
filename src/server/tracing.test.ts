/**
 * W3C traceparent: a valid one continues the caller's trace, an invalid one is ignored; the trace id
 * is in the response, on the request's log lines and on every audit event the request wrote (also
 * those written by the filing's database function), and the audit API and the Logboek export show it.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseTraceparent } from '../shared/trace-context.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';
import { captureLog } from '../test-support/log-capture.ts';

const TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT = '00f067aa0ba902b7';

test('traceparent is parsed as the W3C Trace Context says', () => {
  assert.deepEqual(parseTraceparent(`00-${TRACE}-${PARENT}-01`), { traceId: TRACE, parentId: PARENT, sampled: true });
  assert.deepEqual(parseTraceparent(` 00-${TRACE}-${PARENT}-00 `), { traceId: TRACE, parentId: PARENT, sampled: false });
  // A later version: the first four fields are read, what follows a dash is left alone.
  assert.deepEqual(parseTraceparent(`cc-${TRACE}-${PARENT}-09-what-comes-later`), { traceId: TRACE, parentId: PARENT, sampled: true });
  for (const invalid of [
    undefined,
    '',
    `00-${TRACE.toUpperCase()}-${PARENT}-01`,
    `00-${'0'.repeat(32)}-${PARENT}-01`,
    `00-${TRACE}-${'0'.repeat(16)}-01`,
    `ff-${TRACE}-${PARENT}-01`,
    `00-${TRACE}-${PARENT}-01-extra`,
    `00-${TRACE.slice(1)}-${PARENT}-01`,
    `00-${TRACE}-${PARENT}-1`,
    `cc-${TRACE}-${PARENT}-01.extra`,
    `00-${TRACE}-${PARENT}-01, 00-${TRACE}-${PARENT}-01`,
  ]) {
    assert.equal(parseTraceparent(invalid), undefined, String(invalid));
  }
});

describeOnEachDatabase('traceparent', (database) => {
  const log = captureLog();
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { logger: log.logger });
  });
  after(() => t.close());

  const traceIdOf = (header: unknown) => {
    const match = /^00-([0-9a-f]{32})-([0-9a-f]{16})-0[01]$/.exec(String(header));
    assert.ok(match, `a traceparent in the response: ${String(header)}`);
    return { traceId: match[1]!, spanId: match[2]! };
  };

  test('a filing continues the caller trace: response, log lines, audit events and the audit API carry its id', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(bsn) });
    assert.equal(first.statusCode, 201);
    log.clear();
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: { ...b.headers, traceparent: `00-${TRACE}-${PARENT}-01` },
      payload: adultSignal(bsn),
    });
    assert.equal(response.statusCode, 201);
    const sent = traceIdOf(response.headers.traceparent);
    assert.equal(sent.traceId, TRACE);
    assert.notEqual(sent.spanId, PARENT, 'our own span');
    assert.equal(response.headers.traceparent, `00-${TRACE}-${sent.spanId}-01`, 'the sampled flag kept');

    const requestLines = log.lines().filter((line) => line.reqId === response.headers['x-request-id']);
    assert.ok(requestLines.length >= 2, 'incoming request and request completed');
    for (const line of requestLines) assert.equal(line.traceId, TRACE);

    const requestId = String(response.headers['x-request-id']);
    const events = await t.services.db.selectFrom('audit_events').select(['event_type', 'request_id']).where('trace_id', '=', TRACE).execute();
    // signal.created is written by the filing's database function, which takes the trace from the statement.
    assert.ok(events.some((e) => e.event_type === 'signal.created'));
    for (const event of events) assert.equal(event.request_id, requestId, event.event_type);
    const untraced = await t.services.db
      .selectFrom('audit_events')
      .select('event_type')
      .where('request_id', '=', requestId)
      .where('trace_id', 'is', null)
      .execute();
    assert.deepEqual(untraced, []);

    const read = await t.app.inject({ method: 'GET', url: '/api/v1/audit-events?eventType=signal.created&limit=5', headers: t.adminHeaders });
    const items = (read.json() as { items: { requestId: string; traceId: string | null }[] }).items;
    assert.ok(items.some((item) => item.traceId === TRACE));
    const logbook = await t.app.inject({
      method: 'GET',
      url: '/api/v1/audit-events/logbook?from=2026-03-01T00:00:00Z&to=2026-04-01T00:00:00Z',
      headers: t.adminHeaders,
    });
    const records = logbook.body
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { trace_id: string; name: string });
    assert.ok(
      records.some((record) => record.trace_id === TRACE && record.name === 'signal.created'),
      'the Logboek record carries the trace',
    );
  });

  test('an invalid traceparent is ignored: a new trace, on the audit events too; none outside a request', async () => {
    const invalid = `00-${TRACE.toUpperCase()}-${PARENT}-01`;
    const first = await t.app.inject({
      method: 'POST',
      url: '/api/v1/organisations',
      headers: { ...t.adminHeaders, traceparent: invalid },
      payload: { name: 'Met trace', domains: ['social_support'] },
    });
    assert.equal(first.statusCode, 201);
    const second = await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: t.adminHeaders });
    const [one, two] = [traceIdOf(first.headers.traceparent), traceIdOf(second.headers.traceparent)];
    assert.notEqual(one.traceId, TRACE.toLowerCase());
    assert.notEqual(one.traceId, two.traceId);
    assert.match(String(first.headers.traceparent), /-00$/, 'a new trace is not sampled');
    const created = await t.services.db
      .selectFrom('audit_events')
      .select('trace_id')
      .where('resource_id', '=', (first.json() as { id: string }).id)
      .executeTakeFirstOrThrow();
    assert.equal(created.trace_id, one.traceId, 'an event written by the audit writer carries the new trace');

    const organisation = await t.services.organisations.create(t.admin, { name: 'Zonder trace', domains: ['social_support'] });
    const event = await t.services.db.selectFrom('audit_events').select('trace_id').where('resource_id', '=', organisation.id).executeTakeFirstOrThrow();
    assert.equal(event.trace_id, null);
  });
});
