/**
 * The lifecycle of a signal as a state table, in plain functions (no I/O, no clock):
 *
 *   ┌─extend (in the window before active-until)─┐
 *   ▼                                              │
 *   active ──end──────────▶ ended ───purge (from retain-until)──▶ purged
 *     │ └───expire (from active-until)──▶ expired ──purge──────────▶ purged
 *     └─────end as unjustified or objection upheld (purge_at_once)──▶ purged
 *   active | ended | expired ──erase (a rights decision: erasure, or an upheld objection's history)──▶ purged
 *
 * `transition` says whether a step is allowed for a signal and what it implies (end date, stored
 * reason, retain-until date, deleted at once or not, the new end date of an extension);
 * `signal-steps.ts` carries the steps out. A purged signal no longer exists, so nothing leaves
 * `purged`; an ended or expired one is never extended (the professional files anew).
 */
import type { EndReason, SignalStatus } from '../db/schema.ts';
import { anniversary, type IsoDate, startOfAmsterdamDay } from '../shared/calendar.ts';
import { END_REASONS, type EndReasonInput, type ExtensionRules, extensionOffer, isPurgedAtOnce, retainUntil, YOUTH_AGE_LIMIT } from './lifetime.ts';

export const LIFECYCLE_STATES = ['active', 'ended', 'expired', 'purged'] as const;
export type LifecycleState = SignalStatus | 'purged';

export const TRANSITION_NAMES = ['end', 'purge_at_once', 'expire', 'purge', 'extend', 'erase'] as const;
export type SignalTransition = (typeof TRANSITION_NAMES)[number];

/** The state table: every allowed transition. Anything not listed is refused. */
export const TRANSITIONS: Record<SignalTransition, { from: readonly LifecycleState[]; to: LifecycleState }> = {
  end: { from: ['active'], to: 'ended' },
  purge_at_once: { from: ['active'], to: 'purged' },
  expire: { from: ['active'], to: 'expired' },
  purge: { from: ['ended', 'expired'], to: 'purged' },
  extend: { from: ['active'], to: 'active' },
  erase: { from: ['active', 'ended', 'expired'], to: 'purged' },
};

/** The reasons a professional may end a signal with that keep it as history (the others purge it at once). */
export type KeptEndReason = Exclude<EndReasonInput, 'unjustified' | 'objection_upheld'>;

/** What the table needs to know of a signal. */
export type LifecycleSignal = { status: LifecycleState; activeUntil: Date; retainUntil: Date | null; dateOfBirth: IsoDate };

export type LifecycleEvent =
  | { action: 'end'; reason: EndReasonInput; now: Date; historyRetentionMonths: number }
  | { action: 'expire'; now: Date; historyRetentionMonths: number }
  | { action: 'purge'; now: Date }
  | { action: 'extend'; now: Date; rules: ExtensionRules }
  | { action: 'erase'; now: Date };

/** What an allowed transition implies for the signal's row. */
export type LifecycleStep =
  | { transition: 'end'; to: 'ended'; endedAt: Date; endReason: KeptEndReason; retainUntil: Date }
  | { transition: 'expire'; to: 'expired'; endedAt: Date; endReason: Extract<EndReason, 'expired' | 'age_limit'>; retainUntil: Date }
  | { transition: 'purge_at_once'; to: 'purged'; reason: EndReasonInput }
  | { transition: 'purge'; to: 'purged' }
  | { transition: 'erase'; to: 'purged'; wasActive: boolean }
  | { transition: 'extend'; to: 'active'; activeUntil: Date; previousActiveUntil: Date; limitedByAge: boolean };

/**
 * 'state': not from this state (an extension also when the end date has passed); 'reason': not an
 * end reason; 'not_due': the date for it has not come (for an extension: its window has not opened);
 * 'switched_off': the municipality does not allow extending; 'age_limit': the signal already ends
 * at the youth regime's limit, the start of the 23rd birthday.
 */
export type LifecycleRefusal = 'state' | 'reason' | 'not_due' | 'switched_off' | 'age_limit';
export type LifecycleResult = { ok: true; step: LifecycleStep } | { ok: false; refusal: LifecycleRefusal };

const refuse = (refusal: LifecycleRefusal): LifecycleResult => ({ ok: false, refusal });

/** Which transition of the table an event asks for. */
export function transitionOf(event: LifecycleEvent): SignalTransition {
  if (event.action === 'end') return isPurgedAtOnce(event.reason) ? 'purge_at_once' : 'end';
  return event.action;
}

/** Applies one event to a signal, or says why it is not allowed. */
export function transition(signal: LifecycleSignal, event: LifecycleEvent): LifecycleResult {
  if (event.action === 'end' && !(END_REASONS as readonly string[]).includes(event.reason)) return refuse('reason');
  const name = transitionOf(event);
  if (!TRANSITIONS[name].from.includes(signal.status)) return refuse('state');
  switch (event.action) {
    case 'end':
      if (isPurgedAtOnce(event.reason)) return { ok: true, step: { transition: 'purge_at_once', to: 'purged', reason: event.reason } };
      return {
        ok: true,
        step: {
          transition: 'end',
          to: 'ended',
          endedAt: event.now,
          endReason: event.reason as KeptEndReason,
          retainUntil: retainUntil(event.now, event.historyRetentionMonths),
        },
      };
    case 'expire':
      if (event.now < signal.activeUntil) return refuse('not_due');
      return {
        ok: true,
        step: {
          transition: 'expire',
          to: 'expired',
          // A signal expires at its end date, however late the sweep comes.
          endedAt: signal.activeUntil,
          endReason: expiryReason(signal),
          retainUntil: retainUntil(signal.activeUntil, event.historyRetentionMonths),
        },
      };
    case 'purge':
      if (!signal.retainUntil || event.now < signal.retainUntil) return refuse('not_due');
      return { ok: true, step: { transition: 'purge', to: 'purged' } };
    case 'extend':
      return extend(signal, event);
    case 'erase':
      return { ok: true, step: { transition: 'erase', to: 'purged', wasActive: signal.status === 'active' } };
  }
}

/** An active signal is extended within the window before its end date, by the set period, to at most the regime's limit. */
function extend(signal: LifecycleSignal, event: Extract<LifecycleEvent, { action: 'extend' }>): LifecycleResult {
  // Past its end date the signal has expired, whether or not the sweep has come by yet.
  if (event.now >= signal.activeUntil) return refuse('state');
  const offer = extensionOffer(signal, event.rules);
  if (!offer.ok) return refuse(offer.refusal);
  if (event.now < offer.opensAt) return refuse('not_due');
  return {
    ok: true,
    step: { transition: 'extend', to: 'active', activeUntil: offer.until, previousActiveUntil: signal.activeUntil, limitedByAge: offer.limitedByAge },
  };
}

/** Why an active signal expires: 'age_limit' when its end date is the start of the 23rd birthday (the youth regime's limit), else 'expired'. */
export function expiryReason(signal: { activeUntil: Date; dateOfBirth: IsoDate }): 'expired' | 'age_limit' {
  const endOfYouth = startOfAmsterdamDay(anniversary(signal.dateOfBirth, YOUTH_AGE_LIMIT));
  return endOfYouth.getTime() === signal.activeUntil.getTime() ? 'age_limit' : 'expired';
}
