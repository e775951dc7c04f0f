/** The organisation API's schemas: what an administrator may send, and the whitelist of what leaves. */
import { type Static, Type } from 'typebox';
import { Id, Nullable, StringEnum, Text } from '../api/schemas.ts';
import type { Domain as DomainName } from '../db/schema.ts';

/** The domains an organisation works in (stored as the database's enum). */
export const DOMAINS: readonly DomainName[] = [
  'health_care',
  'mental_health',
  'social_support',
  'education',
  'work_and_income',
  'welfare',
  'housing',
  'safety',
  'youth_care',
];

export const Domain = StringEnum(DOMAINS);

const fields = {
  name: Text(200),
  domains: Type.Array(Domain, { minItems: 1, uniqueItems: true }),
  description: Type.Optional(Type.String({ maxLength: 4000, description: 'Profile: what help the organisation offers' })),
  signallingCriteria: Type.Optional(Type.String({ maxLength: 4000, description: 'Profile: in which situations its professionals signal' })),
  website: Type.Optional(Nullable(Type.String({ maxLength: 300, pattern: '^https?://' }))),
  phone: Type.Optional(Nullable(Type.String({ maxLength: 40 }))),
  email: Type.Optional(Nullable(Type.String({ format: 'email', maxLength: 254 }))),
};

export const NewOrganisationBody = Type.Object(fields, { additionalProperties: false });
export type OrganisationInput = Static<typeof NewOrganisationBody>;

export const OrganisationPatchBody = Type.Partial(Type.Object(fields), { additionalProperties: false, minProperties: 1 });
export type OrganisationPatch = Static<typeof OrganisationPatchBody>;

/** The whitelist of OrganisationView (organisation-service.ts). */
export const OrganisationView = Type.Object({
  id: Id,
  name: Type.String(),
  domains: Type.Array(Type.String()),
  description: Type.String(),
  signallingCriteria: Type.String(),
  website: Nullable(Type.String()),
  phone: Nullable(Type.String()),
  email: Nullable(Type.String()),
  covenantStatus: StringEnum(['active', 'suspended', 'none'] as const),
});
