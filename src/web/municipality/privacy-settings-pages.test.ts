/**
 * The privacy statement: defaults true for SluiS and clear placeholders on /privacy, the parts the
 * administrator fills in on /beheer/instellingen/privacy or through the settings API, retention from
 * the lifetime settings, and the refusals; on both databases.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { createTestApp, type TestApp } from '../../test-support/fixtures.ts';
import {
  assertAnonymousSentToSignIn,
  createWebAccount,
  type InjectSession,
  signInByInject,
  webAdministrator,
  webProfessional,
} from '../../test-support/web.ts';

/** The text of a page, without its tags. */
const textOf = (html: string) =>
  html
    .replace(/<[^>]+>/g, ' ')
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

describeOnEachDatabase('the privacy statement', (database) => {
  let t: TestApp;
  let admin: InjectSession;
  before(async () => {
    t = await createTestApp(database());
    admin = await signInByInject(t, await webAdministrator(t));
  });
  after(() => t.close());

  const privacy = async () => {
    const page = await t.app.inject({ method: 'GET', url: '/privacy' });
    assert.equal(page.statusCode, 200);
    return { html: page.body, text: textOf(page.body) };
  };

  test('before anything is filled in: defaults that are true for SluiS, and placeholders where only the municipality can say it', async () => {
    const { text, html } = await privacy();
    assert.match(text, /Gemeente Voorbeeld is verantwoordelijk voor SluiS/);
    assert.equal([...text.matchAll(/Nog niet ingevuld/g)].length, 2, 'contact and data protection officer');
    assert.match(text, /De gemeente vult hier nog haar adres, telefoonnummer en e-mailadres/);
    assert.match(text, /Professionals die u helpen, weten vaak niet van elkaar/);
    assert.match(text, /Een signaal is hoogstens 2 jaar actief/);
    assert.match(text, /nog 5 jaar bewaard als geschiedenis/);
    assert.match(text, /bewaart SluiS zonder einddatum/);
    assert.match(text, /Bent u 23 jaar of ouder, dan vraagt de professional eerst uw toestemming/);
    for (const right of ['Inzage', 'Een kopie', 'Correctie', 'Verwijdering', 'Beperking', 'Bezwaar', 'Een eigen verklaring'])
      assert.match(text, new RegExp(right));
    assert.match(text, /artikel 15 tot en met 22/);
    assert.match(text, /binnen vier weken/);
    assert.match(html, /href="https:\/\/autoriteitpersoonsgegevens\.nl"/);
  });

  test('retention and the age rules follow the lifetime settings', async () => {
    const previous = await t.services.settings.reload();
    await t.services.settings.update(t.admin, { regime: 'youth', signalLifetimeMonths: 18, historyRetentionMonths: 0, auditRetentionMonths: 84 });
    try {
      const { text } = await privacy();
      assert.match(text, /Een signaal is hoogstens 18 maanden actief, en nooit langer dan tot de 23e verjaardag van de persoon\. De professional/);
      assert.match(text, /Daarna wordt het meteen voorgoed verwijderd/);
      assert.match(text, /bewaart SluiS 7 jaar/);
      assert.match(text, /SluiS is er voor kinderen en jongeren tot 23 jaar/);
      assert.doesNotMatch(text, /23 jaar of ouder/);
    } finally {
      await t.services.settings.update(t.admin, {
        regime: previous.regime,
        signalLifetimeMonths: previous.signalLifetimeMonths,
        historyRetentionMonths: previous.historyRetentionMonths,
        auditRetentionMonths: previous.auditRetentionMonths,
      });
    }
  });

  test('the administrator fills in the statement on its settings page; /privacy shows it, escaped; emptied, the placeholders return', async () => {
    const settingsPage = await admin.get('/beheer/instellingen');
    assert.match(settingsPage.body, /href="\/beheer\/instellingen\/privacy"/);
    const form = await admin.get('/beheer/instellingen/privacy');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /Nog niet ingevuld/);

    const wrong = await admin.post('/beheer/instellingen/privacy', {
      verantwoordelijke: 'x'.repeat(301),
      contact: 'Stadhuis',
      'meer-informatie': 'http://www.voorbeeld.nl/privacy',
    });
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /id="foutmeldingen"/);
    assert.match(wrong.body, /href="#verantwoordelijke"/);
    assert.match(wrong.body, /href="#meer-informatie"/);
    assert.match(wrong.body, />Stadhuis<\/textarea>/, 'what was typed stays');
    assert.deepEqual((await t.services.settings.reload()).privacyStatement, {}, 'nothing saved');

    const saved = await admin.post('/beheer/instellingen/privacy', {
      verantwoordelijke: 'Het college van burgemeester en wethouders van Voorbeeld',
      contact: 'Stadhuis, Coolsingel 40, 3011 AD Voorbeeld\r\nTelefoon 14 010\r\n\r\nOf mail naar <privacy@voorbeeld.nl>',
      functionaris: 'fg@voorbeeld.nl',
      doelen: '',
      'meer-informatie': 'https://www.voorbeeld.nl/privacy',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/beheer/instellingen/privacy?klaar=opgeslagen');
    assert.deepEqual((await t.services.settings.reload()).privacyStatement, {
      controller: 'Het college van burgemeester en wethouders van Voorbeeld',
      contact: 'Stadhuis, Coolsingel 40, 3011 AD Voorbeeld\nTelefoon 14 010\n\nOf mail naar <privacy@voorbeeld.nl>',
      dataProtectionOfficer: 'fg@voorbeeld.nl',
      moreInformationUrl: 'https://www.voorbeeld.nl/privacy',
    });
    const audited = await t.services.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'settings.updated')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(audited.details, { changed: 'privacyStatement' });

    const { html, text } = await privacy();
    assert.match(text, /Het college van burgemeester en wethouders van Voorbeeld is verantwoordelijk/);
    assert.match(html, /Stadhuis, Coolsingel 40, 3011 AD Voorbeeld\nTelefoon 14 010<\/p>/, 'line breaks kept');
    assert.match(html, /Of mail naar &lt;privacy@voorbeeld\.nl&gt;/, 'escaped like all text');
    assert.match(text, /fg@voorbeeld\.nl/);
    assert.match(html, /href="https:\/\/www\.voorbeeld\.nl\/privacy"/);
    assert.match(text, /Professionals die u helpen/, 'an empty purpose keeps the default');
    assert.doesNotMatch(text, /Nog niet ingevuld/);

    const same = await admin.post('/beheer/instellingen/privacy', {
      verantwoordelijke: 'Het college van burgemeester en wethouders van Voorbeeld',
      contact: 'Stadhuis, Coolsingel 40, 3011 AD Voorbeeld\nTelefoon 14 010\n\nOf mail naar <privacy@voorbeeld.nl>',
      functionaris: 'fg@voorbeeld.nl',
      'meer-informatie': 'https://www.voorbeeld.nl/privacy',
    });
    assert.equal(same.headers.location, '/beheer/instellingen/privacy?klaar=ongewijzigd');

    assert.equal((await admin.post('/beheer/instellingen/privacy', {})).statusCode, 303);
    assert.deepEqual((await t.services.settings.reload()).privacyStatement, {});
    assert.equal([...(await privacy()).text.matchAll(/Nog niet ingevuld/g)].length, 2);
  });

  test('through the settings API as well; wrong parts are refused and change nothing', async () => {
    const patch = (body: unknown, headers = t.adminHeaders) => t.app.inject({ method: 'PATCH', url: '/api/v1/settings', headers, payload: body as object });
    const ok = await patch({ privacyStatement: { contact: 'Bel 14 010', purposes: 'Samenwerken rond inwoners.' } });
    assert.equal(ok.statusCode, 200, ok.body);
    assert.deepEqual(ok.json().privacyStatement, { contact: 'Bel 14 010', purposes: 'Samenwerken rond inwoners.' });
    assert.match((await privacy()).text, /Samenwerken rond inwoners\./);
    for (const wrong of [
      { privacyStatement: { contact: '' } },
      { privacyStatement: { moreInformationUrl: 'http://voorbeeld.nl' } },
      { privacyStatement: { moreInformationUrl: 'javascript:alert(1)' } },
      { privacyStatement: { controller: 'x'.repeat(301) } },
      { privacyStatement: { phone: '14 010' } },
    ]) {
      const refused = await patch(wrong);
      assert.equal(refused.statusCode, 422, JSON.stringify(wrong));
    }
    assert.deepEqual((await t.services.settings.reload()).privacyStatement, { contact: 'Bel 14 010', purposes: 'Samenwerken rond inwoners.' });
    await patch({ privacyStatement: {} });
  });

  test('only an administrator edits the statement; everyone reads it', async () => {
    const member = await t.services.staff.create(t.admin, { name: 'Fatima Functionaris', email: `staff-${randomUUID()}@gemeente.example` });
    await t.services.db
      .updateTable('staff_members')
      .set({ roles: ['escalation_officer'] })
      .where('id', '=', member.id)
      .execute();
    const officer = await signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
    const professional = await signInByInject(t, await webProfessional(t, await t.organisation()));
    for (const session of [officer, professional]) {
      assert.equal((await session.get('/beheer/instellingen/privacy')).statusCode, 403);
      assert.equal((await session.post('/beheer/instellingen/privacy', { contact: 'Gehackt' })).statusCode, 403);
      assert.equal((await session.get('/privacy')).statusCode, 200);
    }
    await assertAnonymousSentToSignIn(t, ['/beheer/instellingen/privacy'], [['/beheer/instellingen/privacy', { contact: 'Gehackt' }]]);
    const organisation = await t.organisation();
    const refused = await t.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: organisation.headers,
      payload: { privacyStatement: { contact: 'Gehackt' } },
    });
    assert.equal(refused.statusCode, 403);
    assert.deepEqual((await t.services.settings.reload()).privacyStatement, {}, 'nothing changed');
  });
});
