/**
 * The pages that show case consultations: the professional's list (/casusoverleggen) and one
 * consultation (/casusoverleggen/<id>) as the viewer's role allows — what the service returns is
 * what the viewer may see, so these views draw what is there and offer the service's `allowed`
 * actions. An invited participant from outside the match sees only the confidentiality declaration
 * (art. 18) until they sign it.
 */
import type { ConsultationListItem, ConsultationView } from '../../case-consultations/case-consultation-service.ts';
import { Alert, Button, ButtonLink, DataList, Form, Paragraph, StatusBadge, Table, TimeText } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { ListCount, type ListPage, Pager } from '../pager.tsx';
import {
  BASIS_LABELS,
  CATEGORY_LABELS,
  CONSENT_METHOD_LABELS,
  GROUND_LABELS,
  INFORMING_METHOD_LABELS,
  KIND_LABELS,
  NO_CONSENT_REASON_LABELS,
  NOT_YET_INFORMED_LABELS,
  OUTCOME_LABELS,
  PARTICIPANT_STATE_LABELS,
  PARTY_LABELS,
  PARTY_WORDS,
  ROLE_LABELS,
  STATE_LABELS,
  WEIGHING_QUESTION_LABELS,
  wordList,
} from './consultation-labels.ts';

export const NOUNS = ['casusoverleg', 'casusoverleggen'] as const;

/** The messages after a change (post/redirect/get), by the `gedaan` query value. */
export const FLASHES: Record<string, string> = {
  gestart: 'Het casusoverleg is gestart.',
  'deelnemer-mislukt': 'Het casusoverleg is gestart, maar niet iedere deelnemer kon worden toegevoegd. Kijk bij de deelnemers.',
  getekend: 'U heeft de geheimhoudingsverklaring getekend. U neemt nu deel aan het casusoverleg.',
  toestemming: 'De toestemming is vastgelegd.',
  afweging: 'De afweging zonder toestemming is vastgelegd.',
  geinformeerd: 'Het informeren is vastgelegd.',
  gedeeld: 'Het delen van gegevens is vastgelegd.',
  bijeenkomst: 'De bijeenkomst is gepland. De andere deelnemers krijgen een e-mail.',
  aanwezig: 'De aanwezigen zijn vastgelegd.',
  actiepunt: 'Het actiepunt is toegevoegd.',
  klaar: 'Het actiepunt is afgerond.',
  deelnemer: 'De deelnemer is toegevoegd en krijgt een e-mail.',
  voorzitter: 'De voorzitter is gekozen.',
  verwijderd: 'De deelnemer is verwijderd en ziet het casusoverleg niet meer.',
  'op-naam': 'Het casusoverleg is nu op naam.',
  afgesloten: 'Het casusoverleg is afgesloten.',
  gesloten: 'Het casusoverleg is al afgesloten: er kan niets meer bij.',
};

const personText = (person: NonNullable<ConsultationView['person']>) =>
  [person.name.givenNames, person.name.familyNamePrefix, person.name.familyName].filter(Boolean).join(' ');

/** A participant's name by id; one who left the consultation since shows as such. */
const participantName = (view: ConsultationView) => (participantId: string) =>
  view.participants.find((p) => p.id === participantId)?.professionalName ?? 'Oud-deelnemer';

/** The tables the consultation page and the initiator's file share: the same columns, the same words. */
const INFORMING_HEAD = ['Datum', 'Wie', 'Hoe'];
const informingRow = (i: ConsultationView['informings'][number]) => [
  <TimeText at={i.informedOn} />,
  wordList(i.informed.map((p) => PARTY_WORDS[p])),
  INFORMING_METHOD_LABELS[i.method],
];
const SHARING_HEAD = ['Datum', 'Soort gegevens', 'Aan', 'Waarvoor', 'Grond', 'Persoon geïnformeerd'];
const sharingRow = (s: ConsultationView['sharings'][number], name: (participantId: string) => string) => [
  <TimeText at={s.sharedOn} />,
  CATEGORY_LABELS[s.category],
  name(s.participantId),
  s.purpose,
  s.ground === 'consent' ? 'Toestemming' : 'Zonder toestemming (art. 9)',
  s.clientInformedOn ? (
    <TimeText at={s.clientInformedOn} />
  ) : s.notYetInformedReason ? (
    `Nog niet: ${NOT_YET_INFORMED_LABELS[s.notYetInformedReason]}`
  ) : (
    'Met toestemming'
  ),
];
const CONSENT_HEAD = ['Door', 'Op', 'Hoe', 'Soorten gegevens', 'Voor deelnemers'];
const consentRow = (c: ConsultationView['consents'][number], name: (participantId: string) => string) => [
  PARTY_LABELS[c.givenBy],
  <TimeText at={c.givenOn} />,
  CONSENT_METHOD_LABELS[c.method],
  c.categories.map((k) => CATEGORY_LABELS[k]).join(', ') || 'Geen',
  c.participantIds.map(name).join(', ') || 'Nog geen',
];

export function ConsultationListPage(props: { ctx: PageContext; list: ListPage<ConsultationListItem>; open: number }): Html {
  const { list } = props;
  return (
    <Page ctx={props.ctx} title="Casusoverleggen">
      <h1 class="utrecht-heading-1">Casusoverleggen</h1>
      <Paragraph lead>
        Een casusoverleg is een overleg met andere professionals over één persoon of gezin. Bespreek de situatie waar het kan eerst anoniem. Op naam kan alleen
        met toestemming, of met een vastgelegde afweging zonder toestemming.
      </Paragraph>
      <p class="utrecht-paragraph">
        <ButtonLink href="/casusoverleggen/nieuw">Anoniem casusoverleg starten</ButtonLink>
      </p>
      <Paragraph>
        Een casusoverleg op naam start u vanuit een match of vanuit uw signaal. {props.open} {props.open === 1 ? 'casusoverleg is' : 'casusoverleggen zijn'}{' '}
        open.
      </Paragraph>
      <ListCount list={list} nouns={NOUNS} />
      <Table
        caption="Uw casusoverleggen"
        captionHidden
        head={['Doel', 'Soort', 'Uw rol', 'Status']}
        empty="U neemt nog aan geen casusoverleg deel."
        rows={list.items.map((item) => [
          <a class="utrecht-link" href={`/casusoverleggen/${item.id}`}>
            {item.purpose ?? 'Uitnodiging: teken eerst de geheimhoudingsverklaring'}
          </a>,
          KIND_LABELS[item.kind],
          ROLE_LABELS[item.yourRole],
          item.state === 'closed' && item.outcome ? `${STATE_LABELS.closed}: ${OUTCOME_LABELS[item.outcome]}` : STATE_LABELS[item.state],
        ])}
      />
      <Pager label="Pagina's van uw casusoverleggen" list={list} target={{ href: (page) => `/casusoverleggen?pagina=${page}` }} />
    </Page>
  );
}

/** Art. 18: the only thing an invited participant from outside the match sees. */
export function DeclarationPage(props: { ctx: PageContext; id: string }): Html {
  return (
    <Page ctx={props.ctx} title="Geheimhoudingsverklaring">
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">Geheimhoudingsverklaring</h1>
        <Paragraph lead>
          U bent uitgenodigd voor een casusoverleg. U neemt alleen voor deze casus deel, en tekent daarom eerst een geheimhoudingsverklaring.
        </Paragraph>
        <h2 class="utrecht-heading-2">Wat u verklaart</h2>
        <ul class="utrecht-unordered-list">
          <li class="utrecht-unordered-list__item">Ik houd geheim wat ik in dit casusoverleg hoor of lees over de persoon en de betrokkenen.</li>
          <li class="utrecht-unordered-list__item">Ik gebruik die gegevens alleen voor het doel van dit casusoverleg.</li>
          <li class="utrecht-unordered-list__item">Ik deel ze niet met anderen, ook niet binnen mijn eigen organisatie, tenzij de wet dat verplicht.</li>
        </ul>
        <Form action={`/casusoverleggen/${props.id}/verklaring`} csrf={props.ctx.csrf}>
          <div class="sluis-actions">
            <Button>Verklaring tekenen en deelnemen</Button>
          </div>
        </Form>
        <Form action={`/casusoverleggen/${props.id}/afwijzen`} csrf={props.ctx.csrf} page={`/casusoverleggen/${props.id}`}>
          <div class="sluis-actions">
            <Button kind="secondary">Niet deelnemen</Button>
          </div>
        </Form>
      </div>
    </Page>
  );
}

export function ConsultationPage(props: { ctx: PageContext; view: ConsultationView; flash?: string | undefined }): Html {
  const { view } = props;
  const initiator = view.yourRole === 'initiator';
  const can = (action: ConsultationView['allowed'][number]) => view.allowed.includes(action);
  const base = `/casusoverleggen/${view.id}`;
  const name = participantName(view);
  return (
    <Page ctx={props.ctx} title={`Casusoverleg${view.person ? `: ${personText(view.person)}` : ''}`}>
      <h1 class="utrecht-heading-1">
        <span class="sluis-kicker">Casusoverleg</span> {view.person ? personText(view.person) : KIND_LABELS[view.kind]}
      </h1>
      {props.flash ? (
        <Alert type="ok" role="status">
          {props.flash}
        </Alert>
      ) : null}
      <p class="utrecht-paragraph">
        <StatusBadge tone={view.state === 'open' ? 'ok' : 'neutral'}>{STATE_LABELS[view.state]}</StatusBadge>{' '}
        <StatusBadge>{KIND_LABELS[view.kind]}</StatusBadge> <StatusBadge>{ROLE_LABELS[view.yourRole]}</StatusBadge>
      </p>
      <DataList
        items={[
          ['Doel', view.purpose],
          ['Datum van het overleg', <TimeText at={view.consultationOn} />],
          ['Gestart', <TimeText at={view.startedAt} />],
          ...(view.identifiedAt ? ([['Op naam sinds', <TimeText at={view.identifiedAt} />]] as [string, Html][]) : []),
          ...(view.person ? ([['Geboortedatum', <TimeText at={view.person.dateOfBirth} />]] as [string, Html][]) : []),
          ...(view.closedAt
            ? ([
                ['Afgesloten', <TimeText at={view.closedAt} />],
                ['Uitkomst', view.outcome ? OUTCOME_LABELS[view.outcome] : ''],
              ] as [string, Html | string][])
            : []),
          ...(view.deleteAfter ? ([['Wordt verwijderd op', <TimeText at={view.deleteAfter} />]] as [string, Html][]) : []),
        ]}
      />
      {view.kind === 'anonymous' && initiator ? (
        <Alert type="info">
          Dit casusoverleg is anoniem: SluiS bewaart niet over wie het gaat. Noem geen naam, adres, geboortedatum of andere gegevens waaraan de persoon te
          herkennen is.
        </Alert>
      ) : null}
      {view.matchId ? (
        <p class="utrecht-paragraph">
          <a class="utrecht-link" href={`/matches/${view.matchId}`}>
            Naar de match
          </a>
        </p>
      ) : null}
      <BasisSection view={view} base={base} />
      <section aria-labelledby="deelnemers">
        <h2 class="utrecht-heading-2" id="deelnemers">
          Deelnemers
        </h2>
        <Table
          caption="Deelnemers"
          captionHidden
          head={['Naam', 'Organisatie', 'Taak', 'Status', ...(can('remove_participant') ? [<span class="sluis-visually-hidden">Verwijderen</span>] : [])]}
          rows={view.participants.map((p) => [
            <>
              {p.professionalName}
              {p.isYou ? ' (u)' : ''}
              {p.isChair ? (
                <>
                  {' '}
                  <StatusBadge tone="ok">Voorzitter</StatusBadge>
                </>
              ) : null}
              <br />
              <span class="sluis-muted">{p.jobTitle}</span>
            </>,
            p.organisationName,
            p.legalTask,
            PARTICIPANT_STATE_LABELS[p.state],
            ...(can('remove_participant')
              ? [
                  p.source !== 'initiator' && (p.state === 'active' || p.state === 'invited') ? (
                    <a class="utrecht-link" href={`${base}/deelnemers/${p.id}/verwijderen`}>
                      Verwijderen<span class="sluis-visually-hidden"> ({p.professionalName})</span>
                    </a>
                  ) : (
                    ''
                  ),
                ]
              : []),
          ])}
        />
        {can('add_participant') || can('change_chair') ? (
          <ul class="utrecht-unordered-list">
            {can('add_participant') ? (
              <li class="utrecht-unordered-list__item">
                <a class="utrecht-link" href={`${base}/deelnemer`}>
                  Deelnemer toevoegen
                </a>
              </li>
            ) : null}
            {can('change_chair') ? (
              <li class="utrecht-unordered-list__item">
                <a class="utrecht-link" href={`${base}/voorzitter`}>
                  Voorzitter kiezen
                </a>
              </li>
            ) : null}
          </ul>
        ) : null}
      </section>
      {initiator && view.kind === 'identifying' ? (
        <section aria-labelledby="informeren">
          <h2 class="utrecht-heading-2" id="informeren">
            Informeren van de persoon
          </h2>
          <Table
            caption="Informeren"
            captionHidden
            head={INFORMING_HEAD}
            empty="Nog niet vastgelegd. Informeer de persoon (bij een kind ook de ouders of voogd) over het casusoverleg voordat gegevens worden gedeeld."
            rows={view.informings.map(informingRow)}
          />
          <ul class="utrecht-unordered-list">
            <li class="utrecht-unordered-list__item">
              <a class="utrecht-link" href={`${base}/informatietekst`}>
                Informatietekst voor de persoon (afdrukken)
              </a>
            </li>
            {can('record_informing') ? (
              <li class="utrecht-unordered-list__item">
                <a class="utrecht-link" href={`${base}/informeren`}>
                  Informeren vastleggen
                </a>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}
      {view.kind === 'identifying' ? (
        <section aria-labelledby="gedeeld">
          <h2 class="utrecht-heading-2" id="gedeeld">
            Gedeelde gegevens
          </h2>
          <Paragraph>Welke soort gegevens naar wie gingen, waarvoor en op welke grond. Nooit de gegevens zelf.</Paragraph>
          <Table
            caption="Gedeelde gegevens"
            captionHidden
            head={SHARING_HEAD}
            empty="Er zijn nog geen gegevens gedeeld."
            rows={view.sharings.map((s) => sharingRow(s, name))}
          />
          {can('record_sharing') ? (
            <p class="utrecht-paragraph">
              <a class="utrecht-link" href={`${base}/delen`}>
                Delen van gegevens vastleggen
              </a>
            </p>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="bijeenkomsten">
        <h2 class="utrecht-heading-2" id="bijeenkomsten">
          Bijeenkomsten
        </h2>
        <Table
          caption="Bijeenkomsten"
          captionHidden
          head={['Datum', 'Aanwezig']}
          empty="Er is nog geen bijeenkomst gepland."
          rows={view.meetings.map((m) => [
            <TimeText at={m.heldOn} />,
            <>
              {m.attendeeIds.length > 0 ? wordList(m.attendeeIds.map(name)) : 'Nog niet vastgelegd'}
              {can('record_attendance') ? (
                <>
                  {' '}
                  <a class="utrecht-link" href={`${base}/bijeenkomsten/${m.id}/aanwezig`}>
                    Aanwezigen vastleggen
                  </a>
                </>
              ) : null}
            </>,
          ])}
        />
        {can('plan_meeting') ? (
          <p class="utrecht-paragraph">
            <a class="utrecht-link" href={`${base}/bijeenkomst`}>
              Bijeenkomst plannen
            </a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="actiepunten">
        <h2 class="utrecht-heading-2" id="actiepunten">
          Actiepunten
        </h2>
        {view.yourRole === 'participant' ? <Paragraph>U ziet alleen de actiepunten die voor u zijn.</Paragraph> : null}
        <Table
          caption="Actiepunten"
          captionHidden
          head={['Wat', 'Wie', 'Uiterlijk', 'Status']}
          empty="Er zijn geen actiepunten."
          rows={view.actionPoints.map((a) => [
            a.description,
            name(a.assigneeId),
            <TimeText at={a.dueOn} />,
            a.doneAt ? (
              <>
                Afgerond op <TimeText at={a.doneAt} />
              </>
            ) : view.state === 'open' ? (
              <Form action={`${base}/actiepunten/${a.id}/klaar`} csrf={props.ctx.csrf} page={base}>
                <Button kind="secondary">
                  Afgerond<span class="sluis-visually-hidden"> ({a.description})</span>
                </Button>
              </Form>
            ) : (
              'Open'
            ),
          ])}
        />
        {can('add_action_point') ? (
          <p class="utrecht-paragraph">
            <a class="utrecht-link" href={`${base}/actiepunt`}>
              Actiepunt toevoegen
            </a>
          </p>
        ) : null}
      </section>
      {can('identify') || can('close') ? (
        <section aria-labelledby="verder">
          <h2 class="utrecht-heading-2" id="verder">
            Verder
          </h2>
          <ul class="utrecht-unordered-list">
            {can('identify') && view.kind === 'anonymous' ? (
              <li class="utrecht-unordered-list__item">
                <a class="utrecht-link" href={`${base}/op-naam`}>
                  Op naam zetten
                </a>
              </li>
            ) : null}
            {can('close') ? (
              <li class="utrecht-unordered-list__item">
                <a class="utrecht-link" href={`${base}/afsluiten`}>
                  Casusoverleg afsluiten
                </a>
              </li>
            ) : null}
          </ul>
        </section>
      ) : null}
      {initiator ? (
        <p class="utrecht-paragraph">
          <a class="utrecht-link" href={`${base}/verslag`}>
            Verslag voor uw dossier (afdrukken)
          </a>
        </p>
      ) : null}
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="/casusoverleggen">
          Naar uw casusoverleggen
        </a>
      </p>
    </Page>
  );
}

/** Consent or the art. 9 reasoning: complete, or what is missing (the details for the initiator only). */
function BasisSection(props: { view: ConsultationView; base: string }): Html {
  const { view, base } = props;
  const initiator = view.yourRole === 'initiator';
  const can = (action: ConsultationView['allowed'][number]) => view.allowed.includes(action);
  const anonymous = view.kind === 'anonymous';
  return (
    <section aria-labelledby="grondslag">
      <h2 class="utrecht-heading-2" id="grondslag">
        Grondslag
      </h2>
      <Paragraph>
        <strong>{BASIS_LABELS[view.basis.status]}</strong>
      </Paragraph>
      {initiator && view.basis.status === 'incomplete' && view.basis.missingConsent ? (
        <Alert type="warning" title="Nog niet compleet">
          Op de datum van het overleg is toestemming nodig van {wordList((view.basis.requiredConsent ?? []).map((p) => PARTY_WORDS[p]))}, voor iedere deelnemer.
          {view.basis.missingConsent.length > 0 ? ` Nog niet gegeven door: ${wordList(view.basis.missingConsent.map((p) => PARTY_WORDS[p]))}.` : ''} Of leg de
          afweging zonder toestemming vast (art. 9). Tot dan kunnen er geen bijeenkomsten, actiepunten of gedeelde gegevens bij.
        </Alert>
      ) : null}
      {anonymous && initiator ? (
        <Paragraph>
          Wilt u het casusoverleg op naam voeren? Leg dan eerst de toestemming of de afweging vast, en zet het daarna op naam. Toestemming geldt voor dit doel,
          deze soorten gegevens en deze deelnemers.
        </Paragraph>
      ) : null}
      {initiator && view.consents.length > 0 ? (
        <Table caption="Toestemming" head={CONSENT_HEAD} rows={view.consents.map((c) => consentRow(c, participantName(view)))} />
      ) : null}
      {initiator && view.reasoning ? (
        <>
          <h3 class="utrecht-heading-3">Afweging zonder toestemming</h3>
          <DataList
            items={[
              ['Waarom geen toestemming', NO_CONSENT_REASON_LABELS[view.reasoning.noConsentReason]],
              ['Grond', GROUND_LABELS[view.reasoning.ground]],
              ['Geraadpleegd', view.reasoning.officialConsulted],
              ['Geraadpleegd op', <TimeText at={view.reasoning.officialConsultedOn} />],
            ]}
          />
        </>
      ) : null}
      {can('record_consent') || can('record_reasoning') ? (
        <ul class="utrecht-unordered-list">
          {can('record_consent') ? (
            <li class="utrecht-unordered-list__item">
              <a class="utrecht-link" href={`${base}/toestemming`}>
                Toestemming vastleggen
              </a>
            </li>
          ) : null}
          {can('record_reasoning') ? (
            <li class="utrecht-unordered-list__item">
              <a class="utrecht-link" href={`${base}/afweging`}>
                {view.reasoning ? 'Afweging zonder toestemming aanpassen' : 'Afweging zonder toestemming vastleggen'}
              </a>
            </li>
          ) : null}
        </ul>
      ) : null}
    </section>
  );
}

/**
 * The initiator's file (art. 12.1): the whole record on one page to print (or save as PDF with the
 * browser) for their own client file — purpose, basis, participants, consent or the reasoning with
 * its answers, informing, the ledger, meetings and action points. The print style hides the rest.
 */
export function InitiatorFilePage(props: { ctx: PageContext; view: ConsultationView; printedAt: Date }): Html {
  const { view } = props;
  const name = participantName(view);
  return (
    <Page ctx={props.ctx} title="Casusoverleg: verslag voor uw dossier">
      <p class="utrecht-paragraph sluis-back">
        <a class="utrecht-link" href={`/casusoverleggen/${view.id}`}>
          Terug naar het casusoverleg
        </a>
      </p>
      <h1 class="utrecht-heading-1">Casusoverleg: verslag voor uw dossier</h1>
      <Paragraph>
        Gemaakt op <TimeText at={props.printedAt} withTime />. Druk deze pagina af, of download het verslag als PDF, en neem het op in uw eigen cliëntdossier.
      </Paragraph>
      <p class="utrecht-paragraph">
        <ButtonLink href={`/casusoverleggen/${view.id}/verslag/pdf`} kind="secondary">
          Verslag downloaden (PDF)
        </ButtonLink>
      </p>
      <DataList
        items={[
          ['Over', view.person ? `${personText(view.person)}, geboren ${view.person.dateOfBirth.split('-').reverse().join('-')}` : KIND_LABELS[view.kind]],
          ['Doel', view.purpose],
          ['Datum van het overleg', <TimeText at={view.consultationOn} />],
          ['Gestart', <TimeText at={view.startedAt} />],
          [
            'Status',
            view.closedAt && view.outcome
              ? `${STATE_LABELS.closed} op ${new Date(view.closedAt).toISOString().slice(0, 10)}: ${OUTCOME_LABELS[view.outcome]}`
              : STATE_LABELS[view.state],
          ],
          ['Grondslag', BASIS_LABELS[view.basis.status]],
        ]}
      />
      <h2 class="utrecht-heading-2">Deelnemers</h2>
      <Table
        caption="Deelnemers"
        captionHidden
        head={['Naam', 'Organisatie', 'Taak', 'Status']}
        rows={view.participants.map((p) => [
          `${p.professionalName}${p.isChair ? ' (voorzitter)' : ''}`,
          p.organisationName,
          p.legalTask,
          PARTICIPANT_STATE_LABELS[p.state],
        ])}
      />
      <h2 class="utrecht-heading-2">Toestemming</h2>
      <Table
        caption="Toestemming"
        captionHidden
        head={CONSENT_HEAD}
        empty="Geen toestemming vastgelegd."
        rows={view.consents.map((c) => consentRow(c, name))}
      />
      {view.reasoning ? (
        <>
          <h2 class="utrecht-heading-2">Afweging zonder toestemming (art. 9)</h2>
          <DataList
            items={[
              ['Waarom geen toestemming', `${NO_CONSENT_REASON_LABELS[view.reasoning.noConsentReason]}. ${view.reasoning.noConsentExplanation}`],
              ['Grond', GROUND_LABELS[view.reasoning.ground]],
              ...(view.reasoning.vitalInterestMotivation ? ([['Motivering vitaal belang', view.reasoning.vitalInterestMotivation]] as [string, string][]) : []),
              ...Object.entries(WEIGHING_QUESTION_LABELS).map(
                ([q, label]) => [label, view.reasoning!.answers[q as keyof typeof WEIGHING_QUESTION_LABELS]] as [string, string],
              ),
              ['Overlegd met', view.reasoning.officialConsulted],
              ['Overlegd op', <TimeText at={view.reasoning.officialConsultedOn} />],
            ]}
          />
        </>
      ) : null}
      <h2 class="utrecht-heading-2">Informeren van de persoon</h2>
      <Table caption="Informeren" captionHidden head={INFORMING_HEAD} empty="Niet vastgelegd." rows={view.informings.map(informingRow)} />
      <h2 class="utrecht-heading-2">Gedeelde gegevens</h2>
      <Table
        caption="Gedeelde gegevens"
        captionHidden
        head={SHARING_HEAD}
        empty="Geen gegevens gedeeld."
        rows={view.sharings.map((s) => sharingRow(s, name))}
      />
      <h2 class="utrecht-heading-2">Bijeenkomsten</h2>
      <Table
        caption="Bijeenkomsten"
        captionHidden
        head={['Datum', 'Aanwezig']}
        empty="Geen bijeenkomsten."
        rows={view.meetings.map((m) => [<TimeText at={m.heldOn} />, m.attendeeIds.length > 0 ? wordList(m.attendeeIds.map(name)) : 'Niet vastgelegd'])}
      />
      <h2 class="utrecht-heading-2">Actiepunten</h2>
      <Table
        caption="Actiepunten"
        captionHidden
        head={['Wat', 'Wie', 'Uiterlijk', 'Afgerond']}
        empty="Geen actiepunten."
        rows={view.actionPoints.map((a) => [a.description, name(a.assigneeId), <TimeText at={a.dueOn} />, a.doneAt ? <TimeText at={a.doneAt} /> : 'Nee'])}
      />
    </Page>
  );
}

export const INFORMATION_BANDS = {
  ouders: 'Voor de ouders of voogd (kind tot 16 jaar)',
  jongere: 'Voor de jongere (12 tot en met 15 jaar)',
  persoon: 'Voor de persoon zelf (16 jaar en ouder)',
} as const;
export type InformationBand = keyof typeof INFORMATION_BANDS;

/**
 * The information text of art. 11 in Dutch, per age band, to print and hand over (or to send): what
 * a case consultation is, its purpose, who takes part, who is responsible, how long it is kept, and
 * the person's rights. Only the initiator reaches it.
 */
export function InformationTextPage(props: { ctx: PageContext; view: ConsultationView; band: InformationBand; retentionMonths: number }): Html {
  const { view, band } = props;
  const you = view.participants.find((p) => p.isYou)!;
  const organisations = [...new Set(view.participants.filter((p) => p.state === 'active' || p.state === 'invited').map((p) => p.organisationName))];
  const jij = band === 'jongere';
  const about = band === 'ouders' ? 'uw kind' : jij ? 'jou' : 'u';
  return (
    <Page ctx={props.ctx} title={`Informatietekst: ${INFORMATION_BANDS[band]}`}>
      <div class="sluis-narrow">
        <p class="utrecht-paragraph sluis-back">
          <a class="utrecht-link" href={`/casusoverleggen/${view.id}`}>
            Terug naar het casusoverleg
          </a>
        </p>
        <nav aria-label="Andere leeftijden" class="sluis-back">
          <ul class="utrecht-unordered-list">
            {(Object.keys(INFORMATION_BANDS) as InformationBand[])
              .filter((b) => b !== band)
              .map((b) => (
                <li class="utrecht-unordered-list__item">
                  <a class="utrecht-link" href={`/casusoverleggen/${view.id}/informatietekst?voor=${b}`}>
                    {INFORMATION_BANDS[b]}
                  </a>
                </li>
              ))}
          </ul>
        </nav>
        <h1 class="utrecht-heading-1">{jij ? 'We overleggen over hoe we je het beste kunnen helpen' : 'Informatie over een casusoverleg'}</h1>
        <Paragraph lead>
          {jij
            ? `Een paar mensen die jou helpen, willen samen overleggen. Zo kunnen ze hun hulp beter op elkaar afstemmen. Daarom krijg je deze brief.`
            : `Professionals die ${about} helpen, willen samen overleggen in een casusoverleg. Zo stemmen zij hun hulp op elkaar af. Hier leest u wat dat betekent.`}
        </Paragraph>
        <h2 class="utrecht-heading-2">{jij ? 'Waarom' : 'Het doel'}</h2>
        <Paragraph>{view.purpose}</Paragraph>
        <h2 class="utrecht-heading-2">{jij ? 'Wie er meedoen' : 'Wie er deelnemen'}</h2>
        <ul class="utrecht-unordered-list">
          {organisations.map((o) => (
            <li class="utrecht-unordered-list__item">{o}</li>
          ))}
        </ul>
        <Paragraph>
          {jij
            ? 'Ze delen alleen wat nodig is voor het doel. Ze houden geheim wat ze horen.'
            : 'Zij delen alleen de gegevens die nodig zijn voor dit doel, en hebben een geheimhoudingsplicht. Iedere organisatie is verantwoordelijk voor de gegevens in haar eigen dossier.'}
        </Paragraph>
        <h2 class="utrecht-heading-2">{jij ? 'Hoe lang' : 'Hoe lang het wordt bewaard'}</h2>
        <Paragraph>
          De afspraken over het casusoverleg worden {props.retentionMonths} maanden na het afsluiten verwijderd. Wat er in het eigen dossier van een organisatie
          staat, bewaart die organisatie volgens de eigen regels.
        </Paragraph>
        <h2 class="utrecht-heading-2">{jij ? 'Wat je kunt doen' : 'Uw rechten'}</h2>
        <ul class="utrecht-unordered-list">
          {(jij
            ? [
                'Je mag vragen wat er over je is opgeschreven en gedeeld.',
                'Klopt er iets niet? Dan mag je vragen om het te verbeteren of te verwijderen.',
                'Ben je het er niet mee eens? Zeg het tegen ons. Je mag ook een klacht indienen.',
              ]
            : [
                'U mag vragen welke gegevens er zijn vastgelegd en met wie ze zijn gedeeld (inzage).',
                'U mag vragen om gegevens te verbeteren, aan te vullen of te verwijderen.',
                'U mag bezwaar maken tegen het delen van gegevens.',
                'Bent u het niet eens met hoe wij met uw gegevens omgaan? Dan kunt u een klacht indienen bij de organisatie, en bij de Autoriteit Persoonsgegevens.',
              ]
          ).map((line) => (
            <li class="utrecht-unordered-list__item">{line}</li>
          ))}
        </ul>
        <h2 class="utrecht-heading-2">{jij ? 'Vragen?' : 'Contact'}</h2>
        <Paragraph>
          {you.professionalName}, {you.jobTitle}, {you.organisationName}. Telefoon {you.phone}, e-mail {you.email}.
        </Paragraph>
      </div>
    </Page>
  );
}

/** On the start page: the open consultations and the invitations waiting for the declaration, when there are any. */
export function StartPageConsultations(props: { open: number; invitations: number }): Html {
  if (props.open === 0 && props.invitations === 0) return <Fragment />;
  return (
    <section aria-labelledby="casusoverleggen-start">
      <h2 class="utrecht-heading-2" id="casusoverleggen-start">
        Casusoverleggen
      </h2>
      <Paragraph>
        {props.open > 0 ? `U neemt deel aan ${props.open} open ${props.open === 1 ? 'casusoverleg' : 'casusoverleggen'}. ` : ''}
        {props.invitations > 0
          ? `${props.invitations} ${props.invitations === 1 ? 'uitnodiging wacht' : 'uitnodigingen wachten'} op uw geheimhoudingsverklaring. `
          : ''}
        <a class="utrecht-link" href="/casusoverleggen">
          Naar uw casusoverleggen
        </a>
      </Paragraph>
    </section>
  );
}
