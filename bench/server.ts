/**
 * The SluiS server under test, in its own process so the load generator does not share its event
 * loop: the production app (buildApp: the API and the web pages) on the system clock, on
 * PostgreSQL or file-backed PGlite, on 127.0.0.1 with an ephemeral port; with `register`, the
 * population register opened as SLUIS_REGISTER opens it (the embedded test persons, or the Haal
 * Centraal client with its defaults, pointed at the stub register). Started by bench/run.ts
 * with its settings in SLUIS_BENCH_SERVER; talks to the parent over IPC: 'ready' (port), 'stats'
 * (CPU and event-loop use, row counts), 'stop'.
 */
import { performance } from 'node:perf_hooks';
import { PGlite } from '@electric-sql/pglite';
import { sql } from 'kysely';
import pg from 'pg';
import { openDatabase } from '../src/db/database.ts';
import { createPersonCrypto } from '../src/persons/identity-keys.ts';
import { readHaalCentraalConfig } from '../src/population-register/haal-centraal-config.ts';
import { buildApp } from '../src/server/app.ts';
import { openPopulationRegister } from '../src/server/runtime.ts';
import { createServices } from '../src/server/services.ts';
import { systemClock } from '../src/shared/clock.ts';

/** The population register: none (as before), the embedded test persons, or Haal Centraal at this URL with this API key. */
export type ServerRegister = { kind: 'embedded' } | { kind: 'haal-centraal'; url: string; apiKey: string };
export type ServerSettings = {
  databaseUrl?: string;
  dataDir?: string;
  poolSize: number;
  pseudonymKey: string;
  encryptionKey: string;
  register?: ServerRegister;
};
export type ServerStats = {
  queries: number;
  requests: number;
  cpuUserMs: number;
  cpuSystemMs: number;
  eventLoopUtilization: number;
  rssMb: number;
  counts?: Record<string, number>;
};
export type ServerMessage = { type: 'ready'; port: number } | { type: 'stats'; stats: ServerStats } | { type: 'stopped' };
export type ParentMessage = { type: 'stats'; counts?: boolean } | { type: 'stop' };

// Count the statements the app sends to the database (each one a round trip), without touching src.
let queries = 0;
function countCalls(prototype: object, method: string) {
  const target = prototype as Record<string, (...args: unknown[]) => unknown>;
  const original = target[method]!;
  target[method] = function (this: unknown, ...args: unknown[]) {
    queries++;
    return original.apply(this, args);
  };
}
countCalls(pg.Client.prototype, 'query');
countCalls(PGlite.prototype, 'query');
countCalls(PGlite.prototype, 'exec');

const settings = JSON.parse(process.env.SLUIS_BENCH_SERVER ?? '{}') as ServerSettings;
const send = (message: ServerMessage) => process.send?.(message);

const register = settings.register
  ? openPopulationRegister(
      settings.register.kind === 'embedded'
        ? // The bundled test persons; no change is applied, so the changes file (in the data directory) is never written.
          { register: 'embedded', registerFile: undefined, dataDir: settings.dataDir ?? '/nonexistent', haalCentraal: undefined }
        : {
            register: 'haal-centraal',
            registerFile: undefined,
            dataDir: '',
            haalCentraal: readHaalCentraalConfig({ SLUIS_BRP_URL: settings.register.url, SLUIS_BRP_API_KEY: settings.register.apiKey }),
          },
      systemClock,
    )
  : undefined;
const database = await openDatabase({ databaseUrl: settings.databaseUrl, ...(settings.dataDir && { dataDir: settings.dataDir }), poolSize: settings.poolSize });
const services = createServices({
  db: database.db,
  clock: systemClock,
  crypto: createPersonCrypto({ pseudonymKey: Buffer.from(settings.pseudonymKey, 'base64'), encryptionKey: Buffer.from(settings.encryptionKey, 'base64') }),
  register,
});
// As `sluis start` does (src/server/runtime.ts): the settings read once before any request.
await services.settings.current();
// Both rate limits out of reach: the API's per client, and the sign-in forms' per IP (the pages benchmark signs in from 127.0.0.1).
const app = await buildApp({ services, rateLimitPerMinute: 1_000_000_000, signInRateLimitPerMinute: 1_000_000_000 });
// Count the HTTP requests that arrive (for figures per request, whatever the load generator saw).
let requests = 0;
app.server.on('request', () => requests++);
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
if (!address || typeof address === 'string') throw new Error('No TCP address');

let eluMark = performance.eventLoopUtilization();
let cpuMark = process.cpuUsage();

process.on('message', async (message: ParentMessage) => {
  if (message.type === 'stats') {
    const elu = performance.eventLoopUtilization(eluMark);
    const cpu = process.cpuUsage(cpuMark);
    eluMark = performance.eventLoopUtilization();
    cpuMark = process.cpuUsage();
    const queriesSoFar = queries;
    const requestsSoFar = requests;
    let counts: Record<string, number> | undefined;
    if (message.counts) {
      const result = await sql<Record<string, number>>`
        select (select count(*) from persons)::int as persons, (select count(*) from signals)::int as signals,
               (select count(*) from matches)::int as matches, (select count(*) from match_participants)::int as "matchParticipants",
               (select count(*) from outbox)::int as outbox, (select count(*) from audit_events)::int as "auditEvents",
               (select count(*) from matches where kind = 'family')::int as "familyMatches",
               (select count(*) from person_register)::int as "personRegister",
               (select count(*) from register_verifications)::int as "registerVerifications"`.execute(database.db);
      counts = result.rows[0];
    }
    send({
      type: 'stats',
      stats: {
        queries: queriesSoFar,
        requests: requestsSoFar,
        cpuUserMs: cpu.user / 1000,
        cpuSystemMs: cpu.system / 1000,
        eventLoopUtilization: elu.utilization,
        rssMb: process.memoryUsage().rss / 2 ** 20,
        ...(counts && { counts }),
      },
    });
  } else if (message.type === 'stop') {
    await app.close();
    await register?.close?.();
    await database.close();
    send({ type: 'stopped' });
    process.disconnect?.();
  }
});

send({ type: 'ready', port: address.port });
