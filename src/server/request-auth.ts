/**
 * How each declared caller of an API route is authenticated (the kinds are in src/api/caller.ts),
 * decided before anything else about the request: the `onRequest` hook authenticates the route's
 * caller — token, client, covenant, professional, role — before the body is even read, counts a
 * verified client's request against its rate limit, and leaves the actor on the request for the
 * handler. So a revoked client or a suspended organisation that sends an invalid body hears 401/403
 * (and is audited), not 422.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import { type CallerActors, type CallerKind, type Credentials, credentialsOf } from '../api/caller.ts';
import type { Authenticator } from '../api-clients/authenticator.ts';

const CALLERS: { [K in CallerKind]: (auth: Authenticator, c: Credentials) => Promise<CallerActors[K]> } = {
  public: async () => undefined,
  professional: (auth, c) => auth.professional(c),
  professionalDeferred: (auth, c) => auth.professionalDeferred(c),
  recordSystem: (auth, c) => auth.recordSystem(c),
  administrator: (auth, c) => auth.staff(c, 'municipality_admin'),
  escalationOfficer: (auth, c) => auth.staff(c, 'escalation_officer'),
  administratorOrEscalationOfficer: (auth, c) => auth.staff(c, ['municipality_admin', 'escalation_officer']),
  administratorOrPrivacyOfficer: (auth, c) => auth.staff(c, ['municipality_admin', 'privacy_officer']),
  administratorOrRecordSystem: (auth, c) => auth.staffOrRecordSystem(c),
  anyCaller: (auth, c) => auth.anyCaller(c),
};

export const CALLER_KINDS = Object.keys(CALLERS) as CallerKind[];

/** The onRequest hook of the API: authenticate the route's caller, then count the client's request. */
export function authenticateCaller(auth: Authenticator) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const kind = request.routeOptions.config.caller;
    if (!kind || kind === 'public') return;
    const caller = await CALLERS[kind](auth, credentialsOf(request));
    request.caller = caller;
    const window = auth.admit((caller as { apiClientId: string }).apiClientId);
    reply.header('x-ratelimit-limit', window.limit);
    reply.header('x-ratelimit-remaining', Math.max(0, window.limit - window.count));
    reply.header('x-ratelimit-reset', window.retryAfterSeconds);
  };
}
