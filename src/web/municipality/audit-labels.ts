/**
 * The audit trail in words a functional manager reads: a Dutch label for every event type (in
 * ../labels.ts), every detail key and every resource type of the closed catalogue
 * (src/audit/audit-catalogue.ts), Dutch words for the codes among the details, and names instead
 * of ids. The page (/beheer/audit) and its export (CSV) both describe an event with
 * `describeEvent`, so they say the same. Ids without a name (a match, a delivery) show their first
 * eight characters; the person an event is about only as the short reference to the pseudonym.
 */
import type { AuditDetailKey, AuditEventType, AuditResourceType } from '../../audit/audit-catalogue.ts';
import type { AuditEventView, AuditName } from '../../audit/audit-service.ts';
import type { CoordinationAction, CoordinationState, EscalationReason, Outcome } from '../../coordination/coordination-rules.ts';
import type { OrganisationPatch } from '../../organisations/organisation-service.ts';
import type { ProfessionalPatch } from '../../professionals/professional-service.ts';
import type { SettingsPatch } from '../../settings/settings-service.ts';
import type { StaffRole } from '../../shared/actor.ts';
import { isValidIsoDate } from '../../shared/calendar.ts';
import { isUuid } from '../../shared/ids.ts';
import { formatDate, formatDateTime } from '../components.tsx';
import {
  ACTOR_LABELS,
  CHANNEL_LABELS,
  DECISION_LABELS,
  DECISION_REASON_LABELS,
  EXTENSION_REASON_LABELS,
  eventLabel,
  IDENTITY_CHECK_LABELS,
  OUTCOME_LABELS,
  REQUEST_KIND_LABELS,
  REQUEST_STATUS_LABELS,
  REQUESTER_LABELS,
} from '../labels.ts';

export const DETAIL_LABELS: Record<AuditDetailKey, string> = {
  action: 'Handeling',
  address: 'Internetadres',
  addressees: 'Brief aan',
  after: 'Na gebeurtenis',
  ageLimit: 'Begrensd door de 23e verjaardag',
  basis: 'Grondslag',
  again: 'Opnieuw uitgenodigd',
  before: 'Ouder dan',
  caseNumber: 'Zaaknummer',
  category: 'Reden of afloop',
  change: 'Wijziging uit de BRP',
  changed: 'Gewijzigd',
  coordinator: 'Coördinator',
  decision: 'Besluit',
  contact: 'Bericht aan de nieuwe gemeente',
  count: 'Aantal',
  dataCategory: 'Soort gegevens',
  deleted: 'Verwijderd',
  delivery: 'Bericht',
  ended: 'Beëindigd',
  enrolled: 'App gekoppeld',
  eventType: 'Soort gebeurtenis',
  format: 'Formaat',
  failuresPerMinute: 'Mislukte pogingen per minuut',
  from: 'Van',
  givenBy: 'Gegeven door',
  hub: 'Via de landelijke hub naar een andere regio',
  identification: 'Eerder geïdentificeerd met',
  identityCheck: 'Identiteit gecontroleerd met',
  ground: 'Grond zonder toestemming',
  informed: 'Geïnformeerd',
  informedOn: 'Geïnformeerd op',
  kind: 'Soort overleg',
  keyId: 'Sleutel-id',
  keyKind: 'Sleutel',
  locked: 'Geblokkeerd',
  match: 'Gevolg',
  matchId: 'Match',
  matchKind: 'Soort match',
  matches: 'Matches',
  municipality: 'Gemeentecode',
  mayCoordinate: 'Mag de regie nemen',
  moved: 'Overgedragen',
  nearlyDue: 'Bijna te laat',
  overdue: 'Te laat',
  organisation: 'Organisatie',
  outcome: 'Uitkomst',
  own: 'Eigen berichten',
  page: 'Pagina',
  postponedFor: 'Uitgesteld omdat',
  previousKeyId: 'Vervangt sleutel-id',
  professional: 'Professional',
  purpose: 'Soort link',
  reason: 'Reden',
  recoveryCode: 'Met herstelcode',
  recoveryCodesDeleted: 'Herstelcodes vervallen',
  requestKind: 'Soort verzoek',
  requester: 'Verzoek gedaan door',
  retentionMonths: 'Bewaartermijn (maanden)',
  roles: 'Rollen',
  search: 'Gezocht op',
  sent: 'Mail verstuurd',
  sessions: 'Sessies beëindigd',
  sessionsEnded: 'Sessies beëindigd',
  signalId: 'Signaal',
  signals: 'Signalen',
  staffMember: 'Medewerker',
  status: 'Status',
  through: 'Binnengekomen via',
  to: 'Naar',
  transfer: 'Bij overdracht',
  until: 'Tot',
  weeks: 'Weken verlengd',
};

export const RESOURCE_LABELS: Record<AuditResourceType, string> = {
  api_client: 'API-sleutel',
  case_consultation: 'Casusoverleg',
  covenant: 'Convenant',
  data_breach: 'Datalek',
  match: 'Match',
  organisation: 'Organisatie',
  professional: 'Professional',
  rights_request: 'Verzoek over persoonsgegevens',
  signal: 'Signaal',
  staff_member: 'Medewerker',
  web_account: 'Account',
  webhook_subscription: 'Webhook',
};

/** The fields a change names (`changed`): settings, an organisation, a professional. */
const SETTINGS_FIELDS: Record<keyof SettingsPatch, string> = {
  regime: 'voor wie',
  signalLifetimeMonths: 'looptijd van een signaal',
  historyRetentionMonths: 'bewaartermijn na afloop',
  matchWithinOrganisation: 'match binnen één organisatie',
  familyMatching: 'gezinsmatch',
  familyMatchAgeLimit: 'gezinsmatch tot de leeftijd',
  familyMatchIncludesParent: 'gezinsmatch met de ouder zelf',
  addressMatching: 'adresmatch',
  unbornSignals: 'signalen op een ongeboren kind',
  mailMode: 'inhoud van de matchmail',
  expiryNoticeDays: 'bericht vóór het verlopen',
  deliveryMaxAttempts: 'pogingen om een bericht af te leveren',
  sessionIdleMinutes: 'automatisch uitloggen',
  sessionAbsoluteHours: 'altijd uitloggen na',
  escalateNoCoordinatorWorkingDays: 'opschalen zonder regisseur',
  escalateNoContactWorkingDays: 'opschalen zonder contact',
  auditRetentionMonths: 'bewaartermijn van de audit trail',
  coordinatorDomainPriority: 'voorrang bij de regie',
  theme: 'huisstijl',
  privacyStatement: 'privacyverklaring',
  signalExtensionMonths: 'verlengen met',
  informingFollowUpDays: 'vragen naar uitgesteld informeren na',
  caseConsultationRetentionMonths: 'bewaartermijn casusoverleg',
  rightsRequestRetentionMonths: 'bewaartermijn verzoeken over persoonsgegevens',
};
const ORGANISATION_FIELDS: Record<keyof OrganisationPatch, string> = {
  name: 'naam',
  domains: 'domeinen',
  description: 'omschrijving',
  signallingCriteria: 'meldcriteria',
  website: 'website',
  phone: 'telefoon',
  email: 'e-mailadres',
};
const PROFESSIONAL_FIELDS: Record<keyof ProfessionalPatch | 'coordinator', string> = {
  name: 'naam',
  email: 'e-mailadres',
  phone: 'telefoon',
  jobTitle: 'functie',
  active: 'actief',
  coordinator: 'coördinator',
};
const FIELD_LABELS: Record<string, string> = { ...SETTINGS_FIELDS, ...ORGANISATION_FIELDS, ...PROFESSIONAL_FIELDS };

const ROLE_LABELS: Record<StaffRole, string> = {
  municipality_admin: 'functioneel beheerder',
  escalation_officer: 'functionaris',
  privacy_officer: 'privacyfunctionaris',
};

const STATE_LABELS: Record<CoordinationState, string> = {
  open: 'nog geen regisseur',
  taken: 'regie genomen',
  handover_proposed: 'overdracht voorgesteld',
  escalated: 'opgeschaald',
  resolved: 'opschaling afgesloten',
};
const ACTION_LABELS: Record<CoordinationAction | 'second_factor_reset', string> = {
  take: 'regie genomen',
  propose_handover: 'overdracht van de regie voorgesteld',
  accept_handover: 'overdracht aanvaard',
  decline_handover: 'overdracht afgewezen',
  withdraw_handover: 'voorstel tot overdracht ingetrokken',
  coordinator_left: 'regisseur is niet meer betrokken',
  proposed_left: 'voorgestelde regisseur is niet meer betrokken',
  escalate: 'opgeschaald naar de functionaris',
  appoint: 'regisseur aangewezen door de functionaris',
  resolve: 'opschaling afgesloten',
  second_factor_reset: 'tweede factor opnieuw instellen',
};
const ESCALATION_REASON_LABELS: Record<EscalationReason, string> = {
  no_coordinator: 'niemand neemt de regie',
  no_contact: 'er is geen contact gelegd',
  no_agreement: 'de professionals komen er samen niet uit',
  other: 'andere reden',
};
const RESOLUTION_LABELS: Record<Outcome, string> = {
  coordinator_appointed: 'er is een regisseur',
  contact_restored: 'het contact is hersteld',
  no_coordination_needed: 'regie is niet (meer) nodig',
  other: 'anders',
};

const END_REASONS: Record<string, string> = {
  care_ended: 'hulp afgerond',
  moved: 'verhuisd',
  deceased: 'overleden',
  expired: 'looptijd verstreken',
  age_limit: 'leeftijdsgrens bereikt',
  unjustified: 'ten onrechte afgegeven',
  objection_upheld: 'bezwaar toegekend',
  erasure: 'verwijdering op verzoek van de persoon',
};
const ACCESS_REASONS: Record<string, string> = {
  malformed_token: 'onleesbare API-sleutel',
  unknown_key: 'onbekende API-sleutel of verkeerd geheim',
  revoked: 'API-sleutel ingetrokken',
  token_revoked: 'oude API-sleutel ingetrokken na vervanging',
  token_expired: 'oude API-sleutel vervangen, overgangsperiode voorbij',
  staff_client_as_professional: 'sleutel van de gemeente gebruikt voor een professional',
  staff_client_as_record_system: 'sleutel van de gemeente gebruikt als cliëntsysteem',
  covenant_not_active: 'convenant niet actief',
  professional_not_allowed: 'professional niet actief of van een andere organisatie',
  not_staff: 'niet de rol die hiervoor nodig is',
  not_coordinator: 'geen coördinator van de organisatie',
  not_administrator: 'geen functioneel beheerder',
};
const SIGN_IN_REASONS: Record<string, string> = {
  locked: 'adres tijdelijk geblokkeerd na te veel pogingen',
  inactive: 'account gedeactiveerd',
  wrong_password: 'verkeerd wachtwoord',
  unknown_address: 'onbekend e-mailadres',
  wrong_code: 'verkeerde code',
  wrong_enrolment_code: 'verkeerde code bij het koppelen van de app',
};
const SESSION_END_REASONS: Record<string, string> = {
  idle: 'te lang niets gedaan',
  expired: 'maximale duur bereikt',
  deactivated: 'account gedeactiveerd',
  signed_out_everywhere: 'overal uitgelogd',
  password_changed: 'wachtwoord gewijzigd',
  ended: 'sessie beëindigd',
};
const EXTENSION_REASONS: Record<string, string> = {
  involvement_continues: 'nog betrokken, de hulp loopt door',
  collaboration_continues: 'de samenwerking loopt door',
  handover_pending: 'de hulp wordt overgedragen',
};
const POSTPONEMENT_REASONS: Record<string, string> = {
  safety_of_person: 'veiligheid van de persoon',
  safety_of_others: 'veiligheid van anderen',
  not_reachable_yet: 'nog niet bereikbaar',
};
/** How an information letter was made (signal.information_letter_made). */
const LETTER_FORMATS: Record<string, string> = { pdf: 'PDF', text: 'tekst om te versturen', json: 'tekst via de API' };
const INFORMED_PARTIES: Record<string, string> = { person: 'de persoon', legal_representative: 'de wettelijk vertegenwoordiger' };
const INFORMING_OUTCOMES: Record<string, string> = { informed: 'geïnformeerd', not_yet: 'nog niet geïnformeerd' };
const KEPT_FORM_DISCARD_REASONS: Record<string, string> = { other_account: 'een ander account logde in' };
const LOOKUP_REASONS: Record<string, string> = {
  inzageverzoek: 'inzageverzoek',
  correctie: 'correctie',
  bezwaar: 'bezwaar',
  verwijderverzoek: 'verwijderverzoek',
  anders: 'anders',
};
const REGISTER_OUTCOMES: Record<string, string> = {
  found: 'gevonden',
  unknown: 'onbekend in de BRP',
  deceased: 'overleden volgens de BRP',
  mismatch: 'geboortedatum wijkt af van de BRP',
  unavailable: 'BRP niet bereikbaar',
};
const REGISTER_PURPOSES: Record<string, string> = {
  filing: 'signaal afgeven',
  identification: 'BSN toevoegen aan een signaal zonder BSN',
  unborn: 'signaal op een ongeboren kind (de moeder)',
  verification: 'controle achteraf',
  changes: 'wijziging in de BRP',
  daily_reread: 'dagelijkse controle',
};
const REGISTER_CHANGES: Record<string, string> = {
  death: 'overleden',
  emigration: 'geëmigreerd',
  parents_changed: 'ouders gewijzigd',
  moved_within: 'verhuisd binnen de gemeente',
  moved_away: 'verhuisd naar een andere gemeente',
  confidential: 'geheimhouding ingesteld',
  no_longer_confidential: 'geheimhouding opgeheven',
  // excluded_addresses.changed
  added: 'toegevoegd',
  removed: 'verwijderd',
  imported: 'ingelezen',
};
const MOVE_CONTACTS: Record<string, string> = { organisation: 'coördinatoren van de organisatie', email: 'e-mailadres', none: 'geen contact ingesteld' };
const FOLLOW_ACTIONS: Record<string, string> = { follow: 'volgen', unfollow: 'niet meer volgen' };
/** The codes behind `reason`, by event type. */
const REASONS: Partial<Record<AuditEventType, Record<string, string>>> = {
  'signal.ended': END_REASONS,
  'signal.expired': END_REASONS,
  'signal.purged': END_REASONS,
  'auth.denied': ACCESS_REASONS,
  'auth.throttled': ACCESS_REASONS,
  'web.sign_in_failed': SIGN_IN_REASONS,
  'web.session_expired': SESSION_END_REASONS,
  'web.form_kept': SESSION_END_REASONS,
  'signal.extended': EXTENSION_REASONS,
  'signal.informing_recorded': POSTPONEMENT_REASONS,
  'web.form_discarded': KEPT_FORM_DISCARD_REASONS,
  'person.looked_up': LOOKUP_REASONS,
  'match.closed': { excluded_address: 'het adres is uitgesloten' },
};

const DELIVERY_STATUS: Record<string, string> = { pending: 'nog af te leveren', delivered: 'afgeleverd', dead: 'mislukt', failed: 'mislukt' };
const LINK_PURPOSE: Record<string, string> = { invitation: 'uitnodiging', password_reset: 'nieuw wachtwoord' };

/** An id without a name: its first eight characters, enough to tell events about the same thing apart. */
export const shortId = (id: string) => id.slice(0, 8);

/** A name with its organisation: "Sanne de Vries (Wijkteam Noord)". */
const withOrganisation = (name: AuditName) => (name.organisationName ? `${name.name} (${name.organisationName})` : name.name);

/** What an id stands for, in words: the named thing, or the kind and its short id. */
function nameText(names: Record<string, AuditName>, id: string, kindLabel?: string): string {
  const name = names[id];
  if (!name) return kindLabel ? `${kindLabel} ${shortId(id)}` : shortId(id);
  switch (name.kind) {
    case 'web_account':
      return `account van ${withOrganisation(name)}`;
    case 'signal':
      return `signaal van ${withOrganisation(name)}`;
    case 'covenant':
      return `convenant${name.name ? ` ${name.name}` : ''}${name.organisationName ? ` (${name.organisationName})` : ''}`;
    case 'staff_member':
      return `${name.name} (gemeente)`;
    default:
      return withOrganisation(name);
  }
}

const list = (value: string, labels: Record<string, string>) =>
  value
    .split(',')
    .filter(Boolean)
    .map((code) => labels[code] ?? code)
    .join(', ');

const isInstant = (value: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(value) && !Number.isNaN(Date.parse(value));

const CONSULTATION_WORDS: Record<string, Record<string, string>> = {
  kind: { anonymous: 'anoniem', identifying: 'herleidbaar' },
  basis: { consent: 'met toestemming', without_consent: 'zonder toestemming' },
  givenBy: { person: 'de persoon', legal_representative: 'de wettelijk vertegenwoordiger' },
  ground: { conflict_of_duties: 'conflict van plichten', vital_interest: 'vitaal belang', legal_task: 'wettelijke taak' },
  dataCategory: {
    contact_details: 'contactgegevens',
    involvement: 'betrokkenheid',
    family_situation: 'gezinssituatie',
    housing: 'wonen',
    finances: 'financiën',
    education_work: 'school en werk',
    daily_functioning: 'dagelijks functioneren',
    safety: 'veiligheid',
    health: 'gezondheid',
    justice: 'justitie',
  },
};
const CONSULTATION_OUTCOMES: Record<string, string> = {
  plan_agreed: 'plan afgesproken',
  handed_back: 'teruggelegd',
  referred_to_veilig_thuis: 'gemeld bij Veilig Thuis',
  referred_elsewhere: 'doorverwezen',
  no_longer_needed: 'niet meer nodig',
  discussed_anonymously: 'anoniem besproken',
};

/** One detail's value in words. */
export function detailValue(event: Pick<AuditEventView, 'eventType' | 'details' | 'names'>, key: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'ja' : 'nee';
  if (typeof value === 'number') return String(value);
  const text = String(value);
  const type = event.eventType as AuditEventType;
  switch (key) {
    case 'reason':
      if (type === 'person.register_followed' && text === 'forgotten') return 'de persoon is niet meer in SluiS';
      if (type === 'rights_request.extended') return (EXTENSION_REASON_LABELS as Record<string, string>)[text] ?? text;
      if (type === 'rights_request.decided') return list(text, DECISION_REASON_LABELS);
      return REASONS[type]?.[text] ?? text;
    case 'change':
      return REGISTER_CHANGES[text] ?? text;
    case 'identification':
      return ({ details: 'achternaam, geboortedatum en geslacht (geen BSN)', unborn: 'ongeboren kind, via de moeder' } as Record<string, string>)[text] ?? text;
    case 'matchKind':
      return ({ family: 'gezinsmatch', address: 'adresmatch', cross_region: 'match met een andere regio' } as Record<string, string>)[text] ?? text;
    case 'contact':
      return MOVE_CONTACTS[text] ?? text;
    case 'action':
      if (type === 'person.register_followed') return FOLLOW_ACTIONS[text] ?? text;
      return (ACTION_LABELS as Record<string, string>)[text] ?? text;
    case 'category': {
      const labels: Record<string, string> = event.details.action === 'resolve' ? RESOLUTION_LABELS : ESCALATION_REASON_LABELS;
      return labels[text] ?? text;
    }
    case 'changed':
      return list(text, FIELD_LABELS);
    case 'roles':
      return list(text, ROLE_LABELS) || 'geen';
    case 'status':
      return DELIVERY_STATUS[text] ?? text;
    case 'purpose':
      if (type === 'person.register_looked_up') return REGISTER_PURPOSES[text] ?? text;
      return LINK_PURPOSE[text] ?? text;
    case 'search':
      return text === 'client_reference' ? 'kenmerk van de organisatie' : text;
    case 'match':
    case 'eventType':
      return eventLabel(text);
    case 'requestKind':
      return (REQUEST_KIND_LABELS as Record<string, string>)[text] ?? text;
    case 'through':
      return (CHANNEL_LABELS as Record<string, string>)[text] ?? text;
    case 'requester':
      return (REQUESTER_LABELS as Record<string, string>)[text] ?? text;
    case 'identityCheck':
      return (IDENTITY_CHECK_LABELS as Record<string, string>)[text] ?? text;
    case 'decision':
      return (DECISION_LABELS as Record<string, string>)[text] ?? text;
    case 'sent':
      if (isValidIsoDate(text)) return formatDate(text);
      return text;
    case 'kind':
    case 'basis':
    case 'givenBy':
    case 'ground':
    case 'dataCategory':
      return CONSULTATION_WORDS[key]?.[text] ?? text;
    case 'outcome':
      if (type === 'signal.informing_recorded') return INFORMING_OUTCOMES[text] ?? text;
      if (type === 'person.register_looked_up') return REGISTER_OUTCOMES[text] ?? text;
      if (type === 'case_consultation.closed') return CONSULTATION_OUTCOMES[text] ?? text;
      return (OUTCOME_LABELS as Record<string, string>)[text] ?? text;
    case 'postponedFor':
      return POSTPONEMENT_REASONS[text] ?? text;
    case 'format':
      if (type === 'signal.information_letter_made') return LETTER_FORMATS[text] ?? text;
      return text;
    case 'informed':
    case 'addressees':
      return list(text, INFORMED_PARTIES);
    case 'informedOn':
    case 'until':
      if (isInstant(text)) return formatDateTime(text);
      if (isValidIsoDate(text)) return formatDate(text);
      return text;
    case 'from':
    case 'to':
    case 'before':
      if (type === 'rights_request.status_changed' || type === 'rights_request.decided') return (REQUEST_STATUS_LABELS as Record<string, string>)[text] ?? text;
      if (type === 'coordination.changed') return (STATE_LABELS as Record<string, string>)[text] ?? text;
      if (type === 'staff.roles_changed') return list(text, ROLE_LABELS) || 'geen';
      // A period (the follow-up figures, an export, the retention sweep), or professionals (a transfer).
      if (isInstant(text)) return formatDateTime(text);
      if (isValidIsoDate(text)) return formatDate(text);
  }
  return isUuid(text) ? nameText(event.names, text) : text;
}

/** Everything an event says, in words, in the order the page and the export show it. */
export type EventText = {
  event: string;
  outcome: string;
  actor: string;
  organisation: string;
  about: string;
  person: string;
  details: [string, string][];
};

function actorText(row: AuditEventView): string {
  const via = row.apiClientId ? `, via ${nameText(row.names, row.apiClientId, 'API-sleutel')}` : '';
  switch (row.actorType) {
    case 'professional':
    case 'staff':
      return row.actorId ? `${nameText(row.names, row.actorId, ACTOR_LABELS[row.actorType])}${via}` : (ACTOR_LABELS[row.actorType] ?? row.actorType);
    case 'record_system':
      return row.apiClientId ? `Cliëntsysteem: ${nameText(row.names, row.apiClientId)}` : 'Cliëntsysteem';
    case 'system':
      return 'SluiS zelf (automatisch)';
    default:
      return ACTOR_LABELS[row.actorType] ?? row.actorType;
  }
}

function aboutText(row: AuditEventView): string {
  if (!row.resourceType || !row.resourceId) return '';
  const label = (RESOURCE_LABELS as Record<string, string>)[row.resourceType] ?? row.resourceType;
  const name = row.names[row.resourceId];
  if (!name) return `${label} ${shortId(row.resourceId)}`;
  // A professional's own signal, read or ended by them: no need to name them twice.
  const actor = row.actorId ? row.names[row.actorId] : undefined;
  if (name.kind === 'signal' && actor?.kind === 'professional' && actor.name === name.name && actor.organisationName === name.organisationName) {
    return 'Eigen signaal';
  }
  // "Signaal van …", "Account van …", "Convenant …" say their kind themselves.
  if (name.kind === 'signal' || name.kind === 'web_account' || name.kind === 'covenant') {
    const text = nameText(row.names, row.resourceId);
    return text.charAt(0).toUpperCase() + text.slice(1);
  }
  return `${label}: ${nameText(row.names, row.resourceId)}`;
}

export function describeEvent(row: AuditEventView): EventText {
  return {
    event: eventLabel(row.eventType),
    outcome: (OUTCOME_LABELS as Record<string, string>)[row.outcome] ?? row.outcome,
    actor: actorText(row),
    organisation: row.organisationId ? (row.organisationName ?? `organisatie ${shortId(row.organisationId)}`) : '',
    about: aboutText(row),
    person: row.subject ?? '',
    details: Object.entries(row.details)
      .filter(([, value]) => value !== null && value !== undefined && value !== '')
      .map(([key, value]) => [(DETAIL_LABELS as Record<string, string>)[key] ?? key, detailValue(row, key, value)]),
  };
}
