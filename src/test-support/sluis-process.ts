/** The `sluis` command as a child process, for tests of what an operator runs. */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:net';
import { after } from 'node:test';

const CLI = new URL('../cli.ts', import.meta.url).pathname;

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** The environment of this process without DATABASE_URL (so the embedded database is used unless given), plus `extra`. */
export function sluisEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const { DATABASE_URL: _ignored, ...rest } = process.env;
  return { ...rest, ...extra };
}

/** Runs `sluis <args>` to its end. */
export const runSluis = (args: string[], env: NodeJS.ProcessEnv) => spawnSync(process.execPath, ['--import', 'tsx', CLI, ...args], { env, encoding: 'utf8' });

/** Every process started here: whatever a failed test left running is killed when its file ends, so the run never waits on it. */
const started = new Set<ChildProcess>();
after(() => {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
});

/** Starts `sluis <args>` (start, worker, demo) and collects its output. */
export function startSluis(args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  child.once('exit', () => started.delete(child));
  let output = '';
  child.stdout!.on('data', (chunk) => (output += chunk));
  child.stderr!.on('data', (chunk) => (output += chunk));
  // A bound against a hang, not a timing check: a loaded 2-core machine may take a minute to start SluiS.
  // A process that did not say what was awaited is killed, so it holds no data directory for the next test.
  const waitFor = async (pattern: RegExp, timeoutMs = 180_000) => {
    const started = Date.now();
    while (!pattern.test(output)) {
      if (child.exitCode !== null) throw new Error(`sluis exited (${child.exitCode}):\n${output}`);
      if (Date.now() - started > timeoutMs) {
        child.kill('SIGKILL');
        throw new Error(`timed out waiting for ${pattern}:\n${output}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    return pattern.exec(output)!;
  };
  return { child, output: () => output, waitFor };
}

/** SIGTERM, then the exit code. */
export const stopSluis = (child: ChildProcess) =>
  new Promise<number | null>((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
