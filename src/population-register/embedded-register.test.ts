import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, test } from 'node:test';
import { Bsn } from '../persons/bsn.ts';
import { createManualClock } from '../shared/clock.ts';
import { createEmbeddedRegister, fromGba, gbaDate } from './embedded-register.ts';
import type { RegisteredPerson } from './population-register.ts';
import { dateOfBirthMismatch, isRegisteredDeceased } from './register-rules.ts';

const bsn = (digits: string) => Bsn.parse(digits)!;
const register = createEmbeddedRegister();

async function one(digits: string): Promise<RegisteredPerson> {
  const [person] = await register.lookup([bsn(digits)]);
  assert.ok(person, 'the test person is in the register');
  return person;
}
const digitsOf = (bsns: readonly Bsn[]) => bsns.map((b) => b.reveal()).sort();

describe('the embedded register on the RvIG test persons', () => {
  test('holds the test persons with a valid BSN, the 1006xxxxx placeholders among them', () => {
    assert.ok(register.size > 1000, `${register.size} persons`);
  });

  test('the half-siblings of parent 999999126: four children, two of them also of 999999163, all at one address object', async () => {
    const children = ['999970021', '999970033', '999970045', '999999151'];
    const found = await register.lookup(children.map(bsn));
    assert.equal(found.length, 4);
    for (const child of found) {
      assert.ok(digitsOf(child.parents).includes('999999126'));
      assert.equal(child.address?.addressObjectId, '0518010000583543');
      assert.equal(child.address?.function, 'home');
      assert.equal(child.municipalityCode, '0518');
    }
    const alsoOf163 = found.filter((child) => digitsOf(child.parents).includes('999999163')).map((child) => child.bsn.reveal());
    assert.deepEqual(alsoOf163.sort(), ['999970033', '999970045']);
  });

  test('the Rotterdam family: six children of 999999357 and 999999345, with name, birth, gender', async () => {
    const children = ['999999369', '999999370', '999999382', '999999394', '999999400', '999999412'];
    const found = await register.lookup(children.map(bsn));
    assert.equal(found.length, 6);
    for (const child of found) {
      assert.deepEqual(digitsOf(child.parents), ['999999345', '999999357']);
      assert.equal(child.municipalityCode, '0599');
      assert.equal(child.address?.city, 'Rotterdam');
    }
    const teun = await one('999999369');
    assert.deepEqual(teun.name, { givenNames: 'Teun', familyName: 'Groot Esselink' });
    assert.equal(teun.dateOfBirth, '2012-04-18');
    assert.equal(teun.gender, 'male');
    assert.deepEqual(teun.address, {
      function: 'home',
      addressObjectId: '0599010000110069',
      street: 'Hofdijk',
      houseNumber: '651',
      postcode: '3032CG',
      city: 'Rotterdam',
    });
    assert.equal(teun.confidential, false);
    assert.equal(teun.suspension, undefined);
  });

  test('a family name prefix and a house letter come through', async () => {
    const mirthe = await one('999999151');
    assert.deepEqual(mirthe.name, { givenNames: 'Mirthe', familyNamePrefix: 'van de', familyName: 'Meulengraaf' });
    const manon = await one('999999126');
    assert.equal(manon.address?.houseNumberAddition, 'a');
  });

  test('a deceased person: date of death and the suspension for death', async () => {
    const simone = await one('999970239');
    assert.equal(simone.deceasedOn, '2020-08-01');
    assert.deepEqual(simone.suspension, { reason: 'deceased', since: '2020-08-01' });
    assert.equal(isRegisteredDeceased(simone), true);
  });

  test('an emigrated person: suspended for emigration, no address in the Netherlands, in no municipality', async () => {
    const maxima = await one('999990123');
    assert.equal(maxima.suspension?.reason, 'emigrated');
    assert.equal(maxima.address, undefined);
    assert.equal(maxima.municipalityCode, undefined);
    assert.equal(isRegisteredDeceased(maxima), false);
  });

  test('a confidential record (geheimhouding)', async () => {
    assert.equal((await one('999971104')).confidential, true);
  });

  test('an unknown BSN is simply absent, beside a known one', async () => {
    const found = await register.lookup([bsn('123456782'), bsn('999999369')]);
    assert.deepEqual(digitsOf(found.map((p) => p.bsn)), ['999999369']);
  });

  test('what lookup gives is a copy: changing it changes nothing in the register', async () => {
    const teun = await one('999999369');
    teun.name.familyName = 'Anders';
    teun.parents.length = 0;
    assert.equal((await one('999999369')).name.familyName, 'Groot Esselink');
    assert.equal((await one('999999369')).parents.length, 2);
  });
});

describe('the GBA shape', () => {
  test('dates: unknown and partly known give none', () => {
    assert.equal(gbaDate('20120418'), '2012-04-18');
    assert.equal(gbaDate('00000000'), undefined);
    assert.equal(gbaDate('19800000'), undefined);
    assert.equal(gbaDate('19800200'), undefined);
    assert.equal(gbaDate('20230230'), undefined);
    assert.equal(gbaDate(undefined), undefined);
  });

  test('a postal address, an all-zero address object, suspension codes, and a record without a valid BSN', () => {
    const base = { burgerservicenummer: '999999369', naam: { voornamen: 'A', geslachtsnaam: 'B' } };
    const postal = fromGba({
      ...base,
      verblijfplaats: {
        functieAdres: { code: 'B' },
        adresseerbaarObjectIdentificatie: '0000000000000000',
        straat: 'Postbus',
        huisnummer: 1,
        postcode: '1000AA',
      },
      gemeenteVanInschrijving: { code: '0363', omschrijving: 'Amsterdam' },
      opschortingBijhouding: { datum: '20200101', reden: { code: 'M' } },
      geheimhoudingPersoonsgegevens: '0',
    });
    assert.deepEqual(postal?.address, { function: 'postal', street: 'Postbus', houseNumber: '1', postcode: '1000AA', city: 'Amsterdam' });
    assert.deepEqual(postal?.suspension, { reason: 'ministerial_decree', since: '2020-01-01' });
    assert.equal(postal?.confidential, false);
    assert.equal(fromGba({ ...base, opschortingBijhouding: { datum: '00000000', reden: { code: 'R' } } })?.suspension?.reason, 'other');
    assert.equal(fromGba({ ...base, geslacht: { code: 'O' } })?.gender, 'unknown');
    assert.equal(fromGba({ ...base, burgerservicenummer: '123456789' }), undefined);
  });

  test('the rules: deceased by suspension alone; a mismatch only against a fully known date', () => {
    assert.equal(isRegisteredDeceased({ suspension: { reason: 'deceased' } }), true);
    assert.equal(isRegisteredDeceased({ suspension: { reason: 'emigrated' } }), false);
    assert.equal(dateOfBirthMismatch('2012-04-18', '2012-04-18'), false);
    assert.equal(dateOfBirthMismatch('2012-04-19', '2012-04-18'), true);
    assert.equal(dateOfBirthMismatch(undefined, '2012-04-18'), false);
    assert.equal(dateOfBirthMismatch('2012-04-19', undefined), false);
  });
});

describe('changes applied to the embedded register', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'sluis-register-'));
  const changesFile = path.join(dir, 'register-changes.json');
  after(() => rmSync(dir, { recursive: true, force: true }));

  test('a move, a death and an emigration are applied, kept in the changes file and survive a reload', async () => {
    const clock = createManualClock('2026-03-10T09:00:00Z');
    const first = createEmbeddedRegister({ changesFile, clock });
    await first.changes.follow(bsn('999999369'));
    await first.changes.follow(bsn('999999370'));
    await first.changes.follow(bsn('999970021'));
    const newHome = {
      function: 'home' as const,
      addressObjectId: '0599010000999999',
      street: 'Coolsingel',
      houseNumber: '40',
      postcode: '3011AD',
      city: 'Rotterdam',
    };
    await first.applyMove(bsn('999999369'), { address: newHome, municipalityCode: '0599' });
    clock.set('2026-03-12T09:00:00Z');
    await first.applyDeath(bsn('999999370'), '2026-03-11');
    await first.applyEmigration(bsn('999970021'), '2026-03-12');
    // Not followed: changes, but not reported.
    await first.applyDeath(bsn('999999382'), '2026-03-12');

    const reloaded = createEmbeddedRegister({ changesFile, clock });
    const [teun, daan, maya, fien] = await reloaded.lookup([bsn('999999369'), bsn('999999370'), bsn('999970021'), bsn('999999382')]);
    assert.deepEqual(teun?.address, newHome);
    assert.equal(daan?.deceasedOn, '2026-03-11');
    assert.deepEqual(daan?.suspension, { reason: 'deceased', since: '2026-03-11' });
    assert.equal(maya?.address, undefined);
    assert.equal(maya?.municipalityCode, undefined);
    assert.deepEqual(maya?.suspension, { reason: 'emigrated', since: '2026-03-12' });
    assert.equal(fien && isRegisteredDeceased(fien), true);

    assert.deepEqual(digitsOf(await reloaded.changes.since('2026-03-10')), ['999970021', '999999369', '999999370']);
    assert.deepEqual(digitsOf(await reloaded.changes.since('2026-03-11')), ['999970021', '999999370']);
    assert.deepEqual(digitsOf(await reloaded.changes.since('2026-03-13')), []);
    await reloaded.changes.unfollow(bsn('999999370'));
    assert.deepEqual(digitsOf(await createEmbeddedRegister({ changesFile }).changes.since('2026-03-10')), ['999970021', '999999369']);

    // The base file is untouched: without the changes file the persons are as the RvIG made them.
    assert.equal((await createEmbeddedRegister().lookup([bsn('999999370')]))[0]?.deceasedOn, undefined);
  });

  test('a change of the registered parents and of confidentiality is applied, reported as a change, and survives a reload', async () => {
    const clock = createManualClock('2026-03-20T09:00:00Z');
    const first = createEmbeddedRegister({ changesFile, clock });
    await first.changes.follow(bsn('999970100'));
    await first.applyParents(bsn('999970100'), [bsn('999970094'), bsn('999970124')]);
    await first.applyConfidentiality(bsn('999970112'), true);
    const reloaded = createEmbeddedRegister({ changesFile, clock });
    const [child, sibling] = await reloaded.lookup([bsn('999970100'), bsn('999970112')]);
    assert.deepEqual(
      child?.parents.map((p) => p.reveal()),
      ['999970094', '999970124'],
    );
    assert.equal(sibling?.confidential, true);
    assert.deepEqual(digitsOf(await reloaded.changes.since('2026-03-20')), ['999970100'], 'a followed person whose parents changed');
    await reloaded.applyConfidentiality(bsn('999970112'), false);
    assert.equal((await createEmbeddedRegister({ changesFile }).lookup([bsn('999970112')]))[0]?.confidential, false);
  });

  test('a change for a BSN the register does not know is refused, without the BSN in the message', async () => {
    const reg = createEmbeddedRegister({ changesFile });
    await assert.rejects(reg.applyDeath(bsn('123456782'), '2026-03-10'), (error: Error) => !error.message.includes('123456782'));
    assert.ok(!readFileSync(changesFile, 'utf8').includes('123456782'));
  });
});
