/**
 * The pages anyone may see: offline, privacy, accessibility.
 */
import type { FastifyInstance } from 'fastify';
import { Fragment, h } from '../html/jsx.ts';
import type { PageOptions } from '../page-services.ts';
import { sendPage } from '../web-context.ts';
import { TextPage } from './account-shared.tsx';

/** The information pages. */
export async function infoPages(app: FastifyInstance, _options: PageOptions) {
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
