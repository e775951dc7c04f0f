/** What the account pages share: where a signed-in user starts, the sign-in rate limit, the way back, a page of text. */
import type { FastifyRequest } from 'fastify';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { Page, type PageContext } from '../layout.tsx';
import { queryParam, safeReturnPath } from '../web-context.ts';

/**
 * Where a signed-in user starts: professionals at /, staff at /beheer, an escalation officer only at
 * /regie, a privacy officer only at the rights requests (/privacy/verzoeken; /privacy itself is the
 * public page on privacy and rights).
 */
export const homeOf = (request: FastifyRequest) => {
  const user = request.webSession?.user;
  if (user?.kind !== 'staff') return '/';
  if (user.roles.includes('municipality_admin')) return '/beheer';
  if (user.roles.includes('escalation_officer')) return '/regie';
  return user.roles.includes('privacy_officer') ? '/privacy/verzoeken' : '/beheer';
};

/** Per client IP, on top of the per-address lockout: slows down guessing across many addresses. */
export const signInLimit = (signInRateLimitPerMinute: number | undefined) => ({
  config: { rateLimit: { max: signInRateLimitPerMinute ?? 30, timeWindow: '1 minute', keyGenerator: (request: FastifyRequest) => request.ip } },
});

/** The page to return to after signing in: a path on this site only. */
export const back = (request: FastifyRequest) => safeReturnPath(queryParam(request, 'terug') || '/');

/** A page with a title and text. */
export function TextPage(props: { ctx: PageContext; title: string; children?: Html | Html[] }): Html {
  return (
    <Page ctx={props.ctx} title={props.title}>
      <div class="sluis-narrow">
        <h1 class="utrecht-heading-1">{props.title}</h1>
        {props.children}
      </div>
    </Page>
  );
}
