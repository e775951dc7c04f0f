/**
 * Inviting professionals to the web application through the API, on both databases: registering a
 * professional as coordinator, or making one coordinator, invites them by mail at once; the explicit
 * POST /professionals/{id}/web-invitation invites anyone (again, once a link expired). Each refusal
 * (no active covenant, an active or deactivated account, a deactivated professional, an address in
 * use) changes nothing; the operation is refused to record systems, escalation officers and callers
 * without a token. Deactivating a professional through the API ends their web access, as on the
 * coordinator's page.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, rowCounts, type TestApp } from '../test-support/fixtures.ts';
import { createWebAccount, signInByInject, webProfessional } from '../test-support/web.ts';

const LINK = /\/wachtwoord\/instellen\?link=([A-Za-z0-9_-]+)/;

describeOnEachDatabase('inviting professionals to the web application (API)', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  const api = (method: 'GET' | 'POST' | 'PATCH', url: string, payload?: object, headers: Record<string, string> = t.adminHeaders) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) });
  const mailsTo = (email: string) =>
    t.services.db.selectFrom('dev_mailbox').select(['subject', 'text_body']).where('to_address', '=', email).orderBy('id').execute();
  const address = (name: string) => `${name}-${randomUUID().slice(0, 8)}@jeugdzorg.example`;

  async function organisation(options: { covenant?: boolean } = {}) {
    const created = await api('POST', '/organisations', { name: `Jeugdzorg ${randomUUID().slice(0, 8)}`, domains: ['youth_care'] });
    const { id, name } = created.json() as { id: string; name: string };
    if (options.covenant !== false) assert.equal((await api('POST', `/organisations/${id}/covenants`, {})).statusCode, 201);
    return { id, name };
  }

  test('registering a professional as coordinator invites them: an invited web account and a mail with a one-time link', async () => {
    const { id: organisationId, name } = await organisation();
    const email = address('coordinator');
    const response = await api('POST', `/organisations/${organisationId}/professionals`, {
      name: 'Ilse Jansen',
      email,
      phone: '010 765 4321',
      coordinator: true,
    });
    assert.equal(response.statusCode, 201, response.body);
    const body = response.json();
    assert.equal(body.coordinator, true);
    assert.equal(body.webAccount, 'invited');
    assert.equal(body.invitationExpiresAt, new Date(t.clock.now().getTime() + 7 * 24 * 3_600_000).toISOString());
    const [mail, ...more] = await mailsTo(email);
    assert.equal(more.length, 0);
    assert.match(mail!.text_body, LINK);
    assert.match(mail!.text_body, new RegExp(`U bent coördinator van ${name}`));
    const events = await t.services.db
      .selectFrom('audit_events')
      .select(['event_type', 'actor_type', 'organisation_id'])
      .where('organisation_id', '=', organisationId)
      .where('event_type', 'in', ['professional.created', 'web.account_invited'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((e) => [e.event_type, e.actor_type]),
      [
        ['professional.created', 'staff'],
        ['web.account_invited', 'staff'],
      ],
    );
    const listed = await api('GET', `/organisations/${organisationId}/professionals`);
    assert.deepEqual(
      listed.json().items.map((p: { name: string; webAccount: string; coordinator: boolean }) => [p.name, p.webAccount, p.coordinator]),
      [['Ilse Jansen', 'invited', true]],
    );
  });

  test('making a registered professional coordinator invites them once; a plain registration invites nobody', async () => {
    const { id: organisationId } = await organisation();
    const email = address('mila');
    const registered = await api('POST', `/organisations/${organisationId}/professionals`, { name: 'Mila de Wit', email, phone: '010 222 3333' });
    assert.equal(registered.statusCode, 201);
    assert.deepEqual([registered.json().coordinator, registered.json().webAccount, registered.json().invitationExpiresAt], [false, 'none', null]);
    assert.equal((await mailsTo(email)).length, 0);
    const made = await api('PATCH', `/professionals/${registered.json().id}`, { coordinator: true });
    assert.equal(made.statusCode, 200, made.body);
    assert.deepEqual([made.json().coordinator, made.json().webAccount], [true, 'invited']);
    assert.equal((await mailsTo(email)).length, 1);
    const again = await api('PATCH', `/professionals/${registered.json().id}`, { coordinator: true, jobTitle: 'Teamleider' });
    assert.equal(again.statusCode, 200);
    assert.equal((await mailsTo(email)).length, 1, 'already invited: no second mail');
    const notCoordinator = await api('PATCH', `/professionals/${registered.json().id}`, { coordinator: false });
    assert.deepEqual([notCoordinator.json().coordinator, notCoordinator.json().webAccount], [false, 'invited']);
  });

  test('POST /professionals/{id}/web-invitation invites, invites again with a fresh link, and refuses once a password is chosen', async () => {
    const { id: organisationId } = await organisation();
    const email = address('anton');
    const { id } = (await api('POST', `/organisations/${organisationId}/professionals`, { name: 'Anton Bakker', email, phone: '010 999 8888' })).json();
    const first = await api('POST', `/professionals/${id}/web-invitation`);
    assert.equal(first.statusCode, 200, first.body);
    assert.deepEqual([first.json().webAccount, first.json().coordinator], ['invited', false]);
    t.clock.advance(8 * 24 * 3_600_000);
    const listed = (await api('GET', `/organisations/${organisationId}/professionals`)).json().items[0];
    assert.ok(new Date(listed.invitationExpiresAt) < t.clock.now(), 'the list shows the invitation expired');
    const second = await api('POST', `/professionals/${id}/web-invitation`);
    assert.equal(second.statusCode, 200);
    assert.equal(second.json().invitationExpiresAt, new Date(t.clock.now().getTime() + 7 * 24 * 3_600_000).toISOString());
    const mails = await mailsTo(email);
    assert.equal(mails.length, 2);
    assert.match(mails[1]!.text_body, /U bent uitgenodigd als professional van/);
    const accounts = await t.services.db.selectFrom('web_accounts').select('id').where('professional_id', '=', id).execute();
    assert.equal(accounts.length, 1);
    const chosen = await t.services.accounts.setPassword(LINK.exec(mails[1]!.text_body)![1]!, 'een lang wachtwoord voor anton', 'test');
    assert.deepEqual(chosen, { ok: true });
    const refused = await api('POST', `/professionals/${id}/web-invitation`);
    assert.equal(refused.statusCode, 409);
    assert.equal(refused.json().code, 'web_account_active');
    assert.equal((await mailsTo(email)).length, 2);
  });

  test('refusals change nothing: no active covenant, a deactivated professional, an address in use, an unknown professional', async () => {
    const early = await organisation({ covenant: false });
    const before = await rowCounts(t.services.db);
    const noCovenant = await api('POST', `/organisations/${early.id}/professionals`, {
      name: 'Te Vroeg',
      email: address('vroeg'),
      phone: '010 333 4444',
      coordinator: true,
    });
    assert.equal(noCovenant.statusCode, 409);
    assert.equal(noCovenant.json().code, 'covenant_not_active');
    assert.deepEqual({ ...(await rowCounts(t.services.db)), audit_events: 0 }, { ...before, audit_events: 0 });
    const plain = (
      await api('POST', `/organisations/${early.id}/professionals`, { name: 'Wacht Even', email: address('wacht'), phone: '010 333 4444' })
    ).json();
    const made = await api('PATCH', `/professionals/${plain.id}`, { coordinator: true, jobTitle: 'Teamleider' });
    assert.equal(made.statusCode, 409);
    assert.equal(made.json().code, 'covenant_not_active');
    const unchanged = (await api('GET', `/organisations/${early.id}/professionals`)).json().items[0];
    assert.deepEqual([unchanged.coordinator, unchanged.jobTitle, unchanged.webAccount], [false, '', 'none'], 'the whole change was refused');
    assert.equal((await api('POST', `/professionals/${plain.id}/web-invitation`)).json().code, 'covenant_not_active');

    const { id: organisationId } = await organisation();
    const gone = (
      await api('POST', `/organisations/${organisationId}/professionals`, { name: 'Vertrokken', email: address('weg'), phone: '010 333 4444' })
    ).json();
    await api('PATCH', `/professionals/${gone.id}`, { active: false });
    const inactive = await api('POST', `/professionals/${gone.id}/web-invitation`);
    assert.equal(inactive.json().code, 'professional_inactive');

    const staffAccount = await createWebAccount(t, { staffMemberId: t.admin.staffMemberId }, address('beheer'));
    const clash = (
      await api('POST', `/organisations/${organisationId}/professionals`, { name: 'Zelfde Adres', email: staffAccount.email, phone: '010 333 4444' })
    ).json();
    const inUse = await api('POST', `/professionals/${clash.id}/web-invitation`);
    assert.equal(inUse.statusCode, 409);
    assert.equal(inUse.json().code, 'email_in_use');
    const elsewhere = await organisation();
    const registeredInUse = await api('POST', `/organisations/${elsewhere.id}/professionals`, {
      name: 'Ook Zelfde',
      email: staffAccount.email.toUpperCase(),
      phone: '010 333 4444',
      coordinator: true,
    });
    assert.equal(registeredInUse.statusCode, 409);
    assert.equal(registeredInUse.json().code, 'email_in_use');
    assert.equal((await api('GET', `/organisations/${elsewhere.id}/professionals`)).json().items.length, 0, 'nothing registered');
    assert.equal((await api('POST', `/professionals/${randomUUID()}/web-invitation`)).statusCode, 404);
    for (const id of [gone.id, clash.id]) {
      const accounts = await t.services.db.selectFrom('web_accounts').select('id').where('professional_id', '=', id).execute();
      assert.equal(accounts.length, 0);
    }
  });

  test('only an administrator: a record system, an escalation officer and a caller without a token are refused', async () => {
    const recordSystem = await t.organisation();
    const officer = await t.services.staff.create(t.admin, { name: 'Olaf Opschaling', email: address('olaf'), roles: ['escalation_officer'] });
    const { id } = (
      await api('POST', `/organisations/${recordSystem.id}/professionals`, { name: 'Niet Zo', email: address('nietzo'), phone: '010 000 0000' })
    ).json();
    const before = await rowCounts(t.services.db);
    const refusals: [Record<string, string>, number][] = [
      [{ authorization: `Bearer ${recordSystem.token}` }, 403],
      [recordSystem.headers, 403],
      [{ authorization: `Bearer ${officer.token}` }, 403],
      [{}, 401],
    ];
    for (const [headers, status] of refusals) {
      assert.equal((await api('POST', `/professionals/${id}/web-invitation`, undefined, headers)).statusCode, status);
      assert.equal((await api('PATCH', `/professionals/${id}`, { coordinator: true }, headers)).statusCode, status);
    }
    assert.deepEqual({ ...(await rowCounts(t.services.db)), audit_events: 0 }, { ...before, audit_events: 0 });
  });

  test('deactivating a professional through the API ends their web access at once, as the coordinator page does', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const session = await signInByInject(t, account);
    assert.equal((await session.get('/')).statusCode, 200, 'signed in');

    const patched = await api('PATCH', `/professionals/${organisation.professionalId}`, { active: false });
    assert.equal(patched.statusCode, 200, patched.body);
    assert.equal(patched.json().webAccount, 'deactivated');
    const page = await session.get('/');
    assert.equal(page.statusCode, 303, 'the session ended at once');
    assert.match(page.headers.location ?? '', /^\/inloggen/);
    const row = await t.services.db.selectFrom('web_accounts').select('deactivated_at').where('id', '=', account.accountId).executeTakeFirstOrThrow();
    assert.ok(row.deactivated_at, 'the account can no longer sign in');
    const audited = await t.services.db
      .selectFrom('audit_events')
      .select(['event_type', 'actor_type', 'organisation_id'])
      .where('resource_id', '=', account.accountId)
      .where('event_type', '=', 'web.account_deactivated')
      .execute();
    assert.deepEqual(audited, [{ event_type: 'web.account_deactivated', actor_type: 'staff', organisation_id: organisation.id }]);
  });
});
