/**
 * The keys and settings each party of the federation needs (docs/federation.md, "Setting up a
 * federation"), generated so that no operator makes them by hand: a region's Ed25519 signing key and
 * the public key the services register for it; the hub's X25519 token key pair and hash secret; the
 * pseudonymisation service's OPRF key. `sluis federation keys` prints them; the demo, the scenario
 * test and the bench use `federationEnvironments` for a whole federation at once.
 */
import { randomBytes } from 'node:crypto';
import { generateTokenKeyPair } from './evaluation-token.ts';
import { generateOprfKey } from './pseudonym-protocol.ts';
import { generateSigningKeyPair, isPartyId } from './request-signing.ts';

export type Env = Record<string, string>;
/** The services' SLUIS_FEDERATION_PARTIES: public keys by party and key id. */
export type Parties = Record<string, Record<string, string>>;

/** The party ids the services take by default; a region is named otherwise. */
export const SERVICE_IDS = ['hub', 'pseudonymiser'] as const;

/** A region's signing key: its own settings, and its entry in the services' SLUIS_FEDERATION_PARTIES. */
export function regionKeys(region: string, keyId = 'k1'): { env: Env; parties: Parties } {
  if (!isPartyId(region) || (SERVICE_IDS as readonly string[]).includes(region)) throw new Error(`not a region id: ${region}`);
  const pair = generateSigningKeyPair();
  return {
    env: { SLUIS_FEDERATION_ID: region, SLUIS_FEDERATION_SIGNING_KEY_ID: keyId, SLUIS_FEDERATION_SIGNING_KEY: pair.privateKey },
    parties: { [region]: { [keyId]: pair.publicKey } },
  };
}

/** The hub's token key pair (the private one for the hub, the public one for the pseudonymisation service) and its hash secret of a key version. */
export async function hubKeys(kid = 'hub-1', version = 1): Promise<{ env: Env; pseudonymiserEnv: Env }> {
  const { publicJwk, privateJwk } = await generateTokenKeyPair(kid);
  return {
    env: {
      SLUIS_HUB_TOKEN_KEYS: JSON.stringify([privateJwk]),
      SLUIS_HUB_HASH_SECRETS: JSON.stringify({ [version]: randomBytes(32).toString('base64') }),
    },
    pseudonymiserEnv: { SLUIS_PSEUDONYMISER_HUB_TOKEN_KEY: JSON.stringify(publicJwk) },
  };
}

/** The pseudonymisation service's OPRF key of a key version. */
export function pseudonymiserKeys(version = 1): { env: Env } {
  return { env: { SLUIS_PSEUDONYMISER_OPRF_KEYS: JSON.stringify({ [version]: Buffer.from(generateOprfKey(version).secretKey).toString('base64') }) } };
}

/**
 * A whole federation's keys: the hub's, the pseudonymisation service's and each region's settings,
 * the services' parties filled in. Addresses, ports and databases are the caller's to add.
 */
export async function federationEnvironments(regions: string[]): Promise<{ hub: Env; pseudonymiser: Env; regions: Record<string, Env> }> {
  const hub = await hubKeys();
  const perRegion = regions.map((region) => regionKeys(region));
  const parties = JSON.stringify(Object.assign({}, ...perRegion.map((r) => r.parties)));
  return {
    hub: { SLUIS_FEDERATION_ID: 'hub', SLUIS_FEDERATION_PARTIES: parties, ...hub.env },
    pseudonymiser: { SLUIS_FEDERATION_ID: 'pseudonymiser', SLUIS_FEDERATION_PARTIES: parties, ...pseudonymiserKeys().env, ...hub.pseudonymiserEnv },
    regions: Object.fromEntries(perRegion.map((r) => [r.env.SLUIS_FEDERATION_ID, r.env])),
  };
}

/** Settings as lines for a .env file or a shell: a JSON value in single quotes (it holds double quotes). */
export function envLines(env: Env): string {
  return Object.entries(env)
    .map(([name, value]) => `${name}=${/^[{[]/.test(value) ? `'${value}'` : value}`)
    .join('\n');
}

export const FEDERATION_KEYS_USAGE = `Usage: sluis federation keys <region-id> [--key-id k1]
       sluis federation keys hub [--key-id hub-1] [--version 1]
       sluis federation keys pseudonymiser [--version 1]

Prints new keys as the settings each party needs (docs/federation.md, "Setting up a federation"):
  <region-id>     the region's signing key, and the entry its public key takes in SLUIS_FEDERATION_PARTIES
                  of the hub and of the pseudonymisation service (--key-id: the key id, k1 unless rotating)
  hub             the hub's token key pair and its hash secret: the private settings for the hub, the public
                  key for the pseudonymisation service (--key-id: the token key's kid; --version: the key version)
  pseudonymiser   the pseudonymisation service's OPRF key of a key version
Private keys are printed: put them straight into the party's secret store, never in a shared file.`;

/** `sluis federation keys …`: the text to print, or undefined for a wrong use. */
export async function federationKeysCommand(args: string[]): Promise<string | undefined> {
  const [party, ...rest] = args;
  const options = new Map<string, string>();
  for (let i = 0; i < rest.length; i += 2) {
    const [name, value] = [rest[i], rest[i + 1]];
    if (!name || !value || !['--key-id', '--version'].includes(name)) return undefined;
    options.set(name, value);
  }
  const keyId = options.get('--key-id');
  if (keyId !== undefined && !/^[A-Za-z0-9_-]{1,64}$/.test(keyId)) return undefined;
  const rawVersion = options.get('--version') ?? '1';
  if (!/^[1-9]\d{0,5}$/.test(rawVersion)) return undefined;
  const version = Number(rawVersion);
  if (party === 'hub') {
    const keys = await hubKeys(keyId ?? 'hub-1', version);
    return [
      '# The hub (sluis hub): keep these secret. For a key version beyond 1, add its hash secret to the existing SLUIS_HUB_HASH_SECRETS.',
      envLines(keys.env),
      '',
      "# The pseudonymisation service (sluis pseudonymiser): the hub's public token key.",
      envLines(keys.pseudonymiserEnv),
    ].join('\n');
  }
  if (party === 'pseudonymiser') {
    if (keyId) return undefined;
    return [
      '# The pseudonymisation service (sluis pseudonymiser): keep this secret. For a key version beyond 1, add it to the existing SLUIS_PSEUDONYMISER_OPRF_KEYS.',
      envLines(pseudonymiserKeys(version).env),
    ].join('\n');
  }
  if (!party || !isPartyId(party) || options.has('--version')) return undefined;
  const keys = regionKeys(party, keyId);
  return [
    `# Region ${party} (sluis start): keep the signing key secret; add SLUIS_FEDERATION_HUB_URL and SLUIS_FEDERATION_PSEUDONYMISER_URL.`,
    envLines(keys.env),
    '',
    '# Its public key: add this entry to SLUIS_FEDERATION_PARTIES of the hub and of the pseudonymisation service.',
    JSON.stringify(keys.parties).slice(1, -1),
  ].join('\n');
}
