/**
 * `sluis backup` and `sluis restore` for the embedded database (docs/operations.md, "Backup and
 * restore"). The keys travel separately: without them a backup's BSNs are only pseudonyms and
 * ciphertext nobody can read or test a known BSN against; with them, everything is open.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { dataDirOwner, openDatabase, restoreDataDir } from '../db/database.ts';
import { systemClock } from '../shared/clock.ts';
import { backUpEmbeddedDatabase, requestBackup } from './backup.ts';
import type { Config } from './config.ts';

const USAGE = `Usage:
  sluis backup <file>          a backup of the embedded database (also while SluiS runs)
  sluis backup --keys <file>   a copy of the keys (keys.json); keep it apart from the database backups
  sluis restore <file>         a backup back into an empty data directory (SLUIS_DATA_DIR)
  sluis restore --keys <file>  the keys back into the data directory`;

const POSTGRES = 'With DATABASE_URL the database is PostgreSQL: back it up with pg_basebackup and WAL archiving (docs/operations.md, "Backup and restore").';

const megabytes = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

export async function backupCommand(config: Config, command: 'backup' | 'restore', args: string[]): Promise<number> {
  const keys = args[0] === '--keys';
  const file = keys ? args[1] : args[0];
  if (!file || args.length !== (keys ? 2 : 1)) {
    console.error(USAGE);
    return 2;
  }
  if (keys && config.pseudonymKey && config.bsnEncryptionKey) {
    console.error(
      'The keys come from SLUIS_PSEUDONYM_KEY and SLUIS_BSN_ENCRYPTION_KEY: they are backed up where they are kept (your secret store), not by SluiS.',
    );
    return 2;
  }
  if (!keys && config.databaseUrl) {
    console.error(POSTGRES);
    return 2;
  }
  if (command === 'backup') return keys ? backUpKeys(config, file) : backUp(config, file);
  return keys ? restoreKeys(config, file) : restore(config, file);
}

async function backUp(config: Config, file: string): Promise<number> {
  if (existsSync(file)) {
    console.error(`${file} exists already: a backup never overwrites another; choose a new file name.`);
    return 2;
  }
  const owner = dataDirOwner(config.dataDir);
  if (owner) {
    const bytes = await requestBackup(config.dataDir, file);
    console.log(`Backup of the running SluiS (process ${owner}) written to ${file} (${megabytes(bytes)}); recorded in the audit trail.`);
  } else {
    if (!existsSync(path.join(config.dataDir, 'pglite', 'PG_VERSION'))) {
      console.error(`There is no embedded database in ${config.dataDir} to back up (SLUIS_DATA_DIR).`);
      return 2;
    }
    const database = await openDatabase({ dataDir: config.dataDir });
    try {
      const { tarball, recorded } = await backUpEmbeddedDatabase(database, systemClock);
      writeFileSync(file, tarball, { mode: 0o600, flag: 'wx' });
      console.log(
        `SluiS was not running: backup of ${config.dataDir} written to ${file} (${megabytes(tarball.byteLength)})${recorded ? '; recorded in the audit trail' : ' (not recorded: the database is from before that was possible; sluis start migrates it)'}.`,
      );
    } finally {
      await database.close();
    }
  }
  console.log('The keys are not in it: back them up apart, once (sluis backup --keys <file>).');
  return 0;
}

async function restore(config: Config, file: string): Promise<number> {
  const present = existsSync(config.dataDir) ? readdirSync(config.dataDir).filter((name) => name !== 'keys.json') : [];
  if (present.length > 0) {
    console.error(
      `The data directory ${config.dataDir} is not empty (it holds ${present.join(', ')}). A restore goes into an empty directory only, so that it overwrites nothing: set SLUIS_DATA_DIR to a new directory, or move this one aside.`,
    );
    return 2;
  }
  let version: number;
  try {
    version = await restoreDataDir(config.dataDir, readFileSync(file));
  } catch (error) {
    console.error(
      `${file} could not be restored: it is not a backup of sluis backup, or it is damaged (${error instanceof Error ? error.message : String(error)}).`,
    );
    return 1;
  }
  console.log(`Restored ${file} into ${config.dataDir} (its database is at migration ${String(version).padStart(4, '0')}).`);
  if (!existsSync(path.join(config.dataDir, 'keys.json')) && !(config.pseudonymKey && config.bsnEncryptionKey)) {
    console.log('Now put its keys back: sluis restore --keys <keys file>. Without them SluiS refuses to start on these data.');
  }
  console.log('Then start SluiS (sluis start): it applies the migrations of this version that the backup does not have yet.');
  return 0;
}

function backUpKeys(config: Config, file: string): number {
  const keysFile = path.join(config.dataDir, 'keys.json');
  if (!existsSync(keysFile)) {
    console.error(`There are no keys in ${config.dataDir} (SLUIS_DATA_DIR) to back up.`);
    return 2;
  }
  if (existsSync(file)) {
    console.error(`${file} exists already: choose a new file name.`);
    return 2;
  }
  writeFileSync(file, readFileSync(keysFile), { mode: 0o600, flag: 'wx' });
  console.log(
    `Keys written to ${file}. Keep this file apart from the database backups (another place, other people): the backups without it are of little use to whoever steals them, and without it a restore cannot match or decrypt anything.`,
  );
  return 0;
}

function restoreKeys(config: Config, file: string): number {
  const text = readFileSync(file, 'utf8');
  if (!isKeysFile(text)) {
    console.error(`${file} is not a keys file of sluis backup --keys.`);
    return 2;
  }
  const keysFile = path.join(config.dataDir, 'keys.json');
  if (existsSync(keysFile)) {
    const same = readFileSync(keysFile, 'utf8') === text;
    console.error(same ? `${keysFile} holds these keys already.` : `${keysFile} exists already with other keys: it is never overwritten.`);
    return same ? 0 : 2;
  }
  mkdirSync(config.dataDir, { recursive: true });
  writeFileSync(keysFile, text, { mode: 0o600, flag: 'wx' });
  console.log(`Keys restored to ${keysFile}.`);
  return 0;
}

function isKeysFile(text: string): boolean {
  try {
    const keys = JSON.parse(text) as Record<string, unknown>;
    return ['pseudonymKey', 'bsnEncryptionKey'].every((name) => typeof keys[name] === 'string' && Buffer.from(keys[name], 'base64').length === 32);
  } catch {
    return false;
  }
}
