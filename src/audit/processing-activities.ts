/**
 * The processing register (verwerkingsregister, GDPR art. 30) of SluiS: its processing activities
 * with purpose, legal basis, data categories, retention and recipients, and which activity each
 * audit event type belongs to (so that the Logboek Dataverwerkingen export names it). Pure: the
 * retention is worded from the current settings by the caller's values.
 */
import type { AuditEventType } from './audit-catalogue.ts';

export const PROCESSING_ACTIVITY_IDS = [
  'filing',
  'matching',
  'coordination',
  'case_consultation',
  'register_lookup',
  'rights',
  'notification',
  'access',
  'administration',
  'accountability',
] as const;
export type ProcessingActivityId = (typeof PROCESSING_ACTIVITY_IDS)[number];

export type ProcessingActivity = {
  id: ProcessingActivityId;
  name: string;
  purpose: string;
  legalBasis: string;
  dataCategories: string[];
  retention: string;
  recipients: string[];
};

/** The settings the retention texts depend on. */
export type RetentionSettings = {
  signalLifetimeMonths: number;
  historyRetentionMonths: number;
  auditRetentionMonths: number;
  caseConsultationRetentionMonths: number;
};

const months = (n: number) => (n % 12 === 0 ? `${n / 12} jaar` : `${n} maanden`);

/** The activities, in Dutch (what the register page and its JSON say), with retention from the settings. */
export function processingActivities(s: RetentionSettings): ProcessingActivity[] {
  const signalRetention = `Actief hoogstens ${months(s.signalLifetimeMonths)}, daarna ${s.historyRetentionMonths === 0 ? 'meteen verwijderd' : `${months(s.historyRetentionMonths)} bewaard als geschiedenis`} (instelling)`;
  const auditRetention = s.auditRetentionMonths === 0 ? 'Zonder einddatum (instelling)' : `${months(s.auditRetentionMonths)} (instelling)`;
  return [
    {
      id: 'filing',
      name: 'Signalen afgeven en beheren',
      purpose: 'Vastleggen dát een professional bij een persoon betrokken is, zodat betrokken professionals elkaar vinden.',
      legalBasis: 'Jeugdwet hoofdstuk 7.1 (verwijsindex risicojongeren), of toestemming van de persoon (23 jaar en ouder); convenant',
      dataCategories: ['BSN (als pseudoniem en versleuteld)', 'naam, geboortedatum, geslacht, adres', 'contactgegevens van de professional'],
      retention: signalRetention,
      recipients: ['De professional die het signaal afgaf', 'Het cliëntsysteem van de organisatie'],
    },
    {
      id: 'matching',
      name: 'Matchen (persoon, gezin, adres)',
      purpose: 'Professionals van verschillende organisaties die bij dezelfde persoon, hetzelfde gezin of adres betrokken zijn met elkaar in contact brengen.',
      legalBasis: 'Jeugdwet art. 7.1.3.1 e.v.; convenant',
      dataCategories: ['Pseudoniem van de persoon', 'contactgegevens van de betrokken professionals'],
      retention: signalRetention,
      recipients: ['Betrokken professionals met een actief signaal'],
    },
    {
      id: 'coordination',
      name: 'Regie en opschaling',
      purpose: 'Afspreken wie de regie neemt, en de functionaris opschaling inschakelen als de samenwerking stokt.',
      legalBasis: 'Jeugdwet art. 7.1.4.2; convenant',
      dataCategories: ['Wie de regie heeft, contactmomenten', 'reden van opschaling (categorie)'],
      retention: signalRetention,
      recipients: ['Betrokken professionals', 'Functionaris opschaling'],
    },
    {
      id: 'case_consultation',
      name: 'Casusoverleg',
      purpose: 'Overleg van direct betrokken partners over één persoon of gezin, onder het privacyreglement van het convenant.',
      legalBasis: 'Toestemming, of de afweging zonder toestemming (privacyreglement art. 9)',
      dataCategories: ['Doel en grondslag', 'deelnemers', 'gedeelde gegevens (soort)', 'actiepunten'],
      retention: `${months(s.caseConsultationRetentionMonths)} na afsluiten (instelling)`,
      recipients: ['Deelnemers aan het casusoverleg'],
    },
    {
      id: 'register_lookup',
      name: 'Raadplegen van de BRP',
      purpose: 'Controleren dat een persoon bestaat en de gegevens uit de BRP overnemen; verhuizing en overlijden verwerken.',
      legalBasis: 'Wet BRP; Jeugdwet art. 7.1.3.1',
      dataCategories: ['BSN', 'persoonsgegevens en adres uit de BRP', 'ouders (als pseudoniem)'],
      retention: signalRetention,
      recipients: ['Geen: alleen SluiS zelf'],
    },
    {
      id: 'rights',
      name: 'Rechten van betrokkenen',
      purpose: 'Verzoeken om inzage, correctie, beperking, bezwaar en verwijdering beantwoorden.',
      legalBasis: 'AVG art. 15 tot en met 22',
      dataCategories: ['Alles wat SluiS over de persoon bewaart', 'het verzoek zelf'],
      retention: 'Volgens de instelling voor verzoeken',
      recipients: ['De persoon of diens vertegenwoordiger', 'betrokken professionals (het besluit)'],
    },
    {
      id: 'notification',
      name: 'Berichten',
      purpose: 'Professionals en cliëntsystemen laten weten dat er een match of een wijziging is (zonder persoonsgegevens).',
      legalBasis: 'Jeugdwet art. 7.1.3.3; convenant',
      dataCategories: ['Ids van signalen en matches', 'contactgegevens van professionals'],
      retention: 'Tot het bericht is afgeleverd, daarna als aflevering bewaard',
      recipients: ['Professionals', 'cliëntsystemen van de organisaties'],
    },
    {
      id: 'access',
      name: 'Toegang en beveiliging',
      purpose: 'Inloggen, tweede factor, API-sleutels en sessies van professionals en medewerkers.',
      legalBasis: 'AVG art. 32 (beveiliging)',
      dataCategories: ['Naam en e-mailadres van professionals en medewerkers', 'inlogmomenten'],
      retention: auditRetention,
      recipients: ['Functioneel beheerder'],
    },
    {
      id: 'administration',
      name: 'Beheer van organisaties en convenanten',
      purpose: 'Bijhouden welke organisaties een convenant hebben, hun professionals en de instellingen van de gemeente.',
      legalBasis: 'Convenant; AVG art. 6 lid 1 sub e',
      dataCategories: ['Gegevens van organisaties en professionals'],
      retention: 'Zolang de organisatie meedoet',
      recipients: ['Functioneel beheerder', 'coördinatoren van de organisaties'],
    },
    {
      id: 'accountability',
      name: 'Verantwoording',
      purpose: 'De audit trail, het datalekkenregister, dit register en de beleidscijfers (die niemand identificeren).',
      legalBasis: 'AVG art. 5 lid 2, 30, 33; privacyreglement art. 2.3 en 13',
      dataCategories: ['Wie wat wanneer deed (pseudoniem van de persoon)', 'datalekken (zonder persoonsgegevens)'],
      retention: auditRetention,
      recipients: ['Functioneel beheerder', 'privacyfunctionaris', 'Autoriteit Persoonsgegevens (datalekken)'],
    },
  ];
}

const BY_PREFIX: [string, ProcessingActivityId][] = [
  ['signal.informing_figures_read', 'accountability'],
  ['case_consultation.figures_read', 'accountability'],
  // The letter informs the person of the signal: part of filing (the duty to inform, Jeugdwet art. 7.1.4.3; consent from 23).
  ['signal.information_letter_made', 'filing'],
  ['signal.', 'filing'],
  ['match.', 'matching'],
  // Cross-region matching through the hub is matching (docs/federation.md).
  ['federation.', 'matching'],
  ['coordination.', 'coordination'],
  ['case_consultation.', 'case_consultation'],
  ['person.register_', 'register_lookup'],
  ['person.looked_up', 'rights'],
  ['person.purged', 'filing'],
  ['municipality_contacts.', 'register_lookup'],
  ['excluded_addresses.', 'register_lookup'],
  ['notification.', 'notification'],
  ['delivery.', 'notification'],
  ['webhook.', 'notification'],
  ['events.', 'notification'],
  ['dev_mailbox.', 'notification'],
  ['auth.', 'access'],
  ['web.signals_transferred', 'filing'],
  ['web.form_', 'filing'],
  ['web.', 'access'],
  ['setup.', 'access'],
  ['api_client.', 'access'],
  ['staff.', 'access'],
  // A backup keeps the data available after a failure: a security measure (AVG art. 32 lid 1 sub c).
  ['database.', 'access'],
  ['organisation.', 'administration'],
  ['covenant.', 'administration'],
  ['professional.', 'administration'],
  ['settings.', 'administration'],
  ['directory.', 'administration'],
  ['audit.', 'accountability'],
  ['keys.', 'accountability'],
  ['breach.', 'accountability'],
  ['processing_register.', 'accountability'],
  ['policy_figures.', 'accountability'],
  ['rights.', 'rights'],
  ['rights_request.', 'rights'],
];

/** The processing activity an audit event type belongs to (the first matching prefix); undefined for a type no rule knows (a test forbids it). */
export function processingActivityOf(type: AuditEventType | string): ProcessingActivityId | undefined {
  return BY_PREFIX.find(([prefix]) => type.startsWith(prefix))?.[1];
}
