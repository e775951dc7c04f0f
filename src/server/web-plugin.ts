/**
 * The web application: server-rendered Dutch pages under /, beside the API under /api/v1.
 *
 * This plugin resolves the session cookie, hands every form a CSRF token and refuses a POST without
 * it, sets a strict Content-Security-Policy for pages, serves the static assets, and turns refusals
 * and errors into plain Dutch pages. The pages themselves live with their capability
 * (src/accounts/account-pages.tsx, src/signals/signal-pages.tsx, ...), listed in web-routes.ts.
 */
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { randomToken } from '../accounts/credentials.ts';
import type { EndedSession } from '../accounts/kept-form-store.ts';
import { fitsRoute, formPage } from '../accounts/kept-forms.ts';
import { isUnavailable, Problem, UNAVAILABLE_RETRY_AFTER_SECONDS } from '../shared/errors.ts';
import { unstorableTextPaths } from '../shared/text.ts';
import { SignedOutPage } from '../web/account/sign-in-pages.tsx';
import { registerAssets } from '../web/assets.ts';
import { h } from '../web/html/jsx.ts';
import { ErrorPage, type PageContext } from '../web/layout.tsx';
import { resolveTheme } from '../web/theme.ts';
import { csrfValid, field, sendPage, WebRefusal } from '../web/web-context.ts';
import type { Services } from './services.ts';
import { webRoutes } from './web-routes.ts';

export type WebOptions = { services: Services; publicUrl: string; pageRateLimitPerMinute: number; signInRateLimitPerMinute: number };

declare module 'fastify' {
  interface FastifyRequest {
    pageContext: PageContext;
    /** The raw session cookie, for the sign-in steps that swap it. */
    sessionToken: string | undefined;
    /** The signed-in session the cookie belonged to, when it has ended (for a form posted after it ended). */
    endedSession: EndedSession | undefined;
  }
}

/** Posts that do nothing without a live session, and so need no CSRF token then: signing out and the keep-alive. */
const HARMLESS_WITHOUT_SESSION = new Set(['/uitloggen', '/sessie/verlengen']);

export const PAGE_CSP = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: https:",
  "font-src 'self'",
  "connect-src 'self'",
  "manifest-src 'self'",
  "worker-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "object-src 'none'",
].join('; ');

export function cookieNames(publicUrl: string) {
  const secure = publicUrl.startsWith('https://');
  // __Host- cookies must be Secure; on plain http (development on localhost) they cannot be.
  return { secure, session: secure ? '__Host-sluis_sessie' : 'sluis_sessie', csrf: secure ? '__Host-sluis_csrf' : 'sluis_csrf' };
}

export async function webPlugin(app: FastifyInstance, options: WebOptions) {
  const { services } = options;
  const names = cookieNames(options.publicUrl);
  const cookieOptions = { path: '/', httpOnly: true, sameSite: 'lax' as const, secure: names.secure };

  // Pages are not part of the API: keep them out of the OpenAPI document. The GET routes are the
  // pages a form kept after its session ended can go back to.
  const pageRoutes: string[] = [];
  const isPage = (path: string) => pageRoutes.some((pattern) => fitsRoute(path, pattern));
  app.addHook('onRoute', (route) => {
    route.schema = { ...(route.schema ?? {}), hide: true };
    const methods = [route.method].flat();
    if (methods.includes('GET') && !route.url.startsWith('/assets/') && !route.url.includes('*')) pageRoutes.push(route.url);
  });

  await app.register(cookie);
  await app.register(formbody, { bodyLimit: 16 * 1024 });
  registerAssets(app, services);

  app.decorateRequest('webSession', undefined);
  app.decorateRequest('csrfToken', '');
  app.decorateRequest('sessionToken', undefined);
  app.decorateRequest('endedSession', undefined);
  app.decorateRequest('keptForm', async () => undefined);
  app.decorateRequest('pageContext', undefined as unknown as PageContext);

  app.decorateReply('setSession', function (this: FastifyReply, token: string | null) {
    if (token) this.setCookie(names.session, token, cookieOptions);
    else this.clearCookie(names.session, cookieOptions);
    return this;
  });

  // Pages per client address (the assets are not counted); the sign-in forms have a tighter limit of their own.
  const pageLimit = app.createRateLimit({ max: options.pageRateLimitPerMinute, timeWindow: 60_000, keyGenerator: (request) => request.ip });
  app.addHook('onRequest', async (request, reply) => {
    if (request.url.startsWith('/assets/')) return;
    const limit = await pageLimit(request);
    if (!limit.isAllowed && limit.isExceeded) {
      reply.header('retry-after', String(limit.ttlInSeconds));
      throw new WebRefusal(429);
    }
    request.sessionToken = request.cookies[names.session];
    request.webSession = await services.accounts.resolve(request.sessionToken, request.id);
    if (request.webSession) {
      request.csrfToken = request.webSession.csrfToken;
    } else {
      // A signed-in session that ended by the timeout (or elsewhere) keeps its cookie, so that a form
      // posted with it, from this tab or another, is recognised and kept (docs/web.md). Any other goes.
      if (request.sessionToken) request.endedSession = await services.accounts.endedSession(request.sessionToken);
      if (request.sessionToken && !request.endedSession?.recoverable) reply.clearCookie(names.session, cookieOptions);
      let anonymous = request.cookies[names.csrf];
      if (!anonymous || anonymous.length > 100) {
        anonymous = randomToken();
        reply.setCookie(names.csrf, anonymous, cookieOptions);
      }
      request.csrfToken = anonymous;
    }
    const settings = await services.settings.current();
    const user = request.webSession?.stage === 'signed_in' ? request.webSession.user : undefined;
    request.pageContext = {
      user,
      csrf: request.csrfToken,
      theme: resolveTheme(settings.theme),
      path: request.url.split('?')[0]!,
      themeVersion: settings.version,
      ...(user && { sessionIdleMinutes: settings.sessionIdleMinutes }),
    };
    if (user && request.method === 'GET') {
      const token = request.sessionToken!;
      const page = request.pageContext.path;
      request.keptForm = (action) => services.accounts.takeKeptForm(token, user, page, action, request.id);
    }
  });

  /**
   * A form posted after its session ended: say so, offer signing in right there, and keep the form
   * for the same account (docs/web.md, "A form after the session ended"); nothing in it is acted on.
   */
  async function signedOut(request: FastifyRequest, reply: FastifyReply, action: string, token: string) {
    const body = request.body;
    const page = formPage(action, field(body, '_pagina'), isPage);
    const outcome = await services.accounts.keepForm(token, { csrf: field(body, '_csrf'), action, page, body }, request.id);
    const { sessionIdleMinutes, sessionAbsoluteHours } = await services.settings.current();
    const answer = h(SignedOutPage, {
      ctx: request.pageContext,
      reason: outcome.endReason,
      kept: outcome.kept,
      // A kept form brings its own account back to its page (server-side); otherwise the way back is the page.
      back: outcome.kept ? '/' : (page ?? '/'),
      idleMinutes: sessionIdleMinutes,
      absoluteHours: sessionAbsoluteHours,
    });
    await sendPage(reply, answer, 401);
    return reply;
  }

  app.addHook('preHandler', async (request, reply) => {
    if (request.method === 'POST' && !csrfValid(request)) {
      const path = request.url.split('?')[0]!;
      if (!request.webSession && HARMLESS_WITHOUT_SESSION.has(path)) return;
      if (request.endedSession && request.sessionToken) return signedOut(request, reply, path, request.sessionToken);
      throw new WebRefusal(400);
    }
    // Text the database cannot store (a NUL, half a surrogate pair) is refused before any page reads it, with the fields named.
    const unstorable = [...unstorableTextPaths(request.query), ...unstorableTextPaths(request.body)].map((path) => String(path[0] ?? ''));
    if (unstorable.length > 0) throw new WebRefusal(422, undefined, [...new Set(unstorable)]);
  });

  app.addHook('onSend', async (_request, reply, payload) => {
    if (String(reply.getHeader('content-type') ?? '').startsWith('text/html')) {
      reply.header('content-security-policy', PAGE_CSP);
    }
    return payload;
  });

  app.setErrorHandler(async (error, request, reply) => {
    const ctx = request.pageContext ?? { user: undefined, csrf: '', theme: resolveTheme({}), path: '/', themeVersion: 0 };
    if (error instanceof WebRefusal) {
      if (error.status === 303) return reply.redirect(error.location!, 303);
      return sendPage(reply, h(ErrorPage, { ctx, status: error.status, fields: error.fields }), error.status);
    }
    if (error instanceof Problem && [403, 404].includes(error.status)) {
      return sendPage(reply, h(ErrorPage, { ctx, status: error.status }), error.status);
    }
    // Other refusals from a service (a stale form, a conflict) that a page did not handle itself.
    if (error instanceof Problem && error.status >= 400 && error.status < 500) {
      return sendPage(reply, h(ErrorPage, { ctx, status: error.status === 429 ? 429 : 400 }), error.status);
    }
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, 'database unavailable');
      reply.header('retry-after', String(UNAVAILABLE_RETRY_AFTER_SECONDS));
      return sendPage(reply, h(ErrorPage, { ctx, status: 503 }), 503);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 429 || status === 413 || status === 415 || status === 400) {
      return sendPage(reply, h(ErrorPage, { ctx, status: status === 429 ? 429 : 400 }), status);
    }
    request.log.error({ err: error }, 'unhandled error in a page');
    return sendPage(reply, h(ErrorPage, { ctx, status: 500 }), 500);
  });

  for (const routes of webRoutes) await app.register(routes, options);
}

/** Fastify's own refusals before routing (a path that is not valid percent-encoding), as a page. */
export function htmlFrameworkError(_error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const ctx = request.pageContext ?? { user: undefined, csrf: '', theme: resolveTheme({}), path: '/', themeVersion: 0 };
  return sendPage(reply, h(ErrorPage, { ctx, status: 400 }), 400);
}

/** The "Niet gevonden" page for unknown paths outside /api. */
export function htmlNotFound(request: FastifyRequest, reply: FastifyReply) {
  const ctx = request.pageContext ?? { user: undefined, csrf: '', theme: resolveTheme({}), path: '/', themeVersion: 0 };
  return sendPage(reply, h(ErrorPage, { ctx, status: 404 }), 404);
}

declare module 'fastify' {
  interface FastifyReply {
    /** Sets (or, with null, clears) the session cookie. */
    setSession(token: string | null): FastifyReply;
  }
}
