/**
 * The figures for policy (docs/accountability.md): counts per month of a period, grouped in the
 * database by month and a domain or kind, so that no row about a signal, match, consultation or
 * request ever leaves it; then laid out and suppressed (policy-figures.ts). For the municipality's
 * administrators and privacy officers; each read or download is audited as policy_figures.read.
 *
 * Months are those of Europe/Amsterdam. The counts are of what SluiS still holds: a signal and its
 * matches and coordination are deleted with the person once its history period has passed, a
 * rights request some time after closing (settings); a deleted case consultation leaves a figure
 * row behind (case_consultation_statistics) and is still counted.
 */
import { type Kysely, sql } from 'kysely';
import type { AuditLog } from '../audit/audit-log.ts';
import type { DB } from '../db/schema.ts';
import type { StaffActor } from '../shared/actor.ts';
import { startOfAmsterdamDay } from '../shared/calendar.ts';
import type { Clock } from '../shared/clock.ts';
import { forbidden, invalidInput } from '../shared/errors.ts';
import {
  FIGURE_IDS,
  type FigureCount,
  type FigureId,
  monthsOf,
  type PolicyFigure,
  periodProblem,
  policyFigure,
  SEVERAL_DOMAINS,
  shiftMonth,
} from './policy-figures.ts';

export type PolicyFigures = { from: string; to: string; figures: PolicyFigure[] };

type Period = { from: Date; to: Date; fromMonth: string; toMonth: string };

/** The month of an instant column in Amsterdam time, and the organisation's domain (or 'several') of an organisations alias. */
const month = (column: string) => sql<string>`to_char(${sql.ref(column)} at time zone 'Europe/Amsterdam', 'YYYY-MM')`;
const domain = (alias: string) =>
  sql<string>`case when cardinality(${sql.ref(`${alias}.domains`)}) = 1 then ${sql.ref(`${alias}.domains`)}[1]::text else ${SEVERAL_DOMAINS} end`;

/** Each figure's counts, grouped in the database: only month, column and count come back. */
const QUERIES: Record<FigureId, (db: Kysely<DB>, p: Period) => Promise<{ rows: FigureCount[] }>> = {
  signals: (db, p) =>
    sql<FigureCount>`
      select ${month('s.filed_at')} as month, ${domain('o')} as "column", count(*)::int as n
        from signals s join organisations o on o.id = s.organisation_id
       where s.filed_at >= ${p.from} and s.filed_at < ${p.to}
       group by 1, 2`.execute(db),
  matches: (db, p) =>
    sql<FigureCount>`
      select ${month('m.created_at')} as month, m.kind as "column", count(*)::int as n
        from matches m
       where m.created_at >= ${p.from} and m.created_at < ${p.to}
       group by 1, 2`.execute(db),
  match_signals: (db, p) =>
    sql<FigureCount>`
      select ${month('mp.joined_at')} as month, ${domain('o')} as "column", count(*)::int as n
        from match_participants mp join signals s on s.id = mp.signal_id join organisations o on o.id = s.organisation_id
       where mp.joined_at >= ${p.from} and mp.joined_at < ${p.to}
       group by 1, 2`.execute(db),
  coordination: (db, p) =>
    sql<FigureCount>`
      select ${month('t.occurred_at')} as month, ${domain('o')} as "column", count(*)::int as n
        from coordination_transitions t join signals s on s.id = t.coordinator_signal_id join organisations o on o.id = s.organisation_id
       where t.action in ('take', 'accept_handover', 'appoint') and t.occurred_at >= ${p.from} and t.occurred_at < ${p.to}
       group by 1, 2`.execute(db),
  escalations: (db, p) =>
    sql<FigureCount>`
      select ${month('t.occurred_at')} as month, coalesce(t.category, 'other') as "column", count(*)::int as n
        from coordination_transitions t
       where t.action = 'escalate' and t.occurred_at >= ${p.from} and t.occurred_at < ${p.to}
       group by 1, 2`.execute(db),
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
  rights_requests: (db, p) =>
    sql<FigureCount>`
      select to_char(r.received_on, 'YYYY-MM') as month, r.kind as "column", count(*)::int as n
        from rights_requests r
       where r.received_on >= ${`${p.fromMonth}-01`}::date and r.received_on < ${`${shiftMonth(p.toMonth, 1)}-01`}::date
       group by 1, 2`.execute(db),
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
