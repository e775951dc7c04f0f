/**
 * Where a webhook may point: the rules, as plain functions over strings (no DNS, no sockets). A
 * webhook URL is chosen by an organisation and called from SluiS's own network, so it must not
 * reach SluiS itself, the database, cloud metadata (169.254.169.254) or anything else inside.
 *
 * - An address is public when it is globally routable unicast: not loopback, private, link-local,
 *   CGNAT, multicast, broadcast, unspecified, documentation, benchmarking or otherwise reserved.
 *   IPv6 counts only inside global unicast (2000::/3); an IPv6 address that wraps an IPv4 address
 *   (IPv4-mapped ::ffff:0:0/96, NAT64 64:ff9b::/96, 6to4 2002::/16) is judged by the IPv4 address.
 * - The configuration may allow networks besides (SLUIS_WEBHOOK_ALLOWED_NETWORKS), for receivers
 *   on the municipality's own network, and for tests and the benchmark on 127.0.0.1.
 * - The URL is https, except to addresses in those allowed networks; it carries no user name or
 *   password (SluiS signs each call instead).
 * - Every address a name resolves to must pass, not just one: otherwise a name with one public
 *   and one internal address would get through half the time.
 */
import { BlockList, isIP, isIPv4 } from 'node:net';

export type WebhookRefusalCode = 'invalid_url' | 'credentials_not_allowed' | 'https_required' | 'address_not_allowed' | 'host_not_resolved';
export type WebhookRefusal = { code: WebhookRefusalCode; reason: string };

/** The webhook URL's host: an IP address written in the URL, or a name still to be resolved. */
export type WebhookHost = { kind: 'address'; address: string } | { kind: 'name'; name: string };

export const REFUSALS = {
  invalid_url: 'Must be an absolute http(s) URL with a host.',
  credentials_not_allowed: 'Must not contain a user name or password; SluiS signs every call instead (see the webhook-signature header).',
  https_required: 'Must start with https://; plain http:// is accepted only for addresses in the networks the configuration allows.',
  address_not_allowed:
    'The host is or resolves to an address that is not public (loopback, private, link-local or reserved); a webhook must reach a public address.',
  host_not_resolved: 'The host name does not resolve to an address.',
} as const satisfies Record<WebhookRefusalCode, string>;

const refusal = (code: WebhookRefusalCode): WebhookRefusal => ({ code, reason: REFUSALS[code] });

const IPV4_NOT_PUBLIC: ReadonlyArray<readonly [string, number]> = [
  ['0.0.0.0', 8], // "this network"
  ['10.0.0.0', 8], // private
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8], // loopback
  ['169.254.0.0', 16], // link-local, cloud metadata
  ['172.16.0.0', 12], // private
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation (TEST-NET-1)
  ['192.88.99.0', 24], // 6to4 relay anycast (deprecated)
  ['192.168.0.0', 16], // private
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24], // documentation (TEST-NET-2)
  ['203.0.113.0', 24], // documentation (TEST-NET-3)
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

/** Within global unicast 2000::/3, what is still not public. Everything outside 2000::/3 is refused. */
const IPV6_NOT_PUBLIC: ReadonlyArray<readonly [string, number]> = [
  ['2001::', 23], // IETF protocol assignments: Teredo, benchmarking, ORCHID …
  ['2001:db8::', 32], // documentation
  ['3fff::', 20], // documentation (RFC 9637)
];

const ipv4NotPublic = blockList(IPV4_NOT_PUBLIC, 'ipv4');
const ipv6GlobalUnicast = blockList([['2000::', 3]], 'ipv6');
const ipv6NotPublic = blockList(IPV6_NOT_PUBLIC, 'ipv6');

function blockList(subnets: ReadonlyArray<readonly [string, number]>, family: 'ipv4' | 'ipv6'): BlockList {
  const list = new BlockList();
  for (const [address, prefix] of subnets) list.addSubnet(address, prefix, family);
  return list;
}

/** Whether `ip` (an IPv4 or IPv6 address in text, without brackets) is a public unicast address. Anything else, including text that is not an address, is not. */
export function isPublicAddress(ip: string): boolean {
  const family = isIP(ip);
  if (family === 4) return !ipv4NotPublic.check(ip, 'ipv4');
  if (family !== 6 || ip.includes('%')) return false; // a zone id only makes sense for link-local
  const embedded = embeddedIpv4(ip);
  if (embedded !== undefined) return isPublicAddress(embedded);
  return ipv6GlobalUnicast.check(ip, 'ipv6') && !ipv6NotPublic.check(ip, 'ipv6');
}

/** The IPv4 address an IPv6 address stands for: IPv4-mapped (::ffff:a.b.c.d), NAT64 (64:ff9b::a.b.c.d) or 6to4 (2002:aabb:ccdd::). */
export function embeddedIpv4(ipv6: string): string | undefined {
  const g = ipv6Groups(ipv6);
  if (!g) return undefined;
  const zero = (from: number, to: number) => g.slice(from, to).every((x) => x === 0);
  if (zero(0, 5) && g[5] === 0xffff) return ipv4Of(g[6]!, g[7]!);
  if (g[0] === 0x64 && g[1] === 0xff9b && zero(2, 6)) return ipv4Of(g[6]!, g[7]!);
  if (g[0] === 0x2002) return ipv4Of(g[1]!, g[2]!);
  return undefined;
}

const ipv4Of = (high: number, low: number) => `${high >> 8}.${high & 0xff}.${low >> 8}.${low & 0xff}`;

/** The eight 16-bit groups of an IPv6 address in text (with :: and a dotted IPv4 tail), or undefined. */
export function ipv6Groups(text: string): number[] | undefined {
  if (isIP(text) !== 6 || text.includes('%')) return undefined;
  let rest = text;
  const tail: number[] = [];
  const dotted = /(?:^|:)(\d+\.\d+\.\d+\.\d+)$/.exec(rest);
  if (dotted) {
    const [a, b, c, d] = dotted[1]!.split('.').map(Number) as [number, number, number, number];
    tail.push((a << 8) | b, (c << 8) | d);
    rest = rest.slice(0, rest.length - dotted[1]!.length);
    if (rest.endsWith(':') && !rest.endsWith('::')) rest = rest.slice(0, -1);
  }
  const hex = (part: string) => (part === '' ? [] : part.split(':').map((h) => parseInt(h, 16)));
  const halves = rest.split('::');
  const head = hex(halves[0]!);
  const back = [...(halves.length > 1 ? hex(halves[1]!) : []), ...tail];
  const missing = 8 - head.length - back.length;
  const groups = halves.length > 1 ? [...head, ...new Array<number>(missing).fill(0), ...back] : [...head, ...back];
  return groups.length === 8 && missing >= 0 ? groups : undefined;
}

/** A network in CIDR notation ("10.1.0.0/16", "fd00::/8"), or a single address; undefined when invalid. */
export type Network = { address: string; prefix: number; family: 'ipv4' | 'ipv6' };

export function parseNetwork(text: string): Network | undefined {
  const [address = '', prefixText, extra] = text.trim().split('/');
  if (extra !== undefined) return undefined;
  const version = isIP(address);
  if (version === 0 || address.includes('%')) return undefined;
  const max = version === 4 ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return undefined;
  const prefix = prefixText === undefined ? max : Number(prefixText);
  return prefix <= max ? { address, prefix, family: version === 4 ? 'ipv4' : 'ipv6' } : undefined;
}

/** The configured networks as a membership test. An IPv4-mapped IPv6 address counts as its IPv4 address. */
export type AllowedNetworks = { has(ip: string): boolean; readonly size: number };

export function allowedNetworks(networks: readonly Network[]): AllowedNetworks {
  const list = new BlockList();
  for (const n of networks) list.addSubnet(n.address, n.prefix, n.family);
  return {
    size: networks.length,
    has(ip: string) {
      if (networks.length === 0) return false;
      const family = isIP(ip);
      if (family === 0 || ip.includes('%')) return false;
      if (family === 4) return list.check(ip, 'ipv4');
      const g = ipv6Groups(ip);
      const mapped = g?.slice(0, 5).every((x) => x === 0) && g[5] === 0xffff ? ipv4Of(g[6]!, g[7]!) : undefined;
      return mapped ? list.check(mapped, 'ipv4') : list.check(ip, 'ipv6');
    },
  };
}

/** The URL's own rules (scheme, host, no credentials), before any address is known. */
export function checkWebhookUrl(text: string): { ok: true; url: URL; host: WebhookHost } | { ok: false; refusal: WebhookRefusal } {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, refusal: refusal('invalid_url') };
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !url.hostname) return { ok: false, refusal: refusal('invalid_url') };
  if (url.username || url.password) return { ok: false, refusal: refusal('credentials_not_allowed') };
  return { ok: true, url, host: hostOf(url) };
}

/** The WHATWG parser has already turned 0x7f.1, 2130706433 and friends into dotted IPv4, and IPv6 into brackets. */
function hostOf(url: URL): WebhookHost {
  const { hostname } = url;
  if (hostname.startsWith('[') && hostname.endsWith(']')) return { kind: 'address', address: hostname.slice(1, -1) };
  if (isIPv4(hostname)) return { kind: 'address', address: hostname };
  return { kind: 'name', name: hostname };
}

/**
 * The addresses the URL's host is (an IP literal) or resolves to, judged: every one must be public
 * or in an allowed network, and plain http needs every one in an allowed network. Null: allowed.
 */
export function judgeAddresses(protocol: string, addresses: readonly string[], allowed: AllowedNetworks): WebhookRefusal | null {
  if (addresses.length === 0) return refusal('host_not_resolved');
  if (addresses.some((ip) => !allowed.has(ip) && !isPublicAddress(ip))) return refusal('address_not_allowed');
  if (protocol !== 'https:' && addresses.some((ip) => !allowed.has(ip))) return refusal('https_required');
  return null;
}
