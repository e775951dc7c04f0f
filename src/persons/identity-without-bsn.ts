/**
 * Identifying a person who has no BSN (Besluit Jeugdwet 7.3.1): by family name, date of birth and
 * gender. Two professionals typing the same person must arrive at the same identity, so the family
 * name is normalised: the prefix ("van der") and the name are taken together, accents dropped,
 * case ignored, and everything but letters left out ("Van der Berg", "van der berg", "Vanderberg",
 * "van der Bérg" are one name). Gender must be known (male, female or other): "unknown" identifies
 * nobody. A pure rule: the keyed pseudonym of the result is made in identity-keys.ts.
 *
 * What that risks (docs/population-register.md, "Persons without a BSN"): two different persons with
 * the same family name, date of birth and gender — twins of one gender, above all — are one person
 * to SluiS and their signals match; and a name spelt differently (a transliteration, a second family
 * name left out) makes two persons of one, so their signals do not match.
 */

export type IdentityDetails = {
  name: { familyNamePrefix?: string | undefined; familyName: string };
  dateOfBirth: string;
  gender: 'male' | 'female' | 'other' | 'unknown';
};

/** The family name as the identity holds it: prefix and name together, letters only, lower case, no accents. */
export function normalisedFamilyName(name: IdentityDetails['name']): string {
  return `${name.familyNamePrefix ?? ''}${name.familyName}`
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/ß/g, 'ss')
    .replace(/[^\p{L}]/gu, '');
}

/**
 * The text the person key of an unborn child is made from: its mother's BSN (one unborn child per
 * mother at a time; twins are one signal's person until they are born and their own BSNs are added).
 * Never equal to an identity by details (another prefix), nor to a BSN.
 */
export function unbornIdentity(motherBsn: { reveal(): string }): string {
  return `unborn-v1|${motherBsn.reveal()}`;
}

/**
 * The text the person key of a person without a BSN is made from (versioned), or undefined when the
 * details cannot identify anyone: a family name with no letters, or an unknown gender.
 */
export function identityWithoutBsn(details: IdentityDetails): string | undefined {
  const familyName = normalisedFamilyName(details.name);
  if (familyName === '' || details.gender === 'unknown') return undefined;
  return `v1|${familyName}|${details.dateOfBirth}|${details.gender}`;
}
