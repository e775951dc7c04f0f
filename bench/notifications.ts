/**
 * The notification benchmark: SluiS (API and delivery worker in one process, as `sluis start`) in a
 * child process, a real SMTP server and a webhook receiver in this one.
 *
 * - Burst: 5,000 persons get a second signal from another organisation while the worker is off;
 *   that queues 10,000 match notifications (10,000 mails and 10,000 webhook calls). Then the worker
 *   starts, and we time until the last one has arrived.
 * - Steady: signals at a steady 50 per second (every second one makes a match, so 50 mails per
 *   second) for a while; for every mail, the time from the matching signal's commit (its HTTP answer)
 *   to the mail's arrival at the SMTP server.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import { sql } from 'kysely';
import { SMTPServer } from 'smtp-server';
import { openDatabase } from '../src/db/database.ts';
import { migrate } from '../src/db/migrate.ts';
import { createPersonCrypto } from '../src/persons/identity-keys.ts';
import { createServices } from '../src/server/services.ts';
import type { StaffActor } from '../src/shared/actor.ts';
import { systemClock } from '../src/shared/clock.ts';
import { randomBsn } from '../src/test-support/fixtures.ts';
import type { NotificationServerSettings } from './notification-server.ts';

export type NotificationBenchOptions = {
  engine: 'postgres' | 'pglite';
  databaseUrl?: string;
  dataDir?: string;
  burstPersons: number;
  steadySeconds: number;
  log: (line: string) => void;
};

export type NotificationBenchResult = {
  engine: 'postgres' | 'pglite';
  burst: { notifications: number; mails: number; webhooks: number; seconds: number; deliveriesPerSecond: number; mailsPerSecond: number };
  steady: {
    signalsPerSecond: number;
    seconds: number;
    signals: number;
    mails: number;
    missing: number;
    p50Ms: number;
    p90Ms: number;
    p99Ms: number;
    maxMs: number;
  };
};

type Caller = { headers: Record<string, string> };

const ORGANISATIONS = 100;

/** Arrival times of mails by Message-ID, without parsing them (the SMTP server must not steal the server's CPU). */
async function startSmtp() {
  const arrivals = new Map<string, number>();
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, _session, callback) {
      let head = '';
      stream.on('data', (chunk: Buffer) => {
        if (head.length < 4096) head += chunk.toString('latin1');
      });
      stream.on('end', () => {
        const id = /^Message-ID:\s*(<[^>]+>)/im.exec(head)?.[1];
        if (id && !arrivals.has(id)) arrivals.set(id, performance.now());
        callback();
      });
    },
  });
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.server.address() as { port: number }).port)));
  return { url: `smtp://127.0.0.1:${port}`, arrivals, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function startReceiver() {
  const arrivals = new Map<string, number>();
  const server = createServer((request, response) => {
    const id = String(request.headers['webhook-id']);
    request.resume();
    request.on('end', () => {
      if (!arrivals.has(id)) arrivals.set(id, performance.now());
      response.writeHead(204).end();
    });
  });
  server.keepAliveTimeout = 60_000;
  const port = await new Promise<number>((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as { port: number }).port)));
  return { url: `http://127.0.0.1:${port}/events`, arrivals, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

async function setUp(options: NotificationBenchOptions, keys: { pseudonymKey: string; encryptionKey: string }, webhookUrl: string): Promise<Caller[]> {
  const database = await openDatabase({ databaseUrl: options.databaseUrl, ...(options.dataDir && { dataDir: options.dataDir }) });
  await migrate(database.db);
  const services = createServices({
    db: database.db,
    clock: systemClock,
    crypto: createPersonCrypto({ pseudonymKey: Buffer.from(keys.pseudonymKey, 'base64'), encryptionKey: Buffer.from(keys.encryptionKey, 'base64') }),
    webhookAddresses: { allowedNetworks: ['127.0.0.0/8'] }, // the receiver listens on 127.0.0.1
  });
  const admin: StaffActor = {
    kind: 'staff',
    staffMemberId: '00000000-0000-4000-8000-000000000001',
    roles: ['municipality_admin'],
    apiClientId: null,
    requestId: 'bench',
  };
  const callers: Caller[] = [];
  for (let i = 0; i < ORGANISATIONS; i++) {
    const organisation = await services.organisations.create(admin, { name: `Bench organisation ${i}`, domains: ['welfare'] });
    await services.covenants.start(admin, organisation.id, { startsOn: '2020-01-01' });
    const professional = await services.professionals.create(admin, organisation.id, {
      name: `Professional ${i}`,
      email: `p${i}@bench.test`,
      phone: '010 000 0000',
    });
    const client = await services.apiClients.createForOrganisation(admin, organisation.id, 'bench');
    await services.webhooks.subscribe(
      { kind: 'record_system', organisationId: organisation.id, apiClientId: client.id, requestId: 'bench' },
      { url: webhookUrl, eventTypes: ['match.created', 'match.participant_joined'] },
    );
    callers.push({ headers: { authorization: `Bearer ${client.token}`, 'sluis-professional-id': professional.id, 'content-type': 'application/json' } });
  }
  await database.close();
  return callers;
}

async function startServer(settings: NotificationServerSettings): Promise<{ child: ChildProcess; port: number; stop(): Promise<void> }> {
  const child = fork(new URL('./notification-server.ts', import.meta.url).pathname, [], {
    env: { ...process.env, SLUIS_BENCH_NOTIFY: JSON.stringify(settings) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('message', (message: { type: string; port: number }) => resolve(message.port));
    child.once('exit', (code) => reject(new Error(`notification server exited with ${code}`)));
  });
  return {
    child,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.send({ type: 'stop' });
      }),
  };
}

function body(bsn: string, today: string): string {
  return JSON.stringify({
    person: { bsn, name: { givenNames: 'Bench', familyName: 'Persoon' }, dateOfBirth: '1980-01-01', gender: 'unknown' },
    legalBasis: { basis: 'consent', givenBy: 'person', givenOn: today },
  });
}

async function file(port: number, caller: Caller, bsn: string, today: string): Promise<{ matchId: string | null; at: number }> {
  const response = await fetch(`http://127.0.0.1:${port}/api/v1/signals`, { method: 'POST', headers: caller.headers, body: body(bsn, today) });
  const answer = (await response.json()) as { match: { id: string } | null };
  if (response.status !== 201) throw new Error(`filing answered ${response.status}`);
  return { matchId: answer.match?.id ?? null, at: performance.now() };
}

async function waitUntil(check: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return true;
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? NaN;

export async function runNotificationBench(options: NotificationBenchOptions): Promise<NotificationBenchResult> {
  const keys = { pseudonymKey: randomBytes(32).toString('base64'), encryptionKey: randomBytes(32).toString('base64') };
  const smtp = await startSmtp();
  const receiver = await startReceiver();
  const today = new Date().toISOString().slice(0, 10);
  try {
    const callers = await setUp(options, keys, receiver.url);
    const base = {
      ...(options.databaseUrl && { databaseUrl: options.databaseUrl }),
      ...(options.dataDir && { dataDir: options.dataDir }),
      smtpUrl: smtp.url,
      pollMs: 500,
      ...keys,
    };

    // Burst: queue 2 × burstPersons match notifications with the worker off, then deliver them.
    options.log(`  ${options.engine}: queueing ${2 * options.burstPersons} match notifications ...`);
    const queueing = await startServer({ ...base, worker: false });
    let next = 0;
    await Promise.all(
      Array.from({ length: 16 }, async () => {
        while (next < options.burstPersons) {
          const i = next++;
          const bsn = randomBsn();
          await file(queueing.port, callers[i % ORGANISATIONS]!, bsn, today);
          await file(queueing.port, callers[(i + 1) % ORGANISATIONS]!, bsn, today);
        }
      }),
    );
    await queueing.stop();
    const expected = 2 * options.burstPersons;
    options.log(`  ${options.engine}: delivering the burst ...`);
    const burstStart = performance.now();
    const delivering = await startServer({ ...base, worker: true });
    const complete = await waitUntil(() => smtp.arrivals.size >= expected && receiver.arrivals.size >= expected, 600_000);
    const burstSeconds = (Math.max(...smtp.arrivals.values(), ...receiver.arrivals.values()) - burstStart) / 1000;
    const mailSeconds = (Math.max(...smtp.arrivals.values()) - burstStart) / 1000;
    if (!complete) throw new Error(`burst incomplete: ${smtp.arrivals.size} mails, ${receiver.arrivals.size} webhooks of ${expected}`);
    const burst = {
      notifications: expected,
      mails: smtp.arrivals.size,
      webhooks: receiver.arrivals.size,
      seconds: burstSeconds,
      deliveriesPerSecond: (2 * expected) / burstSeconds,
      mailsPerSecond: expected / mailSeconds,
    };

    // Steady: 50 signals per second, every second one making a match.
    options.log(`  ${options.engine}: ${options.steadySeconds} s of signals at 50 per second ...`);
    smtp.arrivals.clear();
    const commits = new Map<string, number>();
    const filings: Promise<void>[] = [];
    const steadyStart = performance.now();
    const total = options.steadySeconds * 50;
    let bsn = '';
    for (let i = 0; i < total; i++) {
      const wait = steadyStart + i * 20 - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      if (i % 2 === 0) bsn = randomBsn(); // the second of each pair files on the same person, from another organisation
      const pair = Math.floor(i / 2);
      const caller = callers[(pair + (i % 2)) % ORGANISATIONS]!;
      const person = bsn;
      filings.push(
        file(delivering.port, caller, person, today).then((answer) => {
          if (answer.matchId) commits.set(answer.matchId, answer.at);
        }),
      );
    }
    await Promise.all(filings);
    const steadySeconds = (performance.now() - steadyStart) / 1000;
    const expectedMails = commits.size * 2;
    await waitUntil(() => smtp.arrivals.size >= expectedMails, 30_000);
    await delivering.stop();

    // Which mail belongs to which match: the outbox record behind its Message-ID.
    const database = await openDatabase({ databaseUrl: options.databaseUrl, ...(options.dataDir && { dataDir: options.dataDir }) });
    const outbox = await sql<{
      id: number;
      match_id: string;
    }>`select id, payload->>'matchId' as match_id from outbox where event_type = 'match.created'`.execute(database.db);
    const undelivered = await sql<{ channel: string; status: string; attempts: number; last_error: string | null; n: number }>`
      select channel, status, attempts, last_error, count(*)::int as n from deliveries where status <> 'delivered' group by 1, 2, 3, 4`.execute(database.db);
    const outboxPending = (await sql<{ n: number }>`select count(*)::int as n from outbox where status = 'pending'`.execute(database.db)).rows[0]!.n;
    await database.close();
    const matchOf = new Map(outbox.rows.map((row) => [`<sluis-${row.id}@bench.test>`, row.match_id]));
    const latencies: number[] = [];
    const unmatched: string[] = [];
    for (const [messageId, arrivedAt] of smtp.arrivals) {
      const committedAt = commits.get(matchOf.get(messageId) ?? '');
      if (committedAt !== undefined) latencies.push(arrivedAt - committedAt);
      else unmatched.push(messageId);
    }
    if (latencies.length < expectedMails) {
      options.log(
        `  ${options.engine}: ${expectedMails - latencies.length} mails not measured; arrived but not matched to a commit: ${unmatched.length} (${unmatched.slice(0, 4).join(', ')}); ` +
          `outbox still pending: ${outboxPending}; deliveries not delivered: ${JSON.stringify(undelivered.rows)}`,
      );
    }
    latencies.sort((a, b) => a - b);
    return {
      engine: options.engine,
      burst,
      steady: {
        signalsPerSecond: total / steadySeconds,
        seconds: steadySeconds,
        signals: total,
        mails: latencies.length,
        missing: expectedMails - latencies.length,
        p50Ms: percentile(latencies, 0.5),
        p90Ms: percentile(latencies, 0.9),
        p99Ms: percentile(latencies, 0.99),
        maxMs: latencies.at(-1) ?? NaN,
      },
    };
  } finally {
    await smtp.close();
    await receiver.close();
  }
}
