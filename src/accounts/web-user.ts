/** Who is signed in to the web application, and the Actor the services authorise against. */
import type { ProfessionalActor, StaffActor, StaffRole } from '../shared/actor.ts';

export type WebProfessional = {
  kind: 'professional';
  accountId: string;
  email: string;
  name: string;
  professionalId: string;
  organisationId: string;
  organisationName: string;
  /** The organisation coordinator: manages the organisation's professionals, profile and connections. */
  coordinator: boolean;
};

export type WebStaff = { kind: 'staff'; accountId: string; email: string; name: string; staffMemberId: string; roles: StaffRole[] };

export type WebUser = WebProfessional | WebStaff;

export const professionalActor = (user: WebProfessional, requestId: string): ProfessionalActor => ({
  kind: 'professional',
  professionalId: user.professionalId,
  organisationId: user.organisationId,
  apiClientId: null,
  requestId,
});

export const staffActor = (user: WebStaff, requestId: string): StaffActor => ({
  kind: 'staff',
  staffMemberId: user.staffMemberId,
  roles: user.roles,
  apiClientId: null,
  requestId,
});
