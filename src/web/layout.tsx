/**
 * The page shell: <html lang="nl">, a title that says where you are, a skip link, the
 * municipality's header with the menu (navigation for the user's role and the account; behind a
 * "Menu" button on a phone), and the footer. Works without JavaScript; /assets/sluis.js only
 * enhances (BSN check while typing, closing the menu with Escape, the service worker).
 */
import type { WebUser } from '../accounts/web-user.ts';
import { Alert } from './components.tsx';
import { type Child, Fragment, type Html, h } from './html/jsx.ts';
import type { ResolvedTheme } from './theme.ts';

export type PageContext = {
  user: WebUser | undefined;
  csrf: string;
  theme: ResolvedTheme;
  path: string;
  themeVersion: number;
  /** For a signed-in user: after how many idle minutes the session ends (sluis.js warns before). */
  sessionIdleMinutes?: number;
  /** The page's form holds what the user typed before their session ended (restoredForm in web-context.ts). */
  restored?: boolean;
};

type NavItem = { href: string; label: string };

/**
 * Where a signed-in user starts (and where the logo leads): professionals at /, staff at /beheer, an
 * escalation officer only at /regie, a privacy officer only at the rights requests (/privacy/verzoeken;
 * /privacy itself is the public page on privacy and rights).
 */
export function homePathOf(user: WebUser | undefined): string {
  if (user?.kind !== 'staff') return '/';
  if (user.roles.includes('municipality_admin')) return '/beheer';
  if (user.roles.includes('escalation_officer')) return '/regie';
  return user.roles.includes('privacy_officer') ? '/privacy/verzoeken' : '/beheer';
}

export function navigationFor(user: WebUser | undefined): NavItem[] {
  if (!user) return [];
  if (user.kind === 'staff') {
    const items: NavItem[] = [];
    if (user.roles.includes('municipality_admin')) {
      items.push(
        { href: '/beheer', label: 'Overzicht' },
        { href: '/beheer/organisaties', label: 'Organisaties' },
        { href: '/beheer/medewerkers', label: 'Medewerkers' },
        { href: '/beheer/instellingen', label: 'Instellingen' },
        { href: '/beheer/audit', label: 'Audit' },
        { href: '/beheer/persoon', label: 'Persoon opzoeken' },
      );
    }
    if (user.roles.includes('municipality_admin') || user.roles.includes('privacy_officer')) items.push({ href: '/privacy/verzoeken', label: 'Verzoeken' });
    // The administrator reaches the accountability pages from the overview; a privacy officer has no overview.
    if (user.roles.includes('privacy_officer') && !user.roles.includes('municipality_admin'))
      items.push(
        { href: '/beheer/datalekken', label: 'Datalekken' },
        { href: '/beheer/verwerkingsregister', label: 'Verwerkingsregister' },
        { href: '/beheer/beleidscijfers', label: 'Beleidscijfers' },
      );
    if (user.roles.includes('escalation_officer')) items.push({ href: '/regie', label: 'Werklijst' });
    if (user.roles.includes('escalation_officer') || user.roles.includes('municipality_admin')) items.push({ href: '/regie/opvolging', label: 'Opvolging' });
    return items;
  }
  const items: NavItem[] = [
    { href: '/', label: 'Start' },
    { href: '/signalen/nieuw', label: 'Signaal afgeven' },
    { href: '/signalen', label: 'Mijn signalen' },
    { href: '/casusoverleggen', label: 'Casusoverleggen' },
    { href: '/organisaties', label: 'Organisaties' },
  ];
  if (user.coordinator) items.push({ href: '/organisatie', label: 'Mijn organisatie' });
  return items;
}

const isCurrent = (item: NavItem, path: string) =>
  item.href === path ||
  (item.href !== '/' &&
    item.href !== '/beheer' &&
    path.startsWith(`${item.href}/`) &&
    !(item.href === '/signalen' && path === '/signalen/nieuw') &&
    !(item.href === '/regie' && path.startsWith('/regie/opvolging')));

/**
 * The menu: on a phone a "Menu" button (a details/summary disclosure, so it works without
 * JavaScript and is a real button with its expanded state) that opens the navigation and the
 * account; on a wide screen the button is gone and everything shows in the header (sluis.css,
 * ::details-content). sluis.js only adds closing with Escape or a tap outside.
 */
function Menu(props: { ctx: PageContext; nav: NavItem[] }): Html {
  const { ctx, nav } = props;
  const user = ctx.user!;
  return (
    <details class="sluis-menu">
      <summary class="sluis-menu__button">
        <span class="sluis-menu__icon" aria-hidden="true"></span>
        Menu
      </summary>
      <div class="sluis-menu__panel">
        {nav.length > 0 ? (
          <nav class="sluis-nav" aria-label="Hoofdmenu">
            <ul class="sluis-nav__list">
              {nav.map((item) => (
                <li class="sluis-nav__item">
                  <a class="sluis-nav__link" href={item.href} aria-current={isCurrent(item, ctx.path) ? 'page' : undefined}>
                    {item.label}
                  </a>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
        <div class="sluis-user">
          <a class="sluis-user__name" href="/account">
            {user.name}
            {user.kind === 'professional' ? <span class="sluis-user__organisation">{user.organisationName}</span> : null}
          </a>
          <form method="post" action="/uitloggen" class="sluis-user__signout">
            <input type="hidden" name="_csrf" value={ctx.csrf} />
            <button type="submit" class="utrecht-button utrecht-button--subtle sluis-header__button">
              Uitloggen
            </button>
          </form>
        </div>
      </div>
    </details>
  );
}

export function Page(props: { ctx: PageContext; title: string; children?: Child; wide?: boolean }): Html {
  const { ctx } = props;
  const nav = navigationFor(ctx.user);
  return (
    <html lang="nl">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{`${props.title} · SluiS · ${ctx.theme.municipalityName}`}</title>
        <meta name="theme-color" content={ctx.theme.primaryColor} />
        <meta name="referrer" content="no-referrer" />
        <link rel="stylesheet" href="/assets/utrecht-tokens.css" />
        <link rel="stylesheet" href="/assets/utrecht-components.css" />
        <link rel="stylesheet" href="/assets/sluis.css" />
        <link rel="stylesheet" href={`/assets/thema.css?v=${ctx.themeVersion}`} />
        <link rel="manifest" href="/manifest.webmanifest" />
        <link rel="icon" href="/assets/icon.svg" type="image/svg+xml" />
        <link rel="apple-touch-icon" href="/assets/icon-192.png" />
        <script src="/assets/sluis.js" defer></script>
      </head>
      <body class="utrecht-document utrecht-theme sluis-theme utrecht-page-body" data-sessie-minuten={ctx.user ? ctx.sessionIdleMinutes : undefined}>
        <a class="utrecht-skip-link utrecht-skip-link--visible-on-focus" href="#inhoud">
          Naar de inhoud
        </a>
        <header class="utrecht-page-header sluis-header">
          <div class="sluis-header__inner">
            <a class="sluis-brand" href={homePathOf(ctx.user)}>
              {ctx.theme.logoUrl ? (
                <img class="sluis-brand__logo" src={ctx.theme.logoUrl} alt="" />
              ) : (
                <span class="sluis-brand__mark" aria-hidden="true">
                  S
                </span>
              )}
              <span class="sluis-brand__text">
                <span class="sluis-brand__name">SluiS</span>
                <span class="sluis-brand__municipality">{ctx.theme.municipalityName}</span>
              </span>
            </a>
            {ctx.user ? <Menu ctx={ctx} nav={nav} /> : null}
          </div>
        </header>
        <main class={`utrecht-page-content sluis-main${props.wide ? ' sluis-main--wide' : ''}`} id="inhoud" tabindex="-1">
          {ctx.restored ? <RestoredNotice /> : null}
          {props.children}
        </main>
        <footer class="utrecht-page-footer sluis-footer">
          <div class="sluis-footer__inner">
            <p class="utrecht-paragraph">SluiS · Sluitend Samenwerken · de verwijsindex van {ctx.theme.municipalityName}</p>
            <p class="utrecht-paragraph">
              <a class="utrecht-link" href="/privacy">
                Privacy en uw rechten
              </a>{' '}
              ·{' '}
              <a class="utrecht-link" href="/hulp">
                Hulp bij signaleren
              </a>{' '}
              ·{' '}
              <a class="utrecht-link" href="/toegankelijkheid">
                Toegankelijkheid
              </a>{' '}
              ·{' '}
              <a class="utrecht-link" href="/api/v1/openapi.json">
                API
              </a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}

/** Above a form given back after signing in again: it is filled in, and nothing has been sent yet. */
function RestoredNotice(): Html {
  return (
    <Alert type="info" role="status">
      <p class="utrecht-paragraph">
        U bent weer ingelogd. Wat u had ingevuld staat weer in het formulier. Er is nog niets verstuurd: controleer het formulier en verstuur het opnieuw.
      </p>
    </Alert>
  );
}

/** The pages every error ends in, in plain Dutch. */
export function ErrorPage(props: { ctx: PageContext; status: number; fields?: string[] | undefined }): Html {
  const named = (props.fields ?? []).filter((name) => /^[a-z][a-z-]{0,40}$/.test(name));
  const where =
    named.length === 0 ? 'een van de velden' : named.length === 1 ? `het veld ‘${named[0]}’` : `de velden ${named.map((name) => `‘${name}’`).join(', ')}`;
  const texts: Record<number, [string, string]> = {
    400: ['Dat ging niet goed', 'Het formulier was verlopen of onvolledig. Ga terug, vernieuw de pagina en probeer het opnieuw.'],
    422: [
      'Dit kan SluiS niet opslaan',
      `In ${where} staat een teken dat SluiS niet kan opslaan, bijvoorbeeld een onzichtbaar stuurteken uit een gekopieerde tekst. Er is niets opgeslagen. Ga terug met de knop Vorige van uw browser, typ de tekst in dat veld opnieuw en verstuur het formulier nog een keer.`,
    ],
    403: [
      'Geen toegang',
      'Deze pagina is niet voor uw rol. Klopt dat niet? Neem contact op met de coördinator van uw organisatie of de functioneel beheerder van de gemeente.',
    ],
    404: ['Niet gevonden', 'Deze pagina bestaat niet, of u heeft er geen toegang toe. Controleer de link of ga naar de startpagina.'],
    429: ['Even geduld', 'Er kwamen te veel verzoeken tegelijk binnen. Wacht een minuut en probeer het opnieuw.'],
    503: [
      'SluiS is even niet bereikbaar',
      'De database is even niet bereikbaar, bijvoorbeeld tijdens de overgang naar de reservedatabase. Wat u net verstuurde, is helemaal of helemaal niet opgeslagen: kijk na of het er staat en probeer het over een paar seconden opnieuw.',
    ],
    500: ['Er ging iets mis', 'Er ging aan onze kant iets mis. Probeer het later opnieuw; blijft het misgaan, meld het dan aan de functioneel beheerder.'],
  };
  const [title, text] = texts[props.status] ?? texts[500]!;
  return (
    <Page ctx={props.ctx} title={title}>
      <h1 class="utrecht-heading-1">{title}</h1>
      <p class="utrecht-paragraph">{text}</p>
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href={homePathOf(props.ctx.user)}>
          Naar de startpagina
        </a>
      </p>
    </Page>
  );
}

export { Fragment };
