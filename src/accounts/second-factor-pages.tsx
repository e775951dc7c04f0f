/**
 * The pages for resetting someone's lost second factor, shared by the organisation coordinator
 * (/organisatie/professionals/<id>/tweede-factor) and the municipality administrator
 * (/beheer/medewerkers/<id>/tweede-factor): the confirmation page and its refusals. The routes live
 * with those pages; the rules (who may, whose, what happens) in account-service.ts.
 */
import { Problem } from '../shared/errors.ts';
import { Alert, Button, Form, Heading, Paragraph } from '../web/components.tsx';
import { Fragment, h, type Html } from '../web/html/jsx.ts';
import { Page, type PageContext } from '../web/layout.tsx';
import type { SecondFactorState } from './account-service.ts';

export type ResetPageOptions = {
  /** Where the form posts to (the page's own path). */
  action: string;
  back: { href: string; label: string };
  /** Who to ask when one's own factor is lost and no recovery code is left. */
  askInstead: string;
};

/** The status after a reset: what happened and what the holder does next. */
export function resetDoneText(name: string): string {
  return `De tweede factor van ${name} is opnieuw ingesteld. ${name} is op alle apparaten uitgelogd en krijgt hierover een e-mail. `
    + `Bij de volgende keer inloggen met het eigen wachtwoord koppelt ${name} een nieuwe authenticator-app en krijgt nieuwe herstelcodes.`;
}

const BackLink = (props: { href: string; label: string }): Html => (
  <p class="utrecht-paragraph sluis-back"><a class="utrecht-link" href={props.href}>{props.label}</a></p>
);

/** The confirmation page: first make sure the colleague is really asking, then a POST form (with CSRF). */
export function SecondFactorResetPage(props: { ctx: PageContext; holder: SecondFactorState; options: ResetPageOptions; refused?: boolean }): Html {
  const { name, email, state } = props.holder;
  const { back } = props.options;
  return (
    <Page ctx={props.ctx} title={`Tweede factor van ${name} opnieuw instellen`}>
      <div class="sluis-narrow">
        <BackLink href={back.href} label={back.label} />
        <Heading>Tweede factor van {name} opnieuw instellen</Heading>
        {state === 'no_account' ? (
          <Alert type={props.refused ? 'error' : 'info'}>{name} heeft geen actief account in SluiS. Er is geen tweede factor om opnieuw in te stellen.</Alert>
        ) : state === 'not_enrolled' ? (
          <Alert type={props.refused ? 'error' : 'info'}>{name} heeft nog geen authenticator-app gekoppeld. Er is niets opnieuw in te stellen: bij de volgende keer inloggen met het wachtwoord koppelt {name} zelf een app.</Alert>
        ) : (
          <>
            <Paragraph>Is {name} de telefoon met de authenticator-app kwijt, en ook de herstelcodes? Dan kan {name} niet meer inloggen, en stelt u hier de tweede factor opnieuw in. Heeft {name} nog een herstelcode, dan is dit niet nodig: daarmee kan {name} gewoon inloggen.</Paragraph>
            <Alert type="warning" title={`Controleer eerst of het echt ${name} is`}>
              Doe dit alleen als {name} er zelf om vraagt. Bel {name} terug op een telefoonnummer dat u al kende, of spreek elkaar persoonlijk. Een e-mail of chatbericht is niet genoeg: wie het wachtwoord van {name} kent, komt anders zo in SluiS.
            </Alert>
            <Heading level={2}>Wat er gebeurt</Heading>
            <ul class="utrecht-unordered-list">
              <li class="utrecht-unordered-list__item">De gekoppelde authenticator-app en alle herstelcodes van {name} werken niet meer.</li>
              <li class="utrecht-unordered-list__item">{name} wordt op alle apparaten direct uitgelogd.</li>
              <li class="utrecht-unordered-list__item">Het wachtwoord blijft hetzelfde. Bij de volgende keer inloggen koppelt {name} een nieuwe authenticator-app en krijgt nieuwe herstelcodes.</li>
              <li class="utrecht-unordered-list__item">{name} krijgt hierover een e-mail op {email}.</li>
              <li class="utrecht-unordered-list__item">De audit trail legt vast dat u dit heeft gedaan.</li>
            </ul>
            <Form action={props.options.action} csrf={props.ctx.csrf}>
              <Paragraph>Weet u zeker dat u de tweede factor van {name} ({email}) opnieuw wilt instellen?</Paragraph>
              <div class="sluis-actions">
                <Button kind="danger">Ja, opnieuw instellen</Button>
                <a class="utrecht-link" href={back.href}>Annuleren</a>
              </div>
            </Form>
          </>
        )}
      </div>
    </Page>
  );
}

/** One's own second factor: not this way. */
export function OwnSecondFactorPage(props: { ctx: PageContext; options: ResetPageOptions }): Html {
  return (
    <Page ctx={props.ctx} title="Dat kan niet">
      <div class="sluis-narrow">
        <BackLink href={props.options.back.href} label={props.options.back.label} />
        <Heading>Dat kan niet</Heading>
        <Alert type="error">U kunt uw eigen tweede factor niet zo opnieuw instellen. Heeft u uw telefoon niet bij de hand? Log dan in met een van uw herstelcodes. Heeft u die ook niet meer, vraag het dan {props.options.askInstead}.</Alert>
      </div>
    </Page>
  );
}

export const isOwnSecondFactor = (error: unknown): error is Problem => error instanceof Problem && error.code === 'own_second_factor';
export const isNotEnrolled = (error: unknown): error is Problem => error instanceof Problem && error.code === 'not_enrolled';
