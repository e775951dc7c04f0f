/**
 * Who may call an API route: each route declares its caller in its config
 * (`config: { caller: 'administrator' }`), the API authenticates that caller before the body is read
 * (src/server/request-auth.ts), and the handler takes the actor with `callerOf(request, kind)`.
 *
 * The filing route's caller is `professionalDeferred`: only the secret is verified up front, and the
 * filing statement checks covenant and professional in its own round trip. When such a request is
 * refused for its input instead, `settleDeferredStanding` makes the full check first, so the refusal
 * for standing still comes before the one for the body.
 */
import type { FastifyRequest } from 'fastify';
import type { ProfessionalActor, RecordSystemActor, StaffActor } from '../shared/actor.ts';

/** What a request presents to be authenticated. */
export type Credentials = { token: string | undefined; professionalHeader?: string | undefined; requestId: string; source: string };

/** The callers a route can declare, and the actor each authenticates as. */
export type CallerActors = {
  /** No credential: the route checks what it needs itself (the setup code) or serves public documents. */
  public: undefined;
  /** A record system acting for one of its professionals (Sluis-Professional-Id). */
  professional: ProfessionalActor;
  /** As `professional`, but only the secret is checked up front; the route's statement checks the rest. */
  professionalDeferred: ProfessionalActor;
  /** A record system acting for its organisation as a whole. */
  recordSystem: RecordSystemActor;
  administrator: StaffActor;
  escalationOfficer: StaffActor;
  administratorOrEscalationOfficer: StaffActor;
  /** The municipality's rights and accountability work (issue 12: rights requests, breaches, processing register, figures): administrators and privacy officers. */
  administratorOrPrivacyOfficer: StaffActor;
  administratorOrRecordSystem: StaffActor | RecordSystemActor;
  /** Any live credential (the directory of organisations). */
  anyCaller: { apiClientId: string };
};

export type CallerKind = keyof CallerActors;
export type ActorOf<K extends CallerKind> = CallerActors[K];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Who may call this API route (required under /api/v1). */
    caller?: CallerKind;
  }
  interface FastifyRequest {
    /** The authenticated caller of an API route, set by the API's onRequest hook. */
    caller: unknown;
  }
}

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

/** The actor the route's declared caller authenticated as; a mismatch is a programming error. */
export function callerOf<K extends CallerKind>(request: FastifyRequest, kind: K): ActorOf<K> {
  const declared = request.routeOptions.config.caller;
  if (declared !== kind) throw new Error(`The route ${request.routeOptions.url} declares caller ${String(declared)}, not ${kind}`);
  return request.caller as ActorOf<K>;
}

/** What the deferred checks need of the authenticator. */
export type DeferredStanding = {
  professional(credentials: Credentials): Promise<ProfessionalActor>;
  refuseDeferred(actor: ProfessionalActor, credentials: Credentials, outcome: 'organisation_refused' | 'professional_refused'): Promise<never>;
};

/** For a deferred caller refused for its input: decide its standing first (throws 401/403 when it has none). */
export async function settleDeferredStanding(auth: DeferredStanding, request: FastifyRequest): Promise<void> {
  if (request.routeOptions.config.caller !== 'professionalDeferred' || !request.caller) return;
  await auth.professional(credentialsOf(request));
}

/** After the deferred statement refused the caller: the audited 401/403. */
export const refuseDeferred = (auth: DeferredStanding, request: FastifyRequest, outcome: 'organisation_refused' | 'professional_refused'): Promise<never> =>
  auth.refuseDeferred(request.caller as ProfessionalActor, credentialsOf(request), outcome);
