/**
 * Resetting a lost second factor, through the pages on both databases: a coordinator for a colleague
 * of the same organisation, an administrator for a staff member. What a reset does (app and recovery
 * codes gone, sessions ended, audited, a notice mailed, the next sign-in enrols a new app), and every
 * refusal (wrong role 403, another organisation 404 like a random id, oneself 409, no CSRF 400, no
 * app linked 409) with nothing changed.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { newRecoveryCodes, recoveryCodeHash, totpCode } from '../../accounts/credentials.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import {
  assertConfirmation,
  cookiesOf,
  createWebAccount,
  csrfIn,
  signInByInject,
  type WebAccount,
  webAdministrator,
  webProfessional,
} from '../../test-support/web.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const SESSION = '__Host-sluis_sessie';
const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

describeOnEachDatabase('resetting a lost second factor', (database) => {
  let t: TestApp;
  let adminAccount: WebAccount;
  before(async () => {
    t = await createTestApp(database());
    adminAccount = await webAdministrator(t);
    await withRecoveryCodes(adminAccount);
  });
  after(async () => t.close());

  /** Ten recovery codes for an account, as enrolment leaves them. */
  async function withRecoveryCodes(account: WebAccount) {
    await t.services.db
      .insertInto('web_recovery_codes')
      .values(newRecoveryCodes().map((code) => ({ account_id: account.accountId, code_hash: recoveryCodeHash(code), used_at: null })))
      .execute();
    return account;
  }

  /** Everything a reset would change about an account, as one comparable value. */
  async function stateOf(accountId: string) {
    const db = t.services.db;
    const account = await db
      .selectFrom('web_accounts')
      .select(['totp_secret', 'totp_enrolled_at', 'totp_last_step', 'password_hash'])
      .where('id', '=', accountId)
      .executeTakeFirstOrThrow();
    const codes = await db.selectFrom('web_recovery_codes').select('code_hash').where('account_id', '=', accountId).execute();
    const live = await db.selectFrom('web_sessions').select('id_hash').where('account_id', '=', accountId).where('ended_at', 'is', null).execute();
    const resets = await db
      .selectFrom('audit_events')
      .select('id')
      .where('event_type', '=', 'web.second_factor_reset')
      .where('resource_id', '=', accountId)
      .execute();
    const email = (await db.selectFrom('web_accounts').select('email').where('id', '=', accountId).executeTakeFirstOrThrow()).email;
    const mails = await db.selectFrom('dev_mailbox').select('id').where('to_address', '=', email).execute();
    return JSON.stringify({ ...account, codes: codes.length, live: live.length, resets: resets.length, mails: mails.length });
  }

  /** A colleague of the organisation, signed in, with an app and recovery codes. */
  async function signedInColleague(organisation: TestOrganisation) {
    const colleague = await t.colleague(organisation);
    const account = await withRecoveryCodes(await webProfessional(t, organisation, { professionalId: colleague.professionalId }));
    const session = await signInByInject(t, account);
    return { professionalId: colleague.professionalId, account, session };
  }

  /** The password step of signing in: where it leads, and the pending session's cookie. */
  async function passwordStep(account: WebAccount) {
    const page = await t.app.inject({ method: 'GET', url: '/inloggen' });
    const response = await t.app.inject({
      method: 'POST',
      url: '/inloggen',
      headers: { ...FORM, cookie: cookiesOf(page.headers['set-cookie']).join('; ') },
      payload: form({ _csrf: csrfIn(page.body), email: account.email, wachtwoord: account.password }),
    });
    return { location: response.headers.location, cookie: cookiesOf(response.headers['set-cookie']).find((c) => c.startsWith(`${SESSION}=`))! };
  }

  /** Links a new app on the enrolment page; returns the new secret. */
  async function enrolAgain(account: WebAccount): Promise<string> {
    const { location, cookie } = await passwordStep(account);
    assert.equal(location, '/inloggen/koppelen', 'the password leads to enrolment');
    const page = await t.app.inject({ method: 'GET', url: '/inloggen/koppelen', headers: { cookie } });
    assert.match(page.body, /<svg role="img" aria-label="QR-code/);
    const { totp_secret: secret } = await t.services.db
      .selectFrom('web_accounts')
      .select('totp_secret')
      .where('id', '=', account.accountId)
      .executeTakeFirstOrThrow();
    assert.ok(secret && secret !== account.secret, 'a new secret');
    const done = await t.app.inject({
      method: 'POST',
      url: '/inloggen/koppelen',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: csrfIn(page.body), code: totpCode(secret, t.clock.now()) }),
    });
    assert.equal(done.statusCode, 200);
    assert.equal([...done.body.matchAll(/<li><code class="utrecht-code">([a-z0-9-]+)<\/code><\/li>/g)].length, 10, 'ten new recovery codes');
    return secret;
  }

  test('a coordinator resets a colleague’s second factor: app and codes gone, sessions ended, audited, a notice mailed; the next sign-in enrols a new app', async () => {
    const organisation = await t.organisation();
    const coordinator = await signInByInject(t, await webProfessional(t, organisation, { coordinator: true }));
    const colleague = await signedInColleague(organisation);
    const url = `/organisatie/professionals/${colleague.professionalId}/tweede-factor`;

    const list = await coordinator.get('/organisatie/professionals');
    assert.ok(list.body.includes(`href="${url}">Tweede factor opnieuw instellen`), 'offered in the list');
    assert.ok(!list.body.includes(`/organisatie/professionals/${organisation.professionalId}/tweede-factor`), 'not for oneself');
    const confirm = await coordinator.get(url);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Controleer eerst of het echt Collega is/);
    assert.match(confirm.body, /Bel Collega terug/);
    assertConfirmation(confirm.body, url, '/organisatie/professionals');
    assert.equal((await colleague.session.get('/account')).statusCode, 200, 'the confirmation page changes nothing: still signed in');

    const done = await coordinator.post(url);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/organisatie/professionals?tweede-factor=${colleague.professionalId}`);
    const status = await coordinator.get(done.headers.location!);
    assert.match(status.body, /De tweede factor van Collega is opnieuw ingesteld/);
    assert.match(status.body, /koppelt Collega een nieuwe authenticator-app/);
    assert.ok(!status.body.includes(`href="${url}"`), 'no longer offered: nothing to reset until a new app is linked');

    const db = t.services.db;
    const account = await db.selectFrom('web_accounts').selectAll().where('id', '=', colleague.account.accountId).executeTakeFirstOrThrow();
    assert.equal(account.totp_secret, null);
    assert.equal(account.totp_enrolled_at, null);
    assert.equal(account.totp_last_step, null);
    assert.ok(account.password_hash, 'the password stays');
    assert.equal((await db.selectFrom('web_recovery_codes').select('code_hash').where('account_id', '=', account.id).execute()).length, 0);
    const sessions = await db.selectFrom('web_sessions').select(['ended_at', 'end_reason']).where('account_id', '=', account.id).execute();
    assert.ok(sessions.length > 0 && sessions.every((s) => s.ended_at !== null));
    assert.ok(sessions.some((s) => s.end_reason === 'second_factor_reset'));
    const signedOut = await colleague.session.get('/account');
    assert.equal(signedOut.statusCode, 303);
    assert.match(signedOut.headers.location!, /^\/inloggen/);

    const audit = await db
      .selectFrom('audit_events')
      .selectAll()
      .where('event_type', '=', 'web.second_factor_reset')
      .where('resource_id', '=', account.id)
      .execute();
    assert.equal(audit.length, 1);
    assert.equal(audit[0]!.actor_type, 'professional');
    assert.equal(audit[0]!.actor_id, organisation.professionalId);
    assert.equal(audit[0]!.resource_type, 'web_account');
    assert.equal(audit[0]!.organisation_id, organisation.id);

    const mail = await db.selectFrom('dev_mailbox').selectAll().where('to_address', '=', colleague.account.email).executeTakeFirstOrThrow();
    assert.match(mail.subject, /tweede factor/);
    assert.match(mail.text_body, /^Beste Collega,/);
    assert.match(mail.text_body, /De coördinator van uw organisatie heeft de tweede factor/);
    assert.match(mail.text_body, /Uw wachtwoord blijft hetzelfde/);
    assert.match(mail.text_body, /koppelt u een authenticator-app/);
    assert.match(mail.text_body, /Heeft u hier niet om gevraagd\? Neem dan direct contact op met de coördinator van uw organisatie/);
    assert.ok(!/link=|wachtwoord\/instellen/.test(mail.text_body), 'no one-time link');

    // Until the new app is linked there is nothing to reset: said plainly, and refused.
    const notEnrolled = await coordinator.get(url);
    assert.equal(notEnrolled.statusCode, 200);
    assert.match(notEnrolled.body, /Collega heeft nog geen authenticator-app gekoppeld/);
    assert.ok(!notEnrolled.body.includes('Ja, opnieuw instellen'));
    const before = await stateOf(account.id);
    assert.equal((await coordinator.post(url)).statusCode, 409);
    assert.equal(await stateOf(account.id), before);

    // The colleague signs in with the same password, links a new app, and signs in with it.
    const secret = await enrolAgain(colleague.account);
    t.clock.advance(60_000);
    const again = await signInByInject(t, { ...colleague.account, secret });
    assert.equal((await again.get('/account')).statusCode, 200);
  });

  test('refused, with nothing changed: a plain professional and an administrator (403), another organisation (404 like a random id), oneself (409), no CSRF (400)', async () => {
    const organisation = await t.organisation();
    const coordinatorAccount = await withRecoveryCodes(await webProfessional(t, organisation, { coordinator: true }));
    const coordinator = await signInByInject(t, coordinatorAccount);
    const colleague = await signedInColleague(organisation);
    const plain = await signedInColleague(organisation);
    const other = await t.organisation();
    const otherCoordinator = await signInByInject(t, await webProfessional(t, other, { coordinator: true }));
    const admin = await signInByInject(t, adminAccount);
    const url = `/organisatie/professionals/${colleague.professionalId}/tweede-factor`;
    const before = [await stateOf(colleague.account.accountId), await stateOf(coordinatorAccount.accountId)];

    for (const session of [plain.session, admin]) {
      for (const response of [await session.get(url), await session.post(url)]) {
        assert.equal(response.statusCode, 403);
        assert.match(response.body, /Geen toegang/);
      }
    }

    const randomUrl = `/organisatie/professionals/${randomUUID()}/tweede-factor`;
    for (const method of ['get', 'post'] as const) {
      const elsewhere = await otherCoordinator[method](url);
      const random = await otherCoordinator[method](randomUrl);
      const garbage = await otherCoordinator[method]('/organisatie/professionals/not-an-id/tweede-factor');
      assert.equal(elsewhere.statusCode, 404);
      assert.equal(random.statusCode, 404);
      assert.equal(garbage.statusCode, 404);
      assert.equal(elsewhere.body, random.body, `${method}: the same answer as for a random id`);
      assert.ok(!elsewhere.body.includes('Collega'));
    }

    const ownUrl = `/organisatie/professionals/${organisation.professionalId}/tweede-factor`;
    for (const response of [await coordinator.get(ownUrl), await coordinator.post(ownUrl)]) {
      assert.equal(response.statusCode, 409);
      assert.match(response.body, /U kunt uw eigen tweede factor niet zo opnieuw instellen/);
      assert.match(response.body, /herstelcodes/);
    }

    const noCsrf = await t.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: coordinator.cookie }, payload: '' });
    assert.equal(noCsrf.statusCode, 400);
    const forged = await t.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: coordinator.cookie }, payload: form({ _csrf: 'forged' }) });
    assert.equal(forged.statusCode, 400);

    // Through the service: a coordinator may not reset a staff member's factor, an administrator not a professional's.
    const coordinatorActor = {
      kind: 'professional' as const,
      professionalId: organisation.professionalId,
      organisationId: organisation.id,
      apiClientId: null,
      requestId: 'test',
    };
    await assert.rejects(t.services.accounts.resetSecondFactor(coordinatorActor, { staffMemberId: t.admin.staffMemberId }), { status: 403 });
    await assert.rejects(t.services.accounts.resetSecondFactor(t.admin, { professionalId: colleague.professionalId }), { status: 403 });

    assert.deepEqual([await stateOf(colleague.account.accountId), await stateOf(coordinatorAccount.accountId)], before);
    assert.equal((await colleague.session.get('/account')).statusCode, 200, 'the colleague is still signed in');
    const denied = await t.services.db
      .selectFrom('audit_events')
      .select('id')
      .where('event_type', '=', 'auth.denied')
      .where('actor_id', '=', organisation.professionalId)
      .execute();
    assert.equal(denied.length, 1, 'the service audits a refusal for the wrong role');
  });

  test('an invited professional without a password is not offered a reset, and gets a plain answer', async () => {
    const organisation = await t.organisation();
    const coordinator = await signInByInject(t, await webProfessional(t, organisation, { coordinator: true }));
    const colleague = await t.colleague(organisation);
    assert.equal((await coordinator.post(`/organisatie/professionals/${colleague.professionalId}/uitnodigen`)).statusCode, 303);
    const url = `/organisatie/professionals/${colleague.professionalId}/tweede-factor`;
    assert.ok(!(await coordinator.get('/organisatie/professionals')).body.includes(url));
    const page = await coordinator.get(url);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /nog geen authenticator-app gekoppeld/);
    const refused = await coordinator.post(url);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /nog geen authenticator-app gekoppeld/);
    const resets = await t.services.db
      .selectFrom('audit_events')
      .select('id')
      .where('event_type', '=', 'web.second_factor_reset')
      .where('actor_id', '=', organisation.professionalId)
      .execute();
    assert.equal(resets.length, 0);
  });

  test('an administrator resets a staff member’s second factor; an escalation officer, a coordinator and the administrator for themselves are refused', async () => {
    const admin = await signInByInject(t, adminAccount);
    const officerMember = await t.services.staff.create(t.admin, {
      name: 'Olaf Opschaling',
      email: `olaf-${randomUUID()}@gemeente.example`,
      roles: ['escalation_officer'],
    });
    const officerAccount = await withRecoveryCodes(await createWebAccount(t, { staffMemberId: officerMember.id }));
    const officer = await signInByInject(t, officerAccount);
    const organisation = await t.organisation();
    const coordinator = await signInByInject(t, await webProfessional(t, organisation, { coordinator: true }));
    const url = `/beheer/medewerkers/${officerMember.id}/tweede-factor`;
    const ownUrl = `/beheer/medewerkers/${t.admin.staffMemberId}/tweede-factor`;
    const before = [await stateOf(officerAccount.accountId), await stateOf(adminAccount.accountId)];

    for (const session of [officer, coordinator]) {
      for (const target of [url, ownUrl]) {
        for (const response of [await session.get(target), await session.post(target)]) assert.equal(response.statusCode, 403, target);
      }
    }
    assert.ok(!(await admin.get(`/beheer/medewerkers/${t.admin.staffMemberId}`)).body.includes(ownUrl), 'not offered for oneself');
    for (const response of [await admin.get(ownUrl), await admin.post(ownUrl)]) {
      assert.equal(response.statusCode, 409);
      assert.match(response.body, /vraag het dan een andere functioneel beheerder/);
    }
    assert.equal((await admin.get(`/beheer/medewerkers/${randomUUID()}/tweede-factor`)).statusCode, 404);
    assert.equal((await t.app.inject({ method: 'POST', url, headers: { ...FORM, cookie: admin.cookie }, payload: '' })).statusCode, 400);
    assert.deepEqual([await stateOf(officerAccount.accountId), await stateOf(adminAccount.accountId)], before, 'nothing changed');

    const memberPage = await admin.get(`/beheer/medewerkers/${officerMember.id}`);
    assert.ok(memberPage.body.includes(`href="${url}">Tweede factor opnieuw instellen`), 'offered on the staff member’s page');
    const confirm = await admin.get(url);
    assert.equal(confirm.statusCode, 200);
    assert.match(confirm.body, /Controleer eerst of het echt Olaf Opschaling is/);
    assertConfirmation(confirm.body, url, `/beheer/medewerkers/${officerMember.id}`);
    assert.deepEqual([await stateOf(officerAccount.accountId), await stateOf(adminAccount.accountId)], before, 'the confirmation page changes nothing');
    const done = await admin.post(url);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/beheer/medewerkers/${officerMember.id}?klaar=tweede-factor`);
    const status = await admin.get(done.headers.location!);
    assert.match(status.body, /De tweede factor van Olaf Opschaling is opnieuw ingesteld/);
    assert.match(status.body, /Olaf Opschaling heeft nog geen authenticator-app gekoppeld/);

    assert.equal((await officer.get('/account')).statusCode, 303, 'the officer was signed out');
    const account = await t.services.db.selectFrom('web_accounts').selectAll().where('id', '=', officerAccount.accountId).executeTakeFirstOrThrow();
    assert.equal(account.totp_secret, null);
    assert.equal(account.totp_enrolled_at, null);
    assert.equal((await t.services.db.selectFrom('web_recovery_codes').select('code_hash').where('account_id', '=', account.id).execute()).length, 0);
    const audit = await t.services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event_type', '=', 'web.second_factor_reset')
      .where('resource_id', '=', account.id)
      .executeTakeFirstOrThrow();
    assert.equal(audit.actor_type, 'staff');
    assert.equal(audit.actor_id, t.admin.staffMemberId);
    assert.equal(audit.organisation_id, null);
    const mail = await t.services.db.selectFrom('dev_mailbox').selectAll().where('to_address', '=', officerAccount.email).executeTakeFirstOrThrow();
    assert.match(mail.text_body, /Een functioneel beheerder van de gemeente heeft de tweede factor/);
    assert.match(mail.text_body, /contact op met de functioneel beheerder van de gemeente/);
    assert.equal(await stateOf(adminAccount.accountId), before[1], 'the administrator’s own account is untouched');

    await enrolAgain(officerAccount);
  });
});
