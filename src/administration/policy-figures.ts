/**
 * The figures for policy (covenant privacy rules art. 2.3 and 12.5; docs/accountability.md): per
 * month of a period, counts that identify no one — signals filed, matches made by kind, signals
 * that came into a match, coordination taken, escalations, case consultations started, rights
 * requests received — each a table of months by a set of columns (the organisations' domains, or
 * kinds) with its totals, small cells suppressed by suppressTable. Pure: the service counts, this
 * shapes and suppresses.
 */
import { DOMAINS } from '../organisations/organisation-schemas.ts';
import { REQUEST_KINDS } from '../rights/rights-rules.ts';
import { type SuppressedTable, suppressTable } from './suppression.ts';

/** An organisation with more than one domain is counted once, under this column (so that the totals add up). */
export const SEVERAL_DOMAINS = 'several';
export const DOMAIN_COLUMNS = [...DOMAINS, SEVERAL_DOMAINS] as const;

export const FIGURES = {
  /** Signals filed, by the domain of the filing organisation. */
  signals: DOMAIN_COLUMNS,
  /** Matches made, by kind. */
  matches: ['person', 'family', 'address'],
  /** Signals that came into a match (made with it or joining it), by the domain of the signal's organisation. */
  match_signals: DOMAIN_COLUMNS,
  /** A coordinator agreed (took coordination, accepted a hand-over, or appointed by the escalation officer), by the coordinator's domain. */
  coordination: DOMAIN_COLUMNS,
  /** Escalations to the escalation officer, by reason. */
  escalations: ['no_coordinator', 'no_contact', 'no_agreement', 'other'],
  /** Case consultations started, by kind and (once complete) basis. */
  case_consultations: ['anonymous', 'consent', 'without_consent', 'basis_open'],
  /** Rights requests received, by kind. */
  rights_requests: REQUEST_KINDS,
} as const satisfies Record<string, readonly string[]>;

export type FigureId = keyof typeof FIGURES;
export const FIGURE_IDS = Object.keys(FIGURES) as FigureId[];

/** A counted group: a month ('YYYY-MM'), a column code, and how many. */
export type FigureCount = { month: string; column: string; n: number };

export type PolicyFigure = { id: FigureId; columns: readonly string[]; months: string[] } & SuppressedTable;

export const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;
/** The longest period asked for at once. */
export const MAX_MONTHS = 36;

export const shiftMonth = (month: string, by: number): string => {
  const index = Number(month.slice(0, 4)) * 12 + Number(month.slice(5, 7)) - 1 + by;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
};

/** Every month from `from` to `to`, both included. */
export function monthsOf(from: string, to: string): string[] {
  const months: string[] = [];
  for (let month = from; month <= to && months.length <= MAX_MONTHS; month = shiftMonth(month, 1)) months.push(month);
  return months;
}

/** What is wrong with a period of months, or undefined. */
export function periodProblem(from: string, to: string): { name: 'from' | 'to'; reason: string } | undefined {
  if (!MONTH.test(from)) return { name: 'from', reason: 'A month, YYYY-MM.' };
  if (!MONTH.test(to)) return { name: 'to', reason: 'A month, YYYY-MM.' };
  if (from > to) return { name: 'to', reason: 'to must not lie before from.' };
  if (monthsOf(from, to).length > MAX_MONTHS) return { name: 'to', reason: `The period is at most ${MAX_MONTHS} months.` };
  return undefined;
}

/**
 * One figure: the counts laid out as months (rows, every month of the period, also those without
 * any) by the figure's columns, then suppressed. A count outside the period or for an unknown
 * column is a programming error.
 */
export function policyFigure(id: FigureId, months: string[], counts: readonly FigureCount[]): PolicyFigure {
  const columns: readonly string[] = FIGURES[id];
  const grid = months.map(() => columns.map(() => 0));
  for (const { month, column, n } of counts) {
    const r = months.indexOf(month);
    const c = columns.indexOf(column);
    if (r < 0 || c < 0) throw new RangeError(`A count outside the table of ${id}: ${month} / ${column}`);
    grid[r]![c]! += n;
  }
  return { id, columns, months, ...suppressTable(grid) };
}
