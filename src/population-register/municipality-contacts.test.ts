/**
 * /api/v1/municipality-contacts on both databases: administrators set, list and remove who hears of
 * moves to a municipality; every change is audited; wrong input is refused; and everyone else —
 * professionals (through their record system), an organisation's coordinator, a record system for its
 * organisation, an escalation officer, no credential at all — is refused and changes nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp } from '../test-support/fixtures.ts';
import { assertAnonymousSentToSignIn, createWebAccount, signInByInject, webAdministrator, webProfessional } from '../test-support/web.ts';

describeOnEachDatabase('who hears of moves to a municipality (administrators)', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  const call = (method: 'GET' | 'PUT' | 'DELETE', url: string, headers: Record<string, string>, payload?: object) =>
    t.app.inject({ method, url: `/api/v1/municipality-contacts${url}`, headers, ...(payload && { payload }) });

  test('an administrator sets an organisation or an e-mail address per municipality code, lists and removes them; each change is audited', async () => {
    const org = await t.organisation();
    const set = await call('PUT', '/0363', t.adminHeaders, { organisationId: org.id });
    assert.equal(set.statusCode, 200, set.body);
    const { updatedAt, ...contact } = set.json() as { updatedAt: string };
    assert.deepEqual(contact, { municipalityCode: '0363', organisationId: org.id, email: null });
    assert.equal(updatedAt, t.clock.now().toISOString());
    const byMail = await call('PUT', '/0344', t.adminHeaders, { email: 'regie@utrecht.example' });
    assert.equal(byMail.statusCode, 200, byMail.body);
    const replaced = await call('PUT', '/0363', t.adminHeaders, { email: 'regie@amsterdam.example' });
    assert.equal(replaced.json().organisationId, null);
    const list = await call('GET', '', t.adminHeaders);
    assert.equal(list.statusCode, 200);
    assert.deepEqual(
      list.json().contacts.map((c: { municipalityCode: string; email: string }) => [c.municipalityCode, c.email]),
      [
        ['0344', 'regie@utrecht.example'],
        ['0363', 'regie@amsterdam.example'],
      ],
    );
    assert.equal((await call('DELETE', '/0344', t.adminHeaders)).statusCode, 204);
    assert.equal((await call('DELETE', '/0344', t.adminHeaders)).statusCode, 404);
    const audited = await database()
      .db.selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'municipality_contacts.changed')
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audited.map((row) => row.details),
      [
        { municipality: '0363', contact: 'organisation', organisation: org.id },
        { municipality: '0344', contact: 'email' },
        { municipality: '0363', contact: 'email' },
        { municipality: '0344', contact: 'none' },
      ],
    );
  });

  test('a wrong code, an unknown organisation, a wrong address or both at once are refused', async () => {
    assert.equal((await call('PUT', '/363', t.adminHeaders, { email: 'a@b.example' })).statusCode, 400, 'a path that is no code');
    assert.equal((await call('PUT', '/0363', t.adminHeaders, { organisationId: randomUUID() })).statusCode, 422);
    assert.equal((await call('PUT', '/0363', t.adminHeaders, { email: 'geen adres' })).statusCode, 422);
    assert.equal((await call('PUT', '/0363', t.adminHeaders, { email: 'a@b.example', organisationId: randomUUID() })).statusCode, 422);
  });

  test('denied to professionals, coordinators, record systems, escalation officers and the anonymous; nothing changes', async () => {
    const org = await t.organisation();
    const coordinator = await t.services.professionals.create(t.admin, org.id, {
      name: 'Coördinator',
      email: `c-${randomUUID()}@example.nl`,
      phone: '010 000 0002',
      coordinator: true,
    });
    const officer = await t.services.staff.create(t.admin, {
      name: 'Functionaris',
      email: `f-${randomUUID()}@gemeente.example`,
      roles: ['escalation_officer'],
    });
    const callers: [string, Record<string, string>, number][] = [
      ['a professional', org.headers, 403],
      ['a coordinator', { authorization: `Bearer ${org.token}`, 'sluis-professional-id': coordinator.id }, 403],
      ['a record system for its organisation', { authorization: `Bearer ${org.token}` }, 403],
      ['an escalation officer', { authorization: `Bearer ${officer.token}` }, 403],
      ['no credential', {}, 401],
    ];
    const before = (await call('GET', '', t.adminHeaders)).json();
    for (const [who, headers, status] of callers) {
      assert.equal((await call('GET', '', headers)).statusCode, status, `${who}: GET`);
      assert.equal((await call('PUT', '/0599', headers, { organisationId: org.id })).statusCode, status, `${who}: PUT`);
      assert.equal((await call('DELETE', '/0363', headers)).statusCode, status, `${who}: DELETE`);
    }
    assert.deepEqual((await call('GET', '', t.adminHeaders)).json(), before);
  });

  test('the page /beheer/verhuizingen: an administrator sets and removes a contact, a wrong form says what is wrong; others are refused', async () => {
    const org = await t.organisation('Wijkteam Groningen');
    const admin = await signInByInject(t, await webAdministrator(t));
    const page = await admin.get('/beheer/verhuizingen');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Verhuizingen naar een andere gemeente/);
    const wrong = await admin.post('/beheer/verhuizingen', { gemeentecode: '14', organisatie: '', email: '' });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /gemeentecode van vier cijfers/);
    assert.match(wrong.body, /Kies een organisatie/);
    const saved = await admin.post('/beheer/verhuizingen', { gemeentecode: '0014', organisatie: org.id, email: '' });
    assert.equal(saved.statusCode, 303);
    const list = await admin.get('/beheer/verhuizingen?klaar=opgeslagen');
    assert.match(list.body, /De coördinatoren van Wijkteam Groningen/);
    assert.equal((await admin.post('/beheer/verhuizingen/verwijderen', { gemeentecode: '0014' })).statusCode, 303);
    assert.equal(
      (await call('GET', '', t.adminHeaders)).json().contacts.some((c: { municipalityCode: string }) => c.municipalityCode === '0014'),
      false,
    );

    const member = await t.services.staff.create(t.admin, {
      name: 'Functionaris',
      email: `staff-${randomUUID()}@gemeente.example`,
      roles: ['escalation_officer'],
    });
    const officer = await signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
    const coordinator = await signInByInject(t, await webProfessional(t, org, { coordinator: true }));
    const professional = await signInByInject(t, await webProfessional(t, org, { professionalId: (await t.colleague(org)).professionalId }));
    for (const session of [officer, coordinator, professional]) {
      assert.equal((await session.get('/beheer/verhuizingen')).statusCode, 403);
      assert.equal((await session.post('/beheer/verhuizingen', { gemeentecode: '0014', organisatie: org.id })).statusCode, 403);
      assert.equal((await session.post('/beheer/verhuizingen/verwijderen', { gemeentecode: '0363' })).statusCode, 403);
    }
    await assertAnonymousSentToSignIn(t, ['/beheer/verhuizingen'], [['/beheer/verhuizingen', { gemeentecode: '0014', organisatie: org.id }]]);
    assert.equal(
      (await call('GET', '', t.adminHeaders)).json().contacts.some((c: { municipalityCode: string }) => c.municipalityCode === '0014'),
      false,
    );
  });
});
