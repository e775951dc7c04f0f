/**
 * `npm test` (after `tsc --noEmit`): makes sure PostgreSQL is there for the database tests (starting
 * the machine's cluster when it is installed but stopped), then runs every *.test.ts with Node's
 * test runner. Without PostgreSQL the PostgreSQL half of the database tests is skipped, loudly.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isPostgresReachable, POSTGRES_MISSING, POSTGRES_URL } from '../src/test-support/databases.ts';

async function ensurePostgres(): Promise<boolean> {
  if (await isPostgresReachable()) return true;
  const url = new URL(POSTGRES_URL);
  if (['127.0.0.1', 'localhost'].includes(url.hostname) && existsSync('/etc/postgresql')) {
    for (const version of readdirSync('/etc/postgresql')) {
      console.log(`PostgreSQL is not running; starting the local cluster ${version}/main ...`);
      try {
        execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', 'start'], { stdio: 'inherit' });
      } catch {
        console.log(`Could not start PostgreSQL ${version}/main.`);
      }
    }
    await new Promise((resolve) => setTimeout(resolve, 1500));
    const { isPostgresReachable: retry } = await import(`../src/test-support/databases.ts?retry=${Date.now()}`);
    return retry();
  }
  return false;
}

const postgres = await ensurePostgres();
const banner = postgres
  ? `Database tests run on embedded PGlite AND on PostgreSQL at ${POSTGRES_URL}.`
  : `\n${'!'.repeat(100)}\n!!! ${POSTGRES_MISSING}.\n!!! Only PGlite is tested. Start PostgreSQL or set SLUIS_TEST_POSTGRES_URL.\n${'!'.repeat(100)}\n`;
console.log(banner);

const patterns = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'];
// The leak guard (src/test-support/leak-guard.ts) in every test process; its hits come back through this file.
const guard = process.env.SLUIS_LEAK_GUARD !== '0';
const hitsFile = join(tmpdir(), `sluis-leak-hits-${process.pid}.jsonl`);
rmSync(hitsFile, { force: true });
const guardArgs = guard ? ['--import', './src/test-support/leak-guard.ts'] : [];
const reporters = [
  '--test-reporter=spec',
  '--test-reporter-destination=stdout',
  '--test-reporter=./scripts/test-timing-reporter.ts',
  '--test-reporter-destination=stdout',
];
const result = spawnSync(process.execPath, ['--import', 'tsx', ...guardArgs, '--test', '--test-concurrency=2', ...reporters, ...patterns], {
  stdio: 'inherit',
  env: { ...process.env, SLUIS_LOG_LEVEL: process.env.SLUIS_LOG_LEVEL ?? 'silent', ...(guard && { SLUIS_LEAK_HITS: hitsFile }) },
});
if (!postgres) console.log(banner);
const hits = existsSync(hitsFile) ? readFileSync(hitsFile, 'utf8').split('\n').filter(Boolean) : [];
rmSync(hitsFile, { force: true });
if (hits.length > 0) {
  const lines = [...new Set(hits)].map((line) => {
    const hit = JSON.parse(line) as { file: string; test: string; channel: string; what: string; where: string };
    return `  ${hit.file.replace(`${process.cwd()}/`, '')} › ${hit.test}: ${hit.what} in a ${hit.channel} (${hit.where})`;
  });
  console.log(`\nLEAK GUARD: ${lines.length} person detail(s) where they must not be (src/test-support/leak-guard.ts):\n${lines.join('\n')}`);
  process.exit(1);
}
if (!guard) console.log('(the leak guard was off: SLUIS_LEAK_GUARD=0)');
process.exit(result.status ?? 1);
