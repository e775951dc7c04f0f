/**
 * The pages for resetting someone's lost second factor, shared by the organisation coordinator
 * (/organisatie/professionals/<id>/tweede-factor) and the municipality administrator
 * (/beheer/medewerkers/<id>/tweede-factor): the confirmation page, its refusals and the two routes.
 * The rules (who may, whose, what happens) are in account-service.ts.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccountService, SecondFactorHolder, SecondFactorState } from '../accounts/account-service.ts';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { Problem } from '../shared/errors.ts';
import { Alert, Heading } from './components.tsx';
import { ConfirmPage } from './confirm-page.tsx';
import { type Html, h } from './html/jsx.ts';
import { Page, type PageContext } from './layout.tsx';
import { redirect, sendPage } from './web-context.ts';

export type ResetPageOptions = {
  /** Where the form posts to (the page's own path). */
  action: string;
  back: { href: string; label: string };
  /** Who to ask when one's own factor is lost and no recovery code is left. */
  askInstead: string;
};

/** The status after a reset: what happened and what the holder does next. */
export function resetDoneText(name: string): string {
  return (
    `De tweede factor van ${name} is opnieuw ingesteld. ${name} is op alle apparaten uitgelogd en krijgt hierover een e-mail. ` +
    `Bij de volgende keer inloggen met het eigen wachtwoord koppelt ${name} een nieuwe authenticator-app en krijgt nieuwe herstelcodes.`
  );
}

const BackLink = (props: { href: string; label: string }): Html => (
  <p class="utrecht-paragraph sluis-back">
    <a class="utrecht-link" href={props.href}>
      {props.label}
    </a>
  </p>
);

/** The confirmation page (the one confirmation pattern, confirm-page.tsx): first make sure the colleague is really asking, then a POST form (with CSRF). */
export function SecondFactorResetPage(props: { ctx: PageContext; holder: SecondFactorState; options: ResetPageOptions; refused?: boolean }): Html {
  const { name, email, state } = props.holder;
  const blocked =
    state === 'no_account'
      ? `${name} heeft geen actief account in SluiS. Er is geen tweede factor om opnieuw in te stellen.`
      : state === 'not_enrolled'
        ? `${name} heeft nog geen authenticator-app gekoppeld. Er is niets opnieuw in te stellen: bij de volgende keer inloggen met het wachtwoord koppelt ${name} zelf een app.`
        : undefined;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title={`Tweede factor van ${name} opnieuw instellen`}
      back={props.options.back}
      action={props.options.action}
      confirm="Ja, opnieuw instellen"
      blocked={blocked !== undefined}
      refusal={blocked}
      refusalTone={props.refused ? 'error' : 'info'}
      intro={`Is ${name} de telefoon met de authenticator-app kwijt, en ook de herstelcodes? Dan kan ${name} niet meer inloggen, en stelt u hier de tweede factor opnieuw in. Heeft ${name} nog een herstelcode, dan is dit niet nodig: daarmee kan ${name} gewoon inloggen.`}
      warning={{
        title: `Controleer eerst of het echt ${name} is`,
        body: `Doe dit alleen als ${name} er zelf om vraagt. Bel ${name} terug op een telefoonnummer dat u al kende, of spreek elkaar persoonlijk. Een e-mail of chatbericht is niet genoeg: wie het wachtwoord van ${name} kent, komt anders zo in SluiS.`,
      }}
      consequences={[
        `De gekoppelde authenticator-app en alle herstelcodes van ${name} werken niet meer.`,
        `${name} wordt op alle apparaten direct uitgelogd.`,
        `Het wachtwoord blijft hetzelfde. Bij de volgende keer inloggen koppelt ${name} een nieuwe authenticator-app en krijgt nieuwe herstelcodes.`,
        `${name} krijgt hierover een e-mail op ${email}.`,
        'De audit trail legt vast dat u dit heeft gedaan.',
      ]}
      irreversible="De oude koppeling en de oude herstelcodes komen niet terug."
      question={`Weet u zeker dat u de tweede factor van ${name} (${email}) opnieuw wilt instellen?`}
    />
  );
}

/** One's own second factor: not this way. */
export function OwnSecondFactorPage(props: { ctx: PageContext; options: ResetPageOptions }): Html {
  return (
    <Page ctx={props.ctx} title="Dat kan niet">
      <div class="sluis-narrow">
        <BackLink href={props.options.back.href} label={props.options.back.label} />
        <Heading>Dat kan niet</Heading>
        <Alert type="error">
          U kunt uw eigen tweede factor niet zo opnieuw instellen. Heeft u uw telefoon niet bij de hand? Log dan in met een van uw herstelcodes. Heeft u die ook
          niet meer, vraag het dan {props.options.askInstead}.
        </Alert>
      </div>
    </Page>
  );
}

const isOwnSecondFactor = (error: unknown): error is Problem => error instanceof Problem && error.code === 'own_second_factor';
const isNotEnrolled = (error: unknown): error is Problem => error instanceof Problem && error.code === 'not_enrolled';

/**
 * The confirmation page (GET) and the reset (POST) at `<base>/:id/tweede-factor`, for the coordinator's
 * professionals and the administrator's staff alike: `actorOf` requires the role, the account service
 * decides whose factor that actor may reset, and `done` is where the POST sends the browser after.
 */
export function secondFactorResetRoutes(
  app: FastifyInstance,
  accounts: AccountService,
  route: {
    base: string;
    actorOf: (request: FastifyRequest) => ProfessionalActor | StaffActor;
    holderOf: (id: string) => SecondFactorHolder;
    options: (id: string) => ResetPageOptions;
    done: (id: string) => string;
  },
) {
  const path = `${route.base}/:id/tweede-factor`;
  const idOf = (request: FastifyRequest) => (request.params as { id: string }).id;
  const own = (request: FastifyRequest, reply: FastifyReply, id: string) =>
    sendPage(reply, <OwnSecondFactorPage ctx={request.pageContext} options={route.options(id)} />, 409);

  app.get(path, async (request, reply) => {
    const actor = route.actorOf(request);
    const id = idOf(request);
    try {
      const holder = await accounts.secondFactorOf(actor, route.holderOf(id));
      return sendPage(reply, <SecondFactorResetPage ctx={request.pageContext} holder={holder} options={route.options(id)} />);
    } catch (error) {
      if (isOwnSecondFactor(error)) return own(request, reply, id);
      throw error;
    }
  });

  app.post(path, async (request, reply) => {
    const actor = route.actorOf(request);
    const id = idOf(request);
    try {
      await accounts.resetSecondFactor(actor, route.holderOf(id));
    } catch (error) {
      if (isOwnSecondFactor(error)) return own(request, reply, id);
      if (!isNotEnrolled(error)) throw error;
      const holder = await accounts.secondFactorOf(actor, route.holderOf(id));
      return sendPage(reply, <SecondFactorResetPage ctx={request.pageContext} holder={holder} options={route.options(id)} refused />, 409);
    }
    return redirect(reply, route.done(id));
  });
}
