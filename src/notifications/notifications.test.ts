/**
 * Notifications with real parts: a real SMTP server receives the mails, a real HTTP receiver the
 * webhooks (checking their signatures), on both databases. Every delivery made here is scanned at
 * the end: none may hold a BSN or the person's name, date of birth or address.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { startMailServer } from '../test-support/mail-server.ts';
import { startWebhookReceiver } from '../test-support/webhook-receiver.ts';
import { createSmtpTransport } from './mail-transport.ts';
import { verifyWebhook } from './webhook-signing.ts';

const PERSON_DATA = ['Boer', 'Coolsingel', '1980-05-17', '17 mei 1980', '3011 AD'];
const HOUR = 3_600_000;

describeOnEachDatabase('notifications', (database) => {
  let t: TestApp;
  let smtp: Awaited<ReturnType<typeof startMailServer>>;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const bsns: string[] = [];

  before(async () => {
    smtp = await startMailServer();
    receiver = await startWebhookReceiver();
    t = await createTestApp(database(), {
      mail: createSmtpTransport({ url: smtp.url, from: 'SluiS <sluis@gemeente.test>', rejectUnauthorized: false, timeoutMs: 2000 }),
    });
  });
  after(async () => {
    // The scan: every mail and webhook call made in this suite, and every stored delivery.
    const stored = await sql<{ message: unknown }>`select message from deliveries`.execute(database().db);
    const everything = [...smtp.received.map((m) => m.raw), ...receiver.calls.map((c) => c.body), ...stored.rows.map((r) => JSON.stringify(r.message))];
    assert.ok(everything.length > 20, `the scan saw ${everything.length} deliveries`);
    for (const delivery of everything) {
      for (const forbidden of [...bsns, ...PERSON_DATA]) assert.ok(!delivery.includes(forbidden), `a delivery contains ${forbidden}`);
    }
    await t.close();
    await smtp.close();
    await receiver.close();
  });

  const file = async (org: TestOrganisation, bsn: string, reference = `ref-${org.name.slice(-6)}`) => {
    t.clock.advance(1000);
    bsns.push(bsn);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: org.headers,
      payload: adultSignal(bsn, t.clock.now().toISOString().slice(0, 10), { clientReference: reference }),
    });
    assert.ok(response.statusCode < 300, response.body);
    return response.json();
  };
  const professional = async (org: TestOrganisation) =>
    database().db.selectFrom('professionals').select(['name', 'email', 'phone']).where('id', '=', org.professionalId).executeTakeFirstOrThrow();
  const subscribe = async (org: TestOrganisation, eventTypes = ['match.created', 'match.participant_joined']) => {
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhook-subscriptions',
      headers: { authorization: org.headers.authorization! },
      payload: { url: receiver.url, eventTypes },
    });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { id: string; secret: string };
  };

  test('a match sends exactly the right mails to exactly the right people', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const [pa, pb, pc] = [await professional(a), await professional(b), await professional(c)];
    const bsn = randomBsn();
    const start = smtp.received.length;
    await file(a, bsn, 'A-1');
    await file(b, bsn, 'B-2');
    const first = await t.services.deliveryWorker.runOnce();
    assert.equal(first.delivered, 2);
    await smtp.waitFor(start + 2);
    const created = smtp.received.slice(start);
    assert.deepEqual(created.map((m) => m.to).sort(), [pa.email, pb.email].sort());
    const toA = created.find((m) => m.to === pa.email)!;
    assert.equal(toA.subject, 'SluiS: er is een match op uw signaal');
    assert.match(toA.text, /^Beste /);
    assert.ok(toA.text.includes(pb.name) && toA.text.includes(pb.phone) && toA.text.includes(pb.email) && toA.text.includes(b.name), 'A hears who B is');
    assert.ok(!toA.text.includes(pa.email), 'A is not told about A');
    assert.match(toA.text, /uw signaal met kenmerk "A-1", afgegeven op/);
    assert.match(toA.text, /https:\/\/sluis\.test\/matches\/[0-9a-f-]{36}/);
    assert.match(toA.html, /<html lang="nl">/);
    assert.match(toA.messageId, /^<sluis-\d+@sluis\.test>$/);

    await file(c, bsn, 'C-3');
    await t.services.deliveryWorker.runOnce();
    await smtp.waitFor(start + 5);
    const joined = smtp.received.slice(start + 2);
    assert.deepEqual(joined.map((m) => m.to).sort(), [pa.email, pb.email, pc.email].sort());
    assert.ok(joined.every((m) => m.subject === 'SluiS: een nieuwe professional is betrokken'));
    const toC = joined.find((m) => m.to === pc.email)!;
    assert.ok(toC.text.includes(pa.name) && toC.text.includes(pb.name));
    assert.equal((await t.services.deliveryWorker.runOnce()).delivered, 0, 'nothing is sent twice');
    assert.equal(smtp.received.length, start + 5);
    const audited = await sql<{ n: number }>`select count(*)::int as n from audit_events where event_type = 'notification.sent'`.execute(database().db);
    assert.ok(audited.rows[0]!.n >= 5);
  });

  test('webhooks carry a signed CloudEvent with ids only; a receiver that fails three times gets the event once more, not lost', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const subscription = await subscribe(a);
    const bsn = randomBsn();
    const start = receiver.calls.length;
    await file(a, bsn);
    receiver.failNext(3);
    const filed = await file(b, bsn);
    for (let round = 0; round < 4; round++) {
      await t.services.deliveryWorker.runOnce();
      t.clock.advance(HOUR); // beyond any backoff of the first tries
    }
    const calls = receiver.calls.slice(start);
    assert.deepEqual(
      calls.map((c) => c.status),
      [500, 500, 500, 204],
    );
    assert.equal(new Set(calls.map((c) => c.headers['webhook-id'])).size, 1, 'the same id every time, so the receiver can drop duplicates');
    const accepted = calls[3]!;
    const event = JSON.parse(accepted.body);
    assert.equal(accepted.headers['content-type'], 'application/cloudevents+json; charset=utf-8');
    assert.deepEqual(Object.keys(event).sort(), ['data', 'datacontenttype', 'id', 'source', 'specversion', 'subject', 'time', 'type']);
    assert.equal(event.specversion, '1.0');
    assert.equal(event.type, 'nl.sluis.match.created');
    assert.equal(event.data.matchId, filed.match.id);
    assert.equal(event.data.professionalId, a.professionalId);
    assert.equal(accepted.headers['webhook-id'], event.id);
    const nowSeconds = Number(accepted.headers['webhook-timestamp']);
    assert.equal(verifyWebhook(subscription.secret, accepted.headers as Record<string, string>, accepted.body, nowSeconds), true);
    assert.equal(verifyWebhook(subscription.secret, accepted.headers as Record<string, string>, accepted.body.replace('match', 'matc'), nowSeconds), false);
    const attempts = await database()
      .db.selectFrom('delivery_attempts as da')
      .innerJoin('deliveries as d', 'd.id', 'da.delivery_id')
      .select(['da.outcome', 'da.error'])
      .where('d.subscription_id', '=', subscription.id)
      .orderBy('da.id')
      .execute();
    assert.deepEqual(
      attempts.map((x) => x.outcome),
      ['failed', 'failed', 'failed', 'delivered'],
    );
    assert.equal(attempts[0]!.error, 'The receiver answered HTTP 500');
  });

  test("a recipient's deliveries go out in order: a later event waits for an earlier one that failed", async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    await subscribe(a, ['match.created', 'match.participant_joined']);
    const bsn = randomBsn();
    await file(a, bsn);
    await file(b, bsn); // match.created for A
    await file(c, bsn); // match.participant_joined for A
    const start = receiver.calls.length;
    receiver.failNext(1);
    await t.services.deliveryWorker.runOnce();
    assert.deepEqual(
      receiver.calls.slice(start).map((x) => [JSON.parse(x.body).type, x.status]),
      [['nl.sluis.match.created', 500]],
    );
    t.clock.advance(HOUR);
    await t.services.deliveryWorker.runOnce();
    assert.deepEqual(
      receiver.calls.slice(start).map((x) => [JSON.parse(x.body).type, x.status]),
      [
        ['nl.sluis.match.created', 500],
        ['nl.sluis.match.created', 204],
        ['nl.sluis.match.participant_joined', 204],
      ],
    );
  });

  test('an unreachable SMTP server leads to retries, then a dead letter; a manual retry delivers', async () => {
    await t.services.settings.update(t.admin, { deliveryMaxAttempts: 3 });
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    await file(a, bsn);
    await smtp.close();
    try {
      await file(b, bsn);
      for (let round = 0; round < 3; round++) {
        await t.services.deliveryWorker.runOnce();
        t.clock.advance(HOUR);
      }
      const dead = await t.app.inject({ method: 'GET', url: '/api/v1/deliveries?status=dead', headers: { authorization: a.headers.authorization! } });
      assert.equal(dead.statusCode, 200);
      const mine = dead.json().items.filter((d: { channel: string }) => d.channel === 'email');
      assert.equal(mine.length, 1, "A sees its professional's dead letter");
      assert.equal(mine[0].attempts, 3);
      assert.match(mine[0].lastError, /ECONNREFUSED|connect/i);
      const theirs = await t.app.inject({
        method: 'POST',
        url: `/api/v1/deliveries/${mine[0].id}/retry`,
        headers: { authorization: b.headers.authorization! },
      });
      assert.equal(theirs.statusCode, 404, 'another organisation cannot touch it');
      const allDead = await t.app.inject({ method: 'GET', url: '/api/v1/deliveries?status=dead', headers: t.adminHeaders });
      assert.equal(allDead.json().items.filter((d: { status: string }) => d.status === 'dead').length, 2, 'the administrator sees both');

      smtp = await startMailServer({ port: smtp.port });
      const before = smtp.received.length;
      const retried = await t.app.inject({ method: 'POST', url: `/api/v1/deliveries/${mine[0].id}/retry`, headers: t.adminHeaders });
      assert.equal(retried.statusCode, 200);
      assert.equal(retried.json().status, 'pending');
      assert.equal((await t.app.inject({ method: 'POST', url: `/api/v1/deliveries/${mine[0].id}/retry`, headers: t.adminHeaders })).statusCode, 409);
      await t.services.deliveryWorker.runOnce();
      await smtp.waitFor(before + 1);
      assert.equal(smtp.received.at(-1)!.to, (await professional(a)).email);
    } finally {
      if (!smtp.received) smtp = await startMailServer({ port: smtp.port });
      await t.services.settings.update(t.admin, { deliveryMaxAttempts: 12 });
    }
  });

  test('a worker that dies in the middle of a batch loses nothing: another one finishes after the lease', async () => {
    const orgs = [];
    for (let i = 0; i < 4; i++) orgs.push(await t.organisation());
    const bsn = randomBsn();
    for (const org of orgs) await file(org, bsn);
    await t.services.dispatcher.dispatchBatch();
    // The first worker claims a batch and dies before sending anything.
    const claimed = await sql<{ n: number }>`update deliveries set lease_until = ${new Date(t.clock.now().getTime() + 60_000)}, attempts = attempts + 1
      where status = 'pending' and lease_until is null returning 1 as n`.execute(database().db);
    assert.ok(claimed.rows.length >= 4);
    const start = smtp.received.length;
    assert.equal((await t.services.deliveryWorker.runOnce()).delivered, 0, 'leased deliveries are not touched');
    t.clock.advance(61_000);
    const second = await t.services.deliveryWorker.runOnce();
    assert.equal(second.delivered, claimed.rows.length);
    await smtp.waitFor(start + claimed.rows.length);
  });

  test("the event feed gives the organisation's events in order, resumes from a cursor, and long-polls", async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const headers = { authorization: a.headers.authorization! };
    const bsn = randomBsn();
    await file(a, bsn);
    await file(b, bsn);
    await t.services.deliveryWorker.runOnce();
    const first = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers });
    assert.equal(first.statusCode, 200);
    assert.deepEqual(
      first.json().items.map((e: { type: string }) => e.type),
      ['nl.sluis.match.created'],
    );
    const cursor = first.json().nextCursor;

    const waiting = t.app.inject({ method: 'GET', url: `/api/v1/events?after=${cursor}&wait=10`, headers });
    await new Promise((resolve) => setTimeout(resolve, 200));
    const started = Date.now();
    await file(c, bsn);
    await t.services.deliveryWorker.runOnce();
    const woken = await waiting;
    assert.ok(Date.now() - started < 5000, 'the long poll returned as soon as the event was there');
    assert.deepEqual(
      woken.json().items.map((e: { type: string; data: { professionalId: string } }) => [e.type, e.data.professionalId]),
      [['nl.sluis.match.participant_joined', a.professionalId]],
    );
    assert.ok(Number(woken.json().items[0].sequence) > Number(first.json().items.at(-1).sequence));

    const empty = await t.app.inject({ method: 'GET', url: `/api/v1/events?after=${woken.json().nextCursor}`, headers });
    assert.deepEqual(empty.json(), { items: [], nextCursor: woken.json().nextCursor });
    const other = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: b.headers.authorization! } });
    assert.ok(
      other.json().items.every((e: { data: { organisationId: string } }) => e.data.organisationId === b.id),
      'each organisation sees its own events only',
    );
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: t.adminHeaders })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/events?after=abc', headers })).statusCode, 400);
  });

  test('a rotated secret: the new and, for 24 hours, the old secret both sign', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const subscription = await subscribe(a);
    const rotated = await t.app.inject({
      method: 'POST',
      url: `/api/v1/webhook-subscriptions/${subscription.id}/rotate-secret`,
      headers: { authorization: a.headers.authorization! },
    });
    assert.equal(rotated.statusCode, 200);
    const fresh = rotated.json().secret;
    assert.notEqual(fresh, subscription.secret);
    const bsn = randomBsn();
    await file(a, bsn);
    await file(b, bsn);
    const start = receiver.calls.length;
    await t.services.deliveryWorker.runOnce();
    const call = receiver.calls.slice(start).find((x) => JSON.parse(x.body).data.organisationId === a.id)!;
    const seconds = Number(call.headers['webhook-timestamp']);
    assert.equal(String(call.headers['webhook-signature']).split(' ').length, 2);
    assert.ok(verifyWebhook(fresh, call.headers as Record<string, string>, call.body, seconds));
    assert.ok(verifyWebhook(subscription.secret, call.headers as Record<string, string>, call.body, seconds));
    const other = await t.organisation();
    assert.equal(
      (
        await t.app.inject({
          method: 'POST',
          url: `/api/v1/webhook-subscriptions/${subscription.id}/rotate-secret`,
          headers: { authorization: other.headers.authorization! },
        })
      ).statusCode,
      404,
    );
    assert.equal(
      (await t.app.inject({ method: 'DELETE', url: `/api/v1/webhook-subscriptions/${subscription.id}`, headers: { authorization: a.headers.authorization! } }))
        .statusCode,
      204,
    );
    const listed = await t.app.inject({ method: 'GET', url: '/api/v1/webhook-subscriptions', headers: { authorization: a.headers.authorization! } });
    assert.deepEqual(listed.json().items, []);
  });

  test('signals about to expire get a notice once; link-only mode sends nothing but the link', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const filed = await file(a, bsn);
    await file(b, bsn);
    await t.services.deliveryWorker.runOnce();
    await t.services.settings.update(t.admin, { mailMode: 'link_only' });
    try {
      t.clock.set(new Date(Date.parse(filed.signal.activeUntil) - 27 * 24 * HOUR));
      const swept = await t.services.jobs.runOnce();
      assert.ok(swept.expiryNotices >= 2);
      assert.equal((await t.services.jobs.runOnce()).expiryNotices, 0, 'once');
      const start = smtp.received.length;
      await t.services.deliveryWorker.runOnce();
      const notice = smtp.received.slice(start).find((m) => m.to === (b.headers && undefined) || m.text.includes(filed.signal.id));
      assert.ok(notice, 'the notice links to the signal');
      assert.equal(notice!.subject, 'SluiS: uw signaal verloopt binnenkort');
      assert.ok(!notice!.text.includes('kenmerk') && !notice!.text.includes('tel.'), 'link only: no reference, no contacts');
    } finally {
      await t.services.settings.update(t.admin, { mailMode: 'full' });
    }
  });
});

describeOnEachDatabase('development mailbox', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  test('without SMTP the mails land in the development mailbox, which only administrators read', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    for (const org of [a, b]) {
      await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: adultSignal(bsn) });
    }
    assert.equal(t.services.mail.kind, 'dev_mailbox');
    await t.services.deliveryWorker.runOnce();
    const mailbox = await t.app.inject({ method: 'GET', url: '/api/v1/dev-mailbox', headers: t.adminHeaders });
    assert.equal(mailbox.statusCode, 200);
    assert.equal(mailbox.json().items.length, 2);
    assert.ok(mailbox.json().items.every((m: { subject: string }) => m.subject === 'SluiS: er is een match op uw signaal'));
    assert.ok(!mailbox.body.includes(bsn));
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/dev-mailbox', headers: { authorization: a.headers.authorization! } })).statusCode, 403);
  });
});
