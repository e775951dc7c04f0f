/**
 * The information letter through the API, on both databases: each age band's letters with the right
 * addressees, the organisation, professional and the municipality's settings in them; the PDF by
 * Accept, rendered and read back; no BSN anywhere; the same 404 for another professional's signal
 * (a colleague's too) as for a random id; 409 for an ended signal; every letter made audited.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, childSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { pdfPageCount, pdfText } from '../test-support/pdf-text.ts';
import { prefersPdf } from './information-letter-routes.ts';

describeOnEachDatabase('the information letter (API)', (database) => {
  let t: TestApp;
  let org: TestOrganisation;
  before(async () => {
    t = await createTestApp(database(), { start: '2026-03-10T09:00:00Z' });
    await t.services.settings.update(t.admin, {
      theme: { municipalityName: 'Gemeente Zeestad' },
      privacyStatement: { contact: 'Team Privacy, Postbus 1, 1000 AA Zeestad, privacy@zeestad.example' },
    });
    org = await t.organisation('Wijkteam Noord');
  });
  after(() => t.close());

  const file = async (o: TestOrganisation, body: object) => {
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: o.headers, payload: body });
    assert.equal(response.statusCode, 201, response.body);
    return response.json().signal.id as string;
  };
  const letter = (headers: Record<string, string>, id: string, accept?: string) =>
    t.app.inject({ method: 'GET', url: `/api/v1/signals/${id}/information-letter`, headers: { ...headers, ...(accept && { accept }) } });
  const audits = (resourceId: string) =>
    database()
      .db.selectFrom('audit_events')
      .select(['outcome', 'details', 'subject_key', 'actor_id'])
      .where('resource_id', '=', resourceId)
      .where('event_type', '=', 'signal.information_letter_made')
      .orderBy('id')
      .execute();

  const bands = [
    {
      born: '2018-06-01',
      informed: ['legal_representative'],
      band: 'representative',
      addressees: ['legal_representative'],
      greeting: 'Beste ouder of voogd van Sam Kok,',
    },
    {
      born: '2012-01-15',
      informed: ['person', 'legal_representative'],
      band: 'young_person_and_representative',
      addressees: ['person', 'legal_representative'],
      greeting: 'Beste Sam,',
    },
    { born: '2008-01-15', informed: ['person'], band: 'young_person', addressees: ['person'], greeting: 'Beste Sam,' },
  ] as const;

  for (const { born, informed, band, addressees, greeting } of bands) {
    test(`born ${born}: ${band}, letters to ${addressees.join(' and ')}`, async () => {
      const bsn = randomBsn();
      const id = await file(org, {
        ...childSignal(bsn, born, '2026-03-10'),
        legalBasis: { basis: 'informed', informed: [...informed], informedOn: '2026-03-10' },
      });
      const response = await letter(org.headers, id);
      assert.equal(response.statusCode, 200, response.body);
      assert.match(String(response.headers['content-type']), /^application\/json/);
      const body = response.json();
      assert.equal(body.signalId, id);
      assert.equal(body.band, band);
      assert.deepEqual(
        body.letters.map((l: { addressee: string }) => l.addressee),
        addressees,
      );
      assert.ok(body.letters[0].text.includes(greeting), body.letters[0].text);
      for (const { text } of body.letters) {
        for (const expected of [
          'Gemeente Zeestad',
          'Professional of Wijkteam Noord van Wijkteam Noord',
          'Postbus 1, 1000 AA Zeestad',
          'Jeugdwet',
          'https://sluis.test/privacy',
        ])
          assert.ok(text.includes(expected), `${expected} in ${text}`);
      }
      assert.ok(!response.body.includes(bsn), 'no BSN in the answer');
    });
  }

  test('23 and over: one letter to the person with the consent; as a PDF by Accept, rendered and read back', async () => {
    const bsn = randomBsn();
    const id = await file(org, adultSignal(bsn, '2026-03-10'));
    const json = (await letter(org.headers, id)).json();
    assert.equal(json.band, 'adult');
    assert.deepEqual(
      json.letters.map((l: { addressee: string }) => l.addressee),
      ['person'],
    );
    assert.ok(json.letters[0].text.includes('U heeft op 10 maart 2026 toestemming gegeven voor dit signaal.'));

    const pdf = await letter(org.headers, id, 'application/pdf');
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="informatiebrief-2026-03-10\.pdf"$/);
    assert.equal(pdf.headers['cache-control'], 'no-store');
    assert.ok(pdf.rawPayload.subarray(0, 5).equals(Buffer.from('%PDF-')));
    const words = pdfText(pdf.rawPayload);
    for (const expected of ['Gemeente Zeestad', 'Beste Jan de Boer,', 'Uw toestemming', 'Wat is SluiS?', 'Uw rechten', 'Heeft u vragen?', 'Wijkteam Noord'])
      assert.ok(words.includes(expected), `${expected} in the PDF: ${words.slice(0, 300)}`);
    assert.ok(!pdf.rawPayload.toString('latin1').includes(bsn) && !words.includes(bsn), 'no BSN in the PDF');

    // JSON unless the PDF is asked for explicitly and JSON is not preferred.
    assert.equal((await letter(org.headers, id, 'application/json, application/pdf;q=0.5')).headers['content-type'], 'application/json; charset=utf-8');
    assert.equal(prefersPdf('*/*'), false);
    assert.equal(prefersPdf('application/pdf, */*;q=0.8'), true);
    assert.equal(prefersPdf('application/pdf;q=0'), false);

    const events = await audits(id);
    assert.deepEqual(
      events.map((e) => [e.outcome, e.details]),
      [
        ['success', { format: 'json', addressees: 'person' }],
        ['success', { format: 'pdf', addressees: 'person' }],
        ['success', { format: 'json', addressees: 'person' }],
      ],
    );
    assert.ok(
      events.every((e) => e.subject_key !== null && e.actor_id === org.professionalId),
      'under the person key, by the professional',
    );
  });

  test('the 12 to 15 PDF has both letters, each on its own page', async () => {
    const id = await file(org, {
      ...childSignal(randomBsn(), '2012-01-15', '2026-03-10'),
      legalBasis: { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-10' },
    });
    const pdf = await letter(org.headers, id, 'application/pdf');
    assert.equal(pdf.statusCode, 200);
    const words = pdfText(pdf.rawPayload);
    assert.ok(words.includes('Beste Sam,') && words.includes('Beste ouder of voogd van Sam Kok,'), words.slice(0, 400));
    assert.ok(pdfPageCount(pdf.rawPayload) >= 2);
  });

  test("another professional's signal, a colleague's, and a random id get the same 404, audited; an ended signal 409", async () => {
    const id = await file(org, adultSignal(randomBsn(), '2026-03-10'));
    const other = await t.organisation();
    const colleague = await t.colleague(org);
    const answers = [await letter(other.headers, id), await letter(colleague.headers, id), await letter(org.headers, randomUUID())];
    for (const answer of answers) {
      assert.equal(answer.statusCode, 404);
      assert.match(String(answer.headers['content-type']), /^application\/problem\+json/);
    }
    const [a, b, c] = answers.map((answer) => ({ ...answer.json(), instance: undefined }));
    assert.deepEqual(a, c);
    assert.deepEqual(b, c);
    assert.equal((await letter(other.headers, id, 'application/pdf')).statusCode, 404);
    const refused = await audits(id);
    assert.deepEqual(
      refused.map((e) => [e.outcome, e.subject_key, e.actor_id]),
      [
        ['not_found', null, other.professionalId],
        ['not_found', null, colleague.professionalId],
        ['not_found', null, other.professionalId],
      ],
    );

    const ended = await t.app.inject({ method: 'POST', url: `/api/v1/signals/${id}/end`, headers: org.headers, payload: { reason: 'care_ended' } });
    assert.equal(ended.statusCode, 200);
    const gone = await letter(org.headers, id);
    assert.equal(gone.statusCode, 409);
    assert.equal(gone.json().code, 'signal_not_active');
  });
});
