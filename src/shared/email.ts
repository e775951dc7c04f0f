/**
 * What SluiS takes as an e-mail address: one rule for the API (Ajv's `email` format, set in
 * server/app.ts), the web forms and the configuration. A plain address as people type it —
 * `naam@organisatie.nl` — with the limits of RFC 5321: at most 254 characters, a local part of at most
 * 64 and domain labels of at most 63.
 *
 * Deliberately narrower than RFC 5322: no quoted local parts, no comments, no address literals
 * (`x@[10.0.0.1]`), no domain without a dot (`x@localhost`), and ASCII only (an internationalised
 * domain is written in its xn-- form). Every address it accepts can be sent to by any mail server.
 */

const MAX_ADDRESS = 254;
const MAX_LOCAL_PART = 64;
const MAX_LABEL = 63;

/** dot-atom: atext characters in runs separated by single dots (RFC 5322 3.2.3). */
const LOCAL_PART = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*$/;
/** A host name label: letters, digits and inner hyphens (RFC 1123). */
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/;
/** A top-level domain: two or more characters, not all digits (so no 1.2.3.4). */
const TOP_LEVEL = /^(?=.*[A-Za-z])[A-Za-z0-9-]{2,}$/;

/** True when the text is an e-mail address SluiS accepts (see above); the text is taken as it is, not trimmed. */
export function isEmailAddress(text: string): boolean {
  if (text.length > MAX_ADDRESS) return false;
  const at = text.lastIndexOf('@');
  if (at < 1) return false;
  const local = text.slice(0, at);
  const labels = text.slice(at + 1).split('.');
  if (local.length > MAX_LOCAL_PART || !LOCAL_PART.test(local)) return false;
  if (labels.length < 2 || !TOP_LEVEL.test(labels.at(-1) ?? '')) return false;
  return labels.every((label) => label.length <= MAX_LABEL && LABEL.test(label));
}
