/**
 * Where webhooks may go in tests: the receivers run on 127.0.0.1, so the test app allows the
 * loopback networks (as SLUIS_WEBHOOK_ALLOWED_NETWORKS would), and tests have no public DNS, so
 * names under the reserved `.example` domain resolve to 127.0.0.1 here, like an /etc/hosts entry
 * (a call to one is refused by the closed port at once, never sent off the machine). Other names
 * go to the real resolver (`localhost`).
 */
import { type ResolveHost, resolveWithDns, type WebhookAddressOptions } from '../notifications/webhook-address-guard.ts';

export const LOOPBACK_NETWORKS = ['127.0.0.0/8', '::1/128'] as const;

/** A resolver with fixed answers for some names (exact, or `*.suffix`), the real one for the rest. */
export function hostsResolver(hosts: Record<string, string[]>, fallback: ResolveHost = resolveWithDns): ResolveHost {
  return async (name) => {
    const key = name.toLowerCase().replace(/\.$/, '');
    const fixed = hosts[key] ?? Object.entries(hosts).find(([pattern]) => pattern.startsWith('*.') && key.endsWith(pattern.slice(1)))?.[1];
    if (fixed) return fixed;
    return fallback(name);
  };
}

export const TEST_WEBHOOK_ADDRESSES: WebhookAddressOptions = {
  allowedNetworks: LOOPBACK_NETWORKS,
  resolve: hostsResolver({ '*.example': ['127.0.0.1'] }),
};
