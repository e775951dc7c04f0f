/**
 * /privacy: the privacy statement, for anyone (a resident, a parent, a professional), in plain
 * Dutch. The municipality fills in its parts on /beheer/instellingen/privacy (or PATCH
 * /api/v1/settings, privacyStatement): who is responsible, how to reach it, its data protection
 * officer, the purposes, a link to more. Until it does, the page shows defaults that are true for
 * SluiS and a clear placeholder where only the municipality can say it. What SluiS holds, who sees
 * it, how long it is kept (from the lifetime settings) and the rights (GDPR articles 15 to 22,
 * through the municipality) follow from SluiS itself and cannot be edited away.
 */
import type { Settings } from '../../settings/settings-service.ts';
import { Alert } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { activeText, DEFAULT_PURPOSES, defaultController, durationText, historyText, TypedText } from '../privacy-texts.tsx';

const AP_URL = 'https://autoriteitpersoonsgegevens.nl';

/** Where only the municipality can fill something in, and has not yet. */
const NotYetFilledIn = (props: { what: string }): Html => (
  <Alert type="warning" title="Nog niet ingevuld">
    <p class="utrecht-paragraph">
      De gemeente vult hier nog {props.what} in. Tot die tijd: neem contact op met uw gemeente via het algemene telefoonnummer of de website van de gemeente.
    </p>
  </Alert>
);

export function PrivacyPage(props: { ctx: PageContext; settings: Settings }): Html {
  const { settings } = props;
  const statement = settings.privacyStatement;
  const municipality = props.ctx.theme.municipalityName;
  const controller = statement.controller ?? defaultController(municipality);
  const youth = settings.regime === 'youth';
  return (
    <Page ctx={props.ctx} title="Privacy en uw rechten">
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Privacy en uw rechten</h1>
        <p class="utrecht-paragraph utrecht-paragraph--lead">
          SluiS is de verwijsindex van de gemeente. Professionals uit zorg, jeugdhulp, onderwijs, wonen, inkomen en veiligheid leggen hierin alleen vast dát zij
          betrokken zijn bij een persoon, nooit waarom. Zo vinden zij elkaar en werken zij samen.
        </p>
        <nav aria-labelledby="op-deze-pagina" class="sluis-toc">
          <h2 class="utrecht-heading-2" id="op-deze-pagina">
            Op deze pagina
          </h2>
          <ul class="utrecht-unordered-list">
            {[
              ['verantwoordelijk', 'Wie is verantwoordelijk?'],
              ['waarvoor', 'Waarvoor is SluiS?'],
              ['gegevens', 'Welke gegevens staan erin?'],
              ['wie-ziet', 'Wie ziet uw gegevens?'],
              ['bewaren', 'Hoe lang blijven ze bewaard?'],
              ['rechten', 'Uw rechten'],
              ['klacht', 'Een klacht'],
            ].map(([id, text]) => (
              <li class="utrecht-unordered-list__item">
                <a class="utrecht-link" href={`#${id}`}>
                  {text}
                </a>
              </li>
            ))}
          </ul>
        </nav>

        <h2 class="utrecht-heading-2" id="verantwoordelijk">
          Wie is verantwoordelijk?
        </h2>
        <p class="utrecht-paragraph">
          {controller} is verantwoordelijk voor SluiS en voor wat er met uw gegevens gebeurt. In de privacywet (de AVG) heet dat de
          verwerkingsverantwoordelijke.
        </p>
        <h3 class="utrecht-heading-3">Contact met de gemeente</h3>
        {statement.contact ? (
          <TypedText text={statement.contact} />
        ) : (
          <NotYetFilledIn what="haar adres, telefoonnummer en e-mailadres voor vragen over SluiS" />
        )}
        <h3 class="utrecht-heading-3">Functionaris gegevensbescherming</h3>
        <p class="utrecht-paragraph">De functionaris gegevensbescherming houdt binnen de gemeente toezicht op hoe zij met persoonsgegevens omgaat.</p>
        {statement.dataProtectionOfficer ? (
          <TypedText text={statement.dataProtectionOfficer} />
        ) : (
          <NotYetFilledIn what="hoe u de functionaris gegevensbescherming bereikt" />
        )}

        <h2 class="utrecht-heading-2" id="waarvoor">
          Waarvoor is SluiS?
        </h2>
        <TypedText text={statement.purposes ?? DEFAULT_PURPOSES} />
        <p class="utrecht-paragraph">
          {youth
            ? 'SluiS is er voor kinderen en jongeren tot 23 jaar. De Jeugdwet regelt dit (de verwijsindex risicojongeren). Er is geen toestemming nodig, maar de professional vertelt het u: onder de 12 jaar aan de ouders of voogd, van 12 tot 16 jaar aan de jongere én de ouders of voogd, vanaf 16 jaar aan de jongere zelf.'
            : 'Voor kinderen en jongeren tot 23 jaar regelt de Jeugdwet dit (de verwijsindex risicojongeren). Er is dan geen toestemming nodig, maar de professional vertelt het u: onder de 12 jaar aan de ouders of voogd, van 12 tot 16 jaar aan de jongere én de ouders of voogd, vanaf 16 jaar aan de jongere zelf. Bent u 23 jaar of ouder, dan vraagt de professional eerst uw toestemming.'}
        </p>
        <p class="utrecht-paragraph">
          Alleen organisaties die met de gemeente een convenant hebben getekend, werken met SluiS. In het convenant staat wanneer hun professionals een signaal
          afgeven.
        </p>

        <h2 class="utrecht-heading-2" id="gegevens">
          Welke gegevens staan erin?
        </h2>
        <ul class="utrecht-unordered-list">
          <li class="utrecht-unordered-list__item">
            Over u: uw burgerservicenummer (BSN), naam, geboortedatum, geslacht en, als de professional dat invult, uw adres.
          </li>
          <li class="utrecht-unordered-list__item">Over de professional: naam, organisatie, telefoonnummer en e-mailadres.</li>
          <li class="utrecht-unordered-list__item">Of u toestemming gaf, of wie er is geïnformeerd en wanneer.</li>
        </ul>
        <p class="utrecht-paragraph">
          Er staat nooit in waarom een professional u helpt: geen reden, geen diagnose, geen verslag. SluiS neemt geen besluiten over u; het brengt alleen
          professionals met elkaar in contact.
        </p>

        <h2 class="utrecht-heading-2" id="wie-ziet">
          Wie ziet uw gegevens?
        </h2>
        <p class="utrecht-paragraph">
          Een professional ziet alleen iets over u als hij of zij zelf een signaal over u heeft afgegeven. Dan ziet hij of zij welke andere professionals ook
          betrokken zijn, met hun contactgegevens. Niemand kan in SluiS zoeken of u erin staat.
        </p>
        <p class="utrecht-paragraph">
          Uw BSN ziet niemand: het staat versleuteld in SluiS en wordt alleen gebruikt om signalen over dezelfde persoon aan elkaar te koppelen. Elke keer dat
          iemand uw gegevens bekijkt of wijzigt, legt SluiS dat vast.
        </p>

        <h2 class="utrecht-heading-2" id="bewaren">
          Hoe lang blijven ze bewaard?
        </h2>
        <p class="utrecht-paragraph">
          {activeText(settings)} De professional beëindigt het eerder als de hulp stopt. {historyText(settings)}
        </p>
        <p class="utrecht-paragraph">Was het signaal ten onrechte, of krijgt u gelijk met een bezwaar? Dan wordt het meteen helemaal verwijderd.</p>
        <p class="utrecht-paragraph">
          {settings.auditRetentionMonths > 0
            ? `Wie uw gegevens bekeek of wijzigde, bewaart SluiS ${durationText(settings.auditRetentionMonths)}. Zo kunt u dat zolang nagaan.`
            : 'Wie uw gegevens bekeek of wijzigde, bewaart SluiS zonder einddatum. Zo kunt u dat altijd nagaan.'}
        </p>

        <h2 class="utrecht-heading-2" id="rechten">
          Uw rechten
        </h2>
        <p class="utrecht-paragraph">De privacywet (de AVG, artikel 15 tot en met 22) geeft u deze rechten. U regelt ze via de gemeente.</p>
        <ul class="utrecht-unordered-list">
          <li class="utrecht-unordered-list__item">Inzage: u mag weten of er gegevens over u in SluiS staan, welke, en wie ze bekeek.</li>
          <li class="utrecht-unordered-list__item">Een kopie van uw gegevens.</li>
          <li class="utrecht-unordered-list__item">Correctie: kloppen uw gegevens niet, dan laat u ze verbeteren of aanvullen.</li>
          <li class="utrecht-unordered-list__item">Verwijdering: u kunt vragen uw gegevens te wissen.</li>
          <li class="utrecht-unordered-list__item">Beperking: u kunt vragen uw gegevens even niet te gebruiken, bijvoorbeeld zolang uw bezwaar loopt.</li>
          <li class="utrecht-unordered-list__item">Bezwaar: u kunt bezwaar maken tegen een signaal over u.</li>
          <li class="utrecht-unordered-list__item">Een eigen verklaring: u kunt uw eigen uitleg laten toevoegen.</li>
          <li class="utrecht-unordered-list__item">
            Gaf u zelf toestemming voor een signaal? Dan kunt u uw gegevens ook in een gewoon bestand krijgen, om aan een ander te geven.
          </li>
        </ul>
        <p class="utrecht-paragraph">
          Neem hiervoor contact op met de gemeente (zie{' '}
          <a class="utrecht-link" href="#verantwoordelijk">
            Contact met de gemeente
          </a>
          ). Uw professional kan u daarbij helpen. De gemeente antwoordt binnen vier weken. Zegt zij nee, dan legt zij uit waarom. Verandert er iets, dan
          gebeurt dat meteen, en hoort de professional die het signaal afgaf het ook.
        </p>

        <h2 class="utrecht-heading-2" id="klacht">
          Een klacht
        </h2>
        <p class="utrecht-paragraph">
          Bent u het niet eens met hoe de gemeente met uw gegevens omgaat? Bespreek het eerst met de gemeente of met de functionaris gegevensbescherming. U mag
          ook een klacht indienen bij de Autoriteit Persoonsgegevens:{' '}
          <a class="utrecht-link" href={AP_URL} rel="noopener noreferrer">
            autoriteitpersoonsgegevens.nl
          </a>
          .
        </p>
        {statement.moreInformationUrl ? (
          <p class="utrecht-paragraph">
            Meer over privacy bij de gemeente:{' '}
            <a class="utrecht-link" href={statement.moreInformationUrl} rel="noopener noreferrer">
              de privacyverklaring van {municipality}
            </a>
            .
          </p>
        ) : null}
      </div>
    </Page>
  );
}
