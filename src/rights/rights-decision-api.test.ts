/**
 * Carrying out a decision on a rights request, through the API on both databases: only administrators
 * and privacy officers may; an upheld objection and an erasure purge (an erasure leaves no row with the
 * person key but the audit trail and the requests), a restriction makes no match and no mail for a new
 * signal and can be lifted, a correction changes the person details on the active signals (audited
 * without values), an own statement is stored sealed and shown on the signal page. Each is mailed to
 * the professionals concerned, read back from the deliveries.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import type { Database } from '../db/database.ts';
import { Bsn } from '../persons/bsn.ts';
import { ageOn } from '../shared/calendar.ts';
import { requiredLegalBasis } from '../signals/legal-basis.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, randomBsn, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { switchableRegister, TEST_PERSONS } from '../test-support/register.ts';
import { requesterFor } from './rights-rules.ts';

type Mail = { to: string; subject: string; text: string };

/** Every table column that can hold a person key (bytea, or an array of bytea) that holds this one, as table.column. */
async function rowsWithKey(database: Database, key: Uint8Array): Promise<string[]> {
  const columns = (
    await sql<{ table_name: string; column_name: string; udt_name: string }>`select c.table_name, c.column_name, c.udt_name
      from information_schema.columns c join information_schema.tables t on t.table_name = c.table_name and t.table_schema = c.table_schema
      where c.table_schema = current_schema() and t.table_type = 'BASE TABLE' and c.udt_name in ('bytea', '_bytea')
      order by c.table_name, c.column_name`.execute(database.db)
  ).rows;
  const found: string[] = [];
  for (const column of columns) {
    const holds =
      column.udt_name === 'bytea'
        ? sql`${sql.ref(column.column_name)} = ${Buffer.from(key)}`
        : sql`${Buffer.from(key)}::bytea = any(${sql.ref(column.column_name)})`;
    const rows = await sql<{ n: number }>`select count(*)::int as n from ${sql.table(column.table_name)} where ${holds}`.execute(database.db);
    if ((rows.rows[0]?.n ?? 0) > 0) found.push(`${column.table_name}.${column.column_name}`);
  }
  return found;
}

describeOnEachDatabase('carrying out a rights decision (API)', (database) => {
  let t: TestApp;
  /** The same index with the embedded population register, for register data. */
  let withRegister: TestApp;
  const register = switchableRegister();
  let privacy: Record<string, string>;
  let officer: Record<string, string>;
  before(async () => {
    t = await createTestApp(database());
    withRegister = await createTestApp(database(), { register, start: '2026-03-10T09:00:00Z' });
    const member = await t.services.staff.create(t.admin, { name: 'Privacy', email: `pf-${randomUUID()}@gemeente.example`, roles: ['privacy_officer'] });
    privacy = { authorization: `Bearer ${member.token}` };
    const escalation = await t.services.staff.create(t.admin, {
      name: 'Functionaris',
      email: `f-${randomUUID()}@gemeente.example`,
      roles: ['escalation_officer'],
    });
    officer = { authorization: `Bearer ${escalation.token}` };
  });
  after(async () => {
    await t.close();
    await withRegister.close();
  });

  const call = (method: 'GET' | 'POST' | 'PATCH', url: string, headers: Record<string, string>, payload?: unknown) =>
    t.app.inject({ method, url: `/api/v1${url}`, headers, ...(payload !== undefined && { payload: payload as object }) });
  const keyOf = (bsn: string) => t.services.crypto.personKey(Bsn.parse(bsn)!);
  const file = async (org: TestOrganisation, bsn: string, app = t) => {
    t.clock.advance(1000);
    app.clock.set(t.clock.now().toISOString());
    const filed = await app.app.inject({
      method: 'POST',
      url: '/api/v1/signals',
      headers: org.headers,
      payload: app === t ? adultSignal(bsn) : { person: { bsn }, legalBasis: adultSignal(bsn).legalBasis },
    });
    assert.ok(filed.statusCode === 201 || filed.statusCode === 200, filed.body);
    return filed.json() as { signal: { id: string }; match: { id: string } | null };
  };
  /** A request of this kind on the person, registered and granted. */
  const granted = async (bsn: string, kind: string, dateOfBirth = '1980-05-17') => {
    const created = await call('POST', '/rights-requests', privacy, {
      person: { identifiedBy: 'bsn', bsn, dateOfBirth },
      kind,
      receivedOn: '2026-03-10',
      through: 'person',
      requester: 'person',
      identityCheck: 'id_document_seen',
    });
    assert.equal(created.statusCode, 201, created.body);
    const id = created.json().id as string;
    const decided = await call('POST', `/rights-requests/${id}/decision`, privacy, { decision: 'granted', reasons: [], decidedOn: '2026-03-10' });
    assert.equal(decided.statusCode, 200, decided.body);
    return id;
  };
  const execute = (id: string, body: object = {}, headers = privacy) => call('POST', `/rights-requests/${id}/execution`, headers, body);
  /** The decision mails dispatched since `afterId`, by recipient professional. */
  const decisionMails = async () => {
    await t.services.dispatcher.dispatchBatch();
    const rows = await sql<{ professional_id: string; message: Mail }>`select professional_id, message from deliveries
      where event_type = 'rights.decision_carried_out' order by id`.execute(database().db);
    return rows.rows;
  };
  const outboxCount = async (type: string) =>
    (await sql<{ n: number }>`select count(*)::int as n from outbox where event_type = ${type}`.execute(database().db)).rows[0]!.n;

  test('only administrators and privacy officers carry out decisions; a professional, an escalation officer, no credentials are refused', async () => {
    const org = await t.organisation();
    const bsn = randomBsn();
    await file(org, bsn);
    const id = await granted(bsn, 'restriction');
    for (const [headers, status] of [
      [{}, 401],
      [officer, 403],
      [org.headers, 403],
      [{ authorization: org.headers.authorization! }, 403],
    ] as const) {
      assert.equal((await execute(id, {}, headers)).statusCode, status);
      assert.equal((await call('POST', `/rights-requests/${id}/restriction-lifting`, headers)).statusCode, status);
    }
    const escalationActor = { kind: 'staff' as const, staffMemberId: randomUUID(), roles: ['escalation_officer' as const], apiClientId: null, requestId: 'x' };
    await assert.rejects(t.services.rightsDecisions.carryOut(escalationActor, id), { status: 403 });
    await assert.rejects(t.services.rightsDecisions.liftRestriction(escalationActor, id), { status: 403 });
    const restricted = await database().db.selectFrom('persons').select('restricted_at').where('person_key', '=', keyOf(bsn)).executeTakeFirstOrThrow();
    assert.equal(restricted.restricted_at, null, 'nothing was carried out by those refused');
    assert.equal((await execute(id, {}, t.adminHeaders)).statusCode, 200, 'an administrator may');
  });

  test('a decision is carried out once, only when (partly) granted, and only for the kinds SluiS carries out', async () => {
    const org = await t.organisation();
    const bsn = randomBsn();
    await file(org, bsn);
    const created = await call('POST', '/rights-requests', privacy, {
      person: { identifiedBy: 'bsn', bsn, dateOfBirth: '1980-05-17' },
      kind: 'objection',
      receivedOn: '2026-03-10',
      through: 'person',
      requester: 'person',
      identityCheck: 'digid',
    });
    const id = created.json().id;
    assert.equal((await execute(id)).statusCode, 409, 'not before the decision');
    await call('POST', `/rights-requests/${id}/decision`, privacy, {
      decision: 'refused',
      reasons: ['compelling_legitimate_grounds'],
      decidedOn: '2026-03-10',
    });
    assert.equal((await execute(id)).statusCode, 409, 'not when refused');
    const inspection = await granted(bsn, 'inspection');
    assert.equal((await execute(inspection)).statusCode, 409, 'an inspection is answered with the report');
    const statement = await granted(bsn, 'own_statement');
    assert.equal((await execute(statement, { correction: { gender: 'female' } })).statusCode, 422, 'a statement request takes no correction');
    assert.equal((await execute(statement, {})).statusCode, 422, 'and needs the statement');
    assert.equal((await execute(randomUUID())).statusCode, 404);
  });

  test('objection upheld: every signal on the person ends as objection upheld and is purged, the others in the match are told; each signaller is mailed without a link', async () => {
    const [a, b, c] = [await t.organisation(), await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = await file(a, bsn);
    const second = await file(b, bsn);
    assert.ok(second.match, 'a match');
    const third = await file(c, bsn);
    // C's signal ends and is kept as history: the end step cannot reach it, the erase step does.
    assert.equal((await call('POST', `/signals/${third.signal.id}/end`, c.headers, { reason: 'care_ended' })).statusCode, 200);
    const before = (await decisionMails()).length;
    const id = await granted(bsn, 'objection');
    const done = await execute(id);
    assert.equal(done.statusCode, 200, done.body);
    assert.deepEqual({ kind: done.json().kind, signals: done.json().signals, notified: done.json().notified }, { kind: 'objection', signals: 3, notified: 3 });
    const key = keyOf(bsn);
    assert.equal((await database().db.selectFrom('signals').select('id').where('person_key', '=', key).execute()).length, 0);
    assert.equal(await database().db.selectFrom('persons').select('person_key').where('person_key', '=', key).executeTakeFirst(), undefined);
    const audit = await sql<{ event_type: string; reason: string | null }>`select event_type, details ->> 'reason' as reason from audit_events
      where subject_key = ${key} and event_type in ('signal.ended', 'signal.purged') order by id`.execute(database().db);
    assert.deepEqual(
      audit.rows.filter((r) => r.event_type === 'signal.ended').map((r) => r.reason),
      ['care_ended', 'objection_upheld', 'objection_upheld'],
    );
    assert.ok(audit.rows.filter((r) => r.event_type === 'signal.purged').every((r) => r.reason === 'objection_upheld'));
    assert.equal((await execute(id)).statusCode, 409, 'once');

    const mails = (await decisionMails()).slice(before);
    assert.deepEqual(mails.map((m) => m.professional_id).sort(), [a.professionalId, b.professionalId, c.professionalId].sort());
    for (const { message } of mails) {
      assert.match(message.text, /De gemeente heeft een besluit uitgevoerd over een persoon op wie u een signaal heeft/);
      assert.match(message.text, /bestaat niet meer/);
      assert.ok(!message.text.includes('/signalen/'), 'no link to a purged signal');
      assert.ok(!message.text.includes(first.signal.id) && !message.text.includes('Boer') && !message.text.includes(bsn));
    }
  });

  test('erasure: everything about the person goes — signals, match participation, register data, statement, the person — but the audit trail and the requests; the signallers are mailed', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = TEST_PERSONS.johan;
    const first = await file(a, bsn, withRegister);
    const second = await file(b, bsn, withRegister);
    assert.ok(second.match);
    const key = keyOf(bsn);
    assert.ok(await database().db.selectFrom('person_register').select('person_key').where('person_key', '=', key).executeTakeFirst(), 'register data held');
    const statement = await granted(bsn, 'own_statement', '1985-05-27');
    assert.equal((await execute(statement, { statement: 'Ik ben het niet eens met dit signaal.' })).statusCode, 200);
    const before = (await decisionMails()).length;

    const id = await granted(bsn, 'erasure', '1985-05-27');
    const done = await execute(id);
    assert.equal(done.statusCode, 200, done.body);
    assert.equal(done.json().signals, 2);
    assert.deepEqual(await rowsWithKey(database(), key), ['audit_events.subject_key', 'rights_requests.person_key']);
    const match = await database().db.selectFrom('matches').select('id').where('id', '=', second.match!.id).executeTakeFirst();
    assert.equal(match, undefined, 'the match nobody takes part in any more is gone');
    const request = await call('GET', `/rights-requests/${id}`, privacy);
    assert.equal(request.statusCode, 200, 'the request stays as the record of the decision');

    // The audit trail keeps the pseudonym and the fact, and no detail holds person data.
    const audit = await sql<{
      event_type: string;
      details: unknown;
    }>`select event_type, details from audit_events where subject_key = ${key} order by id`.execute(database().db);
    assert.ok(audit.rows.some((r) => r.event_type === 'rights.person_erased'));
    assert.ok(audit.rows.some((r) => r.event_type === 'person.purged'));
    const details = JSON.stringify(audit.rows.map((r) => r.details));
    for (const value of ['Boer', 'Groot', 'Esselink', '1985-05-27', 'Coolsingel', bsn, 'niet eens']) assert.ok(!details.includes(value), value);

    const mails = (await decisionMails()).slice(before);
    assert.deepEqual(mails.map((m) => m.professional_id).sort(), [a.professionalId, b.professionalId].sort());
    assert.ok(mails.every((m) => !m.message.text.includes('/signalen/') && !m.message.text.includes(first.signal.id)));
    assert.match(mails[0]!.message.text, /verwijderd/);
  });

  test('restriction: a new signal on the person makes no match and no mail; the signals are kept and the signal page says so; lifting it lets matching catch up, audited', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = await file(a, bsn);
    const id = await granted(bsn, 'restriction');
    const before = (await decisionMails()).length;
    const done = await execute(id);
    assert.equal(done.statusCode, 200, done.body);
    const mails = (await decisionMails()).slice(before);
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.professional_id, a.professionalId);
    assert.ok(mails[0]!.message.text.includes(`https://sluis.test/signalen/${first.signal.id}`), 'a link to their signal');
    assert.match(mails[0]!.message.text, /beperkt/);

    const matchMails = await outboxCount('match.created');
    const second = await file(b, bsn);
    assert.equal(second.match, null, 'no match for a restricted person');
    assert.equal(await outboxCount('match.created'), matchMails, 'and no match notification');
    assert.equal((await database().db.selectFrom('matches').select('id').where('person_key', '=', keyOf(bsn)).execute()).length, 0);
    assert.equal((await database().db.selectFrom('signals').select('id').where('person_key', '=', keyOf(bsn)).execute()).length, 2, 'the signals are kept');

    const actorB = { kind: 'professional' as const, professionalId: b.professionalId, organisationId: b.id, apiClientId: null, requestId: 'x' };
    const notices = await t.services.rightsDecisions.noticesForSignal(actorB, second.signal.id);
    assert.ok(notices.restrictedAt, 'the signal page shows the restriction');
    const actorA = { kind: 'professional' as const, professionalId: a.professionalId, organisationId: a.id, apiClientId: null, requestId: 'x' };
    await assert.rejects(t.services.rightsDecisions.noticesForSignal(actorA, second.signal.id), { status: 404 }, "not on another's signal");

    const lifted = await call('POST', `/rights-requests/${id}/restriction-lifting`, privacy);
    assert.equal(lifted.statusCode, 200, lifted.body);
    assert.equal((await call('POST', `/rights-requests/${id}/restriction-lifting`, privacy)).statusCode, 409, 'once');
    const matches = await database().db.selectFrom('matches').select(['id', 'status']).where('person_key', '=', keyOf(bsn)).execute();
    assert.deepEqual(
      matches.map((m) => m.status),
      ['open'],
      'the match the restriction held back is made',
    );
    assert.equal(await outboxCount('match.created'), matchMails + 2);
    const audit = await sql<{
      event_type: string;
    }>`select event_type from audit_events where subject_key = ${keyOf(bsn)} and event_type like 'rights.%' order by id`.execute(database().db);
    assert.deepEqual(
      audit.rows.map((r) => r.event_type),
      ['rights.person_restricted', 'rights.decision_carried_out', 'rights.restriction_read', 'rights.restriction_lifted'],
    );
  });

  test('correction: the person details on every active signal are corrected; the audit names the fields, never the values; the signallers are mailed with a link', async () => {
    const [a, b] = [await t.organisation(), await t.organisation()];
    const bsn = randomBsn();
    const first = await file(a, bsn);
    const second = await file(b, bsn);
    const id = await granted(bsn, 'correction');
    const before = (await decisionMails()).length;
    const done = await execute(id, { correction: { name: { givenNames: 'Johannes', familyName: 'Bakker' }, dateOfBirth: '1980-05-18' } });
    assert.equal(done.statusCode, 200, done.body);
    for (const [org, filed] of [
      [a, first],
      [b, second],
    ] as const) {
      const signal = (await call('GET', `/signals/${filed.signal.id}`, org.headers)).json();
      assert.deepEqual(signal.person.name, { givenNames: 'Johannes', familyName: 'Bakker' });
      assert.equal(signal.person.dateOfBirth, '1980-05-18');
      assert.equal(signal.person.gender, 'male', 'the other fields stay');
    }
    const audit = await sql<{ details: Record<string, unknown> }>`select details from audit_events where event_type = 'rights.details_corrected'
      and subject_key = ${keyOf(bsn)}`.execute(database().db);
    assert.equal(audit.rows.length, 2);
    for (const row of audit.rows) {
      assert.deepEqual(row.details, { changed: 'name,dateOfBirth' });
      assert.ok(!JSON.stringify(row.details).includes('Bakker'));
    }
    const mails = (await decisionMails()).slice(before);
    assert.deepEqual(mails.map((m) => m.professional_id).sort(), [a.professionalId, b.professionalId].sort());
    assert.ok(mails.every((m) => m.message.text.includes('/signalen/') && !m.message.text.includes('Bakker')));
  });

  test('own statement: stored sealed, shown on the signal page of a professional with an active signal (audited when added and shown), mailed with a link', async () => {
    const a = await t.organisation();
    const bsn = randomBsn();
    const filed = await file(a, bsn);
    const id = await granted(bsn, 'own_statement');
    const words = 'Ik krijg al hulp van mijn huisarts en wil niet dat anderen contact opnemen.';
    assert.equal((await execute(id, { statement: 'x'.repeat(1001) })).statusCode, 422, 'at most 1000 characters');
    const done = await execute(id, { statement: words });
    assert.equal(done.statusCode, 200, done.body);
    const stored = await database().db.selectFrom('person_statements').selectAll().where('person_key', '=', keyOf(bsn)).executeTakeFirstOrThrow();
    assert.ok(!Buffer.from(stored.statement_ciphertext).toString('utf8').includes('huisarts'), 'sealed at rest');
    const actor = { kind: 'professional' as const, professionalId: a.professionalId, organisationId: a.id, apiClientId: null, requestId: 'x' };
    const notices = await t.services.rightsDecisions.noticesForSignal(actor, filed.signal.id);
    assert.equal(notices.statement?.text, words);
    assert.equal(notices.restrictedAt, null);
    const audit = await sql<{
      event_type: string;
    }>`select event_type from audit_events where subject_key = ${keyOf(bsn)} and event_type like 'rights.statement%' order by id`.execute(database().db);
    assert.deepEqual(
      audit.rows.map((r) => r.event_type),
      ['rights.statement_added', 'rights.statement_read'],
    );
    const mails = await decisionMails();
    const mine = mails.filter((m) => m.professional_id === a.professionalId);
    assert.equal(mine.length, 1);
    assert.match(mine[0]!.message.text, /eigen verklaring/);
    assert.ok(!mine[0]!.message.text.includes('huisarts'), 'the mail does not carry the statement');
  });

  test('restriction: family and address matching skip a restricted person — a sibling at the same address makes no match with their signal', async () => {
    const settings = await call('GET', '/settings', t.adminHeaders);
    const patched = await withRegister.app.inject({
      method: 'PATCH',
      url: '/api/v1/settings',
      headers: t.adminHeaders,
      payload: { familyMatching: true, addressMatching: true },
    });
    assert.equal(patched.statusCode, 200, patched.body);
    try {
      const [restrictedChild, sibling] = ['999999370', '999999382'];
      const born = new Map((await register.embedded.lookup([restrictedChild, sibling].map((d) => Bsn.parse(d)!))).map((p) => [p.bsn.reveal(), p.dateOfBirth!]));
      const fileChild = async (org: TestOrganisation, digits: string) => {
        t.clock.advance(1000);
        withRegister.clock.set(t.clock.now().toISOString());
        const requirement = requiredLegalBasis(ageOn(born.get(digits)!, '2026-03-10'));
        const legalBasis =
          requirement.kind === 'consent'
            ? { basis: 'consent', givenBy: 'person', givenOn: '2026-03-10' }
            : { basis: 'informed', informed: requirement.parties, informedOn: '2026-03-10' };
        const filed = await withRegister.app.inject({
          method: 'POST',
          url: '/api/v1/signals',
          headers: org.headers,
          payload: { person: { bsn: digits }, legalBasis },
        });
        assert.ok(filed.statusCode < 300, filed.body);
        return filed.json() as { signal: { id: string }; familyMatches: unknown[]; addressMatches?: unknown[] };
      };
      const [a, b] = [await t.organisation(), await t.organisation()];
      const first = await fileChild(a, restrictedChild);
      const dateOfBirth = born.get(restrictedChild)!;
      const created = await call('POST', '/rights-requests', privacy, {
        person: { identifiedBy: 'bsn', bsn: restrictedChild, dateOfBirth },
        kind: 'restriction',
        receivedOn: '2026-03-10',
        through: 'person',
        requester: requesterFor(dateOfBirth, '2026-03-10'),
        identityCheck: 'representative_authority_checked',
      });
      assert.equal(created.statusCode, 201, created.body);
      await call('POST', `/rights-requests/${created.json().id}/decision`, privacy, { decision: 'granted', reasons: [], decidedOn: '2026-03-10' });
      assert.equal((await execute(created.json().id)).statusCode, 200);

      const second = await fileChild(b, sibling);
      assert.deepEqual(second.familyMatches, [], 'no family match with the restricted child');
      const joined = await database()
        .db.selectFrom('match_participants')
        .select('match_id')
        .where('signal_id', 'in', [first.signal.id, second.signal.id])
        .execute();
      assert.deepEqual(joined, [], 'neither signal takes part in a family or address match');
    } finally {
      const { familyMatching, addressMatching } = settings.json();
      await call('PATCH', '/settings', t.adminHeaders, { familyMatching, addressMatching });
    }
  });
});
