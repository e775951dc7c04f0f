import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ageOn } from '../shared/calendar.ts';
import {
  type ConsentFacts,
  consentComplete,
  consultationFigures,
  deleteAfter,
  identifyingBasis,
  identifyingText,
  informingProblem,
  missingInformed,
  partiesToConsent,
  type Reasoning,
  reasoningProblems,
  seesActionPoint,
  sharingGround,
  WEIGHING_QUESTIONS,
} from './case-consultation-rules.ts';

const answers = Object.fromEntries(WEIGHING_QUESTIONS.map((q) => [q, `Antwoord op vraag ${q}, afgewogen.`]));
const reasoning = (overrides: Partial<Reasoning> = {}): Reasoning => ({
  noConsentReason: 'asking_unsafe',
  noConsentExplanation: 'Vragen brengt het kind in gevaar.',
  ground: 'conflict_of_duties',
  answers,
  vitalInterestMotivation: null,
  officialConsulted: 'aandachtsfunctionaris',
  officialConsultedOn: '2026-03-09',
  ...overrides,
});
const consent = (givenBy: ConsentFacts['givenBy'], overrides: Partial<ConsentFacts> = {}): ConsentFacts => ({
  givenBy,
  givenOn: '2026-03-01',
  method: 'in_writing',
  categories: ['contact_details', 'involvement'],
  participantIds: ['p1', 'p2'],
  ...overrides,
});

describe('partiesToConsent (art. 8, 11.2) at the boundary dates', () => {
  // Born 2014-03-10: 12 on 2026-03-10, 16 on 2030-03-10.
  const born = '2014-03-10';
  it('under 12, up to the day before the 12th birthday: the legal representative(s)', () => {
    assert.deepEqual(partiesToConsent(born, '2026-03-09'), ['legal_representative']);
    assert.deepEqual(partiesToConsent(born, born), ['legal_representative']);
  });
  it('from the 12th birthday to the day before the 16th: both (double consent)', () => {
    assert.deepEqual(partiesToConsent(born, '2026-03-10'), ['person', 'legal_representative']);
    assert.deepEqual(partiesToConsent(born, '2030-03-09'), ['person', 'legal_representative']);
  });
  it('from the 16th birthday: the person alone', () => {
    assert.deepEqual(partiesToConsent(born, '2030-03-10'), ['person']);
    assert.deepEqual(partiesToConsent('1950-01-01', '2026-03-10'), ['person']);
  });
  it('born on 29 February: the birthday is 1 March in other years', () => {
    assert.deepEqual(partiesToConsent('2012-02-29', '2024-02-28'), ['legal_representative']);
    assert.deepEqual(partiesToConsent('2012-02-29', '2024-02-29'), ['person', 'legal_representative']);
    assert.deepEqual(partiesToConsent('2014-02-28', '2026-02-28'), ['person', 'legal_representative']);
  });
  it('by property: the person consents from 12, the representative until 16', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('1990-01-01'), max: new Date('2025-12-31'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 9000 }),
        (birth, days) => {
          const dob = birth.toISOString().slice(0, 10);
          const on = new Date(birth.getTime() + days * 86_400_000).toISOString().slice(0, 10);
          const age = ageOn(dob, on);
          const parties = partiesToConsent(dob, on);
          assert.equal(parties.includes('person'), age >= 12);
          assert.equal(parties.includes('legal_representative'), age < 16);
        },
      ),
    );
  });
});

describe('consentComplete (art. 7.5, 8)', () => {
  const scope = { participantIds: ['p1', 'p2'] };
  it('a 13-year-old needs both; one alone is not complete', () => {
    const onlyParent = consentComplete({ dateOfBirth: '2013-01-01', on: '2026-03-10', consents: [consent('legal_representative')], scope });
    assert.deepEqual(onlyParent, { complete: false, required: ['person', 'legal_representative'], missing: ['person'] });
    const both = consentComplete({ dateOfBirth: '2013-01-01', on: '2026-03-10', consents: [consent('legal_representative'), consent('person')], scope });
    assert.equal(both.complete, true);
  });
  it('consent that does not name every participant, or the category, does not count', () => {
    const narrow = consent('person', { participantIds: ['p1'] });
    assert.equal(consentComplete({ dateOfBirth: '1980-01-01', on: '2026-03-10', consents: [narrow], scope }).complete, false);
    const categories = consentComplete({
      dateOfBirth: '1980-01-01',
      on: '2026-03-10',
      consents: [consent('person')],
      scope: { participantIds: ['p1'], categories: ['health'] },
    });
    assert.equal(categories.complete, false);
  });
  it('consent given after the date does not count on that date', () => {
    const later = consent('person', { givenOn: '2026-03-11' });
    assert.equal(consentComplete({ dateOfBirth: '1980-01-01', on: '2026-03-10', consents: [later], scope }).complete, false);
  });
  it('the age on the consultation date decides: the parent alone suffices the day before the 12th birthday, not on it', () => {
    const parent = [consent('legal_representative')];
    assert.equal(consentComplete({ dateOfBirth: '2014-03-10', on: '2026-03-09', consents: parent, scope }).complete, true);
    assert.equal(consentComplete({ dateOfBirth: '2014-03-10', on: '2026-03-10', consents: parent, scope }).complete, false);
  });
  it('from 16 the person alone; the representative no longer suffices', () => {
    assert.equal(consentComplete({ dateOfBirth: '2010-03-10', on: '2026-03-10', consents: [consent('legal_representative')], scope }).complete, false);
    assert.equal(consentComplete({ dateOfBirth: '2010-03-10', on: '2026-03-10', consents: [consent('person')], scope }).complete, true);
  });
});

describe('reasoningProblems (art. 9)', () => {
  it('a complete reasoning has none', () => assert.deepEqual(reasoningProblems(reasoning(), '2026-03-10'), []));
  it('each weighing question a-h is required', () => {
    for (const question of WEIGHING_QUESTIONS) {
      const problems = reasoningProblems(reasoning({ answers: { ...answers, [question]: ' ' } }), '2026-03-10');
      assert.deepEqual(
        problems.map((p) => p.name),
        [`answers.${question}`],
      );
    }
  });
  it('the vital-interest ground needs the heavier motivation of 9.2; other grounds do not take it', () => {
    assert.deepEqual(
      reasoningProblems(reasoning({ ground: 'vital_interest', vitalInterestMotivation: 'te kort' }), '2026-03-10').map((p) => p.name),
      ['vitalInterestMotivation'],
    );
    assert.deepEqual(reasoningProblems(reasoning({ ground: 'vital_interest', vitalInterestMotivation: 'x'.repeat(100) }), '2026-03-10'), []);
    assert.deepEqual(
      reasoningProblems(reasoning({ vitalInterestMotivation: 'x'.repeat(100) }), '2026-03-10').map((p) => p.code),
      ['not_allowed'],
    );
  });
  it('the official, and a consultation date not after today', () => {
    const problems = reasoningProblems(reasoning({ officialConsulted: '', officialConsultedOn: '2026-03-11' }), '2026-03-10');
    assert.deepEqual(
      problems.map((p) => `${p.name}:${p.code}`),
      ['officialConsulted:required', 'officialConsultedOn:date_in_future'],
    );
    assert.deepEqual(reasoningProblems(reasoning({ officialConsultedOn: '2026-03-10' }), '2026-03-10'), []);
  });
  it('why consent could not be asked', () => {
    assert.deepEqual(
      reasoningProblems(reasoning({ noConsentExplanation: 'nee' }), '2026-03-10').map((p) => p.name),
      ['noConsentExplanation'],
    );
  });
});

describe('identifyingBasis: no identifying consultation without consent or complete reasoning', () => {
  const base = { dateOfBirth: '1980-01-01', on: '2026-03-10', today: '2026-03-10', participantIds: ['p1', 'p2'] };
  it('consent complete: held on consent', () =>
    assert.deepEqual(identifyingBasis({ ...base, consents: [consent('person')], reasoning: null }), { ok: true, basis: 'consent' }));
  it('complete reasoning: held without consent', () =>
    assert.deepEqual(identifyingBasis({ ...base, consents: [], reasoning: reasoning() }), { ok: true, basis: 'without_consent' }));
  it('neither: refused, saying what is missing', () => {
    const refused = identifyingBasis({ ...base, consents: [], reasoning: null });
    assert.equal(refused.ok, false);
    const half = identifyingBasis({ ...base, consents: [], reasoning: reasoning({ answers: { ...answers, h: '' } }) });
    assert.ok(!half.ok && half.reasoning.some((p) => p.name === 'answers.h'));
  });
  it('a participant added after consent makes consent incomplete', () => {
    assert.equal(identifyingBasis({ ...base, participantIds: ['p1', 'p2', 'p3'], consents: [consent('person')], reasoning: null }).ok, false);
  });
});

describe('sharingGround and informingProblem (art. 9.4, 11)', () => {
  const base = { dateOfBirth: '1980-01-01', on: '2026-03-10', today: '2026-03-10', participantId: 'p1' };
  it('consent must name the category and the participant', () => {
    assert.equal(sharingGround({ ...base, consents: [consent('person')], category: 'involvement', reasoning: null }), 'consent');
    assert.equal(sharingGround({ ...base, consents: [consent('person')], category: 'health', reasoning: null }), null);
    assert.equal(sharingGround({ ...base, consents: [consent('person')], category: 'health', reasoning: reasoning() }), 'without_consent');
  });
  it('without consent: informed on or before the sharing, or why not yet', () => {
    assert.equal(informingProblem({ ground: 'without_consent', sharedOn: '2026-03-10', informedOn: null, notYetReason: null })?.code, 'required');
    assert.equal(informingProblem({ ground: 'without_consent', sharedOn: '2026-03-10', informedOn: null, notYetReason: 'safety_of_person' }), null);
    assert.equal(informingProblem({ ground: 'without_consent', sharedOn: '2026-03-10', informedOn: '2026-03-10', notYetReason: null }), null);
    assert.equal(informingProblem({ ground: 'without_consent', sharedOn: '2026-03-10', informedOn: '2026-03-11', notYetReason: null })?.code, 'after_sharing');
    assert.equal(informingProblem({ ground: 'consent', sharedOn: '2026-03-10', informedOn: null, notYetReason: 'safety_of_person' })?.code, 'not_allowed');
    assert.equal(informingProblem({ ground: 'consent', sharedOn: '2026-03-10', informedOn: null, notYetReason: null }), null);
  });
  it('informing covers the parties of the age on its date', () => {
    assert.deepEqual(missingInformed('2014-03-10', '2026-03-10', ['legal_representative']), ['person']);
    assert.deepEqual(missingInformed('2014-03-10', '2026-03-09', ['legal_representative']), []);
  });
});

describe('the rest', () => {
  it('retention: deleted the set number of months after closing', () => {
    assert.equal(deleteAfter(new Date('2026-03-10T09:00:00Z'), 12).toISOString(), '2027-03-10T09:00:00.000Z');
  });
  it('action points: initiator and chair see all, a participant only their own (art. 6.5)', () => {
    assert.equal(seesActionPoint('initiator', 'a', 'b'), true);
    assert.equal(seesActionPoint('chair', 'a', 'b'), true);
    assert.equal(seesActionPoint('participant', 'a', 'b'), false);
    assert.equal(seesActionPoint('participant', 'b', 'b'), true);
  });
  it('identifying text: BSN-like digit runs and dates', () => {
    for (const text of ['BSN 123456782', 'tel 06-12345678', 'geboren 17-05-1980', 'op 2026-03-10', '3 maart 2012', 'nr 1234 5678'])
      assert.equal(identifyingText(text), true, text);
    for (const text of ['Afstemmen hulp bij schulden', 'Gezin met 3 kinderen, 2 scholen', 'voor week 12 bellen'])
      assert.equal(identifyingText(text), false, text);
  });
  it('figures: cells under 5 are suppressed, shares only from unsuppressed counts', () => {
    const rows = [
      ...Array.from({ length: 6 }, () => ({ month: '2026-03', anonymous: false, basis: 'consent' as const, officialConsulted: false })),
      ...Array.from({ length: 4 }, () => ({ month: '2026-03', anonymous: true, basis: null, officialConsulted: false })),
      { month: '2026-04', anonymous: false, basis: 'without_consent' as const, officialConsulted: true },
    ];
    assert.deepEqual(consultationFigures(rows), [
      {
        month: '2026-03',
        consultations: 10,
        withConsent: 6,
        anonymous: null,
        withoutConsentOfficialConsulted: 0,
        withConsentPercent: 60,
        anonymousPercent: null,
        withoutConsentOfficialConsultedPercent: 0,
      },
      {
        month: '2026-04',
        consultations: null,
        withConsent: 0,
        anonymous: 0,
        withoutConsentOfficialConsulted: null,
        withConsentPercent: null,
        anonymousPercent: null,
        withoutConsentOfficialConsultedPercent: null,
      },
    ]);
  });
});
