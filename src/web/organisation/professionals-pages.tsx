/**
 * The organisation coordinator's professionals (/organisatie/professionals): invite by e-mail, re-invite, deactivate,
 * transfer a leaving professional's signals to a colleague, reset a lost second factor.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { type CoordinatedProfessional, type InviteInput, InviteRefused } from '../../organisations/coordinator-service.ts';
import { isInvitationRefusal } from '../../professionals/professional-service.ts';
import { isEmailAddress } from '../../shared/email.ts';
import { AccountStatus, ProfessionalName } from '../account-status.tsx';
import { Alert, Button, ButtonLink, ChoiceGroup, DataList, type FieldErrors, Form, Paragraph, Select, StatusBadge, Table, TextField } from '../components.tsx';
import { ConfirmPage } from '../confirm-page.tsx';
import { type Child, Fragment, type Html, h } from '../html/jsx.ts';
import { ACCOUNT_STATUS_LABELS, INVITATION_REFUSAL_TEXTS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { ListCount, type ListPage, Pager, pageOfWhole, pageParam } from '../pager.tsx';
import { resetDoneText, secondFactorResetRoutes } from '../second-factor-pages.tsx';
import { field, queryParam, redirect, requireCoordinator, restoredForm, sendPage } from '../web-context.ts';
import { Back, CannotPage, idOf, isProblem, PHONE } from './coordinator-shared.tsx';

type InviteValues = { naam: string; email: string; telefoon: string; functie: string; coordinator: string };
const EMPTY_INVITE: InviteValues = { naam: '', email: '', telefoon: '', functie: '', coordinator: 'nee' };

function ProfessionalsPage(props: {
  ctx: PageContext;
  professionals: ListPage<CoordinatedProfessional>;
  selfId: string;
  now: Date;
  notice?: Html | null;
  values?: InviteValues;
  errors?: FieldErrors;
}): Html {
  const values = props.values ?? EMPTY_INVITE;
  const errors = props.errors ?? {};
  const hasErrors = Object.values(errors).some(Boolean);
  const rows = props.professionals.items.map((p) => {
    const actions: Child[] = [];
    if (p.activeSignals > 0)
      actions.push(
        <a class="utrecht-link" href={`/organisatie/professionals/${p.id}/overdragen`}>
          Signalen overdragen<span class="sluis-visually-hidden"> van {p.name}</span>
        </a>,
      );
    if (p.active && (p.webAccount === 'none' || p.webAccount === 'invited')) {
      actions.push(
        <form method="post" action={`/organisatie/professionals/${p.id}/uitnodigen`} class="sluis-inline-form">
          <input type="hidden" name="_csrf" value={props.ctx.csrf} />
          <button type="submit" class="utrecht-button utrecht-button--subtle sluis-link-button">
            {p.webAccount === 'none' ? 'Uitnodigen' : 'Opnieuw uitnodigen'}
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
      <ProfessionalName name={p.name} coordinator={p.coordinator} jobTitle={p.jobTitle} />,
      <span>
        <a class="utrecht-link" href={`mailto:${p.email}`}>
          {p.email}
        </a>
        <br />
        {p.phone}
      </span>,
      p.active ? (
        <AccountStatus state={p.webAccount} invitationExpiresAt={p.invitationExpiresAt} now={props.now} />
      ) : (
        <StatusBadge tone="warning">{ACCOUNT_STATUS_LABELS.deactivated}</StatusBadge>
      ),
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
      {props.professionals.total > 0 ? <ListCount list={props.professionals} nouns={['professional', 'professionals']} /> : null}
      <Table
        caption="Professionals van uw organisatie"
        head={['Naam', 'Contact', 'Account', 'Actieve signalen', 'Acties']}
        rows={rows}
        empty="Uw organisatie heeft nog geen professionals."
      />
      <Pager
        label="Pagina's van de professionals"
        list={props.professionals}
        target={{ href: (page) => (page > 1 ? `/organisatie/professionals?pagina=${page}` : '/organisatie/professionals') }}
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
    <ConfirmPage
      ctx={props.ctx}
      title={`${p.name} deactiveren`}
      back={{ href: '/organisatie/professionals', label: 'Terug naar Professionals' }}
      action={`/organisatie/professionals/${p.id}/deactiveren`}
      confirm="Ja, deactiveren"
      blocked={!p.active}
      refusal={props.error ?? (p.active ? undefined : `${p.name} is al gedeactiveerd.`)}
      intro={`Vertrekt ${p.name}, of werkt ${p.name} niet meer met SluiS? Dan deactiveert u het account.`}
      warning={
        p.activeSignals > 0
          ? {
              title: 'Nog actieve signalen',
              body: (
                <>
                  {p.name} heeft nog {p.activeSignals === 1 ? 'één actief signaal' : `${p.activeSignals} actieve signalen`}. Draag ze eerst over aan een
                  collega, zodat de betrokken professionals van andere organisaties een aanspreekpunt houden.{' '}
                  <a class="utrecht-link" href={`/organisatie/professionals/${p.id}/overdragen`}>
                    Signalen overdragen
                  </a>
                </>
              ),
            }
          : undefined
      }
      consequences={[
        `${p.name} kan niet meer inloggen en wordt op alle apparaten direct uitgelogd.`,
        p.activeSignals > 0
          ? `De signalen van ${p.name} die u niet overdraagt, blijven lopen met ${p.name} als aanspreekpunt.`
          : `${p.name} heeft geen actieve signalen.`,
        'De audit trail legt vast dat u dit heeft gedaan.',
      ]}
      irreversible={`Een gedeactiveerd account wordt niet weer actief. Komt ${p.name} terug, stuur dan een nieuwe uitnodiging met een ander e-mailadres.`}
      question={`Weet u zeker dat u ${p.name} (${p.email}) wilt deactiveren?`}
    />
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
    email: !values.email ? 'Vul het e-mailadres in.' : !isEmailAddress(values.email) ? 'Vul een geldig e-mailadres in, zoals naam@organisatie.nl.' : undefined,
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

/** The professionals pages. */
export async function professionalsPages(app: FastifyInstance, { services }: PageOptions) {
  const coordinator = services.organisationCoordinator;

  async function professionalsPage(request: FastifyRequest, extra: { notice?: Html | null; values?: InviteValues; errors?: FieldErrors } = {}) {
    const { actor } = requireCoordinator(request);
    const professionals = pageOfWhole(await coordinator.listProfessionals(actor), pageParam(request));
    return <ProfessionalsPage ctx={request.pageContext} professionals={professionals} selfId={actor.professionalId} now={services.clock.now()} {...extra} />;
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
    const kept = await restoredForm(request, '/organisatie/professionals');
    return sendPage(reply, await professionalsPage(request, { notice, ...(kept && { values: validateInvite(kept).values }) }));
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
      if (isInvitationRefusal(error))
        return sendPage(reply, await professionalsPage(request, { values, errors: { email: INVITATION_REFUSAL_TEXTS[error.code] } }), 409);
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
      if (isInvitationRefusal(error))
        return sendPage(
          reply,
          <CannotPage ctx={request.pageContext} title="Uitnodigen lukt niet" text={INVITATION_REFUSAL_TEXTS[error.code]} back="/organisatie/professionals" />,
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
}
