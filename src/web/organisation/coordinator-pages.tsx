/**
 * The organisation coordinator's pages, under /organisatie: the organisation's professionals
 * (invite by e-mail, deactivate, transfer a leaving professional's signals to a colleague, reset a
 * lost second factor), the organisation's profile, its API clients and webhooks, and its deliveries
 * that failed.
 *
 * Only a coordinator gets here (anyone else: sign in, or "Geen toegang"); every id in a URL or form
 * is looked up within the coordinator's own organisation, so another organisation's professional,
 * client, webhook or delivery is "Niet gevonden". No person data (BSN, names of persons, signal
 * details) appears on these pages: only counts of signals.
 */
import type { FastifyInstance } from 'fastify';
import { Alert, Paragraph } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { requireCoordinator, sendPage } from '../web-context.ts';
import { connectionsPages } from './connections-pages.tsx';
import { deliveriesPages } from './deliveries-pages.tsx';
import { professionalsPages } from './professionals-pages.tsx';
import { profilePages } from './profile-pages.tsx';

function OverviewPage(props: {
  ctx: PageContext;
  organisationName: string;
  counts: { professionals: number; apiClients: number; webhooks: number; failedDeliveries: number };
  /** The organisation profile has neither its help nor its signalling criteria filled in. */
  profileEmpty: boolean;
}): Html {
  const { counts } = props;
  const firstSteps = counts.professionals <= 1 || props.profileEmpty;
  const card = (href: string, title: string, count: number | null, unit: string, text: string) => (
    <section class="sluis-card" aria-labelledby={`kaart-${href.split('/').pop()}`}>
      <h2 class="utrecht-heading-2" id={`kaart-${href.split('/').pop()}`}>
        <a class="utrecht-link" href={href}>
          {title}
        </a>
      </h2>
      {count === null ? null : (
        <p class="utrecht-paragraph">
          <span class="sluis-stat">{count}</span> {unit}
        </p>
      )}
      <p class="utrecht-paragraph">{text}</p>
    </section>
  );
  return (
    <Page ctx={props.ctx} title="Mijn organisatie">
      <h1 class="utrecht-heading-1">{props.organisationName}</h1>
      <Paragraph lead>
        Als coördinator beheert u hier de professionals van uw organisatie, het organisatieprofiel en de koppelingen met uw cliëntsysteem.
      </Paragraph>
      {firstSteps ? (
        <Alert type="info" title="Uw eerste stappen">
          <ul class="utrecht-unordered-list">
            {counts.professionals <= 1 ? (
              <li class="utrecht-unordered-list__item">
                U bent nog de enige professional van uw organisatie in SluiS.{' '}
                <a class="utrecht-link" href="/organisatie/professionals#uitnodigen">
                  Nodig uw collega’s uit
                </a>
                : zij krijgen een e-mail om een wachtwoord te kiezen.
              </li>
            ) : null}
            {props.profileEmpty ? (
              <li class="utrecht-unordered-list__item">
                <a class="utrecht-link" href="/organisatie/profiel">
                  Vul het organisatieprofiel in
                </a>
                : welke hulp uw organisatie biedt en wanneer uw professionals een signaal afgeven. Andere professionals lezen het bij een match.
              </li>
            ) : null}
          </ul>
        </Alert>
      ) : null}
      {counts.failedDeliveries > 0 ? (
        <Alert type="warning" title="Berichten niet afgeleverd">
          {counts.failedDeliveries === 1 ? 'Eén bericht kon' : `${counts.failedDeliveries} berichten konden`} niet worden afgeleverd.{' '}
          <a class="utrecht-link" href="/organisatie/afleveringen">
            Bekijk de afleveringen
          </a>
        </Alert>
      ) : null}
      <div class="sluis-cards">
        {card(
          '/organisatie/professionals',
          'Professionals',
          counts.professionals,
          counts.professionals === 1 ? 'actieve professional' : 'actieve professionals',
          'Nodig nieuwe collega’s uit, deactiveer wie vertrekt en draag hun signalen over.',
        )}
        {card('/organisatie/profiel', 'Organisatieprofiel', null, '', 'Welke hulp uw organisatie biedt en wanneer uw professionals signaleren.')}
        {card(
          '/organisatie/koppelingen',
          'Koppelingen',
          counts.apiClients,
          counts.apiClients === 1 ? 'actieve API-sleutel' : 'actieve API-sleutels',
          `API-sleutels voor uw cliëntsysteem en ${counts.webhooks === 1 ? 'één webhook' : `${counts.webhooks} webhooks`}.`,
        )}
        {card(
          '/organisatie/afleveringen',
          'Afleveringen',
          counts.failedDeliveries,
          counts.failedDeliveries === 1 ? 'mislukt bericht' : 'mislukte berichten',
          'E-mails en webhookberichten die niet aankwamen; bied ze opnieuw aan.',
        )}
      </div>
    </Page>
  );
}

export async function coordinatorPages(app: FastifyInstance, options: PageOptions) {
  const coordinator = options.services.organisationCoordinator;

  app.get('/organisatie', async (request, reply) => {
    const { user, actor } = requireCoordinator(request);
    const counts = await coordinator.overview(actor);
    const profile = await coordinator.profile(actor);
    const profileEmpty = !profile.description.trim() && !profile.signalling_criteria.trim();
    return sendPage(reply, <OverviewPage ctx={request.pageContext} organisationName={user.organisationName} counts={counts} profileEmpty={profileEmpty} />);
  });

  await professionalsPages(app, options);
  await profilePages(app, options);
  await connectionsPages(app, options);
  await deliveriesPages(app, options);
}
