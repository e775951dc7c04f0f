/**
 * A family match over the lifetime of its signals, on both databases: the sweep expires signals (the
 * family match closes with them, as a person match does), an ending that purges at once leaves it,
 * and when every signal that took part is purged the family match goes too, with its coordination.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createAuditLog } from '../audit/audit-log.ts';
import { transferSignals } from '../signals/signal-transfer.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { switchableRegister } from '../test-support/register.ts';

const informed = { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-03-10' };
const DAY = 86_400_000;

describeOnEachDatabase('family matches over the lifetime of their signals', (database) => {
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { register: switchableRegister() });
  });
  after(() => t.close());

  const file = async (org: TestOrganisation, bsn: string) => {
    t.clock.advance(1000);
    const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: { person: { bsn }, legalBasis: informed } });
    assert.equal(response.statusCode, 201, response.body);
    return response.json() as { signal: { id: string }; familyMatches: { id: string }[] };
  };
  const matchRow = (id: string) => database().db.selectFrom('matches').select(['status', 'kind']).where('id', '=', id).executeTakeFirst();

  test('ended at once (unjustified): the signal leaves and is purged; the others keep their family match', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    // The children of 999970124: 999970161, 999970185, 999970173.
    const first = await file(a, '999970161');
    await file(b, '999970185');
    const third = await file(c, '999970173');
    const matchId = third.familyMatches[0]!.id;
    const ended = await t.app.inject({ method: 'POST', url: `/api/v1/signals/${first.signal.id}/end`, headers: a.headers, payload: { reason: 'unjustified' } });
    assert.equal(ended.statusCode, 204, ended.body);
    assert.equal((await matchRow(matchId))?.status, 'open');
    const participants = await sql<{ n: number }>`select count(*)::int as n from match_participants where match_id = ${matchId}`.execute(database().db);
    assert.equal(participants.rows[0]!.n, 2, 'the purged signal is gone from it');
  });

  test('the sweep expires the signals: the family match closes, and goes once every signal in it is purged', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    // The children of 999970987: 999971001 and 999971013.
    await file(a, '999971001');
    const second = await file(b, '999971013');
    const matchId = second.familyMatches[0]!.id;
    const taken = await t.app.inject({ method: 'POST', url: `/api/v1/matches/${matchId}/coordination`, headers: b.headers, payload: { action: 'take' } });
    assert.equal(taken.statusCode, 200, taken.body);

    t.clock.advance(25 * 30 * DAY);
    await t.services.jobs.runOnce();
    assert.equal((await matchRow(matchId))?.status, 'closed');
    assert.equal((await matchRow(matchId))?.kind, 'family');

    t.clock.advance(61 * 30 * DAY);
    await t.services.jobs.runOnce();
    assert.equal(await matchRow(matchId), undefined, 'purged with its signals');
    const coordination = await sql<{ n: number }>`select count(*)::int as n from coordinations where match_id = ${matchId}`.execute(database().db);
    assert.equal(coordination.rows[0]!.n, 0);
  });

  test("a leaver's signals transferred: the one the colleague already has on that child ends, the other moves; the family match holds the active ones", async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const leaving = await t.colleague(a);
    const colleague = await t.colleague(a);
    const as = (org: TestOrganisation, professionalId: string) => ({ ...org, headers: { ...org.headers, 'sluis-professional-id': professionalId } });
    // Children of 999970513 and 999970501: 999970537, 999970562, 999970525.
    await file(as(a, leaving.professionalId), '999970537');
    await file(as(a, leaving.professionalId), '999970562');
    await file(as(a, colleague.professionalId), '999970537');
    const third = await file(b, '999970525');
    const matchId = third.familyMatches[0]!.id;
    const before = await sql<{ n: number }>`select count(*)::int as n from match_participants where match_id = ${matchId} and left_at is null`.execute(
      database().db,
    );
    assert.equal(before.rows[0]!.n, 4);

    const coordinator = { kind: 'professional' as const, professionalId: a.professionalId, organisationId: a.id, apiClientId: null, requestId: 'test' };
    await transferSignals({ db: t.services.db, clock: t.clock, audit: createAuditLog(), settings: t.services.settings }, coordinator, {
      fromProfessionalId: leaving.professionalId,
      toProfessionalId: colleague.professionalId,
    });
    assert.equal((await matchRow(matchId))?.status, 'open');
    const after = await sql<{ status: string; professional_id: string }>`
      select s.status, s.professional_id from match_participants mp join signals s on s.id = mp.signal_id
       where mp.match_id = ${matchId} and mp.left_at is null`.execute(database().db);
    assert.equal(after.rows.length, 3);
    assert.ok(after.rows.every((r) => r.status === 'active'));
    assert.deepEqual(after.rows.filter((r) => r.professional_id === colleague.professionalId).length, 2);
  });
});
