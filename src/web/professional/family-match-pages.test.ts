/**
 * The professional's pages for a family match, on both databases, through a real signed-in session:
 * the start page, the match page, its coordination pages and the signal page show the other
 * professionals and nothing of the other child (BSN, name, date of birth, client reference, signal
 * id) or of the parent.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { Bsn } from '../../persons/bsn.ts';
import { createPersonCrypto } from '../../persons/identity-keys.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, TEST_KEYS, type TestApp } from '../../test-support/fixtures.ts';
import { switchableRegister } from '../../test-support/register.ts';
import { signInByInject, webProfessional } from '../../test-support/web.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const informed = { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-03-10' };
/** Half-siblings: 999970021 (Maasland) and 999999151 (Meulengraaf), both children of 999999126, both born 2015-02-01. */
const OWN = '999970021';
const SIBLING = '999999151';
const PARENT = '999999126';

describeOnEachDatabase("a family match on the professional's pages", (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { register: switchableRegister() });
  });
  after(() => t.close());

  test('the pages show who else is involved, never which child', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const file = async (org: typeof a, bsn: string, clientReference: string) => {
      t.clock.advance(1000);
      const response = await t.app.inject({
        method: 'POST',
        url: '/api/v1/signals',
        headers: org.headers,
        payload: { person: { bsn }, legalBasis: informed, clientReference },
      });
      assert.equal(response.statusCode, 201, response.body);
      return response.json() as { signal: { id: string }; familyMatches: { id: string }[] };
    };
    const own = await file(a, OWN, 'eigen-dossier-A');
    const sibling = await file(b, SIBLING, 'dossier-van-B');
    const matchId = sibling.familyMatches[0]!.id;

    const session = await signInByInject(t, await webProfessional(t, a));
    const pages = [
      await session.get('/'),
      await session.get(`/matches/${matchId}`),
      await session.get(`/matches/${matchId}/contact`),
      await session.get(`/matches/${matchId}/regie/opschalen`),
      await session.get(`/signalen/${own.signal.id}`),
      await session.get('/signalen'),
    ];
    for (const page of pages) assert.equal(page.statusCode, 200, page.body.slice(0, 500));
    const matchPage = pages[1]!.body;
    // No case consultation on a family match: it would name a child to the professional of another.
    assert.doesNotMatch(matchPage, /Casusoverleg starten/);
    t.clock.advance(1000);
    const consultation = await t.app.inject({
      method: 'POST',
      url: '/api/v1/case-consultations',
      headers: b.headers,
      payload: {
        kind: 'identifying',
        purpose: 'Afstemmen over het gezin',
        consultationOn: t.clock.now().toISOString().slice(0, 10),
        legalTask: 'Jeugdhulp',
        link: { matchId },
      },
    });
    assert.equal(consultation.statusCode, 404, consultation.body);
    assert.match(matchPage, new RegExp(`Professional of ${b.name}`), 'the other professional is named');
    assert.match(matchPage, /Maasland/, 'the own child is named, as on every match page');
    assert.match(matchPage, /<title>Gezinsmatch: /);
    assert.match(matchPage, /ook een andere professional betrokken bij een kind van dezelfde ouder als [^.]*Maasland\. Welk kind dat\s+is, zegt SluiS niet\./);
    assert.doesNotMatch(matchPage, /Eerder betrokken/, "the person's own history belongs to a person match");
    assert.match(pages[0]!.body, /Gezinsmatch\. Betrokken bij een kind van dezelfde ouder: /, 'the start page says which kind of match it is');

    const listed = await t.services.signals.list(
      { kind: 'professional', professionalId: b.professionalId, organisationId: b.id, apiClientId: null, requestId: 't' },
      { limit: 1 },
    );
    const siblingName = listed.items[0]!.person!.name;
    const forbidden = [
      SIBLING,
      PARENT,
      crypto.personKey(Bsn.parse(SIBLING)!).toString('hex'),
      crypto.personKey(Bsn.parse(PARENT)!).toString('hex'),
      siblingName.familyName,
      siblingName.givenNames,
      'dossier-van-B',
      sibling.signal.id,
    ];
    for (const page of pages) for (const value of forbidden) assert.ok(!page.body.includes(value), `a page shows ${value}`);
  });
});
