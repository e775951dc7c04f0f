/**
 * `sluis hub` and `sluis pseudonymiser`: each a small Fastify app on its own database (PGlite in its
 * data directory, or PostgreSQL), migrated from its own folder (src/federation/hub-migrations/,
 * pseudonymiser-migrations/). docs/federation.md has the protocol.
 */

import Fastify, { type FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import type { LoggerOptions } from 'pino';
import { type Database, openDatabase } from '../db/database.ts';
import { migrate } from '../db/migrate.ts';
import { importTokenKey } from '../federation/evaluation-token.ts';
import { hubRoutes, pseudonymiserRoutes, signedRequests } from '../federation/federation-routes.ts';
import { HUB_MIGRATIONS, type HubDB, PSEUDONYMISER_MIGRATIONS, type PseudonymiserDB } from '../federation/federation-schema.ts';
import { createHubService } from '../federation/hub-service.ts';
import { rememberNonce } from '../federation/nonce-store.ts';
import { createPseudonymiserService } from '../federation/pseudonymiser-service.ts';
import { importPublicKey, type PartyKeys } from '../federation/request-signing.ts';
import { type Clock, systemClock } from '../shared/clock.ts';
import type { FederationServiceConfig, HubConfig, PseudonymiserConfig } from './federation-config.ts';

/** A running hub or pseudonymisation service; `database` for the tests' scans. */
export type FederationProcess = {
  app: FastifyInstance;
  database: { db: Kysely<HubDB> | Kysely<PseudonymiserDB>; engine: Database['engine'] };
  close(): Promise<void>;
};

const partyKeys = (parties: FederationServiceConfig['parties']): PartyKeys =>
  new Map(Object.entries(parties).map(([party, keys]) => [party, new Map(Object.entries(keys).map(([id, key]) => [id, importPublicKey(key)]))]));

function fastify(logger: LoggerOptions | boolean) {
  // Request bodies and URLs are never logged (pino's default request serializer is replaced in loggerOptions).
  return Fastify({ logger, bodyLimit: 64 * 1024 });
}

export async function openPseudonymiser(config: PseudonymiserConfig, options: { logger: LoggerOptions | boolean; clock?: Clock }): Promise<FederationProcess> {
  const clock = options.clock ?? systemClock;
  const hubTokenKey = await importTokenKey(config.hubTokenKey);
  const oprfKeys = Object.entries(config.oprfKeys).map(([version, key]) => ({ version: Number(version), secretKey: Buffer.from(key, 'base64') }));
  const database = await openDatabase<PseudonymiserDB>({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 4 });
  try {
    await migrate(database.db, PSEUDONYMISER_MIGRATIONS);
    const app = fastify(options.logger);
    signedRequests(app, {
      self: config.id,
      keys: partyKeys(config.parties),
      callers: (party) => party !== 'hub', // the hub must never evaluate: it would try BSNs
      rememberNonce: (party, nonce, now) => rememberNonce(database.db, party, nonce, now),
      clock,
    });
    pseudonymiserRoutes(app, createPseudonymiserService({ clock, keys: { oprfKeys, hubTokenKey } }));
    return {
      app,
      database,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export async function openHub(config: HubConfig, options: { logger: LoggerOptions | boolean; clock?: Clock }): Promise<FederationProcess> {
  const clock = options.clock ?? systemClock;
  const tokenKeys = new Map<string, CryptoKey | Uint8Array>();
  for (const jwk of config.tokenKeys) {
    const { kid, key } = await importTokenKey(jwk);
    tokenKeys.set(kid, key);
  }
  const hashSecrets = new Map(Object.entries(config.hashSecrets).map(([version, secret]) => [Number(version), Buffer.from(secret, 'base64')]));
  const database = await openDatabase<HubDB>({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, poolSize: 8 });
  try {
    await migrate(database.db, HUB_MIGRATIONS);
    const app = fastify(options.logger);
    signedRequests(app, {
      self: config.id,
      keys: partyKeys(config.parties),
      callers: () => true,
      rememberNonce: (party, nonce, now) => rememberNonce(database.db, party, nonce, now),
      clock,
    });
    const municipalities = new Map(Object.entries(config.municipalities ?? {}).flatMap(([region, codes]) => codes.map((code) => [code, region] as const)));
    hubRoutes(app, createHubService({ db: database.db, clock, keys: { tokenKeys, hashSecrets, matchVersion: config.matchVersion }, municipalities }));
    return {
      app,
      database,
      close: async () => {
        await app.close();
        await database.close();
      },
    };
  } catch (error) {
    await database.close();
    throw error;
  }
}
