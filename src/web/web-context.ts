/**
 * What every page handler needs: the signed-in user (or a redirect to sign in), refusals that look
 * the same whatever the reason, CSRF checks, and sending a rendered page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSession } from '../accounts/account-service.ts';
import { professionalActor, staffActor, type WebProfessional, type WebStaff, type WebUser } from '../accounts/web-user.ts';
import type { ProfessionalActor, StaffActor, StaffRole } from '../shared/actor.ts';
import { sameText } from '../accounts/credentials.ts';
import { renderDocument, type Html } from './html/jsx.ts';

declare module 'fastify' {
  interface FastifyRequest {
    webSession: WebSession | undefined;
    /** The CSRF token for forms on this page: the session's, or the anonymous cookie's. */
    csrfToken: string;
  }
}

/** Thrown by a handler; the web plugin turns it into a page or a redirect. */
export class WebRefusal extends Error {
  readonly status: 303 | 403 | 404 | 400;
  readonly location: string | undefined;
  constructor(status: 303 | 403 | 404 | 400, location?: string) {
    super(`web refusal ${status}`);
    this.status = status;
    this.location = location;
  }
}

/** "Niet gevonden": the same for a wrong link as for something the user may not see. */
export const notFound = () => new WebRefusal(404);
export const forbidden = () => new WebRefusal(403);

function signedIn(request: FastifyRequest): WebUser {
  const session = request.webSession;
  if (!session || session.stage !== 'signed_in') {
    const back = request.method === 'GET' ? `?terug=${encodeURIComponent(request.url.split('?')[0]!)}` : '';
    throw new WebRefusal(303, `/inloggen${back}`);
  }
  return session.user;
}

export const requireUser = (request: FastifyRequest): WebUser => signedIn(request);

export function requireProfessional(request: FastifyRequest): { user: WebProfessional; actor: ProfessionalActor } {
  const user = signedIn(request);
  if (user.kind !== 'professional') throw forbidden();
  return { user, actor: professionalActor(user, request.id) };
}

export function requireCoordinator(request: FastifyRequest): { user: WebProfessional; actor: ProfessionalActor } {
  const found = requireProfessional(request);
  if (!found.user.coordinator) throw forbidden();
  return found;
}

export function requireStaff(request: FastifyRequest, role: StaffRole = 'municipality_admin'): { user: WebStaff; actor: StaffActor } {
  const user = signedIn(request);
  if (user.kind !== 'staff' || !user.roles.includes(role)) throw forbidden();
  return { user, actor: staffActor(user, request.id) };
}

/** Every form posts `_csrf`; a missing or wrong token is refused before the handler runs. */
export function csrfValid(request: FastifyRequest): boolean {
  const body = request.body as Record<string, unknown> | undefined;
  const sent = typeof body?._csrf === 'string' ? body._csrf : '';
  return sent.length > 0 && sameText(sent, request.csrfToken);
}

export function sendPage(reply: FastifyReply, page: Html, status = 200) {
  return reply.status(status).type('text/html; charset=utf-8').send(renderDocument(page));
}

/** After a successful POST: see the result with a GET (post/redirect/get). */
export const redirect = (reply: FastifyReply, location: string) => reply.redirect(location, 303);

/** A form field's value from a url-encoded body: a trimmed string, or '' when absent. */
export function field(body: unknown, name: string): string {
  const value = (body as Record<string, unknown> | undefined)?.[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first.trim() : '';
}

/** A query parameter's value as a string, or ''. */
export function queryParam(request: FastifyRequest, name: string): string {
  const value = (request.query as Record<string, unknown> | undefined)?.[name];
  return typeof value === 'string' ? value : '';
}

/** Only paths on this site: never redirect to another origin after signing in. */
export const safeReturnPath = (path: string): string => (/^\/(?!\/)[a-zA-Z0-9/_-]*$/.test(path) ? path : '/');
