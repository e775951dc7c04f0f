/**
 * The data breach register under /beheer/datalekken (covenant privacy rules art. 13;
 * docs/accountability.md), for the municipality's administrators and privacy officers: the list
 * (the most recently found first, with where each stands against the 72 hours), recording a new
 * breach, and one breach with its assessment, the notice to the Autoriteit Persoonsgegevens, the
 * persons, and the mail to the partner organisations' coordinators. The breach service authorises
 * and audits every read and change; no page shows person data (the description is staff-written
 * text about the breach, and the form says to name no one).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { BREACH_CATEGORY_LABELS, BREACH_DATA_CATEGORY_LABELS } from '../../breaches/breach-labels.ts';
import {
  AP_DEADLINE_HOURS,
  type ApStanding,
  BREACH_CATEGORIES,
  BREACH_DATA_CATEGORIES,
  type BreachCategory,
  type BreachDataCategory,
  personsText,
} from '../../breaches/breach-rules.ts';
import type { BreachChange, BreachInput, BreachPartner, BreachView } from '../../breaches/breach-service.ts';
import type { StaffActor } from '../../shared/actor.ts';
import { amsterdamDate, amsterdamInstant } from '../../shared/calendar.ts';
import { Problem } from '../../shared/errors.ts';
import {
  Alert,
  Button,
  ButtonLink,
  ChoiceGroup,
  DataList,
  DateField,
  type FieldErrors,
  Form,
  formatDate,
  formatDateTime,
  Heading,
  Paragraph,
  StatusBadge,
  Table,
  TextArea,
  TextField,
} from '../components.tsx';
import { checkDateField, type DateParts, exampleText, NO_DATE } from '../date-input.ts';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { field, notFound, queryParam, redirect, sendPage } from '../web-context.ts';
import { type AdminOptions, fieldValues, requireAccountabilityStaff, wholeNumber } from './admin-shared.ts';

const BASE = '/beheer/datalekken';
const TEXT_MAX = 2000;
const PERSONS_MAX = 100_000_000;
const isId = (id: string) => /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(id);
const number = (n: number) => n.toLocaleString('nl-NL');
const hours = (n: number) => `${number(n)} uur`;

// ------------------------------------------------------------------------------------------------
// Where a breach stands against the 72 hours, in words

/** A short badge for the list and the detail page. */
export function StandingBadge(props: { standing: ApStanding }): Html {
  const s = props.standing;
  switch (s.state) {
    case 'not_required':
      return <StatusBadge tone="neutral">AP hoeft het niet te weten</StatusBadge>;
    case 'notified':
      return s.late ? <StatusBadge tone="warning">Te laat gemeld bij de AP</StatusBadge> : <StatusBadge tone="ok">Op tijd gemeld bij de AP</StatusBadge>;
    case 'open':
      return <StatusBadge tone="new">Nog {hours(s.hoursLeft)}</StatusBadge>;
    case 'overdue':
      return <StatusBadge tone="warning">Te laat: {hours(s.hoursOver)} over de termijn</StatusBadge>;
  }
}

/** The deadline plainly, at the top of a breach's page. */
function DeadlineNotice(props: { view: BreachView }): Html {
  const { view: b } = props;
  const s = b.apStanding;
  const deadline = formatDateTime(b.apDeadline);
  switch (s.state) {
    case 'overdue':
      return (
        <Alert type="warning" role="alert" title={`De termijn van ${AP_DEADLINE_HOURS} uur is verstreken`}>
          <p class="utrecht-paragraph">
            De Autoriteit Persoonsgegevens had dit datalek uiterlijk op {deadline} moeten horen: dat is {hours(s.hoursOver)} geleden.{' '}
            {b.apRequired === null ? 'Beoordeel nu of de AP het moet weten.' : 'Meld het zo snel mogelijk bij de AP, met de reden waarom het later is.'}
          </p>
        </Alert>
      );
    case 'open':
      return (
        <Alert type="info" title={`Nog ${hours(s.hoursLeft)} om het datalek bij de AP te melden`}>
          <p class="utrecht-paragraph">
            Uiterlijk {deadline} ({AP_DEADLINE_HOURS} uur na de ontdekking).{' '}
            {b.apRequired === null ? 'Beoordeel eerst of de AP het moet weten.' : 'U beoordeelde dat de AP het moet weten.'}
          </p>
        </Alert>
      );
    case 'notified':
      return (
        <Alert type={s.late ? 'warning' : 'ok'} title={s.late ? 'Gemeld bij de AP, na de termijn' : 'Op tijd gemeld bij de AP'}>
          <p class="utrecht-paragraph">
            Gemeld op {formatDate(b.apNotifiedOn!)}; de termijn liep tot {deadline}.
          </p>
        </Alert>
      );
    case 'not_required':
      return (
        <Alert type="ok" title="De AP hoeft dit datalek niet te horen">
          <p class="utrecht-paragraph">Zo beoordeeld op {formatDateTime(b.assessedAt!)}. De redenen staan hieronder.</p>
        </Alert>
      );
  }
}

// ------------------------------------------------------------------------------------------------
// The list

function ListPage(props: { ctx: PageContext; items: BreachView[] }): Html {
  const overdue = props.items.filter((b) => b.apStanding.state === 'overdue').length;
  const open = props.items.filter((b) => b.apStanding.state === 'open').length;
  return (
    <Page ctx={props.ctx} title="Datalekken" wide>
      <Heading>Datalekken</Heading>
      <Paragraph lead>
        Het register van datalekken in SluiS (artikel 13 van het privacyreglement). Moet de Autoriteit Persoonsgegevens (AP) een datalek horen, dan binnen{' '}
        {AP_DEADLINE_HOURS} uur na de ontdekking. De partnerorganisaties hoort u via hun coördinatoren.
      </Paragraph>
      {overdue + open > 0 ? (
        <Alert type="warning" title="Let op de termijn van 72 uur">
          {overdue > 0 ? `${overdue} ${overdue === 1 ? 'datalek is' : 'datalekken zijn'} over de termijn en nog niet gemeld bij de AP. ` : ''}
          {open > 0 ? `${open} ${open === 1 ? 'datalek loopt' : 'datalekken lopen'} nog binnen de termijn.` : ''}
        </Alert>
      ) : null}
      <div class="sluis-actions">
        <ButtonLink href={`${BASE}/nieuw`}>Datalek vastleggen</ButtonLink>
      </div>
      <Table
        caption="Datalekken, het laatst ontdekte eerst"
        head={['Datalek', 'Ontdekt', 'Autoriteit Persoonsgegevens', 'Personen']}
        empty="Er zijn geen datalekken vastgelegd."
        rows={props.items.map((b) => [
          <a class="utrecht-link" href={`${BASE}/${b.id}`}>
            {BREACH_CATEGORY_LABELS[b.category]}
          </a>,
          formatDateTime(b.discoveredAt),
          <StandingBadge standing={b.apStanding} />,
          `${personsText(b.personsMin, b.personsMax)}${b.personsInformed === true ? ', ingelicht' : b.personsInformed === false ? ', niet ingelicht' : ''}`,
        ])}
      />
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Recording a breach

type NewValues = {
  soort: string;
  omschrijving: string;
  gebeurd: DateParts;
  ontdekt: DateParts;
  tijd: string;
  gegevens: string[];
  aantal: string;
  tot: string;
  onbekend: string[];
};
const EMPTY: NewValues = { soort: '', omschrijving: '', gebeurd: NO_DATE, ontdekt: NO_DATE, tijd: '', gegevens: [], aantal: '', tot: '', onbekend: [] };
const options = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((value) => ({ value, label: labels[value] }));

function NewPage(props: { ctx: PageContext; values: NewValues; errors?: FieldErrors; today: string }): Html {
  const { values: v } = props;
  const errors = props.errors ?? {};
  const failed = Object.values(errors).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: datalek vastleggen' : 'Datalek vastleggen'}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href={BASE}>
            Alle datalekken
          </a>
        </p>
        <Heading>Datalek vastleggen</Heading>
        <Paragraph>
          Leg vast wat er gebeurde, wanneer het ontdekt is en om welke gegevens het gaat. Daarna beoordeelt u of de Autoriteit Persoonsgegevens het moet horen:
          de termijn van {AP_DEADLINE_HOURS} uur loopt vanaf de ontdekking.
        </Paragraph>
        <Form action={`${BASE}/nieuw`} csrf={props.ctx.csrf} errors={errors}>
          <ChoiceGroup
            id="soort"
            legend="Wat gebeurde er?"
            options={options(BREACH_CATEGORIES, BREACH_CATEGORY_LABELS)}
            selected={v.soort}
            error={errors.soort}
          />
          <TextArea
            id="omschrijving"
            label="Omschrijving"
            value={v.omschrijving}
            maxlength={TEXT_MAX}
            error={errors.omschrijving}
            description="In een paar zinnen: wat er gebeurde en wat er al is gedaan. Noem geen namen of andere gegevens van personen."
          />
          <DateField
            id="gebeurd"
            legend="Wanneer gebeurde het?"
            required={false}
            value={v.gebeurd}
            error={errors.gebeurd}
            description={`Laat leeg als het niet bekend is. In cijfers, bijvoorbeeld ${exampleText(props.today)}.`}
          />
          <DateField id="ontdekt" legend="Wanneer is het ontdekt?" value={v.ontdekt} error={errors.ontdekt} example={props.today} />
          <TextField
            id="tijd"
            label="Tijdstip van de ontdekking"
            value={v.tijd}
            width="xs"
            maxlength={5}
            inputmode="numeric"
            autocomplete="off"
            error={errors.tijd}
            description="Uur en minuten, bijvoorbeeld 09:30. De termijn van 72 uur telt vanaf dit moment."
          />
          <ChoiceGroup
            id="gegevens"
            legend="Om welke gegevens gaat het?"
            multiple
            options={options(BREACH_DATA_CATEGORIES, BREACH_DATA_CATEGORY_LABELS)}
            selected={v.gegevens}
            error={errors.gegevens}
            description="Kies alles wat van toepassing is."
          />
          <TextField
            id="aantal"
            label="Om hoeveel personen gaat het?"
            value={v.aantal}
            width="s"
            maxlength={9}
            inputmode="numeric"
            autocomplete="off"
            error={errors.aantal}
            description="Het aantal, of bij een schatting het laagste aantal."
          />
          <TextField
            id="tot"
            label="Hoogste aantal bij een schatting"
            value={v.tot}
            width="s"
            maxlength={9}
            inputmode="numeric"
            autocomplete="off"
            required={false}
            error={errors.tot}
            description="Bijvoorbeeld 50 bij ‘10 tot 50 personen’. Leeg: precies het aantal hierboven."
          />
          <ChoiceGroup
            id="onbekend"
            legend="Is het hoogste aantal bekend?"
            multiple
            options={[{ value: 'ja', label: 'Nee: het zijn er minstens zoveel als hierboven' }]}
            selected={v.onbekend}
          />
          <div class="sluis-actions">
            <Button>Datalek vastleggen</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

const TIME = /^([01]?\d|2[0-3])[:.]([0-5]\d)$/;

/** The form as typed, its problems in Dutch, and the input for the service when there are none. */
export function readNew(body: unknown, now: Date): { values: NewValues; errors: FieldErrors; input?: BreachInput } {
  const today = amsterdamDate(now);
  const occurred = checkDateField(body, 'gebeurd', { what: 'de datum waarop het gebeurde', example: today });
  const discovered = checkDateField(body, 'ontdekt', { what: 'de datum van de ontdekking', example: today, empty: 'Vul in wanneer het datalek is ontdekt.' });
  const v: NewValues = {
    soort: field(body, 'soort'),
    omschrijving: field(body, 'omschrijving'),
    gebeurd: occurred.parts,
    ontdekt: discovered.parts,
    tijd: field(body, 'tijd'),
    gegevens: fieldValues(body, 'gegevens'),
    aantal: field(body, 'aantal'),
    tot: field(body, 'tot'),
    onbekend: fieldValues(body, 'onbekend'),
  };
  const errors: FieldErrors = {};
  if (!(BREACH_CATEGORIES as readonly string[]).includes(v.soort)) errors.soort = 'Kies wat er gebeurde.';
  if (!v.omschrijving) errors.omschrijving = 'Beschrijf in een paar zinnen wat er gebeurde.';
  else if (v.omschrijving.length > TEXT_MAX) errors.omschrijving = `De omschrijving is te lang: hooguit ${number(TEXT_MAX)} tekens.`;
  errors.gebeurd = occurred.error;
  if (occurred.date && occurred.date > today) errors.gebeurd = 'De datum waarop het gebeurde ligt in de toekomst.';
  errors.ontdekt = discovered.error;
  const time = TIME.exec(v.tijd);
  if (!v.tijd) errors.tijd = 'Vul het tijdstip van de ontdekking in, bijvoorbeeld 09:30.';
  else if (!time) errors.tijd = 'Vul het tijdstip in als uur en minuten, bijvoorbeeld 09:30.';
  const discoveredAt = discovered.date && time ? amsterdamInstant(discovered.date, Number(time[1]), Number(time[2])) : undefined;
  if (discoveredAt && discoveredAt > now) errors.ontdekt = 'Het moment van ontdekking ligt in de toekomst.';
  else if (discovered.date && occurred.date && occurred.date > discovered.date) errors.gebeurd = 'Het datalek kan niet gebeurd zijn na de ontdekking.';
  const categories = v.gegevens.filter((c): c is BreachDataCategory => (BREACH_DATA_CATEGORIES as readonly string[]).includes(c));
  if (categories.length === 0) errors.gegevens = 'Kies om welke gegevens het gaat.';
  const min = wholeNumber(v.aantal, 0, 999_999) ?? (/^\d{7,9}$/.test(v.aantal) && Number(v.aantal) <= PERSONS_MAX ? Number(v.aantal) : undefined);
  if (!v.aantal) errors.aantal = 'Vul in om hoeveel personen het gaat (een schatting mag).';
  else if (min === undefined) errors.aantal = 'Vul het aantal personen in als een heel getal, bijvoorbeeld 12.';
  const unknown = v.onbekend.includes('ja');
  let max: number | null | undefined = min;
  if (unknown) {
    max = null;
    if (v.tot) errors.tot = 'U koos dat het hoogste aantal niet bekend is: laat dit veld leeg.';
  } else if (v.tot) {
    max = /^\d{1,9}$/.test(v.tot) && Number(v.tot) <= PERSONS_MAX ? Number(v.tot) : undefined;
    if (max === undefined) errors.tot = 'Vul het hoogste aantal in als een heel getal, bijvoorbeeld 50.';
    else if (min !== undefined && max < min) errors.tot = 'Het hoogste aantal is kleiner dan het aantal hierboven.';
  }
  if (Object.values(errors).some(Boolean) || !discoveredAt || min === undefined || max === undefined) return { values: v, errors };
  return {
    values: v,
    errors,
    input: {
      category: v.soort as BreachCategory,
      description: v.omschrijving,
      occurredOn: occurred.date ?? null,
      discoveredAt,
      dataCategories: categories,
      personsMin: min,
      personsMax: max,
    },
  };
}

// ------------------------------------------------------------------------------------------------
// One breach

type Step = 'beoordeling' | 'ap' | 'personen' | 'partners';
type StepErrors = { step: Step; errors: FieldErrors; values: Record<string, string | string[] | DateParts> };

const DONE: Record<string, string> = {
  vastgelegd: 'Het datalek is vastgelegd. Beoordeel nu of de Autoriteit Persoonsgegevens het moet horen.',
  beoordeling: 'De beoordeling is vastgelegd.',
  ap: 'Vastgelegd wanneer het datalek bij de AP is gemeld.',
  personen: 'Vastgelegd wat de personen hoorden.',
  partners: 'De coördinatoren van de gekozen partnerorganisaties krijgen een mail.',
};

function DetailPage(props: { ctx: PageContext; view: BreachView; partners: BreachPartner[]; today: string; done?: string; failed?: StepErrors }): Html {
  const { view: b, ctx } = props;
  const base = `${BASE}/${b.id}`;
  const failed = props.failed;
  const errorsOf = (step: Step): FieldErrors => (failed?.step === step ? failed.errors : {});
  const typedIn = (step: Step, name: string): string => {
    const value = failed?.step === step ? failed.values[name] : undefined;
    return typeof value === 'string' ? value : '';
  };
  const datesOf = (step: Step, name: string): DateParts => {
    const value = failed?.step === step ? failed.values[name] : undefined;
    return value && typeof value === 'object' && !Array.isArray(value) ? value : NO_DATE;
  };
  const listOf = (step: Step, name: string): string[] => {
    const value = failed?.step === step ? failed.values[name] : undefined;
    return Array.isArray(value) ? value : [];
  };
  const title = BREACH_CATEGORY_LABELS[b.category];
  return (
    <Page ctx={ctx} title={failed ? `Fout: datalek ${title.toLowerCase()}` : `Datalek: ${title.toLowerCase()}`}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href={BASE}>
            Alle datalekken
          </a>
        </p>
        <Heading>Datalek: {title.toLowerCase()}</Heading>
        {props.done && DONE[props.done] ? (
          <Alert type="ok" role="status">
            {DONE[props.done]}
          </Alert>
        ) : null}
        <DeadlineNotice view={b} />
        <DataList
          items={[
            ['Wat er gebeurde', title],
            ['Omschrijving', <span class="sluis-admin-details">{b.description}</span>],
            ['Gebeurd op', b.occurredOn ? formatDate(b.occurredOn) : 'Niet bekend'],
            ['Ontdekt op', formatDateTime(b.discoveredAt)],
            [
              'Melden bij de AP uiterlijk',
              <span>
                {formatDateTime(b.apDeadline)} <StandingBadge standing={b.apStanding} />
              </span>,
            ],
            ['Gegevens', b.dataCategories.map((c) => BREACH_DATA_CATEGORY_LABELS[c]).join('; ')],
            ['Aantal personen', personsText(b.personsMin, b.personsMax)],
            ['Vastgelegd', `${formatDateTime(b.recordedAt)} door ${b.recordedByName}`],
          ]}
        />

        <section aria-labelledby="beoordeling-kop">
          <Heading level={2} id="beoordeling-kop">
            Beoordeling: moet de AP het horen?
          </Heading>
          {b.apRequired === null ? (
            <Paragraph>Nog niet beoordeeld.</Paragraph>
          ) : (
            <DataList
              items={[
                ['Moet de AP het horen?', b.apRequired ? 'Ja' : 'Nee'],
                ['Redenen', <span class="sluis-admin-details">{b.assessmentReasons}</span>],
                ['Beoordeeld', formatDateTime(b.assessedAt!)],
              ]}
            />
          )}
          <Form action={`${base}/beoordeling`} csrf={ctx.csrf} errors={errorsOf('beoordeling')}>
            <ChoiceGroup
              id="moet"
              legend="Moet de Autoriteit Persoonsgegevens het horen?"
              options={[
                { value: 'ja', label: 'Ja', description: 'Het datalek brengt waarschijnlijk een risico mee voor de rechten van de personen.' },
                { value: 'nee', label: 'Nee', description: 'Het is onwaarschijnlijk dat het een risico meebrengt (leg uit waarom).' },
              ]}
              selected={typedIn('beoordeling', 'moet') || (b.apRequired === null ? '' : b.apRequired ? 'ja' : 'nee')}
              error={errorsOf('beoordeling').moet}
            />
            <TextArea
              id="redenen"
              label="Redenen"
              value={typedIn('beoordeling', 'redenen') || (b.assessmentReasons ?? '')}
              maxlength={TEXT_MAX}
              error={errorsOf('beoordeling').redenen}
              description="Waarom wel of niet. Noem geen gegevens van personen."
            />
            <div class="sluis-actions">
              <Button kind={b.apRequired === null ? 'primary' : 'secondary'}>Beoordeling vastleggen</Button>
            </div>
          </Form>
        </section>

        {b.apRequired === false ? null : (
          <section aria-labelledby="ap-kop">
            <Heading level={2} id="ap-kop">
              Gemeld bij de AP
            </Heading>
            {b.apNotifiedOn ? (
              <DataList
                items={[
                  ['Gemeld op', formatDate(b.apNotifiedOn)],
                  ['Nummer van de AP', b.apReference ?? '—'],
                ]}
              />
            ) : (
              <Paragraph>
                Nog niet gemeld. Melden doet u op de website van de Autoriteit Persoonsgegevens; leg hier vast wanneer dat gebeurde en het nummer dat de AP gaf.
              </Paragraph>
            )}
            <Form action={`${base}/ap`} csrf={ctx.csrf} errors={errorsOf('ap')}>
              <DateField id="gemeld" legend="Gemeld bij de AP op" value={datesOf('ap', 'gemeld')} error={errorsOf('ap').gemeld} example={props.today} />
              <TextField
                id="nummer"
                label="Nummer van de AP"
                value={typedIn('ap', 'nummer') || (b.apReference ?? '')}
                width="m"
                maxlength={100}
                required={false}
                autocomplete="off"
                error={errorsOf('ap').nummer}
              />
              <div class="sluis-actions">
                <Button kind={b.apNotifiedOn ? 'secondary' : 'primary'}>Vastleggen</Button>
              </div>
            </Form>
          </section>
        )}

        <section aria-labelledby="personen-kop">
          <Heading level={2} id="personen-kop">
            De personen
          </Heading>
          <Paragraph>
            {b.personsInformed === true
              ? `De personen zijn ingelicht op ${formatDate(b.personsInformedOn!)}.`
              : b.personsInformed === false
                ? `De personen worden niet ingelicht: ${b.personsReasons}`
                : 'Nog niet vastgelegd of de personen het horen. Bij een hoog risico voor hen moeten zij het horen (AVG artikel 34).'}
          </Paragraph>
          <Form action={`${base}/personen`} csrf={ctx.csrf} errors={errorsOf('personen')}>
            <ChoiceGroup
              id="ingelicht"
              legend="Horen de personen het?"
              options={[
                { value: 'ja', label: 'Ja, ze zijn ingelicht' },
                { value: 'nee', label: 'Nee, ze worden niet ingelicht' },
              ]}
              selected={typedIn('personen', 'ingelicht')}
              error={errorsOf('personen').ingelicht}
            />
            <DateField id="op" legend="Ingelicht op (bij ja)" value={datesOf('personen', 'op')} error={errorsOf('personen').op} example={props.today} />
            <TextArea
              id="waarom"
              label="Waarom niet (bij nee)"
              value={typedIn('personen', 'waarom')}
              maxlength={TEXT_MAX}
              required={false}
              error={errorsOf('personen').waarom}
            />
            <div class="sluis-actions">
              <Button kind="secondary">Vastleggen</Button>
            </div>
          </Form>
        </section>

        <section aria-labelledby="partners-kop">
          <Heading level={2} id="partners-kop">
            De partnerorganisaties
          </Heading>
          <Paragraph>
            De coördinatoren van de gekozen organisaties krijgen een mail met de soort datalek, de dag van de ontdekking, de soorten gegevens en of de AP het
            weet. Nooit de omschrijving, nooit gegevens van personen (artikel 13 van het privacyreglement).
          </Paragraph>
          <Table
            caption="Al ingelicht"
            head={['Organisatie', 'Verstuurd', 'Coördinatoren']}
            empty="Nog geen partnerorganisatie ingelicht."
            rows={b.notices.map((n) => [
              n.organisationName,
              formatDateTime(n.sentAt),
              n.recipients === 0 ? 'Geen actieve coördinator: niemand kreeg de mail' : number(n.recipients),
            ])}
          />
          {props.partners.length === 0 ? (
            <Paragraph>Er zijn geen organisaties met een convenant dat loopt.</Paragraph>
          ) : (
            <Form action={`${base}/partners`} csrf={ctx.csrf} errors={errorsOf('partners')}>
              <ChoiceGroup
                id="organisaties"
                legend="Welke organisaties?"
                multiple
                options={props.partners.map((p) => ({
                  value: p.id,
                  label: p.name,
                  description:
                    p.coordinators === 0
                      ? 'Geen actieve coördinator: niemand krijgt de mail'
                      : `${p.coordinators} ${p.coordinators === 1 ? 'coördinator' : 'coördinatoren'}`,
                }))}
                selected={listOf('partners', 'organisaties')}
                error={errorsOf('partners').organisaties}
              />
              <div class="sluis-actions">
                <Button kind="secondary">Gekozen organisaties inlichten</Button>
                <Button kind="secondary" name="alle" value="ja">
                  Alle {props.partners.length} partnerorganisaties inlichten
                </Button>
              </div>
            </Form>
          )}
        </section>
      </div>
    </Page>
  );
}

/** A step's form: its change for the service, or its problems in Dutch and what was typed. */
type StepReading = { change?: BreachChange; failed?: StepErrors };

function readAssessment(body: unknown): StepReading {
  const moet = field(body, 'moet');
  const redenen = field(body, 'redenen');
  const errors: FieldErrors = {};
  if (moet !== 'ja' && moet !== 'nee') errors.moet = 'Kies of de AP het moet horen.';
  if (!redenen) errors.redenen = 'Vul de redenen in.';
  else if (redenen.length > TEXT_MAX) errors.redenen = `Hooguit ${number(TEXT_MAX)} tekens.`;
  if (Object.values(errors).some(Boolean)) return { failed: { step: 'beoordeling', errors, values: { moet, redenen } } };
  return { change: { assessment: { apRequired: moet === 'ja', reasons: redenen } } };
}

/** A day on or after the discovery and not in the future. */
function checkDay(body: unknown, name: string, what: string, view: BreachView, today: string) {
  const day = checkDateField(body, name, { what, example: today, empty: `Vul ${what} in.` });
  let error = day.error;
  if (day.date && day.date > today) error = `${what.charAt(0).toUpperCase()}${what.slice(1)} ligt in de toekomst.`;
  else if (day.date && day.date < amsterdamDate(view.discoveredAt)) error = `${what.charAt(0).toUpperCase()}${what.slice(1)} ligt vóór de ontdekking.`;
  return { ...day, error };
}

function readApNotice(body: unknown, view: BreachView, today: string): StepReading {
  const day = checkDay(body, 'gemeld', 'de datum waarop het bij de AP is gemeld', view, today);
  const nummer = field(body, 'nummer');
  const errors: FieldErrors = { gemeld: day.error };
  if (nummer.length > 100) errors.nummer = 'Hooguit 100 tekens.';
  if (Object.values(errors).some(Boolean) || !day.date) return { failed: { step: 'ap', errors, values: { gemeld: day.parts, nummer } } };
  return { change: { apNotice: { notifiedOn: day.date, reference: nummer || null } } };
}

function readPersons(body: unknown, view: BreachView, today: string): StepReading {
  const ingelicht = field(body, 'ingelicht');
  const waarom = field(body, 'waarom');
  const day = checkDay(body, 'op', 'de datum waarop de personen het hoorden', view, today);
  const errors: FieldErrors = {};
  if (ingelicht === 'ja') errors.op = day.error;
  else if (ingelicht === 'nee') {
    if (!waarom) errors.waarom = 'Vul in waarom de personen het niet horen.';
    else if (waarom.length > TEXT_MAX) errors.waarom = `Hooguit ${number(TEXT_MAX)} tekens.`;
  } else errors.ingelicht = 'Kies of de personen het horen.';
  const failed = { step: 'personen' as const, errors, values: { ingelicht, waarom, op: day.parts } };
  if (Object.values(errors).some(Boolean)) return { failed };
  if (ingelicht === 'ja') return day.date ? { change: { persons: { informed: true, informedOn: day.date } } } : { failed };
  return { change: { persons: { informed: false, reasons: waarom } } };
}

export async function breachPages(app: FastifyInstance, { services }: AdminOptions) {
  const breaches = services.breaches;
  const today = () => amsterdamDate(services.clock.now());

  app.get(BASE, async (request, reply) => {
    const actor = requireAccountabilityStaff(request);
    return sendPage(reply, <ListPage ctx={request.pageContext} items={await breaches.list(actor)} />);
  });

  app.get(`${BASE}/nieuw`, async (request, reply) => {
    requireAccountabilityStaff(request);
    return sendPage(reply, <NewPage ctx={request.pageContext} values={EMPTY} today={today()} />);
  });

  app.post(`${BASE}/nieuw`, async (request, reply) => {
    const actor = requireAccountabilityStaff(request);
    const read = readNew(request.body, services.clock.now());
    if (!read.input) return sendPage(reply, <NewPage ctx={request.pageContext} values={read.values} errors={read.errors} today={today()} />, 422);
    const view = await breaches.record(actor, read.input);
    return redirect(reply, `${BASE}/${view.id}?klaar=vastgelegd`);
  });

  const show = async (request: FastifyRequest, reply: FastifyReply, actor: StaffActor, id: string, failed?: StepErrors) => {
    const view = await breaches.get(actor, id).catch((error: unknown) => {
      throw error instanceof Problem && error.status === 404 ? notFound() : error;
    });
    const partners = await breaches.partners(actor);
    const done = failed ? undefined : queryParam(request, 'klaar');
    return sendPage(
      reply,
      <DetailPage ctx={request.pageContext} view={view} partners={partners} today={today()} {...(done && { done })} {...(failed && { failed })} />,
      failed ? 422 : 200,
    );
  };

  app.get<{ Params: { id: string } }>(`${BASE}/:id`, async (request, reply) => {
    const actor = requireAccountabilityStaff(request);
    if (!isId(request.params.id)) throw notFound();
    return show(request, reply, actor, request.params.id);
  });

  /** A step on a breach: read the form against the breach as it is, change it, and back to its page. */
  const step = (path: Step, read: (body: unknown, view: BreachView, today: string) => StepReading) =>
    app.post<{ Params: { id: string } }>(`${BASE}/:id/${path}`, async (request, reply) => {
      const actor = requireAccountabilityStaff(request);
      const { id } = request.params;
      if (!isId(id)) throw notFound();
      const current = await breaches.get(actor, id).catch((error: unknown) => {
        throw error instanceof Problem && error.status === 404 ? notFound() : error;
      });
      const reading = read(request.body, current, today());
      if (!reading.change) return show(request, reply, actor, id, reading.failed);
      await breaches.change(actor, id, reading.change);
      return redirect(reply, `${BASE}/${id}?klaar=${path}`);
    });

  step('beoordeling', (body) => readAssessment(body));
  step('ap', readApNotice);
  step('personen', readPersons);

  app.post<{ Params: { id: string } }>(`${BASE}/:id/partners`, async (request, reply) => {
    const actor = requireAccountabilityStaff(request);
    const { id } = request.params;
    if (!isId(id)) throw notFound();
    const all = field(request.body, 'alle') === 'ja';
    const chosen = fieldValues(request.body, 'organisaties').filter(isId);
    if (!all && chosen.length === 0)
      return show(request, reply, actor, id, {
        step: 'partners',
        errors: { organisaties: 'Kies een of meer organisaties, of kies ‘Alle partnerorganisaties inlichten’.' },
        values: { organisaties: [] },
      });
    try {
      await breaches.notifyPartners(actor, id, all ? 'all' : chosen);
    } catch (error) {
      if (error instanceof Problem && error.status === 404) throw notFound();
      if (error instanceof Problem && error.status === 422)
        return show(request, reply, actor, id, {
          step: 'partners',
          errors: { organisaties: 'Een gekozen organisatie heeft geen convenant (meer) dat loopt. Kies opnieuw.' },
          values: { organisaties: chosen },
        });
      throw error;
    }
    return redirect(reply, `${BASE}/${id}?klaar=partners`);
  });
}
