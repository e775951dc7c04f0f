/**
 * Coordination after a match through the HTTP API, on both databases: the participants' transitions
 * (take, hand over and accept/decline/withdraw, escalate), recording contact, refusals that change
 * nothing, who may call what, the escalation timers on a manual clock, a coordinator leaving, a
 * transfer of signals, the escalation officer's work list and actions, the follow-up figures, the
 * coordination.changed deliveries (mail, webhook) and the audit trail.
 *
 * One app per database; the clock only moves forward. The tests that move it by days come after the
 * ones that work on a single day, and each test asserts on its own matches only.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createAuditLog } from '../audit/audit-log.ts';
import { transferSignals } from '../signals/signal-transfer.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';
import { startWebhookReceiver } from '../test-support/webhook-receiver.ts';

type Headers = Record<string, string>;
type View = {
  matchId: string;
  state: string;
  coordinatorSignalId: string | null;
  proposedSignalId: string | null;
  escalationReason: string | null;
  outcome: string | null;
  stateSince: string;
  proposedByRule: string | null;
  escalationReasons: string[];
  yourSignalId: string;
  yourStanding: string;
  allowed: string[];
  participants: {
    signalId: string;
    professionalName: string;
    jobTitle: string;
    organisationName: string;
    phone: string;
    email: string;
    since: string;
    contactedOn: string | null;
    isYou: boolean;
    mayCoordinate: boolean;
  }[];
  history: {
    action: string;
    fromState: string;
    toState: string;
    actor: string;
    actorKind: string;
    coordinator: string | null;
    subject: string | null;
    category: string | null;
    contactedOn: string | null;
  }[];
};

const PERSON_DATA = ['Boer', 'Coolsingel', '1980-05-17', '17 mei 1980', '3011 AD', 'Jan de'];

describeOnEachDatabase('coordination API', (database) => {
  let t: TestApp;
  let officerHeaders: Headers;
  let officerId: string;
  let receiver: Awaited<ReturnType<typeof startWebhookReceiver>>;
  const bsns: string[] = [];

  before(async () => {
    t = await createTestApp(database());
    receiver = await startWebhookReceiver();
    const officer = await t.app.inject({
      method: 'POST',
      url: '/api/v1/staff-members',
      headers: t.adminHeaders,
      payload: { name: 'Functionaris', email: `functionaris-${crypto.randomUUID()}@gemeente.example`, roles: ['escalation_officer'] },
    });
    assert.equal(officer.statusCode, 201, officer.body);
    assert.deepEqual(officer.json().roles, ['escalation_officer']);
    officerHeaders = { authorization: `Bearer ${officer.json().token}` };
    officerId = officer.json().id;
  });
  after(async () => {
    await t.close();
    await receiver.close();
  });

  const today = () => t.clock.now().toISOString().slice(0, 10);

  /** Each organisation files a signal on the same (new) person, one second apart; the match and each one's signal id. */
  async function matchOf(...parties: Headers[]) {
    const bsn = randomBsn();
    bsns.push(bsn);
    const signals: string[] = [];
    let matchId: string | undefined;
    for (const headers of parties) {
      t.clock.advance(1000);
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: adultSignal(bsn, today()) });
      assert.equal(response.statusCode, 201, response.body);
      signals.push(response.json().signal.id);
      matchId = response.json().match?.id ?? matchId;
    }
    assert.ok(matchId, 'the signals make a match');
    return { matchId, signals, bsn };
  }

  const get = (headers: Headers, matchId: string) => t.app.inject({ method: 'GET', url: `/api/v1/matches/${matchId}/coordination`, headers });
  const view = async (headers: Headers, matchId: string): Promise<View> => {
    const response = await get(headers, matchId);
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  const act = (headers: Headers, matchId: string, body: object) => {
    t.clock.advance(1000);
    return t.app.inject({ method: 'POST', url: `/api/v1/matches/${matchId}/coordination`, headers, payload: body });
  };
  const ok = async (headers: Headers, matchId: string, body: object): Promise<View> => {
    const response = await act(headers, matchId, body);
    assert.equal(response.statusCode, 200, response.body);
    return response.json();
  };
  const contact = (headers: Headers, matchId: string, contactedOn: string) =>
    t.app.inject({ method: 'POST', url: `/api/v1/matches/${matchId}/contact`, headers, payload: { contactedOn } });
  const officer = (method: 'GET' | 'POST', url: string, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers: officerHeaders, ...(payload && { payload }) });

  /** Everything a refused request could have changed. */
  async function snapshot(matchId: string) {
    const row = await sql<{ coordination: string | null; transitions: number; contacts: number; outbox: number; changes: number }>`
      select (select row_to_json(c)::text from coordinations c where c.match_id = ${matchId}) as coordination,
             (select count(*)::int from coordination_transitions where match_id = ${matchId}) as transitions,
             (select count(*)::int from match_contacts where match_id = ${matchId}) as contacts,
             (select count(*)::int from outbox) as outbox,
             (select count(*)::int from audit_events where event_type in ('coordination.changed', 'coordination.contact_recorded')) as changes`.execute(
      database().db,
    );
    return row.rows[0]!;
  }

  async function refused(
    matchId: string,
    request: () => Promise<{ statusCode: number; body: string; headers: Record<string, unknown>; json(): { code: string } }>,
    status: number,
    code: string,
  ) {
    const before = await snapshot(matchId);
    const response = await request();
    assert.equal(response.statusCode, status, response.body);
    assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    assert.equal(response.json().code, code, response.body);
    assert.deepEqual(await snapshot(matchId), before, `${code} changed nothing`);
    return response.json();
  }

  const outboxOf = async (matchId: string) =>
    (
      await database()
        .db.selectFrom('outbox')
        .select(['recipient_professional_id', 'event_type', 'payload'])
        .where('event_type', '=', 'coordination.changed')
        .orderBy('id')
        .execute()
    )
      .map((r) => ({
        ...r,
        payload: (typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as {
          matchId: string;
          signalId: string;
          action: string;
          coordinatorSignalId?: string;
          reason?: string;
        },
      }))
      .filter((r) => r.payload.matchId === matchId);

  // ----------------------------------------------------------------------------------------------

  test("reading: an open coordination with the participants' professional contact details, never the person", async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const { matchId, signals, bsn } = await matchOf(a.headers, b.headers);
    const response = await get(a.headers, matchId);
    assert.equal(response.statusCode, 200, response.body);
    const seen: View = response.json();
    assert.deepEqual(Object.keys(seen).sort(), [
      'allowed',
      'coordinatorSignalId',
      'escalationReason',
      'escalationReasons',
      'history',
      'matchCreatedAt',
      'matchId',
      'outcome',
      'participants',
      'proposedByRule',
      'proposedSignalId',
      'state',
      'stateSince',
      'yourSignalId',
      'yourStanding',
    ]);
    assert.equal(seen.state, 'open');
    assert.equal(seen.coordinatorSignalId, null);
    assert.equal(seen.yourSignalId, signals[0]);
    assert.equal(seen.yourStanding, 'participant');
    assert.deepEqual(seen.allowed, ['take', 'escalate']);
    assert.deepEqual(seen.escalationReasons, ['no_coordinator', 'no_contact', 'no_agreement', 'other']);
    assert.deepEqual(seen.history, []);
    assert.deepEqual(
      seen.participants.map((p) => [p.signalId, p.organisationName, p.isYou, p.contactedOn]),
      [
        [signals[0], a.name, true, null],
        [signals[1], b.name, false, null],
      ],
    );
    assert.deepEqual(Object.keys(seen.participants[0]!).sort(), [
      'contactedOn',
      'email',
      'isYou',
      'jobTitle',
      'mayCoordinate',
      'organisationName',
      'phone',
      'professionalName',
      'signalId',
      'since',
    ]);
    for (const forbidden of [bsn, ...PERSON_DATA, 'bsn', 'person_key', 'professionalId', 'domains'])
      assert.ok(!response.body.includes(forbidden), `the answer holds ${forbidden}`);
  });

  test('take, hand over and accept: the coordination moves, the others hear of it', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const { matchId, signals } = await matchOf(a.headers, b.headers, c.headers);
    const taken = await ok(a.headers, matchId, { action: 'take' });
    assert.equal(taken.state, 'taken');
    assert.equal(taken.coordinatorSignalId, signals[0]);
    assert.equal(taken.yourStanding, 'coordinator');
    assert.deepEqual(taken.allowed, ['propose_handover', 'escalate']);
    assert.deepEqual(
      (await outboxOf(matchId)).map((o) => [o.recipient_professional_id, o.payload.action, o.payload.coordinatorSignalId]),
      [
        [b.professionalId, 'take', signals[0]],
        [c.professionalId, 'take', signals[0]],
      ],
      'everyone but the one who acted',
    );

    const proposed = await ok(a.headers, matchId, { action: 'propose_handover', targetSignalId: signals[1] });
    assert.equal(proposed.state, 'handover_proposed');
    assert.equal(proposed.proposedSignalId, signals[1]);
    const asB = await view(b.headers, matchId);
    assert.equal(asB.yourStanding, 'proposed');
    assert.deepEqual(asB.allowed, ['accept_handover', 'decline_handover', 'escalate']);
    assert.deepEqual((await view(c.headers, matchId)).allowed, ['escalate']);

    const accepted = await ok(b.headers, matchId, { action: 'accept_handover' });
    assert.equal(accepted.state, 'taken');
    assert.equal(accepted.coordinatorSignalId, signals[1]);
    assert.equal(accepted.proposedSignalId, null);
    assert.equal(accepted.yourStanding, 'coordinator');
    assert.equal((await view(a.headers, matchId)).yourStanding, 'participant');
    assert.deepEqual(
      accepted.history.map((h) => [h.action, h.fromState, h.toState]),
      [
        ['take', 'open', 'taken'],
        ['propose_handover', 'taken', 'handover_proposed'],
        ['accept_handover', 'handover_proposed', 'taken'],
      ],
    );
    assert.match(accepted.history[0]!.actor, new RegExp(a.name));
    assert.equal(accepted.history[0]!.actorKind, 'professional');
    assert.equal(accepted.history[2]!.coordinator, `Professional of ${b.name}`);
  });

  test('hand over and decline: the coordinator stays; hand over and withdraw: the offer lapses', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const { matchId, signals } = await matchOf(a.headers, b.headers);
    await ok(a.headers, matchId, { action: 'take' });
    await ok(a.headers, matchId, { action: 'propose_handover', targetSignalId: signals[1] });
    const declined = await ok(b.headers, matchId, { action: 'decline_handover' });
    assert.deepEqual(
      [declined.state, declined.coordinatorSignalId, declined.proposedSignalId, declined.yourStanding],
      ['taken', signals[0], null, 'participant'],
    );

    await ok(a.headers, matchId, { action: 'propose_handover', targetSignalId: signals[1] });
    const withdrawn = await ok(a.headers, matchId, { action: 'withdraw_handover' });
    assert.deepEqual([withdrawn.state, withdrawn.coordinatorSignalId, withdrawn.proposedSignalId], ['taken', signals[0], null]);
    await refused(matchId, () => act(b.headers, matchId, { action: 'accept_handover' }), 409, 'coordination_state');
    assert.deepEqual(
      (await view(b.headers, matchId)).history.map((h) => h.action),
      ['take', 'propose_handover', 'decline_handover', 'propose_handover', 'withdraw_handover'],
    );
  });

  test('every refused transition is a problem and changes nothing', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const { matchId, signals } = await matchOf(a.headers, b.headers);
    await refused(matchId, () => act(a.headers, matchId, { action: 'withdraw_handover' }), 409, 'coordination_state');
    await refused(matchId, () => act(a.headers, matchId, { action: 'accept_handover' }), 409, 'coordination_state');
    await refused(matchId, () => act(a.headers, matchId, { action: 'propose_handover', targetSignalId: signals[1] }), 409, 'coordination_state');
    await ok(a.headers, matchId, { action: 'take' });
    await refused(matchId, () => act(b.headers, matchId, { action: 'take' }), 409, 'coordination_has_coordinator');
    await refused(matchId, () => act(a.headers, matchId, { action: 'take' }), 409, 'coordination_has_coordinator');
    await refused(matchId, () => act(b.headers, matchId, { action: 'propose_handover', targetSignalId: signals[0] }), 403, 'coordination_standing');
    await refused(matchId, () => act(a.headers, matchId, { action: 'propose_handover', targetSignalId: signals[0] }), 409, 'coordination_target');
    await refused(matchId, () => act(a.headers, matchId, { action: 'propose_handover', targetSignalId: crypto.randomUUID() }), 409, 'coordination_target');
    await refused(matchId, () => act(b.headers, matchId, { action: 'accept_handover' }), 409, 'coordination_state');
    // Bad input: 422 with every field at once.
    const noReason = (await refused(matchId, () => act(b.headers, matchId, { action: 'escalate' }), 422, 'invalid_input')) as unknown as {
      invalidParams: { name: string; code: string; reason: string }[];
    };
    assert.deepEqual(
      noReason.invalidParams.map((p) => [p.name, p.code]),
      [['reason', 'required']],
    );
    assert.match(noReason.invalidParams[0]!.reason, /no_coordinator, no_contact, no_agreement, other/);
    const noTarget = (await refused(
      matchId,
      () => act(a.headers, matchId, { action: 'propose_handover', reason: 'other' }),
      422,
      'invalid_input',
    )) as unknown as { invalidParams: { name: string }[] };
    assert.deepEqual(
      noTarget.invalidParams.map((p) => p.name),
      ['targetSignalId', 'reason'],
    );
    await refused(matchId, () => act(b.headers, matchId, { action: 'escalate', reason: 'because' }), 422, 'invalid_input');
    await refused(matchId, () => act(a.headers, matchId, { action: 'appoint', targetSignalId: signals[0] }), 422, 'invalid_input');
    await refused(matchId, () => act(a.headers, matchId, { action: 'coordinator_left' }), 422, 'invalid_input');
    await refused(matchId, () => act(a.headers, matchId, { action: 'take', note: 'x' }), 422, 'invalid_input');
    await refused(matchId, () => act(a.headers, matchId, {}), 422, 'invalid_input');
    // Escalating twice.
    await ok(b.headers, matchId, { action: 'escalate', reason: 'no_agreement' });
    await refused(matchId, () => act(a.headers, matchId, { action: 'escalate', reason: 'other' }), 409, 'coordination_state');
    await refused(matchId, () => act(a.headers, matchId, { action: 'propose_handover', targetSignalId: signals[1] }), 409, 'coordination_state');
  });

  test("escalating with a reason category puts the match on the officer's work list; the officer appoints and resolves", async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const { matchId, signals } = await matchOf(a.headers, b.headers, c.headers);
    // Before the escalation the officer cannot look at this match at all (least privilege).
    assert.equal((await officer('GET', `/escalations/${matchId}`)).statusCode, 404);
    const escalated = await ok(b.headers, matchId, { action: 'escalate', reason: 'no_agreement' });
    assert.deepEqual([escalated.state, escalated.escalationReason, escalated.allowed], ['escalated', 'no_agreement', []]);
    assert.deepEqual(
      (await outboxOf(matchId)).map((o) => [o.recipient_professional_id, o.payload.action, o.payload.reason]).sort(),
      [
        [a.professionalId, 'escalate', 'no_agreement'],
        [c.professionalId, 'escalate', 'no_agreement'],
      ].sort(),
    );

    const list = await officer('GET', '/escalations');
    assert.equal(list.statusCode, 200, list.body);
    const item = list.json().items.find((i: { matchId: string }) => i.matchId === matchId);
    assert.deepEqual(
      { ...item, matchCreatedAt: undefined, escalatedAt: undefined },
      {
        matchId,
        matchCreatedAt: undefined,
        state: 'escalated',
        escalationReason: 'no_agreement',
        escalatedAt: undefined,
        stalled: null,
        participants: 3,
        coordinator: null,
      },
    );
    assert.equal(item.escalatedAt, t.clock.now().toISOString());

    const read = await officer('GET', `/escalations/${matchId}`);
    assert.equal(read.statusCode, 200, read.body);
    assert.deepEqual(read.json().allowed, ['appoint', 'resolve']);
    assert.deepEqual(
      read.json().participants.map((p: { signalId: string }) => p.signalId),
      signals,
    );
    assert.ok(!('isYou' in read.json().participants[0]) && !('yourStanding' in read.json()));
    assert.equal((await officer('GET', `/escalations/${crypto.randomUUID()}`)).statusCode, 404);

    await refused(matchId, () => officer('POST', `/escalations/${matchId}/appoint`, { targetSignalId: crypto.randomUUID() }), 409, 'coordination_target');
    await refused(matchId, () => officer('POST', `/escalations/${matchId}/appoint`, {}), 422, 'invalid_input');
    await refused(matchId, () => officer('POST', `/escalations/${matchId}/resolve`, { outcome: 'fine' }), 422, 'invalid_input');
    await refused(matchId, () => officer('POST', `/escalations/${crypto.randomUUID()}/resolve`, { outcome: 'other' }), 404, 'not_found');

    const appointed = await officer('POST', `/escalations/${matchId}/appoint`, { targetSignalId: signals[2] });
    assert.equal(appointed.statusCode, 200, appointed.body);
    assert.deepEqual([appointed.json().state, appointed.json().coordinatorSignalId], ['escalated', signals[2]]);
    const resolved = await officer('POST', `/escalations/${matchId}/resolve`, { outcome: 'coordinator_appointed' });
    assert.equal(resolved.statusCode, 200, resolved.body);
    assert.deepEqual([resolved.json().state, resolved.json().outcome, resolved.json().allowed], ['resolved', 'coordinator_appointed', []]);
    await refused(matchId, () => officer('POST', `/escalations/${matchId}/resolve`, { outcome: 'other' }), 409, 'coordination_state');
    await refused(matchId, () => officer('POST', `/escalations/${matchId}/appoint`, { targetSignalId: signals[1] }), 409, 'coordination_state');

    const asC = await view(c.headers, matchId);
    assert.deepEqual(
      [asC.state, asC.coordinatorSignalId, asC.yourStanding, asC.allowed],
      ['resolved', signals[2], 'coordinator', ['propose_handover', 'escalate']],
    );
    assert.deepEqual(
      asC.history.slice(-2).map((h) => [h.action, h.actor, h.category]),
      [
        ['appoint', 'De functionaris van de gemeente', null],
        ['resolve', 'De functionaris van de gemeente', 'coordinator_appointed'],
      ],
    );
    const told = (await outboxOf(matchId)).filter((o) => o.payload.action === 'appoint' || o.payload.action === 'resolve');
    assert.equal(told.length, 6, "the officer's actions reach every participant");
    const list2 = (await officer('GET', '/escalations')).json().items as { matchId: string; state: string }[];
    assert.ok(!list2.some((i) => i.matchId === matchId && i.state === 'escalated'), 'a resolved match is no longer escalated on the work list');
  });

  test('recording contact: a date between the match and today; a future date is refused and changes nothing', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const { matchId, signals } = await matchOf(a.headers, b.headers);
    const recorded = await contact(b.headers, matchId, today());
    assert.equal(recorded.statusCode, 200, recorded.body);
    assert.deepEqual(
      recorded.json().participants.map((p: View['participants'][0]) => [p.signalId, p.contactedOn]),
      [
        [signals[0], null],
        [signals[1], today()],
      ],
    );
    const tomorrow = new Date(t.clock.now().getTime() + 86_400_000).toISOString().slice(0, 10);
    const future = (await refused(matchId, () => contact(a.headers, matchId, tomorrow), 422, 'contact_date_invalid')) as unknown as {
      invalidParams: { name: string }[];
    };
    assert.deepEqual(
      future.invalidParams.map((p) => p.name),
      ['contactedOn'],
    );
    await refused(matchId, () => contact(a.headers, matchId, '2020-01-01'), 422, 'contact_date_invalid');
    await refused(matchId, () => contact(a.headers, matchId, '2026-02-30'), 422, 'invalid_input');
    await refused(matchId, () => contact(a.headers, matchId, '10-03-2026'), 422, 'invalid_input');
    const other = await t.organisation();
    await refused(matchId, () => contact(other.headers, matchId, today()), 404, 'not_found');
    // Recording again replaces the date.
    t.clock.advance(86_400_000);
    const again = await contact(b.headers, matchId, today());
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().participants[1].contactedOn, today());
    assert.equal((await snapshot(matchId)).contacts, 1);
  });

  test('who may call: participants only (others get the same 404 as a random id), record systems with the header, officers on /escalations', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const colleague = await t.colleague(a);
    const { matchId } = await matchOf(a.headers, b.headers);
    const random = await get(a.headers, crypto.randomUUID());
    assert.equal(random.statusCode, 404);
    const strip = (body: Record<string, unknown>) => ({ ...body, instance: undefined });
    for (const headers of [colleague.headers, c.headers]) {
      const response = await get(headers, matchId);
      assert.equal(response.statusCode, 404, response.body);
      assert.deepEqual(strip(response.json()), strip(random.json()), 'the same answer as for an id that does not exist');
      await refused(matchId, () => act(headers, matchId, { action: 'take' }), 404, 'not_found');
      await refused(matchId, () => contact(headers, matchId, today()), 404, 'not_found');
    }
    const noHeader = { authorization: a.headers.authorization! };
    await refused(matchId, () => get(noHeader, matchId), 400, 'professional_header_missing');
    await refused(matchId, () => act(noHeader, matchId, { action: 'take' }), 400, 'professional_header_missing');
    await refused(matchId, () => get({}, matchId), 401, 'unauthenticated');
    assert.equal((await get(a.headers, 'not-an-id')).statusCode, 400);
    // The officer is not a professional; an administrator without the officer role is not the officer.
    await refused(matchId, () => get(officerHeaders, matchId), 403, 'forbidden');
    await refused(matchId, () => act(officerHeaders, matchId, { action: 'take' }), 403, 'forbidden');
    for (const [method, url, payload] of [
      ['GET', '/escalations'],
      ['GET', `/escalations/${matchId}`],
      ['POST', `/escalations/${matchId}/resolve`, { outcome: 'other' }],
    ] as const) {
      for (const headers of [t.adminHeaders, a.headers, noHeader]) {
        const response = (await refused(
          matchId,
          () => t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) }),
          403,
          'forbidden',
        )) as unknown as { detail: string };
        assert.match(response.detail, /escalation officer/);
      }
    }
    const denied = await sql<{ n: number }>`select count(*)::int as n from audit_events where event_type = 'auth.denied'`.execute(database().db);
    assert.ok(denied.rows[0]!.n >= 9);
  });

  test("the mail of coordination.changed names the coordinator's contact details, never the person; webhooks take the new event type", async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const subscribed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhook-subscriptions',
      headers: { authorization: b.headers.authorization! },
      payload: { url: receiver.url, eventTypes: ['coordination.changed'] },
    });
    assert.equal(subscribed.statusCode, 201, subscribed.body);
    assert.deepEqual(subscribed.json().eventTypes, ['coordination.changed']);
    const { matchId, signals, bsn } = await matchOf(a.headers, b.headers);
    await ok(a.headers, matchId, { action: 'take' });
    const start = receiver.calls.length;
    await t.services.deliveryWorker.runOnce();
    const coordinator = await database()
      .db.selectFrom('professionals')
      .select(['name', 'email', 'phone'])
      .where('id', '=', a.professionalId)
      .executeTakeFirstOrThrow();
    const recipient = await database().db.selectFrom('professionals').select(['email']).where('id', '=', b.professionalId).executeTakeFirstOrThrow();
    const mails = await database()
      .db.selectFrom('dev_mailbox')
      .selectAll()
      .where('to_address', '=', recipient.email)
      .where('subject', '=', 'SluiS: de regie is genomen – stem af met de regisseur')
      .execute();
    assert.equal(mails.length, 1);
    const mail = mails[0]!;
    assert.match(mail.text_body, /heeft de regie genomen/);
    assert.match(mail.text_body, /De regie ligt nu bij:/);
    for (const detail of [coordinator.name, coordinator.email, coordinator.phone, a.name, `https://sluis.test/matches/${matchId}`]) {
      assert.ok(mail.text_body.includes(detail), `the mail names ${detail}`);
      assert.ok(mail.html_body.includes(detail), `the HTML names ${detail}`);
    }
    for (const forbidden of [bsn, ...PERSON_DATA])
      assert.ok(!mail.text_body.includes(forbidden) && !mail.html_body.includes(forbidden), `the mail holds ${forbidden}`);
    const mailToA = await database()
      .db.selectFrom('dev_mailbox')
      .select('id')
      .where('to_address', '=', coordinator.email)
      .where('subject', 'like', 'SluiS: de regie %')
      .execute();
    assert.equal(mailToA.length, 0, 'the one who acted is not told');

    const calls = receiver.calls.slice(start).map((c) => JSON.parse(c.body));
    const event = calls.find((e) => e.type === 'nl.sluis.coordination.changed' && e.data.matchId === matchId);
    assert.ok(event, 'a webhook call for coordination.changed');
    assert.deepEqual(event.data, {
      signalId: signals[1],
      matchId,
      action: 'take',
      coordinatorSignalId: signals[0],
      professionalId: b.professionalId,
      organisationId: b.id,
    });
    for (const forbidden of [bsn, ...PERSON_DATA]) assert.ok(!JSON.stringify(event).includes(forbidden));
  });

  test('audit: every read and change of a coordination is in the trail', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const { matchId, signals } = await matchOf(a.headers, b.headers);
    const events = async () =>
      await database()
        .db.selectFrom('audit_events')
        .select(['event_type', 'actor_id', 'outcome', 'subject_key'])
        .where('resource_id', '=', matchId)
        .where('event_type', 'like', 'coordination.%')
        .orderBy('id')
        .execute();
    const startAt = (await events()).length;
    await view(a.headers, matchId);
    await ok(a.headers, matchId, { action: 'take' });
    await contact(b.headers, matchId, today());
    await ok(b.headers, matchId, { action: 'escalate', reason: 'other' });
    await officer('GET', `/escalations/${matchId}`);
    await officer('POST', `/escalations/${matchId}/appoint`, { targetSignalId: signals[1] });
    const trail = (await events()).slice(startAt);
    assert.deepEqual(
      trail.map((e) => [e.event_type, e.actor_id]),
      [
        ['coordination.read', a.professionalId],
        ['coordination.changed', a.professionalId],
        ['coordination.read', a.professionalId],
        ['coordination.contact_recorded', b.professionalId],
        ['coordination.read', b.professionalId],
        ['coordination.changed', b.professionalId],
        ['coordination.read', b.professionalId],
        ['coordination.read', officerId],
        ['coordination.changed', officerId],
        ['coordination.read', officerId],
      ],
    );
    assert.ok(
      trail.every((e) => e.outcome === 'success' && e.subject_key),
      'each names the person (by pseudonym)',
    );
    const outsider = await t.organisation();
    await get(outsider.headers, matchId);
    const last = (await events()).at(-1)!;
    assert.deepEqual([last.event_type, last.actor_id, last.outcome], ['coordination.read', outsider.professionalId, 'not_found']);
    await officer('GET', '/escalations');
    const worklist = await database()
      .db.selectFrom('audit_events')
      .select(['actor_id'])
      .where('event_type', '=', 'coordination.worklist_read')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(worklist.actor_id, officerId);
  });

  test('an organisation that may only signal: its professionals cannot take, accept, be offered or be appointed; the domain priority skips them', async () => {
    const [school, a, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    await t.services.organisations.update(t.admin, school.id, { domains: ['education'] });
    await t.services.covenants.setTerms(t.admin, school.covenantId, { mayCoordinate: false });
    await t.services.settings.update(t.admin, { coordinatorDomainPriority: ['education', 'social_support'] });
    try {
      const { matchId, signals } = await matchOf(school.headers, a.headers, c.headers);
      const asSchool = await view(school.headers, matchId);
      assert.deepEqual(
        asSchool.participants.map((p) => p.mayCoordinate),
        [false, true, true],
      );
      assert.deepEqual(asSchool.allowed, ['escalate']);
      assert.equal(asSchool.proposedByRule, signals[1], 'education comes first, but the school signals only: the longest involved of the others');
      const refusal = (await refused(matchId, () => act(school.headers, matchId, { action: 'take' }), 403, 'coordination_covenant')) as unknown as {
        detail: string;
      };
      assert.match(refusal.detail, /signals only/);

      await ok(a.headers, matchId, { action: 'take' });
      await refused(matchId, () => act(a.headers, matchId, { action: 'propose_handover', targetSignalId: signals[0] }), 409, 'coordination_target_covenant');
      // Offered to C; then C's covenant changes: C may still decline, not accept.
      await ok(a.headers, matchId, { action: 'propose_handover', targetSignalId: signals[2] });
      await t.services.covenants.setTerms(t.admin, c.covenantId, { mayCoordinate: false });
      assert.deepEqual((await view(c.headers, matchId)).allowed, ['decline_handover', 'escalate']);
      await refused(matchId, () => act(c.headers, matchId, { action: 'accept_handover' }), 403, 'coordination_covenant');
      await ok(c.headers, matchId, { action: 'decline_handover' });
      // Nobody else may coordinate now: the coordinator keeps it and cannot hand it over.
      const asA = await view(a.headers, matchId);
      assert.deepEqual([asA.coordinatorSignalId, asA.allowed], [signals[1], ['escalate']]);

      await ok(school.headers, matchId, { action: 'escalate', reason: 'no_agreement' });
      const read = await officer('GET', `/escalations/${matchId}`);
      assert.deepEqual(read.json().allowed, ['appoint', 'resolve']);
      assert.deepEqual(
        read.json().participants.map((p: { mayCoordinate: boolean }) => p.mayCoordinate),
        [false, true, false],
      );
      await refused(matchId, () => officer('POST', `/escalations/${matchId}/appoint`, { targetSignalId: signals[0] }), 409, 'coordination_target_covenant');
      const appointed = await officer('POST', `/escalations/${matchId}/appoint`, { targetSignalId: signals[1] });
      assert.equal(appointed.statusCode, 200, appointed.body);

      // Only organisations that signal: nobody to propose, and the officer can only resolve.
      const only = await matchOf(school.headers, c.headers);
      const asSchool2 = await view(school.headers, only.matchId);
      assert.deepEqual([asSchool2.proposedByRule, asSchool2.allowed], [null, ['escalate']]);
      await ok(school.headers, only.matchId, { action: 'escalate', reason: 'no_coordinator' });
      assert.deepEqual((await officer('GET', `/escalations/${only.matchId}`)).json().allowed, ['resolve']);
    } finally {
      await t.services.settings.update(t.admin, { coordinatorDomainPriority: [] });
    }
  });

  test('an escalation reason must fit the match, and the history shows every recorded contact', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const { matchId, signals } = await matchOf(a.headers, b.headers);
    await ok(a.headers, matchId, { action: 'take' });
    assert.deepEqual((await view(b.headers, matchId)).escalationReasons, ['no_contact', 'no_agreement', 'other']);
    const unfit = (await refused(
      matchId,
      () => act(b.headers, matchId, { action: 'escalate', reason: 'no_coordinator' }),
      409,
      'coordination_reason_unfit',
    )) as unknown as { detail: string };
    assert.match(unfit.detail, /Someone coordinates this match/);

    assert.equal((await contact(a.headers, matchId, today())).statusCode, 200);
    t.clock.advance(60_000);
    assert.equal((await contact(b.headers, matchId, today())).statusCode, 200);
    assert.deepEqual((await view(b.headers, matchId)).escalationReasons, ['no_agreement', 'other']);
    await refused(matchId, () => act(b.headers, matchId, { action: 'escalate', reason: 'no_contact' }), 409, 'coordination_reason_unfit');
    const firstDay = today();

    // Recording again replaces the date; the history keeps both.
    t.clock.advance(86_400_000);
    assert.equal((await contact(b.headers, matchId, today())).statusCode, 200);
    const escalated = await ok(b.headers, matchId, { action: 'escalate', reason: 'no_agreement' });
    assert.deepEqual(
      escalated.history.map((h) => [h.action, h.fromState, h.toState, h.actorKind, h.subject, h.contactedOn]),
      [
        ['take', 'open', 'taken', 'professional', null, null],
        ['contact_recorded', 'taken', 'taken', 'professional', `Professional of ${a.name}`, firstDay],
        ['contact_recorded', 'taken', 'taken', 'professional', `Professional of ${b.name}`, firstDay],
        ['contact_recorded', 'taken', 'taken', 'professional', `Professional of ${b.name}`, today()],
        ['escalate', 'taken', 'escalated', 'professional', null, null],
      ],
    );
    assert.match(escalated.history[1]!.actor, new RegExp(a.name));
    assert.equal(escalated.participants.find((p) => p.signalId === signals[1])!.contactedOn, today());
    // The officer sees the same history.
    assert.deepEqual(
      (await officer('GET', `/escalations/${matchId}`)).json().history.map((h: { action: string }) => h.action),
      ['take', 'contact_recorded', 'contact_recorded', 'contact_recorded', 'escalate'],
    );
  });

  test('each coordination mail says what happened and what is asked, the escalation why; no person data; the feed and webhooks carry whom an offer concerns', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const subscribed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhook-subscriptions',
      headers: { authorization: b.headers.authorization! },
      payload: { url: receiver.url, eventTypes: ['coordination.changed'] },
    });
    assert.equal(subscribed.statusCode, 201, subscribed.body);
    const { matchId, signals, bsn } = await matchOf(a.headers, b.headers, c.headers);
    const emails = new Map<string, string>();
    for (const org of [a, b, c]) {
      const row = await database().db.selectFrom('professionals').select('email').where('id', '=', org.professionalId).executeTakeFirstOrThrow();
      emails.set(org.professionalId, row.email);
    }
    await t.services.deliveryWorker.runOnce(); // the match's own mails
    const start = await database()
      .db.selectFrom('dev_mailbox')
      .select((eb) => eb.fn.max('id').as('id'))
      .executeTakeFirst();
    const seen = Number(start?.id ?? 0);
    const callsBefore = receiver.calls.length;
    /** The subjects each of a, b, c received since `after` (mailbox id), in order. */
    const subjectsSince = async (after: number) => {
      await t.services.deliveryWorker.runOnce();
      const rows = await database().db.selectFrom('dev_mailbox').selectAll().where('id', '>', after).orderBy('id').execute();
      const to = (org: { professionalId: string }) => rows.filter((r) => r.to_address === emails.get(org.professionalId));
      return { rows, a: to(a).map((r) => r.subject), b: to(b).map((r) => r.subject), c: to(c).map((r) => r.subject) };
    };
    const lastId = async () =>
      Number(
        (
          await database()
            .db.selectFrom('dev_mailbox')
            .select((eb) => eb.fn.max('id').as('id'))
            .executeTakeFirst()
        )?.id ?? 0,
      );

    let mark = seen;
    const step = async (headers: Headers, body: object) => {
      await ok(headers, matchId, body);
      const got = await subjectsSince(mark);
      mark = await lastId();
      return got;
    };

    assert.deepEqual(await step(a.headers, { action: 'take' }).then(({ a: x, b: y, c: z }) => [x, y, z]), [
      [],
      ['SluiS: de regie is genomen – stem af met de regisseur'],
      ['SluiS: de regie is genomen – stem af met de regisseur'],
    ]);
    const offered = await step(a.headers, { action: 'propose_handover', targetSignalId: signals[1] });
    assert.deepEqual(
      [offered.b, offered.c],
      [
        ['SluiS: de regie wordt aan u overgedragen – neemt u die aan of wijst u die af?'],
        ['SluiS: overdracht van de regie voorgesteld – u hoeft niets te doen'],
      ],
    );
    const toB = offered.rows.find((r) => r.to_address === emails.get(b.professionalId))!;
    assert.match(toB.text_body, /Professional of .* wil de regie aan u overdragen/);
    assert.match(toB.text_body, /neem het voorstel aan of wijs het af/);
    const declined = await step(b.headers, { action: 'decline_handover' });
    assert.deepEqual(
      [declined.a, declined.c],
      [['SluiS: uw voorstel tot overdracht is afgewezen – u houdt de regie'], ['SluiS: overdracht van de regie afgewezen – de regie blijft waar die was']],
    );
    await step(a.headers, { action: 'propose_handover', targetSignalId: signals[2] });
    const withdrawn = await step(a.headers, { action: 'withdraw_handover' });
    assert.deepEqual(
      [withdrawn.b, withdrawn.c],
      [
        ['SluiS: voorstel tot overdracht van de regie ingetrokken – u hoeft niets te doen'],
        ['SluiS: het voorstel om de regie aan u over te dragen is ingetrokken – u hoeft niets te doen'],
      ],
    );
    const escalated = await step(c.headers, { action: 'escalate', reason: 'no_contact' });
    assert.deepEqual(
      [escalated.a, escalated.b],
      [
        ['SluiS: de match is opgeschaald naar de functionaris – reden: er komt geen contact tot stand'],
        ['SluiS: de match is opgeschaald naar de functionaris – reden: er komt geen contact tot stand'],
      ],
    );
    for (const row of escalated.rows) assert.match(row.text_body, /Reden: er komt geen contact tot stand\./);
    const appoint = await officer('POST', `/escalations/${matchId}/appoint`, { targetSignalId: signals[2] });
    assert.equal(appoint.statusCode, 200, appoint.body);
    const appointed = await subjectsSince(mark);
    mark = await lastId();
    assert.deepEqual(
      [appointed.a, appointed.c],
      [['SluiS: de functionaris heeft een regisseur aangewezen – stem af met de regisseur'], ['SluiS: de functionaris heeft u aangewezen als regisseur']],
    );
    assert.equal((await officer('POST', `/escalations/${matchId}/resolve`, { outcome: 'contact_restored' })).statusCode, 200);
    const resolved = await subjectsSince(mark);
    assert.deepEqual(
      [resolved.a, resolved.b, resolved.c],
      [1, 2, 3].map(() => ['SluiS: de functionaris is klaar – afloop: contact hersteld']),
    );

    // None of them holds anything about the person: not in the subject, the text or the HTML.
    const all = await database().db.selectFrom('dev_mailbox').selectAll().where('id', '>', seen).execute();
    assert.ok(all.length >= 16, `${all.length} mails`);
    for (const mail of all) {
      for (const forbidden of [bsn, ...PERSON_DATA])
        for (const part of [mail.subject, mail.text_body, mail.html_body]) assert.ok(!part.includes(forbidden), `a mail holds ${forbidden}`);
    }

    // The record systems hear whom an offer concerned, by webhook and in the feed.
    const calls = receiver.calls.slice(callsBefore).map((call) => JSON.parse(call.body));
    const offer = calls.find((e) => e.data.matchId === matchId && e.data.action === 'propose_handover');
    assert.deepEqual([offer.data.signalId, offer.data.proposedSignalId, offer.data.coordinatorSignalId], [signals[1], signals[1], signals[0]]);
    const feed = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: b.headers.authorization! } });
    assert.equal(feed.statusCode, 200, feed.body);
    const inFeed = (feed.json().items as { type: string; data: { matchId?: string; action?: string; proposedSignalId?: string } }[]).filter(
      (e) => e.data.matchId === matchId && e.type === 'nl.sluis.coordination.changed',
    );
    assert.deepEqual(
      inFeed.map((e) => e.data.action),
      ['take', 'propose_handover', 'propose_handover', 'withdraw_handover', 'escalate', 'appoint', 'resolve'],
    );
    assert.equal(inFeed[1]!.data.proposedSignalId, signals[1]);
  });

  test("the coordinator's signal ending reopens coordination, and the others hear of it", async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const { matchId, signals } = await matchOf(a.headers, b.headers, c.headers);
    await ok(a.headers, matchId, { action: 'take' });
    await ok(a.headers, matchId, { action: 'propose_handover', targetSignalId: signals[1] });
    t.clock.advance(1000);
    const ended = await t.app.inject({ method: 'POST', url: `/api/v1/signals/${signals[0]}/end`, headers: a.headers, payload: { reason: 'care_ended' } });
    assert.equal(ended.statusCode, 200, ended.body);
    const asB = await view(b.headers, matchId);
    assert.deepEqual(
      [asB.state, asB.coordinatorSignalId, asB.proposedSignalId, asB.yourStanding, asB.allowed],
      ['open', null, null, 'participant', ['take', 'escalate']],
    );
    assert.deepEqual(
      asB.participants.map((p) => p.signalId),
      [signals[1], signals[2]],
    );
    assert.deepEqual(asB.history.at(-1), {
      ...asB.history.at(-1),
      action: 'coordinator_left',
      fromState: 'handover_proposed',
      toState: 'open',
      actor: 'SluiS',
    });
    const told = (await outboxOf(matchId)).filter((o) => o.payload.action === 'coordinator_left');
    assert.deepEqual(told.map((o) => o.recipient_professional_id).sort(), [b.professionalId, c.professionalId].sort());
    assert.equal((await get(a.headers, matchId)).statusCode, 404, 'the one who left no longer sees the match');
    // A participant who does not coordinate leaving changes nothing in the coordination.
    const taken = await ok(b.headers, matchId, { action: 'take' });
    const transitions = (await snapshot(matchId)).transitions;
    t.clock.advance(1000);
    const cLeaves = await t.app.inject({ method: 'POST', url: `/api/v1/signals/${signals[2]}/end`, headers: c.headers, payload: { reason: 'moved' } });
    assert.equal(cLeaves.statusCode, 200, cLeaves.body);
    // B is alone now: the match closes, and with it the coordination is out of sight.
    assert.equal((await get(b.headers, matchId)).statusCode, 404);
    assert.equal((await snapshot(matchId)).transitions, transitions);
    assert.equal(taken.coordinatorSignalId, signals[1]);
  });

  test('a transfer of signals keeps the coordination: the coordinator signal moves to the colleague', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const colleague = await t.colleague(a);
    const { matchId, signals } = await matchOf(a.headers, b.headers);
    await ok(a.headers, matchId, { action: 'take' });
    await contact(a.headers, matchId, today());
    const result = await transferSignals(
      { db: t.services.db, clock: t.clock, audit: createAuditLog(), settings: t.services.settings },
      { kind: 'professional', professionalId: a.professionalId, organisationId: a.id, apiClientId: null, requestId: 'test' },
      { fromProfessionalId: a.professionalId, toProfessionalId: colleague.professionalId },
    );
    assert.deepEqual(result, { moved: 1, ended: 0 });
    const asColleague = await view(colleague.headers, matchId);
    assert.deepEqual(
      [asColleague.state, asColleague.coordinatorSignalId, asColleague.yourSignalId, asColleague.yourStanding],
      ['taken', signals[0], signals[0], 'coordinator'],
    );
    assert.equal(asColleague.participants[0]!.professionalName, 'Collega');
    assert.equal(asColleague.participants[0]!.contactedOn, today(), 'the contact recorded on the signal stays');
    assert.equal((await get(a.headers, matchId)).statusCode, 404);
    assert.equal((await view(b.headers, matchId)).coordinatorSignalId, signals[0]);
    await ok(colleague.headers, matchId, { action: 'propose_handover', targetSignalId: signals[1] });
  });

  // ----------------------------------------------------------------------------------------------
  // The timers: the clock moves by days from here on.

  test('the escalation timers: no coordinator for 10 working days, or no contact; not after 9', async () => {
    t.clock.set('2026-04-07T08:00:00Z'); // Tuesday, 10:00 in Amsterdam
    const [a, b] = [await t.organisation(), await t.organisation()];
    const nobody = await matchOf(a.headers, b.headers);
    const noContact = await matchOf(a.headers, b.headers);
    await ok(a.headers, noContact.matchId, { action: 'take' });
    await contact(a.headers, noContact.matchId, today());
    const fine = await matchOf(a.headers, b.headers);
    await ok(b.headers, fine.matchId, { action: 'take' });
    await contact(a.headers, fine.matchId, today());
    await contact(b.headers, fine.matchId, today());

    // Half the term: on the officer's work list as stalled, not yet escalated.
    t.clock.set('2026-04-14T08:00:00Z'); // 5 working days
    const stalled = (await officer('GET', '/escalations')).json().items as { matchId: string; state: string; stalled: string | null }[];
    assert.deepEqual(
      stalled.filter((i) => [nobody.matchId, noContact.matchId, fine.matchId].includes(i.matchId)).map((i) => [i.matchId, i.state, i.stalled]),
      [
        [nobody.matchId, 'open', 'no_coordinator'],
        [noContact.matchId, 'taken', 'no_contact'],
      ],
    );

    t.clock.set('2026-04-20T21:00:00Z'); // Monday 23:00: 9 working days
    await t.services.jobs.runOnce();
    assert.equal((await view(a.headers, nobody.matchId)).state, 'open');
    assert.equal((await view(a.headers, noContact.matchId)).state, 'taken');

    t.clock.set('2026-04-21T06:00:00Z'); // Tuesday 08:00: 10 working days
    const swept = await t.services.jobs.runOnce();
    assert.ok(swept.escalated >= 2);
    const first = await view(b.headers, nobody.matchId);
    assert.deepEqual([first.state, first.escalationReason], ['escalated', 'no_coordinator']);
    assert.deepEqual(first.history.at(-1), { ...first.history.at(-1), action: 'escalate', actor: 'SluiS', actorKind: 'system', category: 'no_coordinator' });
    const second = await view(b.headers, noContact.matchId);
    assert.deepEqual([second.state, second.escalationReason, second.coordinatorSignalId], ['escalated', 'no_contact', noContact.signals[0]]);
    assert.equal((await view(a.headers, fine.matchId)).state, 'taken', 'everyone recorded contact and someone coordinates');
    const escalatedBy = await database().db.selectFrom('coordinations').select('escalated_by').where('match_id', '=', nobody.matchId).executeTakeFirstOrThrow();
    assert.equal(escalatedBy.escalated_by, 'timer');
    assert.deepEqual(
      (await outboxOf(nobody.matchId)).map((o) => o.recipient_professional_id).sort(),
      [a.professionalId, b.professionalId].sort(),
      "both hear of a timer's escalation",
    );
    assert.equal((await t.services.jobs.runOnce()).escalated, 0, 'once');
  });

  test('escalation terms of 0 switch the timers off', async () => {
    const patch = (body: object) => t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: body });
    assert.equal((await patch({ escalateNoCoordinatorWorkingDays: 0, escalateNoContactWorkingDays: 0 })).statusCode, 200);
    t.clock.set('2026-04-22T08:00:00Z');
    const [a, b] = [await t.organisation(), await t.organisation()];
    const { matchId } = await matchOf(a.headers, b.headers);
    t.clock.set('2026-05-27T08:00:00Z');
    await t.services.jobs.runOnce();
    assert.equal((await view(a.headers, matchId)).state, 'open');
    assert.ok(!((await officer('GET', '/escalations')).json().items as { matchId: string }[]).some((i) => i.matchId === matchId), 'not stalled either');
    assert.equal((await patch({ escalateNoCoordinatorWorkingDays: 10, escalateNoContactWorkingDays: 10 })).statusCode, 200);
    await t.services.jobs.runOnce();
    assert.equal((await view(a.headers, matchId)).escalationReason, 'no_coordinator', 'and back on, the timer counts from the match');
  });

  test('follow-up figures per month: small counts and medians suppressed, zero shown', async () => {
    t.clock.set('2026-07-01T08:00:00Z');
    const [a, b] = [await t.organisation(), await t.organisation()];
    const matches = [];
    for (let i = 0; i < 6; i++) matches.push(await matchOf(a.headers, b.headers));
    for (let i = 0; i < 5; i++) {
      await ok(a.headers, matches[i]!.matchId, { action: 'take' });
      t.clock.advance(86_400_000);
    }
    await contact(a.headers, matches[0]!.matchId, today());
    await contact(b.headers, matches[1]!.matchId, today());
    t.clock.set('2026-08-03T08:00:00Z');
    await matchOf(a.headers, b.headers);

    const figures = async (headers: Headers, query = 'from=2026-07-01&to=2026-08-31') =>
      t.app.inject({ method: 'GET', url: `/api/v1/follow-up?${query}`, headers });
    const answer = await figures(t.adminHeaders);
    assert.equal(answer.statusCode, 200, answer.body);
    assert.deepEqual(answer.json(), {
      from: '2026-07-01',
      to: '2026-08-31',
      suppressBelow: 5,
      periods: [
        { month: '2026-07', matches: 6, withCoordinator: 5, withContact: null, escalated: 0, medianDaysToCoordinator: 2, medianDaysToContact: null },
        { month: '2026-08', matches: null, withCoordinator: 0, withContact: 0, escalated: 0, medianDaysToCoordinator: null, medianDaysToContact: null },
      ],
    });
    assert.deepEqual((await figures(officerHeaders)).json(), answer.json(), 'the officer sees the same');
    for (const headers of [a.headers, { authorization: a.headers.authorization! }]) assert.equal((await figures(headers)).statusCode, 403);
    assert.equal((await figures({})).statusCode, 401);
    for (const query of [
      'from=2026-08-01&to=2026-07-01',
      'from=2026-02-30&to=2026-07-01',
      'from=2020-01-01&to=2026-07-01',
      'from=2026-07-01',
      'from=2026-07-01&to=2026-07-31&bsn=1',
    ]) {
      const bad = await figures(t.adminHeaders, query);
      assert.ok(bad.statusCode === 400 || bad.statusCode === 422, `${query}: ${bad.statusCode}`);
      assert.match(String(bad.headers['content-type']), /^application\/problem\+json/);
    }
    const read = await database()
      .db.selectFrom('audit_events')
      .select(['actor_id', 'details'])
      .where('event_type', '=', 'coordination.follow_up_read')
      .orderBy('id')
      .execute();
    assert.ok(read.length >= 2);
    assert.ok(read.every((r) => r.actor_id));
  });
});
