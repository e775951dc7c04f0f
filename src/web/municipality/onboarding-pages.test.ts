/**
 * Bringing in a new organisation from the administrator's pages, on both databases: inviting its
 * first coordinator by mail, making an existing professional coordinator (who is invited at once),
 * inviting again when a link expired, and each professional's account state. Every new page and form
 * is refused to anonymous visitors, professionals (coordinators too) and staff without the
 * administrator's role, and to another organisation's professional; refusals change nothing.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import type { StaffRole } from '../../shared/actor.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, rowCounts, type TestApp } from '../../test-support/fixtures.ts';
import {
  assertAnonymousSentToSignIn,
  cookiesOf,
  createWebAccount,
  csrfIn,
  type InjectSession,
  signInByInject,
  webAdministrator,
  webProfessional,
} from '../../test-support/web.ts';

const FORM = { 'content-type': 'application/x-www-form-urlencoded' };
const LINK = /https?:\/\/[^\s"<]+\/wachtwoord\/instellen\?link=([A-Za-z0-9_-]+)/;

describeOnEachDatabase('bringing in a new organisation (administrator pages)', (database) => {
  let t: TestApp;
  let admin: InjectSession;
  let adminAccount: Awaited<ReturnType<typeof webAdministrator>>;
  before(async () => {
    t = await createTestApp(database());
    adminAccount = await webAdministrator(t);
    admin = await signInByInject(t, adminAccount);
  });
  after(async () => t.close());

  /** A new organisation as the administrator adds it: no professionals; with a covenant unless told otherwise. */
  async function newOrganisation(options: { covenant?: boolean } = {}) {
    const organisation = await t.services.organisations.create(t.admin, { name: `Jeugdzorg ${randomUUID().slice(0, 8)}`, domains: ['youth_care'] });
    if (options.covenant !== false) await t.services.covenants.start(t.admin, organisation.id, { startsOn: '2026-03-01' });
    return organisation;
  }

  const mailsTo = (email: string) =>
    t.services.db.selectFrom('dev_mailbox').select(['subject', 'text_body']).where('to_address', '=', email).orderBy('id').execute();

  async function choosePassword(token: string) {
    const page = await t.app.inject({ method: 'GET', url: `/wachtwoord/instellen?link=${token}` });
    if (page.statusCode !== 200) return page;
    return t.app.inject({
      method: 'POST',
      url: '/wachtwoord/instellen',
      headers: { ...FORM, cookie: cookiesOf(page.headers['set-cookie']).join('; ') },
      payload: new URLSearchParams({ _csrf: csrfIn(page.body), link: token, wachtwoord: 'een lang wachtwoord voor de coordinator' }).toString(),
    });
  }

  async function staffSession(roles: StaffRole[]) {
    const member = await t.services.staff.create(t.admin, { name: 'Olaf Opschaling', email: `staff-${randomUUID()}@gemeente.example` });
    await t.services.db.updateTable('staff_members').set({ roles }).where('id', '=', member.id).execute();
    return signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
  }

  test('a new organisation asks for its first coordinator; the invitation creates an invited account and mails a one-time link', async () => {
    const organisation = await newOrganisation();
    const page = await admin.get(`/beheer/organisaties/${organisation.id}`);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Nog geen coördinator/);
    assert.match(page.body, new RegExp(`href="/beheer/organisaties/${organisation.id}/coordinator-uitnodigen"`));

    const form = await admin.get(`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Uitnodiging versturen/);
    const invalid = await admin.post(`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`, { naam: '', email: 'geen-adres', telefoon: 'bel me' });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /<title>Fout: /);
    for (const field of ['naam', 'email', 'telefoon']) assert.match(invalid.body, new RegExp(`href="#${field}"`));
    assert.match(invalid.body, /value="bel me"/, 'what was typed is kept');

    const email = `Coordinator.${randomUUID().slice(0, 8)}@Jeugdzorg.example`;
    const sent = await admin.post(`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`, {
      naam: 'Ilse Jansen',
      email,
      telefoon: '010 765 4321',
      functie: 'Teamleider',
    });
    assert.equal(sent.statusCode, 303);
    const [professional] = await t.services.professionals.list(t.admin, organisation.id);
    assert.ok(professional);
    assert.equal(sent.headers.location, `/beheer/organisaties/${organisation.id}?klaar=uitgenodigd&wie=${professional.id}`);
    assert.deepEqual(
      [professional.name, professional.email, professional.coordinator, professional.webAccount, professional.jobTitle],
      ['Ilse Jansen', email.toLowerCase(), true, 'invited', 'Teamleider'],
    );
    assert.equal(professional.invitationExpiresAt?.toISOString(), new Date(t.clock.now().getTime() + 7 * 24 * 3_600_000).toISOString());

    const after = await admin.get(sent.headers.location!);
    assert.match(after.body, /Ilse Jansen is uitgenodigd/);
    assert.match(after.body, /Uitgenodigd/);
    assert.match(after.body, /Link geldig tot/);
    assert.doesNotMatch(after.body, /Nog geen coördinator/);

    const [mail, ...more] = await mailsTo(email.toLowerCase());
    assert.equal(more.length, 0);
    assert.equal(mail!.subject, 'Uw account voor SluiS');
    assert.match(mail!.text_body, new RegExp(`U bent coördinator van ${organisation.name} in SluiS`));
    assert.match(mail!.text_body, LINK);

    const audit = await t.services.db
      .selectFrom('audit_events')
      .select(['event_type', 'actor_type', 'actor_id', 'organisation_id', 'resource_id'])
      .where('organisation_id', '=', organisation.id)
      .where('event_type', 'in', ['professional.created', 'web.account_invited'])
      .orderBy('id')
      .execute();
    assert.deepEqual(
      audit.map((e) => e.event_type),
      ['professional.created', 'web.account_invited'],
    );
    assert.equal(audit[0]!.resource_id, professional.id);
    for (const event of audit) {
      assert.equal(event.actor_type, 'staff');
      assert.equal(event.actor_id, t.admin.staffMemberId);
      assert.equal(event.organisation_id, organisation.id);
    }

    // The link works once: the coordinator chooses a password and the account is active.
    const chosen = await choosePassword(LINK.exec(mail!.text_body)![1]!);
    assert.equal(chosen.statusCode, 200);
    assert.match(chosen.body, /Wachtwoord opgeslagen/);
    const [active] = await t.services.professionals.list(t.admin, organisation.id);
    assert.equal(active!.webAccount, 'active');
    const list = await admin.get(`/beheer/organisaties/${organisation.id}`);
    assert.doesNotMatch(list.body, /Opnieuw uitnodigen/);
    const refused = await admin.post(`/beheer/organisaties/${organisation.id}/professionals/${active!.id}/uitnodigen`);
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /heeft al een account met een wachtwoord/);
    assert.equal((await mailsTo(email.toLowerCase())).length, 1);
  });

  test('an invitation that expired is sent again; the old link no longer works, the new one does', async () => {
    const organisation = await newOrganisation();
    const email = `later-${randomUUID().slice(0, 8)}@jeugdzorg.example`;
    await admin.post(`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`, { naam: 'Kees Later', email, telefoon: '010 111 2222' });
    const [professional] = await t.services.professionals.list(t.admin, organisation.id);
    t.clock.advance(8 * 24 * 3_600_000);
    admin = await signInByInject(t, adminAccount); // the session ended long ago
    const page = await admin.get(`/beheer/organisaties/${organisation.id}`);
    assert.match(page.body, /Link verlopen: nodig opnieuw uit/);
    assert.match(page.body, /Opnieuw uitnodigen<span class="sluis-visually-hidden">: Kees Later/);

    const again = await admin.post(`/beheer/organisaties/${organisation.id}/professionals/${professional!.id}/uitnodigen`);
    assert.equal(again.statusCode, 303);
    assert.match((await admin.get(again.headers.location!)).body, /Kees Later is uitgenodigd/);
    const [first, second] = await mailsTo(email);
    assert.ok(first && second);
    assert.equal((await choosePassword(LINK.exec(first.text_body)![1]!)).statusCode, 410);
    assert.equal((await choosePassword(LINK.exec(second.text_body)![1]!)).statusCode, 200);
    const event = await t.services.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'web.account_invited')
      .where('organisation_id', '=', organisation.id)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(typeof event.details === 'string' ? JSON.parse(event.details) : event.details, {
      professional: professional!.id,
      again: true,
      coordinator: true,
    });
  });

  test('making a professional registered through the API coordinator invites them at once; taking it away sends nothing', async () => {
    const organisation = await newOrganisation();
    const registered = await t.app.inject({
      method: 'POST',
      url: `/api/v1/organisations/${organisation.id}/professionals`,
      headers: t.adminHeaders,
      payload: { name: 'Mila de Wit', email: `mila-${randomUUID().slice(0, 8)}@jeugdzorg.example`, phone: '010 222 3333' },
    });
    assert.equal(registered.statusCode, 201);
    const { id, email } = registered.json();
    const page = await admin.get(`/beheer/organisaties/${organisation.id}`);
    assert.match(page.body, /Geen account/);
    assert.match(page.body, /Maak coördinator en nodig uit<span class="sluis-visually-hidden">: Mila de Wit/);

    const made = await admin.post(`/beheer/organisaties/${organisation.id}/professionals/${id}/coordinator`, { coordinator: 'ja' });
    assert.equal(made.statusCode, 303);
    assert.match((await admin.get(made.headers.location!)).body, /Mila de Wit is nu coördinator en krijgt een uitnodiging/);
    assert.equal((await mailsTo(email)).length, 1);
    const off = await admin.post(`/beheer/organisaties/${organisation.id}/professionals/${id}/coordinator`, { coordinator: 'nee' });
    assert.equal(off.statusCode, 303);
    const on = await admin.post(`/beheer/organisaties/${organisation.id}/professionals/${id}/coordinator`, { coordinator: 'ja' });
    assert.equal(on.headers.location, `/beheer/organisaties/${organisation.id}?klaar=coordinator&wie=${id}`, 'already invited: no second mail');
    assert.equal((await mailsTo(email)).length, 1);
  });

  test('without an active covenant nobody is invited: the form says to start the covenant first, and a post changes nothing', async () => {
    const organisation = await newOrganisation({ covenant: false });
    const page = await admin.get(`/beheer/organisaties/${organisation.id}`);
    assert.match(page.body, /Start eerst het convenant/);
    assert.doesNotMatch(page.body, /coordinator-uitnodigen/);
    const form = await admin.get(`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`);
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Eerst het convenant/);
    assert.doesNotMatch(form.body, /Uitnodiging versturen/);
    const before = await rowCounts(t.services.db);
    const post = await admin.post(`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`, {
      naam: 'Te Vroeg',
      email: `vroeg-${randomUUID().slice(0, 8)}@jeugdzorg.example`,
      telefoon: '010 333 4444',
    });
    assert.equal(post.statusCode, 409);
    assert.match(post.body, /Eerst het convenant/);
    const afterCounts = await rowCounts(t.services.db);
    assert.deepEqual({ ...afterCounts, audit_events: 0, web_sessions: 0 }, { ...before, audit_events: 0, web_sessions: 0 });
  });

  test('an address already used: by a professional of the organisation, or by another web account', async () => {
    const organisation = await newOrganisation();
    const email = `dubbel-${randomUUID().slice(0, 8)}@jeugdzorg.example`;
    await t.services.professionals.create(t.admin, organisation.id, { name: 'Al Aanwezig', email, phone: '010 444 5555' });
    const same = await admin.post(`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`, { naam: 'Dubbel', email, telefoon: '010 444 5555' });
    assert.equal(same.statusCode, 409);
    assert.match(same.body, /href="#email">Deze organisatie heeft al een professional met dit e-mailadres/);

    const other = await t.organisation();
    const account = await webProfessional(t, other);
    const elsewhere = await admin.post(`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`, {
      naam: 'Elders Bekend',
      email: account.email,
      telefoon: '010 444 5555',
    });
    assert.equal(elsewhere.statusCode, 409);
    assert.match(elsewhere.body, /href="#email">Met dit e-mailadres bestaat al een account in SluiS/);
    assert.deepEqual(
      (await t.services.professionals.list(t.admin, organisation.id)).map((p) => p.name),
      ['Al Aanwezig'],
    );
  });

  test('refused to anonymous visitors, professionals, coordinators and escalation officers; another organisation’s professional is not found', async () => {
    const organisation = await newOrganisation();
    const other = await t.organisation();
    const professional = await t.services.professionals.create(t.admin, organisation.id, {
      name: 'Zonder Account',
      email: `zonder-${randomUUID().slice(0, 8)}@jeugdzorg.example`,
      phone: '010 555 6666',
    });
    const pages = [`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`];
    const invite = { naam: 'Indringer', email: `indringer-${randomUUID().slice(0, 8)}@example.nl`, telefoon: '010 000 0000' };
    const forms: [string, Record<string, string>][] = [
      [`/beheer/organisaties/${organisation.id}/coordinator-uitnodigen`, invite],
      [`/beheer/organisaties/${organisation.id}/professionals/${professional.id}/uitnodigen`, {}],
      [`/beheer/organisaties/${organisation.id}/professionals/${professional.id}/coordinator`, { coordinator: 'ja' }],
    ];
    const sessions = [
      await signInByInject(t, await webProfessional(t, other)),
      await signInByInject(t, await webProfessional(t, await t.organisation(), { coordinator: true })),
      await staffSession(['escalation_officer']),
    ];
    const before = await rowCounts(t.services.db);
    await assertAnonymousSentToSignIn(t, pages, forms);
    for (const session of sessions) {
      for (const url of pages) assert.equal((await session.get(url)).statusCode, 403, url);
      for (const [url, fields] of forms) assert.equal((await session.post(url, fields)).statusCode, 403, url);
    }
    // The administrator, with another organisation in the path: not found.
    assert.equal((await admin.post(`/beheer/organisaties/${other.id}/professionals/${professional.id}/uitnodigen`)).statusCode, 404);
    assert.equal((await admin.post(`/beheer/organisaties/${other.id}/professionals/${professional.id}/coordinator`, { coordinator: 'ja' })).statusCode, 404);
    assert.equal((await admin.get('/beheer/organisaties/niet-een-id/coordinator-uitnodigen')).statusCode, 404);

    const afterCounts = await rowCounts(t.services.db);
    assert.deepEqual({ ...afterCounts, audit_events: 0 }, { ...before, audit_events: 0 }, 'refusals write nothing but audit records');
    const row = await t.services.db.selectFrom('professionals').select('coordinator').where('id', '=', professional.id).executeTakeFirstOrThrow();
    assert.equal(row.coordinator, false);
    assert.equal((await t.services.professionals.list(t.admin, organisation.id))[0]!.webAccount, 'none');
    assert.equal(await t.services.db.selectFrom('dev_mailbox').select('id').where('to_address', '=', invite.email).executeTakeFirst(), undefined);
  });
});
