/**
 * Persons without a BSN (Besluit Jeugdwet 7.3.1), through the HTTP API on both databases: filing by
 * family name, date of birth and gender; two professionals typing the same person differently (case,
 * accents, prefix apart or together) match; the fields that are required; adding the BSN later moves
 * the signal to the person with that BSN, leaving the old match and joining the new one, with the
 * usual notifications; with the embedded register the BSN is checked and the details come from it.
 * No BSN and no name in any log line.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { identityWithoutBsn } from '../persons/identity-without-bsn.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, rowCounts, TEST_KEYS, type TestApp } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';
import { type SwitchableRegister, switchableRegister, TEST_PERSONS } from '../test-support/register.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const consent = { basis: 'consent', givenBy: 'person', givenOn: '2026-03-10' } as const;
const informedBoth = { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-10' } as const;

const withoutBsn = (familyName: string, extra: Record<string, unknown> = {}) => ({
  person: {
    identifiedBy: 'details',
    name: { givenNames: 'Amira', familyName },
    dateOfBirth: '1990-02-03',
    gender: 'female',
    ...extra,
  },
  legalBasis: consent,
});

describeOnEachDatabase('persons without a BSN', (database) => {
  let t: TestApp;
  let withRegister: TestApp;
  let register: SwitchableRegister;
  const log = captureLog();
  const bsns: string[] = [];
  before(async () => {
    register = switchableRegister();
    t = await createTestApp(database(), { logger: log.logger });
    withRegister = await createTestApp(database(), { register, logger: log.logger });
  });
  after(async () => {
    await t.close();
    await withRegister.close();
    const names = ['Amira', 'Achternaam', 'Zonderbsn', 'Dubbelgetypt', 'Verhuisd', 'Teun'];
    assert.deepEqual(leakedIn(log.text(), [...bsns, ...Object.values(TEST_PERSONS), ...names]), []);
  });

  const file = (app: TestApp, headers: Record<string, string>, body: object) => {
    app.clock.advance(1000);
    return app.app.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: body });
  };
  const addBsn = (app: TestApp, headers: Record<string, string>, signalId: string, bsn: string) => {
    app.clock.advance(1000);
    return app.app.inject({ method: 'POST', url: `/api/v1/signals/${signalId}/bsn`, headers, payload: { bsn } });
  };
  const problemsOf = (response: { json(): { invalidParams?: { name: string; code: string }[] } }) =>
    (response.json().invalidParams ?? []).map((p) => `${p.name}:${p.code}`).sort();
  const outboxOf = (signalIdField: string, matchId: string) =>
    database()
      .db.selectFrom('outbox')
      .select(['event_type', 'recipient_professional_id'])
      .where(({ eb, ref }) => eb(eb.fn('jsonb_extract_path_text', [ref('payload'), eb.val(signalIdField)]), '=', matchId))
      .orderBy('id')
      .execute();

  test('a person without a BSN is filed on family name, date of birth and gender; the signal says so and holds no BSN', async () => {
    const org = await t.organisation();
    const filed = await file(t, org.headers, withoutBsn('Zonderbsn'));
    assert.equal(filed.statusCode, 201, filed.body);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: org.headers });
    assert.equal(read.json().identifiedBy, 'details');
    assert.deepEqual(read.json().person, { name: { givenNames: 'Amira', familyName: 'Zonderbsn' }, dateOfBirth: '1990-02-03', gender: 'female' });
    const key = crypto.detailsKey(identityWithoutBsn({ name: { familyName: 'Zonderbsn' }, dateOfBirth: '1990-02-03', gender: 'female' })!);
    const person = await database().db.selectFrom('persons').selectAll().where('person_key', '=', key).executeTakeFirstOrThrow();
    assert.equal(person.identification, 'details');
    assert.equal(person.bsn_ciphertext, null);
    // A signal filed with a BSN says so too.
    const bsn = randomBsn();
    bsns.push(bsn);
    const withBsn = await file(t, org.headers, adultSignal(bsn));
    const readWith = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${withBsn.json().signal.id}`, headers: org.headers });
    assert.equal(readWith.json().identifiedBy, 'bsn');
  });

  test('two professionals typing the same person differently (prefix apart, case, accents) make a match; another date of birth or gender does not', async () => {
    const a = await t.organisation();
    const b = await t.organisation();
    const c = await t.organisation();
    const first = await file(
      t,
      a.headers,
      withoutBsn('Dubbelgetypt', { name: { givenNames: 'Amira', familyNamePrefix: 'van der', familyName: 'Dubbelgetypt' } }),
    );
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().match, null);
    const second = await file(t, b.headers, withoutBsn('VANDER DÚBBELGETYPT', { name: { givenNames: 'A.', familyName: 'VANDER DÚBBELGETYPT' } }));
    assert.equal(second.statusCode, 201, second.body);
    assert.ok(second.json().match, 'the second filing makes a match');
    assert.equal(second.json().match.participants.length, 2);
    const otherGender = await file(
      t,
      c.headers,
      withoutBsn('Dubbelgetypt', { name: { givenNames: 'Amir', familyNamePrefix: 'van der', familyName: 'Dubbelgetypt' }, gender: 'male' }),
    );
    assert.equal(otherGender.json().match, null);
    const otherDay = await file(
      t,
      c.headers,
      withoutBsn('Dubbelgetypt', { name: { givenNames: 'Amira', familyNamePrefix: 'van der', familyName: 'Dubbelgetypt' }, dateOfBirth: '1990-02-04' }),
    );
    assert.equal(otherDay.json().match, null);
  });

  test('without a BSN the family name, date of birth and a known gender are required, and nothing is written when they are missing', async () => {
    const org = await t.organisation();
    const before = await rowCounts(database().db);
    const missing = await file(t, org.headers, { person: { identifiedBy: 'details' }, legalBasis: consent });
    assert.equal(missing.statusCode, 422, missing.body);
    assert.deepEqual(problemsOf(missing), ['person.dateOfBirth:required', 'person.gender:required', 'person.name:required']);
    const unknownGender = await file(t, org.headers, withoutBsn('Achternaam', { gender: 'unknown' }));
    assert.deepEqual(problemsOf(unknownGender), ['person.gender:gender_required_without_bsn']);
    const noLetters = await file(t, org.headers, withoutBsn('-- 12'));
    assert.deepEqual(problemsOf(noLetters), ['person.name.familyName:family_name_without_letters']);
    const both = await file(t, org.headers, withoutBsn('Achternaam', { bsn: '999999369' }));
    assert.deepEqual(problemsOf(both), ['person.bsn:bsn_with_details']);
    // Leaving the BSN out without saying so is an error that says how to file without one.
    const noBsn = await file(t, org.headers, {
      person: { name: { givenNames: 'A', familyName: 'Achternaam' }, dateOfBirth: '1990-02-03', gender: 'female' },
      legalBasis: consent,
    });
    assert.deepEqual(problemsOf(noBsn), ['person.bsn:required']);
    assert.match(noBsn.json().invalidParams[0].reason, /identifiedBy: details/);
    // The age rules apply as with a BSN: a child needs an informing record.
    const child = await file(t, org.headers, withoutBsn('Achternaam', { dateOfBirth: '2015-01-01' }));
    assert.ok(
      problemsOf(child).some((p) => p.startsWith('legalBasis')),
      child.body,
    );
    assert.deepEqual(await rowCounts(database().db), { ...before, audit_events: (await rowCounts(database().db)).audit_events });
  });

  test('adding the BSN moves the signal: it leaves the match on the typed details and joins the match on the BSN, everyone told as usual', async () => {
    const a = await t.organisation();
    const b = await t.organisation();
    const c = await t.organisation();
    const bsn = randomBsn();
    bsns.push(bsn);
    // a and b filed on the same person without a BSN (a match); c filed on the BSN.
    const fromA = await file(t, a.headers, withoutBsn('Verhuisd'));
    const fromB = await file(t, b.headers, withoutBsn('Verhuisd'));
    const oldMatch = fromB.json().match.id as string;
    const fromC = await file(t, c.headers, adultSignal(bsn));
    assert.equal(fromC.json().match, null);

    const added = await addBsn(t, a.headers, fromA.json().signal.id, bsn);
    assert.equal(added.statusCode, 200, added.body);
    assert.equal(added.json().identifiedBy, 'bsn');
    assert.ok(added.json().matchId, 'the signal is in the match on the BSN now');
    assert.notEqual(added.json().matchId, oldMatch);
    assert.doesNotMatch(added.body, new RegExp(bsn));
    // The match on the BSN: a and c; the one on the typed details closed (b alone).
    const newMatch = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${added.json().matchId}`, headers: c.headers });
    assert.equal(newMatch.statusCode, 200, newMatch.body);
    assert.deepEqual(
      newMatch
        .json()
        .participants.map((p: { organisationName: string }) => p.organisationName)
        .sort(),
      [a.name, c.name].sort(),
    );
    const closed = await database().db.selectFrom('matches').select('status').where('id', '=', oldMatch).executeTakeFirstOrThrow();
    assert.equal(closed.status, 'closed');
    // Told as usual: b that a left; a and c of the new match.
    const left = await outboxOf('matchId', oldMatch);
    assert.ok(
      left.some((row) => row.event_type === 'match.participant_left' && row.recipient_professional_id === b.professionalId),
      JSON.stringify(left),
    );
    const made = await outboxOf('matchId', added.json().matchId);
    assert.deepEqual(
      made
        .filter((row) => row.event_type === 'match.created')
        .map((row) => row.recipient_professional_id)
        .sort(),
      [a.professionalId, c.professionalId].sort(),
    );
    // Audited under both persons' keys; the person on the typed details is still there (b's signal).
    const oldKey = crypto.detailsKey(identityWithoutBsn({ name: { familyName: 'Verhuisd' }, dateOfBirth: '1990-02-03', gender: 'female' })!);
    const events = await database()
      .db.selectFrom('audit_events')
      .select(['subject_key'])
      .where('event_type', '=', 'signal.person_identified')
      .where('resource_id', '=', fromA.json().signal.id)
      .execute();
    assert.deepEqual(
      events.map((e) => Buffer.from(e.subject_key!).toString('hex')).sort(),
      [oldKey, crypto.personKey(Bsn.parse(bsn)!)].map((k) => k.toString('hex')).sort(),
    );
    // b adds the BSN too: b's signal joins, and the person on the typed details is gone.
    const fromBAdded = await addBsn(t, b.headers, fromB.json().signal.id, bsn);
    assert.equal(fromBAdded.json().matchId, added.json().matchId);
    assert.equal(await database().db.selectFrom('persons').select('person_key').where('person_key', '=', oldKey).executeTakeFirst(), undefined);
  });

  test('adding the BSN while another professional files on that BSN at the same moment gives exactly one match with both', async () => {
    for (let round = 0; round < 5; round++) {
      const a = await t.organisation();
      const c = await t.organisation();
      const bsn = randomBsn();
      bsns.push(bsn);
      const filed = await file(t, a.headers, withoutBsn(`Gelijktijdig${'x'.repeat(round)}`));
      const [added, other] = await Promise.all([
        addBsn(t, a.headers, filed.json().signal.id, bsn),
        t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: c.headers, payload: adultSignal(bsn) }),
      ]);
      assert.equal(added.statusCode, 200, added.body);
      assert.equal(other.statusCode, 201, other.body);
      const open = await database()
        .db.selectFrom('matches')
        .select('id')
        .where('person_key', '=', crypto.personKey(Bsn.parse(bsn)!))
        .where('status', '=', 'open')
        .execute();
      assert.equal(open.length, 1);
      const participants = await database().db.selectFrom('match_participants').select('signal_id').where('match_id', '=', open[0]!.id).execute();
      assert.deepEqual(participants.map((p) => p.signal_id).sort(), [filed.json().signal.id, other.json().signal.id].sort());
    }
  });

  test("adding a BSN is refused where it does not fit: a signal with a BSN, an invalid number, a person already signalled, someone else's signal", async () => {
    const a = await t.organisation();
    const other = await t.organisation();
    const bsn = randomBsn();
    bsns.push(bsn);
    const withBsn = await file(t, a.headers, adultSignal(bsn));
    const refusedHasBsn = await addBsn(t, a.headers, withBsn.json().signal.id, randomBsn());
    assert.equal(refusedHasBsn.statusCode, 409);
    assert.equal(refusedHasBsn.json().code, 'signal_has_bsn');
    const noBsn = await file(t, a.headers, withoutBsn('Achternaam'));
    const invalid = await addBsn(t, a.headers, noBsn.json().signal.id, '123456789');
    assert.equal(invalid.statusCode, 422);
    const already = await addBsn(t, a.headers, noBsn.json().signal.id, bsn);
    assert.equal(already.statusCode, 409);
    assert.equal(already.json().code, 'already_signalled');
    const foreign = await addBsn(t, other.headers, noBsn.json().signal.id, randomBsn());
    assert.equal(foreign.statusCode, 404);
    const unknown = await addBsn(t, other.headers, '00000000-0000-4000-8000-000000000000', randomBsn());
    assert.equal(unknown.statusCode, 404);
    assert.deepEqual(JSON.parse(foreign.body).detail, JSON.parse(unknown.body).detail, 'another professional learns nothing of the signal');
    // Nothing moved.
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${noBsn.json().signal.id}`, headers: a.headers });
    assert.equal(read.json().identifiedBy, 'details');
    // An ended signal can no longer be moved.
    await t.app.inject({ method: 'POST', url: `/api/v1/signals/${noBsn.json().signal.id}/end`, headers: a.headers, payload: { reason: 'care_ended' } });
    const ended = await addBsn(t, a.headers, noBsn.json().signal.id, randomBsn());
    assert.equal(ended.statusCode, 409);
    assert.equal(ended.json().code, 'signal_not_active');
  });

  test('with a register, the BSN added is checked (unknown, date of birth) and the details then come from the register, with family matching', async () => {
    const a = await withRegister.organisation();
    const school = await withRegister.organisation();
    // Maud, Teun's sister (a shared registered parent), already has a signal.
    const maud = await file(withRegister, school.headers, {
      person: { bsn: '999999394' },
      legalBasis: { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-03-10' },
    });
    assert.equal(maud.statusCode, 201, maud.body);
    const typedTeun = {
      person: { identifiedBy: 'details', name: { givenNames: 'Teun', familyName: 'Esselink' }, dateOfBirth: '2012-04-18', gender: 'male' },
      legalBasis: informedBoth,
    };
    const filed = await file(withRegister, a.headers, typedTeun);
    assert.equal(filed.statusCode, 201, filed.body);
    const unknown = await addBsn(withRegister, a.headers, filed.json().signal.id, TEST_PERSONS.unknown);
    assert.equal(unknown.statusCode, 422);
    assert.deepEqual(problemsOf(unknown), ['bsn:bsn_unknown_in_register']);
    const otherDay = await file(withRegister, a.headers, { ...typedTeun, person: { ...typedTeun.person, dateOfBirth: '2012-09-30' } });
    const mismatch = await addBsn(withRegister, a.headers, otherDay.json().signal.id, TEST_PERSONS.teun);
    assert.deepEqual(problemsOf(mismatch), ['bsn:date_of_birth_mismatch']);
    const added = await addBsn(withRegister, a.headers, filed.json().signal.id, TEST_PERSONS.teun);
    assert.equal(added.statusCode, 200, added.body);
    assert.deepEqual(added.json().person.name, { givenNames: 'Teun', familyName: 'Groot Esselink' });
    assert.equal(added.json().person.address.city, 'Rotterdam');
    const stored = await database()
      .db.selectFrom('person_register')
      .select('state')
      .where('person_key', '=', crypto.personKey(Bsn.parse(TEST_PERSONS.teun)!))
      .executeTakeFirstOrThrow();
    assert.equal(stored.state, 'verified');
    // Now that the register knows who it is, the signal is in a family match with Maud's.
    const family = await database()
      .db.selectFrom('match_participants as mp')
      .innerJoin('match_participants as other', 'other.match_id', 'mp.match_id')
      .select('other.signal_id')
      .where('mp.signal_id', '=', filed.json().signal.id)
      .where('mp.kind', '=', 'family')
      .where('mp.left_at', 'is', null)
      .execute();
    assert.ok(
      family.some((row) => row.signal_id === maud.json().signal.id),
      'a family match with the sister',
    );
  });
});
