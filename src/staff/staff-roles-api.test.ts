/**
 * Staff roles through the API, on both databases: administrators add staff members as
 * administrator and/or escalation officer, and change their roles (audited); an administrator
 * cannot take away their own administrator role; a role change holds from the next request.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp } from '../test-support/fixtures.ts';

describeOnEachDatabase('staff roles API', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  const add = (payload: object, headers: Record<string, string> = t.adminHeaders) =>
    t.app.inject({ method: 'POST', url: '/api/v1/staff-members', headers, payload });
  const patch = (id: string, payload: object, headers: Record<string, string> = t.adminHeaders) =>
    t.app.inject({ method: 'PATCH', url: `/api/v1/staff-members/${id}`, headers, payload });
  const email = () => `medewerker-${randomUUID()}@gemeente.example`;

  test('a new staff member is an administrator unless other roles are given', async () => {
    const plain = await add({ name: 'Beheerder Twee', email: email() });
    assert.equal(plain.statusCode, 201, plain.body);
    assert.deepEqual(plain.json().roles, ['municipality_admin']);
    const officer = await add({ name: 'Functionaris', email: email(), roles: ['escalation_officer'] });
    assert.equal(officer.statusCode, 201, officer.body);
    assert.deepEqual(officer.json().roles, ['escalation_officer']);
    const both = await add({ name: 'Beide', email: email(), roles: ['escalation_officer', 'municipality_admin'] });
    assert.deepEqual(both.json().roles, ['municipality_admin', 'escalation_officer'], 'stored in a fixed order');
    for (const roles of [[], ['superuser'], ['escalation_officer', 'escalation_officer'], 'escalation_officer']) {
      const bad = await add({ name: 'Fout', email: email(), roles });
      assert.equal(bad.statusCode, 422, `${JSON.stringify(roles)}: ${bad.body}`);
      assert.ok(
        bad.json().invalidParams.some((p: { name: string }) => p.name.startsWith('roles')),
        bad.body,
      );
    }
    // An escalation officer is not an administrator.
    const officerHeaders = { authorization: `Bearer ${officer.json().token}` };
    assert.equal((await add({ name: 'Nog een', email: email() }, officerHeaders)).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers: officerHeaders })).statusCode, 403);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/escalations', headers: officerHeaders })).statusCode, 200);
  });

  test('an administrator changes roles, audited; the change holds from the next request', async () => {
    const member = (await add({ name: 'Wisselend', email: email() })).json();
    const headers = { authorization: `Bearer ${member.token}` };
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/escalations', headers })).statusCode, 403);

    const changed = await patch(member.id, { roles: ['escalation_officer', 'municipality_admin'] });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.deepEqual(changed.json(), {
      id: member.id,
      name: 'Wisselend',
      email: member.email,
      roles: ['municipality_admin', 'escalation_officer'],
      active: true,
    });
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/escalations', headers })).statusCode, 200);

    const officerOnly = await patch(member.id, { roles: ['escalation_officer'] });
    assert.equal(officerOnly.statusCode, 200, officerOnly.body);
    assert.equal((await t.app.inject({ method: 'GET', url: '/api/v1/settings', headers })).statusCode, 403, 'no longer an administrator');
    assert.equal((await patch(member.id, { roles: ['municipality_admin'] }, headers)).statusCode, 403, 'an officer cannot change roles');

    const audit = await database()
      .db.selectFrom('audit_events')
      .select(['actor_id', 'resource_id', 'details'])
      .where('event_type', '=', 'staff.roles_changed')
      .where('resource_id', '=', member.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((a) => [a.actor_id, a.details]),
      [
        [t.admin.staffMemberId, { from: 'municipality_admin', to: 'municipality_admin,escalation_officer' }],
        [t.admin.staffMemberId, { from: 'municipality_admin,escalation_officer', to: 'escalation_officer' }],
      ],
    );
  });

  test('an administrator cannot remove their own administrator role; bad requests change nothing', async () => {
    const own = await patch(t.admin.staffMemberId, { roles: ['escalation_officer'] });
    assert.equal(own.statusCode, 409, own.body);
    assert.equal(own.json().code, 'own_admin_role');
    const self = await database().db.selectFrom('staff_members').select('roles').where('id', '=', t.admin.staffMemberId).executeTakeFirstOrThrow();
    assert.deepEqual(self.roles, ['municipality_admin']);
    const adding = await patch(t.admin.staffMemberId, { roles: ['municipality_admin', 'escalation_officer'] });
    assert.equal(adding.statusCode, 200, 'adding a role to oneself is fine');

    assert.equal((await patch(randomUUID(), { roles: ['municipality_admin'] })).statusCode, 404);
    assert.equal((await patch('not-an-id', { roles: ['municipality_admin'] })).statusCode, 400);
    for (const body of [{}, { roles: [] }, { roles: ['root'] }, { roles: ['municipality_admin'], name: 'x' }]) {
      const bad = await patch(t.admin.staffMemberId, body);
      assert.equal(bad.statusCode, 422, `${JSON.stringify(body)}: ${bad.body}`);
    }
    assert.equal((await patch(t.admin.staffMemberId, { roles: ['municipality_admin'] }, {})).statusCode, 401);
    const after = await database().db.selectFrom('staff_members').select('roles').where('id', '=', t.admin.staffMemberId).executeTakeFirstOrThrow();
    assert.deepEqual(after.roles, ['municipality_admin', 'escalation_officer']);
  });
});
