/**
 * The coordinator's pages, through app.inject on both databases: every flow (invite, deactivate,
 * transfer signals, profile, API clients, webhooks, failed deliveries), and for every page and form
 * the refusals: anonymous → sign in, a plain professional or an administrator → "Geen toegang", a
 * coordinator of another organisation → "Niet gevonden" with nothing changed.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, showsWord, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import { assertConfirmation, cookiesOf, csrfIn, type InjectSession, signInByInject, webAdministrator, webProfessional } from '../../test-support/web.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeOnEachDatabase('the organisation coordinator’s pages', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(async () => t.close());

  const actorOf = (organisation: TestOrganisation, professionalId: string): ProfessionalActor => ({
    kind: 'professional',
    professionalId,
    organisationId: organisation.id,
    apiClientId: null,
    requestId: 'test',
  });

  /** An organisation with a signed-in coordinator (its first professional) and a colleague. */
  async function organisationWithCoordinator() {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation, { coordinator: true });
    const session = await signInByInject(t, account);
    const colleague = await t.colleague(organisation);
    return { organisation, session, colleague, coordinatorId: organisation.professionalId };
  }

  async function deadDelivery(organisationId: string, professionalId: string) {
    const now = t.clock.now();
    const row = await t.services.db
      .insertInto('deliveries')
      .values({
        outbox_id: 1,
        event_type: 'match.created',
        channel: 'email',
        recipient_key: `email:${professionalId}`,
        organisation_id: organisationId,
        professional_id: professionalId,
        subscription_id: null,
        message: JSON.stringify({}),
        status: 'dead',
        attempts: 8,
        next_attempt_at: now,
        lease_until: null,
        last_error: 'SMTP 550 mailbox unavailable',
        created_at: now,
        delivered_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async function anonymousPost(url: string, fields: Record<string, string> = {}) {
    const page = await t.app.inject({ method: 'GET', url: '/inloggen' });
    const cookie = cookiesOf(page.headers['set-cookie']).join('; ');
    return t.app.inject({
      method: 'POST',
      url,
      headers: { ...FORM, cookie },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body), ...fields }).toString(),
    });
  }

  test('every page and form: anonymous → sign in, a plain professional and an administrator → no access', async () => {
    const { organisation, colleague } = await organisationWithCoordinator();
    const pro = await signInByInject(t, await webProfessional(t, organisation, { professionalId: colleague.professionalId }));
    const admin = await signInByInject(t, await webAdministrator(t));
    const id = colleague.professionalId;
    const pages = [
      '/organisatie',
      '/organisatie/professionals',
      `/organisatie/professionals/${id}/deactiveren`,
      `/organisatie/professionals/${id}/overdragen`,
      '/organisatie/profiel',
      '/organisatie/koppelingen',
      `/organisatie/koppelingen/sleutels/${organisation.apiClientId}/intrekken`,
      `/organisatie/koppelingen/sleutels/${organisation.apiClientId}/vervangen`,
      `/organisatie/koppelingen/sleutels/${organisation.apiClientId}/oud/${id}/intrekken`,
      `/organisatie/koppelingen/webhooks/${id}/verwijderen`,
      '/organisatie/afleveringen',
    ];
    const forms = [
      '/organisatie/professionals',
      `/organisatie/professionals/${id}/uitnodigen`,
      `/organisatie/professionals/${id}/deactiveren`,
      `/organisatie/professionals/${id}/overdragen`,
      '/organisatie/profiel',
      '/organisatie/koppelingen/sleutels',
      `/organisatie/koppelingen/sleutels/${organisation.apiClientId}/intrekken`,
      `/organisatie/koppelingen/sleutels/${organisation.apiClientId}/vervangen`,
      `/organisatie/koppelingen/sleutels/${organisation.apiClientId}/oud/${id}/intrekken`,
      '/organisatie/koppelingen/webhooks',
      `/organisatie/koppelingen/webhooks/${id}/geheim`,
      `/organisatie/koppelingen/webhooks/${id}/verwijderen`,
      '/organisatie/afleveringen/1/opnieuw',
    ];
    for (const url of pages) {
      const anonymous = await t.app.inject({ method: 'GET', url });
      assert.equal(anonymous.statusCode, 303, url);
      assert.match(anonymous.headers.location!, /^\/inloggen/, url);
      for (const session of [pro, admin]) {
        const refused = await session.get(url);
        assert.equal(refused.statusCode, 403, url);
        assert.match(refused.body, /Geen toegang/);
      }
    }
    for (const url of forms) {
      const anonymous = await anonymousPost(url, { naam: 'X', collega: id });
      assert.equal(anonymous.statusCode, 303, url);
      assert.match(anonymous.headers.location!, /^\/inloggen/, url);
      for (const session of [pro, admin]) {
        const refused = await session.post(url, {
          naam: 'Ander systeem',
          collega: id,
          email: 'x@example.nl',
          telefoon: '0101234567',
          coordinator: 'ja',
          domeinen: 'housing',
        });
        assert.equal(refused.statusCode, 403, url);
      }
    }
    // Nothing changed.
    const colleagueRow = await t.services.db.selectFrom('professionals').select(['active']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.equal(colleagueRow.active, true);
    const clients = await t.services.db.selectFrom('api_clients').select(['revoked_at']).where('organisation_id', '=', organisation.id).execute();
    assert.equal(clients.length, 1);
    assert.equal(clients[0]!.revoked_at, null);
    const profile = await t.services.db.selectFrom('organisations').select('domains').where('id', '=', organisation.id).executeTakeFirstOrThrow();
    assert.deepEqual(profile.domains, ['social_support']);
    // A POST without the CSRF token is refused before anything else.
    const noCsrf = await t.app.inject({
      method: 'POST',
      url: '/organisatie/koppelingen/sleutels',
      headers: { ...FORM, cookie: pro.cookie },
      payload: 'naam=x',
    });
    assert.equal(noCsrf.statusCode, 400);
  });

  test('the overview shows counts and links, in Dutch', async () => {
    const { session } = await organisationWithCoordinator();
    const page = await session.get('/organisatie');
    assert.equal(page.statusCode, 200);
    for (const text of ['Professionals', 'Organisatieprofiel', 'Koppelingen', 'Afleveringen', 'href="/organisatie/professionals"'])
      assert.ok(page.body.includes(text), text);
  });

  test('invite a professional: professional and account created, the invitation arrives with a working link', async () => {
    const { organisation, session } = await organisationWithCoordinator();
    const invalid = await session.post('/organisatie/professionals', { naam: '', email: 'geen-adres', telefoon: 'abc', coordinator: 'nee' });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /id="foutmeldingen"/);
    assert.match(invalid.body, /href="#naam">Vul de naam in/);
    assert.match(invalid.body, /href="#email">Vul een geldig e-mailadres in/);
    assert.match(invalid.body, /href="#telefoon">/);
    assert.match(invalid.body, /<title>Fout: /);

    const email = `Nieuw.${Date.now()}@Example.nl`;
    const invited = await session.post('/organisatie/professionals', {
      naam: 'Fatima <b>El Amrani</b>',
      email,
      telefoon: '010 123 4567',
      functie: 'Wijkverpleegkundige',
      coordinator: 'ja',
    });
    assert.equal(invited.statusCode, 303);
    const list = await session.get(invited.headers.location!);
    assert.match(list.body, /is uitgenodigd/);
    assert.ok(list.body.includes('Fatima &lt;b&gt;El Amrani&lt;/b&gt;'), 'names are escaped');
    assert.match(list.body, /Uitgenodigd/);
    const professional = await t.services.db.selectFrom('professionals').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirstOrThrow();
    assert.equal(professional.organisation_id, organisation.id);
    assert.equal(professional.coordinator, true);
    assert.equal(professional.job_title, 'Wijkverpleegkundige');
    const account = await t.services.db.selectFrom('web_accounts').selectAll().where('professional_id', '=', professional.id).executeTakeFirstOrThrow();
    assert.equal(account.password_hash, null);

    const mail = await t.services.db.selectFrom('dev_mailbox').selectAll().where('to_address', '=', email.toLowerCase()).executeTakeFirstOrThrow();
    const link = /https?:\/\/[^\s"<]+\/wachtwoord\/instellen\?link=([A-Za-z0-9_-]+)/.exec(mail.text_body);
    assert.ok(link, 'the mail carries the invitation link');
    const setPage = await t.app.inject({ method: 'GET', url: `/wachtwoord/instellen?link=${link[1]}` });
    assert.equal(setPage.statusCode, 200);
    assert.match(setPage.body, /Welkom bij SluiS/);
    const cookie = cookiesOf(setPage.headers['set-cookie']).join('; ');
    const chosen = await t.app.inject({
      method: 'POST',
      url: '/wachtwoord/instellen',
      headers: { ...FORM, cookie },
      payload: new URLSearchParams({ _csrf: csrfIn(setPage.body), link: link[1]!, wachtwoord: 'een heel lang nieuw wachtwoord' }).toString(),
    });
    assert.equal(chosen.statusCode, 200);
    assert.match(chosen.body, /Wachtwoord opgeslagen/);

    const audit = await t.services.db
      .selectFrom('audit_events')
      .select(['event_type', 'actor_id', 'organisation_id'])
      .where('event_type', '=', 'web.account_invited')
      .where('resource_id', '=', account.id)
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, organisation.professionalId);
    assert.equal(audit.organisation_id, organisation.id);

    // The same address again: refused on the field, nothing new.
    const again = await session.post('/organisatie/professionals', { naam: 'Dubbel', email, telefoon: '010 123 4567', coordinator: 'nee' });
    assert.equal(again.statusCode, 422);
    assert.match(again.body, /href="#email">Uw organisatie heeft al een professional met dit e-mailadres/);
  });

  test('invite a professional who has no account yet (made through the API), and invite again until a password is chosen', async () => {
    const { session, colleague } = await organisationWithCoordinator();
    const email = (await t.services.db.selectFrom('professionals').select('email').where('id', '=', colleague.professionalId).executeTakeFirstOrThrow()).email;
    assert.match((await session.get('/organisatie/professionals')).body, /Uitnodigen<span class="sluis-visually-hidden">/);
    const first = await session.post(`/organisatie/professionals/${colleague.professionalId}/uitnodigen`);
    assert.equal(first.statusCode, 303);
    assert.match((await session.get('/organisatie/professionals')).body, /Opnieuw uitnodigen/);
    const again = await session.post(`/organisatie/professionals/${colleague.professionalId}/uitnodigen`);
    assert.equal(again.statusCode, 303);
    const mails = await t.services.db.selectFrom('dev_mailbox').select('text_body').where('to_address', '=', email).execute();
    assert.equal(mails.length, 2);
    for (const mail of mails) assert.match(mail.text_body, /\/wachtwoord\/instellen\?link=/);
    const accounts = await t.services.db.selectFrom('web_accounts').select('id').where('professional_id', '=', colleague.professionalId).execute();
    assert.equal(accounts.length, 1);
  });

  test('inviting a colleague who already chose a password is refused in Dutch and sends nothing', async () => {
    const { organisation, session, colleague } = await organisationWithCoordinator();
    const account = await webProfessional(t, organisation, { professionalId: colleague.professionalId });
    const refused = await session.post(`/organisatie/professionals/${colleague.professionalId}/uitnodigen`);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Uitnodigen lukt niet/);
    assert.match(refused.body, /heeft al een account met een wachtwoord/);
    assert.equal(await t.services.db.selectFrom('dev_mailbox').select('id').where('to_address', '=', account.email).executeTakeFirst(), undefined);
  });

  test('deactivate a professional after confirming: inactive, account deactivated, their session ended', async () => {
    const { organisation, session, colleague, coordinatorId } = await organisationWithCoordinator();
    const colleagueAccount = await webProfessional(t, organisation, { professionalId: colleague.professionalId });
    const colleagueSession = await signInByInject(t, colleagueAccount);
    assert.equal((await colleagueSession.get('/account')).statusCode, 200);

    const confirm = await session.get(`/organisatie/professionals/${colleague.professionalId}/deactiveren`);
    assert.equal(confirm.statusCode, 200);
    assertConfirmation(confirm.body, `/organisatie/professionals/${colleague.professionalId}/deactiveren`, '/organisatie/professionals');
    assert.match(confirm.body, /kan niet meer inloggen en wordt op alle apparaten direct uitgelogd/);
    const stillActive = await t.services.db.selectFrom('professionals').select('active').where('id', '=', colleague.professionalId).executeTakeFirstOrThrow();
    assert.equal(stillActive.active, true, 'the confirmation page changes nothing');
    assert.equal((await colleagueSession.get('/account')).statusCode, 200);
    const done = await session.post(`/organisatie/professionals/${colleague.professionalId}/deactiveren`);
    assert.equal(done.statusCode, 303);
    assert.match((await session.get(done.headers.location!)).body, /is gedeactiveerd/);

    const row = await t.services.db.selectFrom('professionals').select('active').where('id', '=', colleague.professionalId).executeTakeFirstOrThrow();
    assert.equal(row.active, false);
    const account = await t.services.db
      .selectFrom('web_accounts')
      .select('deactivated_at')
      .where('id', '=', colleagueAccount.accountId)
      .executeTakeFirstOrThrow();
    assert.ok(account.deactivated_at);
    const sessions = await t.services.db
      .selectFrom('web_sessions')
      .select(['ended_at', 'end_reason'])
      .where('account_id', '=', colleagueAccount.accountId)
      .where('stage', '=', 'signed_in')
      .execute();
    assert.ok(sessions.length > 0 && sessions.every((s) => s.end_reason === 'deactivated'));
    const after = await colleagueSession.get('/account');
    assert.equal(after.statusCode, 303);
    assert.match(after.headers.location!, /^\/inloggen/);
    const audit = await t.services.db
      .selectFrom('audit_events')
      .select('event_type')
      .where('resource_id', '=', colleagueAccount.accountId)
      .where('event_type', '=', 'web.account_deactivated')
      .execute();
    assert.equal(audit.length, 1);

    // Not twice, and not yourself.
    assert.equal((await session.post(`/organisatie/professionals/${colleague.professionalId}/deactiveren`)).statusCode, 404);
    assert.equal((await session.get(`/organisatie/professionals/${coordinatorId}/deactiveren`)).statusCode, 409);
    const self = await session.post(`/organisatie/professionals/${coordinatorId}/deactiveren`);
    assert.equal(self.statusCode, 409);
    assert.match(self.body, /U kunt uzelf niet deactiveren/);
    assert.equal((await session.get('/organisatie')).statusCode, 200);
  });

  test('transfer all active signals to a colleague: dates kept, matches keep working, a duplicate is ended instead', async () => {
    const { organisation, session, colleague } = await organisationWithCoordinator();
    const leaving = await t.colleague(organisation);
    const other = await t.organisation();
    const leavingActor = actorOf(organisation, leaving.professionalId);
    const colleagueActor = actorOf(organisation, colleague.professionalId);
    const [shared, matched, alone, ended] = [randomBsn(), randomBsn(), randomBsn(), randomBsn()];
    await t.services.signals.file(leavingActor, adultSignal(shared));
    t.clock.advance(60_000);
    await t.services.signals.file(colleagueActor, adultSignal(shared));
    await t.services.signals.file(leavingActor, adultSignal(matched));
    await t.services.signals.file(actorOf(other, other.professionalId), adultSignal(matched));
    await t.services.signals.file(leavingActor, adultSignal(alone));
    const endedSignal = await t.services.signals.file(leavingActor, adultSignal(ended));
    assert.equal(endedSignal.outcome, 'created');
    if (endedSignal.outcome === 'created') await t.services.signals.end(leavingActor, endedSignal.answer.signal.id, 'care_ended');
    const before = await t.services.db
      .selectFrom('signals')
      .select(['id', 'filed_at', 'active_until', 'status', 'person_key'])
      .where('professional_id', '=', leaving.professionalId)
      .execute();
    assert.equal(before.filter((s) => s.status === 'active').length, 3);
    const openMatches = await t.services.db.selectFrom('matches').select(['id']).where('status', '=', 'open').execute();

    const page = await session.get(`/organisatie/professionals/${leaving.professionalId}/overdragen`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Actieve signalen/);
    assert.ok(page.body.includes(`value="${colleague.professionalId}"`));
    assert.ok(!page.body.includes(`<option value="${leaving.professionalId}"`), 'not to themselves');
    const none = await session.post(`/organisatie/professionals/${leaving.professionalId}/overdragen`, { collega: '' });
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /href="#collega">Kies de collega/);

    const done = await session.post(`/organisatie/professionals/${leaving.professionalId}/overdragen`, { collega: colleague.professionalId });
    assert.equal(done.statusCode, 200);
    assert.match(done.body, /2 signalen zijn overgedragen/);
    assert.match(done.body, /Eén signaal is beëindigd in plaats van overgedragen/);
    for (const forbiddenText of [shared, matched, alone, 'Boer', 'Coolsingel', '1980'])
      assert.ok(!showsWord(done.body, forbiddenText) && !showsWord(page.body, forbiddenText), forbiddenText);

    const afterRows = await t.services.db
      .selectFrom('signals')
      .select(['id', 'filed_at', 'active_until', 'status', 'professional_id', 'end_reason'])
      .where(
        'id',
        'in',
        before.map((s) => s.id),
      )
      .execute();
    const byId = new Map(afterRows.map((r) => [r.id, r]));
    const sharedKey = before.find((s) => s.status === 'active' && afterRows.find((r) => r.id === s.id)!.status === 'ended')!.person_key;
    for (const signal of before) {
      const now = byId.get(signal.id)!;
      assert.equal(now.filed_at.getTime(), signal.filed_at.getTime());
      assert.equal(now.active_until.getTime(), signal.active_until.getTime());
      if (signal.status !== 'active') assert.equal(now.professional_id, leaving.professionalId);
    }
    assert.equal(afterRows.filter((r) => r.status === 'active' && r.professional_id === colleague.professionalId).length, 2);
    assert.equal(afterRows.filter((r) => r.professional_id === leaving.professionalId && r.status === 'active').length, 0);
    // The colleague's own signal on the shared person is still active, and there is one active signal per person.
    const colleagueShared = await t.services.db
      .selectFrom('signals')
      .select('status')
      .where('professional_id', '=', colleague.professionalId)
      .where('person_key', '=', sharedKey)
      .execute();
    assert.deepEqual(
      colleagueShared.map((s) => s.status),
      ['active'],
    );

    // The match with the other organisation is still open, and the colleague is in it.
    const stillOpen = await t.services.db
      .selectFrom('matches')
      .select('id')
      .where('status', '=', 'open')
      .where(
        'id',
        'in',
        openMatches.map((m) => m.id),
      )
      .execute();
    assert.equal(stillOpen.length, openMatches.length);
    const colleagueMatches = await t.services.matches.list(colleagueActor, { limit: 10 });
    assert.ok(colleagueMatches.items.length >= 1);
    // A new signal on the matched person joins the match the colleague is in.
    const another = await t.organisation();
    const joined = await t.services.signals.file(actorOf(another, another.professionalId), adultSignal(matched));
    assert.equal(joined.outcome, 'created');

    const audit = await t.services.db
      .selectFrom('audit_events')
      .select(['details', 'actor_id', 'organisation_id'])
      .where('event_type', '=', 'web.signals_transferred')
      .where('resource_id', '=', leaving.professionalId)
      .executeTakeFirstOrThrow();
    const details = (typeof audit.details === 'string' ? JSON.parse(audit.details) : audit.details) as Record<string, unknown>;
    assert.deepEqual({ moved: details.moved, ended: details.ended, to: details.to }, { moved: 2, ended: 1, to: colleague.professionalId });
    assert.equal(audit.actor_id, organisation.professionalId);

    // Nothing left to transfer; not to an inactive or unknown colleague.
    assert.match((await session.get(`/organisatie/professionals/${leaving.professionalId}/overdragen`)).body, /geen actieve signalen/);
    assert.equal((await session.post(`/organisatie/professionals/${colleague.professionalId}/overdragen`, { collega: other.professionalId })).statusCode, 422);
  });

  test('edit the organisation profile', async () => {
    const { organisation, session } = await organisationWithCoordinator();
    const page = await session.get('/organisatie/profiel');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Meldcriteria/);
    const invalid = await session.post('/organisatie/profiel', { omschrijving: 'x', website: 'javascript:alert(1)', email: 'nee', telefoon: 'abc' });
    assert.equal(invalid.statusCode, 422);
    for (const id of ['domeinen', 'website', 'telefoon', 'email']) assert.match(invalid.body, new RegExp(`href="#${id}"`));
    const saved = await session.post('/organisatie/profiel', {
      domeinen: ['housing', 'welfare'],
      omschrijving: 'Wij helpen huurders met betalingsachterstanden.',
      meldcriteria: 'Bij twee maanden huurachterstand.',
      website: 'https://woonstad.example',
      telefoon: '010 440 8800',
      email: 'Info@Woonstad.example',
    });
    assert.equal(saved.statusCode, 303);
    assert.match((await session.get(saved.headers.location!)).body, /Het profiel is opgeslagen/);
    const row = await t.services.db.selectFrom('organisations').selectAll().where('id', '=', organisation.id).executeTakeFirstOrThrow();
    assert.deepEqual([...row.domains].sort(), ['housing', 'welfare']);
    assert.equal(row.signalling_criteria, 'Bij twee maanden huurachterstand.');
    assert.equal(row.website, 'https://woonstad.example');
    assert.equal(row.email, 'info@woonstad.example');
    const audit = await t.services.db
      .selectFrom('audit_events')
      .select('actor_id')
      .where('event_type', '=', 'organisation.updated')
      .where('resource_id', '=', organisation.id)
      .where('actor_type', '=', 'professional')
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_id, organisation.professionalId);
  });

  test('API clients: the token is shown once and works; revoking stops it. Webhooks: create, rotate the secret, delete', async () => {
    const { organisation, session } = await organisationWithCoordinator();
    const empty = await session.post('/organisatie/koppelingen/sleutels', { naam: '' });
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /href="#sleutel-naam"/);
    const created = await session.post('/organisatie/koppelingen/sleutels', { naam: 'Cliëntsysteem Zorgdossier' });
    assert.equal(created.statusCode, 200);
    assert.equal(created.headers['cache-control'], 'no-store');
    const token = /id="geheim" type="text" readonly value="([^"]+)"/.exec(created.body)?.[1];
    assert.ok(token);
    const api = await t.app.inject({ method: 'GET', url: '/api/v1/webhook-subscriptions', headers: { authorization: `Bearer ${token}` } });
    assert.equal(api.statusCode, 200);
    const list = await session.get('/organisatie/koppelingen');
    assert.ok(list.body.includes('Cliëntsysteem Zorgdossier'));
    assert.ok(!list.body.includes(token), 'the token is never shown again');
    const client = await t.services.db
      .selectFrom('api_clients')
      .select('id')
      .where('organisation_id', '=', organisation.id)
      .where('name', '=', 'Cliëntsysteem Zorgdossier')
      .executeTakeFirstOrThrow();

    // A webhook.
    const badHook = await session.post('/organisatie/koppelingen/webhooks', { url: 'ftp://x', client: client.id });
    assert.equal(badHook.statusCode, 422);
    assert.match(badHook.body, /href="#webhook-url"/);
    assert.match(badHook.body, /href="#webhook-gebeurtenissen"/);
    const hook = await session.post('/organisatie/koppelingen/webhooks', {
      url: 'https://zorgdossier.example/sluis',
      client: client.id,
      gebeurtenissen: ['match.created', 'signal.ended'],
    });
    assert.equal(hook.statusCode, 200);
    const secret = /id="geheim" type="text" readonly value="([^"]+)"/.exec(hook.body)?.[1];
    assert.match(secret ?? '', /^whsec_/);
    const subscription = await t.services.db
      .selectFrom('webhook_subscriptions')
      .selectAll()
      .where('organisation_id', '=', organisation.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(subscription.event_types, ['match.created', 'signal.ended']);
    assert.equal(subscription.secret, secret);
    const withHook = await session.get('/organisatie/koppelingen');
    assert.ok(withHook.body.includes('https://zorgdossier.example/sluis'));
    assert.ok(!withHook.body.includes(secret!));
    const rotated = await session.post(`/organisatie/koppelingen/webhooks/${subscription.id}/geheim`);
    assert.equal(rotated.statusCode, 200);
    const newSecret = /id="geheim" type="text" readonly value="([^"]+)"/.exec(rotated.body)?.[1];
    assert.ok(newSecret && newSecret !== secret);
    const afterRotation = await t.services.db
      .selectFrom('webhook_subscriptions')
      .select(['secret', 'previous_secret'])
      .where('id', '=', subscription.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual([afterRotation.secret, afterRotation.previous_secret], [newSecret, secret]);
    // Removing a webhook and revoking a key cannot be undone: the list links to a confirmation page, which changes nothing.
    assert.ok(withHook.body.includes(`href="/organisatie/koppelingen/webhooks/${subscription.id}/verwijderen"`));
    const confirmRemoval = await session.get(`/organisatie/koppelingen/webhooks/${subscription.id}/verwijderen`);
    assert.equal(confirmRemoval.statusCode, 200);
    assertConfirmation(confirmRemoval.body, `/organisatie/koppelingen/webhooks/${subscription.id}/verwijderen`, '/organisatie/koppelingen');
    assert.ok(confirmRemoval.body.includes('https://zorgdossier.example/sluis'));
    assert.equal(
      (await t.services.db.selectFrom('webhook_subscriptions').select('active').where('id', '=', subscription.id).executeTakeFirstOrThrow()).active,
      true,
    );
    const removed = await session.post(`/organisatie/koppelingen/webhooks/${subscription.id}/verwijderen`);
    assert.equal(removed.statusCode, 303);
    assert.match((await session.get(removed.headers.location!)).body, /De webhook is verwijderd/);
    assert.equal(
      (await t.services.db.selectFrom('webhook_subscriptions').select('active').where('id', '=', subscription.id).executeTakeFirstOrThrow()).active,
      false,
    );

    assert.equal((await session.get(`/organisatie/koppelingen/webhooks/${subscription.id}/verwijderen`)).statusCode, 404, 'removed: nothing to confirm');

    // Revoke the client: first the confirmation, which changes nothing; then the POST.
    assert.ok((await session.get('/organisatie/koppelingen')).body.includes(`href="/organisatie/koppelingen/sleutels/${client.id}/intrekken"`));
    const confirmRevoke = await session.get(`/organisatie/koppelingen/sleutels/${client.id}/intrekken`);
    assert.equal(confirmRevoke.statusCode, 200);
    assertConfirmation(confirmRevoke.body, `/organisatie/koppelingen/sleutels/${client.id}/intrekken`, '/organisatie/koppelingen');
    assert.match(confirmRevoke.body, /Weet u zeker dat u de API-sleutel Cliëntsysteem Zorgdossier \(/);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/webhook-subscriptions', headers: { authorization: `Bearer ${token}` } })).statusCode, 200);
    const revoked = await session.post(`/organisatie/koppelingen/sleutels/${client.id}/intrekken`);
    assert.equal(revoked.statusCode, 303);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/webhook-subscriptions', headers: { authorization: `Bearer ${token}` } })).statusCode, 401);
    assert.equal((await session.post(`/organisatie/koppelingen/sleutels/${client.id}/intrekken`)).statusCode, 404);
    const already = await session.get(`/organisatie/koppelingen/sleutels/${client.id}/intrekken`);
    assert.equal(already.statusCode, 200);
    assert.match(already.body, /Deze API-sleutel is al ingetrokken/);
    assert.doesNotMatch(already.body, /<form method="post" action="\/organisatie\/koppelingen\/sleutels/, 'no button for what is done already');
    const events = await t.services.db
      .selectFrom('audit_events')
      .select('event_type')
      .where('actor_id', '=', organisation.professionalId)
      .where('event_type', 'in', ['api_client.created', 'api_client.revoked', 'webhook.subscribed', 'webhook.secret_rotated', 'webhook.unsubscribed'])
      .execute();
    assert.equal(events.length, 5);
  });

  test('API clients: replacing a key shows the new one once; both work through the overlap; the old one can be revoked early', async () => {
    const { organisation, session } = await organisationWithCoordinator();
    const url = `/organisatie/koppelingen/sleutels/${organisation.apiClientId}/vervangen`;
    const works = async (token: string) =>
      (await t.app.inject({ method: 'GET', url: '/api/v1/webhook-subscriptions', headers: { authorization: `Bearer ${token}` } })).statusCode;
    assert.ok((await session.get('/organisatie/koppelingen')).body.includes(`href="${url}"`));
    const confirm = await session.get(url);
    assert.equal(confirm.statusCode, 200);
    assertConfirmation(confirm.body, url, '/organisatie/koppelingen');
    assert.match(confirm.body, /name="dagen"[^>]*value="7"/);
    for (const dagen of ['', '31', '-1', 'zeven']) {
      const invalid = await session.post(url, { dagen });
      assert.equal(invalid.statusCode, 422, dagen);
      assert.match(invalid.body, /href="#sleutel-dagen"/);
    }
    assert.equal((await t.services.apiClients.list(organisation.id))[0]!.tokens.length, 1, 'nothing issued yet');

    const issued = await session.post(url, { dagen: '3' });
    assert.equal(issued.statusCode, 200);
    assert.equal(issued.headers['cache-control'], 'no-store');
    const token = /id="geheim" type="text" readonly value="([^"]+)"/.exec(issued.body)?.[1];
    assert.ok(token);
    assert.match(issued.body, /werkt nog tot/);
    assert.deepEqual([await works(token), await works(organisation.token)], [200, 200], 'both work in the overlap');

    const list = await session.get('/organisatie/koppelingen');
    assert.ok(!list.body.includes(token.split('.')[1]!) && !list.body.includes(organisation.token.split('.')[1]!), 'no secret on the page');
    assert.ok(list.body.includes(token.split('.')[0]!) && list.body.includes(organisation.token.split('.')[0]!), 'both key ids are listed');
    assert.ok(!list.body.includes(`href="${url}"`), 'no third key while two are live');
    const refused = await session.post(url, { dagen: '7' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /al twee geldige sleutels/);

    const oldId = (await t.services.apiClients.list(organisation.id))[0]!.tokens[1]!.id;
    const revokeUrl = `/organisatie/koppelingen/sleutels/${organisation.apiClientId}/oud/${oldId}/intrekken`;
    assert.ok(list.body.includes(`href="${revokeUrl}"`));
    assertConfirmation((await session.get(revokeUrl)).body, revokeUrl, '/organisatie/koppelingen');
    const revoked = await session.post(revokeUrl);
    assert.equal(revoked.statusCode, 303);
    assert.deepEqual([await works(token), await works(organisation.token)], [200, 401]);
    assert.equal((await session.post(revokeUrl)).statusCode, 404, 'revoked already');
    const newest = (await t.services.apiClients.list(organisation.id))[0]!.tokens[0]!.id;
    assert.equal(
      (await session.get(`/organisatie/koppelingen/sleutels/${organisation.apiClientId}/oud/${newest}/intrekken`)).statusCode,
      404,
      'not the newest',
    );
    assert.equal((await session.post(`/organisatie/koppelingen/sleutels/${organisation.apiClientId}/oud/${newest}/intrekken`)).statusCode, 404);
    const events = await t.services.db
      .selectFrom('audit_events')
      .select('event_type')
      .where('actor_id', '=', organisation.professionalId)
      .where('event_type', 'in', ['api_client.token_issued', 'api_client.token_revoked'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((e) => e.event_type),
      ['api_client.token_issued', 'api_client.token_revoked'],
    );
  });

  test('failed deliveries: listed without message content, a dead letter is offered again', async () => {
    const { organisation, session, colleague } = await organisationWithCoordinator();
    const empty = await session.get('/organisatie/afleveringen');
    assert.equal(empty.statusCode, 200);
    assert.match(empty.body, /Alle berichten zijn afgeleverd/);
    const id = await deadDelivery(organisation.id, colleague.professionalId);
    const page = await session.get('/organisatie/afleveringen');
    assert.match(page.body, /Opgegeven/);
    assert.match(page.body, /SMTP 550/);
    assert.match(page.body, /Nieuwe match/);
    const retried = await session.post(`/organisatie/afleveringen/${id}/opnieuw`);
    assert.equal(retried.statusCode, 303);
    assert.match((await session.get(retried.headers.location!)).body, /opnieuw aangeboden/);
    const row = await t.services.db.selectFrom('deliveries').select(['status', 'attempts']).where('id', '=', id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { status: 'pending', attempts: 0 });
    const again = await session.post(`/organisatie/afleveringen/${id}/opnieuw`);
    assert.equal(again.statusCode, 409);
    assert.equal((await session.post('/organisatie/afleveringen/abc/opnieuw')).statusCode, 404);
  });

  test('a coordinator of another organisation cannot touch this organisation’s professionals, clients, webhooks or deliveries', async () => {
    const mine = await organisationWithCoordinator();
    const theirs = await organisationWithCoordinator();
    const intruder: InjectSession = theirs.session;
    const target = mine.colleague.professionalId;
    await t.services.signals.file(actorOf(mine.organisation, target), adultSignal());
    const hook = await t.services.webhooks.subscribe(
      { kind: 'record_system', organisationId: mine.organisation.id, apiClientId: mine.organisation.apiClientId, requestId: 't' },
      { url: 'https://mine.example/hook', eventTypes: ['match.created'] },
    );
    const delivery = await deadDelivery(mine.organisation.id, target);
    const replaced = await t.services.apiClients.issueToken(t.admin, mine.organisation.apiClientId, 7);
    const oldToken = replaced.tokens[1]!.id;

    const refusals: Array<Promise<{ statusCode: number; body: string }>> = [
      intruder.get(`/organisatie/professionals/${target}/deactiveren`),
      intruder.post(`/organisatie/professionals/${target}/deactiveren`),
      intruder.post(`/organisatie/professionals/${target}/uitnodigen`),
      intruder.get(`/organisatie/professionals/${target}/overdragen`),
      intruder.post(`/organisatie/professionals/${target}/overdragen`, { collega: theirs.colleague.professionalId }),
      intruder.get(`/organisatie/koppelingen/sleutels/${mine.organisation.apiClientId}/intrekken`),
      intruder.post(`/organisatie/koppelingen/sleutels/${mine.organisation.apiClientId}/intrekken`),
      intruder.get(`/organisatie/koppelingen/sleutels/${mine.organisation.apiClientId}/vervangen`),
      intruder.post(`/organisatie/koppelingen/sleutels/${mine.organisation.apiClientId}/vervangen`, { dagen: '7' }),
      intruder.get(`/organisatie/koppelingen/sleutels/${mine.organisation.apiClientId}/oud/${oldToken}/intrekken`),
      intruder.post(`/organisatie/koppelingen/sleutels/${mine.organisation.apiClientId}/oud/${oldToken}/intrekken`),
      intruder.post(`/organisatie/koppelingen/webhooks/${hook.id}/geheim`),
      intruder.get(`/organisatie/koppelingen/webhooks/${hook.id}/verwijderen`),
      intruder.post(`/organisatie/koppelingen/webhooks/${hook.id}/verwijderen`),
      intruder.get('/organisatie/koppelingen/sleutels/not-a-uuid/intrekken'),
      intruder.post(`/organisatie/afleveringen/${delivery}/opnieuw`),
      intruder.get('/organisatie/professionals/not-a-uuid/overdragen'),
    ];
    for (const response of await Promise.all(refusals)) {
      assert.equal(response.statusCode, 404);
      assert.match(response.body, /Niet gevonden/);
    }
    // Transferring one's own professional's signals to another organisation's professional is refused too.
    await t.services.signals.file(actorOf(theirs.organisation, theirs.colleague.professionalId), adultSignal());
    const crossTransfer = await intruder.post(`/organisatie/professionals/${theirs.colleague.professionalId}/overdragen`, { collega: target });
    assert.equal(crossTransfer.statusCode, 422);
    // A webhook for another organisation's API client is refused.
    const crossHook = await intruder.post('/organisatie/koppelingen/webhooks', {
      url: 'https://evil.example',
      client: mine.organisation.apiClientId,
      gebeurtenissen: 'match.created',
    });
    assert.equal(crossHook.statusCode, 422);

    assert.equal((await t.services.apiClients.list(mine.organisation.id))[0]!.tokens.length, 2, 'both tokens still live');

    // The lists show only their own organisation.
    const list = await intruder.get('/organisatie/professionals');
    assert.ok(!list.body.includes(target));
    assert.ok(!list.body.includes(mine.organisation.name));
    const connections = await intruder.get('/organisatie/koppelingen');
    assert.ok(!connections.body.includes('https://mine.example/hook'));
    const deliveries = await intruder.get('/organisatie/afleveringen');
    assert.ok(!deliveries.body.includes(`/organisatie/afleveringen/${delivery}/opnieuw`));

    // Nothing changed.
    const db = t.services.db;
    assert.equal((await db.selectFrom('professionals').select('active').where('id', '=', target).executeTakeFirstOrThrow()).active, true);
    assert.equal((await db.selectFrom('signals').select('professional_id').where('professional_id', '=', target).execute()).length, 1);
    assert.equal(
      (await db.selectFrom('api_clients').select('revoked_at').where('id', '=', mine.organisation.apiClientId).executeTakeFirstOrThrow()).revoked_at,
      null,
    );
    const hookRow = await db.selectFrom('webhook_subscriptions').select(['active', 'previous_secret']).where('id', '=', hook.id).executeTakeFirstOrThrow();
    assert.deepEqual(hookRow, { active: true, previous_secret: null });
    assert.equal((await db.selectFrom('deliveries').select('status').where('id', '=', delivery).executeTakeFirstOrThrow()).status, 'dead');
    assert.equal((await db.selectFrom('webhook_subscriptions').select('id').where('organisation_id', '=', mine.organisation.id).execute()).length, 1);
  });

  test('a coordinator who loses the role is refused at once', async () => {
    const { organisation, session } = await organisationWithCoordinator();
    await t.services.db.updateTable('professionals').set({ coordinator: false }).where('id', '=', organisation.professionalId).execute();
    assert.equal((await session.get('/organisatie/professionals')).statusCode, 403);
    assert.equal((await session.post('/organisatie/koppelingen/sleutels', { naam: 'x' })).statusCode, 403);
  });
});
