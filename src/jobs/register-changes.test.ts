/**
 * Changes from the population register, on both databases, with the real embedded register and the
 * RvIG's test persons: a death ends every signal on the person as deceased that day and mails each
 * signaller; an emigration ends them as moved; a move within the municipality puts the new address
 * on the signals; a move to another municipality tells the signallers and that municipality's
 * contact (its coordinators, or an e-mail address), or counts the move for the administrators when
 * none is set; follow indications follow the signals; without an Update API the persons are re-read
 * daily. No BSN, name or person key in any log line.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import type { PopulationRegister } from '../population-register/population-register.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, TEST_KEYS, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';
import { type SwitchableRegister, switchableRegister, TEST_PERSONS } from '../test-support/register.ts';
import { signInByInject, webAdministrator } from '../test-support/web.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const keyOf = (digits: string) => crypto.personKey(Bsn.parse(digits)!);
const bsn = (digits: string) => Bsn.parse(digits)!;
const informedBoth = { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-10' } as const;
const consent = { basis: 'consent', givenBy: 'person', givenOn: '2026-03-10' } as const;

/** More adults of the RvIG's set, each living in Rotterdam (0599) or The Hague (0518), none deceased or confidential. */
const ADULTS = { derks: '000009878', goede: '000009891', geus: '999970008', nooitgedacht: '999970057', nimwegen: '999970069' } as const;
const ALL = [...Object.values(TEST_PERSONS), ...Object.values(ADULTS)];

describeOnEachDatabase('changes from the population register', (database) => {
  let t: TestApp;
  let register: SwitchableRegister;
  const log = captureLog();
  before(async () => {
    register = switchableRegister({ clock: { now: () => t.clock.now() } });
    t = await createTestApp(database(), { register, logger: log.logger });
  });
  after(async () => {
    await t.close();
    assert.deepEqual(leakedIn(log.text(), [...ALL, ...ALL.map(keyOf), 'Groot Esselink', 'Haverkamp', 'Derks']), [], 'no BSN, name or person key in a log line');
  });

  async function file(org: TestOrganisation, digits: string, legalBasis: object = consent): Promise<string> {
    t.clock.advance(1000);
    const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: { person: { bsn: digits }, legalBasis } });
    assert.equal(filed.statusCode, 201, filed.body);
    return filed.json().signal.id as string;
  }
  const signal = (id: string) => database().db.selectFrom('signals').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
  const changesOf = (digits: string) =>
    database()
      .db.selectFrom('audit_events')
      .select(['details'])
      .where('event_type', '=', 'person.register_changed')
      .where('subject_key', '=', keyOf(digits))
      .execute();
  const mailsTo = async (email: string) => {
    await t.services.deliveryWorker.runOnce();
    return database().db.selectFrom('dev_mailbox').selectAll().where('to_address', '=', email).orderBy('id').execute();
  };
  const emailOf = async (professionalId: string) =>
    (await database().db.selectFrom('professionals').select('email').where('id', '=', professionalId).executeTakeFirstOrThrow()).email;

  test('a death ends every active signal on the person as deceased the same day, and each signaller is told without person data', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const ids = [await file(a, TEST_PERSONS.teun, informedBoth), await file(b, TEST_PERSONS.teun, informedBoth)];
    await t.services.jobs.runOnce();
    await register.embedded.applyDeath(bsn(TEST_PERSONS.teun), '2026-03-10');
    const sweep = await t.services.jobs.runOnce();
    assert.equal(sweep.registerChanged, 1);
    for (const id of ids) {
      const ended = await signal(id);
      assert.equal(ended.status, 'ended');
      assert.equal(ended.end_reason, 'deceased');
      assert.equal(ended.ended_at?.toISOString().slice(0, 10), '2026-03-10');
    }
    const stored = await database().db.selectFrom('person_register').selectAll().where('person_key', '=', keyOf(TEST_PERSONS.teun)).executeTakeFirstOrThrow();
    assert.equal(String(stored.deceased_on).slice(0, 10).length, 10);
    for (const org of [a, b]) {
      const mails = await mailsTo(await emailOf(org.professionalId));
      const ended = mails.find((m) => m.subject === 'SluiS: uw signaal is beëindigd');
      assert.ok(ended, 'the signaller is mailed');
      assert.match(ended.text_body, /de persoon is overleden/);
      assert.doesNotMatch(ended.text_body + ended.html_body, /Groot Esselink|Teun|999999369|Hofdijk/);
    }
    assert.deepEqual(
      (await changesOf(TEST_PERSONS.teun)).map((row) => row.details),
      [{ change: 'death', signals: 2, ended: 2 }],
    );
    // Applied once: the next sweep finds nothing new.
    assert.equal((await t.services.jobs.runOnce()).registerChanged, 0);
  });

  test('an emigration ends every active signal on the person as moved', async () => {
    const org = await t.organisation();
    const id = await file(org, TEST_PERSONS.johan);
    await t.services.jobs.runOnce();
    await register.embedded.applyEmigration(bsn(TEST_PERSONS.johan), '2026-03-10');
    await t.services.jobs.runOnce();
    const ended = await signal(id);
    assert.equal(ended.status, 'ended');
    assert.equal(ended.end_reason, 'moved');
    const mails = await mailsTo(await emailOf(org.professionalId));
    assert.match(mails.find((m) => m.subject === 'SluiS: uw signaal is beëindigd')!.text_body, /de persoon is verhuisd/);
  });

  test('a move within the municipality puts the new address on the signals and changes the stored address pseudonym', async () => {
    const org = await t.organisation();
    const id = await file(org, TEST_PERSONS.wilma);
    await t.services.jobs.runOnce();
    const before = await database()
      .db.selectFrom('person_register')
      .select('address_key')
      .where('person_key', '=', keyOf(TEST_PERSONS.wilma))
      .executeTakeFirstOrThrow();
    await register.embedded.applyMove(bsn(TEST_PERSONS.wilma), {
      municipalityCode: '0599',
      address: { addressObjectId: '0599010000999999', function: 'home', street: 'Coolsingel', houseNumber: '40', postcode: '3011AD', city: 'Rotterdam' },
    });
    await t.services.jobs.runOnce();
    const moved = await signal(id);
    assert.equal(moved.status, 'active');
    assert.deepEqual((moved.person_details as { address: unknown }).address, {
      street: 'Coolsingel',
      houseNumber: '40',
      postcode: '3011 AD',
      city: 'Rotterdam',
    });
    const after = await database()
      .db.selectFrom('person_register')
      .select('address_key')
      .where('person_key', '=', keyOf(TEST_PERSONS.wilma))
      .executeTakeFirstOrThrow();
    assert.notDeepEqual(after.address_key, before.address_key);
    assert.deepEqual(
      (await changesOf(TEST_PERSONS.wilma)).map((row) => row.details),
      [{ change: 'moved_within', signals: 1 }],
    );
  });

  test("a move to another municipality tells the signallers and that municipality's coordinators; an e-mail contact gets its mail; without a contact it is counted", async () => {
    const amsterdam = await t.organisation('Wijkteam Amsterdam');
    const coordinator = await t.services.professionals.create(t.admin, amsterdam.id, {
      name: 'Regievoerder Amsterdam',
      email: `r-${randomUUID()}@amsterdam.example`,
      phone: '020 000 0000',
      coordinator: true,
    });
    const set = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/municipality-contacts/0363',
      headers: t.adminHeaders,
      payload: { organisationId: amsterdam.id },
    });
    assert.equal(set.statusCode, 200, set.body);
    const utrecht = await t.app.inject({
      method: 'PUT',
      url: '/api/v1/municipality-contacts/0344',
      headers: t.adminHeaders,
      payload: { email: 'regie@utrecht.example' },
    });
    assert.equal(utrecht.statusCode, 200, utrecht.body);

    const [a, b] = [await t.organisation(), await t.organisation()];
    const ids = [await file(a, ADULTS.derks), await file(b, ADULTS.derks), await file(a, ADULTS.goede), await file(a, ADULTS.geus)];
    await t.services.jobs.runOnce();
    const away = (code: string, city: string) => ({
      municipalityCode: code,
      address: { addressObjectId: `${code}010000888888`, function: 'home' as const, street: 'Dam', houseNumber: '1', postcode: '1012JS', city },
    });
    await register.embedded.applyMove(bsn(ADULTS.derks), away('0363', 'Amsterdam'));
    await register.embedded.applyMove(bsn(ADULTS.goede), away('0344', 'Utrecht'));
    await register.embedded.applyMove(bsn(ADULTS.geus), away('0014', 'Groningen'));
    const sweep = await t.services.jobs.runOnce();
    assert.equal(sweep.registerChanged, 3);
    for (const id of ids) assert.equal((await signal(id)).status, 'active', 'a move keeps the signal');

    const told = await mailsTo(await emailOf(b.professionalId));
    const moved = told.find((m) => m.subject === 'SluiS: de persoon van uw signaal is verhuisd naar een andere gemeente');
    assert.ok(moved, 'the signaller is told');
    assert.doesNotMatch(moved.text_body + moved.html_body, /Derks|000009878|0363|Amsterdam|Dam 1/);

    const coordinatorMails = (await mailsTo(await emailOf(coordinator.id))).filter((m) => !/uitgenodigd|account/i.test(m.subject));
    assert.equal(coordinatorMails.length, 2, "one mail per signal, each naming that signal's professional");
    for (const mail of coordinatorMails) {
      assert.equal(mail.subject, 'SluiS: een persoon met een signaal is naar uw gemeente verhuisd');
      assert.match(mail.text_body, /gemeentecode 0363/);
      assert.doesNotMatch(mail.text_body + mail.html_body, /Derks|000009878|Dam 1|1012/);
    }
    assert.ok(coordinatorMails.some((m) => m.text_body.includes(`Professional of ${b.name}`)));
    const utrechtMails = await mailsTo('regie@utrecht.example');
    assert.equal(utrechtMails.length, 1);
    assert.match(utrechtMails[0]!.text_body, /Beste collega/);

    // The feed and webhooks of the signaller's organisation never carry where the person went.
    const feed = await database().db.selectFrom('organisation_events').select('data').where('event_type', '=', 'signal.person_moved').execute();
    assert.ok(feed.length >= 4);
    for (const row of feed) assert.equal((row.data as { municipalityCode?: string }).municipalityCode, undefined);

    const contacts = await t.app.inject({ method: 'GET', url: '/api/v1/municipality-contacts', headers: t.adminHeaders });
    assert.deepEqual(
      contacts.json().unrouted.map((u: { municipalityCode: string; moves: number }) => [u.municipalityCode, u.moves]),
      [['0014', 1]],
    );
    const overview = await t.services.overview.register(t.admin);
    assert.deepEqual([overview.movesWithoutContact, overview.municipalitiesWithoutContact], [1, 1]);
    const admin = await signInByInject(t, await webAdministrator(t));
    const page = await admin.get('/beheer');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Verhuizingen zonder contact bij de nieuwe gemeente/);
    assert.deepEqual(
      (await changesOf(ADULTS.derks)).map((row) => row.details),
      [{ change: 'moved_away', signals: 2, municipality: '0363', contact: 'organisation' }],
    );
    assert.deepEqual(
      (await changesOf(ADULTS.geus)).map((row) => row.details),
      [{ change: 'moved_away', signals: 1, municipality: '0014', contact: 'none' }],
    );
  });

  test('a person is followed once a signal is filed and no longer once the last one ended; every lookup is audited', async () => {
    const org = await t.organisation();
    const id = await file(org, ADULTS.nooitgedacht);
    await t.services.jobs.runOnce();
    const followed = await database()
      .db.selectFrom('person_register')
      .select('followed_at')
      .where('person_key', '=', keyOf(ADULTS.nooitgedacht))
      .executeTakeFirstOrThrow();
    assert.ok(followed.followed_at);
    assert.deepEqual((await register.changes!.since('2000-01-01')).map(String).length, (await register.changes!.since('2000-01-01')).length);
    const ended = await t.app.inject({ method: 'POST', url: `/api/v1/signals/${id}/end`, headers: org.headers, payload: { reason: 'care_ended' } });
    assert.ok(ended.statusCode < 300, ended.body);
    await t.services.jobs.runOnce();
    const unfollowed = await database()
      .db.selectFrom('person_register')
      .select('followed_at')
      .where('person_key', '=', keyOf(ADULTS.nooitgedacht))
      .executeTakeFirstOrThrow();
    assert.equal(unfollowed.followed_at, null);
    const follows = await database()
      .db.selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'person.register_followed')
      .where('subject_key', '=', keyOf(ADULTS.nooitgedacht))
      .orderBy('id')
      .execute();
    assert.deepEqual(
      follows.map((row) => row.details),
      [{ action: 'follow' }, { action: 'unfollow' }],
    );
  });
});

describeOnEachDatabase('the daily re-read without an Update API', (database) => {
  let t: TestApp;
  let embedded: SwitchableRegister;
  let calls = 0;
  before(async () => {
    embedded = switchableRegister({ clock: { now: () => t.clock.now() } });
    // A register that offers no changes service: SluiS re-reads instead.
    const register: PopulationRegister = {
      kind: 'haal-centraal',
      lookup: (bsns) => {
        calls++;
        return embedded.lookup(bsns);
      },
    };
    t = await createTestApp(database(), { register });
  });
  after(() => t.close());

  test('every person with an active signal is looked up again once a day, 20 a call; a move found that way is applied', async () => {
    const org = await t.organisation();
    const id = await (async () => {
      const filed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/signals',
        headers: org.headers,
        payload: { person: { bsn: ADULTS.nimwegen }, legalBasis: consent },
      });
      assert.equal(filed.statusCode, 201, filed.body);
      return filed.json().signal.id as string;
    })();
    calls = 0;
    await embedded.embedded.applyMove(bsn(ADULTS.nimwegen), {
      municipalityCode: '0518',
      address: { addressObjectId: '0518010000777777', function: 'home', street: 'Spui', houseNumber: '70', postcode: '2511BT', city: 'Den Haag' },
    });
    assert.equal((await t.services.jobs.runOnce()).registerChanged, 0, 'not yet a day old');
    assert.equal(calls, 0);
    t.clock.advance(86_400_000 + 1000);
    assert.equal((await t.services.jobs.runOnce()).registerChanged, 1);
    assert.equal(calls, 1);
    const moved = await database().db.selectFrom('signals').select('person_details').where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal((moved.person_details as { address: { street: string } }).address.street, 'Spui');
    const lookups = await database()
      .db.selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'person.register_looked_up')
      .where('subject_key', '=', keyOf(ADULTS.nimwegen))
      .orderBy('id')
      .execute();
    assert.deepEqual(lookups.at(-1)?.details, { outcome: 'found', purpose: 'daily_reread' });
    // Looked up again today: not again until tomorrow.
    assert.equal((await t.services.jobs.runOnce()).registerChanged, 0);
    assert.equal(calls, 1);
  });
});
