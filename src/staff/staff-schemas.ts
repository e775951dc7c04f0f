/** The staff API's schemas: what an administrator (or the first one, with the setup code) may send, and the whitelist of what leaves. */
import { type Static, Type } from 'typebox';
import { Id, StringEnum, Text } from '../api/schemas.ts';
import type { StaffRole } from '../shared/actor.ts';

export const STAFF_ROLES: readonly StaffRole[] = ['municipality_admin', 'escalation_officer', 'privacy_officer'];

const person = { name: Text(200), email: Type.String({ format: 'email', maxLength: 254 }) };
const roles = (options: Record<string, unknown> = {}) =>
  Type.Array(StringEnum(STAFF_ROLES), {
    minItems: 1,
    maxItems: STAFF_ROLES.length,
    uniqueItems: true,
    description:
      'municipality_admin: functional management; escalation_officer: the municipality\'s escalation officer ("functionaris") for stalled coordination; privacy_officer: the municipality\'s privacy work (rights requests, breaches, the processing register, figures)',
    ...options,
  });

export const SetupBody = Type.Object({ setupCode: Type.String({ minLength: 10, maxLength: 40 }), ...person }, { additionalProperties: false });

export const NewStaffMemberBody = Type.Object({ ...person, roles: Type.Optional(roles({ default: ['municipality_admin'] })) }, { additionalProperties: false });
/** `roles` defaults to municipality_admin. */
export type StaffInput = Static<typeof NewStaffMemberBody>;

export const StaffRolesBody = Type.Object({ roles: roles() }, { additionalProperties: false });

/** The whitelist of CreatedStaffMember (staff-service.ts). */
export const CreatedStaff = Type.Object({
  id: Id,
  name: Type.String(),
  email: Type.String(),
  roles: Type.Array(Type.String()),
  token: Type.String({ description: 'The API token of this staff member; shown once' }),
});
/** The whitelist of StaffMemberView (staff-service.ts). */
export const StaffMember = Type.Object({ id: Id, name: Type.String(), email: Type.String(), roles: Type.Array(Type.String()), active: Type.Boolean() });
