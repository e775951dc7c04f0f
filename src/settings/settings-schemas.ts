/** The settings API's schemas: what an administrator may change, and the whitelist of what leaves. */
import { type Static, Type } from 'typebox';
import { Instant, Nullable, StringEnum } from '../api/schemas.ts';
import { DOMAINS } from '../organisations/organisation-schemas.ts';

export const Theme = Type.Object(
  {
    municipalityName: Type.Optional(Type.String({ minLength: 1, maxLength: 80, description: 'Shown in the header of every page' })),
    logoUrl: Type.Optional(Type.String({ maxLength: 500, pattern: '^(https://|/)', description: 'An https:// (or same-site /) address of the logo' })),
    primaryColor: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'Header and button colour, #rrggbb' })),
    primaryTextColor: Type.Optional(Type.String({ pattern: '^#[0-9a-fA-F]{6}$', description: 'Text on the primary colour, #rrggbb' })),
  },
  { additionalProperties: false, description: "The municipality's name, logo and colours in the web pages (design tokens)" },
);
/** The municipality's name, logo and colours on the web pages (see src/web/theme.ts). */
export type Theme = Static<typeof Theme>;

export const PrivacyStatement = Type.Object(
  {
    controller: Type.Optional(
      Type.String({ minLength: 1, maxLength: 300, description: 'Who is responsible (controller); default: the municipality by its name in the theme' }),
    ),
    contact: Type.Optional(
      Type.String({ minLength: 1, maxLength: 2000, description: 'How residents reach the municipality for their rights (address, phone, e-mail, form)' }),
    ),
    dataProtectionOfficer: Type.Optional(Type.String({ minLength: 1, maxLength: 2000, description: "The data protection officer's contact details" })),
    purposes: Type.Optional(
      Type.String({ minLength: 1, maxLength: 4000, description: 'What the municipality uses SluiS for; default: a text true for SluiS' }),
    ),
    moreInformationUrl: Type.Optional(
      Type.String({ maxLength: 500, pattern: '^https://[^\\s"<>]+$', description: "An https:// address of the municipality's general privacy statement" }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'The parts of the privacy statement on /privacy that the municipality fills in; a missing part shows its default or a clear placeholder. Retention and rights follow from the other settings.',
  },
);
/** The municipality's parts of the privacy statement (see src/web/account/privacy-page.tsx). */
export type PrivacyStatement = Static<typeof PrivacyStatement>;

const fields = {
  regime: StringEnum(['all_ages', 'youth'] as const, {
    description: 'all_ages (SluiS), or youth: the national Verwijsindex rules, persons under 23 and signals ending at the 23rd birthday',
  }),
  signalLifetimeMonths: Type.Integer({ minimum: 1, maximum: 120, description: 'How long a signal stays active at most (default 24)' }),
  historyRetentionMonths: Type.Integer({ minimum: 0, maximum: 240, description: 'How long an ended signal is kept as history (default 60)' }),
  matchWithinOrganisation: Type.Boolean({ description: 'Whether two professionals of one organisation make a match (default false)' }),
  mailMode: StringEnum(['full', 'link_only'] as const, {
    description: "full: mails carry the other professionals' contact details; link_only: mails only point into SluiS (default full)",
  }),
  expiryNoticeDays: Type.Integer({
    minimum: 0,
    maximum: 365,
    description: 'How many days before a signal expires its professional is told (default 28; 0: no notice)',
  }),
  deliveryMaxAttempts: Type.Integer({ minimum: 1, maximum: 100, description: 'Tries per mail or webhook before it becomes a dead letter (default 12)' }),
  sessionIdleMinutes: Type.Integer({ minimum: 5, maximum: 240, description: 'Web sessions end after this many minutes without a request (default 15)' }),
  sessionAbsoluteHours: Type.Integer({ minimum: 1, maximum: 24, description: 'Web sessions end this many hours after sign-in, whatever happens (default 12)' }),
  escalateNoCoordinatorWorkingDays: Type.Integer({
    minimum: 0,
    maximum: 60,
    description: 'A match without a coordinator for this many working days escalates to the escalation officer (default 10; 0: never)',
  }),
  escalateNoContactWorkingDays: Type.Integer({
    minimum: 0,
    maximum: 60,
    description: 'A match where not every participant recorded contact after this many working days escalates (default 10; 0: never)',
  }),
  auditRetentionMonths: Type.Integer({
    minimum: 0,
    maximum: 1200,
    description:
      'Audit events older than this many months are deleted by the lifetime sweep (default 0: kept for ever); the deletion itself is audited as audit.purged',
  }),
  coordinatorDomainPriority: Type.Array(StringEnum(DOMAINS), {
    maxItems: 9,
    uniqueItems: true,
    description:
      'Covenant rule: the participant in the first listed domain is proposed as coordinator (for instance youth_care before education); empty: no proposal',
  }),
  theme: Theme,
  privacyStatement: PrivacyStatement,

  signalExtensionMonths: Nullable(
    Type.Integer({
      minimum: 0,
      maximum: 120,
      description:
        'By how many months a professional may extend a signal that is about to expire (null, the default: the signal lifetime; 0: extending is switched off)',
    }),
  ),
  familyMatching: Type.Boolean({
    description: 'Whether signals on two persons who share a registered parent make a family match (default true; only with a population register)',
  }),
  familyMatchAgeLimit: Type.Integer({
    minimum: 1,
    maximum: 99,
    description: 'Family matching counts children under this age on the day, by their date of birth (default 23)',
  }),
  familyMatchIncludesParent: Type.Boolean({ description: "Whether a signal on the parent themself counts in their children's family match (default false)" }),
  addressMatching: Type.Boolean({
    description:
      'Whether signals on persons with the same registered home address make an address match, except at excluded addresses (default false: the excluded-address register is often incomplete; only with a population register)',
  }),
  unbornSignals: Type.Boolean({
    description:
      "Whether a signal may be filed on an unborn child, identified through the mother's BSN and the expected date of birth (person.identifiedBy unborn), and moved to the child once born with POST /signals/{id}/bsn (default false)",
  }),
  informingFollowUpDays: Type.Integer({
    minimum: 1,
    maximum: 365,
    description:
      'Days after filing with informing postponed (or after "not yet" was recorded) that the professional is asked to record the informing (default 14)',
  }),
  caseConsultationRetentionMonths: Type.Integer({
    minimum: 1,
    maximum: 120,
    description: 'A closed case consultation is deleted for good this many months after closing, by the sweep; the audit trail stays (default 12)',
  }),
  rightsRequestRetentionMonths: Type.Integer({
    minimum: 1,
    maximum: 120,
    description: 'A closed rights request is deleted for good this many months after closing, by the sweep; the audit trail stays (default 24)',
  }),
};

export const SettingsPatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
export type SettingsPatch = Static<typeof SettingsPatchBody>;

export const SettingsView = Type.Object({ version: Type.Integer(), ...fields, updatedAt: Instant });
/** The settings as the service holds them: the answer's fields, with the moment of the last change as a Date. */
export type Settings = Omit<Static<typeof SettingsView>, 'updatedAt'> & { updatedAt: Date };
