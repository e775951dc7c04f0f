/** Every group of pages, by audience. Each is a Fastify plugin receiving { services, publicUrl }; the wiring's services have all the page services. */
import type { FastifyInstance } from 'fastify';
import { accountPages } from '../web/account/account-pages.tsx';
import { adminPages } from '../web/municipality/admin-pages.tsx';
import { officerPages } from '../web/officer/officer-pages.tsx';
import { coordinatorPages } from '../web/organisation/coordinator-pages.tsx';
import { rightsPages } from '../web/privacy/rights-pages.tsx';
import { consultationPages } from '../web/professional/consultation-pages.tsx';
import { coordinationPages } from '../web/professional/coordination-pages.tsx';
import { directoryPages } from '../web/professional/directory-pages.tsx';
import { helpPages } from '../web/professional/help-pages.tsx';
import { informationLetterPages } from '../web/professional/information-letter-pages.tsx';
import { rightsPassOnPages } from '../web/professional/rights-pass-on-pages.tsx';
import { signalLifePages } from '../web/professional/signal-life-pages.tsx';
import { signalPages } from '../web/professional/signal-pages.tsx';
import { unbornPages } from '../web/professional/unborn-pages.tsx';
import type { Services } from './services.ts';

type WiredPagePlugin = (app: FastifyInstance, options: { services: Services; publicUrl: string; signInRateLimitPerMinute?: number }) => Promise<void>;

export const webRoutes: WiredPagePlugin[] = [
  accountPages,
  signalPages,
  coordinationPages,
  consultationPages,
  directoryPages,
  helpPages,

  signalLifePages,
  informationLetterPages,
  unbornPages,
  rightsPassOnPages,
  coordinatorPages,
  adminPages,
  officerPages,
  rightsPages,
];
