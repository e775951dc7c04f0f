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
import type { ProfessionalView } from '../../professionals/professional-service.ts';
import { amsterdamDate } from '../../shared/calendar.ts';
import { isEmailAddress } from '../../shared/email.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
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
import { ACCOUNT_STATUS_LABELS, COVENANT_LABELS, DOMAIN_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { field, notFound, queryParam, redirect, requireStaff, sendPage } from '../web-context.ts';
import { type AdminOptions, fieldValues } from './admin-shared.ts';

const DOMAIN_OPTIONS = DOMAINS.map((d) => ({ value: d, label: DOMAIN_LABELS[d] }));
const covenantTone = (status: OrganisationView['covenantStatus'] | CovenantView['status']) =>
  status === 'active' ? ('ok' as const) : status === 'suspended' ? ('warning' as const) : ('neutral' as const);

// ---------------------------------------------------------------------------------------------
// The list

function OrganisationsPage(props: { ctx: PageContext; organisations: OrganisationView[]; name: string; domain: string }): Html {
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
      <Table
        caption={`Organisaties (${props.organisations.length})`}
        head={['Naam', 'Domeinen', 'Convenant']}
        empty="Er zijn geen organisaties die hieraan voldoen."
        rows={props.organisations.map((o) => [
          <a class="utrecht-link" href={`/beheer/organisaties/${o.id}`}>
            {o.name}
          </a>,
          o.domains.map((d) => DOMAIN_LABELS[d]).join(', '),
          <StatusBadge tone={covenantTone(o.covenantStatus)}>{COVENANT_LABELS[o.covenantStatus]}</StatusBadge>,
        ])}
      />
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

type ProfessionalRow = ProfessionalView & { coordinator: boolean };

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
  ...Object.fromEntries(Object.entries(ACTIONS).map(([key, a]) => [key, a.done])),
};

type CovenantForm = { kind: 'starten' | keyof typeof ACTIONS; errors: FieldErrors; values: Record<string, string> };

function OrganisationPage(props: {
  ctx: PageContext;
  organisation: OrganisationView;
  covenants: CovenantView[];
  professionals: ProfessionalRow[];
  done?: string;
  form?: CovenantForm;
  today: string;
}): Html {
  const { organisation: o, covenants, form } = props;
  const current = covenants.find((c) => c.status !== 'ended');
  const errorsFor = (kind: CovenantForm['kind']) => (form?.kind === kind ? form.errors : {});
  const valueFor = (kind: CovenantForm['kind'], name: string) => (form?.kind === kind ? (form.values[name] ?? '') : '');
  const failed = form && Object.values(form.errors).some(Boolean);
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
      {props.done && DONE[props.done] ? <Alert type="ok">{DONE[props.done]}</Alert> : null}

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
          {reasonForm('opschorten', 'Waarom wordt het convenant opgeschort? Geen gegevens over personen.')}
          {endLink}
        </>
      ) : (
        <>
          <Paragraph>
            Het convenant is opgeschort{current.statusReason ? ` (reden: ${current.statusReason})` : ''}. Hervat het als de organisatie weer mee mag doen, of
            beëindig het.
          </Paragraph>
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

      <Heading level={2}>Professionals</Heading>
      <Paragraph>
        De coördinator van de organisatie beheert haar professionals en profiel in SluiS. Een organisatie kan meer dan één coördinator hebben.
      </Paragraph>
      <Table
        caption={`Professionals van ${o.name} (${props.professionals.length})`}
        head={['Naam', 'Functie', 'Contact', 'Status', 'Coördinator']}
        empty="Deze organisatie heeft nog geen professionals."
        rows={props.professionals.map((p) => [
          p.name,
          p.jobTitle || '—',
          <span class="sluis-admin-contact">
            {p.email}
            <br />
            {p.phone}
          </span>,
          p.active ? <StatusBadge tone="ok">{ACCOUNT_STATUS_LABELS.active}</StatusBadge> : <StatusBadge>{ACCOUNT_STATUS_LABELS.deactivated}</StatusBadge>,
          <form method="post" action={`/beheer/organisaties/${o.id}/professionals/${p.id}/coordinator`} class="sluis-inline-form sluis-admin-coordinator">
            <input type="hidden" name="_csrf" value={props.ctx.csrf} />
            <input type="hidden" name="coordinator" value={p.coordinator ? 'nee' : 'ja'} />
            {p.coordinator ? <StatusBadge tone="new">Coördinator</StatusBadge> : null}
            <button type="submit" class="utrecht-button utrecht-button--subtle sluis-admin-small-button">
              {p.coordinator ? 'Geen coördinator meer' : 'Maak coördinator'}
              <span class="sluis-visually-hidden">{`: ${p.name}`}</span>
            </button>
          </form>,
        ])}
      />
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

  const organisationOf = async (request: FastifyRequest): Promise<OrganisationView> => {
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) throw notFound();
    return organisations.get(id);
  };

  async function renderOrganisation(request: FastifyRequest, organisation: OrganisationView, extra: { done?: string; form?: CovenantForm } = {}) {
    const { actor } = requireStaff(request);
    const list = await professionals.list(actor, organisation.id);
    return (
      <OrganisationPage
        ctx={request.pageContext}
        organisation={organisation}
        covenants={await covenants.list(organisation.id)}
        professionals={list}
        today={amsterdamDate(clock.now())}
        {...extra}
      />
    );
  }

  app.get('/beheer/organisaties', async (request, reply) => {
    requireStaff(request);
    const name = queryParam(request, 'naam').trim().slice(0, 200);
    const domain = queryParam(request, 'domein');
    const list = await organisations.list({ ...(name && { name }), ...((DOMAINS as readonly string[]).includes(domain) && { domain: domain as Domain }) });
    return sendPage(reply, <OrganisationsPage ctx={request.pageContext} organisations={list} name={name} domain={domain} />);
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
    return sendPage(reply, newPage(request.pageContext, EMPTY_PROFILE));
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
    return sendPage(reply, await renderOrganisation(request, organisation, { done: queryParam(request, 'klaar') }));
  });

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
    return sendPage(reply, editPage(request.pageContext, organisation, profileOf(organisation)));
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
    await professionals.setCoordinator(actor, organisation.id, professionalId, choice === 'ja');
    return redirect(reply, `/beheer/organisaties/${organisation.id}?klaar=coordinator`);
  });
}
