/** /api/v1/settings: the municipality's settings (administrators). */
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { callerOf } from '../api/caller.ts';
import { problemResponses } from '../api/schemas.ts';
import { SettingsPatchBody, SettingsView } from './settings-schemas.ts';
import type { SettingsService } from './settings-service.ts';

const tags = ['Settings'];
const security = [{ bearer: [] }];

/** The services these routes call. */
export type SettingsRoutesServices = { settings: SettingsService };

export const settingsRoutes: FastifyPluginAsyncTypebox<{ services: SettingsRoutesServices }> = async (app, { services }) => {
  app.get(
    '/settings',
    {
      config: { caller: 'administrator' },
      schema: { tags, security, summary: 'The current settings', response: { 200: SettingsView, ...problemResponses } },
    },
    async () => services.settings.reload(),
  );

  app.patch(
    '/settings',
    {
      config: { caller: 'administrator' },
      schema: {
        tags,
        security,
        summary: 'Change settings; they apply to signals filed or ended from now on',
        body: SettingsPatchBody,
        response: { 200: SettingsView, ...problemResponses },
      },
    },
    async (request) => services.settings.update(callerOf(request, 'administrator'), request.body),
  );
};
