/**
 * The inspection report through the API, on both databases, against the embedded register of the
 * RvIG's test persons: Maud (9) has signals of two organisations (a person match, which one of them
 * coordinates, and a case consultation with a ledger) and a family match with her brother Teun's
 * professional. The JSON is read back field by field; nothing of Teun (BSN, name, date of birth,
 * reference, signal, pseudonym), no BSN and no pseudonym is in it; making it is audited; it is
 * refused to professionals, record systems, escalation officers and callers without credentials.
 * The Dutch PDF letter is rendered, its text extracted and read for the same facts, and the same absences.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { Bsn } from '../persons/bsn.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { pdfText } from '../test-support/pdf.ts';
import { switchableRegister } from '../test-support/register.ts';

/** Maud Groot Esselink (born 2017-03-03) and her brother Teun (2012-04-18), children of 999999345 and 999999357. */
const MAUD = '999999394';
const TEUN = '999999369';
const PARENTS = ['999999345', '999999357'];

type Headers = Record<string, string>;

describeOnEachDatabase('inspection report (API)', (database) => {
  let t: TestApp;
  let wijkteam: TestOrganisation;
  let school: TestOrganisation;
  let ggz: TestOrganisation;
  let privacy: Headers;
  let officer: Headers;
  let requestId: string;
  let personMatchId: string;
  let teunSignalId: string;
  const today = () => t.clock.now().toISOString().slice(0, 10);
  const call = (method: 'GET' | 'POST', url: string, headers: Headers, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) });
  const ok = async (method: 'GET' | 'POST', url: string, headers: Headers, payload?: object, status = 200) => {
    const response = await call(method, url, headers, payload);
    assert.equal(response.statusCode, status, `${method} ${url}: ${response.body}`);
    return response.json();
  };

  before(async () => {
    t = await createTestApp(database(), { register: switchableRegister() });
    [wijkteam, school, ggz] = [await t.organisation('Wijkteam Noord'), await t.organisation('Basisschool De Regenboog'), await t.organisation('GGZ Maasstad')];
    const member = await t.services.staff.create(t.admin, { name: 'Privacy', email: `pf-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
    privacy = { authorization: `Bearer ${member.token}` };
    const escalation = await t.services.staff.create(t.admin, {
      name: 'Functionaris',
      email: `f-${randomUUID()}@gemeente.example`,
      roles: ['escalation_officer'],
    });
    officer = { authorization: `Bearer ${escalation.token}` };

    // Maud: the neighbourhood team and the school (a person match); her parents were informed (she is under 12).
    const informedParents = { basis: 'informed', informed: ['legal_representative'], informedOn: today() };
    await ok('POST', '/signals', wijkteam.headers, { person: { bsn: MAUD }, legalBasis: informedParents, clientReference: 'WT-MAUD' }, 201);
    t.clock.advance(1000);
    const second = await ok('POST', '/signals', school.headers, { person: { bsn: MAUD }, legalBasis: informedParents }, 201);
    personMatchId = second.match.id;
    // Teun (13): the clinic; a family match with Maud's professionals.
    t.clock.advance(1000);
    const teun = await ok(
      'POST',
      '/signals',
      ggz.headers,
      {
        person: { bsn: TEUN },
        legalBasis: { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: today() },
        clientReference: 'GGZ-TEUN',
      },
      201,
    );
    teunSignalId = teun.signal.id;
    assert.equal(teun.familyMatches.length, 1, 'a family match');

    // Coordination: the neighbourhood team takes it and records contact.
    t.clock.advance(60_000);
    await ok('POST', `/matches/${personMatchId}/coordination`, wijkteam.headers, { action: 'take' });
    await ok('POST', `/matches/${personMatchId}/contact`, wijkteam.headers, { contactedOn: today() });

    // A case consultation on Maud, by name with her parents' consent, and one sharing in the ledger.
    const consultation = await ok(
      'POST',
      '/case-consultations',
      wijkteam.headers,
      {
        kind: 'identifying',
        purpose: 'Afstemmen van de hulp aan het gezin',
        consultationOn: today(),
        legalTask: 'Wmo-ondersteuning',
        link: { matchId: personMatchId },
      },
      201,
    );
    t.clock.advance(1000);
    const withSchool = await ok('POST', `/case-consultations/${consultation.id}/participants`, wijkteam.headers, {
      professionalId: school.professionalId,
      legalTask: 'Leerplicht en zorgplicht',
    });
    const schoolParticipant = withSchool.participants.find((p: { source: string }) => p.source === 'match').id as string;
    await ok('POST', `/case-consultations/${consultation.id}/consents`, wijkteam.headers, {
      givenBy: 'legal_representative',
      givenOn: today(),
      method: 'in_writing',
      categories: ['involvement', 'contact_details'],
      participantIds: [schoolParticipant],
    });
    await ok('POST', `/case-consultations/${consultation.id}/sharings`, wijkteam.headers, {
      participantId: schoolParticipant,
      category: 'involvement',
      purpose: 'Afspraken over wie het gezin helpt',
      sharedOn: today(),
    });

    // Accesses: the school reads the match.
    await ok('GET', `/matches/${personMatchId}`, school.headers);

    const registered = await ok(
      'POST',
      '/rights-requests',
      privacy,
      {
        person: { identifiedBy: 'bsn', bsn: MAUD, dateOfBirth: '2017-03-03' },
        kind: 'inspection',
        receivedOn: today(),
        through: 'letter',
        requester: 'legal_representative',
        identityCheck: 'representative_authority_checked',
      },
      201,
    );
    requestId = registered.id;
  });
  after(() => t.close());

  test('the report holds the signals, matches of every kind, coordination, the consultation, register data, requests and accesses', async () => {
    const response = await call('GET', `/rights-requests/${requestId}/inspection`, privacy);
    assert.equal(response.statusCode, 200, response.body);
    assert.match(String(response.headers['content-type']), /^application\/json/);
    const report = response.json();

    assert.deepEqual(report.request, { kind: 'inspection', receivedOn: today(), requester: 'legal_representative' });
    assert.equal(report.person.identifiedBy, 'bsn');
    assert.ok(report.person.inIndexSince);

    // Signals: organisation, professional, dates, the legal basis and the details as registered.
    assert.deepEqual(
      report.signals.map((s: { organisationName: string }) => s.organisationName),
      ['Wijkteam Noord', 'Basisschool De Regenboog'],
    );
    const [own] = report.signals;
    assert.equal(own.professionalName, 'Professional of Wijkteam Noord');
    assert.equal(own.clientReference, 'WT-MAUD');
    assert.equal(own.status, 'active');
    assert.equal(own.endedAt, null);
    assert.equal(own.endReason, null);
    assert.ok(Date.parse(own.activeUntil) > Date.parse(own.filedAt));
    assert.deepEqual(own.legalBasis, { basis: 'informed', informed: ['legal_representative'], informedOn: today() });
    assert.equal(own.personDetails.name.givenNames, 'Maud');
    assert.equal(own.personDetails.dateOfBirth, '2017-03-03');

    // Matches: the person match with both, the family match with the clinic's professional, not on Maud.
    assert.deepEqual(report.matches.map((m: { kind: string }) => m.kind).sort(), ['family', 'person']);
    const person = report.matches.find((m: { kind: string }) => m.kind === 'person');
    assert.deepEqual(
      person.participants.map((p: { organisationName: string; onThisPerson: boolean }) => [p.organisationName, p.onThisPerson]),
      [
        ['Wijkteam Noord', true],
        ['Basisschool De Regenboog', true],
      ],
    );
    assert.equal(person.coordination.state, 'taken');
    assert.deepEqual(person.coordination.coordinator, { professionalName: 'Professional of Wijkteam Noord', organisationName: 'Wijkteam Noord' });
    assert.deepEqual(
      person.coordination.history.map((h: { action: string; actorKind: string; actorOrganisation: string }) => [h.action, h.actorKind, h.actorOrganisation]),
      [
        ['take', 'professional', 'Wijkteam Noord'],
        ['contact_recorded', 'professional', 'Wijkteam Noord'],
      ],
    );
    const family = report.matches.find((m: { kind: string }) => m.kind === 'family');
    assert.equal(family.status, 'open');
    const clinic = family.participants.find((p: { organisationName: string }) => p.organisationName === 'GGZ Maasstad');
    assert.equal(clinic.onThisPerson, false);
    assert.equal(clinic.professionalName, 'Professional of GGZ Maasstad');
    assert.equal(family.participants.filter((p: { onThisPerson: boolean }) => p.onThisPerson).length, 2);

    // The case consultation: purpose, basis, participants, consent and the ledger.
    assert.equal(report.caseConsultations.length, 1);
    const [consultation] = report.caseConsultations;
    assert.equal(consultation.purpose, 'Afstemmen van de hulp aan het gezin');
    assert.equal(consultation.basis, 'consent');
    assert.deepEqual(consultation.initiator, { professionalName: 'Professional of Wijkteam Noord', organisationName: 'Wijkteam Noord' });
    assert.deepEqual(
      consultation.participants.map((p: { organisationName: string; legalTask: string }) => [p.organisationName, p.legalTask]),
      [
        ['Wijkteam Noord', 'Wmo-ondersteuning'],
        ['Basisschool De Regenboog', 'Leerplicht en zorgplicht'],
      ],
    );
    assert.deepEqual(consultation.consents[0].categories, ['involvement', 'contact_details']);
    assert.deepEqual(consultation.consents[0].forParticipants, ['Professional of Basisschool De Regenboog (Basisschool De Regenboog)']);
    assert.deepEqual(consultation.sharings, [
      {
        category: 'involvement',
        sharedWith: 'Professional of Basisschool De Regenboog (Basisschool De Regenboog)',
        purpose: 'Afspraken over wie het gezin helpt',
        ground: 'consent',
        sharedOn: today(),
        personInformedOn: null,
        notYetInformedReason: null,
      },
    ]);

    // Register data: verified, stored as pseudonyms.
    assert.equal(report.register.state, 'verified');
    assert.equal(report.register.confidential, false);
    assert.equal(report.register.addressStoredAsPseudonym, true);
    assert.equal(report.register.addressFunction, 'home');
    assert.equal(report.register.parentsStoredAsPseudonyms, 2);

    // The request itself, and who accessed the data: the school's read of the match, the privacy officer's registration.
    assert.deepEqual(
      report.rightsRequests.map((r: { kind: string; thisRequest: boolean; status: string }) => [r.kind, r.thisRequest, r.status]),
      [['inspection', true, 'received']],
    );
    assert.ok(
      report.accesses.some(
        (a: { eventType: string; organisationName: string }) => a.eventType === 'match.read' && a.organisationName === 'Basisschool De Regenboog',
      ),
      'the school read the match',
    );
    assert.ok(report.accesses.some((a: { eventType: string; actorKind: string }) => a.eventType === 'rights_request.registered' && a.actorKind === 'staff'));
    assert.ok(report.accesses.some((a: { eventType: string }) => a.eventType === 'signal.created'));
    assert.equal(report.accessesTruncated, false);
    const times = report.accesses.map((a: { occurredAt: string }) => Date.parse(a.occurredAt));
    assert.deepEqual(
      times,
      [...times].sort((x, y) => y - x),
      'newest first',
    );
  });

  test('nothing of the brother, the parents, any BSN or pseudonym is in the report', async () => {
    const body = (await call('GET', `/rights-requests/${requestId}/inspection`, privacy)).body;
    const key = (digits: string) => t.services.crypto.personKey(Bsn.parse(digits)!);
    const forbidden = [
      MAUD,
      TEUN,
      ...PARENTS,
      'Teun',
      '2012-04-18',
      'GGZ-TEUN',
      teunSignalId,
      personMatchId,
      ...[MAUD, TEUN, ...PARENTS].flatMap((d) => [key(d).toString('hex'), key(d).toString('base64')]),
    ];
    for (const value of forbidden) assert.ok(!body.includes(value), `the report holds ${value}`);
    assert.doesNotMatch(body, /"(id|signalId|matchId|personKey|bsn)":/, 'no ids, keys or BSN fields');
  });

  test('the PDF letter: the municipality from the settings, the facts in plain Dutch, no BSN, nothing of the brother', async () => {
    await t.services.settings.update(t.admin, {
      theme: { municipalityName: 'Gemeente Rotterdam' },
      privacyStatement: { contact: 'Stadswinkel, Coolsingel 40, 14 010' },
    });
    const response = await call('GET', `/rights-requests/${requestId}/inspection-letter`, privacy);
    assert.equal(response.statusCode, 200, response.body);
    assert.equal(response.headers['content-type'], 'application/pdf');
    assert.match(String(response.headers['content-disposition']), /^attachment; filename="inzage-\d{4}-\d{2}-\d{2}\.pdf"$/);
    const raw = response.rawPayload;
    assert.equal(raw.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = pdfText(raw);
    for (const expected of [
      'Gemeente Rotterdam',
      'Inzage in uw gegevens in SluiS',
      'U vroeg dit als ouder of voogd.',
      'SluiS herkent u aan uw burgerservicenummer (BSN).',
      'Professional of Wijkteam Noord van Wijkteam Noord.',
      'uw ouder of voogd is hierover geïnformeerd op 10 maart 2026',
      'Maud Groot Esselink, geboren op 3 maart 2017',
      'Kenmerk van Wijkteam Noord: WT-MAUD.',
      'Gezinsmatch',
      'Wie dat kind is, staat niet in deze brief',
      'Professional of GGZ Maasstad van GGZ Maasstad: werkt met een gezinslid.',
      'Professional of Wijkteam Noord van Wijkteam Noord heeft de regie.',
      'nam de regie.',
      'Doel: Afstemmen van de hulp aan het gezin',
      'Gedeeld op 10 maart 2026: wie met u werkt, met Professional of Basisschool De Regenboog (Basisschool De Regenboog).',
      'alleen als code (een pseudoniem)',
      'Inzage, ontvangen op 10 maart 2026 (deze vraag): ontvangen.',
      'Een professional van Basisschool De Regenboog. Match bekeken.',
      'Stadswinkel, Coolsingel 40, 14 010',
      'Autoriteit Persoonsgegevens',
    ])
      assert.ok(text.includes(expected), `"${expected}" in the letter: ${text.slice(0, 3000)}`);
    for (const absent of [MAUD, TEUN, ...PARENTS, 'Teun', '18 april 2012', 'GGZ-TEUN', teunSignalId, personMatchId]) {
      assert.ok(!text.includes(absent), `the letter shows ${absent}`);
      assert.ok(!raw.toString('latin1').includes(absent), `the PDF's bytes hold ${absent}`);
    }
    const events = (
      await sql<{ details: unknown }>`select details from audit_events
        where event_type = 'rights_request.inspection_made' and resource_id = ${requestId} order by id desc limit 1`.execute(database().db)
    ).rows;
    const details = (typeof events[0]!.details === 'string' ? JSON.parse(events[0]!.details) : events[0]!.details) as Record<string, unknown>;
    assert.equal(details.format, 'pdf');
  });

  test('making the report is audited under the person key, with the format', async () => {
    await ok('GET', `/rights-requests/${requestId}/inspection`, t.adminHeaders);
    const events = (
      await sql<{ subject_key: Uint8Array; details: unknown; actor_type: string }>`select subject_key, details, actor_type from audit_events
        where event_type = 'rights_request.inspection_made' and resource_id = ${requestId} order by id`.execute(database().db)
    ).rows;
    assert.ok(events.length >= 1);
    const last = events.at(-1)!;
    assert.deepEqual(Buffer.from(last.subject_key), t.services.crypto.personKey(Bsn.parse(MAUD)!));
    const details = (typeof last.details === 'string' ? JSON.parse(last.details) : last.details) as Record<string, unknown>;
    assert.equal(details.format, 'json');
    assert.equal(details.signals, 2);
    assert.equal(details.matches, 2);
    // The next report lists the making of the previous one among the accesses.
    const next = await ok('GET', `/rights-requests/${requestId}/inspection`, privacy);
    assert.equal(next.accesses[0].eventType, 'rights_request.inspection_made');
  });

  test('a person without a BSN: identified by details, nothing held yet', async () => {
    const registered = await ok(
      'POST',
      '/rights-requests',
      privacy,
      {
        person: { identifiedBy: 'details', familyName: 'Zonderbsn', dateOfBirth: '1990-01-02', gender: 'female' },
        kind: 'copy',
        receivedOn: today(),
        through: 'person',
        requester: 'person',
        identityCheck: 'id_document_seen',
      },
      201,
    );
    const report = await ok('GET', `/rights-requests/${registered.id}/inspection`, privacy);
    assert.equal(report.person.identifiedBy, 'details');
    assert.equal(report.person.inIndexSince, null);
    assert.deepEqual([report.signals, report.matches, report.caseConsultations, report.register], [[], [], [], null]);
    assert.equal(report.rightsRequests.length, 1);
  });

  test('only administrators and privacy officers: professionals, record systems, escalation officers and no credentials are refused', async () => {
    for (const url of [`/rights-requests/${requestId}/inspection`, `/rights-requests/${requestId}/inspection-letter`])
      for (const [label, headers, status] of [
        ['no credentials', {}, 401],
        ['a professional', wijkteam.headers, 403],
        ['a record system', { authorization: wijkteam.headers.authorization! }, 403],
        ['an escalation officer', officer, 403],
      ] as const) {
        const response = await call('GET', url, headers);
        assert.equal(response.statusCode, status, label);
        assert.ok(!response.body.includes('Wijkteam Noord'), `${label} learns nothing`);
      }
    await assert.rejects(
      t.services.inspection.report(
        { kind: 'staff', staffMemberId: randomUUID(), roles: ['escalation_officer'], apiClientId: null, requestId: 'x' },
        requestId,
        'json',
      ),
      { status: 403 },
    );
    assert.equal((await call('GET', `/rights-requests/${randomUUID()}/inspection`, privacy)).statusCode, 404);
    assert.equal((await call('GET', `/rights-requests/${randomUUID()}/inspection-letter`, privacy)).statusCode, 404);
    assert.equal((await call('GET', `/rights-requests/${randomBsn()}/inspection`, privacy)).statusCode, 400, 'not an id');
  });
});
