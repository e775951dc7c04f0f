/**
 * "Signaal op een ongeboren kind" (/signalen/nieuw-ongeboren): only where the municipality allows it
 * (the setting unbornSignals; otherwise "Niet gevonden", and the filing form does not link here). The
 * child is identified through its mother's BSN, with the expected date of birth and family name; the
 * legal basis is the informing of the expectant mother (or why it is postponed). Once the child is born,
 * the professional adds its BSN on the signal page, as for a person filed without a BSN. The rules are
 * the signal service's; this page reads the form, calls it, and says in Dutch what it answered.
 */

import type { FastifyInstance } from 'fastify';
import { passesElevenTest } from '../../persons/bsn.ts';
import { addDaysToIsoDate, amsterdamDate, type IsoDate } from '../../shared/calendar.ts';
import { Problem } from '../../shared/errors.ts';
import type { InformedParty, LegalBasis } from '../../signals/legal-basis.ts';
import type { FileSignalInput } from '../../signals/signal-types.ts';
import { UNBORN_MAX_DAYS_AHEAD } from '../../signals/unborn.ts';
import { Button, ChoiceGroup, DateField, type FieldErrors, Form, Paragraph, TextField } from '../components.tsx';
import { type DateParts, datePartsOf, dateProblem, readDate, readDateParts } from '../date-input.ts';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, notFound, redirect, requireProfessional, sendPage } from '../web-context.ts';
import { PARTIES, POSTPONEMENTS } from './signal-pages-form.ts';
import { InformedFields } from './signal-pages-form-view.tsx';

type UnbornValues = {
  'moeder-bsn': string;
  voornamen: string;
  voorvoegsel: string;
  achternaam: string;
  'verwachte-datum': DateParts;
  informeren: string;
  geinformeerd: string[];
  'informeer-datum': DateParts;
  'uitstel-reden': string;
  kenmerk: string;
};

export async function unbornPages(app: FastifyInstance, { services }: PageOptions) {
  const { signals, settings, clock } = services;
  const today = () => amsterdamDate(clock.now());

  async function allowed() {
    if (!(await settings.current()).unbornSignals) throw notFound();
  }

  app.get('/signalen/nieuw-ongeboren', async (request, reply) => {
    requireProfessional(request);
    await allowed();
    const date = today();
    const values: UnbornValues = {
      'moeder-bsn': '',
      voornamen: '',
      voorvoegsel: '',
      achternaam: '',
      'verwachte-datum': { day: '', month: '', year: '' },
      informeren: '',
      geinformeerd: [],
      'informeer-datum': datePartsOf(date),
      'uitstel-reden': '',
      kenmerk: '',
    };
    return sendPage(reply, <UnbornPage ctx={request.pageContext} values={values} errors={{}} today={date} />);
  });

  app.post('/signalen/nieuw-ongeboren', async (request, reply) => {
    const { actor } = requireProfessional(request);
    await allowed();
    const date = today();
    const values = readUnbornForm(request.body);
    const checked = checkUnbornForm(values, date);
    let errors = checked.errors;
    if (checked.input) {
      try {
        const result = await signals.file(actor, checked.input);
        if (result.outcome !== 'created' && result.outcome !== 'existing') throw notFound();
        return redirect(reply, `/signalen/${result.answer.signal.id}?${result.outcome === 'created' ? 'nieuw' : 'bestaand'}=1`);
      } catch (error) {
        if (!(error instanceof Problem) || error.status !== 422) throw error;
        errors = translateUnbornProblems(error.invalidParams ?? []);
      }
    }
    // The mother's BSN goes back only as the input's value, so the professional can correct it; never in text.
    return sendPage(reply, <UnbornPage ctx={request.pageContext} values={values} errors={errors} today={date} />, 422);
  });
}

function readUnbornForm(body: unknown): UnbornValues {
  const parties = (body as Record<string, unknown> | undefined)?.geinformeerd;
  const list = (Array.isArray(parties) ? parties : [parties]).filter((v): v is string => typeof v === 'string' && v in PARTIES);
  return {
    'moeder-bsn': field(body, 'moeder-bsn').replace(/[\s.-]/g, ''),
    voornamen: field(body, 'voornamen').slice(0, 300),
    voorvoegsel: field(body, 'voorvoegsel').slice(0, 300),
    achternaam: field(body, 'achternaam').slice(0, 300),
    'verwachte-datum': readDateParts(body, 'verwachte-datum'),
    informeren: field(body, 'informeren'),
    geinformeerd: [...new Set(list)],
    'informeer-datum': readDateParts(body, 'informeer-datum'),
    'uitstel-reden': field(body, 'uitstel-reden'),
    kenmerk: field(body, 'kenmerk').slice(0, 300),
  };
}

/** The form's own checks, every problem at once; `input` only when there are none (the service checks again). */
function checkUnbornForm(values: UnbornValues, today: IsoDate): { errors: FieldErrors; input?: FileSignalInput } {
  const errors: FieldErrors = {};
  if (!values['moeder-bsn']) errors['moeder-bsn'] = 'Vul het BSN van de moeder in.';
  else if (!passesElevenTest(values['moeder-bsn']))
    errors['moeder-bsn'] = 'Dit BSN klopt niet: een BSN heeft 9 cijfers en voldoet aan de elfproef. Controleer de cijfers.';
  if (values.voornamen.length > 200) errors.voornamen = 'Voornamen mag hoogstens 200 tekens hebben.';
  if (values.voorvoegsel.length > 20) errors.voorvoegsel = 'Het tussenvoegsel mag hoogstens 20 tekens hebben.';
  if (!values.achternaam) errors.achternaam = 'Vul de achternaam in die het kind waarschijnlijk krijgt.';
  else if (values.achternaam.length > 200) errors.achternaam = 'De achternaam mag hoogstens 200 tekens hebben.';
  const expectedReading = readDate(values['verwachte-datum']);
  const expectedProblem = dateProblem(expectedReading, {
    what: 'de verwachte geboortedatum',
    example: addDaysToIsoDate(today, 120),
    empty: 'Vul de verwachte geboortedatum in.',
  });
  const expected = expectedReading.kind === 'date' ? expectedReading.date : undefined;
  if (expectedProblem) errors['verwachte-datum'] = expectedProblem;
  else if (expected && (expected <= today || expected > addDaysToIsoDate(today, UNBORN_MAX_DAYS_AHEAD))) errors['verwachte-datum'] = EXPECTED_OUT_OF_RANGE;
  if (values.kenmerk.length > 100) errors.kenmerk = 'Uw kenmerk mag hoogstens 100 tekens hebben.';
  let legalBasis: LegalBasis | undefined;
  if (values.informeren === 'uitgesteld') {
    const reason = POSTPONEMENTS[values['uitstel-reden']];
    if (!reason) errors['uitstel-reden'] = 'Kies waarom u het informeren heeft uitgesteld.';
    else legalBasis = { basis: 'informing_postponed', reason };
  } else if (values.informeren === 'gedaan') {
    if (values.geinformeerd.length === 0) errors.geinformeerd = 'Kies wie u heeft geïnformeerd: bij een ongeboren kind de moeder (de ouders).';
    const reading = readDate(values['informeer-datum']);
    const problem = dateProblem(reading, { what: 'de datum van het informeren', example: today, empty: 'Vul de datum in waarop u heeft geïnformeerd.' });
    if (problem) errors['informeer-datum'] = problem;
    if (!errors.geinformeerd && reading.kind === 'date') {
      legalBasis = { basis: 'informed', informed: values.geinformeerd.map((party) => PARTIES[party] as InformedParty), informedOn: reading.date };
    }
  } else errors.informeren = 'Kies of u de moeder heeft geïnformeerd of het informeren heeft uitgesteld.';
  if (Object.values(errors).some(Boolean) || !expected || !legalBasis) return { errors };
  return {
    errors,
    input: {
      person: {
        identifiedBy: 'unborn',
        motherBsn: values['moeder-bsn'],
        name: {
          ...(values.voornamen && { givenNames: values.voornamen }),
          ...(values.voorvoegsel && { familyNamePrefix: values.voorvoegsel }),
          familyName: values.achternaam,
        } as FileSignalInput['person']['name'] & object,
        dateOfBirth: expected,
      },
      legalBasis,
      ...(values.kenmerk && { clientReference: values.kenmerk }),
    },
  };
}

const EXPECTED_OUT_OF_RANGE = `De verwachte geboortedatum ligt na vandaag en hoogstens ${UNBORN_MAX_DAYS_AHEAD} dagen vooruit.`;

/** The service's problems, in Dutch, keyed by form field. */
function translateUnbornProblems(problems: { name: string; code: string }[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const { name, code } of problems) {
    if (code === 'unborn_signals_off') errors['moeder-bsn'] ??= 'De gemeente staat signalen op een ongeboren kind niet (meer) toe.';
    else if (code === 'bsn_unknown_in_register') errors['moeder-bsn'] ??= 'De BRP kent dit BSN niet. Controleer de cijfers.';
    else if (code === 'person_deceased') errors['moeder-bsn'] ??= 'Volgens de BRP is de persoon met dit BSN overleden. Controleer de cijfers.';
    else if (name === 'person.motherBsn') errors['moeder-bsn'] ??= 'Dit BSN klopt niet. Controleer de cijfers.';
    else if (name === 'person.dateOfBirth') errors['verwachte-datum'] ??= EXPECTED_OUT_OF_RANGE;
    else if (name === 'legalBasis.informed' || name === 'legalBasis.basis')
      errors.geinformeerd ??= 'Bij een ongeboren kind informeert u de moeder: vink "De ouders of de voogd" aan.';
    else if (name === 'legalBasis.informedOn') errors['informeer-datum'] ??= 'De datum kan niet in de toekomst liggen.';
    else if (name.startsWith('person.name')) errors.achternaam ??= 'Controleer de naam.';
    else errors['moeder-bsn'] ??= 'Controleer het formulier.';
  }
  return errors;
}

function UnbornPage(props: { ctx: PageContext; values: UnbornValues; errors: FieldErrors; today: IsoDate }): Html {
  const { values: v, errors: e } = props;
  const failed = Object.values(e).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: signaal op een ongeboren kind' : 'Signaal op een ongeboren kind'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Signaal op een ongeboren kind</h1>
        <Paragraph lead>
          U legt vast dat u betrokken bent bij een kind dat nog geboren moet worden. SluiS herkent het kind aan het BSN van de moeder. Is het kind geboren, voeg
          dan op uw signaal het BSN van het kind toe.
        </Paragraph>
        <Form action="/signalen/nieuw-ongeboren" csrf={props.ctx.csrf} errors={e}>
          <h2 class="utrecht-heading-2">Wie is het kind?</h2>
          <TextField
            id="moeder-bsn"
            label="BSN van de moeder"
            value={v['moeder-bsn']}
            error={e['moeder-bsn']}
            inputmode="numeric"
            autocomplete="off"
            maxlength={11}
            width="m"
            description="9 cijfers. Alleen voor het koppelen; niemand krijgt het te zien."
            extra={{ spellcheck: 'false' }}
          />
          <DateField
            id="verwachte-datum"
            legend="Verwachte geboortedatum"
            value={v['verwachte-datum']}
            error={e['verwachte-datum']}
            example={addDaysToIsoDate(props.today, 120)}
          />
          <TextField
            id="voornamen"
            label="Voornamen"
            value={v.voornamen}
            error={e.voornamen}
            autocomplete="off"
            maxlength={200}
            required={false}
            description='Als die al bekend zijn. Leeg: SluiS toont "Ongeboren kind".'
          />
          <div class="sluis-field-row sluis-field-row--name">
            <TextField
              id="voorvoegsel"
              label="Tussenvoegsel"
              value={v.voorvoegsel}
              error={e.voorvoegsel}
              autocomplete="off"
              maxlength={20}
              required={false}
              width="s"
            />
            <TextField id="achternaam" label="Achternaam" value={v.achternaam} error={e.achternaam} autocomplete="off" maxlength={200} />
          </div>
          <TextField
            id="kenmerk"
            label="Uw kenmerk"
            value={v.kenmerk}
            error={e.kenmerk}
            autocomplete="off"
            maxlength={100}
            required={false}
            width="m"
            description="Bijvoorbeeld uw dossiernummer. Alleen u ziet het."
          />
          <section class="sluis-legal-basis" id="grondslag" data-vandaag={props.today} aria-labelledby="informeren-titel">
            <h2 class="utrecht-heading-2" id="informeren-titel">
              Informeren
            </h2>
            <Paragraph>Bij een ongeboren kind informeert u de moeder (de ouders) over uw signaal.</Paragraph>
            <ChoiceGroup
              id="informeren"
              legend="Heeft u de moeder geïnformeerd?"
              selected={v.informeren}
              error={e.informeren}
              options={[
                { value: 'gedaan', label: 'Ja, ik heb geïnformeerd' },
                { value: 'uitgesteld', label: 'Nee, ik stel het informeren uit' },
              ]}
            />
            <InformedFields
              informed={v.geinformeerd}
              date={v['informeer-datum']}
              reason={v['uitstel-reden']}
              errors={e}
              today={props.today}
              reasonLegend="Waarom stelt u het informeren uit?"
            />
          </section>
          <div class="sluis-actions">
            <Button>Signaal afgeven</Button>
            <a class="utrecht-link" href="/signalen/nieuw">
              Annuleren
            </a>
          </div>
        </Form>
      </div>
    </Page>
  );
}
