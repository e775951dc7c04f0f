/**
 * The forms of case consultations, each a small page on a phone: starting one (anonymous offered
 * first, art. 5.4), consent, the art. 9 reasoning, informing the person, a sharing in the ledger, a
 * meeting, its attendees, an action point (with the warning of art. 12.2), making an anonymous one
 * identifying, and the two confirmation pages (removing a participant, closing). They draw what the
 * handlers (consultation-pages.tsx) give them; the rules are the service's.
 */
import type { ConsultationView, MatchCandidate } from '../../case-consultations/case-consultation-service.ts';
import { Alert, Button, ChoiceGroup, DateField, type FieldErrors, Form, Paragraph, Select, TextArea, TextField } from '../components.tsx';
import { ConfirmPage } from '../confirm-page.tsx';
import type { DateParts } from '../date-input.ts';
import { type Child, Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import {
  CATEGORY_LABELS,
  CONSENT_METHOD_LABELS,
  GROUND_LABELS,
  INFORMING_METHOD_LABELS,
  NO_CONSENT_REASON_LABELS,
  NOT_YET_INFORMED_LABELS,
  OUTCOME_LABELS,
  PARTY_LABELS,
  WEIGHING_QUESTION_LABELS,
} from './consultation-labels.ts';

export type Values = Record<string, string | string[] | DateParts>;

const text = (values: Values, name: string) => (typeof values[name] === 'string' ? (values[name] as string) : '');
const list = (values: Values, name: string) => (Array.isArray(values[name]) ? (values[name] as string[]) : []);
const date = (values: Values, name: string) => (values[name] as DateParts | undefined) ?? { day: '', month: '', year: '' };
const options = (labels: Record<string, string>) => Object.entries(labels).map(([value, label]) => ({ value, label }));

/** The warning of art. 12.2 wherever free text is unavoidable. */
const NO_DETAILS =
  'Schrijf over het werk, niet over de persoon: geen gezondheids- of strafrechtelijke gegevens, geen namen, nummers of datums. Kort: hoogstens 300 tekens.';

/** A form page: heading, lead, the form with its error summary, and the way back. */
function FormPage(props: {
  ctx: PageContext;
  title: string;
  lead?: Html | string;
  action: string;
  back: string;
  submit: string;
  errors: FieldErrors;
  children?: Child;
}): Html {
  const failed = Object.values(props.errors).some(Boolean);
  return (
    <Page ctx={props.ctx} title={`${failed ? 'Fout: ' : ''}${props.title}`}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">{props.title}</h1>
        {props.lead ? <Paragraph lead>{props.lead}</Paragraph> : null}
        <Form action={props.action} csrf={props.ctx.csrf} errors={props.errors}>
          {props.children}
          <div class="sluis-actions">
            <Button>{props.submit}</Button>
            <a class="utrecht-link" href={props.back}>
              Annuleren
            </a>
          </div>
        </Form>
      </div>
    </Page>
  );
}

const chairOptions = (candidates: MatchCandidate[]) => [
  { value: 'ik', label: 'Ik' },
  ...candidates.map((c) => ({ value: c.professionalId, label: `${c.professionalName}, ${c.organisationName}` })),
];

export function StartPage(props: {
  ctx: PageContext;
  values: Values;
  errors: FieldErrors;
  today: string;
  link: { matchId: string } | { signalId: string } | null;
  candidates: MatchCandidate[];
}): Html {
  const { values: v, errors: e, candidates } = props;
  const back = props.link ? ('matchId' in props.link ? `/matches/${props.link.matchId}` : `/signalen/${props.link.signalId}`) : '/casusoverleggen';
  return (
    <FormPage
      ctx={props.ctx}
      title="Casusoverleg starten"
      lead="Bespreek de situatie waar het kan anoniem: dan bewaart SluiS niet over wie het gaat. Op naam kan alleen met toestemming of met een vastgelegde afweging zonder toestemming."
      action="/casusoverleggen/nieuw"
      back={back}
      submit="Casusoverleg starten"
      errors={e}
    >
      {props.link && 'matchId' in props.link ? <input type="hidden" name="match" value={props.link.matchId} /> : <Fragment />}
      {props.link && 'signalId' in props.link ? <input type="hidden" name="signaal" value={props.link.signalId} /> : <Fragment />}
      {props.link ? (
        <ChoiceGroup
          id="soort"
          legend="Hoe bespreekt u de situatie?"
          selected={text(v, 'soort')}
          error={e.soort}
          options={[
            { value: 'anoniem', label: 'Anoniem', description: 'Aanbevolen. Geen naam, geen gegevens waaraan de persoon te herkennen is.' },
            {
              value: 'op-naam',
              label: 'Op naam',
              description: 'Daarna legt u de toestemming vast, of de afweging zonder toestemming (art. 9), voordat het overleg kan plaatsvinden.',
            },
          ]}
        />
      ) : (
        <input type="hidden" name="soort" value="anoniem" />
      )}
      <TextArea
        id="doel"
        label="Doel van het casusoverleg"
        description={`Zo concreet mogelijk: wat wilt u samen bereiken? ${NO_DETAILS}`}
        value={text(v, 'doel')}
        error={e.doel}
        maxlength={300}
        rows={3}
      />
      <DateField id="datum" legend="Datum van het overleg" value={date(v, 'datum')} error={e.datum} example={props.today} />
      <TextField
        id="taak"
        label="Uw (wettelijke) taak in deze casus"
        description="Bijvoorbeeld: jeugdhulp bieden aan het gezin."
        value={text(v, 'taak')}
        error={e.taak}
        maxlength={300}
      />
      {candidates.length > 0 ? (
        <>
          <ChoiceGroup
            id="deelnemers"
            multiple
            legend="Wie neemt deel?"
            description="Alleen wie direct nodig is om het doel te bereiken."
            selected={list(v, 'deelnemers')}
            error={e.deelnemers}
            options={candidates.map((c) => ({ value: c.professionalId, label: `${c.professionalName}, ${c.jobTitle} bij ${c.organisationName}` }))}
          />
          {candidates.map((c, index) => (
            <TextField
              id={`taak-${index}`}
              name={`taak-${c.professionalId}`}
              label={`Taak van ${c.organisationName} (${c.professionalName})`}
              description="Alleen nodig als deze professional deelneemt."
              required={false}
              value={text(v, `taak-${c.professionalId}`)}
              error={e[`taak-${index}`]}
              maxlength={300}
            />
          ))}
          <ChoiceGroup
            id="voorzitter"
            legend="Wie is voorzitter?"
            selected={text(v, 'voorzitter') || 'ik'}
            error={e.voorzitter}
            options={chairOptions(candidates)}
          />
        </>
      ) : (
        <Paragraph>U start het casusoverleg alleen. Daarna kunt u deelnemers toevoegen.</Paragraph>
      )}
    </FormPage>
  );
}

const others = (view: ConsultationView) => view.participants.filter((p) => p.source !== 'initiator' && (p.state === 'active' || p.state === 'invited'));

export function ConsentPage(props: { ctx: PageContext; view: ConsultationView; values: Values; errors: FieldErrors; today: string }): Html {
  const { view, values: v, errors: e } = props;
  const base = `/casusoverleggen/${view.id}`;
  return (
    <FormPage
      ctx={props.ctx}
      title="Toestemming vastleggen"
      lead="Toestemming geldt voor het doel van dit casusoverleg, voor de soorten gegevens en de deelnemers die u hier aankruist. Tot 12 jaar geven de ouders of voogd toestemming; van 12 tot en met 15 jaar de jongere én de ouders of voogd; vanaf 16 jaar de persoon zelf."
      action={`${base}/toestemming`}
      back={base}
      submit="Toestemming vastleggen"
      errors={e}
    >
      <Paragraph>Doel: {view.purpose}</Paragraph>
      <ChoiceGroup id="door" legend="Wie gaf toestemming?" selected={text(v, 'door')} error={e.door} options={options(PARTY_LABELS)} />
      <DateField id="datum" legend="Wanneer?" value={date(v, 'datum')} error={e.datum} example={props.today} />
      <ChoiceGroup id="hoe" legend="Hoe?" selected={text(v, 'hoe')} error={e.hoe} options={options(CONSENT_METHOD_LABELS)} />
      <ChoiceGroup
        id="soorten"
        multiple
        legend="Voor welke soorten gegevens?"
        selected={list(v, 'soorten')}
        error={e.soorten}
        options={options(CATEGORY_LABELS)}
      />
      <ChoiceGroup
        id="deelnemers"
        multiple
        legend="Voor welke deelnemers?"
        selected={list(v, 'deelnemers')}
        error={e.deelnemers}
        options={others(view).map((p) => ({ value: p.id, label: `${p.professionalName}, ${p.organisationName}` }))}
        description={others(view).length === 0 ? 'Er zijn nog geen andere deelnemers.' : undefined}
      />
    </FormPage>
  );
}

export function ReasoningPage(props: { ctx: PageContext; view: ConsultationView; values: Values; errors: FieldErrors; today: string }): Html {
  const { view, values: v, errors: e } = props;
  const base = `/casusoverleggen/${view.id}`;
  return (
    <FormPage
      ctx={props.ctx}
      title="Afweging zonder toestemming"
      lead="Zonder toestemming kan een casusoverleg op naam alleen na een zorgvuldige afweging (art. 9). Beantwoord elke vraag, en overleg eerst met een aandachtsfunctionaris of collega."
      action={`${base}/afweging`}
      back={base}
      submit="Afweging vastleggen"
      errors={e}
    >
      <ChoiceGroup id="reden" legend="Waarom is er geen toestemming?" selected={text(v, 'reden')} error={e.reden} options={options(NO_CONSENT_REASON_LABELS)} />
      <TextArea id="toelichting" label="Toelichting" value={text(v, 'toelichting')} error={e.toelichting} maxlength={2000} rows={3} />
      <ChoiceGroup id="grond" legend="Op welke grond?" selected={text(v, 'grond')} error={e.grond} options={options(GROUND_LABELS)} />
      <TextArea
        id="vitaal"
        label="Motivering van het vitaal belang"
        description="Alleen bij vitaal belang, en dan verplicht: waarom is de situatie zeer ernstig of levensbedreigend? Minstens 100 tekens."
        required={false}
        value={text(v, 'vitaal')}
        error={e.vitaal}
        maxlength={2000}
        rows={4}
      />
      {Object.entries(WEIGHING_QUESTION_LABELS).map(([q, label]) => (
        <TextArea id={`vraag-${q}`} label={label} value={text(v, `vraag-${q}`)} error={e[`vraag-${q}`]} maxlength={2000} rows={3} />
      ))}
      <TextField
        id="functionaris"
        label="Met wie heeft u overlegd?"
        description="Bijvoorbeeld: aandachtsfunctionaris huiselijk geweld."
        value={text(v, 'functionaris')}
        error={e.functionaris}
        maxlength={300}
      />
      <DateField id="overlegd" legend="Wanneer overlegde u?" value={date(v, 'overlegd')} error={e.overlegd} example={props.today} />
    </FormPage>
  );
}

export function InformingPage(props: { ctx: PageContext; view: ConsultationView; values: Values; errors: FieldErrors; today: string }): Html {
  const { view, values: v, errors: e } = props;
  const base = `/casusoverleggen/${view.id}`;
  return (
    <FormPage
      ctx={props.ctx}
      title="Informeren vastleggen"
      lead="Vertel de persoon over het casusoverleg: het doel, wie er deelnemen, wie verantwoordelijk is en welke rechten de persoon heeft. Tot 12 jaar informeert u de ouders of voogd; van 12 tot en met 15 jaar de jongere én de ouders of voogd; vanaf 16 jaar de persoon zelf."
      action={`${base}/informeren`}
      back={base}
      submit="Informeren vastleggen"
      errors={e}
    >
      <ChoiceGroup id="wie" multiple legend="Wie heeft u geïnformeerd?" selected={list(v, 'wie')} error={e.wie} options={options(PARTY_LABELS)} />
      <DateField id="datum" legend="Wanneer?" value={date(v, 'datum')} error={e.datum} example={props.today} />
      <ChoiceGroup id="hoe" legend="Hoe?" selected={text(v, 'hoe')} error={e.hoe} options={options(INFORMING_METHOD_LABELS)} />
    </FormPage>
  );
}

export function SharingPage(props: { ctx: PageContext; view: ConsultationView; values: Values; errors: FieldErrors; today: string }): Html {
  const { view, values: v, errors: e } = props;
  const base = `/casusoverleggen/${view.id}`;
  const active = view.participants.filter((p) => p.source !== 'initiator' && p.state === 'active');
  return (
    <FormPage
      ctx={props.ctx}
      title="Delen van gegevens vastleggen"
      lead="Leg vast welke soort gegevens u met wie deelde, en waarvoor. Niet de gegevens zelf."
      action={`${base}/delen`}
      back={base}
      submit="Vastleggen"
      errors={e}
    >
      <Select
        id="aan"
        label="Aan wie?"
        selected={text(v, 'aan')}
        error={e.aan}
        options={[{ value: '', label: 'Kies een deelnemer' }, ...active.map((p) => ({ value: p.id, label: `${p.professionalName}, ${p.organisationName}` }))]}
      />
      <ChoiceGroup id="soort" legend="Welke soort gegevens?" selected={text(v, 'soort')} error={e.soort} options={options(CATEGORY_LABELS)} />
      <TextField id="waarvoor" label="Waarvoor?" description={NO_DETAILS} value={text(v, 'waarvoor')} error={e.waarvoor} maxlength={300} />
      <DateField id="datum" legend="Wanneer gedeeld?" value={date(v, 'datum')} error={e.datum} example={props.today} />
      <DateField
        id="geinformeerd"
        legend="Wanneer is de persoon hierover geïnformeerd?"
        required={false}
        description="Leeg laten als de persoon nog niet is geïnformeerd. Met toestemming hoeft u niets in te vullen."
        value={date(v, 'geinformeerd')}
        error={e.geinformeerd}
        example={props.today}
      />
      <ChoiceGroup
        id="nog-niet"
        legend="Nog niet geïnformeerd, zonder toestemming: waarom niet?"
        required={false}
        selected={text(v, 'nog-niet')}
        error={e['nog-niet']}
        options={options(NOT_YET_INFORMED_LABELS)}
      />
    </FormPage>
  );
}

export function MeetingPage(props: { ctx: PageContext; view: ConsultationView; values: Values; errors: FieldErrors; today: string }): Html {
  const base = `/casusoverleggen/${props.view.id}`;
  return (
    <FormPage
      ctx={props.ctx}
      title="Bijeenkomst plannen"
      lead="De andere deelnemers krijgen een e-mail met een link naar dit casusoverleg, zonder gegevens over de persoon."
      action={`${base}/bijeenkomst`}
      back={base}
      submit="Bijeenkomst plannen"
      errors={props.errors}
    >
      <DateField id="datum" legend="Datum van de bijeenkomst" value={date(props.values, 'datum')} error={props.errors.datum} example={props.today} />
    </FormPage>
  );
}

export function AttendancePage(props: { ctx: PageContext; view: ConsultationView; meetingId: string; values: Values; errors: FieldErrors }): Html {
  const base = `/casusoverleggen/${props.view.id}`;
  return (
    <FormPage
      ctx={props.ctx}
      title="Aanwezigen vastleggen"
      action={`${base}/bijeenkomsten/${props.meetingId}/aanwezig`}
      back={base}
      submit="Vastleggen"
      errors={props.errors}
    >
      <ChoiceGroup
        id="aanwezig"
        multiple
        legend="Wie was er bij de bijeenkomst?"
        selected={list(props.values, 'aanwezig')}
        error={props.errors.aanwezig}
        options={props.view.participants
          .filter((p) => p.state === 'active')
          .map((p) => ({ value: p.id, label: `${p.professionalName}, ${p.organisationName}` }))}
      />
    </FormPage>
  );
}

export function ActionPointPage(props: { ctx: PageContext; view: ConsultationView; values: Values; errors: FieldErrors; today: string }): Html {
  const { view, values: v, errors: e } = props;
  const base = `/casusoverleggen/${view.id}`;
  return (
    <FormPage ctx={props.ctx} title="Actiepunt toevoegen" action={`${base}/actiepunt`} back={base} submit="Actiepunt toevoegen" errors={e}>
      <Alert type="warning">Schrijf geen gezondheids- of strafrechtelijke gegevens in een actiepunt (art. 12.2). Alleen wat er moet gebeuren.</Alert>
      <TextField id="wat" label="Wat moet er gebeuren?" description={NO_DETAILS} value={text(v, 'wat')} error={e.wat} maxlength={300} />
      <Select
        id="wie"
        label="Wie doet het?"
        selected={text(v, 'wie')}
        error={e.wie}
        options={[
          { value: '', label: 'Kies een deelnemer' },
          ...view.participants.filter((p) => p.state === 'active').map((p) => ({ value: p.id, label: `${p.professionalName}, ${p.organisationName}` })),
        ]}
      />
      <DateField id="datum" legend="Uiterlijk op" value={date(v, 'datum')} error={e.datum} example={props.today} />
    </FormPage>
  );
}

export function IdentifyPage(props: {
  ctx: PageContext;
  view: ConsultationView;
  signals: { id: string; label: string }[];
  values: Values;
  errors: FieldErrors;
  refusal?: string | undefined;
}): Html {
  const base = `/casusoverleggen/${props.view.id}`;
  return (
    <FormPage
      ctx={props.ctx}
      title="Op naam zetten"
      lead="Kies over wie dit casusoverleg gaat: een persoon op wie u een actief signaal heeft. Dat kan alleen als de toestemming of de afweging zonder toestemming compleet is."
      action={`${base}/op-naam`}
      back={base}
      submit="Op naam zetten"
      errors={props.errors}
    >
      {props.refusal ? <Alert type="error">{props.refusal}</Alert> : <Fragment />}
      <ChoiceGroup
        id="signaal"
        legend="Over wie gaat het?"
        selected={text(props.values, 'signaal')}
        error={props.errors.signaal}
        options={props.signals.map((s) => ({ value: s.id, label: s.label }))}
        description={props.signals.length === 0 ? 'U heeft geen actieve signalen.' : undefined}
      />
    </FormPage>
  );
}

export function RemoveParticipantPage(props: { ctx: PageContext; view: ConsultationView; participantId: string }): Html {
  const base = `/casusoverleggen/${props.view.id}`;
  const p = props.view.participants.find((x) => x.id === props.participantId)!;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title={`${p.professionalName} verwijderen uit het casusoverleg`}
      back={{ href: base, label: 'Terug naar het casusoverleg' }}
      action={`${base}/deelnemers/${p.id}/verwijderen`}
      confirm="Ja, verwijderen"
      consequences={[
        `${p.professionalName} (${p.organisationName}) ziet het casusoverleg direct niet meer, ook de eigen actiepunten niet.`,
        'Wat met toestemming voor deze deelnemer gold, telt niet meer mee.',
      ]}
      irreversible="Wilt u later toch weer samenwerken, voeg de deelnemer dan opnieuw toe."
      question={`Weet u zeker dat u ${p.professionalName} wilt verwijderen?`}
    />
  );
}

export function ClosePage(props: {
  ctx: PageContext;
  view: ConsultationView;
  selected?: string | undefined;
  error?: string | undefined;
  retentionMonths: number;
}): Html {
  const base = `/casusoverleggen/${props.view.id}`;
  return (
    <ConfirmPage
      ctx={props.ctx}
      title="Casusoverleg afsluiten"
      back={{ href: base, label: 'Terug naar het casusoverleg' }}
      action={`${base}/afsluiten`}
      confirm="Ja, afsluiten"
      consequences={[
        'Er kunnen geen bijeenkomsten, actiepunten, deelnemers of gedeelde gegevens meer bij.',
        `SluiS verwijdert het casusoverleg ${props.retentionMonths} maanden na het afsluiten voorgoed. Alleen de auditgegevens blijven.`,
      ]}
      irreversible="Is er later weer overleg nodig, start dan een nieuw casusoverleg."
      question="Weet u zeker dat u dit casusoverleg wilt afsluiten?"
      errors={{ uitkomst: props.error }}
    >
      <ChoiceGroup id="uitkomst" legend="Hoe is het casusoverleg afgelopen?" selected={props.selected} error={props.error} options={options(OUTCOME_LABELS)} />
    </ConfirmPage>
  );
}

export function AddParticipantPage(props: {
  ctx: PageContext;
  view: ConsultationView;
  candidates: MatchCandidate[];
  values: Values;
  errors: FieldErrors;
}): Html {
  const { view, values: v, errors: e } = props;
  const base = `/casusoverleggen/${view.id}`;
  return (
    <FormPage
      ctx={props.ctx}
      title="Deelnemer toevoegen"
      lead="Voeg alleen iemand toe die direct nodig is om het doel te bereiken. Wie niet bij de match betrokken is, tekent eerst een geheimhoudingsverklaring. De deelnemer krijgt een e-mail zonder gegevens over de persoon."
      action={`${base}/deelnemer`}
      back={base}
      submit="Deelnemer toevoegen"
      errors={e}
    >
      {props.candidates.length > 0 ? (
        <ChoiceGroup
          id="professional"
          legend="Betrokken bij de match"
          required={false}
          selected={text(v, 'professional')}
          error={e.professional}
          options={props.candidates.map((c) => ({ value: c.professionalId, label: `${c.professionalName}, ${c.jobTitle} bij ${c.organisationName}` }))}
        />
      ) : (
        <Fragment />
      )}
      <TextField
        id="email"
        type="email"
        label={props.candidates.length > 0 ? 'Of: het e-mailadres van een professional van een andere organisatie' : 'Het e-mailadres van de professional'}
        description="Het e-mailadres waarmee de professional in SluiS staat. De organisatie heeft een actief convenant."
        required={props.candidates.length === 0}
        autocomplete="off"
        value={text(v, 'email')}
        error={e.email}
      />
      <TextField
        id="taak"
        label="De (wettelijke) taak van de organisatie in deze casus"
        description={NO_DETAILS}
        value={text(v, 'taak')}
        error={e.taak}
        maxlength={300}
      />
    </FormPage>
  );
}

export function ChairPage(props: { ctx: PageContext; view: ConsultationView; values: Values; errors: FieldErrors }): Html {
  const base = `/casusoverleggen/${props.view.id}`;
  const current = props.view.participants.find((p) => p.isChair)?.id;
  return (
    <FormPage ctx={props.ctx} title="Voorzitter kiezen" action={`${base}/voorzitter`} back={base} submit="Voorzitter kiezen" errors={props.errors}>
      <ChoiceGroup
        id="voorzitter"
        legend="Wie is voorzitter?"
        selected={text(props.values, 'voorzitter') || current}
        error={props.errors.voorzitter}
        options={props.view.participants
          .filter((p) => p.state === 'active')
          .map((p) => ({ value: p.id, label: `${p.professionalName}, ${p.organisationName}` }))}
      />
    </FormPage>
  );
}
