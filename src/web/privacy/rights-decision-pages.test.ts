/**
 * Carrying out a decision through the pages, with app.inject on both databases: the privacy officer
 * corrects the person details and adds the person's own statement from the request's page; the
 * professional's signal page shows the corrected name and "Verklaring van de persoon"; a
 * professional and an escalation officer are refused the steps.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Bsn } from '../../persons/bsn.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../../test-support/fixtures.ts';
import { createWebAccount, dateBoxes, signInByInject, webProfessional } from '../../test-support/web.ts';

describeOnEachDatabase('carrying out a decision (pages)', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(() => t.close());

  const staffSession = async (roles: ('privacy_officer' | 'escalation_officer')[]) => {
    const member = await t.services.staff.create(t.admin, { name: 'Medewerker', email: `m-${randomUUID()}@gemeente.example`, roles });
    return signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
  };
  const grantedRequest = async (bsn: string, kind: string) => {
    const created = await t.app.inject({
      method: 'POST',
      url: '/api/v1/rights-requests',
      headers: t.adminHeaders,
      payload: {
        person: { identifiedBy: 'bsn', bsn, dateOfBirth: '1980-05-17' },
        kind,
        receivedOn: '2026-03-10',
        through: 'person',
        requester: 'person',
        identityCheck: 'id_document_seen',
      },
    });
    const id = created.json().id as string;
    await t.app.inject({
      method: 'POST',
      url: `/api/v1/rights-requests/${id}/decision`,
      headers: t.adminHeaders,
      payload: { decision: 'granted', reasons: [], decidedOn: '2026-03-10' },
    });
    return `/privacy/verzoeken/${id}`;
  };

  test('a privacy officer corrects the details and adds the statement; the professional sees both on their signal page', async () => {
    const org = await t.organisation();
    const bsn = randomBsn();
    const filed = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: adultSignal(bsn) });
    const signalId = filed.json().signal.id as string;
    const web = await staffSession(['privacy_officer']);

    const correction = await grantedRequest(bsn, 'correction');
    const form = await web.get(correction);
    assert.match(form.body, /Persoonsgegevens verbeteren/);
    const half = await web.post(`${correction}/uitvoeren`, { voornamen: 'Johannes' });
    assert.equal(half.statusCode, 422, 'a name needs given names and a family name');
    assert.match(half.body, /Controleer wat u invulde/);
    const corrected = await web.post(`${correction}/uitvoeren`, { voornamen: 'Johannes', achternaam: 'Bakker', ...dateBoxes('geboortedatum', '1980-05-18') });
    assert.equal(corrected.statusCode, 303, corrected.body);
    assert.match((await web.get(correction)).body, /Besluit uitgevoerd/);
    assert.equal((await web.post(`${correction}/uitvoeren`, { voornamen: 'Jan', achternaam: 'Boer' })).statusCode, 422, 'once');

    const statement = await grantedRequest(bsn, 'own_statement');
    assert.match((await web.get(statement)).body, /Verklaring van de persoon/);
    assert.equal((await web.post(`${statement}/uitvoeren`, { verklaring: 'Ik wil dat mijn huisarts eerst wordt gebeld.' })).statusCode, 303);

    const professional = await signInByInject(t, await webProfessional(t, org));
    const page = await professional.get(`/signalen/${signalId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Johannes Bakker/);
    assert.match(page.body, /18 mei 1980/);
    assert.match(page.body, /Verklaring van de persoon/);
    assert.match(page.body, /Ik wil dat mijn huisarts eerst wordt gebeld\./);
  });

  test('a professional and an escalation officer are refused carrying out and lifting', async () => {
    const org = await t.organisation();
    const bsn = randomBsn();
    await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: adultSignal(bsn) });
    const restriction = await grantedRequest(bsn, 'restriction');
    const professional = await signInByInject(t, await webProfessional(t, org));
    const officer = await staffSession(['escalation_officer']);
    for (const session of [professional, officer]) {
      assert.equal((await session.post(`${restriction}/uitvoeren`)).statusCode, 403);
      assert.equal((await session.post(`${restriction}/beperking-opheffen`)).statusCode, 403);
    }
    const person = await t.services.db
      .selectFrom('persons')
      .select('restricted_at')
      .where('person_key', '=', t.services.crypto.personKey(Bsn.parse(bsn)!))
      .executeTakeFirstOrThrow();
    assert.equal(person.restricted_at, null);
  });
});
