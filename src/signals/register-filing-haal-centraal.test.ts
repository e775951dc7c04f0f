/**
 * Filing with the Haal Centraal BRP API, end to end: SluiS's own client against the stub server that
 * serves the RvIG's test persons in the API's shape and checks every request and answer against the
 * OpenAPI document. The stub is taken down for real (its listener closed) and brought back: the
 * professional files anyway, and the queued verification completes once the register answers.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { createHaalCentraalRegister, type HaalCentraalRegister } from '../population-register/haal-centraal-register.ts';
import { type BrpStub, startBrpStub } from '../test-support/brp-stub-server.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, TEST_KEYS, type TestApp } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';
import { TEST_PERSONS } from '../test-support/register.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const keyOf = (digits: string) => crypto.personKey(Bsn.parse(digits)!);
const informedBoth = { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-10' } as const;
const consent = { basis: 'consent', givenBy: 'person', givenOn: '2026-03-10' } as const;

describeOnEachDatabase('filing with the Haal Centraal BRP API (stub server)', (database) => {
  let stub: BrpStub;
  let register: HaalCentraalRegister;
  let t: TestApp;
  const log = captureLog();
  before(async () => {
    stub = await startBrpStub();
    register = createHaalCentraalRegister({
      url: stub.url,
      authentication: { type: 'api-key', apiKey: stub.apiKey },
      timeoutMs: 2000,
      retries: 1,
      retryDelayMs: 10,
    });
    t = await createTestApp(database(), { register, logger: log.logger });
  });
  after(async () => {
    await t.close();
    await register.close();
    await stub.close();
    assert.deepEqual(stub.violations, [], 'every request and answer fits the OpenAPI document');
    const values = Object.values(TEST_PERSONS);
    assert.deepEqual(leakedIn(log.text(), [...values, ...values.map(keyOf)]), [], 'no BSN or person key in a log line');
  });

  const file = (headers: Record<string, string>, body: object) => {
    t.clock.advance(1000);
    return t.app.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: body });
  };

  test('a child of the Rotterdam family is filed with the details the API gives; an unknown BSN is refused', async () => {
    const org = await t.organisation();
    const filed = await file(org.headers, { person: { bsn: TEST_PERSONS.teun }, legalBasis: informedBoth });
    assert.equal(filed.statusCode, 201, filed.body);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: org.headers });
    assert.equal(read.json().person.name.familyName, 'Groot Esselink');
    assert.equal(read.json().person.dateOfBirth, '2012-04-18');
    const stored = await database().db.selectFrom('person_register').selectAll().where('person_key', '=', keyOf(TEST_PERSONS.teun)).executeTakeFirstOrThrow();
    assert.equal(stored.state, 'verified');
    assert.equal(stored.parent_keys.length, 2);

    const unknown = await file(org.headers, { person: { bsn: TEST_PERSONS.unknown }, legalBasis: consent });
    assert.equal(unknown.statusCode, 422);
    assert.equal(unknown.json().invalidParams[0].code, 'bsn_unknown_in_register');
    assert.ok(stub.calls.personen >= 2);
  });

  test('the register really down: filed at once and queued; verified by the sweep once it answers again', async () => {
    const org = await t.organisation();
    await stub.down('refused');
    try {
      const filed = await file(org.headers, adultSignal(TEST_PERSONS.wilma, '2026-03-10', { legalBasis: consent }));
      assert.equal(filed.statusCode, 201, filed.body);
      const pending = await database()
        .db.selectFrom('person_register')
        .select('state')
        .where('person_key', '=', keyOf(TEST_PERSONS.wilma))
        .executeTakeFirstOrThrow();
      assert.equal(pending.state, 'pending');
      assert.deepEqual(await t.services.registerVerification!.runDue(), { verified: 0, attention: 0, stillUnavailable: 1 });
    } finally {
      await stub.up();
    }
    t.clock.advance(3_600_000);
    const sweep = await t.services.jobs.runOnce();
    assert.equal(sweep.registerVerified, 1);
    const verified = await database()
      .db.selectFrom('person_register')
      .selectAll()
      .where('person_key', '=', keyOf(TEST_PERSONS.wilma))
      .executeTakeFirstOrThrow();
    assert.equal(verified.state, 'verified');
    assert.equal(verified.municipality_code, '0599');
    assert.equal(
      await database().db.selectFrom('register_verifications').select('attempts').where('person_key', '=', keyOf(TEST_PERSONS.wilma)).executeTakeFirst(),
      undefined,
    );
  });
});
