import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { type ActiveSignalRef, type FamilySignalRef, isChildInFamilyAge, isFamilyMatch, isMatch } from './match-rule.ts';

const across = { withinOrganisation: false };
const within = { withinOrganisation: true };
const signal = (organisationId: string, professionalId: string): ActiveSignalRef => ({ organisationId, professionalId });

/** Signals drawn from a small pool of ids, so duplicates and shared organisations are common. */
const signalArb = fc.record({
  organisationId: fc.constantFrom('org-a', 'org-b', 'org-c'),
  professionalId: fc.constantFrom('pro-1', 'pro-2', 'pro-3'),
});
const signalsArb = fc.array(signalArb, { maxLength: 8 });
const optionsArb = fc.record({ withinOrganisation: fc.boolean() });

describe('isMatch: examples', () => {
  it('never matches on no signal or a single signal', () => {
    assert.equal(isMatch([], across), false);
    assert.equal(isMatch([], within), false);
    assert.equal(isMatch([signal('org-a', 'pro-1')], across), false);
    assert.equal(isMatch([signal('org-a', 'pro-1')], within), false);
  });

  it('matches signals from two different organisations', () => {
    assert.equal(isMatch([signal('org-a', 'pro-1'), signal('org-b', 'pro-2')], across), true);
    assert.equal(isMatch([signal('org-a', 'pro-1'), signal('org-b', 'pro-2')], within), true);
  });

  it('does not match two professionals of one organisation unless withinOrganisation', () => {
    const sameOrganisation = [signal('org-a', 'pro-1'), signal('org-a', 'pro-2')];
    assert.equal(isMatch(sameOrganisation, across), false);
    assert.equal(isMatch(sameOrganisation, within), true);
  });

  it('does not match two signals from the same professional', () => {
    const sameProfessional = [signal('org-a', 'pro-1'), signal('org-a', 'pro-1')];
    assert.equal(isMatch(sameProfessional, across), false);
    assert.equal(isMatch(sameProfessional, within), false);
  });

  it('treats equal professional ids in different organisations as different professionals', () => {
    const sameIdTwoOrganisations = [signal('org-a', 'pro-1'), signal('org-b', 'pro-1')];
    assert.equal(isMatch(sameIdTwoOrganisations, across), true);
    assert.equal(isMatch(sameIdTwoOrganisations, within), true);
  });

  it('does not confuse professionals whose ids would run together when joined', () => {
    assert.equal(isMatch([signal('a', 'b:c'), signal('a:b', 'c')], within), true);
    assert.equal(isMatch([signal('x', 'y|z'), signal('x', 'y|z')], within), false);
  });
});

describe('isMatch: properties', () => {
  it('does not depend on the order of the signals', () => {
    const signalsAndPermutation = signalsArb.chain((signals) =>
      fc.tuple(fc.constant(signals), fc.shuffledSubarray(signals, { minLength: signals.length, maxLength: signals.length })),
    );
    fc.assert(
      fc.property(signalsAndPermutation, optionsArb, ([signals, permuted], options) => {
        assert.equal(isMatch(permuted, options), isMatch(signals, options));
      }),
    );
  });

  it('never turns a match into no match when a signal is added', () => {
    fc.assert(
      fc.property(signalsArb, signalArb, fc.nat(), optionsArb, (signals, added, position, options) => {
        const at = position % (signals.length + 1);
        const more = [...signals.slice(0, at), added, ...signals.slice(at)];
        if (isMatch(signals, options)) assert.equal(isMatch(more, options), true);
      }),
    );
  });

  it('never matches within a single organisation unless withinOrganisation', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom('pro-1', 'pro-2', 'pro-3'), { maxLength: 8 }), (professionalIds) => {
        const signals = professionalIds.map((professionalId) => signal('org-a', professionalId));
        assert.equal(isMatch(signals, across), false);
        assert.equal(isMatch(signals, within), new Set(professionalIds).size >= 2);
      }),
    );
  });

  it('matches across organisations exactly when two organisations take part', () => {
    fc.assert(
      fc.property(signalsArb, (signals) => {
        assert.equal(isMatch(signals, across), new Set(signals.map((s) => s.organisationId)).size >= 2);
      }),
    );
  });

  it('matches with withinOrganisation whenever it matches without', () => {
    fc.assert(
      fc.property(signalsArb, (signals) => {
        if (isMatch(signals, across)) assert.equal(isMatch(signals, within), true);
      }),
    );
  });
});

const child = (person: string, organisationId: string, professionalId = `pro-${organisationId}`): FamilySignalRef => ({
  person,
  organisationId,
  professionalId,
});
const familyArb = fc.array(
  fc.record({
    person: fc.constantFrom('child-1', 'child-2', 'child-3'),
    organisationId: fc.constantFrom('org-a', 'org-b', 'org-c'),
    professionalId: fc.constantFrom('pro-1', 'pro-2', 'pro-3'),
  }),
  { maxLength: 8 },
);

describe('isFamilyMatch', () => {
  it('matches two children of one parent with signals from two organisations', () => {
    assert.equal(isFamilyMatch([child('child-1', 'org-a'), child('child-2', 'org-b')], across), true);
  });

  it('does not match two signals on one child (that is a person match) nor two children signalled by one organisation', () => {
    assert.equal(isFamilyMatch([child('child-1', 'org-a'), child('child-1', 'org-b')], across), false);
    assert.equal(isFamilyMatch([child('child-1', 'org-a', 'pro-1'), child('child-2', 'org-a', 'pro-2')], across), false);
    assert.equal(isFamilyMatch([child('child-1', 'org-a', 'pro-1'), child('child-2', 'org-a', 'pro-2')], within), true, 'two colleagues, when allowed');
    assert.equal(isFamilyMatch([child('child-1', 'org-a', 'pro-1'), child('child-2', 'org-a', 'pro-1')], within), false, 'one professional');
  });

  it('property: a family match is always a match of the same signals, and never a match on one child alone', () => {
    fc.assert(
      fc.property(familyArb, optionsArb, (signals, options) => {
        if (isFamilyMatch(signals, options)) assert.equal(isMatch(signals, options), true);
        if (new Set(signals.map((s) => s.person)).size <= 1) assert.equal(isFamilyMatch(signals, options), false);
      }),
    );
  });

  it('property: the order of the signals does not matter', () => {
    fc.assert(
      fc.property(familyArb, optionsArb, (signals, options) => {
        assert.equal(isFamilyMatch([...signals].reverse(), options), isFamilyMatch(signals, options));
      }),
    );
  });
});

describe('isChildInFamilyAge', () => {
  it('counts a child until the day before the birthday of the age limit', () => {
    assert.equal(isChildInFamilyAge('2003-03-10', '2026-03-09', 23), true);
    assert.equal(isChildInFamilyAge('2003-03-10', '2026-03-10', 23), false);
  });

  it('29 February: the birthday falls on 1 March in other years', () => {
    assert.equal(isChildInFamilyAge('2004-02-29', '2027-02-28', 23), true);
    assert.equal(isChildInFamilyAge('2004-02-29', '2027-03-01', 23), false);
  });
});
