/** Opens what a SluiS process needs from its configuration: database (migrated), keys, services. */

import { existsSync } from 'node:fs';
import path from 'node:path';
import { type Database, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { recordFederationRegion } from '../federation/region-client.ts';
import { createDevMailboxTransport, createSmtpTransport } from '../notifications/mail-transport.ts';
import { createPersonCrypto, loadIdentityKeys, type PersonCrypto } from '../persons/identity-keys.ts';
import { KeyVersionError } from '../persons/key-rotation.ts';
import { createEmbeddedRegister } from '../population-register/embedded-register.ts';
import { createHaalCentraalRegister } from '../population-register/haal-centraal-register.ts';
import type { PopulationRegister } from '../population-register/population-register.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import { type ControlSocket, serveControlSocket } from './backup.ts';
import { type Config, ConfigError } from './config.ts';
import { createServices, type Services } from './services.ts';

export type Runtime = { database: Database; services: Services; migrationsApplied: string[]; close(): Promise<void> };

/** The file where the embedded register keeps the moves, deaths and emigrations applied to it. */
export const registerChangesFile = (config: Pick<Config, 'dataDir'>) => path.join(config.dataDir, 'register-changes.json');

/**
 * The population register of SLUIS_REGISTER: the one place where it is chosen and opened. A wrong
 * choice stops the process at start with a message that names the setting.
 */
export function openPopulationRegister(
  config: Pick<Config, 'register' | 'registerFile' | 'dataDir' | 'haalCentraal'>,
  clock: Clock,
): PopulationRegister | undefined {
  switch (config.register) {
    case 'none':
      return undefined;
    case 'embedded':
      return createEmbeddedRegister({ ...(config.registerFile && { file: config.registerFile }), changesFile: registerChangesFile(config), clock });
    case 'haal-centraal':
      if (!config.haalCentraal) throw new ConfigError('SLUIS_REGISTER=haal-centraal needs the SLUIS_BRP_* settings (docs/population-register.md)');
      return createHaalCentraalRegister({ ...config.haalCentraal, clock });
  }
}

/**
 * Opens the database (migrated), keys and services. Unless `keys: 'leave'` (`sluis keys status`),
 * checks the keys against the index's key versions and starts a key rotation when this process has a
 * newer version (persons/key-rotation.ts); keys that do not fit stop the start.
 */
export async function openRuntime(config: Config, clock: Clock = systemClock, options: { keys?: 'begin' | 'leave' } = {}): Promise<Runtime> {
  // Before the database, so a register that cannot be opened stops the start with nothing to close.
  const register = openPopulationRegister(config, clock);
  const database = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.dataDir,
    poolSize: config.dbPoolSize,
    connectTimeoutMs: config.dbConnectTimeoutSeconds * 1000,
    statementTimeoutMs: config.dbStatementTimeoutSeconds * 1000,
  });
  let controlSocket: ControlSocket | undefined;
  try {
    const migrationsApplied = await migrate(database.db);
    await refuseNewKeysForOldData(config, database);
    let crypto: PersonCrypto;
    try {
      crypto = createPersonCrypto(loadIdentityKeys(config));
    } catch (error) {
      throw new ConfigError(`The keys: ${(error as Error).message}`);
    }
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
      register,
      federation: config.federation && { ...config.federation, pollMs: config.federation.pollSeconds * 1000 },
    });
    // The filing function registers at the hub only while this row says the federation is on.
    await recordFederationRegion(database.db, config.federation?.id);
    // The settings are read once here, before any request: a service that first needs them inside a
    // transaction would otherwise wait, on PGlite, for the one connection that transaction holds.
    await services.settings.current();
    if (options.keys !== 'leave') {
      await services.keyRotation.begin().catch((error: unknown) => {
        throw error instanceof KeyVersionError ? new ConfigError(error.message) : error;
      });
    }
    // Whoever holds the embedded database answers `sluis backup` (backup.ts).
    if (database.engine === 'pglite') controlSocket = await serveControlSocket(config.dataDir, database, clock);
    return {
      database,
      services,
      migrationsApplied,
      close: async () => {
        await controlSocket?.close();
        mail.close();
        await register?.close?.();
        await database.close();
      },
    };
  } catch (error) {
    await controlSocket?.close();
    await database.close();
    throw error;
  }
}

/**
 * In embedded mode a missing keys.json is generated. For a database that already holds persons (a
 * restore whose keys were not put back) new keys would leave every person unmatchable and every BSN
 * copy unreadable, so SluiS refuses to start instead.
 */
async function refuseNewKeysForOldData(config: Config, database: Database) {
  if ((config.pseudonymKey || config.pseudonymKeys) && (config.bsnEncryptionKey || config.bsnEncryptionKeys)) return;
  const keysFile = path.join(config.dataDir, 'keys.json');
  if (existsSync(keysFile)) return;
  if (!(await database.db.selectFrom('persons').select('person_key').limit(1).executeTakeFirst())) return;
  throw new ConfigError(
    `The database holds persons, but their keys are missing (${keysFile}, or SLUIS_PSEUDONYM_KEY and SLUIS_BSN_ENCRYPTION_KEY). Put the keys back first (sluis restore --keys <file>): SluiS does not make new keys for existing data, which could then never be matched or decrypted again.`,
  );
}
