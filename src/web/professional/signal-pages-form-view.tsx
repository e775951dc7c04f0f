/**
 * The "signaal afgeven" page: a short form that takes under a minute on a phone. Works without
 * JavaScript: both the consent section (23+) and the informing section (under 23) are on the page
 * under plain headings, and the server reads the one that fits the person's age today. sluis.js
 * only hides the section that does not apply and says what the law asks as soon as the date of
 * birth is typed, and checks the BSN with the 11-test while typing (the server checks again).
 */

import type { IsoDate } from '../../shared/calendar.ts';
import { Button, ChoiceGroup, DateField, Form, Paragraph, TextField } from '../components.tsx';
import type { DateParts } from '../date-input.ts';
import { type Child, Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { BIRTH_EXAMPLE, datePartsIn, type FormErrors, type SignalFormValues } from './signal-pages-form.ts';

type Props = {
  ctx: PageContext;
  values: SignalFormValues;
  errors: FormErrors;
  today: string;
  regime: 'all_ages' | 'youth';
  /** SluiS has a population register: name, birth and gender may be left empty. */
  withRegister?: boolean;
  /** The municipality allows signals on an unborn child: the form links to their own form. */
  unborn?: boolean;
  /** After how many days SluiS asks whether postponed informing happened (the setting informingFollowUpDays). */
  followUpDays: number;
  advice?: string | undefined;
};

const OFF = 'off';

export function SignalFormPage(props: Props): Html {
  const { values: v, errors: e } = props;
  const register = props.withRegister === true;
  const failed = Object.keys(e).length > 0;
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: signaal afgeven' : 'Signaal afgeven'}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Signaal afgeven</h1>
        <Paragraph lead>
          U legt vast dat u betrokken bent bij deze persoon. Niet waarom: geen reden, geen diagnose. Is een andere professional ook betrokken, dan ziet u meteen
          wie.
        </Paragraph>
        <HelpLinks ctx={props.ctx} />
        <Form action="/signalen/nieuw" csrf={props.ctx.csrf} errors={e as Record<string, string>} class="sluis-signal-form">
          <h2 class="utrecht-heading-2">Wie is de persoon?</h2>
          <TextField
            id="bsn"
            label="BSN"
            value={v.bsn}
            error={e.bsn}
            inputmode="numeric"
            autocomplete={OFF}
            maxlength={11}
            width="m"
            description="Het burgerservicenummer: 9 cijfers. Het BSN is alleen voor het koppelen; niemand krijgt het te zien."
            extra={{ 'data-bsn': '', spellcheck: 'false' }}
          />
          <div id="bsn-controle" class="sluis-bsn-check" aria-live="polite"></div>
          {props.unborn ? (
            <Paragraph>
              Gaat het om een kind dat nog geboren moet worden?{' '}
              <a class="utrecht-link" href="/signalen/nieuw-ongeboren">
                Signaal op een ongeboren kind
              </a>
            </Paragraph>
          ) : null}
          <ChoiceGroup
            id="zonder-bsn"
            legend="Geen BSN?"
            multiple
            selected={v['zonder-bsn']}
            error={e['zonder-bsn']}
            options={[
              {
                value: 'ja',
                label: 'De persoon heeft geen burgerservicenummer, of ik weet het niet',
                description:
                  'SluiS herkent de persoon dan aan achternaam, geboortedatum en geslacht: vul die alle drie in. Voeg het BSN later toe zodra u het weet.',
              },
            ]}
          />
          {register ? (
            <Paragraph>
              U kunt deze gegevens leeg laten: SluiS haalt ze uit de BRP. Vult u de geboortedatum in, dan moet die kloppen met de BRP. Bij geheimhouding van
              gegevens in de BRP toont SluiS geen adres. Zonder BSN vult u naam, geboortedatum en geslacht wel zelf in.
            </Paragraph>
          ) : null}
          <TextField id="voornamen" label="Voornamen" value={v.voornamen} error={e.voornamen} autocomplete={OFF} maxlength={200} required={!register} />
          <div class="sluis-field-row sluis-field-row--name">
            <TextField
              id="voorvoegsel"
              label="Tussenvoegsel"
              value={v.voorvoegsel}
              error={e.voorvoegsel}
              autocomplete={OFF}
              maxlength={20}
              required={false}
              width="s"
            />
            <TextField id="achternaam" label="Achternaam" value={v.achternaam} error={e.achternaam} autocomplete={OFF} maxlength={200} required={!register} />
          </div>
          <DateField
            id="geboortedatum"
            legend="Geboortedatum"
            value={datePartsIn(v, 'geboortedatum')}
            error={e.geboortedatum}
            example={BIRTH_EXAMPLE}
            required={!register}
          />
          <ChoiceGroup
            id="geslacht"
            legend="Geslacht"
            required={!register}
            selected={v.geslacht}
            error={e.geslacht}
            options={[
              { value: 'vrouw', label: 'Vrouw' },
              { value: 'man', label: 'Man' },
              { value: 'anders', label: 'Anders' },
              { value: 'onbekend', label: 'Onbekend' },
            ]}
          />
          <Address values={v} errors={e} />
          <TextField
            id="kenmerk"
            label="Uw kenmerk"
            value={v.kenmerk}
            error={e.kenmerk}
            autocomplete={OFF}
            maxlength={100}
            required={false}
            width="m"
            description="Bijvoorbeeld uw dossiernummer. Alleen u ziet het."
          />
          <LegalBasisSection {...props} />
          <div class="sluis-actions">
            <Button>Signaal afgeven</Button>
            <a class="utrecht-link" href="/">
              Annuleren
            </a>
          </div>
        </Form>
      </div>
    </Page>
  );
}

/** Before the form: when to file and what to tell the person (/hulp), and the organisation's own signalling criteria. */
function HelpLinks(props: { ctx: PageContext }): Html {
  const user = props.ctx.user?.kind === 'professional' ? props.ctx.user : undefined;
  return (
    <p class="utrecht-paragraph sluis-help-links">
      Twijfelt u?{' '}
      <a class="utrecht-link" href="/hulp">
        Wanneer u een signaal afgeeft en wat u de persoon vertelt
      </a>
      {user ? (
        <>
          {' · '}
          <a class="utrecht-link" href={`/organisaties/${user.organisationId}#meldcriteria`}>
            De meldcriteria van {user.organisationName}
          </a>
        </>
      ) : null}
    </p>
  );
}

/** Optional as a whole, folded away so that filing stays quick; open when it holds a value or an error. */
function Address(props: { values: SignalFormValues; errors: FormErrors }): Html {
  const { values: v, errors: e } = props;
  const open = Boolean(
    v.straat || v.huisnummer || v.toevoeging || v.postcode || v.plaats || e.straat || e.huisnummer || e.toevoeging || e.postcode || e.plaats,
  );
  return (
    <details class="sluis-details sluis-address" open={open}>
      <summary class="sluis-details__summary">Adres toevoegen (niet verplicht)</summary>
      <Paragraph>Vul het hele adres in, of laat alle adresvelden leeg.</Paragraph>
      <TextField id="straat" label="Straat" value={v.straat} error={e.straat} autocomplete={OFF} maxlength={200} />
      <div class="sluis-field-row sluis-field-row--2">
        <TextField
          id="huisnummer"
          label="Huisnummer"
          value={v.huisnummer}
          error={e.huisnummer}
          autocomplete={OFF}
          inputmode="numeric"
          maxlength={5}
          width="s"
        />
        <TextField id="toevoeging" label="Toevoeging" value={v.toevoeging} error={e.toevoeging} autocomplete={OFF} maxlength={10} required={false} width="s" />
      </div>
      <div class="sluis-field-row sluis-field-row--2">
        <TextField id="postcode" label="Postcode" value={v.postcode} error={e.postcode} autocomplete={OFF} maxlength={7} width="s" />
        <TextField id="plaats" label="Plaats" value={v.plaats} error={e.plaats} autocomplete={OFF} maxlength={100} />
      </div>
    </details>
  );
}

function LegalBasisSection(props: Props): Html {
  const { values: v, errors: e } = props;
  return (
    <section class="sluis-legal-basis" id="grondslag" data-vandaag={props.today} aria-labelledby="grondslag-titel">
      <h2 class="utrecht-heading-2" id="grondslag-titel">
        Toestemming of informeren
      </h2>
      <Paragraph>Wat de wet vraagt, hangt af van de leeftijd van de persoon vandaag:</Paragraph>
      <ul class="utrecht-unordered-list sluis-age-rules">
        {props.regime === 'all_ages' ? (
          <li class="utrecht-unordered-list__item">
            <strong>23 jaar of ouder:</strong> de persoon geeft toestemming.
          </li>
        ) : null}
        <li class="utrecht-unordered-list__item">
          <strong>Jonger dan 12:</strong> u informeert de ouders of de voogd.
        </li>
        <li class="utrecht-unordered-list__item">
          <strong>12 tot en met 15 jaar:</strong> u informeert de jongere én de ouders of de voogd.
        </li>
        <li class="utrecht-unordered-list__item">
          <strong>16 tot 23 jaar:</strong> u informeert de jongere zelf.
        </li>
      </ul>
      <p class="utrecht-paragraph sluis-age-advice" id="leeftijd-uitleg" aria-live="polite">
        {props.advice ?? ''}
      </p>
      <Paragraph>
        Na het afgeven maakt SluiS een informatiebrief voor de persoon of de ouders, als PDF of als tekst om te versturen. Die kunt u gebruiken om te informeren
        of om uit te leggen waarvoor de persoon toestemming gaf.
      </Paragraph>
      {props.regime === 'all_ages' ? (
        <div class="sluis-card sluis-basis" data-sectie="toestemming">
          <h3 class="utrecht-heading-3">Persoon van 23 jaar of ouder: toestemming</h3>
          <ChoiceGroup
            id="toestemming-door"
            legend="Wie gaf toestemming?"
            selected={v['toestemming-door']}
            error={e['toestemming-door']}
            required={false}
            options={[
              { value: 'persoon', label: 'De persoon zelf' },
              { value: 'vertegenwoordiger', label: 'Een wettelijk vertegenwoordiger', description: 'Bijvoorbeeld een curator of mentor.' },
            ]}
          />
          <DateField
            id="toestemming-datum"
            legend="Datum van de toestemming"
            value={datePartsIn(v, 'toestemming-datum')}
            error={e['toestemming-datum']}
            example={props.today}
          />
        </div>
      ) : null}
      <div class="sluis-card sluis-basis" data-sectie="informeren">
        <h3 class="utrecht-heading-3">Persoon jonger dan 23: informeren</h3>
        <Paragraph>
          De Jeugdwet vraagt geen toestemming, wel dat u vooraf vertelt dat u een signaal afgeeft. Kan dat nog niet, dan mag u het informeren uitstellen.
        </Paragraph>
        <ChoiceGroup
          id="informeren"
          legend="Heeft u geïnformeerd?"
          selected={v.informeren}
          error={e.informeren}
          required={false}
          options={[
            { value: 'gedaan', label: 'Ja, ik heb geïnformeerd' },
            { value: 'uitgesteld', label: 'Nee, ik heb het informeren uitgesteld' },
          ]}
        />
        <InformedFields
          informed={v.geinformeerd}
          date={datePartsIn(v, 'informeer-datum')}
          reason={v['uitstel-reden']}
          errors={e}
          today={props.today}
          reasonLegend="Waarom is het informeren uitgesteld?"
        >
          <Paragraph>
            Over {props.followUpDays} dagen vraagt SluiS u vast te leggen of u inmiddels heeft geïnformeerd, of waarom nog niet. Dat kan ook eerder, op de
            pagina van het signaal.
          </Paragraph>
        </InformedFields>
      </div>
    </section>
  );
}

/** Who may be informed, and why informing may wait, as the forms offer them (signal-pages-form.ts reads them back). */
const PARTY_CHOICES = [
  { value: 'jongere', label: 'De jongere zelf' },
  { value: 'vertegenwoordiger', label: 'De ouders of de voogd' },
];
const POSTPONEMENT_CHOICES = [
  { value: 'veiligheid-persoon', label: 'De veiligheid van de jongere' },
  { value: 'veiligheid-anderen', label: 'De veiligheid van anderen' },
  { value: 'nog-niet-bereikbaar', label: 'De jongere of de ouders zijn nog niet bereikbaar' },
];

/**
 * The two halves the "informeren" choice opens: who was informed and when (`data-bij="gedaan"`), or why not yet
 * (`data-bij="uitgesteld"`, with `children` under the reasons). The filing form and the later informing form both use it.
 */
export function InformedFields(props: {
  informed: string[];
  date: DateParts;
  reason: string;
  errors: Partial<Record<'geinformeerd' | 'informeer-datum' | 'uitstel-reden', string>>;
  today: IsoDate;
  reasonLegend: string;
  children?: Child;
}): Html {
  const e = props.errors;
  return (
    <>
      <div data-bij="gedaan">
        <ChoiceGroup id="geinformeerd" legend="Wie heeft u geïnformeerd?" multiple selected={props.informed} error={e.geinformeerd} options={PARTY_CHOICES} />
        <DateField id="informeer-datum" legend="Datum van het informeren" value={props.date} error={e['informeer-datum']} example={props.today} />
      </div>
      <div data-bij="uitgesteld">
        <ChoiceGroup
          id="uitstel-reden"
          legend={props.reasonLegend}
          selected={props.reason}
          error={e['uitstel-reden']}
          required={false}
          options={POSTPONEMENT_CHOICES}
        />
        {props.children}
      </div>
    </>
  );
}
