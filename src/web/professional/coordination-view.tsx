/**
 * "Regie" on the professional's match page: who coordinates (or the covenant's proposal while
 * nobody does), the actions the professional may take now, a pending hand-over, who recorded
 * contact, the professional's own "contact gelegd / afgestemd", and the history in plain Dutch.
 * Also the small pages behind it: escalating ("opschalen", with a reason category, a confirmation step), handing
 * over and recording contact when a form needs correcting. Nothing here says anything about the
 * person; the reason for escalating is a category, never free text.
 */

import type { CoordinationState, EscalationReason, Outcome } from '../../coordination/coordination-rules.ts';
import type { HistoryEntry, Participant, ProfessionalCoordinationView } from '../../coordination/coordination-service.ts';
import {
  Alert,
  Button,
  ButtonLink,
  ChoiceGroup,
  DataList,
  DateField,
  Form,
  formatDate,
  type Option,
  Paragraph,
  StatusBadge,
  Table,
  TimeText,
} from '../components.tsx';
import { ConfirmPage } from '../confirm-page.tsx';
import { type DateParts, datePartsOf, exampleText } from '../date-input.ts';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { COORDINATION_STATE_LABELS, coordinationActorLabel, ESCALATION_REASON_LABELS, RESOLUTION_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';

export const STATE_LABELS: Record<CoordinationState, string> = COORDINATION_STATE_LABELS;

const STATE_TONES: Record<CoordinationState, 'new' | 'neutral' | 'warning' | 'ok'> = {
  open: 'warning',
  taken: 'ok',
  handover_proposed: 'new',
  escalated: 'warning',
  resolved: 'neutral',
};

/** Lower case, for sentences ("van nog geen regisseur naar regie genomen"). */
const STATE_WORDS: Record<string, string> = Object.fromEntries(Object.entries(STATE_LABELS).map(([state, label]) => [state, label.toLowerCase()]));

export const REASON_CHOICES: (Option & { value: EscalationReason })[] = [
  { value: 'no_coordinator', label: ESCALATION_REASON_LABELS.no_coordinator, description: 'Er is een match, maar niemand van de betrokkenen neemt de regie.' },
  { value: 'no_contact', label: ESCALATION_REASON_LABELS.no_contact, description: 'Een of meer betrokkenen zijn niet te bereiken of reageren niet.' },
  {
    value: 'no_agreement',
    label: ESCALATION_REASON_LABELS.no_agreement,
    description: 'De betrokkenen worden het niet eens over de aanpak of over wie de regie heeft.',
  },
  { value: 'other', label: ESCALATION_REASON_LABELS.other, description: 'De samenwerking loopt om een andere reden vast.' },
];

export const REASON_LABELS = Object.fromEntries(REASON_CHOICES.map((c) => [c.value, c.label])) as Record<EscalationReason, string>;

/** Lower case, for sentences ("de functionaris sloot de opschaling af: er is een regisseur"). */
const OUTCOME_LABELS = Object.fromEntries(Object.entries(RESOLUTION_LABELS).map(([outcome, label]) => [outcome, label.toLowerCase()])) as Record<
  Outcome,
  string
>;

/** What a flash in the url (?regie=…) says after a form. Unknown codes say nothing. */
export const FLASHES: Record<string, { type: 'ok' | 'warning'; text: string }> = {
  genomen: { type: 'ok', text: 'U heeft nu de regie. De andere betrokkenen krijgen daarover bericht.' },
  voorgesteld: { type: 'ok', text: 'Uw voorstel om de regie over te dragen is verstuurd. U houdt de regie tot de ander het voorstel aanneemt.' },
  aangenomen: { type: 'ok', text: 'U heeft de regie overgenomen. De andere betrokkenen krijgen daarover bericht.' },
  afgewezen: { type: 'ok', text: 'U heeft de overdracht afgewezen. De regie blijft waar die was.' },
  ingetrokken: { type: 'ok', text: 'Uw voorstel tot overdracht is ingetrokken. U houdt de regie.' },
  opgeschaald: { type: 'ok', text: 'De match is opgeschaald naar de functionaris van de gemeente. De andere betrokkenen krijgen daarover bericht.' },
  contact: { type: 'ok', text: 'Vastgelegd: u heeft contact gelegd met de andere betrokkenen.' },
  veranderd: { type: 'warning', text: 'Dat kon niet meer: de regie is intussen veranderd. Hieronder ziet u hoe het er nu voor staat.' },
  bezet: { type: 'warning', text: 'Dat kon niet meer: iemand anders heeft intussen de regie genomen. Hieronder ziet u wie.' },
  doel: { type: 'warning', text: 'Dat kon niet: de professional die u koos is niet (meer) bij deze match betrokken. Kies een andere betrokkene.' },
  convenant: {
    type: 'warning',
    text: 'Dat kon niet: uw organisatie geeft volgens het convenant met de gemeente alleen signalen af. U kunt de regie niet nemen of overnemen.',
  },
  'doel-convenant': {
    type: 'warning',
    text: 'Dat kon niet: de professional die u koos werkt bij een organisatie die volgens het convenant alleen signaleert. Kies een andere betrokkene.',
  },
};

/** Why a reason no longer fits when the form was filled in before the match changed. */
export const UNFIT_REASON_ERRORS: Record<EscalationReason, string> = {
  no_coordinator: 'Iemand heeft intussen de regie, dus "Niemand neemt de regie" past niet. Kies een andere reden.',
  no_contact: 'Alle betrokkenen hebben contact vastgelegd, dus "Er komt geen contact tot stand" past niet. Kies een andere reden.',
  no_agreement: 'Deze reden past niet (meer) bij de match. Kies een andere reden.',
  other: 'Deze reden past niet (meer) bij de match. Kies een andere reden.',
};

/** Said to a professional whose organisation may only signal, where they would otherwise take or accept coordination. */
const SIGNAL_ONLY_YOU = 'Uw organisatie geeft volgens het convenant met de gemeente alleen signalen af: u kunt de regie niet nemen.';

const phoneHref = (phone: string) => `tel:${phone.replace(/[^\d+]/g, '')}`;

function CoordinatorCard(props: { participant: Participant; you: boolean }): Html {
  const p = props.participant;
  return (
    <div class="sluis-card sluis-coordinator">
      <p class="utrecht-paragraph sluis-coordinator__kicker">{props.you ? 'U heeft de regie' : 'De regie ligt bij'}</p>
      <p class="sluis-coordinator__name">
        {p.professionalName}
        {props.you ? ' (u)' : ''}
      </p>
      <p class="utrecht-paragraph sluis-contact__role">{[p.jobTitle, p.organisationName].filter(Boolean).join(', ')}</p>
      {props.you ? null : (
        <DataList
          items={[
            [
              'Telefoon',
              <a class="utrecht-link" href={phoneHref(p.phone)}>
                {p.phone}
              </a>,
            ],
            [
              'E-mail',
              <a class="utrecht-link" href={`mailto:${p.email}`}>
                {p.email}
              </a>,
            ],
          ]}
        />
      )}
    </div>
  );
}

/** One history entry as a sentence: who did what. */
export function historySentence(entry: HistoryEntry): string {
  const actor = coordinationActorLabel(entry);
  const subject = entry.subject ?? 'een andere betrokkene';
  const reason = entry.category && entry.category in REASON_LABELS ? REASON_LABELS[entry.category as EscalationReason].toLowerCase() : null;
  switch (entry.action) {
    case 'take':
      return `${actor} nam de regie.`;
    case 'propose_handover':
      return `${actor} stelde voor de regie over te dragen aan ${subject}.`;
    case 'accept_handover':
      return `${actor} nam de regie over.`;
    case 'decline_handover':
      return `${actor} wees de overdracht van de regie af.`;
    case 'withdraw_handover':
      return `${actor} trok het voorstel tot overdracht in.`;
    case 'coordinator_left':
      return `De regisseur (${subject}) is niet meer betrokken: de regie is weer open.`;
    case 'proposed_left':
      return `${subject} is niet meer betrokken: het voorstel tot overdracht is vervallen.`;
    case 'escalate':
      return entry.actorKind === 'system'
        ? `SluiS schaalde op naar de functionaris, omdat de afgesproken termijn voorbij was${reason ? ` (${reason})` : ''}.`
        : `${actor} schaalde op naar de functionaris${reason ? ` (${reason})` : ''}.`;
    case 'appoint':
      return `${actor} wees ${entry.coordinator ?? 'een betrokkene'} aan als regisseur.`;
    case 'resolve': {
      const outcome = entry.category && entry.category in OUTCOME_LABELS ? OUTCOME_LABELS[entry.category as Outcome] : null;
      return `${actor} sloot de opschaling af${outcome ? ` (${outcome})` : ''}.`;
    }
    case 'contact_recorded':
      return `${actor} legde vast: contact gelegd${entry.contactedOn ? ` op ${formatDate(`${entry.contactedOn}T12:00:00Z`)}` : ''}.`;
    default:
      return `${actor}: ${entry.action}.`;
  }
}

const ACTION_BUTTON_LABEL: Record<string, string> = { aannemen: 'Aannemen', afwijzen: 'Afwijzen', intrekken: 'Intrekken' };

/** A form with one button that posts one `actie`. */
function ActionForm(props: { ctx: PageContext; matchId: string; actie: string; label: string; kind?: 'primary' | 'secondary'; hidden?: string }): Html {
  return (
    <Form action={`/matches/${props.matchId}/regie`} csrf={props.ctx.csrf} class="sluis-inline-form">
      <input type="hidden" name="actie" value={props.actie} />
      <Button kind={props.kind ?? 'primary'}>
        {props.label}
        {props.hidden ? <span class="sluis-visually-hidden"> {props.hidden}</span> : null}
      </Button>
    </Form>
  );
}

/** The participants the coordinator may hand over to: everyone but the coordinator whose organisation may coordinate. */
const handoverOptions = (view: ProfessionalCoordinationView): Option[] =>
  view.participants
    .filter((p) => p.signalId !== view.coordinatorSignalId && p.mayCoordinate)
    .map((p) => ({
      value: p.signalId,
      label: `${p.professionalName} (${p.organisationName})`,
      ...(p.jobTitle && { description: p.jobTitle }),
    }));

export function HandoverFields(props: { view: ProfessionalCoordinationView; error?: string | undefined; selected?: string; id?: string }): Html {
  const options = handoverOptions(props.view);
  const selected = props.selected ?? (options.length === 1 ? options[0]!.value : undefined);
  const signalOnly = props.view.participants.some((p) => !p.mayCoordinate && p.signalId !== props.view.coordinatorSignalId);
  return (
    <>
      <input type="hidden" name="actie" value="overdragen" />
      <ChoiceGroup
        id={props.id ?? 'naar'}
        name="naar"
        legend="Aan wie wilt u de regie overdragen?"
        options={options}
        error={props.error}
        description={`De ander krijgt bericht en neemt het voorstel aan of wijst het af. Tot dan houdt u de regie.${signalOnly ? ` ${SIGNAL_ONLY_NOT_LISTED}` : ''}`}
        {...(selected && { selected })}
      />
    </>
  );
}

/** Why someone is missing from the hand-over choices (and the officer's): their organisation signals only. */
const SIGNAL_ONLY_NOT_LISTED = 'Professionals van een organisatie die volgens het convenant alleen signaleert, staan hier niet bij.';

export function ContactForm(props: {
  ctx: PageContext;
  view: ProfessionalCoordinationView;
  value: DateParts;
  today: string;
  error?: string | undefined;
  heading?: boolean;
}): Html {
  const mine = props.view.participants.find((p) => p.signalId === props.view.yourSignalId);
  return (
    <Form
      action={`/matches/${props.view.matchId}/contact`}
      csrf={props.ctx.csrf}
      errors={props.error ? { 'contact-datum': props.error } : undefined}
      class="sluis-coordination__contact-form"
    >
      {props.heading === false ? null : (
        <h3 class="utrecht-heading-3" id="contact-titel">
          Contact gelegd / afgestemd
        </h3>
      )}
      <Paragraph>
        Leg vast wanneer u contact had met de andere betrokkenen om uw hulp af te stemmen. SluiS bewaart alleen de datum, niet wat u besprak.
        {mine?.contactedOn ? (
          <>
            {' '}
            U legde eerder vast: <TimeText at={`${mine.contactedOn}T12:00:00Z`} />.
          </>
        ) : null}
      </Paragraph>
      <DateField
        id="contact-datum"
        name="datum"
        legend="Datum van het contact"
        value={props.value}
        error={props.error}
        description={`Tussen ${formatDate(props.view.matchCreatedAt)} (de match) en vandaag. In cijfers, bijvoorbeeld ${exampleText(props.today)}.`}
      />
      <div class="sluis-actions">
        <Button kind="secondary">Contact vastleggen</Button>
      </div>
    </Form>
  );
}

export function CoordinationSection(props: { ctx: PageContext; view: ProfessionalCoordinationView; today: string; flash?: string | undefined }): Html {
  const { view, ctx } = props;
  const flash = props.flash ? FLASHES[props.flash] : undefined;
  const coordinator = view.participants.find((p) => p.signalId === view.coordinatorSignalId);
  const proposed = view.participants.find((p) => p.signalId === view.proposedSignalId);
  const byRule = view.participants.find((p) => p.signalId === view.proposedByRule);
  const can = (action: string) => (view.allowed as string[]).includes(action);
  const last = view.history.at(-1);
  const others = view.participants.filter((p) => p.signalId !== view.yourSignalId);
  const you = view.participants.find((p) => p.signalId === view.yourSignalId);
  return (
    <section aria-labelledby="regie" class="sluis-coordination" id="regie-sectie">
      <div class="sluis-coordination__head">
        <h2 class="utrecht-heading-2" id="regie">
          Regie
        </h2>
        <StatusBadge tone={STATE_TONES[view.state]}>{STATE_LABELS[view.state]}</StatusBadge>
      </div>
      {flash ? <Alert type={flash.type}>{flash.text}</Alert> : null}

      {coordinator ? (
        <CoordinatorCard participant={coordinator} you={coordinator.signalId === view.yourSignalId} />
      ) : (
        <div class="sluis-card sluis-coordinator sluis-coordinator--none">
          <p class="sluis-coordinator__name">Nog niemand heeft de regie</p>
          {view.state === 'open' && last?.action === 'coordinator_left' ? (
            <Paragraph>De vorige regisseur is niet meer betrokken. Spreek samen af wie de regie overneemt.</Paragraph>
          ) : null}
          {byRule ? (
            <Paragraph class="sluis-coordinator__proposal">
              Voorstel volgens de afspraken in het convenant:{' '}
              {byRule.signalId === view.yourSignalId ? <strong>u</strong> : <strong>{byRule.professionalName}</strong>} ({byRule.organisationName}). Het is een
              voorstel: iemand moet de regie nog nemen.
            </Paragraph>
          ) : view.state !== 'escalated' ? (
            <Paragraph>Spreek met de andere betrokkenen af wie de regie neemt. Wie de regie neemt, organiseert de samenwerking.</Paragraph>
          ) : null}
        </div>
      )}

      {view.state === 'handover_proposed' && proposed ? (
        view.yourStanding === 'proposed' ? (
          <div class="sluis-card sluis-handover" role="group" aria-labelledby="overdracht-titel">
            <h3 class="utrecht-heading-3" id="overdracht-titel">
              {coordinator ? coordinator.professionalName : 'De regisseur'} wil de regie aan u overdragen
            </h3>
            <Paragraph>Neemt u het voorstel aan, dan heeft u de regie. Wijst u het af, dan blijft de regie waar die was.</Paragraph>
            <div class="sluis-actions sluis-actions--forms">
              {can('accept_handover') ? (
                <ActionForm ctx={ctx} matchId={view.matchId} actie="aannemen" label={ACTION_BUTTON_LABEL.aannemen!} hidden="en de regie overnemen" />
              ) : null}
              {!can('accept_handover') && can('decline_handover') ? <Paragraph>{SIGNAL_ONLY_YOU} Wijs het voorstel daarom af.</Paragraph> : null}
              {can('decline_handover') ? (
                <ActionForm
                  ctx={ctx}
                  matchId={view.matchId}
                  actie="afwijzen"
                  label={ACTION_BUTTON_LABEL.afwijzen!}
                  kind="secondary"
                  hidden="en de regie niet overnemen"
                />
              ) : null}
            </div>
          </div>
        ) : view.yourStanding === 'coordinator' ? (
          <div class="sluis-card sluis-handover" role="group" aria-labelledby="overdracht-titel">
            <h3 class="utrecht-heading-3" id="overdracht-titel">
              U stelde voor de regie over te dragen aan {proposed.professionalName}
            </h3>
            <Paragraph>
              {proposed.professionalName} ({proposed.organisationName}) neemt het voorstel aan of wijst het af. Tot dan houdt u de regie.
            </Paragraph>
            {can('withdraw_handover') ? (
              <div class="sluis-actions sluis-actions--forms">
                <ActionForm
                  ctx={ctx}
                  matchId={view.matchId}
                  actie="intrekken"
                  label={ACTION_BUTTON_LABEL.intrekken!}
                  kind="secondary"
                  hidden="voorstel tot overdracht"
                />
              </div>
            ) : null}
          </div>
        ) : (
          <Paragraph>
            Voorgesteld: de regie gaat over naar {proposed.professionalName} ({proposed.organisationName}), als die het voorstel aanneemt.
          </Paragraph>
        )
      ) : null}

      {view.state === 'escalated' ? (
        <Alert type="warning" title="De match is opgeschaald naar de functionaris van de gemeente">
          <p class="utrecht-paragraph">
            Reden: {view.escalationReason ? REASON_LABELS[view.escalationReason].toLowerCase() : 'niet opgegeven'}. De functionaris neemt contact op met de
            betrokkenen{coordinator ? '' : ' en kan een regisseur aanwijzen'}.
          </p>
        </Alert>
      ) : null}
      {view.state === 'resolved' && view.outcome ? <Paragraph>De functionaris sloot de opschaling af: {OUTCOME_LABELS[view.outcome]}.</Paragraph> : null}

      {can('take') ? (
        <div class="sluis-actions sluis-actions--forms">
          <ActionForm ctx={ctx} matchId={view.matchId} actie="nemen" label="Ik neem de regie" />
        </div>
      ) : !you?.mayCoordinate && !coordinator && view.state !== 'escalated' ? (
        <Paragraph class="sluis-coordinator__signal-only">{SIGNAL_ONLY_YOU} Spreek met de andere betrokkenen af wie de regie neemt.</Paragraph>
      ) : null}
      {view.yourStanding === 'coordinator' &&
      (view.state === 'taken' || view.state === 'resolved') &&
      others.length > 0 &&
      !others.some((p) => p.mayCoordinate) ? (
        <Paragraph>
          De andere betrokkenen werken bij een organisatie die volgens het convenant alleen signaleert: u kunt de regie niet aan hen overdragen.
        </Paragraph>
      ) : null}
      {can('propose_handover') && others.length > 0 ? (
        <Form action={`/matches/${view.matchId}/regie`} csrf={ctx.csrf} class="sluis-coordination__handover-form">
          <h3 class="utrecht-heading-3">Regie overdragen</h3>
          <HandoverFields view={view} />
          <div class="sluis-actions">
            <Button kind="secondary">Overdracht voorstellen</Button>
          </div>
        </Form>
      ) : null}

      <h3 class="utrecht-heading-3" id="contact-per-betrokkene">
        Contact gelegd per betrokkene
      </h3>
      <Table
        caption="Contact gelegd per betrokkene"
        captionHidden
        head={['Betrokkene', 'Contact gelegd']}
        rows={view.participants.map((p) => [
          <span>
            {p.professionalName}
            {p.signalId === view.yourSignalId ? ' (u)' : ''}, {p.organisationName}
            {p.signalId === view.coordinatorSignalId ? (
              <>
                {' '}
                <StatusBadge tone="ok">Regie</StatusBadge>
              </>
            ) : null}
            {p.mayCoordinate ? null : (
              <>
                {' '}
                <StatusBadge>Alleen signaleren</StatusBadge>
              </>
            )}
          </span>,
          p.contactedOn ? <TimeText at={`${p.contactedOn}T12:00:00Z`} /> : <span class="sluis-muted">Nog niet</span>,
        ])}
      />
      <ContactForm ctx={ctx} view={view} value={datePartsOf(props.today)} today={props.today} />

      {can('escalate') ? (
        <div class="sluis-coordination__escalate">
          <h3 class="utrecht-heading-3">Loopt de samenwerking vast?</h3>
          <Paragraph>Dan kunt u opschalen naar de functionaris van de gemeente. U kiest alleen een reden; u schrijft niets over de persoon.</Paragraph>
          <ButtonLink href={`/matches/${view.matchId}/regie/opschalen`} kind="secondary">
            Opschalen naar de functionaris
          </ButtonLink>
        </div>
      ) : null}

      <h3 class="utrecht-heading-3" id="verloop-regie">
        Verloop van de regie
      </h3>
      {view.history.length === 0 ? (
        <Paragraph class="sluis-empty">Er is nog niets gebeurd met de regie.</Paragraph>
      ) : (
        <ol class="sluis-timeline" aria-labelledby="verloop-regie">
          {view.history.map((entry) => (
            <li class="sluis-timeline__item">
              <TimeText at={entry.occurredAt} withTime />
              <p class="sluis-timeline__what">{historySentence(entry)}</p>
              <p class="sluis-timeline__state">
                Stand:{' '}
                {entry.fromState === entry.toState
                  ? (STATE_WORDS[entry.toState] ?? entry.toState)
                  : `van ${STATE_WORDS[entry.fromState] ?? entry.fromState} naar ${STATE_WORDS[entry.toState] ?? entry.toState}`}
              </p>
            </li>
          ))}
        </ol>
      )}
    </section>
  );
}

// ------------------------------------------------------------------------------------------------
// The pages behind the section's links and forms.

const backLink = (matchId: string) => (
  <a class="utrecht-link" href={`/matches/${matchId}#regie`}>
    Terug naar de match
  </a>
);

/** Escalating: the one confirmation pattern (confirm-page.tsx), with the reason category to choose first. */
export function EscalatePage(props: {
  ctx: PageContext;
  view: ProfessionalCoordinationView;
  personName: string;
  error?: string | undefined;
  selected?: string;
}): Html {
  const { view } = props;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title="Opschalen naar de functionaris"
      back={{ href: `/matches/${view.matchId}#regie`, label: 'Terug naar de match' }}
      action={`/matches/${view.matchId}/regie`}
      confirm="Ja, opschalen"
      errors={{ reden: props.error }}
      intro={`Loopt de samenwerking rond ${props.personName} vast? Dan schaalt u op naar de functionaris van de gemeente. De functionaris neemt contact op met de betrokken professionals en kan een regisseur aanwijzen.`}
      consequences={[
        'De functionaris krijgt de match op de werklijst, met de reden die u kiest en de contactgegevens van de betrokken professionals. Niets over de persoon.',
        'Alle betrokken professionals krijgen bericht dat de match is opgeschaald, en waarom.',
        'De audit trail legt vast dat u dit heeft gedaan.',
      ]}
      irreversible="Alleen de functionaris sluit de opschaling weer af."
      question="Weet u zeker dat u wilt opschalen naar de functionaris?"
    >
      <input type="hidden" name="actie" value="opschalen" />
      <ChoiceGroup
        id="reden"
        legend="Waarom schaalt u op?"
        options={REASON_CHOICES.filter((c) => view.escalationReasons.includes(c.value))}
        error={props.error}
        {...(props.selected && { selected: props.selected })}
        description="Kies een categorie; alleen de redenen die bij de match passen, staan erbij. Schrijf niets over de persoon: de functionaris krijgt alleen deze reden en de contactgegevens van de betrokken professionals."
      />
    </ConfirmPage>
  );
}

export function HandoverPage(props: {
  ctx: PageContext;
  view: ProfessionalCoordinationView;
  personName: string;
  error?: string | undefined;
  selected?: string | undefined;
}): Html {
  const { view } = props;
  return (
    <Page ctx={props.ctx} title={`${props.error ? 'Fout: ' : ''}Regie overdragen`}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">
          <span class="sluis-kicker">Regie</span> Regie overdragen
        </h1>
        <Paragraph lead>U heeft de regie rond {props.personName}. Stel voor de regie over te dragen aan een andere betrokkene.</Paragraph>
        <Form action={`/matches/${view.matchId}/regie`} csrf={props.ctx.csrf} errors={{ naar: props.error }} page={props.ctx.path}>
          <HandoverFields view={view} error={props.error} {...(props.selected && { selected: props.selected })} />
          <div class="sluis-actions">
            <Button>Overdracht voorstellen</Button>
            {backLink(view.matchId)}
          </div>
        </Form>
      </div>
    </Page>
  );
}

export function ContactPage(props: {
  ctx: PageContext;
  view: ProfessionalCoordinationView;
  personName: string;
  value: DateParts;
  today: string;
  error?: string | undefined;
}): Html {
  return (
    <Page ctx={props.ctx} title={`${props.error ? 'Fout: ' : ''}Contact vastleggen`}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">
          <span class="sluis-kicker">Regie</span> Contact vastleggen
        </h1>
        <Paragraph lead>Over {props.personName}: wanneer had u contact met de andere betrokkenen?</Paragraph>
        <ContactForm ctx={props.ctx} view={props.view} value={props.value} today={props.today} error={props.error} heading={false} />
        <p class="utrecht-paragraph">{backLink(props.view.matchId)}</p>
      </div>
    </Page>
  );
}
