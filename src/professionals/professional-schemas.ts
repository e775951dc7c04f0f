/** The professional API's schemas: what an administrator may send, and the whitelist of what leaves. */
import { type Static, Type } from 'typebox';
import { Id, Text } from '../api/schemas.ts';

const fields = {
  name: Text(200),
  email: Type.String({ format: 'email', maxLength: 254 }),
  phone: Type.String({ minLength: 6, maxLength: 40, pattern: '^[+0-9 ()-]+$' }),
  jobTitle: Type.Optional(Type.String({ maxLength: 200 })),
};

export const NewProfessionalBody = Type.Object(fields, { additionalProperties: false });
export type ProfessionalInput = Static<typeof NewProfessionalBody>;

export const ProfessionalPatchBody = Type.Partial(Type.Object({ ...fields, active: Type.Boolean() }), { additionalProperties: false, minProperties: 1 });
export type ProfessionalPatch = Static<typeof ProfessionalPatchBody>;

/** The whitelist of ProfessionalView (professional-service.ts): the coordinator flag stays inside. */
export const ProfessionalView = Type.Object({
  id: Id,
  organisationId: Id,
  name: Type.String(),
  email: Type.String(),
  phone: Type.String(),
  jobTitle: Type.String(),
  active: Type.Boolean(),
});
