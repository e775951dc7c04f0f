/**
 * The `sluis` command:
 *   sluis start           run the server (and the scheduled lifetime sweep)
 *   sluis migrate         apply database migrations and exit
 *   sluis seed-demo       fill an empty index with a small demo region
 *   sluis jobs run-once   run the lifetime sweep once and exit
 *   sluis hub             run the federation hub (docs/federation.md)
 *   sluis pseudonymiser   run the federation's pseudonymisation service
 *   sluis federation keys print new keys and settings for a party of the federation
 *   sluis register …      apply a move, death, emigration, parents or confidentiality change to the embedded register
 *   sluis backup …        back up the embedded database (also while SluiS runs) or its keys
 *   sluis restore …       bring a backup or its keys back into an empty data directory
 */

import { existsSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { totpCode } from './accounts/credentials.ts';
import { federationDemo } from './demo/federation-demo.ts';
import { DEMO_TOTP_SECRET, seedDemo } from './demo/seed-demo.ts';
import { FEDERATION_KEYS_USAGE, federationKeysCommand } from './federation/federation-keys.ts';
import { startScheduler } from './jobs/lifetime-jobs.ts';
import { addKeyVersionToFile, loadIdentityKeys, newKeyVersion } from './persons/identity-keys.ts';
import { createEmbeddedRegister } from './population-register/embedded-register.ts';
import { parseRegisterCommand, REGISTER_USAGE, runRegisterCommand } from './population-register/register-commands.ts';
import { buildApp } from './server/app.ts';
import { backupCommand } from './server/backup-commands.ts';
import { type Config, ConfigError, loadConfig } from './server/config.ts';
import { openHub, openPseudonymiser } from './server/federation-apps.ts';
import { type HubConfig, loadHubConfig, loadPseudonymiserConfig, type PseudonymiserConfig } from './server/federation-config.ts';
import { createMetrics } from './server/metrics.ts';
import { openRuntime, type Runtime, registerChangesFile } from './server/runtime.ts';
import { systemClock } from './shared/clock.ts';
import { loggerOptions } from './shared/logging.ts';

const USAGE = `Usage: sluis <command>

Commands:
  start           Run SluiS (HTTP API and the scheduled lifetime sweep)
  migrate         Apply database migrations and exit
  demo            Seed the demo region into an empty index, then start
  demo --federation
                  Two demo regions linked through a hub and a pseudonymisation service (./data-federation/),
                  one person filed in both: a cross-region match (docs/federation.md)
  seed-demo       Fill an empty index with a small demo region (organisations, professionals, API clients, signals)
  demo-code       Print the current sign-in code of the demo accounts (demo only)
  worker          Deliver notifications and run the lifetime sweep, without the HTTP API (a separate process)
  hub             Run the federation hub: cross-region matches on keyed hashes, never a BSN (docs/federation.md)
  pseudonymiser   Run the federation's pseudonymisation service: holds the hub's OPRF keys only
  federation keys <region-id>|hub|pseudonymiser
                  Print new keys as the settings a party of the federation needs, and a region's public key
                  for the services' SLUIS_FEDERATION_PARTIES (docs/federation.md, "Setting up a federation")
  jobs run-once   Expire and purge signals that are due, once, and exit
  keys status     The key versions of the index and of this configuration, a running rotation's progress,
                  and the API tokens still working in the overlap period after a new one was issued
  keys rotate pseudonym|encryption
                  Make a new key version: written into keys.json (embedded database), or printed for the
                  environment or secret store (PostgreSQL); the rotation starts when SluiS next starts
  keys run        Start a rotation this configuration calls for and run it to the end here, in batches
                  (the running servers' sweep does the same, a share each round); docs/operations.md
  backup <file>   Write a backup of the embedded database to <file>, also while SluiS runs (recorded in the audit trail)
  backup --keys <file>
                  Copy the keys (keys.json) to <file>: keep it apart from the database backups
  restore <file>  Bring a backup back into an empty data directory (SLUIS_DATA_DIR); then sluis start
  restore --keys <file>
                  Put the keys of a backup back into the data directory
  register move|death|emigrate|parents|confidential <bsn> …
                  Apply a move, death, emigration, change of the registered parents or of confidentiality
                  to the embedded register (SLUIS_REGISTER=embedded); the running SluiS applies it at its
                  next sweep. \`sluis register\` alone tells how.

Configuration comes from environment variables (and .env); see docs/configuration.md.`;

async function main(args: string[]): Promise<number> {
  const command = args.join(' ');
  if (['', 'help', '--help', '-h'].includes(command)) {
    console.log(USAGE);
    return 0;
  }
  // The demo (and `sluis register`, which changes it) runs with the embedded register (the RvIG's test persons), unless SLUIS_REGISTER says otherwise.
  if ((command === 'demo' || command === 'seed-demo' || args[0] === 'register') && !process.env.SLUIS_REGISTER) process.env.SLUIS_REGISTER = 'embedded';
  if (command === 'hub' || command === 'pseudonymiser') return federationProcess(command);
  if (command === 'demo --federation') return federationDemo();
  if (args[0] === 'federation') {
    const text = args[1] === 'keys' ? await federationKeysCommand(args.slice(2)) : undefined;
    if (text === undefined) {
      console.error(FEDERATION_KEYS_USAGE);
      return 2;
    }
    console.log(text);
    return 0;
  }
  const config = loadConfig();
  if (args[0] === 'register') return registerCommand(config, args.slice(1));
  if (args[0] === 'keys') return keysCommand(config, args.slice(1));
  if (args[0] === 'backup' || args[0] === 'restore') return backupCommand(config, args[0], args.slice(1));
  switch (command) {
    case 'start':
      return start(config);
    case 'migrate': {
      const runtime = await openRuntime(config);
      console.log(runtime.migrationsApplied.length ? `Applied: ${runtime.migrationsApplied.join(', ')}` : 'The database is up to date.');
      await runtime.close();
      return 0;
    }
    case 'seed-demo': {
      const runtime = await openRuntime(config);
      try {
        console.log(await seedDemo(runtime.services, config.publicUrl));
      } finally {
        await runtime.close();
      }
      return 0;
    }
    case 'demo': {
      // Seed the demo region when the index is empty, then start: the quickest way to look around.
      const runtime = await openRuntime(config);
      const empty = (await runtime.services.organisations.list({})).length === 0;
      console.log(empty ? await seedDemo(runtime.services, config.publicUrl) : 'The index already has data: starting without seeding the demo region.');
      await runtime.close();
      return start(config);
    }
    case 'demo-code':
      // The current code for the demo accounts' shared authenticator secret (the secret is public; demo only).
      console.log(totpCode(DEMO_TOTP_SECRET, new Date()));
      return 0;
    case 'worker':
      return worker(config);
    case 'jobs run-once': {
      const runtime = await openRuntime(config);
      const result = await runtime.services.jobs.runOnce();
      console.log(
        `Expired ${result.expired} signals; ${result.expiryNotices} expiry notices; ${result.informingReminders} informing reminders; escalated ${result.escalated} matches; purged ${result.purgedSignals} signals and ${result.purgedPersons} persons; removed ${result.purgedDeliveries} old deliveries.`,
      );
      await runtime.close();
      return 0;
    }
    default:
      console.error(`Unknown command: ${command}\n\n${USAGE}`);
      return 2;
  }
}

/** `sluis keys status|rotate pseudonym|rotate encryption|run` (docs/operations.md, "Key rotation"). */
async function keysCommand(config: Config, args: string[]): Promise<number> {
  const [action, kind] = args;
  if (action === 'rotate' && (kind === 'pseudonym' || kind === 'encryption')) {
    const keys = loadIdentityKeys(config);
    const added = newKeyVersion(keys, kind);
    const fromEnvironment = kind === 'pseudonym' ? config.pseudonymKey || config.pseudonymKeys : config.bsnEncryptionKey || config.bsnEncryptionKeys;
    if (!fromEnvironment) {
      addKeyVersionToFile(config.dataDir, kind, added);
      console.log(`Added ${kind} key version ${added.version} to ${path.join(config.dataDir, 'keys.json')}.`);
      console.log('Restart SluiS: it starts the rotation and its sweep runs it; or run `sluis keys run` first. Back up keys.json now.');
      return 0;
    }
    const name = kind === 'pseudonym' ? 'SLUIS_PSEUDONYM_KEYS' : 'SLUIS_BSN_ENCRYPTION_KEYS';
    const list = kind === 'pseudonym' ? config.pseudonymKeys : config.bsnEncryptionKeys;
    const entry = `${added.version}:${added.key.toString('base64')}`;
    console.log('Give every SluiS process this setting, through the secret store (never in a file others can read):');
    // The existing versions are not printed again: they stay where they are.
    console.log(list ? `${name}=${entry},<the present value of ${name}>` : `${name}=${entry}`);
    if (!list) console.log(`and keep ${kind === 'pseudonym' ? 'SLUIS_PSEUDONYM_KEY' : 'SLUIS_BSN_ENCRYPTION_KEY'} as it is: it is version 1.`);
    console.log('Then stop every SluiS process and start them again: the first to start begins the rotation (docs/operations.md, "Key rotation").');
    return 0;
  }
  if (action !== 'status' && action !== 'run') {
    console.error('Usage: sluis keys status | sluis keys rotate pseudonym|encryption | sluis keys run');
    return 2;
  }
  const runtime = await openRuntime(config, undefined, { keys: action === 'run' ? 'begin' : 'leave' });
  try {
    if (action === 'run') {
      let last = 0;
      const result = await runtime.services.keyRotation.runToEnd((kind, done) => {
        if (done - last >= 10_000) {
          last = done;
          console.log(`${kind}: ${done} done`);
        }
      });
      console.log(`Re-keyed ${result.rekeyed} pseudonyms; encrypted ${result.reencrypted} ciphertexts again.`);
    }
    for (const s of await runtime.services.keyRotation.status()) {
      const running = s.rotatingFrom === null ? 'no rotation running' : `rotating from version ${s.rotatingFrom}, ${s.remaining} to do`;
      console.log(`${s.kind}: the index is at version ${s.version}, this configuration's newest is ${s.configured}; ${running}`);
    }
    // API tokens rotate per client (docs/operations.md, "Rotating an API token"): the old ones still in their overlap.
    const overlapping = await runtime.services.apiClients.tokensInOverlap();
    if (overlapping.length === 0) console.log('API tokens: none in an overlap period');
    for (const o of overlapping)
      console.log(`API token ${o.keyId} of client ${o.apiClientId} ("${o.name}"): replaced, works until ${o.expiresAt.toISOString()}`);
  } finally {
    await runtime.close();
  }
  return 0;
}

async function start(config: Config): Promise<number> {
  const runtime = await openRuntime(config);
  const metrics = createMetrics({ db: runtime.database.db, clock: systemClock, poolUse: runtime.database.poolUse });
  const app = await buildApp({
    metrics,
    metricsToken: config.metricsToken,
    services: runtime.services,
    logger: loggerOptions(config.logLevel),
    bodyLimitBytes: config.bodyLimitBytes,
    rateLimitPerMinute: config.rateLimitPerMinute,
    trustProxy: config.trustProxy,
    publicUrl: config.publicUrl,
    apiContact: config.apiContact,
  });
  const scheduler = config.jobsEnabled ? startScheduler(runtime.services.jobs, config.jobsIntervalSeconds, app.log, metrics.sweepFinished) : undefined;
  const deliveries = config.workerEnabled ? startDeliveries(runtime, config, app.log) : undefined;
  onStopSignal(config, app.log, async () => {
    // At once: no new connections (requests on open connections get 503), the requests in flight
    // finish; the sweep and the delivery batch in progress finish and nothing new is claimed.
    await Promise.all([app.close(), scheduler?.stop(), deliveries?.stop()]);
    await runtime.close();
  });
  await app.listen({ host: config.host, port: config.port });

  const engine = runtime.database.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  console.log(`\nSluiS listens on ${config.publicUrl} (bound to ${config.host}:${config.port}), database: ${engine}.`);
  console.log(`API: ${config.publicUrl}/api/v1, OpenAPI: ${config.publicUrl}/api/v1/openapi.json`);
  console.log(mailLine(config));
  const code = await runtime.services.staff.issueSetupCode();
  if (code) {
    console.log(`\nNo municipality administrator exists yet. Create the first one within 24 hours with this one-time code: ${code}\n`);
    console.log(`  in the browser: ${config.publicUrl}/inrichten\n  or with the API:`);
    console.log(`  curl -s -X POST ${config.publicUrl}/api/v1/setup -H 'content-type: application/json' \\`);
    console.log(`    -d '{"setupCode":"${code}","name":"Your Name","email":"you@example.nl"}'\n`);
    console.log('The answer holds your API token; it is shown only once. Or run `npm run demo` for a demo region.\n');
  }

  return new Promise<number>(() => {});
}

/** `sluis hub` or `sluis pseudonymiser`: its own configuration (docs/configuration.md, "Federation") and database. */
async function federationProcess(role: 'hub' | 'pseudonymiser'): Promise<number> {
  if (existsSync('.env')) process.loadEnvFile('.env');
  const config = role === 'hub' ? loadHubConfig() : loadPseudonymiserConfig();
  const logger = loggerOptions(config.logLevel);
  const running = role === 'hub' ? await openHub(config as HubConfig, { logger }) : await openPseudonymiser(config as PseudonymiserConfig, { logger });
  await running.app.listen({ host: config.host, port: config.port });
  const engine = running.database.engine === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL (DATABASE_URL)';
  console.log(`SluiS ${role} "${config.id}" listens on ${config.host}:${config.port}, database: ${engine}.`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop());
  process.on('SIGTERM', () => void stop());
  return new Promise<number>(() => {});
}

/** `sluis register …`: a change to the embedded register's changes file; no database, no server needed. */
async function registerCommand(config: Config, args: string[]): Promise<number> {
  if (config.register !== 'embedded') {
    console.error('sluis register changes the embedded register: set SLUIS_REGISTER=embedded. A real register changes at the RvIG, not here.');
    return 2;
  }
  if (args.length === 0) {
    console.log(REGISTER_USAGE);
    return 0;
  }
  const parsed = parseRegisterCommand(args);
  if ('problems' in parsed) {
    console.error(`${parsed.problems.join('\n')}\n\n${REGISTER_USAGE}`);
    return 2;
  }
  const register = createEmbeddedRegister({ ...(config.registerFile && { file: config.registerFile }), changesFile: registerChangesFile(config) });
  console.log(await runRegisterCommand(register, parsed.command, systemClock));
  return 0;
}

function mailLine(config: Config): string {
  if (config.smtpUrl) return `Mail: SMTP at ${new URL(config.smtpUrl).host}, from ${config.mailFrom}.`;
  return `Mail: no SMTP_URL set, so mails go to the development mailbox (administrators: GET /api/v1/dev-mailbox).${config.databaseUrl ? ' Set SMTP_URL for real mail.' : ''}`;
}

function startDeliveries(runtime: Runtime, config: Config, log: { error(o: object, m: string): void }) {
  const worker = runtime.services.deliveryWorker.start({ pollMs: config.workerPollMs, log });
  runtime.services.wakeups.onOutbox(worker.wake);
  return worker;
}

/** `sluis worker`: deliveries and the lifetime sweep in their own process, next to servers started with SLUIS_WORKER_ENABLED=false. */
async function worker(config: Config): Promise<number> {
  const runtime = await openRuntime(config);
  const log = pino(loggerOptions(config.logLevel));
  const scheduler = config.jobsEnabled ? startScheduler(runtime.services.jobs, config.jobsIntervalSeconds, log) : undefined;
  const deliveries = startDeliveries(runtime, config, log);
  console.log(`SluiS worker delivers notifications (polling every ${config.workerPollMs} ms). ${mailLine(config)}`);
  onStopSignal(config, log, async () => {
    await Promise.all([scheduler?.stop(), deliveries.stop()]);
    await runtime.close();
  });
  return new Promise<number>(() => {});
}

/**
 * SIGTERM or SIGINT: `stop` finishes what is in flight, then the process exits 0. Past
 * SLUIS_SHUTDOWN_TIMEOUT_SECONDS it exits 1 anyway: a delivery cut off then was claimed under a lease
 * and is sent again after the lease runs out (at least once, never lost).
 */
function onStopSignal(config: Config, log: { info(o: object, m: string): void; error(o: object, m: string): void }, stop: () => Promise<void>) {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal, timeoutSeconds: config.shutdownTimeoutSeconds }, 'shutting down');
    setTimeout(() => {
      log.error({ timeoutSeconds: config.shutdownTimeoutSeconds }, 'shutdown took too long: exiting anyway');
      process.exit(1);
    }, config.shutdownTimeoutSeconds * 1000).unref();
    stop().then(
      () => {
        log.info({}, 'shut down');
        process.exit(0);
      },
      (err: unknown) => {
        log.error({ err }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    if (error instanceof ConfigError) console.error(error.message);
    else console.error(error);
    process.exit(1);
  },
);
