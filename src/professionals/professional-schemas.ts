/** The professional API's schemas: what an administrator may send, and the whitelist of what leaves. */
import { type Static, Type } from 'typebox';
import { Id, Instant, Nullable, StringEnum, Text } from '../api/schemas.ts';

const fields = {
  name: Text(200),
  email: Type.String({ format: 'email', maxLength: 254 }),
  phone: Type.String({ minLength: 6, maxLength: 40, pattern: '^[+0-9 ()-]+$' }),
  jobTitle: Type.Optional(Type.String({ maxLength: 200 })),
  coordinator: Type.Optional(
    Type.Boolean({
      description:
        "The organisation's coordinator, who manages its professionals in the web application. A professional who becomes coordinator without a web account is invited to the web application by mail at once (the organisation needs an active covenant for that).",
    }),
  ),
};

export const NewProfessionalBody = Type.Object(fields, { additionalProperties: false });
export type ProfessionalInput = Static<typeof NewProfessionalBody>;

export const ProfessionalPatchBody = Type.Partial(Type.Object({ ...fields, active: Type.Boolean() }), { additionalProperties: false, minProperties: 1 });
export type ProfessionalPatch = Static<typeof ProfessionalPatchBody>;

export const WEB_ACCOUNT_STATES = ['none', 'invited', 'active', 'deactivated'] as const;

/** The whitelist of ProfessionalView (professional-service.ts). */
export const ProfessionalView = Type.Object({
  id: Id,
  organisationId: Id,
  name: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  jobTitle: Type.String(),
  active: Type.Boolean(),
  coordinator: Type.Boolean({ description: "The organisation's coordinator (organisatiecoördinator)" }),
  webAccount: StringEnum(WEB_ACCOUNT_STATES, {
    description: 'The web account: none yet, invited (no password chosen yet), active, or deactivated',
  }),
  invitationExpiresAt: Nullable(Instant),
});
