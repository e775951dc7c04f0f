import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Bsn } from '../../persons/bsn.ts';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, showsWord, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
import {
  assertAnonymousSentToSignIn,
  assertConfirmation,
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
const orgIdIn = (location: string | undefined) => /\/beheer\/organisaties\/([0-9a-f-]{36})/.exec(location ?? '')?.[1] ?? '';

/** Valid values for every field of the settings form (the defaults, as the form shows them). */
const SETTINGS_FORM = {
  regime: 'all_ages',
  looptijd: '24',
  bewaartermijn: '60',
  'audit-bewaartermijn': '0',
  'casusoverleg-bewaartermijn': '12',
  'verzoeken-bewaartermijn': '24',
  'binnen-organisatie': 'nee',
  gezinsmatch: 'ja',
  'gezinsmatch-leeftijd': '23',
  'gezinsmatch-ouder': 'nee',
  adresmatch: 'nee',
  ongeboren: 'nee',
  mail: 'full',
  vooraankondiging: '28',
  verlenging: '',
  'informeren-opvolging': '14',
  pogingen: '12',
  'sessie-inactief': '15',
  'sessie-maximaal': '12',
  gemeentenaam: 'Gemeente Voorbeeld',
  logo: '',
  'kleur-hoofd': '#154273',
  'kleur-tekst': '#ffffff',
};

describeOnEachDatabase('the administrator pages', (database) => {
  let t: TestApp;
  let admin: InjectSession;
  before(async () => {
    t = await createTestApp(database());
    admin = await signInByInject(t, await webAdministrator(t));
  });
  after(async () => t.close());

  test('the overview shows counts only', async () => {
    const page = await admin.get('/beheer');
    assert.equal(page.statusCode, 200);
    for (const label of ['Organisaties', 'Actieve convenanten', 'Actieve signalen', 'Open matches', 'Mislukte berichten'])
      assert.match(page.body, new RegExp(label));
    assert.match(page.body, /href="\/beheer\/mailbox"/);
  });

  test('create an organisation, start its covenant, suspend, resume and end it with a reason, toggle a coordinator', async () => {
    const invalid = await admin.post('/beheer/organisaties/nieuw', { naam: '', website: 'ftp://x' });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /id="foutmeldingen"/);
    assert.match(invalid.body, /href="#naam"/);
    assert.match(invalid.body, /href="#domeinen"/);
    assert.match(invalid.body, /href="#website"/);

    const name = `Woonstichting ${Date.now()}`;
    const created = await admin.post('/beheer/organisaties/nieuw', {
      naam: name,
      domeinen: ['housing', 'welfare'],
      omschrijving: 'Huurwoningen',
      criteria: 'Bij huurachterstand',
      website: 'https://woon.example',
      telefoon: '010 123 4567',
      email: 'Info@Woon.example',
    });
    assert.equal(created.statusCode, 303);
    const id = orgIdIn(created.headers.location);
    const view = await t.services.organisations.get(id);
    assert.deepEqual(view.domains, ['housing', 'welfare']);
    assert.equal(view.email, 'info@woon.example');
    assert.equal(view.covenantStatus, 'none');
    const duplicate = await admin.post('/beheer/organisaties/nieuw', { naam: name, domeinen: 'housing' });
    assert.equal(duplicate.statusCode, 409);
    assert.match(duplicate.body, /Er is al een organisatie met deze naam/);

    const page = await admin.get(created.headers.location!);
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /De organisatie is toegevoegd/);
    assert.match(page.body, /Geen convenant/);
    assert.match(page.body, /Convenant starten/);
    const listed = await admin.get('/beheer/organisaties?naam=Woonstichting&domein=housing');
    assert.match(listed.body, new RegExp(name));

    // The start date is three boxes (day, month, year); a wrong one comes back as typed, with the reason.
    const noSuchDay = await admin.post(`/beheer/organisaties/${id}/convenant`, { kenmerk: 'CONV-2026-1', ingangsdatum: '31', 'ingangsdatum-maand': '4' });
    assert.equal(noSuchDay.statusCode, 422);
    assert.match(noSuchDay.body, /href="#ingangsdatum"/);
    assert.match(noSuchDay.body, /Vul de ingangsdatum helemaal in: het jaar ontbreekt\./);
    assert.match(noSuchDay.body, /<input[^>]*id="ingangsdatum"[^>]*value="31"/);
    assert.match(noSuchDay.body, /<input[^>]*id="ingangsdatum-maand"[^>]*value="4"/);
    assert.equal((await t.services.covenants.list(id)).length, 0);
    assert.equal((await admin.post(`/beheer/organisaties/${id}/convenant`, { kenmerk: 'CONV-2026-1', ingangsdatum: '' })).statusCode, 303);
    const [covenant] = await t.services.covenants.list(id);
    assert.equal(covenant!.status, 'active');
    assert.equal(covenant!.startsOn, '2026-03-10');
    assert.equal(covenant!.reference, 'CONV-2026-1');
    const twice = await admin.post(`/beheer/organisaties/${id}/convenant`, { kenmerk: 'again' });
    assert.equal(twice.statusCode, 409);

    const noReason = await admin.post(`/beheer/organisaties/${id}/convenant/${covenant!.id}/opschorten`, { reden: '' });
    assert.equal(noReason.statusCode, 422);
    assert.match(noReason.body, /href="#reden-opschorten"/);
    assert.equal((await t.services.covenants.list(id))[0]!.status, 'active');
    assert.equal((await admin.post(`/beheer/organisaties/${id}/convenant/${covenant!.id}/opschorten`, { reden: 'Afspraken niet nagekomen' })).statusCode, 303);
    assert.equal((await t.services.covenants.list(id))[0]!.status, 'suspended');
    assert.equal((await t.services.covenants.list(id))[0]!.statusReason, 'Afspraken niet nagekomen');
    const notAllowed = await admin.post(`/beheer/organisaties/${id}/convenant/${covenant!.id}/opschorten`, { reden: 'nog eens' });
    assert.equal(notAllowed.statusCode, 409);
    assert.equal((await admin.post(`/beheer/organisaties/${id}/convenant/${covenant!.id}/hervatten`, { reden: 'Weer in orde' })).statusCode, 303);
    assert.equal((await t.services.covenants.list(id))[0]!.status, 'active');
    // Ending cannot be undone: the organisation page links to a confirmation page; neither it nor a post without a reason changes anything.
    const endUrl = `/beheer/organisaties/${id}/convenant/${covenant!.id}/beeindigen`;
    const withCovenant = await admin.get(`/beheer/organisaties/${id}`);
    assert.ok(withCovenant.body.includes(`href="${endUrl}"`));
    assert.doesNotMatch(withCovenant.body, new RegExp(`<form method="post" action="${endUrl}"`), 'no button on the organisation page that ends it at once');
    const confirmEnd = await admin.get(endUrl);
    assert.equal(confirmEnd.statusCode, 200);
    assertConfirmation(confirmEnd.body, endUrl, `/beheer/organisaties/${id}`);
    assert.match(confirmEnd.body, /Een beëindigd convenant kan niet worden hervat/);
    const endWithoutReason = await admin.post(endUrl, { reden: '' });
    assert.equal(endWithoutReason.statusCode, 422);
    assert.match(endWithoutReason.body, /href="#reden-beeindigen"/);
    assertConfirmation(endWithoutReason.body, endUrl, `/beheer/organisaties/${id}`);
    assert.equal((await t.services.covenants.list(id))[0]!.status, 'active');
    assert.equal((await admin.post(endUrl, { reden: 'Organisatie stopt' })).statusCode, 303);
    assert.equal((await t.services.covenants.list(id))[0]!.status, 'ended');
    const types = (await t.services.db.selectFrom('audit_events').select('event_type').where('organisation_id', '=', id).execute()).map((e) => e.event_type);
    for (const type of ['organisation.created', 'covenant.started', 'covenant.suspended', 'covenant.resumed', 'covenant.ended'])
      assert.ok(types.includes(type), type);

    const edited = await admin.post(`/beheer/organisaties/${id}/bewerken`, { naam: `${name} (nieuw)`, domeinen: 'housing', omschrijving: 'Anders' });
    assert.equal(edited.statusCode, 303);
    assert.equal((await t.services.organisations.get(id)).name, `${name} (nieuw)`);

    const professional = await t.services.professionals.create(t.admin, id, {
      name: 'Petra Pieters',
      email: `petra-${Date.now()}@woon.example`,
      phone: '010 1',
    });
    assert.match((await admin.get(`/beheer/organisaties/${id}`)).body, /Petra Pieters/);
    const flag = async () =>
      (await t.services.db.selectFrom('professionals').select('coordinator').where('id', '=', professional.id).executeTakeFirstOrThrow()).coordinator;
    // The covenant ended: a coordinator could not sign in, so she is not made one (nor invited).
    const refused = await admin.post(`/beheer/organisaties/${id}/professionals/${professional.id}/coordinator`, { coordinator: 'ja' });
    assert.equal(refused.statusCode, 409);
    assert.match(refused.body, /Start eerst het convenant/);
    assert.equal(await flag(), false);
    assert.equal((await admin.post(`/beheer/organisaties/${id}/convenant`, { kenmerk: 'CONV-2026-2' })).statusCode, 303);
    const made = await admin.post(`/beheer/organisaties/${id}/professionals/${professional.id}/coordinator`, { coordinator: 'ja' });
    assert.equal(made.statusCode, 303);
    assert.equal(made.headers.location, `/beheer/organisaties/${id}?klaar=coordinator-uitgenodigd&wie=${professional.id}`);
    assert.equal(await flag(), true);
    assert.match((await admin.get(`/beheer/organisaties/${id}`)).body, /Geen coördinator meer/);
    const other = await t.organisation();
    assert.equal((await admin.post(`/beheer/organisaties/${other.id}/professionals/${professional.id}/coordinator`, { coordinator: 'nee' })).statusCode, 404);
    assert.equal(await flag(), true);
    assert.equal((await admin.post(`/beheer/organisaties/${id}/professionals/${professional.id}/coordinator`, { coordinator: 'nee' })).statusCode, 303);
    assert.equal(await flag(), false);
    assert.equal((await admin.get('/beheer/organisaties/niet-een-id')).statusCode, 404);
    assert.equal((await admin.get('/beheer/organisaties/00000000-0000-4000-8000-000000000000')).statusCode, 404);
  });

  test('settings: all in one form; an unreadable colour pair is refused with the error summary', async () => {
    const page = await admin.get('/beheer/instellingen');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Looptijd van een signaal/);
    assert.match(page.body, /value="#154273"/);

    const before = await t.services.settings.reload();
    const refused = await admin.post('/beheer/instellingen', {
      ...SETTINGS_FORM,
      'kleur-hoofd': '#ffff00',
      'kleur-tekst': '#ffffff',
      looptijd: '500',
      'casusoverleg-bewaartermijn': '0',
    });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /id="foutmeldingen"/);
    assert.match(refused.body, /href="#kleur-tekst"[^>]*>De tekstkleur is op de hoofdkleur slecht leesbaar/);
    assert.match(refused.body, /href="#kleur-hoofd"/);
    assert.match(refused.body, /href="#looptijd"/);
    assert.match(
      refused.body,
      /href="#casusoverleg-bewaartermijn"[^>]*>De bewaartermijn van een afgesloten casusoverleg moet een heel getal zijn van 1 tot en met 120 maanden/,
    );
    assert.match(refused.body, /<title>Fout: instellingen/);
    assert.equal((await t.services.settings.reload()).version, before.version);

    const saved = await admin.post('/beheer/instellingen', {
      ...SETTINGS_FORM,
      regime: 'youth',
      looptijd: '18',
      'audit-bewaartermijn': '84',
      'casusoverleg-bewaartermijn': '6',
      mail: 'link_only',
      'binnen-organisatie': 'ja',
      gemeentenaam: 'Gemeente Rotterdam',
      'kleur-hoofd': '#00811f',
      logo: 'https://www.rotterdam.example/logo.svg',
    });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, '/beheer/instellingen?klaar=opgeslagen');
    const after = await t.services.settings.reload();
    assert.equal(after.regime, 'youth');
    assert.equal(after.signalLifetimeMonths, 18);
    assert.equal(after.auditRetentionMonths, 84);
    assert.equal(after.caseConsultationRetentionMonths, 6);
    assert.equal(after.mailMode, 'link_only');
    assert.equal(after.matchWithinOrganisation, true);
    assert.deepEqual(after.theme, {
      municipalityName: 'Gemeente Rotterdam',
      primaryColor: '#00811f',
      primaryTextColor: '#ffffff',
      logoUrl: 'https://www.rotterdam.example/logo.svg',
    });
    const event = await t.services.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'settings.updated')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(event.details, {
      changed: 'auditRetentionMonths,caseConsultationRetentionMonths,mailMode,matchWithinOrganisation,regime,signalLifetimeMonths,theme',
    });
    const shown = await admin.get('/beheer/instellingen?klaar=opgeslagen');
    assert.match(shown.body, /De instellingen zijn opgeslagen/);
    assert.match(shown.body, /Gemeente Rotterdam/);

    const same = await admin.post('/beheer/instellingen', {
      ...SETTINGS_FORM,
      regime: 'youth',
      looptijd: '18',
      'audit-bewaartermijn': '84',
      'casusoverleg-bewaartermijn': '6',
      mail: 'link_only',
      'binnen-organisatie': 'ja',
      gemeentenaam: 'Gemeente Rotterdam',
      'kleur-hoofd': '#00811f',
      logo: 'https://www.rotterdam.example/logo.svg',
    });
    assert.equal(same.headers.location, '/beheer/instellingen?klaar=ongewijzigd');
    assert.equal((await t.services.settings.reload()).version, after.version);
    assert.equal((await admin.post('/beheer/instellingen', SETTINGS_FORM)).statusCode, 303); // back to the defaults
  });

  test('the settings set family matching: on or off, the age limit of the children, and whether the parent counts', async () => {
    const page = await admin.get('/beheer/instellingen');
    assert.match(page.body, /Maken signalen op kinderen van dezelfde ouder een gezinsmatch\?/);
    assert.match(page.body, /id="gezinsmatch-leeftijd"[^>]*value="23"/);
    const refused = await admin.post('/beheer/instellingen', { ...SETTINGS_FORM, 'gezinsmatch-leeftijd': '0', gezinsmatch: 'misschien' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /De leeftijd moet een heel getal zijn van 1 tot en met 99 jaar/);
    assert.match(refused.body, /Kies of signalen op kinderen van dezelfde ouder een gezinsmatch maken/);
    const saved = await admin.post('/beheer/instellingen', { ...SETTINGS_FORM, gezinsmatch: 'nee', 'gezinsmatch-leeftijd': '18', 'gezinsmatch-ouder': 'ja' });
    assert.equal(saved.statusCode, 303);
    const after = await t.services.settings.reload();
    assert.deepEqual([after.familyMatching, after.familyMatchAgeLimit, after.familyMatchIncludesParent], [false, 18, true]);
    const event = await t.services.db
      .selectFrom('audit_events')
      .select('details')
      .where('event_type', '=', 'settings.updated')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.deepEqual(event.details, { changed: 'familyMatchAgeLimit,familyMatchIncludesParent,familyMatching' });
    assert.equal((await admin.post('/beheer/instellingen', SETTINGS_FORM)).statusCode, 303); // back to the defaults
  });

  test('the settings set address matching, off by default, next to family matching', async () => {
    const page = await admin.get('/beheer/instellingen');
    assert.match(page.body, /Maken signalen op personen op hetzelfde woonadres een adresmatch\?/);
    assert.equal((await t.services.settings.reload()).addressMatching, false);
    const refused = await admin.post('/beheer/instellingen', { ...SETTINGS_FORM, adresmatch: 'soms' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Kies of signalen op personen op hetzelfde woonadres een adresmatch maken/);
    assert.equal((await admin.post('/beheer/instellingen', { ...SETTINGS_FORM, adresmatch: 'ja' })).statusCode, 303);
    assert.equal((await t.services.settings.reload()).addressMatching, true);
    assert.equal((await admin.post('/beheer/instellingen', SETTINGS_FORM)).statusCode, 303); // back to the defaults
    assert.equal((await t.services.settings.reload()).addressMatching, false);
  });

  test('the settings allow signals on an unborn child, off by default', async () => {
    const page = await admin.get('/beheer/instellingen');
    assert.match(page.body, /Mogen professionals een signaal afgeven op een ongeboren kind\?/);
    assert.equal((await t.services.settings.reload()).unbornSignals, false);
    const { ongeboren: _unanswered, ...unanswered } = SETTINGS_FORM;
    const refused = await admin.post('/beheer/instellingen', unanswered);
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /Kies of professionals een signaal op een ongeboren kind mogen afgeven/);
    assert.equal((await admin.post('/beheer/instellingen', { ...SETTINGS_FORM, ongeboren: 'ja' })).statusCode, 303);
    assert.equal((await t.services.settings.reload()).unbornSignals, true);
    assert.equal((await admin.post('/beheer/instellingen', SETTINGS_FORM)).statusCode, 303); // back to the defaults
    assert.equal((await t.services.settings.reload()).unbornSignals, false);
  });

  test('the settings set the extension period (empty: the lifetime; 0: off) and when postponed informing is asked after', async () => {
    const page = await admin.get('/beheer/instellingen');
    assert.match(page.body, /Verlengen met \(maanden\)/);
    assert.match(page.body, /id="informeren-opvolging"[^>]*value="14"/);
    const refused = await admin.post('/beheer/instellingen', { ...SETTINGS_FORM, verlenging: '121', 'informeren-opvolging': '0' });
    assert.equal(refused.statusCode, 422);
    assert.match(refused.body, /href="#verlenging"[^>]*>Verlengen moet een heel getal zijn/);
    assert.match(refused.body, /href="#informeren-opvolging"/);
    try {
      assert.equal((await admin.post('/beheer/instellingen', { ...SETTINGS_FORM, verlenging: '6', 'informeren-opvolging': '30' })).statusCode, 303);
      let saved = await t.services.settings.reload();
      assert.deepEqual([saved.signalExtensionMonths, saved.informingFollowUpDays], [6, 30]);
      assert.equal((await admin.post('/beheer/instellingen', { ...SETTINGS_FORM, verlenging: '0' })).statusCode, 303);
      saved = await t.services.settings.reload();
      assert.deepEqual([saved.signalExtensionMonths, saved.informingFollowUpDays], [0, 14]);
      assert.match((await admin.get('/beheer/instellingen')).body, /id="verlenging"[^>]*value="0"/);
    } finally {
      assert.equal((await admin.post('/beheer/instellingen', SETTINGS_FORM)).statusCode, 303);
    }
    assert.equal((await t.services.settings.reload()).signalExtensionMonths, null, 'empty: by the signal lifetime');
  });

  test('the audit trail filters by period, event type, organisation and outcome, pages, and shows no person data', async () => {
    const a = await t.organisation();
    const b = await t.organisation();
    const bsn = randomBsn();
    await t.services.signals.file(actorOf(a), adultSignal(bsn));
    await t.services.db
      .insertInto('audit_events')
      .values({
        occurred_at: t.clock.now(),
        event_type: 'auth.denied',
        outcome: 'denied',
        actor_type: 'anonymous',
        organisation_id: b.id,
        details: '{}',
      })
      .execute();
    const key = Buffer.from(t.services.crypto.personKey(Bsn.parse(bsn)!)).toString('hex');
    await t.services.db
      .insertInto('audit_events')
      .values(
        Array.from({ length: 55 }, () => ({
          occurred_at: t.clock.now(),
          event_type: 'web.sign_in_failed',
          outcome: 'denied' as const,
          actor_type: 'anonymous' as const,
          details: '{}',
        })),
      )
      .execute();

    const all = await admin.get('/beheer/audit');
    assert.equal(all.statusCode, 200);
    assert.match(all.body, /Signaal afgegeven/);
    assert.ok(!all.body.includes(key.slice(16)), 'no more of the subject key than its short reference');
    assert.ok(!all.body.includes(bsn));

    const byType = await admin.get(`/beheer/audit?soort=covenant.started&organisatie=${a.id}`);
    assert.match(byType.body, /Convenant gestart/);
    assert.doesNotMatch(byType.body, /<td[^>]*>Signaal afgegeven/);
    assert.equal([...byType.body.matchAll(/<tr class="utrecht-table__row"><td/g)].length, 1);

    const denied = await admin.get(`/beheer/audit?uitkomst=denied&organisatie=${b.id}`);
    assert.match(denied.body, /Toegang geweigerd/);
    assert.equal([...denied.body.matchAll(/<tr class="utrecht-table__row"><td/g)].length, 1);

    // The period: day, month and year boxes (Dutch order), kept in the pager's links.
    const today = 'van=10&van-maand=3&van-jaar=2026&tot=10&tot-maand=3&tot-jaar=2026';
    const filtered = await admin.get(`/beheer/audit?${today}&organisatie=${a.id}`);
    assert.match(filtered.body, /Signaal afgegeven/);
    assert.match(filtered.body, /<input[^>]*id="tot-maand"[^>]*value="3"/);
    assert.match((await admin.get(`/beheer/audit?van=11&van-maand=3&van-jaar=2026&organisatie=${a.id}`)).body, /Er zijn geen gebeurtenissen/);
    assert.match((await admin.get(`/beheer/audit?tot=9&tot-maand=3&tot-jaar=2026&organisatie=${a.id}`)).body, /Er zijn geen gebeurtenissen/);
    const badDate = await admin.get('/beheer/audit?van=30&van-maand=2&van-jaar=2026');
    assert.equal(badDate.statusCode, 422);
    assert.match(badDate.body, /href="#van"/);
    assert.match(badDate.body, /De datum bij ‘Van’ bestaat niet: februari 2026 heeft 28 dagen\./);
    assert.match(badDate.body, /<input[^>]*id="van"[^>]*value="30"/);
    const reversed = await admin.get('/beheer/audit?van=10&van-maand=3&van-jaar=2026&tot=9&tot-maand=3&tot-jaar=2026');
    assert.equal(reversed.statusCode, 422);
    assert.match(reversed.body, /‘Tot en met’ ligt vóór ‘Van’/);

    const first = await admin.get('/beheer/audit');
    const total = Number(/<strong>([\d.]+) gebeurtenissen<\/strong>; u ziet 1 tot en met 50\./.exec(first.body)?.[1]?.replaceAll('.', ''));
    assert.ok(total > 50, 'the trail says how many events there are');
    const older = /<a class="utrecht-pagination__relative-link[^"]*" href="(\/beheer\/audit\?pagina=2)" rel="next"/.exec(first.body)?.[1];
    assert.ok(older, 'a link to the next page');
    const second = await admin.get(older);
    assert.equal(second.statusCode, 200);
    assert.match(second.body, /u ziet 51 tot en met/);
    assert.match(second.body, /href="\/beheer\/audit" rel="prev"/);
    const oneOrganisation = await admin.get(`/beheer/audit?organisatie=${a.id}&pagina=1`);
    assert.match(oneOrganisation.body, /<strong>\d+ gebeurtenis(sen)?<\/strong>/);
    assert.ok(
      (
        await t.services.db
          .selectFrom('audit_events')
          .select('id')
          .where('event_type', '=', 'audit.read')
          .where('actor_id', '=', t.admin.staffMemberId)
          .execute()
      ).length > 0,
    );
  });

  test('person lookup: finds the signals and matches, is audited, and the BSN is never shown after the POST', async () => {
    const a = await t.organisation();
    const b = await t.organisation();
    const bsn = randomBsn();
    await t.services.signals.file(actorOf(a), adultSignal(bsn));
    await t.services.signals.file(actorOf(b), adultSignal(bsn));

    const form = await admin.get('/beheer/persoon');
    assert.equal(form.statusCode, 200);
    assert.match(form.body, /data-bsn/);

    const invalid = await admin.post('/beheer/persoon', { bsn: '123456789', reden: 'inzageverzoek' });
    assert.equal(invalid.statusCode, 422);
    assert.match(invalid.body, /href="#bsn"[^>]*>Dit BSN klopt niet/);
    assert.match(invalid.body, /value="123456789"/); // the failed form keeps what was typed
    const noReason = await admin.post('/beheer/persoon', { bsn, reden: '' });
    assert.equal(noReason.statusCode, 422);
    assert.match(noReason.body, /href="#reden"/);
    assert.equal([...noReason.body.matchAll(new RegExp(bsn, 'g'))].length, 1, 'only in the input value');
    assert.match(noReason.body, new RegExp(`id="bsn" name="bsn" type="text" value="${bsn}"`));

    const key = t.services.crypto.personKey(Bsn.parse(bsn)!);
    const lookedUp = async () =>
      t.services.db.selectFrom('audit_events').select('details').where('event_type', '=', 'person.looked_up').where('subject_key', '=', key).execute();
    assert.equal((await lookedUp()).length, 0, 'refused forms look nothing up');

    const result = await admin.post('/beheer/persoon', { bsn: ` ${bsn.slice(0, 4)} ${bsn.slice(4)} `, reden: 'inzageverzoek', zaaknummer: 'Z-2026-17' });
    assert.equal(result.statusCode, 200);
    assert.equal(result.headers['cache-control'], 'no-store');
    assert.match(result.body, /de gezochte persoon/);
    assert.match(result.body, new RegExp(a.name));
    assert.match(result.body, new RegExp(b.name));
    assert.match(result.body, /Match 1: open/);
    assert.match(result.body, /Toestemming van de persoon zelf/);
    assert.match(result.body, /zaaknummer Z-2026-17/);
    for (const secret of [bsn, 'Boer', 'Coolsingel', '1980']) assert.ok(!showsWord(result.body, secret), `no ${secret} in the answer`);
    assert.ok(!result.body.includes(Buffer.from(key).toString('hex').slice(0, 16)), 'no pseudonym in the answer');
    assert.deepEqual(
      (await lookedUp()).map((e) => e.details),
      [{ reason: 'inzageverzoek', caseNumber: 'Z-2026-17', signals: 2, matches: 1 }],
    );

    const badCase = await admin.post('/beheer/persoon', { bsn, reden: 'correctie', zaaknummer: 'Jan de Boer' });
    assert.equal(badCase.statusCode, 422);
    assert.match(badCase.body, /href="#zaaknummer"/);

    // No other page shows the BSN afterwards.
    for (const url of [
      '/beheer',
      '/beheer/audit',
      '/beheer/audit?soort=person.looked_up',
      '/beheer/organisaties',
      `/beheer/organisaties/${a.id}`,
      '/beheer/instellingen',
      '/beheer/persoon',
      '/beheer/mailbox',
    ]) {
      const page = await admin.get(url);
      assert.equal(page.statusCode, 200, url);
      assert.ok(!page.body.includes(bsn), `no BSN on ${url}`);
    }
    const trail = (await admin.get('/beheer/audit?soort=person.looked_up')).body;
    assert.match(trail, /Reden: <\/span>inzageverzoek/);
    assert.match(trail, /Zaaknummer: <\/span>Z-2026-17/);
  });

  test('the development mailbox lists the mails', async () => {
    await t.services.mail.send({
      messageId: `<m-${Date.now()}@sluis.test>`,
      to: 'iemand@example.nl',
      subject: 'Er is een match',
      text: 'Log in op SluiS om te zien wie.\nGroet',
      html: '<p>x</p>',
    } as never);
    const page = await admin.get('/beheer/mailbox');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /Er is een match/);
    assert.match(page.body, /iemand@example\.nl/);
    assert.match(page.body, /Log in op SluiS om te zien wie\.\nGroet/);
    assert.doesNotMatch((await admin.get('/beheer/mailbox?aan=ander@example.nl')).body, /Er is een match/);
  });

  describe('with a mail server', () => {
    test('the development mailbox does not exist', async () => {
      const smtp = await createTestApp(database(), { mail: { kind: 'smtp', send: async () => {}, close: () => {} } });
      try {
        const session = await signInByInject(smtp, await webAdministrator(smtp));
        assert.equal((await session.get('/beheer/mailbox')).statusCode, 404);
        assert.doesNotMatch((await session.get('/beheer')).body, /href="\/beheer\/mailbox"/);
      } finally {
        await smtp.close();
      }
    });
  });

  test("the covenant says whether the organisation's professionals may take coordination: set on its page, audited", async () => {
    const school = await t.organisation();
    const page = await admin.get(`/beheer/organisaties/${school.id}`);
    assert.match(page.body, /Mogen de professionals van deze organisatie de regie nemen\?/);
    assert.match(page.body, /<input[^>]*name="regie"[^>]*value="ja"[^>]*checked/, 'by default they may');
    const url = `/beheer/organisaties/${school.id}/convenant/${school.covenantId}/regie`;
    const saved = await admin.post(url, { regie: 'nee' });
    assert.equal(saved.statusCode, 303);
    assert.equal(saved.headers.location, `/beheer/organisaties/${school.id}?klaar=regie`);
    const after = await admin.get(saved.headers.location!);
    assert.match(after.body, /De afspraak over de regie is opgeslagen/);
    assert.match(after.body, /<input[^>]*name="regie"[^>]*value="nee"[^>]*checked/);
    assert.equal((await t.services.covenants.list(school.id))[0]!.mayCoordinate, false);
    const audited = await t.services.db
      .selectFrom('audit_events')
      .select(['event_type', 'details'])
      .where('organisation_id', '=', school.id)
      .where('event_type', '=', 'covenant.changed')
      .execute();
    assert.deepEqual(
      audited.map((e) => (e.details as { mayCoordinate: boolean }).mayCoordinate),
      [false],
    );
    // A broken form, or another organisation's covenant: nothing changes.
    assert.equal((await admin.post(url, { regie: 'misschien' })).statusCode, 400);
    const other = await t.organisation();
    assert.equal((await admin.post(`/beheer/organisaties/${other.id}/convenant/${school.covenantId}/regie`, { regie: 'ja' })).statusCode, 404);
    assert.equal((await t.services.covenants.list(school.id))[0]!.mayCoordinate, false);
    // An ended covenant has no form, and a stale one changes nothing.
    await t.services.covenants.transition(t.admin, school.covenantId, 'end', 'Opgezegd');
    assert.doesNotMatch((await admin.get(`/beheer/organisaties/${school.id}`)).body, /name="regie"/);
    const stale = await admin.post(url, { regie: 'ja' });
    assert.equal(stale.statusCode, 303);
    assert.equal(stale.headers.location, `/beheer/organisaties/${school.id}`);
    assert.equal((await t.services.covenants.list(school.id))[0]!.mayCoordinate, false);
  });

  test('every page and form: anonymous is sent to sign in, a professional or coordinator is refused and nothing changes', async () => {
    const target = await t.organisation();
    const bare = await t.services.organisations.create(t.admin, { name: `Zonder convenant ${Date.now()}`, domains: ['education'] });
    const bsn = randomBsn();
    await t.services.signals.file(actorOf(target), adultSignal(bsn));
    const pages = [
      '/beheer',
      '/beheer/organisaties',
      '/beheer/organisaties/nieuw',
      `/beheer/organisaties/${target.id}`,
      `/beheer/organisaties/${target.id}/bewerken`,
      `/beheer/organisaties/${target.id}/convenant/${target.covenantId}/beeindigen`,
      '/beheer/instellingen',
      '/beheer/audit',
      '/beheer/persoon',
      '/beheer/mailbox',
    ];
    const forms: [string, Record<string, string | string[]>][] = [
      ['/beheer/organisaties/nieuw', { naam: 'Indringer', domeinen: 'housing' }],
      [`/beheer/organisaties/${target.id}/bewerken`, { naam: 'Overgenomen', domeinen: 'housing' }],
      [`/beheer/organisaties/${bare.id}/convenant`, { kenmerk: 'x' }],
      [`/beheer/organisaties/${target.id}/convenant/${target.covenantId}/opschorten`, { reden: 'x' }],
      [`/beheer/organisaties/${target.id}/convenant/${target.covenantId}/beeindigen`, { reden: 'x' }],
      [`/beheer/organisaties/${target.id}/convenant/${target.covenantId}/hervatten`, { reden: 'x' }],
      [`/beheer/organisaties/${target.id}/professionals/${target.professionalId}/coordinator`, { coordinator: 'ja' }],
      [`/beheer/organisaties/${target.id}/convenant/${target.covenantId}/regie`, { regie: 'nee' }],
      ['/beheer/instellingen', { ...SETTINGS_FORM, looptijd: '3' }],
      ['/beheer/persoon', { bsn, reden: 'inzageverzoek' }],
    ];
    const snapshot = async () =>
      JSON.stringify({
        organisations: await t.services.db.selectFrom('organisations').select(['id', 'name', 'domains']).orderBy('id').execute(),
        covenants: await t.services.db.selectFrom('covenants').select(['id', 'status', 'status_reason', 'reference', 'may_coordinate']).orderBy('id').execute(),
        coordinators: await t.services.db.selectFrom('professionals').select(['id', 'coordinator']).orderBy('id').execute(),
        settings: (await t.services.settings.reload()).version,
        changes: await t.services.db
          .selectFrom('audit_events')
          .select('id')
          .where('event_type', 'in', [
            'person.looked_up',
            'settings.updated',
            'organisation.created',
            'organisation.updated',
            'covenant.started',
            'covenant.suspended',
            'covenant.ended',
            'covenant.changed',
            'professional.updated',
            'audit.read',
            'dev_mailbox.read',
            'professional.listed',
          ])
          .orderBy('id')
          .execute(),
      });
    const other = await t.organisation();
    const professional = await signInByInject(t, await webProfessional(t, other));
    const coordinator = await signInByInject(t, await webProfessional(t, await t.organisation(), { coordinator: true }));
    const before = await snapshot();

    // Anonymous: every page and form sends the visitor to sign in.
    await assertAnonymousSentToSignIn(t, pages, forms);

    // A professional, and a coordinator, are refused.
    for (const session of [professional, coordinator]) {
      for (const url of pages) {
        const response = await session.get(url);
        assert.equal(response.statusCode, 403, url);
        assert.match(response.body, /Geen toegang/);
        assert.ok(!response.body.includes(target.name), url);
      }
      for (const [url, fields] of forms) {
        const response = await session.post(url, fields);
        assert.equal(response.statusCode, 403, url);
        assert.ok(!response.body.includes(bsn), url);
      }
    }
    assert.equal(await snapshot(), before, 'nothing changed');
  });
});
