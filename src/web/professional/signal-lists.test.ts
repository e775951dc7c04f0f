/**
 * "Mijn signalen" pages through every list and says how many there are, and a professional finds
 * their own signal by their own client reference (a POST: the reference never goes into a URL).
 * On both databases: paging forward and back, counts, the start page's "all n" links, the search
 * (exact and prefix, case ignored, only the professional's own signals, audited per signal shown).
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import { type InjectSession, signInByInject, webAdministrator, webProfessional } from '../../test-support/web.ts';

const ACTIVE = 130;
const ENDED = 3;
/** Anna's oldest signals that the other organisation also files on: more new matches than the start page shows. */
const MATCHED = 22;
const reference = (i: number) => `ZORG-${String(i).padStart(4, '0')}`;

const actorOf = (org: TestOrganisation, professionalId = org.professionalId): ProfessionalActor => ({
  kind: 'professional',
  professionalId,
  organisationId: org.id,
  apiClientId: null,
  requestId: 'test',
});

/** The rows of the first table on a page (stacked tables keep one <tr> per item). */
const rowsIn = (body: string, caption: string) => {
  const table = new RegExp(`<caption[^>]*>${caption}</caption>[\\s\\S]*?</table>`).exec(body)?.[0] ?? '';
  return [...table.matchAll(/<tr class="utrecht-table__row"><td/g)].length;
};
const referencesIn = (body: string) => [...body.matchAll(/data-label="Uw kenmerk">(ZORG-\d{4}|zorg-\d{4})</g)].map((m) => m[1]!);
const relLink = (body: string, rel: 'prev' | 'next') => new RegExp(`href="([^"]*)" rel="${rel}"`).exec(body)?.[1]?.replaceAll('&amp;', '&');

describeOnEachDatabase('lists of signals: paging, counts and the search by client reference', (database) => {
  let t: TestApp;
  let org: TestOrganisation;
  let other: TestOrganisation;
  let anna: InjectSession;
  let annasAccount: Awaited<ReturnType<typeof webProfessional>>;
  let bram: InjectSession;
  let colleague: InjectSession;
  const filed: string[] = [];
  const bsns: string[] = [];

  before(async () => {
    t = await createTestApp(database());
    org = await t.organisation();
    other = await t.organisation();
    // Anna files 130 signals and ends 3 more, a minute apart, through the service (not 133 form posts).
    for (let i = 0; i < ACTIVE + ENDED; i++) {
      t.clock.advance(60_000);
      const bsn = randomBsn();
      if (i < MATCHED) bsns.push(bsn);
      const result = await t.services.signals.file(actorOf(org), adultSignal(bsn, '2026-03-10', { clientReference: reference(i) }));
      assert.ok(result.outcome === 'created');
      filed.push(result.answer.signal.id);
    }
    for (const id of filed.slice(ACTIVE)) await t.services.signals.end(actorOf(org), id, 'care_ended');
    // The other organisation's professional is involved with 22 of Anna's persons: 22 new matches for her.
    for (const bsn of bsns) await t.services.signals.file(actorOf(other), adultSignal(bsn, '2026-03-10', { clientReference: undefined }));
    // Another organisation's professional, and a colleague in Anna's own, use the same kind of references.
    await t.services.signals.file(actorOf(other), adultSignal(randomBsn(), '2026-03-10', { clientReference: 'ZORG-0042' }));
    await t.services.signals.file(actorOf(other), adultSignal(randomBsn(), '2026-03-10', { clientReference: 'BRAM-1' }));
    const mate = await t.colleague(org);
    await t.services.signals.file(actorOf(org, mate.professionalId), adultSignal(randomBsn(), '2026-03-10', { clientReference: 'ZORG-9999' }));
    annasAccount = await webProfessional(t, org);
    anna = await signInByInject(t, annasAccount);
    bram = await signInByInject(t, await webProfessional(t, other));
    colleague = await signInByInject(t, await webProfessional(t, org, { professionalId: mate.professionalId }));
  });
  after(() => t.close());

  const listedNow = async (professionalId: string) =>
    t.services.db
      .selectFrom('audit_events')
      .select(['resource_id', 'details'])
      .where('actor_id', '=', professionalId)
      .where('event_type', '=', 'signal.listed')
      .where('occurred_at', '=', t.clock.now())
      .execute();

  test('Mijn signalen says how many there are and pages forward and back through all 130 active signals', async () => {
    t.clock.advance(1000);
    const first = await anna.get('/signalen');
    assert.equal(first.statusCode, 200);
    assert.match(first.body, /<strong>130 actieve signalen<\/strong>; u ziet 1 tot en met 25\./);
    assert.match(first.body, /<strong>3 beëindigde of verlopen signalen<\/strong>/);
    assert.equal(rowsIn(first.body, 'Actieve signalen'), 25);
    assert.deepEqual(referencesIn(first.body).slice(0, 2), [reference(ACTIVE - 1), reference(ACTIVE - 2)], 'newest first');
    assert.equal(relLink(first.body, 'prev'), undefined, 'no previous page on the first');
    assert.equal(relLink(first.body, 'next'), '/signalen?actief=2#actief');
    assert.match(first.body, /aria-current="page"><span class="sluis-visually-hidden">Pagina <\/span>1</);
    // Each signal shown is audited, as listing always was: 25 active and the 3 in the history.
    assert.equal((await listedNow(org.professionalId)).length, 28);

    // Forward through every page: each signal exactly once, the last page holds the rest.
    const seen: string[] = [];
    let url: string | undefined = '/signalen';
    let pages = 0;
    while (url) {
      const response = await anna.get(url);
      seen.push(...referencesIn(response.body).filter((r) => r.startsWith('ZORG')));
      url = relLink(response.body, 'next');
      pages++;
    }
    assert.equal(pages, 6);
    const active = seen.filter((r) => Number(r.slice(5)) < ACTIVE);
    assert.equal(new Set(active).size, ACTIVE, 'every active signal once');

    const last = await anna.get('/signalen?actief=6');
    assert.match(last.body, /u ziet 126 tot en met 130\./);
    assert.equal(rowsIn(last.body, 'Actieve signalen'), 5);
    assert.equal(relLink(last.body, 'next'), undefined);
    // And back: the previous page of page 6 is page 5, of page 2 the first (without a number).
    assert.equal(relLink(last.body, 'prev'), '/signalen?actief=5#actief');
    const second = await anna.get('/signalen?actief=2');
    assert.match(second.body, /u ziet 26 tot en met 50\./);
    assert.equal(relLink(second.body, 'prev'), '/signalen#actief');
    assert.deepEqual(referencesIn(second.body)[0], reference(ACTIVE - 26));
  });

  test('a page number beyond the last shows the last page; anything else that is not a page number the first', async () => {
    assert.match((await anna.get('/signalen?actief=99')).body, /u ziet 126 tot en met 130\./);
    for (const odd of ['0', '-1', 'abc', '1e3', '2.5', '%00']) {
      const response = await anna.get(`/signalen?actief=${odd}`);
      assert.ok(response.statusCode === 200 || response.statusCode === 422, odd);
      if (response.statusCode === 200) assert.match(response.body, /u ziet 1 tot en met 25\./, odd);
    }
  });

  test("each list keeps the other one's page: paging the history leaves the active list where it was", async () => {
    const page = await anna.get('/signalen?actief=3&geschiedenis=1');
    assert.match(page.body, /u ziet 51 tot en met 75\./);
    assert.doesNotMatch(page.body, /href="[^"]*geschiedenis=2/, 'the 3 ended signals fit on one page');
    assert.match(page.body, /href="\/signalen\?actief=4#actief" rel="next"/);
  });

  test('the start page links to all of them with the count, says how many new matches it leaves out, and links to all that end soon', async () => {
    const start = await anna.get('/');
    assert.match(start.body, /href="\/signalen">Alle 130 actieve signalen<\/a>/);
    assert.equal((start.body.match(/sluis-match-card/g) ?? []).length, 20);
    assert.match(start.body, /En nog 2 nieuwe matches\. Die ziet u bij <a class="utrecht-link" href="\/signalen">Mijn signalen<\/a>/);
    // Near the end of their lifetime every active signal is about to end; the start page shows 20 and links to all.
    const { expiryNoticeDays, signalLifetimeMonths } = await t.services.settings.current();
    const saved = t.clock.now();
    t.clock.set(new Date(saved.getTime() + (signalLifetimeMonths * 30.4 - expiryNoticeDays / 2) * 86_400_000));
    try {
      const later = await signInByInject(t, annasAccount);
      const soon = await later.get('/');
      assert.match(soon.body, /href="\/signalen\?binnenkort=1#actief">Alle 130 signalen die binnenkort verlopen<\/a>/);
      const all = await later.get('/signalen?binnenkort=1');
      assert.match(all.body, /<strong>130 actieve signalen die binnenkort verlopen<\/strong>; u ziet 1 tot en met 25\./);
      assert.deepEqual(referencesIn(all.body).slice(0, 2), [reference(0), reference(1)], 'soonest first');
      assert.equal(relLink(all.body, 'next'), '/signalen?binnenkort=1&actief=2#actief');
    } finally {
      t.clock.set(saved);
    }
  });

  test("the search finds the professional's own signal by exact reference and by its beginning, whatever the case", async () => {
    t.clock.advance(1000);
    const exact = await anna.post('/signalen/zoeken', { kenmerk: 'zorg-0042', hoe: 'precies' });
    assert.equal(exact.statusCode, 200);
    assert.match(exact.body, /1 signaal gevonden/);
    assert.deepEqual(referencesIn(exact.body), ['ZORG-0042']);
    assert.match(exact.body, /href="\/signalen\/[0-9a-f-]{36}">Jan de Boer<\/a>/, 'an active one links to the signal');
    // Audited as listing is: one record per signal shown, marked as a search, without the reference itself.
    const audited = await listedNow(org.professionalId);
    assert.equal(audited.length, 1);
    assert.equal(audited[0]?.resource_id, filed[42]);
    assert.deepEqual(audited[0]?.details, { search: 'client_reference' });
    assert.ok(!JSON.stringify(audited).toLowerCase().includes('zorg-0042'));

    const prefix = await anna.post('/signalen/zoeken', { kenmerk: 'Zorg-004', hoe: 'begint' });
    assert.match(prefix.body, /10 signalen gevonden/);
    assert.deepEqual(
      referencesIn(prefix.body).sort(),
      Array.from({ length: 10 }, (_, i) => reference(40 + i)),
    );

    // The ended ones are found too, without person data.
    const ended = await anna.post('/signalen/zoeken', { kenmerk: reference(ACTIVE + 1), hoe: 'precies' });
    assert.match(ended.body, /Niet meer bewaard/);
    assert.match(ended.body, /Beëindigd op/);
  });

  test('the search pages with buttons in its own form: the reference never goes into a link', async () => {
    const found = await anna.post('/signalen/zoeken', { kenmerk: 'zorg-00', hoe: 'begint' });
    assert.match(found.body, /100 signalen gevonden/);
    assert.match(found.body, /U ziet 1 tot en met 25\./);
    assert.match(found.body, /<button type="submit" class="utrecht-pagination__relative-link[^"]*" name="pagina" value="2">Volgende/);
    assert.match(found.body, /<input type="hidden" name="kenmerk" value="zorg-00">/);
    assert.doesNotMatch(found.body, /href="[^"]*zorg-0/i, 'no link carries the reference');
    const second = await anna.post('/signalen/zoeken', { kenmerk: 'zorg-00', hoe: 'begint', pagina: '2' });
    assert.match(second.body, /U ziet 26 tot en met 50\./);
    assert.match(second.body, /name="pagina" value="1">Vorige/);
  });

  test("another professional's reference gives nothing, not even to a colleague in the same organisation", async () => {
    t.clock.advance(1000);
    const bramsOwn = await bram.post('/signalen/zoeken', { kenmerk: 'ZORG-0042', hoe: 'precies' });
    assert.deepEqual(referencesIn(bramsOwn.body), ['ZORG-0042'], "Bram's own ZORG-0042, not Anna's");
    assert.match(bramsOwn.body, /1 signaal gevonden/);
    const annas = await bram.post('/signalen/zoeken', { kenmerk: 'ZORG-0001', hoe: 'precies' });
    assert.match(annas.body, /Geen signalen gevonden/);
    const byColleague = await colleague.post('/signalen/zoeken', { kenmerk: 'zorg-00', hoe: 'begint' });
    assert.match(byColleague.body, /Geen signalen gevonden/);
    const mine = await anna.post('/signalen/zoeken', { kenmerk: 'ZORG-9999', hoe: 'precies' });
    assert.match(mine.body, /Geen signalen gevonden/, "the colleague's reference is not Anna's");
    assert.equal((await listedNow(org.professionalId)).length, 0, 'nothing found, nothing listed');
  });

  test('a search without a reference, or with one that is too long, says so and lists nothing', async () => {
    const empty = await anna.post('/signalen/zoeken', { kenmerk: '  ', hoe: 'begint' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /href="#kenmerk"[^>]*>Vul uw kenmerk in/);
    const long = await anna.post('/signalen/zoeken', { kenmerk: 'x'.repeat(101) });
    assert.equal(long.statusCode, 422);
    assert.match(long.body, /hooguit 100 tekens/);
    assert.equal((await anna.get('/signalen/zoeken')).statusCode, 200);
  });

  test('only professionals search: staff are refused, and a visitor is sent to sign in', async () => {
    const staff = await signInByInject(t, await webAdministrator(t));
    assert.equal((await staff.get('/signalen/zoeken')).statusCode, 403);
    assert.equal((await staff.post('/signalen/zoeken', { kenmerk: 'ZORG-0042' })).statusCode, 403);
    const anonymous = await t.app.inject({ method: 'GET', url: '/signalen/zoeken' });
    assert.equal(anonymous.statusCode, 303);
    assert.match(anonymous.headers.location ?? '', /^\/inloggen/);
  });
});
