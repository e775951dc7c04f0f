/**
 * The match rule, as the specification: the database query mirrors it. A person's active signals
 * match when they come from two or more different organisations; an organisation that also wants
 * matches within itself matches on two or more different professionals, in any organisation.
 */
import { anniversary } from '../shared/calendar.ts';

/** One active signal, reduced to who filed it. */
export type ActiveSignalRef = { organisationId: string; professionalId: string };

/**
 * True when the active signals on one person form a match. A professional is identified by
 * organisation and professional id together, so every cross-organisation match is also a match
 * with `withinOrganisation`.
 */
export function isMatch(activeSignals: ActiveSignalRef[], options: { withinOrganisation: boolean }): boolean {
  const distinct = options.withinOrganisation ? countDistinctProfessionals(activeSignals) : countDistinctOrganisations(activeSignals);
  return distinct >= 2;
}

function countDistinctOrganisations(signals: ActiveSignalRef[]): number {
  return new Set(signals.map((signal) => signal.organisationId)).size;
}

function countDistinctProfessionals(signals: ActiveSignalRef[]): number {
  return new Set(signals.map((signal) => JSON.stringify([signal.organisationId, signal.professionalId]))).size;
}

/** One active signal in a family: who filed it and on which person (the pseudonym, hex). */
export type FamilySignalRef = ActiveSignalRef & { person: string };

/**
 * The family match rule (gezinsmatch, Jeugdwet 7.1.2.3): the active signals on the children of one
 * parent form a family match when two of them are on different persons and from different parties
 * (organisations, or professionals with `withinOrganisation`) — as the person match rule asks of
 * two signals, but across two children. Two signals on one child alone make a person match, not a
 * family match.
 */
export function isFamilyMatch(signals: FamilySignalRef[], options: { withinOrganisation: boolean }): boolean {
  const party = (s: ActiveSignalRef) => (options.withinOrganisation ? JSON.stringify([s.organisationId, s.professionalId]) : s.organisationId);
  for (const [i, a] of signals.entries()) {
    for (const b of signals.slice(i + 1)) if (a.person !== b.person && party(a) !== party(b)) return true;
  }
  return false;
}

/** Whether a child counts in a family match on `today`: younger than the age limit (the setting, default 23), by date of birth. */
export function isChildInFamilyAge(dateOfBirth: string, today: string, ageLimit: number): boolean {
  return today < anniversary(dateOfBirth, ageLimit);
}
