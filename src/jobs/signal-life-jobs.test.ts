/**
 * The sweep with the clock moved ahead: postponed informing is asked after once per period (and not
 * after it is recorded), and an extended signal gets its expiry notice again before its new end date.
 * The mails are read back from the development mailbox.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, childSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';

const DAY = 86_400_000;

describeOnEachDatabase('the sweep: informing reminders and notices after an extension', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { start: '2026-03-10T09:00:00Z' });
  });
  after(() => t.close());

  const today = () => t.clock.now().toISOString().slice(0, 10);
  const file = async (org: TestOrganisation, body: unknown) => {
    t.clock.advance(1000);
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: body as object });
    assert.equal(response.statusCode, 201, response.body);
    return response.json();
  };
  /** Outbox records of this type for this signal, written at `at` (older ones are deleted after 30 days by the sweep itself). */
  const sent = async (signalId: string, type: string, at?: Date) =>
    (
      await sql<{ n: number }>`select count(*)::int as n from outbox where event_type = ${type} and payload->>'signalId' = ${signalId}
                                 and (${at ?? null}::timestamptz is null or created_at = ${at ?? null}::timestamptz)`.execute(database().db)
    ).rows[0]!.n;
  /** Sweeps at the given moment; returns how many records of this type that sweep wrote for this signal. */
  const sweepAt = async (at: Date, signalId: string, type = 'signal.informing_due') => {
    t.clock.set(at);
    await t.services.jobs.runOnce();
    return sent(signalId, type, at);
  };
  const emailOf = async (org: TestOrganisation) =>
    (await database().db.selectFrom('professionals').select('email').where('id', '=', org.professionalId).executeTakeFirstOrThrow()).email;
  const mailbox = async (to: string) => {
    await t.services.deliveryWorker.runOnce();
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/dev-mailbox?to=${encodeURIComponent(to)}`, headers: t.adminHeaders });
    assert.equal(response.statusCode, 200);
    return response.json().items as { subject: string; text: string; html: string }[];
  };

  test('a professional who postponed informing is asked once per period until it is recorded; the mail points into SluiS and holds no person data', async () => {
    t.clock.set('2026-03-10T09:00:00Z');
    const a = await t.organisation();
    const bsn = randomBsn();
    const filed = await file(a, {
      ...childSignal(bsn, '2016-04-02', today()),
      person: { bsn, name: { givenNames: 'Ylva', familyName: 'Quispel' }, dateOfBirth: '2016-04-02', gender: 'female' },
      legalBasis: { basis: 'informing_postponed', reason: 'safety_of_others' },
      clientReference: 'WT-88',
    });
    const id = filed.signal.id;
    const filedAt = Date.parse(filed.signal.filedAt);

    assert.equal(await sweepAt(new Date(filedAt + 14 * DAY - 1000), id), 0, 'not before the period (14 days)');
    assert.equal(await sweepAt(new Date(filedAt + 14 * DAY), id), 1, 'at the end of the period');
    assert.equal(await sweepAt(new Date(filedAt + 14 * DAY + 60_000), id), 0, 'once');
    assert.equal(await sweepAt(new Date(filedAt + 27 * DAY), id), 0, 'not again within the period');
    assert.equal(await sweepAt(new Date(filedAt + 28 * DAY), id), 1, 'again a period after the reminder');

    const mails = (await mailbox(await emailOf(a))).filter((m) => m.subject === 'SluiS: leg vast of u de persoon heeft geïnformeerd');
    assert.equal(mails.length, 2);
    const mail = mails[0]!;
    assert.match(mail.text, new RegExp(`https://sluis\\.test/signalen/${id}/informeren`));
    assert.match(mail.text, /kenmerk "WT-88"/);
    for (const personal of [bsn, 'Ylva', 'Quispel', '2016', '2 april']) {
      assert.ok(!mail.text.includes(personal) && !mail.html.includes(personal), `the mail must not contain ${personal}`);
    }

    // "Not yet" starts the period again from that moment.
    t.clock.set(new Date(filedAt + 30 * DAY));
    const notYet = await t.app.inject({
      method: 'POST',
      url: `/api/v1/signals/${id}/informing`,
      headers: a.headers,
      payload: { basis: 'informing_postponed', reason: 'not_reachable_yet' },
    });
    assert.equal(notYet.statusCode, 200);
    assert.equal(await sweepAt(new Date(filedAt + 43 * DAY), id), 0);
    assert.equal(await sweepAt(new Date(filedAt + 44 * DAY), id), 1);

    // A longer period set by the municipality applies from then on.
    await t.services.settings.update(t.admin, { informingFollowUpDays: 30 });
    try {
      assert.equal(await sweepAt(new Date(filedAt + 58 * DAY), id), 0);
      assert.equal(await sweepAt(new Date(filedAt + 74 * DAY), id), 1);
    } finally {
      await t.services.settings.update(t.admin, { informingFollowUpDays: 14 });
    }

    // Recorded as informed: never asked again.
    t.clock.set(new Date(filedAt + 75 * DAY));
    const informed = await t.app.inject({
      method: 'POST',
      url: `/api/v1/signals/${id}/informing`,
      headers: a.headers,
      payload: { basis: 'informed', informed: ['legal_representative'], informedOn: today() },
    });
    assert.equal(informed.statusCode, 200, informed.body);
    assert.equal(await sweepAt(new Date(filedAt + 400 * DAY), id), 0);
  });

  test('two sweeps at once ask only once', async () => {
    t.clock.set('2030-03-10T09:00:00Z');
    const a = await t.organisation();
    const filed = await file(a, {
      ...childSignal(randomBsn(), '2020-01-01', today()),
      legalBasis: { basis: 'informing_postponed', reason: 'safety_of_person' },
    });
    t.clock.set(new Date(Date.parse(filed.signal.filedAt) + 15 * DAY));
    await Promise.all([t.services.jobs.runOnce(), t.services.jobs.runOnce()]);
    assert.equal(await sent(filed.signal.id, 'signal.informing_due'), 1);
  });

  test('the expiry notice offers extending; once extended, the notice comes again before the new end date', async () => {
    t.clock.set('2032-03-10T09:00:00Z');
    const a = await t.organisation();
    const filed = await file(a, adultSignal(randomBsn(), today(), { clientReference: 'GGZ-5' }));
    const id = filed.signal.id;
    const until = Date.parse(filed.signal.activeUntil);

    assert.equal(await sweepAt(new Date(until - 28 * DAY + 1000), id, 'signal.expiring'), 1);
    const notice = (await mailbox(await emailOf(a))).find((m) => m.subject === 'SluiS: uw signaal verloopt binnenkort');
    assert.ok(notice);
    assert.match(notice.text, /Verleng het signaal dan in SluiS tot 10 maart 2036\./);
    assert.match(notice.text, new RegExp(`https://sluis\\.test/signalen/${id}/verlengen`));

    const extended = await t.app.inject({
      method: 'POST',
      url: `/api/v1/signals/${id}/extend`,
      headers: a.headers,
      payload: { reason: 'involvement_continues' },
    });
    assert.equal(extended.statusCode, 200, extended.body);
    const newUntil = Date.parse(extended.json().activeUntil);
    assert.equal(await sweepAt(new Date(until + DAY), id, 'signal.expiring'), 0, 'no notice in between');
    assert.equal(
      (await t.app.inject({ method: 'GET', url: `/api/v1/signals/${id}`, headers: a.headers })).json().status,
      'active',
      'not expired at the old date',
    );
    assert.equal(await sweepAt(new Date(newUntil - 28 * DAY + 1000), id, 'signal.expiring'), 1, 'the notice again before the new end date');
  });
});
