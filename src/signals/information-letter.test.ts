/** The information letter's texts: per age band the right addressees, salutation and sentences; no BSN ever; the settings' parts. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addDaysToIsoDate, ageOn } from '../shared/calendar.ts';
import { addresseesOf, type InformationLetterInput, informationLetters, letterBand, letterText } from './information-letter.ts';
import { partiesToInform } from './informing.ts';
import type { LegalBasis } from './legal-basis.ts';

const TODAY = '2026-03-10';

function input(dateOfBirth: string, legalBasis: LegalBasis, overrides: Partial<InformationLetterInput['person']> = {}): InformationLetterInput {
  return {
    today: TODAY,
    municipality: {
      name: 'Gemeente Zeestad',
      controller: 'Het college van burgemeester en wethouders van Zeestad',
      contact: 'Team Privacy\nPostbus 1, 1000 AA Zeestad\nprivacy@zeestad.example',
      moreInformationUrl: 'https://zeestad.example/privacy',
      privacyPageUrl: 'https://sluis.zeestad.example/privacy',
    },
    organisation: 'Wijkteam Noord',
    professional: { name: 'Sanne de Vries', jobTitle: 'Ambulant hulpverlener', phone: '010 123 4567', email: 's.devries@wijkteam.example' },
    person: { givenNames: 'Sam Johannes', familyName: 'Kok', dateOfBirth, identifiedBy: 'bsn', hasAddress: true, ...overrides },
    signal: { filedAt: new Date('2026-03-10T09:00:00Z'), activeUntil: new Date('2028-03-10T09:00:00Z'), legalBasis },
    lifetime: { historyRetentionMonths: 60 },
  };
}

const informed = (parties: ('person' | 'legal_representative')[]): LegalBasis => ({ basis: 'informed', informed: parties, informedOn: TODAY });
const consent: LegalBasis = { basis: 'consent', givenBy: 'person', givenOn: '2026-03-09' };

/** Every letter says these, whatever the band. */
function assertCommonParts(text: string) {
  for (const expected of [
    'Gemeente Zeestad',
    '10 maart 2026',
    'SluiS is een computersysteem van Gemeente Zeestad',
    'Sanne de Vries van Wijkteam Noord',
    'Op 10 maart 2026 heeft Sanne de Vries in SluiS vastgelegd dat Wijkteam Noord bij',
    'geen reden in, geen diagnose en geen verslag',
    'Het signaal is actief tot 10 maart 2028.',
    'nog 5 jaar',
    'Inzage',
    'Correctie',
    'Bezwaar',
    'De gemeente antwoordt binnen vier weken.',
    'telefoon 010 123 4567, e-mail s.devries@wijkteam.example',
    'Het college van burgemeester en wethouders van Zeestad is verantwoordelijk voor SluiS.',
    'Postbus 1, 1000 AA Zeestad',
    'https://sluis.zeestad.example/privacy',
    'Autoriteit Persoonsgegevens',
    'Met vriendelijke groet,\n\nSanne de Vries\nAmbulant hulpverlener\nWijkteam Noord',
  ])
    assert.ok(text.includes(expected), `"${expected}" in:\n${text}`);
}

describe('letterBand', () => {
  it('follows the age rules on the day the letter is made', () => {
    assert.equal(letterBand('2015-03-11', TODAY), 'representative', '10, turning 11 tomorrow');
    assert.equal(letterBand('2014-03-10', TODAY), 'young_person_and_representative', '12 today');
    assert.equal(letterBand('2010-03-11', TODAY), 'young_person_and_representative', '15');
    assert.equal(letterBand('2010-03-10', TODAY), 'young_person', '16 today');
    assert.equal(letterBand('2003-03-11', TODAY), 'young_person', '22');
    assert.equal(letterBand('2003-03-10', TODAY), 'adult', '23 today');
    assert.equal(letterBand('2026-08-01', TODAY, true), 'representative', 'not born yet');
  });

  it('addresses the same parties the duty to inform covers, and the person from 23 (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 40_000 }), (days) => {
        const born = addDaysToIsoDate(TODAY, -days);
        const addressees = addresseesOf(letterBand(born, TODAY));
        const expected = ageOn(born, TODAY) >= 23 ? ['person'] : partiesToInform(born, TODAY);
        assert.deepEqual(addressees, expected);
      }),
    );
  });
});

describe('informationLetters', () => {
  it('under 12: one letter, to the parents or guardian, about their child by name and date of birth', () => {
    const letters = informationLetters(input('2018-06-01', informed(['legal_representative'])));
    assert.deepEqual(
      letters.map((l) => [l.addressee, l.form]),
      [['legal_representative', 'u']],
    );
    const text = letterText(letters[0]!);
    assertCommonParts(text);
    assert.match(text, /^Beste ouder of voogd van Sam Johannes Kok,$/m);
    assert.match(text, /Informatie over SluiS: een signaal over uw kind/);
    assert.ok(text.includes('helpt uw kind Sam Johannes Kok (geboren op 1 juni 2018).'), text);
    assert.ok(text.includes('Bij een kind jonger dan 12 jaar vertelt de professional het aan de ouders of de voogd.'));
    assert.ok(text.includes('U doet dit voor uw kind.'));
    assert.doesNotMatch(text, /\bje\b|\bjou\b/, 'the parents are addressed as u');
  });

  it('12 to 15: two letters, one to the young person (je) and one to the parents (u), each saying the other gets one', () => {
    const letters = informationLetters(input('2012-01-15', informed(['person', 'legal_representative'])));
    assert.deepEqual(
      letters.map((l) => [l.addressee, l.form]),
      [
        ['person', 'je'],
        ['legal_representative', 'u'],
      ],
    );
    const [young, parents] = letters.map(letterText) as [string, string];
    assertCommonParts(young);
    assertCommonParts(parents);
    assert.match(young, /^Beste Sam,$/m);
    assert.match(young, /Informatie over SluiS: een signaal over jou/);
    assert.ok(young.includes('Je ouders of je voogd krijgen ook een brief over het signaal.'));
    assert.ok(young.includes('Jij en je ouders of je voogd doen dit samen.'));
    assert.ok(young.includes('Jouw rechten'));
    assert.match(parents, /^Beste ouder of voogd van Sam Johannes Kok,$/m);
    assert.ok(parents.includes('Sam krijgt zelf ook een brief over het signaal.'));
    assert.ok(parents.includes('U en uw kind doen dit samen.'));
    for (const text of [young, parents])
      assert.ok(text.includes('Bij een jongere van 12 tot 16 jaar vertelt de professional het aan de jongere én aan de ouders'));
  });

  it('16 to 22: one letter, to the young person, who exercises the rights alone', () => {
    const letters = informationLetters(input('2008-01-15', informed(['person'])));
    assert.deepEqual(
      letters.map((l) => [l.addressee, l.form]),
      [['person', 'je']],
    );
    const text = letterText(letters[0]!);
    assertCommonParts(text);
    assert.match(text, /^Beste Sam,$/m);
    assert.ok(text.includes('Vanaf 16 jaar vertelt de professional het aan de jongere zelf.'));
    assert.ok(text.includes('Je mag dit zelf doen.'));
    assert.doesNotMatch(text, /ouder of voogd van/);
  });

  it('23 and over: one letter, to the person, explaining the consent they gave and how to withdraw it', () => {
    const letters = informationLetters(input('1980-05-17', consent));
    assert.deepEqual(
      letters.map((l) => [l.addressee, l.form]),
      [['person', 'u']],
    );
    const text = letterText(letters[0]!);
    assertCommonParts(text);
    assert.match(text, /^Beste Sam Johannes Kok,$/m);
    assert.ok(text.includes('Uw toestemming'));
    assert.ok(text.includes('U heeft op 9 maart 2026 toestemming gegeven voor dit signaal.'));
    assert.ok(text.includes('mag u de toestemming altijd intrekken. Zeg het tegen Sanne de Vries. Die beëindigt dan het signaal.'));
    assert.doesNotMatch(text, /Jeugdwet/);
    const byRepresentative = letterText(informationLetters(input('1980-05-17', { ...consent, givenBy: 'legal_representative' }))[0]!);
    assert.ok(byRepresentative.includes('Uw wettelijk vertegenwoordiger heeft op 9 maart 2026 toestemming gegeven'));
  });

  it('23 now but under 23 when filed: to the person, saying why no consent was asked', () => {
    const text = letterText(informationLetters(input('2003-03-01', informed(['person'])))[0]!);
    assert.ok(text.includes('Toen het signaal werd afgegeven, was u jonger dan 23 jaar.'));
    assert.doesNotMatch(text, /Uw toestemming/);
  });

  it('an unborn child: to the expectant parent, with the expected date and the mother\u2019s BSN explained', () => {
    const text = letterText(
      informationLetters(input('2026-08-01', { basis: 'informed', informed: ['legal_representative'], informedOn: TODAY }, { identifiedBy: 'unborn' }))[0]!,
    );
    assert.match(text, /^Beste aanstaande ouder,$/m);
    assert.ok(text.includes('verwachte geboortedatum 1 augustus 2026'));
    assert.ok(text.includes('burgerservicenummer (BSN) van de moeder'));
  });

  it('a person without a BSN and without an address: the letter says so', () => {
    const text = letterText(informationLetters(input('1980-05-17', consent, { identifiedBy: 'details', hasAddress: false }))[0]!);
    assert.ok(text.includes('naam, geboortedatum en geslacht. Er staat geen burgerservicenummer (BSN) in.'));
  });

  it('without the municipality\u2019s contact or history: what is true instead', () => {
    const base = input('1980-05-17', consent);
    const text = letterText(
      informationLetters({
        ...base,
        municipality: { ...base.municipality, contact: undefined, moreInformationUrl: undefined },
        lifetime: { historyRetentionMonths: 0 },
      })[0]!,
    );
    assert.ok(text.includes('U bereikt de gemeente via het algemene telefoonnummer of de website van Gemeente Zeestad.'));
    assert.ok(text.includes('Als het signaal gestopt is, wordt het meteen voorgoed verwijderd.'));
    assert.ok(text.includes('privacy: https://sluis.zeestad.example/privacy.'));
  });

  it('the text is plain: no markup, no digits but dates, phone and addresses (no BSN can appear: none comes in)', () => {
    for (const born of ['2018-06-01', '2012-01-15', '2008-01-15', '1980-05-17']) {
      for (const letter of informationLetters(input(born, consent))) {
        const text = letterText(letter);
        assert.doesNotMatch(text, /<[a-z]/i);
        assert.doesNotMatch(text, /\d{9}/, 'no nine digits in a row');
        assert.ok(text.endsWith('\n'));
      }
    }
  });
});
