/** The pager's rules: page numbers read from text, which pages to offer, the count line, and what links carry. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { h } from './html/jsx.ts';
import { countText, ListCount, type ListPage, Pager, pageNumberOf, pageOfWhole, pagesToShow, readPage } from './pager.tsx';

const list = (page: number, total: number, size = 25, totalExact = true): ListPage<number> => {
  const offset = (page - 1) * size;
  const shown = totalExact ? Math.max(0, Math.min(size, total - offset)) : size;
  return { items: Array.from({ length: shown }, (_, i) => offset + i), total, totalExact, page, size };
};

test('a page number is a plain positive number; anything else is the first page', () => {
  assert.equal(pageNumberOf('3'), 3);
  for (const odd of ['', '0', '-1', '03', '1e3', '2.5', ' 2', 'abc', '9'.repeat(20)]) assert.equal(pageNumberOf(odd), 1, odd);
  assert.equal(pageNumberOf('999999'), 100_000, 'capped');
  fc.assert(fc.property(fc.string(), (text) => Number.isSafeInteger(pageNumberOf(text)) && pageNumberOf(text) >= 1));
});

test('the pages offered: the first, the last, and the current one with its neighbours, gaps marked', () => {
  assert.deepEqual(pagesToShow(1, 1), [1]);
  assert.deepEqual(pagesToShow(1, 6), [1, 2, null, 6]);
  assert.deepEqual(pagesToShow(2, 6), [1, 2, 3, null, 6]);
  assert.deepEqual(pagesToShow(4, 6), [1, null, 3, 4, 5, 6]);
  assert.deepEqual(pagesToShow(6, 6), [1, null, 5, 6]);
  fc.assert(
    fc.property(fc.integer({ min: 1, max: 500 }), fc.integer({ min: 1, max: 500 }), (a, b) => {
      const [current, last] = a <= b ? [a, b] : [b, a];
      const pages = pagesToShow(current, last);
      const numbers = pages.filter((p): p is number => p !== null);
      assert.ok(numbers.includes(1) && numbers.includes(last) && numbers.includes(current));
      assert.deepEqual(
        [...numbers].sort((x, y) => x - y),
        numbers,
        'in order',
      );
      assert.ok(numbers.length <= 5);
      // A gap only where pages are left out, never two in a row.
      pages.forEach((p, i) => {
        if (p === null) assert.ok((pages[i + 1] as number) - (pages[i - 1] as number) > 1 && pages[i + 1] !== null);
      });
    }),
  );
});

test('the count in Dutch: one and many, thousands with a dot, and "meer dan" when counting stopped', () => {
  assert.equal(countText(1, ['actief signaal', 'actieve signalen']), '1 actief signaal');
  assert.equal(countText(0, ['actief signaal', 'actieve signalen']), '0 actieve signalen');
  assert.equal(countText(1234, ['mail', 'mails']), '1.234 mails');
  assert.equal(countText(10_000, ['gebeurtenis', 'gebeurtenissen'], false), 'meer dan 10.000 gebeurtenissen');
  const line = (l: ListPage<number>, rangeOnly = false) => h(ListCount, { list: l, nouns: ['signaal', 'signalen'], rangeOnly }).value.replace(/<[^>]+>/g, '');
  assert.equal(line(list(2, 130)), '130 signalen; u ziet 26 tot en met 50.');
  assert.equal(line(list(1, 7)), '7 signalen', 'no range when everything is shown');
  assert.equal(line(list(401, 10_000, 25, false)), 'Meer dan 10.000 signalen; u ziet 10.001 tot en met 10.025.');
  assert.equal(line(list(2, 130), true), 'U ziet 26 tot en met 50.');
  assert.equal(line(list(1, 7), true), '');
});

test('a pager links to page numbers only, and is not there when the list fits on one page', () => {
  const href = (page: number) => `/signalen?actief=${page}#actief`;
  assert.equal(h(Pager, { label: "Pagina's", list: list(1, 25), target: { href } }).value, '');
  const html = h(Pager, { label: "Pagina's van de actieve signalen", list: list(3, 130), target: { href } }).value;
  const links = [...html.matchAll(/href="([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(links, [
    '/signalen?actief=2#actief',
    '/signalen?actief=1#actief',
    '/signalen?actief=2#actief',
    '/signalen?actief=4#actief',
    '/signalen?actief=6#actief',
    '/signalen?actief=4#actief',
  ]);
  assert.match(html, /rel="prev"/);
  assert.match(html, /rel="next"/);
  assert.match(html, /aria-current="page"><span class="sluis-visually-hidden">Pagina <\/span>3</);
  assert.match(html, /<nav class="utrecht-pagination[^"]*" aria-label="Pagina&#39;s van de actieve signalen">/);
});

test('a search pages with buttons in a POST form that carries its terms as hidden fields, never in a link', () => {
  const html = h(Pager, {
    label: "Pagina's van de gevonden signalen",
    list: list(1, 60),
    target: { form: { action: '/signalen/zoeken', csrf: 'token', fields: { kenmerk: 'Jansen <1>', hoe: 'begint' } } },
  }).value;
  assert.doesNotMatch(html, /href=/);
  assert.match(html, /<form method="post" action="\/signalen\/zoeken"/);
  assert.match(html, /<input type="hidden" name="kenmerk" value="Jansen &lt;1&gt;">/);
  assert.match(html, /<button type="submit" class="[^"]*" name="pagina" value="2">/);
});

test('a page beyond the last shows the last; a count that stopped at its cap keeps the page asked for', async () => {
  const all = Array.from({ length: 60 }, (_, i) => i);
  const read = async (slice: { limit: number; offset: number }) => ({
    items: all.slice(slice.offset, slice.offset + slice.limit),
    total: 60,
    totalExact: true,
  });
  const beyond = await readPage(9, read);
  assert.deepEqual([beyond.page, beyond.items[0], beyond.items.length], [3, 50, 10]);
  assert.equal((await readPage(2, read)).items[0], 25);
  const capped = await readPage(500, async () => ({ items: [1, 2, 3], total: 10_000, totalExact: false }));
  assert.equal(capped.page, 500);
  assert.deepEqual(pageOfWhole(all, 99), { items: all.slice(50), total: 60, totalExact: true, page: 3, size: 25 });
  assert.deepEqual(pageOfWhole([], 4), { items: [], total: 0, totalExact: true, page: 1, size: 25 });
});
