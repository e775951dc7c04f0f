/**
 * What an operator watches, in the Prometheus text format (prom-client), served at /metrics
 * (operations-routes.ts; docs/operations.md, "Monitoring"). Nothing here names a person, a signal, a
 * match or an organisation: every label is one of a closed set of words (a match kind, a delivery
 * state, a problem code the code base defines, a pool state), so the number of series is bounded.
 *
 * Counted in this process: API refusals by problem code, lifetime sweep durations. Read at scrape time
 * from the database, the same on every instance (take max(), not sum(), over instances): filings and
 * matches made by kind (the policy figures' rows, figure_events, which every process writes and a purge
 * never removes), deliveries pending, retrying and dead, outbox records not yet dispatched. Read from
 * the process: the database pool, the event-loop lag and Node's default process metrics.
 */
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import client from 'prom-client';
import type { PoolUse } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';

export type Metrics = ReturnType<typeof createMetrics>;

const MATCH_KINDS = ['person', 'family', 'address'] as const;
const DELIVERY_STATES = ['pending', 'retrying', 'dead'] as const;
/** A problem code is a word the code base defines; anything else (and more than this many codes) is counted as `other`. */
const PROBLEM_CODE = /^[a-z][a-z_]{0,39}$/;
const MAX_PROBLEM_CODES = 100;

export function createMetrics(deps: { db: Kysely<DB>; clock: Clock; poolUse: () => PoolUse }) {
  const { db, clock } = deps;
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });

  // First: a scrape reads the pool before its own queries below wait for a connection.
  new client.Gauge({
    name: 'sluis_db_pool_connections',
    help: 'Database connections: max (configured), total (open), idle; embedded PGlite has one',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const use = deps.poolUse();
      this.set({ state: 'max' }, use.max);
      this.set({ state: 'total' }, use.total);
      this.set({ state: 'idle' }, use.idle);
    },
  });
  new client.Gauge({
    name: 'sluis_db_pool_waiting',
    help: 'Queries waiting for a database connection',
    registers: [registry],
    collect() {
      this.set(deps.poolUse().waiting);
    },
  });

  const problems = new client.Counter({
    name: 'sluis_api_problems_total',
    help: 'API requests refused or failed, by problem code and HTTP status',
    labelNames: ['code', 'status'],
    registers: [registry],
  });
  const seenCodes = new Set<string>();

  const sweeps = new client.Histogram({
    name: 'sluis_lifetime_sweep_duration_seconds',
    help: 'How long a lifetime sweep (expiry, purge, escalation, register changes) took, by outcome',
    labelNames: ['outcome'],
    buckets: [0.05, 0.25, 1, 5, 15, 60, 300, 900],
    registers: [registry],
  });

  const figures = createFigureTotals(db, clock);
  new client.Counter({
    name: 'sluis_signals_filed_total',
    help: 'Signals filed (from the policy figures in the database, all instances together)',
    registers: [registry],
    async collect() {
      const totals = await figures.read();
      this.reset();
      this.inc(totals.get('signals') ?? 0);
    },
  });
  new client.Counter({
    name: 'sluis_matches_made_total',
    help: 'Matches made, by kind (from the policy figures in the database, all instances together)',
    labelNames: ['kind'],
    registers: [registry],
    async collect() {
      const totals = await figures.read();
      this.reset();
      for (const kind of MATCH_KINDS) this.inc({ kind }, totals.get(`matches/${kind}`) ?? 0);
    },
  });

  new client.Gauge({
    name: 'sluis_deliveries',
    help: 'Mails and webhook calls not delivered: pending (not failed yet), retrying (failed, will try again), dead (given up)',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const row = await sql<Record<(typeof DELIVERY_STATES)[number], number>>`
        select count(*) filter (where status = 'pending' and last_error is null)::int as pending,
               count(*) filter (where status = 'pending' and last_error is not null)::int as retrying,
               (select count(*)::int from deliveries where status = 'dead') as dead
          from deliveries where status = 'pending'`.execute(db);
      for (const state of DELIVERY_STATES) this.set({ state }, row.rows[0]?.[state] ?? 0);
    },
  });
  new client.Gauge({
    name: 'sluis_outbox_pending',
    help: 'Outbox records not yet turned into deliveries',
    registers: [registry],
    async collect() {
      const row = await db
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('status', '=', 'pending')
        .executeTakeFirst();
      this.set(Number(row?.n ?? 0));
    },
  });

  return {
    contentType: registry.contentType,
    render: () => registry.metrics(),
    /** An API answer that was a problem (problem-handler.ts). */
    problemSent(code: string, status: number) {
      let label = PROBLEM_CODE.test(code) ? code : 'other';
      if (!seenCodes.has(label)) {
        if (seenCodes.size >= MAX_PROBLEM_CODES) label = 'other';
        seenCodes.add(label);
      }
      problems.inc({ code: label, status: String(status) });
    },
    /** A lifetime sweep finished (jobs/lifetime-jobs.ts, startScheduler). */
    sweepFinished(seconds: number, failed: boolean) {
      sweeps.observe({ outcome: failed ? 'failed' : 'ok' }, seconds);
    },
  };
}

/**
 * The filings and matches of the figure rows, added up. Months before last month never change (a row
 * is written in the month of its event), so their sum is kept until the month turns; each scrape adds
 * up last month and later only, through the (figure, month) index.
 */
function createFigureTotals(db: Kysely<DB>, clock: Clock) {
  let settled: { before: string; totals: Map<string, number> } | undefined;
  let reading: Promise<Map<string, number>> | undefined;

  const sums = async (where: 'before' | 'from', month: string) => {
    const rows = await db
      .selectFrom('figure_events')
      .select(['figure', 'column_key', (eb) => eb.fn.sum<number>('count').as('n')])
      .where('figure', 'in', ['signals', 'matches'])
      .where('month', where === 'before' ? '<' : '>=', month)
      .groupBy(['figure', 'column_key'])
      .execute();
    const totals = new Map<string, number>();
    for (const row of rows) {
      for (const key of [row.figure, `${row.figure}/${row.column_key}`]) totals.set(key, (totals.get(key) ?? 0) + Number(row.n));
    }
    return totals;
  };

  async function read(): Promise<Map<string, number>> {
    const [year, month] = amsterdamDate(clock.now()).split('-').map(Number) as [number, number];
    const before = new Date(Date.UTC(year, month - 2, 1)).toISOString().slice(0, 10);
    if (settled?.before !== before) settled = { before, totals: await sums('before', before) };
    const totals = new Map(settled.totals);
    for (const [key, n] of await sums('from', before)) totals.set(key, (totals.get(key) ?? 0) + n);
    return totals;
  }

  return {
    /** One read per scrape, shared by the counters that ask for it at the same time. */
    read() {
      reading ??= read().finally(() => {
        reading = undefined;
      });
      return reading;
    },
  };
}
