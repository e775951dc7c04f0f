/**
 * The municipality administrator's (functional manager's) pages under /beheer: the overview, the
 * organisations and their covenants, the settings, the audit trail, looking up one person for a
 * rights request, and the development mailbox. Every page and form requires a signed-in staff
 * member with the municipality_admin role (requireStaff); anyone else is sent to sign in, or
 * refused with 403. No page shows person data; the person look-up shows "de gezochte persoon".
 */

import type { FastifyInstance } from 'fastify';
import type { IndexCounts, RegisterOverview } from '../../administration/overview-service.ts';
import { Alert, DataList, Heading, Paragraph, TimeText } from '../components.tsx';
import { type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { ListCount, type ListPage, Pager, pageParam, readPage } from '../pager.tsx';
import { notFound, queryParam, redirect, requireStaff, sendPage } from '../web-context.ts';
import type { AdminOptions } from './admin-shared.ts';
import { auditPages } from './audit-pages.tsx';
import { breachPages } from './breach-pages.tsx';
import { coordinationSettingsPages } from './coordination-settings-pages.tsx';
import { excludedAddressPages } from './excluded-address-pages.tsx';
import { municipalityContactPages } from './municipality-contact-pages.tsx';
import { organisationPages } from './organisation-pages.tsx';
import { personPages } from './person-pages.tsx';
import { policyFiguresPages } from './policy-figures-pages.tsx';
import { privacySettingsPages } from './privacy-settings-pages.tsx';
import { processingRegisterPages } from './processing-register-pages.tsx';
import { settingsPages } from './settings-pages.tsx';
import { staffPages } from './staff-pages.tsx';

type Counts = IndexCounts;

const REGISTER_NAMES: Record<RegisterOverview['kind'], string> = {
  none: 'SluiS is niet gekoppeld aan de BRP: signalen worden alleen op het BSN gematcht.',
  embedded: 'SluiS gebruikt de ingebouwde BRP met de fictieve testpersonen van de RvIG (voor de demo en om SluiS uit te proberen).',
  'haal-centraal': 'SluiS is gekoppeld aan de BRP (Haal Centraal BRP Personen).',
};

/** The population register (BRP): which one, and the checks that wait for it or need attention. Counts only. */
function RegisterSection(props: { register: RegisterOverview }): Html {
  const { register } = props;
  const attention = register.unknown + register.deceased;
  return (
    <section aria-labelledby="brp">
      <Heading level={2} id="brp">
        BRP
      </Heading>
      <Paragraph>{REGISTER_NAMES[register.kind]}</Paragraph>
      {register.kind === 'none' ? null : (
        <DataList
          items={[
            ['Wacht op controle in de BRP', register.waiting.toLocaleString('nl-NL')],
            ['Oudste wachtende sinds', register.oldestWaitingSince ? <TimeText at={register.oldestWaitingSince} withTime /> : '—'],
            ['Onbekend in de BRP', register.unknown.toLocaleString('nl-NL')],
            ['Overleden volgens de BRP', register.deceased.toLocaleString('nl-NL')],
            ['Verhuisd naar een gemeente zonder contact', register.movesWithoutContact.toLocaleString('nl-NL')],
          ]}
        />
      )}
      {register.movesWithoutContact > 0 ? (
        <Alert type="warning" title="Verhuizingen zonder contact bij de nieuwe gemeente">
          {register.movesWithoutContact === 1 ? 'Eén persoon' : `${register.movesWithoutContact} personen`} met een signaal{' '}
          {register.movesWithoutContact === 1 ? 'is' : 'zijn'} volgens de BRP verhuisd naar{' '}
          {register.municipalitiesWithoutContact === 1 ? 'een gemeente' : `${register.municipalitiesWithoutContact} gemeenten`} waarvoor geen contact is
          ingesteld. De professionals met een signaal hoorden het, de nieuwe gemeente niet.{' '}
          <a class="utrecht-link" href="/beheer/verhuizingen">
            Stel per gemeentecode een organisatie of e-mailadres in
          </a>
          .
        </Alert>
      ) : null}
      {attention > 0 ? (
        <Alert type="warning" title="Controle in de BRP vraagt aandacht">
          {attention === 1 ? 'Bij één signaal' : `Bij ${attention} personen`} vond de controle achteraf het BSN niet in de BRP, of staat de persoon als
          overleden ingeschreven. Het signaal loopt door; neem contact op met de organisatie om het na te gaan. De audit trail (soort ‘Persoon opgevraagd in de
          BRP’) laat zien wanneer het gebeurde.
        </Alert>
      ) : null}
    </section>
  );
}

function OverviewPage(props: { ctx: PageContext; counts: Counts; register: RegisterOverview; devMailbox: boolean }): Html {
  const { counts } = props;
  const stat = (label: string, value: number, href: string | null, explanation: string) => (
    <li class="sluis-admin-stat">
      <span class="sluis-admin-stat__value">{value.toLocaleString('nl-NL')}</span>
      <span class="sluis-admin-stat__label">
        {href ? (
          <a class="utrecht-link" href={href}>
            {label}
          </a>
        ) : (
          label
        )}
      </span>
      <span class="sluis-admin-stat__explanation">{explanation}</span>
    </li>
  );
  return (
    <Page ctx={props.ctx} title="Overzicht beheer" wide>
      <Heading>Overzicht</Heading>
      <Paragraph lead>
        Hier beheert u als functioneel beheerder de verwijsindex van de gemeente: welke organisaties meedoen, de instellingen, en de audit trail. Deze pagina
        toont alleen aantallen, nooit gegevens over personen.
      </Paragraph>
      <ul class="sluis-admin-stats" aria-label="Kerncijfers">
        {stat('Organisaties', counts.organisations, '/beheer/organisaties', 'Alle organisaties in SluiS, met of zonder convenant.')}
        {stat('Actieve convenanten', counts.activeCovenants, '/beheer/organisaties', 'Alleen deze organisaties mogen signalen afgeven.')}
        {stat('Actieve signalen', counts.activeSignals, null, 'Signalen die nog lopen (niet beëindigd of verlopen).')}
        {stat('Open matches', counts.openMatches, null, 'Personen over wie twee of meer professionals een actief signaal hebben.')}
        {stat('Mislukte berichten', counts.failedDeliveries, null, 'Mails en webhooks die na alle pogingen niet zijn aangekomen.')}
      </ul>
      {counts.failedDeliveries > 0 ? (
        <Alert type="warning" title="Er zijn berichten niet aangekomen">
          {counts.failedDeliveries === 1 ? 'Eén bericht is' : `${counts.failedDeliveries} berichten zijn`} na alle pogingen niet afgeleverd. Controleer de
          mailserver of de webhook van de organisatie, en bied ze opnieuw aan via de API (
          <code class="utrecht-code">POST {'/api/v1/deliveries/{id}/retry'}</code>).
        </Alert>
      ) : null}
      <RegisterSection register={props.register} />
      <Heading level={2}>Wat wilt u doen?</Heading>
      <ul class="utrecht-unordered-list">
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href="/beheer/organisaties">
            Organisaties en convenanten beheren
          </a>
        </li>
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href="/beheer/medewerkers">
            Medewerkers en hun rollen beheren
          </a>{' '}
          (functioneel beheerders en functionarissen opschaling)
        </li>
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href="/beheer/instellingen">
            Instellingen wijzigen
          </a>{' '}
          (looptijden, matchen, e-mail, huisstijl;{' '}
          <a class="utrecht-link" href="/beheer/instellingen/regie">
            regie en opschaling
          </a>
          )
        </li>
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href="/regie/opvolging">
            De opvolging van matches bekijken
          </a>
          : hoeveel matches per maand een regisseur en contact kregen, en hoe snel
        </li>
        {props.register.kind === 'none' ? null : (
          <li class="utrecht-unordered-list__item">
            <a class="utrecht-link" href="/beheer/verhuizingen">
              Verhuizingen naar een andere gemeente
            </a>
            : wie het hoort bij de nieuwe gemeente
          </li>
        )}
        {props.register.kind === 'none' ? null : (
          <li class="utrecht-unordered-list__item">
            <a class="utrecht-link" href="/beheer/uitgesloten-adressen">
              Uitgesloten adressen
            </a>
            : instellingen, opvang en gevangenissen, waar geen adresmatch wordt gemaakt
          </li>
        )}
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href="/beheer/audit">
            De audit trail bekijken
          </a>
        </li>
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href="/beheer/datalekken">
            Datalekken
          </a>
          : vastleggen, beoordelen voor de Autoriteit Persoonsgegevens (binnen 72 uur) en de partnerorganisaties inlichten
        </li>
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href="/beheer/beleidscijfers">
            Beleidscijfers
          </a>
          : signalen, matches, regie, casusoverleggen en verzoeken per maand en per domein, zonder dat iemand herkenbaar is
        </li>
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href="/beheer/verwerkingsregister">
            Verwerkingsregister
          </a>
          : wat SluiS met persoonsgegevens doet, en de audit trail als Logboek Dataverwerkingen downloaden
        </li>
        <li class="utrecht-unordered-list__item">
          <a class="utrecht-link" href="/beheer/persoon">
            Alles over één persoon opzoeken
          </a>{' '}
          voor een verzoek van die persoon (inzage, correctie, bezwaar, verwijdering)
        </li>
        {props.devMailbox ? (
          <li class="utrecht-unordered-list__item">
            <a class="utrecht-link" href="/beheer/mailbox">
              Ontwikkelpostvak
            </a>
            : de mails die SluiS verstuurde (er is geen mailserver ingesteld)
          </li>
        ) : null}
      </ul>
    </Page>
  );
}

type Mail = { id: number; receivedAt: Date; to: string; subject: string; text: string };
/** Mails are long: fewer per page than other lists. */
const MAILBOX_PAGE_SIZE = 10;

function MailboxPage(props: { ctx: PageContext; mails: ListPage<Mail>; to: string }): Html {
  const href = (page: number) => {
    const params = new URLSearchParams();
    if (props.to) params.set('aan', props.to);
    if (page > 1) params.set('pagina', String(page));
    const search = params.toString();
    return `/beheer/mailbox${search ? `?${search}` : ''}`;
  };
  return (
    <Page ctx={props.ctx} title="Ontwikkelpostvak">
      <Heading>Ontwikkelpostvak</Heading>
      <Paragraph lead>
        Er is geen mailserver ingesteld. SluiS bewaart de mails die het zou versturen daarom hier, zodat u kunt zien wat professionals ontvangen. Alleen bedoeld
        voor ontwikkeling en demonstratie.
      </Paragraph>
      <form method="get" action="/beheer/mailbox" class="utrecht-form sluis-admin-filter">
        <div class="utrecht-form-field utrecht-form-field--text">
          <div class="utrecht-form-field__label">
            <label class="utrecht-form-label" for="aan">
              Alleen mails aan (niet verplicht)
            </label>
          </div>
          <div class="utrecht-form-field__input">
            <input class="utrecht-textbox utrecht-textbox--html-input sluis-width-l" id="aan" name="aan" type="email" value={props.to} autocomplete="off" />
          </div>
        </div>
        <div class="sluis-actions">
          <button type="submit" class="utrecht-button utrecht-button--secondary-action">
            Filteren
          </button>
        </div>
      </form>
      {props.mails.total === 0 ? (
        <Paragraph class="sluis-empty">Er zijn (nog) geen mails.</Paragraph>
      ) : (
        <ListCount list={props.mails} nouns={['mail', 'mails']} />
      )}
      {props.mails.items.length === 0 ? null : (
        <ol class="sluis-admin-mails" aria-label="Mails, nieuwste eerst">
          {props.mails.items.map((mail) => (
            <li class="sluis-admin-mail">
              <article aria-labelledby={`mail-${mail.id}`}>
                <h2 class="utrecht-heading-3" id={`mail-${mail.id}`}>
                  {mail.subject}
                </h2>
                <DataList
                  items={[
                    ['Aan', mail.to],
                    ['Verstuurd', <TimeText at={mail.receivedAt} withTime />],
                  ]}
                />
                <pre class="sluis-admin-mail__body" tabindex="0" role="region" aria-label={`Tekst van de mail: ${mail.subject}`}>
                  {mail.text}
                </pre>
              </article>
            </li>
          ))}
        </ol>
      )}
      <Pager label="Pagina's van het ontwikkelpostvak" list={props.mails} target={{ href }} />
    </Page>
  );
}

export async function adminPages(app: FastifyInstance, options: AdminOptions) {
  const { services } = options;

  app.get('/beheer', async (request, reply) => {
    // Staff with only the escalation officer's role start at their work list.
    const user = request.webSession?.stage === 'signed_in' ? request.webSession.user : undefined;
    if (user?.kind === 'staff' && !user.roles.includes('municipality_admin') && user.roles.includes('escalation_officer')) return redirect(reply, '/regie');
    const { actor } = requireStaff(request);
    const counts = await services.overview.counts(actor);
    const register = await services.overview.register(actor);
    return sendPage(reply, <OverviewPage ctx={request.pageContext} counts={counts} register={register} devMailbox={services.mail.kind === 'dev_mailbox'} />);
  });

  app.get('/beheer/mailbox', async (request, reply) => {
    const { actor } = requireStaff(request);
    if (services.mail.kind !== 'dev_mailbox') throw notFound();
    const to = queryParam(request, 'aan').trim().slice(0, 254);
    const mails = await readPage(pageParam(request), (slice) => services.deliveries.devMailbox(actor, { ...slice, ...(to && { to }) }), MAILBOX_PAGE_SIZE);
    return sendPage(reply, <MailboxPage ctx={request.pageContext} mails={mails} to={to} />);
  });

  await organisationPages(app, options);
  await settingsPages(app, options);
  await coordinationSettingsPages(app, options);
  await privacySettingsPages(app, options);
  await municipalityContactPages(app, options);
  await excludedAddressPages(app, options);
  await staffPages(app, options);
  await auditPages(app, options);
  await personPages(app, options);
  await breachPages(app, options);
  await policyFiguresPages(app, options);
  await processingRegisterPages(app, options);
}
