/**
 * SluiS tried from outside, as a careful reviewer would, on both engines: every operation of the
 * OpenAPI document, with the credentials of the caller it declares, gets generated path segments,
 * query strings and bodies (arbitrary Unicode with NUL and lone surrogates, very long strings, wrong
 * types, odd numbers and dates, and values that follow the schema closely enough to reach the
 * database). The web pages get the same in src/web/outside-in.property.test.ts. For every request:
 *   - never a 5xx;
 *   - a refusal repeats no identifier that was sent (a BSN-like number, a uuid, a typed name);
 *   - a refusal writes nothing (only the audit trail's own records of denied and not-found access);
 *   - the log holds none of the identifiers that were sent, whatever the answer.
 */
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { apiOperations, callerHeaders, type Operation } from '../test-support/api-walk.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';
import { captureLog } from '../test-support/log-capture.ts';
import { createChecker, encodeAny, type JsonSchema, noFindings, oddString, valueFor } from '../test-support/outside-in.ts';

const API_RUNS = Number(process.env.SLUIS_OUTSIDE_IN_RUNS ?? 300);

const asQueryValue = (value: unknown): string[] =>
  Array.isArray(value) ? value.flatMap(asQueryValue) : [typeof value === 'string' ? value : value === undefined ? '' : (JSON.stringify(value) ?? '')];

describeOnEachDatabase('SluiS tried from outside', (database) => {
  const log = captureLog();
  let t: TestApp;
  let operations: Operation[];
  let headers: Awaited<ReturnType<typeof callerHeaders>>;
  let ids: string[];

  before(async () => {
    t = await createTestApp(database(), { logger: log.logger });
    const a = await t.organisation();
    const b = await t.organisation();
    headers = await callerHeaders(t, a);
    operations = await apiOperations(t);
    // Something to find: a match between a and b, so that real ids reach the services and the database.
    const bsn = randomBsn();
    const first = (await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(bsn) })).json();
    const second = (await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: b.headers, payload: adultSignal(bsn) })).json();
    ids = [
      a.id,
      b.id,
      a.professionalId,
      b.professionalId,
      a.covenantId,
      a.apiClientId,
      first.signal.id,
      second.signal.id,
      second.match.id,
      t.admin.staffMemberId,
    ];
  });
  after(() => t.close());

  const checker = createChecker(database, log, () => ids);

  test('every operation of the API, with generated paths, queries and bodies', async (context) => {
    checker.reset();
    const requests = fc.constantFrom(...operations).chain((operation) =>
      fc.record({
        operation: fc.constant(operation),
        segments: fc.array(fc.oneof(fc.constantFrom(...ids), fc.uuid(), oddString), {
          minLength: operation.pathParams.length,
          maxLength: operation.pathParams.length,
        }),
        query: fc.record(Object.fromEntries(Object.entries(operation.querySchemas).map(([name, schema]) => [name, valueFor(schema, ids)])), {
          requiredKeys: [],
        }),
        unknownQuery: fc.option(fc.tuple(oddString, oddString), { freq: 5 }),
        body: operation.hasBody
          ? fc.oneof(
              { weight: 8, arbitrary: valueFor(operation.bodySchema as JsonSchema, ids).map((value) => JSON.stringify(value) ?? 'null') },
              { weight: 1, arbitrary: fc.constantFrom('{"person":', '', 'null', '[', '{"a":"\\ud800"}', '{"a":"\\u0000"}') },
            )
          : fc.constant(undefined),
      }),
    );
    await fc.assert(
      fc.asyncProperty(requests, async ({ operation, segments, query, unknownQuery, body }) => {
        let index = 0;
        const path = `/api/v1${operation.path.replace(/\{[^}]+\}/g, () => encodeAny(segments[index++]!))}`;
        const pairs = [
          ...Object.entries(query).flatMap(([name, value]) => asQueryValue(value).map((v) => [name, v] as const)),
          ...(unknownQuery ? [unknownQuery] : []),
        ];
        const url = pairs.length > 0 ? `${path}?${pairs.map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`).join('&')}` : path;
        // The identifiers are found in the raw JSON text as well as in the parsed strings: escaping leaves digits, uuids and markers alone.
        const sent = [...segments, ...pairs.flat(), body ?? ''];
        noFindings(
          await checker.check(
            () =>
              t.app.inject({
                method: operation.method,
                url,
                headers: { ...headers[operation.caller], ...(body !== undefined && { 'content-type': 'application/json' }) },
                ...(body !== undefined && { payload: body }),
              }),
            sent,
            `${operation.method} ${operation.path} ${url.slice(0, 200)} ${String(body).slice(0, 300)}`,
          ),
        );
      }),
      { numRuns: API_RUNS, endOnFailure: true },
    );
    context.diagnostic(`answers: ${checker.histogram()}`);
  });
});
