/** Dutch words for the codes the pages show (domains, statuses, audit events, who did a coordination step). */
import type { WebAccountState } from '../accounts/account-types.ts';
import type { AuditEventType } from '../audit/audit-catalogue.ts';
import type { CoordinationState, EscalationReason, Outcome } from '../coordination/coordination-rules.ts';
import type { HistoryEntry } from '../coordination/coordination-types.ts';
import type { CovenantStatus } from '../covenants/covenant-transitions.ts';
import type { Domain } from '../organisations/organisation-service.ts';
import type { InvitationRefusal } from '../professionals/professional-service.ts';
import type {
  Channel,
  Decision,
  DecisionReason,
  ExtensionReason,
  IdentityCheck,
  Requester,
  RequestKind,
  RequestStatus,
  Urgency,
} from '../rights/rights-rules.ts';
import type { LegalBasis } from '../signals/legal-basis.ts';
import type { EndReason, SignalStatus } from '../signals/signal-types.ts';
import { formatDate } from './components.tsx';

export const DOMAIN_LABELS: Record<Domain, string> = {
  health_care: 'Gezondheidszorg',
  mental_health: 'Geestelijke gezondheidszorg',
  social_support: 'Maatschappelijke ondersteuning',
  education: 'Onderwijs',
  work_and_income: 'Werk en inkomen',
  welfare: 'Welzijn',
  housing: 'Wonen',
  safety: 'Veiligheid',
  youth_care: 'Jeugdhulp',
};

export const COVENANT_LABELS: Record<CovenantStatus | 'none', string> = {
  active: 'Actief',
  suspended: 'Opgeschort',
  ended: 'Beëindigd',
  none: 'Geen convenant',
};

/** The state of someone's account, the same words on every page (docs/glossary.md). */
/** Where a signal's client reference would be, when the professional gave none (docs/glossary.md). */
export const NO_CLIENT_REFERENCE = 'Geen kenmerk';

/** Coordination in the same words on the professional's match page and the functionaris' pages (docs/glossary.md). */
export const COORDINATION_STATE_LABELS: Record<CoordinationState, string> = {
  open: 'Nog geen regisseur',
  taken: 'Regie genomen',
  handover_proposed: 'Overdracht voorgesteld',
  escalated: 'Opgeschaald',
  resolved: 'Opschaling afgesloten',
};

/** Why a match was escalated ("opgeschaald"): a category, never free text. */
export const ESCALATION_REASON_LABELS: Record<EscalationReason, string> = {
  no_coordinator: 'Niemand neemt de regie',
  no_contact: 'Er komt geen contact tot stand',
  no_agreement: 'De betrokkenen komen niet tot afspraken',
  other: 'Een andere reden',
};

/** How the functionaris closed an escalation. */
export const RESOLUTION_LABELS: Record<Outcome, string> = {
  coordinator_appointed: 'Er is een regisseur',
  contact_restored: 'Het contact is hersteld',
  no_coordination_needed: 'Regie is niet (meer) nodig',
  other: 'Anders',
};

export const SIGNAL_STATUS_LABELS: Record<SignalStatus, string> = { active: 'Actief', ended: 'Beëindigd', expired: 'Verlopen' };

export const END_REASON_LABELS: Record<EndReason, string> = {
  care_ended: 'hulp afgerond',
  moved: 'verhuisd',
  deceased: 'overleden',
  expired: 'looptijd verstreken',
  age_limit: 'leeftijdsgrens bereikt',
};

export const OUTCOME_LABELS: Record<'success' | 'denied' | 'not_found', string> = {
  success: 'Gelukt',
  denied: 'Geweigerd',
  not_found: 'Niet gevonden',
};

export const ACTOR_LABELS: Record<string, string> = {
  professional: 'Professional',
  record_system: 'Cliëntsysteem',
  staff: 'Gemeente',
  system: 'Systeem',
  anonymous: 'Niet ingelogd',
};

export const AUDIT_EVENT_LABELS: Record<AuditEventType, string> = {
  'setup.admin_created': 'Eerste functioneel beheerder aangemaakt',
  'auth.denied': 'Toegang geweigerd',
  'auth.throttled': 'Te vaak mislukt inloggen vanaf één adres',
  'signal.created': 'Signaal afgegeven',
  'signal.filed_existing': 'Signaal opnieuw afgegeven (bestond al)',
  'signal.read': 'Signaal bekeken',
  'signal.listed': 'Signaal in een lijst getoond',
  'signal.ended': 'Signaal beëindigd',
  'signal.expired': 'Signaal verlopen',
  'signal.purged': 'Signaal verwijderd',
  'match.created': 'Match ontstaan',
  'match.participant_joined': 'Professional aan match toegevoegd',
  'match.closed': 'Match gesloten',
  'match.read': 'Match bekeken',
  'match.listed': 'Match in een lijst getoond',
  'person.purged': 'Persoon verwijderd',
  'organisation.created': 'Organisatie aangemaakt',
  'organisation.updated': 'Organisatie gewijzigd',
  'covenant.started': 'Convenant gestart',
  'covenant.suspended': 'Convenant opgeschort',
  'covenant.resumed': 'Convenant hervat',
  'covenant.ended': 'Convenant beëindigd',
  'covenant.changed': 'Afspraken in het convenant gewijzigd',
  'professional.created': 'Professional aangemaakt',
  'professional.updated': 'Professional gewijzigd',
  'professional.listed': 'Professionals van een organisatie bekeken',
  'api_client.created': 'API-sleutel aangemaakt',
  'api_client.revoked': 'API-sleutel ingetrokken',
  'api_client.token_issued': 'Nieuwe API-sleutel uitgegeven (vervanging)',
  'api_client.token_revoked': 'Oude API-sleutel ingetrokken',
  'settings.updated': 'Instellingen gewijzigd',
  'audit.read': 'Audit trail bekeken',
  'notification.sent': 'Bericht verstuurd',
  'delivery.retried': 'Bericht opnieuw aangeboden',
  'delivery.listed': 'Berichten bekeken',
  'webhook.subscribed': 'Webhook aangemaakt',
  'webhook.secret_rotated': 'Webhookgeheim vernieuwd',
  'webhook.unsubscribed': 'Webhook verwijderd',
  'dev_mailbox.read': 'Ontwikkelpostvak bekeken',
  'events.read': 'Gebeurtenissen opgehaald',
  'web.signed_in': 'Ingelogd',
  'web.sign_in_failed': 'Inloggen mislukt',
  'web.signed_out': 'Uitgelogd',
  'web.signed_out_everywhere': 'Overal uitgelogd',
  'web.session_expired': 'Sessie verlopen',
  'web.second_factor_enrolled': 'Authenticator-app gekoppeld',
  'web.recovery_code_used': 'Herstelcode gebruikt',
  'web.second_factor_reset': 'Tweede factor opnieuw ingesteld',
  'web.password_reset_requested': 'Nieuw wachtwoord aangevraagd',
  'web.password_set': 'Wachtwoord ingesteld',
  'web.account_invited': 'Uitgenodigd voor een account',
  'web.account_deactivated': 'Account gedeactiveerd',
  'web.signals_transferred': 'Signalen overgedragen',
  'web.form_kept': 'Formulier bewaard na uitloggen',
  'web.form_restored': 'Bewaard formulier teruggezet',
  'web.form_discarded': 'Bewaard formulier weggegooid (ander account ingelogd)',
  'person.looked_up': 'Persoon opgezocht (rechtenverzoek)',
  'person.register_looked_up': 'Persoon opgevraagd in de BRP',
  'directory.read': 'Organisatieoverzicht bekeken',
  'coordination.changed': 'Regie gewijzigd',
  'coordination.read': 'Regie bekeken',
  'coordination.contact_recorded': 'Contact gelegd vastgelegd',
  'coordination.worklist_read': 'Werklijst opschaling bekeken',
  'coordination.follow_up_read': 'Opvolgcijfers bekeken',
  'audit.purged': 'Oude auditregels verwijderd (bewaartermijn)',
  'keys.rotation_started': 'Sleutelwissel gestart',
  'keys.rotation_finished': 'Sleutelwissel afgerond',
  'staff.created': 'Medewerker toegevoegd',
  'staff.roles_changed': 'Rollen van een medewerker gewijzigd',
  'audit.exported': 'Audit trail geëxporteerd',

  'signal.extended': 'Signaal verlengd',
  'signal.informing_recorded': 'Informeren vastgelegd',
  'signal.informing_figures_read': 'Cijfers uitgesteld informeren bekeken',
  'signal.information_letter_made': 'Informatiebrief gemaakt',
  'staff.deactivated': 'Medewerker gedeactiveerd',

  'case_consultation.started': 'Casusoverleg gestart',
  'case_consultation.read': 'Casusoverleg bekeken',
  'case_consultation.listed': 'Casusoverleggen bekeken',
  'case_consultation.changed': 'Voorzitter casusoverleg gewijzigd',
  'case_consultation.identified': 'Anoniem casusoverleg herleidbaar gemaakt',
  'case_consultation.participant_added': 'Deelnemer casusoverleg toegevoegd',
  'case_consultation.participant_removed': 'Deelnemer casusoverleg verwijderd',
  'case_consultation.declaration_signed': 'Geheimhoudingsverklaring getekend',
  'case_consultation.declined': 'Deelname casusoverleg afgewezen',
  'case_consultation.consent_recorded': 'Toestemming casusoverleg vastgelegd',
  'case_consultation.reasoning_recorded': 'Afweging zonder toestemming vastgelegd',
  'case_consultation.informing_recorded': 'Informeren over casusoverleg vastgelegd',
  'case_consultation.sharing_recorded': 'Gegevensverstrekking vastgelegd',
  'case_consultation.meeting_planned': 'Bijeenkomst casusoverleg gepland',
  'case_consultation.attendance_recorded': 'Aanwezigen bijeenkomst vastgelegd',
  'case_consultation.action_point_added': 'Actiepunt afgesproken',
  'case_consultation.action_point_done': 'Actiepunt afgerond',
  'case_consultation.closed': 'Casusoverleg afgesloten',
  'case_consultation.purged': 'Casusoverleg verwijderd (bewaartermijn)',
  'case_consultation.figures_read': 'Cijfers casusoverleg bekeken',
  'person.register_changed': 'Wijziging uit de BRP verwerkt',
  'person.register_followed': 'Volgindicatie in de BRP gezet of beëindigd',
  'municipality_contacts.changed': 'Contact voor verhuizingen naar een gemeente gewijzigd',
  'excluded_addresses.changed': 'Uitgesloten adressen gewijzigd',
  'signal.person_identified': 'BSN toegevoegd aan een signaal zonder BSN',
  'match.participant_left': 'Signaal uit gezins- of adresmatch gegaan (wijziging in de BRP)',
  'breach.recorded': 'Datalek vastgelegd',
  'breach.changed': 'Datalek bijgewerkt',
  'breach.partners_notified': 'Partnerorganisaties geïnformeerd over een datalek',
  'breach.read': 'Datalekkenregister bekeken',
  'processing_register.read': 'Verwerkingsregister bekeken',
  'policy_figures.read': 'Beleidscijfers bekeken',
  'rights_request.registered': 'Verzoek over persoonsgegevens geregistreerd',
  'rights_request.passed_on': 'Verzoek over persoonsgegevens doorgegeven door een professional',
  'rights_request.read': 'Verzoek over persoonsgegevens bekeken',
  'rights_request.listed': 'Verzoeken over persoonsgegevens bekeken',
  'rights_request.status_changed': 'Status verzoek gewijzigd',
  'rights_request.extended': 'Termijn verzoek verlengd',
  'rights_request.decided': 'Besluit op verzoek vastgelegd',
  'rights_request.letter_sent': 'Brief over verzoek verstuurd',
  'rights_request.purged': 'Verzoek verwijderd (bewaartermijn)',
  'rights_request.deadlines_mailed': 'Mail over termijnen van verzoeken verstuurd',
  'rights.decision_carried_out': 'Besluit op verzoek uitgevoerd',
  'rights.person_erased': 'Gegevens van persoon verwijderd (verzoek)',
  'rights.person_restricted': 'Verwerking van persoon beperkt (verzoek)',
  'rights.restriction_lifted': 'Beperking van verwerking opgeheven',
  'rights.details_corrected': 'Persoonsgegevens op signaal verbeterd (verzoek)',
  'rights.statement_added': 'Eigen verklaring van persoon toegevoegd',
  'rights.statement_read': 'Eigen verklaring van persoon getoond',
  'rights.restriction_read': 'Beperking van verwerking getoond',
  'rights_request.inspection_made': 'Inzagerapport gemaakt',
  'database.backed_up': 'Back-up van de database gemaakt',
  'federation.registered': 'Persoon geregistreerd bij de landelijke hub (alleen een willekeurige referentie)',
  'federation.deregistered': 'Registratie bij de landelijke hub beëindigd',
  'federation.match_received': 'Match met een andere regio gemaakt',
  'federation.match_ended': 'Match met een andere regio beëindigd',
  'federation.contacts_sent': 'Contactgegevens van professionals naar de andere regio gestuurd',
  'federation.contacts_received': 'Contactgegevens van professionals uit een andere regio ontvangen',
};

/** Rights requests (src/rights/rights-rules.ts): the words of the pages, mails and audit trail. */
export const REQUEST_KIND_LABELS: Record<RequestKind, string> = {
  inspection: 'Inzage',
  copy: 'Kopie',
  correction: 'Correctie',
  restriction: 'Beperking',
  objection: 'Bezwaar',
  erasure: 'Verwijdering',
  own_statement: 'Eigen verklaring',
  portability: 'Overdracht van gegevens',
  complaint: 'Klacht',
};
export const CHANNEL_LABELS: Record<Channel, string> = {
  person: 'De persoon zelf, bij de gemeente',
  professional: 'Via een professional',
  letter: 'Per brief',
};
export const REQUESTER_LABELS: Record<Requester, string> = {
  person: 'De persoon zelf',
  legal_representative: 'De wettelijk vertegenwoordiger',
  person_and_representative: 'De jongere en de wettelijk vertegenwoordiger samen',
};
export const IDENTITY_CHECK_LABELS: Record<IdentityCheck, string> = {
  id_document_seen: 'Identiteitsbewijs gezien aan de balie',
  digid: 'Ingelogd met DigiD',
  signed_letter_with_id_copy: 'Ondertekende brief met kopie identiteitsbewijs (BSN en foto afgeschermd)',
  known_to_professional: 'Bekend bij de professional die het verzoek doorgaf',
  representative_authority_checked: 'Gezag of vertegenwoordiging gecontroleerd',
};
export const REQUEST_STATUS_LABELS: Record<RequestStatus, string> = {
  received: 'Ontvangen',
  in_progress: 'In behandeling',
  decided: 'Besloten',
  closed: 'Afgehandeld',
};
export const DECISION_LABELS: Record<Decision, string> = {
  granted: 'Toegewezen',
  partly_granted: 'Deels toegewezen',
  refused: 'Afgewezen',
};
export const DECISION_REASON_LABELS: Record<DecisionReason, string> = {
  rights_of_others: 'De rechten van anderen (AVG artikel 23)',
  legal_retention_duty: 'Een wettelijke plicht om te bewaren',
  compelling_legitimate_grounds: 'Dwingende gerechtvaardigde gronden (AVG artikel 21)',
  manifestly_unfounded_or_excessive: 'Kennelijk ongegrond of buitensporig (AVG artikel 12.5)',
  identity_not_established: 'De identiteit van de verzoeker staat niet vast',
  data_held_by_partner: 'De gegevens staan in het dossier van een ketenpartner (wend u tot die partner)',
  data_correct: 'De gegevens kloppen',
};
export const EXTENSION_REASON_LABELS: Record<ExtensionReason, string> = {
  complexity: 'Het verzoek is ingewikkeld',
  number_of_requests: 'Er zijn veel verzoeken',
};
export const URGENCY_LABELS: Record<Urgency, string> = {
  overdue: 'Te laat',
  nearly_due: 'Bijna te laat',
  on_time: 'Op tijd',
  answered: 'Beantwoord',
};

export const eventLabel = (type: string): string => (AUDIT_EVENT_LABELS as Record<string, string>)[type] ?? type;

export function legalBasisText(basis: LegalBasis): string {
  switch (basis.basis) {
    case 'consent':
      return `Toestemming van ${basis.givenBy === 'person' ? 'de persoon zelf' : 'de wettelijk vertegenwoordiger'}, ${formatDate(basis.givenOn)}`;
    case 'informed': {
      const who = basis.informed.map((p) => (p === 'person' ? 'de jongere' : 'de wettelijk vertegenwoordiger')).join(' en ');
      return `Geïnformeerd: ${who}, ${formatDate(basis.informedOn)}`;
    }
    case 'informing_postponed': {
      const reasons = {
        safety_of_person: 'veiligheid van de persoon',
        safety_of_others: 'veiligheid van anderen',
        not_reachable_yet: 'nog niet bereikbaar',
      } as const;
      return `Informeren uitgesteld (${reasons[basis.reason] ?? basis.reason})`;
    }
  }
}

/** Who did a coordination step, in a sentence: the professional with their organisation, the escalation officer, or SluiS (a timer, a participant leaving). */
export function coordinationActorLabel(entry: Pick<HistoryEntry, 'actorKind' | 'actorName' | 'actorOrganisation'>): string {
  if (entry.actorKind === 'staff') return 'De functionaris van de gemeente';
  if (entry.actorKind === 'system') return 'SluiS';
  return `${entry.actorName ?? 'Een professional'}${entry.actorOrganisation ? ` (${entry.actorOrganisation})` : ''}`;
}

/** A web account's state, in one word on every page (the coordinator's professionals, the administrator's organisation page, the staff list). */
export const ACCOUNT_STATUS_LABELS: Record<WebAccountState, string> = {
  none: 'Geen account',
  invited: 'Uitgenodigd',
  active: 'Actief',
  deactivated: 'Gedeactiveerd',
};

/** Why an invitation to the web application was refused (professionals/web-invitation.ts), in Dutch. */
export const INVITATION_REFUSAL_TEXTS: Record<InvitationRefusal, string> = {
  professional_inactive: 'Deze professional is gedeactiveerd en kan niet worden uitgenodigd.',
  web_account_active:
    'Deze professional heeft al een account met een wachtwoord. Wachtwoord vergeten? Dat vraagt de professional zelf opnieuw aan bij "Wachtwoord vergeten".',
  web_account_deactivated: 'Het account van deze professional is gedeactiveerd en kan niet opnieuw worden uitgenodigd.',
  covenant_not_active:
    'Deze organisatie heeft geen actief convenant, dus haar professionals kunnen niet inloggen. Start eerst het convenant en nodig daarna uit.',
  email_in_use: 'Met dit e-mailadres bestaat al een account in SluiS. Gebruik een ander e-mailadres.',
};
