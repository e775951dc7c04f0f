/**
 * Passing a person's request or complaint on to the municipality (seed 000: "Wilt u gebruik maken van
 * uw rechten? Geef dit dan aan bij uw professional"): /signalen/<id>/verzoek, from the professional's own
 * active signal. Categories and the date the person asked only, never free text; the municipality's
 * privacy staff take it from there (src/rights/). The rules and the audit are the rights service's.
 */

import type { FastifyInstance, FastifyRequest } from 'fastify';
import { REQUEST_KINDS, type RequestKind } from '../../rights/rights-rules.ts';
import { amsterdamDate, type IsoDate } from '../../shared/calendar.ts';
import { Problem } from '../../shared/errors.ts';
import { isUuid } from '../../shared/ids.ts';
import type { SignalView } from '../../signals/signal-types.ts';
import { Button, ChoiceGroup, DateField, type FieldErrors, Form, Paragraph } from '../components.tsx';
import { type DateParts, datePartsOf, dateProblem, readDate, readDateParts } from '../date-input.ts';
import { type Html, h } from '../html/jsx.ts';
import { REQUEST_KIND_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, notFound, redirect, requireProfessional, sendPage } from '../web-context.ts';
import { personName } from './signal-pages-views.tsx';

/** What each kind means, in words a professional can say back to the person. */
const KIND_DESCRIPTIONS: Record<RequestKind, string> = {
  inspection: 'De persoon wil weten wat SluiS over hem of haar vastlegt.',
  copy: 'De persoon wil een kopie van de gegevens.',
  correction: 'De persoon wil dat gegevens worden verbeterd of aangevuld.',
  restriction: 'De persoon wil dat de gegevens even niet worden gebruikt.',
  objection: 'De persoon maakt bezwaar tegen het signaal.',
  erasure: 'De persoon wil dat de gegevens worden verwijderd.',
  own_statement: 'De persoon wil een eigen verklaring laten toevoegen.',
  portability: 'De persoon wil de gegevens meenemen naar een andere organisatie.',
  complaint: 'De persoon heeft een klacht over hoe met de gegevens is omgegaan.',
};
const KIND_OPTIONS = REQUEST_KINDS.map((kind) => ({ value: kind, label: REQUEST_KIND_LABELS[kind], description: KIND_DESCRIPTIONS[kind] }));

type Values = { soort: string; datum: DateParts };

function idParam(request: FastifyRequest): string {
  const id = (request.params as { id?: string }).id ?? '';
  if (!isUuid(id)) throw notFound();
  return id.toLowerCase();
}

export async function rightsPassOnPages(app: FastifyInstance, { services }: PageOptions) {
  const { signals, rightsRequests, clock } = services;

  async function activeSignal(request: FastifyRequest, id: string): Promise<SignalView> {
    const { actor } = requireProfessional(request);
    const signal = await signals.get(actor, id);
    if (signal.status !== 'active' || !signal.person) throw notFound();
    return signal;
  }

  app.get('/signalen/:id/verzoek', async (request, reply) => {
    const signal = await activeSignal(request, idParam(request));
    const today = amsterdamDate(clock.now());
    return sendPage(
      reply,
      <PassOnPage ctx={request.pageContext} signal={signal} values={{ soort: '', datum: datePartsOf(today) }} errors={{}} today={today} />,
    );
  });

  app.post('/signalen/:id/verzoek', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = idParam(request);
    const today = amsterdamDate(clock.now());
    const values: Values = { soort: field(request.body, 'soort'), datum: readDateParts(request.body, 'datum') };
    const errors: FieldErrors = {};
    if (!(REQUEST_KINDS as readonly string[]).includes(values.soort)) errors.soort = 'Kies wat de persoon vraagt.';
    const reading = readDate(values.datum);
    const problem = dateProblem(reading, { what: 'de datum', example: today, empty: 'Vul de datum in waarop de persoon het vroeg.' });
    if (problem) errors.datum = problem;
    else if (reading.kind === 'date' && reading.date > today) errors.datum = 'De datum kan niet in de toekomst liggen.';
    if (!errors.soort && !errors.datum && reading.kind === 'date') {
      try {
        await rightsRequests.passOn(actor, id, { kind: values.soort as RequestKind, askedOn: reading.date });
        return redirect(reply, `/signalen/${id}?verzoek=1`);
      } catch (error) {
        if (!(error instanceof Problem) || error.status !== 422) throw error;
        errors.datum = 'De datum ligt vóór de geboortedatum van de persoon of na vandaag.';
      }
    }
    const signal = await activeSignal(request, id);
    return sendPage(reply, <PassOnPage ctx={request.pageContext} signal={signal} values={values} errors={errors} today={today} />, 422);
  });
}

function PassOnPage(props: { ctx: PageContext; signal: SignalView; values: Values; errors: FieldErrors; today: IsoDate }): Html {
  const { signal, values: v, errors: e } = props;
  const failed = Object.values(e).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: verzoek doorgeven aan de gemeente' : 'Verzoek doorgeven aan de gemeente'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Verzoek doorgeven aan de gemeente</h1>
        <Paragraph lead>
          Wil {personName(signal.person)} gebruik maken van zijn of haar rechten, of heeft de persoon een klacht? Geef het hier door. De gemeente neemt contact
          op met de persoon en beslist binnen vier weken.
        </Paragraph>
        <Paragraph>U kiest alleen wat de persoon vraagt en wanneer. Schrijf hier niets over de persoon zelf.</Paragraph>
        <Form action={`/signalen/${signal.id}/verzoek`} csrf={props.ctx.csrf} errors={e}>
          <ChoiceGroup id="soort" legend="Wat vraagt de persoon?" selected={v.soort} error={e.soort} options={KIND_OPTIONS} />
          <DateField id="datum" legend="Wanneer vroeg de persoon het?" value={v.datum} error={e.datum} example={props.today} />
          <div class="sluis-actions">
            <Button>Doorgeven aan de gemeente</Button>
            <a class="utrecht-link" href={`/signalen/${signal.id}`}>
              Annuleren
            </a>
          </div>
        </Form>
      </div>
    </Page>
  );
}
