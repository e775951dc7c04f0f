import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { totpCode } from '../../accounts/credentials.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, type TestApp } from '../../test-support/fixtures.ts';
import { cookiesOf, createWebAccount, csrfIn, nextCode, signInByInject, webAdministrator, webProfessional } from '../../test-support/web.ts';

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'content-type': 'application/x-www-form-urlencoded' };

describeOnEachDatabase('signing in to the web application', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(async () => t.close());

  async function anonymous() {
    const page = await t.app.inject({ method: 'GET', url: '/inloggen' });
    return { cookie: cookiesOf(page.headers['set-cookie']).join('; '), csrf: csrfIn(page.body) };
  }
  async function tryPassword(email: string, password: string) {
    const a = await anonymous();
    return t.app.inject({
      method: 'POST',
      url: '/inloggen',
      headers: { ...FORM, cookie: a.cookie },
      payload: form({ _csrf: a.csrf, email, wachtwoord: password }),
    });
  }

  test('password and code sign a professional in; the session cookie is secure, http-only and same-site', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const session = await signInByInject(t, account);
    const start = await session.get('/account');
    assert.equal(start.statusCode, 200);
    assert.match(start.body, new RegExp(`Professional of ${organisation.name}`));
    const password = await tryPassword(account.email, account.password);
    const cookie = [password.headers['set-cookie']].flat().find((c) => c?.startsWith('__Host-sluis_sessie='))!;
    assert.match(cookie, /HttpOnly/);
    assert.match(cookie, /Secure/);
    assert.match(cookie, /SameSite=Lax/);
    const events = await t.services.db.selectFrom('audit_events').select('event_type').where('actor_id', '=', account.professionalId).execute();
    assert.ok(events.some((e) => e.event_type === 'web.signed_in'));
  });

  test('unknown addresses and wrong passwords get the same answer, and both lock after five tries', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const unknown = `nobody-${Date.now()}@example.nl`;
    const answers: Array<[number, string]> = [];
    for (let i = 0; i < 5; i++) {
      for (const email of [account.email, unknown]) {
        const response = await tryPassword(email, 'wrong-password-123');
        answers.push([response.statusCode, /<div class="utrecht-alert[^>]*>.*?<\/div><\/div>/.exec(response.body)?.[0] ?? '']);
      }
    }
    for (let i = 0; i < answers.length; i += 2) assert.deepEqual(answers[i], answers[i + 1]);
    assert.ok(
      answers.every(([, alert]) => /klopt niet|Te veel mislukte pogingen/.test(alert)),
      'every answer shows its message',
    );
    assert.equal(answers.at(-1)![0], 429);
    // Locked: even the right password is refused, with the same answer as for the unknown address.
    const right = await tryPassword(account.email, account.password);
    const other = await tryPassword(unknown, account.password);
    assert.equal(right.statusCode, 429);
    assert.equal(other.statusCode, 429);
    t.clock.advance(16 * 60_000);
    assert.equal((await tryPassword(account.email, account.password)).statusCode, 303);
  });

  test('a wrong code is refused, a code is never accepted twice, a recovery code works once', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const pending = async () => {
      const response = await tryPassword(account.email, account.password);
      const cookie = cookiesOf(response.headers['set-cookie']).find((c) => c.startsWith('__Host-sluis_sessie='))!;
      const page = await t.app.inject({ method: 'GET', url: '/inloggen/code', headers: { cookie } });
      return { cookie, csrf: csrfIn(page.body) };
    };
    const p = await pending();
    const wrong = await t.app.inject({
      method: 'POST',
      url: '/inloggen/code',
      headers: { ...FORM, cookie: p.cookie },
      payload: form({ _csrf: p.csrf, code: '000000' }),
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /Deze code klopt niet/);
    const code = nextCode(t, account);
    const ok = await t.app.inject({ method: 'POST', url: '/inloggen/code', headers: { ...FORM, cookie: p.cookie }, payload: form({ _csrf: p.csrf, code }) });
    assert.equal(ok.statusCode, 303);
    const again = await pending();
    const replay = await t.app.inject({
      method: 'POST',
      url: '/inloggen/code',
      headers: { ...FORM, cookie: again.cookie },
      payload: form({ _csrf: again.csrf, code }),
    });
    assert.equal(replay.statusCode, 422);
    // A code already used says so, in plain Dutch (only after the right password), and still counts as a failed attempt.
    assert.match(replay.body, /Deze code is al gebruikt\. Wacht tot uw app een nieuwe code laat zien/);
    assert.doesNotMatch(replay.body, /Deze code klopt niet/);
    const failures = await t.services.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'web.sign_in_failed')
      .where('resource_id', '=', account.accountId)
      .execute();
    assert.deepEqual(
      failures.map((f) => (f.details as { reason: string }).reason),
      ['wrong_code', 'reused_code'],
    );
    // A wrong code is still just wrong, and the next code signs in.
    const wrongAgain = await t.app.inject({
      method: 'POST',
      url: '/inloggen/code',
      headers: { ...FORM, cookie: again.cookie },
      payload: form({ _csrf: again.csrf, code: code === '000000' ? '111111' : '000000' }),
    });
    assert.match(wrongAgain.body, /Deze code klopt niet/);
    const fresh = await t.app.inject({
      method: 'POST',
      url: '/inloggen/code',
      headers: { ...FORM, cookie: again.cookie },
      payload: form({ _csrf: again.csrf, code: nextCode(t, account) }),
    });
    assert.equal(fresh.statusCode, 303);
  });

  test('enrolment: a new account links its app with a QR code and gets ten recovery codes', async () => {
    const organisation = await t.organisation();
    const account = await createWebAccount(t, { professionalId: organisation.professionalId });
    await t.services.db.updateTable('web_accounts').set({ totp_secret: null, totp_enrolled_at: null }).where('id', '=', account.accountId).execute();
    const password = await tryPassword(account.email, account.password);
    assert.equal(password.headers.location, '/inloggen/koppelen');
    const cookie = cookiesOf(password.headers['set-cookie']).find((c) => c.startsWith('__Host-sluis_sessie='))!;
    const enrol = await t.app.inject({ method: 'GET', url: '/inloggen/koppelen', headers: { cookie } });
    assert.match(enrol.body, /<svg role="img" aria-label="QR-code/);
    const row = await t.services.db.selectFrom('web_accounts').select('totp_secret').where('id', '=', account.accountId).executeTakeFirstOrThrow();
    const done = await t.app.inject({
      method: 'POST',
      url: '/inloggen/koppelen',
      headers: { ...FORM, cookie },
      payload: form({ _csrf: csrfIn(enrol.body), code: totpCode(row.totp_secret!, t.clock.now()) }),
    });
    assert.equal(done.statusCode, 200);
    const codes = [...done.body.matchAll(/<li><code class="utrecht-code">([a-z0-9-]+)<\/code><\/li>/g)].map((m) => m[1]!);
    assert.equal(codes.length, 10);
    // A recovery code signs in once.
    t.clock.advance(60_000);
    const second = await tryPassword(account.email, account.password);
    const c2 = cookiesOf(second.headers['set-cookie']).find((c) => c.startsWith('__Host-sluis_sessie='))!;
    const page = await t.app.inject({ method: 'GET', url: '/inloggen/code', headers: { cookie: c2 } });
    const used = await t.app.inject({
      method: 'POST',
      url: '/inloggen/code',
      headers: { ...FORM, cookie: c2 },
      payload: form({ _csrf: csrfIn(page.body), code: codes[0]!.toUpperCase() }),
    });
    assert.equal(used.statusCode, 303);
    const third = await tryPassword(account.email, account.password);
    const c3 = cookiesOf(third.headers['set-cookie']).find((c) => c.startsWith('__Host-sluis_sessie='))!;
    const page3 = await t.app.inject({ method: 'GET', url: '/inloggen/code', headers: { cookie: c3 } });
    const reused = await t.app.inject({
      method: 'POST',
      url: '/inloggen/code',
      headers: { ...FORM, cookie: c3 },
      payload: form({ _csrf: csrfIn(page3.body), code: codes[0]! }),
    });
    assert.equal(reused.statusCode, 422);
  });

  test('sessions end after the idle time, at the absolute end, on sign-out and everywhere', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const s1 = await signInByInject(t, account);
    t.clock.advance(14 * 60_000);
    assert.equal((await s1.get('/account')).statusCode, 200);
    t.clock.advance(15 * 60_000);
    const idle = await s1.get('/account');
    assert.equal(idle.statusCode, 303);
    assert.equal(idle.headers.location, '/inloggen?terug=%2Faccount');

    const s2 = await signInByInject(t, account);
    for (let i = 0; i < 12 * 4 + 1; i++) {
      t.clock.advance(15 * 60_000 - 1000);
      await s2.get('/account');
    }
    assert.equal((await s2.get('/account')).statusCode, 303);

    const s3 = await signInByInject(t, account);
    const s4 = await signInByInject(t, account);
    assert.equal((await s3.post('/account/overal-uitloggen')).statusCode, 303);
    assert.equal((await s4.get('/account')).statusCode, 303);

    const s5 = await signInByInject(t, account);
    await s5.post('/uitloggen');
    assert.equal((await s5.get('/account')).statusCode, 303);
    const types = (await t.services.db.selectFrom('audit_events').select('event_type').where('actor_id', '=', account.professionalId).execute()).map(
      (e) => e.event_type,
    );
    for (const type of ['web.signed_in', 'web.signed_out', 'web.signed_out_everywhere']) assert.ok(types.includes(type), type);
  });

  test('a form without its CSRF token is refused and changes nothing', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const session = await signInByInject(t, account);
    const forged = await t.app.inject({
      method: 'POST',
      url: '/account/overal-uitloggen',
      headers: { ...FORM, cookie: session.cookie },
      payload: form({ _csrf: 'forged' }),
    });
    assert.equal(forged.statusCode, 400);
    assert.equal((await session.get('/account')).statusCode, 200);
    const a = await anonymous();
    const noToken = await t.app.inject({
      method: 'POST',
      url: '/inloggen',
      headers: { ...FORM, cookie: a.cookie },
      payload: form({ email: account.email, wachtwoord: account.password }),
    });
    assert.equal(noToken.statusCode, 400);
  });

  test('password reset: the same answer for every address, a mail with a single-use link, old sessions end', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const session = await signInByInject(t, account);
    const ask = async (email: string) => {
      const page = await t.app.inject({ method: 'GET', url: '/wachtwoord/vergeten' });
      return t.app.inject({
        method: 'POST',
        url: '/wachtwoord/vergeten',
        headers: { ...FORM, cookie: cookiesOf(page.headers['set-cookie']).join('; ') },
        payload: form({ _csrf: csrfIn(page.body), email }),
      });
    };
    const known = await ask(account.email);
    const unknown = await ask(`nobody-${Date.now()}@example.nl`);
    assert.equal(known.statusCode, unknown.statusCode);
    assert.equal(known.body.replace(/value="[^"]+"/g, ''), unknown.body.replace(/value="[^"]+"/g, ''));
    let mail: { text_body: string } | undefined;
    for (let i = 0; i < 50 && !mail; i++) {
      mail = await t.services.db.selectFrom('dev_mailbox').selectAll().where('to_address', '=', account.email).executeTakeFirst();
      if (!mail) await new Promise((r) => setTimeout(r, 20));
    }
    assert.ok(mail, 'a reset mail');
    const link = /https:\/\/sluis\.test(\/wachtwoord\/instellen\?link=[A-Za-z0-9_-]+)/.exec(mail.text_body)![1]!;
    const page = await t.app.inject({ method: 'GET', url: link });
    assert.equal(page.statusCode, 200);
    const set = await t.app.inject({
      method: 'POST',
      url: '/wachtwoord/instellen',
      headers: { ...FORM, cookie: cookiesOf(page.headers['set-cookie']).join('; ') },
      payload: form({ _csrf: csrfIn(page.body), link: new URL(link, 'https://x').searchParams.get('link')!, wachtwoord: 'een nieuw lang wachtwoord' }),
    });
    assert.equal(set.statusCode, 200);
    assert.equal((await session.get('/account')).statusCode, 303);
    assert.equal((await t.app.inject({ method: 'GET', url: link })).statusCode, 410);
    assert.equal((await tryPassword(account.email, 'een nieuw lang wachtwoord')).statusCode, 303);
  });

  test('an administrator signs in too; a deactivated professional cannot', async () => {
    const admin = await webAdministrator(t);
    const session = await signInByInject(t, admin);
    assert.equal((await session.get('/account')).statusCode, 200);
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const live = await signInByInject(t, account);
    await t.services.db.updateTable('professionals').set({ active: false }).where('id', '=', account.professionalId).execute();
    assert.equal((await live.get('/account')).statusCode, 303);
    const refused = await tryPassword(account.email, account.password);
    assert.equal(refused.statusCode, 401);
    assert.match(refused.body, /niet \(meer\) actief/);
  });

  test('sign-in forms are rate limited per client address', async () => {
    const limited = await createTestApp(database(), { signInRateLimitPerMinute: 3 });
    try {
      const page = await limited.app.inject({ method: 'GET', url: '/inloggen' });
      const cookie = cookiesOf(page.headers['set-cookie']).join('; ');
      const statuses = [];
      for (let i = 0; i < 4; i++) {
        const response = await limited.app.inject({
          method: 'POST',
          url: '/inloggen',
          headers: { ...FORM, cookie },
          payload: form({ _csrf: csrfIn(page.body), email: `x${i}@example.nl`, wachtwoord: 'wrong-password-1' }),
        });
        statuses.push(response.statusCode);
        if (response.statusCode === 429) assert.match(response.body, /Even geduld/);
      }
      assert.deepEqual(statuses, [401, 401, 401, 429]);
    } finally {
      await limited.close();
    }
  });

  test('the lifetime sweep removes old sessions, links and throttle counters', async () => {
    const organisation = await t.organisation();
    const account = await webProfessional(t, organisation);
    const session = await signInByInject(t, account);
    await session.post('/uitloggen');
    await tryPassword(account.email, 'wrong-password-123');
    const count = async () => (await t.services.db.selectFrom('web_sessions').select('id_hash').where('account_id', '=', account.accountId).execute()).length;
    assert.ok((await count()) > 0);
    t.clock.advance(31 * 86_400_000);
    await t.services.jobs.runOnce();
    assert.equal(await count(), 0);
    const throttle = await t.services.db
      .selectFrom('web_login_throttle')
      .selectAll()
      .where('window_started_at', '<', new Date(t.clock.now().getTime() - 86_400_000))
      .execute();
    assert.equal(throttle.length, 0);
  });
});
