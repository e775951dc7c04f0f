/**
 * The API Design Rules' own linter (Logius's Spectral ruleset, shipped in ./api-design-rules with its
 * attribution) passes the OpenAPI document the app serves with no errors — and with no warnings at
 * all when the public URL is https, as in production. What the document promises is what the API
 * does: every response carries the API-Version header it declares, and every operation answers the
 * 400 it documents.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { apiOperations, callerHeaders, urlOf } from '../test-support/api-walk.ts';
import { createTestDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp } from '../test-support/fixtures.ts';
import { API_VERSION, buildApp } from './app.ts';

const RULESET = new URL('./api-design-rules/linter.yaml', import.meta.url).pathname;
const SPECTRAL = path.join(path.dirname(createRequire(import.meta.url).resolve('@stoplight/spectral-cli/package.json')), 'dist/index.js');

type LintResult = { code: string; message: string; severity: number; path: string[] };

function lint(document: string): LintResult[] {
  const dir = mkdtempSync(path.join(tmpdir(), 'sluis-adr-'));
  try {
    const file = path.join(dir, 'openapi.json');
    writeFileSync(file, document);
    const run = spawnSync(process.execPath, [SPECTRAL, 'lint', '-r', RULESET, file, '-f', 'json', '--quiet', '--fail-severity', 'error'], { encoding: 'utf8' });
    assert.ok(run.stdout.trim().startsWith('['), `spectral did not run: ${run.stderr}${run.stdout}`);
    return JSON.parse(run.stdout) as LintResult[];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const describeResult = (r: LintResult) => `${r.code} at ${r.path.join('.')}: ${r.message}`;

describe('API Design Rules linter [pglite]', () => {
  let t: TestApp;
  let close: () => Promise<void>;
  before(async () => {
    const database = await createTestDatabase('pglite');
    t = await createTestApp(database);
    close = async () => {
      await t.close();
      await database.drop();
    };
  });
  after(() => close());

  test('the served document has no errors; on http the only warning is the one about https', async () => {
    const app = await buildApp({ services: t.services, publicUrl: 'http://localhost:8080' });
    const results = lint((await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).body);
    await app.close();
    assert.deepEqual(results.filter((r) => r.severity === 0).map(describeResult), []);
    assert.deepEqual([...new Set(results.map((r) => r.code))], ['nlgov:servers-use-https']);
  });

  test('with an https public URL and a contact, it passes without a single warning', async () => {
    const app = await buildApp({
      services: t.services,
      publicUrl: 'https://sluis.gemeente.example',
      apiContact: { name: 'Functioneel beheer', email: 'sluis@gemeente.example', url: 'https://gemeente.example/sluis' },
    });
    const document = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json();
    await app.close();
    assert.deepEqual(document.info.contact, { name: 'Functioneel beheer', email: 'sluis@gemeente.example', url: 'https://gemeente.example/sluis' });
    assert.deepEqual(lint(JSON.stringify(document)).map(describeResult), []);
  });

  test('what the document declares is what the API does: API-Version on every answer, a 400 on every operation', async () => {
    const headers = await callerHeaders(t, await t.organisation());
    for (const operation of await apiOperations(t)) {
      assert.ok(operation.responses.includes('400'), `${operation.method} ${operation.path} documents 400`);
      const response = await t.app.inject({ method: operation.method, url: `${urlOf(operation)}?unknownParameter=1`, headers: headers[operation.caller] });
      assert.equal(response.statusCode, 400, `${operation.method} ${operation.path}: ${response.body}`);
      assert.equal(response.headers['api-version'], API_VERSION);
      assert.match(String(response.headers['content-type']), /^application\/problem\+json/);
    }
  });
});
