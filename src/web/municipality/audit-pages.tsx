/**
 * /beheer/audit: the audit trail with filters (period, event type, organisation, outcome), newest
 * first, 50 per page. Never shows person data: the rows only say whether an event was about a
 * person, not who (the pseudonymous key is not shown).
 */

import type { FastifyInstance } from 'fastify';
import { AUDIT_EVENT_TYPES } from '../../audit/audit-catalogue.ts';
import type { AuditEventView, AuditQuery } from '../../audit/audit-service.ts';
import { amsterdamDate, startOfAmsterdamDay } from '../../shared/calendar.ts';
import { isUuid } from '../../shared/ids.ts';
import { DateField, ErrorSummary, type FieldErrors, Heading, Paragraph, Select, Table, TimeText } from '../components.tsx';
import { checkDateField, type DateParts, datePartPairs } from '../date-input.ts';
import { type Html, h } from '../html/jsx.ts';
import { ACTOR_LABELS, AUDIT_EVENT_LABELS, eventLabel, OUTCOME_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { queryParam, requireStaff, sendPage } from '../web-context.ts';
import { type AdminOptions, nextIsoDate } from './admin-shared.ts';

const PAGE_SIZE = 50;
const OUTCOMES = ['success', 'denied', 'not_found'] as const;

type Query = { van: DateParts; tot: DateParts; soort: string; organisatie: string; uitkomst: string };

/** The filters as query-string pairs (the pager keeps them). */
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

const detailsText = (details: Record<string, unknown>) =>
  Object.entries(details)
    .filter(([, v]) => v !== null && v !== '')
    .map(([k, v]) => `${k}: ${String(v)}`)
    .join('; ');

function AuditPage(props: {
  ctx: PageContext;
  query: Query;
  errors: FieldErrors;
  organisations: { id: string; name: string }[];
  rows: AuditEventView[];
  next: string | null;
  paged: boolean;
  today: string;
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
      <Table
        caption={props.paged ? 'Gebeurtenissen (oudere pagina), nieuwste eerst' : 'Gebeurtenissen, nieuwste eerst'}
        head={['Tijd', 'Gebeurtenis', 'Uitkomst', 'Door', 'Organisatie', 'Over een persoon', 'Details']}
        empty="Er zijn geen gebeurtenissen die aan deze filters voldoen."
        rows={props.rows.map((row) => [
          <TimeText at={row.occurredAt} withTime />,
          eventLabel(row.eventType),
          OUTCOME_LABELS[row.outcome as keyof typeof OUTCOME_LABELS],
          `${ACTOR_LABELS[row.actorType] ?? row.actorType}${row.actorName ? `: ${row.actorName}` : ''}`,
          row.organisationName ?? '—',
          row.subject !== null ? 'Ja' : 'Nee',
          <span class="sluis-admin-details">{detailsText(row.details) || '—'}</span>,
        ])}
      />
      <nav class="sluis-admin-pager" aria-label="Pagina's">
        {props.paged ? (
          <a class="utrecht-link" href={`/beheer/audit?${new URLSearchParams(queryPairs(query)).toString()}`}>
            Nieuwste gebeurtenissen
          </a>
        ) : null}
        {props.next ? (
          <a class="utrecht-link" href={`/beheer/audit?${new URLSearchParams([...queryPairs(query), ['ouder', props.next]]).toString()}`}>
            Oudere gebeurtenissen
          </a>
        ) : null}
      </nav>
    </Page>
  );
}

export async function auditPages(app: FastifyInstance, { services }: AdminOptions) {
  app.get('/beheer/audit', async (request, reply) => {
    const { actor } = requireStaff(request);
    const today = amsterdamDate(services.clock.now());
    const from = checkDateField(request.query, 'van', { what: 'de datum bij ‘Van’', example: today });
    const to = checkDateField(request.query, 'tot', { what: 'de datum bij ‘Tot en met’', example: today });
    const query: Query = {
      van: from.parts,
      tot: to.parts,
      soort: queryParam(request, 'soort'),
      organisatie: queryParam(request, 'organisatie'),
      uitkomst: queryParam(request, 'uitkomst'),
    };
    const errors: FieldErrors = { van: from.error, tot: to.error };
    if (from.date && to.date && to.date < from.date) errors.tot = '‘Tot en met’ ligt vóór ‘Van’. Kies een latere datum.';
    const filter: AuditQuery = { limit: PAGE_SIZE };
    if (from.date) filter.from = startOfAmsterdamDay(from.date).toISOString();
    if (to.date && !errors.tot) filter.to = startOfAmsterdamDay(nextIsoDate(to.date)).toISOString();
    if ((AUDIT_EVENT_TYPES as readonly string[]).includes(query.soort)) filter.eventType = query.soort;
    else query.soort = '';
    if (isUuid(query.organisatie)) filter.organisationId = query.organisatie;
    else query.organisatie = '';
    if ((OUTCOMES as readonly string[]).includes(query.uitkomst)) filter.outcome = query.uitkomst as AuditQuery['outcome'];
    else query.uitkomst = '';
    const older = queryParam(request, 'ouder');
    if (/^[A-Za-z0-9_.-]{1,200}$/.test(older)) filter.cursor = older;
    const failed = Object.values(errors).some(Boolean);
    const page = failed ? { items: [], nextCursor: null } : await services.auditTrail.list(actor, filter);
    const result = { rows: page.items, next: page.nextCursor };
    const organisations = (await services.organisations.list({})).map(({ id, name }) => ({ id, name }));
    return sendPage(
      reply,
      <AuditPage
        ctx={request.pageContext}
        query={query}
        errors={errors}
        organisations={organisations}
        rows={result.rows}
        next={result.next}
        paged={filter.cursor !== undefined}
        today={today}
      />,
      failed ? 422 : 200,
    );
  });
}
