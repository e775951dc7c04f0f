/**
 * The routes an operator's monitoring calls (docs/operations.md, "Monitoring"):
 *   /health   the process is alive (no database call);
 *   /ready    the database answers and every migration this version knows is applied; 503 otherwise;
 *   /metrics  Prometheus metrics (metrics.ts), only with SLUIS_METRICS_TOKEN set, and only for a
 *             caller that sends it as `Authorization: Bearer <token>`; without the setting there is no
 *             /metrics at all.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { sendProblem } from '../api/problem-handler.ts';
import { readMigrations } from '../db/migrate.ts';
import type { DB } from '../db/schema.ts';
import { Problem } from '../shared/errors.ts';
import type { Metrics } from './metrics.ts';

/** How long /ready waits for the database before it answers 503. */
const READY_TIMEOUT_MS = 5_000;

export function operationsRoutes(app: FastifyInstance, options: { db: Kysely<DB>; metrics?: Metrics | undefined; metricsToken?: string | undefined }) {
  app.get('/health', { schema: { hide: true } }, async () => ({ status: 'ok' }));

  const expected = readMigrations().map((m) => m.version);
  app.get('/ready', { schema: { hide: true } }, async (request, reply) => {
    const missing = await withTimeout(missingMigrations(options.db, expected), READY_TIMEOUT_MS).catch(() => undefined);
    if (missing === undefined) return notReady(reply, request, 'The database does not answer, or holds no SluiS schema.');
    if (missing.length > 0) return notReady(reply, request, `${missing.length} database migration(s) not applied; run sluis migrate.`);
    return { status: 'ready' };
  });

  const { metrics, metricsToken } = options;
  if (!metrics || !metricsToken) return;
  const tokenHash = sha256(metricsToken);
  app.get('/metrics', { schema: { hide: true } }, async (request, reply) => {
    const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
    if (!given || !timingSafeEqual(sha256(given), tokenHash)) {
      return sendProblem(
        reply,
        request,
        new Problem(401, 'unauthenticated', 'Unauthenticated', 'Send the metrics token (SLUIS_METRICS_TOKEN) as a bearer token.'),
      );
    }
    return reply.type(metrics.contentType).send(await metrics.render());
  });
}

/** Counts every problem the app answers with, by code (problem-handler.ts sends application/problem+json); registered first, so it sees every route's. */
export function countProblems(app: FastifyInstance, metrics: Metrics) {
  app.addHook('onSend', async (_request, reply, payload) => {
    if (typeof payload === 'string' && String(reply.getHeader('content-type') ?? '').startsWith('application/problem+json')) {
      const code = (JSON.parse(payload) as { code?: unknown }).code;
      metrics.problemSent(typeof code === 'string' ? code : 'other', reply.statusCode);
    }
    return payload;
  });
}

async function missingMigrations(db: Kysely<DB>, expected: number[]): Promise<number[]> {
  const applied = await sql<{ version: number }>`select version from schema_migrations`.execute(db);
  const done = new Set(applied.rows.map((row) => row.version));
  return expected.filter((version) => !done.has(version));
}

function notReady(reply: Parameters<typeof sendProblem>[0], request: Parameters<typeof sendProblem>[1], detail: string) {
  const problem = new Problem(503, 'not_ready', 'Not ready', detail);
  problem.retryAfterSeconds = 5;
  return sendProblem(reply, request, problem);
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error('timed out')), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

const sha256 = (text: string) => createHash('sha256').update(text).digest();
