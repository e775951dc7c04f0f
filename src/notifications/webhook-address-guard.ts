/**
 * The webhook address rules (webhook-address.ts) applied with DNS: at registration, the URL's name
 * is resolved and every address judged; at delivery it is resolved and judged again (DNS may have
 * changed since: rebinding), inside the socket's own `lookup`, so the connection goes to exactly
 * the addresses that were checked and no second lookup can answer differently.
 */

import type { LookupAddress, LookupOptions } from 'node:dns';
import { lookup as dnsLookup } from 'node:dns/promises';
import { isIP } from 'node:net';
import { type AllowedNetworks, allowedNetworks, checkWebhookUrl, judgeAddresses, parseNetwork, REFUSALS, type WebhookRefusal } from './webhook-address.ts';

/** Every address a host name resolves to; throws when it does not resolve. */
export type ResolveHost = (name: string) => Promise<string[]>;

export type WebhookAddressOptions = {
  /** CIDR networks (or single addresses) allowed besides public addresses, e.g. ['127.0.0.0/8', '::1/128']. */
  allowedNetworks?: readonly string[];
  resolve?: ResolveHost;
  /** How long a registration waits for DNS. */
  resolveTimeoutMs?: number;
};

/** The same signature as dns.lookup, as net.connect calls it (with `all: true` when it tries several addresses). */
export type ConnectLookup = (
  hostname: string,
  options: LookupOptions,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
) => void;

/** A delivery refused by the address rules; its message starts with the code, e.g. "address_not_allowed: …". */
export class WebhookAddressRefused extends Error {
  override name = 'WebhookAddressRefused';
  readonly code: WebhookRefusal['code'];
  constructor(refusal: WebhookRefusal) {
    super(`${refusal.code}: ${refusal.reason}`);
    this.code = refusal.code;
  }
}

export type WebhookAddressGuard = ReturnType<typeof createWebhookAddressGuard>;

export const resolveWithDns: ResolveHost = async (name) => (await dnsLookup(name, { all: true, order: 'verbatim' })).map((a) => a.address);

export function createWebhookAddressGuard(options: WebhookAddressOptions = {}) {
  const allowed: AllowedNetworks = allowedNetworks(
    (options.allowedNetworks ?? []).map((text) => {
      const network = parseNetwork(text);
      if (!network) throw new Error(`Not a network in CIDR notation: ${text}`);
      return network;
    }),
  );
  const resolve = options.resolve ?? resolveWithDns;
  const resolveTimeoutMs = options.resolveTimeoutMs ?? 5_000;

  /** The name's addresses, or a refusal when it does not resolve (in time). */
  async function addressesOf(name: string, timeoutMs: number): Promise<string[] | WebhookRefusal> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error('DNS timeout')), timeoutMs);
    });
    try {
      const addresses = await Promise.race([resolve(name), timeout]);
      return addresses.length > 0 ? addresses : { code: 'host_not_resolved', reason: REFUSALS.host_not_resolved };
    } catch {
      return { code: 'host_not_resolved', reason: REFUSALS.host_not_resolved };
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    /** At registration: null when the URL may be subscribed, otherwise why not. */
    async check(urlText: string): Promise<WebhookRefusal | null> {
      const checked = checkWebhookUrl(urlText);
      if (!checked.ok) return checked.refusal;
      const { url, host } = checked;
      if (host.kind === 'address') return judgeAddresses(url.protocol, [host.address], allowed);
      const addresses = await addressesOf(host.name, resolveTimeoutMs);
      return Array.isArray(addresses) ? judgeAddresses(url.protocol, addresses, allowed) : addresses;
    },

    /**
     * At delivery: throws WebhookAddressRefused for a URL or IP literal that is not allowed (a socket
     * does not look up an IP literal); otherwise gives the `lookup` to connect with, which resolves
     * the name, refuses when any address is not allowed, and hands the socket only checked addresses.
     */
    connectLookup(urlText: string): ConnectLookup {
      const checked = checkWebhookUrl(urlText);
      if (!checked.ok) throw new WebhookAddressRefused(checked.refusal);
      const { url, host } = checked;
      if (host.kind === 'address') {
        const refused = judgeAddresses(url.protocol, [host.address], allowed);
        if (refused) throw new WebhookAddressRefused(refused);
      }
      return (hostname, lookupOptions, callback) => {
        resolve(hostname).then(
          (addresses) => {
            const refused = judgeAddresses(url.protocol, addresses, allowed);
            if (refused) return callback(new WebhookAddressRefused(refused), '');
            const family = lookupOptions.family === 'IPv4' ? 4 : lookupOptions.family === 'IPv6' ? 6 : (lookupOptions.family ?? 0);
            const usable = addresses.map((address) => ({ address, family: isIP(address) })).filter((a) => family === 0 || a.family === family);
            const first = usable[0];
            if (!first) return callback(Object.assign(new Error(`No IPv${family} address for ${hostname}`), { code: 'ENOTFOUND' }), '');
            return lookupOptions.all ? callback(null, usable) : callback(null, first.address, first.family);
          },
          (error: NodeJS.ErrnoException) => callback(error, ''),
        );
      };
    },
  };
}
