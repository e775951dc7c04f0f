/**
 * /beheer/audit: the audit trail with filters (period, event type, organisation, outcome), newest
 * first, 50 per page, with how many events match (counted up to 10,000). Never shows person data: the rows only say whether an event was about a
 * person, not who (the pseudonymous key is not shown).
 */

import type { FastifyInstance } from 'fastify';
import { AUDIT_EVENT_TYPES } from '../../audit/audit-catalogue.ts';
import type { AuditEventView, AuditQuery } from '../../audit/audit-service.ts';
import { isValidIsoDate, startOfAmsterdamDay } from '../../shared/calendar.ts';
import { isUuid } from '../../shared/ids.ts';
import { ErrorSummary, type FieldErrors, Heading, Paragraph, Select, Table, TextField, TimeText } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { ACTOR_LABELS, AUDIT_EVENT_LABELS, eventLabel, OUTCOME_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { ListCount, type ListPage, Pager, pageOfWhole, pageParam, readPage } from '../pager.tsx';
import { queryParam, requireStaff, sendPage } from '../web-context.ts';
import { type AdminOptions, ISO_DATE, nextIsoDate } from './admin-shared.ts';

const PAGE_SIZE = 50;
const OUTCOMES = ['success', 'denied', 'not_found'] as const;

type Query = { van: string; tot: string; soort: string; organisatie: string; uitkomst: string };

const EVENT_OPTIONS = [
  { value: '', label: 'Alle soorten' },
  ...[...AUDIT_EVENT_TYPES]
    .sort((a, b) => AUDIT_EVENT_LABELS[a].localeCompare(AUDIT_EVENT_LABELS[b], 'nl'))
    .map((type) => ({ value: type, label: AUDIT_EVENT_LABELS[type] })),
];

const detailsText = (details: Record<string, unknown>) =>
  Object.entries(details)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('; ');

/** A page of the trail with its filters: only the filters that are set, and the page number. */
const auditHref = (query: Query, page: number) => {
  const params = new URLSearchParams(Object.entries(query).filter(([, value]) => value !== ''));
  if (page > 1) params.set('pagina', String(page));
  const search = params.toString();
  return `/beheer/audit${search ? `?${search}` : ''}`;
};

function AuditPage(props: {
  ctx: PageContext;
  query: Query;
  errors: FieldErrors;
  organisations: { id: string; name: string }[];
  events: ListPage<AuditEventView>;
}): Html {
  const { query, errors } = props;
  const failed = Object.values(errors).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: audit trail' : 'Audit trail'} wide>
      <Heading>Audit trail</Heading>
      <Paragraph lead>
        SluiS legt vast wie wat deed en wanneer: afgeven en bekijken van signalen, matches, inloggen, wijzigingen door de gemeente. Gegevens over personen staan
        hier nooit; u ziet alleen óf een gebeurtenis over een persoon ging. Wilt u alles over één persoon zien, gebruik dan{' '}
        <a class="utrecht-link" href="/beheer/persoon">
          Persoon opzoeken
        </a>
        .
      </Paragraph>
      <form method="get" action="/beheer/audit" class="utrecht-form sluis-admin-filter" aria-label="Filters" novalidate>
        <ErrorSummary errors={errors} />
        <div class="sluis-admin-filter__fields">
          <TextField id="van" label="Van" type="date" value={query.van} required={false} width="s" error={errors.van} />
          <TextField id="tot" label="Tot en met" type="date" value={query.tot} required={false} width="s" error={errors.tot} />
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
      {props.events.total > 0 ? <ListCount list={props.events} nouns={['gebeurtenis', 'gebeurtenissen']} /> : null}
      <Table
        caption={props.events.page > 1 ? `Gebeurtenissen, nieuwste eerst (pagina ${props.events.page})` : 'Gebeurtenissen, nieuwste eerst'}
        head={['Tijd', 'Gebeurtenis', 'Uitkomst', 'Door', 'Organisatie', 'Over een persoon', 'Details']}
        empty="Er zijn geen gebeurtenissen die aan deze filters voldoen."
        rows={props.events.items.map((row) => [
          <TimeText at={row.occurredAt} withTime />,
          eventLabel(row.eventType),
          OUTCOME_LABELS[row.outcome as keyof typeof OUTCOME_LABELS],
          `${ACTOR_LABELS[row.actorType] ?? row.actorType}${row.actorName ? `: ${row.actorName}` : ''}`,
          row.organisationName ?? '—',
          row.subject !== null ? 'Ja' : 'Nee',
          <span class="sluis-admin-details">{detailsText(row.details) || '—'}</span>,
        ])}
      />
      <Pager label="Pagina's van de audit trail" list={props.events} target={{ href: (page) => auditHref(query, page) }} />
    </Page>
  );
}

export async function auditPages(app: FastifyInstance, { services }: AdminOptions) {
  app.get('/beheer/audit', async (request, reply) => {
    const { actor } = requireStaff(request);
    const query: Query = {
      van: queryParam(request, 'van'),
      tot: queryParam(request, 'tot'),
      soort: queryParam(request, 'soort'),
      organisatie: queryParam(request, 'organisatie'),
      uitkomst: queryParam(request, 'uitkomst'),
    };
    const errors: FieldErrors = {};
    const date = (value: string) => ISO_DATE.test(value) && isValidIsoDate(value);
    if (query.van && !date(query.van)) errors.van = 'Vul bij "Van" een bestaande datum in.';
    if (query.tot && !date(query.tot)) errors.tot = 'Vul bij "Tot en met" een bestaande datum in.';
    if (!errors.van && !errors.tot && query.van && query.tot && query.tot < query.van) errors.tot = '"Tot en met" ligt vóór "Van". Kies een latere datum.';
    const filter: Omit<AuditQuery, 'limit'> = {};
    if (query.van && !errors.van) filter.from = startOfAmsterdamDay(query.van).toISOString();
    if (query.tot && !errors.tot) filter.to = startOfAmsterdamDay(nextIsoDate(query.tot)).toISOString();
    if ((AUDIT_EVENT_TYPES as readonly string[]).includes(query.soort)) filter.eventType = query.soort;
    else query.soort = '';
    if (isUuid(query.organisatie)) filter.organisationId = query.organisatie;
    else query.organisatie = '';
    if ((OUTCOMES as readonly string[]).includes(query.uitkomst)) filter.outcome = query.uitkomst as AuditQuery['outcome'];
    else query.uitkomst = '';
    const failed = Object.values(errors).some(Boolean);
    const events = failed
      ? pageOfWhole<AuditEventView>([], 1, PAGE_SIZE)
      : await readPage(pageParam(request), (slice) => services.auditTrail.list(actor, { ...filter, ...slice }), PAGE_SIZE);
    const organisations = (await services.organisations.list({})).map(({ id, name }) => ({ id, name }));
    return sendPage(
      reply,
      <AuditPage ctx={request.pageContext} query={query} errors={errors} organisations={organisations} events={events} />,
      failed ? 422 : 200,
    );
  });
}
