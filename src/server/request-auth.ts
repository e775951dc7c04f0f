/**
 * Who may call an API route, decided before anything else about the request.
 *
 * Every route under /api/v1 declares its caller in its config (`config: { caller: 'administrator' }`);
 * the API refuses to start with a route that declares none. The `onRequest` hook below authenticates
 * that caller — token, client, covenant, professional, role — before the body is even read, counts a
 * verified client's request against its rate limit, and leaves the actor on the request for the
 * handler (`callerOf(request, 'administrator')`). So a revoked client or a suspended organisation
 * that sends an invalid body hears 401/403 (and is audited), not 422.
 *
 * The filing route's caller is `professionalDeferred`: only the secret is verified up front, and the
 * filing statement checks covenant and professional in its own round trip. When such a request is
 * refused for its input instead, `settleDeferredStanding` makes the full check first, so the refusal
 * for standing still comes before the one for the body.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Credentials } from '../api-clients/authenticator.ts';
import type { ProfessionalActor } from '../shared/actor.ts';
import type { Services } from './services.ts';

export const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  return header?.toLowerCase().startsWith('bearer ') ? header.slice(7).trim() : undefined;
};

const professionalHeader = (request: FastifyRequest) => {
  const value = request.headers['sluis-professional-id'];
  return Array.isArray(value) ? value[0] : value;
};

export const credentialsOf = (request: FastifyRequest): Credentials => ({
  token: bearerToken(request),
  professionalHeader: professionalHeader(request),
  requestId: request.id,
  source: request.ip,
});

/** The callers a route can declare, and how each is authenticated. */
const CALLERS = {
  /** No credential: the route checks what it needs itself (the setup code) or serves public documents. */
  public: async () => undefined,
  /** A record system acting for one of its professionals (Sluis-Professional-Id). */
  professional: (services: Services, c: Credentials) => services.auth.professional(c),
  /** As `professional`, but only the secret is checked here; the route's statement checks the rest. */
  professionalDeferred: (services: Services, c: Credentials) => services.auth.professionalDeferred(c),
  /** A record system acting for its organisation as a whole. */
  recordSystem: (services: Services, c: Credentials) => services.auth.recordSystem(c),
  administrator: (services: Services, c: Credentials) => services.auth.staff(c, 'municipality_admin'),
  escalationOfficer: (services: Services, c: Credentials) => services.auth.staff(c, 'escalation_officer'),
  administratorOrEscalationOfficer: (services: Services, c: Credentials) => services.auth.staff(c, ['municipality_admin', 'escalation_officer']),
  administratorOrRecordSystem: (services: Services, c: Credentials) => services.auth.staffOrRecordSystem(c),
  /** Any live credential (the directory of organisations). */
  anyCaller: (services: Services, c: Credentials) => services.auth.anyCaller(c),
} as const;

export type CallerKind = keyof typeof CALLERS;
export type ActorOf<K extends CallerKind> = Awaited<ReturnType<(typeof CALLERS)[K]>>;
export const CALLER_KINDS = Object.keys(CALLERS) as CallerKind[];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this API route (required under /api/v1). */
    caller?: CallerKind;
  }
  interface FastifyRequest {
    /** The authenticated caller of an API route, set by `authenticateCaller`. */
    caller: unknown;
  }
}

/** The onRequest hook of the API: authenticate the route's caller, then count the client's request. */
export function authenticateCaller(services: Services) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const kind = request.routeOptions.config.caller;
    if (!kind || kind === 'public') return;
    const caller = await CALLERS[kind](services, credentialsOf(request));
    request.caller = caller;
    const window = services.auth.admit((caller as { apiClientId: string }).apiClientId);
    reply.header('x-ratelimit-limit', window.limit);
    reply.header('x-ratelimit-remaining', Math.max(0, window.limit - window.count));
    reply.header('x-ratelimit-reset', window.retryAfterSeconds);
  };
}

/** The actor the route's declared caller authenticated as; a mismatch is a programming error. */
export function callerOf<K extends CallerKind>(request: FastifyRequest, kind: K): ActorOf<K> {
  const declared = request.routeOptions.config.caller;
  if (declared !== kind) throw new Error(`The route ${request.routeOptions.url} declares caller ${String(declared)}, not ${kind}`);
  return request.caller as ActorOf<K>;
}

/** For a deferred caller refused for its input: decide its standing first (throws 401/403 when it has none). */
export async function settleDeferredStanding(services: Services, request: FastifyRequest): Promise<void> {
  if (request.routeOptions.config.caller !== 'professionalDeferred' || !request.caller) return;
  await services.auth.professional(credentialsOf(request));
}

/** After the deferred statement refused the caller: the audited 401/403. */
export const refuseDeferred = (services: Services, request: FastifyRequest, outcome: 'organisation_refused' | 'professional_refused'): Promise<never> =>
  services.auth.refuseDeferred(request.caller as ProfessionalActor, credentialsOf(request), outcome);
