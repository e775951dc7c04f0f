/**
 * The first administrator: on a fresh database (no administrator yet) a one-time setup code, valid
 * 24 hours, is exchanged once through POST /api/v1/setup for an administrator and their token.
 * Runs on both databases; each test gets its own fresh database.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Engine } from '../db/database.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { buildApp } from '../server/app.ts';
import { createServices } from '../server/services.ts';
import { createManualClock } from '../shared/clock.ts';
import { createTestDatabase, ENGINES, isPostgresReachable, POSTGRES_MISSING } from '../test-support/databases.ts';
import { TEST_KEYS } from '../test-support/fixtures.ts';

/** A fresh database with services and app, and no administrator. */
async function freshInstallation(engine: Engine) {
  const database = await createTestDatabase(engine);
  const clock = createManualClock('2026-03-10T09:00:00Z');
  const services = createServices({ db: database.db, clock, crypto: createPersonCrypto(TEST_KEYS) });
  const app = await buildApp({ services, rateLimitPerMinute: 1_000_000 });
  return {
    database,
    clock,
    services,
    app,
    setup: (setupCode: string, email = 'eerste.beheerder@gemeente.example') =>
      app.inject({ method: 'POST', url: '/api/v1/setup', payload: { setupCode, name: 'Eerste Beheerder', email } }),
    async close() {
      await app.close();
      await database.drop();
    },
  };
}

for (const engine of ENGINES) {
  describe(`first administrator setup [${engine}]`, async () => {
    if (engine === 'postgres' && !(await isPostgresReachable())) {
      console.warn(`\n!!! ${POSTGRES_MISSING} (setup)\n`);
      describe.skip(POSTGRES_MISSING, () => {});
      return;
    }

    test('a wrong code is refused, the right one creates the administrator once, and then no code is issued any more', async () => {
      const s = await freshInstallation(engine);
      try {
        assert.equal(await s.services.staff.hasAdministrator(), false);
        const code = await s.services.staff.issueSetupCode();
        assert.ok(code, 'a fresh installation issues a setup code');
        assert.match(code, /^[0-9A-F]{4}(-[0-9A-F]{4}){4}$/);

        const wrong = await s.setup('0000-0000-0000-0000-0000');
        assert.equal(wrong.statusCode, 403, wrong.body);
        assert.match(String(wrong.headers['content-type']), /^application\/problem\+json/);
        assert.equal(wrong.json().code, 'setup_code_invalid');
        assert.equal(await s.services.staff.hasAdministrator(), false);

        const right = await s.setup(code);
        assert.equal(right.statusCode, 201, right.body);
        const created = right.json();
        assert.deepEqual(Object.keys(created).sort(), ['email', 'id', 'name', 'roles', 'token']);
        assert.deepEqual([created.name, created.email, created.roles], ['Eerste Beheerder', 'eerste.beheerder@gemeente.example', ['municipality_admin']]);
        assert.ok(!right.body.includes(code), 'the answer does not echo the setup code');

        const settings = await s.app.inject({ method: 'GET', url: '/api/v1/settings', headers: { authorization: `Bearer ${created.token}` } });
        assert.equal(settings.statusCode, 200, settings.body);
        assert.equal(settings.json().regime, 'all_ages');

        const again = await s.setup(code, 'tweede@gemeente.example');
        assert.equal(again.statusCode, 403);
        assert.equal(again.json().code, 'setup_code_invalid');
        assert.equal(await s.services.staff.issueSetupCode(), null, 'once an administrator exists no code is issued');

        const audit = await s.database.db
          .selectFrom('audit_events')
          .select(['event_type', 'actor_type', 'actor_id', 'request_id'])
          .where('event_type', '=', 'setup.admin_created')
          .execute();
        assert.deepEqual(audit, [{ event_type: 'setup.admin_created', actor_type: 'staff', actor_id: created.id, request_id: right.headers['x-request-id'] }]);
        const staff = await s.database.db.selectFrom('staff_members').select('email').execute();
        assert.deepEqual(staff, [{ email: 'eerste.beheerder@gemeente.example' }]);
      } finally {
        await s.close();
      }
    });

    test('the code is not case sensitive about its letters and ignores surrounding spaces', async () => {
      const s = await freshInstallation(engine);
      try {
        const code = (await s.services.staff.issueSetupCode())!;
        const response = await s.setup(` ${code.toLowerCase()} `);
        assert.equal(response.statusCode, 201, response.body);
      } finally {
        await s.close();
      }
    });

    test('an expired code (after 24 hours) is refused; a new code issued at a new start works', async () => {
      const s = await freshInstallation(engine);
      try {
        const code = (await s.services.staff.issueSetupCode())!;
        s.clock.advance(25 * 3_600_000);
        const expired = await s.setup(code);
        assert.equal(expired.statusCode, 403, expired.body);
        assert.equal(expired.json().code, 'setup_code_invalid');
        assert.equal(await s.services.staff.hasAdministrator(), false);

        const fresh = (await s.services.staff.issueSetupCode())!;
        assert.notEqual(fresh, code);
        assert.equal((await s.setup(code)).statusCode, 403, 'a new code replaces the old one');
        assert.equal((await s.setup(fresh)).statusCode, 201);
      } finally {
        await s.close();
      }
    });

    test('a code just before its 24 hours are up still works', async () => {
      const s = await freshInstallation(engine);
      try {
        const code = (await s.services.staff.issueSetupCode())!;
        s.clock.advance(24 * 3_600_000 - 1000);
        assert.equal((await s.setup(code)).statusCode, 201);
      } finally {
        await s.close();
      }
    });

    test('invalid setup input gives 422 and uses up nothing', async () => {
      const s = await freshInstallation(engine);
      try {
        const code = (await s.services.staff.issueSetupCode())!;
        const invalid = await s.app.inject({ method: 'POST', url: '/api/v1/setup', payload: { setupCode: code, name: '', email: 'nope', roles: ['x'] } });
        assert.equal(invalid.statusCode, 422);
        assert.deepEqual(
          invalid
            .json()
            .invalidParams.map((p: { name: string }) => p.name)
            .sort(),
          ['email', 'name', 'roles'],
        );
        assert.ok(!invalid.body.includes(code), 'the problem does not echo the setup code');
        assert.equal((await s.setup(code)).statusCode, 201, 'the code is still valid');
      } finally {
        await s.close();
      }
    });

    test('the setup page creates the first administrator with a password; then it is gone', async () => {
      const s = await freshInstallation(engine);
      try {
        const code = (await s.services.staff.issueSetupCode())!;
        const page = await s.app.inject({ method: 'GET', url: '/inrichten' });
        assert.equal(page.statusCode, 200);
        const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
        const cookie = [page.headers['set-cookie']]
          .flat()
          .map((c) => String(c).split(';')[0])
          .join('; ');
        const post = (fields: Record<string, string>) =>
          s.app.inject({
            method: 'POST',
            url: '/inrichten',
            headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
            payload: new URLSearchParams({ _csrf: csrf, ...fields }).toString(),
          });
        const invalid = await post({ code: '0000-0000-0000-0000-0000', naam: '', email: 'geen-adres', wachtwoord: 'kort' });
        assert.equal(invalid.statusCode, 422);
        for (const id of ['naam', 'email', 'wachtwoord']) assert.match(invalid.body, new RegExp(`href="#${id}"`));
        const wrongCode = await post({
          code: '0000-0000-0000-0000-0000',
          naam: 'Eerste Beheerder',
          email: 'eerste@gemeente.example',
          wachtwoord: 'een heel goed wachtwoord',
        });
        assert.match(wrongCode.body, /onbekend, al gebruikt of verlopen/);
        const done = await post({ code, naam: 'Eerste Beheerder', email: 'eerste@gemeente.example', wachtwoord: 'een heel goed wachtwoord' });
        assert.equal(done.statusCode, 201, done.body);
        const account = await s.services.db.selectFrom('web_accounts').select(['email', 'staff_member_id']).executeTakeFirstOrThrow();
        assert.equal(account.email, 'eerste@gemeente.example');
        assert.equal((await s.app.inject({ method: 'GET', url: '/inrichten' })).statusCode, 404);
      } finally {
        await s.close();
      }
    });
  });
}
