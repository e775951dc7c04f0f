/**
 * A confidential record (geheimhouding) takes no part in address matches (issue 18; the lead's
 * decision, docs/population-register.md), on both databases, with the real embedded register and the
 * RvIG's test persons living at one address in Amsterdam: filing on the confidential person makes no
 * address match and joins none, and the others at the address see nothing of them; a record that
 * becomes confidential takes its signals out of the address match (which closes when fewer than two
 * parties remain), audited, with the usual mails; lifted, the person takes part again; a filing that
 * sees the confidentiality first does the same; a family match still forms (the law's own rule).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import type { RegisteredPerson } from '../population-register/population-register.ts';
import { ageOn } from '../shared/calendar.ts';
import { requiredLegalBasis } from '../signals/legal-basis.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, TEST_KEYS, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { type SwitchableRegister, switchableRegister } from '../test-support/register.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const keyOf = (digits: string) => crypto.personKey(Bsn.parse(digits)!);
const bsn = (digits: string) => Bsn.parse(digits)!;
const TODAY = '2026-03-10';

/** Registered at address object 0363010001167528: 999971104 confidential, the other two not. */
const HOUSE = { address: '0363010001167528', confidential: '999971104', neighbour: '999991917', other: '999992041' };
/** Children of 999971189 at 0627010000012182, the elder confidential: a family match, no address match. */
const SIBLINGS = { address: '0627010000012182', confidential: '999971207', younger: '999971219' };

type Answer = {
  signal: { id: string };
  familyMatches: { id: string }[];
  addressMatches: { id: string; participants: { organisationName: string; isYou: boolean }[] }[];
};
type Mail = { subject: string; text: string };

describeOnEachDatabase('confidential records and address matches', (database) => {
  let t: TestApp;
  let register: SwitchableRegister;
  const people = new Map<string, RegisteredPerson>();
  /** Everything a professional was given (answers, match lists and reads), for the scan. */
  const given: { organisation: string; text: string }[] = [];
  const orgs: TestOrganisation[] = [];

  before(async () => {
    register = switchableRegister({ clock: { now: () => t.clock.now() } });
    t = await createTestApp(database(), { register });
    for (const person of await register.embedded.lookup([...Object.values(HOUSE), ...Object.values(SIBLINGS)].filter((d) => d.length === 9).map(bsn))) {
      people.set(person.bsn.reveal(), person);
    }
    for (let i = 0; i < 6; i++) orgs.push(await t.organisation());
    const on = await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: { addressMatching: true } });
    assert.equal(on.statusCode, 200, on.body);
  });
  after(() => t.close());

  const legalBasisFor = (digits: string) => {
    const requirement = requiredLegalBasis(ageOn(people.get(digits)!.dateOfBirth!, TODAY));
    return requirement.kind === 'consent'
      ? { basis: 'consent', givenBy: 'person', givenOn: TODAY }
      : { basis: 'informed', informed: requirement.parties, informedOn: TODAY };
  };
  const file = async (org: TestOrganisation, digits: string): Promise<Answer> => {
    t.clock.advance(1000);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: org.headers,
      payload: { person: { bsn: digits }, legalBasis: legalBasisFor(digits), clientReference: `kenmerk-${digits.slice(-3)}-${org.id.slice(0, 4)}` },
    });
    assert.equal(response.statusCode, 201, response.body);
    given.push({ organisation: org.id, text: response.body });
    return response.json();
  };
  const matchesOf = async (org: TestOrganisation) => {
    const response = await t.app.inject({ method: 'GET', url: '/api/v1/matches', headers: org.headers });
    given.push({ organisation: org.id, text: response.body });
    return (response.json() as { items: { id: string; kind: string }[] }).items;
  };
  const addressMatchesAt = async (addressObjectId: string) =>
    (
      await sql<{ id: string; status: string; signals: string[] }>`
      select m.id, m.status,
             array(select mp.signal_id::text from match_participants mp where mp.match_id = m.id and mp.left_at is null order by mp.signal_id) as signals
        from matches m where m.kind = 'address' and m.person_key = ${crypto.addressKey(addressObjectId)} order by m.created_at`.execute(database().db)
    ).rows;
  const mailsTo = async (org: TestOrganisation): Promise<Mail[]> => {
    while ((await t.services.dispatcher.dispatchBatch()).dispatched > 0);
    const rows = await sql<{ message: Mail }>`
      select message from deliveries where channel = 'email' and professional_id = ${org.professionalId} order by id`.execute(database().db);
    return rows.rows.map((row) => row.message);
  };
  const changesOf = async (digits: string) =>
    (
      await database()
        .db.selectFrom('audit_events')
        .select('details')
        .where('event_type', '=', 'person.register_changed')
        .where('subject_key', '=', keyOf(digits))
        .orderBy('id')
        .execute()
    ).map((row) => row.details);
  const addressOnSignal = async (signalId: string) =>
    (
      (await database().db.selectFrom('signals').select('person_details').where('id', '=', signalId).executeTakeFirstOrThrow()).person_details as {
        address?: unknown;
      }
    ).address;

  let neighbour: Answer;
  let confidential: Answer;
  let other: Answer;

  test('filing on a confidential person at a shared address makes no address match, and the others there see nothing of them', async () => {
    const [a, b, c] = orgs;
    neighbour = await file(a!, HOUSE.neighbour);
    confidential = await file(b!, HOUSE.confidential);
    assert.deepEqual(confidential.addressMatches, [], 'no address match for the confidential person');
    assert.deepEqual(await addressMatchesAt(HOUSE.address), [], 'none made at the address');
    assert.deepEqual(await matchesOf(a!), [], 'the neighbour sees nothing');

    other = await file(c!, HOUSE.other);
    assert.equal(other.addressMatches.length, 1, 'two others at the address do make one');
    assert.deepEqual(
      other.addressMatches[0]!.participants.map((p) => [p.organisationName, p.isYou]),
      [
        [a!.name, false],
        [c!.name, true],
      ],
      'without the confidential person',
    );
    const [match] = await addressMatchesAt(HOUSE.address);
    assert.deepEqual(match?.signals, [neighbour.signal.id, other.signal.id].sort());
    assert.deepEqual(await matchesOf(b!), [], 'the confidential person takes part in nothing');
    const read = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${match!.id}`, headers: b!.headers });
    assert.equal(read.statusCode, 404);
    const mail = (await mailsTo(a!)).find((m) => m.subject === 'SluiS: er is een adresmatch op uw signaal');
    assert.ok(mail);
    assert.ok(mail.text.includes(c!.name) && !mail.text.includes(b!.name), 'the mail names the other professional, not the confidential person’s');
    assert.equal((await mailsTo(b!)).length, 0, 'nothing for the confidential person’s professional');
  });

  test('a record that becomes confidential: its signals leave the address match, which closes; audited; both professionals told', async () => {
    const [a, , c] = orgs;
    await t.services.jobs.runOnce();
    await register.embedded.applyConfidentiality(bsn(HOUSE.other), true);
    assert.equal((await t.services.jobs.runOnce()).registerChanged, 1);
    const [match] = await addressMatchesAt(HOUSE.address);
    assert.deepEqual([match?.status, match?.signals], ['closed', []]);
    assert.deepEqual(await changesOf(HOUSE.other), [{ change: 'confidential', signals: 1 }]);
    const left = await sql<{ n: number }>`select count(*)::int as n from audit_events where event_type = 'match.participant_left'
      and resource_id = ${match!.id} and details ->> 'signalId' = ${other.signal.id} and details ->> 'matchKind' = 'address'`.execute(database().db);
    assert.equal(left.rows[0]!.n, 1);
    assert.equal(await addressOnSignal(other.signal.id), undefined, 'and the address left the signal');
    assert.ok((await mailsTo(a!)).some((m) => m.subject === 'SluiS: een professional is niet meer betrokken'));
    const own = (await mailsTo(c!)).find((m) => m.subject === 'SluiS: uw signaal maakt geen deel meer uit van een adresmatch');
    assert.ok(own);
    assert.doesNotMatch(own.text, /geheim|vertrouwelijk|BRP/i, 'why is not said');
    assert.deepEqual(await matchesOf(a!), []);
  });

  test('confidentiality lifted: the person takes part again, and the signal shows the address again', async () => {
    const [a, , c] = orgs;
    await register.embedded.applyConfidentiality(bsn(HOUSE.other), false);
    await t.services.jobs.runOnce();
    assert.deepEqual((await changesOf(HOUSE.other)).at(-1), { change: 'no_longer_confidential', signals: 1 });
    const open = (await addressMatchesAt(HOUSE.address)).filter((m) => m.status === 'open');
    assert.equal(open.length, 1);
    assert.deepEqual(open[0]!.signals, [neighbour.signal.id, other.signal.id].sort());
    assert.ok(await addressOnSignal(other.signal.id));
    assert.deepEqual(
      (await matchesOf(c!)).map((m) => m.kind),
      ['address'],
    );
    assert.equal((await matchesOf(a!)).length, 1);
  });

  test('a filing that sees the confidentiality first: the older signals on the person leave the address match too', async () => {
    const [, , , d] = orgs;
    await register.embedded.applyConfidentiality(bsn(HOUSE.other), true);
    const again = await file(d!, HOUSE.other);
    assert.deepEqual(again.addressMatches, []);
    assert.equal((await addressMatchesAt(HOUSE.address)).filter((m) => m.status === 'open').length, 0, 'the older signal left, and the match closed');
  });

  test('a family match still forms on a confidential record (the law’s own rule); an address match does not', async () => {
    const [, , , , e, f] = orgs;
    await file(e!, SIBLINGS.confidential);
    const younger = await file(f!, SIBLINGS.younger);
    assert.equal(younger.familyMatches.length, 1);
    assert.deepEqual(younger.addressMatches, []);
    assert.deepEqual(await addressMatchesAt(SIBLINGS.address), []);
  });

  test('nothing given or sent to another organisation holds anything of the confidential person', async () => {
    while ((await t.services.dispatcher.dispatchBatch()).dispatched > 0);
    const b = orgs[1]!;
    const person = people.get(HOUSE.confidential)!;
    const forbidden = [HOUSE.confidential, keyOf(HOUSE.confidential).toString('hex'), confidential.signal.id, person.name.familyName, person.dateOfBirth!];
    let checked = 0;
    for (const org of orgs.filter((o) => o.id !== b.id)) {
      const sent = await sql<{ message: unknown }>`select message from deliveries where organisation_id = ${org.id}`.execute(database().db);
      const feed = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: org.headers.authorization! } });
      const texts = [...sent.rows.map((row) => JSON.stringify(row.message)), feed.body, ...given.filter((g) => g.organisation === org.id).map((g) => g.text)];
      for (const text of texts) {
        for (const value of forbidden) assert.ok(!text.includes(value), `${org.name} was given ${value}`);
        checked++;
      }
    }
    assert.ok(checked > 10, `${checked} texts scanned`);
  });
});
