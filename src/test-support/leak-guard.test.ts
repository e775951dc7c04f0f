/**
 * The leak guard can fail: for each channel it watches, a child test process with the guard loaded
 * leaks on purpose (leak-guard-demo.ts), and the hit comes back naming the test, the channel and the leak.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

const CHANNELS: Record<string, { channel: string; what: RegExp }> = {
  response: { channel: 'response body', what: /^BSN \d{9}$/ },
  header: { channel: 'response header', what: /^name "Boer"$/ },
  feed: { channel: 'response body', what: /^name "Boer"$/ },
  mail: { channel: 'mail', what: /^BSN \d{9}$/ },
  webhook: { channel: 'webhook', what: /^name "(Jan|Boer)"$/ },
  log: { channel: 'log', what: /^BSN \d{9}$/ },
};

test('the leak guard catches a leak through each channel, and names the test', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'sluis-leak-demo-'));
  try {
    const hits = join(dir, 'hits.jsonl');
    const env: Record<string, string | undefined> = { ...process.env, SLUIS_LEAK_HITS: hits };
    delete env.NODE_TEST_CONTEXT;
    await run(process.execPath, ['--import', 'tsx', '--import', './src/test-support/leak-guard.ts', '--test', 'src/test-support/leak-guard-demo.ts'], { env });
    const found = readFileSync(hits, 'utf8')
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as { test: string; channel: string; what: string });
    for (const [name, expected] of Object.entries(CHANNELS)) {
      assert.ok(
        found.some((hit) => hit.channel === expected.channel && expected.what.test(hit.what) && hit.test === `leaks through the ${name}`),
        `${name}: ${JSON.stringify(found)}`,
      );
    }
    assert.ok(!found.some((hit) => hit.test.includes('outside any test')), 'the filing the guard learnt from leaks nothing');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
