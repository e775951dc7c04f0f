/**
 * The professional's case consultation pages (inject, both databases): the list and the page the
 * mails link to, starting one from a match (anonymous offered first), the forms with their errors,
 * and who may do what — a colleague, another organisation, a random id and a removed participant
 * get "Niet gevonden", an administrator "Geen toegang", an invited participant from outside the
 * match only the declaration (art. 18), a participant only their own action points.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import { pdfText } from '../../test-support/pdf.ts';
import { dateBoxes, type InjectSession, signInByInject, webAdministrator, webProfessional } from '../../test-support/web.ts';

const summaryLinks = (body: string) => [...(/<div[^>]*id="foutmeldingen"[\s\S]*?<\/ul>/.exec(body)?.[0] ?? '').matchAll(/href="#([^"]+)"/g)].map((m) => m[1]);
const idFrom = (location: string | undefined) =>
  /^\/casusoverleggen\/([0-9a-f-]{36})\?gedaan=/.exec(location ?? '')?.[1] ?? assert.fail(`no consultation id in ${location}`);
const participantIdOf = (body: string, name: string) =>
  new RegExp(`/deelnemers/([0-9a-f-]{36})/verwijderen">Verwijderen<span class="sluis-visually-hidden"> \\(${name}\\)`).exec(body)?.[1] ??
  assert.fail(`no participant ${name}`);

describeOnEachDatabase('case consultation pages', (database) => {
  let t: TestApp;
  let a: TestOrganisation;
  let b: TestOrganisation;
  let c: TestOrganisation;
  let initiator: InjectSession;
  let matchParticipant: InjectSession;
  let outsider: InjectSession;
  let colleague: InjectSession;
  let admin: InjectSession;
  let bName: string;

  before(async () => {
    t = await createTestApp(database(), { start: '2040-03-10T09:00:00Z' });
    [a, b, c] = [await t.organisation('Wijkteam Noord'), await t.organisation('Jeugdzorg West'), await t.organisation('Schuldhulp Oost')];
    initiator = await signInByInject(t, await webProfessional(t, a));
    matchParticipant = await signInByInject(t, await webProfessional(t, b));
    outsider = await signInByInject(t, await webProfessional(t, c));
    colleague = await signInByInject(t, await webProfessional(t, a, { professionalId: (await t.colleague(a)).professionalId }));
    admin = await signInByInject(t, await webAdministrator(t));
    const row = await t.services.db.selectFrom('professionals').select('name').where('id', '=', b.professionalId).executeTakeFirstOrThrow();
    bName = row.name;
  });
  after(async () => t.close());

  const today = () => t.clock.now().toISOString().slice(0, 10);

  /** A match of a and b on a new person (an adult unless a date of birth is given, then informed as the age asks); a's signal and the match. */
  async function matchOn(child?: { dateOfBirth: string; informed: string[] }) {
    const bsn = randomBsn();
    const ids: string[] = [];
    let matchId = '';
    const adult = adultSignal(bsn, today());
    const payload = child
      ? {
          ...adult,
          person: { ...adult.person, dateOfBirth: child.dateOfBirth },
          legalBasis: { basis: 'informed', informed: child.informed, informedOn: today() },
        }
      : adult;
    for (const org of [a, b]) {
      const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload });
      assert.equal(response.statusCode, 201, response.body);
      ids.push(response.json().signal.id);
      matchId = response.json().match?.id ?? matchId;
    }
    return { matchId, signalId: ids[0]! };
  }

  const startForm = (matchId: string, kind: 'anoniem' | 'op-naam', extra: Record<string, string | string[]> = {}) => ({
    match: matchId,
    soort: kind,
    doel: 'Afspraken maken over wie het gezin helpt met school en geld',
    taak: 'Wmo-ondersteuning',
    deelnemers: b.professionalId,
    [`taak-${b.professionalId}`]: 'Jeugdhulp',
    voorzitter: 'ik',
    ...dateBoxes('datum', today()),
    ...extra,
  });

  test('the list and the menu; the page the mails link to exists', async () => {
    const list = await initiator.get('/casusoverleggen');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /href="\/casusoverleggen" aria-current="page">Casusoverleggen/);
    assert.match(list.body, /U neemt nog aan geen casusoverleg deel\./);
    assert.match(list.body, /href="\/casusoverleggen\/nieuw"/);
  });

  test('an identifying consultation from the match page: the form, consent, a meeting, action points, removing, closing', async () => {
    const { matchId } = await matchOn();
    const matchPage = await initiator.get(`/matches/${matchId}`);
    assert.match(matchPage.body, new RegExp(`href="/casusoverleggen/nieuw\\?match=${matchId}"`));

    const form = await initiator.get(`/casusoverleggen/nieuw?match=${matchId}`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /id="soort"[^>]*value="anoniem"[^>]*checked/, 'anonymous is offered first and chosen');
    assert.match(form.body, new RegExp(`value="${b.professionalId}"`));
    for (const session of [outsider, colleague]) assert.equal((await session.get(`/casusoverleggen/nieuw?match=${matchId}`)).statusCode, 404);

    const empty = await initiator.post('/casusoverleggen/nieuw', { match: matchId, deelnemers: b.professionalId });
    assert.equal(empty.statusCode, 422);
    assert.deepEqual(summaryLinks(empty.body), ['soort', 'doel', 'datum', 'taak', 'taak-0']);
    assert.match(empty.body, /<title>Fout: Casusoverleg starten/);
    const numbers = await initiator.post('/casusoverleggen/nieuw', startForm(matchId, 'op-naam', { doel: 'Bellen met 0612345678 over de schulden' }));
    assert.equal(numbers.statusCode, 422);
    assert.deepEqual(summaryLinks(numbers.body), ['doel']);
    assert.match(numbers.body, /geen nummers zoals een BSN/);

    const started = await initiator.post('/casusoverleggen/nieuw', startForm(matchId, 'op-naam'));
    assert.equal(started.statusCode, 303, started.body.slice(0, 1500));
    const id = idFrom(started.headers.location);
    const page = await initiator.get(started.headers.location!);
    assert.match(page.body, /Het casusoverleg is gestart\./);
    assert.match(page.body, /Jan de Boer/);
    assert.match(page.body, /Nog niet compleet/);
    assert.match(page.body, /toestemming nodig van de persoon zelf/);
    assert.match(page.body, new RegExp(`${bName}[\\s\\S]*Jeugdzorg West[\\s\\S]*Jeugdhulp[\\s\\S]*Neemt deel`));
    assert.match((await initiator.get('/casusoverleggen')).body, /Afspraken maken over wie het gezin helpt/);

    // Before the basis is complete: no meeting.
    const early = await initiator.post(`/casusoverleggen/${id}/bijeenkomst`, dateBoxes('datum', today()));
    assert.equal(early.statusCode, 422);
    assert.match(early.body, /De grondslag is op deze datum nog niet compleet/);

    // The participant sees the purpose but not the person yet, and none of the initiator's forms.
    const seen = await matchParticipant.get(`/casusoverleggen/${id}`);
    assert.equal(seen.statusCode, 200);
    assert.match(seen.body, /Afspraken maken over wie het gezin helpt/);
    assert.doesNotMatch(seen.body, /Jan de Boer|Toestemming vastleggen|\/afsluiten/);
    const notTheirs = await matchParticipant.post(`/casusoverleggen/${id}/toestemming`, { door: 'person' });
    assert.equal(notTheirs.statusCode, 303);
    assert.equal(notTheirs.headers.location, `/casusoverleggen/${id}`);

    // Nobody else: the same "Niet gevonden" as a random id; an administrator has no access.
    for (const session of [outsider, colleague]) {
      for (const url of [
        `/casusoverleggen/${id}`,
        `/casusoverleggen/${randomUUID()}`,
        `/casusoverleggen/${id}/toestemming`,
        `/casusoverleggen/${id}/afsluiten`,
      ]) {
        const response = await session.get(url);
        assert.equal(response.statusCode, 404, url);
        assert.match(response.body, /Niet gevonden/);
      }
      assert.equal((await session.post(`/casusoverleggen/${id}/afsluiten`, { uitkomst: 'plan_agreed' })).statusCode, 404);
      assert.doesNotMatch((await session.get('/casusoverleggen')).body, /Afspraken maken over wie het gezin helpt/);
    }
    assert.equal((await admin.get(`/casusoverleggen/${id}`)).statusCode, 403);
    assert.equal((await admin.get('/casusoverleggen')).statusCode, 403);

    // Consent: the form's checks, then the record.
    const consentForm = await initiator.get(`/casusoverleggen/${id}/toestemming`);
    assert.match(consentForm.body, new RegExp(`${bName}, Jeugdzorg West`));
    const noConsent = await initiator.post(`/casusoverleggen/${id}/toestemming`, {});
    assert.equal(noConsent.statusCode, 422);
    assert.deepEqual(summaryLinks(noConsent.body), ['door', 'datum', 'hoe', 'soorten', 'deelnemers']);
    const participantId = participantIdOf(page.body, bName);
    const consent = await initiator.post(`/casusoverleggen/${id}/toestemming`, {
      door: 'person',
      hoe: 'in_person',
      soorten: ['involvement', 'family_situation'],
      deelnemers: participantId,
      ...dateBoxes('datum', today()),
    });
    assert.equal(consent.statusCode, 303, consent.body.slice(0, 1500));
    const withConsent = await initiator.get(consent.headers.location!);
    assert.match(withConsent.body, /<strong>Met toestemming<\/strong>/);
    assert.match((await matchParticipant.get(`/casusoverleggen/${id}`)).body, /Jan de Boer/, 'the participant sees the person once the basis is complete');

    // A meeting, an action point (with the art. 12.2 warning), done by its assignee.
    assert.equal((await initiator.post(`/casusoverleggen/${id}/bijeenkomst`, dateBoxes('datum', today()))).statusCode, 303);
    const pointForm = await initiator.get(`/casusoverleggen/${id}/actiepunt`);
    assert.match(pointForm.body, /Schrijf geen gezondheids- of strafrechtelijke gegevens/);
    const dated = await initiator.post(`/casusoverleggen/${id}/actiepunt`, {
      wat: 'Gesprek op 12-03-2040 plannen',
      wie: participantId,
      ...dateBoxes('datum', today()),
    });
    assert.equal(dated.statusCode, 422);
    assert.deepEqual(summaryLinks(dated.body), ['wat']);
    const point = await initiator.post(`/casusoverleggen/${id}/actiepunt`, {
      wat: 'Schoolbezoek plannen met de mentor',
      wie: participantId,
      ...dateBoxes('datum', today()),
    });
    assert.equal(point.statusCode, 303, point.body.slice(0, 1500));
    // One for the initiator too: a participant sees only their own (art. 6.5).
    const aName = (await t.services.db.selectFrom('professionals').select('name').where('id', '=', a.professionalId).executeTakeFirstOrThrow()).name;
    const initiatorId =
      new RegExp(`<option value="([0-9a-f-]{36})"[^>]*>${aName},`).exec(pointForm.body)?.[1] ?? assert.fail('the initiator is not offered as assignee');
    const own = await initiator.post(`/casusoverleggen/${id}/actiepunt`, {
      wat: 'Huisbezoek afspreken met de ouders',
      wie: initiatorId,
      ...dateBoxes('datum', today()),
    });
    assert.equal(own.statusCode, 303);
    assert.match(
      (await initiator.get(`/casusoverleggen/${id}`)).body,
      /Huisbezoek afspreken met de ouders[\s\S]*Schoolbezoek plannen met de mentor|Schoolbezoek plannen met de mentor[\s\S]*Huisbezoek afspreken met de ouders/,
    );
    const theirs = await matchParticipant.get(`/casusoverleggen/${id}`);
    assert.match(theirs.body, /Schoolbezoek plannen met de mentor/);
    assert.doesNotMatch(theirs.body, /Huisbezoek afspreken met de ouders/);
    assert.match(theirs.body, /U ziet alleen de actiepunten die voor u zijn\./);
    const doneUrl = /action="(\/casusoverleggen\/[^"]+\/klaar)"/.exec(theirs.body)?.[1] ?? assert.fail('no done button');
    assert.equal((await matchParticipant.post(doneUrl)).statusCode, 303);
    assert.match((await initiator.get(`/casusoverleggen/${id}`)).body, /Afgerond op/);

    // Removing the participant: a confirmation page; then they lose access at once.
    const confirm = await initiator.get(`/casusoverleggen/${id}/deelnemers/${participantId}/verwijderen`);
    assert.match(confirm.body, /U kunt dit niet ongedaan maken/);
    assert.equal((await initiator.post(`/casusoverleggen/${id}/deelnemers/${participantId}/verwijderen`)).statusCode, 303);
    assert.equal((await matchParticipant.get(`/casusoverleggen/${id}`)).statusCode, 404);

    // Closing: the outcome is required; afterwards nothing more can be added.
    assert.match((await initiator.get(`/casusoverleggen/${id}/afsluiten`)).body, /12 maanden na het afsluiten/);
    const noOutcome = await initiator.post(`/casusoverleggen/${id}/afsluiten`, {});
    assert.equal(noOutcome.statusCode, 422);
    assert.deepEqual(summaryLinks(noOutcome.body), ['uitkomst']);
    const closed = await initiator.post(`/casusoverleggen/${id}/afsluiten`, { uitkomst: 'plan_agreed' });
    assert.equal(closed.statusCode, 303);
    const after = await initiator.get(closed.headers.location!);
    assert.match(after.body, /Het casusoverleg is afgesloten\.[\s\S]*Plan afgesproken/);
    assert.doesNotMatch(after.body, /Bijeenkomst plannen|Actiepunt toevoegen/);
  });

  test('an anonymous one: the invited participant signs the declaration first; made identifying with consent', async () => {
    const { matchId, signalId } = await matchOn();
    const started = await initiator.post('/casusoverleggen/nieuw', startForm(matchId, 'anoniem'));
    assert.equal(started.statusCode, 303, started.body.slice(0, 1500));
    const id = idFrom(started.headers.location);
    const page = await initiator.get(`/casusoverleggen/${id}`);
    assert.match(page.body, /SluiS bewaart niet over wie het gaat/);
    assert.doesNotMatch(page.body, /Jan de Boer/);
    assert.match(page.body, new RegExp(`${bName}[\\s\\S]*Uitgenodigd`));

    // Invited from outside a match link: the start page says so; only the declaration, then the consultation.
    assert.match((await matchParticipant.get('/')).body, /1 uitnodiging wacht op uw geheimhoudingsverklaring/);
    const invited = await matchParticipant.get(`/casusoverleggen/${id}`);
    assert.equal(invited.statusCode, 200);
    assert.match(invited.body, /Geheimhoudingsverklaring/);
    assert.doesNotMatch(invited.body, /Afspraken maken over wie het gezin helpt/);
    assert.match((await matchParticipant.get('/casusoverleggen')).body, /Uitnodiging: teken eerst de geheimhoudingsverklaring/);
    assert.equal((await matchParticipant.get(`/casusoverleggen/${id}/actiepunt`)).statusCode, 303);
    const signed = await matchParticipant.post(`/casusoverleggen/${id}/verklaring`);
    assert.equal(signed.statusCode, 303);
    assert.match((await matchParticipant.get(signed.headers.location!)).body, /U heeft de geheimhoudingsverklaring getekend/);
    assert.doesNotMatch((await matchParticipant.get('/')).body, /uitnodiging wacht/);
    assert.match((await initiator.get('/')).body, /U neemt deel aan \d+ open casusoverleg/);
    assert.doesNotMatch((await outsider.get('/')).body, /id="casusoverleggen-start"/, 'nothing for who takes part in none');

    // Identifying: refused while consent is missing, then done with it.
    const refused = await initiator.post(`/casusoverleggen/${id}/op-naam`, { signaal: signalId });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /de grondslag nog niet compleet/);
    const participantId = participantIdOf(page.body, bName);
    const consent = await initiator.post(`/casusoverleggen/${id}/toestemming`, {
      door: 'person',
      hoe: 'in_writing',
      soorten: 'involvement',
      deelnemers: participantId,
      ...dateBoxes('datum', today()),
    });
    assert.equal(consent.statusCode, 303);
    const identified = await initiator.post(`/casusoverleggen/${id}/op-naam`, { signaal: signalId });
    assert.equal(identified.statusCode, 303, identified.body.slice(0, 1500));
    const named = await initiator.get(identified.headers.location!);
    assert.match(named.body, /Het casusoverleg is nu op naam\./);
    assert.match(named.body, /Jan de Boer/);
  });

  test('without consent: the art. 9 reasoning, informing, the ledger and who attended', async () => {
    const { matchId } = await matchOn();
    const started = await initiator.post('/casusoverleggen/nieuw', startForm(matchId, 'op-naam'));
    const id = idFrom(started.headers.location);
    const participantId = participantIdOf((await initiator.get(`/casusoverleggen/${id}`)).body, bName);

    const empty = await initiator.post(`/casusoverleggen/${id}/afweging`, {});
    assert.equal(empty.statusCode, 422);
    assert.deepEqual(summaryLinks(empty.body), [
      'reden',
      'toelichting',
      'grond',
      'vraag-a',
      'vraag-b',
      'vraag-c',
      'vraag-d',
      'vraag-e',
      'vraag-f',
      'vraag-g',
      'vraag-h',
      'functionaris',
      'overlegd',
    ]);
    const answers = Object.fromEntries(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'].map((q) => [`vraag-${q}`, `Afweging bij vraag ${q}: zorgvuldig gedaan.`]));
    const reasoning = {
      reden: 'asking_unsafe',
      toelichting: 'Toestemming vragen brengt het gezin in gevaar.',
      functionaris: 'aandachtsfunctionaris huiselijk geweld',
      ...answers,
      ...dateBoxes('overlegd', today()),
    };
    const light = await initiator.post(`/casusoverleggen/${id}/afweging`, { ...reasoning, grond: 'vital_interest', vitaal: 'Ernstig.' });
    assert.equal(light.statusCode, 422);
    assert.deepEqual(summaryLinks(light.body), ['vitaal']);
    assert.match(light.body, /zwaardere motivering/);
    const recorded = await initiator.post(`/casusoverleggen/${id}/afweging`, { ...reasoning, grond: 'conflict_of_duties' });
    assert.equal(recorded.statusCode, 303, recorded.body.slice(0, 1500));
    const page = await initiator.get(recorded.headers.location!);
    assert.match(page.body, /Zonder toestemming, met afweging \(art\. 9\)/);
    assert.match(page.body, /aandachtsfunctionaris huiselijk geweld/);
    assert.doesNotMatch((await matchParticipant.get(`/casusoverleggen/${id}`)).body, /aandachtsfunctionaris/, 'the reasoning is the initiator’s');

    // Informing: by the age rules (an adult informs themselves).
    const wrong = await initiator.post(`/casusoverleggen/${id}/informeren`, { wie: 'legal_representative', hoe: 'by_phone', ...dateBoxes('datum', today()) });
    assert.equal(wrong.statusCode, 422);
    assert.deepEqual(summaryLinks(wrong.body), ['wie']);
    const informed = await initiator.post(`/casusoverleggen/${id}/informeren`, { wie: 'person', hoe: 'in_person', ...dateBoxes('datum', today()) });
    assert.equal(informed.statusCode, 303);
    assert.match((await initiator.get(informed.headers.location!)).body, /Het informeren is vastgelegd\.[\s\S]*de persoon zelf[\s\S]*In een gesprek/);

    // The ledger: without consent, when the person was informed or why not yet.
    const sharing = { aan: participantId, soort: 'safety', waarvoor: 'Afstemmen van de hulp', ...dateBoxes('datum', today()) };
    const unsaid = await initiator.post(`/casusoverleggen/${id}/delen`, sharing);
    assert.equal(unsaid.statusCode, 422);
    assert.deepEqual(summaryLinks(unsaid.body), ['geinformeerd']);
    const shared = await initiator.post(`/casusoverleggen/${id}/delen`, { ...sharing, 'nog-niet': 'not_reachable_yet' });
    assert.equal(shared.statusCode, 303, shared.body.slice(0, 1500));
    assert.match(
      (await initiator.get(shared.headers.location!)).body,
      /Veiligheid[\s\S]*Afstemmen van de hulp[\s\S]*Zonder toestemming \(art\. 9\)[\s\S]*Nog niet: De persoon is nog niet bereikbaar/,
    );
    assert.match((await matchParticipant.get(`/casusoverleggen/${id}`)).body, /Afstemmen van de hulp/, 'a participant sees what went to them');

    // The initiator's file: the whole record, the reasoning's answers too; nobody else's.
    const file = await initiator.get(`/casusoverleggen/${id}/verslag`);
    assert.equal(file.statusCode, 200);
    assert.match(file.body, /Casusoverleg: verslag voor uw dossier/);
    assert.match(file.body, /Jan de Boer, geboren 17-05-1980/);
    assert.match(file.body, /Afweging bij vraag h: zorgvuldig gedaan\./);
    assert.match(file.body, /Nog niet: De persoon is nog niet bereikbaar/);
    assert.match(file.body, new RegExp(`href="/casusoverleggen/${id}/verslag/pdf"`));
    const pdf = await initiator.get(`/casusoverleggen/${id}/verslag/pdf`);
    assert.equal(pdf.statusCode, 200);
    assert.equal(pdf.headers['content-type'], 'application/pdf');
    assert.match(String(pdf.headers['content-disposition']), /^attachment; filename="casusoverleg-verslag-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const words = pdfText(pdf.rawPayload);
    for (const expected of [
      'Casusoverleg: verslag voor uw dossier',
      'Jan de Boer',
      'Afweging zonder toestemming (art. 9)',
      'aandachtsfunctionaris',
      'Veiligheid aan',
      'geïnformeerd',
    ])
      assert.ok(words.includes(expected), `${expected} in the PDF: ${words.slice(0, 400)}`);
    assert.equal((await matchParticipant.get(`/casusoverleggen/${id}/verslag/pdf`)).statusCode, 303);
    assert.equal((await outsider.get(`/casusoverleggen/${id}/verslag/pdf`)).statusCode, 404);
    assert.equal((await matchParticipant.get(`/casusoverleggen/${id}/verslag`)).statusCode, 303);
    assert.equal((await outsider.get(`/casusoverleggen/${id}/verslag`)).statusCode, 404);

    // The information text (art. 11): by the age today, or another band.
    const text = await initiator.get(`/casusoverleggen/${id}/informatietekst`);
    assert.equal(text.statusCode, 200);
    assert.match(text.body, /<h1 class="utrecht-heading-1">Informatie over een casusoverleg<\/h1>/, 'an adult gets the text for themselves');
    assert.match(
      text.body,
      /Afspraken maken over wie het gezin helpt[\s\S]*Jeugdzorg West[\s\S]*12 maanden na het afsluiten[\s\S]*Autoriteit Persoonsgegevens/,
    );
    assert.match((await initiator.get(`/casusoverleggen/${id}/informatietekst?voor=jongere`)).body, /We overleggen over hoe we je het beste kunnen helpen/);
    assert.match((await initiator.get(`/casusoverleggen/${id}/informatietekst?voor=toString`)).body, /Informatie over een casusoverleg/);
    assert.equal((await matchParticipant.get(`/casusoverleggen/${id}/informatietekst`)).statusCode, 303);
    assert.equal((await outsider.get(`/casusoverleggen/${id}/informatietekst`)).statusCode, 404);

    // A meeting and who attended.
    await initiator.post(`/casusoverleggen/${id}/bijeenkomst`, dateBoxes('datum', today()));
    const withMeeting = await initiator.get(`/casusoverleggen/${id}`);
    const attendance = /href="(\/casusoverleggen\/[^"]+\/aanwezig)"/.exec(withMeeting.body)?.[1] ?? assert.fail('no attendance link');
    assert.match((await initiator.get(attendance)).body, /Wie was er bij de bijeenkomst\?/);
    assert.equal((await matchParticipant.get(attendance)).statusCode, 303, 'only the initiator or chair records who attended');
    assert.equal((await initiator.post(attendance, { aanwezig: participantId })).statusCode, 303);
    assert.match((await initiator.get(`/casusoverleggen/${id}`)).body, new RegExp(`Bijeenkomsten[\\s\\S]*${bName}[\\s\\S]*Actiepunten`));
  });

  test('adding a participant by e-mail from another organisation, who signs the declaration first; choosing the chair', async () => {
    const { matchId } = await matchOn();
    const started = await initiator.post('/casusoverleggen/nieuw', startForm(matchId, 'op-naam', { deelnemers: [] }));
    const id = idFrom(started.headers.location);
    const form = await initiator.get(`/casusoverleggen/${id}/deelnemer`);
    assert.match(form.body, new RegExp(`value="${b.professionalId}"`), 'the match’s professionals are offered');
    assert.equal((await matchParticipant.get(`/casusoverleggen/${id}/deelnemer`)).statusCode, 404, 'not a participant yet');

    const nobody = await initiator.post(`/casusoverleggen/${id}/deelnemer`, { email: 'niemand@example.org', taak: 'Schuldhulpverlening' });
    assert.equal(nobody.statusCode, 422);
    assert.match(nobody.body, /Met dit e-mailadres staat geen professional van een organisatie met een actief convenant in SluiS\./);
    const both = await initiator.post(`/casusoverleggen/${id}/deelnemer`, {});
    assert.deepEqual(summaryLinks(both.body), ['professional', 'taak']);
    const email = (await t.services.db.selectFrom('professionals').select('email').where('id', '=', c.professionalId).executeTakeFirstOrThrow()).email;
    const added = await initiator.post(`/casusoverleggen/${id}/deelnemer`, { email: email.toUpperCase(), taak: 'Schuldhulpverlening' });
    assert.equal(added.statusCode, 303, added.body.slice(0, 1500));
    assert.match(
      (await initiator.get(added.headers.location!)).body,
      /De deelnemer is toegevoegd[\s\S]*Schuldhulp Oost[\s\S]*Schuldhulpverlening[\s\S]*Uitgenodigd/,
    );
    const again = await initiator.post(`/casusoverleggen/${id}/deelnemer`, { email, taak: 'Schuldhulpverlening' });
    assert.match(again.body, /Deze professional neemt al deel\./);

    // From outside the match: the declaration first, nothing else.
    const declaration = await outsider.get(`/casusoverleggen/${id}`);
    assert.match(declaration.body, /Geheimhoudingsverklaring/);
    assert.doesNotMatch(declaration.body, /Afspraken maken|Jan de Boer/);
    assert.equal((await outsider.post(`/casusoverleggen/${id}/verklaring`)).statusCode, 303);

    // The initiator makes them chair; the chair may plan meetings, not record consent.
    const participantId = /<input type="radio"[^>]*name="voorzitter" value="([0-9a-f-]{36})"[^>]*>\s*<label[^>]*>[^<]*Schuldhulp Oost/.exec(
      (await initiator.get(`/casusoverleggen/${id}/voorzitter`)).body,
    )?.[1];
    assert.ok(participantId, 'the new participant is offered as chair');
    assert.equal((await initiator.post(`/casusoverleggen/${id}/voorzitter`, { voorzitter: participantId })).statusCode, 303);
    const chairPage = await outsider.get(`/casusoverleggen/${id}`);
    assert.match(chairPage.body, /Voorzitter/);
    assert.match(chairPage.body, /Bijeenkomst plannen/);
    assert.doesNotMatch(chairPage.body, /Toestemming vastleggen|Casusoverleg afsluiten/);
    assert.equal((await outsider.get(`/casusoverleggen/${id}/voorzitter`)).statusCode, 303);
  });

  test('the municipality sees figures only, on the follow-up page; a professional does not', async () => {
    const page = await admin.get('/regie/opvolging?van=2040-03&tot=2040-03');
    assert.equal(page.statusCode, 200);
    const section = /<section aria-labelledby="casusoverleggen">[\s\S]*?<\/section>/.exec(page.body)?.[0] ?? assert.fail('no consultation figures');
    assert.match(section, /<td[^>]*>maart 2040<\/td><td[^>]*>(<span class="sluis-officer-suppressed">minder dan 5<\/span>|\d+)<\/td>/);
    assert.doesNotMatch(section, /Jan de Boer|Afspraken maken/);
    assert.equal((await initiator.get('/regie/opvolging')).statusCode, 403);
  });

  test('the age rules on the pages: a child of 9 needs the parents’ consent, and the information text is for them; at 13 for the young person too', async () => {
    const young = await matchOn({ dateOfBirth: '2031-01-01', informed: ['legal_representative'] });
    const started = await initiator.post('/casusoverleggen/nieuw', startForm(young.matchId, 'op-naam'));
    const id = idFrom(started.headers.location);
    const page = await initiator.get(`/casusoverleggen/${id}`);
    assert.match(page.body, /toestemming nodig van de ouders of voogd, voor iedere deelnemer/);
    const participantId = participantIdOf(page.body, bName);
    const byChild = await initiator.post(`/casusoverleggen/${id}/toestemming`, {
      door: 'person',
      hoe: 'in_person',
      soorten: 'involvement',
      deelnemers: participantId,
      ...dateBoxes('datum', today()),
    });
    assert.equal(byChild.statusCode, 303, 'recorded, but it does not count at this age');
    assert.match((await initiator.get(`/casusoverleggen/${id}`)).body, /Nog niet gegeven door: de ouders of voogd\./);
    const byParents = await initiator.post(`/casusoverleggen/${id}/toestemming`, {
      door: 'legal_representative',
      hoe: 'in_writing',
      soorten: 'involvement',
      deelnemers: participantId,
      ...dateBoxes('datum', today()),
    });
    assert.equal(byParents.statusCode, 303);
    assert.match((await initiator.get(`/casusoverleggen/${id}`)).body, /<strong>Met toestemming<\/strong>/);
    assert.match((await initiator.get(`/casusoverleggen/${id}/informatietekst`)).body, /Professionals die uw kind helpen/);

    const teen = await matchOn({ dateOfBirth: '2027-01-01', informed: ['person', 'legal_representative'] });
    const teenId = idFrom((await initiator.post('/casusoverleggen/nieuw', startForm(teen.matchId, 'op-naam'))).headers.location);
    assert.match((await initiator.get(`/casusoverleggen/${teenId}`)).body, /toestemming nodig van de persoon zelf en de ouders of voogd/);
    assert.match((await initiator.get(`/casusoverleggen/${teenId}/informatietekst`)).body, /We overleggen over hoe we je het beste kunnen helpen/);
  });
});
