/**
 * The processing register page and the Logboek download, through app.inject on both databases: a
 * privacy officer finds it in the menu, reads every activity with the retention from the settings,
 * downloads the audit trail of a period as NDJSON (pseudonyms, never a BSN; audited before it is
 * handed out), and gets wrong periods back in Dutch; professionals, coordinators and escalation
 * officers are refused both.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { PROCESSING_ACTIVITY_IDS } from '../../audit/processing-activities.ts';
import type { ProfessionalActor } from '../../shared/actor.ts';
import { describeOnEachDatabase } from '../../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp } from '../../test-support/fixtures.ts';
import { createWebAccount, dateBoxes, type InjectSession, signInByInject, webAdministrator, webProfessional } from '../../test-support/web.ts';

describeOnEachDatabase('processing register pages', (database) => {
  let t: TestApp;
  let privacy: InjectSession;
  const bsn = randomBsn();
  before(async () => {
    t = await createTestApp(database());
    const org = await t.organisation('Wijkteam');
    const actor: ProfessionalActor = { kind: 'professional', professionalId: org.professionalId, organisationId: org.id, apiClientId: null, requestId: 'test' };
    await t.services.signals.file(actor, adultSignal(bsn));
    const member = await t.services.staff.create(t.admin, { name: 'Privacy', email: `p-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
    privacy = await signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
  });
  after(() => t.close());

  const query = (fields: Record<string, string>) => new URLSearchParams(fields).toString();

  test('every processing activity, with the retention from the settings', async () => {
    const page = await privacy.get('/beheer/verwerkingsregister');
    assert.equal(page.statusCode, 200);
    assert.match(page.body, /href="\/beheer\/verwerkingsregister" aria-current="page"/, 'in the privacy officer’s menu');
    for (const id of PROCESSING_ACTIVITY_IDS) assert.match(page.body, new RegExp(`id="verwerking-${id}"`));
    assert.match(page.body, /Actief hoogstens 2 jaar, daarna 5 jaar bewaard als geschiedenis \(instelling\)/);
    assert.match(page.body, /Signalen afgeven en beheren/);
  });

  test('the Logboek of a period as NDJSON: the filing in it as a pseudonym, never the BSN; audited', async () => {
    const response = await privacy.get(
      `/beheer/verwerkingsregister/logboek?${query({ ...dateBoxes('van', '2026-03-01'), ...dateBoxes('tot', '2026-03-10') })}`,
    );
    assert.equal(response.statusCode, 200, response.body);
    assert.match(response.headers['content-type'] as string, /^application\/x-ndjson/);
    assert.match(response.headers['content-disposition'] as string, /sluis-logboek-2026-03-01-2026-03-10\.ndjson/);
    assert.ok(!response.body.includes(bsn), 'no BSN');
    const records = response.body
      .trimEnd()
      .split('\n')
      .map((line) => JSON.parse(line) as { name: string; attributes: Record<string, string> });
    const filed = records.find((r) => r.name === 'signal.created')!;
    assert.ok(filed, 'the filing is in it');
    assert.match(filed.attributes['dpl.core.processing_activity_id']!, /processing-activities#filing$/);
    assert.match(filed.attributes['dpl.core.data_subject_id']!, /^[0-9a-f]{64}$/);
    const audited = await sql<{ details: Record<string, unknown> }>`
      select details from audit_events where event_type = 'audit.exported' order by id desc limit 1`.execute(t.services.db);
    assert.deepEqual(audited.rows[0]!.details, { format: 'logboek', from: '2026-02-28T23:00:00.000Z', to: '2026-03-10T23:00:00.000Z' });
  });

  test('a wrong period comes back in Dutch, and nothing is exported', async () => {
    const before = await sql<{ n: number }>`select count(*)::int as n from audit_events where event_type = 'audit.exported'`.execute(t.services.db);
    const backwards = await privacy.get(
      `/beheer/verwerkingsregister/logboek?${query({ ...dateBoxes('van', '2026-03-05'), ...dateBoxes('tot', '2026-03-01') })}`,
    );
    assert.equal(backwards.statusCode, 422);
    assert.match(backwards.body, /De laatste dag ligt vóór de eerste dag\./);
    const empty = await privacy.get('/beheer/verwerkingsregister/logboek');
    assert.equal(empty.statusCode, 422);
    assert.match(empty.body, /Vul de eerste dag van de periode in\./);
    const long = await privacy.get(`/beheer/verwerkingsregister/logboek?${query({ ...dateBoxes('van', '2024-01-01'), ...dateBoxes('tot', '2026-03-01') })}`);
    assert.match(long.body, /Kies een periode van hooguit een jaar\./);
    const after = await sql<{ n: number }>`select count(*)::int as n from audit_events where event_type = 'audit.exported'`.execute(t.services.db);
    assert.equal(after.rows[0]!.n, before.rows[0]!.n);
  });

  test('the administrator reaches it from the overview; professionals, coordinators and escalation officers are refused', async () => {
    const admin = await signInByInject(t, await webAdministrator(t));
    assert.match((await admin.get('/beheer')).body, /href="\/beheer\/verwerkingsregister"/);
    assert.equal((await admin.get('/beheer/verwerkingsregister')).statusCode, 200);
    const professional = await signInByInject(t, await webProfessional(t, await t.organisation()));
    const coordinator = await signInByInject(t, await webProfessional(t, await t.organisation(), { coordinator: true }));
    const member = await t.services.staff.create(t.admin, { name: 'F', email: `f-${randomUUID()}@gemeente.example`, roles: ['escalation_officer'] });
    const officer = await signInByInject(t, await createWebAccount(t, { staffMemberId: member.id }));
    const logbook = `/beheer/verwerkingsregister/logboek?${query({ ...dateBoxes('van', '2026-03-01'), ...dateBoxes('tot', '2026-03-10') })}`;
    for (const web of [professional, coordinator, officer])
      for (const url of ['/beheer/verwerkingsregister', logbook]) assert.equal((await web.get(url)).statusCode, 403, url);
  });
});
