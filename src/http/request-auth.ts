/** Small helpers that let a route say who may call it, in one line. */
import type { FastifyRequest } from 'fastify';
import type { Services } from '../services.ts';

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

export const asRecordSystem = (services: Services, request: FastifyRequest) => services.auth.recordSystem(bearerToken(request), request.id);

export const asAdministratorOrRecordSystem = (services: Services, request: FastifyRequest) =>
  services.auth.staffOrRecordSystem(bearerToken(request), request.id);
