/**
 * Case consultations through the HTTP API, on both databases: every rule of issue 14 — who sees a
 * consultation (everyone else gets the 404 of a random id), the declaration before anything, the
 * age rules at the boundary dates, no identifying consultation without consent or complete art. 9
 * reasoning, an anonymous one without any person link in the database, a removed participant
 * losing access at once, the ledger's grounds, action points visible to their assignee only, the
 * notifications, deletion after retention leaving only the audit trail, the figures, and no BSN or
 * person data in any log line.
 *
 * One app per database; the clock only moves forward, and the retention test comes last.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';
import { WEIGHING_QUESTIONS } from './case-consultation-rules.ts';

type Headers = Record<string, string>;
type View = {
  id: string;
  kind: string;
  state: string;
  yourRole: string;
  person: { name: { familyName: string }; dateOfBirth: string } | null;
  basis: { status: string; requiredConsent: string[] | null; missingConsent: string[] | null };
  participants: { id: string; state: string; source: string; isYou: boolean }[];
  consents: unknown[];
  reasoning: unknown;
  sharings: { participantId: string; ground: string }[];
  meetings: { id: string }[];
  actionPoints: { id: string; assigneeId: string; yours: boolean }[];
  allowed: string[];
  yourParticipantId: string;
  deleteAfter: string | null;
};

const answers = Object.fromEntries(WEIGHING_QUESTIONS.map((q) => [q, `Afweging bij vraag ${q}: zorgvuldig gedaan.`]));
const reasoning = (overrides: object = {}) => ({
  noConsentReason: 'asking_unsafe',
  noConsentExplanation: 'Toestemming vragen brengt het kind in gevaar.',
  ground: 'conflict_of_duties',
  answers,
  officialConsulted: 'aandachtsfunctionaris huiselijk geweld',
  officialConsultedOn: '2026-03-09',
  ...overrides,
});

describeOnEachDatabase('case consultations API', (database) => {
  let t: TestApp;
  const log = captureLog();
  const bsns: string[] = [];
  let a: TestOrganisation;
  let b: TestOrganisation;
  let c: TestOrganisation;

  before(async () => {
    t = await createTestApp(database(), { logger: log.logger });
    [a, b, c] = [await t.organisation('Wijkteam Noord'), await t.organisation('Jeugdzorg West'), await t.organisation('Schuldhulp Oost')];
  });
  after(() => t.close());

  const today = () => t.clock.now().toISOString().slice(0, 10);
  const call = (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, headers: Headers, payload?: object) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload && { payload }) });
  const ok = async (method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE', url: string, headers: Headers, payload?: object, status = 200): Promise<View> => {
    const response = await call(method, url, headers, payload);
    assert.equal(response.statusCode, status, response.body);
    return response.json();
  };
  const refused = async (
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    url: string,
    headers: Headers,
    status: number,
    code: string,
    payload?: object,
  ) => {
    const response = await call(method, url, headers, payload);
    assert.equal(response.statusCode, status, response.body);
    assert.equal(response.json().code, code, response.body);
    return response.json();
  };

  /** A match of a and b on a new person with the given date of birth (under 23: informed by the age rules). */
  async function matchOn(dateOfBirth = '1980-05-17', informed = ['person']) {
    const bsn = randomBsn();
    bsns.push(bsn);
    const body = {
      ...adultSignal(bsn, today()),
      person: { ...adultSignal(bsn).person, dateOfBirth },
      ...(dateOfBirth > '2003-01-01' && { legalBasis: { basis: 'informed', informed, informedOn: today() } }),
    };
    let matchId = '';
    const signals: string[] = [];
    for (const org of [a, b]) {
      const response = await call('POST', '/signals', org.headers, body);
      assert.equal(response.statusCode, 201, response.body);
      signals.push(response.json().signal.id);
      matchId = response.json().match?.id ?? matchId;
    }
    return { matchId, signals };
  }

  const start = (headers: Headers, body: object) => ok('POST', '/case-consultations', headers, body, 201);
  const identifying = (matchId: string, overrides: object = {}) => ({
    kind: 'identifying',
    purpose: 'Afstemmen van de hulp aan het gezin',
    consultationOn: today(),
    legalTask: 'Wmo-ondersteuning',
    link: { matchId },
    ...overrides,
  });
  const addB = (id: string) => ok('POST', `/case-consultations/${id}/participants`, a.headers, { professionalId: b.professionalId, legalTask: 'Jeugdwet' });
  const participantOf = (view: View, source: string) => view.participants.find((p) => p.source === source)!;

  const consultationTables = [
    'case_consultation_participants',
    'case_consultation_consents',
    'case_consultation_reasonings',
    'case_consultation_informings',
    'case_consultation_sharings',
    'case_consultation_meetings',
    'case_consultation_action_points',
  ] as const;

  // ----------------------------------------------------------------------------------------------

  test('an anonymous consultation holds no person link in the database; it is offered without one and refuses one', async () => {
    const view = await start(a.headers, { kind: 'anonymous', purpose: 'Casus over schulden en school', consultationOn: today(), legalTask: 'Wmo' });
    assert.equal(view.kind, 'anonymous');
    assert.equal(view.person, null);
    assert.equal(view.basis.status, 'not_applicable');
    const row = await sql<{ person_key: Uint8Array | null; signal_id: string | null; match_id: string | null; everything: string }>`
      select person_key, signal_id, match_id, row_to_json(c)::text as everything from case_consultations c where id = ${view.id}`.execute(database().db);
    assert.deepEqual({ ...row.rows[0], everything: undefined }, { person_key: null, signal_id: null, match_id: null, everything: undefined });
    for (const word of ['Boer', 'Coolsingel', '1980']) assert.ok(!row.rows[0]!.everything.includes(word), word);

    const { matchId } = await matchOn();
    await refused('POST', '/case-consultations', a.headers, 422, 'invalid_input', {
      kind: 'anonymous',
      purpose: 'x',
      consultationOn: today(),
      legalTask: 'Wmo',
      link: { matchId },
    });
    // Free text that identifies (a BSN, a date) is refused, and not repeated in the answer.
    const problem = await refused('POST', '/case-consultations', a.headers, 422, 'invalid_input', {
      kind: 'anonymous',
      purpose: `Jan, BSN ${bsns[0]}, geboren 17-05-1980`,
      consultationOn: today(),
      legalTask: 'Wmo',
    });
    assert.ok(!JSON.stringify(problem).includes(bsns[0]!));
  });

  test('only participants see a consultation: a colleague, another organisation, a random id, staff — the same answer', async () => {
    const { matchId } = await matchOn();
    const view = await start(a.headers, identifying(matchId));
    assert.equal(view.yourRole, 'initiator');
    assert.equal(view.person?.name.familyName, 'Boer', 'the initiator sees their own client');
    const colleague = await t.colleague(a);
    const random = crypto.randomUUID();
    const notFound = await refused('GET', `/case-consultations/${random}`, a.headers, 404, 'not_found');
    for (const headers of [colleague.headers, b.headers, c.headers]) {
      const seen = await refused('GET', `/case-consultations/${view.id}`, headers, 404, 'not_found');
      assert.equal(seen.detail, notFound.detail);
      await refused('POST', `/case-consultations/${view.id}/meetings`, headers, 404, 'not_found', { heldOn: today() });
    }
    // A municipality administrator: the API refuses a staff key on a professional's route, for a real id as for a random one ...
    const adminReal = await call('GET', `/case-consultations/${view.id}`, t.adminHeaders);
    const adminRandom = await call('GET', `/case-consultations/${random}`, t.adminHeaders);
    assert.equal(adminReal.statusCode, adminRandom.statusCode);
    assert.equal(adminReal.json().code, adminRandom.json().code);
    // ... and the service gives staff the 404 of a random id.
    await assert.rejects(
      t.services.caseConsultations.get(t.admin, view.id),
      (e: { status: number; message: string }) => e.status === 404 && e.message === notFound.detail,
    );
    // Not taking part in the match: not found, as for a match that does not exist.
    await refused('POST', '/case-consultations', c.headers, 404, 'not_found', identifying(matchId));
    const denied = await database()
      .db.selectFrom('audit_events')
      .select('outcome')
      .where('event_type', '=', 'case_consultation.read')
      .where('resource_id', '=', view.id)
      .where('outcome', '=', 'not_found')
      .execute();
    assert.ok(denied.length >= 3, 'refused reads are audited');
  });

  test('a match participant takes part at once; one invited for this case only signs the declaration before seeing anything, or declines', async () => {
    const { matchId } = await matchOn();
    const started = await start(a.headers, identifying(matchId));
    const withB = await addB(started.id);
    assert.equal(participantOf(withB, 'match').state, 'active');
    const seenByB = await ok('GET', `/case-consultations/${started.id}`, b.headers);
    assert.equal(seenByB.yourRole, 'participant');
    assert.equal(seenByB.person, null, 'no person details before the basis is complete');
    assert.deepEqual(seenByB.consents, []);

    const withC = await ok('POST', `/case-consultations/${started.id}/participants`, a.headers, { professionalId: c.professionalId, legalTask: 'Schuldhulp' });
    assert.equal(participantOf(withC, 'invited').state, 'invited');
    await refused('GET', `/case-consultations/${started.id}`, c.headers, 403, 'declaration_required');
    const list = (await call('GET', '/case-consultations', c.headers)).json();
    const item = list.items.find((i: { id: string }) => i.id === started.id);
    assert.deepEqual(
      { purpose: item.purpose, yourRole: item.yourRole, declarationRequired: item.declarationRequired },
      {
        purpose: null,
        yourRole: 'invited',
        declarationRequired: true,
      },
    );
    const signed = await ok('POST', `/case-consultations/${started.id}/declaration`, c.headers, { confidentiality: true });
    assert.equal(signed.yourRole, 'participant');

    // Another invitation, declined: then the same 404 as anyone else.
    const d = await t.organisation();
    await ok('POST', `/case-consultations/${started.id}/participants`, a.headers, { professionalId: d.professionalId, legalTask: 'Onderwijs' });
    assert.equal((await call('POST', `/case-consultations/${started.id}/decline`, d.headers)).statusCode, 204);
    await refused('GET', `/case-consultations/${started.id}`, d.headers, 404, 'not_found');
    await refused('POST', `/case-consultations/${started.id}/declaration`, d.headers, 404, 'not_found', { confidentiality: true });

    // Only the initiator adds participants.
    await refused('POST', `/case-consultations/${started.id}/participants`, b.headers, 403, 'consultation_role', {
      professionalId: d.professionalId,
      legalTask: 'Onderwijs',
    });
  });

  test('a participant removed loses access at once', async () => {
    const { matchId } = await matchOn();
    const started = await start(a.headers, identifying(matchId));
    const withB = await addB(started.id);
    await ok('GET', `/case-consultations/${started.id}`, b.headers);
    await ok('DELETE', `/case-consultations/${started.id}/participants/${participantOf(withB, 'match').id}`, a.headers);
    await refused('GET', `/case-consultations/${started.id}`, b.headers, 404, 'not_found');
    const list = (await call('GET', '/case-consultations', b.headers)).json();
    assert.ok(!list.items.some((i: { id: string }) => i.id === started.id));
  });

  test('the age rules at the boundary dates: at 12 both consent, the day before the representative alone', async () => {
    // Born 2014-03-10: 12 today (2026-03-10), so both the young person and the representative.
    const twelve = await matchOn('2014-03-10', ['person', 'legal_representative']);
    const v12 = await start(a.headers, identifying(twelve.matchId));
    const p12 = participantOf(await addB(v12.id), 'match').id;
    const consent = (givenBy: string) => ({
      givenBy,
      givenOn: today(),
      method: 'in_writing',
      categories: ['involvement', 'contact_details'],
      participantIds: [p12],
    });
    const afterParent = await ok('POST', `/case-consultations/${v12.id}/consents`, a.headers, consent('legal_representative'));
    assert.deepEqual(afterParent.basis, { status: 'incomplete', requiredConsent: ['person', 'legal_representative'], missingConsent: ['person'] });
    await refused('POST', `/case-consultations/${v12.id}/meetings`, a.headers, 409, 'basis_incomplete', { heldOn: today() });
    const both = await ok('POST', `/case-consultations/${v12.id}/consents`, a.headers, consent('person'));
    assert.equal(both.basis.status, 'consent');
    assert.equal((await ok('POST', `/case-consultations/${v12.id}/meetings`, a.headers, { heldOn: today() })).meetings.length, 1);
    // Now b sees whom it is about.
    assert.equal((await ok('GET', `/case-consultations/${v12.id}`, b.headers)).person?.dateOfBirth, '2014-03-10');

    // Born 2014-03-11: still 11 today, so the representative alone suffices.
    const eleven = await matchOn('2014-03-11', ['legal_representative']);
    const v11 = await start(a.headers, identifying(eleven.matchId));
    const p11 = participantOf(await addB(v11.id), 'match').id;
    const onlyParent = await ok('POST', `/case-consultations/${v11.id}/consents`, a.headers, { ...consent('legal_representative'), participantIds: [p11] });
    assert.deepEqual(onlyParent.basis, { status: 'consent', requiredConsent: ['legal_representative'], missingConsent: [] });

    // Born 2010-03-10: 16 today, so the person alone; the representative's consent does not count.
    const sixteen = await matchOn('2010-03-10', ['person']);
    const v16 = await start(a.headers, identifying(sixteen.matchId));
    const p16 = participantOf(await addB(v16.id), 'match').id;
    const parent16 = await ok('POST', `/case-consultations/${v16.id}/consents`, a.headers, { ...consent('legal_representative'), participantIds: [p16] });
    assert.deepEqual(parent16.basis.missingConsent, ['person']);
  });

  test('no identifying consultation without consent or complete art. 9 reasoning; the ledger records the ground and the informing', async () => {
    const { matchId } = await matchOn();
    const started = await start(a.headers, identifying(matchId));
    const pb = participantOf(await addB(started.id), 'match').id;
    await refused('POST', `/case-consultations/${started.id}/meetings`, a.headers, 409, 'basis_incomplete', { heldOn: today() });
    await refused('POST', `/case-consultations/${started.id}/action-points`, a.headers, 409, 'basis_incomplete', {
      description: 'Huisbezoek plannen',
      assigneeId: pb,
      dueOn: today(),
    });
    // Each weighing question is required; the vital-interest ground needs the heavier motivation.
    const missingH = await refused(
      'POST',
      `/case-consultations/${started.id}/reasoning`,
      a.headers,
      422,
      'invalid_input',
      reasoning({ answers: { ...answers, h: '' } }),
    );
    assert.deepEqual(
      missingH.invalidParams.map((p: { name: string }) => p.name),
      ['answers.h'],
    );
    const vital = await refused(
      'POST',
      `/case-consultations/${started.id}/reasoning`,
      a.headers,
      422,
      'invalid_input',
      reasoning({ ground: 'vital_interest' }),
    );
    assert.deepEqual(
      vital.invalidParams.map((p: { name: string }) => p.name),
      ['vitalInterestMotivation'],
    );
    // Only the initiator records it.
    await refused('POST', `/case-consultations/${started.id}/reasoning`, b.headers, 403, 'consultation_role', reasoning());
    const reasoned = await ok('POST', `/case-consultations/${started.id}/reasoning`, a.headers, reasoning());
    assert.equal(reasoned.basis.status, 'without_consent');
    assert.equal((await ok('GET', `/case-consultations/${started.id}`, b.headers)).reasoning, null, 'the reasoning is for the initiator');

    // The ledger: without consent, when the client was informed or why not yet.
    const sharing = { participantId: pb, category: 'safety', purpose: 'Veiligheid afstemmen', sharedOn: today() };
    await refused('POST', `/case-consultations/${started.id}/sharings`, a.headers, 422, 'invalid_input', sharing);
    const shared = await ok('POST', `/case-consultations/${started.id}/sharings`, a.headers, { ...sharing, notYetInformedReason: 'safety_of_person' });
    assert.equal(shared.sharings[0]?.ground, 'without_consent');
    assert.equal((await ok('GET', `/case-consultations/${started.id}`, b.headers)).sharings.length, 1, 'b sees what went to b');
    // Informing: by the age rules, not after today.
    await refused('POST', `/case-consultations/${started.id}/informing`, a.headers, 422, 'invalid_input', {
      informed: ['legal_representative'],
      informedOn: today(),
      method: 'in_person',
    });
    await ok('POST', `/case-consultations/${started.id}/informing`, a.headers, { informed: ['person'], informedOn: today(), method: 'in_person' });

    // With consent: a category it does not name has no ground.
    const other = await matchOn();
    const withConsent = await start(a.headers, identifying(other.matchId));
    const pb2 = participantOf(await addB(withConsent.id), 'match').id;
    await ok('POST', `/case-consultations/${withConsent.id}/consents`, a.headers, {
      givenBy: 'person',
      givenOn: today(),
      method: 'digitally',
      categories: ['involvement'],
      participantIds: [pb2],
    });
    await refused('POST', `/case-consultations/${withConsent.id}/sharings`, a.headers, 409, 'no_ground', {
      ...sharing,
      participantId: pb2,
      category: 'health',
    });
    const onConsent = await ok('POST', `/case-consultations/${withConsent.id}/sharings`, a.headers, {
      ...sharing,
      participantId: pb2,
      category: 'involvement',
    });
    assert.equal(onConsent.sharings[0]?.ground, 'consent');
  });

  test('converting an anonymous consultation to an identifying one needs consent or the reasoning', async () => {
    const { matchId } = await matchOn();
    const anonymous = await start(a.headers, { kind: 'anonymous', purpose: 'Vraag over een gezin', consultationOn: today(), legalTask: 'Wmo' });
    await ok('POST', `/case-consultations/${anonymous.id}/participants`, a.headers, { professionalId: c.professionalId, legalTask: 'Schuldhulp' });
    await ok('POST', `/case-consultations/${anonymous.id}/declaration`, c.headers, { confidentiality: true });
    await refused('POST', `/case-consultations/${anonymous.id}/identify`, a.headers, 409, 'basis_incomplete', { link: { matchId } });
    const still = await sql<{ kind: string; person_key: unknown }>`select kind, person_key from case_consultations where id = ${anonymous.id}`.execute(
      database().db,
    );
    assert.deepEqual(still.rows[0], { kind: 'anonymous', person_key: null });
    await ok('POST', `/case-consultations/${anonymous.id}/reasoning`, a.headers, reasoning());
    const converted = await ok('POST', `/case-consultations/${anonymous.id}/identify`, a.headers, { link: { matchId } });
    assert.equal(converted.kind, 'identifying');
    assert.equal(converted.basis.status, 'without_consent');
  });

  test('action points are visible only to those they are for; participants hear of invitations, meetings and their action points', async () => {
    const { matchId } = await matchOn();
    const started = await start(a.headers, identifying(matchId));
    const pb = participantOf(await addB(started.id), 'match').id;
    await ok('POST', `/case-consultations/${started.id}/participants`, a.headers, { professionalId: c.professionalId, legalTask: 'Schuldhulp' });
    await ok('POST', `/case-consultations/${started.id}/declaration`, c.headers, { confidentiality: true });
    await ok('POST', `/case-consultations/${started.id}/reasoning`, a.headers, reasoning());
    const meeting = (await ok('POST', `/case-consultations/${started.id}/meetings`, a.headers, { heldOn: today() })).meetings[0]!;
    await refused('POST', `/case-consultations/${started.id}/action-points`, a.headers, 422, 'invalid_input', {
      description: 'Bellen op 06-12345678',
      assigneeId: pb,
      dueOn: today(),
    });
    const withPoint = await ok('POST', `/case-consultations/${started.id}/action-points`, a.headers, {
      description: 'Huisbezoek samen plannen',
      assigneeId: pb,
      dueOn: today(),
      meetingId: meeting.id,
    });
    const point = withPoint.actionPoints[0]!;
    assert.equal((await ok('GET', `/case-consultations/${started.id}`, b.headers)).actionPoints[0]?.yours, true);
    assert.deepEqual((await ok('GET', `/case-consultations/${started.id}`, c.headers)).actionPoints, [], 'c does not contribute to it');
    await refused('POST', `/case-consultations/${started.id}/action-points/${point.id}/done`, c.headers, 404, 'not_found');
    const done = await ok('POST', `/case-consultations/${started.id}/action-points/${point.id}/done`, b.headers);
    assert.ok(done.actionPoints.find((p) => p.id === point.id));
    // Attendance, by the initiator (or the chair), not by a participant.
    await refused('PUT', `/case-consultations/${started.id}/meetings/${meeting.id}/attendees`, b.headers, 403, 'consultation_role', { attendeeIds: [pb] });
    await ok('PUT', `/case-consultations/${started.id}/meetings/${meeting.id}/attendees`, a.headers, { attendeeIds: [pb, started.yourParticipantId] });

    const outbox = await sql<{ event_type: string; recipient_professional_id: string; payload: string }>`
      select event_type, recipient_professional_id, payload::text from outbox where payload->>'consultationId' = ${started.id} order by id`.execute(
      database().db,
    );
    const events = outbox.rows.map(
      (r) => `${r.event_type}:${r.recipient_professional_id === b.professionalId ? 'b' : r.recipient_professional_id === c.professionalId ? 'c' : '?'}`,
    );
    assert.deepEqual(events.sort(), [
      'case_consultation.action_point_assigned:b',
      'case_consultation.invited:b',
      'case_consultation.invited:c',
      'case_consultation.meeting_planned:b',
      'case_consultation.meeting_planned:c',
    ]);
    for (const row of outbox.rows) for (const word of ['Boer', ...bsns]) assert.ok(!row.payload.includes(word), 'ids only');

    // The mails say what happened and link to the consultation: nothing about the person, not even the purpose.
    while ((await t.services.dispatcher.dispatchBatch()).dispatched > 0);
    const mails = await sql<{ message: { to: string; subject: string; text: string; html: string } }>`
      select d.message from deliveries d join outbox o on o.id = d.outbox_id
       where d.channel = 'email' and o.payload->>'consultationId' = ${started.id}`.execute(database().db);
    assert.equal(mails.rows.length, 5);
    const invitation = mails.rows.find((m) => m.message.subject.includes('uitgenodigd'))!.message;
    assert.match(invitation.text, new RegExp(`/casusoverleggen/${started.id}`));
    for (const { message } of mails.rows) {
      for (const word of ['Boer', 'Coolsingel', '1980', 'Afstemmen van de hulp', 'Huisbezoek', ...bsns])
        assert.ok(!JSON.stringify(message).includes(word), word);
    }
  });

  test('figures for the municipality, cells under 5 suppressed; not for professionals', async () => {
    const figures = (await call('GET', `/case-consultation-figures?from=2026-03-01&to=${today()}`, t.adminHeaders)).json();
    assert.equal(figures.suppressBelow, 5);
    const march = figures.months.find((m: { month: string }) => m.month === '2026-03');
    assert.ok(march.consultations >= 5, JSON.stringify(march));
    for (const value of [march.withConsent, march.anonymous, march.withoutConsentOfficialConsulted]) assert.ok(value === null || value === 0 || value >= 5);
    assert.equal((await call('GET', `/case-consultation-figures?from=2026-03-01&to=${today()}`, a.headers)).statusCode, 403);
  });

  test('every read and change is audited, with the person as subject for identifying ones and none for anonymous ones', async () => {
    const { matchId } = await matchOn();
    const started = await start(a.headers, identifying(matchId));
    await addB(started.id);
    await ok('GET', `/case-consultations/${started.id}`, b.headers);
    const events = await database()
      .db.selectFrom('audit_events')
      .select(['event_type', 'subject_key'])
      .where('resource_id', '=', started.id)
      .orderBy('id')
      .execute();
    assert.deepEqual(
      events.map((e) => e.event_type),
      // Starting answers with the consultation, a read; a change's answer is covered by the change's own event.
      ['case_consultation.started', 'case_consultation.read', 'case_consultation.participant_added', 'case_consultation.read'],
    );
    assert.ok(events.every((e) => e.subject_key !== null));
    const anonymous = await start(a.headers, { kind: 'anonymous', purpose: 'Anoniem bespreken', consultationOn: today(), legalTask: 'Wmo' });
    const anonymousEvents = await database().db.selectFrom('audit_events').select('subject_key').where('resource_id', '=', anonymous.id).execute();
    assert.ok(anonymousEvents.length > 0 && anonymousEvents.every((e) => e.subject_key === null));
  });

  test('closed, then deleted for good after the retention period by the sweep, leaving only the audit trail', async () => {
    const { matchId } = await matchOn();
    const started = await start(a.headers, identifying(matchId));
    const pb = participantOf(await addB(started.id), 'match').id;
    await ok('POST', `/case-consultations/${started.id}/reasoning`, a.headers, reasoning());
    await ok('POST', `/case-consultations/${started.id}/meetings`, a.headers, { heldOn: today() });
    await ok('POST', `/case-consultations/${started.id}/action-points`, a.headers, { description: 'Plan maken', assigneeId: pb, dueOn: today() });
    await refused('POST', `/case-consultations/${started.id}/close`, b.headers, 403, 'consultation_role', { outcome: 'plan_agreed' });
    const closed = await ok('POST', `/case-consultations/${started.id}/close`, a.headers, { outcome: 'plan_agreed' });
    assert.equal(closed.state, 'closed');
    assert.equal(closed.deleteAfter?.slice(0, 10), '2027-03-10');
    await refused('POST', `/case-consultations/${started.id}/meetings`, a.headers, 409, 'consultation_closed', { heldOn: today() });

    const count = async (table: string) =>
      Number(
        (
          await sql<{
            n: number;
          }>`select count(*)::int as n from ${sql.table(table)} where ${sql.ref(table === 'case_consultations' ? 'id' : 'consultation_id')} = ${started.id}`.execute(
            database().db,
          )
        ).rows[0]!.n,
      );
    t.clock.advance(364 * 86_400_000);
    assert.equal((await t.services.jobs.runOnce()).purgedCaseConsultations, 0, 'not before the period is over');
    t.clock.advance(2 * 86_400_000);
    assert.equal((await t.services.jobs.runOnce()).purgedCaseConsultations, 1);
    for (const table of ['case_consultations', ...consultationTables]) assert.equal(await count(table), 0, table);
    await refused('GET', `/case-consultations/${started.id}`, a.headers, 404, 'not_found');
    const trail = await database().db.selectFrom('audit_events').select('event_type').where('resource_id', '=', started.id).execute();
    assert.ok(trail.some((e) => e.event_type === 'case_consultation.purged'));
    assert.ok(trail.some((e) => e.event_type === 'case_consultation.started'));
  });

  test('no BSN or person data in any log line', () => {
    const text = log.text();
    assert.ok(text.length > 0);
    assert.deepEqual(leakedIn(text, bsns), [], 'no BSN in the log');
    for (const word of ['Boer', 'Coolsingel', '1980-05-17', '2014-03-10', 'Afweging bij vraag']) assert.ok(!text.includes(word), word);
  });
});
