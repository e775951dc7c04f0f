/**
 * Family matches (gezinsmatch) through the HTTP API, on both databases, against the real embedded
 * register with the RvIG's test persons: half-siblings, two parents of the same children (one family
 * match, not two), a person match beside a family match, the settings (off, the age limit, the
 * parent's own signal), ending, a queued verification that forms the match later, and 50 filings at
 * once. Every answer, page of the feed and delivery a professional gets is scanned for the other
 * child: BSN, name, date of birth, client reference, signal id, and the parent.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { FAMILY_MATCH_TEXT } from '../notifications/mail-templates.ts';
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
const TODAY = '2026-03-10';

/** The half-siblings of parent 999999126 (999970033 and 999970045 also of 999999163). */
const MAASLAND = { parent: '999999126', otherParent: '999999163', a: '999970021', b: '999970033', c: '999970045', d: '999999151' };
/** The Rotterdam family of 999999357 and 999999345, six children. */
const ROTTERDAM = { parents: ['999999357', '999999345'], children: ['999999369', '999999370', '999999382', '999999394', '999999400', '999999412'] };

type Answer = {
  signal: { id: string; clientReference: string | null };
  match: { id: string } | null;
  familyMatches: { id: string; participants: { professionalName: string; organisationName: string; isYou: boolean }[] }[];
};

describeOnEachDatabase('family matches', (database) => {
  let t: TestApp;
  let register: SwitchableRegister;
  const people = new Map<string, RegisteredPerson>();
  /** Everything a professional was given through the API in this suite (answers, match reads, the feed). */
  const given: { organisation: string; text: string }[] = [];

  before(async () => {
    register = switchableRegister();
    t = await createTestApp(database(), { register });
    const all = [
      ...Object.values(MAASLAND),
      ...ROTTERDAM.parents,
      ...ROTTERDAM.children,
      ...FAMILIES.flatMap((f) => [f.parent, ...f.children]),
      ...Object.values(AGES),
    ];
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
  const file = async (org: TestOrganisation, digits: string, reference = `kenmerk-${++references}-${org.name.slice(-6)}`): Promise<Answer> => {
    t.clock.advance(1000);
    const response = await t.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: org.headers,
      payload: { person: { bsn: digits }, legalBasis: legalBasisFor(digits), clientReference: reference },
    });
    assert.ok(response.statusCode < 300, response.body);
    given.push({ organisation: org.id, text: response.body });
    return response.json();
  };
  const readMatch = async (org: TestOrganisation, matchId: string) => {
    const response = await t.app.inject({ method: 'GET', url: `/api/v1/matches/${matchId}`, headers: org.headers });
    given.push({ organisation: org.id, text: response.body });
    return response;
  };
  const familyMatches = async () =>
    (
      await sql<{ id: string; n: number }>`
      select m.id, (select count(*)::int from match_participants mp where mp.match_id = m.id and mp.left_at is null) as n
        from matches m where m.kind = 'family' and m.status = 'open' order by m.created_at`.execute(database().db)
    ).rows;
  const familyMatchesOn = async (digits: string) =>
    (await database().db.selectFrom('matches').select(['id', 'status']).where('kind', '=', 'family').where('person_key', '=', keyOf(digits)).execute()).map(
      (m) => m.status,
    );
  const setSettings = async (patch: object) => {
    const response = await t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers: t.adminHeaders, payload: patch });
    assert.equal(response.statusCode, 200, response.body);
  };

  test('two signals from different organisations on half-siblings make one family match; a third child of the parent joins it', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const first = await file(a, MAASLAND.a);
    assert.deepEqual(first.familyMatches, [], 'alone, no match');
    const second = await file(b, MAASLAND.d);
    assert.equal(second.match, null, 'no person match: another person');
    assert.equal(second.familyMatches.length, 1, 'the answer says at once that a family match was made');
    const family = second.familyMatches[0]!;
    assert.deepEqual(
      family.participants.map((p) => [p.organisationName, p.isYou]),
      [
        [a.name, false],
        [b.name, true],
      ],
    );
    assert.deepEqual(await familyMatchesOn(MAASLAND.parent), ['open'], 'keyed on the shared parent');

    // A's professional reads it: a family match, with B's professional and nothing of the other child.
    const read = await readMatch(a, family.id);
    assert.equal(read.statusCode, 200);
    assert.equal(read.json().kind, 'family');
    assert.deepEqual(Object.keys(read.json()).sort(), ['createdAt', 'id', 'kind', 'participants', 'yourSignalId']);
    assert.deepEqual(Object.keys(read.json().participants[0]).sort(), ['email', 'isYou', 'jobTitle', 'organisationName', 'phone', 'professionalName', 'since']);
    const list = await t.app.inject({ method: 'GET', url: '/api/v1/matches', headers: a.headers });
    given.push({ organisation: a.id, text: list.body });
    assert.deepEqual(
      list.json().items.map((m: { id: string; kind: string }) => [m.id, m.kind]),
      [[family.id, 'family']],
    );

    // 999970033 is a child of 999999126 and 999999163: joins the 126 match.
    const third = await file(c, MAASLAND.b);
    assert.deepEqual(
      third.familyMatches.map((m) => m.id),
      [family.id],
    );
    assert.equal(third.familyMatches[0]!.participants.length, 3);
    assert.equal((await familyMatches()).filter((m) => m.id === family.id)[0]?.n, 3);
    assert.deepEqual(await familyMatchesOn(MAASLAND.otherParent), [], 'one child of 999999163 alone makes no match of its own');

    // An organisation outside the match reads it: not found.
    const outsider = await t.organisation();
    assert.equal((await readMatch(outsider, family.id)).statusCode, 404);
  });

  test('the six children of two parents make one family match, not one per parent; a person match sits beside it', async () => {
    const orgs = [await t.organisation(), await t.organisation(), await t.organisation(), await t.organisation()];
    await file(orgs[0]!, ROTTERDAM.children[0]!);
    const second = await file(orgs[1]!, ROTTERDAM.children[1]!);
    assert.equal(second.familyMatches.length, 1);
    await file(orgs[2]!, ROTTERDAM.children[2]!);
    const statuses = [...(await familyMatchesOn(ROTTERDAM.parents[0]!)), ...(await familyMatchesOn(ROTTERDAM.parents[1]!))];
    assert.deepEqual(statuses, ['open'], 'one family match for the two parents');

    // A fourth organisation on the first child: a person match with the first, and it joins the family match.
    const both = await file(orgs[3]!, ROTTERDAM.children[0]!);
    assert.ok(both.match, 'a person match on the same child');
    assert.equal(both.match.id === both.familyMatches[0]?.id, false);
    assert.deepEqual(
      both.familyMatches.map((m) => m.id),
      [second.familyMatches[0]!.id],
    );
    assert.equal(both.familyMatches[0]!.participants.length, 4);
    const kinds = await readMatch(orgs[3]!, both.match.id);
    assert.equal(kinds.json().kind, 'person');
    // The signal's own match is its person match.
    const signal = await t.app.inject({ method: 'GET', url: `/api/v1/signals/${both.signal.id}`, headers: orgs[3]!.headers });
    assert.equal(signal.json().matchId, both.match.id);
  });

  test('a family match closes when its signals no longer make one; a person match beside it follows its own rule', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const family = FAMILIES[0]!;
    const first = await file(a, family.children[0]!);
    const second = await file(b, family.children[1]!);
    const matchId = second.familyMatches[0]!.id;
    const ended = await t.app.inject({ method: 'POST', url: `/api/v1/signals/${first.signal.id}/end`, headers: a.headers, payload: { reason: 'care_ended' } });
    assert.equal(ended.statusCode, 200, ended.body);
    const row = await database().db.selectFrom('matches').select(['status']).where('id', '=', matchId).executeTakeFirstOrThrow();
    assert.equal(row.status, 'closed');
    assert.equal((await readMatch(b, matchId)).statusCode, 404, 'a closed match is not found');
    const left = await database().db.selectFrom('outbox').select(['event_type', 'payload']).where('event_type', '=', 'match.participant_left').execute();
    assert.ok(
      left.some(
        (e) => (e.payload as { matchId: string; matchKind?: string }).matchId === matchId && (e.payload as { matchKind?: string }).matchKind === 'family',
      ),
    );
  });

  test('settings: family matching off gives no family match', async () => {
    await setSettings({ familyMatching: false });
    try {
      const family = FAMILIES[1]!;
      const [a, b] = [await t.organisation(), await t.organisation()];
      await file(a, family.children[0]!);
      const second = await file(b, family.children[1]!);
      assert.deepEqual(second.familyMatches, []);
      assert.deepEqual(await familyMatchesOn(family.parent), []);
    } finally {
      await setSettings({ familyMatching: true });
    }
  });

  test('settings: only children under the age limit count, by their date of birth', async () => {
    const family = AGES;
    const [a, b, c, d] = [await t.organisation(), await t.organisation(), await t.organisation(), await t.organisation()];
    await file(a, family.adult); // 24 on the day: over the default limit (under 23)
    const teen = await file(b, family.fifteen);
    assert.deepEqual(teen.familyMatches, [], 'the 24-year-old does not count');
    await setSettings({ familyMatchAgeLimit: 15 });
    try {
      const young = await file(c, family.thirteen);
      assert.deepEqual(young.familyMatches, [], 'under 15: the 15-year-old does not count either');
      await setSettings({ familyMatchAgeLimit: 16 });
      const again = await file(d, family.thirteen);
      assert.equal(again.familyMatches.length, 1, 'under 16: the 15-year-old and the 13-year-old');
      assert.deepEqual(again.familyMatches[0]!.participants.map((p) => p.organisationName).sort(), [b.name, c.name, d.name].sort());
    } finally {
      await setSettings({ familyMatchAgeLimit: 23 });
    }
  });

  test('settings: a signal on the parent themself counts only when the municipality says so', async () => {
    const family = FAMILIES[2]!;
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    await file(a, family.parent);
    const child = await file(b, family.children[0]!);
    assert.deepEqual(child.familyMatches, [], 'off by default');
    await setSettings({ familyMatchIncludesParent: true });
    try {
      const other = await file(c, family.children[1]!);
      assert.equal(other.familyMatches.length, 1);
      assert.deepEqual(other.familyMatches[0]!.participants.map((p) => p.organisationName).sort(), [a.name, b.name, c.name].sort());
    } finally {
      await setSettings({ familyMatchIncludesParent: false });
    }
  });

  test('the register down at filing: the family match follows when the queued verification succeeds', async () => {
    const family = FAMILIES[3]!;
    const [a, b] = [await t.organisation(), await t.organisation()];
    await file(a, family.children[0]!);
    register.down = true;
    let second: Answer;
    try {
      t.clock.advance(1000);
      const person = people.get(family.children[1]!)!;
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/signals',
        headers: b.headers,
        payload: {
          person: { bsn: family.children[1], name: { givenNames: 'Xandra', familyName: 'Verwaayen' }, dateOfBirth: person.dateOfBirth, gender: 'unknown' },
          legalBasis: legalBasisFor(family.children[1]!),
        },
      });
      assert.equal(response.statusCode, 201, response.body);
      second = response.json();
      given.push({ organisation: b.id, text: response.body });
    } finally {
      register.down = false;
    }
    assert.deepEqual(second.familyMatches, [], 'the parents are not known yet');
    t.clock.advance(60_000);
    const run = await t.services.registerVerification!.runDue();
    assert.equal(run.verified, 1);
    assert.deepEqual(await familyMatchesOn(family.parent), ['open']);
    const created = await database()
      .db.selectFrom('outbox')
      .select(['recipient_professional_id', 'payload'])
      .where('event_type', '=', 'match.created')
      .where('recipient_professional_id', 'in', [a.professionalId, b.professionalId])
      .execute();
    assert.equal(created.length, 2);
    assert.ok(created.every((e) => (e.payload as { matchKind?: string }).matchKind === 'family'));
  });

  test('mails, webhooks and the feed say "gezinsmatch" and carry nothing of the other child, also about coordination', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    for (const org of [a, b]) {
      const subscribed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/webhook-subscriptions',
        headers: { authorization: org.headers.authorization! },
        payload: {
          url: 'https://receiver.example/hook',
          eventTypes: ['match.created', 'match.participant_joined', 'match.participant_left', 'coordination.changed'],
        },
      });
      assert.equal(subscribed.statusCode, 201, subscribed.body);
    }
    const family = FAMILIES[4]!;
    const first = await file(a, family.children[0]!, 'A-eigen-kenmerk');
    const second = await file(b, family.children[1]!, 'B-eigen-kenmerk');
    assert.equal(second.familyMatches.length, 1);
    // B takes coordination: A hears that someone else coordinates, not which signal.
    const taken = await t.app.inject({
      method: 'POST',
      url: `/api/v1/matches/${second.familyMatches[0]!.id}/coordination`,
      headers: b.headers,
      payload: { action: 'take' },
    });
    assert.equal(taken.statusCode, 200, taken.body);
    while ((await t.services.dispatcher.dispatchBatch()).dispatched > 0);

    const mails = await sql<{ message: { to: string; subject: string; text: string; html: string } }>`
      select message from deliveries where channel = 'email' and professional_id = ${a.professionalId}`.execute(database().db);
    const familyMail = mails.rows.map((r) => r.message).find((m) => m.subject.includes('gezinsmatch'));
    assert.ok(familyMail, 'a mail about the family match');
    assert.ok(familyMail.text.includes(FAMILY_MATCH_TEXT), familyMail.text);
    assert.ok(familyMail.text.includes('A-eigen-kenmerk'), 'the own client reference');

    // Everything A's organisation was sent: mails, webhooks, the feed.
    const sent = await sql<{ message: unknown }>`select message from deliveries where organisation_id = ${a.id}`.execute(database().db);
    const feed = await t.app.inject({ method: 'GET', url: '/api/v1/events', headers: { authorization: a.headers.authorization! } });
    assert.equal(feed.statusCode, 200);
    const texts = [...sent.rows.map((r) => JSON.stringify(r.message)), feed.body];
    assert.ok(texts.some((text) => text.includes('"matchKind":"family"')));
    assert.ok(
      texts.some((text) => text.includes('nl.sluis.coordination.changed') && text.includes('"matchKind":"family"')),
      'the coordination event says it is a family match',
    );
    const sibling = siblingData(family.children[1]!, second.signal.id, 'B-eigen-kenmerk', family.parent);
    for (const text of texts) for (const value of sibling) assert.ok(!text.includes(value), `A was sent ${value}`);
    assert.ok(
      texts.some((text) => text.includes(first.signal.id)),
      'the own signal id is there (the scan can see ids)',
    );
  });

  test('no answer, match read or feed given to a professional holds anything of the other child or the parent', async () => {
    // Each filing made in this suite: what of it must never reach another organisation.
    const filings = await database()
      .db.selectFrom('signals')
      .select(['id', 'organisation_id', 'person_key', 'client_reference', 'person_details', 'person_date_of_birth'])
      .execute();
    const digitsOf = new Map([...people.keys()].map((digits) => [keyOf(digits).toString('hex'), digits]));
    let checked = 0;
    for (const entry of given) {
      for (const other of filings) {
        if (other.organisation_id === entry.organisation) continue;
        // The organisation's own person (a person match shares it): not a sibling.
        const own = filings.some((mine) => mine.organisation_id === entry.organisation && Buffer.from(mine.person_key).equals(Buffer.from(other.person_key)));
        if (own) continue;
        const digits = digitsOf.get(Buffer.from(other.person_key).toString('hex'));
        if (!digits) continue;
        const details = other.person_details as { name?: { familyName?: string; givenNames?: string } };
        const forbidden = [
          digits,
          Buffer.from(other.person_key).toString('hex'),
          other.client_reference,
          other.person_date_of_birth,
          details.name?.givenNames,
          ...(people.get(digits)?.parents.flatMap((parent) => [parent.reveal(), keyOf(parent.reveal()).toString('hex')]) ?? []),
        ].filter((value): value is string => Boolean(value));
        for (const value of forbidden) assert.ok(!entry.text.includes(value), `an answer to another organisation holds ${value}`);
        checked++;
      }
    }
    assert.ok(checked > 50, `the scan compared ${checked} pairs`);
  });

  /** What identifies the other child (and the parent) in text: BSN, pseudonym, name, date of birth, reference, signal id. */
  function siblingData(digits: string, signalId: string, reference: string, parent: string): string[] {
    const person = people.get(digits)!;
    return [
      digits,
      keyOf(digits).toString('hex'),
      person.name.givenNames,
      person.dateOfBirth!,
      reference,
      signalId,
      parent,
      keyOf(parent).toString('hex'),
    ].filter((value): value is string => Boolean(value));
  }
});

/** Other families of the RvIG's set, one per test (a suite shares one database). */
const FAMILIES = [
  { parent: '999970057', children: ['999970070', '999970082'] },
  { parent: '999970094', children: ['999970100', '999970112'] },
  { parent: '999970197', children: ['999970215', '999970227'] },
  { parent: '999970938', children: ['999971050', '999971062'] },
  { parent: '999970677', children: ['999970707', '999970719'] },
];
/** The children of 999971116 and 999971128: born 2001-04-03 (24 on the day), 2010-10-11 (15) and 2012-08-31 (13). */
const AGES = { adult: '999971141', fifteen: '999971153', thirteen: '999971165' };
