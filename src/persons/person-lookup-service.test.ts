import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type { ProfessionalActor, StaffActor } from '../shared/actor.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { Bsn } from './bsn.ts';

const actorOf = (o: TestOrganisation): ProfessionalActor => ({
  kind: 'professional',
  professionalId: o.professionalId,
  organisationId: o.id,
  apiClientId: null,
  requestId: 'test',
});

describeOnEachDatabase('looking up one person for a rights request', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(async () => t.close());

  const lookUps = async (key: Uint8Array) =>
    t.services.db
      .selectFrom('audit_events')
      .select(['details', 'actor_id'])
      .where('event_type', '=', 'person.looked_up')
      .where('subject_key', '=', key)
      .execute();

  test('finds the signals, the match and the audit events of the person, and audits the look-up', async () => {
    const [a, b, other] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = await t.services.signals.file(actorOf(a), adultSignal(bsn));
    assert.equal(first.outcome, 'created');
    await t.services.signals.file(actorOf(b), adultSignal(bsn));
    await t.services.signals.file(actorOf(other), adultSignal(randomBsn())); // someone else
    const signalId = first.outcome === 'created' ? first.answer.signal.id : '';
    await t.services.signals.end(actorOf(a), signalId, 'care_ended');

    const result = await t.services.personLookup.lookUp(t.admin, Bsn.parse(bsn)!, { category: 'inzageverzoek', caseNumber: 'Z-2026/001' });
    assert.equal(result.known, true);
    assert.deepEqual(result.signals.map((s) => s.organisationName).sort(), [a.name, b.name].sort());
    const ended = result.signals.find((s) => s.id === signalId)!;
    assert.equal(ended.status, 'ended');
    assert.equal(ended.endReason, 'care_ended');
    assert.ok(ended.retainUntil);
    assert.equal(ended.legalBasis.basis, 'consent');
    assert.equal(result.matches.length, 1);
    assert.equal(result.matches[0]!.participants.length, 2);
    assert.ok(result.auditEvents.some((e) => e.eventType === 'signal.created' && e.actorName === `Professional of ${a.name}` && e.organisationName === a.name));
    assert.ok(result.auditEvents.some((e) => e.eventType === 'signal.ended'));
    assert.ok(!JSON.stringify(result).includes(bsn), 'no BSN in the answer');
    assert.ok(!JSON.stringify(result).includes('Boer'), 'no person details in the answer');

    const key = t.services.crypto.personKey(Bsn.parse(bsn)!);
    const audited = await lookUps(key);
    assert.equal(audited.length, 1);
    assert.deepEqual(audited[0]!.details, { reason: 'inzageverzoek', caseNumber: 'Z-2026/001', signals: 2, matches: 1 });
    assert.equal(audited[0]!.actor_id, t.admin.staffMemberId);

    // A second look-up sees the first one among the events.
    const again = await t.services.personLookup.lookUp(t.admin, Bsn.parse(bsn)!, { category: 'bezwaar' });
    assert.ok(again.auditEvents.some((e) => e.eventType === 'person.looked_up' && e.actorName === 'Test Beheerder'));
  });

  test('an unknown person gives an empty answer, and that look-up is audited too', async () => {
    const bsn = randomBsn();
    const result = await t.services.personLookup.lookUp(t.admin, Bsn.parse(bsn)!, { category: 'anders' });
    assert.deepEqual(result, { known: false, signals: [], matches: [], auditEvents: [], auditTruncated: false });
    assert.equal((await lookUps(t.services.crypto.personKey(Bsn.parse(bsn)!))).length, 1);
  });

  test('refused without the administrator role, for an unknown reason, or a case number that is free text', async () => {
    const bsn = Bsn.parse(randomBsn())!;
    const noRole: StaffActor = { ...t.admin, roles: [] };
    await assert.rejects(t.services.personLookup.lookUp(noRole, bsn, { category: 'inzageverzoek' }), { status: 403 });
    await assert.rejects(t.services.personLookup.lookUp(t.admin, bsn, { category: 'nieuwsgierig' as never }), RangeError);
    await assert.rejects(t.services.personLookup.lookUp(t.admin, bsn, { category: 'inzageverzoek', caseNumber: 'Jan de Boer' }), RangeError);
    assert.equal((await lookUps(t.services.crypto.personKey(bsn))).length, 0);
  });
});
