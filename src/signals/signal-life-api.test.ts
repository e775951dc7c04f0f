/**
 * Extending a signal and recording postponed informing through the HTTP API, on both databases:
 * allowed, refused (with problem+json), audited, told to record systems, the youth limit, and the
 * same 404 for another professional's signal as for a random id.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, childSignal, createTestApp, randomBsn, rowCounts, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';

const DAY = 86_400_000;

describeOnEachDatabase('extending signals and recording informing (API)', (database) => {
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
  const read = (org: { headers: Record<string, string> }, id: string) => t.app.inject({ method: 'GET', url: `/api/v1/signals/${id}`, headers: org.headers });
  const extend = (org: { headers: Record<string, string> }, id: string, payload: object = { reason: 'involvement_continues' }) =>
    t.app.inject({ method: 'POST', url: `/api/v1/signals/${id}/extend`, headers: org.headers, payload });
  const inform = (org: { headers: Record<string, string> }, id: string, payload: object) =>
    t.app.inject({ method: 'POST', url: `/api/v1/signals/${id}/informing`, headers: org.headers, payload });
  const audits = (resourceId: string, type: string) =>
    database()
      .db.selectFrom('audit_events')
      .select(['outcome', 'actor_type', 'details'])
      .where('resource_id', '=', resourceId)
      .where('event_type', '=', type)
      .orderBy('id')
      .execute();
  const outbox = async (signalId: string) =>
    (
      await sql<{
        event_type: string;
        recipient_professional_id: string;
      }>`select event_type, recipient_professional_id from outbox where payload->>'signalId' = ${signalId} order by id`.execute(database().db)
    ).rows;
  const postponed = (dateOfBirth: string) => ({
    ...childSignal(randomBsn(), dateOfBirth, today()),
    legalBasis: { basis: 'informing_postponed' as const, reason: 'not_reachable_yet' as const },
    clientReference: 'JZ-1',
  });

  test('a signal is extended by the set period within the window before its end date; it stays in its match and record systems hear of it', async () => {
    t.clock.set('2026-03-10T09:00:00Z');
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const filed = await file(a, adultSignal(bsn, today()));
    const matched = await file(b, adultSignal(bsn, today()));
    assert.ok(matched.match);
    const id = filed.signal.id;
    assert.equal(filed.signal.activeUntil, '2028-03-10T09:00:01.000Z');

    const fresh = (await read(a, id)).json();
    assert.deepEqual(fresh.extension, { opensAt: '2028-02-11T09:00:01.000Z', until: '2030-03-10T09:00:01.000Z' });
    assert.equal(fresh.extendedAt, null);
    assert.equal(fresh.informingDueAt, null);

    // Not yet: the window opens 28 days (expiryNoticeDays) before the end date.
    const early = await extend(a, id);
    assert.equal(early.statusCode, 409);
    assert.match(String(early.headers['content-type']), /^application\/problem\+json/);
    assert.equal(early.json().code, 'extension_not_yet');
    assert.equal((await audits(id, 'signal.extended')).length, 0, 'a refusal changes nothing');

    t.clock.set('2028-03-01T10:00:00Z');
    const outboxOfOthers = (await outbox(matched.signal.id)).length;
    const extended = await extend(a, id, { reason: 'collaboration_continues' });
    assert.equal(extended.statusCode, 200, extended.body);
    const view = extended.json();
    assert.equal(view.status, 'active');
    assert.equal(view.activeUntil, '2030-03-10T09:00:01.000Z');
    assert.equal(view.extendedAt, '2028-03-01T10:00:00.000Z');
    assert.deepEqual(view.extension, { opensAt: '2030-02-10T09:00:01.000Z', until: '2032-03-10T09:00:01.000Z' });
    assert.equal(view.matchId, matched.match.id, 'the signal stays in its match');
    assert.equal((await read(a, id)).json().activeUntil, '2030-03-10T09:00:01.000Z');

    const [event] = await audits(id, 'signal.extended');
    assert.deepEqual(event, {
      outcome: 'success',
      actor_type: 'professional',
      details: { reason: 'collaboration_continues', from: '2028-03-10T09:00:01.000Z', until: '2030-03-10T09:00:01.000Z' },
    });
    assert.deepEqual(
      (await outbox(id)).filter((o) => o.event_type !== 'match.created'),
      [{ event_type: 'signal.extended', recipient_professional_id: a.professionalId }],
    );
    assert.equal((await outbox(matched.signal.id)).length, outboxOfOthers, 'the other participants are not told: nothing changed for them');
    const match = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${matched.match.id}`, headers: b.headers });
    assert.equal(match.json().participants.length, 2);

    // The record system hears of it in its feed; the professional, who did it, gets no mail.
    await t.services.deliveryWorker.runOnce();
    const feed = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: a.headers.authorization! } });
    const told = feed.json().items.filter((e: { type: string; subject: string }) => e.type === 'nl.sluis.signal.extended' && e.subject === id);
    assert.equal(told.length, 1);
    assert.deepEqual(Object.keys(told[0].data).sort(), ['organisationId', 'professionalId', 'signalId']);
    const mails = await database()
      .db.selectFrom('deliveries')
      .select('id')
      .where('event_type', '=', 'signal.extended')
      .where('channel', '=', 'email')
      .execute();
    assert.equal(mails.length, 0);

    // At once again: the new end date is far away, so the window is closed.
    assert.equal((await extend(a, id)).json().code, 'extension_not_yet');
  });

  test('two extensions at once extend once: the second, under the person lock, finds the window closed', async () => {
    t.clock.set('2028-06-01T09:00:00Z');
    const a = await t.organisation();
    const filed = await file(a, adultSignal(randomBsn(), today()));
    t.clock.set(new Date(Date.parse(filed.signal.activeUntil) - 3 * DAY));
    const answers = await Promise.all([extend(a, filed.signal.id), extend(a, filed.signal.id)]);
    assert.deepEqual(answers.map((r) => r.statusCode).sort(), [200, 409]);
    assert.equal(answers.find((r) => r.statusCode === 409)!.json().code, 'extension_not_yet');
    assert.equal((await audits(filed.signal.id, 'signal.extended')).length, 1);
    assert.equal((await read(a, filed.signal.id)).json().activeUntil, '2032-06-01T09:00:01.000Z');
  });

  test('refused: an unknown reason, an ended signal, extending switched off; every refusal is problem+json and changes nothing', async () => {
    t.clock.set('2030-01-01T09:00:00Z');
    const a = await t.organisation();
    const filed = await file(a, adultSignal(randomBsn(), today()));
    const id = filed.signal.id;
    t.clock.set(new Date(Date.parse(filed.signal.activeUntil) - 5 * DAY));

    const before = await rowCounts(database().db);
    const badReason = await extend(a, id, { reason: 'he still needs help' });
    assert.equal(badReason.statusCode, 422);
    assert.equal(badReason.json().invalidParams[0].name, 'reason');
    assert.ok(!badReason.body.includes('still needs'), 'the problem repeats nothing that was sent');
    assert.equal((await extend(a, id, { reason: 'involvement_continues', months: 60 })).statusCode, 422, 'no other fields');

    await t.services.settings.update(t.admin, { signalExtensionMonths: 0 });
    try {
      assert.equal((await read(a, id)).json().extension, null);
      const off = await extend(a, id);
      assert.equal(off.statusCode, 409);
      assert.equal(off.json().code, 'extension_switched_off');
    } finally {
      await t.services.settings.update(t.admin, { signalExtensionMonths: null });
    }
    const { audit_events: _audits, ...unchanged } = before;
    const { audit_events: _after, ...now } = await rowCounts(database().db);
    assert.deepEqual(now, unchanged);

    // A shorter period of its own: 6 months from the end date.
    await t.services.settings.update(t.admin, { signalExtensionMonths: 6 });
    try {
      assert.equal((await extend(a, id)).json().activeUntil, '2032-07-01T09:00:01.000Z');
    } finally {
      await t.services.settings.update(t.admin, { signalExtensionMonths: null });
    }

    assert.equal(
      (await t.app.inject({ method: 'POST', url: `/api/v1/signals/${id}/end`, headers: a.headers, payload: { reason: 'care_ended' } })).statusCode,
      200,
    );
    const ended = await extend(a, id);
    assert.equal(ended.statusCode, 409);
    assert.equal(ended.json().code, 'signal_not_active');
    assert.equal((await read(a, id)).json().extension, null);
  });

  test('an expired signal cannot be extended: the professional files anew', async () => {
    t.clock.set('2032-01-01T09:00:00Z');
    const a = await t.organisation();
    const filed = await file(a, adultSignal(randomBsn(), today()));
    // Past the end date, before the sweep came by, and after it.
    t.clock.set(new Date(Date.parse(filed.signal.activeUntil) + 1000));
    assert.equal((await extend(a, filed.signal.id)).json().code, 'signal_not_active');
    await t.services.jobs.runOnce();
    assert.equal((await read(a, filed.signal.id)).json().status, 'expired');
    assert.equal((await extend(a, filed.signal.id)).json().code, 'signal_not_active');
  });

  test('under the youth regime an extension never goes past the start of the 23rd birthday', async () => {
    t.clock.set('2030-06-15T08:00:00Z');
    await t.services.settings.update(t.admin, { regime: 'youth' });
    try {
      const a = await t.organisation();
      // Born 2010-01-20: the lifetime ends 2032-06-15, the 23rd birthday starts 2033-01-19T23:00:00Z (CET).
      const young = { ...childSignal(randomBsn(), '2010-01-20', today()), legalBasis: { basis: 'informed', informed: ['person'], informedOn: today() } };
      const filed = await file(a, young);
      assert.equal(filed.signal.activeUntil, '2032-06-15T08:00:01.000Z');
      assert.deepEqual((await read(a, filed.signal.id)).json().extension, {
        opensAt: '2032-05-18T08:00:01.000Z',
        until: '2033-01-19T23:00:00.000Z',
      });
      t.clock.set('2032-06-01T08:00:00Z');
      const extended = await extend(a, filed.signal.id);
      assert.equal(extended.statusCode, 200, extended.body);
      assert.equal(extended.json().activeUntil, '2033-01-19T23:00:00.000Z');
      assert.equal(extended.json().extension, null, 'nothing left to extend');
      assert.equal(((await audits(filed.signal.id, 'signal.extended'))[0]!.details as Record<string, unknown>).ageLimit, true);

      t.clock.set('2033-01-10T08:00:00Z');
      const again = await extend(a, filed.signal.id);
      assert.equal(again.statusCode, 409);
      assert.equal(again.json().code, 'extension_age_limit');

      t.clock.set('2033-01-19T23:00:00Z');
      await t.services.jobs.runOnce();
      const expired = (await read(a, filed.signal.id)).json();
      assert.deepEqual([expired.status, expired.endReason], ['expired', 'age_limit']);
    } finally {
      await t.services.settings.update(t.admin, { regime: 'all_ages' });
    }
  });

  test('another professional or organisation gets the 404 of a random id, audited; staff may not extend or record', async () => {
    t.clock.set('2034-01-01T09:00:00Z');
    const [a, other] = [await t.organisation(), await t.organisation()];
    const colleague = await t.colleague(a);
    const filed = await file(a, postponed('2020-01-01'));
    const id = filed.signal.id;
    t.clock.set(new Date(Date.parse(filed.signal.activeUntil) - DAY));
    const random = randomUUID();
    const informed = { basis: 'informed', informed: ['legal_representative'], informedOn: today() };
    for (const [who, signalId] of [
      [other, id],
      [colleague, id],
      [a, random],
    ] as const) {
      for (const response of [await extend(who, signalId), await inform(who, signalId, informed)]) {
        assert.equal(response.statusCode, 404);
        assert.equal(response.json().code, 'not_found');
        assert.ok(!response.body.includes(signalId));
      }
    }
    assert.deepEqual(
      (await audits(id, 'signal.extended')).map((e) => [e.outcome, e.actor_type]),
      [
        ['not_found', 'professional'],
        ['not_found', 'professional'],
      ],
    );
    assert.equal((await audits(id, 'signal.informing_recorded')).filter((e) => e.outcome === 'not_found').length, 2);
    assert.equal((await audits(random, 'signal.extended'))[0]!.outcome, 'not_found');

    for (const response of [await extend({ headers: t.adminHeaders }, id), await inform({ headers: t.adminHeaders }, id, informed)]) {
      assert.equal(response.statusCode, 403);
    }
    const unchanged = (await read(a, id)).json();
    assert.equal(unchanged.activeUntil, filed.signal.activeUntil);
    assert.equal(unchanged.legalBasis.basis, 'informing_postponed');
  });

  test('postponed informing is recorded later: who by the age on that date, when; or why not yet, which asks again', async () => {
    t.clock.set('2036-03-10T09:00:00Z');
    const a = await t.organisation();
    // Born 2024-03-20: 11 when filed, 12 from 2036-03-20 on.
    const filed = await file(a, postponed('2024-03-20'));
    const id = filed.signal.id;
    const first = (await read(a, id)).json();
    assert.equal(first.informingDueAt, '2036-03-24T09:00:01.000Z', '14 days (informingFollowUpDays) after filing');
    assert.deepEqual(first.legalBasis, { basis: 'informing_postponed', reason: 'not_reachable_yet' });

    t.clock.set('2036-03-25T10:00:00Z');
    const before = await rowCounts(database().db);
    const refusals: [object, string, string][] = [
      [{ basis: 'informed', informed: ['legal_representative'], informedOn: '2036-03-21' }, 'informed', 'parties_missing'],
      [{ basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2036-03-09' }, 'informedOn', 'date_before_filing'],
      [{ basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2036-03-26' }, 'informedOn', 'date_in_future'],
    ];
    for (const [payload, name, code] of refusals) {
      const refused = await inform(a, id, payload);
      assert.equal(refused.statusCode, 422, JSON.stringify(payload));
      assert.deepEqual(
        refused.json().invalidParams.map((p: { name: string; code: string }) => [p.name, p.code]),
        [[name, code]],
      );
    }
    const wrongShape = await inform(a, id, { basis: 'consent', givenBy: 'person', givenOn: '2036-03-20' });
    assert.equal(wrongShape.statusCode, 422);
    const { audit_events: _a, ...unchanged } = before;
    const { audit_events: _b, ...now } = await rowCounts(database().db);
    assert.deepEqual(now, unchanged, 'a refused record changes nothing');

    // Not yet: the reason is kept, and the follow-up starts again.
    const notYet = await inform(a, id, { basis: 'informing_postponed', reason: 'safety_of_person' });
    assert.equal(notYet.statusCode, 200, notYet.body);
    assert.deepEqual(notYet.json().legalBasis, { basis: 'informing_postponed', reason: 'safety_of_person' });
    assert.equal(notYet.json().informingDueAt, '2036-04-08T10:00:00.000Z');

    // Informed on the 12th birthday: both the child and the parents.
    t.clock.set('2036-04-01T12:00:00Z');
    const done = await inform(a, id, { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2036-03-20' });
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual(done.json().legalBasis, { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2036-03-20' });
    assert.equal(done.json().informingDueAt, null);

    assert.deepEqual(
      (await audits(id, 'signal.informing_recorded')).map((e) => e.details),
      [
        { outcome: 'not_yet', reason: 'safety_of_person', postponedFor: 'not_reachable_yet' },
        { outcome: 'informed', informed: 'person,legal_representative', informedOn: '2036-03-20', postponedFor: 'safety_of_person' },
      ],
    );
    assert.deepEqual(
      (await outbox(id)).map((o) => o.event_type),
      ['signal.informing_recorded', 'signal.informing_recorded'],
    );

    const again = await inform(a, id, { basis: 'informing_postponed', reason: 'safety_of_person' });
    assert.equal(again.statusCode, 409);
    assert.equal(again.json().code, 'informing_not_postponed');
    const consent = await file(a, adultSignal(randomBsn(), today()));
    assert.equal((await inform(a, consent.signal.id, { basis: 'informing_postponed', reason: 'safety_of_person' })).json().code, 'informing_not_postponed');
  });

  test('an ended signal takes no informing record', async () => {
    t.clock.set('2038-03-10T09:00:00Z');
    const a = await t.organisation();
    const filed = await file(a, postponed('2030-01-01'));
    await t.app.inject({ method: 'POST', url: `/api/v1/signals/${filed.signal.id}/end`, headers: a.headers, payload: { reason: 'moved' } });
    const refused = await inform(a, filed.signal.id, { basis: 'informed', informed: ['legal_representative'], informedOn: today() });
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'signal_not_active');
  });
});
