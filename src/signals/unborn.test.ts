/**
 * Signals on an unborn child (the setting unbornSignals, off by default), through the HTTP API on both
 * databases: refused while the setting is off; identified through the mother's BSN, so two
 * professionals make a match; the expected date and the informing of the mother checked; with the
 * register the mother's BSN checked; once born, the child's BSN moves the signal to the child, with
 * the register's details and family matching. No BSN in any log line.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { unbornIdentity } from '../persons/identity-without-bsn.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, randomBsn, TEST_KEYS, type TestApp } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';
import { switchableRegister, TEST_PERSONS } from '../test-support/register.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const mother = '999999357'; // Wilma Haverkamp, the mother of the Rotterdam family (TEST_PERSONS.wilma)
const informedMother = { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-03-09' } as const;
const unborn = (motherBsn: string, extra: Record<string, unknown> = {}) => ({
  person: { identifiedBy: 'unborn', motherBsn, name: { familyName: 'Groot Esselink' }, dateOfBirth: '2026-07-20', ...extra },
  legalBasis: informedMother,
});

describeOnEachDatabase('signals on an unborn child', (database) => {
  let t: TestApp;
  let r: TestApp;
  const log = captureLog();
  const bsns: string[] = [];
  before(async () => {
    t = await createTestApp(database(), { logger: log.logger });
    r = await createTestApp(database(), { register: switchableRegister(), logger: log.logger });
  });
  after(async () => {
    await t.close();
    await r.close();
    assert.deepEqual(leakedIn(log.text(), [...bsns, ...Object.values(TEST_PERSONS)]), []);
  });

  const file = (app: TestApp, headers: Record<string, string>, body: object) => {
    app.clock.advance(1000);
    return app.app.inject({ method: 'POST', url: '/api/v1/signals', headers, payload: body });
  };
  const problemsOf = (response: { json(): { invalidParams?: { name: string; code: string }[] } }) =>
    (response.json().invalidParams ?? []).map((p) => `${p.name}:${p.code}`).sort();
  const allowUnborn = (app: TestApp, on: boolean) =>
    app.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: app.adminHeaders, payload: { unbornSignals: on } });

  test('off by default: a signal on an unborn child is refused, and allowed once the municipality turns it on', async () => {
    const org = await t.organisation();
    const motherBsn = randomBsn();
    bsns.push(motherBsn);
    const settings = await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: t.adminHeaders });
    assert.equal(settings.json().unbornSignals, false);
    const refused = await file(t, org.headers, unborn(motherBsn));
    assert.equal(refused.statusCode, 422, refused.body);
    assert.deepEqual(problemsOf(refused), ['person.identifiedBy:unborn_signals_off']);
    assert.equal((await allowUnborn(t, true)).statusCode, 200);
    const filed = await file(t, org.headers, unborn(motherBsn));
    assert.equal(filed.statusCode, 201, filed.body);
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${filed.json().signal.id}`, headers: org.headers });
    assert.equal(read.json().identifiedBy, 'unborn');
    assert.deepEqual(read.json().person, {
      name: { givenNames: 'Ongeboren kind', familyName: 'Groot Esselink' },
      dateOfBirth: '2026-07-20',
      gender: 'unknown',
    });
    assert.doesNotMatch(read.body, new RegExp(motherBsn));
    const person = await database()
      .db.selectFrom('persons')
      .selectAll()
      .where('person_key', '=', crypto.detailsKey(unbornIdentity(Bsn.parse(motherBsn)!)))
      .executeTakeFirstOrThrow();
    assert.equal(person.identification, 'unborn');
    assert.equal(person.bsn_ciphertext, null);
  });

  test("two professionals filing on the same mother's unborn child make a match, whatever expected date each typed", async () => {
    await allowUnborn(t, true);
    const midwife = await t.organisation();
    const youth = await t.organisation();
    const motherBsn = randomBsn();
    bsns.push(motherBsn);
    await file(t, midwife.headers, unborn(motherBsn));
    const second = await file(t, youth.headers, unborn(motherBsn, { dateOfBirth: '2026-07-27', name: { givenNames: 'Baby', familyName: 'Esselink' } }));
    assert.equal(second.statusCode, 201, second.body);
    assert.equal(second.json().match.participants.length, 2);
  });

  test("the expected date, the mother's BSN and the informing of the mother are checked", async () => {
    await allowUnborn(t, true);
    const org = await t.organisation();
    const motherBsn = randomBsn();
    bsns.push(motherBsn);
    assert.deepEqual(problemsOf(await file(t, org.headers, unborn(motherBsn, { dateOfBirth: '2026-03-10' }))), [
      'person.dateOfBirth:expected_date_out_of_range',
    ]);
    assert.deepEqual(problemsOf(await file(t, org.headers, unborn(motherBsn, { dateOfBirth: '2027-03-10' }))), [
      'person.dateOfBirth:expected_date_out_of_range',
    ]);
    assert.deepEqual(problemsOf(await file(t, org.headers, unborn(motherBsn, { dateOfBirth: undefined }))), ['person.dateOfBirth:required']);
    assert.deepEqual(problemsOf(await file(t, org.headers, { ...unborn(motherBsn), person: { ...unborn(motherBsn).person, motherBsn: undefined } })), [
      'person.motherBsn:required',
    ]);
    assert.deepEqual(problemsOf(await file(t, org.headers, unborn(motherBsn, { bsn: randomBsn() }))), ['person.bsn:bsn_with_unborn']);
    const consent = await file(t, org.headers, { ...unborn(motherBsn), legalBasis: { basis: 'consent', givenBy: 'person', givenOn: '2026-03-09' } });
    assert.deepEqual(problemsOf(consent), ['legalBasis.basis:informing_required']);
    const youngPerson = await file(t, org.headers, { ...unborn(motherBsn), legalBasis: { basis: 'informed', informed: ['person'], informedOn: '2026-03-09' } });
    assert.deepEqual(problemsOf(youngPerson), ['legalBasis.informed:parties_missing']);
    const later = await file(t, org.headers, {
      ...unborn(motherBsn),
      legalBasis: { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-03-11' },
    });
    assert.deepEqual(problemsOf(later), ['legalBasis.informedOn:date_in_future']);
    // Given names may be left out for an unborn child only.
    const noGivenNames = await file(t, org.headers, {
      person: { identifiedBy: 'details', name: { familyName: 'Jansen' }, dateOfBirth: '1990-01-01', gender: 'male' },
      legalBasis: { basis: 'consent', givenBy: 'person', givenOn: '2026-03-09' },
    });
    assert.deepEqual(problemsOf(noGivenNames), ['person.name.givenNames:required']);
  });

  test("with a register the mother's BSN is checked; once born, the child's BSN moves the signal to the child, with a family match", async () => {
    await allowUnborn(r, true);
    const midwife = await r.organisation();
    const school = await r.organisation();
    const unknownMother = await file(r, midwife.headers, unborn(TEST_PERSONS.unknown));
    assert.deepEqual(problemsOf(unknownMother), ['person.motherBsn:bsn_unknown_in_register']);
    const filed = await file(r, midwife.headers, unborn(mother));
    assert.equal(filed.statusCode, 201, filed.body);
    // Teun, a child of the same mother, has a signal at school.
    const teun = await file(r, school.headers, {
      person: { bsn: TEST_PERSONS.teun },
      legalBasis: { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-09' },
    });
    assert.equal(teun.statusCode, 201, teun.body);
    // Born: the professional adds the child's BSN (Maud stands in for the newborn here); its registered date of birth differs from the expected one.
    r.clock.advance(1000);
    const added = await r.app.inject({
      method: 'POST',
      url: `/api/v1/signals/${filed.json().signal.id}/bsn`,
      headers: midwife.headers,
      payload: { bsn: '999999394' },
    });
    assert.equal(added.statusCode, 200, added.body);
    assert.equal(added.json().identifiedBy, 'bsn');
    assert.equal(added.json().person.name.givenNames, 'Maud');
    const family = await database()
      .db.selectFrom('match_participants as mp')
      .innerJoin('match_participants as other', 'other.match_id', 'mp.match_id')
      .select('other.signal_id')
      .where('mp.signal_id', '=', filed.json().signal.id)
      .where('mp.kind', '=', 'family')
      .execute();
    assert.ok(
      family.some((row) => row.signal_id === teun.json().signal.id),
      'a family match with the brother',
    );
    // The unborn child's person record is gone: nothing refers to it any more.
    const gone = await database()
      .db.selectFrom('persons')
      .select('person_key')
      .where('person_key', '=', crypto.detailsKey(unbornIdentity(Bsn.parse(mother)!)))
      .executeTakeFirst();
    assert.equal(gone, undefined);
  });
});
