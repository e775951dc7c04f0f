/**
 * The escalation officer's pages (/regie), the follow-up figures, the staff pages
 * (/beheer/medewerkers) and the coordination settings (/beheer/instellingen/regie), through the
 * real pages with inject, on PGlite and PostgreSQL: what each shows, what each changes, and who is
 * refused.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { ProfessionalActor, StaffRole } from '../../shared/actor.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, showsWord, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import {
  assertAnonymousSentToSignIn,
  assertConfirmation,
  createWebAccount,
  type InjectSession,
  signInByInject,
  webAdministrator,
  webProfessional,
} from '../../test-support/web.ts';

const actorOf = (o: TestOrganisation): ProfessionalActor => ({
  kind: 'professional',
  professionalId: o.professionalId,
  organisationId: o.id,
  apiClientId: null,
  requestId: 'test',
});

async function staffMember(t: TestApp, roles: StaffRole[], name = 'Fatima Functionaris') {
  const member = await t.services.staff.create(t.admin, { name, email: `staff-${randomUUID()}@gemeente.example` });
  await t.services.db.updateTable('staff_members').set({ roles }).where('id', '=', member.id).execute();
  return { staffMemberId: member.id, account: await createWebAccount(t, { staffMemberId: member.id }) };
}

async function matchOf(t: TestApp, a: TestOrganisation, b: TestOrganisation, bsn = randomBsn()) {
  const signal = async (o: TestOrganisation) => {
    const result = await t.services.signals.file(actorOf(o), adultSignal(bsn));
    assert.equal(result.outcome, 'created');
    return result.outcome === 'created' ? result.answer : undefined!;
  };
  const first = await signal(a);
  const second = await signal(b);
  return { bsn, matchId: second.match!.id, signalA: first.signal.id, signalB: second.signal.id };
}

const coordinationEvents = async (t: TestApp, matchId: string, action: string) =>
  (await t.services.db.selectFrom('outbox').select(['payload', 'recipient_professional_id']).where('event_type', '=', 'coordination.changed').execute())
    .map((r) => ({
      ...((typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload) as { matchId: string; action: string }),
      recipient: r.recipient_professional_id,
    }))
    .filter((p) => p.matchId === matchId && p.action === action);

describeOnEachDatabase('the escalation officer pages', (database) => {
  let t: TestApp;
  let a: TestOrganisation;
  let b: TestOrganisation;
  let c: TestOrganisation;
  let escalated: Awaited<ReturnType<typeof matchOf>>;
  let stalled: Awaited<ReturnType<typeof matchOf>>;
  let officer: InjectSession;
  let admin: InjectSession;
  let officerId: string;

  before(async () => {
    t = await createTestApp(database());
    a = await t.organisation('Wijkteam Noord');
    b = await t.organisation('GGZ Rijnmond');
    c = await t.organisation('Jeugdhulp Zuid');
    escalated = await matchOf(t, a, b);
    await t.services.coordination.act(actorOf(a), escalated.matchId, { action: 'escalate', reason: 'no_agreement' });
    stalled = await matchOf(t, a, c);
    // Five more matches in March that got a coordinator at once: enough for a median.
    for (let i = 0; i < 5; i++) {
      const m = await matchOf(t, b, c);
      await t.services.coordination.act(actorOf(c), m.matchId, { action: 'take' });
    }
    // Eight days later (six working days): past half of the ten working days, not escalated yet.
    t.clock.advance(8 * 86_400_000);
    const made = await staffMember(t, ['escalation_officer']);
    officerId = made.staffMemberId;
    officer = await signInByInject(t, made.account);
    admin = await signInByInject(t, await webAdministrator(t));
  });
  after(async () => t.close());

  test('the work list shows the escalated match first, then the stalled one, with no person data', async () => {
    const page = await officer.get('/regie');
    assert.equal(page.statusCode, 200);
    const escalatedAt = page.body.indexOf(`/regie/matches/${escalated.matchId}`);
    const stalledAt = page.body.indexOf(`/regie/matches/${stalled.matchId}`);
    assert.ok(escalatedAt > 0 && stalledAt > escalatedAt, 'escalated first, then stalled');
    assert.match(page.body, /De betrokkenen komen niet tot afspraken/);
    assert.match(page.body, /Nog geen regisseur/);
    assert.match(page.body, /2 professionals/);
    assert.match(page.body, /10 maart 2026/);
    for (const secret of [escalated.bsn, stalled.bsn, 'Boer', 'Coolsingel', '1980']) assert.ok(!showsWord(page.body, secret), secret);
    assert.match(page.body, /href="\/regie" aria-current="page">Werklijst/);
    assert.match(page.body, /href="\/regie\/opvolging"/);
    const audited = await t.services.db
      .selectFrom('audit_events')
      .select('id')
      .where('event_type', '=', 'coordination.worklist_read')
      .where('actor_id', '=', officerId)
      .execute();
    assert.ok(audited.length >= 1);
  });

  test('an officer-only staff member starts at the work list', async () => {
    const home = await officer.get('/beheer');
    assert.equal(home.statusCode, 303);
    assert.equal(home.headers.location, '/regie');
    const start = await officer.get('/');
    assert.equal(start.statusCode, 303);
  });

  test('the match shows contacts, contact made and history, never the person', async () => {
    const page = await officer.get(`/regie/matches/${escalated.matchId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Professional of Wijkteam Noord/);
    assert.match(page.body, /Professional of GGZ Rijnmond/);
    assert.match(page.body, /href="mailto:p-/);
    assert.match(page.body, /href="tel:0100000000"/);
    assert.match(page.body, /Nog niet vastgelegd/);
    assert.match(page.body, /Opgeschaald naar de functionaris/);
    assert.match(page.body, /Professional of Wijkteam Noord \(Wijkteam Noord\)/);
    assert.match(page.body, /Regisseur aanwijzen/);
    assert.match(page.body, /Opschaling afsluiten/);
    for (const secret of [escalated.bsn, 'Boer', 'Coolsingel', '3011', '1980', 'dossier 1']) assert.ok(!showsWord(page.body, secret), secret);
    assert.equal((await officer.get(`/regie/matches/${randomUUID()}`)).statusCode, 404);
    assert.equal((await officer.get('/regie/matches/not-a-match')).statusCode, 404);
    // A stalled match: visible, but nothing to do yet.
    const quiet = await officer.get(`/regie/matches/${stalled.matchId}`);
    assert.equal(quiet.statusCode, 200);
    assert.match(quiet.body, /nog niet opgeschaald/);
    assert.ok(!quiet.body.includes('/regisseur"'));
  });

  test('appoint a coordinator: shown on the page, the participants hear of it, audited', async () => {
    const missing = await officer.post(`/regie/matches/${escalated.matchId}/regisseur`, {});
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /href="#deelnemer"/);
    const stranger = await officer.post(`/regie/matches/${escalated.matchId}/regisseur`, { deelnemer: randomUUID() });
    assert.equal(stranger.statusCode, 409);
    assert.match(stranger.body, /niet \(meer\) betrokken/);

    const appointed = await officer.post(`/regie/matches/${escalated.matchId}/regisseur`, { deelnemer: escalated.signalB });
    assert.equal(appointed.statusCode, 303);
    const page = await officer.get(appointed.headers.location!);
    assert.match(page.body, /De regisseur is aangewezen/);
    assert.match(page.body, /<dt class="utrecht-data-list__item-key">Regisseur<\/dt>\s*<dd[^>]*>Professional of GGZ Rijnmond/);
    assert.match(page.body, /Regisseur aangewezen door de functionaris/);
    const events = await coordinationEvents(t, escalated.matchId, 'appoint');
    assert.deepEqual(events.map((e) => e.recipient).sort(), [a.professionalId, b.professionalId].sort());
    const audit = await t.services.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'coordination.changed')
      .where('actor_id', '=', officerId)
      .execute();
    assert.equal(audit.length, 1);
  });

  test('resolve with an outcome', async () => {
    const missing = await officer.post(`/regie/matches/${escalated.matchId}/afsluiten`, { uitkomst: 'weg-ermee' });
    assert.equal(missing.statusCode, 422);
    assert.match(missing.body, /href="#uitkomst"/);
    const resolved = await officer.post(`/regie/matches/${escalated.matchId}/afsluiten`, { uitkomst: 'coordinator_appointed' });
    assert.equal(resolved.statusCode, 303);
    const page = await officer.get(resolved.headers.location!);
    assert.match(page.body, /De opschaling is afgesloten/);
    assert.match(page.body, /Opschaling afgesloten/);
    assert.match(page.body, /Er is een regisseur/);
    assert.ok(!page.body.includes('action="/regie/matches/'));
    const again = await officer.post(`/regie/matches/${escalated.matchId}/afsluiten`, { uitkomst: 'other' });
    assert.equal(again.statusCode, 409);
    assert.match(again.body, /al afgesloten/);
    assert.equal((await coordinationEvents(t, escalated.matchId, 'resolve')).length, 2);
    const list = await officer.get('/regie');
    assert.ok(!list.body.includes(`/regie/matches/${escalated.matchId}`), 'a resolved match leaves the work list (neither escalated nor stalled)');
  });

  test('the follow-up view: per month, small cells suppressed, for the officer and the administrator', async () => {
    const page = await officer.get('/regie/opvolging?van=2026-02&tot=2026-03');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /februari 2026/);
    assert.match(page.body, /maart 2026/);
    assert.match(page.body, /minder dan 5/);
    assert.match(page.body, /Zulke kleine aantallen tonen we niet/);
    const march = /<tr class="utrecht-table__row"><td[^>]*>maart 2026<\/td>(.*?)<\/tr>/.exec(page.body)?.[1] ?? '';
    const cells = [...march.matchAll(/<td[^>]*>(.*?)<\/td>/g)].map((m) => m[1]!.replace(/<[^>]+>/g, ''));
    // matches, with coordinator, days to coordinator, with contact, days to contact, escalated
    assert.deepEqual(cells, ['7', '6', '0 dagen', '0', '—', 'minder dan 5']);
    const adminView = await admin.get('/regie/opvolging');
    assert.equal(adminView.statusCode, 200);
    assert.match(adminView.body, /href="\/regie\/opvolging" aria-current="page">Opvolging/);
    assert.ok(!adminView.body.includes('href="/regie">'), 'no work list for an administrator without the role');
    const wrong = await officer.get('/regie/opvolging?van=2026-03&tot=2026-01');
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /id="foutmeldingen"/);
    assert.match(wrong.body, /href="#tot"/);
    const overview = await admin.get('/beheer');
    assert.match(overview.body, /href="\/regie\/opvolging"/);
    assert.match(overview.body, /href="\/beheer\/medewerkers"/);
  });

  test('every page and form: anonymous to sign in; professionals and administrators without the role refused; nothing changes', async () => {
    const other = await matchOf(t, b, c);
    await t.services.coordination.act(actorOf(b), other.matchId, { action: 'escalate', reason: 'other' });
    const pages = ['/regie', `/regie/matches/${other.matchId}`, '/regie/opvolging'];
    const forms: [string, Record<string, string>][] = [
      [`/regie/matches/${other.matchId}/regisseur`, { deelnemer: other.signalA }],
      [`/regie/matches/${other.matchId}/afsluiten`, { uitkomst: 'other' }],
    ];
    const snapshot = async () => JSON.stringify(await t.services.db.selectFrom('coordinations').selectAll().where('match_id', '=', other.matchId).execute());
    const before = await snapshot();

    await assertAnonymousSentToSignIn(t, pages, forms);
    const professional = await signInByInject(t, await webProfessional(t, b));
    const coordinator = await signInByInject(t, await webProfessional(t, c, { coordinator: true }));
    for (const [who, session] of [
      ['professional', professional],
      ['coordinator', coordinator],
      ['administrator', admin],
    ] as const) {
      for (const url of pages) {
        if (who === 'administrator' && url === '/regie/opvolging') continue;
        const response = await session.get(url);
        assert.equal(response.statusCode, 403, `${who} ${url}`);
        assert.match(response.body, /Geen toegang/);
        assert.ok(!response.body.includes('mailto:'), `${who} ${url}`);
      }
      for (const [url, fields] of forms) {
        const response = await session.post(url, fields);
        assert.equal(response.statusCode, 403, `${who} ${url}`);
      }
    }
    assert.equal((await professional.get('/regie/opvolging')).statusCode, 403);
    assert.equal(await snapshot(), before, 'nothing changed');
    // The officer may not use the administrator's pages.
    for (const url of ['/beheer/medewerkers', '/beheer/instellingen/regie', '/beheer/organisaties'])
      assert.equal((await officer.get(url)).statusCode, 403, url);
    assert.equal((await officer.post('/beheer/medewerkers', { naam: 'X', email: 'x@example.nl', rollen: 'municipality_admin' })).statusCode, 403);
    assert.equal((await officer.post(`/beheer/medewerkers/${officerId}`, { rollen: 'municipality_admin' })).statusCode, 403);
    assert.equal((await officer.post('/beheer/instellingen/regie', { 'geen-regisseur': '1', 'geen-contact': '1' })).statusCode, 403);
    for (const url of ['/beheer/medewerkers', '/beheer/instellingen/regie']) {
      assert.equal((await professional.get(url)).statusCode, 403, url);
      const anonymous = await t.app.inject({ method: 'GET', url });
      assert.equal(anonymous.statusCode, 303, url);
    }
  });

  test('appointing: a professional of an organisation that may only signal is not offered, and refused', async () => {
    const school = await t.organisation('Basisschool De Regenboog');
    await t.services.covenants.setTerms(t.admin, school.covenantId, { mayCoordinate: false });
    const m = await matchOf(t, school, c);
    await t.services.coordination.act(actorOf(school), m.matchId, { action: 'escalate', reason: 'no_coordinator' });
    const page = await officer.get(`/regie/matches/${m.matchId}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Alleen signaleren/);
    assert.ok(page.body.includes(`name="deelnemer" value="${m.signalB}"`));
    assert.ok(!page.body.includes(`name="deelnemer" value="${m.signalA}"`), 'the school is not offered');
    assert.match(page.body, /alleen signaleert, staan hier niet bij/);
    const refused = await officer.post(`/regie/matches/${m.matchId}/regisseur`, { deelnemer: m.signalA });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /werkt bij een organisatie die volgens het convenant alleen signaleert/);
    // When nobody may coordinate, the officer is told so and can only close the escalation.
    await t.services.covenants.setTerms(t.admin, c.covenantId, { mayCoordinate: false });
    try {
      const nobody = await officer.get(`/regie/matches/${m.matchId}`);
      assert.doesNotMatch(nobody.body, /name="deelnemer"/);
      assert.match(nobody.body, /Geen van de betrokken organisaties neemt volgens het convenant de regie/);
      assert.match(nobody.body, /Opschaling afsluiten/);
    } finally {
      await t.services.covenants.setTerms(t.admin, c.covenantId, { mayCoordinate: true });
    }
  });

  test("staff: add an escalation officer, who gets an invitation; change roles, audited; not one's own admin role", async () => {
    const list = await admin.get('/beheer/medewerkers');
    assert.equal(list.statusCode, 200);
    assert.match(list.body, /Fatima Functionaris/);
    assert.match(list.body, /Functionaris opschaling/);
    assert.match(list.body, /href="\/beheer\/medewerkers" aria-current="page">Medewerkers/);

    const invalid = await admin.post('/beheer/medewerkers', { naam: '', email: 'geen-adres' });
    assert.equal(invalid.statusCode, 422);
    for (const id of ['naam', 'email', 'rollen']) assert.match(invalid.body, new RegExp(`href="#${id}"`));

    const email = `Olaf.${randomUUID().slice(0, 8)}@Gemeente.example`;
    const added = await admin.post('/beheer/medewerkers', { naam: 'Olaf Opschaling', email, rollen: 'escalation_officer' });
    assert.equal(added.statusCode, 303);
    const member = await t.services.db.selectFrom('staff_members').selectAll().where('email', '=', email.toLowerCase()).executeTakeFirstOrThrow();
    assert.deepEqual(member.roles, ['escalation_officer']);
    const account = await t.services.db.selectFrom('web_accounts').selectAll().where('staff_member_id', '=', member.id).executeTakeFirstOrThrow();
    assert.equal(account.password_hash, null);
    // Web staff sign in to the pages: no API token is made for them; the creation is audited as such.
    assert.equal((await t.services.db.selectFrom('api_clients').select('id').where('staff_member_id', '=', member.id).execute()).length, 0);
    const created = await t.services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event_type', '=', 'staff.created')
      .where('resource_id', '=', member.id)
      .execute();
    assert.equal(created.length, 1);
    assert.equal(created[0]!.actor_id, t.admin.staffMemberId);
    const mail = await t.services.db.selectFrom('dev_mailbox').selectAll().where('to_address', '=', email.toLowerCase()).executeTakeFirstOrThrow();
    assert.match(mail.text_body, /wachtwoord\/instellen\?link=/);
    const shown = await admin.get(added.headers.location!);
    assert.match(shown.body, /Olaf Opschaling/);
    assert.match(shown.body, /Uitgenodigd/);
    const duplicate = await admin.post('/beheer/medewerkers', { naam: 'Nog een Olaf', email, rollen: 'escalation_officer' });
    assert.equal(duplicate.statusCode, 409);
    assert.match(duplicate.body, /bestaat al/);
    assert.equal(
      (await t.services.db.selectFrom('staff_members').select('id').where('name', '=', 'Nog een Olaf').execute()).length,
      0,
      'the refused member left nothing behind',
    );
    // An address already used by a professional's web account is refused the same way, and the transaction leaves no staff member.
    const professionalEmail = (
      await t.services.db.selectFrom('web_accounts').select('email').where('professional_id', 'is not', null).executeTakeFirstOrThrow()
    ).email;
    const taken = await admin.post('/beheer/medewerkers', { naam: 'Dubbele Dirk', email: professionalEmail, rollen: 'escalation_officer' });
    assert.equal(taken.statusCode, 409);
    assert.match(taken.body, /bestaat al/);
    assert.equal(
      (await t.services.db.selectFrom('staff_members').select('id').where('name', '=', 'Dubbele Dirk').execute()).length,
      0,
      'no staff member without its account',
    );

    const rolesPage = await admin.get(`/beheer/medewerkers/${member.id}`);
    assert.equal(rolesPage.statusCode, 200);
    const none = await admin.post(`/beheer/medewerkers/${member.id}`, {});
    assert.equal(none.statusCode, 422);
    assert.match(none.body, /href="#rollen"/);
    const changed = await admin.post(`/beheer/medewerkers/${member.id}`, { rollen: ['municipality_admin', 'escalation_officer'] });
    assert.equal(changed.statusCode, 303);
    const after = await t.services.db.selectFrom('staff_members').select('roles').where('id', '=', member.id).executeTakeFirstOrThrow();
    assert.deepEqual([...after.roles].sort(), ['escalation_officer', 'municipality_admin']);
    const audited = await t.services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event_type', '=', 'staff.roles_changed')
      .where('resource_id', '=', member.id)
      .execute();
    assert.equal(audited.length, 1);
    assert.equal(audited[0]!.actor_id, t.admin.staffMemberId);

    const own = await admin.post(`/beheer/medewerkers/${t.admin.staffMemberId}`, { rollen: 'escalation_officer' });
    assert.equal(own.statusCode, 422);
    assert.match(own.body, /eigen rol als functioneel beheerder/);
    const mine = await t.services.db.selectFrom('staff_members').select('roles').where('id', '=', t.admin.staffMemberId).executeTakeFirstOrThrow();
    assert.deepEqual(mine.roles, ['municipality_admin']);
    assert.equal((await admin.get(`/beheer/medewerkers/${randomUUID()}`)).statusCode, 404);
  });

  test('deactivating a staff member who leaves: a confirmation page first; then no sign-in, no API token, no session; audited; never oneself', async () => {
    const created = await t.services.staff.create(t.admin, { name: 'Vera Vertrekt', email: `vera-${randomUUID()}@gemeente.example` });
    const account = await createWebAccount(t, { staffMemberId: created.id });
    const vera = await signInByInject(t, account);
    const api = () => t.app.inject({ method: 'GET', url: '/api/v1/audit-events?limit=1', headers: { authorization: `Bearer ${created.token}` } });
    assert.equal((await vera.get('/beheer')).statusCode, 200);
    assert.equal((await api()).statusCode, 200);
    const url = `/beheer/medewerkers/${created.id}/deactiveren`;
    assert.ok((await admin.get(`/beheer/medewerkers/${created.id}`)).body.includes(`href="${url}"`), 'offered on the member’s page');

    // Not for the officer, nor anonymous; the confirmation page changes nothing.
    for (const response of [await officer.get(url), await officer.post(url)]) assert.equal(response.statusCode, 403);
    const confirm = await admin.get(url);
    assert.equal(confirm.statusCode, 200);
    assertConfirmation(confirm.body, url, `/beheer/medewerkers/${created.id}`);
    assert.match(confirm.body, /Vera Vertrekt kan niet meer inloggen en wordt op alle apparaten direct uitgelogd/);
    assert.equal((await vera.get('/beheer')).statusCode, 200, 'still signed in after the confirmation page');
    assert.equal((await api()).statusCode, 200, 'the API token still works after the confirmation page');

    const done = await admin.post(url);
    assert.equal(done.statusCode, 303);
    assert.equal(done.headers.location, `/beheer/medewerkers/${created.id}?klaar=gedeactiveerd`);
    assert.match((await admin.get(done.headers.location!)).body, /Vera Vertrekt is gedeactiveerd/);
    const row = await t.services.db.selectFrom('staff_members').select('active').where('id', '=', created.id).executeTakeFirstOrThrow();
    assert.equal(row.active, false);
    const signedOut = await vera.get('/beheer');
    assert.equal(signedOut.statusCode, 303);
    assert.match(signedOut.headers.location!, /^\/inloggen/);
    const sessions = await t.services.db
      .selectFrom('web_sessions')
      .select('end_reason')
      .where('account_id', '=', account.accountId)
      .where('stage', '=', 'signed_in')
      .execute();
    assert.ok(sessions.length > 0 && sessions.every((s) => s.end_reason === 'deactivated'));
    assert.equal((await api()).statusCode, 401, 'the API token is revoked');
    const audited = await t.services.db
      .selectFrom('audit_events')
      .select(['event_type', 'actor_id'])
      .where('event_type', 'in', ['staff.deactivated', 'web.account_deactivated', 'api_client.revoked'])
      .where('resource_id', 'in', [created.id, account.accountId])
      .execute();
    assert.deepEqual(audited.map((e) => e.event_type).sort(), ['staff.deactivated', 'web.account_deactivated']);
    assert.ok(audited.every((e) => e.actor_id === t.admin.staffMemberId));
    assert.match((await admin.get('/beheer/medewerkers')).body, /Vera Vertrekt[\s\S]*?Gedeactiveerd/);

    // Done already: the page says so without a button; posting again finds nothing to do.
    const again = await admin.get(url);
    assert.match(again.body, /Vera Vertrekt is al gedeactiveerd/);
    assert.doesNotMatch(again.body, new RegExp(`<form method="post" action="${url}"`));
    assert.equal((await admin.post(url)).statusCode, 404);
    // Never oneself; a wrong id is "Niet gevonden".
    const ownUrl = `/beheer/medewerkers/${t.admin.staffMemberId}/deactiveren`;
    for (const response of [await admin.get(ownUrl), await admin.post(ownUrl)]) {
      assert.equal(response.statusCode, 409);
      assert.match(response.body, /U kunt uzelf niet deactiveren/);
    }
    assert.equal(
      (await t.services.db.selectFrom('staff_members').select('active').where('id', '=', t.admin.staffMemberId).executeTakeFirstOrThrow()).active,
      true,
    );
    for (const wrong of [randomUUID(), 'geen-id']) assert.equal((await admin.post(`/beheer/medewerkers/${wrong}/deactiveren`)).statusCode, 404);
    assert.equal((await admin.get(`/beheer/medewerkers/${randomUUID()}/deactiveren`)).statusCode, 404);
  });

  test('coordination settings: saved, and invalid values in the error summary', async () => {
    const page = await admin.get('/beheer/instellingen/regie');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /1e keus/);
    assert.match(page.body, /9e keus/);
    assert.match((await admin.get('/beheer/instellingen')).body, /href="\/beheer\/instellingen\/regie"/);

    const invalid = await admin.post('/beheer/instellingen/regie', {
      'geen-regisseur': '61',
      'geen-contact': 'tien',
      'keus-1': 'youth_care',
      'keus-2': 'youth_care',
      'keus-3': 'brandweer',
    });
    assert.equal(invalid.statusCode, 422);
    for (const id of ['geen-regisseur', 'geen-contact', 'keus-2', 'keus-3']) assert.match(invalid.body, new RegExp(`href="#${id}"`));
    assert.ok(!invalid.body.includes('href="#keus-1"'));
    assert.equal((await t.services.settings.reload()).escalateNoCoordinatorWorkingDays, 10);

    const saved = await admin.post('/beheer/instellingen/regie', {
      'geen-regisseur': '5',
      'geen-contact': '0',
      'keus-1': 'youth_care',
      'keus-2': '',
      'keus-3': 'education',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/beheer/instellingen/regie?klaar=opgeslagen');
    const settings = await t.services.settings.reload();
    assert.equal(settings.escalateNoCoordinatorWorkingDays, 5);
    assert.equal(settings.escalateNoContactWorkingDays, 0);
    assert.deepEqual(settings.coordinatorDomainPriority, ['youth_care', 'education']);
    const shown = await admin.get(saved.headers.location!);
    assert.match(shown.body, /zijn opgeslagen/);
    assert.match(shown.body, /<option value="youth_care" selected>Jeugdhulp<\/option>/);
    const audited = await t.services.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'settings.updated')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.match(JSON.stringify(audited.details), /coordinatorDomainPriority/);
    const unchanged = await admin.post('/beheer/instellingen/regie', {
      'geen-regisseur': '5',
      'geen-contact': '0',
      'keus-1': 'youth_care',
      'keus-2': 'education',
    });
    assert.equal(unchanged.headers.location, '/beheer/instellingen/regie?klaar=ongewijzigd');
  });
});
