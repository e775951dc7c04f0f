import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Bsn } from '../persons/bsn.ts';
import { amsterdamDate } from '../shared/calendar.ts';
import { createManualClock } from '../shared/clock.ts';
import { readGbaTestPersons, toApiPerson } from '../test-support/brp-api-shape.ts';
import { loadBrpOpenApi } from '../test-support/brp-openapi.ts';
import { type BrpStub, startBrpStub } from '../test-support/brp-stub-server.ts';
import { BSNS_PER_CALL, createHaalCentraalRegister, type HaalCentraalOptions, PERSON_FIELDS } from './haal-centraal-register.ts';
import { type RegisteredPerson, RegisterUnavailable } from './population-register.ts';

const bsn = (digits: string) => Bsn.parse(digits) ?? assert.fail('not a valid BSN in the test');
const digitsOf = (persons: { bsn: Bsn }[]) => persons.map((person) => person.bsn.reveal()).sort();
const byBsn = (persons: RegisteredPerson[]) => new Map(persons.map((person) => [person.bsn.reveal(), person]));
/** Every error text the client produced in this file, to check that none holds a BSN. */
const errorTexts: string[] = [];

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    errorTexts.push(error.message, String(error), error.stack ?? '');
    return error;
  }
  return assert.fail('expected the call to fail');
}

function options(stub: BrpStub, more: Partial<HaalCentraalOptions> = {}): HaalCentraalOptions {
  return { url: stub.url, authentication: { type: 'api-key', apiKey: stub.apiKey }, timeoutMs: 2000, retries: 2, retryDelayMs: 10, ...more };
}

describe('the Haal Centraal client against the BRP stub (API key)', () => {
  let stub: BrpStub;
  before(async () => {
    stub = await startBrpStub();
  });
  after(async () => {
    assert.deepEqual(stub.violations, [], 'no request or answer broke the OpenAPI document');
    await stub.close();
  });

  test('the half-siblings of parent 999999126: parents by BSN, the shared address object, at home in The Hague', async () => {
    const register = createHaalCentraalRegister(options(stub));
    const persons = byBsn(await register.lookup(['999970021', '999970033', '999970045', '999999151'].map(bsn)));
    assert.deepEqual([...persons.keys()].sort(), ['999970021', '999970033', '999970045', '999999151']);
    const parents = (digits: string) =>
      persons
        .get(digits)!
        .parents.map((parent) => parent.reveal())
        .sort();
    assert.deepEqual(parents('999970021'), ['999999126']);
    assert.deepEqual(parents('999970033'), ['999999126', '999999163']);
    assert.deepEqual(parents('999970045'), ['999999126', '999999163']);
    assert.deepEqual(parents('999999151'), ['999999126', '999999138']);
    const maya = persons.get('999970021')!;
    assert.deepEqual(maya.name, { givenNames: 'Maya', familyName: 'Maasland' });
    assert.equal(maya.dateOfBirth, '2015-02-01');
    assert.equal(maya.gender, 'female');
    assert.deepEqual(maya.address, {
      addressObjectId: '0518010000583543',
      function: 'home',
      street: 'Turfmarkt',
      houseNumber: '25',
      postcode: '2511CA',
      city: "'s-Gravenhage",
    });
    assert.equal(maya.municipalityCode, '0518');
    assert.equal(maya.confidential, false);
    assert.equal(maya.suspension, undefined);
    for (const person of persons.values()) assert.equal(person.address?.addressObjectId, '0518010000583543');
    await register.close();
  });

  test('the request asks the minimal fields, for at most 20 BSNs, and no parameter the operation lacks', async () => {
    const register = createHaalCentraalRegister(options(stub));
    const before = stub.personenRequests.length;
    await register.lookup([bsn('999970021')]);
    const request = stub.personenRequests[before]!;
    assert.deepEqual(request, { type: 'RaadpleegMetBurgerservicenummer', burgerservicenummer: ['999970021'], fields: [...PERSON_FIELDS] });
    assert.ok(!PERSON_FIELDS.some((field) => /geheimhouding|opschorting/.test(field)));
    await register.close();
  });

  test('the Rotterdam family of 999999357 and 999999345: six children with both parents, at two addresses', async () => {
    const register = createHaalCentraalRegister(options(stub));
    const children = ['999999369', '999999370', '999999382', '999999394', '999999400', '999999412'];
    const persons = await register.lookup(children.map(bsn));
    assert.deepEqual(digitsOf(persons), children);
    for (const child of persons) {
      assert.deepEqual(child.parents.map((parent) => parent.reveal()).sort(), ['999999345', '999999357']);
      assert.equal(child.municipalityCode, '0599');
    }
    assert.deepEqual([...new Set(persons.map((child) => child.address?.addressObjectId))].sort(), ['0599010000110069', '0599010000460538']);
    await register.close();
  });

  test('siblings registered in different municipalities (the children of 999998493)', async () => {
    const register = createHaalCentraalRegister(options(stub));
    const persons = byBsn(await register.lookup(['999970392', '999998523', '999998535', '999999175'].map(bsn)));
    assert.equal(persons.get('999970392')!.municipalityCode, '0518');
    assert.equal(persons.get('999998535')!.municipalityCode, '1999'); // the RNI: registered abroad
    for (const child of persons.values()) assert.ok(child.parents.some((parent) => parent.reveal() === '999998493'));
    await register.close();
  });

  test('a deceased person comes back, with the date of death and the suspension', async () => {
    const register = createHaalCentraalRegister(options(stub));
    const [simone] = await register.lookup([bsn('999970239')]);
    assert.equal(simone?.deceasedOn, '2020-08-01');
    assert.deepEqual(simone?.suspension, { reason: 'deceased', since: '2020-08-01' });
    await register.close();
  });

  test('an emigrated person has no Dutch address, is suspended as emigrated, and sits in the RNI', async () => {
    const register = createHaalCentraalRegister(options(stub));
    const [person] = await register.lookup([bsn('999990317')]);
    assert.equal(person?.address, undefined);
    assert.deepEqual(person?.suspension, { reason: 'emigrated', since: '2014-07-02' });
    assert.equal(person?.municipalityCode, '1999');
    await register.close();
  });

  test('a confidential record (geheimhouding) says so, unasked', async () => {
    const register = createHaalCentraalRegister(options(stub));
    const [person] = await register.lookup([bsn('999971104')]);
    assert.equal(person?.confidential, true);
    assert.equal(person?.address?.city, 'Amsterdam');
    await register.close();
  });

  test('a partial date of birth is no date; an unknown BSN is simply absent; a BSN asked twice is asked once', async () => {
    const register = createHaalCentraalRegister(options(stub));
    const before = stub.personenRequests.length;
    const persons = byBsn(await register.lookup(['999970586', '999970598', '111222333', '999970586'].map(bsn)));
    assert.deepEqual([...persons.keys()].sort(), ['999970586', '999970598']);
    assert.equal(persons.get('999970586')!.dateOfBirth, undefined); // 1970, month and day unknown
    assert.equal(persons.get('999970598')!.dateOfBirth, undefined); // June 1978
    assert.deepEqual(stub.personenRequests[before]!.burgerservicenummer, ['999970586', '999970598', '111222333']);
    await register.close();
  });

  test('45 BSNs in one lookup are three calls of at most 20', async () => {
    const register = createHaalCentraalRegister(options(stub));
    const bsns = readGbaTestPersons()
      .map((person) => String(person.burgerservicenummer))
      .filter((digits) => digits.startsWith('9999') && Bsn.parse(digits))
      .slice(0, 45);
    const before = stub.personenRequests.length;
    const persons = await register.lookup(bsns.map(bsn));
    assert.deepEqual(digitsOf(persons), [...bsns].sort());
    const sizes = stub.personenRequests.slice(before).map((request) => (request.burgerservicenummer as string[]).length);
    assert.deepEqual(
      sizes.sort((a, b) => a - b),
      [5, BSNS_PER_CALL, BSNS_PER_CALL],
    );
    await register.close();
  });

  test('a wrong API key is a configuration error that says what the register answered, not RegisterUnavailable', async () => {
    const register = createHaalCentraalRegister(options(stub, { authentication: { type: 'api-key', apiKey: 'wrong' } }));
    const error = await failure(register.lookup([bsn('999970021')]));
    assert.ok(!(error instanceof RegisterUnavailable));
    assert.match(error.message, /HTTP 401 "Niet correct geauthenticeerd\." \(code authentication\)/);
    assert.match(error.message, /SLUIS_BRP_API_KEY/);
    await register.close();
  });

  test('the register down: RegisterUnavailable after the retries, and answers again after up()', async () => {
    const register = createHaalCentraalRegister(options(stub));
    await stub.down();
    const refused = await failure(register.lookup([bsn('999970021')]));
    assert.ok(refused instanceof RegisterUnavailable);
    assert.match(refused.message, /after 3 attempt\(s\): the connection failed \(ECONNREFUSED\)/);
    await stub.up();
    assert.equal((await register.lookup([bsn('999970021')])).length, 1);

    await stub.down('unavailable');
    const before = stub.calls.unavailable;
    const unavailable = await failure(register.lookup([bsn('999970021')]));
    assert.ok(unavailable instanceof RegisterUnavailable);
    assert.match(unavailable.message, /HTTP 503/);
    assert.equal(stub.calls.unavailable - before, 3, 'the first attempt and two retries');
    await stub.up();
    assert.equal((await register.lookup([bsn('999970021')])).length, 1);
    await register.close();
  });

  test('a register slower than the timeout is unavailable', async () => {
    const register = createHaalCentraalRegister(options(stub, { timeoutMs: 100, retries: 1 }));
    stub.setLatency(1000);
    try {
      const error = await failure(register.lookup([bsn('999970021')]));
      assert.ok(error instanceof RegisterUnavailable);
      assert.match(error.message, /no answer within 100 ms/);
    } finally {
      stub.setLatency(0);
    }
    await register.close();
  });

  test('the stub answers 400, as the real API, to an automatic field, an unknown field or a parameter the operation lacks', async () => {
    const ask = (body: unknown) =>
      fetch(`${stub.url}/personen`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-API-KEY': stub.apiKey }, body: JSON.stringify(body) });
    const valid = { type: 'RaadpleegMetBurgerservicenummer', burgerservicenummer: ['999970021'], fields: ['naam'] };
    assert.equal((await ask(valid)).status, 200);
    for (const wrong of [
      { ...valid, fields: ['naam', 'geheimhoudingPersoonsgegevens'] },
      { ...valid, fields: ['naam.bestaatNiet'] },
      { ...valid, inclusiefOverledenPersonen: true },
      { ...valid, burgerservicenummer: Array.from({ length: 21 }, () => '999970021') },
    ]) {
      const response = await ask(wrong);
      assert.equal(response.status, 400, JSON.stringify(wrong).slice(0, 120));
      assert.equal(((await response.json()) as { code: string }).code, 'paramsValidation');
    }
    assert.equal(stub.violations.length, 4);
    assert.ok(stub.violations.every((violation) => violation.direction === 'request'));
    stub.violations.length = 0;
  });

  test('a plain http:// URL is refused unless the register is on this machine', () => {
    const make = (url: string) => createHaalCentraalRegister({ url, authentication: { type: 'api-key', apiKey: 'k' }, timeoutMs: 1000, retries: 0 });
    assert.throws(() => make('http://brp.gemeente.example/haalcentraal/api/brp'), /must use https:\/\/ \(TLS\).*not to brp\.gemeente\.example/);
    assert.throws(() => make('ftp://brp.gemeente.example/'), /must be an https:\/\/ URL/);
    for (const url of ['https://brp.gemeente.example/api', 'http://localhost:8080/api', 'http://127.0.0.1:1/api', 'http://[::1]:1/api']) void make(url).close();
  });
});

describe('the Haal Centraal client with OAuth 2.0 client credentials', () => {
  let stub: BrpStub;
  before(async () => {
    stub = await startBrpStub({ oauth: { clientId: 'sluis', clientSecret: 's3cret', scope: 'brp.personen', expiresInSeconds: 3600 } });
  });
  after(async () => {
    assert.deepEqual(stub.violations, []);
    await stub.close();
  });
  const oauth = (stub: BrpStub, clientSecret = 's3cret') =>
    ({ type: 'oauth', tokenUrl: stub.tokenUrl, clientId: 'sluis', clientSecret, scope: 'brp.personen' }) as const;

  test('the token is fetched once and reused for later calls, side by side too', async () => {
    const register = createHaalCentraalRegister(options(stub, { authentication: oauth(stub) }));
    await Promise.all([register.lookup(['999970021', '999970033', '999970045'].map(bsn)), register.lookup([bsn('999999151')])]);
    await register.lookup([bsn('999970021')]);
    assert.equal(stub.calls.token, 1);
    assert.ok(stub.calls.personen >= 3);
    await register.close();
  });

  test('a token is fetched again shortly before it expires', async () => {
    const clock = createManualClock('2026-03-02T09:00:00Z');
    const shortLived = await startBrpStub({ oauth: { clientId: 'sluis', clientSecret: 's3cret', scope: 'brp.personen', expiresInSeconds: 600 }, clock });
    const register = createHaalCentraalRegister(options(shortLived, { authentication: oauth(shortLived), clock }));
    await register.lookup([bsn('999970021')]);
    clock.advance(8 * 60_000); // 2 minutes before expiry: the cached token still serves
    await register.lookup([bsn('999970021')]);
    assert.equal(shortLived.calls.token, 1);
    clock.advance(90_000); // within the last minute: renewed first
    await register.lookup([bsn('999970021')]);
    assert.equal(shortLived.calls.token, 2);
    assert.deepEqual(shortLived.violations, []);
    await register.close();
    await shortLived.close();
  });

  test('wrong client credentials are a configuration error naming the settings to check', async () => {
    const register = createHaalCentraalRegister(options(stub, { authentication: oauth(stub, 'wrong') }));
    const error = await failure(register.lookup([bsn('999970021')]));
    assert.ok(!(error instanceof RegisterUnavailable));
    assert.match(error.message, /refused the client credentials: HTTP 401 \(invalid_client\).*SLUIS_BRP_OAUTH_CLIENT_SECRET/);
    await register.close();
  });
});

describe('the BRP Update API', () => {
  let stub: BrpStub;
  before(async () => {
    stub = await startBrpStub();
  });
  after(async () => {
    assert.deepEqual(stub.violations, []);
    await stub.close();
  });

  test('follow, then a move and a death show up in since(); persons not followed, or no longer, do not', async () => {
    const register = createHaalCentraalRegister(options(stub, { updateUrl: stub.updateUrl }));
    const changes = register.changes ?? assert.fail('an update URL gives changes');
    const today = amsterdamDate(new Date());
    for (const digits of ['999970021', '999970033', '999999369']) await changes.follow(bsn(digits));
    assert.deepEqual([...stub.followIndications().keys()].sort(), ['999970021', '999970033', '999999369']);
    assert.equal(stub.followIndications().get('999970021')?.einddatum, undefined);

    stub.applyMove('999970021', {
      addressObjectId: '0599010000110069',
      street: 'Coolsingel',
      houseNumber: 40,
      postcode: '3011AD',
      city: 'Rotterdam',
      municipality: { code: '0599', omschrijving: 'Rotterdam' },
    });
    stub.applyDeath('999999369', today);
    stub.applyMove('999970045', { street: 'Turfmarkt', houseNumber: 30, city: "'s-Gravenhage" }); // not followed
    assert.deepEqual(digitsOf((await changes.since(today)).map((changed) => ({ bsn: changed }))), ['999970021', '999999369']);
    assert.deepEqual(await changes.since(amsterdamDate(new Date(Date.now() + 2 * 86_400_000))), []);

    const moved = byBsn(await register.lookup(['999970021', '999999369'].map(bsn)));
    assert.equal(moved.get('999970021')?.municipalityCode, '0599');
    assert.equal(moved.get('999970021')?.address?.addressObjectId, '0599010000110069');
    assert.equal(moved.get('999999369')?.deceasedOn, today);
    assert.equal(moved.get('999999369')?.suspension?.reason, 'deceased');

    await changes.unfollow(bsn('999970021'));
    assert.equal(stub.followIndications().get('999970021')?.einddatum, today);
    assert.deepEqual(digitsOf((await changes.since(today)).map((changed) => ({ bsn: changed }))), ['999999369']);
    await register.close();
  });

  test('without an update URL there are no changes: SluiS re-reads daily instead', async () => {
    const register = createHaalCentraalRegister(options(stub));
    assert.equal(register.changes, undefined);
    await register.close();
  });
});

describe('mutual TLS', () => {
  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!openssl) console.log(`\n${'!'.repeat(80)}\n!!! openssl is not installed: the mutual TLS test is SKIPPED.\n${'!'.repeat(80)}\n`);

  test('the client presents its certificate to a register that requires one; without it, no answer', { skip: !openssl && 'openssl missing' }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'sluis-mtls-'));
    try {
      const pem = makeCertificates(dir);
      const stub = await startBrpStub({ tls: { cert: pem.serverCert, key: pem.serverKey, ca: pem.caCert } });
      try {
        const withCertificate = createHaalCentraalRegister(options(stub, { tls: { cert: pem.clientCert, key: pem.clientKey, ca: pem.caCert } }));
        assert.equal((await withCertificate.lookup([bsn('999970021')])).length, 1);
        await withCertificate.close();

        const withoutCertificate = createHaalCentraalRegister(options(stub, { tls: { ca: pem.caCert }, retries: 0 }));
        const error = await failure(withoutCertificate.lookup([bsn('999970021')]));
        assert.ok(error instanceof RegisterUnavailable);
        await withoutCertificate.close();
        assert.deepEqual(stub.violations, []);
      } finally {
        await stub.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

test("the stub's answers fit the OpenAPI document for every test person, except the RvIG's own deliberately odd names", () => {
  const api = loadBrpOpenApi();
  const misfits = readGbaTestPersons().flatMap((gba) => {
    const errors = api.personenAnswer({ type: 'RaadpleegMetBurgerservicenummer', personen: [toApiPerson(gba)] });
    return errors.length === 0 ? [] : [{ bsn: String(gba.burgerservicenummer), errors: errors.filter((error) => !error.includes('"then" schema')) }];
  });
  // Names such as 'Rente @ 100%' or '<Onbekend> & </Onbemind>' test a client's robustness; the
  // document's name pattern does not allow them, and the stub serves them as the RvIG's mock does.
  for (const misfit of misfits) for (const error of misfit.errors) assert.match(error, /\/naam\/(voornamen|geslachtsnaam) must match pattern/, misfit.bsn);
  assert.deepEqual(misfits.map((misfit) => misfit.bsn).sort(), ['999990524', '999990743', '999990913', '999991139', '999991449', '999994128', '999994402']);
});

test('no error the client threw in these tests holds a BSN', () => {
  assert.ok(errorTexts.length >= 10, 'the failures above were collected');
  for (const text of errorTexts) assert.doesNotMatch(text, /\d{9}/, text);
});

/** A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl in `dir`. */
function makeCertificates(dir: string) {
  const run = (...args: string[]) => execFileSync('openssl', args, { cwd: dir, stdio: 'pipe' });
  const file = (name: string) => readFileSync(path.join(dir, name), 'utf8');
  run('req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.crt', '-days', '1', '-subj', '/CN=SluiS test CA');
  for (const [name, subject, extension] of [
    ['server', '/CN=127.0.0.1', 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth'],
    ['client', '/CN=sluis-client', 'extendedKeyUsage=clientAuth'],
  ] as const) {
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${name}.key`, '-out', `${name}.csr`, '-subj', subject);
    writeFileSync(path.join(dir, `${name}.ext`), `${extension}\n`);
    run(
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.crt',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      `${name}.crt`,
      '-days',
      '1',
      '-extfile',
      `${name}.ext`,
    );
  }
  return {
    caCert: file('ca.crt'),
    serverCert: file('server.crt'),
    serverKey: file('server.key'),
    clientCert: file('client.crt'),
    clientKey: file('client.key'),
  };
}
