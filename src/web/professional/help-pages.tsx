/**
 * /hulp: help for professionals, in plain Dutch (B1): what a signal is, when you may file one (and
 * where your organisation's signalling criteria are), what the person must be told by age, what
 * happens at a match and how long a signal lasts — with the municipality's own settings (regime,
 * lifetime, escalation timers), so it says what SluiS does here. Open to anyone; a signed-in
 * professional also gets the link to their own organisation's criteria. Linked from the start page,
 * the filing form and the footer.
 */
import type { FastifyInstance } from 'fastify';
import type { Settings } from '../../settings/settings-service.ts';
import { DataList } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { activeText, historyText } from '../privacy-texts.tsx';
import { sendPage } from '../web-context.ts';

const SECTIONS = [
  ['signaal', 'Wat is een signaal?'],
  ['wanneer', 'Wanneer geeft u een signaal af?'],
  ['informeren', 'Wat vertelt u de persoon?'],
  ['match', 'Wat gebeurt er bij een match?'],
  ['looptijd', 'Hoe lang loopt een signaal?'],
] as const;

const P = (props: { children?: Html | string | (Html | string)[] }): Html => <p class="utrecht-paragraph">{props.children}</p>;

/** Who is told, or who consents, by age: the rows of the table, youngest first. */
function informingRows(settings: Settings): [string, string][] {
  const rows: [string, string][] = [
    ['Jonger dan 12 jaar', 'U vertelt het de ouders of de voogd (de wettelijk vertegenwoordiger).'],
    ['12 tot 16 jaar', 'U vertelt het de jongere én de ouders of de voogd.'],
    ['16 tot 23 jaar', 'U vertelt het de jongere zelf.'],
  ];
  if (settings.regime === 'all_ages') {
    rows.push([
      '23 jaar en ouder',
      'U vraagt eerst toestemming aan de persoon. Zonder toestemming geeft u geen signaal af. Heeft de persoon een wettelijk vertegenwoordiger (bijvoorbeeld een mentor of curator), dan kan die toestemming geven.',
    ]);
  }
  return rows;
}

function escalationText(settings: Settings): string {
  const noCoordinator = settings.escalateNoCoordinatorWorkingDays;
  const noContact = settings.escalateNoContactWorkingDays;
  if (noCoordinator === 0 && noContact === 0) return 'Loopt de samenwerking vast? Dan kunt u vanaf de match opschalen naar de functionaris van de gemeente.';
  const when = [
    noCoordinator > 0 ? `na ${noCoordinator} werkdagen nog niemand de regie heeft` : '',
    noContact > 0 ? `na ${noContact} werkdagen nog niet iedereen contact heeft vastgelegd` : '',
  ]
    .filter(Boolean)
    .join(', of als ');
  return `Loopt de samenwerking vast? Dan kunt u vanaf de match opschalen naar de functionaris van de gemeente. SluiS doet dat ook zelf als ${when}.`;
}

function HelpPage(props: { ctx: PageContext; settings: Settings }): Html {
  const { ctx, settings } = props;
  const user = ctx.user?.kind === 'professional' ? ctx.user : undefined;
  const youth = settings.regime === 'youth';
  return (
    <Page ctx={ctx} title="Hulp bij signaleren">
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Hulp bij signaleren</h1>
        <p class="utrecht-paragraph utrecht-paragraph--lead">
          Wat een signaal is, wanneer u er een afgeeft, wat u de persoon vertelt en wat er daarna gebeurt.
        </p>
        <nav aria-labelledby="op-deze-pagina" class="sluis-toc">
          <h2 class="utrecht-heading-2" id="op-deze-pagina">
            Op deze pagina
          </h2>
          <ul class="utrecht-unordered-list">
            {SECTIONS.map(([id, text]) => (
              <li class="utrecht-unordered-list__item">
                <a class="utrecht-link" href={`#${id}`}>
                  {text}
                </a>
              </li>
            ))}
          </ul>
        </nav>

        <h2 class="utrecht-heading-2" id="signaal">
          Wat is een signaal?
        </h2>
        <P>
          Met een signaal legt u in SluiS vast dát u betrokken bent bij een persoon. Niet waarom: u schrijft geen reden, diagnose of verhaal op. Het BSN
          gebruikt SluiS alleen om signalen over dezelfde persoon te koppelen; niemand krijgt het te zien.
        </P>
        <P>
          Geeft een professional van een andere organisatie ook een signaal af over dezelfde persoon, dan is er een match. Dan weten jullie van elkaar en kunt u
          samenwerken.
        </P>

        <h2 class="utrecht-heading-2" id="wanneer">
          Wanneer geeft u een signaal af?
        </h2>
        <P>
          Als u hulp of zorg geeft aan een persoon en het belangrijk vindt om samen te werken met andere professionals die ook betrokken zijn. Bijvoorbeeld als
          u zich zorgen maakt, of als de hulp van meerdere organisaties op elkaar moet aansluiten.
        </P>
        <P>
          {youth
            ? 'In deze gemeente is SluiS er voor kinderen en jongeren tot 23 jaar (de verwijsindex risicojongeren uit de Jeugdwet).'
            : 'In deze gemeente geeft u een signaal af over kinderen, jongeren en volwassenen.'}
        </P>
        <P>
          Uw organisatie heeft met de gemeente afgesproken in welke situaties haar professionals een signaal afgeven: de meldcriteria.{' '}
          {user ? (
            <a class="utrecht-link" href={`/organisaties/${user.organisationId}#meldcriteria`}>
              Lees de meldcriteria van {user.organisationName}
            </a>
          ) : (
            'U vindt ze na het inloggen bij Organisaties.'
          )}
        </P>
        <P>
          Geef alleen een signaal af als u echt betrokken bent. Een signaal afgeven om te kijken of iemand al in SluiS staat, mag niet. Twijfelt u? Overleg met
          de coördinator van uw organisatie.
        </P>

        <h2 class="utrecht-heading-2" id="informeren">
          Wat vertelt u de persoon?
        </h2>
        <P>
          {youth
            ? 'Voor een signaal is geen toestemming nodig (Jeugdwet), maar u vertelt het wel, vóór u het signaal afgeeft:'
            : 'Onder de 23 jaar is geen toestemming nodig (Jeugdwet), maar u vertelt het wel, vóór u het signaal afgeeft. Vanaf 23 jaar vraagt u toestemming:'}
        </P>
        <DataList items={informingRows(settings)} />
        <P>In het formulier legt u vast wie u informeerde of wie toestemming gaf, en wanneer.</P>
        <P>
          Kunt u iemand onder de 23 jaar (nog) niet informeren, omdat dat de persoon of anderen in gevaar brengt, of omdat u de persoon nog niet kunt bereiken?
          Kies dan in het formulier dat u het informeren uitstelt, met de reden. Informeer de persoon zodra het wel kan.
        </P>
        <P>Wat vertelt u? In gewone woorden:</P>
        <ul class="utrecht-unordered-list">
          <li class="utrecht-unordered-list__item">dat u in SluiS vastlegt dat u bij hem of haar betrokken bent, en niet waarom;</li>
          <li class="utrecht-unordered-list__item">
            dat andere professionals die ook een signaal afgeven, uw naam en contactgegevens krijgen, en u die van hen;
          </li>
          <li class="utrecht-unordered-list__item">hoe lang het signaal loopt (zie hieronder);</li>
          <li class="utrecht-unordered-list__item">
            dat de persoon bij de gemeente kan vragen wat er over hem of haar staat, en bezwaar kan maken. Dat staat op de pagina{' '}
            <a class="utrecht-link" href="/privacy">
              Privacy en uw rechten
            </a>
            .
          </li>
        </ul>

        <h2 class="utrecht-heading-2" id="match">
          Wat gebeurt er bij een match?
        </h2>
        <P>
          {settings.mailMode === 'full'
            ? 'U en de andere betrokken professionals krijgen meteen een e-mail met elkaars naam, organisatie, telefoonnummer en e-mailadres. Over de persoon staat er niets in de e-mail.'
            : 'U en de andere betrokken professionals krijgen meteen een e-mail met een link. In SluiS ziet u wie de anderen zijn, met hun telefoonnummer en e-mailadres. Over de persoon staat er niets in de e-mail.'}
        </P>
        <P>
          Neem contact met elkaar op en spreek af wie de regie neemt: één professional die de samenwerking organiseert. Leg in SluiS vast dat u contact hebt
          gehad. Deel met elkaar alleen wat nodig is, en bespreek met de persoon wat u deelt.
        </P>
        <P>{escalationText(settings)}</P>

        <h2 class="utrecht-heading-2" id="looptijd">
          Hoe lang loopt een signaal?
        </h2>
        <P>
          {activeText(settings)}
          {settings.expiryNoticeDays > 0 ? ` U krijgt ${settings.expiryNoticeDays} dagen van tevoren bericht.` : ''} Bent u niet meer betrokken, beëindig het
          signaal dan zelf.
        </P>
        <P>{historyText(settings)}</P>
        <P>Was het signaal ten onrechte, of kreeg de persoon gelijk met een bezwaar? Kies dat bij het beëindigen: dan wordt het meteen helemaal verwijderd.</P>
        {user ? (
          <p class="utrecht-paragraph">
            <a class="utrecht-link" href="/signalen/nieuw">
              Signaal afgeven
            </a>
          </p>
        ) : null}
      </div>
    </Page>
  );
}

export async function helpPages(app: FastifyInstance, { services }: PageOptions) {
  app.get('/hulp', async (request, reply) => sendPage(reply, <HelpPage ctx={request.pageContext} settings={await services.settings.current()} />));
}
