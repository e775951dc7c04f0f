/**
 * The register of rights requests under /privacy/verzoeken (docs/rights.md), for the municipality's
 * administrators and privacy officers: the list (overdue and nearly due first), registering a new
 * request (the BSN travels only in the POST body; never in a URL, never shown afterwards), and one
 * request with its steps: start, extend the deadline once, record the decision and the letter, close.
 * Every read and step is audited by the rights request service.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { staffActor } from '../../accounts/web-user.ts';
import { Bsn } from '../../persons/bsn.ts';
import type { Correction } from '../../rights/rights-decision-service.ts';
import { CASE_NUMBER, mayHandleRights, type RegisterInput, type RightsRequestView } from '../../rights/rights-request-service.ts';
import {
  DECISION_REASONS,
  DECISIONS,
  type DecisionReason,
  EXTENSION_REASONS,
  type ExecutableKind,
  type ExtensionReason,
  IDENTITY_CHECKS,
  type IdentityCheck,
  isExecutable,
  MAX_EXTENSION_WEEKS,
  REQUEST_KINDS,
  REQUESTERS,
  type Requester,
  type RequestKind,
  requesterProblem,
  STATEMENT_MAX_LENGTH,
} from '../../rights/rights-rules.ts';
import type { StaffActor } from '../../shared/actor.ts';
import { amsterdamDate } from '../../shared/calendar.ts';
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
  Heading,
  Paragraph,
  StatusBadge,
  Table,
  TextArea,
  TextField,
} from '../components.tsx';
import { checkDateField, type DateParts, NO_DATE } from '../date-input.ts';
import { type Html, h } from '../html/jsx.ts';
import {
  CHANNEL_LABELS,
  DECISION_LABELS,
  DECISION_REASON_LABELS,
  EXTENSION_REASON_LABELS,
  IDENTITY_CHECK_LABELS,
  REQUEST_KIND_LABELS,
  REQUEST_STATUS_LABELS,
  REQUESTER_LABELS,
  URGENCY_LABELS,
} from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { field, forbidden, notFound, redirect, requireUser, sendPage } from '../web-context.ts';

const options = <T extends string>(values: readonly T[], labels: Record<T, string>) => values.map((value) => ({ value, label: labels[value] }));
const values = (body: unknown, name: string): string[] => {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  return (Array.isArray(value) ? value : value === undefined ? [] : [value]).filter((v): v is string => typeof v === 'string');
};

/** Administrators and privacy officers only. */
function requireRightsStaff(request: FastifyRequest): StaffActor {
  const user = requireUser(request);
  if (user.kind !== 'staff' || !mayHandleRights(user.roles)) throw forbidden();
  return staffActor(user, request.id);
}

function UrgencyBadge(props: { view: RightsRequestView }): Html {
  const tone =
    props.view.urgency === 'overdue' ? 'warning' : props.view.urgency === 'nearly_due' ? 'new' : props.view.urgency === 'answered' ? 'ok' : 'neutral';
  return <StatusBadge tone={tone}>{URGENCY_LABELS[props.view.urgency]}</StatusBadge>;
}

// ------------------------------------------------------------------------------------------------
// The list

function ListPage(props: { ctx: PageContext; items: RightsRequestView[] }): Html {
  const open = props.items.filter((r) => r.urgency !== 'answered');
  const late = open.filter((r) => r.urgency === 'overdue').length;
  const soon = open.filter((r) => r.urgency === 'nearly_due').length;
  return (
    <Page ctx={props.ctx} title="Verzoeken over persoonsgegevens" wide>
      <Heading>Verzoeken over persoonsgegevens</Heading>
      <Paragraph lead>
        Verzoeken van personen over hun gegevens in SluiS: inzage, een kopie, correctie, beperking, bezwaar, verwijdering, een eigen verklaring, overdracht en
        klachten. Elk verzoek moet binnen vier weken na ontvangst beantwoord zijn.
      </Paragraph>
      {late + soon > 0 ? (
        <Alert type="warning" title="Let op de termijn">
          {late > 0 ? `${late} ${late === 1 ? 'verzoek is' : 'verzoeken zijn'} te laat. ` : ''}
          {soon > 0 ? `${soon} ${soon === 1 ? 'verzoek moet' : 'verzoeken moeten'} binnen 7 dagen beantwoord zijn.` : ''}
        </Alert>
      ) : null}
      <div class="sluis-actions">
        <ButtonLink href="/privacy/verzoeken/nieuw">Verzoek registreren</ButtonLink>
      </div>
      <Table
        caption="Verzoeken, te laat en bijna te laat eerst"
        head={['Verzoek', 'Ontvangen', 'Termijn', 'Status', 'Via']}
        empty="Er zijn geen verzoeken."
        rows={props.items.map((r) => [
          <a class="utrecht-link" href={`/privacy/verzoeken/${r.id}`}>
            {REQUEST_KIND_LABELS[r.kind]}
            {r.caseNumber ? ` (${r.caseNumber})` : ''}
          </a>,
          formatDate(r.receivedOn),
          <span>
            {formatDate(r.dueOn)} <UrgencyBadge view={r} />
          </span>,
          REQUEST_STATUS_LABELS[r.status],
          CHANNEL_LABELS[r.through],
        ])}
      />
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Registering

type NewValues = {
  identificatie: string;
  bsn: string;
  voorvoegsel: string;
  achternaam: string;
  geslacht: string;
  geboortedatum: DateParts;
  soort: string;
  ontvangen: DateParts;
  via: string;
  verzoeker: string;
  identiteit: string;
  zaaknummer: string;
};
const EMPTY: NewValues = {
  identificatie: 'bsn',
  bsn: '',
  voorvoegsel: '',
  achternaam: '',
  geslacht: '',
  geboortedatum: NO_DATE,
  soort: '',
  ontvangen: NO_DATE,
  via: '',
  verzoeker: '',
  identiteit: '',
  zaaknummer: '',
};

function NewPage(props: { ctx: PageContext; values: NewValues; errors?: FieldErrors; today: string }): Html {
  const { values: v } = props;
  const errors = props.errors ?? {};
  const failed = Object.values(errors).some(Boolean);
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: verzoek registreren' : 'Verzoek registreren'}>
      <div class="sluis-narrow">
        <Heading>Verzoek registreren</Heading>
        <Paragraph>
          Registreer een verzoek dat de persoon (of de wettelijk vertegenwoordiger) bij de gemeente deed. Het BSN wordt versleuteld bewaard en daarna nergens
          meer getoond.
        </Paragraph>
        <Form action="/privacy/verzoeken/nieuw" csrf={props.ctx.csrf} errors={errors}>
          <ChoiceGroup
            id="identificatie"
            legend="Hoe herkent SluiS de persoon?"
            options={[
              { value: 'bsn', label: 'Met het BSN' },
              {
                value: 'gegevens',
                label: 'De persoon heeft geen BSN',
                description: 'Met achternaam, geboortedatum en geslacht, zoals bij een signaal zonder BSN.',
              },
            ]}
            selected={v.identificatie}
            error={errors.identificatie}
          />
          <TextField
            id="bsn"
            label="BSN"
            value={v.bsn}
            inputmode="numeric"
            width="s"
            maxlength={11}
            autocomplete="off"
            required={false}
            error={errors.bsn}
            description="Alleen bij ‘Met het BSN’. 9 cijfers; SluiS controleert het met de elfproef."
            extra={{ 'data-bsn': '', spellcheck: 'false' }}
          />
          <TextField id="voorvoegsel" label="Voorvoegsel" value={v.voorvoegsel} width="s" maxlength={20} required={false} autocomplete="off" />
          <TextField
            id="achternaam"
            label="Achternaam"
            value={v.achternaam}
            maxlength={200}
            required={false}
            autocomplete="off"
            error={errors.achternaam}
            description="Alleen als de persoon geen BSN heeft."
          />
          <ChoiceGroup
            id="geslacht"
            legend="Geslacht (alleen zonder BSN)"
            options={[
              { value: 'female', label: 'Vrouw' },
              { value: 'male', label: 'Man' },
              { value: 'other', label: 'Anders' },
            ]}
            selected={v.geslacht}
            error={errors.geslacht}
          />
          <DateField
            id="geboortedatum"
            legend="Geboortedatum van de persoon"
            value={v.geboortedatum}
            error={errors.geboortedatum}
            example="1980-05-17"
            description="Nodig om te bepalen wie het verzoek mag doen: onder 12 de vertegenwoordiger, 12 tot 16 beiden samen, vanaf 16 de persoon zelf."
          />
          <ChoiceGroup id="soort" legend="Soort verzoek" options={options(REQUEST_KINDS, REQUEST_KIND_LABELS)} selected={v.soort} error={errors.soort} />
          <DateField id="ontvangen" legend="Ontvangen op" value={v.ontvangen} error={errors.ontvangen} example={props.today} />
          <ChoiceGroup
            id="via"
            legend="Binnengekomen via"
            options={[
              { value: 'person', label: CHANNEL_LABELS.person },
              { value: 'letter', label: CHANNEL_LABELS.letter },
            ]}
            selected={v.via}
            error={errors.via}
          />
          <ChoiceGroup
            id="verzoeker"
            legend="Wie doet het verzoek?"
            options={options(REQUESTERS, REQUESTER_LABELS)}
            selected={v.verzoeker}
            error={errors.verzoeker}
          />
          <ChoiceGroup
            id="identiteit"
            legend="Hoe is de identiteit gecontroleerd?"
            options={options(
              IDENTITY_CHECKS.filter((c) => c !== 'known_to_professional'),
              IDENTITY_CHECK_LABELS,
            )}
            selected={v.identiteit}
            error={errors.identiteit}
          />
          <TextField
            id="zaaknummer"
            label="Zaaknummer"
            value={v.zaaknummer}
            maxlength={40}
            width="m"
            required={false}
            autocomplete="off"
            error={errors.zaaknummer}
            description="Het nummer in het zaaksysteem van de gemeente. Alleen letters, cijfers en . / _ -."
          />
          <div class="sluis-actions">
            <Button>Registreren</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

function readNew(body: unknown, today: string): { values: NewValues; errors: FieldErrors; input?: RegisterInput } {
  const birth = checkDateField(body, 'geboortedatum', { what: 'de geboortedatum', example: '1980-05-17' });
  const received = checkDateField(body, 'ontvangen', { what: 'de datum van ontvangst', example: today });
  const v: NewValues = {
    identificatie: field(body, 'identificatie') || 'bsn',
    bsn: field(body, 'bsn'),
    voorvoegsel: field(body, 'voorvoegsel'),
    achternaam: field(body, 'achternaam'),
    geslacht: field(body, 'geslacht'),
    geboortedatum: birth.parts,
    soort: field(body, 'soort'),
    ontvangen: received.parts,
    via: field(body, 'via'),
    verzoeker: field(body, 'verzoeker'),
    identiteit: field(body, 'identiteit'),
    zaaknummer: field(body, 'zaaknummer'),
  };
  const errors: FieldErrors = { geboortedatum: birth.error, ontvangen: received.error };
  const digits = v.bsn.replace(/[\s.]/g, '');
  const bsn = Bsn.parse(digits);
  if (v.identificatie === 'bsn') {
    if (!v.bsn) errors.bsn = 'Vul het BSN in.';
    else if (!bsn) errors.bsn = 'Dit BSN klopt niet (9 cijfers die voldoen aan de elfproef). Controleer de cijfers.';
  } else {
    if (!/\p{L}/u.test(v.achternaam)) errors.achternaam = 'Vul de achternaam in.';
    if (!['male', 'female', 'other'].includes(v.geslacht)) errors.geslacht = 'Kies het geslacht.';
  }
  if (birth.date && birth.date > today) errors.geboortedatum = 'De geboortedatum ligt in de toekomst.';
  if (received.date && received.date > today) errors.ontvangen = 'De datum van ontvangst ligt in de toekomst.';
  if (!(REQUEST_KINDS as readonly string[]).includes(v.soort)) errors.soort = 'Kies het soort verzoek.';
  if (!['person', 'letter'].includes(v.via)) errors.via = 'Kies hoe het verzoek binnenkwam.';
  if (!(REQUESTERS as readonly string[]).includes(v.verzoeker)) errors.verzoeker = 'Kies wie het verzoek doet.';
  else if (birth.date && received.date && received.date >= birth.date) {
    const expected = requesterProblem({ dateOfBirth: birth.date, receivedOn: received.date, requester: v.verzoeker as Requester });
    if (expected)
      errors.verzoeker = `Bij deze leeftijd doet ${REQUESTER_LABELS[expected].toLowerCase()} het verzoek (onder 12 de vertegenwoordiger, 12 tot 16 beiden samen, vanaf 16 de persoon zelf).`;
  }
  if (!(IDENTITY_CHECKS as readonly string[]).includes(v.identiteit)) errors.identiteit = 'Kies hoe de identiteit is gecontroleerd.';
  if (v.zaaknummer && !CASE_NUMBER.test(v.zaaknummer)) errors.zaaknummer = 'Een zaaknummer bestaat uit letters, cijfers en . / _ - (hooguit 40 tekens).';
  if (Object.values(errors).some(Boolean) || !birth.date || !received.date) return { values: v, errors };
  const person: RegisterInput['person'] =
    v.identificatie === 'bsn'
      ? { identifiedBy: 'bsn', bsn: bsn!, dateOfBirth: birth.date }
      : {
          identifiedBy: 'details',
          familyNamePrefix: v.voorvoegsel || undefined,
          familyName: v.achternaam,
          dateOfBirth: birth.date,
          gender: v.geslacht as 'male' | 'female' | 'other',
        };
  return {
    values: v,
    errors,
    input: {
      person,
      kind: v.soort as RequestKind,
      receivedOn: received.date,
      through: v.via as 'person' | 'letter',
      requester: v.verzoeker as Requester,
      identityCheck: v.identiteit as IdentityCheck,
      ...(v.zaaknummer && { caseNumber: v.zaaknummer }),
    },
  };
}

// ------------------------------------------------------------------------------------------------
// One request and its steps

function DetailPage(props: { ctx: PageContext; view: RightsRequestView; today: string; error?: string }): Html {
  const { view: r, ctx } = props;
  const base = `/privacy/verzoeken/${r.id}`;
  const open = r.status === 'received' || r.status === 'in_progress';
  return (
    <Page ctx={ctx} title={`Verzoek: ${REQUEST_KIND_LABELS[r.kind]}`}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href="/privacy/verzoeken">
            Alle verzoeken
          </a>
        </p>
        <Heading>Verzoek: {REQUEST_KIND_LABELS[r.kind]}</Heading>
        {props.error ? (
          <Alert type="error" role="alert">
            {props.error}
          </Alert>
        ) : null}
        <DataList
          items={[
            ['Status', REQUEST_STATUS_LABELS[r.status]],
            [
              'Termijn',
              <span>
                {formatDate(r.dueOn)} <UrgencyBadge view={r} />
              </span>,
            ],
            ['Ontvangen op', formatDate(r.receivedOn)],
            [
              'Binnengekomen via',
              r.passedOnBy ? `${CHANNEL_LABELS.professional}: ${r.passedOnBy.professionalName}, ${r.passedOnBy.organisationName}` : CHANNEL_LABELS[r.through],
            ],
            ['Verzoek gedaan door', REQUESTER_LABELS[r.requester]],
            ['Identiteit gecontroleerd', r.identityCheck ? IDENTITY_CHECK_LABELS[r.identityCheck] : '—'],
            ['Persoon herkend aan', r.identifiedBy === 'bsn' ? 'BSN (niet getoond)' : 'achternaam, geboortedatum en geslacht'],
            ['Zaaknummer', r.caseNumber ?? '—'],
            ...(r.extensionWeeks
              ? ([['Verlengd', `${r.extensionWeeks} weken (${EXTENSION_REASON_LABELS[r.extensionReason!]}); eerst ${formatDate(r.originalDueOn)}`]] as [
                  string,
                  Html | string,
                ][])
              : []),
            ...(r.decision
              ? ([
                  ['Besluit', `${DECISION_LABELS[r.decision]}, ${formatDate(r.decidedOn!)}`],
                  ...(r.decisionReasons.length > 0 ? [['Redenen', r.decisionReasons.map((x) => DECISION_REASON_LABELS[x]).join('; ')]] : []),
                ] as [string, Html | string][])
              : []),
            ['Brief verstuurd', r.letterSentOn ? formatDate(r.letterSentOn) : 'Nog niet'],
            ...(r.deleteAfter ? ([['Wordt verwijderd op', formatDate(r.deleteAfter)]] as [string, Html | string][]) : []),
          ]}
        />
        {/* Seam for the other parts of issue 12: the inspection report (inzage, kopie, overdracht) goes here, above the steps. */}
        <DecisionSection view={r} csrf={ctx.csrf} today={props.today} />

        {r.status === 'received' ? (
          <Form action={`${base}/in-behandeling`} csrf={ctx.csrf}>
            <Heading level={2}>In behandeling nemen</Heading>
            <div class="sluis-actions">
              <Button>In behandeling nemen</Button>
            </div>
          </Form>
        ) : null}

        {open && r.extensionWeeks === null && r.urgency !== 'overdue' ? (
          <Form action={`${base}/verlengen`} csrf={ctx.csrf}>
            <Heading level={2}>Termijn verlengen</Heading>
            <Paragraph>
              Eén keer, met hooguit {MAX_EXTENSION_WEEKS} weken (AVG artikel 12.3). Laat de persoon binnen de eerste vier weken weten waarom.
            </Paragraph>
            <TextField id="weken" label="Aantal weken" value="" inputmode="numeric" width="xs" maxlength={1} />
            <ChoiceGroup id="reden" legend="Reden" options={options(EXTENSION_REASONS, EXTENSION_REASON_LABELS)} />
            <div class="sluis-actions">
              <Button kind="secondary">Verlengen</Button>
            </div>
          </Form>
        ) : null}

        {open ? (
          <Form action={`${base}/besluit`} csrf={ctx.csrf}>
            <Heading level={2}>Besluit vastleggen</Heading>
            <ChoiceGroup id="besluit" legend="Besluit" options={options(DECISIONS, DECISION_LABELS)} />
            <ChoiceGroup id="redenen" legend="Redenen (bij deels toewijzen of afwijzen)" multiple options={options(DECISION_REASONS, DECISION_REASON_LABELS)} />
            <DateField id="besloten" legend="Besloten op" value={NO_DATE} example={props.today} />
            <div class="sluis-actions">
              <Button>Besluit vastleggen</Button>
            </div>
          </Form>
        ) : null}

        {r.status === 'decided' && !r.letterSentOn ? (
          <Form action={`${base}/brief`} csrf={ctx.csrf}>
            <Heading level={2}>Brief verstuurd</Heading>
            <DateField id="verstuurd" legend="Verstuurd op" value={NO_DATE} example={props.today} />
            <div class="sluis-actions">
              <Button>Vastleggen</Button>
            </div>
          </Form>
        ) : null}

        {r.status === 'decided' && r.letterSentOn ? (
          <Form action={`${base}/afhandelen`} csrf={ctx.csrf}>
            <Heading level={2}>Afhandelen</Heading>
            <Paragraph>Na het afhandelen bewaart SluiS het verzoek nog de ingestelde bewaartermijn; daarna wordt het verwijderd.</Paragraph>
            <div class="sluis-actions">
              <Button>Afhandelen</Button>
            </div>
          </Form>
        ) : null}
      </div>
    </Page>
  );
}

// ------------------------------------------------------------------------------------------------
// Carrying out the decision (seed 004 art. 15.6)

/** What carrying out each decision does, in the words the staff read before the button. */
const EXECUTION_TEXTS: Record<ExecutableKind, { heading: string; text: string; button: string }> = {
  objection: {
    heading: 'Bezwaar uitvoeren',
    text: 'Alle signalen op de persoon worden beëindigd met de reden "bezwaar toegekend" en direct verwijderd, ook signalen die al waren beëindigd. De professionals krijgen een mail zonder persoonsgegevens.',
    button: 'Bezwaar uitvoeren',
  },
  erasure: {
    heading: 'Gegevens verwijderen',
    text: 'Alles wat SluiS over de persoon heeft wordt verwijderd: signalen, deelname aan matches, casusoverleggen over de persoon, BRP-gegevens, een eigen verklaring. Het logboek houdt alleen het pseudoniem en het feit. Dit verzoek blijft bewaard als vastlegging van het besluit.',
    button: 'Gegevens verwijderen',
  },
  restriction: {
    heading: 'Verwerking beperken',
    text: 'De signalen op de persoon blijven bewaard, maar SluiS maakt geen nieuwe matches voor de persoon (persoon, gezin, adres) en verstuurt geen berichten over nieuwe signalen. De professionals zien de beperking bij hun signaal en krijgen een mail zonder persoonsgegevens.',
    button: 'Verwerking beperken',
  },
  correction: {
    heading: 'Persoonsgegevens verbeteren',
    text: 'Vul alleen in wat verandert; de rest blijft zoals het bij elk signaal staat. SluiS verbetert de gegevens op alle actieve signalen op de persoon en legt vast welke velden veranderden, niet de waarden.',
    button: 'Gegevens verbeteren',
  },
  own_statement: {
    heading: 'Eigen verklaring toevoegen',
    text: 'De verklaring van de persoon, in eigen woorden. SluiS bewaart haar versleuteld en toont haar aan de professionals met een actief signaal op de persoon.',
    button: 'Verklaring toevoegen',
  },
};

function DecisionSection(props: { view: RightsRequestView; csrf: string; today: string }): Html | null {
  const { view: r } = props;
  if (!isExecutable(r.kind) || (r.decision !== 'granted' && r.decision !== 'partly_granted')) return null;
  const base = `/privacy/verzoeken/${r.id}`;
  if (r.carriedOutAt) {
    return (
      <section aria-labelledby="uitvoering">
        <Heading level={2} id="uitvoering">
          Besluit uitgevoerd
        </Heading>
        <Alert type="ok">
          Uitgevoerd op {formatDate(r.carriedOutAt)}. De betrokken professionals hebben een mail gekregen.
          {r.restrictionLiftedAt ? ` De beperking is opgeheven op ${formatDate(r.restrictionLiftedAt)}.` : ''}
        </Alert>
        {r.kind === 'restriction' && !r.restrictionLiftedAt ? (
          <Form action={`${base}/beperking-opheffen`} csrf={props.csrf}>
            <Heading level={3}>Beperking opheffen</Heading>
            <Paragraph>Na het opheffen maakt SluiS de matches die tijdens de beperking uitbleven, en krijgen de professionals een mail.</Paragraph>
            <div class="sluis-actions">
              <Button kind="secondary">Beperking opheffen</Button>
            </div>
          </Form>
        ) : null}
      </section>
    );
  }
  const texts = EXECUTION_TEXTS[r.kind];
  return (
    <Form action={`${base}/uitvoeren`} csrf={props.csrf}>
      <Heading level={2}>{texts.heading}</Heading>
      <Paragraph>{texts.text}</Paragraph>
      {r.kind === 'correction' ? (
        <div>
          <TextField id="voornamen" label="Voornamen" required={false} />
          <TextField id="voorvoegsel" label="Voorvoegsel" required={false} width="s" />
          <TextField id="achternaam" label="Achternaam" required={false} />
          <DateField id="geboortedatum" legend="Geboortedatum (niet verplicht)" value={NO_DATE} example="17-05-1980" />
          <ChoiceGroup id="geslacht" legend="Geslacht (niet verplicht)" required={false} options={options(GENDER_VALUES, GENDER_LABELS)} />
          <TextField id="straat" label="Straat" required={false} />
          <TextField id="huisnummer" label="Huisnummer" required={false} width="xs" inputmode="numeric" />
          <TextField id="toevoeging" label="Toevoeging" required={false} width="xs" />
          <TextField id="postcode" label="Postcode" required={false} width="s" />
          <TextField id="plaats" label="Plaats" required={false} />
        </div>
      ) : null}
      {r.kind === 'own_statement' ? (
        <TextArea
          id="verklaring"
          label="Verklaring van de persoon"
          maxlength={STATEMENT_MAX_LENGTH}
          rows={6}
          description={`Hooguit ${STATEMENT_MAX_LENGTH} tekens.`}
        />
      ) : null}
      <div class="sluis-actions">
        <Button>{texts.button}</Button>
      </div>
    </Form>
  );
}

const GENDER_VALUES = ['female', 'male', 'other', 'unknown'] as const;
const GENDER_LABELS: Record<(typeof GENDER_VALUES)[number], string> = { female: 'Vrouw', male: 'Man', other: 'Anders', unknown: 'Onbekend' };

const invalid = () => new Problem(422, 'invalid_input', 'Invalid input');

/** The correction form's fields: only what is filled in; a name needs given names and family name, an address all its parts. */
function readCorrection(body: unknown, today: string): Correction {
  const correction: Correction = {};
  const [given, prefix, family] = [field(body, 'voornamen'), field(body, 'voorvoegsel'), field(body, 'achternaam')];
  if (given || prefix || family) {
    if (!given || !family) throw invalid();
    correction.name = { givenNames: given, familyName: family, ...(prefix && { familyNamePrefix: prefix }) };
  }
  const born = checkDateField(body, 'geboortedatum', { what: 'de geboortedatum', example: today });
  if (born.date) correction.dateOfBirth = born.date;
  else if (Object.values(born.parts).some((part) => part !== '')) throw invalid();
  const gender = field(body, 'geslacht');
  if (gender) {
    if (!(GENDER_VALUES as readonly string[]).includes(gender)) throw invalid();
    correction.gender = gender as (typeof GENDER_VALUES)[number];
  }
  const address = { street: field(body, 'straat'), houseNumber: field(body, 'huisnummer'), postcode: field(body, 'postcode'), city: field(body, 'plaats') };
  const addition = field(body, 'toevoeging');
  if (Object.values(address).some(Boolean) || addition) {
    if (!Object.values(address).every(Boolean) || !/^[1-9][0-9]{0,4}$/.test(address.houseNumber) || !/^[1-9][0-9]{3} ?[A-Za-z]{2}$/.test(address.postcode))
      throw invalid();
    correction.address = { ...address, ...(addition && { houseNumberAddition: addition }) };
  }
  return correction;
}

const STEP_ERRORS: Record<string, string> = {
  conflict: 'Deze stap kan nu niet (meer): bekijk de status van het verzoek.',
  invalid_input: 'Controleer wat u invulde: niet alles klopt.',
};

export async function rightsPages(app: FastifyInstance, { services }: PageOptions) {
  const requests = services.rightsRequests;
  const today = () => amsterdamDate(services.clock.now());

  app.get('/privacy/verzoeken', async (request, reply) => {
    const actor = requireRightsStaff(request);
    return sendPage(reply, <ListPage ctx={request.pageContext} items={await requests.list(actor)} />);
  });

  app.get('/privacy/verzoeken/nieuw', async (request, reply) => {
    requireRightsStaff(request);
    return sendPage(reply, <NewPage ctx={request.pageContext} values={EMPTY} today={today()} />);
  });

  app.post('/privacy/verzoeken/nieuw', async (request, reply) => {
    const actor = requireRightsStaff(request);
    reply.header('cache-control', 'no-store');
    const read = readNew(request.body, today());
    if (!read.input) return sendPage(reply, <NewPage ctx={request.pageContext} values={read.values} errors={read.errors} today={today()} />, 422);
    const view = await requests.register(actor, read.input);
    return redirect(reply, `/privacy/verzoeken/${view.id}`);
  });

  const isId = (id: string) => /^[0-9a-f-]{36}$/.test(id);
  const show = async (request: FastifyRequest, reply: Parameters<typeof sendPage>[0], id: string, error?: string) => {
    const actor = requireRightsStaff(request);
    if (!isId(id)) throw notFound();
    try {
      const view = await requests.get(actor, id);
      return sendPage(reply, <DetailPage ctx={request.pageContext} view={view} today={today()} {...(error && { error })} />, error ? 422 : 200);
    } catch (error) {
      if (error instanceof Problem && error.status === 404) throw notFound();
      throw error;
    }
  };

  app.get<{ Params: { id: string } }>('/privacy/verzoeken/:id', async (request, reply) => show(request, reply, request.params.id));

  const step = (path: string, run: (actor: StaffActor, id: string, body: unknown) => Promise<unknown>) =>
    app.post<{ Params: { id: string } }>(`/privacy/verzoeken/:id/${path}`, async (request, reply) => {
      const actor = requireRightsStaff(request);
      const { id } = request.params;
      if (!isId(id)) throw notFound();
      try {
        await run(actor, id, request.body);
      } catch (error) {
        if (error instanceof Problem && error.status === 404) throw notFound();
        if (error instanceof Problem) return show(request, reply, id, STEP_ERRORS[error.code] ?? STEP_ERRORS.invalid_input);
        throw error;
      }
      return redirect(reply, `/privacy/verzoeken/${id}`);
    });

  step('in-behandeling', (actor, id) => requests.changeStatus(actor, id, 'in_progress'));
  step('afhandelen', (actor, id) => requests.changeStatus(actor, id, 'closed'));
  step('verlengen', (actor, id, body) => requests.extend(actor, id, { weeks: Number(field(body, 'weken')), reason: field(body, 'reden') as ExtensionReason }));
  step('besluit', (actor, id, body) => {
    const date = checkDateField(body, 'besloten', { what: 'de datum van het besluit', example: today() }).date;
    const decision = field(body, 'besluit');
    if (!date || !(DECISIONS as readonly string[]).includes(decision)) throw new Problem(422, 'invalid_input', 'Invalid input');
    return requests.decide(actor, id, {
      decision: decision as (typeof DECISIONS)[number],
      reasons: values(body, 'redenen').filter((x): x is DecisionReason => (DECISION_REASONS as readonly string[]).includes(x)),
      decidedOn: date,
    });
  });
  step('uitvoeren', async (actor, id, body) => {
    const view = await requests.get(actor, id);
    if (view.kind === 'correction') return services.rightsDecisions.carryOut(actor, id, { correction: readCorrection(body, today()) });
    if (view.kind === 'own_statement') return services.rightsDecisions.carryOut(actor, id, { statement: field(body, 'verklaring') });
    return services.rightsDecisions.carryOut(actor, id);
  });
  step('beperking-opheffen', (actor, id) => services.rightsDecisions.liftRestriction(actor, id));
  step('brief', (actor, id, body) => {
    const date = checkDateField(body, 'verstuurd', { what: 'de datum van verzending', example: today() }).date;
    if (!date) throw new Problem(422, 'invalid_input', 'Invalid input');
    return requests.recordLetter(actor, id, { sentOn: date });
  });
}
