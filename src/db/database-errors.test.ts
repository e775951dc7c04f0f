/**
 * A database error carries no data, on either engine: not the statement's parameters (PGlite), not
 * PostgreSQL's `where` context or `detail` ("Failing row contains (…)", "Key (…)=(…)"), not a message
 * that quotes a value. Filings that fail in the database, through the API and the pages, answer 500
 * and leave a log line with the SQLSTATE, the constraint and the request id, and none of the person's
 * details, BSN, pseudonym or ciphertext.
 */
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { inspect } from 'node:util';
import { sql } from 'kysely';
import { Bsn } from '../persons/bsn.ts';
import { serializeError } from '../shared/logging.ts';
import { describeOnEachDatabase } from '../test-support/databases.ts';
import { adultSignal, createTestApp, type TestApp } from '../test-support/fixtures.ts';
import { captureLog, leakedIn } from '../test-support/log-capture.ts';
import { signInByInject, webProfessional } from '../test-support/web.ts';
import { DatabaseError } from './errors.ts';

const PERSON = {
  givenNames: 'Xandrijn',
  familyName: 'Quellinckx',
  street: 'Zwaluwpad',
  houseNumber: '717',
  postcode: '9797 QX',
  city: 'Ootmarsum',
  dateOfBirth: '1961-07-23',
  clientReference: 'dossier-77341',
};

function filing(bsn: string) {
  return adultSignal(bsn, '2026-03-10', {
    person: {
      bsn,
      name: { givenNames: PERSON.givenNames, familyName: PERSON.familyName },
      dateOfBirth: PERSON.dateOfBirth,
      gender: 'female',
      address: { street: PERSON.street, houseNumber: PERSON.houseNumber, postcode: PERSON.postcode, city: PERSON.city },
    },
    clientReference: PERSON.clientReference,
  });
}

/** Everything about the person that a leaking log line could hold. */
function secretsOf(t: TestApp, bsn: string): (string | Uint8Array)[] {
  const personKey = t.services.crypto.personKey(Bsn.parse(bsn)!);
  // The house number alone is left out: three digits turn up in any timestamp.
  const { houseNumber: _digits, ...words } = PERSON;
  return [bsn, personKey, ...Object.values(words), '23-07-1961', `${PERSON.street} ${PERSON.houseNumber}`];
}

/** Ways to make the database refuse a filing, each with what it puts in the driver's error. */
const FAILURES = [
  {
    name: 'a check constraint (detail: the failing row)',
    install: sql`alter table signals add constraint forced_failure check (false) not valid`,
    remove: sql`alter table signals drop constraint forced_failure`,
    code: '23514',
    constraint: 'forced_failure',
  },
  {
    name: 'a trigger that quotes the row in its message, detail and hint',
    install: sql`create function forced_failure() returns trigger language plpgsql as $$
      begin
        raise exception 'refused %', new.person_details using detail = new.person_details::text, hint = new.person_date_of_birth::text, errcode = 'P0001';
      end $$;
      create trigger forced_failure before insert on signals for each row execute function forced_failure()`,
    remove: sql`drop trigger forced_failure on signals; drop function forced_failure()`,
    code: 'P0001',
    constraint: undefined,
  },
  {
    name: 'a unique index on the family name (detail: the key)',
    install: sql`create unique index forced_failure on signals ((person_details -> 'name' ->> 'familyName'))`,
    remove: sql`drop index forced_failure`,
    code: '23505',
    constraint: 'forced_failure',
  },
] as const;

describeOnEachDatabase('database errors', (database, engine) => {
  const log = captureLog();
  let t: TestApp;
  before(async () => {
    t = await createTestApp(database(), { logger: log.logger });
  });
  after(() => t.close());

  test('a refused statement throws a DatabaseError with only the SQLSTATE and the constraint', async () => {
    const secrets = ['Quellinckx\u0000', 'Quellinckx', '708227156'];
    const refusals = [
      sql`select ${'Quellinckx\u0000'}::text as name`, // NUL: PGlite refuses it in a parameter, PostgreSQL's driver in the protocol
      sql`select ${'708227156'}::uuid as id`,
      sql`select ${JSON.stringify({ familyName: 'Quellinckx\u0000' })}::jsonb as details`,
      sql`select 1 / (length(${'Quellinckx'}) - 10) as n`,
    ];
    for (const statement of refusals) {
      const error = await statement.execute(database().db).then(
        () => undefined,
        (e: unknown) => e,
      );
      assert.ok(error instanceof DatabaseError, `${engine}: ${inspect(error)}`);
      assert.match(error.code ?? '', /^[0-9A-Z]{5}$/);
      assert.deepEqual(Object.keys(error).sort(), ['code', 'constraint', 'name']);
      const everyForm = [
        inspect(error, { depth: 5, showHidden: true }),
        JSON.stringify(serializeError(error)),
        String(error.stack),
        JSON.stringify(error),
      ].join('\n');
      assert.deepEqual(leakedIn(everyForm, secrets), [], everyForm);
    }
  });

  test('a transaction whose statement fails rolls back and throws the same data-free error', async () => {
    const error = await database()
      .db.transaction()
      .execute(async (trx) => {
        await sql`select ${'Quellinckx'}::int`.execute(trx);
      })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    assert.ok(error instanceof DatabaseError);
    assert.equal(error.code, '22P02');
    assert.equal(error.message, 'database error 22P02');
  });

  for (const failure of FAILURES) {
    test(`a filing the database refuses through ${failure.name}: 500, and the log holds the code, not the person`, async () => {
      const org = await t.organisation();
      const web = await signInByInject(t, await webProfessional(t, await t.organisation()));
      // The unique index refuses the second signal on the same family name: one filing goes through first.
      if (failure.code === '23505') await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: filing('100023757') });
      await failure.install.execute(database().db);
      log.clear();
      const bsn = '111222333';
      try {
        const response = await t.app.inject({ method: 'POST', url: '/api/v1/signals', headers: org.headers, payload: filing(bsn) });
        assert.equal(response.statusCode, 500, response.body);
        assert.equal(response.json().code, 'internal_error');
        const page = await web.post('/signalen/nieuw', {
          bsn: '123456782',
          voornamen: PERSON.givenNames,
          achternaam: PERSON.familyName,
          geboortedatum: '23',
          'geboortedatum-maand': '7',
          'geboortedatum-jaar': '1961',
          geslacht: 'vrouw',
          straat: PERSON.street,
          huisnummer: PERSON.houseNumber,
          postcode: PERSON.postcode,
          plaats: PERSON.city,
          kenmerk: PERSON.clientReference,
          'toestemming-door': 'persoon',
          'toestemming-datum': '10',
          'toestemming-datum-maand': '3',
          'toestemming-datum-jaar': '2026',
        });
        assert.equal(page.statusCode, 500);
      } finally {
        await failure.remove.execute(database().db);
      }
      const errors = log.lines().filter((line) => line.level === 50);
      assert.equal(errors.length, 2, log.text());
      for (const line of errors) {
        const err = line.err as Record<string, unknown>;
        assert.equal(err.type, 'DatabaseError');
        assert.equal(err.code, failure.code);
        assert.equal(err.constraint, failure.constraint);
        assert.match(String(line.reqId), /^[0-9a-f-]{36}$/);
        for (const field of ['params', 'query', 'where', 'detail', 'hint']) assert.equal(err[field], undefined, field);
      }
      assert.deepEqual(leakedIn(log.text(), [...secretsOf(t, bsn), '123456782']), [], log.text());
    });
  }
});
