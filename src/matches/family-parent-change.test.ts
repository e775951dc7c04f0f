/**
 * Family matches follow the register's parents (issue 18), on both databases, with the real embedded
 * register and the RvIG's test persons: a child recognised by a parent joins the family match of that
 * parent's children, or makes one; a parent link removed takes the child's signals out of it again
 * (the match closing when fewer than two parties remain), with the usual mails to whoever remains and a
 * mail to the child's own professional that their signal no longer takes part; a change of parents and
 * a move in one answer are both applied, parents first; a filing that sees the new parents first
 * leaves the old family match too. Each change is audited. No professional is sent anything of the
 * other children.
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

/** Children of 999970124 only (half-siblings of 999970409), and a child of 999970094 whom 999970124 recognises. */
const JOIN = { parent: '999970124', a: '999970161', b: '999970173', recognised: '999970100', ownParent: '999970094', sibling: '999970112' };
/** A child of 999970197 alone, and a child of 999970057 whom 999970197 recognises: their signals make a family match. */
const MAKE = { parent: '999970197', child: '999970215', recognised: '999970082', ownParent: '999970057' };
/** Half-siblings by 999970677 (999970707 also of 999970690, 999970719 also of 999970689). */
const FILING = { parent: '999970677', a: '999970707', b: '999970719', otherParentOfB: '999970689' };

type Answer = { signal: { id: string }; familyMatches: { id: string; participants: unknown[] }[] };
type Mail = { subject: string; text: string; html: string };

describeOnEachDatabase('family matches follow the registered parents', (database) => {
  let t: TestApp;
  let register: SwitchableRegister;
  const people = new Map<string, RegisteredPerson>();
  /** Per signal: its organisation, person and reference, for the scan of what others were sent. */
  const filed = new Map<string, { organisation: string; digits: string; reference: string }>();
  const orgs: TestOrganisation[] = [];

  before(async () => {
    register = switchableRegister({ clock: { now: () => t.clock.now() } });
    t = await createTestApp(database(), { register });
    const all = [...Object.values(JOIN), ...Object.values(MAKE), ...Object.values(FILING)];
    for (const person of await register.embedded.lookup(all.map(bsn))) people.set(person.bsn.reveal(), person);
    for (let i = 0; i < 9; i++) {
      const org = await t.organisation();
      const subscribed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhook-subscriptions',
        headers: { authorization: org.headers.authorization! },
        payload: { url: 'https://receiver.example/hook', eventTypes: ['match.created', 'match.participant_joined', 'match.participant_left'] },
      });
      assert.equal(subscribed.statusCode, 201, subscribed.body);
      orgs.push(org);
    }
  });
  after(() => t.close());

  const legalBasisFor = (digits: string) => {
    const requirement = requiredLegalBasis(ageOn(people.get(digits)!.dateOfBirth!, TODAY));
    return requirement.kind === 'consent'
      ? { basis: 'consent', givenBy: 'person', givenOn: TODAY }
      : { basis: 'informed', informed: requirement.parties, informedOn: TODAY };
  };
  let references = 0;
  const file = async (org: TestOrganisation, digits: string): Promise<Answer> => {
    t.clock.advance(1000);
    const reference = `dossier-${++references}-ouders`;
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: org.headers,
      payload: { person: { bsn: digits }, legalBasis: legalBasisFor(digits), clientReference: reference },
    });
    assert.equal(response.statusCode, 201, response.body);
    const answer: Answer = response.json();
    filed.set(answer.signal.id, { organisation: org.id, digits, reference });
    return answer;
  };
  /** The sweep reads the register's changes of followed persons: once to follow the persons filed on, once more after a change. */
  const sweep = () => t.services.jobs.runOnce();
  const familyMatchOf = async (parent: string) =>
    (
      await sql<{ id: string; status: string; signals: string[] }>`
      select m.id, m.status,
             array(select mp.signal_id::text from match_participants mp where mp.match_id = m.id and mp.left_at is null order by mp.signal_id) as signals
        from matches m where m.kind = 'family' and m.person_key = ${keyOf(parent)} order by m.created_at`.execute(database().db)
    ).rows;
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
  const leftAudits = async (signalId: string) =>
    (
      await sql<{ matchId: string }>`select resource_id as "matchId" from audit_events
        where event_type = 'match.participant_left' and details ->> 'signalId' = ${signalId}`.execute(database().db)
    ).rows.map((row) => row.matchId);
  const mailsTo = async (org: TestOrganisation): Promise<Mail[]> => {
    while ((await t.services.dispatcher.dispatchBatch()).dispatched > 0);
    const rows = await sql<{ message: Mail }>`
      select message from deliveries where channel = 'email' and professional_id = ${org.professionalId} order by id`.execute(database().db);
    return rows.rows.map((row) => row.message);
  };
  const readMatch = (org: TestOrganisation, matchId: string) => t.app.inject({ method: 'GET', url: `/api/v1/matches/${matchId}`, headers: org.headers });

  let joined = '';
  let recognisedSignal = '';

  test("a child recognised by a parent later joins the family match of that parent's children; audited as a change of parents", async () => {
    const [a, b, c] = orgs;
    await file(a!, JOIN.a);
    const second = await file(b!, JOIN.b);
    assert.equal(second.familyMatches.length, 1);
    joined = second.familyMatches[0]!.id;
    const recognised = await file(c!, JOIN.recognised);
    recognisedSignal = recognised.signal.id;
    assert.deepEqual(recognised.familyMatches, [], 'not a child of that parent yet');
    await sweep();

    await register.embedded.applyParents(bsn(JOIN.recognised), [bsn(JOIN.ownParent), bsn(JOIN.parent)]);
    const run = await sweep();
    assert.equal(run.registerChanged, 1);
    const [match] = await familyMatchOf(JOIN.parent);
    assert.equal(match?.id, joined);
    assert.equal(match?.signals.length, 3);
    assert.ok(match.signals.includes(recognisedSignal), 'the recognised child joined');
    assert.deepEqual(await changesOf(JOIN.recognised), [{ change: 'parents_changed', signals: 1 }]);
    const joinedAudit = await sql<{ n: number }>`select count(*)::int as n from audit_events
      where event_type = 'match.participant_joined' and resource_id = ${joined} and details ->> 'signalId' = ${recognisedSignal}`.execute(database().db);
    assert.equal(joinedAudit.rows[0]!.n, 1);

    // The usual mails: everyone in the match hears that a professional became involved with a child of the same parent.
    for (const org of [a!, b!]) {
      const mail = (await mailsTo(org)).find((m) => m.subject === 'SluiS: een nieuwe professional is betrokken');
      assert.ok(mail, 'told of the newcomer');
      assert.match(mail.text, new RegExp(`${c!.name}.*is betrokken geraakt bij een kind van dezelfde ouder`));
    }
    const read = await readMatch(c!, joined);
    assert.equal(read.statusCode, 200, read.body);
    assert.equal(read.json().kind, 'family');
    assert.equal(read.json().yourSignalId, recognisedSignal);
    // Applied once: the next sweep changes nothing.
    assert.equal((await sweep()).registerChanged, 0);
  });

  test('the parent link removed again: the child leaves; the match stays open while two parties remain; everyone is told', async () => {
    const [a, b, c] = orgs;
    await register.embedded.applyParents(bsn(JOIN.recognised), [bsn(JOIN.ownParent)]);
    assert.equal((await sweep()).registerChanged, 1);
    const [match] = await familyMatchOf(JOIN.parent);
    assert.equal(match?.status, 'open');
    assert.equal(match?.signals.length, 2);
    assert.ok(!match.signals.includes(recognisedSignal));
    assert.deepEqual(await leftAudits(recognisedSignal), [joined], 'the leave is audited per signal');
    assert.deepEqual((await changesOf(JOIN.recognised)).at(-1), { change: 'parents_changed', signals: 1 });
    const signal = await database().db.selectFrom('signals').select('status').where('id', '=', recognisedSignal).executeTakeFirstOrThrow();
    assert.equal(signal.status, 'active', 'the signal itself stays active');

    for (const org of [a!, b!]) {
      const mail = (await mailsTo(org)).find((m) => m.subject === 'SluiS: een professional is niet meer betrokken');
      assert.ok(mail, 'those who remain are told, as when a signal ends');
      assert.match(mail.text, /is niet meer betrokken bij een kind van dezelfde ouder/);
    }
    const own = (await mailsTo(c!)).find((m) => m.subject === 'SluiS: uw signaal maakt geen deel meer uit van een gezinsmatch');
    assert.ok(own, "the child's own professional is told that their signal no longer takes part");
    assert.match(own.text, /Uw signaal maakt geen deel meer uit van deze gezinsmatch\. Uw signaal zelf blijft actief\./);
    assert.match(own.text, new RegExp(`/signalen/${recognisedSignal}`), 'a link to their own signal, not to the match');
    assert.doesNotMatch(own.text, /Deze professionals zijn nu betrokken/, 'nobody is listed to them');
    assert.equal((await readMatch(c!, joined)).statusCode, 404, 'the match is no longer theirs to read');
  });

  test('recognised again: the child takes its place in the same family match again', async () => {
    await register.embedded.applyParents(bsn(JOIN.recognised), [bsn(JOIN.ownParent), bsn(JOIN.parent)]);
    assert.equal((await sweep()).registerChanged, 1);
    const [match] = await familyMatchOf(JOIN.parent);
    assert.equal(match?.id, joined);
    assert.ok(match?.signals.includes(recognisedSignal));
    assert.equal((await readMatch(orgs[2]!, joined)).statusCode, 200);
    // And out again, for what follows.
    await register.embedded.applyParents(bsn(JOIN.recognised), [bsn(JOIN.ownParent)]);
    await sweep();
    assert.ok(!(await familyMatchOf(JOIN.parent))[0]?.signals.includes(recognisedSignal));
  });

  test('a recognition makes a family match of two signals; removing it closes the match, and both professionals are told', async () => {
    const [, , , d, e] = orgs;
    const child = await file(d!, MAKE.child);
    const recognised = await file(e!, MAKE.recognised);
    assert.deepEqual([child.familyMatches, recognised.familyMatches], [[], []]);
    await sweep();
    await register.embedded.applyParents(bsn(MAKE.recognised), [bsn(MAKE.ownParent), bsn(MAKE.parent)]);
    await sweep();
    const [made] = await familyMatchOf(MAKE.parent);
    assert.equal(made?.status, 'open');
    assert.deepEqual(made?.signals, [child.signal.id, recognised.signal.id].sort());
    for (const org of [d!, e!]) {
      assert.ok(
        (await mailsTo(org)).some((m) => m.subject === 'SluiS: er is een gezinsmatch op uw signaal'),
        'each hears of the new family match',
      );
    }

    await register.embedded.applyParents(bsn(MAKE.recognised), [bsn(MAKE.ownParent)]);
    await sweep();
    const [closed] = await familyMatchOf(MAKE.parent);
    assert.deepEqual([closed?.id, closed?.status, closed?.signals], [made!.id, 'closed', []]);
    const closedAudit = await sql<{ n: number }>`select count(*)::int as n from audit_events
      where event_type = 'match.closed' and resource_id = ${made!.id} and details ->> 'matchKind' = 'family'`.execute(database().db);
    assert.equal(closedAudit.rows[0]!.n, 1);
    assert.ok(
      (await mailsTo(d!)).some((m) => m.subject === 'SluiS: een professional is niet meer betrokken'),
      'the remaining professional is told',
    );
    assert.ok(
      (await mailsTo(e!)).some((m) => m.subject === 'SluiS: uw signaal maakt geen deel meer uit van een gezinsmatch'),
      "the recognised child's professional is told",
    );
    // Their record systems: the leaver's event names its own signal; the other's names nobody.
    const events = await sql<{ organisation_id: string; data: { signalId: string; leftSignalId?: string; matchKind?: string } }>`
      select organisation_id, data from organisation_events where event_type = 'match.participant_left' and data ->> 'matchId' = ${made!.id}`.execute(
      database().db,
    );
    const byOrg = new Map(events.rows.map((row) => [row.organisation_id, row.data]));
    assert.equal(byOrg.get(e!.id)?.leftSignalId, recognised.signal.id);
    assert.equal(byOrg.get(d!.id)?.leftSignalId, undefined, 'which signal left is not said to the other');
    assert.equal(byOrg.get(d!.id)?.matchKind, 'family');
  });

  test('new parents and a move in one answer: both are applied, the parents first', async () => {
    const [a, , , , , f] = orgs;
    const sibling = await file(f!, JOIN.sibling);
    await sweep();
    await register.embedded.applyParents(bsn(JOIN.sibling), [bsn(JOIN.ownParent), bsn(JOIN.parent)]);
    await register.embedded.applyMove(bsn(JOIN.sibling), {
      municipalityCode: '0518',
      address: { addressObjectId: '0518010000583599', function: 'home', street: 'Zonneweide', houseNumber: '9', postcode: '2496AB', city: "'s-Gravenhage" },
    });
    assert.equal((await sweep()).registerChanged, 1, 'one person changed');
    assert.deepEqual(await changesOf(JOIN.sibling), [
      { change: 'parents_changed', signals: 1 },
      { change: 'moved_within', signals: 1 },
    ]);
    const [match] = await familyMatchOf(JOIN.parent);
    assert.ok(match?.signals.includes(sibling.signal.id), 'joined the family match of the new parent');
    const row = await database().db.selectFrom('signals').select('person_details').where('id', '=', sibling.signal.id).executeTakeFirstOrThrow();
    assert.equal((row.person_details as { address: { street: string } }).address.street, 'Zonneweide', 'and shows the new address');
    assert.ok(
      (await mailsTo(a!)).some((m) => m.subject === 'SluiS: een nieuwe professional is betrokken'),
      'the others hear of the newcomer',
    );
  });

  test("a filing that sees the new parents first: the older signals on the child leave the former parent's family match too", async () => {
    const [, , , , , , g, h, i] = orgs;
    await file(g!, FILING.a);
    const b = await file(h!, FILING.b);
    const matchId = b.familyMatches[0]?.id;
    assert.ok(matchId, 'half-siblings by 999970677');
    // The register no longer has 999970677 as a parent of the second child; a filing looks it up before the sweep does.
    await register.embedded.applyParents(bsn(FILING.b), [bsn(FILING.otherParentOfB)]);
    const again = await file(i!, FILING.b);
    assert.deepEqual(again.familyMatches, [], 'the new signal makes no family match with the former half-sibling');
    const [match] = await familyMatchOf(FILING.parent);
    assert.deepEqual([match?.id, match?.status], [matchId, 'closed'], 'the older signal left it, and it closed');
    assert.deepEqual(await leftAudits(b.signal.id), [matchId]);
    await sweep();
    assert.equal((await sweep()).registerChanged, 0, 'stored already: nothing more to apply');
  });

  test('nothing a professional was sent (mails, webhooks, the feed) holds anything of another child', async () => {
    while ((await t.services.dispatcher.dispatchBatch()).dispatched > 0);
    let checked = 0;
    for (const org of orgs) {
      const sent = await sql<{ message: unknown }>`select message from deliveries where organisation_id = ${org.id}`.execute(database().db);
      const feed = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: org.headers.authorization! } });
      const texts = [...sent.rows.map((row) => JSON.stringify(row.message)), feed.body];
      for (const [signalId, other] of filed) {
        if (other.organisation === org.id) continue;
        if ([...filed.values()].some((mine) => mine.organisation === org.id && mine.digits === other.digits)) continue;
        const person = people.get(other.digits)!;
        const forbidden = [other.digits, keyOf(other.digits).toString('hex'), other.reference, signalId, person.name.familyName, person.dateOfBirth!];
        for (const text of texts) for (const value of forbidden) assert.ok(!text.includes(value), `${org.name} was sent ${value}`);
        checked++;
      }
      const parents = [JOIN.parent, JOIN.ownParent, MAKE.parent, MAKE.ownParent, FILING.parent, FILING.otherParentOfB];
      for (const text of texts) for (const parent of parents) assert.ok(!text.includes(parent) && !text.includes(keyOf(parent).toString('hex')));
    }
    assert.ok(checked > 30, `the scan compared ${checked} pairs`);
  });
});
