/**
 * The processing register under /beheer/verwerkingsregister (GDPR art. 30; docs/accountability.md),
 * for the municipality's administrators and privacy officers: every processing activity of SluiS
 * with purpose, legal basis, data categories, retention (from the current settings) and recipients;
 * and the audit trail of a period as a Logboek Dataverwerkingen file (NDJSON) for the municipality's
 * own log tooling. The audit service authorises and records both, the export before it hands out a line.
 */
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import type { ProcessingActivity } from '../../audit/processing-activities.ts';
import { addDaysToIsoDate, amsterdamDate, startOfAmsterdamDay } from '../../shared/calendar.ts';
import { Button, DataList, DateField, type FieldErrors, Heading, Paragraph } from '../components.tsx';
import { checkDateField, type DateParts, NO_DATE } from '../date-input.ts';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { sendPage } from '../web-context.ts';
import { type AdminOptions, requireAccountabilityStaff } from './admin-shared.ts';

const BASE = '/beheer/verwerkingsregister';
const MAX_DAYS = 366;

type Period = { van: DateParts; tot: DateParts };

function RegisterPage(props: { ctx: PageContext; activities: ProcessingActivity[]; today: string; period: Period; errors?: FieldErrors }): Html {
  const errors = props.errors ?? {};
  const failed = Object.values(errors).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: verwerkingsregister' : 'Verwerkingsregister'} wide>
      <Heading>Verwerkingsregister</Heading>
      <Paragraph lead>
        Wat SluiS met persoonsgegevens doet (AVG artikel 30): per verwerking het doel, de grondslag, welke gegevens, hoe lang ze bewaard blijven en wie ze
        krijgen. De bewaartermijnen komen uit de instellingen van de gemeente. Elke gebeurtenis in de audit trail hoort bij een van deze verwerkingen.
      </Paragraph>
      <section aria-labelledby="logboek-kop" class="sluis-narrow">
        <Heading level={2} id="logboek-kop">
          Logboek dataverwerkingen downloaden
        </Heading>
        <Paragraph>
          De audit trail van een periode in de velden van de standaard Logboek Dataverwerkingen (één regel JSON per gebeurtenis), voor de eigen logvoorziening
          van de gemeente. De persoon staat erin als pseudoniem, nooit met het BSN. Het downloaden wordt vastgelegd.
        </Paragraph>
        <form method="get" action={`${BASE}/logboek`} class="utrecht-form" novalidate>
          {failed ? (
            <div
              class="utrecht-alert utrecht-alert--error sluis-error-summary"
              role="alert"
              tabindex="-1"
              id="foutmeldingen"
              aria-labelledby="foutmeldingen-titel"
            >
              <h2 class="utrecht-heading-2" id="foutmeldingen-titel">
                Controleer de periode
              </h2>
              <ul class="utrecht-unordered-list">
                {Object.entries(errors)
                  .filter((entry): entry is [string, string] => Boolean(entry[1]))
                  .map(([id, message]) => (
                    <li class="utrecht-unordered-list__item">
                      <a class="utrecht-link" href={`#${id}`}>
                        {message}
                      </a>
                    </li>
                  ))}
              </ul>
            </div>
          ) : null}
          <DateField id="van" legend="Van" value={props.period.van} error={errors.van} example={props.today} />
          <DateField id="tot" legend="Tot en met" value={props.period.tot} error={errors.tot} example={props.today} />
          <div class="sluis-actions">
            <Button kind="secondary">Logboek downloaden</Button>
          </div>
        </form>
      </section>
      {props.activities.map((a) => (
        <section aria-labelledby={`verwerking-${a.id}`} class="sluis-processing-activity">
          <Heading level={2} id={`verwerking-${a.id}`}>
            {a.name}
          </Heading>
          <DataList
            items={[
              ['Doel', a.purpose],
              ['Grondslag', a.legalBasis],
              ['Gegevens', a.dataCategories.join('; ')],
              ['Bewaartermijn', a.retention],
              ['Ontvangers', a.recipients.join('; ')],
              ['Code in het logboek', <code class="utrecht-code">{a.id}</code>],
            ]}
          />
        </section>
      ))}
    </Page>
  );
}

/** The period's two dates: on or before today, `tot` not before `van`, at most a year. */
function readPeriod(query: unknown, today: string) {
  const van = checkDateField(query, 'van', { what: 'de eerste dag', example: today, empty: 'Vul de eerste dag van de periode in.' });
  const tot = checkDateField(query, 'tot', { what: 'de laatste dag', example: today, empty: 'Vul de laatste dag van de periode in.' });
  const errors: FieldErrors = { van: van.error, tot: tot.error };
  if (van.date && van.date > today) errors.van = 'De eerste dag ligt in de toekomst.';
  if (van.date && tot.date && tot.date < van.date) errors.tot = 'De laatste dag ligt vóór de eerste dag.';
  else if (van.date && tot.date && tot.date > addDaysToIsoDate(van.date, MAX_DAYS - 1)) errors.tot = 'Kies een periode van hooguit een jaar.';
  const period = { van: van.parts, tot: tot.parts };
  if (Object.values(errors).some(Boolean) || !van.date || !tot.date) return { period, errors };
  return {
    period,
    errors,
    from: startOfAmsterdamDay(van.date).toISOString(),
    to: startOfAmsterdamDay(addDaysToIsoDate(tot.date, 1)).toISOString(),
    van: van.date,
    tot: tot.date,
  };
}

export async function processingRegisterPages(app: FastifyInstance, { services }: AdminOptions) {
  const today = () => amsterdamDate(services.clock.now());

  app.get(BASE, async (request, reply) => {
    const actor = requireAccountabilityStaff(request);
    const activities = await services.auditTrail.processingRegister(actor);
    return sendPage(reply, <RegisterPage ctx={request.pageContext} activities={activities} today={today()} period={{ van: NO_DATE, tot: NO_DATE }} />);
  });

  app.get(`${BASE}/logboek`, async (request, reply) => {
    const actor = requireAccountabilityStaff(request);
    const read = readPeriod(request.query, today());
    if (!read.from || !read.to) {
      const activities = await services.auditTrail.processingRegister(actor);
      return sendPage(reply, <RegisterPage ctx={request.pageContext} activities={activities} today={today()} period={read.period} errors={read.errors} />, 422);
    }
    const chunks = await services.auditTrail.exportLogbook(actor, { from: read.from, to: read.to });
    const lines = (async function* () {
      for await (const chunk of chunks) yield chunk.map((record) => `${JSON.stringify(record)}\n`).join('');
    })();
    return reply
      .type('application/x-ndjson; charset=utf-8')
      .header('content-disposition', `attachment; filename="sluis-logboek-${read.van}-${read.tot}.ndjson"`)
      .send(Readable.from(lines));
  });
}
