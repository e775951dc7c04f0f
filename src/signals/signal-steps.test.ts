/**
 * The lifecycle steps on both databases: what the table refuses changes nothing, and a purge — at
 * once or by the sweep — takes the coordination a signal held and the contacts recorded for it too.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createAuditLog } from '../audit/audit-log.ts';
import { lockPerson } from '../persons/person-lock.ts';
import type { ProfessionalActor, SystemActor } from '../shared/actor.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, rowCounts, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { endSignal, expireSignal, purgeSignals, STEP_COLUMNS } from './signal-steps.ts';

const DAY = 24 * 3600 * 1000;
const YEAR = 365 * DAY;

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
  const coordinationOf = (matchId: string) => db().selectFrom('coordinations').selectAll().where('match_id', '=', matchId).executeTakeFirst();
  const contactsOf = (matchId: string) => db().selectFrom('match_contacts').select('signal_id').where('match_id', '=', matchId).execute();
  const transitionsOf = async (matchId: string) =>
    (await db().selectFrom('coordination_transitions').select(['action', 'subject_signal_id']).where('match_id', '=', matchId).orderBy('id').execute()).map(
      (r) => [r.action, r.subject_signal_id],
    );

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

  test('a signal ended as unjustified goes at once with the contacts recorded for it, also when it coordinated a match that then closed', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    await file(a, bsn);
    const second = await file(b, bsn);
    const third = await file(c, bsn);
    const matchId = second.match!.id;
    await t.services.coordination.act(actor(c), matchId, { action: 'take' });
    await t.services.coordination.recordContact(actor(c), matchId, today());
    await t.services.coordination.recordContact(actor(b), matchId, today());

    // C coordinates and leaves a match that carries on: the coordination is open again, C's contact goes.
    assert.equal(await t.services.signals.end(actor(c), third.signal.id, 'unjustified'), null);
    assert.deepEqual(await contactsOf(matchId), [{ signal_id: second.signal.id }]);
    assert.equal((await coordinationOf(matchId))?.state, 'open');

    // B takes over and leaves too: the match closes, and the coordination of the closed match lets B go.
    await t.services.coordination.act(actor(b), matchId, { action: 'take' });
    assert.equal(await t.services.signals.end(actor(b), second.signal.id, 'objection_upheld'), null);
    const match = await db().selectFrom('matches').select('status').where('id', '=', matchId).executeTakeFirstOrThrow();
    assert.equal(match.status, 'closed');
    const coordination = await coordinationOf(matchId);
    assert.deepEqual([coordination?.state, coordination?.coordinator_signal_id], ['open', null]);
    assert.deepEqual(await contactsOf(matchId), []);
    assert.deepEqual(await transitionsOf(matchId), [
      ['take', null],
      ['coordinator_left', third.signal.id],
      ['take', null],
      ['coordinator_left', second.signal.id],
    ]);
    const left = await db().selectFrom('signals').select('id').where('id', 'in', [second.signal.id, third.signal.id]).execute();
    assert.deepEqual(left, []);
  });

  test('the sweep purges signals that coordinated a match, with the match, its coordination and contacts, and then the person', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = await file(a, bsn);
    const second = await file(b, bsn);
    const matchId = second.match!.id;
    await t.services.coordination.act(actor(a), matchId, { action: 'take' });
    await t.services.coordination.act(actor(a), matchId, { action: 'propose_handover', targetSignalId: second.signal.id });
    await t.services.coordination.recordContact(actor(a), matchId, today());
    await t.services.coordination.recordContact(actor(b), matchId, today());
    const personKey = (await db().selectFrom('signals').select('person_key').where('id', '=', first.signal.id).executeTakeFirstOrThrow()).person_key;

    t.clock.advance(2 * YEAR + 2 * DAY);
    assert.ok((await t.services.jobs.runOnce()).expired >= 2);
    assert.equal((await coordinationOf(matchId))?.coordinator_signal_id, first.signal.id, 'a closed match keeps its coordinator until the purge');

    t.clock.advance(6 * YEAR);
    const swept = await t.services.jobs.runOnce();
    assert.ok(swept.purgedSignals >= 2);
    assert.ok(swept.purgedPersons >= 1);
    const remaining = await sql<{ n: number }>`select
        (select count(*) from signals where person_key = ${personKey})
      + (select count(*) from matches where person_key = ${personKey})
      + (select count(*) from coordinations where person_key = ${personKey})
      + (select count(*) from coordination_transitions where person_key = ${personKey})
      + (select count(*) from match_contacts where person_key = ${personKey})
      + (select count(*) from persons where person_key = ${personKey}) as n`.execute(db());
    assert.equal(Number(remaining.rows[0]!.n), 0);
    const purged = await db()
      .selectFrom('audit_events')
      .select(['event_type', 'resource_id'])
      .where('subject_key', '=', personKey)
      .where('event_type', 'in', ['signal.purged', 'person.purged'])
      .orderBy('id')
      .execute();
    assert.deepEqual(purged.map((e) => e.event_type).sort(), ['person.purged', 'signal.purged', 'signal.purged']);
  });
});
