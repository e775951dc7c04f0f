/**
 * /beheer/organisaties: the organisations, adding one (domains and profile), changing its profile,
 * its covenant (start, suspend, resume, end — each with a reason), and its professionals with the
 * "coördinator" toggle.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { CovenantView } from '../../covenants/covenant-service.ts';
import type { CovenantAction } from '../../covenants/covenant-transitions.ts';
import type { Domain } from '../../organisations/organisation-service.ts';
import { DOMAINS, type OrganisationInput, type OrganisationView } from '../../organisations/organisation-service.ts';
import { isInvitationRefusal, type ProfessionalInput, type ProfessionalView } from '../../professionals/professional-service.ts';
import { amsterdamDate } from '../../shared/calendar.ts';
import { isEmailAddress } from '../../shared/email.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import { AccountStatus, ProfessionalName } from '../account-status.tsx';
import {
  Alert,
  Button,
  ButtonLink,
  ChoiceGroup,
  DataList,
  DateField,
  type FieldErrors,
  Form,
  formatDate,
  Heading,
  Paragraph,
  Select,
  StatusBadge,
  Table,
  TextArea,
  TextField,
} from '../components.tsx';
import { ConfirmPage } from '../confirm-page.tsx';
import { checkDateField, datePartPairs, exampleText, readDateParts } from '../date-input.ts';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { ACCOUNT_STATUS_LABELS, COVENANT_LABELS, DOMAIN_LABELS, INVITATION_REFUSAL_TEXTS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { ListCount, type ListPage, Pager, pageOfWhole, pageParam } from '../pager.tsx';
import { field, notFound, queryParam, redirect, requireStaff, restoredForm, restoredFormOfPage, sendPage } from '../web-context.ts';
import { type AdminOptions, fieldValues } from './admin-shared.ts';
import { COVENANT_TERMS_DONE, CovenantTermsForm, covenantTermsRoute } from './covenant-terms.tsx';

const DOMAIN_OPTIONS = DOMAINS.map((d) => ({ value: d, label: DOMAIN_LABELS[d] }));
const covenantTone = (status: OrganisationView['covenantStatus'] | CovenantView['status']) =>
  status === 'active' ? ('ok' as const) : status === 'suspended' ? ('warning' as const) : ('neutral' as const);

// ---------------------------------------------------------------------------------------------
// The list

/** A page of the organisations with the list's own filters. */
const organisationsHref = (name: string, domain: string, page: number) => {
  const params = new URLSearchParams();
  if (name) params.set('naam', name);
  if (domain) params.set('domein', domain);
  if (page > 1) params.set('pagina', String(page));
  const search = params.toString();
  return `/beheer/organisaties${search ? `?${search}` : ''}`;
};

function OrganisationsPage(props: { ctx: PageContext; organisations: ListPage<OrganisationView>; name: string; domain: string }): Html {
  return (
    <Page ctx={props.ctx} title="Organisaties" wide>
      <Heading>Organisaties</Heading>
      <Paragraph lead>
        Alleen professionals van organisaties met een actief convenant kunnen SluiS gebruiken. Open een organisatie om haar profiel, convenant en professionals
        te beheren.
      </Paragraph>
      <div class="sluis-actions">
        <ButtonLink href="/beheer/organisaties/nieuw">Organisatie toevoegen</ButtonLink>
      </div>
      <form method="get" action="/beheer/organisaties" class="utrecht-form sluis-admin-filter" aria-label="Organisaties zoeken">
        <div class="utrecht-form-field utrecht-form-field--text">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="naam">
              Naam bevat
            </label>
          </div>
          <div class="utrecht-form-field__input">
            <input class="utrecht-textbox utrecht-textbox--html-input sluis-width-m" id="naam" name="naam" type="search" value={props.name} maxlength={200} />
          </div>
        </div>
        <Select id="domein" label="Domein" required={false} selected={props.domain} options={[{ value: '', label: 'Alle domeinen' }, ...DOMAIN_OPTIONS]} />
        <div class="sluis-actions">
          <button type="submit" class="utrecht-button utrecht-button--secondary-action">
            Zoeken
          </button>
        </div>
      </form>
      {props.organisations.total > 0 ? <ListCount list={props.organisations} nouns={['organisatie', 'organisaties']} /> : null}
      <Table
        caption="Organisaties"
        head={['Naam', 'Domeinen', 'Convenant']}
        empty="Er zijn geen organisaties die hieraan voldoen."
        rows={props.organisations.items.map((o) => [
          <a class="utrecht-link" href={`/beheer/organisaties/${o.id}`}>
            {o.name}
          </a>,
          o.domains.map((d) => DOMAIN_LABELS[d]).join(', '),
          <StatusBadge tone={covenantTone(o.covenantStatus)}>{COVENANT_LABELS[o.covenantStatus]}</StatusBadge>,
        ])}
      />
      <Pager label="Pagina's van de organisaties" list={props.organisations} target={{ href: (page) => organisationsHref(props.name, props.domain, page) }} />
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Adding and changing an organisation

type ProfileValues = { naam: string; domeinen: string[]; omschrijving: string; criteria: string; website: string; telefoon: string; email: string };
const EMPTY_PROFILE: ProfileValues = { naam: '', domeinen: [], omschrijving: '', criteria: '', website: '', telefoon: '', email: '' };

const profileOf = (o: OrganisationView): ProfileValues => ({
  naam: o.name,
  domeinen: o.domains,
  omschrijving: o.description,
  criteria: o.signallingCriteria,
  website: o.website ?? '',
  telefoon: o.phone ?? '',
  email: o.email ?? '',
});

function readProfile(body: unknown): { values: ProfileValues; errors: FieldErrors; input?: OrganisationInput } {
  const values: ProfileValues = {
    naam: field(body, 'naam'),
    domeinen: fieldValues(body, 'domeinen'),
    omschrijving: field(body, 'omschrijving'),
    criteria: field(body, 'criteria'),
    website: field(body, 'website'),
    telefoon: field(body, 'telefoon'),
    email: field(body, 'email'),
  };
  const errors: FieldErrors = {};
  if (!values.naam) errors.naam = 'Vul de naam van de organisatie in.';
  else if (values.naam.length > 200) errors.naam = 'De naam is te lang: hooguit 200 tekens.';
  const domains = values.domeinen.filter((d): d is Domain => (DOMAINS as readonly string[]).includes(d));
  if (domains.length === 0 || domains.length !== values.domeinen.length) errors.domeinen = 'Kies ten minste één domein waarin de organisatie werkt.';
  if (values.omschrijving.length > 2000) errors.omschrijving = 'De omschrijving is te lang: hooguit 2000 tekens.';
  if (values.criteria.length > 2000) errors.criteria = 'De meldcriteria zijn te lang: hooguit 2000 tekens.';
  if (values.website && !/^https?:\/\/[^\s]{3,490}$/.test(values.website))
    errors.website = 'Vul een webadres in dat begint met https://, of laat het veld leeg.';
  if (values.telefoon && !/^[0-9+()\- ]{6,40}$/.test(values.telefoon))
    errors.telefoon = 'Vul een telefoonnummer in met alleen cijfers, spaties, + of -, of laat het veld leeg.';
  if (values.email && !isEmailAddress(values.email)) errors.email = 'Vul een e-mailadres in zoals naam@organisatie.nl, of laat het veld leeg.';
  if (Object.values(errors).some(Boolean)) return { values, errors };
  return {
    values,
    errors,
    input: {
      name: values.naam,
      domains,
      description: values.omschrijving,
      signallingCriteria: values.criteria,
      website: values.website || null,
      phone: values.telefoon || null,
      email: values.email.toLowerCase() || null,
    },
  };
}

function ProfilePage(props: {
  ctx: PageContext;
  action: string;
  title: string;
  values: ProfileValues;
  errors?: FieldErrors;
  cancel: string;
  submit: string;
  intro: string;
}): Html {
  const { values, errors = {} } = props;
  const failed = Object.values(errors).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? `Fout: ${props.title}` : props.title}>
      <div class="sluis-narrow">
        <Heading>{props.title}</Heading>
        <Paragraph>{props.intro}</Paragraph>
        <Form action={props.action} csrf={props.ctx.csrf} errors={errors}>
          <TextField id="naam" label="Naam" value={values.naam} maxlength={200} error={errors.naam} autocomplete="organization" />
          <ChoiceGroup
            id="domeinen"
            legend="Domeinen"
            multiple
            options={DOMAIN_OPTIONS}
            selected={values.domeinen}
            error={errors.domeinen}
            description="Kies alle domeinen waarin de organisatie hulp biedt. Professionals zien dit in het overzicht van organisaties."
          />
          <TextArea
            id="omschrijving"
            label="Welke hulp biedt de organisatie?"
            value={values.omschrijving}
            maxlength={2000}
            required={false}
            error={errors.omschrijving}
            description="Het organisatieprofiel: een korte omschrijving voor andere professionals."
          />
          <TextArea
            id="criteria"
            label="Wanneer geeft de organisatie een signaal af?"
            value={values.criteria}
            maxlength={2000}
            required={false}
            error={errors.criteria}
            description="Het afwegingskader (meldcriteria) van de organisatie."
          />
          <TextField id="website" label="Website" type="url" value={values.website} maxlength={500} required={false} error={errors.website} width="l" />
          <TextField
            id="telefoon"
            label="Algemeen telefoonnummer"
            type="tel"
            value={values.telefoon}
            maxlength={40}
            required={false}
            error={errors.telefoon}
            width="m"
            autocomplete="tel"
          />
          <TextField
            id="email"
            label="Algemeen e-mailadres"
            type="email"
            value={values.email}
            maxlength={254}
            required={false}
            error={errors.email}
            autocomplete="email"
          />
          <div class="sluis-actions">
            <Button>{props.submit}</Button>
            <a class="utrecht-link" href={props.cancel}>
              Annuleren
            </a>
          </div>
        </Form>
      </div>
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// One organisation

type ProfessionalRow = ProfessionalView;

const ACTIONS: Record<string, { action: CovenantAction; label: string; done: string }> = {
  opschorten: {
    action: 'suspend',
    label: 'Convenant opschorten',
    done: 'Het convenant is opgeschort. De professionals van deze organisatie kunnen SluiS nu niet gebruiken.',
  },
  hervatten: { action: 'resume', label: 'Convenant hervatten', done: 'Het convenant is hervat. De professionals kunnen SluiS weer gebruiken.' },
  beeindigen: { action: 'end', label: 'Convenant beëindigen', done: 'Het convenant is beëindigd.' },
};

const DONE: Record<string, string> = {
  aangemaakt: 'De organisatie is toegevoegd. Start hieronder het convenant, zodat haar professionals SluiS kunnen gebruiken.',
  gewijzigd: 'Het profiel is opgeslagen.',
  gestart: 'Het convenant is gestart. De professionals van deze organisatie kunnen SluiS nu gebruiken.',
  coordinator: 'De coördinator is gewijzigd.',
  'coordinator-uitgenodigd':
    'De professional is nu coördinator en krijgt een uitnodiging per e-mail om een wachtwoord te kiezen. De link in de mail is 7 dagen geldig.',
  uitgenodigd: 'De uitnodiging is verstuurd. De link in de mail is 7 dagen geldig.',
  regie: COVENANT_TERMS_DONE,
  ...Object.fromEntries(Object.entries(ACTIONS).map(([key, a]) => [key, a.done])),
};

type CovenantForm = { kind: 'starten' | keyof typeof ACTIONS; errors: FieldErrors; values: Record<string, string> };

function OrganisationPage(props: {
  ctx: PageContext;
  organisation: OrganisationView;
  covenants: CovenantView[];
  /** One page of the organisation's professionals. */
  professionals: ListPage<ProfessionalRow>;
  /** Whether any active professional of the organisation (on any page) is its coordinator. */
  hasCoordinator: boolean;
  now: Date;
  done?: string;
  /** The name of whom the done message is about (an invitation). */
  who?: string | undefined;
  form?: CovenantForm;
  /** A refusal to show at the top (an invitation that could not be sent). */
  problem?: string;
  today: string;
}): Html {
  const { organisation: o, covenants, form } = props;
  const current = covenants.find((c) => c.status !== 'ended');
  const errorsFor = (kind: CovenantForm['kind']) => (form?.kind === kind ? form.errors : {});
  const valueFor = (kind: CovenantForm['kind'], name: string) => (form?.kind === kind ? (form.values[name] ?? '') : '');
  const failed = (form && Object.values(form.errors).some(Boolean)) || Boolean(props.problem);
  const signInPossible = o.covenantStatus === 'active' && current !== undefined && current.startsOn <= amsterdamDate(props.now);
  const { hasCoordinator } = props;
  const doneText = (() => {
    const text = props.done ? DONE[props.done] : undefined;
    const who = props.who;
    if (!text || !who) return text;
    if (props.done === 'uitgenodigd') return `${who} is uitgenodigd. De link in de mail is 7 dagen geldig.`;
    if (props.done === 'coordinator-uitgenodigd')
      return `${who} is nu coördinator en krijgt een uitnodiging per e-mail om een wachtwoord te kiezen. De link in de mail is 7 dagen geldig.`;
    return text;
  })();
  const reasonForm = (kind: keyof typeof ACTIONS, description: string) => (
    <Form action={`/beheer/organisaties/${o.id}/convenant/${current!.id}/${kind}`} csrf={props.ctx.csrf} errors={errorsFor(kind)} class="sluis-admin-action">
      <TextField
        id={`reden-${kind}`}
        name="reden"
        label={`Reden (${ACTIONS[kind]!.label.toLowerCase()})`}
        value={valueFor(kind, 'reden')}
        maxlength={500}
        error={errorsFor(kind)[`reden-${kind}`]}
        description={description}
      />
      <div class="sluis-actions">
        <Button kind={kind === 'beeindigen' ? 'danger' : kind === 'hervatten' ? 'primary' : 'secondary'}>{ACTIONS[kind]!.label}</Button>
      </div>
    </Form>
  );
  // Ending cannot be undone: a confirmation page first (EndCovenantPage).
  const endLink = current ? (
    <p class="utrecht-paragraph">
      <ButtonLink href={`/beheer/organisaties/${o.id}/convenant/${current.id}/beeindigen`} kind="secondary">
        Convenant beëindigen
      </ButtonLink>
    </p>
  ) : null;
  return (
    <Page ctx={props.ctx} title={failed ? `Fout: ${o.name}` : o.name} wide>
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="/beheer/organisaties">
          Alle organisaties
        </a>
      </p>
      <Heading>{o.name}</Heading>
      <p class="utrecht-paragraph">
        Convenant: <StatusBadge tone={covenantTone(o.covenantStatus)}>{COVENANT_LABELS[o.covenantStatus]}</StatusBadge>
      </p>
      {props.problem ? (
        <Alert type="error" title="Dat lukte niet">
          {props.problem}
        </Alert>
      ) : null}
      {doneText ? (
        <Alert type="ok">
          {doneText}
          {props.done === 'gestart' && signInPossible && !hasCoordinator ? (
            <>
              {' '}
              <a class="utrecht-link" href={`/beheer/organisaties/${o.id}/coordinator-uitnodigen`}>
                Nodig nu de eerste coördinator uit
              </a>
            </>
          ) : null}
        </Alert>
      ) : null}

      <Heading level={2}>Profiel</Heading>
      <DataList
        items={[
          ['Domeinen', o.domains.map((d) => DOMAIN_LABELS[d]).join(', ')],
          ['Welke hulp', o.description || 'Nog niet ingevuld'],
          ['Wanneer een signaal', o.signallingCriteria || 'Nog niet ingevuld'],
          ['Website', o.website ?? 'Geen'],
          ['Telefoon', o.phone ?? 'Geen'],
          ['E-mail', o.email ?? 'Geen'],
        ]}
      />
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href={`/beheer/organisaties/${o.id}/bewerken`}>
          Profiel wijzigen
        </a>
      </p>

      <Heading level={2}>Convenant</Heading>
      {!current ? (
        <>
          <Paragraph>
            Deze organisatie heeft geen lopend convenant: haar professionals kunnen SluiS niet gebruiken. Start het convenant zodra de organisatie het heeft
            ondertekend.
          </Paragraph>
          <Form action={`/beheer/organisaties/${o.id}/convenant`} csrf={props.ctx.csrf} errors={errorsFor('starten')} class="sluis-admin-action">
            <TextField
              id="kenmerk"
              label="Kenmerk van het convenant"
              value={valueFor('starten', 'kenmerk')}
              maxlength={100}
              required={false}
              width="m"
              error={errorsFor('starten').kenmerk}
              description="Bijvoorbeeld het zaaknummer of documentnummer van het ondertekende convenant."
            />
            <DateField
              id="ingangsdatum"
              legend="Ingangsdatum"
              value={readDateParts(form?.kind === 'starten' ? form.values : {}, 'ingangsdatum')}
              required={false}
              error={errorsFor('starten').ingangsdatum}
              description={`Laat leeg voor vandaag. In cijfers, bijvoorbeeld ${exampleText(props.today)}.`}
            />
            <div class="sluis-actions">
              <Button>Convenant starten</Button>
            </div>
          </Form>
        </>
      ) : current.status === 'active' ? (
        <>
          <Paragraph>
            Het convenant loopt sinds {formatDate(current.startsOn)}. Schort het op als de organisatie zich tijdelijk niet aan de afspraken houdt; beëindig het
            als de organisatie stopt. Beide gaan direct in: haar professionals kunnen dan geen signalen meer afgeven of bekijken.
          </Paragraph>
          <CovenantTermsForm ctx={props.ctx} organisationId={o.id} covenant={current} />
          {reasonForm('opschorten', 'Waarom wordt het convenant opgeschort? Geen gegevens over personen.')}
          {endLink}
        </>
      ) : (
        <>
          <Paragraph>
            Het convenant is opgeschort{current.statusReason ? ` (reden: ${current.statusReason})` : ''}. Hervat het als de organisatie weer mee mag doen, of
            beëindig het.
          </Paragraph>
          <CovenantTermsForm ctx={props.ctx} organisationId={o.id} covenant={current} />
          {reasonForm('hervatten', 'Waarom mag de organisatie weer meedoen?')}
          {endLink}
        </>
      )}
      <Table
        caption="Geschiedenis van het convenant"
        head={['Kenmerk', 'Status', 'Ingang', 'Einde', 'Laatste reden']}
        empty="Er is nog nooit een convenant gestart."
        rows={covenants.map((c) => [
          c.reference || '—',
          <StatusBadge tone={covenantTone(c.status)}>{COVENANT_LABELS[c.status]}</StatusBadge>,
          formatDate(c.startsOn),
          c.endedOn ? formatDate(c.endedOn) : '—',
          c.statusReason ?? '—',
        ])}
      />

      <Heading level={2} id="professionals">
        Professionals
      </Heading>
      <Paragraph>
        De coördinator van de organisatie beheert in SluiS haar professionals en profiel: die nodigt de andere professionals uit. Een organisatie kan meer dan
        één coördinator hebben.
      </Paragraph>
      {!signInPossible ? (
        <Alert type="info">Start eerst het convenant. Daarna kunt u de coördinator van de organisatie uitnodigen.</Alert>
      ) : !hasCoordinator ? (
        <Alert type="warning" title="Nog geen coördinator">
          <p class="utrecht-paragraph">
            Nodig de eerste coördinator uit. Die krijgt een e-mail om een wachtwoord te kiezen en nodigt daarna zelf de andere professionals van {o.name} uit.
          </p>
        </Alert>
      ) : null}
      {signInPossible ? (
        <div class="sluis-actions">
          <ButtonLink href={`/beheer/organisaties/${o.id}/coordinator-uitnodigen`} kind={hasCoordinator ? 'secondary' : 'primary'}>
            Coördinator uitnodigen
          </ButtonLink>
        </div>
      ) : null}
      {props.professionals.total > 0 ? <ListCount list={props.professionals} nouns={['professional', 'professionals']} /> : null}
      <Table
        caption={`Professionals van ${o.name}`}
        head={['Naam', 'Contact', 'Account', 'Acties']}
        empty="Deze organisatie heeft nog geen professionals."
        rows={props.professionals.items.map((p) => {
          const invitable = signInPossible && p.active && (p.webAccount === 'none' || p.webAccount === 'invited');
          return [
            <ProfessionalName name={p.name} coordinator={p.coordinator} jobTitle={p.jobTitle} />,
            <span class="sluis-admin-contact">
              {p.email}
              <br />
              {p.phone}
            </span>,
            p.active ? (
              <AccountStatus state={p.webAccount} invitationExpiresAt={p.invitationExpiresAt} now={props.now} />
            ) : (
              <StatusBadge>{ACCOUNT_STATUS_LABELS.deactivated}</StatusBadge>
            ),
            <ul class="sluis-inline-actions">
              {invitable ? (
                <li>
                  <form method="post" action={`/beheer/organisaties/${o.id}/professionals/${p.id}/uitnodigen`} class="sluis-inline-form">
                    <input type="hidden" name="_csrf" value={props.ctx.csrf} />
                    <button type="submit" class="utrecht-button utrecht-button--subtle sluis-admin-small-button">
                      {p.webAccount === 'none' ? 'Uitnodigen' : 'Opnieuw uitnodigen'}
                      <span class="sluis-visually-hidden">{`: ${p.name}`}</span>
                    </button>
                  </form>
                </li>
              ) : null}
              <li>
                <form method="post" action={`/beheer/organisaties/${o.id}/professionals/${p.id}/coordinator`} class="sluis-inline-form">
                  <input type="hidden" name="_csrf" value={props.ctx.csrf} />
                  <input type="hidden" name="coordinator" value={p.coordinator ? 'nee' : 'ja'} />
                  <button type="submit" class="utrecht-button utrecht-button--subtle sluis-admin-small-button">
                    {p.coordinator ? 'Geen coördinator meer' : p.webAccount === 'none' ? 'Maak coördinator en nodig uit' : 'Maak coördinator'}
                    <span class="sluis-visually-hidden">{`: ${p.name}`}</span>
                  </button>
                </form>
              </li>
            </ul>,
          ];
        })}
      />
      <Pager
        label={`Pagina's van de professionals van ${o.name}`}
        list={props.professionals}
        target={{ href: (page) => `/beheer/organisaties/${o.id}${page > 1 ? `?pagina=${page}` : ''}` }}
      />
    </Page>
  );
}

// ---------------------------------------------------------------------------------------------
// Inviting a coordinator

type CoordinatorValues = { naam: string; email: string; telefoon: string; functie: string };
const EMPTY_COORDINATOR: CoordinatorValues = { naam: '', email: '', telefoon: '', functie: '' };
const PHONE = /^[0-9+()\- ]{6,40}$/;

function readCoordinator(body: unknown): { values: CoordinatorValues; errors: FieldErrors; input?: ProfessionalInput } {
  const values: CoordinatorValues = {
    naam: field(body, 'naam'),
    email: field(body, 'email'),
    telefoon: field(body, 'telefoon'),
    functie: field(body, 'functie'),
  };
  const errors: FieldErrors = {};
  if (!values.naam) errors.naam = 'Vul de naam van de coördinator in.';
  else if (values.naam.length > 200) errors.naam = 'De naam is te lang: hooguit 200 tekens.';
  if (!values.email) errors.email = 'Vul het e-mailadres in. Daar komt de uitnodiging.';
  else if (!isEmailAddress(values.email)) errors.email = 'Vul een e-mailadres in zoals naam@organisatie.nl.';
  if (!values.telefoon) errors.telefoon = 'Vul het telefoonnummer in.';
  else if (!PHONE.test(values.telefoon)) errors.telefoon = 'Vul een telefoonnummer in met alleen cijfers, spaties, + of -.';
  if (values.functie.length > 200) errors.functie = 'De functie is te lang: hooguit 200 tekens.';
  if (Object.values(errors).some(Boolean)) return { values, errors };
  return {
    values,
    errors,
    input: { name: values.naam, email: values.email, phone: values.telefoon, jobTitle: values.functie, coordinator: true },
  };
}

function InviteCoordinatorPage(props: {
  ctx: PageContext;
  organisation: OrganisationView;
  canSignIn: boolean;
  values: CoordinatorValues;
  errors?: FieldErrors;
}): Html {
  const { organisation: o, values, errors = {} } = props;
  const failed = Object.values(errors).some(Boolean);
  const title = `Coördinator van ${o.name} uitnodigen`;
  return (
    <Page ctx={props.ctx} title={failed ? `Fout: ${title}` : title}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href={`/beheer/organisaties/${o.id}`}>
            Terug naar {o.name}
          </a>
        </p>
        <Heading>{title}</Heading>
        {!props.canSignIn ? (
          <Alert type="warning" title="Eerst het convenant">
            <p class="utrecht-paragraph">
              {o.name} heeft geen actief convenant, dus haar professionals kunnen niet inloggen. Start het convenant op de pagina van de organisatie en nodig
              daarna de coördinator uit.
            </p>
          </Alert>
        ) : (
          <>
            <Paragraph>
              De coördinator beheert de professionals en het profiel van {o.name} in SluiS. Na het versturen krijgt de coördinator een e-mail met een link (7
              dagen geldig) om een wachtwoord te kiezen en een authenticator-app te koppelen. Daarna nodigt de coördinator zelf de andere professionals uit.
            </Paragraph>
            <Paragraph>
              Staat de professional al in de lijst van de organisatie (bijvoorbeeld via het cliëntsysteem)? Kies dan daar "Maak coördinator".
            </Paragraph>
            <Form action={`/beheer/organisaties/${o.id}/coordinator-uitnodigen`} csrf={props.ctx.csrf} errors={errors}>
              <TextField id="naam" label="Naam" value={values.naam} maxlength={200} autocomplete="off" error={errors.naam} />
              <TextField
                id="email"
                label="E-mailadres"
                type="email"
                inputmode="email"
                value={values.email}
                maxlength={254}
                autocomplete="off"
                error={errors.email}
                description="Het werkadres van de coördinator. Hierheen gaat de uitnodiging; het is ook het adres om mee in te loggen."
              />
              <TextField
                id="telefoon"
                label="Telefoonnummer"
                type="tel"
                inputmode="tel"
                value={values.telefoon}
                maxlength={40}
                width="m"
                autocomplete="off"
                error={errors.telefoon}
                description="Professionals van andere organisaties bellen dit nummer bij een match."
              />
              <TextField id="functie" label="Functie" value={values.functie} maxlength={200} required={false} autocomplete="off" error={errors.functie} />
              <div class="sluis-actions">
                <Button>Uitnodiging versturen</Button>
                <a class="utrecht-link" href={`/beheer/organisaties/${o.id}`}>
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

/** Ending a covenant: the one confirmation pattern (confirm-page.tsx), with the reason to fill in first. */
function EndCovenantPage(props: { ctx: PageContext; organisation: OrganisationView; covenant: CovenantView; reason?: string; error?: string }): Html {
  const { organisation: o, covenant } = props;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title={`Convenant van ${o.name} beëindigen`}
      back={{ href: `/beheer/organisaties/${o.id}`, label: `Terug naar ${o.name}` }}
      action={`/beheer/organisaties/${o.id}/convenant/${covenant.id}/beeindigen`}
      confirm="Ja, convenant beëindigen"
      errors={{ 'reden-beeindigen': props.error }}
      blocked={covenant.status === 'ended'}
      refusal={covenant.status === 'ended' ? 'Dit convenant is al beëindigd.' : undefined}
      intro={`Beëindig het convenant als ${o.name} stopt met SluiS. Doet de organisatie tijdelijk niet mee, schort het convenant dan op: dat kunt u hervatten.`}
      consequences={[
        `De professionals van ${o.name} kunnen meteen geen signalen meer afgeven of bekijken, ook niet via het cliëntsysteem van de organisatie.`,
        'De reden komt bij het convenant te staan en in de audit trail.',
      ]}
      irreversible="Een beëindigd convenant kan niet worden hervat. Doet de organisatie later weer mee, start dan een nieuw convenant."
      question={`Weet u zeker dat u het convenant van ${o.name} wilt beëindigen?`}
    >
      <TextField
        id="reden-beeindigen"
        name="reden"
        label="Reden"
        value={props.reason ?? ''}
        maxlength={500}
        error={props.error}
        description="Waarom wordt het convenant beëindigd? Geen gegevens over personen."
      />
    </ConfirmPage>
  );
}

// ---------------------------------------------------------------------------------------------

export async function organisationPages(app: FastifyInstance, { services }: AdminOptions) {
  const { organisations, covenants, professionals, clock } = services;
  covenantTermsRoute(app, services);

  const organisationOf = async (request: FastifyRequest): Promise<OrganisationView> => {
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) throw notFound();
    return organisations.get(id);
  };

  async function renderOrganisation(
    request: FastifyRequest,
    organisation: OrganisationView,
    extra: { done?: string; who?: string; form?: CovenantForm; problem?: string } = {},
  ) {
    const { actor } = requireStaff(request);
    const list = await professionals.list(actor, organisation.id);
    return (
      <OrganisationPage
        ctx={request.pageContext}
        organisation={organisation}
        covenants={await covenants.list(organisation.id)}
        professionals={pageOfWhole(list, pageParam(request))}
        hasCoordinator={list.some((p) => p.active && p.coordinator)}
        now={clock.now()}
        today={amsterdamDate(clock.now())}
        {...extra}
        who={extra.who ? list.find((p) => p.id === extra.who)?.name : undefined}
      />
    );
  }

  /** Whether the organisation's professionals can sign in today (an active covenant that has started). */
  const canSignIn = async (organisation: OrganisationView) =>
    organisation.covenantStatus === 'active' &&
    (await covenants.list(organisation.id)).some((c) => c.status === 'active' && c.startsOn <= amsterdamDate(clock.now()));

  app.get('/beheer/organisaties', async (request, reply) => {
    requireStaff(request);
    const name = queryParam(request, 'naam').trim().slice(0, 200);
    const requested = queryParam(request, 'domein');
    const domain = (DOMAINS as readonly string[]).includes(requested) ? requested : '';
    const list = await organisations.list({ ...(name && { name }), ...(domain && { domain: domain as Domain }) });
    return sendPage(reply, <OrganisationsPage ctx={request.pageContext} organisations={pageOfWhole(list, pageParam(request))} name={name} domain={domain} />);
  });

  const newPage = (ctx: PageContext, values: ProfileValues, errors?: FieldErrors) => (
    <ProfilePage
      ctx={ctx}
      action="/beheer/organisaties/nieuw"
      title="Organisatie toevoegen"
      values={values}
      errors={errors}
      cancel="/beheer/organisaties"
      submit="Organisatie toevoegen"
      intro="Voeg een organisatie toe die het convenant heeft ondertekend of gaat ondertekenen. Daarna start u het convenant en voegt de organisatie haar professionals toe."
    />
  );

  app.get('/beheer/organisaties/nieuw', async (request, reply) => {
    requireStaff(request);
    const kept = await restoredForm(request, '/beheer/organisaties/nieuw');
    return sendPage(reply, newPage(request.pageContext, kept ? readProfile(kept).values : EMPTY_PROFILE));
  });

  app.post('/beheer/organisaties/nieuw', async (request, reply) => {
    const { actor } = requireStaff(request);
    const { values, errors, input } = readProfile(request.body);
    if (!input) return sendPage(reply, newPage(request.pageContext, values, errors), 422);
    try {
      const created = await organisations.create(actor, input);
      return redirect(reply, `/beheer/organisaties/${created.id}?klaar=aangemaakt`);
    } catch (error) {
      if (error instanceof Problem && error.status === 409) {
        return sendPage(reply, newPage(request.pageContext, values, { naam: 'Er is al een organisatie met deze naam. Kies een andere naam.' }), 409);
      }
      throw error;
    }
  });

  app.get('/beheer/organisaties/:id', async (request, reply) => {
    requireStaff(request);
    const organisation = await organisationOf(request);
    return sendPage(
      reply,
      await renderOrganisation(request, organisation, {
        done: queryParam(request, 'klaar'),
        who: queryParam(request, 'wie'),
        form: await keptCovenantForm(request),
      }),
    );
  });

  /** A covenant form (start, or a step with its reason) typed before the session ended, back in its own form. */
  async function keptCovenantForm(request: FastifyRequest): Promise<CovenantForm | undefined> {
    const kept = await restoredFormOfPage(request);
    const step = kept && /\/convenant(?:\/[0-9a-f-]{36}\/([a-z]+))?$/.exec(kept.action);
    if (!kept || !step) return undefined;
    if (!step[1]) return { kind: 'starten', errors: {}, values: { kenmerk: field(kept.fields, 'kenmerk'), ingangsdatum: field(kept.fields, 'ingangsdatum') } };
    return step[1] in ACTIONS ? { kind: step[1] as keyof typeof ACTIONS, errors: {}, values: { reden: field(kept.fields, 'reden') } } : undefined;
  }

  const editPage = (ctx: PageContext, o: OrganisationView, values: ProfileValues, errors?: FieldErrors) => (
    <ProfilePage
      ctx={ctx}
      action={`/beheer/organisaties/${o.id}/bewerken`}
      title={`Profiel van ${o.name} wijzigen`}
      values={values}
      errors={errors}
      cancel={`/beheer/organisaties/${o.id}`}
      submit="Profiel opslaan"
      intro="Het profiel staat in het overzicht van organisaties dat alle professionals zien."
    />
  );

  app.get('/beheer/organisaties/:id/bewerken', async (request, reply) => {
    requireStaff(request);
    const organisation = await organisationOf(request);
    const kept = await restoredForm(request, `/beheer/organisaties/${organisation.id}/bewerken`);
    return sendPage(reply, editPage(request.pageContext, organisation, kept ? readProfile(kept).values : profileOf(organisation)));
  });

  app.post('/beheer/organisaties/:id/bewerken', async (request, reply) => {
    const { actor } = requireStaff(request);
    const organisation = await organisationOf(request);
    const { values, errors, input } = readProfile(request.body);
    if (!input) return sendPage(reply, editPage(request.pageContext, organisation, values, errors), 422);
    try {
      await organisations.update(actor, organisation.id, input);
      return redirect(reply, `/beheer/organisaties/${organisation.id}?klaar=gewijzigd`);
    } catch (error) {
      if (error instanceof Problem && error.status === 409) {
        return sendPage(reply, editPage(request.pageContext, organisation, values, { naam: 'Er is al een andere organisatie met deze naam.' }), 409);
      }
      throw error;
    }
  });

  app.post('/beheer/organisaties/:id/convenant', async (request, reply) => {
    const { actor } = requireStaff(request);
    const organisation = await organisationOf(request);
    const today = amsterdamDate(clock.now());
    const startsOn = checkDateField(request.body, 'ingangsdatum', { what: 'de ingangsdatum', example: today });
    const values = { kenmerk: field(request.body, 'kenmerk'), ...Object.fromEntries(datePartPairs('ingangsdatum', startsOn.parts)) };
    const errors: FieldErrors = {};
    if (values.kenmerk.length > 100) errors.kenmerk = 'Het kenmerk is te lang: hooguit 100 tekens.';
    if (startsOn.error) errors.ingangsdatum = startsOn.error;
    const failed = () => renderOrganisation(request, organisation, { form: { kind: 'starten', errors, values } });
    if (Object.values(errors).some(Boolean)) return sendPage(reply, await failed(), 422);
    try {
      await covenants.start(actor, organisation.id, { reference: values.kenmerk, startsOn: startsOn.date ?? today });
    } catch (error) {
      if (error instanceof Problem && error.status === 409) {
        errors.kenmerk = 'Deze organisatie heeft al een lopend convenant.';
        return sendPage(reply, await renderOrganisation(request, await organisations.get(organisation.id), { form: { kind: 'starten', errors, values } }), 409);
      }
      throw error;
    }
    return redirect(reply, `/beheer/organisaties/${organisation.id}?klaar=gestart`);
  });

  app.get('/beheer/organisaties/:id/convenant/:covenantId/beeindigen', async (request, reply) => {
    requireStaff(request);
    const organisation = await organisationOf(request);
    const { covenantId } = request.params as { covenantId: string };
    const covenant = isUuid(covenantId) ? (await covenants.list(organisation.id)).find((c) => c.id === covenantId) : undefined;
    if (!covenant) throw notFound();
    return sendPage(reply, <EndCovenantPage ctx={request.pageContext} organisation={organisation} covenant={covenant} />);
  });

  app.post('/beheer/organisaties/:id/convenant/:covenantId/:action', async (request, reply) => {
    const { actor } = requireStaff(request);
    const organisation = await organisationOf(request);
    const { covenantId, action } = request.params as { covenantId: string; action: string };
    const step = ACTIONS[action];
    if (!step || !isUuid(covenantId)) throw notFound();
    const covenant = (await covenants.list(organisation.id)).find((c) => c.id === covenantId);
    if (!covenant) throw notFound();
    const reason = field(request.body, 'reden');
    const kind = action as keyof typeof ACTIONS;
    const errors: FieldErrors = {};
    if (!reason) errors[`reden-${kind}`] = 'Vul de reden in. Die komt bij het convenant te staan.';
    else if (reason.length > 500) errors[`reden-${kind}`] = 'De reden is te lang: hooguit 500 tekens.';
    // Ending is asked on its own confirmation page: a problem goes back there, with the reason as typed.
    const endPage = async (error: string, status: number) =>
      sendPage(
        reply,
        <EndCovenantPage
          ctx={request.pageContext}
          organisation={await organisations.get(organisation.id)}
          covenant={(await covenants.list(organisation.id)).find((c) => c.id === covenantId) ?? covenant}
          reason={reason}
          error={error}
        />,
        status,
      );
    if (kind === 'beeindigen' && errors['reden-beeindigen']) return endPage(errors['reden-beeindigen'], 422);
    if (Object.values(errors).some(Boolean))
      return sendPage(reply, await renderOrganisation(request, organisation, { form: { kind, errors, values: { reden: reason } } }), 422);
    try {
      await covenants.transition(actor, covenantId, step.action, reason);
    } catch (error) {
      if (error instanceof Problem && error.status === 409) {
        errors[`reden-${kind}`] = 'Dat kan niet meer: de status van het convenant is intussen gewijzigd. Bekijk de pagina opnieuw.';
        if (kind === 'beeindigen') return endPage(errors[`reden-${kind}`]!, 409);
        return sendPage(
          reply,
          await renderOrganisation(request, await organisations.get(organisation.id), { form: { kind, errors, values: { reden: reason } } }),
          409,
        );
      }
      throw error;
    }
    return redirect(reply, `/beheer/organisaties/${organisation.id}?klaar=${action}`);
  });

  app.post('/beheer/organisaties/:id/professionals/:professionalId/coordinator', async (request, reply) => {
    const { actor } = requireStaff(request);
    const organisation = await organisationOf(request);
    const { professionalId } = request.params as { professionalId: string };
    if (!isUuid(professionalId)) throw notFound();
    const choice = field(request.body, 'coordinator');
    if (choice !== 'ja' && choice !== 'nee') throw notFound();
    try {
      const { invited } = await professionals.setCoordinator(actor, organisation.id, professionalId, choice === 'ja');
      return redirect(reply, `/beheer/organisaties/${organisation.id}?klaar=${invited ? 'coordinator-uitgenodigd' : 'coordinator'}&wie=${professionalId}`);
    } catch (error) {
      if (!isInvitationRefusal(error)) throw error;
      return sendPage(reply, await renderOrganisation(request, organisation, { problem: INVITATION_REFUSAL_TEXTS[error.code] }), 409);
    }
  });

  app.post('/beheer/organisaties/:id/professionals/:professionalId/uitnodigen', async (request, reply) => {
    const { actor } = requireStaff(request);
    const organisation = await organisationOf(request);
    const { professionalId } = request.params as { professionalId: string };
    if (!isUuid(professionalId)) throw notFound();
    try {
      await professionals.inviteToWeb(actor, professionalId, organisation.id);
      return redirect(reply, `/beheer/organisaties/${organisation.id}?klaar=uitgenodigd&wie=${professionalId}`);
    } catch (error) {
      if (!isInvitationRefusal(error)) throw error;
      return sendPage(reply, await renderOrganisation(request, organisation, { problem: INVITATION_REFUSAL_TEXTS[error.code] }), 409);
    }
  });

  const invitePage = async (request: FastifyRequest, organisation: OrganisationView, values = EMPTY_COORDINATOR, errors?: FieldErrors) => (
    <InviteCoordinatorPage ctx={request.pageContext} organisation={organisation} canSignIn={await canSignIn(organisation)} values={values} errors={errors} />
  );

  app.get('/beheer/organisaties/:id/coordinator-uitnodigen', async (request, reply) => {
    requireStaff(request);
    const organisation = await organisationOf(request);
    const kept = await restoredForm(request, `/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`);
    return sendPage(reply, await invitePage(request, organisation, kept ? readCoordinator(kept).values : EMPTY_COORDINATOR));
  });

  app.post('/beheer/organisaties/:id/coordinator-uitnodigen', async (request, reply) => {
    const { actor } = requireStaff(request);
    const organisation = await organisationOf(request);
    const { values, errors, input } = readCoordinator(request.body);
    if (!input) return sendPage(reply, await invitePage(request, organisation, values, errors), 422);
    try {
      const created = await professionals.create(actor, organisation.id, input);
      return redirect(reply, `/beheer/organisaties/${organisation.id}?klaar=uitgenodigd&wie=${created.id}`);
    } catch (error) {
      if (isInvitationRefusal(error)) {
        const field = error.code === 'email_in_use' ? { email: INVITATION_REFUSAL_TEXTS[error.code] } : {};
        // Without an active covenant the page itself says so (and shows no form).
        return sendPage(reply, await invitePage(request, organisation, values, field), 409);
      }
      if (error instanceof Problem && error.status === 409) {
        const taken = 'Deze organisatie heeft al een professional met dit e-mailadres. Kies bij die professional "Maak coördinator".';
        return sendPage(reply, await invitePage(request, organisation, values, { email: taken }), 409);
      }
      throw error;
    }
  });
}
