/**
 * /beheer/audit: the audit trail with filters (period, event type, organisation, outcome), newest
 * first, 50 per page with how many events match (counted up to 10,000), in words a functional manager reads (audit-labels.ts): Dutch labels for every
 * event and detail, names instead of ids. The person an event is about shows only as a short
 * reference to the pseudonym, never a name or a BSN. On a phone the filters fold away under one
 * line that says which are on.
 *
 * /beheer/audit/export: all events of the same filters as a spreadsheet (CSV, see shared/csv.ts),
 * with the same words; the audit service records the export before it hands out a row.
 */

import { Readable } from 'node:stream';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AUDIT_EVENT_TYPES } from '../../audit/audit-catalogue.ts';
import type { AuditEventView, AuditFilter, AuditQuery } from '../../audit/audit-service.ts';
import { amsterdamDate, type IsoDate, startOfAmsterdamDay } from '../../shared/calendar.ts';
import { CSV_BOM, csvLine } from '../../shared/csv.ts';
import { isUuid } from '../../shared/ids.ts';
import { DateField, ErrorSummary, type FieldErrors, formatDate, Heading, Paragraph, Select, StatusBadge, Table, TimeText } from '../components.tsx';
import { checkDateField, type DateParts, datePartPairs } from '../date-input.ts';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { AUDIT_EVENT_LABELS, OUTCOME_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { ListCount, type ListPage, Pager, pageOfWhole, pageParam, readPage } from '../pager.tsx';
import { queryParam, redirect, requireStaff, sendPage } from '../web-context.ts';
import { type AdminOptions, nextIsoDate } from './admin-shared.ts';
import { describeEvent } from './audit-labels.ts';

const PAGE_SIZE = 50;
const OUTCOMES = ['success', 'denied', 'not_found'] as const;

type Query = { van: DateParts; tot: DateParts; soort: string; organisatie: string; uitkomst: string };

/** The filters as query-string pairs (the pager and the export keep them). */
const queryPairs = (query: Query): [string, string][] => [
  ...datePartPairs('van', query.van),
  ...datePartPairs('tot', query.tot),
  ['soort', query.soort],
  ['organisatie', query.organisatie],
  ['uitkomst', query.uitkomst],
];

const EVENT_OPTIONS = [
  { value: '', label: 'Alle soorten' },
  ...[...AUDIT_EVENT_TYPES]
    .sort((a, b) => AUDIT_EVENT_LABELS[a].localeCompare(AUDIT_EVENT_LABELS[b], 'nl'))
    .map((type) => ({ value: type, label: AUDIT_EVENT_LABELS[type] })),
];

/** The filters as a query string, without the empty ones (and a page number, when it is given). */
const queryString = (query: Query, page?: number) =>
  new URLSearchParams([...queryPairs(query), ['pagina', page && page > 1 ? String(page) : '']].filter(([, value]) => Boolean(value))).toString();

/** A page of the trail with its filters: only the filters that are set, and the page number. */
const auditHref = (query: Query, page: number) => {
  const search = queryString(query, page);
  return `/beheer/audit${search ? `?${search}` : ''}`;
};

/** The period a filter asks for, as dates, when they could be read. */
type Period = { from?: IsoDate | undefined; to?: IsoDate | undefined };

/** The filter of the page's query, with an error per field that is not right; unknown choices are dropped. */
function readFilter(request: FastifyRequest, today: IsoDate): { query: Query; period: Period; errors: FieldErrors; filter: AuditFilter } {
  const from = checkDateField(request.query, 'van', { what: 'de datum bij ‘Van’', example: today });
  const to = checkDateField(request.query, 'tot', { what: 'de datum bij ‘Tot en met’', example: today });
  const query: Query = {
    van: from.parts,
    tot: to.parts,
    soort: queryParam(request, 'soort'),
    organisatie: queryParam(request, 'organisatie'),
    uitkomst: queryParam(request, 'uitkomst'),
  };
  const errors: FieldErrors = {};
  if (from.error) errors.van = from.error;
  if (to.error) errors.tot = to.error;
  if (from.date && to.date && to.date < from.date) errors.tot = '‘Tot en met’ ligt vóór ‘Van’. Kies een latere datum.';
  const period: Period = { from: errors.van ? undefined : from.date, to: errors.tot ? undefined : to.date };
  const filter: AuditFilter = {};
  if (period.from) filter.from = startOfAmsterdamDay(period.from).toISOString();
  if (period.to) filter.to = startOfAmsterdamDay(nextIsoDate(period.to)).toISOString();
  if ((AUDIT_EVENT_TYPES as readonly string[]).includes(query.soort)) filter.eventType = query.soort;
  else query.soort = '';
  if (isUuid(query.organisatie)) filter.organisationId = query.organisatie;
  else query.organisatie = '';
  if ((OUTCOMES as readonly string[]).includes(query.uitkomst)) filter.outcome = query.uitkomst as AuditFilter['outcome'];
  else query.uitkomst = '';
  return { query, period, errors, filter };
}

/** Which filters are on, in words: "Signaal afgegeven · Wijkteam Noord · vanaf 1 maart 2026"; a field in error is not on. */
function filterSummary(query: Query, period: Period, organisations: { id: string; name: string }[]): string {
  const parts: string[] = [];
  if (query.soort) parts.push(AUDIT_EVENT_LABELS[query.soort as keyof typeof AUDIT_EVENT_LABELS]);
  if (query.organisatie) parts.push(organisations.find((o) => o.id === query.organisatie)?.name ?? 'één organisatie');
  if (query.uitkomst) parts.push(OUTCOME_LABELS[query.uitkomst as keyof typeof OUTCOME_LABELS]);
  const from = period.from ? formatDate(period.from) : '';
  const to = period.to ? formatDate(period.to) : '';
  if (from && to) parts.push(`${from} tot en met ${to}`);
  else if (from) parts.push(`vanaf ${from}`);
  else if (to) parts.push(`tot en met ${to}`);
  return parts.join(' · ');
}

/** The label/value pairs of a cell, one per line. */
const Lines = (props: { items: [string, string][] }): Html =>
  props.items.length === 0 ? (
    <span>—</span>
  ) : (
    <ul class="sluis-plain-list sluis-audit-lines">
      {props.items.map(([label, value]) => (
        <li>
          {label ? <span class="sluis-audit-lines__label">{label}: </span> : null}
          {value}
        </li>
      ))}
    </ul>
  );

function EventRow(row: AuditEventView): (Html | string)[] {
  const text = describeEvent(row);
  const about: [string, string][] = [];
  if (text.about) about.push(['', text.about]);
  // The organisation, unless what the event is about already names it.
  if (text.organisation && !text.about.includes(text.organisation)) about.push(['Organisatie', text.organisation]);
  if (text.person) about.push(['Persoon', text.person]);
  return [
    <TimeText at={row.occurredAt} withTime />,
    <>
      {text.event}
      {row.outcome !== 'success' ? (
        <>
          {' '}
          <StatusBadge tone="warning">{text.outcome}</StatusBadge>
        </>
      ) : null}
    </>,
    text.actor,
    <Lines items={about} />,
    <Lines items={text.details} />,
  ];
}

function AuditPage(props: {
  ctx: PageContext;
  query: Query;
  errors: FieldErrors;
  organisations: { id: string; name: string }[];
  period: Period;
  events: ListPage<AuditEventView>;
  today: IsoDate;
}): Html {
  const { query, errors } = props;
  const failed = Object.values(errors).some(Boolean);
  const summary = filterSummary(query, props.period, props.organisations);
  const filters = queryString(query);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: audit trail' : 'Audit trail'} wide>
      <Heading>Audit trail</Heading>
      <Paragraph lead>
        SluiS legt vast wie wat deed en wanneer: afgeven en bekijken van signalen, matches, inloggen, wijzigingen door de gemeente. Over een persoon ziet u hier
        alleen een kort kenmerk: hetzelfde kenmerk is dezelfde persoon, maar wie het is staat er niet. Wilt u alles over één persoon zien, gebruik dan{' '}
        <a class="utrecht-link" href="/beheer/persoon">
          Persoon opzoeken
        </a>
        .
      </Paragraph>
      <details class="sluis-details sluis-admin-filter-box" open={failed || Boolean(summary)}>
        <summary class="sluis-details__summary">Filteren op periode, soort, organisatie of uitkomst</summary>
        <form method="get" action="/beheer/audit" class="utrecht-form sluis-admin-filter" aria-label="Filters" novalidate>
          <ErrorSummary errors={errors} />
          <div class="sluis-admin-filter__fields">
            <DateField id="van" legend="Van" value={query.van} required={false} error={errors.van} example={props.today} />
            <DateField id="tot" legend="Tot en met" value={query.tot} required={false} error={errors.tot} example={props.today} />
            <Select id="soort" label="Soort gebeurtenis" required={false} selected={query.soort} options={EVENT_OPTIONS} />
            <Select
              id="organisatie"
              label="Organisatie"
              required={false}
              selected={query.organisatie}
              options={[{ value: '', label: 'Alle organisaties' }, ...props.organisations.map((o) => ({ value: o.id, label: o.name }))]}
            />
            <Select
              id="uitkomst"
              label="Uitkomst"
              required={false}
              selected={query.uitkomst}
              options={[{ value: '', label: 'Alle uitkomsten' }, ...OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o] }))]}
            />
          </div>
          <div class="sluis-actions">
            <button type="submit" class="utrecht-button utrecht-button--primary-action">
              Filteren
            </button>
            <a class="utrecht-link" href="/beheer/audit">
              Filters wissen
            </a>
          </div>
        </form>
      </details>
      {summary ? <Paragraph class="sluis-admin-filter-summary">U ziet: {summary}.</Paragraph> : null}
      {failed ? null : (
        <div class="sluis-admin-export">
          <a
            class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--secondary-action"
            href={`/beheer/audit/export${filters ? `?${filters}` : ''}`}
            download
          >
            Exporteren als spreadsheet (CSV)
          </a>
          <Paragraph class="sluis-admin-export__hint">
            Alle gebeurtenissen {summary ? 'die bij deze filters horen' : 'van de audit trail'}, met dezelfde omschrijvingen. Ook het exporteren wordt
            vastgelegd.
          </Paragraph>
        </div>
      )}
      {props.events.total > 0 ? <ListCount list={props.events} nouns={['gebeurtenis', 'gebeurtenissen']} /> : null}
      <Table
        caption={props.events.page > 1 ? `Gebeurtenissen, nieuwste eerst (pagina ${props.events.page})` : 'Gebeurtenissen, nieuwste eerst'}
        head={['Tijd', 'Gebeurtenis', 'Door', 'Betreft', 'Details']}
        empty="Er zijn geen gebeurtenissen die aan deze filters voldoen."
        rows={props.events.items.map(EventRow)}
      />
      <Pager label="Pagina's van de audit trail" list={props.events} target={{ href: (page) => auditHref(query, page) }} />
    </Page>
  );
}

/** The export's columns: the page's words, each in its own column, and the codes for whoever sorts by them. */
const EXPORT_HEAD = ['Tijd', 'Gebeurtenis', 'Uitkomst', 'Door', 'Organisatie', 'Betreft', 'Persoon', 'Details', 'Code', 'Volgnummer', 'Verzoek', 'Trace'];

/** A time as a spreadsheet reads it in the Netherlands: "2026-03-10 10:00:00", in Dutch time. */
const SPREADSHEET_TIME = new Intl.DateTimeFormat('sv-SE', {
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  timeZone: 'Europe/Amsterdam',
});

function exportLine(row: AuditEventView): string {
  const text = describeEvent(row);
  return csvLine([
    SPREADSHEET_TIME.format(row.occurredAt),
    text.event,
    text.outcome,
    text.actor,
    text.organisation,
    text.about,
    text.person,
    text.details.map(([label, value]) => `${label}: ${value}`).join('; '),
    row.eventType,
    String(row.id),
    row.requestId ?? '',
    row.traceId ?? '',
  ]);
}

async function* exportText(chunks: AsyncIterable<AuditEventView[]>): AsyncGenerator<string> {
  yield CSV_BOM + csvLine(EXPORT_HEAD);
  for await (const rows of chunks) yield rows.map(exportLine).join('');
}

export async function auditPages(app: FastifyInstance, { services }: AdminOptions) {
  app.get('/beheer/audit', async (request, reply) => {
    const { actor } = requireStaff(request);
    const today = amsterdamDate(services.clock.now());
    const { query, period, errors, filter } = readFilter(request, today);
    const failed = Object.values(errors).some(Boolean);
    const events = failed
      ? pageOfWhole<AuditEventView>([], 1, PAGE_SIZE)
      : await readPage(pageParam(request), (slice) => services.auditTrail.list(actor, { ...filter, ...slice } satisfies AuditQuery), PAGE_SIZE);
    const organisations = (await services.organisations.list({})).map(({ id, name }) => ({ id, name }));
    return sendPage(
      reply,
      <AuditPage ctx={request.pageContext} query={query} period={period} errors={errors} organisations={organisations} events={events} today={today} />,
      failed ? 422 : 200,
    );
  });

  app.get('/beheer/audit/export', async (request, reply) => {
    const { actor } = requireStaff(request);
    const { query, errors, filter } = readFilter(request, amsterdamDate(services.clock.now()));
    // A filter that is not right is shown, with its errors, on the page itself.
    if (Object.values(errors).some(Boolean)) return redirect(reply, `/beheer/audit?${queryString(query)}`);
    const chunks = await services.auditTrail.export(actor, filter);
    const today = amsterdamDate(services.clock.now());
    return reply
      .type('text/csv; charset=utf-8')
      .header('content-disposition', `attachment; filename="sluis-audit-trail-${today}.csv"`)
      .header('cache-control', 'no-store')
      .send(Readable.from(exportText(chunks)));
  });
}
