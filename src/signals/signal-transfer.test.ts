/** Transferring a leaving professional's signals (Jeugdwet 7.1.3.3): the rules, on both databases. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAuditLog } from '../audit/audit-log.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import { Problem } from '../shared/errors.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { transferSignals } from './signal-transfer.ts';

describeOnEachDatabase('transferring signals to a colleague', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database());
  });
  after(async () => t.close());

  const actor = (organisation: TestOrganisation, professionalId = organisation.professionalId): ProfessionalActor => ({
    kind: 'professional',
    professionalId,
    organisationId: organisation.id,
    apiClientId: null,
    requestId: 'test',
  });
  const deps = () => ({ db: t.services.db, clock: t.clock, audit: createAuditLog(), settings: t.services.settings });
  const status = (error: unknown) => (error instanceof Problem ? error.status : undefined);

  test('only to an active colleague of the same organisation, never to oneself', async () => {
    const organisation = await t.organisation();
    const other = await t.organisation();
    const leaving = await t.colleague(organisation);
    const inactive = await t.colleague(organisation);
    await t.services.db.updateTable('professionals').set({ active: false }).where('id', '=', inactive.professionalId).execute();
    const signal = await t.services.signals.file(actor(organisation, leaving.professionalId), adultSignal());
    assert.equal(signal.outcome, 'created');
    const coordinator = actor(organisation);
    await assert.rejects(
      transferSignals(deps(), coordinator, { fromProfessionalId: leaving.professionalId, toProfessionalId: leaving.professionalId }),
      (e) => status(e) === 409,
    );
    await assert.rejects(
      transferSignals(deps(), coordinator, { fromProfessionalId: leaving.professionalId, toProfessionalId: inactive.professionalId }),
      (e) => status(e) === 409,
    );
    await assert.rejects(
      transferSignals(deps(), coordinator, { fromProfessionalId: leaving.professionalId, toProfessionalId: other.professionalId }),
      (e) => status(e) === 404,
    );
    await assert.rejects(
      transferSignals(deps(), actor(other), { fromProfessionalId: leaving.professionalId, toProfessionalId: other.professionalId }),
      (e) => status(e) === 404,
    );
    const row = await t.services.db
      .selectFrom('signals')
      .select(['professional_id', 'status'])
      .where('professional_id', '=', leaving.professionalId)
      .executeTakeFirstOrThrow();
    assert.deepEqual(row, { professional_id: leaving.professionalId, status: 'active' });
  });

  test('a duplicate on the same person is ended and leaves its match; the colleague’s signal keeps the match', async () => {
    const organisation = await t.organisation();
    const partner = await t.organisation();
    const leaving = await t.colleague(organisation);
    const colleague = await t.colleague(organisation);
    const bsn = randomBsn();
    await t.services.signals.file(actor(partner), adultSignal(bsn));
    const leavingSignal = await t.services.signals.file(actor(organisation, leaving.professionalId), adultSignal(bsn));
    await t.services.signals.file(actor(organisation, colleague.professionalId), adultSignal(bsn));
    assert.equal(leavingSignal.outcome, 'created');
    const matchId = leavingSignal.outcome === 'created' ? leavingSignal.answer.match?.id : undefined;
    assert.ok(matchId);

    const result = await transferSignals(deps(), actor(organisation), {
      fromProfessionalId: leaving.professionalId,
      toProfessionalId: colleague.professionalId,
    });
    assert.deepEqual(result, { moved: 0, ended: 1 });
    const ended = await t.services.db
      .selectFrom('signals')
      .select(['status', 'end_reason', 'retain_until'])
      .where('professional_id', '=', leaving.professionalId)
      .executeTakeFirstOrThrow();
    assert.equal(ended.status, 'ended');
    assert.equal(ended.end_reason, 'care_ended');
    assert.ok(ended.retain_until);
    const match = await t.services.db.selectFrom('matches').select('status').where('id', '=', matchId!).executeTakeFirstOrThrow();
    assert.equal(match.status, 'open');
    const participants = await t.services.db
      .selectFrom('match_participants as mp')
      .innerJoin('signals as s', 's.id', 'mp.signal_id')
      .select('s.professional_id')
      .where('mp.match_id', '=', matchId!)
      .where('mp.left_at', 'is', null)
      .execute();
    assert.deepEqual(participants.map((p) => p.professional_id).sort(), [partner.professionalId, colleague.professionalId].sort());
    const outbox = await t.services.db
      .selectFrom('outbox')
      .select('event_type')
      .where('recipient_professional_id', '=', partner.professionalId)
      .where('event_type', '=', 'match.participant_left')
      .execute();
    assert.equal(outbox.length, 1);
  });
});
