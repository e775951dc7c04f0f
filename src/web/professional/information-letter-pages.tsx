/**
 * The information letter for the professional's own active signal: /signalen/<id>/informatiebrief
 * shows each letter's text in a block to copy into one's own message (a copy button where
 * JavaScript runs), /signalen/<id>/informatiebrief.pdf the same letters as a PDF to print. Linked
 * from the signal page (and so from the filing answer), the informing form and the filing form's
 * explanation. Anyone else's signal, an ended one or a wrong id: "Niet gevonden". The service
 * makes the letters and audits each one made.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { amsterdamDate } from '../../shared/calendar.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { Letter } from '../../signals/information-letter.ts';
import { letterText } from '../../signals/information-letter.ts';
import type { InformationLetters, LetterFormat } from '../../signals/information-letter-service.ts';
import { Alert, ButtonLink, Paragraph } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { notFound, requireProfessional, sendPage } from '../web-context.ts';

/** Whom a letter is for, as the page names it. */
const addresseeText = (letter: Letter, made: InformationLetters): string =>
  letter.addressee === 'legal_representative' ? 'de ouders of de voogd' : made.band === 'adult' ? 'de persoon' : 'de jongere';

/** The id in the path, or "Niet gevonden" before anything touches the database. */
function idParam(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!isUuid(id)) throw notFound();
  return id.toLowerCase();
}

export async function informationLetterPages(app: FastifyInstance, { services }: PageOptions) {
  const { informationLetters } = services;

  /** The letters of the professional's own active signal; an ended one is "Niet gevonden" like anyone else's. */
  async function letters(request: FastifyRequest, format: LetterFormat): Promise<InformationLetters> {
    const { actor } = requireProfessional(request);
    try {
      return await informationLetters.make(actor, idParam(request), format);
    } catch (error) {
      if (error instanceof Problem && (error.status === 404 || error.status === 409)) throw notFound();
      throw error;
    }
  }

  app.get('/signalen/:id/informatiebrief', async (request, reply) => {
    const made = await letters(request, 'text');
    return sendPage(reply, <InformationLetterPage ctx={request.pageContext} made={made} />);
  });

  // The file name holds the date only, never the person's name.
  app.get('/signalen/:id/informatiebrief.pdf', async (request, reply) => {
    const made = await letters(request, 'pdf');
    const pdf = await informationLetters.pdf(made);
    return reply
      .type('application/pdf')
      .header('content-disposition', `attachment; filename="informatiebrief-${amsterdamDate(made.madeAt)}.pdf"`)
      .header('cache-control', 'no-store')
      .send(pdf);
  });
}

export function InformationLetterPage(props: { ctx: PageContext; made: InformationLetters }): Html {
  const { made } = props;
  const two = made.letters.length > 1;
  return (
    <Page ctx={props.ctx} title="Informatiebrief">
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href={`/signalen/${made.signalId}`}>
            Terug naar uw signaal
          </a>
        </p>
        <h1 class="utrecht-heading-1">Informatiebrief</h1>
        <Paragraph lead>
          Met deze brief vertelt u {two ? 'de jongere én de ouders of de voogd' : addresseeText(made.letters[0]!, made)} over uw signaal: wat SluiS is, wat erin
          staat en wat niet, hoe lang het blijft, en welke rechten er zijn.
          {two ? ' Het zijn twee brieven: één voor de jongere en één voor de ouders of de voogd.' : ''}
        </Paragraph>
        <p class="utrecht-paragraph">
          <ButtonLink href={`/signalen/${made.signalId}/informatiebrief.pdf`}>Informatiebrief (PDF)</ButtonLink>
        </p>
        <Paragraph>Druk de PDF af, of kopieer de tekst hieronder in uw eigen bericht, bijvoorbeeld een e-mail of uw cliëntportaal.</Paragraph>
        <Alert type="info">
          In de brief staan de naam en de geboortedatum van de persoon, niet het BSN. Stuur hem alleen naar een adres waarvan u weet dat het van de persoon of
          de ouders is.
        </Alert>
        {made.letters.map((letter, index) => {
          const id = `brief-${index + 1}`;
          return (
            <section aria-labelledby={`${id}-titel`} class="sluis-letter">
              <h2 class="utrecht-heading-2" id={`${id}-titel`}>
                Brief aan {addresseeText(letter, made)}
              </h2>
              <div class="utrecht-form-field utrecht-form-field--text">
                <div class="utrecht-form-field__label">
                  <label class="utrecht-form-label" for={id}>
                    Tekst om te versturen<span class="sluis-visually-hidden"> (brief aan {addresseeText(letter, made)})</span>
                  </label>
                </div>
                <div class="utrecht-form-field__input">
                  <textarea class="utrecht-textarea utrecht-textarea--html-textarea sluis-letter__text" id={id} rows={18} readonly spellcheck="false">
                    {letterText(letter)}
                  </textarea>
                </div>
              </div>
              <p class="utrecht-paragraph">
                <button type="button" class="utrecht-button utrecht-button--secondary-action" data-kopieer={id} hidden>
                  Tekst kopiëren<span class="sluis-visually-hidden"> (brief aan {addresseeText(letter, made)})</span>
                </button>
                <span class="sluis-copy-status" id={`${id}-status`} aria-live="polite"></span>
              </p>
            </section>
          );
        })}
      </div>
    </Page>
  );
}
