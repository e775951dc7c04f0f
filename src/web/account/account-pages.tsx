/**
 * Signing in and out, the second factor (and linking the authenticator app), choosing a password
 * through an invitation or reset link, the account page, and the few pages anyone may see.
 */
import type { FastifyInstance } from 'fastify';
import type { PageOptions } from '../page-services.ts';
import { infoPages } from './info-pages.tsx';
import { ownAccountPages } from './own-account-pages.tsx';
import { passwordPages } from './password-pages.tsx';
import { setupPages } from './setup-pages.tsx';
import { signInPages } from './sign-in-pages.tsx';

export async function accountPages(app: FastifyInstance, options: PageOptions) {
  await signInPages(app, options);
  await ownAccountPages(app, options);
  await passwordPages(app, options);
  await setupPages(app, options);
  await infoPages(app, options);
}
