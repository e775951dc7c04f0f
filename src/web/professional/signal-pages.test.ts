import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import { assertConfirmation, type InjectSession, signInByInject, webAdministrator, webProfessional } from '../../test-support/web.ts';

const TODAY = '2026-03-10';
const NO_MATCH = 'Geen match: u krijgt bericht zodra een andere professional betrokken raakt.';

const adultForm = (bsn: string, overrides: Record<string, string | string[]> = {}) => ({
  bsn,
  voornamen: 'Jan',
  voorvoegsel: 'de',
  achternaam: 'Boer',
  geboortedatum: '17',
  'geboortedatum-maand': '5',
  'geboortedatum-jaar': '1980',
  geslacht: 'man',
  straat: 'Coolsingel',
  huisnummer: '40',
  postcode: '3011 AD',
  plaats: 'Rotterdam',
  kenmerk: 'dossier 1',
  'toestemming-door': 'persoon',
  'toestemming-datum': '10',
  'toestemming-datum-maand': '3',
  'toestemming-datum-jaar': '2026',
  ...overrides,
});

/** The ids an error summary links to, in order. */
const summaryLinks = (body: string) => [...(/<div[^>]*id="foutmeldingen"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '').matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
const idFrom = (location: string | undefined) => /^\/signalen\/([0-9a-f-]{36})\?/.exec(location ?? '')?.[1] ?? assert.fail(`no signal id in ${location}`);
const matchIdIn = (body: string) => /href="\/matches\/([0-9a-f-]{36})"/.exec(body)?.[1] ?? assert.fail('no match link');

describeOnEachDatabase("the professional's signal pages", (database) => {
  let t: TestApp;
  const bodies: { bsn: string; body: string }[] = [];
  before(async () => {
    t = await createTestApp(database());
  });
  after(async () => t.close());

  async function professional(organisation?: TestOrganisation, options: { coordinator?: boolean } = {}) {
    const org = organisation ?? (await t.organisation());
    const account = await webProfessional(t, org, options);
    return { org, account, session: await signInByInject(t, account) };
  }

  /** Every page after a successful filing goes through here, so the last test can search them all for BSNs. */
  async function page(session: InjectSession, url: string, bsn: string) {
    const response = await session.get(url);
    bodies.push({ bsn, body: response.body });
    return response;
  }

  async function file(session: InjectSession, fields: Record<string, string | string[]>) {
    const response = await session.post('/signalen/nieuw', fields);
    assert.equal(response.statusCode, 303, response.body.slice(0, 2000));
    return idFrom(response.headers.location);
  }

  test('anonymous visitors are sent to sign in; staff are refused', async () => {
    for (const url of ['/', '/signalen', '/signalen/nieuw', `/signalen/${randomUUID()}`, `/matches/${randomUUID()}`, '/organisaties']) {
      const response = await t.app.inject({ method: 'GET', url });
      assert.equal(response.statusCode, 303, url);
      assert.match(String(response.headers.location), /^\/inloggen/);
    }
    const staff = await signInByInject(t, await webAdministrator(t));
    const start = await staff.get('/');
    assert.equal(start.statusCode, 303);
    assert.equal(start.headers.location, '/beheer');
    for (const url of ['/signalen', '/signalen/nieuw', `/signalen/${randomUUID()}`, `/matches/${randomUUID()}`, '/organisaties']) {
      const response = await staff.get(url);
      assert.equal(response.statusCode, 403, url);
      assert.match(response.body, /Geen toegang/);
    }
    assert.equal((await staff.post('/signalen/nieuw', adultForm(randomBsn()))).statusCode, 403);
  });

  test('the form has a live BSN check, the age rules in plain Dutch, and today as the record date', async () => {
    const { session } = await professional();
    const form = await session.get('/signalen/nieuw');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /<input[^>]*id="bsn"[^>]*data-bsn/);
    assert.match(form.body, /<div id="bsn-controle"[^>]*aria-live="polite"/);
    assert.match(form.body, /23 jaar of ouder:<\/strong> de persoon geeft toestemming/);
    assert.match(form.body, /Jonger dan 12:<\/strong> u informeert de ouders of de voogd/);
    assert.match(form.body, /12 tot en met 15 jaar:<\/strong> u informeert de jongere én de ouders of de voogd/);
    assert.match(form.body, /16 tot 23 jaar:<\/strong> u informeert de jongere zelf/);
    // Every date is three boxes in Dutch order (day, month, year), never a native date picker.
    assert.match(form.body, /<input[^>]*id="toestemming-datum"[^>]*inputmode="numeric"[^>]*value="10"/);
    assert.match(form.body, /<input[^>]*id="toestemming-datum-maand"[^>]*value="3"/);
    assert.match(form.body, /<input[^>]*id="toestemming-datum-jaar"[^>]*value="2026"/);
    assert.doesNotMatch(form.body, /type="date"/);
  });

  test('an empty form lists every problem in the summary, linked to its field', async () => {
    const { session } = await professional();
    const response = await session.post('/signalen/nieuw', {});
    assert.equal(response.statusCode, 422);
    assert.deepEqual(summaryLinks(response.body), ['bsn', 'voornamen', 'achternaam', 'geboortedatum', 'geslacht']);
    assert.match(response.body, /<title>Fout: signaal afgeven/);
  });

  test("a failed submit keeps every value; the BSN only as the input's value, never in text", async () => {
    const { session } = await professional();
    const bsn = '123456789'; // fails the 11-test
    const response = await session.post(
      '/signalen/nieuw',
      adultForm(bsn, { 'toestemming-door': '', 'toestemming-datum': '1', 'toestemming-datum-maand': '4', postcode: '30' }),
    );
    assert.equal(response.statusCode, 422);
    assert.deepEqual(summaryLinks(response.body), ['bsn', 'postcode', 'toestemming-door', 'toestemming-datum']);
    assert.equal(response.body.split(bsn).length - 1, 1);
    assert.match(response.body, new RegExp(`<input[^>]*id="bsn"[^>]*value="${bsn}"`));
    for (const kept of ['value="Jan"', 'value="de"', 'value="Boer"', 'value="1980"', 'value="Coolsingel"', 'value="dossier 1"'])
      assert.ok(response.body.includes(kept), kept);
    assert.match(response.body, /value="man" checked/);
    assert.match(response.body, /<input[^>]*id="toestemming-datum"[^>]*value="1"/);
    assert.match(response.body, /<input[^>]*id="toestemming-datum-maand"[^>]*value="4"/);
    assert.match(response.body, /De persoon is vandaag 45 jaar/);

    const valid = randomBsn();
    const child = await session.post(
      '/signalen/nieuw',
      adultForm(valid, {
        'geboortedatum-jaar': '2012',
        informeren: 'gedaan',
        geinformeerd: 'jongere',
        'informeer-datum': '11',
        'informeer-datum-maand': '3',
        'informeer-datum-jaar': '2026',
      }),
    );
    assert.equal(child.statusCode, 422);
    assert.deepEqual(summaryLinks(child.body), ['geinformeerd', 'informeer-datum']);
    assert.match(child.body, /jongere én de ouders of voogd/);
    assert.equal(child.body.split(valid).length - 1, 1);
  });

  test('filing on a new person: no match; on the same person from another organisation: a match with the contact details', async () => {
    const a = await professional();
    const b = await professional();
    const bsn = randomBsn();
    const signalA = await file(a.session, adultForm(bsn));
    const answerA = await page(a.session, `/signalen/${signalA}?nieuw=1`, bsn);
    assert.equal(answerA.statusCode, 200);
    assert.ok(answerA.body.includes(NO_MATCH));
    assert.match(answerA.body, /Uw signaal is afgegeven/);
    assert.match(answerA.body, /Jan de Boer/);

    t.clock.advance(60_000);
    const signalB = await file(b.session, adultForm(bsn, { kenmerk: 'B-7', 'toestemming-door': 'vertegenwoordiger' }));
    const answerB = await page(b.session, `/signalen/${signalB}?nieuw=1`, bsn);
    assert.match(answerB.body, /Match: er zijn meer professionals betrokken/);
    assert.ok(!answerB.body.includes(NO_MATCH));
    for (const detail of [`Professional of ${a.org.name}`, '010 000 0000', 'href="tel:0100000000"']) assert.ok(answerB.body.includes(detail), detail);
    const aEmail = (await t.services.db.selectFrom('professionals').select('email').where('id', '=', a.account.professionalId).executeTakeFirstOrThrow()).email;
    assert.ok(answerB.body.includes(aEmail));
    const matchId = matchIdIn(answerB.body);

    // A sees the match as new on the start page until opening it.
    t.clock.advance(60_000);
    const startA = await page(a.session, '/', bsn);
    assert.match(startA.body, /Nieuwe matches/);
    assert.ok(startA.body.includes(`href="/matches/${matchId}"`));
    assert.match(startA.body, /sluis-badge--new">Nieuw/);
    const matchA = await page(a.session, `/matches/${matchId}`, bsn);
    assert.equal(matchA.statusCode, 200);
    assert.ok(matchA.body.includes(`Professional of ${b.org.name}`));
    const startAgain = await page(a.session, '/', bsn);
    assert.doesNotMatch(startAgain.body, /Nieuwe matches/);
    assert.doesNotMatch(startAgain.body, /sluis-badge--new/);

    // Filing again on the same person gives the same signal, said plainly.
    const again = await a.session.post('/signalen/nieuw', adultForm(bsn));
    assert.equal(again.headers.location, `/signalen/${signalA}?bestaand=1`);
    assert.match((await page(a.session, String(again.headers.location), bsn)).body, /U had al een actief signaal op deze persoon/);

    // Another organisation, or a random id: the very same "Niet gevonden".
    const c = await professional();
    const random = await c.session.get(`/signalen/${randomUUID()}`);
    assert.equal(random.statusCode, 404);
    assert.match(random.body, /Niet gevonden/);
    for (const url of [`/signalen/${signalA}`, `/signalen/${signalA}?nieuw=1`, `/signalen/${signalA}/beeindigen`]) {
      const response = await c.session.get(url);
      assert.equal(response.statusCode, 404, url);
      assert.equal(response.body.replace(url.split('?')[0]!, ''), random.body.replace(/\/signalen\/[0-9a-f-]{36}/, ''), url);
    }
    const randomMatch = await c.session.get(`/matches/${randomUUID()}`);
    const otherMatch = await c.session.get(`/matches/${matchId}`);
    assert.equal(otherMatch.statusCode, 404);
    assert.equal(otherMatch.body, randomMatch.body);
    assert.equal((await c.session.get('/signalen/niet-een-id')).statusCode, 404);
    assert.equal((await c.session.post(`/signalen/${signalA}/beeindigen`, { reden: 'care_ended' })).statusCode, 404);
    assert.equal((await a.session.get(`/signalen/${signalB}`)).statusCode, 404);

    // B ends the signal — first the confirmation page, which changes nothing; the match closes, A sees B as history, B can no longer open either page.
    const confirm = await page(b.session, `/signalen/${signalB}/beeindigen`, bsn);
    assert.equal(confirm.statusCode, 200);
    assertConfirmation(confirm.body, `/signalen/${signalB}/beeindigen`, `/signalen/${signalB}`);
    assert.match(confirm.body, /De andere betrokken professionals krijgen bericht dat u niet meer betrokken bent/);
    assert.equal((await b.session.get(`/signalen/${signalB}`)).statusCode, 200, 'still active after the confirmation page');
    const noReason = await b.session.post(`/signalen/${signalB}/beeindigen`, {});
    assert.equal(noReason.statusCode, 422);
    assert.deepEqual(summaryLinks(noReason.body), ['reden']);
    assert.equal((await b.session.get(`/signalen/${signalB}`)).statusCode, 200, 'still active without a reason');
    t.clock.advance(60_000);
    const ended = await b.session.post(`/signalen/${signalB}/beeindigen`, { reden: 'care_ended' });
    assert.equal(ended.statusCode, 303);
    assert.equal(ended.headers.location, '/signalen?beeindigd=1');
    const listB = await page(b.session, '/signalen?beeindigd=1', bsn);
    assert.match(listB.body, /Het signaal is beëindigd/);
    assert.match(listB.body, /B-7/);
    assert.match(listB.body, /hulp afgerond/);
    assert.equal((await b.session.get(`/signalen/${signalB}`)).statusCode, 404);
    assert.equal((await b.session.get(`/matches/${matchId}`)).statusCode, 404);
    assert.equal((await b.session.post(`/signalen/${signalB}/beeindigen`, { reden: 'care_ended' })).statusCode, 404);
    const signalPageA = await page(a.session, `/signalen/${signalA}`, bsn);
    assert.ok(signalPageA.body.includes(NO_MATCH));
    assert.match(signalPageA.body, /Eerder betrokken/);
    assert.ok(signalPageA.body.includes(`Professional of ${b.org.name}`));
  });

  test('a signal without a client reference says "Geen kenmerk" wherever the reference would be', async () => {
    const { session } = await professional();
    const bsn = randomBsn();
    const id = await file(session, adultForm(bsn, { kenmerk: '' }));
    for (const url of ['/', '/signalen', `/signalen/${id}`]) {
      const response = await page(session, url, bsn);
      assert.match(response.body, /Geen kenmerk/, url);
    }
  });

  test('a child under 12: the parents or guardian informed; an unjustified signal is deleted at once', async () => {
    const { session } = await professional();
    const bsn = randomBsn();
    const id = await file(
      session,
      adultForm(bsn, {
        'geboortedatum-jaar': '2018',
        'toestemming-door': '',
        informeren: 'gedaan',
        geinformeerd: 'vertegenwoordiger',
        'informeer-datum': '10',
        'informeer-datum-maand': '3',
        'informeer-datum-jaar': '2026',
      }),
    );
    const answer = await page(session, `/signalen/${id}?nieuw=1`, bsn);
    assert.match(answer.body, /Geïnformeerd: de wettelijk vertegenwoordiger/);
    const ended = await session.post(`/signalen/${id}/beeindigen`, { reden: 'unjustified' });
    assert.equal(ended.headers.location, '/signalen?verwijderd=1');
    assert.match((await page(session, '/signalen?verwijderd=1', bsn)).body, /beëindigd en helemaal verwijderd/);
  });

  test("a coordinator sees only their own signals, not their colleagues'", async () => {
    const coordinator = await professional(undefined, { coordinator: true });
    const colleague = await t.colleague(coordinator.org);
    const bsn = randomBsn();
    const filed = await t.services.signals.file(
      { kind: 'professional', professionalId: colleague.professionalId, organisationId: coordinator.org.id, apiClientId: null, requestId: 'test' },
      {
        person: { bsn, name: { givenNames: 'Els', familyName: 'Collegaklant' }, dateOfBirth: '1970-01-01', gender: 'female' },
        legalBasis: { basis: 'consent', givenBy: 'person', givenOn: TODAY },
        clientReference: 'collega-dossier',
      },
    );
    assert.ok(filed.outcome === 'created');
    const list = await page(coordinator.session, '/signalen', bsn);
    assert.doesNotMatch(list.body, /Collegaklant|collega-dossier/);
    assert.doesNotMatch((await page(coordinator.session, '/', bsn)).body, /Collegaklant/);
    const own = await coordinator.session.get(`/signalen/${filed.answer.signal.id}`);
    assert.equal(own.statusCode, 404);
  });

  test('the directory lists organisations with an active covenant, searchable by name and domain', async () => {
    const { session } = await professional();
    const housing = await t.organisation(`Woonstichting ${randomUUID().slice(0, 6)}`);
    await t.services.organisations.update(t.admin, housing.id, {
      domains: ['housing'],
      description: 'Wij verhuren woningen.\n\nEn helpen bij huurachterstand.',
      signallingCriteria: 'Bij <twee> maanden huurachterstand.',
      phone: '010 123 4567',
      email: 'info@woon.example',
    });
    const outsider = await t.services.organisations.create(t.admin, { name: `Woonclub zonder convenant ${randomUUID().slice(0, 6)}`, domains: ['housing'] });

    const all = await session.get('/organisaties');
    assert.equal(all.statusCode, 200);
    assert.ok(all.body.includes(housing.name));
    assert.ok(!all.body.includes(outsider.name));
    const byDomain = await session.get('/organisaties?domein=housing');
    assert.ok(byDomain.body.includes(housing.name));
    assert.match(byDomain.body, /1 organisatie gevonden/);
    const byName = await session.get(`/organisaties?naam=${encodeURIComponent(housing.name.slice(0, 12).toLowerCase())}&domein=`);
    assert.ok(byName.body.includes(housing.name));
    const none = await session.get('/organisaties?naam=bestaatniet&domein=education');
    assert.match(none.body, /Geen organisaties gevonden/);

    const profile = await session.get(`/organisaties/${housing.id}`);
    assert.equal(profile.statusCode, 200);
    assert.match(profile.body, /Wij verhuren woningen\./);
    assert.match(profile.body, /Bij &lt;twee&gt; maanden huurachterstand/);
    assert.match(profile.body, /href="mailto:info@woon.example"/);
    assert.equal((await session.get(`/organisaties/${outsider.id}`)).statusCode, 404);
    assert.equal((await session.get(`/organisaties/${randomUUID()}`)).statusCode, 404);
    assert.equal((await session.get('/organisaties/geen-id')).statusCode, 404);
  });

  test('signals about to expire are on the start page', async () => {
    const { account, session } = await professional();
    const bsn = randomBsn();
    await file(session, adultForm(bsn, { voornamen: 'Bijna', achternaam: 'Verlopen' }));
    const before = await page(session, '/', bsn);
    assert.match(before.body, /Geen signalen verlopen de komende \d+ dagen\./);
    const { expiryNoticeDays, signalLifetimeMonths } = await t.services.settings.current();
    t.clock.advance((signalLifetimeMonths * 30.4 - expiryNoticeDays / 2) * 86_400_000);
    const soon = await page(await signInByInject(t, account), '/', bsn);
    assert.match(soon.body, /Verlopen binnenkort[\s\S]*Bijna de Verlopen<\/a>: actief tot/);
  });

  test('a busy start page: the latest 10 signals, the new match on an older one, the soonest ending first; audited per item shown', async () => {
    const { org, account, session } = await professional();
    const oldest = randomBsn();
    await file(session, adultForm(oldest, { voornamen: 'Oudste', achternaam: 'Signaal' }));
    for (let i = 1; i <= 11; i++) {
      t.clock.advance(60_000);
      await file(session, adultForm(randomBsn(), { voornamen: `Nummer${i}`, achternaam: 'Later' }));
    }
    // Someone else files on the oldest person: a new match on a signal that is not among the latest 10.
    const other = await professional();
    await file(other.session, adultForm(oldest));

    const db = t.services.db;
    const listed = async (type: string) =>
      (
        await db
          .selectFrom('audit_events')
          .select('id')
          .where('actor_id', '=', org.professionalId)
          .where('event_type', '=', type)
          .where('occurred_at', '=', t.clock.now())
          .execute()
      ).length;
    t.clock.advance(1000);
    const start = await page(session, '/', oldest);
    assert.match(start.body, /Mijn laatste signalen/);
    assert.equal((start.body.match(/Nummer\d+ de Later<\/a>/g) ?? []).length, 10);
    assert.doesNotMatch(start.body, /Nummer1 de Later</, 'the 11th-newest is on /signalen only');
    assert.match(start.body, /href="\/signalen">Alle 12 actieve signalen/);
    assert.match(start.body, /Nieuwe matches[\s\S]*Oudste de Signaal<\/a><\/h3>/);
    assert.equal(await listed('signal.listed'), 11, 'the 10 shown and the one the new match is about');
    assert.equal(await listed('match.listed'), 1);

    const all = await page(session, '/signalen', oldest);
    assert.equal((all.body.match(/Nummer\d+ de Later<\/a>/g) ?? []).length, 11);
    assert.match(all.body, /Oudste de Signaal<\/a>[\s\S]*?sluis-badge--new">Nieuw/);

    // Near the end of their lifetime every signal is about to end: the oldest one comes first.
    const { expiryNoticeDays, signalLifetimeMonths } = await t.services.settings.current();
    t.clock.advance((signalLifetimeMonths * 30.4 - expiryNoticeDays / 2) * 86_400_000);
    const later = await signInByInject(t, account);
    const soon = await page(later, '/', oldest);
    assert.match(soon.body, /Verlopen binnenkort[\s\S]*?<li[^>]*><a[^>]*>Oudste de Signaal<\/a>: actief tot/);
    // Opened: no longer new.
    await page(later, `/matches/${matchIdIn(start.body)}`, oldest);
    assert.doesNotMatch((await page(later, '/', oldest)).body, /Nieuwe matches/);
  });

  test('no page shows a BSN after it was filed', () => {
    assert.ok(bodies.length > 10);
    for (const { bsn, body } of bodies) assert.ok(!body.includes(bsn), 'a BSN appeared in a page');
  });
});
