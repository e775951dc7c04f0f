/** Every group of pages, by capability. Each is a Fastify plugin receiving { services, publicUrl }. */
import type { FastifyInstance } from 'fastify';
import { accountPages } from '../accounts/account-pages.tsx';
import { adminPages } from '../administration/admin-pages.tsx';
import { coordinationPages } from '../coordination/coordination-pages.tsx';
import { officerPages } from '../coordination/officer-pages.tsx';
import { coordinatorPages } from '../organisations/coordinator-pages.tsx';
import { directoryPages } from '../organisations/directory-pages.tsx';
import type { Services } from '../services.ts';
import { signalPages } from '../signals/signal-pages.tsx';

export type PagePlugin = (app: FastifyInstance, options: { services: Services; publicUrl: string; signInRateLimitPerMinute?: number }) => Promise<void>;

export const webRoutes: PagePlugin[] = [accountPages, signalPages, coordinationPages, directoryPages, coordinatorPages, adminPages, officerPages];
