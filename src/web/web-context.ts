/**
 * What every page handler needs: the signed-in user (or a redirect to sign in), refusals that look
 * the same whatever the reason, CSRF checks, and sending a rendered page.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { WebSession } from '../accounts/account-service.ts';
import { sameText } from '../accounts/credentials.ts';
import type { KeptFields, KeptForm } from '../accounts/kept-forms.ts';
import { professionalActor, staffActor, type WebProfessional, type WebStaff, type WebUser } from '../accounts/web-user.ts';
import type { ProfessionalActor, StaffActor, StaffRole } from '../shared/actor.ts';
import { type Html, renderDocument } from './html/jsx.ts';

declare module 'fastify' {
  interface FastifyRequest {
    webSession: WebSession | undefined;
    /** The CSRF token for forms on this page: the session's, or the anonymous cookie's. */
    csrfToken: string;
    /** Takes the form kept for this page and action (see restoredForm); set by the web plugin for a signed-in GET. */
    keptForm: (action?: string) => Promise<KeptForm | undefined>;
  }
}

/** Thrown by a handler; the web plugin turns it into a page or a redirect. */
export class WebRefusal extends Error {
  readonly status: 303 | 400 | 403 | 404 | 422 | 429;
  readonly location: string | undefined;
  /** For a 422: the names of the form fields that were refused. */
  readonly fields: string[] | undefined;
  constructor(status: 303 | 400 | 403 | 404 | 422 | 429, location?: string, fields?: string[]) {
    super(`web refusal ${status}`);
    this.status = status;
    this.location = location;
    this.fields = fields;
  }
}

/** "Niet gevonden": the same for a wrong link as for something the user may not see. */
export const notFound = () => new WebRefusal(404);
export const forbidden = () => new WebRefusal(403);

function signedIn(request: FastifyRequest): WebUser {
  const session = request.webSession;
  if (session?.stage !== 'signed_in') {
    const path = request.url.split('?')[0]!;
    // The way back only for a path that repeats nothing but our own words and ids (never a number someone typed).
    const back = request.method === 'GET' && safeReturnPath(path) !== '/' ? `?terug=${encodeURIComponent(path)}` : '';
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

/**
 * The fields of this page's form (the one posting to `action`) as the user typed them before their
 * session ended, once; the page shows them the way it shows a form sent back with errors (reading
 * them with the same function as the POST), and the layout says they are back. Undefined when there
 * is nothing kept. Nothing is submitted: the user checks the form and sends it with a fresh token.
 * See docs/web.md ("A form after the session ended").
 */
export async function restoredForm(request: FastifyRequest, action: string): Promise<KeptFields | undefined> {
  return (await restoredFormOfPage(request, action))?.fields;
}

/** For a page with several forms: the kept one (whichever form it was, by its action) and its fields, once. */
export async function restoredFormOfPage(request: FastifyRequest, action?: string): Promise<KeptForm | undefined> {
  const kept = await request.keptForm(action);
  if (kept) request.pageContext.restored = true;
  return kept;
}

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

const UUID_SEGMENT = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const WORD_SEGMENT = /^[a-z][a-z-]*$/;

/**
 * Only paths on this site, made of page words and ids (/signalen/<uuid>): never a redirect to another
 * origin after signing in, and never a segment that could be an identifier someone typed.
 */
export const safeReturnPath = (path: string): string => {
  const segments = path.split('/').slice(1);
  const safe = path.startsWith('/') && path.length <= 200 && segments.every((segment) => WORD_SEGMENT.test(segment) || UUID_SEGMENT.test(segment));
  return safe && path !== '/' ? path : '/';
};
