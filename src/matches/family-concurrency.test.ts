/**
 * Family matching under concurrency, on both databases. 50 organisations filing at the same moment on
 * the seven children of one pair of parents (the RvIG's test family of 999998870 and 999998882) give
 * exactly one family match with all 50 signals, beside one person match per child; filings and
 * endings on one family at once leave its open family match holding exactly the active signals on its
 * children (an invariant under load; the narrow race the ending's family lock closes is proven by the
 * third test, which shows from a second connection that an ending holds the parent's family lock until
 * it commits). Changes of the registered parents (issue 18) running beside filings on the children of
 * the former and the new parent neither deadlock nor leave a signal in the family match of a parent who
 * is no longer its person's, and such a change holds the family locks of both parents until it commits.
 * On PostgreSQL the requests really run in parallel over a pool; the family locks (after the person
 * locks) serialise the family step. PGlite has one connection and runs them one by one.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { sql } from 'kysely';
import { createAuditLog } from '../audit/audit-log.ts';
import { applyRegisterAnswer } from '../jobs/register-changes.ts';
import { Bsn } from '../persons/bsn.ts';
import { createPersonCrypto } from '../persons/identity-keys.ts';
import { lockPerson } from '../persons/person-lock.ts';
import type { RegisteredPerson } from '../population-register/population-register.ts';
import { ageOn } from '../shared/calendar.ts';
import { requiredLegalBasis } from '../signals/legal-basis.ts';
import { endSignal, STEP_COLUMNS } from '../signals/signal-steps.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { createTestApp, TEST_KEYS, type TestApp, type TestOrganisation } from '../test-support/fixtures.ts';
import { type SwitchableRegister, switchableRegister } from '../test-support/register.ts';

const crypto = createPersonCrypto(TEST_KEYS);
const CHILDREN = ['999970355', '999970367', '999970379', '999970380', '999998869', '999999448', '999998894'];
const informed = { basis: 'informed', informed: ['legal_representative'], informedOn: '2026-03-10' };

describeOnEachDatabase(
  'concurrent family matching',
  (database, engine) => {
    let t: TestApp;
    let register: SwitchableRegister;
    let organisations: TestOrganisation[];
    before(async () => {
      register = switchableRegister();
      t = await createTestApp(database(), { register });
      organisations = [];
      for (let i = 0; i < 50; i++) organisations.push(await t.organisation());
    });
    after(() => t.close());

    test('50 filings on the children of one family at once give exactly one family match with all 50 signals', async () => {
      const responses = await Promise.all(
        organisations.map((o, i) =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/signals',
            headers: o.headers,
            payload: { person: { bsn: CHILDREN[i % CHILDREN.length] }, legalBasis: informed },
          }),
        ),
      );
      assert.deepEqual(
        responses.map((r) => r.statusCode),
        Array(50).fill(201),
        responses.find((r) => r.statusCode !== 201)?.body,
      );
      const answers = responses.map((r) => r.json() as { signal: { id: string }; familyMatches: { id: string }[] });
      const shown = new Set(answers.flatMap((a) => a.familyMatches.map((m) => m.id)));
      assert.equal(shown.size, 1, 'every answer that shows a family match shows the same one');

      const state = await sql<{ family: number; person: number; familyParticipants: number }>`
        select (select count(*)::int from matches where kind = 'family' and status = 'open') as family,
               (select count(*)::int from matches where kind = 'person' and status = 'open') as person,
               (select count(*)::int from match_participants where kind = 'family' and left_at is null) as "familyParticipants"`.execute(database().db);
      assert.deepEqual(state.rows[0], { family: 1, person: CHILDREN.length, familyParticipants: 50 });

      // Every signal was told exactly once how it came into the family match: with it when it was made, or joining it after.
      const events = await sql<{ event_type: string; signal: string; joined: string | null }>`
        select event_type, payload ->> 'signalId' as signal, payload ->> 'newSignalId' as joined
          from outbox where payload ->> 'matchKind' = 'family'`.execute(database().db);
      const founders = events.rows.filter((e) => e.event_type === 'match.created').map((e) => e.signal);
      const joiners = [...new Set(events.rows.filter((e) => e.event_type === 'match.participant_joined').map((e) => e.joined!))];
      assert.ok(founders.length >= 2);
      assert.deepEqual([...founders, ...joiners].sort(), answers.map((a) => a.signal.id).sort());
      // A filing whose answer shows no family match came before the match, and was one of those it was made with.
      for (const answer of answers.filter((a) => a.familyMatches.length === 0)) assert.ok(founders.includes(answer.signal.id));
    });

    test('filings and endings on one family at once: the open family match holds exactly the active signals on its children', async () => {
      // The children of 999998493 and 999998511 (all four share both parents).
      const family = ['999970392', '999999175', '999998523'];
      const early = [];
      for (const [i, org] of organisations.slice(0, 10).entries()) {
        const response = await t.app.inject({
          method: 'POST',
          url: '/api/v1/signals',
          headers: org.headers,
          payload: { person: { bsn: family[i % family.length] }, legalBasis: informed },
        });
        assert.equal(response.statusCode, 201, response.body);
        early.push({ org, id: (response.json() as { signal: { id: string } }).signal.id });
      }
      const work = [
        ...organisations.slice(10, 40).map((org, i) =>
          t.app.inject({
            method: 'POST',
            url: '/api/v1/signals',
            headers: org.headers,
            payload: { person: { bsn: family[i % family.length] }, legalBasis: informed },
          }),
        ),
        ...early.map(({ org, id }) =>
          t.app.inject({ method: 'POST', url: `/api/v1/signals/${id}/end`, headers: org.headers, payload: { reason: 'care_ended' } }),
        ),
      ];
      const responses = await Promise.all(work);
      assert.ok(
        responses.every((r) => r.statusCode === 200 || r.statusCode === 201),
        responses.find((r) => r.statusCode >= 300)?.body,
      );

      const keys = family.map((bsn) => crypto.personKey(Bsn.parse(bsn)!));
      const open = await sql<{ id: string }>`
        select distinct m.id from matches m join match_participants mp on mp.match_id = m.id
         where m.kind = 'family' and m.status = 'open' and mp.person_key in (${sql.join(keys)})`.execute(database().db);
      assert.equal(open.rows.length, 1, 'one open family match');
      const inMatch = await sql<{ id: string; status: string }>`
        select s.id, s.status from match_participants mp join signals s on s.id = mp.signal_id
         where mp.match_id = ${open.rows[0]!.id} and mp.left_at is null order by s.id`.execute(database().db);
      assert.ok(
        inMatch.rows.every((r) => r.status === 'active'),
        'no ended signal is still a participant',
      );
      const active = await sql<{ id: string }>`
        select s.id from signals s where s.status = 'active' and s.person_key in (${sql.join(keys)}) order by s.id`.execute(database().db);
      assert.deepEqual(
        inMatch.rows.map((r) => r.id),
        active.rows.map((r) => r.id),
        'every active signal on the children takes part',
      );
    });

    test('ending a signal holds the family locks of its person until it commits, so a family being formed waits for it', async (context) => {
      if (engine === 'pglite') {
        context.skip('one connection: no other transaction can ask for the lock');
        return;
      }
      // 999970665 is a child of 999970616 and 999970653.
      const child = crypto.personKey(Bsn.parse('999970665')!);
      const parent = crypto.personKey(Bsn.parse('999970616')!);
      const filed = await t.app.inject({
        method: 'POST',
        url: '/api/v1/signals',
        headers: organisations[45]!.headers,
        payload: { person: { bsn: '999970665' }, legalBasis: informed },
      });
      assert.equal(filed.statusCode, 201, filed.body);
      const signalId = (filed.json() as { signal: { id: string } }).signal.id;
      const db = database().db;
      const tryParentLock = async () =>
        (
          await sql<{
            ok: boolean;
          }>`select pg_try_advisory_xact_lock(7150100, ('x' || encode(substring(${parent}::bytea from 1 for 4), 'hex'))::bit(32)::int) as ok`.execute(db)
        ).rows[0]!.ok;
      assert.equal(await tryParentLock(), true, 'free before');
      const rollback = new Error('rollback');
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          await lockPerson(trx, child);
          const signal = await trx.selectFrom('signals').select(STEP_COLUMNS).where('id', '=', signalId).executeTakeFirstOrThrow();
          const ended = await endSignal(
            trx,
            { audit: createAuditLog(), settings: await t.services.settings.current() },
            { signal, reason: 'care_ended', now: t.clock.now(), actor: { kind: 'system', requestId: null } },
          );
          assert.equal(ended.outcome, 'ended');
          assert.equal(await tryParentLock(), false, "another connection cannot take the parent's family lock while the ending is open");
          throw rollback;
        }),
        (error) => error === rollback,
      );
      assert.equal(await tryParentLock(), true, 'free after');
    });

    /** A fresh answer of the register for this person with these parents, applied as the change path does. */
    const applyParents = async (person: RegisteredPerson, parents: string[]) => {
      const settings = await t.services.settings.current();
      await database()
        .db.transaction()
        .execute((trx) =>
          applyRegisterAnswer(
            trx,
            { audit: createAuditLog(), crypto, settings },
            {
              personKey: crypto.personKey(person.bsn),
              person: { ...person, parents: parents.map((p) => Bsn.parse(p)!) },
              now: t.clock.now(),
              purpose: 'changes',
            },
          ),
        );
    };
    const fileOn = (org: TestOrganisation, person: RegisteredPerson) => {
      const requirement = requiredLegalBasis(ageOn(person.dateOfBirth!, '2026-03-10'));
      const legalBasis =
        requirement.kind === 'consent'
          ? { basis: 'consent', givenBy: 'person', givenOn: '2026-03-10' }
          : { basis: 'informed', informed: requirement.parties, informedOn: '2026-03-10' };
      return t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: { person: { bsn: person.bsn.reveal() }, legalBasis } });
    };

    test("changes of parents beside filings on the children of the former and the new parent: no deadlock, and every family match holds exactly its parent's current children", async () => {
      // Two parents, each with children of their own, and four children of other parents whom the register moves between them.
      const P = '999970124';
      const Q = '999970318';
      const children = ['999970161', '999970173', '999970185', '999970264', '999970276', '999970306', '999970343'];
      const movers = [
        { bsn: '999970100', own: '999970094' },
        { bsn: '999970112', own: '999970094' },
        { bsn: '999970215', own: '999970197' },
        { bsn: '999970227', own: '999970197' },
      ];
      const persons = new Map(
        (await register.embedded.lookup([...children, ...movers.map((m) => m.bsn)].map((d) => Bsn.parse(d)!))).map((p) => [p.bsn.reveal(), p]),
      );
      const orgs: TestOrganisation[] = [];
      for (let i = 0; i < 18; i++) orgs.push(await t.organisation());
      for (const [i, mover] of movers.entries()) assert.equal((await fileOn(orgs[i]!, persons.get(mover.bsn)!)).statusCode, 201);

      // Each mover's register changes one after the other (P, then Q, then neither, then P again); the movers, and the filings, side by side.
      const chains = movers.map(async (mover) => {
        for (const extra of [[P], [Q], [], [P]]) await applyParents(persons.get(mover.bsn)!, [mover.own, ...extra]);
      });
      const filings = orgs.slice(4).map((org, i) => fileOn(org, persons.get(children[i % children.length]!)!));
      const [, responses] = await Promise.all([Promise.all(chains), Promise.all(filings)]);
      assert.ok(
        responses.every((r) => r.statusCode === 201),
        responses.find((r) => r.statusCode !== 201)?.body,
      );

      const db = database().db;
      const stale = await sql<{ n: number }>`
        select count(*)::int as n from match_participants mp
          join matches m on m.id = mp.match_id join person_register r on r.person_key = mp.person_key
         where m.kind = 'family' and m.status = 'open' and mp.left_at is null and not (m.person_key = any(r.parent_keys))`.execute(db);
      assert.equal(stale.rows[0]!.n, 0, "no signal takes part in the family match of a parent who is no longer its person's");
      for (const parent of [P, Q]) {
        const key = crypto.personKey(Bsn.parse(parent)!);
        const open = await sql<{ id: string }>`select id from matches where kind = 'family' and status = 'open' and person_key = ${key}`.execute(db);
        assert.equal(open.rows.length, 1, `one open family match of ${parent}`);
        const inMatch = await sql<{ id: string }>`
          select signal_id::text as id from match_participants where match_id = ${open.rows[0]!.id} and left_at is null order by 1`.execute(db);
        const current = await sql<{ id: string }>`
          select s.id::text as id from signals s join person_register r on r.person_key = s.person_key
           where s.status = 'active' and ${key}::bytea = any(r.parent_keys) order by 1`.execute(db);
        assert.deepEqual(
          inMatch.rows.map((r) => r.id),
          current.rows.map((r) => r.id),
          `the family match of ${parent} holds exactly the active signals on its current children`,
        );
      }
      const moverSignals = await sql<{ n: number }>`
        select count(*)::int as n from match_participants mp join matches m on m.id = mp.match_id
         where m.kind = 'family' and m.status = 'open' and mp.left_at is null and m.person_key = ${crypto.personKey(Bsn.parse(P)!)}
           and mp.person_key in (${sql.join(movers.map((m) => crypto.personKey(Bsn.parse(m.bsn)!)))})`.execute(db);
      assert.equal(moverSignals.rows[0]!.n, movers.length, 'the movers ended as children of P, and take part in its match');
    });

    test('a change of parents holds the family locks of the former and the new parent until it commits', async (context) => {
      if (engine === 'pglite') {
        context.skip('one connection: no other transaction can ask for the lock');
        return;
      }
      // 999970641 is a child of 999970616 and 999970653; the register replaces 999970653 by 999970057.
      const [child] = await register.embedded.lookup([Bsn.parse('999970641')!]);
      const filed = await fileOn(organisations[46]!, child!);
      assert.equal(filed.statusCode, 201, filed.body);
      const db = database().db;
      const tryLock = async (digits: string) =>
        (
          await sql<{
            ok: boolean;
          }>`select pg_try_advisory_xact_lock(7150100, ('x' || encode(substring(${crypto.personKey(Bsn.parse(digits)!)}::bytea from 1 for 4), 'hex'))::bit(32)::int) as ok`.execute(
            db,
          )
        ).rows[0]!.ok;
      assert.deepEqual([await tryLock('999970653'), await tryLock('999970057')], [true, true], 'free before');
      const rollback = new Error('rollback');
      const settings = await t.services.settings.current();
      await assert.rejects(
        db.transaction().execute(async (trx) => {
          const applied = await applyRegisterAnswer(
            trx,
            { audit: createAuditLog(), crypto, settings },
            {
              personKey: crypto.personKey(child!.bsn),
              person: { ...child!, parents: [Bsn.parse('999970616')!, Bsn.parse('999970057')!] },
              now: t.clock.now(),
              purpose: 'changes',
            },
          );
          assert.deepEqual(applied.changes, ['parents_changed']);
          assert.deepEqual(
            [await tryLock('999970653'), await tryLock('999970057')],
            [false, false],
            "another connection can take neither the former nor the new parent's family lock while the change is open",
          );
          throw rollback;
        }),
        (error) => error === rollback,
      );
      assert.deepEqual([await tryLock('999970653'), await tryLock('999970057')], [true, true], 'free after');
    });
  },
  { poolSize: 16 },
);
