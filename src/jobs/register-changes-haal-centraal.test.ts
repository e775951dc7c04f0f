/**
 * Changes from the register through the Haal Centraal BRP API and its Update API, end to end: SluiS's
 * own client against the stub server, which checks every request and answer against the RvIG's
 * OpenAPI documents. A person is followed (PUT /volgindicaties) once a signal is filed, their move is
 * found with GET /wijzigingen and applied, their death ends the signal, and the follow indication is
 * ended once no signal is active. No BSN or person key in any log line (the Update API has the BSN in
 * its URL path).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { createHaalCentraalRegister, type HaalCentraalRegister } from '../population-register/haal-centraal-register.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import { type BrpStub, startBrpStub } from '../test-support/brp-stub-server.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, TEST_KEYS, type TestApp } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';
import { TEST_PERSONS } from '../test-support/register.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const keyOf = (digits: string) => crypto.personKey(Bsn.parse(digits)!);
const informedBoth = { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-10' } as const;
const HOUR = 3_600_000;

describeOnEachDatabase('changes through the BRP Update API (stub server)', (database) => {
  let stub: BrpStub;
  let register: HaalCentraalRegister;
  let t: TestApp;
  const log = captureLog();
  const clock = { now: () => t.clock.now() };
  before(async () => {
    stub = await startBrpStub({ clock });
    register = createHaalCentraalRegister({
      url: stub.url,
      updateUrl: stub.updateUrl,
      authentication: { type: 'api-key', apiKey: stub.apiKey },
      timeoutMs: 2000,
      retries: 1,
      retryDelayMs: 10,
      clock,
    });
    t = await createTestApp(database(), { register, logger: log.logger });
  });
  after(async () => {
    await t.close();
    await register.close();
    await stub.close();
    assert.deepEqual(stub.violations, [], 'every request and answer fits the OpenAPI documents');
    const values = Object.values(TEST_PERSONS);
    assert.deepEqual(leakedIn(log.text(), [...values, ...values.map(keyOf), 'Groot Esselink']), [], 'no BSN, name or person key in a log line');
  });

  const registerRow = () =>
    database().db.selectFrom('person_register').selectAll().where('person_key', '=', keyOf(TEST_PERSONS.teun)).executeTakeFirstOrThrow();

  test('followed on the first signal, a move found among the changes since the last read, a death that ends the signal, and no longer followed after it', async () => {
    const org = await t.organisation();
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: org.headers,
      payload: { person: { bsn: TEST_PERSONS.teun }, legalBasis: informedBoth },
    });
    assert.equal(filed.statusCode, 201, filed.body);
    const signalId = filed.json().signal.id as string;

    await t.services.jobs.runOnce();
    assert.deepEqual(stub.followIndications().get(TEST_PERSONS.teun), { begindatum: '2026-03-10' }, 'followed from today, no end date');
    assert.ok((await registerRow()).followed_at);
    const lookupsBefore = stub.calls.personen;

    // Nothing changed: the changes are read (once an hour at most), nobody is looked up.
    t.clock.advance(HOUR);
    await t.services.jobs.runOnce();
    assert.equal(stub.calls.personen, lookupsBefore);
    assert.ok(stub.calls.wijzigingen >= 1);

    stub.applyMove(TEST_PERSONS.teun, {
      addressObjectId: '0599010000555555',
      street: 'Coolsingel',
      houseNumber: 40,
      postcode: '3011AD',
      city: 'Rotterdam',
      municipality: { code: '0599', omschrijving: 'Rotterdam' },
    });
    t.clock.advance(HOUR);
    assert.equal((await t.services.jobs.runOnce()).registerChanged, 1);
    assert.equal(stub.calls.personen, lookupsBefore + 1, 'only the changed person is looked up');
    const moved = await database().db.selectFrom('signals').select('person_details').where('id', '=', signalId).executeTakeFirstOrThrow();
    assert.equal((moved.person_details as { address: { street: string } }).address.street, 'Coolsingel');

    stub.applyDeath(TEST_PERSONS.teun, '2026-03-10');
    t.clock.advance(HOUR);
    await t.services.jobs.runOnce();
    const ended = await database().db.selectFrom('signals').select(['status', 'end_reason']).where('id', '=', signalId).executeTakeFirstOrThrow();
    assert.deepEqual(ended, { status: 'ended', end_reason: 'deceased' });

    await t.services.jobs.runOnce();
    assert.equal(stub.followIndications().get(TEST_PERSONS.teun)?.einddatum, '2026-03-10', 'the follow indication is ended');
    assert.equal((await registerRow()).followed_at, null);
  });

  test('a person purged at once is no longer followed by the next daily check; an indication SluiS did not place is left alone', async () => {
    const org = await t.organisation();
    const consent = { basis: 'consent', givenBy: 'person', givenOn: '2026-03-10' } as const;
    const filed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: org.headers,
      payload: { person: { bsn: TEST_PERSONS.wilma }, legalBasis: consent },
    });
    assert.equal(filed.statusCode, 201, filed.body);
    await t.services.jobs.runOnce();
    assert.equal(stub.followIndications().get(TEST_PERSONS.wilma)?.einddatum, undefined, 'followed');
    stub.follow(TEST_PERSONS.johan); // placed by another application on the same subscription

    const purged = await t.app.inject({
      method: 'POST',
      url: `/api/v1/signals/${filed.json().signal.id}/end`,
      headers: org.headers,
      payload: { reason: 'unjustified' },
    });
    assert.ok(purged.statusCode < 300, purged.body);
    assert.equal(
      await database().db.selectFrom('person_register').select('person_key').where('person_key', '=', keyOf(TEST_PERSONS.wilma)).executeTakeFirst(),
      undefined,
    );

    t.clock.advance(24 * HOUR);
    await t.services.jobs.runOnce();
    assert.equal(stub.followIndications().get(TEST_PERSONS.wilma)?.einddatum, amsterdamDate(t.clock.now()), 'the forgotten indication is ended');
    assert.equal(stub.followIndications().get(TEST_PERSONS.johan)?.einddatum, undefined, "another application's indication stays");
    const audited = await database()
      .db.selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'person.register_followed')
      .where('subject_key', '=', keyOf(TEST_PERSONS.wilma))
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audited.map((row) => row.details),
      [{ action: 'follow' }, { action: 'unfollow', reason: 'forgotten' }],
    );
  });
});
