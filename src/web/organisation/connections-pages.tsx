/**
 * The organisation's API clients and webhooks (/organisatie/koppelingen).
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { DEFAULT_OVERLAP_DAYS, MAX_OVERLAP_DAYS } from '../../api-clients/api-client-service.ts';
import type { OutboxEventType } from '../../notifications/events.ts';
import { EVENT_TYPES } from '../../notifications/events.ts';
import type { CoordinatorService } from '../../organisations/coordinator-service.ts';
import { Alert, Button, ButtonLink, ChoiceGroup, type FieldErrors, Form, Paragraph, Select, StatusBadge, Table, TextField, TimeText } from '../components.tsx';
import { ConfirmPage } from '../confirm-page.tsx';
import { type Child, Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { ListCount, Pager, pageOfWhole, pageParam } from '../pager.tsx';
import { field, notFound, queryParam, redirect, requireCoordinator, restoredFormOfPage, sendPage } from '../web-context.ts';
import { Back, EVENT_LABELS, idOf, isProblem, list, validUrl } from './coordinator-shared.tsx';

type ConnectionsData = Awaited<ReturnType<CoordinatorService['apiClients']>>;
type WebhooksData = Awaited<ReturnType<CoordinatorService['webhooks']>>;
type WebhookValues = { url: string; client: string; gebeurtenissen: string[] };

/** Where each list of the page is: its page number (the other list's is kept). */
const connectionsHref = (pages: { clients: number; webhooks: number }, anchor: string) => {
  const params = new URLSearchParams();
  if (pages.clients > 1) params.set('sleutels', String(pages.clients));
  if (pages.webhooks > 1) params.set('webhooks', String(pages.webhooks));
  const search = params.toString();
  return `/organisatie/koppelingen${search ? `?${search}` : ''}#${anchor}`;
};

function ConnectionsPage(props: {
  ctx: PageContext;
  clients: ConnectionsData;
  webhooks: WebhooksData;
  pages?: { clients: number; webhooks: number };
  notice?: Html | null;
  clientName?: string;
  clientError?: string;
  webhookValues?: WebhookValues;
  webhookErrors?: FieldErrors;
}): Html {
  const active = props.clients.filter((c) => !c.revokedAt);
  const clients = pageOfWhole(props.clients, props.pages?.clients ?? 1);
  const webhooks = pageOfWhole(props.webhooks, props.pages?.webhooks ?? 1);
  const pages = { clients: clients.page, webhooks: webhooks.page };
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
      {clients.total > 0 ? <ListCount list={clients} nouns={['API-sleutel', 'API-sleutels']} /> : null}
      <Table
        caption="API-sleutels van uw organisatie"
        captionHidden
        head={['Naam', 'Sleutel-id', 'Aangemaakt', 'Status', 'Acties']}
        empty="Uw organisatie heeft nog geen API-sleutels."
        rows={clients.items.map((c) => [
          c.name,
          <KeyIds client={c} />,
          <TimeText at={c.createdAt} />,
          c.revokedAt ? <StatusBadge tone="warning">Ingetrokken</StatusBadge> : <StatusBadge tone="ok">Actief</StatusBadge>,
          c.revokedAt ? (
            '—'
          ) : (
            <div class="sluis-inline-actions">
              {c.tokens.length < 2 ? (
                <a class="utrecht-link" href={`/organisatie/koppelingen/sleutels/${c.id}/vervangen`}>
                  Vervangen<span class="sluis-visually-hidden"> {c.name}</span>
                </a>
              ) : null}
              <a class="utrecht-link" href={`/organisatie/koppelingen/sleutels/${c.id}/intrekken`}>
                Intrekken<span class="sluis-visually-hidden"> {c.name}</span>
              </a>
            </div>
          ),
        ])}
      />
      <Pager label="Pagina's van de API-sleutels" list={clients} target={{ href: (page) => connectionsHref({ ...pages, clients: page }, 'api-sleutels') }} />
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
      {webhooks.total > 0 ? <ListCount list={webhooks} nouns={['webhook', 'webhooks']} /> : null}
      <Table
        caption="Webhooks van uw organisatie"
        captionHidden
        head={['Adres', 'Gebeurtenissen', 'Via', 'Acties']}
        empty="Uw organisatie heeft nog geen webhooks."
        rows={webhooks.items.map((w) => [
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
            <a class="utrecht-link" href={`/organisatie/koppelingen/webhooks/${w.id}/verwijderen`}>
              Verwijderen<span class="sluis-visually-hidden"> {w.url}</span>
            </a>
          </div>,
        ])}
      />
      <Pager label="Pagina's van de webhooks" list={webhooks} target={{ href: (page) => connectionsHref({ ...pages, webhooks: page }, 'webhooks') }} />
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

const BACK_TO_CONNECTIONS = { href: '/organisatie/koppelingen', label: 'Terug naar Koppelingen' };

/** A client's live key ids: the newest, and while it is being replaced the old one with its end and a way to end it now. */
function KeyIds(props: { client: ConnectionsData[number] }): Html {
  const { client } = props;
  if (client.tokens.length === 0) return <code class="utrecht-code">{client.keyId}</code>;
  return (
    <span>
      {client.tokens.map((token, i) => (
        <>
          {i > 0 ? <br /> : null}
          <code class="utrecht-code">{token.keyId}</code>
          {token.expiresAt ? (
            <>
              {' '}
              (oud, werkt tot <TimeText at={token.expiresAt} withTime />;{' '}
              <a class="utrecht-link" href={`/organisatie/koppelingen/sleutels/${client.id}/oud/${token.id}/intrekken`}>
                nu intrekken<span class="sluis-visually-hidden"> {token.keyId}</span>
              </a>
              )
            </>
          ) : null}
        </>
      ))}
    </span>
  );
}

const OVERLAP_DESCRIPTION = `Zo lang werkt de oude sleutel nog naast de nieuwe: 0 tot ${MAX_OVERLAP_DAYS} dagen. Met 0 werkt hij meteen niet meer (bijvoorbeeld als iemand anders hem kan kennen).`;

function ReplaceKeyPage(props: { ctx: PageContext; client: ConnectionsData[number]; days?: string; error?: string; refusal?: string }): Html {
  const { client } = props;
  const blocked = client.revokedAt !== null || client.tokens.length >= 2;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title={`API-sleutel ${client.name} vervangen`}
      back={BACK_TO_CONNECTIONS}
      action={`/organisatie/koppelingen/sleutels/${client.id}/vervangen`}
      confirm="Ja, nieuwe API-sleutel maken"
      blocked={blocked}
      refusal={
        props.refusal ??
        (client.revokedAt
          ? 'Deze API-sleutel is ingetrokken. Maak een nieuwe koppeling aan.'
          : blocked
            ? 'Deze koppeling heeft al twee geldige sleutels. Trek eerst de oude in, of wacht tot die niet meer werkt.'
            : undefined)
      }
      errors={{ 'sleutel-dagen': props.error }}
      intro={
        <>
          Vervang een API-sleutel als iemand anders hem kan kennen, of als uw organisatie sleutels op vaste momenten vervangt. Sleutel-id nu:{' '}
          <code class="utrecht-code">{client.keyId}</code>.
        </>
      }
      consequences={[
        'U ziet de nieuwe sleutel één keer. Zet hem in het cliëntsysteem.',
        'De oude sleutel werkt nog zo veel dagen als u hieronder kiest, zodat het cliëntsysteem zonder onderbreking kan overstappen. Daarna werkt hij niet meer.',
        'U kunt de oude sleutel ook eerder intrekken. Webhooks van deze koppeling blijven werken.',
        'De audit trail legt vast dat u dit heeft gedaan.',
      ]}
      irreversible="Een oude sleutel die niet meer werkt, komt niet terug."
      question={`Weet u zeker dat u de API-sleutel ${client.name} (${client.keyId}) wilt vervangen?`}
    >
      <TextField
        id="sleutel-dagen"
        name="dagen"
        label="Dagen dat de oude sleutel nog werkt"
        type="number"
        inputmode="numeric"
        width="xs"
        value={props.days ?? String(DEFAULT_OVERLAP_DAYS)}
        error={props.error}
        description={OVERLAP_DESCRIPTION}
      />
    </ConfirmPage>
  );
}

function RevokeOldKeyPage(props: { ctx: PageContext; client: ConnectionsData[number]; token: ConnectionsData[number]['tokens'][number] }): Html {
  const { client, token } = props;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title={`Oude API-sleutel van ${client.name} intrekken`}
      back={BACK_TO_CONNECTIONS}
      action={`/organisatie/koppelingen/sleutels/${client.id}/oud/${token.id}/intrekken`}
      confirm="Ja, oude API-sleutel intrekken"
      intro={
        <>
          De oude sleutel <code class="utrecht-code">{token.keyId}</code> werkt nog tot <TimeText at={token.expiresAt!} withTime />. Trek hem eerder in als het
          cliëntsysteem de nieuwe sleutel al gebruikt.
        </>
      }
      consequences={[
        'Wie de oude sleutel nog gebruikt, kan er meteen niet meer mee bij SluiS.',
        `De nieuwe sleutel (${client.keyId}) blijft werken.`,
        'De audit trail legt vast dat u dit heeft gedaan.',
      ]}
      irreversible="De oude sleutel komt niet terug."
      question={`Weet u zeker dat u de oude API-sleutel ${token.keyId} wilt intrekken?`}
    />
  );
}

function RevokeKeyPage(props: { ctx: PageContext; client: ConnectionsData[number] }): Html {
  const { client } = props;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title={`API-sleutel ${client.name} intrekken`}
      back={BACK_TO_CONNECTIONS}
      action={`/organisatie/koppelingen/sleutels/${client.id}/intrekken`}
      confirm="Ja, API-sleutel intrekken"
      blocked={client.revokedAt !== null}
      refusal={client.revokedAt ? 'Deze API-sleutel is al ingetrokken.' : undefined}
      intro={
        <>
          Trek een API-sleutel in als het cliëntsysteem hem niet meer gebruikt, of als iemand anders hem kan kennen. Sleutel-id:{' '}
          <code class="utrecht-code">{client.keyId}</code>.
        </>
      }
      consequences={[
        'Het cliëntsysteem dat deze sleutel gebruikt, kan er meteen niet meer mee bij SluiS: geen signalen afgeven of beëindigen, geen gebeurtenissen ophalen.',
        'Webhooks die bij deze koppeling horen, blijven berichten ontvangen. Moet dat ook stoppen, verwijder ze dan apart.',
        'De audit trail legt vast dat u dit heeft gedaan.',
      ]}
      irreversible="Moet het cliëntsysteem later weer koppelen, maak dan een nieuwe API-sleutel aan en zet die in het cliëntsysteem."
      question={`Weet u zeker dat u de API-sleutel ${client.name} (${client.keyId}) wilt intrekken?`}
    />
  );
}

function RemoveWebhookPage(props: { ctx: PageContext; webhook: WebhooksData[number] }): Html {
  const { webhook } = props;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title="Webhook verwijderen"
      back={BACK_TO_CONNECTIONS}
      action={`/organisatie/koppelingen/webhooks/${webhook.id}/verwijderen`}
      confirm="Ja, webhook verwijderen"
      intro={
        <>
          De webhook stuurt berichten naar <code class="utrecht-code sluis-break">{webhook.url}</code> (koppeling {webhook.apiClientName}).
        </>
      }
      consequences={[
        'SluiS stuurt geen berichten meer naar dit adres.',
        'Berichten die nog onderweg waren, worden opgegeven. Het cliëntsysteem kan ze nog ophalen via de gebeurtenissen-API.',
        'De audit trail legt vast dat u dit heeft gedaan.',
      ]}
      irreversible="Wilt u weer berichten op dit adres, maak dan een nieuwe webhook aan; die krijgt een nieuw geheim."
      question="Weet u zeker dat u deze webhook wilt verwijderen?"
    />
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

/** The webhook form's fields, as posted. */
const webhookValuesOf = (body: unknown): WebhookValues => ({
  url: field(body, 'url'),
  client: field(body, 'client'),
  gebeurtenissen: list(body, 'gebeurtenissen'),
});

/** The connections pages. */
export async function connectionsPages(app: FastifyInstance, { services }: PageOptions) {
  const coordinator = services.organisationCoordinator;

  async function connectionsPage(request: FastifyRequest, extra: Omit<Parameters<typeof ConnectionsPage>[0], 'ctx' | 'clients' | 'webhooks'> = {}) {
    const { actor } = requireCoordinator(request);
    const [clients, webhooks] = [await coordinator.apiClients(actor), await coordinator.webhooks(actor)];
    const pages = { clients: pageParam(request, 'sleutels'), webhooks: pageParam(request, 'webhooks') };
    return <ConnectionsPage ctx={request.pageContext} clients={clients} webhooks={webhooks} pages={pages} {...extra} />;
  }

  const CONNECTION_NOTICES: Record<string, string> = {
    ingetrokken: 'De API-sleutel is ingetrokken. Het cliëntsysteem kan er niet meer mee bij SluiS.',
    'oud-ingetrokken': 'De oude API-sleutel is ingetrokken. De nieuwe sleutel werkt.',
    verwijderd: 'De webhook is verwijderd. Berichten die nog onderweg waren, zijn opgegeven; het cliëntsysteem kan ze nog ophalen via de gebeurtenissen-API.',
  };

  app.get('/organisatie/koppelingen', async (request, reply) => {
    const text = CONNECTION_NOTICES[queryParam(request, 'gedaan')];
    // A key or webhook form kept when the session ended comes back in its own form.
    const kept = await restoredFormOfPage(request);
    const restored =
      kept?.action === '/organisatie/koppelingen/sleutels'
        ? { clientName: field(kept.fields, 'naam') }
        : kept?.action === '/organisatie/koppelingen/webhooks'
          ? { webhookValues: webhookValuesOf(kept.fields) }
          : {};
    return sendPage(reply, await connectionsPage(request, { notice: text ? <Alert type="ok">{text}</Alert> : null, ...restored }));
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

  // Revoking a key cannot be undone: a confirmation page first (GET), the POST does it.
  app.get('/organisatie/koppelingen/sleutels/:id/intrekken', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const client = (await coordinator.apiClients(actor)).find((c) => c.id === idOf(request));
    if (!client) throw notFound();
    return sendPage(reply, <RevokeKeyPage ctx={request.pageContext} client={client} />);
  });

  app.post('/organisatie/koppelingen/sleutels/:id/intrekken', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    await coordinator.revokeApiClient(actor, idOf(request));
    return redirect(reply, '/organisatie/koppelingen?gedaan=ingetrokken');
  });

  /** The client of the path, among the organisation's own; 404 otherwise. */
  async function ownClient(request: FastifyRequest) {
    const { actor } = requireCoordinator(request);
    const client = (await coordinator.apiClients(actor)).find((c) => c.id === idOf(request));
    if (!client) throw notFound();
    return { actor, client };
  }

  app.get('/organisatie/koppelingen/sleutels/:id/vervangen', async (request, reply) => {
    const { client } = await ownClient(request);
    return sendPage(reply, <ReplaceKeyPage ctx={request.pageContext} client={client} />);
  });

  app.post('/organisatie/koppelingen/sleutels/:id/vervangen', async (request, reply) => {
    const { actor, client } = await ownClient(request);
    const days = field(request.body, 'dagen').trim();
    if (!/^\d{1,2}$/.test(days) || Number(days) > MAX_OVERLAP_DAYS) {
      const error = `Vul een aantal dagen in van 0 tot ${MAX_OVERLAP_DAYS}.`;
      return sendPage(reply, <ReplaceKeyPage ctx={request.pageContext} client={client} days={days} error={error} />, 422);
    }
    let issued: Awaited<ReturnType<CoordinatorService['issueApiToken']>>;
    try {
      issued = await coordinator.issueApiToken(actor, client.id, Number(days));
    } catch (error) {
      if (!isProblem(error, 409)) throw error;
      // Another tab replaced or revoked it in the meantime: the page as it is now, saying why.
      const now = (await coordinator.apiClients(actor)).find((c) => c.id === client.id) ?? client;
      return sendPage(reply, <ReplaceKeyPage ctx={request.pageContext} client={now} />, 409);
    }
    const old = issued.tokens.find((k) => k.expiresAt);
    reply.header('cache-control', 'no-store');
    return sendPage(
      reply,
      <SecretPage
        ctx={request.pageContext}
        title="Nieuwe API-sleutel"
        label="Nieuwe API-sleutel (token)"
        secret={issued.token}
        intro={
          <>
            De nieuwe API-sleutel voor <strong>{issued.name}</strong>. Het cliëntsysteem stuurt hem mee in elk verzoek:{' '}
            <code class="utrecht-code">Authorization: Bearer &lt;sleutel&gt;</code>.
          </>
        }
        extra={
          <Paragraph>
            {old?.expiresAt ? (
              <>
                De oude sleutel ({old.keyId}) werkt nog tot <TimeText at={old.expiresAt} withTime />, zodat u het cliëntsysteem rustig kunt omzetten.
              </>
            ) : (
              'De oude sleutel werkt niet meer.'
            )}
          </Paragraph>
        }
      />,
    );
  });

  app.get('/organisatie/koppelingen/sleutels/:id/oud/:tokenId/intrekken', async (request, reply) => {
    const { client } = await ownClient(request);
    const token = client.tokens.find((k) => k.id === (request.params as { tokenId: string }).tokenId && k.expiresAt);
    if (!token) throw notFound();
    return sendPage(reply, <RevokeOldKeyPage ctx={request.pageContext} client={client} token={token} />);
  });

  app.post('/organisatie/koppelingen/sleutels/:id/oud/:tokenId/intrekken', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    try {
      await coordinator.revokeApiToken(actor, idOf(request), (request.params as { tokenId: string }).tokenId);
    } catch (error) {
      // Revoked or ended already, or the newest: nothing old to revoke here.
      if (isProblem(error, 409)) throw notFound();
      throw error;
    }
    return redirect(reply, '/organisatie/koppelingen?gedaan=oud-ingetrokken');
  });

  app.post('/organisatie/koppelingen/webhooks', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const values = webhookValuesOf(request.body);
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

  app.get('/organisatie/koppelingen/webhooks/:id/verwijderen', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    const webhook = (await coordinator.webhooks(actor)).find((w) => w.id === idOf(request));
    if (!webhook) throw notFound();
    return sendPage(reply, <RemoveWebhookPage ctx={request.pageContext} webhook={webhook} />);
  });

  app.post('/organisatie/koppelingen/webhooks/:id/verwijderen', async (request, reply) => {
    const { actor } = requireCoordinator(request);
    await coordinator.removeWebhook(actor, idOf(request));
    return redirect(reply, '/organisatie/koppelingen?gedaan=verwijderd');
  });
}
