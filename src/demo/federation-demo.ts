/**
 * `sluis demo --federation` (`npm run demo -- --federation`): two demo regions linked through a hub
 * and a pseudonymisation service on this machine (docs/federation.md), each party a `sluis` process
 * of its own on its own embedded database under ./data-federation/. The keys are made once with
 * `federationEnvironments` (what `sluis federation keys` prints) and kept in
 * ./data-federation/keys.json. Both regions get the demo region's seed (with the federation off, so
 * the seeded persons stay regional); then one person is filed in both, and the tour shows the
 * cross-region match. Ctrl-C stops every process.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type Env, federationEnvironments } from '../federation/federation-keys.ts';
import { loadConfig } from '../server/config.ts';
import { openRuntime } from '../server/runtime.ts';
import { DEMO_ADMIN_TOKEN, DEMO_ORGANISATIONS, DEMO_PASSWORD, demoToken, seedDemo } from './seed-demo.ts';

const CLI = new URL('../cli.ts', import.meta.url).pathname;
const REGIONS = [
  { id: 'region-a', port: 8080 },
  { id: 'region-b', port: 8081 },
] as const;
const HUB_PORT = 8090;
const PSEUDONYMISER_PORT = 8091;

/** The person filed in both regions: one of the RvIG's fictitious test persons in Rotterdam, whom the demo's seed leaves alone. */
export const FEDERATION_DEMO_PERSON = {
  bsn: '999970859',
  name: { givenNames: 'Eunice', familyName: 'Kargbo' },
  dateOfBirth: '1990-08-06',
  gender: 'female' as const,
};
/** Who files on her: the GGZ in region A, the wijkteam in region B. */
const FILERS = { 'region-a': 'ggz', 'region-b': 'wijkteam' } as const;

type Keys = Awaited<ReturnType<typeof federationEnvironments>>;

function keysOf(root: string): Promise<Keys> | Keys {
  const file = path.join(root, 'keys.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as Keys;
  return federationEnvironments(REGIONS.map((r) => r.id)).then((keys) => {
    writeFileSync(file, JSON.stringify(keys, null, 2), { mode: 0o600 });
    return keys;
  });
}

/** The process's environment without anything of another SluiS (a DATABASE_URL, federation settings), plus `extra`. */
function environment(extra: Env): NodeJS.ProcessEnv {
  const base = Object.fromEntries(Object.entries(process.env).filter(([name]) => !/^(DATABASE_URL|SLUIS_|SMTP_|PORT$|HOST$)/.test(name)));
  return { ...base, SLUIS_REGISTER: 'embedded', ...extra };
}

function run(name: string, args: string[], env: NodeJS.ProcessEnv) {
  const child = spawn(process.execPath, ['--import', 'tsx', CLI, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const prefix = (chunk: Buffer) => {
    output += chunk;
    for (const line of chunk.toString().split('\n')) if (line.trim()) process.stdout.write(`[${name}] ${line}\n`);
  };
  child.stdout!.on('data', prefix);
  child.stderr!.on('data', prefix);
  const ready = new Promise<void>((resolve, reject) => {
    const check = setInterval(() => {
      if (/listens on/.test(output)) {
        clearInterval(check);
        resolve();
      } else if (child.exitCode !== null) {
        clearInterval(check);
        reject(new Error(`${name} stopped (exit code ${child.exitCode})`));
      }
    }, 100);
  });
  return { child, ready };
}

async function fileInBoth(): Promise<void> {
  const today = new Date().toISOString().slice(0, 10);
  for (const region of REGIONS) {
    const key = FILERS[region.id];
    const professional = DEMO_ORGANISATIONS.find((o) => o.key === key)!.professional;
    const response = await fetch(`http://127.0.0.1:${region.port}/api/v1/signals`, {
      method: 'POST',
      headers: { authorization: `Bearer ${demoToken(key)}`, 'sluis-professional-id': professional.id, 'content-type': 'application/json' },
      body: JSON.stringify({
        person: FEDERATION_DEMO_PERSON,
        legalBasis: { basis: 'consent', givenBy: 'person', givenOn: today },
        clientReference: `federatie-${region.id}`,
      }),
    });
    if (response.status >= 300) throw new Error(`filing in ${region.id} failed: HTTP ${response.status} ${await response.text()}`);
  }
}

/** Waits (up to a minute) for the cross-region mail in both regions' development mailboxes. */
async function crossRegionMails(): Promise<boolean> {
  const until = Date.now() + 60_000;
  while (Date.now() < until) {
    const found = await Promise.all(
      REGIONS.map(async (region) => {
        const response = await fetch(`http://127.0.0.1:${region.port}/api/v1/dev-mailbox?limit=20`, {
          headers: { authorization: `Bearer ${DEMO_ADMIN_TOKEN}` },
        });
        const { items } = (await response.json()) as { items: { subject: string }[] };
        return items.some((mail) => /andere regio/.test(mail.subject));
      }),
    );
    if (found.every(Boolean)) return true;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return false;
}

export async function federationDemo(root = path.resolve('data-federation')): Promise<number> {
  mkdirSync(root, { recursive: true });
  const keys = await keysOf(root);
  const hubUrl = `http://127.0.0.1:${HUB_PORT}`;
  const pseudonymiserUrl = `http://127.0.0.1:${PSEUDONYMISER_PORT}`;
  const regionEnv = (region: (typeof REGIONS)[number]) =>
    environment({ SLUIS_DATA_DIR: path.join(root, region.id), PORT: String(region.port), SLUIS_LOG_LEVEL: 'warn' });

  // The demo seed, with the federation off: its persons stay in their region.
  for (const region of REGIONS) {
    const runtime = await openRuntime(loadConfig(regionEnv(region) as Env));
    try {
      const empty = (await runtime.services.organisations.list({})).length === 0;
      if (empty) await seedDemo(runtime.services, `http://localhost:${region.port}`);
      console.log(empty ? `Seeded the demo region into ${region.id}.` : `${region.id} has data already: not seeded again.`);
    } finally {
      await runtime.close();
    }
  }

  const processes: ChildProcess[] = [];
  const stop = () => {
    for (const child of processes) if (child.exitCode === null) child.kill('SIGTERM');
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
  const started = [
    run(
      'pseudonymiser',
      ['pseudonymiser'],
      environment({ ...keys.pseudonymiser, SLUIS_DATA_DIR: path.join(root, 'pseudonymiser'), PORT: String(PSEUDONYMISER_PORT), SLUIS_LOG_LEVEL: 'warn' }),
    ),
    run('hub', ['hub'], environment({ ...keys.hub, SLUIS_DATA_DIR: path.join(root, 'hub'), PORT: String(HUB_PORT), SLUIS_LOG_LEVEL: 'warn' })),
    ...REGIONS.map((region) =>
      run(region.id, ['start'], {
        ...regionEnv(region),
        ...keys.regions[region.id],
        SLUIS_FEDERATION_HUB_URL: hubUrl,
        SLUIS_FEDERATION_PSEUDONYMISER_URL: pseudonymiserUrl,
        SLUIS_FEDERATION_POLL_SECONDS: '2',
      }),
    ),
  ];
  processes.push(...started.map((s) => s.child));
  const exited = new Promise<number>((resolve) => {
    let left = processes.length;
    for (const child of processes)
      child.once('exit', () => {
        stop(); // one party gone: the demo stops as a whole
        if (--left === 0) resolve(0);
      });
  });
  try {
    await Promise.all(started.map((s) => s.ready));
    await fileInBoth();
  } catch (error) {
    console.error((error as Error).message);
    stop();
    await exited;
    return 1;
  }
  const matched = await crossRegionMails();
  const [a, b] = REGIONS;
  const ggz = DEMO_ORGANISATIONS.find((o) => o.key === 'ggz')!.professional;
  const wijkteam = DEMO_ORGANISATIONS.find((o) => o.key === 'wijkteam')!.professional;
  console.log(
    [
      '',
      'Two demo regions linked through a hub (docs/federation.md):',
      `  region A  http://localhost:${a.port}  (${path.join(root, a.id)})`,
      `  region B  http://localhost:${b.port}  (${path.join(root, b.id)})`,
      `  hub ${hubUrl} and pseudonymisation service ${pseudonymiserUrl}: they never see a BSN.`,
      '',
      `Eunice Kargbo (BSN ${FEDERATION_DEMO_PERSON.bsn}) is filed in both: by ${ggz.name} (GGZ) in region A and by ${wijkteam.name} (wijkteam) in region B.`,
      matched
        ? 'The cross-region match is made: each got a mail naming the other region’s professional.'
        : 'The cross-region match has not arrived yet: look in the mailboxes in a moment.',
      '',
      `Sign in at http://localhost:${a.port}/inloggen as ${ggz.email}, or at http://localhost:${b.port}/inloggen as ${wijkteam.email},`,
      `with the password ${DEMO_PASSWORD} and the code that \`npm run sluis -- demo-code\` prints.`,
      `The mails: curl -s http://localhost:${a.port}/api/v1/dev-mailbox -H 'Authorization: Bearer ${DEMO_ADMIN_TOKEN}'`,
      '(the same on port 8081 for region B). Ctrl-C stops all four processes.',
    ].join('\n'),
  );
  return exited;
}
