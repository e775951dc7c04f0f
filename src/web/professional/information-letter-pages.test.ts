/**
 * The information letter's pages (inject, both databases): the links on the signal page and the
 * filing answer, the text page with each band's letters in a block to copy, the PDF rendered and
 * read back, the mentions on the filing and informing forms; "Niet gevonden" for another
 * professional, a colleague, a random id and an ended signal; every letter made audited; no BSN.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, childSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import { pdfText } from '../../test-support/pdf-text.ts';
import { type InjectSession, signInByInject, webProfessional } from '../../test-support/web.ts';

/** The text inside a page's textareas, unescaped as a browser shows it. */
const blocks = (html: string) =>
  [...html.matchAll(/<textarea[^>]*>([\s\S]*?)<\/textarea>/g)].map((m) =>
    m[1]!.replaceAll('&lt;', '<').replaceAll('&gt;', '>').replaceAll('&quot;', '"').replaceAll('&#39;', "'").replaceAll('&amp;', '&'),
  );

describeOnEachDatabase('the information letter pages', (database) => {
  let t: TestApp;
  let org: TestOrganisation;
  let own: InjectSession;
  let outsider: InjectSession;
  let colleague: InjectSession;
  before(async () => {
    t = await createTestApp(database(), { start: '2026-03-10T09:00:00Z' });
    await t.services.settings.update(t.admin, { theme: { municipalityName: 'Gemeente Zeestad' }, privacyStatement: { contact: 'Bel 14 010' } });
    org = await t.organisation('Wijkteam Noord');
    own = await signInByInject(t, await webProfessional(t, org));
    outsider = await signInByInject(t, await webProfessional(t, await t.organisation()));
    colleague = await signInByInject(t, await webProfessional(t, org, { professionalId: (await t.colleague(org)).professionalId }));
  });
  after(() => t.close());

  const fileByApi = async (body: object) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: body });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().signal.id as string;
  };
  const madeEvents = (id: string) =>
    database()
      .db.selectFrom('audit_events')
      .select(['outcome', 'details'])
      .where('resource_id', '=', id)
      .where('event_type', '=', 'signal.information_letter_made')
      .orderBy('id')
      .execute();

  test('the filing answer and the signal page link to the letter, as PDF and as text, saying whom it is for', async () => {
    const form = await own.get('/signalen/nieuw');
    assert.match(form.body, /Na het afgeven maakt SluiS een informatiebrief voor de persoon of de ouders/);
    const bsn = randomBsn();
    const filed = await own.post('/signalen/nieuw', {
      bsn,
      voornamen: 'Sam',
      achternaam: 'Kok',
      geboortedatum: '1',
      'geboortedatum-maand': '6',
      'geboortedatum-jaar': '2018',
      geslacht: 'anders',
      informeren: 'gedaan',
      geinformeerd: 'vertegenwoordiger',
      'informeer-datum': '10',
      'informeer-datum-maand': '3',
      'informeer-datum-jaar': '2026',
    });
    assert.equal(filed.statusCode, 303, filed.body.slice(0, 1500));
    const answer = await own.get(String(filed.headers.location));
    const id = /^\/signalen\/([0-9a-f-]{36})\?nieuw=1$/.exec(String(filed.headers.location))?.[1] ?? assert.fail(String(filed.headers.location));
    assert.match(answer.body, /Uw signaal is afgegeven\. <a class="utrecht-link" href="#informatiebrief">Informeer met de informatiebrief<\/a>/);
    assert.match(answer.body, /<h2 class="utrecht-heading-2" id="informatiebrief">/);
    assert.match(answer.body, /Vertel de ouders of de voogd over uw signaal/);
    assert.ok(answer.body.includes(`href="/signalen/${id}/informatiebrief.pdf">Informatiebrief (PDF)</a>`));
    assert.ok(answer.body.includes(`href="/signalen/${id}/informatiebrief">Tekst om te versturen</a>`));
    assert.ok(!answer.body.includes(bsn));

    const page = await own.get(`/signalen/${id}/informatiebrief`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /<title>Informatiebrief/);
    assert.match(page.body, /Brief aan de ouders of de voogd/);
    const [text, ...more] = blocks(page.body);
    assert.equal(more.length, 0, 'one letter under 12');
    assert.ok(
      text!.startsWith('Gemeente Zeestad\n10 maart 2026\n\nInformatie over SluiS: een signaal over uw kind\n\nBeste ouder of voogd van Sam Kok,'),
      text,
    );
    assert.ok(text!.includes('Bel 14 010'));
    assert.ok(!page.body.includes(bsn), 'no BSN on the text page');
    assert.match(page.body, /data-kopieer="brief-1" hidden/);
  });

  test('12 to 15: two letters, to the young person and to the parents, on the page and in the PDF', async () => {
    const id = await fileByApi({
      ...childSignal(randomBsn(), '2012-01-15', '2026-03-10'),
      legalBasis: { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-10' },
    });
    assert.match((await own.get(`/signalen/${id}`)).body, /Vertel de jongere én de ouders of de voogd \(twee brieven\)/);
    const page = await own.get(`/signalen/${id}/informatiebrief`);
    assert.match(page.body, /Brief aan de jongere[\s\S]*Brief aan de ouders of de voogd/);
    const [young, parents] = blocks(page.body);
    assert.match(young!, /^Beste Sam,$/m);
    assert.match(parents!, /^Beste ouder of voogd van Sam Kok,$/m);

    const pdf = await own.get(`/signalen/${id}/informatiebrief.pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="informatiebrief-2026-03-10\.pdf"$/);
    const words = pdfText(pdf.rawPayload);
    for (const expected of ['Beste Sam,', 'Beste ouder of voogd van Sam Kok,', 'Jouw rechten', 'Uw rechten', 'Gemeente Zeestad'])
      assert.ok(words.includes(expected), `${expected} in the PDF: ${words.slice(0, 300)}`);
    assert.deepEqual(
      (await madeEvents(id)).map((e) => [e.outcome, e.details]),
      [
        ['success', { format: 'text', addressees: 'person,legal_representative' }],
        ['success', { format: 'pdf', addressees: 'person,legal_representative' }],
      ],
    );
  });

  test('16 to 22 and 23 and over: one letter, to the young person and to the person', async () => {
    const young = await fileByApi({
      ...childSignal(randomBsn(), '2008-01-15', '2026-03-10'),
      legalBasis: { basis: 'informed', informed: ['person'], informedOn: '2026-03-10' },
    });
    const page = await own.get(`/signalen/${young}/informatiebrief`);
    assert.match(page.body, /Brief aan de jongere/);
    assert.equal(blocks(page.body).length, 1);
    assert.match(blocks(page.body)[0]!, /Je mag dit zelf doen\./);
    const adult = await fileByApi(adultSignal(randomBsn(), '2026-03-10'));
    const adultPage = await own.get(`/signalen/${adult}/informatiebrief`);
    assert.match(adultPage.body, /Brief aan de persoon/);
    assert.match(blocks(adultPage.body)[0]!, /U heeft op 10 maart 2026 toestemming gegeven voor dit signaal\./);
  });

  test('the informing form points at the letter', async () => {
    const id = await fileByApi({
      ...childSignal(randomBsn(), '2018-06-01', '2026-03-10'),
      legalBasis: { basis: 'informing_postponed', reason: 'not_reachable_yet' },
    });
    const form = await own.get(`/signalen/${id}/informeren`);
    assert.equal(form.statusCode, 200);
    assert.ok(form.body.includes(`href="/signalen/${id}/informatiebrief.pdf">Informatiebrief (PDF)</a>`));
    assert.ok(form.body.includes(`href="/signalen/${id}/informatiebrief">tekst om te versturen</a>`));
  });

  test('another professional, a colleague, a random id and an ended signal: "Niet gevonden", the refusals audited', async () => {
    const id = await fileByApi(adultSignal(randomBsn(), '2026-03-10'));
    for (const [session, url] of [
      [outsider, `/signalen/${id}/informatiebrief`],
      [outsider, `/signalen/${id}/informatiebrief.pdf`],
      [colleague, `/signalen/${id}/informatiebrief`],
      [own, `/signalen/${randomUUID()}/informatiebrief`],
      [own, '/signalen/geen-id/informatiebrief.pdf'],
    ] as const) {
      const response = await session.get(url);
      assert.equal(response.statusCode, 404, url);
      assert.match(response.body, /Niet gevonden/);
      assert.doesNotMatch(response.body, /Jan de Boer/);
    }
    assert.deepEqual(
      (await madeEvents(id)).map((e) => [e.outcome, e.details]),
      [
        ['not_found', { format: 'text' }],
        ['not_found', { format: 'pdf' }],
        ['not_found', { format: 'text' }],
      ],
    );
    assert.equal((await own.post(`/signalen/${id}/beeindigen`, { reden: 'care_ended' })).statusCode, 303);
    assert.equal((await own.get(`/signalen/${id}/informatiebrief`)).statusCode, 404, 'an ended signal has no letter');
  });
});
