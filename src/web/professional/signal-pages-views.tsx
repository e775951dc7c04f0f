/**
 * The professional's pages around their signals: the start page, their signals (active and
 * history), one signal with the answer of the index (match or no match), ending a signal, and a
 * match. No page shows a BSN: the services never hand one out.
 */

import type { ProfessionalCoordinationView } from '../../coordination/coordination-service.ts';
import type { MatchView } from '../../matches/match-service.ts';
import type { EndReasonInput } from '../../signals/lifetime.ts';
import type { PersonDetails, SignalView } from '../../signals/signal-types.ts';
import type { ContactRow, HistoryRow } from '../../signals/worklist-service.ts';
import { Alert, ButtonLink, ChoiceGroup, DataList, Paragraph, StatusBadge, Table, TimeText } from '../components.tsx';
import { ConfirmPage } from '../confirm-page.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { END_REASON_LABELS, legalBasisText, NO_CLIENT_REFERENCE } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { CoordinationSection } from './coordination-view.tsx';

export const personName = (person: PersonDetails | null): string =>
  person ? [person.name.givenNames, person.name.familyNamePrefix, person.name.familyName].filter(Boolean).join(' ') : 'Persoon';

const GENDER_LABELS: Record<PersonDetails['gender'], string> = { male: 'Man', female: 'Vrouw', other: 'Anders', unknown: 'Onbekend' };

export const END_CHOICES: { value: EndReasonInput; label: string; description: string }[] = [
  { value: 'care_ended', label: 'Mijn hulp is afgerond', description: 'Nieuwe betrokkenen zien nog een tijd dat u betrokken was (geschiedenis).' },
  { value: 'moved', label: 'De persoon is verhuisd', description: 'Nieuwe betrokkenen zien nog een tijd dat u betrokken was (geschiedenis).' },
  { value: 'deceased', label: 'De persoon is overleden', description: 'Nieuwe betrokkenen zien nog een tijd dat u betrokken was (geschiedenis).' },
  {
    value: 'unjustified',
    label: 'Het signaal is ten onrechte afgegeven',
    description: 'Het signaal wordt meteen helemaal verwijderd, ook uit de geschiedenis.',
  },
  {
    value: 'objection_upheld',
    label: 'De persoon maakte bezwaar en kreeg gelijk',
    description: 'Het signaal wordt meteen helemaal verwijderd, ook uit de geschiedenis.',
  },
];

const matchCell = (signal: SignalView, unseen: Set<string>) =>
  signal.matchId ? (
    <span class="sluis-match-cell">
      <a class="utrecht-link" href={`/matches/${signal.matchId}`}>
        Bekijk match<span class="sluis-visually-hidden"> over {personName(signal.person)}</span>
      </a>
      {unseen.has(signal.matchId) ? (
        <>
          {' '}
          <StatusBadge tone="new">Nieuw</StatusBadge>
        </>
      ) : null}
    </span>
  ) : (
    'Nog geen'
  );

function ActiveSignalsTable(props: { signals: SignalView[]; unseen: Set<string>; caption: string }): Html {
  return (
    <Table
      caption={props.caption}
      captionHidden
      empty="U heeft geen actieve signalen."
      head={['Persoon', 'Geboren', 'Uw kenmerk', 'Match', 'Actief tot']}
      rows={props.signals.map((s) => [
        <a class="utrecht-link" href={`/signalen/${s.id}`}>
          {personName(s.person)}
        </a>,
        s.person ? <TimeText at={`${s.person.dateOfBirth}T12:00:00Z`} /> : '',
        s.clientReference ?? NO_CLIENT_REFERENCE,
        matchCell(s, props.unseen),
        <TimeText at={s.activeUntil} />,
      ])}
    />
  );
}

export function StartPage(props: {
  ctx: PageContext;
  name: string;
  signals: SignalView[];
  moreSignals: boolean;
  persons: SignalView[];
  matches: MatchView[];
  moreMatches: boolean;
  unseen: Set<string>;
  expiring: SignalView[];
  noticeDays: number;
}): Html {
  const person = new Map(props.persons.map((s) => [s.id, s.person]));
  const fresh = props.matches;
  return (
    <Page ctx={props.ctx} title="Start">
      <h1 class="utrecht-heading-1">Welkom, {props.name}</h1>
      <div class="sluis-actions sluis-start-actions">
        <ButtonLink href="/signalen/nieuw">Signaal afgeven</ButtonLink>
      </div>
      {fresh.length > 0 ? (
        <section aria-labelledby="nieuwe-matches">
          <h2 class="utrecht-heading-2" id="nieuwe-matches">
            Nieuwe matches
          </h2>
          <ul class="sluis-cards sluis-plain-list">
            {fresh.map((m) => (
              <li class="sluis-card sluis-match-card">
                <StatusBadge tone="new">Nieuw</StatusBadge>
                <h3 class="utrecht-heading-3">
                  <a class="utrecht-link" href={`/matches/${m.id}`}>
                    {personName(person.get(m.yourSignalId) ?? null)}
                  </a>
                </h3>
                <p class="utrecht-paragraph">
                  Ook betrokken:{' '}
                  {m.participants
                    .filter((p) => !p.isYou)
                    .map((p) => p.organisationName)
                    .join(', ')}
                </p>
              </li>
            ))}
          </ul>
          {props.moreMatches ? (
            <Paragraph>
              En meer: de andere nieuwe matches staan bij{' '}
              <a class="utrecht-link" href="/signalen">
                Mijn signalen
              </a>
              , gemarkeerd met "Nieuw".
            </Paragraph>
          ) : null}
        </section>
      ) : null}
      <section aria-labelledby="actieve-signalen">
        <h2 class="utrecht-heading-2" id="actieve-signalen">
          {props.moreSignals ? 'Mijn laatste signalen' : 'Mijn actieve signalen'}
        </h2>
        <ActiveSignalsTable signals={props.signals} unseen={props.unseen} caption={props.moreSignals ? 'Mijn laatste signalen' : 'Mijn actieve signalen'} />
        {props.moreSignals ? (
          <p class="utrecht-paragraph">
            <a class="utrecht-link" href="/signalen">
              Alle actieve signalen
            </a>
          </p>
        ) : null}
      </section>
      <section aria-labelledby="verlopen-binnenkort">
        <h2 class="utrecht-heading-2" id="verlopen-binnenkort">
          Verlopen binnenkort
        </h2>
        {props.expiring.length === 0 ? (
          <Paragraph class="sluis-empty">Geen signalen verlopen de komende {props.noticeDays} dagen.</Paragraph>
        ) : (
          <>
            <Paragraph>Na deze datum is het signaal niet meer actief. Bent u dan nog betrokken, geef dan opnieuw een signaal af.</Paragraph>
            <ul class="utrecht-unordered-list">
              {props.expiring.map((s) => (
                <li class="utrecht-unordered-list__item">
                  <a class="utrecht-link" href={`/signalen/${s.id}`}>
                    {personName(s.person)}
                  </a>
                  : actief tot <TimeText at={s.activeUntil} />
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </Page>
  );
}

export function SignalsPage(props: {
  ctx: PageContext;
  active: SignalView[];
  inactive: SignalView[];
  unseen: Set<string>;
  flash?: 'beeindigd' | 'verwijderd' | undefined;
  moreHistory?: string | null;
}): Html {
  return (
    <Page ctx={props.ctx} title="Mijn signalen">
      <h1 class="utrecht-heading-1">Mijn signalen</h1>
      {props.flash === 'beeindigd' ? <Alert type="ok">Het signaal is beëindigd. U krijgt er geen berichten meer over.</Alert> : null}
      {props.flash === 'verwijderd' ? <Alert type="ok">Het signaal is beëindigd en helemaal verwijderd.</Alert> : null}
      <h2 class="utrecht-heading-2">Actief</h2>
      <ActiveSignalsTable signals={props.active} unseen={props.unseen} caption="Actieve signalen" />
      <h2 class="utrecht-heading-2">Beëindigd of verlopen</h2>
      <Paragraph>Van een beëindigd signaal bewaart SluiS alleen wanneer u betrokken was, niet meer de gegevens van de persoon.</Paragraph>
      <Table
        caption="Beëindigde en verlopen signalen"
        captionHidden
        empty="U heeft nog geen beëindigde of verlopen signalen."
        head={['Uw kenmerk', 'Afgegeven', 'Beëindigd', 'Reden']}
        rows={props.inactive.map((s) => [
          s.clientReference ?? NO_CLIENT_REFERENCE,
          <TimeText at={s.filedAt} />,
          s.endedAt ? <TimeText at={s.endedAt} /> : <TimeText at={s.activeUntil} />,
          s.endReason ? END_REASON_LABELS[s.endReason] : '',
        ])}
      />
      {props.moreHistory ? (
        <p class="utrecht-paragraph">
          <a class="utrecht-link" href={`/signalen?verder=${encodeURIComponent(props.moreHistory)}`}>
            Oudere signalen
          </a>
        </p>
      ) : null}
    </Page>
  );
}

function ContactCard(props: { contact: ContactRow }): Html {
  const c = props.contact;
  return (
    <li class="sluis-card sluis-contact">
      <h3 class="utrecht-heading-3">{c.professionalName}</h3>
      <p class="utrecht-paragraph sluis-contact__role">{[c.jobTitle, c.organisationName].filter(Boolean).join(', ')}</p>
      <DataList
        items={[
          [
            'Telefoon',
            <a class="utrecht-link" href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>
              {c.phone}
            </a>,
          ],
          [
            'E-mail',
            <a class="utrecht-link" href={`mailto:${c.email}`}>
              {c.email}
            </a>,
          ],
          ['Betrokken sinds', <TimeText at={c.since} />],
        ]}
      />
    </li>
  );
}

export function Contacts(props: { contacts: ContactRow[] }): Html {
  return (
    <ul class="sluis-cards sluis-plain-list">
      {props.contacts
        .filter((c) => !c.isYou)
        .map((c) => (
          <ContactCard contact={c} />
        ))}
    </ul>
  );
}

export function History(props: { history: HistoryRow[] }): Html {
  return (
    <section aria-labelledby="geschiedenis">
      <h2 class="utrecht-heading-2" id="geschiedenis">
        Eerder betrokken
      </h2>
      <Table
        caption="Professionals die eerder betrokken waren"
        captionHidden
        empty="Er waren geen andere professionals eerder betrokken, voor zover SluiS dat nog weet."
        head={['Professional', 'Organisatie', 'Contact', 'Betrokken']}
        rows={props.history.map((row) => [
          row.isYou ? `${row.professionalName} (u)` : row.professionalName,
          row.organisationName,
          <>
            <a class="utrecht-link" href={`tel:${row.phone.replace(/[^\d+]/g, '')}`}>
              {row.phone}
            </a>
            <br />
            <a class="utrecht-link" href={`mailto:${row.email}`}>
              {row.email}
            </a>
          </>,
          <>
            <TimeText at={row.from} /> tot {row.until ? <TimeText at={row.until} /> : 'nu'}
          </>,
        ])}
      />
    </section>
  );
}

const address = (person: PersonDetails) =>
  person.address
    ? `${person.address.street} ${person.address.houseNumber}${person.address.houseNumberAddition ? ` ${person.address.houseNumberAddition}` : ''}, ${person.address.postcode} ${person.address.city}`
    : 'Niet ingevuld';

export function SignalPage(props: {
  ctx: PageContext;
  signal: SignalView;
  contacts: ContactRow[] | null;
  history: HistoryRow[];
  flash: 'nieuw' | 'bestaand' | undefined;
}): Html {
  const { signal } = props;
  const person = signal.person!;
  const name = personName(person);
  return (
    <Page ctx={props.ctx} title={props.flash === 'nieuw' ? `Signaal afgegeven: ${props.contacts ? 'match' : 'geen match'}` : `Signaal: ${name}`}>
      {props.flash === 'nieuw' ? <Alert type="ok">Uw signaal is afgegeven.</Alert> : null}
      {props.flash === 'bestaand' ? (
        <Alert type="info">U had al een actief signaal op deze persoon. Dit is dat signaal; er is niets dubbel vastgelegd.</Alert>
      ) : null}
      <h1 class="utrecht-heading-1">
        <span class="sluis-kicker">Signaal</span> {name}
      </h1>
      {props.contacts ? (
        <section aria-labelledby="match" class="sluis-answer sluis-answer--match">
          <h2 class="utrecht-heading-2" id="match">
            Match: er zijn meer professionals betrokken
          </h2>
          <Paragraph>Neem contact op met de andere betrokkenen om uw hulp op elkaar af te stemmen. Spreek samen af wie de regie neemt.</Paragraph>
          <Contacts contacts={props.contacts} />
          <p class="utrecht-paragraph">
            <a class="utrecht-link" href={`/matches/${signal.matchId}`}>
              Naar de match
            </a>
          </p>
        </section>
      ) : (
        <Alert type="info" title="Geen match">
          Geen match: u krijgt bericht zodra een andere professional betrokken raakt.
        </Alert>
      )}
      <History history={props.history} />
      <h2 class="utrecht-heading-2">Uw signaal</h2>
      <DataList
        items={[
          ['Naam', name],
          ['Geboortedatum', <TimeText at={`${person.dateOfBirth}T12:00:00Z`} />],
          ['Geslacht', GENDER_LABELS[person.gender]],
          ['Adres', address(person)],
          ['Uw kenmerk', signal.clientReference ?? NO_CLIENT_REFERENCE],
          ['Afgegeven op', <TimeText at={signal.filedAt} />],
          ['Actief tot', <TimeText at={signal.activeUntil} />],
          ['Toestemming of informeren', legalBasisText(signal.legalBasis)],
        ]}
      />
      <div class="sluis-actions">
        <ButtonLink href={`/signalen/${signal.id}/beeindigen`} kind="secondary">
          Signaal beëindigen
        </ButtonLink>
      </div>
    </Page>
  );
}

/** Ending a signal: the one confirmation pattern (confirm-page.tsx), with the reason to choose first. */
export function EndSignalPage(props: { ctx: PageContext; signal: SignalView; error?: string; selected?: string }): Html {
  const { signal } = props;
  const name = personName(signal.person);
  return (
    <ConfirmPage
      ctx={props.ctx}
      title="Signaal beëindigen"
      back={{ href: `/signalen/${signal.id}`, label: 'Terug naar uw signaal' }}
      action={`/signalen/${signal.id}/beeindigen`}
      confirm="Ja, signaal beëindigen"
      errors={{ reden: props.error }}
      intro={`U bent niet meer betrokken bij ${name}? Beëindig dan uw signaal.`}
      consequences={[
        `U krijgt geen berichten meer over ${name}.`,
        ...(signal.matchId ? ['De andere betrokken professionals krijgen bericht dat u niet meer betrokken bent.'] : []),
        'Nieuwe betrokkenen zien nog een tijd dat u betrokken was (geschiedenis), zonder de gegevens van de persoon. Is het signaal ten onrechte afgegeven of kreeg de persoon gelijk in een bezwaar, dan wordt het meteen helemaal verwijderd.',
      ]}
      irreversible="Een beëindigd signaal wordt niet weer actief. Bent u later weer betrokken, geef dan een nieuw signaal af."
      question={`Weet u zeker dat u uw signaal over ${name} wilt beëindigen?`}
    >
      <ChoiceGroup id="reden" legend="Waarom beëindigt u het signaal?" error={props.error} options={END_CHOICES} selected={props.selected} />
    </ConfirmPage>
  );
}

export function MatchPage(props: {
  ctx: PageContext;
  match: MatchView;
  signal: SignalView;
  contacts: ContactRow[];
  history: HistoryRow[];
  coordination: ProfessionalCoordinationView;
  today: string;
  flash?: string;
}): Html {
  const name = personName(props.signal.person);
  return (
    <Page ctx={props.ctx} title={`Match: ${name}`}>
      <h1 class="utrecht-heading-1">
        <span class="sluis-kicker">Match</span> {name}
      </h1>
      <Paragraph lead>
        Sinds <TimeText at={props.match.createdAt} /> zijn meer professionals bij {name} betrokken. Neem contact met elkaar op om uw hulp af te stemmen, en
        spreek af wie de regie neemt.
      </Paragraph>
      <h2 class="utrecht-heading-2">Ook betrokken</h2>
      <Contacts contacts={props.contacts} />
      <CoordinationSection ctx={props.ctx} view={props.coordination} today={props.today} flash={props.flash} />
      <History history={props.history} />
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href={`/signalen/${props.signal.id}`}>
          Naar uw signaal
        </a>
      </p>
    </Page>
  );
}
