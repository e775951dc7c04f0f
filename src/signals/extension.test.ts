/** Extending a signal: the rule (lifetime.ts, extensionOffer) and the lifecycle's 'extend' transition, by example and by property. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { addMonths, anniversary, startOfAmsterdamDay } from '../shared/calendar.ts';
import { DEFAULT_EXTENSION_WINDOW_DAYS, type ExtensionRules, extensionOffer, extensionRules, type Regime, YOUTH_AGE_LIMIT } from './lifetime.ts';
import { expiryReason, type LifecycleSignal, transition } from './signal-lifecycle.ts';

const iso = (instant: Date) => instant.toISOString();
const DAY = 86_400_000;
const instantBetween = (min: string, max: string) => fc.date({ min: new Date(min), max: new Date(max), noInvalidDate: true });
const isoDateBetween = (min: string, max: string) => instantBetween(`${min}T00:00:00Z`, `${max}T00:00:00Z`).map((d) => d.toISOString().slice(0, 10));
const endOfYouth = (dateOfBirth: string) => startOfAmsterdamDay(anniversary(dateOfBirth, YOUTH_AGE_LIMIT));

const ALL_AGES: ExtensionRules = { months: 24, windowDays: 28, regime: 'all_ages' };
const YOUTH: ExtensionRules = { ...ALL_AGES, regime: 'youth' };
const active = (activeUntil: Date, dateOfBirth = '1980-05-17'): LifecycleSignal => ({ status: 'active', activeUntil, retainUntil: null, dateOfBirth });
const extend = (signal: LifecycleSignal, now: Date, rules = ALL_AGES) => transition(signal, { action: 'extend', now, rules });

describe('extensionRules', () => {
  it('extends by the signal lifetime unless the municipality set its own period; the window is the expiry notice', () => {
    const settings = { signalExtensionMonths: null, signalLifetimeMonths: 18, expiryNoticeDays: 21, regime: 'youth' as Regime };
    assert.deepEqual(extensionRules(settings), { months: 18, windowDays: 21, regime: 'youth' });
    assert.deepEqual(extensionRules({ ...settings, signalExtensionMonths: 6 }), { months: 6, windowDays: 21, regime: 'youth' });
    assert.equal(extensionRules({ ...settings, signalExtensionMonths: 0 }).months, 0, '0 switches extending off');
  });

  it('opens the window 28 days ahead when the expiry notice is switched off', () => {
    const settings = { signalExtensionMonths: null, signalLifetimeMonths: 24, expiryNoticeDays: 0, regime: 'all_ages' as Regime };
    assert.equal(extensionRules(settings).windowDays, DEFAULT_EXTENSION_WINDOW_DAYS);
  });
});

describe('extensionOffer', () => {
  it('moves the end date on by the period, from the current end date, and opens the window days before it', () => {
    const offer = extensionOffer({ activeUntil: new Date('2028-03-10T09:00:01Z'), dateOfBirth: '1980-05-17' }, ALL_AGES);
    assert.deepEqual(offer, {
      ok: true,
      opensAt: new Date('2028-02-11T09:00:01Z'),
      until: new Date('2030-03-10T09:00:01Z'),
      limitedByAge: false,
    });
  });

  it('is refused when the municipality switched extending off', () => {
    assert.deepEqual(extensionOffer({ activeUntil: new Date('2028-03-10T09:00:00Z'), dateOfBirth: '1980-05-17' }, { ...ALL_AGES, months: 0 }), {
      ok: false,
      refusal: 'switched_off',
    });
  });

  it('under the youth regime stops at the start of the 23rd birthday, and is refused once the signal ends there', () => {
    // Born 2008-01-20: 23 on 2031-01-20, which starts at 2031-01-19T23:00:00Z (CET).
    const birthday = endOfYouth('2008-01-20');
    assert.equal(iso(birthday), '2031-01-19T23:00:00.000Z');
    const oneSecondBefore = new Date(birthday.getTime() - 1000);
    assert.deepEqual(extensionOffer({ activeUntil: oneSecondBefore, dateOfBirth: '2008-01-20' }, YOUTH), {
      ok: true,
      opensAt: new Date(oneSecondBefore.getTime() - 28 * DAY),
      until: birthday,
      limitedByAge: true,
    });
    assert.deepEqual(extensionOffer({ activeUntil: birthday, dateOfBirth: '2008-01-20' }, YOUTH), { ok: false, refusal: 'age_limit' });
    // The same signal under all_ages goes on for the whole period.
    const allAges = extensionOffer({ activeUntil: birthday, dateOfBirth: '2008-01-20' }, ALL_AGES);
    assert.ok(allAges.ok);
    assert.equal(iso(allAges.until), '2033-01-19T23:00:00.000Z');
  });

  it('lets someone born on 29 February turn 23 on 1 March: the youth limit is the start of 1 March', () => {
    const offer = extensionOffer({ activeUntil: new Date('2026-06-01T12:00:00Z'), dateOfBirth: '2004-02-29' }, YOUTH);
    assert.ok(offer.ok);
    assert.equal(iso(offer.until), '2027-02-28T23:00:00.000Z');
    assert.equal(offer.limitedByAge, true);
    assert.equal(expiryReason({ activeUntil: offer.until, dateOfBirth: '2004-02-29' }), 'age_limit');
  });

  it('extends a signal ending on 29 February to the last day of February two years on', () => {
    const offer = extensionOffer({ activeUntil: new Date('2028-02-29T10:00:00Z'), dateOfBirth: '1980-05-17' }, ALL_AGES);
    assert.ok(offer.ok);
    assert.equal(iso(offer.until), '2030-02-28T10:00:00.000Z');
  });

  it('refuses a window that is not a whole number of days of at least 1', () => {
    for (const windowDays of [0, -3, 1.5]) {
      assert.throws(
        () => extensionOffer({ activeUntil: new Date('2028-03-10T09:00:00Z'), dateOfBirth: '1980-05-17' }, { ...ALL_AGES, windowDays }),
        RangeError,
      );
    }
  });
});

describe('the extend transition', () => {
  const until = new Date('2028-03-10T09:00:00Z');

  it('keeps the signal active with its new end date, inside the window only', () => {
    assert.deepEqual(extend(active(until), new Date(until.getTime() - 28 * DAY - 1)), { ok: false, refusal: 'not_due' });
    const opened = extend(active(until), new Date(until.getTime() - 28 * DAY));
    assert.deepEqual(opened, {
      ok: true,
      step: { transition: 'extend', to: 'active', activeUntil: new Date('2030-03-10T09:00:00Z'), previousActiveUntil: until, limitedByAge: false },
    });
    assert.ok(extend(active(until), new Date(until.getTime() - 1)).ok, 'up to the last moment');
  });

  it('refuses a signal past its end date (expired, even before the sweep came), ended, expired or purged', () => {
    assert.deepEqual(extend(active(until), until), { ok: false, refusal: 'state' });
    for (const status of ['ended', 'expired', 'purged'] as const) {
      assert.deepEqual(extend({ ...active(until), status, retainUntil: addMonths(until, 60) }, new Date(until.getTime() - DAY)), {
        ok: false,
        refusal: 'state',
      });
    }
  });

  it('says why: switched off, or at the youth limit, before saying the window has not opened', () => {
    const early = new Date(until.getTime() - 100 * DAY);
    assert.deepEqual(extend(active(until), early, { ...ALL_AGES, months: 0 }), { ok: false, refusal: 'switched_off' });
    const birthday = endOfYouth('2005-03-10');
    assert.deepEqual(extend(active(birthday, '2005-03-10'), new Date(birthday.getTime() - 100 * DAY), YOUTH), { ok: false, refusal: 'age_limit' });
  });

  const situation = fc.record({
    activeUntil: instantBetween('2000-01-01T00:00:00Z', '2080-12-31T23:59:59Z'),
    dateOfBirth: isoDateBetween('1950-01-01', '2079-12-31'),
    months: fc.integer({ min: 1, max: 120 }),
    windowDays: fc.integer({ min: 1, max: 365 }),
    regime: fc.constantFrom<Regime>('all_ages', 'youth'),
    // When the professional asks: up to 400 days before the end date, or a little after it.
    before: fc.integer({ min: -3 * DAY, max: 400 * DAY }),
  });

  it('never shortens, moves on by at most the period, and never past the 23rd birthday under the youth regime', () => {
    fc.assert(
      fc.property(situation, ({ activeUntil, dateOfBirth, months, windowDays, regime, before }) => {
        const now = new Date(activeUntil.getTime() - before);
        const result = extend(active(activeUntil, dateOfBirth), now, { months, windowDays, regime });
        if (!result.ok) return;
        assert.ok(result.step.transition === 'extend');
        assert.ok(result.step.activeUntil > activeUntil, 'later than before');
        assert.ok(result.step.activeUntil <= addMonths(activeUntil, months), 'by at most the period');
        assert.ok(now < activeUntil && now.getTime() >= activeUntil.getTime() - windowDays * DAY, 'only inside the window');
        if (regime === 'youth') assert.ok(result.step.activeUntil <= endOfYouth(dateOfBirth), 'never past the 23rd birthday');
        assert.equal(result.step.limitedByAge, result.step.activeUntil < addMonths(activeUntil, months));
        if (result.step.limitedByAge) assert.equal(expiryReason({ activeUntil: result.step.activeUntil, dateOfBirth }), 'age_limit');
      }),
    );
  });

  it('is always allowed under all_ages inside the window, and under youth exactly while the end date is before the 23rd birthday', () => {
    fc.assert(
      fc.property(situation, ({ activeUntil, dateOfBirth, months, windowDays, regime, before }) => {
        const now = new Date(activeUntil.getTime() - before);
        const inWindow = before > 0 && before <= windowDays * DAY;
        const result = extend(active(activeUntil, dateOfBirth), now, { months, windowDays, regime });
        const belowLimit = regime === 'all_ages' || activeUntil < endOfYouth(dateOfBirth);
        assert.equal(result.ok, inWindow && belowLimit);
      }),
    );
  });

  it('cannot be repeated at once when the period is longer than the window', () => {
    fc.assert(
      fc.property(situation, ({ activeUntil, dateOfBirth, months, windowDays, regime, before }) => {
        fc.pre(windowDays < 28 * months);
        const now = new Date(activeUntil.getTime() - before);
        const first = extend(active(activeUntil, dateOfBirth), now, { months, windowDays, regime });
        if (!first.ok || first.step.transition !== 'extend' || first.step.limitedByAge) return;
        const again = extend(active(first.step.activeUntil, dateOfBirth), now, { months, windowDays, regime });
        assert.equal(again.ok, false);
      }),
    );
  });
});
