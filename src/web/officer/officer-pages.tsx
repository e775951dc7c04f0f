/**
 * The municipality's escalation officer (functionaris) under /regie: the work list of escalated
 * and stalled matches, one match (the participants' contact details, who made contact, the
 * coordination history — nothing about the person), appointing a coordinator, closing the
 * escalation with an outcome; and the follow-up figures (/regie/opvolging), also for the
 * administrator. Every read and action is audited by the coordination service.
 *
 * A match is shown by its date and number of participants only: no name, BSN or anything else
 * about the person it concerns.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { staffActor } from '../../accounts/web-user.ts';
import { OUTCOMES, type Outcome } from '../../coordination/coordination-rules.ts';
import type { CoordinationView, WorkItem } from '../../coordination/coordination-service.ts';
import type { StaffActor } from '../../shared/actor.ts';
import { amsterdamDate } from '../../shared/calendar.ts';
import { Problem } from '../../shared/errors.ts';
import { Alert, Button, ChoiceGroup, DataList, Form, formatDate, Heading, Paragraph, Select, StatusBadge, Table, TimeText } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { coordinationActorLabel } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions, PagePlugin } from '../page-services.ts';
import { ListCount, Pager, pageOfWhole, pageParam } from '../pager.tsx';
import { field, forbidden, queryParam, redirect, requireStaff, requireUser, restoredFormOfPage, sendPage } from '../web-context.ts';
import { actionLabel, categoryLabel, monthLabel, OUTCOME_LABELS, reasonLabel, STALLED_LABELS, stateLabel } from './officer-labels.ts';

type OfficerView = CoordinationView & { allowed: string[] };

const participantsText = (n: number) => (n === 1 ? '1 professional' : `${n} professionals`);

// ------------------------------------------------------------------------------------------------
// The work list

/** Where each list of the work list is: its page number (the other list's is kept). */
const worklistHref = (pages: { escalated: number; stalled: number }, anchor: string) => {
  const params = new URLSearchParams();
  if (pages.escalated > 1) params.set('opgeschaald', String(pages.escalated));
  if (pages.stalled > 1) params.set('stokt', String(pages.stalled));
  const search = params.toString();
  return `/regie${search ? `?${search}` : ''}#${anchor}`;
};

function WorklistPage(props: { ctx: PageContext; items: WorkItem[]; pages: { escalated: number; stalled: number } }): Html {
  const escalated = pageOfWhole(
    props.items.filter((i) => i.state === 'escalated'),
    props.pages.escalated,
  );
  const stalled = pageOfWhole(
    props.items.filter((i) => i.state !== 'escalated'),
    props.pages.stalled,
  );
  const pages = { escalated: escalated.page, stalled: stalled.page };
  const link = (item: WorkItem) => (
    <a class="utrecht-link" href={`/regie/matches/${item.matchId}`}>
      Match van <TimeText at={item.matchCreatedAt} />
    </a>
  );
  return (
    <Page ctx={props.ctx} title="Werklijst opschaling" wide>
      <Heading>Werklijst opschaling</Heading>
      <Paragraph lead>
        Matches waarin de samenwerking niet op gang komt. U ziet per match wie er betrokken is en wat er met de regie gebeurde — nooit over wie de match gaat.
      </Paragraph>
      <section aria-labelledby="opgeschaald">
        <Heading level={2} id="opgeschaald">
          Opgeschaald ({escalated.total})
        </Heading>
        <Paragraph>
          Een professional vroeg u om hulp, of er kwam binnen de termijn geen regisseur of geen contact. Wijs zo nodig een regisseur aan en sluit de opschaling
          af.
        </Paragraph>
        <ListCount list={escalated} nouns={['opgeschaalde match', 'opgeschaalde matches']} rangeOnly />
        <Table
          caption="Opgeschaalde matches, oudste eerst"
          captionHidden
          empty="Er zijn geen opgeschaalde matches."
          head={['Match', 'Reden', 'Opgeschaald op', 'Betrokken', 'Regisseur']}
          rows={escalated.items.map((item) => [
            link(item),
            reasonLabel(item.escalationReason),
            item.escalatedAt ? <TimeText at={item.escalatedAt} /> : 'onbekend',
            participantsText(item.participants),
            item.coordinator ?? 'Nog niemand',
          ])}
        />
        <Pager
          label="Pagina's van de opgeschaalde matches"
          list={escalated}
          target={{ href: (page) => worklistHref({ ...pages, escalated: page }, 'opgeschaald') }}
        />
      </section>
      <section aria-labelledby="stokt">
        <Heading level={2} id="stokt">
          Dreigt te stokken ({stalled.total})
        </Heading>
        <Paragraph>
          Matches die over de helft van de termijn zijn zonder regisseur of zonder contact. Ze zijn nog niet opgeschaald; u kunt de professionals alvast
          benaderen.
        </Paragraph>
        <ListCount list={stalled} nouns={['match die dreigt te stokken', 'matches die dreigen te stokken']} rangeOnly />
        <Table
          caption="Matches die dreigen te stokken, oudste eerst"
          captionHidden
          empty="Er zijn geen matches die dreigen te stokken."
          head={['Match', 'Wat ontbreekt', 'Stand', 'Betrokken', 'Regisseur']}
          rows={stalled.items.map((item) => [
            link(item),
            item.stalled ? STALLED_LABELS[item.stalled] : '',
            stateLabel(item.state),
            participantsText(item.participants),
            item.coordinator ?? 'Nog niemand',
          ])}
        />
        <Pager
          label="Pagina's van de matches die dreigen te stokken"
          list={stalled}
          target={{ href: (page) => worklistHref({ ...pages, stalled: page }, 'stokt') }}
        />
      </section>
      <Paragraph>
        <a class="utrecht-link" href="/regie/opvolging">
          Bekijk de opvolgcijfers per maand
        </a>
      </Paragraph>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// One match

type MatchErrors = { deelnemer?: string; uitkomst?: string; general?: string };

function MatchPage(props: {
  ctx: PageContext;
  view: OfficerView;
  errors?: MatchErrors;
  done?: string;
  values?: { deelnemer?: string; uitkomst?: string };
}): Html {
  const { view, errors = {}, values = {} } = props;
  const nameOf = (signalId: string | null) => view.participants.find((p) => p.signalId === signalId)?.professionalName ?? null;
  const coordinator = nameOf(view.coordinatorSignalId);
  const proposed = nameOf(view.proposedByRule);
  const canAppoint = view.allowed.includes('appoint') && view.participants.length > 0;
  // Only one whose organisation may coordinate under its covenant can be appointed (schools and the police signal only).
  const appointable = view.participants.filter((p) => p.mayCoordinate);
  const signalOnly = view.participants.length - appointable.length;
  const canResolve = view.allowed.includes('resolve');
  const failed = Boolean(errors.deelnemer || errors.uitkomst || errors.general);
  const facts: [string, Html | string][] = [
    ['Stand', <StatusBadge tone={view.state === 'escalated' ? 'warning' : view.state === 'resolved' ? 'ok' : 'neutral'}>{stateLabel(view.state)}</StatusBadge>],
    ['Match ontstaan', <TimeText at={view.matchCreatedAt} />],
    ['In deze stand sinds', <TimeText at={view.stateSince} />],
  ];
  if (view.escalationReason && (view.state === 'escalated' || view.state === 'resolved')) facts.push(['Reden opschaling', reasonLabel(view.escalationReason)]);
  facts.push(['Regisseur', coordinator ?? 'Nog niemand']);
  if (!coordinator && proposed) facts.push(['Voorstel volgens het convenant', proposed]);
  if (view.state === 'resolved' && view.outcome) facts.push(['Afloop', OUTCOME_LABELS[view.outcome as Outcome]?.label ?? view.outcome]);
  return (
    <Page
      ctx={props.ctx}
      title={`${failed ? 'Fout: ' : ''}Match van ${new Intl.DateTimeFormat('nl-NL', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'Europe/Amsterdam' }).format(view.matchCreatedAt)}`}
      wide
    >
      <p class="utrecht-paragraph sluis-back">
        <a class="utrecht-link" href="/regie">
          ← Terug naar de werklijst
        </a>
      </p>
      <Heading>
        Match van <TimeText at={view.matchCreatedAt} />
      </Heading>
      {props.done === 'aangewezen' ? <Alert type="ok">De regisseur is aangewezen. De betrokken professionals krijgen hierover bericht.</Alert> : null}
      {props.done === 'afgesloten' ? <Alert type="ok">De opschaling is afgesloten. De betrokken professionals krijgen hierover bericht.</Alert> : null}
      {errors.general ? (
        <Alert type="error" title="Dat kan niet meer">
          {errors.general}
        </Alert>
      ) : null}
      <Paragraph>
        U ziet hier alleen wie er betrokken is, wie contact heeft gelegd en wat er met de regie gebeurde. Over de persoon zelf toont SluiS u niets; bel of mail
        de professionals als u meer moet weten.
      </Paragraph>
      <DataList items={facts} />

      <section aria-labelledby="betrokkenen">
        <Heading level={2} id="betrokkenen">
          Betrokken professionals ({view.participants.length})
        </Heading>
        {view.participants.length === 0 ? (
          <Paragraph class="sluis-empty">Er zijn geen actieve signalen meer in deze match.</Paragraph>
        ) : (
          <ul class="sluis-cards sluis-plain-list">
            {view.participants.map((p) => (
              <li class="sluis-card sluis-contact">
                <h3 class="utrecht-heading-3">{p.professionalName}</h3>
                <p class="utrecht-paragraph sluis-contact__role">{[p.jobTitle, p.organisationName].filter(Boolean).join(', ')}</p>
                {p.signalId === view.coordinatorSignalId ? (
                  <p class="utrecht-paragraph sluis-officer-badges">
                    <StatusBadge tone="ok">Regisseur</StatusBadge>
                  </p>
                ) : null}
                {p.mayCoordinate ? null : (
                  <p class="utrecht-paragraph sluis-officer-badges">
                    <StatusBadge>Alleen signaleren</StatusBadge>
                  </p>
                )}
                {!view.coordinatorSignalId && p.signalId === view.proposedByRule ? (
                  <p class="utrecht-paragraph sluis-officer-badges">
                    <StatusBadge tone="new">Voorstel volgens het convenant</StatusBadge>
                  </p>
                ) : null}
                <DataList
                  items={[
                    [
                      'Telefoon',
                      <a class="utrecht-link" href={`tel:${p.phone.replace(/[^\d+]/g, '')}`}>
                        {p.phone}
                      </a>,
                    ],
                    [
                      'E-mail',
                      <a class="utrecht-link" href={`mailto:${p.email}`}>
                        {p.email}
                      </a>,
                    ],
                    ['Betrokken sinds', <TimeText at={p.since} />],
                    ['Contact gelegd', p.contactedOn ? <TimeText at={`${p.contactedOn}T12:00:00Z`} /> : 'Nog niet vastgelegd'],
                  ]}
                />
              </li>
            ))}
          </ul>
        )}
      </section>

      {canAppoint ? (
        <section aria-labelledby="aanwijzen">
          <Heading level={2} id="aanwijzen">
            Regisseur aanwijzen
          </Heading>
          <Form
            action={`/regie/matches/${view.matchId}/regisseur`}
            csrf={props.ctx.csrf}
            errors={errors.deelnemer ? { deelnemer: errors.deelnemer } : undefined}
            class="sluis-admin-action"
          >
            <ChoiceGroup
              id="deelnemer"
              legend="Wie krijgt de regie?"
              error={errors.deelnemer}
              selected={values.deelnemer ?? view.coordinatorSignalId ?? view.proposedByRule ?? undefined}
              description={`Spreek het eerst af met de professional. Alle betrokkenen krijgen bericht wie de regie heeft.${
                signalOnly > 0 ? ' Professionals van een organisatie die volgens het convenant alleen signaleert, staan hier niet bij.' : ''
              }`}
              options={appointable.map((p) => ({
                value: p.signalId,
                label: `${p.professionalName} (${p.organisationName})`,
                ...(p.signalId === view.coordinatorSignalId
                  ? { description: 'Heeft nu de regie.' }
                  : p.signalId === view.proposedByRule
                    ? { description: 'Voorstel volgens de voorrangsregel van het convenant.' }
                    : {}),
              }))}
            />
            <div class="sluis-actions">
              <Button>Regisseur aanwijzen</Button>
            </div>
          </Form>
        </section>
      ) : null}

      {view.state === 'escalated' && !view.allowed.includes('appoint') && view.participants.length > 0 ? (
        <Alert type="info">
          Geen van de betrokken organisaties neemt volgens het convenant de regie: zij geven alleen signalen af. U kunt daarom geen regisseur aanwijzen. Spreek
          met de professionals af hoe het verder gaat, en sluit de opschaling af.
        </Alert>
      ) : null}

      {canResolve ? (
        <section aria-labelledby="afsluiten">
          <Heading level={2} id="afsluiten">
            Opschaling afsluiten
          </Heading>
          <Form
            action={`/regie/matches/${view.matchId}/afsluiten`}
            csrf={props.ctx.csrf}
            errors={errors.uitkomst ? { uitkomst: errors.uitkomst } : undefined}
            class="sluis-admin-action"
          >
            <ChoiceGroup
              id="uitkomst"
              legend="Hoe liep de opschaling af?"
              error={errors.uitkomst}
              selected={values.uitkomst}
              description="Kies een categorie. SluiS vraagt bewust geen toelichting: niets over de persoon hoort hier."
              options={OUTCOMES.map((o) => ({ value: o, label: OUTCOME_LABELS[o].label, description: OUTCOME_LABELS[o].description }))}
            />
            <div class="sluis-actions">
              <Button>Opschaling afsluiten</Button>
            </div>
          </Form>
        </section>
      ) : null}

      {!canAppoint && !canResolve && view.state !== 'escalated' ? (
        <Alert type="info">
          {view.state === 'resolved'
            ? 'Deze opschaling is afgesloten. Schaalt iemand opnieuw op, dan staat de match weer op uw werklijst.'
            : 'Deze match is nog niet opgeschaald. U kunt de professionals wel alvast bellen of mailen; een regisseur aanwijzen kan pas na opschaling.'}
        </Alert>
      ) : null}

      <section aria-labelledby="geschiedenis">
        <Heading level={2} id="geschiedenis">
          Geschiedenis van de regie
        </Heading>
        <Table
          caption="Geschiedenis van de regie, oudste eerst"
          captionHidden
          empty="Er is nog niets met de regie gebeurd sinds de match ontstond."
          head={['Wanneer', 'Wat', 'Door', 'Toelichting']}
          rows={view.history.map((entry) => {
            const notes = [
              categoryLabel(entry.action, entry.category),
              entry.contactedOn ? `Contact op ${formatDate(`${entry.contactedOn}T12:00:00Z`)}` : null,
              entry.subject && entry.action !== 'appoint' && entry.action !== 'contact_recorded' ? `Betreft: ${entry.subject}` : null,
              entry.coordinator ? `Regisseur: ${entry.coordinator}` : null,
            ]
              .filter(Boolean)
              .join('. ');
            return [<TimeText at={entry.occurredAt} withTime />, actionLabel(entry.action), coordinationActorLabel(entry), notes || '—'];
          })}
        />
      </section>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Follow-up figures

type Period = {
  month: string;
  matches: number | null;
  withCoordinator: number | null;
  withContact: number | null;
  escalated: number | null;
  medianDaysToCoordinator: number | null;
  medianDaysToContact: number | null;
};

const MONTH_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const shiftMonth = (month: string, by: number) => {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return d.toISOString().slice(0, 7);
};
const lastDayOf = (month: string) => new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).toISOString().slice(0, 10);
const monthsBetween = (from: string, to: string) => {
  const list: string[] = [];
  for (let m = from; m <= to && list.length < 240; m = shiftMonth(m, 1)) list.push(m);
  return list;
};

/** How many signals wait for postponed informing to be recorded (now, not per month); null: 1 to 4, not shown. */
type InformingFigures = { open: number | null; due: number | null; followUpDays: number };

function InformingSection(props: { figures: InformingFigures }): Html {
  const { open, due, followUpDays } = props.figures;
  const count = (value: number | null) => (value === null ? <span class="sluis-officer-suppressed">minder dan 5</span> : value.toLocaleString('nl-NL'));
  return (
    <section aria-labelledby="uitgesteld-informeren">
      <Heading level={2} id="uitgesteld-informeren">
        Uitgesteld informeren
      </Heading>
      <Paragraph>
        Bij het afgeven van een signaal over een jongere mag de professional het informeren uitstellen. SluiS vraagt na {followUpDays} dagen om vast te leggen
        of het gebeurd is. Zo staat het er nu voor:
      </Paragraph>
      <DataList
        items={[
          ['Actieve signalen met uitgesteld informeren', count(open)],
          [`Daarvan al langer dan ${followUpDays} dagen open`, count(due)],
        ]}
      />
    </section>
  );
}

function FollowUpPage(props: {
  ctx: PageContext;
  from: string;
  to: string;
  choices: string[];
  periods: Period[];
  informing?: InformingFigures;
  consultations?: ConsultationFigures;
  error?: string;
}): Html {
  const byMonth = new Map(props.periods.map((p) => [p.month, p]));
  const count = (value: number | null) => (value === null ? <span class="sluis-officer-suppressed">minder dan 5</span> : value.toLocaleString('nl-NL'));
  const days = (value: number | null, counted: number | null) =>
    value !== null ? (
      `${value.toLocaleString('nl-NL')} ${value === 1 ? 'dag' : 'dagen'}`
    ) : counted === 0 ? (
      '—'
    ) : (
      <span class="sluis-officer-suppressed">niet getoond</span>
    );
  const options = props.choices.map((m) => ({ value: m, label: monthLabel(m) }));
  const rows = props.error
    ? []
    : monthsBetween(props.from, props.to).map((month) => {
        const p = byMonth.get(month) ?? {
          month,
          matches: 0,
          withCoordinator: 0,
          withContact: 0,
          escalated: 0,
          medianDaysToCoordinator: null,
          medianDaysToContact: null,
        };
        return [
          monthLabel(month),
          count(p.matches),
          count(p.withCoordinator),
          days(p.medianDaysToCoordinator, p.withCoordinator),
          count(p.withContact),
          days(p.medianDaysToContact, p.withContact),
          count(p.escalated),
        ];
      });
  return (
    <Page ctx={props.ctx} title={props.error ? 'Fout: opvolging' : 'Opvolging'} wide>
      <Heading>Opvolging van matches</Heading>
      <Paragraph lead>
        Per maand waarin een match ontstond: hoeveel matches een regisseur kregen en contact hadden, en hoe snel. Deze cijfers zeggen niets over één persoon of
        professional.
      </Paragraph>
      <form method="get" action="/regie/opvolging" class="utrecht-form sluis-admin-filter" novalidate>
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
      {props.error ? null : (
        <Table
          caption={`Opvolging per maand, ${monthLabel(props.from)} tot en met ${monthLabel(props.to)}`}
          head={['Maand', 'Matches', 'Met regisseur', 'Dagen tot regisseur (mediaan)', 'Met contact', 'Dagen tot contact (mediaan)', 'Opgeschaald']}
          rows={rows}
        />
      )}
      <Heading level={2}>Zo leest u de tabel</Heading>
      <ul class="utrecht-unordered-list">
        <li class="utrecht-unordered-list__item">
          <strong>Minder dan 5</strong>: er waren 1 tot 4 matches in die cel. Zulke kleine aantallen tonen we niet, omdat ze samen met andere kennis naar één
          persoon kunnen wijzen.
        </li>
        <li class="utrecht-unordered-list__item">
          <strong>Niet getoond</strong>: een mediaan tonen we alleen als hij op 5 of meer matches berust.
        </li>
        <li class="utrecht-unordered-list__item">
          <strong>Dagen tot regisseur</strong>: de middelste waarde (mediaan) van het aantal dagen tussen het ontstaan van de match en de eerste regisseur.{' '}
          <strong>Dagen tot contact</strong>: idem, tot de eerste keer dat een professional contact vastlegde.
        </li>
        <li class="utrecht-unordered-list__item">Een match telt mee in de maand waarin hij ontstond, ook als de regie of het contact later kwam.</li>
      </ul>
      {props.consultations ? <ConsultationSection figures={props.consultations} from={props.from} to={props.to} /> : null}
      {props.informing ? <InformingSection figures={props.informing} /> : null}
    </Page>
  );
}

type ConsultationFigures = Awaited<ReturnType<PageOptions['services']['caseConsultations']['figures']>>;

/** Case consultations per month of their start (issue 14): with consent, anonymous, without consent with an official consulted; small cells suppressed. */
function ConsultationSection(props: { figures: ConsultationFigures; from: string; to: string }): Html {
  const byMonth = new Map(props.figures.map((f) => [f.month, f]));
  const count = (value: number | null) => (value === null ? <span class="sluis-officer-suppressed">minder dan 5</span> : value.toLocaleString('nl-NL'));
  const withShare = (value: number | null, percent: number | null) =>
    value === null ? count(value) : percent === null ? count(value) : `${value.toLocaleString('nl-NL')} (${percent}%)`;
  return (
    <section aria-labelledby="casusoverleggen">
      <Heading level={2} id="casusoverleggen">
        Casusoverleggen
      </Heading>
      <Paragraph>
        Per maand waarin een casusoverleg startte: hoeveel met toestemming, hoeveel anoniem, en hoeveel zonder toestemming na overleg met een functionaris. Ook
        casusoverleggen die na de bewaartermijn zijn verwijderd tellen mee.
      </Paragraph>
      <Table
        caption={`Casusoverleggen per maand, ${monthLabel(props.from)} tot en met ${monthLabel(props.to)}`}
        head={['Maand', 'Casusoverleggen', 'Met toestemming', 'Anoniem', 'Zonder toestemming, functionaris geraadpleegd']}
        rows={monthsBetween(props.from, props.to).map((month) => {
          const f = byMonth.get(month);
          if (!f) return [monthLabel(month), '0', '0', '0', '0'];
          return [
            monthLabel(month),
            count(f.consultations),
            withShare(f.withConsent, f.withConsentPercent),
            withShare(f.anonymous, f.anonymousPercent),
            withShare(f.withoutConsentOfficialConsulted, f.withoutConsentOfficialConsultedPercent),
          ];
        })}
      />
    </section>
  );
}

// ------------------------------------------------------------------------------------------------

/** Staff with the escalation officer's role, or the administrator as well (the follow-up figures). */
function requireFollowUpReader(request: FastifyRequest): StaffActor {
  const user = requireUser(request);
  if (user.kind !== 'staff' || !(user.roles.includes('escalation_officer') || user.roles.includes('municipality_admin'))) throw forbidden();
  return staffActor(user, request.id);
}

const isProblem = (error: unknown, ...statuses: number[]): error is Problem => error instanceof Problem && statuses.includes(error.status);

export const officerPages: PagePlugin = async (app: FastifyInstance, { services }) => {
  const { coordination } = services;

  app.get('/regie', async (request, reply) => {
    const { actor } = requireStaff(request, 'escalation_officer');
    const items = await coordination.worklist(actor);
    const pages = { escalated: pageParam(request, 'opgeschaald'), stalled: pageParam(request, 'stokt') };
    return sendPage(reply, <WorklistPage ctx={request.pageContext} items={items} pages={pages} />);
  });

  app.get<{ Params: { id: string } }>('/regie/matches/:id', async (request, reply) => {
    const { actor } = requireStaff(request, 'escalation_officer');
    const view = await coordination.officerGet(actor, request.params.id);
    const done = queryParam(request, 'klaar');
    // Appointing or closing, typed before the session ended: back in its own form.
    const kept = await restoredFormOfPage(request);
    const values = kept && { deelnemer: field(kept.fields, 'deelnemer'), uitkomst: field(kept.fields, 'uitkomst') };
    return sendPage(reply, <MatchPage ctx={request.pageContext} view={view} done={done} values={values} />);
  });

  app.post<{ Params: { id: string } }>('/regie/matches/:id/regisseur', async (request, reply) => {
    const { actor } = requireStaff(request, 'escalation_officer');
    const id = request.params.id;
    const chosen = field(request.body, 'deelnemer');
    const again = async (errors: MatchErrors, status: number) =>
      sendPage(
        reply,
        <MatchPage ctx={request.pageContext} view={await coordination.officerGet(actor, id)} errors={errors} values={{ deelnemer: chosen }} />,
        status,
      );
    if (!/^[0-9a-f-]{36}$/i.test(chosen)) return again({ deelnemer: 'Kies wie de regie krijgt.' }, 422);
    try {
      await coordination.officerAct(actor, id, { action: 'appoint', targetSignalId: chosen });
    } catch (error) {
      if (!isProblem(error, 409)) throw error;
      if (error.code === 'coordination_target')
        return again({ deelnemer: 'Deze professional is niet (meer) betrokken bij de match. Kies een van de betrokken professionals.' }, 409);
      if (error.code === 'coordination_target_covenant')
        return again(
          { deelnemer: 'Deze professional werkt bij een organisatie die volgens het convenant alleen signaleert. Kies een andere professional.' },
          409,
        );
      return again({ general: 'De match is niet (meer) opgeschaald, dus u kunt geen regisseur aanwijzen. Bekijk hieronder de huidige stand.' }, 409);
    }
    return redirect(reply, `/regie/matches/${id}?klaar=aangewezen`);
  });

  app.post<{ Params: { id: string } }>('/regie/matches/:id/afsluiten', async (request, reply) => {
    const { actor } = requireStaff(request, 'escalation_officer');
    const id = request.params.id;
    const chosen = field(request.body, 'uitkomst');
    const again = async (errors: MatchErrors, status: number) =>
      sendPage(
        reply,
        <MatchPage ctx={request.pageContext} view={await coordination.officerGet(actor, id)} errors={errors} values={{ uitkomst: chosen }} />,
        status,
      );
    if (!(OUTCOMES as readonly string[]).includes(chosen)) return again({ uitkomst: 'Kies hoe de opschaling afliep.' }, 422);
    try {
      await coordination.officerAct(actor, id, { action: 'resolve', outcome: chosen as Outcome });
    } catch (error) {
      if (!isProblem(error, 409)) throw error;
      return again({ general: 'Deze opschaling is al afgesloten, of de match is niet opgeschaald. Bekijk hieronder de huidige stand.' }, 409);
    }
    return redirect(reply, `/regie/matches/${id}?klaar=afgesloten`);
  });

  app.get('/regie/opvolging', async (request, reply) => {
    const actor = requireFollowUpReader(request);
    const thisMonth = amsterdamDate(services.clock.now()).slice(0, 7);
    const choices = monthsBetween(shiftMonth(thisMonth, -35), thisMonth).reverse();
    const fromParam = queryParam(request, 'van');
    const toParam = queryParam(request, 'tot');
    const from = MONTH_RE.test(fromParam) && choices.includes(fromParam) ? fromParam : shiftMonth(thisMonth, -11);
    const to = MONTH_RE.test(toParam) && choices.includes(toParam) ? toParam : thisMonth;
    if (from > to) {
      return sendPage(
        reply,
        <FollowUpPage
          ctx={request.pageContext}
          from={from}
          to={to}
          choices={choices}
          periods={[]}
          error="De eerste maand moet vóór of gelijk aan de laatste maand liggen."
        />,
        422,
      );
    }
    const periods = await coordination.followUp(actor, { from: `${from}-01`, to: lastDayOf(to) });
    const informing = await services.signals.informingFigures(actor);
    const consultations = await services.caseConsultations.figures(actor, { from: `${from}-01`, to: lastDayOf(to) });
    return sendPage(
      reply,
      <FollowUpPage ctx={request.pageContext} from={from} to={to} choices={choices} periods={periods} informing={informing} consultations={consultations} />,
    );
  });
};
