/**
 * Signing in and out: the password, the second factor (a code or a recovery code), linking the
 * authenticator app at the first sign-in.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { KEPT_FORM_MINUTES, type WebSessionEndReason } from '../../accounts/kept-forms.ts';
import { Alert, Button, ErrorSummary, Form, Paragraph, TextField } from '../components.tsx';
import { Fragment, type Html, h, raw } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, redirect, sendPage } from '../web-context.ts';
import { back, homeOf, signInLimit, TextPage } from './account-shared.tsx';

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
        <SignInForm ctx={props.ctx} email={props.email} back={props.back} autofocus />
      </div>
    </Page>
  );
}

function SignInForm(props: { ctx: PageContext; email?: string | undefined; back: string; autofocus: boolean }): Html {
  return (
    <Form action={`/inloggen${props.back !== '/' ? `?terug=${encodeURIComponent(props.back)}` : ''}`} csrf={props.ctx.csrf}>
      <TextField
        id="email"
        label="E-mailadres"
        type="email"
        autocomplete="username"
        value={props.email ?? ''}
        inputmode="email"
        maxlength={254}
        autofocus={props.autofocus && !props.email}
      />
      <TextField
        id="wachtwoord"
        label="Wachtwoord"
        type="password"
        autocomplete="current-password"
        maxlength={200}
        autofocus={props.autofocus && Boolean(props.email)}
      />
      <div class="sluis-actions">
        <Button>Inloggen</Button>
        <a class="utrecht-link" href="/wachtwoord/vergeten">
          Wachtwoord vergeten?
        </a>
      </div>
    </Form>
  );
}

/**
 * A form was posted after the session ended (web-plugin.ts): why the user is signed out, whether what
 * they typed was kept, and signing in again right here, back to the form's page.
 */
export function SignedOutPage(props: {
  ctx: PageContext;
  reason: WebSessionEndReason | null;
  kept: boolean;
  back: string;
  idleMinutes: number;
  absoluteHours: number;
}): Html {
  const why =
    props.reason === 'idle'
      ? `U heeft ${props.idleMinutes} minuten niets naar SluiS gestuurd. Daarom bent u automatisch uitgelogd.`
      : props.reason === 'expired'
        ? `U was langer dan ${props.absoluteHours} uur ingelogd. Daarom bent u automatisch uitgelogd.`
        : props.reason === 'signed_out_everywhere' || props.reason === 'password_changed'
          ? 'U bent uitgelogd, omdat u op een ander apparaat ‘Overal uitloggen’ koos of uw wachtwoord veranderde.'
          : 'U bent niet meer ingelogd.';
  return (
    <Page ctx={{ ...props.ctx, user: undefined }} title="U bent uitgelogd">
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">U bent uitgelogd</h1>
        <Alert type="warning" role="status">
          <p class="utrecht-paragraph">{why}</p>
          <p class="utrecht-paragraph">
            {props.kept
              ? `Uw formulier is nog niet verstuurd. Wat u had ingevuld is ${KEPT_FORM_MINUTES} minuten voor u bewaard (zonder wachtwoorden en codes). Log hieronder opnieuw in: dan ziet u het formulier weer, ingevuld, en verstuurt u het zelf opnieuw.`
              : 'Uw formulier is niet verstuurd en niet bewaard. Log opnieuw in en vul het formulier opnieuw in.'}
          </p>
        </Alert>
        <h2 class="utrecht-heading-2">Opnieuw inloggen</h2>
        <SignInForm ctx={props.ctx} back={props.back} autofocus={false} />
      </div>
    </Page>
  );
}

const LOCKED = 'Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw, of kies een nieuw wachtwoord via "Wachtwoord vergeten?".';
const INVALID = 'Het e-mailadres of het wachtwoord klopt niet.';
const REUSED = 'Deze code is al gebruikt. Wacht tot uw app een nieuwe code laat zien (dat duurt hoogstens een halve minuut) en vul die in.';
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

/** The sign-in pages. */
export async function signInPages(app: FastifyInstance, { services, signInRateLimitPerMinute }: PageOptions) {
  const { accounts } = services;
  const limited = signInLimit(signInRateLimitPerMinute);

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
    // The cookie this browser still had: a form kept for its ended session goes on only with the same account.
    const result = await accounts.signInWithPassword(email, password, request.id, request.sessionToken);
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
      if (result.reason === 'reused') return sendPage(reply, <CodePage ctx={request.pageContext} error={REUSED} />, 422);
      reply.setSession(null);
      return sendPage(
        reply,
        <SignInPage ctx={{ ...request.pageContext }} back="/" message={result.reason === 'locked' ? LOCKED : 'Het inloggen duurde te lang. Begin opnieuw.'} />,
        result.reason === 'locked' ? 429 : 401,
      );
    }
    reply.setSession(result.sessionToken);
    // Back to a form kept when the session ended, else where the sign-in began.
    return redirect(reply, result.resume ?? back(request));
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
    const next = result.resume ?? (session?.user.kind === 'staff' ? '/beheer' : back(request));
    return sendPage(reply, <RecoveryCodesPage ctx={ctx} codes={result.recoveryCodes} next={next} />);
  });

  // The keep-alive behind "Ingelogd blijven" (sluis.js): the web plugin has already touched the session
  // (after its CSRF check); without a live session it answers 401 and does nothing.
  app.post('/sessie/verlengen', async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return reply.status(request.webSession?.stage === 'signed_in' ? 204 : 401).send();
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
}
