/** The lifecycle steps on both databases: what the table refuses changes nothing. */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { createAuditLog } from '../audit/audit-log.ts';
import { lockPerson } from '../persons/person-lock.ts';
import type { ProfessionalActor, SystemActor } from '../shared/actor.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, rowCounts, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { endSignal, expireSignal, purgeSignals, STEP_COLUMNS } from './signal-steps.ts';

describeOnEachDatabase('signal lifecycle steps', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { start: '2026-03-10T09:00:00Z' });
  });
  after(() => t.close());

  const actor = (organisation: TestOrganisation): ProfessionalActor => ({
    kind: 'professional',
    professionalId: organisation.professionalId,
    organisationId: organisation.id,
    apiClientId: null,
    requestId: 'test',
  });
  const system: SystemActor = { kind: 'system', requestId: null };
  const today = () => t.clock.now().toISOString().slice(0, 10);
  const db = () => database().db;

  async function file(organisation: TestOrganisation, bsn: string) {
    t.clock.advance(1000);
    const filed = await t.services.signals.file(actor(organisation), adultSignal(bsn, today()));
    assert.ok(filed.outcome === 'created');
    return filed.answer;
  }

  test('a step the lifecycle refuses changes nothing', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = await file(a, bsn);
    await file(b, bsn);
    const before = await rowCounts(db());
    const settings = await t.services.settings.current();
    const outcomes = await db()
      .transaction()
      .execute(async (trx) => {
        const signal = await trx.selectFrom('signals').select(STEP_COLUMNS).where('id', '=', first.signal.id).executeTakeFirstOrThrow();
        await lockPerson(trx, signal.person_key);
        const deps = { audit: createAuditLog(), settings };
        const now = t.clock.now();
        return [
          await expireSignal(trx, deps, { signal, now, actor: system }),
          await purgeSignals(trx, deps, { personKey: signal.person_key, signals: [signal], now, actor: system }),
          await endSignal(trx, deps, { signal: { ...signal, status: 'ended' }, reason: 'moved', now, actor: actor(a) }),
        ];
      });
    assert.deepEqual(outcomes, [
      { outcome: 'refused', refusal: 'not_due' },
      { purged: 0, personPurged: false },
      { outcome: 'refused', refusal: 'state' },
    ]);
    assert.deepEqual(await rowCounts(db()), before);
  });
});
