/**
 * A form submitted after the session ended (docs/web.md, "A form after the session ended"), on both
 * databases: the user is told they were signed out and can sign in right there; what they typed is
 * kept (encrypted, without passwords, codes or tokens), nothing is acted on, and after signing in
 * again the same account lands on the same form with its values, once. Another account signing in
 * on that browser never sees them; after KEPT_FORM_MINUTES they are gone. Also: the keep-alive behind
 * "Ingelogd blijven", and signing out after the session ended.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { KEPT_FORM_MINUTES } from '../../accounts/kept-forms.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../../test-support/fixtures.ts';
import { csrfIn, dateBoxes, nextCode, signInByInject, type WebAccount, webAdministrator, webProfessional } from '../../test-support/web.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const SESSION = '__Host-sluis_sessie';
const IDLE = 16 * 60_000;

/** One browser: its cookies (set, replaced and cleared as a browser does) over app.inject. */
function browserOn(t: TestApp) {
  const jar = new Map<string, string>();
  const remember = (setCookie: string | string[] | undefined) => {
    for (const line of [setCookie ?? []].flat()) {
      const [pair, ...attributes] = line.split(';');
      const name = pair!.slice(0, pair!.indexOf('='));
      const value = pair!.slice(pair!.indexOf('=') + 1);
      const cleared = value === '' || attributes.some((a) => /^\s*max-age=0$/i.test(a) || /^\s*expires=.*1970/i.test(a));
      if (cleared) jar.delete(name);
      else jar.set(name, value);
    }
  };
  const cookie = () => [...jar].map(([name, value]) => `${name}=${value}`).join('; ');
  return {
    jar,
    async get(url: string) {
      const response = await t.app.inject({ method: 'GET', url, headers: { cookie: cookie() } });
      remember(response.headers['set-cookie']);
      return response;
    },
    async post(url: string, fields: Record<string, string | string[]>) {
      const body = new URLSearchParams();
      for (const [name, value] of Object.entries(fields)) for (const one of [value].flat()) body.append(name, one);
      const response = await t.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: cookie() }, payload: body.toString() });
      remember(response.headers['set-cookie']);
      return response;
    },
    /** Password and code through the sign-in form on `page` (the signed-out page, or /inloggen); returns the final redirect. */
    async signIn(page: { body: string }, account: WebAccount) {
      const action = /<form method="post" action="(\/inloggen[^"]*)"/.exec(page.body)![1]!.replaceAll('&amp;', '&');
      const password = await this.post(action, { _csrf: csrfIn(page.body), email: account.email, wachtwoord: account.password });
      assert.equal(password.statusCode, 303, 'password accepted');
      const codePage = await this.get(password.headers.location as string);
      const code = await this.post(password.headers.location as string, { _csrf: csrfIn(codePage.body), code: nextCode(t, account) });
      assert.equal(code.statusCode, 303, 'code accepted');
      return code.headers.location as string;
    },
  };
}
type TestBrowser = ReturnType<typeof browserOn>;

/** A browser signed in as `account`. */
async function signedIn(t: TestApp, account: WebAccount): Promise<TestBrowser> {
  const browser = browserOn(t);
  const location = await browser.signIn(await browser.get('/inloggen'), account);
  assert.ok(!location.startsWith('/inloggen'), location);
  return browser;
}

const inputValue = (html: string, id: string) => new RegExp(`id="${id}" name="[^"]+" type="[^"]+" value="([^"]*)"`).exec(html)?.[1];

describeOnEachDatabase('a form submitted after the session ended', (database) => {
  let t: TestApp;
  let administrator: WebAccount;
  before(async () => {
    t = await createTestApp(database());
    administrator = await webAdministrator(t);
  });
  after(async () => t.close());

  const keptRows = (accountId: string) => t.services.db.selectFrom('web_kept_forms').selectAll().where('account_id', '=', accountId).execute();
  const auditOf = (accountId: string) =>
    t.services.db
      .selectFrom('audit_events')
      .select(['event_type', 'details'])
      .where('resource_id', '=', accountId)
      .where('event_type', 'like', 'web.form_%')
      .orderBy('id')
      .execute();

  function signalFields(bsn: string) {
    return {
      bsn,
      voornamen: 'Jan Willem',
      voorvoegsel: 'van',
      achternaam: 'Dijk',
      geboortedatum: '17',
      'geboortedatum-maand': '5',
      'geboortedatum-jaar': '1980',
      geslacht: 'man',
      kenmerk: 'WN-2026-7',
      'toestemming-door': 'persoon',
      ...dateBoxes('toestemming-datum', '2026-03-10'),
    };
  }

  test('a filled signal form: signed out for inactivity, kept encrypted, and after signing in again back on the form, once; then filed', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const browser = await signedIn(t, account);
    const form = await browser.get('/signalen/nieuw');
    assert.match(form.body, /data-sessie-minuten="15"/, 'the page carries the idle timeout for sluis.js');
    const bsn = randomBsn();
    t.clock.advance(IDLE);

    const late = await browser.post('/signalen/nieuw', { _csrf: csrfIn(form.body), ...signalFields(bsn), wachtwoord: 'niet-bewaren', code: '123456' });
    assert.equal(late.statusCode, 401);
    assert.match(late.body, /<h1 class="utrecht-heading-1">U bent uitgelogd<\/h1>/);
    assert.match(late.body, /U heeft 15 minuten niets naar SluiS gestuurd\. Daarom bent u automatisch uitgelogd\./);
    assert.match(late.body, new RegExp(`is ${KEPT_FORM_MINUTES} minuten voor u bewaard`));
    assert.match(late.body, /<form method="post" action="\/inloggen"/, 'signing in again, right there');
    assert.ok(!late.body.includes(bsn), 'the BSN is not on the signed-out page');
    assert.ok(browser.jar.has(SESSION), 'the ended session keeps its cookie, to recognise the form');
    // Nothing was acted on.
    const filed = () => t.services.db.selectFrom('signals').select('id').where('professional_id', '=', organisation.professionalId).execute();
    assert.equal((await filed()).length, 0);
    // Kept encrypted, without the password, the code or the CSRF token; the audit names the page only.
    const [row] = await keptRows(account.accountId);
    assert.ok(row);
    assert.equal(row.page_path, '/signalen/nieuw');
    assert.ok(!Buffer.from(row.fields_ciphertext).toString('latin1').includes(bsn));
    const fields = JSON.parse(t.services.crypto.openText(row.fields_ciphertext, 'web_kept_forms.fields'));
    assert.deepEqual(fields, signalFields(bsn));
    assert.deepEqual(
      (await auditOf(account.accountId)).map((e) => [e.event_type, e.details]),
      [['web.form_kept', { page: '/signalen/nieuw', reason: 'idle' }]],
    );

    // Signing in again on the signed-out page lands on the form, filled in, with a fresh token.
    const landing = await browser.signIn(late, account);
    assert.equal(landing, '/signalen/nieuw');
    const back = await browser.get(landing);
    assert.equal(back.statusCode, 200);
    assert.match(back.body, /U bent weer ingelogd\. Wat u had ingevuld staat weer in het formulier\./);
    assert.equal(inputValue(back.body, 'bsn'), bsn);
    assert.equal(inputValue(back.body, 'voornamen'), 'Jan Willem');
    assert.equal(inputValue(back.body, 'achternaam'), 'Dijk');
    assert.equal(inputValue(back.body, 'kenmerk'), 'WN-2026-7');
    assert.match(back.body, /value="man" checked/);
    assert.notEqual(csrfIn(back.body), csrfIn(form.body));
    assert.equal((await keptRows(account.accountId)).length, 0, 'used once: gone as it is shown');
    assert.equal((await filed()).length, 0, 'still nothing filed');
    // Once: a reload shows the empty form.
    const reload = await browser.get('/signalen/nieuw');
    assert.equal(inputValue(reload.body, 'bsn'), '');
    assert.doesNotMatch(reload.body, /U bent weer ingelogd/);

    // The user submits it themselves: the signal is filed.
    const submitted = await browser.post('/signalen/nieuw', { _csrf: csrfIn(back.body), ...signalFields(bsn) });
    assert.equal(submitted.statusCode, 303);
    assert.match(submitted.headers.location as string, /^\/signalen\/[0-9a-f-]{36}\?nieuw=1$/);
    assert.equal((await filed()).length, 1);
    assert.deepEqual(
      (await auditOf(account.accountId)).map((e) => e.event_type),
      ['web.form_kept', 'web.form_restored'],
    );
  });

  test("a coordinator's form and an administrator's form come back the same way", async () => {
    const organisation = await t.organisation();
    const coordinator = await webProfessional(t, organisation, { coordinator: true });
    const c = await signedIn(t, coordinator);
    const profile = await c.get('/organisatie/profiel');
    t.clock.advance(IDLE);
    const typed = { omschrijving: 'Wij helpen gezinnen met geldzaken.', meldcriteria: 'Bij drie maanden huurachterstand.', telefoon: '010 123 4567' };
    const late = await c.post('/organisatie/profiel', {
      _csrf: csrfIn(profile.body),
      domeinen: ['housing', 'social_support'],
      ...typed,
      email: '',
      website: '',
    });
    assert.equal(late.statusCode, 401);
    assert.equal(await c.signIn(late, coordinator), '/organisatie/profiel');
    const back = await c.get('/organisatie/profiel');
    assert.match(back.body, />Wij helpen gezinnen met geldzaken\.<\/textarea>/);
    assert.match(back.body, />Bij drie maanden huurachterstand\.<\/textarea>/);
    assert.match(back.body, /value="housing" checked/);
    assert.equal(inputValue(back.body, 'telefoon'), '010 123 4567');
    const stored = await t.services.organisations.get(organisation.id);
    assert.notEqual(stored.description, typed.omschrijving, 'the profile was not changed');

    const a = await signedIn(t, administrator);
    const page = await a.get('/beheer/organisaties/nieuw');
    t.clock.advance(IDLE);
    const name = `Buurtzorg ${Date.now()}`;
    const lateAdmin = await a.post('/beheer/organisaties/nieuw', { _csrf: csrfIn(page.body), naam: name, domeinen: 'health_care' });
    assert.equal(lateAdmin.statusCode, 401);
    assert.equal(await a.signIn(lateAdmin, administrator), '/beheer/organisaties/nieuw');
    const backAdmin = await a.get('/beheer/organisaties/nieuw');
    assert.equal(inputValue(backAdmin.body, 'naam'), name);
    assert.match(backAdmin.body, /value="health_care" checked/);
    assert.equal((await t.services.organisations.list({ name })).length, 0, 'no organisation was added');
  });

  test('a form on another page than its action (escalating a match) goes back to that page, with its choice', async () => {
    const bsn = randomBsn();
    const first = await t.organisation();
    const second = await t.organisation();
    const actor = (org: typeof first) => ({
      kind: 'professional' as const,
      professionalId: org.professionalId,
      organisationId: org.id,
      apiClientId: null,
      requestId: 'test',
    });
    await t.services.signals.file(actor(first), adultSignal(bsn));
    const filed = await t.services.signals.file(actor(second), adultSignal(bsn));
    assert.ok(filed.outcome === 'created' && filed.answer.match);
    const page = `/matches/${filed.answer.match.id}/regie/opschalen`;
    const account = await webProfessional(t, second);
    const browser = await signedIn(t, account);
    const form = await browser.get(page);
    assert.match(form.body, new RegExp(`name="_pagina" value="${page}"`));
    t.clock.advance(IDLE);
    const late = await browser.post(`/matches/${filed.answer.match.id}/regie`, {
      _csrf: csrfIn(form.body),
      _pagina: page,
      actie: 'opschalen',
      reden: 'no_contact',
    });
    assert.equal(late.statusCode, 401);
    assert.equal(await browser.signIn(late, account), page);
    const back = await browser.get(page);
    assert.match(back.body, /value="no_contact" checked/);
    const coordination = await t.services.db.selectFrom('coordinations').select('state').where('match_id', '=', filed.answer.match.id).executeTakeFirst();
    assert.notEqual(coordination?.state, 'escalated', 'nothing was escalated');
  });

  test('recognised from another tab too: a page opened after the timeout does not forget the ended session', async () => {
    const browser = await signedIn(t, administrator);
    const form = await browser.get('/beheer/persoon');
    t.clock.advance(IDLE);
    // Another tab opens a page first: sent to sign in, but the cookie of the ended session stays.
    assert.equal((await browser.get('/beheer')).statusCode, 303);
    assert.ok(browser.jar.has(SESSION));
    const bsn = randomBsn();
    const late = await browser.post('/beheer/persoon', { _csrf: csrfIn(form.body), bsn, reden: 'inzageverzoek', zaaknummer: 'Z-2026-1' });
    assert.equal(late.statusCode, 401);
    assert.ok(!late.body.includes(bsn));
    assert.equal(await browser.signIn(late, administrator), '/beheer/persoon');
    const back = await browser.get('/beheer/persoon');
    assert.equal(inputValue(back.body, 'bsn'), bsn, 'the BSN comes back only as the value of its input');
    assert.equal(inputValue(back.body, 'zaaknummer'), 'Z-2026-1');
    const looked = await t.services.db
      .selectFrom('audit_events')
      .select('id')
      .where('event_type', '=', 'person.looked_up')
      .where('actor_id', '=', t.admin.staffMemberId)
      .execute();
    assert.equal(looked.length, 0, 'nobody was looked up');
  });

  test('every kind of form gives its own values back: settings, staff, covenants, a first coordinator, invitations, webhooks, contact, informing', async () => {
    /** Signed in, opens `page`, waits past the timeout, posts `fields` to `action`, signs in again: the page's body afterwards. */
    async function roundTrip(account: WebAccount, page: string, action: string, fields: Record<string, string | string[]>) {
      const browser = await signedIn(t, account);
      const form = await browser.get(page);
      assert.equal(form.statusCode, 200, page);
      t.clock.advance(IDLE);
      const late = await browser.post(action, { _csrf: csrfIn(form.body), ...fields });
      assert.equal(late.statusCode, 401, action);
      assert.equal(await browser.signIn(late, account), page, action);
      const back = await browser.get(page);
      assert.match(back.body, /U bent weer ingelogd/, page);
      return back.body;
    }
    const has = (body: string, name: string, value: string) => assert.match(body, new RegExp(`name="${name}"[^>]*value="${value}"`), `${name}=${value}`);

    has(
      await roundTrip(administrator, '/beheer/instellingen', '/beheer/instellingen', { gemeentenaam: 'Gemeente Teruggezet' }),
      'gemeentenaam',
      'Gemeente Teruggezet',
    );
    has(await roundTrip(administrator, '/beheer/instellingen/regie', '/beheer/instellingen/regie', { 'geen-regisseur': '7' }), 'geen-regisseur', '7');
    has(
      await roundTrip(administrator, '/beheer/medewerkers', '/beheer/medewerkers', {
        naam: 'Petra Teruggezet',
        email: 'petra@gemeente.example',
        rollen: 'escalation_officer',
      }),
      'naam',
      'Petra Teruggezet',
    );
    const member = await t.services.staff.create(t.admin, { name: 'Mo Medewerker', email: `mo-${Date.now()}@gemeente.example` });
    const roles = await roundTrip(administrator, `/beheer/medewerkers/${member.id}`, `/beheer/medewerkers/${member.id}`, {
      rollen: ['municipality_admin', 'escalation_officer'],
    });
    assert.match(roles, /value="escalation_officer" checked/);
    const organisation = await t.organisation();
    const covenant = await roundTrip(
      administrator,
      `/beheer/organisaties/${organisation.id}`,
      `/beheer/organisaties/${organisation.id}/convenant/${organisation.covenantId}/opschorten`,
      {
        reden: 'Teruggezette reden',
      },
    );
    assert.match(covenant, />Teruggezette reden<\/textarea>|value="Teruggezette reden"/);
    const invite = `/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`;
    has(await roundTrip(administrator, invite, invite, { naam: 'Coby Teruggezet', email: 'coby@org.example', telefoon: '010 2' }), 'naam', 'Coby Teruggezet');

    const coordinator = await webProfessional(t, organisation, { coordinator: true });
    has(
      await roundTrip(coordinator, '/organisatie/professionals', '/organisatie/professionals', {
        naam: 'Kees Teruggezet',
        email: 'kees@org.example',
        telefoon: '010 1',
        coordinator: 'nee',
      }),
      'naam',
      'Kees Teruggezet',
    );
    has(
      await roundTrip(coordinator, '/organisatie/koppelingen', '/organisatie/koppelingen/webhooks', { url: 'https://hook.example/teruggezet' }),
      'url',
      'https://hook.example/teruggezet',
    );

    const bsn = randomBsn();
    const other = await t.organisation();
    const actorOf = (org: typeof other) => ({
      kind: 'professional' as const,
      professionalId: org.professionalId,
      organisationId: org.id,
      apiClientId: null,
      requestId: 'test',
    });
    await t.services.signals.file(actorOf(other), adultSignal(bsn));
    const filed = await t.services.signals.file(actorOf(organisation), adultSignal(bsn));
    assert.ok(filed.outcome === 'created' && filed.answer.match);
    const contactPage = `/matches/${filed.answer.match.id}/contact`;
    has(await roundTrip(coordinator, contactPage, contactPage, { datum: '5-3-2026' }), 'datum', '5-3-2026');

    // Recording postponed informing, on the coordinator's own signal on a child.
    const postponed = await t.services.signals.file(actorOf(organisation), {
      person: { bsn: randomBsn(), name: { givenNames: 'Lot', familyName: 'Kok' }, dateOfBirth: '2016-02-01', gender: 'female' },
      legalBasis: { basis: 'informing_postponed', reason: 'not_reachable_yet' },
    });
    assert.equal(postponed.outcome, 'created');
    const informing = `/signalen/${postponed.answer.signal.id}/informeren`;
    const informingBack = await roundTrip(coordinator, informing, informing, { informeren: 'uitgesteld', 'uitstel-reden': 'veiligheid-anderen' });
    assert.match(informingBack, /value="uitgesteld" checked/);
    assert.match(informingBack, /value="veiligheid-anderen" checked/);
  });

  test('a case consultation started from a match comes back with its match and its choices', async () => {
    const [a, b] = [await t.organisation('Wijkteam Noord'), await t.organisation('Jeugdzorg West')];
    const bsn = randomBsn();
    let matchId = '';
    for (const org of [a, b]) {
      const filed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/signals',
        headers: org.headers,
        payload: adultSignal(bsn, t.clock.now().toISOString().slice(0, 10)),
      });
      matchId = filed.json().match?.id ?? matchId;
    }
    const account = await webProfessional(t, a);
    const browser = await signedIn(t, account);
    const form = await browser.get(`/casusoverleggen/nieuw?match=${matchId}`);
    assert.equal(form.statusCode, 200);
    t.clock.advance(IDLE);
    const late = await browser.post('/casusoverleggen/nieuw', {
      _csrf: csrfIn(form.body),
      match: matchId,
      soort: 'op-naam',
      doel: 'Samen afspreken wie wat doet',
      deelnemers: b.professionalId,
    });
    assert.equal(late.statusCode, 401);
    assert.equal(await browser.signIn(late, account), '/casusoverleggen/nieuw');
    const back = await browser.get('/casusoverleggen/nieuw');
    assert.match(back.body, /U bent weer ingelogd/);
    assert.match(back.body, new RegExp(`name="match" value="${matchId}"`));
    assert.match(back.body, /Samen afspreken wie wat doet/);
    assert.match(back.body, new RegExp(`value="${b.professionalId}"[^>]*checked`), 'the chosen participant');
    assert.match(back.body, /id="soort-1"[^>]*value="op-naam"[^>]*checked/);
  });

  test('a form without a page of its own goes back to the page above its action', async () => {
    const organisation = await t.organisation();
    const coordinator = await webProfessional(t, organisation, { coordinator: true });
    const browser = await signedIn(t, coordinator);
    const page = await browser.get('/organisatie/koppelingen');
    t.clock.advance(IDLE);
    const late = await browser.post('/organisatie/koppelingen/sleutels', { _csrf: csrfIn(page.body), naam: 'Cliëntsysteem' });
    assert.equal(late.statusCode, 401);
    assert.equal(await browser.signIn(late, coordinator), '/organisatie/koppelingen');
  });

  test('another account signing in on the same browser never sees it: it is deleted unseen', async () => {
    const organisation = await t.organisation();
    const anna = await webProfessional(t, organisation);
    const other = await t.organisation();
    const bram = await webProfessional(t, other);
    const browser = await signedIn(t, anna);
    const form = await browser.get('/signalen/nieuw');
    t.clock.advance(IDLE);
    const bsn = randomBsn();
    const late = await browser.post('/signalen/nieuw', { _csrf: csrfIn(form.body), ...signalFields(bsn) });
    assert.equal(late.statusCode, 401);
    assert.equal((await keptRows(anna.accountId)).length, 1);

    // Bram signs in on the signed-out page Anna left behind: he lands on his own start page, and the form is empty for him.
    const landing = await browser.signIn(late, bram);
    assert.equal(landing, '/');
    const page = await browser.get('/signalen/nieuw');
    assert.equal(inputValue(page.body, 'bsn'), '');
    assert.ok(!page.body.includes(bsn));
    assert.doesNotMatch(page.body, /U bent weer ingelogd/);
    assert.equal((await keptRows(anna.accountId)).length, 0, 'deleted at his password step');
    assert.deepEqual(
      (await auditOf(anna.accountId)).map((e) => [e.event_type, e.details]),
      [
        ['web.form_kept', { page: '/signalen/nieuw', reason: 'idle' }],
        ['web.form_discarded', { page: '/signalen/nieuw', reason: 'other_account' }],
      ],
    );
    // Anna, signing in again afterwards (here or anywhere), gets an empty form too.
    const annaAgain = await signedIn(t, anna);
    assert.equal(inputValue((await annaAgain.get('/signalen/nieuw')).body, 'bsn'), '');
  });

  test('only in the browser whose session ended, only on its own page, and never after it expired', async () => {
    const organisation = await t.organisation();
    const coordinator = await webProfessional(t, organisation, { coordinator: true });
    const browser = await signedIn(t, coordinator);
    const profile = await browser.get('/organisatie/profiel');
    t.clock.advance(IDLE);
    const late = await browser.post('/organisatie/profiel', {
      _csrf: csrfIn(profile.body),
      domeinen: 'housing',
      omschrijving: 'Alleen voor deze browser.',
      meldcriteria: '',
      telefoon: '',
      email: '',
      website: '',
    });
    assert.equal(late.statusCode, 401);
    // The same person signing in on another device gets nothing.
    const elsewhere = await signedIn(t, coordinator);
    assert.doesNotMatch((await elsewhere.get('/organisatie/profiel')).body, /Alleen voor deze browser/);
    assert.equal((await keptRows(coordinator.accountId)).length, 1);

    // In this browser, after the kept time: nothing to go back to; the sweep removes the row.
    t.clock.advance(KEPT_FORM_MINUTES * 60_000 + 1000);
    const landing = await browser.signIn(late, coordinator);
    assert.equal(landing, '/');
    const page = await browser.get('/organisatie/profiel');
    assert.doesNotMatch(page.body, /Alleen voor deze browser|U bent weer ingelogd/);
    await t.services.jobs.runOnce();
    assert.equal((await keptRows(coordinator.accountId)).length, 0);
  });

  test('restored only to its own page: another page of the same account leaves it for its page', async () => {
    const organisation = await t.organisation();
    const coordinator = await webProfessional(t, organisation, { coordinator: true });
    const browser = await signedIn(t, coordinator);
    const profile = await browser.get('/organisatie/profiel');
    t.clock.advance(IDLE);
    const fields = { _csrf: csrfIn(profile.body), domeinen: 'housing', omschrijving: 'Eigen pagina.', meldcriteria: '', telefoon: '', email: '', website: '' };
    const late = await browser.post('/organisatie/profiel', fields);
    await browser.signIn(late, coordinator);
    assert.doesNotMatch((await browser.get('/signalen/nieuw')).body, /U bent weer ingelogd/);
    assert.equal((await keptRows(coordinator.accountId)).length, 1);
    assert.match((await browser.get('/organisatie/profiel')).body, /Eigen pagina\./);
  });

  test('a form with a CSRF token that is not the ended session’s own is not kept, but the page still says what happened', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const browser = await signedIn(t, account);
    t.clock.advance(IDLE);
    const forged = await browser.post('/signalen/nieuw', { _csrf: 'not-the-sessions-token', ...signalFields(randomBsn()) });
    assert.equal(forged.statusCode, 401);
    assert.match(forged.body, /Uw formulier is niet verstuurd en niet bewaard\./);
    assert.equal((await keptRows(account.accountId)).length, 0);
    // A live session with a wrong token is refused as before, and keeps nothing.
    const live = await signedIn(t, account);
    const refused = await live.post('/signalen/nieuw', { _csrf: 'wrong', ...signalFields(randomBsn()) });
    assert.equal(refused.statusCode, 400);
    assert.equal((await keptRows(account.accountId)).length, 0);
  });

  test('ended everywhere from another device: kept too, and the page says why', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const desk = await signedIn(t, account);
    const form = await desk.get('/signalen/nieuw');
    const phone = await signedIn(t, account);
    const accountPage = await phone.get('/account');
    assert.equal((await phone.post('/account/overal-uitloggen', { _csrf: csrfIn(accountPage.body) })).statusCode, 303);
    const late = await desk.post('/signalen/nieuw', { _csrf: csrfIn(form.body), ...signalFields(randomBsn()) });
    assert.equal(late.statusCode, 401);
    assert.match(late.body, /op een ander apparaat ‘Overal uitloggen’ koos/);
    assert.equal((await keptRows(account.accountId)).length, 1);
    // Signing out on the signed-out page's browser drops it.
    assert.equal((await desk.post('/uitloggen', {})).statusCode, 200);
    assert.equal((await keptRows(account.accountId)).length, 0);
  });

  test('signing out after the session ended just says so; the keep-alive keeps a live session and refuses without one', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const browser = await signedIn(t, account);
    const page = await browser.get('/account');
    t.clock.advance(IDLE);
    const signOut = await browser.post('/uitloggen', { _csrf: csrfIn(page.body) });
    assert.equal(signOut.statusCode, 200);
    assert.match(signOut.body, /U bent uitgelogd/);
    assert.ok(!browser.jar.has(SESSION));

    const session = await signInByInject(t, account);
    t.clock.advance(14 * 60_000);
    assert.equal((await session.post('/sessie/verlengen')).statusCode, 204);
    t.clock.advance(14 * 60_000);
    assert.equal((await session.get('/account')).statusCode, 200, 'still signed in 28 minutes after the page, 14 after the keep-alive');
    const forged = await t.app.inject({ method: 'POST', url: '/sessie/verlengen', headers: { ...FORM, cookie: session.cookie }, payload: '_csrf=wrong' });
    assert.equal(forged.statusCode, 400);
    t.clock.advance(IDLE);
    assert.equal((await session.post('/sessie/verlengen')).statusCode, 401);
    assert.equal((await t.app.inject({ method: 'POST', url: '/sessie/verlengen', headers: FORM, payload: '' })).statusCode, 401);
  });

  test('a page for someone not signed in carries no session timeout', async () => {
    const page = await t.app.inject({ method: 'GET', url: '/inloggen' });
    assert.doesNotMatch(page.body, /data-sessie-minuten/);
  });
});
