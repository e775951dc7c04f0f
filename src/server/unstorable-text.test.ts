/**
 * Text the database cannot store — a NUL (U+0000) or a lone UTF-16 surrogate — is refused where it
 * enters, on both engines: in any body field or key (422), query value or path segment (400), naming
 * the field; in a form post with a Dutch page that names the field (422). Nothing is written.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it, test } from 'node:test';
import { fieldPath, isStorableText, unstorableTextPaths } from '../shared/text.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, rowCounts, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { type InjectSession, signInByInject, webProfessional } from '../test-support/web.ts';

const NUL = '\u0000';
const LONE = '\ud800';

describe('storable text (rules)', () => {
  it('refuses a NUL and half a surrogate pair, and accepts every real character', () => {
    assert.equal(isStorableText(`Jan${NUL}`), false);
    assert.equal(isStorableText(`Bo${LONE}er`), false);
    assert.equal(isStorableText('\udc00'), false);
    for (const text of ['', 'Jan', 'Ĳsselmeer', 'Zoë 😀', '\ud83d\ude00', '\t\n', '\u0001']) assert.equal(isStorableText(text), true, JSON.stringify(text));
  });

  it('finds every bad string and key in a nested value, by path', () => {
    const value = { person: { name: { familyName: `x${NUL}` }, tags: ['ok', LONE] }, [`key${NUL}`]: 1, fine: 'ja' };
    assert.deepEqual(unstorableTextPaths(value), [['person', 'name', 'familyName'], ['person', 'tags', 1], [`key${NUL}`]]);
    assert.deepEqual(unstorableTextPaths({ a: 1, b: [true, null, 'x'] }), []);
  });

  it("names a field only when it is a name of the API's kind", () => {
    assert.equal(fieldPath(['person', 'name', 'familyName']), 'person.name.familyName');
    assert.equal(fieldPath(['items', 2]), 'items.2');
    assert.equal(fieldPath(['708227156']), '*');
    assert.equal(fieldPath([`key${NUL}`]), '*');
  });
});

/** JSON with a lone surrogate as an escape, as a client would send it (JSON.stringify writes "\ud800" escaped). */
const jsonWith = (body: unknown) => JSON.stringify(body);

describeOnEachDatabase('unstorable text', (database) => {
  let t: TestApp;
  let org: TestOrganisation;
  let web: InjectSession;
  before(async () => {
    t = await createTestApp(database());
    org = await t.organisation();
    web = await signInByInject(t, await webProfessional(t, await t.organisation()));
  });
  after(() => t.close());

  const json = (method: 'POST' | 'PATCH' | 'GET', url: string, headers: Record<string, string>, body?: unknown) =>
    t.app.inject({
      method,
      url,
      headers: { ...headers, ...(body !== undefined && { 'content-type': 'application/json' }) },
      ...(body !== undefined && { payload: jsonWith(body) }),
    });

  const filingWith = (path: string[], value: string) => {
    const body = structuredClone(adultSignal('100023757')) as unknown as Record<string, unknown>;
    let target = body;
    for (const key of path.slice(0, -1)) target = target[key] as Record<string, unknown>;
    target[path.at(-1)!] = value;
    return body;
  };

  // In a URL a lone surrogate can only arrive as the bytes it would have in CESU-8 (ED A0 80), which are not UTF-8.
  for (const [label, bad, inUrl] of [
    ['a NUL', `Jan${NUL}`, 'Jan%00'],
    ['a lone surrogate', `Bo${LONE}er`, 'Bo%ED%A0%80er'],
  ] as const) {
    test(`${label} in any text field of a filing: 422 naming the field, nothing written`, async () => {
      const before = await rowCounts(database().db);
      for (const path of [
        ['person', 'name', 'givenNames'],
        ['person', 'name', 'familyName'],
        ['person', 'name', 'familyNamePrefix'],
        ['person', 'address', 'street'],
        ['person', 'address', 'postcode'],
        ['person', 'address', 'city'],
        ['clientReference'],
        ['person', 'bsn'],
        ['legalBasis', 'givenBy'],
      ]) {
        const response = await json('POST', '/api/v1/signals', org.headers, filingWith(path, bad));
        assert.equal(response.statusCode, 422, `${path.join('.')}: ${response.body}`);
        const names = (response.json().invalidParams as { name: string; code: string }[]).filter((p) => p.code === 'invalid_characters').map((p) => p.name);
        assert.deepEqual(names, [path.join('.')]);
      }
      // A key, the whole body, and a value in an array.
      const keyed = await json('POST', '/api/v1/signals', org.headers, { ...adultSignal(), [`person${NUL}`]: 1 });
      assert.equal(keyed.statusCode, 422);
      assert.deepEqual(
        keyed.json().invalidParams.map((p: { name: string }) => p.name),
        ['*'],
      );
      assert.equal((await json('POST', '/api/v1/signals', org.headers, bad)).statusCode, 422);
      assert.deepEqual(await rowCounts(database().db), before);
    });

    test(`${label} in an administrator's text fields, a query value or a path segment: refused, nothing written`, async () => {
      const before = await rowCounts(database().db);
      const professional = await json('POST', `/api/v1/organisations/${org.id}/professionals`, t.adminHeaders, {
        name: bad,
        email: 'nieuw@example.nl',
        phone: '010 123 4567',
      });
      assert.equal(professional.statusCode, 422, professional.body);
      assert.deepEqual(
        professional.json().invalidParams.map((p: { name: string }) => p.name),
        ['name'],
      );
      const organisation = await json('POST', '/api/v1/organisations', t.adminHeaders, {
        name: 'Stichting X',
        domains: ['welfare'],
        description: bad,
        signallingCriteria: bad,
      });
      assert.equal(organisation.statusCode, 422);
      assert.deepEqual(
        organisation
          .json()
          .invalidParams.map((p: { name: string }) => p.name)
          .sort(),
        ['description', 'signallingCriteria'],
      );
      const settings = await json('PATCH', '/api/v1/settings', t.adminHeaders, { theme: { municipalityName: bad } });
      assert.equal(settings.statusCode, 422);
      const query = await json('GET', `/api/v1/organisations?name=${inUrl}`, org.headers);
      assert.equal(query.statusCode, 400, query.body);
      assert.deepEqual(
        query.json().invalidParams.map((p: { name: string }) => p.name),
        ['querystring:name'],
      );
      const segment = await json('GET', `/api/v1/signals/${inUrl}`, org.headers);
      assert.ok([400, 404].includes(segment.statusCode), segment.body);
      assert.deepEqual(await rowCounts(database().db), before);
    });
  }

  test('a NUL typed into the filing form: a Dutch page naming the field, nothing written', async () => {
    const before = await rowCounts(database().db);
    const page = await web.post('/signalen/nieuw', {
      bsn: '111222333',
      voornamen: 'Petra',
      achternaam: `de Boer${NUL}`,
      geboortedatum: '12',
      'geboortedatum-maand': '4',
      'geboortedatum-jaar': '1985',
      geslacht: 'vrouw',
      'toestemming-door': 'persoon',
      'toestemming-datum': '10',
      'toestemming-datum-maand': '3',
      'toestemming-datum-jaar': '2026',
    });
    assert.equal(page.statusCode, 422);
    assert.match(page.body, /Dit kan SluiS niet opslaan/);
    assert.match(page.body, /het veld ‘achternaam’/);
    assert.match(page.body, /Er is niets opgeslagen/);
    assert.ok(!page.body.includes('111222333') && !page.body.includes('de Boer'), 'the page repeats nothing that was typed');
    const search = await web.get(`/beheer/audit?soort=${encodeURIComponent(NUL)}`);
    assert.equal(search.statusCode, 422);
    assert.deepEqual(await rowCounts(database().db), before);
  });
});
