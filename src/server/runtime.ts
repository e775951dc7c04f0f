/** Opens what a SluiS process needs from its configuration: database (migrated), keys, services. */

import { type Database, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { createDevMailboxTransport, createSmtpTransport } from '../notifications/mail-transport.ts';
import { createPersonCrypto, loadIdentityKeys } from '../persons/identity-keys.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import type { Config } from './config.ts';
import { createServices, type Services } from './services.ts';

export type Runtime = { database: Database; services: Services; migrationsApplied: string[]; close(): Promise<void> };

export async function openRuntime(config: Config, clock: Clock = systemClock): Promise<Runtime> {
  const database = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: config.dbPoolSize });
  try {
    const migrationsApplied = await migrate(database.db);
    const crypto = createPersonCrypto(loadIdentityKeys(config));
    const mail = config.smtpUrl
      ? createSmtpTransport({ url: config.smtpUrl, from: config.mailFrom, rejectUnauthorized: config.smtpRejectUnauthorized })
      : createDevMailboxTransport({ db: database.db, clock });
    const services = createServices({
      db: database.db,
      clock,
      crypto,
      publicUrl: config.publicUrl,
      mail,
      engine: database.engine,
      webhookAddresses: { allowedNetworks: config.webhookAllowedNetworks },
      apiLimits: { perClientPerMinute: config.rateLimitPerMinute, failedAuthenticationsPerAddressPerMinute: config.failedAuthenticationsPerMinute },
    });
    // The settings are read once here, before any request: a service that first needs them inside a
    // transaction would otherwise wait, on PGlite, for the one connection that transaction holds.
    await services.settings.current();
    return {
      database,
      services,
      migrationsApplied,
      close: async () => {
        mail.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
