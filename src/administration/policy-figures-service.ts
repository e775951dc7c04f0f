/**
 * The figures for policy (docs/accountability.md): counts per month of a period, grouped in the
 * database by month and a domain or kind, so that no row about a signal, match, consultation or
 * request ever leaves it; then laid out and suppressed (policy-figures.ts). For the municipality's
 * administrators and privacy officers; each read or download is audited as policy_figures.read.
 *
 * Months are those of Europe/Amsterdam. The counts do not shrink when SluiS deletes what they
 * count: signals, matches, coordination and rights requests are counted from the figure rows
 * (figure_events, migration 0034; figure-events.ts), written once when each event happens and never
 * deleted; case consultations from those still held and the figure rows of deleted ones
 * (case_consultation_statistics).
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import { startOfAmsterdamDay } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, invalidInput } from '../shared/errors.ts';
import { FIGURE_IDS, type FigureCount, type FigureId, monthsOf, type PolicyFigure, periodProblem, policyFigure, shiftMonth } from './policy-figures.ts';

export type PolicyFigures = { from: string; to: string; figures: PolicyFigure[] };

type Period = { from: Date; to: Date; fromMonth: string; toMonth: string };

/** The month of an instant column in Amsterdam time. */
const month = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone 'Europe/Amsterdam', 'YYYY-MM')`;

/** A figure kept in the figure rows (figure_events): their counts added up per month and column, in the database. */
const fromFigureRows = (figure: Exclude<FigureId, 'case_consultations'>) => (db: Kysely<DB>, p: Period) =>
  sql<FigureCount>`
    select to_char(f.month, 'YYYY-MM') as month, f.column_key as "column", sum(f.count)::int as n
      from figure_events f
     where f.figure = ${figure} and f.month >= ${`${p.fromMonth}-01`}::date and f.month <= ${`${p.toMonth}-01`}::date
     group by 1, 2`.execute(db);

/** Each figure's counts, grouped in the database: only month, column and count come back. */
const QUERIES: Record<FigureId, (db: Kysely<DB>, p: Period) => Promise<{ rows: FigureCount[] }>> = {
  signals: fromFigureRows('signals'),
  matches: fromFigureRows('matches'),
  match_signals: fromFigureRows('match_signals'),
  coordination: fromFigureRows('coordination'),
  escalations: fromFigureRows('escalations'),
  case_consultations: (db, p) =>
    sql<FigureCount>`
      select month, "column", count(*)::int as n from (
        select ${month('c.started_at')} as month,
               case when c.kind = 'anonymous' then 'anonymous' else coalesce(c.basis, 'basis_open') end as "column"
          from case_consultations c
         where c.started_at >= ${p.from} and c.started_at < ${p.to}
        union all
        select k.month, case when k.anonymous then 'anonymous' else coalesce(k.basis, 'basis_open') end
          from case_consultation_statistics k
         where k.month >= ${p.fromMonth} and k.month <= ${p.toMonth}
      ) counted
       group by 1, 2`.execute(db),
  rights_requests: fromFigureRows('rights_requests'),
};

type Deps = { db: Kysely<DB>; clock: Clock; audit: AuditLog };

export type PolicyFiguresService = ReturnType<typeof createPolicyFiguresService>;

export function createPolicyFiguresService({ db, clock, audit }: Deps) {
  return {
    /**
     * Every figure for the months `from` to `to` ('YYYY-MM', at most 36), small cells suppressed.
     * Audited as policy_figures.read with the period, and `format: 'csv'` for a download.
     */
    async figures(actor: StaffActor, period: { from: string; to: string }, format: 'json' | 'csv' = 'json'): Promise<PolicyFigures> {
      if (!actor.roles.includes('municipality_admin') && !actor.roles.includes('privacy_officer'))
        throw forbidden("The figures for policy are for the municipality's administrators and privacy officers.");
      const problem = periodProblem(period.from, period.to);
      if (problem) throw invalidInput([{ name: problem.name, code: 'invalid', reason: problem.reason }]);
      const months = monthsOf(period.from, period.to);
      const p: Period = {
        from: startOfAmsterdamDay(`${period.from}-01`),
        to: startOfAmsterdamDay(`${shiftMonth(period.to, 1)}-01`),
        fromMonth: period.from,
        toMonth: period.to,
      };
      const figures: PolicyFigure[] = [];
      for (const id of FIGURE_IDS) figures.push(policyFigure(id, months, (await QUERIES[id](db, p)).rows));
      await audit.record(db, clock.now(), {
        type: 'policy_figures.read',
        actor,
        details: { from: period.from, to: period.to, ...(format === 'csv' && { format: 'csv' }) },
      });
      return { from: period.from, to: period.to, figures };
    },
  };
}
