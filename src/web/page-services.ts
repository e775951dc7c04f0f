/**
 * What the pages may call: the domain services, the clock and the mail transport's kind — never the
 * database or the audit writer, so that every read and write of a page is authorised and audited by
 * a service. The wiring (src/server/) hands the pages its services, which have all of these.
 */
import type { FastifyInstance } from 'fastify';
import type { AccountService } from '../accounts/account-service.ts';
import type { OverviewService } from '../administration/overview-service.ts';
import type { PolicyFiguresService } from '../administration/policy-figures-service.ts';
import type { AuditService } from '../audit/audit-service.ts';
import type { BreachService } from '../breaches/breach-service.ts';
import type { CaseConsultationService } from '../case-consultations/case-consultation-service.ts';
import type { CoordinationService } from '../coordination/coordination-service.ts';
import type { CovenantService } from '../covenants/covenant-service.ts';
import type { MatchService } from '../matches/match-service.ts';
import type { DeliveryService } from '../notifications/delivery-service.ts';
import type { MailTransport } from '../notifications/mail-transport.ts';
import type { CoordinatorService } from '../organisations/coordinator-service.ts';
import type { OrganisationService } from '../organisations/organisation-service.ts';
import type { PersonLookupService } from '../persons/person-lookup-service.ts';
import type { ExcludedAddressesService } from '../population-register/excluded-addresses-service.ts';
import type { MunicipalityContactsService } from '../population-register/municipality-contacts-service.ts';
import type { ProfessionalService } from '../professionals/professional-service.ts';
import type { InspectionLetter, InspectionService } from '../rights/inspection-service.ts';
import type { RightsDecisionService } from '../rights/rights-decision-service.ts';
import type { RightsRequestService } from '../rights/rights-request-service.ts';
import type { SettingsService } from '../settings/settings-service.ts';
import type { Clock } from '../shared/clock.ts';
import type { InformationLetterService } from '../signals/information-letter-service.ts';
import type { SignalService } from '../signals/signal-service.ts';
import type { WorklistService } from '../signals/worklist-service.ts';
import type { StaffService } from '../staff/staff-service.ts';

export type PageServices = {
  accounts: AccountService;
  auditTrail: AuditService;
  breaches: BreachService;
  caseConsultations: CaseConsultationService;
  clock: Clock;
  coordination: CoordinationService;
  covenants: CovenantService;
  deliveries: DeliveryService;
  mail: Pick<MailTransport, 'kind'>;
  matches: MatchService;
  municipalityContacts: MunicipalityContactsService;
  excludedAddresses: ExcludedAddressesService;
  informationLetters: InformationLetterService;
  organisationCoordinator: CoordinatorService;
  organisations: OrganisationService;
  overview: OverviewService;
  personLookup: PersonLookupService;
  policyFigures: PolicyFiguresService;
  professionals: ProfessionalService;
  rightsDecisions: RightsDecisionService;
  rightsRequests: RightsRequestService;
  /** The inspection report of a rights request's person, and its Dutch PDF letter. */
  inspection: InspectionService;
  inspectionLetter: InspectionLetter;
  settings: SettingsService;
  signals: SignalService;
  staff: StaffService;
  worklist: WorklistService;
};

export type PageOptions = { services: PageServices; publicUrl: string; signInRateLimitPerMinute?: number };

/** A group of pages: a Fastify plugin registered by the wiring with the page services. */
export type PagePlugin = (app: FastifyInstance, options: PageOptions) => Promise<void>;
