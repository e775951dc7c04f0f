/**
 * Setting up SluiS (/inrichten): the first administrator, with the one-time code SluiS printed at its first start.
 */
import type { FastifyInstance } from 'fastify';
import { passwordProblems } from '../../accounts/sign-in-rules.ts';
import { isEmailAddress } from '../../shared/email.ts';
import { Problem } from '../../shared/errors.ts';
import { Alert, Button, Form, Paragraph, TextField } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, notFound, sendPage } from '../web-context.ts';
import { signInLimit } from './account-shared.tsx';

function SetupPage(props: { ctx: PageContext; values?: Record<string, string>; errors?: Record<string, string | undefined>; token?: string }): Html {
  if (props.token) {
    return (
      <Page ctx={props.ctx} title="SluiS is ingericht">
        <div class="sluis-narrow">
          <h1 class="utrecht-heading-1">SluiS is ingericht</h1>
          <Alert type="ok">U bent de eerste functioneel beheerder. Log nu in; SluiS vraagt u daarna een authenticator-app te koppelen.</Alert>
          <Paragraph>Uw API-token voor beheer via de API (wordt maar één keer getoond; bewaar het veilig of gebruik het niet):</Paragraph>
          <p class="utrecht-paragraph">
            <code class="utrecht-code sluis-secret">{props.token}</code>
          </p>
          <div class="sluis-actions">
            <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href="/inloggen">
              Inloggen
            </a>
          </div>
        </div>
      </Page>
    );
  }
  const v = props.values ?? {};
  const e = props.errors ?? {};
  return (
    <Page ctx={props.ctx} title={Object.values(e).some(Boolean) ? 'Fout: SluiS inrichten' : 'SluiS inrichten'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">SluiS inrichten</h1>
        <Paragraph>Maak de eerste functioneel beheerder aan met de eenmalige code die SluiS bij het starten liet zien.</Paragraph>
        <Form action="/inrichten" csrf={props.ctx.csrf} errors={e}>
          <TextField id="code" label="Eenmalige code" value={v.code ?? ''} width="m" maxlength={40} error={e.code} autocomplete="off" />
          <TextField id="naam" label="Uw naam" value={v.naam ?? ''} maxlength={200} error={e.naam} autocomplete="name" />
          <TextField id="email" label="E-mailadres" type="email" value={v.email ?? ''} maxlength={254} error={e.email} autocomplete="username" />
          <TextField
            id="wachtwoord"
            label="Wachtwoord"
            type="password"
            maxlength={200}
            error={e.wachtwoord}
            autocomplete="new-password"
            description="Minstens 12 tekens. Gebruik niet uw e-mailadres."
          />
          <div class="sluis-actions">
            <Button>Inrichten</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

/** The set-up pages. */
export async function setupPages(app: FastifyInstance, { services, signInRateLimitPerMinute }: PageOptions) {
  const { accounts } = services;
  const limited = signInLimit(signInRateLimitPerMinute);

  app.get('/inrichten', async (request, reply) => {
    if (await services.staff.hasAdministrator()) throw notFound();
    return sendPage(reply, <SetupPage ctx={request.pageContext} />);
  });

  app.post('/inrichten', limited, async (request, reply) => {
    if (await services.staff.hasAdministrator()) throw notFound();
    const values = { code: field(request.body, 'code'), naam: field(request.body, 'naam'), email: field(request.body, 'email') };
    const password = (request.body as Record<string, unknown>).wachtwoord;
    const errors: Record<string, string | undefined> = {
      code: values.code.length < 10 ? 'Vul de eenmalige code in die SluiS bij het starten liet zien.' : undefined,
      naam: values.naam ? undefined : 'Vul uw naam in.',
      email: isEmailAddress(values.email) ? undefined : 'Vul een e-mailadres in, zoals naam@gemeente.nl.',
      wachtwoord: passwordProblems(typeof password === 'string' ? password : '', values.email).join(' ') || undefined,
    };
    if (Object.values(errors).some(Boolean)) return sendPage(reply, <SetupPage ctx={request.pageContext} values={values} errors={errors} />, 422);
    try {
      const created = await services.staff.completeSetup(values.code, { name: values.naam, email: values.email }, request.id);
      await accounts.createAccountWithPassword({ staffMemberId: created.id }, created.email, password as string);
      return sendPage(reply, <SetupPage ctx={request.pageContext} token={created.token} />, 201);
    } catch (error) {
      if (error instanceof Problem && error.status === 403) {
        return sendPage(
          reply,
          <SetupPage
            ctx={request.pageContext}
            values={values}
            errors={{ code: 'Deze code is onbekend, al gebruikt of verlopen. Start SluiS opnieuw voor een nieuwe code.' }}
          />,
          422,
        );
      }
      throw error;
    }
  });
}
