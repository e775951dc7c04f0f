/** Wires the services together: plain factories with narrow dependencies, no container. */
import type { Kysely } from 'kysely';
import { createAccountService } from '../accounts/account-service.ts';
import { createOverviewService } from '../administration/overview-service.ts';
import { createPolicyFiguresService } from '../administration/policy-figures-service.ts';
import { createApiClientService } from '../api-clients/api-client-service.ts';
import { type ApiLimits, createAuthenticator } from '../api-clients/authenticator.ts';
import { createAuditLog } from '../audit/audit-log.ts';
import { createAuditService } from '../audit/audit-service.ts';
import { createBreachService } from '../breaches/breach-service.ts';
import { createCaseConsultationService } from '../case-consultations/case-consultation-service.ts';
import { createCoordinationService } from '../coordination/coordination-service.ts';
import { createCovenantService } from '../covenants/covenant-service.ts';
import type { Engine } from '../db/database.ts';
import type { DB } from '../db/schema.ts';
import { createRegionFederation, type RegionFederationOptions } from '../federation/region-client.ts';
import { createEmbeddedMaintenance } from '../jobs/embedded-maintenance.ts';
import { createLifetimeJobs } from '../jobs/lifetime-jobs.ts';
import { createRegisterChanges } from '../jobs/register-changes.ts';
import { createRegisterVerification } from '../jobs/register-verification.ts';
import { createMatchService } from '../matches/match-service.ts';
import { createDeliveryService } from '../notifications/delivery-service.ts';
import { createDeliveryWorker } from '../notifications/delivery-worker.ts';
import { createDispatcher } from '../notifications/dispatcher.ts';
import { createEventFeedService } from '../notifications/event-feed-service.ts';
import { createDevMailboxTransport, type MailTransport } from '../notifications/mail-transport.ts';
import { createWakeups } from '../notifications/wakeups.ts';
import { createWebhookAddressGuard, type WebhookAddressOptions } from '../notifications/webhook-address-guard.ts';
import { createWebhookService } from '../notifications/webhook-service.ts';
import { createCoordinatorService } from '../organisations/coordinator-service.ts';
import { createOrganisationService } from '../organisations/organisation-service.ts';
import type { PersonCrypto } from '../persons/identity-keys.ts';
import { createKeyRotation } from '../persons/key-rotation.ts';
import { createPersonLookupService } from '../persons/person-lookup-service.ts';
import { createExcludedAddressesService } from '../population-register/excluded-addresses-service.ts';
import { createMunicipalityContactsService } from '../population-register/municipality-contacts-service.ts';
import type { PopulationRegister } from '../population-register/population-register.ts';
import { createProfessionalService } from '../professionals/professional-service.ts';
import type { InspectionReport } from '../rights/inspection-report.ts';
import { createInspectionService } from '../rights/inspection-service.ts';
import { createRightsDecisionService } from '../rights/rights-decision-service.ts';
import { createRightsRequestService } from '../rights/rights-request-service.ts';
import { createSettingsService } from '../settings/settings-service.ts';
import type { Clock } from '../shared/clock.ts';
import { createCursors } from '../shared/paging.ts';
import { createInformationLetterService } from '../signals/information-letter-service.ts';
import { createSignalService } from '../signals/signal-service.ts';
import { createWorklistService } from '../signals/worklist-service.ts';
import { createStaffService } from '../staff/staff-service.ts';
import { inspectionLetterPdf } from '../web/privacy/inspection-letter.ts';
import { resolveTheme } from '../web/theme.ts';

export type Services = ReturnType<typeof createServices>;

export function createServices(deps: {
  db: Kysely<DB>;
  clock: Clock;
  crypto: PersonCrypto;
  publicUrl?: string;
  mail?: MailTransport;
  engine?: Engine;
  webhookAddresses?: WebhookAddressOptions;
  apiLimits?: ApiLimits;
  /** The population register (SLUIS_REGISTER); undefined: none, matching on the BSN only. */
  register?: PopulationRegister | undefined;
  /** The link to the national hub (SLUIS_FEDERATION_*); undefined: not federated. */
  federation?: RegionFederationOptions | undefined;
}) {
  const { db, clock, crypto } = deps;
  const publicUrl = deps.publicUrl ?? 'http://localhost:8080';
  const audit = createAuditLog();
  const cursors = createCursors(crypto.cursorKey);
  const settings = createSettingsService({ db, clock, audit });
  const wakeups = createWakeups();
  const mail = deps.mail ?? createDevMailboxTransport({ db, clock });
  const dispatcher = createDispatcher({ db, clock, settings, publicUrl, mailHost: new URL(publicUrl).hostname });
  const coordination = createCoordinationService({ db, clock, audit, settings, onOutbox: wakeups.outboxWritten });
  const accounts = createAccountService({ db, clock, audit, settings, mail, publicUrl, crypto });
  const apiClients = createApiClientService({ db, clock, audit });
  const webhookAddresses = createWebhookAddressGuard(deps.webhookAddresses);
  const webhooks = createWebhookService({ db, clock, audit, addresses: webhookAddresses });
  const { register, federation } = deps;
  const signals = createSignalService({ db, clock, audit, crypto, cursors, settings, onOutbox: wakeups.outboxWritten, register });
  const registerVerification = register
    ? createRegisterVerification({ db, clock, audit, crypto, register, settings, onOutbox: wakeups.outboxWritten })
    : undefined;
  const registerChanges = register ? createRegisterChanges({ db, clock, audit, crypto, settings, register, onOutbox: wakeups.outboxWritten }) : undefined;
  const matches = createMatchService({ db, clock, audit, cursors });
  const deliveries = createDeliveryService({ db, clock, audit, cursors, wake: wakeups.outboxWritten });
  const caseConsultations = createCaseConsultationService({ db, clock, audit, settings, onOutbox: wakeups.outboxWritten });
  const keyRotation = createKeyRotation({ db, clock, audit, crypto });
  const rightsRequests = createRightsRequestService({ db, clock, audit, crypto, settings, onOutbox: wakeups.outboxWritten });
  return {
    /** The audit writer (stateless), for the few pages that record a read without a service of their own. */
    audit,
    /** Signs and reads the API's paging cursors (for the routes that page a list a service gives whole). */
    cursors,
    publicUrl,
    wakeups,
    mail,
    dispatcher,
    deliveryWorker: createDeliveryWorker({
      db,
      clock,
      settings,
      audit,
      dispatcher,
      mail,
      webhookAddresses,
      onFeed: wakeups.feedWritten,
      federation: federation && createRegionFederation({ db, clock, audit, decryptBsn: crypto.decrypt, options: federation }),
    }),
    deliveries,
    webhooks,
    eventFeed: createEventFeedService({ db, clock, audit, cursors, wakeups, publicUrl }),
    db,
    clock,
    crypto,
    /** Key rotation: started at process start (runtime.ts), run in batches by the sweep and `sluis keys`. */
    keyRotation,
    auth: createAuthenticator({ db, clock, audit, ...(deps.apiLimits && { limits: deps.apiLimits }) }),
    accounts,
    organisationCoordinator: createCoordinatorService({ db, clock, audit, accounts, settings, apiClients, webhooks, deliveries, wake: wakeups.outboxWritten }),
    settings,
    staff: createStaffService({ db, clock, audit, accounts }),
    organisations: createOrganisationService({ db, clock, audit }),
    covenants: createCovenantService({ db, clock, audit }),
    professionals: createProfessionalService({ db, clock, audit, accounts }),
    apiClients,
    signals,
    /** The information letter for a professional's own signal (PDF, text, API). */
    informationLetters: createInformationLetterService({ db, clock, audit, settings, publicUrl }),
    matches,
    worklist: createWorklistService({ db, clock, settings, signals, matches }),
    coordination,
    caseConsultations,
    /** The register of rights requests (administrators and privacy officers; professionals pass requests on). */
    rightsRequests,
    /** Carrying out a decision on a rights request (administrators and privacy officers); the professionals' pages read the restriction and statement. */
    rightsDecisions: createRightsDecisionService({ db, clock, audit, crypto, settings, onOutbox: wakeups.outboxWritten }),
    /** The inspection report of a rights request's person (administrators and privacy officers), made on request and never stored. */
    inspection: createInspectionService({ db, clock, audit }),
    /** The inspection report as the Dutch PDF letter, signed with the municipality's name and rights contact from the settings. */
    inspectionLetter: async (report: InspectionReport): Promise<Buffer> => {
      const current = await settings.current();
      return inspectionLetterPdf(report, { municipality: resolveTheme(current.theme).municipalityName, contact: current.privacyStatement.contact });
    },
    auditTrail: createAuditService({
      db,
      clock,
      audit,
      cursors,
      publicUrl,
      retention: async () => {
        const current = await settings.current();
        return {
          signalLifetimeMonths: current.signalLifetimeMonths,
          historyRetentionMonths: current.historyRetentionMonths,
          auditRetentionMonths: current.auditRetentionMonths,
          caseConsultationRetentionMonths: current.caseConsultationRetentionMonths,
        };
      },
    }),
    breaches: createBreachService({ db, clock, audit, onOutbox: wakeups.outboxWritten }),
    policyFigures: createPolicyFiguresService({ db, clock, audit }),
    overview: createOverviewService({ db, register }),
    /** The population register in use, or undefined. */
    register,
    /** Queued verifications of signals filed while the register could not answer (run by the sweep). */
    registerVerification,
    /** Changes from the register (Update API, daily re-read, the embedded register's applied changes), run by the sweep. */
    registerChanges,
    /** Who hears of moves to another municipality (administrators keep it). */
    municipalityContacts: createMunicipalityContactsService({ db, clock, audit }),
    /** Where no address match is made (administrators keep it). */
    excludedAddresses: createExcludedAddressesService({ db, clock, audit, crypto }),
    personLookup: createPersonLookupService({ db, clock, audit, crypto }),
    jobs: createLifetimeJobs({
      db,
      clock,
      audit,
      settings,
      onOutbox: wakeups.outboxWritten,
      escalateDue: coordination.escalateDue,
      verifyRegister: registerVerification && (async () => (await registerVerification.runDue()).verified),
      purgeCaseConsultations: caseConsultations.purgeDue,
      purgeRightsRequests: rightsRequests.purgeDue,
      mailRightsDeadlines: rightsRequests.mailDeadlines,
      rekeyBatch: () => keyRotation.rekeyBatch(),
      reencryptBatch: () => keyRotation.reencryptBatch(),
      followRegister: registerChanges && (async () => (await registerChanges.runOnce()).changed),
      maintenance: deps.engine === 'pglite' ? createEmbeddedMaintenance({ db, clock }) : undefined,
    }),
  };
}
