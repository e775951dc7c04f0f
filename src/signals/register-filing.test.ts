/**
 * Filing with a population register, through the HTTP API, on both databases, against the real
 * embedded register with the RvIG's test persons: details from the register, an unknown BSN, a
 * deceased person, a date of birth that differs, a confidential record, and the register down and
 * back. No BSN in any log line throughout.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, TEST_KEYS, type TestApp } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';
import { type SwitchableRegister, switchableRegister, TEST_PERSONS } from '../test-support/register.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const keyOf = (digits: string) => crypto.personKey(Bsn.parse(digits)!);
const informedBoth = { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-10' } as const;
const consent = { basis: 'consent', givenBy: 'person', givenOn: '2026-03-10' } as const;

describeOnEachDatabase('filing with a population register', (database) => {
  let t: TestApp;
  let plain: TestApp;
  let register: SwitchableRegister;
  const log = captureLog();
  before(async () => {
    register = switchableRegister();
    t = await createTestApp(database(), { register, logger: log.logger });
    plain = await createTestApp(database(), { logger: log.logger });
  });
  after(async () => {
    await t.close();
    await plain.close();
    // No BSN of these tests, nor a person key, in any log line.
    const values = Object.values(TEST_PERSONS);
    assert.deepEqual(leakedIn(log.text(), [...values, ...values.map(keyOf)]), []);
  });

  const file = (app: TestApp, headers: Record<string, string>, body: object) => {
    app.clock.advance(1000);
    return app.app.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: body });
  };
  const problemsOf = (response: { json(): { invalidParams?: { name: string; code: string }[] } }) =>
    (response.json().invalidParams ?? []).map((p) => `${p.name}:${p.code}`).sort();
  const lookups = (digits: string) =>
    database()
      .db.selectFrom('audit_events')
      .select(['outcome', 'details'])
      .where('event_type', '=', 'person.register_looked_up')
      .where('subject_key', '=', keyOf(digits))
      .orderBy('id')
      .execute();

  test('a known person is filed with name, date of birth, gender and address from the register, and what it said is stored as pseudonyms', async () => {
    const org = await t.organisation();
    const filed = await file(t, org.headers, { person: { bsn: TEST_PERSONS.teun }, legalBasis: informedBoth });
    assert.equal(filed.statusCode, 201, filed.body);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: org.headers });
    assert.deepEqual(read.json().person, {
      name: { givenNames: 'Teun', familyName: 'Groot Esselink' },
      dateOfBirth: '2012-04-18',
      gender: 'male',
      address: { street: 'Hofdijk', houseNumber: '651', postcode: '3032 CG', city: 'Rotterdam' },
    });
    const stored = await database().db.selectFrom('person_register').selectAll().where('person_key', '=', keyOf(TEST_PERSONS.teun)).executeTakeFirstOrThrow();
    assert.equal(stored.state, 'verified');
    assert.equal(stored.municipality_code, '0599');
    assert.equal(stored.confidential, false);
    assert.equal(stored.address_function, 'home');
    assert.deepEqual(Buffer.from(stored.address_key!), crypto.addressKey('0599010000110069'));
    assert.deepEqual(
      stored.parent_keys.map((key) => Buffer.from(key).toString('hex')).sort(),
      [keyOf(TEST_PERSONS.wilma), keyOf(TEST_PERSONS.johan)].map((key) => key.toString('hex')).sort(),
    );
    const [lookup] = await lookups(TEST_PERSONS.teun);
    assert.deepEqual(lookup, { outcome: 'success', details: { outcome: 'found', purpose: 'filing' } });
  });

  test('typed details that agree with the register are accepted; the register wins for the name', async () => {
    const org = await t.organisation();
    const body = adultSignal(TEST_PERSONS.johan, '2026-03-10', { legalBasis: consent });
    body.person.dateOfBirth = '1985-05-27';
    const filed = await file(t, org.headers, body);
    assert.equal(filed.statusCode, 201, filed.body);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: org.headers });
    assert.deepEqual(read.json().person.name, { givenNames: 'Johan', familyName: 'Groot Esselink' });
  });

  test('a BSN the register does not know is a 422 on person.bsn, and nothing is filed', async () => {
    const org = await t.organisation();
    const refused = await file(t, org.headers, { person: { bsn: TEST_PERSONS.unknown }, legalBasis: consent });
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(problemsOf(refused), ['person.bsn:bsn_unknown_in_register']);
    assert.match(refused.json().invalidParams[0].reason, /register does not know this BSN/);
    assert.equal(
      await database().db.selectFrom('persons').select('person_key').where('person_key', '=', keyOf(TEST_PERSONS.unknown)).executeTakeFirst(),
      undefined,
    );
    assert.deepEqual(await lookups(TEST_PERSONS.unknown), [{ outcome: 'not_found', details: { outcome: 'unknown', purpose: 'filing' } }]);
  });

  test('a person registered as deceased is refused', async () => {
    const org = await t.organisation();
    const refused = await file(t, org.headers, { person: { bsn: TEST_PERSONS.deceased }, legalBasis: consent });
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(problemsOf(refused), ['person.bsn:person_deceased']);
    assert.match(refused.json().invalidParams[0].reason, /registered as deceased/);
    assert.equal(((await lookups(TEST_PERSONS.deceased))[0]?.details as { outcome?: string } | undefined)?.outcome, 'deceased');
  });

  test('a date of birth that differs from the register is refused on person.dateOfBirth (a typo in the BSN cannot file on someone else)', async () => {
    const org = await t.organisation();
    const body = adultSignal(TEST_PERSONS.wilma, '2026-03-10', { legalBasis: consent });
    body.person.dateOfBirth = '1990-11-17';
    const refused = await file(t, org.headers, body);
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(problemsOf(refused), ['person.dateOfBirth:date_of_birth_mismatch']);
    assert.equal(await database().db.selectFrom('signals').select('id').where('person_key', '=', keyOf(TEST_PERSONS.wilma)).executeTakeFirst(), undefined);
  });

  test('with the date of birth left out, the register’s date drives the age rules', async () => {
    const org = await t.organisation();
    // Teun is 13: consent (23 and over) does not fit; informing both is required.
    const refused = await file(t, org.headers, { person: { bsn: TEST_PERSONS.teun }, legalBasis: consent });
    assert.equal(refused.statusCode, 422);
    const problems = problemsOf(refused);
    assert.ok(problems.length > 0 && problems.every((p) => p.startsWith('legalBasis')), problems.join());
  });

  test('a confidential record gets no address, not even a typed one', async () => {
    const org = await t.organisation();
    const body = adultSignal(TEST_PERSONS.confidential, '2026-03-10', { legalBasis: consent });
    body.person.dateOfBirth = '1965-06-12';
    const filed = await file(t, org.headers, body);
    assert.equal(filed.statusCode, 201, filed.body);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: org.headers });
    assert.equal(read.json().person.address, undefined);
    assert.equal(read.json().person.name.familyName, 'Verstraten');
    const stored = await database()
      .db.selectFrom('person_register')
      .select('confidential')
      .where('person_key', '=', keyOf(TEST_PERSONS.confidential))
      .executeTakeFirstOrThrow();
    assert.equal(stored.confidential, true);
  });

  test('an organisation without standing is refused before the register is asked (no way to learn whether a BSN exists)', async () => {
    const org = await t.organisation();
    await t.services.covenants.transition(t.admin, org.covenantId, 'suspend', null);
    const before = register.lookups;
    const refused = await file(t, org.headers, { person: { bsn: TEST_PERSONS.unknown }, legalBasis: consent });
    assert.equal(refused.statusCode, 403);
    assert.equal(register.lookups, before);
  });

  test('without a register the details are required, each missing one named', async () => {
    const org = await plain.organisation();
    const refused = await file(plain, org.headers, { person: { bsn: TEST_PERSONS.johan }, legalBasis: consent });
    assert.equal(refused.statusCode, 422);
    assert.deepEqual(problemsOf(refused), ['person.dateOfBirth:required', 'person.gender:required', 'person.name:required']);
    assert.match(refused.json().invalidParams[0].reason, /no population register/);
  });

  test('the register down: filed at once on the typed details, queued, and verified by the job when it is back', async () => {
    const org = await t.organisation();
    const db = database().db;
    register.down = true;
    try {
      const missing = await file(t, org.headers, { person: { bsn: TEST_PERSONS.wilma }, legalBasis: consent });
      assert.equal(missing.statusCode, 422);
      assert.deepEqual(problemsOf(missing), ['person.dateOfBirth:required', 'person.gender:required', 'person.name:required']);

      const typed = adultSignal(TEST_PERSONS.wilma, '2026-03-10', { legalBasis: consent });
      const filed = await file(t, org.headers, typed);
      assert.equal(filed.statusCode, 201, filed.body);
      const unknown = await file(t, org.headers, adultSignal(TEST_PERSONS.unknown, '2026-03-10', { legalBasis: consent }));
      assert.equal(unknown.statusCode, 201, unknown.body);
      const pending = await db.selectFrom('person_register').select('state').where('person_key', '=', keyOf(TEST_PERSONS.wilma)).executeTakeFirstOrThrow();
      assert.equal(pending.state, 'pending');
      const figures = await t.services.overview.register(t.admin);
      assert.equal(figures.waiting, 2);
      assert.ok(figures.oldestWaitingSince);

      // Still down when the job runs: tried again later (backoff), nothing lost.
      const stillDown = await t.services.registerVerification!.runDue();
      assert.deepEqual(stillDown, { verified: 0, attention: 0, stillUnavailable: 2 });
      const queued = await db
        .selectFrom('register_verifications')
        .select(['attempts', 'next_attempt_at'])
        .where('person_key', '=', keyOf(TEST_PERSONS.wilma))
        .executeTakeFirstOrThrow();
      assert.equal(queued.attempts, 1);
      assert.ok(queued.next_attempt_at > t.clock.now());
      assert.deepEqual(await t.services.registerVerification!.runDue(), { verified: 0, attention: 0, stillUnavailable: 0 }, 'not due yet');
    } finally {
      register.down = false;
    }

    t.clock.advance(60_000);
    const sweep = await t.services.jobs.runOnce();
    assert.equal(sweep.registerVerified, 1);
    const verified = await db.selectFrom('person_register').selectAll().where('person_key', '=', keyOf(TEST_PERSONS.wilma)).executeTakeFirstOrThrow();
    assert.equal(verified.state, 'verified');
    assert.equal(verified.municipality_code, '0599');
    assert.equal(
      await db.selectFrom('register_verifications').select('attempts').where('person_key', '=', keyOf(TEST_PERSONS.wilma)).executeTakeFirst(),
      undefined,
    );
    const unknownRow = await db
      .selectFrom('register_verifications')
      .select(['attention'])
      .where('person_key', '=', keyOf(TEST_PERSONS.unknown))
      .executeTakeFirstOrThrow();
    assert.equal(unknownRow.attention, 'unknown');
    const after = await t.services.overview.register(t.admin);
    assert.deepEqual(
      { ...after, oldestWaitingSince: null },
      { kind: 'embedded', waiting: 0, oldestWaitingSince: null, unknown: 1, deceased: 0, movesWithoutContact: 0, municipalitiesWithoutContact: 0 },
    );
    // The signal on the unknown BSN stays as filed; the lookups are audited, the last with its answer.
    const audits = (await lookups(TEST_PERSONS.unknown)).slice(-3);
    assert.deepEqual(
      audits.map((a) => a.details),
      [
        { outcome: 'unavailable', purpose: 'filing' },
        { outcome: 'unavailable', purpose: 'verification' },
        { outcome: 'unknown', purpose: 'verification' },
      ],
    );
    assert.equal(
      (await sql<{ n: number }>`select count(*)::int as n from signals where person_key = ${keyOf(TEST_PERSONS.unknown)} and status = 'active'`.execute(db))
        .rows[0]!.n,
      1,
    );
  });

  test('the register figures are for the municipality’s administrators only', async () => {
    await assert.rejects(t.services.overview.register({ ...t.admin, roles: ['escalation_officer'] }), { status: 403 });
  });
});
