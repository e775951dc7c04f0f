import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { ageOn } from '../shared/calendar.ts';
import { checkLegalBasis, type InformedParty, type LegalBasis, POSTPONEMENT_REASONS, requiredLegalBasis } from './legal-basis.ts';

const DAY = 86_400_000;
const addDays = (date: string, days: number) => new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);

const informed = (parties: InformedParty[], informedOn = '2026-05-01'): LegalBasis => ({ basis: 'informed', informed: parties, informedOn });
const consent = (givenOn = '2026-05-01'): LegalBasis => ({ basis: 'consent', givenBy: 'person', givenOn });
const postponed: LegalBasis = { basis: 'informing_postponed', reason: 'safety_of_person' };

/** A person of the given age on 2026-05-01 (born on 10 May, so the birthday is still to come). */
const bornForAge = (age: number) => `${2026 - age - 1}-05-10`;
const check = (age: number, legalBasis: LegalBasis) => checkLegalBasis({ dateOfBirth: bornForAge(age), signalDate: '2026-05-01', legalBasis });

describe('requiredLegalBasis', () => {
  it('asks the legal representative to be informed under 12', () => {
    assert.deepEqual(requiredLegalBasis(0), { kind: 'inform', parties: ['legal_representative'] });
    assert.deepEqual(requiredLegalBasis(11), { kind: 'inform', parties: ['legal_representative'] });
  });

  it('asks both the young person and the legal representative from 12 to 15', () => {
    assert.deepEqual(requiredLegalBasis(12), { kind: 'inform', parties: ['person', 'legal_representative'] });
    assert.deepEqual(requiredLegalBasis(15), { kind: 'inform', parties: ['person', 'legal_representative'] });
  });

  it('asks the young person alone from 16 to 22', () => {
    assert.deepEqual(requiredLegalBasis(16), { kind: 'inform', parties: ['person'] });
    assert.deepEqual(requiredLegalBasis(22), { kind: 'inform', parties: ['person'] });
  });

  it('asks consent from 23', () => {
    assert.deepEqual(requiredLegalBasis(23), { kind: 'consent' });
    assert.deepEqual(requiredLegalBasis(87), { kind: 'consent' });
  });

  it('refuses a negative or fractional age', () => {
    assert.throws(() => requiredLegalBasis(-1), RangeError);
    assert.throws(() => requiredLegalBasis(12.5), RangeError);
    assert.throws(() => requiredLegalBasis(Number.NaN), RangeError);
  });
});

describe('checkLegalBasis: who must consent or be informed', () => {
  it('accepts consent from 23, given by the person or a legal representative', () => {
    assert.deepEqual(check(30, consent()), []);
    assert.deepEqual(check(23, { basis: 'consent', givenBy: 'legal_representative', givenOn: '2026-04-01' }), []);
  });

  it('refuses informing from 23: consent is required', () => {
    assert.deepEqual(check(30, informed(['person', 'legal_representative'])), [
      {
        name: 'legalBasis.basis',
        code: 'consent_required',
        reason:
          "The person is 30 on the signal date: from 23 the person's consent is required (basis consent, with givenBy and givenOn); informing is not enough.",
      },
    ]);
  });

  it('refuses postponed informing from 23', () => {
    const problems = check(23, postponed);
    assert.deepEqual(
      problems.map(({ name, code }) => ({ name, code })),
      [{ name: 'legalBasis.basis', code: 'consent_required' }],
    );
    assert.match(problems[0]?.reason ?? '', /^The person is 23 on the signal date: from 23 the person's consent is required/);
  });

  it('refuses consent under 23 and says that informing is what the law requires', () => {
    assert.deepEqual(check(14, consent()), [
      {
        name: 'legalBasis.basis',
        code: 'informing_required',
        reason:
          'The person is 14 on the signal date: under 23 the Jeugdwet asks no consent but informing; the young person and the legal representative must both be informed (or the informing postponed for a reason).',
      },
    ]);
    assert.equal(check(8, consent())[0]?.reason.includes('the legal representative must be informed'), true);
    assert.equal(check(19, consent())[0]?.reason.includes('the young person must be informed'), true);
  });

  it('under 12 asks the legal representative; informing only the child is not enough', () => {
    assert.deepEqual(check(10, informed(['legal_representative'])), []);
    assert.deepEqual(check(10, informed(['person'])), [
      {
        name: 'legalBasis.informed',
        code: 'parties_missing',
        reason: 'The person is 10 on the signal date: the legal representative must be informed; missing: legal_representative',
      },
    ]);
  });

  it('from 12 to 15 asks both, in any order', () => {
    assert.deepEqual(check(14, informed(['person', 'legal_representative'])), []);
    assert.deepEqual(check(14, informed(['legal_representative', 'person'])), []);
    assert.deepEqual(check(14, informed(['person'])), [
      {
        name: 'legalBasis.informed',
        code: 'parties_missing',
        reason: 'The person is 14 on the signal date: the young person and the legal representative must both be informed; missing: legal_representative',
      },
    ]);
    assert.deepEqual(check(12, informed([])), [
      {
        name: 'legalBasis.informed',
        code: 'parties_missing',
        reason:
          'The person is 12 on the signal date: the young person and the legal representative must both be informed; missing: person, legal_representative',
      },
    ]);
  });

  it('from 16 to 22 asks the young person; informing the representative as well is fine', () => {
    assert.deepEqual(check(16, informed(['person'])), []);
    assert.deepEqual(check(22, informed(['person', 'legal_representative'])), []);
    assert.deepEqual(check(17, informed(['legal_representative'])), [
      {
        name: 'legalBasis.informed',
        code: 'parties_missing',
        reason: 'The person is 17 on the signal date: the young person must be informed; missing: person',
      },
    ]);
  });

  it('accepts postponed informing under 23 for each known reason', () => {
    for (const reason of POSTPONEMENT_REASONS) {
      assert.deepEqual(check(5, { basis: 'informing_postponed', reason }), [], reason);
      assert.deepEqual(check(22, { basis: 'informing_postponed', reason }), [], reason);
    }
  });

  it('refuses an unknown postponement reason and an unknown basis', () => {
    const unknownReason = { basis: 'informing_postponed', reason: 'too_busy' } as unknown as LegalBasis;
    assert.deepEqual(
      check(14, unknownReason).map(({ name, code }) => ({ name, code })),
      [{ name: 'legalBasis.reason', code: 'unknown_reason' }],
    );
    const unknownBasis = { basis: 'guessed' } as unknown as LegalBasis;
    assert.deepEqual(
      check(14, unknownBasis).map(({ name, code }) => ({ name, code })),
      [{ name: 'legalBasis.basis', code: 'unknown_basis' }],
    );
  });

  it('takes the age on the signal date: the 23rd birthday switches to consent', () => {
    const dateOfBirth = '2003-05-10';
    const onDayBefore = { dateOfBirth, signalDate: '2026-05-09' };
    const onBirthday = { dateOfBirth, signalDate: '2026-05-10' };
    assert.deepEqual(checkLegalBasis({ ...onDayBefore, legalBasis: informed(['person'], '2026-05-09') }), []);
    assert.deepEqual(
      checkLegalBasis({ ...onBirthday, legalBasis: informed(['person'], '2026-05-09') }).map((p) => p.code),
      ['consent_required'],
    );
    assert.deepEqual(checkLegalBasis({ ...onBirthday, legalBasis: consent('2026-05-10') }), []);
  });

  it('takes the age on the signal date: the 12th birthday adds the young person', () => {
    const legalBasis = informed(['legal_representative'], '2026-05-01');
    assert.deepEqual(checkLegalBasis({ dateOfBirth: '2014-05-10', signalDate: '2026-05-09', legalBasis }), []);
    assert.deepEqual(
      checkLegalBasis({ dateOfBirth: '2014-05-10', signalDate: '2026-05-10', legalBasis }).map((p) => p.code),
      ['parties_missing'],
    );
  });

  it('lets someone born on 29 February turn 23 on 1 March in a non-leap year', () => {
    const dateOfBirth = '2004-02-29';
    const legalBasis = informed(['person'], '2027-02-01');
    assert.deepEqual(checkLegalBasis({ dateOfBirth, signalDate: '2027-02-28', legalBasis }), []);
    assert.deepEqual(
      checkLegalBasis({ dateOfBirth, signalDate: '2027-03-01', legalBasis }).map((p) => p.code),
      ['consent_required'],
    );
  });
});

describe('checkLegalBasis: dates', () => {
  it('accepts a record dated on the signal date or on the date of birth', () => {
    assert.deepEqual(check(30, consent('2026-05-01')), []);
    assert.deepEqual(
      checkLegalBasis({ dateOfBirth: '2026-04-01', signalDate: '2026-05-01', legalBasis: informed(['legal_representative'], '2026-04-01') }),
      [],
    );
  });

  it('refuses a consent or informing date after the signal date', () => {
    assert.deepEqual(check(30, consent('2026-05-02')), [
      { name: 'legalBasis.givenOn', code: 'date_in_future', reason: 'The consent date is after the signal date.' },
    ]);
    assert.deepEqual(check(17, informed(['person'], '2026-06-01')), [
      { name: 'legalBasis.informedOn', code: 'date_in_future', reason: 'The informing date is after the signal date.' },
    ]);
  });

  it('refuses a consent or informing date before the date of birth', () => {
    assert.deepEqual(check(30, consent('1990-01-01')), [
      { name: 'legalBasis.givenOn', code: 'date_before_birth', reason: 'The consent date is before the date of birth.' },
    ]);
    assert.deepEqual(check(3, informed(['legal_representative'], '2022-05-09')), [
      { name: 'legalBasis.informedOn', code: 'date_before_birth', reason: 'The informing date is before the date of birth.' },
    ]);
  });

  it('refuses a date of birth after the signal date', () => {
    assert.deepEqual(checkLegalBasis({ dateOfBirth: '2026-05-02', signalDate: '2026-05-01', legalBasis: postponed }), [
      { name: 'person.dateOfBirth', code: 'date_in_future', reason: 'The date of birth is after the signal date.' },
    ]);
  });

  it('refuses dates that are not real dates', () => {
    assert.deepEqual(
      checkLegalBasis({ dateOfBirth: '2010-02-30', signalDate: '2026-05-01', legalBasis: informed(['person'], '2026-13-01') }).map(({ name, code }) => ({
        name,
        code,
      })),
      [
        { name: 'person.dateOfBirth', code: 'invalid_date' },
        { name: 'legalBasis.informedOn', code: 'invalid_date' },
      ],
    );
    assert.throws(() => checkLegalBasis({ dateOfBirth: '2010-01-01', signalDate: '01-05-2026', legalBasis: postponed }), RangeError);
  });

  it('reports every problem at once', () => {
    assert.deepEqual(
      check(14, informed(['person'], '2026-05-02')).map(({ name, code }) => ({ name, code })),
      [
        { name: 'legalBasis.informed', code: 'parties_missing' },
        { name: 'legalBasis.informedOn', code: 'date_in_future' },
      ],
    );
    assert.deepEqual(
      checkLegalBasis({ dateOfBirth: '2027-01-01', signalDate: '2026-05-01', legalBasis: consent('2026-06-01') }).map(({ name, code }) => ({ name, code })),
      [
        { name: 'person.dateOfBirth', code: 'date_in_future' },
        { name: 'legalBasis.givenOn', code: 'date_in_future' },
      ],
    );
  });
});

describe('checkLegalBasis: properties', () => {
  const SIXTY_YEARS_IN_DAYS = 60 * 366;
  /** The last day count that is surely under 23 (23 years have at least 23 * 365 days). */
  const SURELY_UNDER_23 = 23 * 365 - 1;
  /** The first day count that is surely 23 or over (23 years have at most 23 * 365 + 6 days). */
  const SURELY_23_OR_OVER = 23 * 366;

  /** A date of birth, a signal date `gap` days later, and a record date in between. */
  const situation = (minGap: number, maxGap: number) =>
    fc
      .record({
        birthDay: fc.integer({ min: 0, max: 40_000 }),
        gap: fc.integer({ min: minGap, max: maxGap }),
        recordFraction: fc.double({ min: 0, max: 1, noNaN: true }),
      })
      .map(({ birthDay, gap, recordFraction }) => {
        const dateOfBirth = addDays('1940-01-01', birthDay);
        return { dateOfBirth, signalDate: addDays(dateOfBirth, gap), recordDate: addDays(dateOfBirth, Math.floor(gap * recordFraction)) };
      });

  const recordFor = (age: number, recordDate: string, givenBy: 'person' | 'legal_representative'): LegalBasis => {
    const requirement = requiredLegalBasis(age);
    return requirement.kind === 'consent'
      ? { basis: 'consent', givenBy, givenOn: recordDate }
      : { basis: 'informed', informed: requirement.parties, informedOn: recordDate };
  };

  it('accepts the record that requiredLegalBasis asks for, dated between birth and the signal date', () => {
    fc.assert(
      fc.property(
        situation(0, SIXTY_YEARS_IN_DAYS),
        fc.constantFrom('person' as const, 'legal_representative' as const),
        ({ dateOfBirth, signalDate, recordDate }, givenBy) => {
          const legalBasis = recordFor(ageOn(dateOfBirth, signalDate), recordDate, givenBy);
          assert.deepEqual(checkLegalBasis({ dateOfBirth, signalDate, legalBasis }), []);
        },
      ),
    );
  });

  it('accepts informing both parties, or postponing, at any age under 23', () => {
    fc.assert(
      fc.property(situation(0, SURELY_UNDER_23), fc.constantFrom(...POSTPONEMENT_REASONS), ({ dateOfBirth, signalDate, recordDate }, reason) => {
        assert.deepEqual(checkLegalBasis({ dateOfBirth, signalDate, legalBasis: informed(['legal_representative', 'person'], recordDate) }), []);
        assert.deepEqual(checkLegalBasis({ dateOfBirth, signalDate, legalBasis: { basis: 'informing_postponed', reason } }), []);
      }),
    );
  });

  it('fails naming legalBasis.informed when any required party is left out', () => {
    fc.assert(
      fc.property(situation(0, SURELY_UNDER_23), fc.nat(), ({ dateOfBirth, signalDate, recordDate }, pick) => {
        const requirement = requiredLegalBasis(ageOn(dateOfBirth, signalDate));
        assert.equal(requirement.kind, 'inform');
        if (requirement.kind !== 'inform') return;
        const left = requirement.parties[pick % requirement.parties.length];
        const parties = requirement.parties.filter((party) => party !== left);
        const problems = checkLegalBasis({ dateOfBirth, signalDate, legalBasis: informed(parties, recordDate) });
        assert.equal(problems.length, 1);
        assert.equal(problems[0]?.name, 'legalBasis.informed');
        assert.equal(problems[0]?.code, 'parties_missing');
        assert.ok(problems[0]?.reason.endsWith(`missing: ${left}`), problems[0]?.reason);
      }),
    );
  });

  it('always refuses consent under 23', () => {
    fc.assert(
      fc.property(situation(0, SURELY_UNDER_23), ({ dateOfBirth, signalDate, recordDate }) => {
        const problems = checkLegalBasis({ dateOfBirth, signalDate, legalBasis: consent(recordDate) });
        assert.deepEqual(
          problems.map(({ name, code }) => ({ name, code })),
          [{ name: 'legalBasis.basis', code: 'informing_required' }],
        );
      }),
    );
  });

  it('always refuses informing or postponing from 23', () => {
    fc.assert(
      fc.property(
        situation(SURELY_23_OR_OVER, SIXTY_YEARS_IN_DAYS),
        fc.constantFrom(...POSTPONEMENT_REASONS),
        ({ dateOfBirth, signalDate, recordDate }, reason) => {
          const expected = [{ name: 'legalBasis.basis', code: 'consent_required' }];
          const withInforming = checkLegalBasis({ dateOfBirth, signalDate, legalBasis: informed(['person', 'legal_representative'], recordDate) });
          const withPostponing = checkLegalBasis({ dateOfBirth, signalDate, legalBasis: { basis: 'informing_postponed', reason } });
          assert.deepEqual(
            withInforming.map(({ name, code }) => ({ name, code })),
            expected,
          );
          assert.deepEqual(
            withPostponing.map(({ name, code }) => ({ name, code })),
            expected,
          );
        },
      ),
    );
  });

  it('always refuses a record dated outside the span from birth to the signal date', () => {
    fc.assert(
      fc.property(situation(0, SIXTY_YEARS_IN_DAYS), fc.integer({ min: 1, max: 3000 }), fc.boolean(), ({ dateOfBirth, signalDate }, daysOff, afterSignal) => {
        const recordDate = afterSignal ? addDays(signalDate, daysOff) : addDays(dateOfBirth, -daysOff);
        const legalBasis = recordFor(ageOn(dateOfBirth, signalDate), recordDate, 'person');
        const field = legalBasis.basis === 'consent' ? 'legalBasis.givenOn' : 'legalBasis.informedOn';
        const problems = checkLegalBasis({ dateOfBirth, signalDate, legalBasis });
        assert.deepEqual(
          problems.map(({ name, code }) => ({ name, code })),
          [{ name: field, code: afterSignal ? 'date_in_future' : 'date_before_birth' }],
        );
      }),
    );
  });
});

describe('an unborn child', () => {
  const signalDate = '2026-03-10';
  const check = (legalBasis: LegalBasis) =>
    checkLegalBasis({ dateOfBirth: signalDate, signalDate, legalBasis, unborn: true }).map((p) => `${p.name}:${p.code}`);
  it('asks the informing of the legal representative (the expectant mother), as for a child under 12', () => {
    assert.deepEqual(check({ basis: 'informed', informed: ['legal_representative'], informedOn: '2026-01-05' }), []);
    assert.deepEqual(check({ basis: 'informed', informed: ['person'], informedOn: '2026-03-10' }), ['legalBasis.informed:parties_missing']);
    assert.deepEqual(check({ basis: 'consent', givenBy: 'legal_representative', givenOn: '2026-03-10' }), ['legalBasis.basis:informing_required']);
    assert.deepEqual(check({ basis: 'informing_postponed', reason: 'safety_of_person' }), []);
  });
  it('accepts an informing date before the (expected) birth, and none after the signal date', () => {
    assert.deepEqual(check({ basis: 'informed', informed: ['legal_representative'], informedOn: '2025-12-01' }), []);
    assert.deepEqual(check({ basis: 'informed', informed: ['legal_representative'], informedOn: '2026-03-11' }), ['legalBasis.informedOn:date_in_future']);
  });
});
