/**
 * Webhook URLs may not reach internal addresses, through the real API, the coordinator's page and
 * the real delivery worker with a real receiver on 127.0.0.1: refused at registration (nothing
 * stored), and refused again at delivery when the name has come to point inside (DNS rebinding),
 * as a failed try that never reaches the receiver. Names resolve through fixed answers here (tests
 * have no public DNS), except `localhost`, which the machine resolves itself.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { signInByInject, webProfessional } from '../test-support/web.ts';
import { hostsResolver, LOOPBACK_NETWORKS } from '../test-support/webhook-addresses.ts';
import { startWebhookReceiver } from '../test-support/webhook-receiver.ts';
import { createDeliveryWorker } from './delivery-worker.ts';
import { createWebhookAddressGuard, type ResolveHost, resolveWithDns } from './webhook-address-guard.ts';

const HOUR = 3_600_000;
const PUBLIC_NAMES = { 'crm.zorg.example': ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'] };
/** Fixed answers for a few names, the machine's resolver for `localhost`, and "does not exist" for anything else. */
const resolve: ResolveHost = hostsResolver(
  {
    ...PUBLIC_NAMES,
    'inside.zorg.example': ['10.1.2.3'],
    'half.zorg.example': ['93.184.215.14', '127.0.0.1'],
    'metadata.zorg.example': ['169.254.169.254'],
  },
  (name) => (name === 'localhost' ? resolveWithDns(name) : Promise.reject(Object.assign(new Error(`getaddrinfo ENOTFOUND ${name}`), { code: 'ENOTFOUND' }))),
);

describeOnEachDatabase('webhook addresses', (database) => {
  let strict: TestApp; // SLUIS_WEBHOOK_ALLOWED_NETWORKS empty: the production default
  let lenient: TestApp; // loopback allowed, as the tests, the demo and the benchmark run
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;

  before(async () => {
    receiver = await startWebhookReceiver();
    strict = await createTestApp(database(), { webhookAddresses: { allowedNetworks: [], resolve } });
    lenient = await createTestApp(database(), {
      webhookAddresses: { allowedNetworks: LOOPBACK_NETWORKS, resolve: hostsResolver({ 'hook.zorg.example': ['127.0.0.1'] }, resolve) },
    });
  });
  after(async () => {
    await strict.close();
    await lenient.close();
    await receiver.close();
  });

  const subscribe = (t: TestApp, org: TestOrganisation, url: string) =>
    t.app.inject({
      method: 'POST',
      url: '/api/v1/webhook-subscriptions',
      headers: { authorization: org.headers.authorization! },
      payload: { url, eventTypes: ['match.created'] },
    });
  const stored = async (org: TestOrganisation) => ({
    subscriptions: (await database().db.selectFrom('webhook_subscriptions').select('url').where('organisation_id', '=', org.id).execute()).map((r) => r.url),
    audited: (
      await database().db.selectFrom('audit_events').select('id').where('organisation_id', '=', org.id).where('event_type', '=', 'webhook.subscribed').execute()
    ).length,
  });

  test('with no networks allowed, internal addresses are refused with 422 and nothing is stored; a public name is accepted', async () => {
    const org = await strict.organisation();
    const refused: Array<[string, string]> = [
      [receiver.url, 'address_not_allowed'], // http://127.0.0.1:<port>/…
      ['http://[::1]/', 'address_not_allowed'],
      ['http://169.254.169.254/latest/meta-data/', 'address_not_allowed'],
      ['http://10.0.0.1/', 'address_not_allowed'],
      ['https://10.0.0.1/', 'address_not_allowed'],
      ['https://[::ffff:127.0.0.1]/', 'address_not_allowed'],
      ['https://[fd00::1]/', 'address_not_allowed'],
      ['https://2130706433/', 'address_not_allowed'], // 127.0.0.1 written as a number
      ['https://0x7f.1/', 'address_not_allowed'],
      ['https://localhost/', 'address_not_allowed'], // resolved by the machine: 127.0.0.1 (and ::1)
      ['https://inside.zorg.example/hook', 'address_not_allowed'],
      ['https://metadata.zorg.example/hook', 'address_not_allowed'],
      ['https://half.zorg.example/hook', 'address_not_allowed'], // one public address does not make up for an internal one
      ['https://nowhere.zorg.example/hook', 'host_not_resolved'],
      ['http://crm.zorg.example/hook', 'https_required'],
      ['https://sluis:geheim@crm.zorg.example/hook', 'credentials_not_allowed'],
    ];
    for (const [url, code] of refused) {
      const response = await subscribe(strict, org, url);
      assert.equal(response.statusCode, 422, `${url}: ${response.body}`);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
      const problem = response.json();
      assert.equal(problem.code, 'invalid_input');
      assert.equal(problem.invalidParams.length, 1);
      assert.equal(problem.invalidParams[0].name, 'url');
      assert.equal(problem.invalidParams[0].code, code, url);
      assert.ok(!problem.detail.includes('10.1.2.3') && !JSON.stringify(problem).includes('10.1.2.3'), 'an internal address found by resolving is never told');
    }
    assert.deepEqual(await stored(org), { subscriptions: [], audited: 0 });

    const accepted = await subscribe(strict, org, 'https://crm.zorg.example/hook');
    assert.equal(accepted.statusCode, 201, accepted.body);
    assert.deepEqual(await stored(org), { subscriptions: ['https://crm.zorg.example/hook'], audited: 1 });
  });

  test("the coordinator's page refuses an internal address with a Dutch explanation, and stores nothing", async () => {
    const org = await strict.organisation();
    const session = await signInByInject(strict, await webProfessional(strict, org, { coordinator: true }));
    const post = (url: string) => session.post('/organisatie/koppelingen/webhooks', { url, client: org.apiClientId, gebeurtenissen: ['match.created'] });
    const internal = await post('http://169.254.169.254/latest/meta-data/');
    assert.equal(internal.statusCode, 422);
    assert.match(internal.body, /href="#webhook-url"/);
    assert.match(internal.body, /wijst naar een intern of gereserveerd netwerkadres/);
    assert.match((await post('https://nowhere.zorg.example/hook')).body, /kan de naam in dit adres niet vinden/);
    assert.match((await post('http://crm.zorg.example/hook')).body, /moet beginnen met https:\/\//);
    assert.deepEqual(await stored(org), { subscriptions: [], audited: 0 });
    assert.equal((await post('https://crm.zorg.example/hook')).statusCode, 200);
  });

  test('with loopback allowed, a receiver on 127.0.0.1 (by address or by a name) is accepted, over plain http too', async () => {
    const org = await lenient.organisation();
    assert.equal((await subscribe(lenient, org, receiver.url)).statusCode, 201);
    assert.equal((await subscribe(lenient, org, receiver.url.replace('127.0.0.1', 'hook.zorg.example'))).statusCode, 201);
    assert.equal((await subscribe(lenient, org, 'https://10.0.0.1/')).statusCode, 422, 'only the allowed networks, not every internal one');
  });

  test('at delivery the address is checked again: a name that now points inside, or a refused literal, fails the try and nothing reaches the receiver', async () => {
    const [a, b] = [await lenient.organisation(), await lenient.organisation()];
    // Registered while allowed: A by a name (resolving to 127.0.0.1 then), B by the address itself.
    assert.equal((await subscribe(lenient, a, receiver.url.replace('127.0.0.1', 'hook.zorg.example'))).statusCode, 201);
    assert.equal((await subscribe(lenient, b, receiver.url)).statusCode, 201);
    const bsn = randomBsn();
    for (const org of [a, b]) {
      lenient.clock.advance(1000);
      const filed = await lenient.app.inject({
        method: 'POST',
        url: '/api/v1/signals',
        headers: org.headers,
        payload: adultSignal(bsn, lenient.clock.now().toISOString().slice(0, 10)),
      });
      assert.equal(filed.statusCode, 201, filed.body);
    }
    const { db, settings, audit, dispatcher, mail } = lenient.services;
    const clock = lenient.clock;
    const workerWith = (allowedNetworks: readonly string[], names: ResolveHost) =>
      createDeliveryWorker({ db, clock, settings, audit, dispatcher, mail, webhookAddresses: createWebhookAddressGuard({ allowedNetworks, resolve: names }) });
    const attempts = async (org: TestOrganisation) =>
      database()
        .db.selectFrom('delivery_attempts as da')
        .innerJoin('deliveries as d', 'd.id', 'da.delivery_id')
        .select(['da.outcome', 'da.error', 'd.status', 'd.last_error'])
        .where('d.organisation_id', '=', org.id)
        .where('d.channel', '=', 'webhook')
        .orderBy('da.id')
        .execute();
    const start = receiver.calls.length;

    // The allowance taken away: the address literal and the name (still resolving to 127.0.0.1) are both refused.
    await workerWith([], async () => ['127.0.0.1']).runOnce();
    assert.equal(receiver.calls.length, start, 'no request reached the receiver');
    assert.deepEqual(
      (await attempts(b)).map((x) => [x.outcome, x.error?.split(':')[0], x.status]),
      [['failed', 'address_not_allowed', 'pending']],
    );
    // Rebinding: loopback allowed again, but A's name now resolves to an internal address that is not.
    clock.advance(HOUR);
    await workerWith(LOOPBACK_NETWORKS, async () => ['10.0.0.7']).runOnce();
    const reached = receiver.calls.slice(start).map((call) => JSON.parse(call.body).data.organisationId);
    assert.deepEqual(reached, [b.id], "only B's call (to the allowed literal) reached the receiver");
    const tried = await attempts(a);
    assert.equal(tried.length, 2);
    for (const attempt of tried) {
      assert.equal(attempt.outcome, 'failed');
      assert.match(attempt.error ?? '', /^address_not_allowed: /);
      assert.equal(attempt.status, 'pending', 'retried later, like any failure, until the maximum number of tries');
      assert.doesNotMatch(attempt.error ?? '', /10\.0\.0\.7/, 'the internal address is not told');
    }
    assert.match(tried[1]!.last_error ?? '', /^address_not_allowed: /);

    // The name points at the receiver again: A's event arrives, once.
    clock.advance(HOUR);
    await lenient.services.deliveryWorker.runOnce();
    assert.deepEqual(
      receiver.calls.slice(start).map((call) => JSON.parse(call.body).data.organisationId),
      [b.id, a.id],
    );
    assert.deepEqual(
      (await attempts(a)).map((x) => x.outcome),
      ['failed', 'failed', 'delivered'],
    );
  });

  test('a redirect is not followed: a 3xx answer is a failed try', async () => {
    const { createServer } = await import('node:http');
    let redirected = 0;
    const server = createServer((request, response) => {
      if (request.url === '/target') redirected++;
      request.resume();
      response.writeHead(307, { location: '/target' }).end();
    });
    const port = await new Promise<number>((done) => server.listen(0, '127.0.0.1', () => done((server.address() as { port: number }).port)));
    try {
      const [a, b] = [await lenient.organisation(), await lenient.organisation()];
      assert.equal((await subscribe(lenient, a, `http://127.0.0.1:${port}/hook`)).statusCode, 201);
      const bsn = randomBsn();
      for (const org of [a, b])
        await lenient.app.inject({
          method: 'POST',
          url: '/api/v1/signals',
          headers: org.headers,
          payload: adultSignal(bsn, lenient.clock.now().toISOString().slice(0, 10)),
        });
      await lenient.services.deliveryWorker.runOnce();
      const attempt = await database()
        .db.selectFrom('delivery_attempts as da')
        .innerJoin('deliveries as d', 'd.id', 'da.delivery_id')
        .select(['da.outcome', 'da.error'])
        .where('d.organisation_id', '=', a.id)
        .where('d.channel', '=', 'webhook')
        .executeTakeFirstOrThrow();
      assert.deepEqual(attempt, { outcome: 'failed', error: 'The receiver answered HTTP 307' });
      assert.equal(redirected, 0);
    } finally {
      await new Promise<void>((done) => server.close(() => done()));
    }
  });
});
