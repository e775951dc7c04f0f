import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ageAdvice, checkSignalForm, datePartsIn, emptySignalForm, ordered, readSignalForm, sectionFor, translateRuleProblems } from './signal-pages-form.ts';

const TODAY = '2026-03-10';
const adult = {
  bsn: '111222333',
  voornamen: 'Jan',
  achternaam: 'Boer',
  geboortedatum: '17',
  'geboortedatum-maand': '5',
  'geboortedatum-jaar': '1980',
  geslacht: 'man',
  'toestemming-door': 'persoon',
  'toestemming-datum': '10',
  'toestemming-datum-maand': '3',
  'toestemming-datum-jaar': '2026',
};

test('the section that counts follows the age today: 23 and over consent, under 23 informing', () => {
  assert.equal(sectionFor('2003-03-10', TODAY), 'toestemming');
  assert.equal(sectionFor('2003-03-11', TODAY), 'informeren');
  assert.equal(sectionFor('2026-03-11', TODAY), undefined);
  assert.equal(sectionFor(undefined, TODAY), undefined);
});

test('the advice says in plain Dutch what the law asks at each age', () => {
  assert.match(ageAdvice(11), /ouders of voogd/);
  assert.doesNotMatch(ageAdvice(11), /jongere/);
  assert.match(ageAdvice(12), /jongere én de ouders/);
  assert.match(ageAdvice(15), /jongere én de ouders/);
  assert.match(ageAdvice(16), /jongere zelf/);
  assert.match(ageAdvice(22), /jongere zelf/);
  assert.match(ageAdvice(23), /toestemming/);
});

test('a complete adult form becomes a filing with consent; spaces and dots in the BSN are dropped', () => {
  const values = readSignalForm({
    ...adult,
    bsn: '1112.22 333',
    voorvoegsel: 'de',
    kenmerk: ' D-1 ',
    postcode: '3011ad',
    straat: 'Coolsingel',
    huisnummer: '40',
    plaats: 'Rotterdam',
  });
  const { input, errors } = checkSignalForm(values, TODAY, 'all_ages');
  assert.deepEqual(errors, {});
  assert.deepEqual(input, {
    person: {
      bsn: '111222333',
      name: { givenNames: 'Jan', familyName: 'Boer', familyNamePrefix: 'de' },
      dateOfBirth: '1980-05-17',
      gender: 'male',
      address: { street: 'Coolsingel', houseNumber: '40', postcode: '3011 AD', city: 'Rotterdam' },
    },
    legalBasis: { basis: 'consent', givenBy: 'person', givenOn: TODAY },
    clientReference: 'D-1',
  });
});

test('an empty form lists every problem, in the order of the fields', () => {
  const { errors, input } = checkSignalForm(readSignalForm({}), TODAY, 'all_ages');
  assert.equal(input, undefined);
  assert.deepEqual(Object.keys(errors), ['bsn', 'voornamen', 'achternaam', 'geboortedatum', 'geslacht']);
});

test('a BSN failing the 11-test, half an address and a missing consent are all reported', () => {
  const { errors } = checkSignalForm(readSignalForm({ ...adult, bsn: '123456789', 'toestemming-door': '', straat: 'Coolsingel' }), TODAY, 'all_ages');
  assert.deepEqual(Object.keys(errors), ['bsn', 'huisnummer', 'postcode', 'plaats', 'toestemming-door']);
  assert.doesNotMatch(errors.bsn!, /123456789/);
});

test('under 23 the informing section counts: who was informed, or why it was postponed', () => {
  const child = { ...adult, 'geboortedatum-jaar': '2012', 'toestemming-door': '' };
  assert.deepEqual(Object.keys(checkSignalForm(readSignalForm(child), TODAY, 'all_ages').errors), ['informeren']);
  const informed = checkSignalForm(
    readSignalForm({
      ...child,
      informeren: 'gedaan',
      geinformeerd: ['jongere', 'vertegenwoordiger'],
      'informeer-datum': '9',
      'informeer-datum-maand': '03',
      'informeer-datum-jaar': '2026',
    }),
    TODAY,
    'all_ages',
  );
  assert.deepEqual(informed.input?.legalBasis, { basis: 'informed', informed: ['person', 'legal_representative'], informedOn: '2026-03-09' });
  const nobody = checkSignalForm(readSignalForm({ ...child, informeren: 'gedaan' }), TODAY, 'all_ages');
  assert.match(nobody.errors.geinformeerd!, /13 jaar.*jongere én de ouders/);
  const postponed = checkSignalForm(readSignalForm({ ...child, informeren: 'uitgesteld', 'uitstel-reden': 'veiligheid-persoon' }), TODAY, 'all_ages');
  assert.deepEqual(postponed.input?.legalBasis, { basis: 'informing_postponed', reason: 'safety_of_person' });
});

test('under the youth regime a person of 23 or over cannot be signalled', () => {
  const { errors } = checkSignalForm(readSignalForm(adult), TODAY, 'youth');
  assert.deepEqual(Object.keys(errors), ['geboortedatum']);
  assert.match(errors.geboortedatum!, /jongeren tot 23/);
});

test("the service's rule problems come back in Dutch, on the field they concern", () => {
  const errors = translateRuleProblems(
    [
      { name: 'legalBasis.informed', code: 'parties_missing' },
      { name: 'legalBasis.informedOn', code: 'date_in_future' },
    ],
    '2012-05-17',
    TODAY,
  );
  assert.deepEqual(ordered(errors), {
    geinformeerd:
      'Niet iedereen die u moet informeren is aangevinkt. De persoon is vandaag 13 jaar. Van 12 tot en met 15 jaar informeert u de jongere én de ouders of voogd.',
    'informeer-datum': 'De datum kan niet in de toekomst liggen.',
  });
});

test('every date is three boxes in Dutch order; the record dates start at today', () => {
  const empty = emptySignalForm(TODAY);
  assert.deepEqual(datePartsIn(empty, 'toestemming-datum'), { day: '10', month: '3', year: '2026' });
  assert.deepEqual(datePartsIn(empty, 'informeer-datum'), { day: '10', month: '3', year: '2026' });
  assert.deepEqual(datePartsIn(empty, 'geboortedatum'), { day: '', month: '', year: '' });
});

test('a date that does not exist, or half a date, is named in plain Dutch on its own field', () => {
  const noDay = checkSignalForm(readSignalForm({ ...adult, geboortedatum: '31', 'geboortedatum-maand': '2' }), TODAY, 'all_ages');
  assert.equal(noDay.errors.geboortedatum, 'De geboortedatum bestaat niet: februari 1980 heeft 29 dagen.');
  const half = checkSignalForm(readSignalForm({ ...adult, 'toestemming-datum-jaar': '' }), TODAY, 'all_ages');
  assert.deepEqual(half.errors, { 'toestemming-datum': 'Vul de datum van de toestemming helemaal in: het jaar ontbreekt.' });
  const empty = checkSignalForm(
    readSignalForm({ ...adult, 'toestemming-datum': '', 'toestemming-datum-maand': '', 'toestemming-datum-jaar': '' }),
    TODAY,
    'all_ages',
  );
  assert.deepEqual(empty.errors, { 'toestemming-datum': 'Vul de datum in waarop de persoon toestemming gaf.' });
  const iso = checkSignalForm(readSignalForm({ ...adult, 'toestemming-datum': '2026-03-10' }), TODAY, 'all_ages');
  assert.match(iso.errors['toestemming-datum']!, /in cijfers in, bijvoorbeeld 10 3 2026/);
});
