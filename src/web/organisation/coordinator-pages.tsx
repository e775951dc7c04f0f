/**
 * The organisation coordinator's pages, under /organisatie: the organisation's professionals
 * (invite by e-mail, deactivate, transfer a leaving professional's signals to a colleague, reset a
 * lost second factor), the organisation's profile, its API clients and webhooks, and its deliveries
 * that failed.
 *
 * Only a coordinator gets here (anyone else: sign in, or "Geen toegang"); every id in a URL or form
 * is looked up within the coordinator's own organisation, so another organisation's professional,
 * client, webhook or delivery is "Niet gevonden". No person data (BSN, names of persons, signal
 * details) appears on these pages: only counts of signals.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { OutboxEventType } from '../../notifications/events.ts';
import { EVENT_TYPES } from '../../notifications/events.ts';
import {
  type AccountState,
  type CoordinatedProfessional,
  type CoordinatorService,
  type InviteInput,
  InviteRefused,
  type ProfileInput,
} from '../../organisations/coordinator-service.ts';
import type { Domain } from '../../organisations/organisation-service.ts';
import { DOMAINS } from '../../organisations/organisation-service.ts';
import { Problem } from '../../shared/errors.ts';
import { resetDoneText, secondFactorResetRoutes } from '../account/second-factor-pages.tsx';
import {
  Alert,
  Button,
  ButtonLink,
  ChoiceGroup,
  DataList,
  type FieldErrors,
  Form,
  Paragraph,
  Select,
  StatusBadge,
  Table,
  TextArea,
  TextField,
  TimeText,
} from '../components.tsx';
import { type Child, Fragment, type Html, h } from '../html/jsx.ts';
import { DOMAIN_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, queryParam, redirect, requireCoordinator, sendPage } from '../web-context.ts';

const ACCOUNT_LABELS: Record<AccountState, [string, 'new' | 'neutral' | 'warning' | 'ok']> = {
  none: ['Geen account', 'neutral'],
  invited: ['Uitgenodigd', 'new'],
  active: ['Actief', 'ok'],
  deactivated: ['Gedeactiveerd', 'warning'],
};

const EVENT_LABELS: Record<OutboxEventType, string> = {
  'match.created': 'Nieuwe match',
  'match.participant_joined': 'Professional bij match gekomen',
  'match.participant_left': 'Professional uit match vertrokken',
  'signal.ended': 'Signaal beëindigd',
  'signal.expiring': 'Signaal verloopt binnenkort',
  'coordination.changed': 'Regie gewijzigd',
};

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const PHONE = /^[0-9+()\-\s]{6,40}$/;

/** Breadcrumb-like link back to the overview. */
const Back = (props: { href?: string; label?: string }): Html => (
  <p class="utrecht-paragraph sluis-back">
    <a class="utrecht-link" href={props.href ?? '/organisatie'}>
      {props.label ?? 'Terug naar Mijn organisatie'}
    </a>
  </p>
);

// ------------------------------------------------------------------------------------------------
// Overview

function OverviewPage(props: {
  ctx: PageContext;
  organisationName: string;
  counts: { professionals: number; apiClients: number; webhooks: number; failedDeliveries: number };
}): Html {
  const { counts } = props;
  const card = (href: string, title: string, count: number | null, unit: string, text: string) => (
    <section class="sluis-card" aria-labelledby={`kaart-${href.split('/').pop()}`}>
      <h2 class="utrecht-heading-2" id={`kaart-${href.split('/').pop()}`}>
        <a class="utrecht-link" href={href}>
          {title}
        </a>
      </h2>
      {count === null ? null : (
        <p class="utrecht-paragraph">
          <span class="sluis-stat">{count}</span> {unit}
        </p>
      )}
      <p class="utrecht-paragraph">{text}</p>
    </section>
  );
  return (
    <Page ctx={props.ctx} title="Mijn organisatie">
      <h1 class="utrecht-heading-1">{props.organisationName}</h1>
      <Paragraph lead>
        Als coördinator beheert u hier de professionals van uw organisatie, het organisatieprofiel en de koppelingen met uw cliëntsysteem.
      </Paragraph>
      {counts.failedDeliveries > 0 ? (
        <Alert type="warning" title="Berichten niet afgeleverd">
          {counts.failedDeliveries === 1 ? 'Eén bericht kon' : `${counts.failedDeliveries} berichten konden`} niet worden afgeleverd.{' '}
          <a class="utrecht-link" href="/organisatie/afleveringen">
            Bekijk de afleveringen
          </a>
        </Alert>
      ) : null}
      <div class="sluis-cards">
        {card(
          '/organisatie/professionals',
          'Professionals',
          counts.professionals,
          counts.professionals === 1 ? 'actieve professional' : 'actieve professionals',
          'Nodig nieuwe collega’s uit, deactiveer wie vertrekt en draag hun signalen over.',
        )}
        {card('/organisatie/profiel', 'Organisatieprofiel', null, '', 'Welke hulp uw organisatie biedt en wanneer uw professionals signaleren.')}
        {card(
          '/organisatie/koppelingen',
          'Koppelingen',
          counts.apiClients,
          counts.apiClients === 1 ? 'actieve API-sleutel' : 'actieve API-sleutels',
          `API-sleutels voor uw cliëntsysteem en ${counts.webhooks === 1 ? 'één webhook' : `${counts.webhooks} webhooks`}.`,
        )}
        {card(
          '/organisatie/afleveringen',
          'Afleveringen',
          counts.failedDeliveries,
          counts.failedDeliveries === 1 ? 'mislukt bericht' : 'mislukte berichten',
          'E-mails en webhookberichten die niet aankwamen; bied ze opnieuw aan.',
        )}
      </div>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Professionals

type InviteValues = { naam: string; email: string; telefoon: string; functie: string; coordinator: string };
const EMPTY_INVITE: InviteValues = { naam: '', email: '', telefoon: '', functie: '', coordinator: 'nee' };

function ProfessionalsPage(props: {
  ctx: PageContext;
  professionals: CoordinatedProfessional[];
  selfId: string;
  notice?: Html | null;
  values?: InviteValues;
  errors?: FieldErrors;
}): Html {
  const values = props.values ?? EMPTY_INVITE;
  const errors = props.errors ?? {};
  const hasErrors = Object.values(errors).some(Boolean);
  const rows = props.professionals.map((p) => {
    const [label, tone] = ACCOUNT_LABELS[p.account];
    const actions: Child[] = [];
    if (p.activeSignals > 0)
      actions.push(
        <a class="utrecht-link" href={`/organisatie/professionals/${p.id}/overdragen`}>
          Signalen overdragen<span class="sluis-visually-hidden"> van {p.name}</span>
        </a>,
      );
    if (p.active && (p.account === 'none' || p.account === 'invited')) {
      actions.push(
        <form method="post" action={`/organisatie/professionals/${p.id}/uitnodigen`} class="sluis-inline-form">
          <input type="hidden" name="_csrf" value={props.ctx.csrf} />
          <button type="submit" class="utrecht-button utrecht-button--subtle sluis-link-button">
            {p.account === 'none' ? 'Uitnodigen' : 'Opnieuw uitnodigen'}
            <span class="sluis-visually-hidden"> {p.name}</span>
          </button>
        </form>,
      );
    }
    if (p.active && p.secondFactor && p.id !== props.selfId) {
      actions.push(
        <a class="utrecht-link" href={`/organisatie/professionals/${p.id}/tweede-factor`}>
          Tweede factor opnieuw instellen<span class="sluis-visually-hidden"> van {p.name}</span>
        </a>,
      );
    }
    if (p.active && p.id !== props.selfId)
      actions.push(
        <a class="utrecht-link" href={`/organisatie/professionals/${p.id}/deactiveren`}>
          Deactiveren<span class="sluis-visually-hidden"> {p.name}</span>
        </a>,
      );
    return [
      <span>
        <strong>{p.name}</strong>
        {p.coordinator ? (
          <>
            {' '}
            <StatusBadge tone="new">coördinator</StatusBadge>
          </>
        ) : null}
        {p.jobTitle ? (
          <>
            <br />
            {p.jobTitle}
          </>
        ) : null}
      </span>,
      <span>
        <a class="utrecht-link" href={`mailto:${p.email}`}>
          {p.email}
        </a>
        <br />
        {p.phone}
      </span>,
      p.active ? <StatusBadge tone={tone}>{label}</StatusBadge> : <StatusBadge tone="warning">Inactief</StatusBadge>,
      String(p.activeSignals),
      actions.length > 0 ? (
        <ul class="sluis-inline-actions">
          {actions.map((a) => (
            <li>{a}</li>
          ))}
        </ul>
      ) : (
        '—'
      ),
    ];
  });
  return (
    <Page ctx={props.ctx} title={hasErrors ? 'Fout: professionals' : 'Professionals'} wide>
      <Back />
      <h1 class="utrecht-heading-1">Professionals</h1>
      {props.notice ?? null}
      <Paragraph>
        Alleen professionals met een actief account kunnen signaleren. Vertrekt iemand? Draag eerst de actieve signalen over aan een collega en deactiveer
        daarna het account.
      </Paragraph>
      <Table
        caption="Professionals van uw organisatie"
        head={['Naam', 'Contact', 'Account', 'Actieve signalen', 'Acties']}
        rows={rows}
        empty="Uw organisatie heeft nog geen professionals."
      />
      <h2 class="utrecht-heading-2" id="uitnodigen">
        Professional uitnodigen
      </h2>
      <Paragraph>
        De professional krijgt een e-mail met een link om een wachtwoord te kiezen en de authenticator-app te koppelen. De link is een week geldig.
      </Paragraph>
      <Form action="/organisatie/professionals" csrf={props.ctx.csrf} errors={errors} id="uitnodigen-formulier">
        <TextField id="naam" label="Naam" autocomplete="off" maxlength={200} value={values.naam} error={errors.naam} />
        <TextField
          id="email"
          label="E-mailadres"
          type="email"
          inputmode="email"
          autocomplete="off"
          maxlength={254}
          value={values.email}
          error={errors.email}
          description="Het werkadres; hierop komt de uitnodiging en komen berichten over matches."
        />
        <TextField
          id="telefoon"
          label="Telefoonnummer"
          type="tel"
          inputmode="tel"
          autocomplete="off"
          maxlength={40}
          width="m"
          value={values.telefoon}
          error={errors.telefoon}
          description="Collega’s van andere organisaties bellen dit nummer bij een match."
        />
        <TextField id="functie" label="Functie" autocomplete="off" maxlength={200} required={false} value={values.functie} error={errors.functie} />
        <ChoiceGroup
          id="coordinator"
          legend="Ook coördinator van uw organisatie?"
          selected={values.coordinator}
          error={errors.coordinator}
          options={[
            { value: 'nee', label: 'Nee' },
            { value: 'ja', label: 'Ja', description: 'Een coördinator beheert professionals, het profiel en de koppelingen.' },
          ]}
        />
        <div class="sluis-actions">
          <Button>Uitnodiging versturen</Button>
        </div>
      </Form>
    </Page>
  );
}

function DeactivatePage(props: { ctx: PageContext; professional: CoordinatedProfessional; error?: string }): Html {
  const p = props.professional;
  return (
    <Page ctx={props.ctx} title={`${p.name} deactiveren`}>
      <div class="sluis-narrow">
        <Back href="/organisatie/professionals" label="Terug naar Professionals" />
        <h1 class="utrecht-heading-1">{p.name} deactiveren</h1>
        {props.error ? <Alert type="error">{props.error}</Alert> : null}
        {!p.active ? (
          <Alert type="info">{p.name} is al gedeactiveerd.</Alert>
        ) : (
          <>
            <Paragraph>
              Na het deactiveren kan {p.name} niet meer inloggen en wordt {p.name} op alle apparaten direct uitgelogd. Het kan niet ongedaan worden gemaakt; u
              kunt wel een nieuwe uitnodiging sturen met een ander e-mailadres.
            </Paragraph>
            {p.activeSignals > 0 ? (
              <Alert type="warning" title="Nog actieve signalen">
                {p.name} heeft nog {p.activeSignals === 1 ? 'één actief signaal' : `${p.activeSignals} actieve signalen`}. Draag ze over aan een collega, zodat
                de betrokken professionals van andere organisaties een aanspreekpunt houden.{' '}
                <a class="utrecht-link" href={`/organisatie/professionals/${p.id}/overdragen`}>
                  Signalen overdragen
                </a>
              </Alert>
            ) : null}
            <Form action={`/organisatie/professionals/${p.id}/deactiveren`} csrf={props.ctx.csrf}>
              <Paragraph>
                Weet u zeker dat u {p.name} ({p.email}) wilt deactiveren?
              </Paragraph>
              <div class="sluis-actions">
                <Button kind="danger">Ja, deactiveren</Button>
                <a class="utrecht-link" href="/organisatie/professionals">
                  Annuleren
                </a>
              </div>
            </Form>
          </>
        )}
      </div>
    </Page>
  );
}

function TransferPage(props: {
  ctx: PageContext;
  professional: CoordinatedProfessional;
  colleagues: CoordinatedProfessional[];
  selected?: string;
  error?: string;
  result?: { moved: number; ended: number; to: string };
}): Html {
  const p = props.professional;
  const errors = props.error ? { collega: props.error } : {};
  if (props.result) {
    const { moved, ended, to } = props.result;
    return (
      <Page ctx={props.ctx} title="Signalen overgedragen">
        <div class="sluis-narrow">
          <h1 class="utrecht-heading-1">Signalen overgedragen</h1>
          <Alert type="ok" title="Gelukt">
            <p class="utrecht-paragraph">
              {moved === 1 ? 'Eén signaal is' : `${moved} signalen zijn`} overgedragen van {p.name} aan {to}. De signalen houden hun datum en looptijd; lopende
              matches blijven bestaan, met {to} als aanspreekpunt.
            </p>
            {ended > 0 ? (
              <p class="utrecht-paragraph">
                {ended === 1 ? 'Eén signaal is' : `${ended} signalen zijn`} beëindigd in plaats van overgedragen, omdat {to} op dezelfde persoon al een actief
                signaal had. Dat signaal van {to} loopt gewoon door.
              </p>
            ) : null}
          </Alert>
          <div class="sluis-actions">
            {p.active ? <ButtonLink href={`/organisatie/professionals/${p.id}/deactiveren`}>{p.name} deactiveren</ButtonLink> : null}
            <a class="utrecht-link" href="/organisatie/professionals">
              Terug naar Professionals
            </a>
          </div>
        </div>
      </Page>
    );
  }
  return (
    <Page ctx={props.ctx} title={props.error ? `Fout: signalen van ${p.name} overdragen` : `Signalen van ${p.name} overdragen`}>
      <div class="sluis-narrow">
        <Back href="/organisatie/professionals" label="Terug naar Professionals" />
        <h1 class="utrecht-heading-1">Signalen van {p.name} overdragen</h1>
        <Paragraph>
          Vertrekt een professional, dan zorgt de organisatie dat diens signalen een aanspreekpunt houden (Jeugdwet, artikel 7.1.3.3). Alle actieve signalen
          gaan naar de collega die u kiest; ze houden hun datum en looptijd, en lopende matches blijven bestaan.
        </Paragraph>
        <DataList
          items={[
            ['Professional', p.name],
            ['Actieve signalen', String(p.activeSignals)],
          ]}
        />
        {p.activeSignals === 0 ? (
          <Alert type="info">{p.name} heeft geen actieve signalen. Er is niets over te dragen.</Alert>
        ) : props.colleagues.length === 0 ? (
          <Alert type="warning">Er is geen andere actieve professional in uw organisatie. Nodig eerst een collega uit.</Alert>
        ) : (
          <Form action={`/organisatie/professionals/${p.id}/overdragen`} csrf={props.ctx.csrf} errors={errors}>
            <Select
              id="collega"
              label="Overdragen aan"
              error={props.error}
              selected={props.selected}
              description="Heeft de collega al een actief signaal op dezelfde persoon, dan wordt het signaal van de vertrekkende professional beëindigd in plaats van overgedragen."
              options={[
                { value: '', label: 'Kies een collega' },
                ...props.colleagues.map((c) => ({ value: c.id, label: c.jobTitle ? `${c.name} (${c.jobTitle})` : c.name })),
              ]}
            />
            <div class="sluis-actions">
              <Button>Signalen overdragen</Button>
              <a class="utrecht-link" href="/organisatie/professionals">
                Annuleren
              </a>
            </div>
          </Form>
        )}
      </div>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Profile

type ProfileValues = { omschrijving: string; meldcriteria: string; website: string; telefoon: string; email: string; domeinen: string[] };

function ProfilePage(props: { ctx: PageContext; name: string; values: ProfileValues; errors?: FieldErrors; saved?: boolean }): Html {
  const errors = props.errors ?? {};
  const hasErrors = Object.values(errors).some(Boolean);
  const v = props.values;
  return (
    <Page ctx={props.ctx} title={hasErrors ? 'Fout: organisatieprofiel' : 'Organisatieprofiel'}>
      <div class="sluis-narrow">
        <Back />
        <h1 class="utrecht-heading-1">Organisatieprofiel</h1>
        {props.saved ? <Alert type="ok">Het profiel is opgeslagen.</Alert> : null}
        <Paragraph>
          Professionals van andere organisaties zien dit profiel bij een match en in het overzicht van organisaties. De naam van uw organisatie ({props.name})
          wijzigt de gemeente.
        </Paragraph>
        <Form action="/organisatie/profiel" csrf={props.ctx.csrf} errors={errors}>
          <ChoiceGroup
            id="domeinen"
            legend="Domeinen"
            multiple
            selected={v.domeinen}
            error={errors.domeinen}
            description="Kies minstens één domein waarin uw organisatie werkt."
            options={DOMAINS.map((d) => ({ value: d, label: DOMAIN_LABELS[d] }))}
          />
          <TextArea
            id="omschrijving"
            label="Welke hulp biedt uw organisatie?"
            rows={5}
            maxlength={4000}
            required={false}
            value={v.omschrijving}
            error={errors.omschrijving}
          />
          <TextArea
            id="meldcriteria"
            label="Meldcriteria (afwegingskader)"
            rows={6}
            maxlength={4000}
            required={false}
            value={v.meldcriteria}
            error={errors.meldcriteria}
            description="In welke situaties geven uw professionals een signaal af?"
          />
          <TextField
            id="website"
            label="Website"
            type="url"
            inputmode="url"
            maxlength={500}
            required={false}
            value={v.website}
            error={errors.website}
            description="Begint met https://"
          />
          <TextField
            id="telefoon"
            label="Algemeen telefoonnummer"
            type="tel"
            inputmode="tel"
            maxlength={40}
            width="m"
            required={false}
            value={v.telefoon}
            error={errors.telefoon}
          />
          <TextField
            id="email"
            label="Algemeen e-mailadres"
            type="email"
            inputmode="email"
            maxlength={254}
            required={false}
            value={v.email}
            error={errors.email}
          />
          <div class="sluis-actions">
            <Button>Profiel opslaan</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Connections: API clients and webhooks

type ConnectionsData = Awaited<ReturnType<CoordinatorService['apiClients']>>;
type WebhooksData = Awaited<ReturnType<CoordinatorService['webhooks']>>;
type WebhookValues = { url: string; client: string; gebeurtenissen: string[] };

function ConnectionsPage(props: {
  ctx: PageContext;
  clients: ConnectionsData;
  webhooks: WebhooksData;
  notice?: Html | null;
  clientName?: string;
  clientError?: string;
  webhookValues?: WebhookValues;
  webhookErrors?: FieldErrors;
}): Html {
  const active = props.clients.filter((c) => !c.revokedAt);
  const wv = props.webhookValues ?? { url: '', client: '', gebeurtenissen: [...EVENT_TYPES] };
  const we = props.webhookErrors ?? {};
  const hasErrors = Boolean(props.clientError) || Object.values(we).some(Boolean);
  const csrf = props.ctx.csrf;
  return (
    <Page ctx={props.ctx} title={hasErrors ? 'Fout: koppelingen' : 'Koppelingen'} wide>
      <Back />
      <h1 class="utrecht-heading-1">Koppelingen</h1>
      {props.notice ?? null}
      <Paragraph>
        Met een API-sleutel geeft het cliëntsysteem van uw organisatie signalen af en beëindigt ze. Met een webhook hoort het cliëntsysteem direct van matches.
      </Paragraph>

      <h2 class="utrecht-heading-2" id="api-sleutels">
        API-sleutels
      </h2>
      <Table
        caption="API-sleutels van uw organisatie"
        captionHidden
        head={['Naam', 'Sleutel-id', 'Aangemaakt', 'Status', 'Actie']}
        empty="Uw organisatie heeft nog geen API-sleutels."
        rows={props.clients.map((c) => [
          c.name,
          <code class="utrecht-code">{c.keyId}</code>,
          <TimeText at={c.createdAt} />,
          c.revokedAt ? <StatusBadge tone="warning">Ingetrokken</StatusBadge> : <StatusBadge tone="ok">Actief</StatusBadge>,
          c.revokedAt ? (
            '—'
          ) : (
            <form method="post" action={`/organisatie/koppelingen/sleutels/${c.id}/intrekken`} class="sluis-inline-form">
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit" class="utrecht-button utrecht-button--subtle">
                Intrekken<span class="sluis-visually-hidden"> {c.name}</span>
              </button>
            </form>
          ),
        ])}
      />
      <Form action="/organisatie/koppelingen/sleutels" csrf={csrf} errors={{ 'sleutel-naam': props.clientError }} id="sleutel-formulier">
        <h3 class="utrecht-heading-3">Nieuwe API-sleutel</h3>
        <TextField
          id="sleutel-naam"
          name="naam"
          label="Naam van de koppeling"
          maxlength={200}
          value={props.clientName ?? ''}
          error={props.clientError}
          description="Bijvoorbeeld de naam van uw cliëntsysteem. U ziet de sleutel één keer, direct na het aanmaken."
        />
        <div class="sluis-actions">
          <Button>API-sleutel aanmaken</Button>
        </div>
      </Form>

      <h2 class="utrecht-heading-2" id="webhooks">
        Webhooks
      </h2>
      <Table
        caption="Webhooks van uw organisatie"
        captionHidden
        head={['Adres', 'Gebeurtenissen', 'Via', 'Acties']}
        empty="Uw organisatie heeft nog geen webhooks."
        rows={props.webhooks.map((w) => [
          <code class="utrecht-code sluis-break">{w.url}</code>,
          w.eventTypes.map((e) => EVENT_LABELS[e]).join(', '),
          <span>
            {w.apiClientName}
            {w.previousSecretValidUntil ? (
              <>
                <br />
                Oud geheim geldig tot <TimeText at={w.previousSecretValidUntil} withTime />
              </>
            ) : null}
          </span>,
          <div class="sluis-inline-actions">
            <form method="post" action={`/organisatie/koppelingen/webhooks/${w.id}/geheim`} class="sluis-inline-form">
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit" class="utrecht-button utrecht-button--subtle">
                Nieuw geheim<span class="sluis-visually-hidden"> voor {w.url}</span>
              </button>
            </form>
            <form method="post" action={`/organisatie/koppelingen/webhooks/${w.id}/verwijderen`} class="sluis-inline-form">
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit" class="utrecht-button utrecht-button--subtle">
                Verwijderen<span class="sluis-visually-hidden"> {w.url}</span>
              </button>
            </form>
          </div>,
        ])}
      />
      {active.length === 0 ? (
        <Alert type="info">Maak eerst een API-sleutel aan: een webhook hoort bij een koppeling.</Alert>
      ) : (
        <Form action="/organisatie/koppelingen/webhooks" csrf={csrf} errors={we} id="webhook-formulier">
          <h3 class="utrecht-heading-3">Nieuwe webhook</h3>
          <TextField
            id="webhook-url"
            name="url"
            label="Adres (URL)"
            type="url"
            inputmode="url"
            maxlength={2000}
            value={wv.url}
            error={we['webhook-url']}
            description="Het adres van uw cliëntsysteem dat de berichten ontvangt, beginnend met https://"
          />
          <Select
            id="webhook-sleutel"
            name="client"
            label="Koppeling"
            selected={wv.client}
            error={we['webhook-sleutel']}
            options={active.map((c) => ({ value: c.id, label: `${c.name} (${c.keyId})` }))}
          />
          <ChoiceGroup
            id="webhook-gebeurtenissen"
            name="gebeurtenissen"
            legend="Gebeurtenissen"
            multiple
            selected={wv.gebeurtenissen}
            error={we['webhook-gebeurtenissen']}
            options={EVENT_TYPES.map((e) => ({ value: e, label: EVENT_LABELS[e] }))}
          />
          <div class="sluis-actions">
            <Button>Webhook aanmaken</Button>
          </div>
        </Form>
      )}
    </Page>
  );
}

/** The one time a token or a webhook secret is shown. */
function SecretPage(props: { ctx: PageContext; title: string; intro: Child; label: string; secret: string; extra?: Child }): Html {
  return (
    <Page ctx={props.ctx} title={props.title}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">{props.title}</h1>
        <Alert type="warning" title="U ziet dit maar één keer">
          Kopieer het nu en bewaar het in uw cliëntsysteem. SluiS bewaart het niet leesbaar en kan het u niet nog eens laten zien.
        </Alert>
        <Paragraph>{props.intro}</Paragraph>
        <div class="utrecht-form-field">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="geheim">
              {props.label}
            </label>
          </div>
          <div class="utrecht-form-field__input">
            <input
              class="utrecht-textbox utrecht-textbox--html-input utrecht-textbox--read-only sluis-secret-field"
              id="geheim"
              type="text"
              readonly
              value={props.secret}
              autocomplete="off"
              spellcheck="false"
            />
          </div>
        </div>
        {props.extra ?? null}
        <div class="sluis-actions">
          <ButtonLink href="/organisatie/koppelingen">Ik heb het bewaard</ButtonLink>
        </div>
      </div>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Failed deliveries

type Deliveries = Awaited<ReturnType<CoordinatorService['failedDeliveries']>>;

function DeliveriesPage(props: { ctx: PageContext; deliveries: Deliveries; notice?: Html | null }): Html {
  const csrf = props.ctx.csrf;
  return (
    <Page ctx={props.ctx} title="Afleveringen" wide>
      <Back />
      <h1 class="utrecht-heading-1">Berichten die niet aankwamen</h1>
      {props.notice ?? null}
      <Paragraph>
        SluiS probeert een bericht (e-mail of webhook) een aantal keren opnieuw. Lukt het dan nog niet, dan is het "opgegeven". Los de oorzaak op (bijvoorbeeld
        een webhookadres dat niet bereikbaar was) en bied het bericht opnieuw aan.
      </Paragraph>
      <Table
        caption="Mislukte afleveringen"
        captionHidden
        head={['Bericht', 'Aan', 'Status', 'Pogingen', 'Technische melding', 'Actie']}
        empty="Alle berichten zijn afgeleverd."
        rows={props.deliveries.map((d) => [
          <span>
            {EVENT_LABELS[d.eventType]}
            <br />
            <TimeText at={d.createdAt} withTime />
          </span>,
          <span>
            {d.channel === 'email' ? 'E-mail aan ' : 'Webhook '}
            {d.channel === 'webhook' ? <code class="utrecht-code sluis-break">{d.recipient}</code> : d.recipient}
          </span>,
          d.status === 'dead' ? (
            <StatusBadge tone="warning">Opgegeven</StatusBadge>
          ) : (
            <span>
              <StatusBadge tone="new">Wordt opnieuw geprobeerd</StatusBadge>
              <br />
              vanaf <TimeText at={d.nextAttemptAt} withTime />
            </span>
          ),
          String(d.attempts),
          d.lastError ? <code class="utrecht-code sluis-break">{d.lastError}</code> : '—',
          d.status === 'dead' ? (
            <form method="post" action={`/organisatie/afleveringen/${d.id}/opnieuw`} class="sluis-inline-form">
              <input type="hidden" name="_csrf" value={csrf} />
              <button type="submit" class="utrecht-button utrecht-button--secondary-action">
                Opnieuw aanbieden<span class="sluis-visually-hidden"> (bericht {d.id})</span>
              </button>
            </form>
          ) : (
            '—'
          ),
        ])}
      />
    </Page>
  );
}

function CannotPage(props: { ctx: PageContext; title: string; text: string; back: string }): Html {
  return (
    <Page ctx={props.ctx} title={props.title}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">{props.title}</h1>
        <Alert type="error">{props.text}</Alert>
        <p class="utrecht-paragraph">
          <a class="utrecht-link" href={props.back}>
            Terug
          </a>
        </p>
      </div>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Validation

function validateInvite(body: unknown): { values: InviteValues; errors: FieldErrors; input?: InviteInput } {
  const values: InviteValues = {
    naam: field(body, 'naam'),
    email: field(body, 'email'),
    telefoon: field(body, 'telefoon'),
    functie: field(body, 'functie'),
    coordinator: field(body, 'coordinator'),
  };
  const errors: FieldErrors = {
    naam: !values.naam ? 'Vul de naam in.' : values.naam.length > 200 ? 'De naam is te lang (hoogstens 200 tekens).' : undefined,
    email: !values.email
      ? 'Vul het e-mailadres in.'
      : !EMAIL.test(values.email) || values.email.length > 254
        ? 'Vul een geldig e-mailadres in, zoals naam@organisatie.nl.'
        : undefined,
    telefoon: !values.telefoon
      ? 'Vul het telefoonnummer in.'
      : !PHONE.test(values.telefoon)
        ? 'Vul een geldig telefoonnummer in, met alleen cijfers, spaties, + of -.'
        : undefined,
    functie: values.functie.length > 200 ? 'De functie is te lang (hoogstens 200 tekens).' : undefined,
    coordinator: values.coordinator !== 'ja' && values.coordinator !== 'nee' ? 'Kies of de professional ook coördinator wordt.' : undefined,
  };
  if (Object.values(errors).some(Boolean)) return { values, errors };
  return {
    values,
    errors,
    input: { name: values.naam, email: values.email, phone: values.telefoon, jobTitle: values.functie, coordinator: values.coordinator === 'ja' },
  };
}

const list = (body: unknown, name: string): string[] => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
};

function validUrl(text: string): boolean {
  try {
    const url = new URL(text);
    return (url.protocol === 'https:' || url.protocol === 'http:') && Boolean(url.hostname);
  } catch {
    return false;
  }
}

function validateProfile(body: unknown): { values: ProfileValues; errors: FieldErrors; input?: ProfileInput } {
  const values: ProfileValues = {
    omschrijving: field(body, 'omschrijving'),
    meldcriteria: field(body, 'meldcriteria'),
    website: field(body, 'website'),
    telefoon: field(body, 'telefoon'),
    email: field(body, 'email'),
    domeinen: list(body, 'domeinen'),
  };
  const domains = values.domeinen.filter((d): d is Domain => (DOMAINS as readonly string[]).includes(d));
  const errors: FieldErrors = {
    domeinen: domains.length === 0 || domains.length !== values.domeinen.length ? 'Kies minstens één domein.' : undefined,
    omschrijving: values.omschrijving.length > 4000 ? 'De omschrijving is te lang (hoogstens 4000 tekens).' : undefined,
    meldcriteria: values.meldcriteria.length > 4000 ? 'De meldcriteria zijn te lang (hoogstens 4000 tekens).' : undefined,
    website:
      values.website && (!validUrl(values.website) || !values.website.startsWith('https://') || values.website.length > 500)
        ? 'Vul een geldig webadres in dat begint met https://'
        : undefined,
    telefoon: values.telefoon && !PHONE.test(values.telefoon) ? 'Vul een geldig telefoonnummer in, met alleen cijfers, spaties, + of -.' : undefined,
    email: values.email && (!EMAIL.test(values.email) || values.email.length > 254) ? 'Vul een geldig e-mailadres in, zoals info@organisatie.nl.' : undefined,
  };
  if (Object.values(errors).some(Boolean)) return { values, errors };
  return {
    values,
    errors,
    input: {
      domains: [...new Set(domains)],
      description: values.omschrijving,
      signallingCriteria: values.meldcriteria,
      website: values.website || null,
      phone: values.telefoon || null,
      email: values.email ? values.email.toLowerCase() : null,
    },
  };
}

// ------------------------------------------------------------------------------------------------
// Routes

const isProblem = (error: unknown, status: number): error is Problem => error instanceof Problem && error.status === status;

/** Why the webhook service refused a URL (codes from notifications/webhook-address.ts), for the coordinator. */
const WEBHOOK_URL_REFUSALS: Record<string, string> = {
  invalid_url: 'Vul een geldig adres in dat begint met https://',
  credentials_not_allowed:
    'Zet geen gebruikersnaam of wachtwoord in het adres. SluiS ondertekent elk bericht met het webhookgeheim; daarmee controleert het cliëntsysteem de afzender.',
  https_required: 'Het adres moet beginnen met https://',
  address_not_allowed:
    'Dit adres wijst naar een intern of gereserveerd netwerkadres (zoals localhost, 10.x.x.x of 192.168.x.x). Een webhook moet via internet bereikbaar zijn.',
  host_not_resolved: 'SluiS kan de naam in dit adres niet vinden. Controleer of het adres goed is gespeld en al bestaat.',
};

export async function coordinatorPages(app: FastifyInstance, { services }: PageOptions) {
  const coordinator = services.organisationCoordinator;
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;

  app.get('/organisatie', async (request, reply) => {
    const { user, actor } = requireCoordinator(request);
    const counts = await coordinator.overview(actor);
    return sendPage(reply, <OverviewPage ctx={request.pageContext} organisationName={user.organisationName} counts={counts} />);
  });

  // Professionals ---------------------------------------------------------------------------------

  async function professionalsPage(request: FastifyRequest, extra: { notice?: Html | null; values?: InviteValues; errors?: FieldErrors } = {}) {
    const { actor } = requireCoordinator(request);
    const professionals = await coordinator.listProfessionals(actor);
    return <ProfessionalsPage ctx={request.pageContext} professionals={professionals} selfId={actor.professionalId} {...extra} />;
  }

  app.get('/organisatie/professionals', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const invited = queryParam(request, 'uitgenodigd');
    const deactivated = queryParam(request, 'gedeactiveerd');
    const reset = queryParam(request, 'tweede-factor');
    let notice: Html | null = null;
    const nameOf = async (id: string) => (await coordinator.getProfessional(actor, id).catch(() => undefined))?.name;
    if (invited) {
      const name = await nameOf(invited);
      if (name) notice = <Alert type="ok">{name} is uitgenodigd. Er is een e-mail met een link verstuurd om een wachtwoord te kiezen.</Alert>;
    } else if (deactivated) {
      const name = await nameOf(deactivated);
      if (name) notice = <Alert type="ok">{name} is gedeactiveerd en op alle apparaten uitgelogd.</Alert>;
    } else if (reset) {
      const name = await nameOf(reset);
      if (name) notice = <Alert type="ok">{resetDoneText(name)}</Alert>;
    }
    return sendPage(reply, await professionalsPage(request, { notice }));
  });

  app.post('/organisatie/professionals', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const { values, errors, input } = validateInvite(request.body);
    if (!input) return sendPage(reply, await professionalsPage(request, { values, errors }), 422);
    try {
      const { professionalId, sendInvitation } = await coordinator.invite(actor, input);
      await sendInvitation();
      return redirect(reply, `/organisatie/professionals?uitgenodigd=${professionalId}`);
    } catch (error) {
      if (error instanceof InviteRefused) return sendPage(reply, await professionalsPage(request, { values, errors: { email: error.message } }), 422);
      throw error;
    }
  });

  app.post('/organisatie/professionals/:id/uitnodigen', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const { id } = request.params as { id: string };
    try {
      const send = await coordinator.inviteExisting(actor, id);
      await send();
      return redirect(reply, `/organisatie/professionals?uitgenodigd=${id}`);
    } catch (error) {
      if (error instanceof InviteRefused)
        return sendPage(
          reply,
          <CannotPage ctx={request.pageContext} title="Uitnodigen lukt niet" text={error.message} back="/organisatie/professionals" />,
          409,
        );
      throw error;
    }
  });

  app.get('/organisatie/professionals/:id/deactiveren', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const professional = await coordinator.getProfessional(actor, idOf(request));
    if (professional.id === actor.professionalId) {
      return sendPage(
        reply,
        <CannotPage
          ctx={request.pageContext}
          title="Dat kan niet"
          text="U kunt uzelf niet deactiveren. Vraag een andere coördinator van uw organisatie, of de gemeente."
          back="/organisatie/professionals"
        />,
        409,
      );
    }
    return sendPage(reply, <DeactivatePage ctx={request.pageContext} professional={professional} />);
  });

  app.post('/organisatie/professionals/:id/deactiveren', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const id = idOf(request);
    try {
      await coordinator.deactivate(actor, id);
    } catch (error) {
      if (!isProblem(error, 409)) throw error;
      const professional = await coordinator.getProfessional(actor, id);
      return sendPage(reply, <DeactivatePage ctx={request.pageContext} professional={professional} error="U kunt uzelf niet deactiveren." />, 409);
    }
    return redirect(reply, `/organisatie/professionals?gedeactiveerd=${id}`);
  });

  // A lost second factor: the account service decides who may (a coordinator, for a colleague of the
  // same organisation, never themselves); another organisation's professional is "Niet gevonden".
  secondFactorResetRoutes(app, services.accounts, {
    base: '/organisatie/professionals',
    actorOf: (request) => requireCoordinator(request).actor,
    holderOf: (id) => ({ professionalId: id }),
    options: (id) => ({
      action: `/organisatie/professionals/${id}/tweede-factor`,
      back: { href: '/organisatie/professionals', label: 'Terug naar Professionals' },
      askInstead: 'een andere coördinator van uw organisatie, of de functioneel beheerder van de gemeente',
    }),
    done: (id) => `/organisatie/professionals?tweede-factor=${id}`,
  });

  app.get('/organisatie/professionals/:id/overdragen', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const professional = await coordinator.getProfessional(actor, idOf(request));
    const colleagues = await coordinator.colleaguesOf(actor, professional.id);
    return sendPage(reply, <TransferPage ctx={request.pageContext} professional={professional} colleagues={colleagues} />);
  });

  app.post('/organisatie/professionals/:id/overdragen', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const professional = await coordinator.getProfessional(actor, idOf(request));
    const colleagues = await coordinator.colleaguesOf(actor, professional.id);
    const to = field(request.body, 'collega');
    const colleague = colleagues.find((c) => c.id === to);
    if (!colleague) {
      return sendPage(
        reply,
        <TransferPage ctx={request.pageContext} professional={professional} colleagues={colleagues} error="Kies de collega die de signalen overneemt." />,
        422,
      );
    }
    const result = await coordinator.transfer(actor, professional.id, colleague.id);
    const after = await coordinator.getProfessional(actor, professional.id);
    return sendPage(reply, <TransferPage ctx={request.pageContext} professional={after} colleagues={colleagues} result={{ ...result, to: colleague.name }} />);
  });

  // Profile ---------------------------------------------------------------------------------------

  app.get('/organisatie/profiel', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const o = await coordinator.profile(actor);
    const values: ProfileValues = {
      omschrijving: o.description,
      meldcriteria: o.signalling_criteria,
      website: o.website ?? '',
      telefoon: o.phone ?? '',
      email: o.email ?? '',
      domeinen: o.domains,
    };
    return sendPage(reply, <ProfilePage ctx={request.pageContext} name={o.name} values={values} saved={queryParam(request, 'opgeslagen') === '1'} />);
  });

  app.post('/organisatie/profiel', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const o = await coordinator.profile(actor);
    const { values, errors, input } = validateProfile(request.body);
    if (!input) return sendPage(reply, <ProfilePage ctx={request.pageContext} name={o.name} values={values} errors={errors} />, 422);
    await coordinator.updateProfile(actor, input);
    return redirect(reply, '/organisatie/profiel?opgeslagen=1');
  });

  // Connections -----------------------------------------------------------------------------------

  async function connectionsPage(request: FastifyRequest, extra: Omit<Parameters<typeof ConnectionsPage>[0], 'ctx' | 'clients' | 'webhooks'> = {}) {
    const { actor } = requireCoordinator(request);
    const [clients, webhooks] = [await coordinator.apiClients(actor), await coordinator.webhooks(actor)];
    return <ConnectionsPage ctx={request.pageContext} clients={clients} webhooks={webhooks} {...extra} />;
  }

  const CONNECTION_NOTICES: Record<string, string> = {
    ingetrokken: 'De API-sleutel is ingetrokken. Het cliëntsysteem kan er niet meer mee bij SluiS.',
    verwijderd: 'De webhook is verwijderd. Berichten die nog onderweg waren, zijn opgegeven; het cliëntsysteem kan ze nog ophalen via de gebeurtenissen-API.',
  };

  app.get('/organisatie/koppelingen', async (request, reply) => {
    const text = CONNECTION_NOTICES[queryParam(request, 'gedaan')];
    return sendPage(reply, await connectionsPage(request, { notice: text ? <Alert type="ok">{text}</Alert> : null }));
  });

  app.post('/organisatie/koppelingen/sleutels', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const name = field(request.body, 'naam');
    const error = !name ? 'Vul een naam in voor de koppeling.' : name.length > 200 ? 'De naam is te lang (hoogstens 200 tekens).' : undefined;
    if (error) return sendPage(reply, await connectionsPage(request, { clientName: name, clientError: error }), 422);
    const created = await coordinator.createApiClient(actor, name);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <SecretPage
        ctx={request.pageContext}
        title="API-sleutel aangemaakt"
        label="API-sleutel (token)"
        secret={created.token}
        intro={
          <>
            De API-sleutel voor <strong>{created.name}</strong> is aangemaakt. Het cliëntsysteem stuurt hem mee in elk verzoek:{' '}
            <code class="utrecht-code">Authorization: Bearer &lt;sleutel&gt;</code>.
          </>
        }
      />,
    );
  });

  app.post('/organisatie/koppelingen/sleutels/:id/intrekken', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    await coordinator.revokeApiClient(actor, idOf(request));
    return redirect(reply, '/organisatie/koppelingen?gedaan=ingetrokken');
  });

  app.post('/organisatie/koppelingen/webhooks', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const values: WebhookValues = {
      url: field(request.body, 'url'),
      client: field(request.body, 'client'),
      gebeurtenissen: list(request.body, 'gebeurtenissen'),
    };
    const clients = (await coordinator.apiClients(actor)).filter((c) => !c.revokedAt);
    const events = values.gebeurtenissen.filter((e): e is OutboxEventType => (EVENT_TYPES as readonly string[]).includes(e));
    const errors: FieldErrors = {
      'webhook-url': !values.url
        ? 'Vul het adres van de webhook in.'
        : !validUrl(values.url) || values.url.length > 2000
          ? 'Vul een geldig adres in dat begint met https://'
          : undefined,
      'webhook-sleutel': !clients.some((c) => c.id === values.client) ? 'Kies de koppeling waar de webhook bij hoort.' : undefined,
      'webhook-gebeurtenissen': events.length === 0 || events.length !== values.gebeurtenissen.length ? 'Kies minstens één gebeurtenis.' : undefined,
    };
    if (Object.values(errors).some(Boolean)) return sendPage(reply, await connectionsPage(request, { webhookValues: values, webhookErrors: errors }), 422);
    let created: { id: string; secret: string };
    try {
      created = await coordinator.createWebhook(actor, { apiClientId: values.client, url: values.url, eventTypes: [...new Set(events)] });
    } catch (error) {
      // The service's address rules (the same ones the API applies), in Dutch.
      const refused = isProblem(error, 422) ? error.invalidParams?.find((p) => p.name === 'url') : undefined;
      if (!refused) throw error;
      const message = WEBHOOK_URL_REFUSALS[refused.code] ?? 'Dit adres kan SluiS niet gebruiken voor een webhook.';
      return sendPage(reply, await connectionsPage(request, { webhookValues: values, webhookErrors: { 'webhook-url': message } }), 422);
    }
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <SecretPage
        ctx={request.pageContext}
        title="Webhook aangemaakt"
        label="Webhookgeheim"
        secret={created.secret}
        intro={
          <>
            SluiS ondertekent elk bericht aan <code class="utrecht-code sluis-break">{values.url}</code> met dit geheim (Standard Webhooks). Het cliëntsysteem
            controleert daarmee dat het bericht van SluiS komt.
          </>
        }
      />,
    );
  });

  app.post('/organisatie/koppelingen/webhooks/:id/geheim', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const rotated = await coordinator.rotateWebhookSecret(actor, idOf(request));
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <SecretPage
        ctx={request.pageContext}
        title="Nieuw webhookgeheim"
        label="Nieuw webhookgeheim"
        secret={rotated.secret}
        intro="SluiS ondertekent berichten vanaf nu met het nieuwe geheim."
        extra={
          <Paragraph>
            Het oude geheim ondertekent nog mee tot <TimeText at={rotated.previousSecretValidUntil} withTime />, zodat u het cliëntsysteem rustig kunt omzetten.
          </Paragraph>
        }
      />,
    );
  });

  app.post('/organisatie/koppelingen/webhooks/:id/verwijderen', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    await coordinator.removeWebhook(actor, idOf(request));
    return redirect(reply, '/organisatie/koppelingen?gedaan=verwijderd');
  });

  // Deliveries ------------------------------------------------------------------------------------

  app.get('/organisatie/afleveringen', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const deliveries = await coordinator.failedDeliveries(actor);
    const notice =
      queryParam(request, 'gedaan') === 'opnieuw' ? <Alert type="ok">Het bericht is opnieuw aangeboden. SluiS probeert het nu af te leveren.</Alert> : null;
    return sendPage(reply, <DeliveriesPage ctx={request.pageContext} deliveries={deliveries} notice={notice} />);
  });

  app.post('/organisatie/afleveringen/:id/opnieuw', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const raw = idOf(request);
    const id = /^[0-9]{1,15}$/.test(raw) ? Number(raw) : 0;
    try {
      await coordinator.retryDelivery(actor, id);
    } catch (error) {
      if (!isProblem(error, 409)) throw error;
      return sendPage(
        reply,
        <CannotPage
          ctx={request.pageContext}
          title="Dat kan niet"
          text="Dit bericht wordt al afgeleverd of is al aangekomen; alleen een opgegeven bericht kunt u opnieuw aanbieden."
          back="/organisatie/afleveringen"
        />,
        409,
      );
    }
    return redirect(reply, '/organisatie/afleveringen?gedaan=opnieuw');
  });
}
