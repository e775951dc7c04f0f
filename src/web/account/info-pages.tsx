/**
 * The pages anyone may see: offline, privacy (privacy-page.tsx), accessibility.
 */
import type { FastifyInstance } from 'fastify';
import { Fragment, h } from '../html/jsx.ts';
import type { PageOptions } from '../page-services.ts';
import { sendPage } from '../web-context.ts';
import { TextPage } from './account-shared.tsx';
import { PrivacyPage } from './privacy-page.tsx';

/** The information pages. */
export async function infoPages(app: FastifyInstance, options: PageOptions) {
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
    sendPage(reply, <PrivacyPage ctx={request.pageContext} settings={await options.services.settings.current()} />),
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
