/**
 * Address matches (adresmatch) through the HTTP API, on both databases, against the real embedded
 * register with the RvIG's test persons: unrelated children registered at one address (an address
 * match without a family match), the setting (off by default), a move (the person leaves the old
 * address's match and makes one at the new address), an excluded address (closes the match there, and
 * no new one), a postal address (no match), half-siblings at one address (a family and an address
 * match). Every answer, match read, page, mail, webhook and feed entry a professional gets is scanned
 * for the other person: BSN, pseudonym, name, date of birth, client reference, signal id.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { ADDRESS_MATCH_TEXT } from '../notifications/mail-templates.ts';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import type { RegisteredPerson } from '../population-register/population-register.ts';
import { ageOn } from '../shared/calendar.ts';
import { requiredLegalBasis } from '../signals/legal-basis.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, TEST_KEYS, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { type SwitchableRegister, switchableRegister } from '../test-support/register.ts';
import { signInByInject, webAdministrator, webProfessional } from '../test-support/web.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const keyOf = (digits: string) => crypto.personKey(Bsn.parse(digits)!);
const TODAY = '2026-03-10';

/** Three unrelated children registered at address object 0518010000583570 (each with another parent). */
const HOUSE = { address: '0518010000583570', taher: '999970264', tubbergen: '999971001', tintelen: '999971025' };
/** A child at address object 0518010000583565, where a move brings Tintelen. */
const NEW_HOUSE = { address: '0518010000583565', child: '999970070' };
/** At 0599010370005001: 999990524's home address, 999991449's postal address. */
const POSTAL = { home: '999990524', postal: '999991449' };
/** Half-siblings (parent 999999126) at 0518010000583543: a family match and an address match. */
const SIBLINGS = { a: '999970021', b: '999999151' };

type Answer = {
  signal: { id: string };
  familyMatches: { id: string }[];
  addressMatches: { id: string; participants: { organisationName: string; isYou: boolean }[] }[];
};

describeOnEachDatabase('address matches', (database) => {
  let t: TestApp;
  let register: SwitchableRegister;
  const people = new Map<string, RegisteredPerson>();
  /** Everything a professional was given through the API (answers, match reads). */
  const given: { organisation: string; text: string }[] = [];
  /** Per signal id: who it is on and its reference, for the scan. */
  const filed = new Map<string, { organisation: string; digits: string; reference: string }>();

  before(async () => {
    register = switchableRegister({ clock: { now: () => t.clock.now() } });
    t = await createTestApp(database(), { register });
    const all = [...Object.values(HOUSE), NEW_HOUSE.child, ...Object.values(POSTAL), ...Object.values(SIBLINGS)].filter((d) => /^9/.test(d) && d.length === 9);
    for (const person of await register.embedded.lookup(all.map((digits) => Bsn.parse(digits)!))) people.set(person.bsn.reveal(), person);
  });
  after(() => t.close());

  const legalBasisFor = (digits: string) => {
    const requirement = requiredLegalBasis(ageOn(people.get(digits)!.dateOfBirth!, TODAY));
    return requirement.kind === 'consent'
      ? { basis: 'consent', givenBy: 'person', givenOn: TODAY }
      : { basis: 'informed', informed: requirement.parties, informedOn: TODAY };
  };
  let references = 0;
  const organisation = async () => {
    const org = await t.organisation();
    const subscribed = await t.app.inject({
      method: 'POST',
      url: '/api/v1/webhook-subscriptions',
      headers: { authorization: org.headers.authorization! },
      payload: { url: 'https://receiver.example/hook', eventTypes: ['match.created', 'match.participant_joined', 'match.participant_left'] },
    });
    assert.equal(subscribed.statusCode, 201, subscribed.body);
    return org;
  };
  const file = async (org: TestOrganisation, digits: string): Promise<Answer> => {
    t.clock.advance(1000);
    const reference = `dossier-${++references}-eind`;
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: org.headers,
      payload: { person: { bsn: digits }, legalBasis: legalBasisFor(digits), clientReference: reference },
    });
    assert.ok(response.statusCode < 300, response.body);
    given.push({ organisation: org.id, text: response.body });
    const answer: Answer = response.json();
    filed.set(answer.signal.id, { organisation: org.id, digits, reference });
    return answer;
  };
  const readMatch = async (org: TestOrganisation, matchId: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${matchId}`, headers: org.headers });
    given.push({ organisation: org.id, text: response.body });
    return response;
  };
  const addressMatchesAt = async (addressObjectId: string) =>
    (
      await sql<{ id: string; status: string; n: number }>`
      select m.id, m.status, (select count(*)::int from match_participants mp where mp.match_id = m.id and mp.left_at is null) as n
        from matches m where m.kind = 'address' and m.person_key = ${crypto.addressKey(addressObjectId)} order by m.created_at`.execute(database().db)
    ).rows;
  const setSettings = async (patch: object) => {
    const response = await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: patch });
    assert.equal(response.statusCode, 200, response.body);
  };
  const excluded = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/excluded-addresses${url}`, headers, ...(payload && { payload }) });

  let orgs: TestOrganisation[] = [];
  let houseMatch = '';
  let own: Answer;

  test('off by default: signals on persons at one address make no address match', async () => {
    const settings = await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: t.adminHeaders });
    assert.equal(settings.json().addressMatching, false);
    orgs = [await organisation(), await organisation(), await organisation(), await organisation()];
    own = await file(orgs[0]!, HOUSE.taher);
    const second = await file(orgs[1]!, HOUSE.tubbergen);
    assert.deepEqual(second.addressMatches, []);
    assert.deepEqual(second.familyMatches, [], 'unrelated: no family match either');
    assert.deepEqual(await addressMatchesAt(HOUSE.address), []);
  });

  test('on: a signal on a third person at the address makes one address match of all three, without a family match', async () => {
    await setSettings({ addressMatching: true });
    const third = await file(orgs[2]!, HOUSE.tintelen);
    assert.deepEqual(third.familyMatches, []);
    assert.equal(third.addressMatches.length, 1, 'the answer says at once that an address match was made');
    assert.deepEqual(
      third.addressMatches[0]!.participants.map((p) => [p.organisationName, p.isYou]),
      [
        [orgs[0]!.name, false],
        [orgs[1]!.name, false],
        [orgs[2]!.name, true],
      ],
    );
    houseMatch = third.addressMatches[0]!.id;
    assert.deepEqual(await addressMatchesAt(HOUSE.address), [{ id: houseMatch, status: 'open', n: 3 }], 'keyed on the address pseudonym');
    const read = await readMatch(orgs[0]!, houseMatch);
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().kind, 'address');
    assert.equal(read.json().yourSignalId, own.signal.id);
    assert.deepEqual(Object.keys(read.json()).sort(), ['createdAt', 'id', 'kind', 'participants', 'yourSignalId']);
  });

  test('a move: the person leaves the old address match and makes one at the new address', async () => {
    const there = await file(orgs[3]!, NEW_HOUSE.child);
    assert.deepEqual(there.addressMatches, [], 'alone at the new address');
    await register.embedded.applyMove(Bsn.parse(HOUSE.tintelen)!, {
      municipalityCode: '0518',
      address: { addressObjectId: NEW_HOUSE.address, function: 'home', street: 'Zonneweide', houseNumber: '3', postcode: '2496AB', city: "'s-Gravenhage" },
    });
    await t.services.jobs.runOnce();
    assert.deepEqual(await addressMatchesAt(HOUSE.address), [{ id: houseMatch, status: 'open', n: 2 }], 'two parties remain at the old address');
    const moved = await addressMatchesAt(NEW_HOUSE.address);
    assert.equal(moved.length, 1);
    assert.deepEqual([moved[0]!.status, moved[0]!.n], ['open', 2]);
  });

  test('an excluded address: adding it closes the match there, and no new one is made until it is removed', async () => {
    const added = await excluded('POST', '', t.adminHeaders, { addressObjectId: HOUSE.address, label: 'Zorginstelling' });
    assert.equal(added.statusCode, 201, added.body);
    assert.deepEqual(Object.keys(added.json()).sort(), ['createdAt', 'id', 'label']);
    assert.equal(added.json().label, 'Zorginstelling');
    assert.ok(!added.body.includes(HOUSE.address), 'the address object id is not kept');
    assert.deepEqual(
      (await addressMatchesAt(HOUSE.address)).map((m) => [m.status, m.n]),
      [['closed', 0]],
    );
    const org = await organisation();
    const again = await file(org, HOUSE.taher);
    assert.deepEqual(again.addressMatches, [], 'none at an excluded address');
    assert.equal((await addressMatchesAt(HOUSE.address)).filter((m) => m.status === 'open').length, 0);

    const listed = await excluded('GET', '', t.adminHeaders);
    assert.deepEqual(
      listed.json().addresses.map((a: { label: string }) => a.label),
      ['Zorginstelling'],
    );
    assert.equal((await excluded('DELETE', `/${added.json().id}`, t.adminHeaders)).statusCode, 204);
    assert.equal((await excluded('DELETE', `/${HOUSE.address}`, t.adminHeaders)).statusCode, 404, 'gone');
    const after = await file(await organisation(), HOUSE.tubbergen);
    assert.equal(after.addressMatches.length, 1, 'removed: the next filing there makes one');
  });

  test('a postal address makes no address match', async () => {
    const a = await file(await organisation(), POSTAL.home);
    const b = await file(await organisation(), POSTAL.postal);
    assert.deepEqual([a.addressMatches, b.addressMatches], [[], []]);
    assert.deepEqual(await addressMatchesAt('0599010370005001'), []);
  });

  test('half-siblings at one address: a family match and an address match', async () => {
    await file(await organisation(), SIBLINGS.a);
    const b = await file(await organisation(), SIBLINGS.b);
    assert.equal(b.familyMatches.length, 1);
    assert.equal(b.addressMatches.length, 1);
  });

  test('the excluded-address API is denied to professionals, coordinators and record systems; nothing changes', async () => {
    const org = orgs[0]!;
    const coordinator = await t.services.professionals.create(t.admin, org.id, {
      name: 'Coördinator',
      email: `c-${Date.now()}@example.nl`,
      phone: '010 000 0002',
      coordinator: true,
    });
    const callers: [string, Record<string, string>, number][] = [
      ['a professional', org.headers, 403],
      ['a coordinator', { authorization: `Bearer ${org.token}`, 'sluis-professional-id': coordinator.id }, 403],
      ['a record system for its organisation', { authorization: `Bearer ${org.token}` }, 403],
      ['no credential', {}, 401],
    ];
    const before = (await excluded('GET', '', t.adminHeaders)).json();
    for (const [who, headers, status] of callers) {
      assert.equal((await excluded('GET', '', headers)).statusCode, status, `${who}: GET`);
      assert.equal((await excluded('POST', '', headers, { addressObjectId: '0518010000583531' })).statusCode, status, `${who}: POST`);
      assert.equal((await excluded('POST', '/import', headers, { csv: '0518010000583531\n' })).statusCode, status, `${who}: import`);
      assert.equal((await excluded('DELETE', '/0518010000583531', headers)).statusCode, status, `${who}: DELETE`);
    }
    assert.deepEqual((await excluded('GET', '', t.adminHeaders)).json(), before);
  });

  test('a CSV import with one bad line imports nothing and names the refused lines; a good one imports all', async () => {
    const bad = await excluded('POST', '/import', t.adminHeaders, {
      csv: 'adresseerbaarObjectIdentificatie;omschrijving\n0518010000583531;Opvang\n05180100005835\n0518010000583439,Gevangenis\n',
    });
    assert.equal(bad.statusCode, 422, bad.body);
    assert.deepEqual(
      bad.json().invalidParams.map((p: { name: string }) => p.name),
      ['line 3'],
    );
    assert.ok(!bad.body.includes('05180100005835'), 'the refused text is not echoed');
    assert.deepEqual((await excluded('GET', '', t.adminHeaders)).json().addresses, [], 'nothing half-imported');
    const tooLong = await excluded('POST', '/import', t.adminHeaders, { csv: `0518010000583531;${'x'.repeat(61)}\n` });
    assert.equal(tooLong.statusCode, 422);

    const good = await excluded('POST', '/import', t.adminHeaders, { csv: '0518010000583531;Opvang\r\n\r\n0518010000583439,Gevangenis\n' });
    assert.equal(good.statusCode, 200, good.body);
    assert.deepEqual(good.json(), { imported: 2 });
    assert.deepEqual(
      (await excluded('GET', '', t.adminHeaders)).json().addresses.map((a: { label: string }) => a.label),
      ['Opvang', 'Gevangenis'],
    );
    const audited = await database().db.selectFrom('audit_events').select('details').where('event_type', '=', 'excluded_addresses.changed').execute();
    assert.deepEqual(
      audited.map((a) => a.details),
      [
        { change: 'added', count: 1 },
        { change: 'removed', count: 1 },
        { change: 'imported', count: 2 },
      ],
    );
  });

  test('the pages say "Adresmatch" and show who else is involved, never at whom', async () => {
    const session = await signInByInject(t, await webProfessional(t, orgs[0]!));
    const start = await session.get('/');
    const page = await session.get(`/matches/${houseMatch}`);
    // The house match closed when the address was excluded: the new one at the address is the open one.
    const open = (await addressMatchesAt(HOUSE.address)).find((m) => m.status === 'open')!;
    const openPage = await session.get(`/matches/${open.id}`);
    assert.equal(openPage.statusCode, 200, openPage.body.slice(0, 300));
    assert.match(openPage.body, /<title>Adresmatch: /);
    assert.match(openPage.body, /betrokken bij iemand die op hetzelfde woonadres staat ingeschreven als/);
    assert.doesNotMatch(openPage.body, /Eerder betrokken/);
    assert.match(start.body, /Adresmatch\. Betrokken bij iemand op hetzelfde woonadres: /, 'the start page says which kind of match it is');
    given.push(
      { organisation: orgs[0]!.id, text: start.body },
      { organisation: orgs[0]!.id, text: page.body },
      { organisation: orgs[0]!.id, text: openPage.body },
    );
  });

  test('mails, webhooks and the feed say "adresmatch" and carry nothing of the other persons', async () => {
    while ((await t.services.dispatcher.dispatchBatch()).dispatched > 0);
    const a = orgs[0]!;
    const mails = await sql<{ message: { subject: string; text: string } }>`
      select message from deliveries where channel = 'email' and professional_id = ${a.professionalId}`.execute(database().db);
    const mail = mails.rows.map((r) => r.message).find((m) => m.subject === 'SluiS: er is een adresmatch op uw signaal');
    assert.ok(mail, 'a mail about the address match');
    assert.ok(mail.text.includes(ADDRESS_MATCH_TEXT), mail.text);
    const sent = await sql<{ message: unknown }>`select message from deliveries where organisation_id = ${a.id}`.execute(database().db);
    const feed = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: a.headers.authorization! } });
    assert.equal(feed.statusCode, 200);
    const texts = [...sent.rows.map((r) => JSON.stringify(r.message)), feed.body];
    assert.ok(texts.some((text) => text.includes('"matchKind":"address"')));
    assert.ok(
      texts.some((text) => text.includes(own.signal.id)),
      'the own signal id is there (the scan can see ids)',
    );
    for (const text of texts) given.push({ organisation: a.id, text });
  });

  test('the page under /beheer lists, adds, imports (all lines or none) and removes; denied to everyone but administrators', async () => {
    const admin = await signInByInject(t, await webAdministrator(t));
    const page = await admin.get('/beheer/uitgesloten-adressen');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Opvang/, 'the imported labels are listed');
    const wrong = await admin.post('/beheer/uitgesloten-adressen', { adres: '12345', omschrijving: '' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /Vul de 16 cijfers van het adresseerbaar object in/);
    const added = await admin.post('/beheer/uitgesloten-adressen', { adres: '0518 0100 0058 3538', omschrijving: 'Wooncentrum' });
    assert.equal(added.headers.location, '/beheer/uitgesloten-adressen?klaar=toegevoegd');
    const bad = await admin.post('/beheer/uitgesloten-adressen/inlezen', { csv: '0518010000583539;Kliniek\nniet-goed\n' });
    assert.equal(bad.statusCode, 422);
    assert.match(bad.body, /Er is niets ingelezen\. Regel 2 is niet goed/);
    assert.doesNotMatch((await admin.get('/beheer/uitgesloten-adressen')).body, /Kliniek/, 'nothing half-imported');
    const good = await admin.post('/beheer/uitgesloten-adressen/inlezen', { csv: '0518010000583539;Kliniek\n' });
    assert.equal(good.headers.location, '/beheer/uitgesloten-adressen?klaar=ingelezen');
    const id = crypto.addressKey('0518010000583538').toString('hex');
    assert.equal((await admin.post('/beheer/uitgesloten-adressen/verwijderen', { id })).headers.location, '/beheer/uitgesloten-adressen?klaar=verwijderd');
    const listed = (await admin.get('/beheer/uitgesloten-adressen')).body;
    assert.match(listed, /Kliniek/);
    assert.doesNotMatch(listed, /Wooncentrum/);

    const org = await t.organisation();
    const coordinator = await signInByInject(t, await webProfessional(t, org, { coordinator: true }));
    const professional = await signInByInject(t, await webProfessional(t, org, { professionalId: (await t.colleague(org)).professionalId }));
    for (const session of [coordinator, professional]) {
      assert.equal((await session.get('/beheer/uitgesloten-adressen')).statusCode, 403);
      assert.equal((await session.post('/beheer/uitgesloten-adressen', { adres: '0518010000583531' })).statusCode, 403);
      assert.equal((await session.post('/beheer/uitgesloten-adressen/inlezen', { csv: '0518010000583531' })).statusCode, 403);
      assert.equal((await session.post('/beheer/uitgesloten-adressen/verwijderen', { id })).statusCode, 403);
    }
    assert.doesNotMatch((await admin.get('/beheer/uitgesloten-adressen')).body, /Zonder omschrijving/, 'nothing added by them');
  });

  test('no answer, match read, page, mail, webhook or feed given to a professional holds anything of another person', async () => {
    let checked = 0;
    for (const entry of given) {
      for (const [signalId, other] of filed) {
        if (other.organisation === entry.organisation) continue;
        // The organisation's own person: not another person.
        if ([...filed.values()].some((mine) => mine.organisation === entry.organisation && mine.digits === other.digits)) continue;
        const person = people.get(other.digits)!;
        const forbidden = [
          other.digits,
          keyOf(other.digits).toString('hex'),
          other.reference,
          signalId,
          person.name.givenNames,
          person.name.familyName,
          person.dateOfBirth,
        ].filter((value): value is string => Boolean(value));
        for (const value of forbidden) assert.ok(!entry.text.includes(value), `something given to another organisation holds ${value}`);
        checked++;
      }
    }
    assert.ok(checked > 50, `the scan compared ${checked} pairs`);
  });
});
