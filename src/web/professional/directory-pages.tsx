/**
 * The directory of participating organisations, for professionals: who takes part (an active
 * covenant), what help they offer and when they signal. Searchable by name and domain with a plain
 * GET form. Organisations without an active covenant are "Niet gevonden".
 */

import type { FastifyInstance } from 'fastify';
import type { Domain } from '../../organisations/organisation-service.ts';
import { DOMAINS, type OrganisationView } from '../../organisations/organisation-service.ts';
import { isUuid } from '../../shared/ids.ts';
import { Button, DataList, Paragraph, Select, StatusBadge } from '../components.tsx';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { DOMAIN_LABELS } from '../labels.ts';
import { Page, type PageContext } from '../layout.tsx';
import type { PageOptions } from '../page-services.ts';
import { countText, ListCount, type ListPage, Pager, pageOfWhole, pageParam } from '../pager.tsx';
import { notFound, queryParam, requireProfessional, sendPage } from '../web-context.ts';

/** Text typed by an organisation, as paragraphs (blank lines apart); escaped like all text. */
const Paragraphs = (props: { text: string; empty: string }): Html => {
  const parts = props.text
    .split(/\n\s*\n/)
    .map((p) => p.trim())
    .filter(Boolean);
  return parts.length === 0 ? (
    <Paragraph class="sluis-empty">{props.empty}</Paragraph>
  ) : (
    // biome-ignore lint/complexity/noUselessFragments: a component returns one Html, so the paragraphs go in a fragment
    <>
      {parts.map((p) => (
        <Paragraph class="sluis-prewrap">{p}</Paragraph>
      ))}
    </>
  );
};

const Domains = (props: { domains: Domain[] }): Html => (
  <ul class="sluis-tags" aria-label="Domeinen">
    {props.domains.map((d) => (
      <li>
        <StatusBadge>{DOMAIN_LABELS[d]}</StatusBadge>
      </li>
    ))}
  </ul>
);

/** A page of the directory with its own filters (an organisation's name, a domain) and the page number. */
const directoryHref = (name: string, domain: string, page: number) => {
  const params = new URLSearchParams();
  if (name) params.set('naam', name);
  if (domain) params.set('domein', domain);
  if (page > 1) params.set('pagina', String(page));
  const search = params.toString();
  return `/organisaties${search ? `?${search}` : ''}#resultaten`;
};

function DirectoryPage(props: { ctx: PageContext; organisations: ListPage<OrganisationView>; name: string; domain: string }): Html {
  const filtered = Boolean(props.name || props.domain);
  const list = props.organisations;
  return (
    <Page ctx={props.ctx} title="Organisaties">
      <h1 class="utrecht-heading-1">Organisaties</h1>
      <Paragraph lead>Deze organisaties doen mee aan SluiS. Lees welke hulp zij bieden en wanneer zij een signaal afgeven.</Paragraph>
      <form method="get" action="/organisaties" class="utrecht-form sluis-search" role="search" aria-label="Organisaties zoeken">
        <div class="sluis-field-row">
          <div class="utrecht-form-field utrecht-form-field--text">
            <div class="utrecht-form-field__label">
              <label class="utrecht-form-label" for="naam">
                Naam
              </label>
            </div>
            <div class="utrecht-form-field__input">
              <input
                class="utrecht-textbox utrecht-textbox--html-input sluis-width-l"
                id="naam"
                name="naam"
                type="search"
                value={props.name}
                maxlength={100}
                autocomplete="off"
              />
            </div>
          </div>
          <Select
            id="domein"
            label="Domein"
            selected={props.domain}
            required={false}
            options={[{ value: '', label: 'Alle domeinen' }, ...DOMAINS.map((d) => ({ value: d, label: DOMAIN_LABELS[d] }))]}
          />
        </div>
        <div class="sluis-actions">
          <Button>Zoeken</Button>
          {filtered ? (
            <a class="utrecht-link" href="/organisaties">
              Alles tonen
            </a>
          ) : null}
        </div>
      </form>
      <h2 class="utrecht-heading-2" id="resultaten" aria-live="polite">
        {countText(list.total, ['organisatie', 'organisaties'])}
        {filtered ? ' gevonden' : ''}
      </h2>
      <ListCount list={list} nouns={['organisatie', 'organisaties']} rangeOnly />
      {list.total === 0 ? (
        <Paragraph class="sluis-empty">Geen organisaties gevonden. Probeer een ander woord of kies alle domeinen.</Paragraph>
      ) : (
        <ul class="sluis-cards sluis-plain-list" aria-labelledby="resultaten">
          {list.items.map((o) => (
            <li class="sluis-card sluis-organisation-card">
              <h3 class="utrecht-heading-3">
                <a class="utrecht-link" href={`/organisaties/${o.id}`}>
                  {o.name}
                </a>
              </h3>
              <Domains domains={o.domains} />
              {o.description ? <Paragraph class="sluis-clamp">{o.description}</Paragraph> : null}
            </li>
          ))}
        </ul>
      )}
      <Pager label="Pagina's van de organisaties" list={list} target={{ href: (page) => directoryHref(props.name, props.domain, page) }} />
    </Page>
  );
}

function ProfilePage(props: { ctx: PageContext; organisation: OrganisationView }): Html {
  const o = props.organisation;
  const contact: [string, Html | string][] = [];
  if (o.phone)
    contact.push([
      'Telefoon',
      <a class="utrecht-link" href={`tel:${o.phone.replace(/[^\d+]/g, '')}`}>
        {o.phone}
      </a>,
    ]);
  if (o.email)
    contact.push([
      'E-mail',
      <a class="utrecht-link" href={`mailto:${o.email}`}>
        {o.email}
      </a>,
    ]);
  if (o.website && /^https?:\/\//.test(o.website))
    contact.push([
      'Website',
      <a class="utrecht-link" href={o.website} rel="noopener noreferrer">
        {o.website}
      </a>,
    ]);
  return (
    <Page ctx={props.ctx} title={o.name}>
      <p class="utrecht-paragraph">
        <a class="utrecht-link" href="/organisaties">
          Alle organisaties
        </a>
      </p>
      <h1 class="utrecht-heading-1">{o.name}</h1>
      <Domains domains={o.domains} />
      <h2 class="utrecht-heading-2">Welke hulp wij bieden</h2>
      <Paragraphs text={o.description} empty="Deze organisatie heeft haar hulp nog niet beschreven." />
      <h2 class="utrecht-heading-2" id="meldcriteria">
        Wanneer wij een signaal afgeven
      </h2>
      <Paragraphs text={o.signallingCriteria} empty="Deze organisatie heeft haar meldcriteria nog niet beschreven." />
      <h2 class="utrecht-heading-2">Contact</h2>
      {contact.length > 0 ? <DataList items={contact} /> : <Paragraph class="sluis-empty">Geen contactgegevens bekend.</Paragraph>}
    </Page>
  );
}

export async function directoryPages(app: FastifyInstance, { services }: PageOptions) {
  app.get('/organisaties', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const name = queryParam(request, 'naam').trim().slice(0, 100);
    const requested = queryParam(request, 'domein');
    const domain = (DOMAINS as readonly string[]).includes(requested) ? (requested as Domain) : undefined;
    const organisations = await services.organisations.directory(actor, { ...(domain && { domain }), ...(name && { name }) });
    return sendPage(
      reply,
      <DirectoryPage ctx={request.pageContext} organisations={pageOfWhole(organisations, pageParam(request))} name={name} domain={domain ?? ''} />,
    );
  });

  app.get('/organisaties/:id', async (request, reply) => {
    const { actor } = requireProfessional(request);
    const id = (request.params as { id: string }).id;
    if (!isUuid(id)) throw notFound();
    const organisation = await services.organisations.directoryEntry(actor, id);
    return sendPage(reply, <ProfilePage ctx={request.pageContext} organisation={organisation} />);
  });
}
