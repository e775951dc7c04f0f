/**
 * The `sluis` command as an operator meets it, on the embedded database in a temporary directory:
 * start prints where it listens and a one-time setup code that creates the first administrator; a
 * second process on the same data directory is refused clearly; the demo seeds; the operational log
 * never holds a BSN; jobs run-once and migrate work; SIGTERM stops cleanly.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import pg from 'pg';
import { totpCode } from './accounts/credentials.ts';
import { DEMO_ORGANISATIONS, DEMO_PASSWORD, DEMO_TOTP_SECRET, demoToken } from './demo/seed-demo.ts';
import { isPostgresReachable, POSTGRES_MISSING, POSTGRES_URL } from './test-support/databases.ts';
import { freePort, sluisEnv, startSluis as startSluisProcess, stopSluis } from './test-support/sluis-process.ts';

const CLI = new URL('./cli.ts', import.meta.url).pathname;
const dataDir = mkdtempSync(path.join(tmpdir(), 'sluis-cli-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));

const env = (port: number, extra: Record<string, string> = {}) => sluisEnv({ SLUIS_DATA_DIR: dataDir, PORT: String(port), SLUIS_LOG_LEVEL: 'info', ...extra });
const startSluis = (args: string[], port: number, extra: Record<string, string> = {}) => startSluisProcess(args, env(port, extra));
const stop = stopSluis;

test('start prints a one-time setup code that creates the first administrator', async () => {
  const port = await freePort();
  const sluis = startSluis(['start'], port);
  const [, code] = await sluis.waitFor(/"setupCode":"([0-9A-F-]+)"/);
  assert.match(sluis.output(), new RegExp(`SluiS listens on http://localhost:${port}`));

  const second = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'migrate'], { env: env(await freePort()), encoding: 'utf8' });
  assert.equal(second.status, 1);
  assert.match(second.stderr, /is in use by process \d+/);

  const base = `http://127.0.0.1:${port}/api/v1`;
  const wrong = await fetch(`${base}/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ setupCode: 'AAAA-BBBB-CCCC', name: 'X', email: 'x@example.nl' }),
  });
  assert.equal(wrong.status, 403);
  const setup = await fetch(`${base}/setup`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ setupCode: code, name: 'Eerste Beheerder', email: 'beheer@gemeente.example' }),
  });
  assert.equal(setup.status, 201);
  const { token } = (await setup.json()) as { token: string };
  const settings = await fetch(`${base}/settings`, { headers: { authorization: `Bearer ${token}` } });
  assert.equal(settings.status, 200);
  assert.equal(settings.headers.get('api-version'), '1.0.0');

  assert.equal(await stop(sluis.child), 0);
  assert.equal(existsSync(path.join(dataDir, 'pglite.lock')), false, 'the lock is released');
  assert.ok(existsSync(path.join(dataDir, 'keys.json')), 'the keys were generated into the data directory');
});

test('after a restart no setup code is printed; the demo seeds; the log never holds a BSN', async () => {
  const seeded = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'seed-demo'], { env: env(await freePort()), encoding: 'utf8' });
  assert.equal(seeded.status, 0, seeded.stderr);
  assert.match(seeded.stdout, /Demo region created/);
  const again = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'seed-demo'], { env: env(await freePort()), encoding: 'utf8' });
  assert.equal(again.status, 1);
  assert.match(again.stderr, /already has organisations/);

  const port = await freePort();
  // With the embedded register, as the demo runs: the register's lookups must keep the log clean too.
  const sluis = startSluis(['start'], port, { SLUIS_LOG_LEVEL: 'trace', SLUIS_REGISTER: 'embedded' });
  await sluis.waitFor(/SluiS listens on/);
  assert.doesNotMatch(sluis.output(), /setupCode/);

  const ggz = DEMO_ORGANISATIONS.find((o) => o.key === 'ggz')!;
  const headers = { authorization: `Bearer ${demoToken('ggz')}`, 'sluis-professional-id': ggz.professional.id, 'content-type': 'application/json' };
  const bsn = '999999345';
  const body = {
    person: { bsn, name: { givenNames: 'Johan', familyName: 'Groot Esselink' }, dateOfBirth: '1985-05-27', gender: 'male' },
    legalBasis: { basis: 'consent', givenBy: 'person', givenOn: '2020-01-01' },
  };
  const filed = await fetch(`http://127.0.0.1:${port}/api/v1/signals`, { method: 'POST', headers, body: JSON.stringify(body) });
  assert.equal(filed.status, 201);
  const answer = (await filed.json()) as { match: { participants: unknown[] } };
  assert.equal(answer.match.participants.length, 2, 'the demo person already had a signal from the wijkteam');
  const invalid = await fetch(`http://127.0.0.1:${port}/api/v1/signals`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ ...body, person: { ...body.person, bsn: '100023758', shoe: 1 } }),
  });
  assert.equal(invalid.status, 422);
  const broken = await fetch(`http://127.0.0.1:${port}/api/v1/signals`, { method: 'POST', headers, body: `{"person":{"bsn":"${bsn}"` });
  assert.equal(broken.status, 400);
  // A client reference may hold anything an organisation chose: searching for one leaves it out of the log too.
  const searched = await fetch(`http://127.0.0.1:${port}/api/v1/signals/search`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ clientReference: 'GGZ-GEHEIM-9', match: 'prefix' }),
  });
  assert.equal(searched.status, 200);

  // The same through the web pages: sign in as a demo professional and file on a new person.
  const web = `http://127.0.0.1:${port}`;
  const jar = new Map<string, string>();
  const send = async (path: string, form?: Record<string, string>) => {
    const response = await fetch(`${web}${path}`, {
      method: form ? 'POST' : 'GET',
      redirect: 'manual',
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join('; '), ...(form && { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(form && { body: new URLSearchParams(form).toString() }),
    });
    for (const cookie of response.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const [name, value] = pair!.split('=') as [string, string];
      if (value) jar.set(name, value);
      else jar.delete(name);
    }
    return { status: response.status, body: await response.text(), location: response.headers.get('location') };
  };
  const csrf = (html: string) => /name="_csrf" value="([^"]+)"/.exec(html)![1]!;
  const signInPage = await send('/inloggen');
  assert.equal(
    (await send('/inloggen', { _csrf: csrf(signInPage.body), email: 'l.bakker@woonstad.example', wachtwoord: DEMO_PASSWORD })).location,
    '/inloggen/code',
  );
  const codePage = await send('/inloggen/code');
  assert.equal((await send('/inloggen/code', { _csrf: csrf(codePage.body), code: totpCode(DEMO_TOTP_SECRET, new Date()) })).status, 303);
  const form = await send('/signalen/nieuw');
  const webBsn = '999999357';
  const filedInPage = await send('/signalen/nieuw', {
    _csrf: csrf(form.body),
    bsn: webBsn,
    voornamen: 'Wilma',
    achternaam: 'Haverkamp',
    geboortedatum: '16',
    'geboortedatum-maand': '11',
    'geboortedatum-jaar': '1990',
    geslacht: 'vrouw',
    'toestemming-door': 'persoon',
    'toestemming-datum': '2',
    'toestemming-datum-maand': '1',
    'toestemming-datum-jaar': '2026',
    kenmerk: 'KENMERK-PETRA-4711',
  });
  assert.equal(filedInPage.status, 303, filedInPage.body.slice(0, 300));
  const answerPage = await send(filedInPage.location!);
  assert.match(answerPage.body, /Geen match/);
  assert.ok(!answerPage.body.includes(webBsn));
  const found = await send('/signalen/zoeken', { _csrf: csrf(answerPage.body), kenmerk: 'kenmerk-petra' });
  assert.equal(found.status, 200);
  assert.match(found.body, /KENMERK-PETRA-4711/);

  assert.equal(await stop(sluis.child), 0);
  const log = sluis.output();
  assert.match(log, /"route":"\/api\/v1\/signals"/, 'requests are logged by their route');
  assert.match(log, /"route":"\/signalen\/nieuw"/, 'page requests are logged by their route');
  assert.match(log, /"route":"\/signalen\/zoeken"/, 'the search is logged by its route, not what was searched');
  for (const secret of [
    bsn,
    '100023758',
    demoToken('ggz').split('.')[1]!,
    'Groot Esselink',
    '1985-05-27',
    webBsn,
    'Wilma',
    'Haverkamp',
    'KENMERK-PETRA',
    'kenmerk-petra',
    'GGZ-GEHEIM',
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    ...jar.values(),
  ]) {
    assert.ok(!log.includes(secret), `the log must not contain ${secret}`);
  }
});

test('jobs run-once and migrate work on the same data directory', () => {
  const jobs = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'jobs', 'run-once'], {
    env: { ...process.env, SLUIS_DATA_DIR: dataDir },
    encoding: 'utf8',
  });
  assert.equal(jobs.status, 0, jobs.stderr);
  assert.match(jobs.stdout, /Expired 0 signals; 0 expiry notices; 0 informing reminders; escalated 0 matches; purged 0 signals and 0 persons/);
  const migrate = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'migrate'], { env: { ...process.env, SLUIS_DATA_DIR: dataDir }, encoding: 'utf8' });
  assert.equal(migrate.status, 0, migrate.stderr);
  assert.match(migrate.stdout, /up to date/);
  const bad = spawnSync(process.execPath, ['--import', 'tsx', CLI, 'start'], {
    env: { ...process.env, SLUIS_DATA_DIR: dataDir, PORT: 'eighty' },
    encoding: 'utf8',
  });
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /PORT="eighty" is not valid/);
});

test('with DATABASE_URL the same build runs on PostgreSQL', async (t) => {
  if (!(await isPostgresReachable())) return t.skip(POSTGRES_MISSING);
  const name = `sluis_cli_${process.pid}`;
  const admin = new pg.Client({ connectionString: POSTGRES_URL });
  await admin.connect();
  await admin.query(`drop database if exists ${name} with (force)`);
  await admin.query(`create database ${name}`);
  try {
    const url = new URL(POSTGRES_URL);
    url.pathname = `/${name}`;
    const key = Buffer.alloc(32, 5).toString('base64');
    const port = await freePort();
    const sluis = startSluis(['start'], port, {
      DATABASE_URL: url.toString(),
      SLUIS_PSEUDONYM_KEY: key,
      SLUIS_BSN_ENCRYPTION_KEY: key,
      SLUIS_DATA_DIR: path.join(dataDir, 'unused'),
    });
    await sluis.waitFor(/"setupCode":"[0-9A-F-]+"/);
    assert.match(sluis.output(), /database: PostgreSQL \(DATABASE_URL\)/);
    const health = await fetch(`http://127.0.0.1:${port}/health`);
    assert.equal(health.status, 200);
    assert.equal(await stop(sluis.child), 0);
    const check = new pg.Client({ connectionString: url.toString() });
    await check.connect();
    const migrated = await check.query('select count(*)::int as n from schema_migrations');
    await check.end();
    assert.ok(migrated.rows[0].n >= 2);
    assert.equal(existsSync(path.join(dataDir, 'unused', 'keys.json')), false, 'no keys are generated when they are configured');
  } finally {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
});
