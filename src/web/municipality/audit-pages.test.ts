/**
 * /beheer/audit in words a manager reads (labels, names, the person as a short reference) and its
 * export as a spreadsheet (CSV with BOM, semicolons, formulas guarded, the same words, audited),
 * with the refusals; on both databases.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { Bsn } from '../../persons/bsn.ts';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../../test-support/fixtures.ts';
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

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;

const actorOf = (o: TestOrganisation): ProfessionalActor => ({
  kind: 'professional',
  professionalId: o.professionalId,
  organisationId: o.id,
  apiClientId: null,
  requestId: 'test',
});

/** The fields of a line of the export (semicolons; quoted fields with doubled quotes). */
const fieldsOf = (line: string): string[] =>
  [...line.matchAll(/("(?:[^"]|"")*"|[^;]*)(?:;|$)/g)].map((m) => m[1]!.replace(/^"|"$/g, '').replaceAll('""', '"')).slice(0, -1);

describeOnEachDatabase('the audit trail pages', (database) => {
  let t: TestApp;
  let admin: InjectSession;
  let wijkteam: TestOrganisation;
  let formula: TestOrganisation;
  let bsn: string;
  before(async () => {
    t = await createTestApp(database());
    admin = await signInByInject(t, await webAdministrator(t));
    wijkteam = await t.organisation('Wijkteam Noord');
    formula = await t.organisation('=HYPERLINK("https://example.org";"Zorg")');
    bsn = randomBsn();
    await t.services.signals.file(actorOf(wijkteam), adultSignal(bsn));
    await t.services.signals.file(actorOf(formula), adultSignal(bsn));
    await t.services.personLookup.lookUp(t.admin, Bsn.parse(bsn)!, { category: 'inzageverzoek', caseNumber: 'Z-2026-17' });
    // A failed sign-in, for its reason.
    const start = await t.app.inject({ method: 'GET', url: '/inloggen' });
    const cookie = cookiesOf(start.headers['set-cookie']).join('; ');
    const csrf = csrfIn(start.body);
    await t.app.inject({
      method: 'POST',
      url: '/inloggen',
      headers: { 'content-type': 'application/x-www-form-urlencoded', cookie },
      payload: new URLSearchParams({ _csrf: csrf, email: 'niemand@example.nl', wachtwoord: 'verkeerd-wachtwoord' }).toString(),
    });
  });
  after(() => t.close());

  const tableOf = (html: string) => /<table[\s\S]*<\/table>/.exec(html)?.[0] ?? '';

  test('the trail says who, what and about what in Dutch, with names, never a raw id or a BSN', async () => {
    const page = await admin.get('/beheer/audit');
    assert.equal(page.statusCode, 200);
    const table = tableOf(page.body);
    assert.match(table, /Signaal afgegeven/);
    assert.match(table, /Professional of Wijkteam Noord \(Wijkteam Noord\)/, 'the actor by name and organisation');
    assert.match(table, /Professional: Professional of Wijkteam Noord \(Wijkteam Noord\)/, 'the resource by name');
    assert.match(table, /<li>Eigen signaal<\/li>/, "a professional's own signal is not named twice");
    assert.match(table, /Persoon opgezocht \(rechtenverzoek\)/);
    assert.match(table, /Reden: <\/span>inzageverzoek/);
    assert.match(table, /Inloggen mislukt/);
    assert.match(table, /Reden: <\/span>onbekend e-mailadres/);
    assert.match(table, /Gevolg: <\/span>Match ontstaan/);
    const key = Buffer.from(t.services.crypto.personKey(Bsn.parse(bsn)!)).toString('hex');
    assert.match(table, new RegExp(`Persoon: </span>${key.slice(0, 16)}<`), 'the person as the short reference');
    assert.ok(!page.body.includes(key.slice(16)), 'no more of the pseudonym than that');
    assert.ok(!page.body.includes(bsn), 'no BSN');
    const text = table.replace(/<[^>]+>/g, ' ');
    assert.doesNotMatch(text, UUID, 'no raw id in the trail');
    assert.doesNotMatch(text, /\b[a-z]+_[a-z_]+\b|\b(signal|match|web|auth)\.[a-z]/, 'no code in the trail');
  });

  test('the filters fold away on their own, and open when one is on or wrong', async () => {
    const plain = await admin.get('/beheer/audit');
    assert.match(plain.body, /<details class="sluis-details sluis-admin-filter-box">/);
    assert.doesNotMatch(plain.body, /U ziet:/);
    const filtered = await admin.get(`/beheer/audit?soort=signal.created&organisatie=${wijkteam.id}&uitkomst=success`);
    assert.match(filtered.body, /<details class="sluis-details sluis-admin-filter-box" open>/);
    assert.match(filtered.body, /U ziet: Signaal afgegeven · Wijkteam Noord · Gelukt\./);
    assert.match(filtered.body, new RegExp(`href="/beheer/audit/export\\?soort=signal.created&amp;organisatie=${wijkteam.id}&amp;uitkomst=success"`));
    const wrong = await admin.get('/beheer/audit?van=2026-02-30&tot=signal.read&uitkomst=denied');
    assert.equal(wrong.statusCode, 422);
    assert.match(wrong.body, /U ziet: Geweigerd\./, 'the summary leaves out what is wrong');
    assert.match(wrong.body, /<details class="sluis-details sluis-admin-filter-box" open>/);
    assert.doesNotMatch(wrong.body, /\/beheer\/audit\/export/, 'no export of a filter that is wrong');
  });

  test('the export is a spreadsheet of the filtered trail, with the same words, formulas guarded, and itself audited', async () => {
    const response = await admin.get(`/beheer/audit/export?soort=signal.created&van=10&van-maand=3&van-jaar=2026&tot=10&tot-maand=3&tot-jaar=2026`);
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'text/csv; charset=utf-8');
    assert.match(String(response.headers['content-disposition']), /^attachment; filename="sluis-audit-trail-2026-03-10\.csv"$/);
    assert.equal(response.headers['cache-control'], 'no-store');
    const raw = response.rawPayload;
    assert.deepEqual([...raw.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 with a byte order mark');
    const lines = response.body.slice(1).split('\r\n');
    assert.equal(lines.at(-1), '', 'every line ends in CRLF');
    const [head, ...rows] = lines.slice(0, -1);
    assert.deepEqual(fieldsOf(head!), [
      'Tijd',
      'Gebeurtenis',
      'Uitkomst',
      'Door',
      'Organisatie',
      'Betreft',
      'Persoon',
      'Details',
      'Code',
      'Volgnummer',
      'Verzoek',
      'Trace',
    ]);
    assert.equal(rows.length, 2, 'the two filings, nothing else');
    const byOrganisation = new Map(rows.map((line) => fieldsOf(line)).map((fields) => [fields[4], fields]));
    const ours = byOrganisation.get('Wijkteam Noord')!;
    assert.match(ours[0]!, /^2026-03-10 10:00:\d\d$/, 'Dutch time, as a spreadsheet reads it');
    assert.deepEqual(ours.slice(1, 4), ['Signaal afgegeven', 'Gelukt', 'Professional of Wijkteam Noord (Wijkteam Noord)']);
    assert.equal(ours[5], 'Eigen signaal');
    assert.match(ours[6]!, /^[0-9a-f]{16}$/);
    assert.equal(ours[8], 'signal.created');
    const guarded = byOrganisation.get(`'=HYPERLINK("https://example.org";"Zorg")`);
    assert.ok(guarded, 'a name that looks like a formula starts with an apostrophe');
    assert.deepEqual(guarded[7]!.split('; ').sort(), ['Gevolg: Match ontstaan', `Match: ${guarded[7]!.match(/Match: ([0-9a-f]{8})/)![1]}`]);
    assert.ok(!response.body.includes(bsn));
    for (const fields of [ours, guarded]) assert.doesNotMatch(fields.slice(0, 8).join(' '), UUID, 'names, not ids');

    const exported = await t.services.db
      .selectFrom('audit_events')
      .selectAll()
      .where('event_type', '=', 'audit.exported')
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    assert.equal(exported.actor_id, t.admin.staffMemberId);
    assert.deepEqual(exported.details, { eventType: 'signal.created', from: '2026-03-09T23:00:00.000Z', to: '2026-03-10T23:00:00.000Z' });
    // The trail shows the export in words.
    const trail = tableOf((await admin.get('/beheer/audit?soort=audit.exported')).body);
    assert.match(trail, /Audit trail geëxporteerd/);
    assert.match(trail, /Soort gebeurtenis: <\/span>Signaal afgegeven/);
  });

  test('the whole trail exports too; a wrong filter goes back to the page that says what is wrong', async () => {
    const all = await admin.get('/beheer/audit/export');
    assert.equal(all.statusCode, 200);
    const total = Number(
      (
        await t.services.db
          .selectFrom('audit_events')
          .select((eb) => eb.fn.countAll().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
    assert.equal(all.body.split('\r\n').length - 2, total, 'every event, the export itself included');
    const wrong = await admin.get('/beheer/audit/export?van=1&van-maand=13&van-jaar=2026&soort=signal.created');
    assert.equal(wrong.statusCode, 303);
    assert.equal(wrong.headers.location, '/beheer/audit?van=1&van-maand=13&van-jaar=2026&soort=signal.created');
  });

  test('only an administrator reads or exports the trail', async () => {
    const member = await t.services.staff.create(t.admin, { name: 'Fatima Functionaris', email: `staff-${randomUUID()}@gemeente.example` });
    await t.services.db
      .updateTable('staff_members')
      .set({ roles: ['escalation_officer'] })
      .where('id', '=', member.id)
      .execute();
    const officer = await signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
    const professional = await signInByInject(t, await webProfessional(t, wijkteam));
    const before = await t.services.db.selectFrom('audit_events').select('id').where('event_type', '=', 'audit.exported').execute();
    for (const session of [officer, professional]) {
      for (const url of ['/beheer/audit', '/beheer/audit/export']) assert.equal((await session.get(url)).statusCode, 403, url);
    }
    await assertAnonymousSentToSignIn(t, ['/beheer/audit', '/beheer/audit/export'], []);
    const afterwards = await t.services.db.selectFrom('audit_events').select('id').where('event_type', '=', 'audit.exported').execute();
    assert.equal(afterwards.length, before.length, 'a refused export is no export');
  });
});
