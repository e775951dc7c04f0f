/**
 * Signing in and out, the second factor (and linking the authenticator app), choosing a password
 * through an invitation or reset link, the account page, and the few pages anyone may see.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { actorFor } from '../../accounts/account-service.ts';
import { passwordProblems } from '../../accounts/sign-in-rules.ts';
import { isEmailAddress } from '../../shared/email.ts';
import { Problem } from '../../shared/errors.ts';
import { Alert, Button, ErrorSummary, Form, Paragraph, TextField, TimeText } from '../components.tsx';
import { Fragment, type Html, h, raw } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, notFound, queryParam, redirect, requireUser, safeReturnPath, sendPage } from '../web-context.ts';

const homeOf = (request: FastifyRequest) => {
  const user = request.webSession?.user;
  if (user?.kind !== 'staff') return '/';
  return !user.roles.includes('municipality_admin') && user.roles.includes('escalation_officer') ? '/regie' : '/beheer';
};

function SignInPage(props: { ctx: PageContext; email?: string; message?: Html | string; back: string }): Html {
  return (
    <Page ctx={props.ctx} title="Inloggen">
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Inloggen</h1>
        <Paragraph lead>Log in met uw e-mailadres en wachtwoord. Daarna vraagt SluiS de code uit uw authenticator-app.</Paragraph>
        {props.message ? (
          <Alert type="error" role="alert">
            {props.message}
          </Alert>
        ) : null}
        <Form action={`/inloggen${props.back !== '/' ? `?terug=${encodeURIComponent(props.back)}` : ''}`} csrf={props.ctx.csrf}>
          <TextField
            id="email"
            label="E-mailadres"
            type="email"
            autocomplete="username"
            value={props.email ?? ''}
            inputmode="email"
            maxlength={254}
            autofocus={!props.email}
          />
          <TextField id="wachtwoord" label="Wachtwoord" type="password" autocomplete="current-password" maxlength={200} autofocus={Boolean(props.email)} />
          <div class="sluis-actions">
            <Button>Inloggen</Button>
            <a class="utrecht-link" href="/wachtwoord/vergeten">
              Wachtwoord vergeten?
            </a>
          </div>
        </Form>
      </div>
    </Page>
  );
}

const LOCKED = 'Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw, of kies een nieuw wachtwoord via "Wachtwoord vergeten?".';
const INVALID = 'Het e-mailadres of het wachtwoord klopt niet.';
const INACTIVE = 'Uw account is niet (meer) actief, of uw organisatie doet op dit moment niet mee. Neem contact op met de coördinator van uw organisatie.';

function CodePage(props: { ctx: PageContext; error?: string }): Html {
  const errors = props.error ? { code: props.error } : {};
  return (
    <Page ctx={props.ctx} title={props.error ? 'Fout: code invullen' : 'Code invullen'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Code uit uw app</h1>
        <Paragraph>
          Open de authenticator-app op uw telefoon en vul de code van 6 cijfers in die bij SluiS staat. Heeft u uw telefoon niet bij de hand? Vul dan een van uw
          herstelcodes in.
        </Paragraph>
        <Paragraph>
          Telefoon én herstelcodes kwijt? Vraag de coördinator van uw organisatie (of, als u bij de gemeente werkt, de functioneel beheerder) om uw tweede
          factor opnieuw in te stellen.
        </Paragraph>
        <Form action="/inloggen/code" csrf={props.ctx.csrf} errors={errors}>
          <TextField id="code" label="Code" autocomplete="one-time-code" inputmode="numeric" width="s" maxlength={20} error={props.error} autofocus />
          <div class="sluis-actions">
            <Button>Verder</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

function EnrolPage(props: { ctx: PageContext; qrSvg: string; secretGroups: string; error?: string }): Html {
  const errors = props.error ? { code: props.error } : {};
  return (
    <Page ctx={props.ctx} title={props.error ? 'Fout: app koppelen' : 'App koppelen'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Koppel uw authenticator-app</h1>
        <ErrorSummary errors={errors} />
        <Paragraph>
          Bij SluiS logt u altijd in met een tweede stap: een code uit een app op uw telefoon (bijvoorbeeld Microsoft Authenticator, Google Authenticator of
          FreeOTP).
        </Paragraph>
        <ol class="utrecht-ordered-list sluis-steps">
          <li class="utrecht-ordered-list__item">Open de app en kies "account toevoegen".</li>
          <li class="utrecht-ordered-list__item">Scan deze QR-code, of typ de sleutel eronder over.</li>
          <li class="utrecht-ordered-list__item">Vul de code van 6 cijfers in die de app laat zien.</li>
        </ol>
        <figure class="sluis-qr">
          {raw(props.qrSvg.replace('<svg ', '<svg role="img" aria-label="QR-code om SluiS aan uw authenticator-app toe te voegen" '))}
          <figcaption class="utrecht-paragraph">
            Sleutel: <code class="utrecht-code sluis-secret">{props.secretGroups}</code>
          </figcaption>
        </figure>
        <Form action="/inloggen/koppelen" csrf={props.ctx.csrf}>
          <TextField id="code" label="Code uit de app" autocomplete="one-time-code" inputmode="numeric" width="s" maxlength={10} error={props.error} />
          <div class="sluis-actions">
            <Button>App koppelen</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

function RecoveryCodesPage(props: { ctx: PageContext; codes: string[]; next: string }): Html {
  return (
    <Page ctx={props.ctx} title="Uw herstelcodes">
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Uw herstelcodes</h1>
        <Alert type="ok">Uw app is gekoppeld. U bent ingelogd.</Alert>
        <Paragraph>
          Bewaar deze codes op een veilige plek, niet op uw telefoon. Raakt u uw telefoon kwijt, dan logt u met één van deze codes in. Elke code werkt één keer.
          U ziet ze alleen nu.
        </Paragraph>
        <ul class="sluis-recovery-codes" aria-label="Herstelcodes">
          {props.codes.map((c) => (
            <li>
              <code class="utrecht-code">{c}</code>
            </li>
          ))}
        </ul>
        <div class="sluis-actions">
          <a class="utrecht-button-link utrecht-button-link--html-a utrecht-button-link--primary-action" href={props.next}>
            Ik heb ze bewaard, verder
          </a>
        </div>
      </div>
    </Page>
  );
}

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

function AccountPage(props: { ctx: PageContext; done?: boolean; devMailbox?: boolean }): Html {
  const user = props.ctx.user!;
  return (
    <Page ctx={props.ctx} title="Uw account">
      <h1 class="utrecht-heading-1">Uw account</h1>
      {props.done ? <Alert type="ok">U bent op alle andere apparaten uitgelogd.</Alert> : null}
      <dl class="utrecht-data-list sluis-data-list">
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">Naam</dt>
          <dd class="utrecht-data-list__item-value">{user.name}</dd>
        </div>
        <div class="utrecht-data-list__item">
          <dt class="utrecht-data-list__item-key">E-mailadres</dt>
          <dd class="utrecht-data-list__item-value">{user.email}</dd>
        </div>
        {user.kind === 'professional' ? (
          <div class="utrecht-data-list__item">
            <dt class="utrecht-data-list__item-key">Organisatie</dt>
            <dd class="utrecht-data-list__item-value">
              {user.organisationName}
              {user.coordinator ? ' (coördinator)' : ''}
            </dd>
          </div>
        ) : null}
      </dl>
      {props.devMailbox ? (
        <Alert type="info">
          Er is geen mailserver ingesteld.{' '}
          <a class="utrecht-link" href="/account/mail">
            Bekijk de mails die SluiS u stuurde
          </a>{' '}
          in het ontwikkelpostvak.
        </Alert>
      ) : null}
      <h2 class="utrecht-heading-2">Overal uitloggen</h2>
      <Paragraph>Bent u uw telefoon kwijt, of bent u op een andere computer vergeten uit te loggen? Log dan overal uit, ook hier.</Paragraph>
      <Form action="/account/overal-uitloggen" csrf={props.ctx.csrf}>
        <Button kind="secondary">Overal uitloggen</Button>
      </Form>
      <h2 class="utrecht-heading-2">Wachtwoord wijzigen</h2>
      <Paragraph>
        U krijgt een mail met een link om een nieuw wachtwoord te kiezen.{' '}
        <a class="utrecht-link" href="/wachtwoord/vergeten">
          Link aanvragen
        </a>
      </Paragraph>
    </Page>
  );
}

function OwnMailPage(props: { ctx: PageContext; mails: { id: number; receivedAt: Date; subject: string; text: string }[] }): Html {
  return (
    <Page ctx={props.ctx} title="Mijn mail (ontwikkelpostvak)">
      <h1 class="utrecht-heading-1">Mijn mail</h1>
      <Alert type="info">
        Deze SluiS heeft geen mailserver: mails komen in het ontwikkelpostvak. Hier ziet u de mails die aan u ({props.ctx.user!.email}) zijn verstuurd. Met een
        mailserver komen ze gewoon in uw mailbox.
      </Alert>
      {props.mails.length === 0 ? <Paragraph class="sluis-empty">Er zijn nog geen mails aan u verstuurd.</Paragraph> : null}
      {props.mails.map((mail) => (
        <article class="sluis-card sluis-mail" aria-labelledby={`mail-${mail.id}`}>
          <h2 class="utrecht-heading-3" id={`mail-${mail.id}`}>
            {mail.subject}
          </h2>
          <p class="utrecht-paragraph sluis-mail__meta">
            <TimeText at={mail.receivedAt} withTime />
          </p>
          <pre class="sluis-mail__body">{mail.text}</pre>
        </article>
      ))}
    </Page>
  );
}

function TextPage(props: { ctx: PageContext; title: string; children?: Html | Html[] }): Html {
  return (
    <Page ctx={props.ctx} title={props.title}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">{props.title}</h1>
        {props.children}
      </div>
    </Page>
  );
}

export async function accountPages(app: FastifyInstance, { services, signInRateLimitPerMinute }: PageOptions) {
  const { accounts } = services;
  // Per client IP, on top of the per-address lockout: slows down guessing across many addresses.
  const limited = {
    config: { rateLimit: { max: signInRateLimitPerMinute ?? 30, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.ip } },
  };
  const back = (request: FastifyRequest) => safeReturnPath(queryParam(request, 'terug') || '/');

  app.get('/inloggen', async (request, reply) => {
    if (request.webSession?.stage === 'signed_in') return redirect(reply, homeOf(request));
    return sendPage(reply, <SignInPage ctx={request.pageContext} back={back(request)} />);
  });

  app.post('/inloggen', limited, async (request, reply) => {
    const email = field(request.body, 'email');
    const password = (request.body as Record<string, unknown>).wachtwoord;
    if (!email || typeof password !== 'string' || !password) {
      return sendPage(
        reply,
        <SignInPage ctx={request.pageContext} email={email} back={back(request)} message="Vul uw e-mailadres en uw wachtwoord in." />,
        422,
      );
    }
    const result = await accounts.signInWithPassword(email, password, request.id);
    if (!result.ok) {
      const message = result.reason === 'locked' ? LOCKED : result.reason === 'inactive' ? INACTIVE : INVALID;
      return sendPage(
        reply,
        <SignInPage ctx={request.pageContext} email={email} back={back(request)} message={message} />,
        result.reason === 'locked' ? 429 : 401,
      );
    }
    reply.setSession(result.sessionToken);
    const next = result.next === 'enrolment' ? '/inloggen/koppelen' : '/inloggen/code';
    return redirect(reply, back(request) === '/' ? next : `${next}?terug=${encodeURIComponent(back(request))}`);
  });

  const pendingOnly = (request: FastifyRequest, reply: FastifyReply) => {
    const session = request.webSession;
    if (session?.stage === 'signed_in') return redirect(reply, homeOf(request));
    if (!session) return redirect(reply, '/inloggen');
    return undefined;
  };

  app.get('/inloggen/code', async (request, reply) => {
    const done = pendingOnly(request, reply);
    if (done) return done;
    if (!request.webSession!.enrolled) return redirect(reply, '/inloggen/koppelen');
    return sendPage(reply, <CodePage ctx={request.pageContext} />);
  });

  app.post('/inloggen/code', limited, async (request, reply) => {
    const done = pendingOnly(request, reply);
    if (done) return done;
    const result = await accounts.verifySecondFactor(request.sessionToken ?? '', field(request.body, 'code'), request.id);
    if (!result.ok) {
      if (result.reason === 'invalid')
        return sendPage(reply, <CodePage ctx={request.pageContext} error="Deze code klopt niet. Vul de code in die uw app nu laat zien." />, 422);
      reply.setSession(null);
      return sendPage(
        reply,
        <SignInPage ctx={{ ...request.pageContext }} back="/" message={result.reason === 'locked' ? LOCKED : 'Het inloggen duurde te lang. Begin opnieuw.'} />,
        result.reason === 'locked' ? 429 : 401,
      );
    }
    reply.setSession(result.sessionToken);
    return redirect(reply, back(request));
  });

  app.get('/inloggen/koppelen', async (request, reply) => {
    const done = pendingOnly(request, reply);
    if (done) return done;
    const details = await accounts.enrolment(request.sessionToken ?? '');
    if (!details) return redirect(reply, '/inloggen/code');
    return sendPage(reply, <EnrolPage ctx={request.pageContext} qrSvg={details.qrSvg} secretGroups={details.secretGroups} />);
  });

  app.post('/inloggen/koppelen', limited, async (request, reply) => {
    const done = pendingOnly(request, reply);
    if (done) return done;
    const token = request.sessionToken ?? '';
    const result = await accounts.confirmEnrolment(token, field(request.body, 'code'), request.id);
    if (!result.ok) {
      if (result.reason === 'expired') return redirect(reply, '/inloggen');
      const details = await accounts.enrolment(token);
      if (!details) return redirect(reply, '/inloggen');
      return sendPage(
        reply,
        <EnrolPage
          ctx={request.pageContext}
          qrSvg={details.qrSvg}
          secretGroups={details.secretGroups}
          error="Deze code klopt niet. Vul de code in die de app nu laat zien."
        />,
        422,
      );
    }
    reply.setSession(result.sessionToken);
    const session = await accounts.resolve(result.sessionToken, request.id);
    const ctx = { ...request.pageContext, user: session?.user, csrf: session?.csrfToken ?? '' };
    return sendPage(reply, <RecoveryCodesPage ctx={ctx} codes={result.recoveryCodes} next={session?.user.kind === 'staff' ? '/beheer' : back(request)} />);
  });

  app.post('/uitloggen', async (request, reply) => {
    const token = request.sessionToken;
    if (token) await accounts.signOut(token, request.id);
    reply.setSession(null);
    return sendPage(
      reply,
      <TextPage ctx={{ ...request.pageContext, user: undefined }} title="U bent uitgelogd">
        <p class="utrecht-paragraph">Tot ziens. Sluit op een gedeelde computer ook de browser.</p>
        <p class="utrecht-paragraph">
          <a class="utrecht-link" href="/inloggen">
            Opnieuw inloggen
          </a>
        </p>
      </TextPage>,
    );
  });

  app.get('/account', async (request, reply) => {
    requireUser(request);
    return sendPage(
      reply,
      <AccountPage ctx={request.pageContext} done={queryParam(request, 'klaar') === '1'} devMailbox={services.mail.kind === 'dev_mailbox'} />,
    );
  });

  // Development and demo only (no SMTP server configured): the mails SluiS sent to the signed-in user.
  app.get('/account/mail', async (request, reply) => {
    const user = requireUser(request);
    if (services.mail.kind !== 'dev_mailbox') throw notFound();
    const mails = await services.deliveries.ownDevMail(actorFor(user, request.id), user.email);
    return sendPage(reply, <OwnMailPage ctx={request.pageContext} mails={mails} />);
  });

  app.post('/account/overal-uitloggen', async (request, reply) => {
    const user = requireUser(request);
    await accounts.signOutEverywhere(user, request.id);
    reply.setSession(null);
    return redirect(reply, '/inloggen');
  });

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

  app.get('/offline', async (request, reply) =>
    sendPage(
      reply,
      <TextPage ctx={{ ...request.pageContext, user: undefined }} title="Geen verbinding">
        <p class="utrecht-paragraph">
          U heeft op dit moment geen internetverbinding. SluiS bewaart niets op uw telefoon; zodra u weer verbinding heeft, kunt u verder.
        </p>
      </TextPage>,
    ),
  );

  app.get('/privacy', async (request, reply) =>
    sendPage(
      reply,
      <TextPage ctx={request.pageContext} title="Privacy en uw rechten">
        <p class="utrecht-paragraph">
          SluiS is de verwijsindex van de gemeente. Professionals uit zorg, jeugdhulp, onderwijs, wonen, inkomen en veiligheid melden hierin alleen dát zij
          betrokken zijn bij een persoon, nooit wat er aan de hand is. Zo vinden zij elkaar en werken zij samen.
        </p>
        <p class="utrecht-paragraph">
          Het burgerservicenummer wordt versleuteld bewaard en aan niemand getoond. Elke inzage en wijziging wordt vastgelegd. Signalen vervallen vanzelf na de
          bewaartermijn.
        </p>
        <p class="utrecht-paragraph">
          Wilt u weten of en welke gegevens over u in SluiS staan, of wilt u bezwaar maken? Neem contact op met de gemeente; de functioneel beheerder zoekt het
          voor u uit en legt vast dat dit is gebeurd.
        </p>
      </TextPage>,
    ),
  );

  app.get('/toegankelijkheid', async (request, reply) =>
    sendPage(
      reply,
      <TextPage ctx={request.pageContext} title="Toegankelijkheid">
        <p class="utrecht-paragraph">
          SluiS is gebouwd met de componenten van het NL Design System en wordt bij elke wijziging automatisch getest op de eisen van WCAG 2.1 niveau AA. Alle
          pagina's werken zonder JavaScript, op een telefoon vanaf 320 pixels breed en met het toetsenbord.
        </p>
        <p class="utrecht-paragraph">Loopt u toch ergens tegenaan? Meld het bij de functioneel beheerder van de gemeente.</p>
      </TextPage>,
    ),
  );
}
