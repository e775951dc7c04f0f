/**
 * The match rule, as the specification: the database query mirrors it. A person's active signals
 * match when they come from two or more different organisations; an organisation that also wants
 * matches within itself matches on two or more different professionals, in any organisation.
 */

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
