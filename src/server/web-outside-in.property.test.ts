/**
 * The web pages tried from outside, on both engines, as src/http/outside-in.property.test.ts tries
 * the API: signed in as an organisation's coordinator and as a municipality administrator who is
 * also escalation officer, the test follows every link it can reach, collects every form on those
 * pages, and then posts generated values to the forms (arbitrary Unicode with NUL and lone
 * surrogates, very long strings, odd dates, BSN-like numbers, uuids, values taken from the form
 * itself) and sends generated query strings and path segments to the pages. For every request:
 *   - never a 5xx;
 *   - a refusal repeats no identifier that was sent, but in the fields of a form shown again with
 *     its problems, which keep what the user typed (by design);
 *   - a refusal writes nothing (only the audit trail's records of denied and not-found access);
 *   - the log holds none of the identifiers that were sent, whatever the answer.
 */
import { after, before, test } from 'node:test';
import fc from 'fast-check';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { captureLog } from '../test-support/log-capture.ts';
import { type Answer, bsnLike, createChecker, encodeAny, marker, noFindings, ODD_DATES, oddString } from '../test-support/outside-in.ts';
import { createWebAccount, type InjectSession, signInByInject, webAdministrator, webProfessional } from '../test-support/web.ts';

const FORM_RUNS = Number(process.env.SLUIS_OUTSIDE_IN_FORM_RUNS ?? 250);
const PAGE_RUNS = Number(process.env.SLUIS_OUTSIDE_IN_PAGE_RUNS ?? 100);

/** Forms that end the session itself: posting them is no test of input. */
const SIGNS_OUT = /^\/(uitloggen|account\/overal-uitloggen)$/;
/** Links that are no pages of a signed-in user. */
const NOT_A_PAGE = /^\/(assets|api|uitloggen|inloggen|health|dev-mailbox)(\/|$|\?)/;

type Field = { name: string; type: string; inputmode?: string; values: string[] };
type PageForm = { method: 'get' | 'post'; action: string; fields: Field[] };
type Who = 'coordinator' | 'staff';

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/g;
const unescapeHtml = (text: string) =>
  text
    .replace(/&amp;/g, '&')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>');
const attribute = (tag: string, name: string) => {
  const found = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return found ? unescapeHtml(found[1]!) : undefined;
};

/** The forms of a page, with their fields and the values the page offers for them. */
function formsIn(html: string): PageForm[] {
  return [...html.matchAll(/<form\b([^>]*)>([\s\S]*?)<\/form>/g)].map(([, tag, inner]) => {
    const fields = new Map<string, Field>();
    const add = (name: string | undefined, type: string, value: string | undefined, inputmode?: string) => {
      if (!name) return;
      const field = fields.get(name) ?? { name, type, values: [], ...(inputmode && { inputmode }) };
      if (value !== undefined) field.values.push(value);
      fields.set(name, field);
    };
    for (const [input] of inner!.matchAll(/<input\b[^>]*>/g))
      add(attribute(input, 'name'), attribute(input, 'type') ?? 'text', attribute(input, 'value'), attribute(input, 'inputmode'));
    for (const [, selectTag, options] of inner!.matchAll(/<select\b([^>]*)>([\s\S]*?)<\/select>/g)) {
      const name = attribute(selectTag!, 'name');
      add(name, 'select', undefined);
      for (const [option] of options!.matchAll(/<option\b[^>]*>/g)) add(name, 'select', attribute(option, 'value'));
    }
    for (const [textarea] of inner!.matchAll(/<textarea\b[^>]*>/g)) add(attribute(textarea, 'name'), 'textarea', undefined);
    return { method: attribute(tag!, 'method') === 'post' ? 'post' : 'get', action: attribute(tag!, 'action') ?? '', fields: [...fields.values()] } as PageForm;
  });
}

const patternOf = (url: string) => url.split('?')[0]!.replace(UUID, ':id');

/** Every page a signed-in user reaches by following links (at most a few per route), and the forms on them. */
async function crawl(session: InjectSession, starts: string[]) {
  const queue = [...starts];
  const seen = new Set<string>();
  const perPattern = new Map<string, number>();
  const pages: string[] = [];
  const forms = new Map<string, PageForm>();
  const uuids = new Set<string>();
  while (queue.length > 0 && pages.length < 150) {
    const url = queue.shift()!;
    if (seen.has(url)) continue;
    seen.add(url);
    const pattern = patternOf(url);
    if ((perPattern.get(pattern) ?? 0) >= 2) continue;
    perPattern.set(pattern, (perPattern.get(pattern) ?? 0) + 1);
    const page = await session.get(url);
    if (page.statusCode !== 200 || !String(page.headers['content-type']).startsWith('text/html')) continue;
    pages.push(url);
    for (const id of page.body.match(UUID) ?? []) uuids.add(id);
    for (const [, href] of page.body.matchAll(/\shref="(\/[^"#]*)"/g)) {
      const link = unescapeHtml(href!);
      if (!NOT_A_PAGE.test(link) && !seen.has(link)) queue.push(link);
    }
    for (const form of formsIn(page.body)) {
      if (form.method === 'post' && SIGNS_OUT.test(form.action)) continue;
      forms.set(
        `${form.method} ${patternOf(form.action)} ${form.fields
          .map((f) => f.name)
          .sort()
          .join(',')}`,
        form,
      );
    }
  }
  return { pages, forms: [...forms.values()], uuids: [...uuids] };
}

/** A value for a field: one the page offers, one that looks right for its name, or anything at all. */
function valueFor(field: Field, ids: readonly string[]): fc.Arbitrary<string> {
  const offered = field.values.filter((v) => v !== '');
  // A date is three boxes (src/web/date-input.ts): the day under the field's name, then -maand and -jaar.
  const looksRight: fc.Arbitrary<string> = /bsn/i.test(field.name)
    ? bsnLike
    : /-maand$/.test(field.name)
      ? fc.oneof(fc.integer({ min: 0, max: 13 }).map(String), fc.constantFrom('03', '1e1', '-1'))
      : /-jaar$/.test(field.name)
        ? fc.oneof(fc.integer({ min: 1990, max: 2030 }).map(String), fc.constantFrom('0000', '26', '99999'))
        : field.inputmode === 'numeric' && /datum|date|op$|vanaf|tot|^van$/i.test(field.name)
          ? fc.oneof(fc.integer({ min: 0, max: 32 }).map(String), fc.constantFrom('01', '2026-03-10'))
          : field.type === 'date' || /datum|date|op$|vanaf|tot/i.test(field.name)
            ? fc.oneof(
                fc.constantFrom(...ODD_DATES),
                fc.date({ min: new Date('1990-01-01'), max: new Date('2030-12-31'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
              )
            : field.type === 'email' || /mail/i.test(field.name)
              ? marker.map((m) => `${m.toLowerCase()}@example.nl`)
              : field.type === 'number'
                ? fc.integer({ min: -5, max: 400 }).map(String)
                : fc.oneof(
                    marker,
                    marker.map((m) => `${m} ${m}`),
                    fc.constantFrom(...ids),
                  );
  return fc.oneof(
    ...(offered.length > 0 ? [{ weight: 4, arbitrary: fc.constantFrom(...offered) }] : []),
    { weight: 3, arbitrary: looksRight },
    { weight: 2, arbitrary: oddString },
  );
}

/** Form fields as a browser would post them, but able to carry any string, a lone surrogate too. */
const formBody = (pairs: readonly (readonly [string, string])[]) => pairs.map(([k, v]) => `${encodeAny(k)}=${encodeAny(v)}`).join('&');

describeOnEachDatabase('the web pages tried from outside', (database) => {
  const log = captureLog();
  let t: TestApp;
  let a: TestOrganisation;
  const sessions = {} as Record<Who, InjectSession>;
  const found = {} as Record<Who, Awaited<ReturnType<typeof crawl>>>;
  let ids: string[] = [];
  // A form shown again with its problems keeps what was typed, in its fields; nowhere else.
  const checker = createChecker(database, log, () => ids, { formsKeepInput: true });

  /** A new signed-in session, for when a generated post has ended the last one (or the coordinator deactivated themselves). */
  async function signIn(who: Who): Promise<InjectSession> {
    if (who === 'staff') {
      await t.services.db
        .updateTable('staff_members')
        .set({ roles: ['municipality_admin', 'escalation_officer'] })
        .where('id', '=', t.admin.staffMemberId)
        .execute();
      sessions.staff = await signInByInject(t, await webAdministrator(t));
    } else {
      // A generated post by the administrator may have suspended or ended the organisation's covenant: work again.
      const covenants = await t.services.covenants.list(a.id);
      const suspended = covenants.find((c) => c.status === 'suspended');
      if (suspended) await t.services.covenants.transition(t.admin, suspended.id, 'resume', null);
      else if (!covenants.some((c) => c.status === 'active')) await t.services.covenants.start(t.admin, a.id, { startsOn: '2020-01-01' });
      const colleague = await t.colleague(a);
      await t.services.db.updateTable('professionals').set({ coordinator: true }).where('id', '=', colleague.professionalId).execute();
      sessions.coordinator = await signInByInject(t, await createWebAccount(t, { professionalId: colleague.professionalId }));
    }
    return sessions[who];
  }

  before(async () => {
    t = await createTestApp(database(), { logger: log.logger });
    a = await t.organisation('Wijkteam Noord');
    const b = await t.organisation();
    // A match between a and b, so the pages have a signal, a match and coordination to show.
    const bsn = randomBsn();
    const first = (await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(bsn) })).json();
    const second = (await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: b.headers, payload: adultSignal(bsn) })).json();
    // A second match, escalated, for the escalation officer's pages; a colleague, for the coordinator's.
    const other = randomBsn();
    await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: a.headers, payload: adultSignal(other) });
    const escalated = (await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: b.headers, payload: adultSignal(other) })).json();
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/matches/${escalated.match.id}/coordination`,
      headers: b.headers,
      payload: { action: 'escalate', reason: 'no_agreement' },
    });
    await t.colleague(a);
    sessions.coordinator = await signInByInject(t, await webProfessional(t, a, { coordinator: true }));
    await signIn('staff');
    found.coordinator = await crawl(sessions.coordinator, [
      '/',
      '/signalen',
      '/signalen/nieuw',
      '/organisatie',
      '/organisaties',
      '/account',
      `/signalen/${first.signal.id}`,
    ]);
    found.staff = await crawl(sessions.staff, ['/', '/beheer', '/regie', '/account']);
    ids = [
      ...new Set([
        a.id,
        b.id,
        a.professionalId,
        b.professionalId,
        a.covenantId,
        a.apiClientId,
        first.signal.id,
        second.signal.id,
        second.match.id,
        t.admin.staffMemberId,
        ...found.coordinator.uuids,
        ...found.staff.uuids,
      ]),
    ];
  });
  after(() => t.close());

  /** Sends a request as `who`. */
  const send = (who: Who, method: 'GET' | 'POST', url: string, body?: string): Promise<Answer> =>
    t.app.inject({
      method,
      url,
      headers: { cookie: sessions[who].cookie, ...(body !== undefined && { 'content-type': 'application/x-www-form-urlencoded' }) },
      ...(body !== undefined && { payload: body }),
    });

  /** Signs in again when a generated post has ended the session (signed out, deactivated, the covenant suspended): before the next request, not during it. */
  async function stillSignedIn(who: Who) {
    const account = await send(who, 'GET', '/account');
    if (account.statusCode !== 200) await signIn(who);
  }

  /** An action with, now and then, one of its uuids replaced by anything at all. */
  const actionFor = (action: string) =>
    fc.oneof(
      { weight: 5, arbitrary: fc.constant(action) },
      { weight: 1, arbitrary: fc.oneof(fc.uuid(), oddString, fc.constantFrom(...ids)).map((segment) => action.replace(UUID, encodeAny(segment))) },
    );

  test('every form, posted with generated values', async (context) => {
    checker.reset();
    const posts = fc
      .constantFrom<Who>('coordinator', 'staff')
      .chain((who) => fc.constantFrom(...found[who].forms.filter((f) => f.method === 'post')).map((form) => ({ who, form })))
      .chain(({ who, form }) =>
        fc.record({
          who: fc.constant(who),
          action: actionFor(form.action),
          fields: fc.tuple(
            ...form.fields
              .filter((f) => f.name !== '_csrf')
              .map((field) =>
                fc.oneof(
                  { weight: 8, arbitrary: valueFor(field, ids).map((v) => [[field.name, v] as const]) },
                  { weight: 1, arbitrary: fc.constant([]) },
                  { weight: 1, arbitrary: fc.array(valueFor(field, ids), { minLength: 2, maxLength: 3 }).map((vs) => vs.map((v) => [field.name, v] as const)) },
                ),
              ),
          ),
          extra: fc.option(fc.tuple(oddString, oddString), { freq: 8 }),
        }),
      );
    await fc.assert(
      fc.asyncProperty(posts, async ({ who, action, fields, extra }) => {
        const pairs = [...fields.flat(), ...(extra ? [extra] : [])];
        await stillSignedIn(who);
        const body = formBody([['_csrf', sessions[who].csrf], ...pairs]);
        noFindings(
          await checker.check(() => send(who, 'POST', action, body), [action, ...pairs.flat()], `${who} POST ${action.slice(0, 200)} ${body.slice(0, 400)}`),
        );
      }),
      { numRuns: FORM_RUNS, endOnFailure: true },
    );
    context.diagnostic(
      `forms: ${found.coordinator.forms.length + found.staff.forms.length} on ${found.coordinator.pages.length + found.staff.pages.length} pages; answers: ${checker.histogram()}`,
    );
  });

  test('every page, with generated query strings and path segments', async (context) => {
    checker.reset();
    const gets = fc.constantFrom<Who>('coordinator', 'staff').chain((who) => {
      const names = [...new Set(found[who].forms.filter((f) => f.method === 'get').flatMap((f) => f.fields.map((field) => field.name)))];
      const getForms = found[who].forms.filter((f) => f.method === 'get');
      return fc.record({
        who: fc.constant(who),
        page: fc
          .oneof(
            fc.constantFrom(...found[who].pages.map((p) => p.split('?')[0]!)),
            ...(getForms.length > 0 ? [fc.constantFrom(...getForms.map((f) => f.action))] : []),
          )
          .chain(actionFor),
        query: fc.array(
          fc.tuple(
            names.length > 0 ? fc.oneof(fc.constantFrom(...names), oddString) : oddString,
            fc.oneof(oddString, fc.constantFrom(...ids), ...getForms.flatMap((f) => f.fields).map((field) => valueFor(field, ids))),
          ),
          { maxLength: 4 },
        ),
      });
    });
    await fc.assert(
      fc.asyncProperty(gets, async ({ who, page, query }) => {
        await stillSignedIn(who);
        const url = query.length > 0 ? `${page}?${formBody(query)}` : page;
        noFindings(await checker.check(() => send(who, 'GET', url), [page, ...query.flat()], `${who} GET ${url.slice(0, 400)}`));
      }),
      { numRuns: PAGE_RUNS, endOnFailure: true },
    );
    context.diagnostic(`answers: ${checker.histogram()}`);
  });
});
