/** Filing, reading, listing and ending signals through the HTTP API, on both databases. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, childSignal, createTestApp, randomBsn, type TestApp } from '../test-support/fixtures.ts';

describeOnEachDatabase('signals API', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  /** Files a signal one second after the previous one, so that the order of filings is the order in time. */
  const file = (headers: Record<string, string>, body: unknown) => {
    t.clock.advance(1000);
    return t.app.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: body as object });
  };

  async function counts() {
    const row = await sql<{ signals: number; persons: number; audits: number; outbox: number }>`
      select (select count(*)::int from signals) as signals, (select count(*)::int from persons) as persons,
             (select count(*)::int from audit_events) as audits, (select count(*)::int from outbox) as outbox`.execute(database().db);
    return row.rows[0]!;
  }

  test('a first signal makes no match; a second from another organisation makes one that both see', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = await file(a.headers, adultSignal(bsn));
    assert.equal(first.statusCode, 201);
    const firstBody = first.json();
    assert.equal(firstBody.created, true);
    assert.equal(firstBody.match, null);
    assert.deepEqual(firstBody.history, []);
    assert.equal(first.headers.location, `/api/v1/signals/${firstBody.signal.id}`);
    assert.equal(firstBody.signal.activeUntil, '2028-03-10T09:00:01.000Z');

    const second = await file(b.headers, adultSignal(bsn));
    assert.equal(second.statusCode, 201);
    const match = second.json().match;
    assert.ok(match, 'the second signal makes a match');
    assert.deepEqual(
      match.participants.map((p: { organisationName: string; isYou: boolean }) => [p.organisationName, p.isYou]),
      [
        [a.name, false],
        [b.name, true],
      ],
    );
    assert.deepEqual(Object.keys(match.participants[0]).sort(), ['email', 'isYou', 'jobTitle', 'organisationName', 'phone', 'professionalName', 'since']);

    const seenByA = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${match.id}`, headers: a.headers });
    assert.equal(seenByA.statusCode, 200);
    assert.equal(seenByA.json().participants.length, 2);
    assert.equal(seenByA.json().yourSignalId, firstBody.signal.id);
    assert.deepEqual(Object.keys(seenByA.json().participants[0]).sort(), [
      'email',
      'isYou',
      'jobTitle',
      'organisationName',
      'phone',
      'professionalName',
      'since',
    ]);
  });

  test("the answer never holds the BSN or the person's details", async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    await file(a.headers, adultSignal(bsn));
    const response = await file(b.headers, adultSignal(bsn));
    assert.equal(response.statusCode, 201);
    for (const forbidden of [bsn, 'Boer', 'Coolsingel', '1980-05-17', 'bsn', 'pseudonym', 'person_key']) {
      assert.ok(!response.body.includes(forbidden), `the answer must not contain ${forbidden}`);
    }
  });

  test('one active signal per professional per person: filing again returns the existing signal', async () => {
    const a = await t.organisation();
    const bsn = randomBsn();
    const first = await file(a.headers, adultSignal(bsn));
    const before = await counts();
    const again = await file(a.headers, adultSignal(bsn, '2026-03-10', { clientReference: 'another reference' }));
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().created, false);
    assert.equal(again.json().signal.id, first.json().signal.id);
    assert.equal(again.json().signal.clientReference, 'dossier 1');
    const afterwards = await counts();
    assert.equal(afterwards.signals, before.signals);
    assert.equal(afterwards.outbox, before.outbox);
  });

  test('a colleague in the same organisation makes no match unless the settings allow it', async () => {
    const a = await t.organisation();
    const colleague = await t.colleague(a);
    const bsn = randomBsn();
    await file(a.headers, adultSignal(bsn));
    const sameOrganisation = await file(colleague.headers, adultSignal(bsn));
    assert.equal(sameOrganisation.statusCode, 201);
    assert.equal(sameOrganisation.json().match, null);

    await t.services.settings.update(t.admin, { matchWithinOrganisation: true });
    try {
      const third = await t.colleague(a);
      const withinAllowed = await file(third.headers, adultSignal(bsn));
      assert.equal(withinAllowed.json().match?.participants.length, 3);
    } finally {
      await t.services.settings.update(t.admin, { matchWithinOrganisation: false });
    }
  });

  test('the outbox gets one record per participant, in the same transaction as the match', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    await file(a.headers, adultSignal(bsn));
    const made = (await file(b.headers, adultSignal(bsn))).json();
    const joined = (await file(c.headers, adultSignal(bsn))).json();
    const rows = await database()
      .db.selectFrom('outbox')
      .select(['event_type', 'recipient_professional_id', 'payload'])
      .where(sql<boolean>`payload->>'matchId' = ${made.match.id}`)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      rows.map((r) => [r.event_type, r.recipient_professional_id]),
      [
        ['match.created', a.professionalId],
        ['match.created', b.professionalId],
        ['match.participant_joined', a.professionalId],
        ['match.participant_joined', b.professionalId],
        ['match.participant_joined', c.professionalId],
      ],
    );
    assert.equal((rows[4]!.payload as { newSignalId: string }).newSignalId, joined.signal.id);
    for (const row of rows) assert.ok(!JSON.stringify(row.payload).includes(bsn));
  });

  test('invalid input lists every problem at once and changes nothing', async () => {
    const a = await t.organisation();
    const before = await counts();
    const response = await file(a.headers, {
      person: { bsn: '123456789', name: { givenNames: 'X' }, dateOfBirth: '2001-02-29', gender: 'x', shoeSize: 44 },
      legalBasis: { basis: 'consent', givenBy: 'person' },
      extra: true,
    });
    assert.equal(response.statusCode, 422);
    assert.match(response.headers['content-type'] as string, /^application\/problem\+json/);
    const names = response
      .json()
      .invalidParams.map((p: { name: string }) => p.name)
      .sort();
    assert.deepEqual(names, ['extra', 'legalBasis.givenOn', 'person.bsn', 'person.dateOfBirth', 'person.gender', 'person.name.familyName', 'person.shoeSize']);
    assert.ok(!response.body.includes('123456789'), 'the problem does not echo the BSN');
    assert.deepEqual(await counts(), before);
  });

  test('malformed, oversized, wrongly typed and empty bodies get a 4xx problem and change nothing', async () => {
    const a = await t.organisation();
    const before = await counts();
    const cases = [
      { payload: '{"person": ', type: 'application/json', status: 400, code: 'malformed_json' },
      { payload: JSON.stringify({ ...adultSignal(), clientReference: 'x'.repeat(40_000) }), type: 'application/json', status: 413, code: 'body_too_large' },
      { payload: 'bsn=100023757', type: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported_media_type' },
      { payload: '', type: 'application/json', status: 400, code: 'empty_body' },
      { payload: '[]', type: 'application/json', status: 422, code: 'invalid_input' },
      {
        payload: JSON.stringify({ ...adultSignal(), person: { ...adultSignal().person, bsn: 100023757 } }),
        type: 'application/json',
        status: 422,
        code: 'invalid_input',
      },
    ];
    for (const c of cases) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: { ...a.headers, 'content-type': c.type }, payload: c.payload });
      assert.equal(response.statusCode, c.status, `${c.code}: ${response.body}`);
      assert.equal(response.json().code, c.code);
    }
    assert.deepEqual(await counts(), before);
  });

  test("the consent or informing record must fit the person's age on the signal date", async () => {
    const a = await t.organisation();
    const adultWithoutConsent = await file(a.headers, { ...adultSignal(), legalBasis: { basis: 'informed', informed: ['person'], informedOn: '2026-03-10' } });
    assert.equal(adultWithoutConsent.statusCode, 422);
    assert.deepEqual(
      adultWithoutConsent.json().invalidParams.map((p: { name: string; code: string }) => p.name),
      ['legalBasis.basis'],
    );

    const fourteen = childSignal(randomBsn(), '2011-09-01');
    const onlyParent = await file(a.headers, fourteen);
    assert.equal(onlyParent.statusCode, 422);
    assert.match(onlyParent.json().invalidParams[0].reason, /missing: person/);
    const both = await file(a.headers, {
      ...fourteen,
      legalBasis: { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-09' },
    });
    assert.equal(both.statusCode, 201);

    const badBsnAndParties = await file(a.headers, { ...fourteen, person: { ...fourteen.person, bsn: '100023758' } });
    assert.equal(badBsnAndParties.statusCode, 422);
    assert.deepEqual(
      badBsnAndParties.json().invalidParams.map((p: { name: string }) => p.name),
      ['person.bsn', 'legalBasis.informed'],
      'schema and age rules together',
    );

    const postponed = await file(a.headers, { ...childSignal(), legalBasis: { basis: 'informing_postponed', reason: 'safety_of_person' } });
    assert.equal(postponed.statusCode, 201);

    const future = await file(a.headers, adultSignal(randomBsn(), '2026-03-11'));
    assert.equal(future.statusCode, 422);
    assert.equal(future.json().invalidParams[0].name, 'legalBasis.givenOn');
  });

  test('a professional lists, reads and ends their own signals', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const mine = (await file(a.headers, adultSignal(bsn))).json();
    await file(a.headers, adultSignal());
    const theirs = (await file(b.headers, adultSignal(bsn))).json();

    const list = await t.app.inject({ method: 'GET', url: '/api/v1/signals?limit=1', headers: a.headers });
    assert.equal(list.statusCode, 200);
    assert.equal(list.json().items.length, 1);
    const next = await t.app.inject({ method: 'GET', url: `/api/v1/signals?limit=1&cursor=${list.json().nextCursor}`, headers: a.headers });
    assert.equal(next.json().items[0].id, mine.signal.id);
    assert.equal(next.json().nextCursor, null);

    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${mine.signal.id}`, headers: a.headers });
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().matchId, theirs.match.id);
    assert.equal(read.json().person.name.familyName, 'Boer');
    assert.ok(!read.body.includes(bsn));

    const ended = await t.app.inject({ method: 'POST', url: `/api/v1/signals/${mine.signal.id}/end`, headers: a.headers, payload: { reason: 'care_ended' } });
    assert.equal(ended.statusCode, 200);
    assert.equal(ended.json().status, 'ended');
    assert.equal(ended.json().person, null, 'an ended signal no longer shows the person');
    const again = await t.app.inject({ method: 'POST', url: `/api/v1/signals/${mine.signal.id}/end`, headers: a.headers, payload: { reason: 'care_ended' } });
    assert.equal(again.statusCode, 409);

    // The match closed with only one organisation left; B no longer sees it; A's signal is history for a newcomer.
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/matches/${theirs.match.id}`, headers: b.headers })).statusCode, 404);
    const c = await t.organisation();
    const newcomer = (await file(c.headers, adultSignal(bsn))).json();
    assert.equal(newcomer.match.participants.length, 2);
    assert.deepEqual(
      newcomer.history.map((h: { organisationName: string }) => h.organisationName),
      [a.name],
    );
    const active = await t.app.inject({ method: 'GET', url: '/api/v1/signals?status=inactive', headers: a.headers });
    assert.deepEqual(
      active.json().items.map((s: { id: string }) => s.id),
      [mine.signal.id],
    );
  });

  test('a signal ended as unjustified is deleted at once, with the person when nothing else refers to it', async () => {
    const a = await t.organisation();
    const filed = (await file(a.headers, adultSignal())).json();
    const before = await counts();
    const response = await t.app.inject({
      method: 'POST',
      url: `/api/v1/signals/${filed.signal.id}/end`,
      headers: a.headers,
      payload: { reason: 'unjustified' },
    });
    assert.equal(response.statusCode, 204);
    const afterwards = await counts();
    assert.equal(afterwards.signals, before.signals - 1);
    assert.equal(afterwards.persons, before.persons - 1);
    assert.equal((await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.signal.id}`, headers: a.headers })).statusCode, 404);
    const c = await t.organisation();
    assert.deepEqual((await file(c.headers, adultSignal())).json().history, []);
  });

  test("every filing and read leaves an audit record with the subject's pseudonym and the request id", async () => {
    const a = await t.organisation();
    const filed = await file(a.headers, adultSignal());
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: a.headers });
    const events = await database().db.selectFrom('audit_events').selectAll().where('resource_id', '=', filed.json().signal.id).orderBy('id').execute();
    assert.deepEqual(
      events.map((e) => [e.event_type, e.outcome, e.actor_id, e.organisation_id, e.api_client_id, e.request_id]),
      [
        ['signal.created', 'success', a.professionalId, a.id, a.apiClientId, filed.headers['x-request-id']],
        ['signal.read', 'success', a.professionalId, a.id, a.apiClientId, read.headers['x-request-id']],
      ],
    );
    assert.equal(events[0]!.subject_key?.length, 32);
    assert.deepEqual(Buffer.from(events[0]!.subject_key!), Buffer.from(events[1]!.subject_key!));
  });
});
