/**
 * The machine's own limit for the work a filing has to do at the least: commit a transaction that
 * inserts one row.
 *
 * - PostgreSQL: pgbench with a custom script (one INSERT into a scratch table, so one transaction per
 *   statement) at the same concurrency as the filing benchmark; tps from pgbench's summary, latency
 *   percentiles from its per-transaction log.
 * - PGlite: one connection, so one-row insert transactions one after the other, in process, on a
 *   file-backed database in a temporary directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

export type Limit = {
  engine: 'postgres' | 'pglite';
  method: string;
  clients: number;
  seconds: number;
  transactions: number;
  tps: number;
  latency: { mean: number; p50: number; p99: number };
  failed: number;
};

const SCRATCH = `create table bench_scratch (
  id bigint generated always as identity primary key,
  payload text not null,
  created_at timestamptz not null default now()
)`;

function percentile(sorted: ArrayLike<number>, q: number): number {
  return sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]!;
}

/** pgbench -n -c <clients> -j <threads> -T <seconds> -f <script> against `databaseUrl` (a scratch table is created there, and dropped after). */
export async function postgresInsertLimit(databaseUrl: string, options: { clients: number; threads: number; seconds: number }): Promise<Limit> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('drop table if exists bench_scratch');
  await client.query(SCRATCH);
  await client.end();
  const script = "insert into bench_scratch (payload) values ('signal ' || md5(random()::text));\n";
  try {
    return await pgbench(databaseUrl, 'insert-one-row.sql', script, options);
  } finally {
    const cleanup = new pg.Client({ connectionString: databaseUrl });
    await cleanup.connect();
    await cleanup.query('drop table if exists bench_scratch');
    await cleanup.query('checkpoint');
    await cleanup.end();
  }
}

/**
 * The database's share of a filing alone: pgbench calling sluis_file_signal (the one statement a
 * filing sends) directly, on new persons, spread over the given professionals. No HTTP, no Node.
 */
export async function postgresFilingInDatabase(
  databaseUrl: string,
  callers: { organisationId: string; professionalId: string; apiClientId: string }[],
  options: { clients: number; threads: number; seconds: number },
): Promise<Limit> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  const version = (await client.query<{ version: number }>('select version from settings')).rows[0]!.version;
  await client.end();
  const list = (values: string[]) => `array[${values.map((v) => `'${v.replace(/[^0-9a-f-]/gi, '')}'`).join(',')}]::uuid[]`;
  const details = JSON.stringify({
    name: { givenNames: 'Jan', familyNamePrefix: 'de', familyName: 'Boer' },
    dateOfBirth: '1980-05-17',
    gender: 'male',
    address: { street: 'Coolsingel', houseNumber: '40', postcode: '3011 AD', city: 'Rotterdam' },
  });
  const script = [
    `\\set n random(1, ${callers.length})`,
    `select sluis_file_signal(now(), current_date, ${version}, (${list(callers.map((c) => c.organisationId))})[:n], ` +
      `(${list(callers.map((c) => c.professionalId))})[:n], (${list(callers.map((c) => c.apiClientId))})[:n], 'pgbench', ` +
      `sha256(random()::text::bytea), '\\x01'::bytea || sha256(random()::text::bytea), '${details}'::jsonb, '1980-05-17', ` +
      `jsonb_build_object('basis', 'consent', 'givenBy', 'person', 'givenOn', (current_date - 1)::text), 'dossier 1', now() + interval '24 months');`,
    '',
  ].join('\n');
  return pgbench(databaseUrl, 'file-signal.sql', script, options);
}

async function pgbench(
  databaseUrl: string,
  scriptName: string,
  scriptText: string,
  options: { clients: number; threads: number; seconds: number },
): Promise<Limit> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sluis-pgbench-'));
  try {
    const script = path.join(dir, scriptName);
    writeFileSync(script, scriptText);
    const url = new URL(databaseUrl);
    const args = [
      '-n',
      '-c',
      String(options.clients),
      '-j',
      String(options.threads),
      '-T',
      String(options.seconds),
      '-f',
      script,
      '--log',
      `--log-prefix=${path.join(dir, 'tx')}`,
      '-h',
      url.hostname,
      '-p',
      url.port || '5432',
      '-U',
      decodeURIComponent(url.username || 'postgres'),
      url.pathname.slice(1),
    ];
    const output = await run('pgbench', args, url.password ? { PGPASSWORD: decodeURIComponent(url.password) } : {});
    const tps = Number(/tps = ([\d.]+) \(without initial connection time\)/.exec(output)?.[1]);
    const transactions = Number(/number of transactions actually processed: (\d+)/.exec(output)?.[1]);
    const failed = Number(/number of failed transactions: (\d+)/.exec(output)?.[1] ?? 0);
    const mean = Number(/latency average = ([\d.]+) ms/.exec(output)?.[1]);
    if (!Number.isFinite(tps) || !Number.isFinite(transactions)) throw new Error(`Could not read pgbench's output:\n${output}`);
    // Per-transaction log lines: client_id transaction_no time(us) script_no time_epoch time_us
    const latencies: number[] = [];
    for (const file of readdirSync(dir).filter((name) => name.startsWith('tx'))) {
      for (const line of readFileSync(path.join(dir, file), 'utf8').split('\n')) {
        const micros = Number(line.split(' ')[2]);
        if (line && Number.isFinite(micros)) latencies.push(micros / 1000);
      }
    }
    latencies.sort((a, b) => a - b);
    return {
      engine: 'postgres',
      method: `pgbench -n -c ${options.clients} -j ${options.threads} -T ${options.seconds} -f ${scriptName}`,
      clients: options.clients,
      seconds: options.seconds,
      transactions,
      tps,
      latency: { mean, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
      failed,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** One-row insert transactions one after the other on a file-backed PGlite in a temporary directory. */
export async function pgliteInsertLimit(options: { seconds: number }): Promise<Limit> {
  const dir = mkdtempSync(path.join(tmpdir(), 'sluis-pglite-limit-'));
  try {
    const pglite = await PGlite.create(path.join(dir, 'pglite'));
    try {
      await pglite.exec(SCRATCH);
      const insert = "insert into bench_scratch (payload) values ('signal ' || md5($1))";
      for (let i = 0; i < 200; i++) await pglite.query(insert, [String(i)]); // warm up
      const latencies: number[] = [];
      const started = performance.now();
      const end = started + options.seconds * 1000;
      for (let now = started; now < end; ) {
        await pglite.query(insert, [String(latencies.length)]);
        const after = performance.now();
        latencies.push(after - now);
        now = after;
      }
      const elapsed = (performance.now() - started) / 1000;
      const mean = latencies.reduce((a, b) => a + b, 0) / latencies.length;
      latencies.sort((a, b) => a - b);
      return {
        engine: 'pglite',
        method: 'sequential one-row INSERT transactions, in process (PGlite has one connection)',
        clients: 1,
        seconds: elapsed,
        transactions: latencies.length,
        tps: latencies.length / elapsed,
        latency: { mean, p50: percentile(latencies, 0.5), p99: percentile(latencies, 0.99) },
        failed: 0,
      };
    } finally {
      await pglite.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], env: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(output) : reject(new Error(`${command} exited with ${code}:\n${output}`))));
  });
}
