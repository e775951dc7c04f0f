/**
 * The professional's pages around their signals: the start page, their signals (active and
 * history), one signal with the answer of the index (match or no match), ending a signal, and a
 * match. No page shows a BSN: the services never hand one out.
 */

import type { ProfessionalCoordinationView } from '../../coordination/coordination-service.ts';
import type { MatchView } from '../../matches/match-service.ts';
import type { OtherRegion, RemoteContact } from '../../matches/other-regions.ts';
import type { SignalRightsNotices } from '../../rights/rights-decision-service.ts';
import { amsterdamDate } from '../../shared/calendar.ts';
import { type LetterBand, letterBand } from '../../signals/information-letter.ts';
import type { EndReasonInput } from '../../signals/lifetime.ts';
import type { SignalCounts } from '../../signals/signal-service.ts';
import type { PersonDetails, SignalView } from '../../signals/signal-types.ts';
import type { ContactRow, HistoryRow } from '../../signals/worklist-service.ts';
import { Alert, Button, ButtonLink, ChoiceGroup, DataList, ErrorSummary, type FieldErrors, Paragraph, StatusBadge, Table, TimeText } from '../components.tsx';
import { ConfirmPage } from '../confirm-page.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { END_REASON_LABELS, legalBasisText, NO_CLIENT_REFERENCE, REQUEST_KIND_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import { countText, ListCount, type ListPage, Pager } from '../pager.tsx';
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
  persons: SignalView[];
  matches: MatchView[];
  /** How many new matches there are (at most `unseenLimit` are looked for). */
  unseenCount: number;
  unseenLimit: number;
  unseen: Set<string>;
  expiring: SignalView[];
  noticeDays: number;
  counts: SignalCounts;
  /** Signals whose postponed informing is due to be recorded. */
  informing: SignalView[];
  now: Date;
  /** "Regie aan u voorgesteld" (handover-section.tsx), drawn by its own component. */
  handovers?: Html | null;
  /** The open case consultations and invitations (consultation-views.tsx). */
  consultations?: Html | null;
}): Html {
  const person = new Map(props.persons.map((s) => [s.id, s.person]));
  const fresh = props.matches;
  const moreSignals = props.counts.active > props.signals.length;
  const moreMatches = props.unseenCount - fresh.length;
  return (
    <Page ctx={props.ctx} title="Start">
      <h1 class="utrecht-heading-1">Welkom, {props.name}</h1>
      <div class="sluis-actions sluis-start-actions">
        <ButtonLink href="/signalen/nieuw">Signaal afgeven</ButtonLink>
        <a class="utrecht-link" href="/hulp">
          Hulp bij signaleren
        </a>
      </div>
      {props.handovers ?? null}
      {props.consultations ?? null}
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
                  {m.kind === 'family'
                    ? 'Gezinsmatch. Betrokken bij een kind van dezelfde ouder: '
                    : m.kind === 'address'
                      ? 'Adresmatch. Betrokken bij iemand op hetzelfde woonadres: '
                      : m.kind === 'cross_region'
                        ? 'Match met een andere regio. Ook betrokken: '
                        : 'Ook betrokken: '}
                  {[
                    ...m.participants.filter((p) => !p.isYou).map((p) => p.organisationName),
                    ...(m.otherRegions ?? []).flatMap((r) =>
                      r.contacts.length > 0 ? r.contacts.map((c) => `${c.organisation} (regio ${r.region})`) : [`regio ${r.region}`],
                    ),
                  ].join(', ')}
                </p>
              </li>
            ))}
          </ul>
          {moreMatches > 0 ? (
            <Paragraph>
              En nog {props.unseenCount >= props.unseenLimit ? 'minstens ' : ''}
              {countText(moreMatches, ['nieuwe match', 'nieuwe matches'])}. Die ziet u bij{' '}
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
          {moreSignals ? 'Mijn laatste signalen' : 'Mijn actieve signalen'}
        </h2>
        <ActiveSignalsTable signals={props.signals} unseen={props.unseen} caption={moreSignals ? 'Mijn laatste signalen' : 'Mijn actieve signalen'} />
        {moreSignals ? (
          <p class="utrecht-paragraph">
            <a class="utrecht-link" href="/signalen">
              Alle {countText(props.counts.active, ['actief signaal', 'actieve signalen'])}
            </a>
          </p>
        ) : null}
      </section>
      {props.informing.length > 0 ? <InformingDue signals={props.informing} /> : null}
      <section aria-labelledby="verlopen-binnenkort">
        <h2 class="utrecht-heading-2" id="verlopen-binnenkort">
          Verlopen binnenkort
        </h2>
        {props.expiring.length === 0 ? (
          <Paragraph class="sluis-empty">Geen signalen verlopen de komende {props.noticeDays} dagen.</Paragraph>
        ) : (
          <>
            <Paragraph>Na deze datum is het signaal niet meer actief. Bent u dan nog betrokken? Verleng het signaal.</Paragraph>
            <ul class="utrecht-unordered-list sluis-expiring">
              {props.expiring.map((s) => (
                <li class="utrecht-unordered-list__item">
                  <a class="utrecht-link" href={`/signalen/${s.id}`}>
                    {personName(s.person)}
                  </a>
                  : actief tot <TimeText at={s.activeUntil} />
                  {s.extension && props.now >= s.extension.opensAt && props.now < s.activeUntil ? (
                    <>
                      {' '}
                      <a class="utrecht-link sluis-expiring__extend" href={`/signalen/${s.id}/verlengen`}>
                        Verlengen<span class="sluis-visually-hidden"> (signaal over {personName(s.person)})</span>
                      </a>
                    </>
                  ) : s.extension ? null : (
                    ' (verlengen kan niet)'
                  )}
                </li>
              ))}
            </ul>
            {props.counts.expiring > props.expiring.length ? (
              <p class="utrecht-paragraph">
                <a class="utrecht-link" href="/signalen?binnenkort=1#actief">
                  Alle {countText(props.counts.expiring, ['signaal dat binnenkort verloopt', 'signalen die binnenkort verlopen'])}
                </a>
              </p>
            ) : null}
          </>
        )}
      </section>
    </Page>
  );
}

const ACTIVE_NOUNS = ['actief signaal', 'actieve signalen'] as const;
const EXPIRING_NOUNS = ['actief signaal dat binnenkort verloopt', 'actieve signalen die binnenkort verlopen'] as const;
const INACTIVE_NOUNS = ['beëindigd of verlopen signaal', 'beëindigde of verlopen signalen'] as const;

/** What the search by client reference asks: the reference (or its beginning) and how to match it. */
export type ReferenceSearchValues = { kenmerk: string; hoe: 'begint' | 'precies' };
export const EMPTY_REFERENCE_SEARCH: ReferenceSearchValues = { kenmerk: '', hoe: 'begint' };

/**
 * Finding one's own signal by one's own client reference. A POST form, so that the reference (which
 * may hold anything an organisation chose) never goes into a URL, a browser history or a log line.
 * Compact: one field and its button on a line, so that on a phone the list still starts near the top.
 */
export function ReferenceSearchForm(props: { ctx: PageContext; values: ReferenceSearchValues; errors?: FieldErrors }): Html {
  const error = props.errors?.kenmerk;
  return (
    <form method="post" action="/signalen/zoeken" class="utrecht-form sluis-reference-search" role="search" aria-label="Zoeken op uw kenmerk" novalidate>
      <input type="hidden" name="_csrf" value={props.ctx.csrf} />
      <ErrorSummary errors={props.errors ?? {}} />
      <div class={`utrecht-form-field utrecht-form-field--text${error ? ' utrecht-form-field--invalid' : ''}`}>
        <div class="utrecht-form-field__label">
          <label class="utrecht-form-label" for="kenmerk">
            Zoek op uw kenmerk
          </label>
        </div>
        <div class="utrecht-form-field__description utrecht-form-field-description" id="kenmerk-beschrijving">
          Het hele kenmerk of het begin ervan. Hoofdletters maken niet uit.
        </div>
        {error ? (
          <div class="utrecht-form-field__error-message utrecht-form-field-error-message" id="kenmerk-fout">
            {error}
          </div>
        ) : null}
        <div class="utrecht-form-field__input sluis-search-row">
          <input
            class={`utrecht-textbox utrecht-textbox--html-input${error ? ' utrecht-textbox--invalid' : ''}`}
            id="kenmerk"
            name="kenmerk"
            type="search"
            value={props.values.kenmerk}
            maxlength={100}
            autocomplete="off"
            aria-invalid={error ? 'true' : undefined}
            aria-describedby={error ? 'kenmerk-beschrijving kenmerk-fout' : 'kenmerk-beschrijving'}
          />
          <Button>Zoeken</Button>
        </div>
      </div>
      <div class="utrecht-form-field utrecht-form-field--checkbox sluis-choice">
        <input
          type="checkbox"
          class="utrecht-checkbox utrecht-checkbox--html-input"
          id="precies"
          name="hoe"
          value="precies"
          checked={props.values.hoe === 'precies'}
        />
        <label class="utrecht-form-label utrecht-form-label--checkbox" for="precies">
          Alleen precies dit kenmerk
        </label>
      </div>
    </form>
  );
}

/** Where a list of the signals page starts: its page number, the other list's, and the filter. */
export type SignalsPageQuery = { active: number; inactive: number; soon: boolean };

const signalsHref = (query: SignalsPageQuery, anchor: string) => {
  const params = new URLSearchParams();
  if (query.soon) params.set('binnenkort', '1');
  if (query.active > 1) params.set('actief', String(query.active));
  if (query.inactive > 1) params.set('geschiedenis', String(query.inactive));
  const search = params.toString();
  return `/signalen${search ? `?${search}` : ''}#${anchor}`;
};

/** The start page's reminder: signals filed with informing postponed whose follow-up period has passed. */
function InformingDue(props: { signals: SignalView[] }): Html {
  return (
    <section aria-labelledby="informeren-vastleggen">
      <h2 class="utrecht-heading-2" id="informeren-vastleggen">
        Informeren vastleggen
      </h2>
      <Paragraph>Bij deze signalen heeft u het informeren uitgesteld. Leg vast of u inmiddels heeft geïnformeerd, of waarom nog niet.</Paragraph>
      <ul class="utrecht-unordered-list">
        {props.signals.map((s) => (
          <li class="utrecht-unordered-list__item">
            <a class="utrecht-link" href={`/signalen/${s.id}`}>
              {personName(s.person)}
            </a>
            : afgegeven op <TimeText at={s.filedAt} />{' '}
            <a class="utrecht-link" href={`/signalen/${s.id}/informeren`}>
              Vastleggen<span class="sluis-visually-hidden"> (informeren over {personName(s.person)})</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

export function SignalsPage(props: {
  ctx: PageContext;
  active: ListPage<SignalView>;
  inactive: ListPage<SignalView>;
  unseen: Set<string>;
  soon: boolean;
  noticeDays: number;
  flash?: 'beeindigd' | 'verwijderd' | undefined;
}): Html {
  const query: SignalsPageQuery = { active: props.active.page, inactive: props.inactive.page, soon: props.soon };
  return (
    <Page ctx={props.ctx} title="Mijn signalen">
      <h1 class="utrecht-heading-1">Mijn signalen</h1>
      {props.flash === 'beeindigd' ? <Alert type="ok">Het signaal is beëindigd. U krijgt er geen berichten meer over.</Alert> : null}
      {props.flash === 'verwijderd' ? <Alert type="ok">Het signaal is beëindigd en helemaal verwijderd.</Alert> : null}
      <ReferenceSearchForm ctx={props.ctx} values={EMPTY_REFERENCE_SEARCH} />
      <section aria-labelledby="actief">
        <h2 class="utrecht-heading-2" id="actief">
          {props.soon ? 'Verlopen binnenkort' : 'Actief'}
        </h2>
        {props.soon ? (
          <Paragraph>
            Uw actieve signalen die de komende {props.noticeDays} dagen verlopen, de eerstvolgende eerst.{' '}
            <a class="utrecht-link" href="/signalen#actief">
              Alle actieve signalen
            </a>
          </Paragraph>
        ) : null}
        {props.active.total > 0 ? <ListCount list={props.active} nouns={props.soon ? EXPIRING_NOUNS : ACTIVE_NOUNS} /> : null}
        <ActiveSignalsTable signals={props.active.items} unseen={props.unseen} caption={props.soon ? 'Signalen die binnenkort verlopen' : 'Actieve signalen'} />
        <Pager
          label={props.soon ? "Pagina's van de signalen die binnenkort verlopen" : "Pagina's van de actieve signalen"}
          list={props.active}
          target={{ href: (page) => signalsHref({ ...query, active: page }, 'actief') }}
        />
      </section>
      <section aria-labelledby="geschiedenis">
        <h2 class="utrecht-heading-2" id="geschiedenis">
          Beëindigd of verlopen
        </h2>
        <Paragraph>Van een beëindigd signaal bewaart SluiS alleen wanneer u betrokken was, niet meer de gegevens van de persoon.</Paragraph>
        {props.inactive.total > 0 ? <ListCount list={props.inactive} nouns={INACTIVE_NOUNS} /> : null}
        <InactiveSignalsTable signals={props.inactive.items} />
        <Pager
          label="Pagina's van de beëindigde en verlopen signalen"
          list={props.inactive}
          target={{ href: (page) => signalsHref({ ...query, inactive: page }, 'geschiedenis') }}
        />
      </section>
    </Page>
  );
}

function InactiveSignalsTable(props: { signals: SignalView[] }): Html {
  return (
    <Table
      caption="Beëindigde en verlopen signalen"
      captionHidden
      empty="U heeft nog geen beëindigde of verlopen signalen."
      head={['Uw kenmerk', 'Afgegeven', 'Beëindigd', 'Reden']}
      rows={props.signals.map((s) => [
        s.clientReference ?? NO_CLIENT_REFERENCE,
        <TimeText at={s.filedAt} />,
        s.endedAt ? <TimeText at={s.endedAt} /> : <TimeText at={s.activeUntil} />,
        s.endReason ? END_REASON_LABELS[s.endReason] : '',
      ])}
    />
  );
}

/** The professional's signals found by their client reference: active ones first as in the list, then history. */
export function ReferenceSearchPage(props: {
  ctx: PageContext;
  values: ReferenceSearchValues;
  errors?: FieldErrors;
  found?: ListPage<SignalView>;
  unseen: Set<string>;
}): Html {
  const failed = Object.values(props.errors ?? {}).some(Boolean);
  const found = props.found;
  return (
    <Page ctx={props.ctx} title={failed ? 'Fout: zoeken op kenmerk' : 'Zoeken op kenmerk'}>
      <p class="utrecht-paragraph sluis-back">
        <a class="utrecht-link" href="/signalen">
          Alle signalen
        </a>
      </p>
      <h1 class="utrecht-heading-1">Zoeken op uw kenmerk</h1>
      <ReferenceSearchForm ctx={props.ctx} values={props.values} {...(props.errors && { errors: props.errors })} />
      {found ? (
        <section aria-labelledby="gevonden">
          <h2 class="utrecht-heading-2" id="gevonden">
            {found.total === 0 ? 'Geen signalen gevonden' : `${countText(found.total, ['signaal', 'signalen']).replace(/^./, (c) => c.toUpperCase())} gevonden`}
          </h2>
          {found.total === 0 ? (
            <Paragraph class="sluis-empty">
              U heeft geen signaal met {props.values.hoe === 'precies' ? 'dit kenmerk' : 'een kenmerk dat zo begint'}. Controleer het kenmerk, of zoek op het
              begin ervan.
            </Paragraph>
          ) : (
            <>
              <ListCount list={found} nouns={['signaal', 'signalen']} rangeOnly />
              <Table
                caption="Gevonden signalen"
                captionHidden
                head={['Uw kenmerk', 'Persoon', 'Match', 'Status']}
                rows={found.items.map((s) => [
                  s.clientReference ?? NO_CLIENT_REFERENCE,
                  s.status === 'active' ? (
                    <a class="utrecht-link" href={`/signalen/${s.id}`}>
                      {personName(s.person)}
                    </a>
                  ) : (
                    'Niet meer bewaard'
                  ),
                  s.status === 'active' ? matchCell(s, props.unseen) : '—',
                  s.status === 'active' ? (
                    <span>
                      Actief tot <TimeText at={s.activeUntil} />
                    </span>
                  ) : (
                    <span>
                      {s.status === 'expired' ? 'Verlopen' : 'Beëindigd'} op <TimeText at={s.endedAt ?? s.activeUntil} />
                    </span>
                  ),
                ])}
              />
              <Pager
                label="Pagina's van de gevonden signalen"
                list={found}
                target={{ form: { action: '/signalen/zoeken', csrf: props.ctx.csrf, fields: { kenmerk: props.values.kenmerk, hoe: props.values.hoe } } }}
              />
            </>
          )}
        </section>
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

/** Another region's professional, as relayed through the hub: no "since" (the hub does not say), phone and e-mail only when given. */
function RemoteContactCard(props: { contact: RemoteContact }): Html {
  const c = props.contact;
  const items: [string, Html][] = [];
  if (c.phone)
    items.push([
      'Telefoon',
      <a class="utrecht-link" href={`tel:${c.phone.replace(/[^\d+]/g, '')}`}>
        {c.phone}
      </a>,
    ]);
  if (c.email)
    items.push([
      'E-mail',
      <a class="utrecht-link" href={`mailto:${c.email}`}>
        {c.email}
      </a>,
    ]);
  return (
    <li class="sluis-card sluis-contact">
      <h3 class="utrecht-heading-3">{c.name}</h3>
      <p class="utrecht-paragraph sluis-contact__role">{[c.jobTitle, c.organisation].filter(Boolean).join(', ')}</p>
      {items.length > 0 ? <DataList items={items} /> : <Paragraph>Geen telefoonnummer of e-mailadres doorgegeven.</Paragraph>}
    </li>
  );
}

/** A cross-region match: per other region, its professionals as relayed through the hub (never anything about the person). */
export function OtherRegions(props: { regions: OtherRegion[] }): Html {
  return (
    <>
      {props.regions.map((r) => (
        <section aria-labelledby={`regio-${r.region}`}>
          <h2 class="utrecht-heading-2" id={`regio-${r.region}`}>
            Betrokken in regio {r.region}
          </h2>
          {r.contacts.length > 0 ? (
            <ul class="sluis-cards sluis-plain-list">
              {r.contacts.map((c) => (
                <RemoteContactCard contact={c} />
              ))}
            </ul>
          ) : (
            <Paragraph>De contactgegevens van de professionals in regio {r.region} volgen zodra die regio ze doorgeeft.</Paragraph>
          )}
        </section>
      ))}
    </>
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
  flash: 'nieuw' | 'bestaand' | 'verlengd' | 'geinformeerd' | 'later' | 'bsn' | 'verzoek' | undefined;
  now: Date;
  /** The person's requests this professional passed on to the municipality (newest first). */
  passedOn?: { kind: string; receivedOn: string }[];
  /** What the municipality's rights decisions put on the signal: a restriction, the person's own statement. */
  notices?: SignalRightsNotices;
}): Html {
  const { signal } = props;
  const restrictedAt = props.notices?.restrictedAt ?? null;
  const statement = props.notices?.statement ?? null;
  const person = signal.person!;
  const name = personName(person);
  const canExtend = signal.extension !== null && props.now >= signal.extension.opensAt && props.now < signal.activeUntil;
  const postponed = signal.legalBasis.basis === 'informing_postponed';
  return (
    <Page ctx={props.ctx} title={props.flash === 'nieuw' ? `Signaal afgegeven: ${props.contacts ? 'match' : 'geen match'}` : `Signaal: ${name}`}>
      {props.flash === 'nieuw' ? (
        <Alert type="ok">
          Uw signaal is afgegeven.{' '}
          <a class="utrecht-link" href="#informatiebrief">
            Informeer met de informatiebrief
          </a>
          .
        </Alert>
      ) : null}
      {props.flash === 'bestaand' ? (
        <Alert type="info">U had al een actief signaal op deze persoon. Dit is dat signaal; er is niets dubbel vastgelegd.</Alert>
      ) : null}
      {props.flash === 'verlengd' ? (
        <Alert type="ok">
          Uw signaal is verlengd. Het is nu actief tot <TimeText at={signal.activeUntil} />.
        </Alert>
      ) : null}
      {props.flash === 'geinformeerd' ? <Alert type="ok">Vastgelegd: u heeft geïnformeerd.</Alert> : null}
      {props.flash === 'later' ? <Alert type="ok">Vastgelegd waarom u nog niet heeft geïnformeerd. SluiS vraagt het later opnieuw.</Alert> : null}
      {props.flash === 'bsn' ? <Alert type="ok">Het BSN is toegevoegd. SluiS koppelt uw signaal nu op het BSN.</Alert> : null}
      {props.flash === 'verzoek' ? (
        <Alert type="ok">Doorgegeven aan de gemeente. De gemeente neemt contact op met de persoon en beslist binnen vier weken.</Alert>
      ) : null}
      {signal.identifiedBy === 'details' ? (
        <Alert type="info" title="Zonder BSN">
          Dit signaal is afgegeven zonder BSN. SluiS koppelt het aan andere signalen met dezelfde achternaam, geboortedatum en geslacht. Weet u het BSN
          inmiddels? Voeg het dan toe.
        </Alert>
      ) : null}
      {postponed && signal.informingDueAt && props.now >= signal.informingDueAt && props.flash !== 'later' ? (
        <Alert type="warning" title="Informeren vastleggen">
          U heeft het informeren uitgesteld. Leg vast of u inmiddels heeft geïnformeerd, of waarom nog niet.
        </Alert>
      ) : null}
      {signal.identifiedBy === 'unborn' ? (
        <Alert type="info" title="Ongeboren kind">
          Dit signaal gaat over een kind dat nog geboren moet worden. SluiS herkent het aan het BSN van de moeder. Is het kind geboren en ingeschreven? Voeg dan
          het BSN van het kind toe.
        </Alert>
      ) : null}
      <h1 class="utrecht-heading-1">
        <span class="sluis-kicker">Signaal</span> {name}
      </h1>
      {restrictedAt ? <RestrictedNotice since={restrictedAt} /> : null}
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
          {restrictedAt
            ? 'Geen match: zolang de verwerking beperkt is, maakt SluiS geen nieuwe match voor deze persoon.'
            : 'Geen match: u krijgt bericht zodra een andere professional betrokken raakt.'}
        </Alert>
      )}
      {statement ? (
        <section aria-labelledby="verklaring">
          <h2 class="utrecht-heading-2" id="verklaring">
            Verklaring van de persoon
          </h2>
          <Paragraph>
            De persoon heeft via de gemeente een eigen verklaring laten toevoegen (toegevoegd op <TimeText at={statement.addedAt} />
            ). Dit zijn de woorden van de persoon zelf:
          </Paragraph>
          <blockquote class="utrecht-blockquote sluis-statement">
            <p class="utrecht-paragraph">{statement.text}</p>
          </blockquote>
        </section>
      ) : null}
      <History history={props.history} />
      <h2 class="utrecht-heading-2">Uw signaal</h2>
      <DataList
        items={[
          ['Naam', name],
          ...(signal.identifiedBy === 'details' ? [['BSN', 'Niet bekend'] as [string, Html | string]] : []),
          ...(signal.identifiedBy === 'unborn' ? [['BSN', 'Nog geen: herkend aan het BSN van de moeder'] as [string, Html | string]] : []),
          [signal.identifiedBy === 'unborn' ? 'Verwachte geboortedatum' : 'Geboortedatum', <TimeText at={`${person.dateOfBirth}T12:00:00Z`} />],
          ['Geslacht', GENDER_LABELS[person.gender]],
          ['Adres', address(person)],
          ['Uw kenmerk', signal.clientReference ?? NO_CLIENT_REFERENCE],
          ['Afgegeven op', <TimeText at={signal.filedAt} />],
          ['Actief tot', <TimeText at={signal.activeUntil} />],
          ...(signal.extendedAt ? [['Verlengd op', <TimeText at={signal.extendedAt} />] as [string, Html]] : []),
          ['Toestemming of informeren', legalBasisText(signal.legalBasis)],
        ]}
      />
      <InformationLetterLinks signal={signal} today={amsterdamDate(props.now)} />
      {signal.extension && props.now < signal.extension.opensAt ? (
        <Paragraph>
          Verlengen kan vanaf <TimeText at={signal.extension.opensAt} />, kort voordat het signaal verloopt.
        </Paragraph>
      ) : null}
      <h2 class="utrecht-heading-2">Rechten van de persoon</h2>
      <Paragraph>
        Wil de persoon weten wat er is vastgelegd, iets laten verbeteren of verwijderen, of heeft de persoon een klacht? Geef het door aan de gemeente.{' '}
        <a class="utrecht-link" href={`/signalen/${signal.id}/verzoek`}>
          Verzoek of klacht doorgeven
        </a>
      </Paragraph>
      {props.passedOn && props.passedOn.length > 0 ? (
        <ul class="utrecht-unordered-list">
          {props.passedOn.map((r) => (
            <li class="utrecht-unordered-list__item">
              {REQUEST_KIND_LABELS[r.kind as keyof typeof REQUEST_KIND_LABELS] ?? r.kind}, gevraagd op <TimeText at={`${r.receivedOn}T12:00:00Z`} />:
              doorgegeven aan de gemeente
            </li>
          ))}
        </ul>
      ) : null}
      <div class="sluis-actions">
        {signal.identifiedBy !== 'bsn' ? <ButtonLink href={`/signalen/${signal.id}/bsn`}>BSN toevoegen</ButtonLink> : null}
        {postponed ? <ButtonLink href={`/signalen/${signal.id}/informeren`}>Informeren vastleggen</ButtonLink> : null}
        {canExtend ? <ButtonLink href={`/signalen/${signal.id}/verlengen`}>Signaal verlengen</ButtonLink> : null}
        <ButtonLink href={`/casusoverleggen/nieuw?signaal=${signal.id}`} kind="secondary">
          Casusoverleg starten
        </ButtonLink>
        <ButtonLink href={`/signalen/${signal.id}/beeindigen`} kind="secondary">
          Signaal beëindigen
        </ButtonLink>
      </div>
    </Page>
  );
}

/** Whom the information letter goes to, by the band of the person's age today. */
const LETTER_ADDRESSEES: Record<LetterBand, string> = {
  representative: 'de ouders of de voogd',
  young_person_and_representative: 'de jongere én de ouders of de voogd (twee brieven)',
  young_person: 'de jongere',
  adult: 'de persoon',
};

/**
 * The information letter for an active signal (information-letter-pages.tsx): a PDF to print, or the text
 * to send; on the signal page, and so on the filing answer.
 */
export function InformationLetterLinks(props: { signal: SignalView; today: string }): Html | null {
  const { signal } = props;
  if (!signal.person) return null;
  const band = letterBand(signal.person.dateOfBirth, props.today, signal.identifiedBy === 'unborn');
  return (
    <section aria-labelledby="informatiebrief" class="sluis-card sluis-information-letter">
      <h2 class="utrecht-heading-2" id="informatiebrief">
        Informatiebrief
      </h2>
      <Paragraph>
        Vertel {LETTER_ADDRESSEES[band]} over uw signaal met de brief van SluiS: wat SluiS is, wat erin staat en wat niet, hoe lang, en welke rechten er zijn.
        Druk hem af, of kopieer de tekst in uw eigen bericht.
      </Paragraph>
      <ul class="utrecht-unordered-list">
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href={`/signalen/${signal.id}/informatiebrief.pdf`}>
            Informatiebrief (PDF)
          </a>
        </li>
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href={`/signalen/${signal.id}/informatiebrief`}>
            Tekst om te versturen
          </a>
        </li>
      </ul>
    </section>
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

/** A restriction of the person's processing (a rights decision): shown on the professional's signal and match pages. */
export function RestrictedNotice(props: { since: Date }): Html {
  return (
    <Alert type="warning" title="Verwerking beperkt">
      Beperkt: de gemeente heeft de verwerking van de gegevens van deze persoon beperkt sinds <TimeText at={props.since} />, op verzoek van de persoon. De
      signalen blijven bewaard, maar SluiS maakt geen nieuwe matches en verstuurt geen berichten over nieuwe signalen op deze persoon.
    </Alert>
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
  /** A restriction of the match's person (a person match only). */
  restrictedAt?: Date | null;
}): Html {
  const name = personName(props.signal.person);
  const family = props.match.kind === 'family';
  const address = props.match.kind === 'address';
  const crossRegion = props.match.kind === 'cross_region';
  const kicker = family ? 'Gezinsmatch' : address ? 'Adresmatch' : crossRegion ? 'Match met een andere regio' : 'Match';
  const othersHere = props.contacts.filter((c) => !c.isYou);
  return (
    <Page ctx={props.ctx} title={`${kicker}: ${name}`}>
      <h1 class="utrecht-heading-1">
        <span class="sluis-kicker">{kicker}</span> {name}
      </h1>
      {props.restrictedAt ? <RestrictedNotice since={props.restrictedAt} /> : null}
      {address ? (
        <Paragraph lead>
          Sinds <TimeText at={props.match.createdAt} /> is ook een andere professional betrokken bij iemand die op hetzelfde woonadres staat ingeschreven als{' '}
          {name}. Wie dat is, zegt SluiS niet. Neem contact met elkaar op om uw hulp aan het huishouden af te stemmen, en spreek af wie de regie neemt.
        </Paragraph>
      ) : family ? (
        <Paragraph lead>
          Sinds <TimeText at={props.match.createdAt} /> is ook een andere professional betrokken bij een kind van dezelfde ouder als {name}. Welk kind dat is,
          zegt SluiS niet. Neem contact met elkaar op om uw hulp aan het gezin af te stemmen, en spreek af wie de regie neemt: één gezin, één plan.
        </Paragraph>
      ) : crossRegion ? (
        <Paragraph lead>
          Sinds <TimeText at={props.match.createdAt} /> is ook in een andere regio een professional bij {name} betrokken. Neem contact met elkaar op om uw hulp
          af te stemmen, en spreek af wie de regie neemt.
        </Paragraph>
      ) : (
        <Paragraph lead>
          Sinds <TimeText at={props.match.createdAt} /> zijn meer professionals bij {name} betrokken. Neem contact met elkaar op om uw hulp af te stemmen, en
          spreek af wie de regie neemt.
        </Paragraph>
      )}
      {crossRegion ? (
        <>
          <OtherRegions regions={props.match.otherRegions ?? []} />
          <h2 class="utrecht-heading-2">Ook betrokken in deze regio</h2>
          {othersHere.length > 0 ? <Contacts contacts={props.contacts} /> : <Paragraph>In deze regio is geen andere professional betrokken.</Paragraph>}
        </>
      ) : (
        <>
          <h2 class="utrecht-heading-2">Ook betrokken</h2>
          <Contacts contacts={props.contacts} />
        </>
      )}
      <CoordinationSection ctx={props.ctx} view={props.coordination} today={props.today} flash={props.flash} />
      {/* A case consultation names the person: only in a person match, never where the others must not learn who it is. */}
      {family || address ? null : (
        <section aria-labelledby="casusoverleg">
          <h2 class="utrecht-heading-2" id="casusoverleg">
            Casusoverleg
          </h2>
          <Paragraph>
            Moet u met de andere betrokken professionals samen overleggen over {name}? Start een casusoverleg: waar het kan eerst anoniem, op naam alleen met
            toestemming of met een vastgelegde afweging.
          </Paragraph>
          <p class="utrecht-paragraph">
            <ButtonLink href={`/casusoverleggen/nieuw?match=${props.match.id}`} kind="secondary">
              Casusoverleg starten
            </ButtonLink>
          </p>
        </section>
      )}
      {/* The history is of this person's own signals: it belongs to a person match, not to the family or the address. */}
      {family || address ? null : <History history={props.history} />}
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href={`/signalen/${props.signal.id}`}>
          Naar uw signaal
        </a>
      </p>
    </Page>
  );
}
