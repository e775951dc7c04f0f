/** Small helpers that let a route say who may call it, in one line. */
import type { FastifyRequest } from 'fastify';
import type { Services } from '../services.ts';
import type { StaffRole } from '../shared/actor.ts';

export const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  return header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
};

const professionalHeader = (request: FastifyRequest) => {
  const value = request.headers['sluis-professional-id'];
  return Array.isArray(value) ? value[0] : value;
};

export const asProfessional = (services: Services, request: FastifyRequest) =>
  services.auth.professional(bearerToken(request), professionalHeader(request), request.id);

export const asProfessionalDeferred = (services: Services, request: FastifyRequest) =>
  services.auth.professionalDeferred(bearerToken(request), professionalHeader(request), request.id);

export const asAdministrator = (services: Services, request: FastifyRequest) =>
  services.auth.staff(bearerToken(request), request.id, 'municipality_admin');

/** A staff member with the role, or with any of the roles when given a list. */
export const asStaff = (services: Services, request: FastifyRequest, role: StaffRole | readonly StaffRole[]) =>
  services.auth.staff(bearerToken(request), request.id, role);

/** The municipality's escalation officer ("functionaris"): a staff token whose member has the escalation_officer role. */
export const asEscalationOfficer = (services: Services, request: FastifyRequest) => asStaff(services, request, 'escalation_officer');

export const asRecordSystem = (services: Services, request: FastifyRequest) => services.auth.recordSystem(bearerToken(request), request.id);

export const asAdministratorOrRecordSystem = (services: Services, request: FastifyRequest) =>
  services.auth.staffOrRecordSystem(bearerToken(request), request.id);
