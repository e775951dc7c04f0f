/**
 * Every list on the pages says how many items it holds and pages through them; none stops silently.
 * One way for all: `ListCount` says how many there are (and which ones are shown), `Pager` links to
 * the other pages (after the NL Design System's pagination). Page links carry only a page number
 * and the list's own filters; a search whose terms may not go into a URL (a client reference) pages
 * with buttons in its POST form instead.
 */
import type { FastifyRequest } from 'fastify';
import type { Positioned, Slice } from '../shared/paging.ts';
import { Fragment, type Html, h } from './html/jsx.ts';
import { queryParam } from './web-context.ts';

/** How many rows a list shows per page (the audit trail shows more). */
export const PAGE_SIZE = 25;
const MAX_PAGE = 100_000;

/** A page of a list as a page shows it: the items, the whole list's size, and where this page is. */
export type ListPage<T> = Positioned<T> & { page: number; size: number };

/** The page number in the query string or a form field: 1 unless it is a plain positive number. */
export function pageNumberOf(value: string): number {
  if (!/^[1-9][0-9]{0,5}$/.test(value)) return 1;
  return Math.min(Number(value), MAX_PAGE);
}

export const pageParam = (request: FastifyRequest, name = 'pagina'): number => pageNumberOf(queryParam(request, name));

export const pageCount = (total: number, size: number): number => Math.max(1, Math.ceil(total / size));

const sliceOf = (page: number, size: number): Slice => ({ limit: size, offset: (page - 1) * size });

/**
 * Reads one page of a list. A page beyond the last (the list shrank, or a number typed by hand)
 * shows the last page instead of an empty list.
 */
export async function readPage<T>(page: number, read: (slice: Slice) => Promise<Positioned<T>>, size = PAGE_SIZE): Promise<ListPage<T>> {
  const found = await read(sliceOf(page, size));
  // A count that stopped at its cap does not know the last page: then the page is what was asked.
  if (!found.totalExact) return { ...found, page, size };
  const last = pageCount(found.total, size);
  if (found.items.length === 0 && page > last && found.total > 0) return { ...(await read(sliceOf(last, size))), page: last, size };
  return { ...found, page: Math.min(page, last), size };
}

/** One page of a list that a service gives whole (a short list, or one ordered in code). */
export function pageOfWhole<T>(all: readonly T[], page: number, size = PAGE_SIZE): ListPage<T> {
  const shown = Math.min(page, pageCount(all.length, size));
  const offset = (shown - 1) * size;
  return { items: all.slice(offset, offset + size), total: all.length, totalExact: true, page: shown, size };
}

const number = (n: number) => n.toLocaleString('nl-NL');

/** "127 actieve signalen", "1 actief signaal", "meer dan 10.000 gebeurtenissen". */
export function countText(total: number, nouns: readonly [one: string, many: string], exact = true): string {
  if (!exact) return `meer dan ${number(total)} ${nouns[1]}`;
  return `${number(total)} ${total === 1 ? nouns[0] : nouns[1]}`;
}

const capitalised = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

/**
 * How many items the list holds, and which are shown when it takes more than one page:
 * "127 actieve signalen; u ziet 26 tot en met 50." With `rangeOnly` (a heading already says how
 * many), only "U ziet 26 tot en met 50.", and nothing when everything is shown.
 */
export function ListCount(props: { list: ListPage<unknown>; nouns: readonly [string, string]; id?: string; rangeOnly?: boolean }): Html {
  const { list } = props;
  const first = (list.page - 1) * list.size + 1;
  const last = first + list.items.length - 1;
  const paged = (list.total > list.size || list.page > 1 || !list.totalExact) && list.items.length > 0;
  if (props.rangeOnly) {
    return paged ? (
      <p class="utrecht-paragraph sluis-count" id={props.id}>
        U ziet {number(first)} tot en met {number(last)}.
      </p>
    ) : (
      <Fragment />
    );
  }
  return (
    <p class="utrecht-paragraph sluis-count" id={props.id}>
      <strong>{capitalised(countText(list.total, props.nouns, list.totalExact))}</strong>
      {paged ? `; u ziet ${number(first)} tot en met ${number(last)}.` : null}
    </p>
  );
}

/** The page numbers to offer: the first, the last, and the current one with its neighbours; gaps are null. */
export function pagesToShow(current: number, last: number): (number | null)[] {
  const wanted = new Set([1, last, current - 1, current, current + 1].filter((p) => p >= 1 && p <= last));
  const pages = [...wanted].sort((a, b) => a - b);
  const shown: (number | null)[] = [];
  for (const page of pages) {
    const previous = shown.at(-1);
    if (typeof previous === 'number' && page - previous > 1) shown.push(null);
    shown.push(page);
  }
  return shown;
}

/** How a pager moves: links (a page number in the URL), or buttons in a POST form that repeats the search. */
export type PagerTarget = { href: (page: number) => string } | { form: { action: string; csrf: string; fields: Record<string, string>; name?: string } };

/**
 * Links to the previous, next and some numbered pages; nothing when the whole list fits on one
 * page. `label` names the list ("Pagina's van de actieve signalen").
 */
export function Pager(props: { label: string; list: ListPage<unknown>; target: PagerTarget; id?: string }): Html {
  const { list, target } = props;
  const last = list.totalExact ? pageCount(list.total, list.size) : Math.max(list.page + (list.items.length === list.size ? 1 : 0), 1);
  if (last <= 1) return <Fragment />;
  const link = (page: number, content: Html | string, extra: { rel?: string; class: string }) =>
    'href' in target ? (
      <a class={extra.class} href={target.href(page)} rel={extra.rel}>
        {content}
      </a>
    ) : (
      <button type="submit" class={`${extra.class} sluis-pager__button`} name={target.form.name ?? 'pagina'} value={String(page)}>
        {content}
      </button>
    );
  const previous = list.page > 1 ? list.page - 1 : null;
  const next = list.page < last ? list.page + 1 : null;
  const numbered = list.totalExact ? pagesToShow(list.page, last) : [];
  const body = (
    <>
      <span class="utrecht-pagination__before">
        {previous
          ? link(
              previous,
              <>
                Vorige<span class="sluis-visually-hidden"> pagina</span>
              </>,
              { rel: 'prev', class: 'utrecht-pagination__relative-link utrecht-pagination__relative-link--prev' },
            )
          : null}
      </span>
      <span class="utrecht-pagination__pages">
        {numbered.map((page) =>
          page === null ? (
            <span class="sluis-pager__gap" aria-hidden="true">
              …
            </span>
          ) : page === list.page ? (
            <span class="utrecht-pagination__page-link utrecht-pagination__page-link--current" aria-current="page">
              <span class="sluis-visually-hidden">Pagina </span>
              {String(page)}
            </span>
          ) : (
            link(
              page,
              <>
                <span class="sluis-visually-hidden">Pagina </span>
                {String(page)}
              </>,
              { class: 'utrecht-pagination__page-link' },
            )
          ),
        )}
      </span>
      <span class="utrecht-pagination__after">
        {next
          ? link(
              next,
              <>
                Volgende<span class="sluis-visually-hidden"> pagina</span>
              </>,
              { rel: 'next', class: 'utrecht-pagination__relative-link utrecht-pagination__relative-link--next' },
            )
          : null}
      </span>
    </>
  );
  if ('href' in target) {
    return (
      <nav class="utrecht-pagination utrecht-pagination--distanced sluis-pager" aria-label={props.label} id={props.id}>
        {body}
      </nav>
    );
  }
  const { form } = target;
  return (
    <form method="post" action={form.action} class="sluis-pager-form" id={props.id}>
      <input type="hidden" name="_csrf" value={form.csrf} />
      {Object.entries(form.fields).map(([name, value]) => (
        <input type="hidden" name={name} value={value} />
      ))}
      <nav class="utrecht-pagination utrecht-pagination--distanced sluis-pager" aria-label={props.label}>
        {body}
      </nav>
    </form>
  );
}
