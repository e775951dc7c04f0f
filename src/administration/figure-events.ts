/**
 * The figure rows for policy (migration 0034, docs/accountability.md): each counted event adds a row
 * of a month, a figure, a column and a count — no person key, no id of a signal, match, request or
 * organisation — in the transaction that writes the event, at the one place that writes it. Filing
 * and person matches count in their database functions (sluis_file_signal, sluis_join_person_match);
 * these are for the steps written in TypeScript: family and address matches (keyed-match-steps.ts),
 * coordination agreed and escalations (coordination-transitions.ts), rights requests received
 * (rights-request-service.ts). A purge writes nothing here and deletes nothing from here, so the
 * figures of a month stay as they were. Months and domain columns come from the same database
 * functions filing uses (sluis_figure_month: Europe/Amsterdam; sluis_domain_column: 'several' for
 * an organisation in more than one domain).
 */
import { type Kysely, sql } from 'kysely';
import type { DB } from '../db/schema.ts';
import type { IsoDate } from '../shared/calendar.ts';

/** The figures counted by kind or reason (a column named by the event itself). */
type KindFigure = 'matches' | 'escalations';
/** The figures counted by the domain of a signal's organisation. */
type DomainFigure = 'match_signals' | 'coordination';

/** One event of a figure in a column, in the Amsterdam month of `at`. */
export async function countFigure(trx: Kysely<DB>, input: { figure: KindFigure; column: string; at: Date }): Promise<void> {
  await sql`select sluis_count_figure(sluis_figure_month(${input.at}::timestamptz), ${input.figure}, ${input.column}, 1)`.execute(trx);
}

/** One event per signal, in the column of the domain of the signal's organisation, in the Amsterdam month of `at`. */
export async function countSignalsByDomain(trx: Kysely<DB>, input: { figure: DomainFigure; signalIds: readonly string[]; at: Date }): Promise<void> {
  if (input.signalIds.length === 0) return;
  await sql`
    insert into figure_events (month, figure, column_key, count)
    select sluis_figure_month(${input.at}::timestamptz), ${input.figure}, sluis_domain_column(s.organisation_id), count(*)::int
      from signals s where s.id in (${sql.join(input.signalIds.map((id) => sql`${id}::uuid`))})
     group by 3`.execute(trx);
}

/** A rights request received on a day, by its kind (the month of the day it was received, as the figure has always counted it). */
export async function countRightsRequest(trx: Kysely<DB>, input: { kind: string; receivedOn: IsoDate }): Promise<void> {
  await sql`select sluis_count_figure(date_trunc('month', ${input.receivedOn}::timestamp)::date, 'rights_requests', ${input.kind}, 1)`.execute(trx);
}
