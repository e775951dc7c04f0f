/** The Dutch words for a breach's codes: the register's pages and the mail to the partners' coordinators say the same. */
import type { BreachCategory, BreachDataCategory } from './breach-rules.ts';

export const BREACH_CATEGORY_LABELS: Record<BreachCategory, string> = {
  lost_device: 'Apparaat of gegevensdrager kwijt of gestolen',
  wrong_recipient: 'Gegevens naar de verkeerde ontvanger',
  unauthorised_access: 'Iemand zag gegevens zonder dat het mocht',
  hacking: 'Inbraak of malware',
  published: 'Gegevens per ongeluk openbaar gemaakt',
  lost_paper: 'Papieren stukken kwijt',
  other: 'Anders',
};

export const BREACH_DATA_CATEGORY_LABELS: Record<BreachDataCategory, string> = {
  identifying: 'Identificerende gegevens (BSN, naam, geboortedatum)',
  contact: 'Adres- en contactgegevens',
  signal: 'Signalen',
  match: 'Matches',
  coordination: 'Regie en opschaling',
  case_consultation: 'Casusoverleggen',
  register: 'Gegevens uit de BRP',
  account: 'Gegevens van professionals en medewerkers',
};
