import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { assetVersion, versionedWorker } from './assets.ts';

const worker = readFileSync(new URL('./assets/sw.js', import.meta.url), 'utf8');

test("the service worker's cache is named after the static assets, so a changed CSS or script reaches an installed app", () => {
  const css = Buffer.from('.a { color: red; }');
  const js = Buffer.from('void 0;');
  const version = assetVersion([css, js]);
  assert.match(version, /^[0-9a-f]{12}$/);
  assert.equal(assetVersion([Buffer.from('.a { color: red; }'), Buffer.from('void 0;')]), version, 'the same assets, the same name');
  assert.notEqual(assetVersion([Buffer.from('.a { color: blue; }'), js]), version, 'one changed byte, another name');
  assert.notEqual(assetVersion([js, css]), version);
  const named = versionedWorker(worker, version);
  assert.ok(named.includes(`const CACHE = 'sluis-static-${version}';`));
  assert.ok(!named.includes('sluis-static-v1'));
  assert.throws(() => versionedWorker('const CACHE = "x";', version), /cache name/);
});
