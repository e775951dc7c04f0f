/** What the account pages share: where a signed-in user starts, the sign-in rate limit, the way back, a page of text. */
import type { FastifyRequest } from 'fastify';
import { Fragment, type Html, h } from '../html/jsx.ts';
import { homePathOf, Page, type PageContext } from '../layout.tsx';
import { queryParam, safeReturnPath } from '../web-context.ts';

/** Where a signed-in user starts (homePathOf in layout.tsx). */
export const homeOf = (request: FastifyRequest) => homePathOf(request.webSession?.user);

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
