/**
 * The figures for policy under /beheer/beleidscijfers (docs/accountability.md), for the
 * municipality's administrators and privacy officers: a period of months, and per figure a chart of
 * the monthly totals (server-rendered SVG: no script) and the table by domain or kind; and the same
 * as a spreadsheet (CSV). Hidden cells say so ("afgeschermd") and are never drawn as 0. The service
 * counts, suppresses and audits; this page only lays out what it is given.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { type FigureId, MAX_MONTHS, MONTH, monthsOf, type PolicyFigure, SEVERAL_DOMAINS, shiftMonth } from '../../administration/policy-figures.ts';
import type { PolicyFigures } from '../../administration/policy-figures-service.ts';
import { SUPPRESS_BELOW } from '../../administration/suppression.ts';
import { amsterdamDate } from '../../shared/calendar.ts';
import { CSV_BOM, csvLine } from '../../shared/csv.ts';
import { Button, Heading, Paragraph, Select, Table } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { DOMAIN_LABELS, ESCALATION_REASON_LABELS, REQUEST_KIND_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { queryParam, sendPage } from '../web-context.ts';
import { type AdminOptions, requireAccountabilityStaff } from './admin-shared.ts';

const BASE = '/beheer/beleidscijfers';
export const HIDDEN = 'afgeschermd';

const DOMAIN_COLUMN_LABELS: Record<string, string> = { ...DOMAIN_LABELS, [SEVERAL_DOMAINS]: 'Meer domeinen' };

/** Each figure's title, what it counts, and its columns' words. */
export const FIGURE_TEXTS: Record<FigureId, { title: string; explanation: string; columns: Record<string, string> }> = {
  signals: {
    title: 'Signalen afgegeven',
    explanation: 'Per domein van de organisatie die het signaal afgaf. Een organisatie in meer dan één domein telt bij ‘Meer domeinen’.',
    columns: DOMAIN_COLUMN_LABELS,
  },
  matches: {
    title: 'Matches ontstaan',
    explanation: 'Per soort: op dezelfde persoon, een gezinsmatch of een adresmatch.',
    columns: { person: 'Persoon', family: 'Gezinsmatch', address: 'Adresmatch' },
  },
  match_signals: {
    title: 'Signalen in een match',
    explanation: 'Signalen die in een match kwamen (bij het ontstaan of later), per domein van de organisatie.',
    columns: DOMAIN_COLUMN_LABELS,
  },
  coordination: {
    title: 'Regie genomen',
    explanation:
      'Een betrokken professional nam de regie of nam een overdracht aan, of de functionaris wees een regisseur aan; per domein van de organisatie van de regisseur.',
    columns: DOMAIN_COLUMN_LABELS,
  },
  escalations: { title: 'Opgeschaald', explanation: 'Per reden van de opschaling.', columns: ESCALATION_REASON_LABELS },
  case_consultations: {
    title: 'Casusoverleggen gestart',
    explanation: 'Anoniem, of op naam met of zonder toestemming (zodra dat is vastgelegd).',
    columns: {
      anonymous: 'Anoniem',
      consent: 'Op naam, met toestemming',
      without_consent: 'Op naam, zonder toestemming',
      basis_open: 'Op naam, nog niet vastgelegd',
    },
  },
  rights_requests: { title: 'Verzoeken over persoonsgegevens', explanation: 'Per soort verzoek, in de maand van ontvangst.', columns: REQUEST_KIND_LABELS },
};

const MONTH_NAME = new Intl.DateTimeFormat('nl-NL', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const MONTH_SHORT = new Intl.DateTimeFormat('nl-NL', { month: 'short', year: '2-digit', timeZone: 'UTC' });
export const monthLabel = (month: string) => MONTH_NAME.format(new Date(`${month}-15T12:00:00Z`));
const monthShort = (month: string) => MONTH_SHORT.format(new Date(`${month}-15T12:00:00Z`));
const count = (value: number | null) => (value === null ? HIDDEN : value.toLocaleString('nl-NL'));

/** The columns worth a column on the page: a column whose total is a shown 0 is all zeros, and says nothing. */
const shownColumns = (figure: PolicyFigure) => figure.columns.map((_, c) => c).filter((c) => figure.columnTotals[c] !== 0);

/** A bar per month of the monthly totals; a hidden total gets a dashed box with the word, never a bar of 0. */
function Chart(props: { figure: PolicyFigure; title: string }): Html {
  const { figure } = props;
  const shown = figure.rowTotals.filter((v): v is number => v !== null);
  const max = Math.max(1, ...shown);
  const rowHeight = 26;
  const labelWidth = 62;
  const barMax = 200;
  const height = figure.months.length * rowHeight + 4;
  return (
    <figure class="sluis-chart">
      <svg
        class="sluis-chart__svg"
        viewBox={`0 0 330 ${height}`}
        role="img"
        aria-label={`Grafiek: ${props.title.toLowerCase()}, het totaal per maand. De cijfers staan in de tabel.`}
        focusable="false"
      >
        {figure.months.map((month, r) => {
          const y = r * rowHeight + 2;
          const value = figure.rowTotals[r] ?? null;
          const width = value === null ? 0 : Math.round((value / max) * barMax);
          return (
            <g>
              <text x="0" y={y + 17} class="sluis-chart__label">
                {monthShort(month)}
              </text>
              {value === null ? (
                <g>
                  <rect x={labelWidth} y={y + 3} width="86" height="18" class="sluis-chart__hidden" />
                  <text x={labelWidth + 6} y={y + 16} class="sluis-chart__hidden-text">
                    {HIDDEN}
                  </text>
                </g>
              ) : (
                <g>
                  {width > 0 ? <rect x={labelWidth} y={y + 3} width={width} height="18" class="sluis-chart__bar" /> : null}
                  <text x={labelWidth + width + 6} y={y + 17} class="sluis-chart__value">
                    {value.toLocaleString('nl-NL')}
                  </text>
                </g>
              )}
            </g>
          );
        })}
      </svg>
    </figure>
  );
}

/** A months list in words: "april 2025, mei 2025 en juni 2025". */
const monthList = (months: string[]) => {
  const names = months.map(monthLabel);
  return names.length === 1 ? names[0]! : `${names.slice(0, -1).join(', ')} en ${names.at(-1)}`;
};

function FigureSection(props: { figure: PolicyFigure }): Html {
  const { figure } = props;
  const text = FIGURE_TEXTS[figure.id];
  const columns = shownColumns(figure);
  // A month whose total is a shown 0 is all zeros: the table leaves it out and names it below (the chart shows every month).
  const rows = figure.months.map((_, r) => r).filter((r) => figure.rowTotals[r] !== 0);
  const empty = figure.months.filter((_, r) => figure.rowTotals[r] === 0);
  const id = `cijfer-${figure.id.replace(/_/g, '-')}`;
  return (
    <section aria-labelledby={id} class="sluis-figure">
      <Heading level={2} id={id}>
        {text.title}
      </Heading>
      <Paragraph>{text.explanation}</Paragraph>
      {figure.total === 0 ? (
        <Paragraph class="sluis-empty">Geen in deze periode.</Paragraph>
      ) : (
        <div>
          <Chart figure={figure} title={text.title} />
          <Table
            caption={`${text.title} per maand`}
            head={['Maand', ...columns.map((c) => text.columns[figure.columns[c]!] ?? figure.columns[c]!), 'Totaal']}
            rows={[
              ...rows.map((r) => [monthLabel(figure.months[r]!), ...columns.map((c) => count(figure.cells[r]![c]!)), count(figure.rowTotals[r]!)]),
              ['Totaal', ...columns.map((c) => count(figure.columnTotals[c]!)), count(figure.total)],
            ]}
          />
          {empty.length > 0 ? <Paragraph>Geen in {monthList(empty)}.</Paragraph> : null}
        </div>
      )}
    </section>
  );
}

function FiguresPage(props: { ctx: PageContext; from: string; to: string; choices: string[]; figures?: PolicyFigures; error?: string }): Html {
  const options = props.choices.map((m) => ({ value: m, label: monthLabel(m) }));
  return (
    <Page ctx={props.ctx} title={props.error ? 'Fout: beleidscijfers' : 'Beleidscijfers'} wide>
      <Heading>Beleidscijfers</Heading>
      <Paragraph lead>
        Per maand: signalen, matches, regie, casusoverleggen en verzoeken, per domein of soort. Deze cijfers zeggen niets over één persoon: aantallen van 1 tot{' '}
        {SUPPRESS_BELOW - 1} zijn afgeschermd, en zo nodig ook een ander getal in dezelfde rij of kolom, zodat u een afgeschermd getal niet uit de totalen kunt
        terugrekenen.
      </Paragraph>
      <form method="get" action={BASE} class="utrecht-form sluis-admin-filter" novalidate>
        {props.error ? (
          <div
            class="utrecht-alert utrecht-alert--error sluis-error-summary"
            role="alert"
            tabindex="-1"
            id="foutmeldingen"
            aria-labelledby="foutmeldingen-titel"
          >
            <h2 class="utrecht-heading-2" id="foutmeldingen-titel">
              Controleer de periode
            </h2>
            <ul class="utrecht-unordered-list">
              <li class="utrecht-unordered-list__item">
                <a class="utrecht-link" href="#tot">
                  {props.error}
                </a>
              </li>
            </ul>
          </div>
        ) : null}
        <div class="sluis-officer-period">
          <Select id="van" label="Van maand" options={options} selected={props.from} />
          <Select id="tot" label="Tot en met maand" options={options} selected={props.to} error={props.error} />
        </div>
        <div class="sluis-actions">
          <Button kind="secondary">Periode tonen</Button>
        </div>
      </form>
      {props.figures ? (
        <div>
          <div class="sluis-admin-export">
            <a class="utrecht-link" href={`${BASE}/export?van=${props.from}&tot=${props.to}`} download>
              Downloaden als spreadsheet (CSV)
            </a>
            <Paragraph class="sluis-admin-export__hint">Dezelfde cijfers, met dezelfde afscherming. Ook het downloaden wordt vastgelegd.</Paragraph>
          </div>
          {props.figures.figures.map((figure) => (
            <FigureSection figure={figure} />
          ))}
        </div>
      ) : null}
    </Page>
  );
}

/** The spreadsheet: one line per figure, month and column, the totals as lines with 'Totaal', hidden cells as the word. */
export function figuresCsv(figures: PolicyFigures): string {
  const lines = [csvLine(['Cijfer', 'Maand', 'Domein of soort', 'Aantal'])];
  for (const figure of figures.figures) {
    const text = FIGURE_TEXTS[figure.id];
    const columnName = (c: number) => text.columns[figure.columns[c]!] ?? figure.columns[c]!;
    figure.months.forEach((month, r) => {
      figure.columns.forEach((_, c) => {
        lines.push(csvLine([text.title, month, columnName(c), count(figure.cells[r]![c]!)]));
      });
      lines.push(csvLine([text.title, month, 'Totaal', count(figure.rowTotals[r]!)]));
    });
    figure.columns.forEach((_, c) => {
      lines.push(csvLine([text.title, 'Totaal', columnName(c), count(figure.columnTotals[c]!)]));
    });
    lines.push(csvLine([text.title, 'Totaal', 'Totaal', count(figure.total)]));
  }
  return CSV_BOM + lines.join('');
}

export async function policyFiguresPages(app: FastifyInstance, { services }: AdminOptions) {
  const thisMonth = () => amsterdamDate(services.clock.now()).slice(0, 7);
  /** The months to choose from (the last 36), and the period asked for (the last 12 months unless chosen). */
  const period = (van: string, tot: string) => {
    const now = thisMonth();
    const choices = monthsOf(shiftMonth(now, -(MAX_MONTHS - 1)), now).reverse();
    const from = MONTH.test(van) && choices.includes(van) ? van : shiftMonth(now, -11);
    const to = MONTH.test(tot) && choices.includes(tot) ? tot : now;
    return { choices, from, to };
  };

  app.get(BASE, async (request, reply) => {
    const actor = requireAccountabilityStaff(request);
    const { choices, from, to } = period(queryParam(request, 'van'), queryParam(request, 'tot'));
    if (from > to)
      return sendPage(
        reply,
        <FiguresPage
          ctx={request.pageContext}
          from={from}
          to={to}
          choices={choices}
          error="De eerste maand moet vóór of gelijk aan de laatste maand liggen."
        />,
        422,
      );
    const figures = await services.policyFigures.figures(actor, { from, to });
    return sendPage(reply, <FiguresPage ctx={request.pageContext} from={from} to={to} choices={choices} figures={figures} />);
  });

  app.get(`${BASE}/export`, async (request, reply) => {
    const actor = requireAccountabilityStaff(request);
    const { from, to } = period(queryParam(request, 'van'), queryParam(request, 'tot'));
    const figures = await services.policyFigures.figures(actor, from > to ? { from: to, to: from } : { from, to }, 'csv');
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="sluis-beleidscijfers-${figures.from}-${figures.to}.csv"`)
      .send(Readable.from([figuresCsv(figures)]));
  });
}
