/**
 * Choosing a password: asking for a reset link, and setting a password through an invitation or reset link.
 */
import type { FastifyInstance } from 'fastify';
import { isEmailAddress } from '../../shared/email.ts';
import { Alert, Button, Form, Paragraph, TextField } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, queryParam, sendPage } from '../web-context.ts';
import { signInLimit, TextPage } from './account-shared.tsx';

function ForgotPage(props: { ctx: PageContext; sent?: boolean; email?: string; error?: string }): Html {
  return (
    <Page ctx={props.ctx} title="Wachtwoord vergeten">
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Wachtwoord vergeten</h1>
        {props.sent ? (
          <Alert type="ok" title="Kijk in uw mail">
            Als dit e-mailadres bij SluiS bekend is, krijgt u binnen enkele minuten een mail met een link om een nieuw wachtwoord te kiezen. De link is een uur
            geldig.
          </Alert>
        ) : (
          <>
            <Paragraph>Vul uw e-mailadres in. U krijgt een mail met een link om een nieuw wachtwoord te kiezen.</Paragraph>
            <Form action="/wachtwoord/vergeten" csrf={props.ctx.csrf} errors={props.error ? { email: props.error } : {}}>
              <TextField
                id="email"
                label="E-mailadres"
                type="email"
                autocomplete="username"
                inputmode="email"
                maxlength={254}
                value={props.email ?? ''}
                error={props.error}
              />
              <div class="sluis-actions">
                <Button>Stuur mij een link</Button>
              </div>
            </Form>
          </>
        )}
        <p class="utrecht-paragraph">
          <a class="utrecht-link" href="/inloggen">
            Terug naar inloggen
          </a>
        </p>
      </div>
    </Page>
  );
}

function SetPasswordPage(props: {
  ctx: PageContext;
  token: string;
  purpose: 'invitation' | 'password_reset' | undefined;
  email?: string;
  problems?: string[];
}): Html {
  if (!props.purpose) {
    return (
      <Page ctx={props.ctx} title="Link verlopen">
        <div class="sluis-narrow">
          <h1 class="utrecht-heading-1">Deze link werkt niet meer</h1>
          <Paragraph>De link is verlopen of al gebruikt. Vraag een nieuwe aan.</Paragraph>
          <p class="utrecht-paragraph">
            <a class="utrecht-link" href="/wachtwoord/vergeten">
              Nieuwe link aanvragen
            </a>
          </p>
        </div>
      </Page>
    );
  }
  const error = props.problems?.join(' ');
  return (
    <Page ctx={props.ctx} title={error ? 'Fout: wachtwoord kiezen' : 'Wachtwoord kiezen'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">{props.purpose === 'invitation' ? 'Welkom bij SluiS' : 'Nieuw wachtwoord'}</h1>
        <Paragraph>
          Kies een wachtwoord voor <strong>{props.email}</strong>. Een zin van een paar woorden is sterk en goed te onthouden.
        </Paragraph>
        {props.purpose === 'invitation' ? (
          <Paragraph>Daarna logt u in en koppelt u een authenticator-app op uw telefoon. Die geeft de code die SluiS bij elke keer inloggen vraagt.</Paragraph>
        ) : null}
        <Form action="/wachtwoord/instellen" csrf={props.ctx.csrf} errors={error ? { wachtwoord: error } : {}}>
          <input type="hidden" name="link" value={props.token} />
          <input type="text" name="username" value={props.email} autocomplete="username" hidden />
          <TextField
            id="wachtwoord"
            label="Nieuw wachtwoord"
            type="password"
            autocomplete="new-password"
            maxlength={200}
            error={error}
            description="Minstens 12 tekens. Gebruik niet uw e-mailadres."
          />
          <div class="sluis-actions">
            <Button>Wachtwoord opslaan</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

/** The password pages. */
export async function passwordPages(app: FastifyInstance, { services, signInRateLimitPerMinute }: PageOptions) {
  const { accounts } = services;
  const limited = signInLimit(signInRateLimitPerMinute);

  app.get('/wachtwoord/vergeten', async (request, reply) => sendPage(reply, <ForgotPage ctx={request.pageContext} />));

  app.post('/wachtwoord/vergeten', limited, async (request, reply) => {
    const email = field(request.body, 'email');
    if (!isEmailAddress(email)) {
      return sendPage(reply, <ForgotPage ctx={request.pageContext} email={email} error="Vul een e-mailadres in, zoals naam@organisatie.nl." />, 422);
    }
    await accounts.requestPasswordReset(email, request.id);
    return sendPage(reply, <ForgotPage ctx={request.pageContext} sent />);
  });

  app.get('/wachtwoord/instellen', async (request, reply) => {
    const token = queryParam(request, 'link');
    const link = await accounts.link(token);
    return sendPage(reply, <SetPasswordPage ctx={request.pageContext} token={token} purpose={link?.purpose} email={link?.email} />, link ? 200 : 410);
  });

  app.post('/wachtwoord/instellen', limited, async (request, reply) => {
    const token = field(request.body, 'link');
    const password = (request.body as Record<string, unknown>).wachtwoord;
    const link = await accounts.link(token);
    if (!link) return sendPage(reply, <SetPasswordPage ctx={request.pageContext} token={token} purpose={undefined} />, 410);
    const result = await accounts.setPassword(token, typeof password === 'string' ? password : '', request.id);
    if (!result.ok)
      return sendPage(
        reply,
        <SetPasswordPage ctx={request.pageContext} token={token} purpose={link.purpose} email={link.email} problems={result.problems} />,
        422,
      );
    reply.setSession(null);
    return sendPage(
      reply,
      <TextPage ctx={{ ...request.pageContext, user: undefined }} title="Wachtwoord opgeslagen">
        <Alert type="ok">Uw wachtwoord is opgeslagen. U bent overal uitgelogd.</Alert>
        <p class="utrecht-paragraph">
          <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href="/inloggen">
            Inloggen
          </a>
        </p>
      </TextPage>,
    );
  });
}
