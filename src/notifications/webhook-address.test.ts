import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { allowedNetworks, checkWebhookUrl, embeddedIpv4, ipv6Groups, isPublicAddress, judgeAddresses, type Network, parseNetwork } from './webhook-address.ts';
import { type ConnectLookup, createWebhookAddressGuard, WebhookAddressRefused } from './webhook-address-guard.ts';

const NOT_PUBLIC = [
  // IPv4
  '0.0.0.0',
  '0.1.2.3',
  '10.0.0.1',
  '10.255.255.255',
  '100.64.0.1',
  '100.127.255.254',
  '127.0.0.1',
  '127.255.0.9',
  '169.254.169.254',
  '169.254.0.1',
  '172.16.0.1',
  '172.31.255.255',
  '192.0.0.8',
  '192.0.2.1',
  '192.88.99.1',
  '192.168.1.1',
  '198.18.0.1',
  '198.19.255.255',
  '198.51.100.7',
  '203.0.113.9',
  '224.0.0.1',
  '239.255.255.250',
  '240.0.0.1',
  '255.255.255.255',
  // IPv6
  '::',
  '::1',
  'fe80::1',
  'febf::1',
  'fc00::1',
  'fd12:3456::1',
  'ff02::1',
  'ff0e::1',
  'fec0::1',
  '100::1',
  '2001:db8::1',
  '3fff::1',
  '2001::1',
  '2001:2::1',
  '64:ff9b:1::1',
  '5f00::1',
  '::127.0.0.1',
  '::a00:1',
  // IPv6 wrapping a non-public IPv4 address
  '::ffff:127.0.0.1',
  '::ffff:7f00:1',
  '::ffff:169.254.169.254',
  '::ffff:a00:1',
  '0:0:0:0:0:ffff:c0a8:101',
  '64:ff9b::127.0.0.1',
  '64:ff9b::a00:1',
  '64:ff9b::a9fe:a9fe',
  '2002:7f00:1::',
  '2002:a00:1::1',
  '2002:c0a8:101::',
  // Not an address at all
  '',
  'localhost',
  '127.1',
  '1.2.3',
  '999.1.1.1',
  'fe80::1%eth0',
  '[::1]',
  ' 8.8.8.8',
];
const PUBLIC = [
  '8.8.8.8',
  '1.1.1.1',
  '93.184.215.14',
  '172.32.0.1',
  '100.128.0.1',
  '192.169.0.1',
  '11.0.0.1',
  '223.255.255.255',
  '2a00:1450:4001:80b::200e',
  '2606:4700:4700::1111',
  '2001:4860:4860::8888',
  '::ffff:8.8.8.8',
  '64:ff9b::808:808',
  '2002:808:808::1',
];

test('loopback, private, link-local, CGNAT, multicast, broadcast, reserved and documentation addresses are not public', () => {
  for (const ip of NOT_PUBLIC) assert.equal(isPublicAddress(ip), false, ip);
  for (const ip of PUBLIC) assert.equal(isPublicAddress(ip), true, ip);
});

test('an IPv6 address in text becomes its eight groups, with :: and a dotted IPv4 tail', () => {
  assert.deepEqual(ipv6Groups('::'), [0, 0, 0, 0, 0, 0, 0, 0]);
  assert.deepEqual(ipv6Groups('::1'), [0, 0, 0, 0, 0, 0, 0, 1]);
  assert.deepEqual(ipv6Groups('fe80::1:2'), [0xfe80, 0, 0, 0, 0, 0, 1, 2]);
  assert.deepEqual(ipv6Groups('::ffff:1.2.3.4'), [0, 0, 0, 0, 0, 0xffff, 0x0102, 0x0304]);
  assert.deepEqual(ipv6Groups('1:2:3:4:5:6:7.8.9.10'), [1, 2, 3, 4, 5, 6, 0x0708, 0x090a]);
  assert.deepEqual(ipv6Groups('1:2:3:4:5:6:7:8'), [1, 2, 3, 4, 5, 6, 7, 8]);
  assert.equal(ipv6Groups('1.2.3.4'), undefined);
  assert.equal(ipv6Groups('fe80::1%eth0'), undefined);
  assert.equal(embeddedIpv4('::ffff:7f00:1'), '127.0.0.1');
  assert.equal(embeddedIpv4('64:ff9b::a9fe:a9fe'), '169.254.169.254');
  assert.equal(embeddedIpv4('2002:c0a8:101:5::9'), '192.168.1.1');
  assert.equal(embeddedIpv4('2a00::1'), undefined);
});

const byte = fc.integer({ min: 0, max: 255 });
const ipv4 = fc.tuple(byte, byte, byte, byte).map((b) => b.join('.'));
const group = fc.integer({ min: 0, max: 0xffff });
const hex = (n: number) => n.toString(16);
/** An IPv4 address in a range, by prefix: [first octets…] and the prefix length. */
const inRange = (base: string, prefix: number) =>
  fc.integer({ min: 0, max: 2 ** (32 - prefix) - 1 }).map((offset) => {
    const start = base.split('.').reduce((n, o) => n * 256 + Number(o), 0);
    const n = start + offset;
    return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join('.');
  });
const privateIpv4 = fc.oneof(
  inRange('10.0.0.0', 8),
  inRange('172.16.0.0', 12),
  inRange('192.168.0.0', 16),
  inRange('127.0.0.0', 8),
  inRange('169.254.0.0', 16),
  inRange('100.64.0.0', 10),
  inRange('0.0.0.0', 8),
  inRange('224.0.0.0', 4),
  inRange('240.0.0.0', 4),
);
const wrappers = (v4: string) => {
  const [a, b, c, d] = v4.split('.').map(Number) as [number, number, number, number];
  const high = hex((a << 8) | b),
    low = hex((c << 8) | d);
  return [`::ffff:${v4}`, `::ffff:${high}:${low}`, `0:0:0:0:0:ffff:${high}:${low}`, `64:ff9b::${v4}`, `64:ff9b::${high}:${low}`, `2002:${high}:${low}::1`];
};

test('property: an address in a private, loopback, link-local, CGNAT, multicast or reserved IPv4 range is refused, in every IPv6 wrapping too', () => {
  fc.assert(
    fc.property(privateIpv4, (v4) => {
      assert.equal(isPublicAddress(v4), false, v4);
      for (const wrapped of wrappers(v4)) assert.equal(isPublicAddress(wrapped), false, wrapped);
    }),
  );
});

test('property: an IPv6 wrapping of any IPv4 address is judged exactly as the IPv4 address', () => {
  fc.assert(
    fc.property(ipv4, (v4) => {
      for (const wrapped of wrappers(v4)) assert.equal(isPublicAddress(wrapped), isPublicAddress(v4), wrapped);
    }),
  );
});

test('property: unique-local, link-local and multicast IPv6 are refused; global unicast outside the special ranges is public', () => {
  const rest = fc.array(group, { minLength: 7, maxLength: 7 });
  const address = (first: number, others: number[]) => [first, ...others].map(hex).join(':');
  fc.assert(fc.property(fc.integer({ min: 0xfc00, max: 0xfdff }), rest, (first, others) => !isPublicAddress(address(first, others))));
  fc.assert(fc.property(fc.integer({ min: 0xfe80, max: 0xfebf }), rest, (first, others) => !isPublicAddress(address(first, others))));
  fc.assert(fc.property(fc.integer({ min: 0xff00, max: 0xffff }), rest, (first, others) => !isPublicAddress(address(first, others))));
  fc.assert(fc.property(fc.integer({ min: 0x2400, max: 0x2dff }), rest, (first, others) => isPublicAddress(address(first, others))));
});

test('property: the verdict does not depend on how an address is written (full, compressed by the URL parser, upper case)', () => {
  fc.assert(
    fc.property(fc.array(group, { minLength: 8, maxLength: 8 }), (groups) => {
      const full = groups.map(hex).join(':');
      const compressed = new URL(`http://[${full}]/`).hostname.slice(1, -1);
      assert.equal(isPublicAddress(compressed), isPublicAddress(full), `${full} ${compressed}`);
      assert.equal(isPublicAddress(full.toUpperCase()), isPublicAddress(full));
    }),
  );
});

test('networks are CIDR or single addresses; an IPv4-mapped address counts as its IPv4 address', () => {
  assert.deepEqual(parseNetwork('10.1.0.0/16'), { address: '10.1.0.0', prefix: 16, family: 'ipv4' });
  assert.deepEqual(parseNetwork('::1'), { address: '::1', prefix: 128, family: 'ipv6' });
  for (const bad of ['', '10.0.0.0/33', '::/129', '10.0.0.0/', '10.0.0.0/8/8', 'localhost/8', '10.0.0.0/-1', '10.0.0.0/08x', 'fe80::1%eth0/64']) {
    assert.equal(parseNetwork(bad), undefined, bad);
  }
  const allowed = allowedNetworks(['127.0.0.0/8', 'fd00:aa::/32', '10.20.30.40'].map((n) => parseNetwork(n)!));
  for (const ip of ['127.0.0.1', '127.9.9.9', '::ffff:127.0.0.1', '::ffff:7f00:2', 'fd00:aa::5', '10.20.30.40']) assert.equal(allowed.has(ip), true, ip);
  for (const ip of ['128.0.0.1', '::1', 'fd00:ab::5', '10.20.30.41', 'nonsense']) assert.equal(allowed.has(ip), false, ip);
  assert.equal(allowedNetworks([]).has('127.0.0.1'), false);
});

test('property: an address is in a network exactly when its first prefix bits match', () => {
  fc.assert(
    fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (network, address, prefix) => {
      const bits = (ip: string) => ip.split('.').reduce((n, o) => (n << 8n) | BigInt(o), 0n);
      const mask = prefix === 0 ? 0n : ((1n << BigInt(prefix)) - 1n) << BigInt(32 - prefix);
      const expected = (bits(network) & mask) === (bits(address) & mask);
      assert.equal(allowedNetworks([{ address: network, prefix, family: 'ipv4' } satisfies Network]).has(address), expected);
    }),
  );
});

test('the URL: http(s) with a host, no credentials; the host is an address or a name, however the address is written', () => {
  const refusal = (url: string) => {
    const c = checkWebhookUrl(url);
    return c.ok ? null : c.refusal.code;
  };
  assert.equal(refusal('ftp://example.nl/'), 'invalid_url');
  assert.equal(refusal('not a url'), 'invalid_url');
  assert.equal(refusal('file:///etc/passwd'), 'invalid_url');
  assert.equal(refusal('https://user:secret@crm.example.nl/hook'), 'credentials_not_allowed');
  assert.equal(refusal('https://user@crm.example.nl/hook'), 'credentials_not_allowed');
  assert.equal(refusal('https://crm.example.nl/hook'), null);
  const host = (url: string) => {
    const c = checkWebhookUrl(url);
    return c.ok ? c.host : null;
  };
  assert.deepEqual(host('https://crm.example.nl:8443/x'), { kind: 'name', name: 'crm.example.nl' });
  assert.deepEqual(host('http://[::1]:8080/'), { kind: 'address', address: '::1' });
  assert.deepEqual(host('http://[::ffff:127.0.0.1]/'), { kind: 'address', address: '::ffff:7f00:1' });
  for (const tricky of ['http://2130706433/', 'http://0x7f.1/', 'http://127.1/', 'http://0177.0.0.1/', 'http://127.000.000.001/']) {
    assert.deepEqual(host(tricky), { kind: 'address', address: '127.0.0.1' }, tricky);
  }
  fc.assert(
    fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true }), fc.stringMatching(/^[a-z0-9]{1,10}$/), (url, user) => {
      const withUser = url.replace('://', `://${user}@`);
      assert.equal(refusal(withUser), 'credentials_not_allowed', withUser);
    }),
    { numRuns: 40 },
  );
});

test('the addresses: all public or allowed; plain http only when all are allowed; none at all does not resolve', () => {
  const allowed = allowedNetworks([parseNetwork('127.0.0.0/8')!]);
  assert.equal(judgeAddresses('https:', ['8.8.8.8', '2606:4700::1'], allowed), null);
  assert.equal(
    judgeAddresses('https:', ['8.8.8.8', '10.0.0.1'], allowed)?.code,
    'address_not_allowed',
    'one internal address among public ones is enough to refuse',
  );
  assert.equal(judgeAddresses('https:', ['127.0.0.1'], allowed), null);
  assert.equal(judgeAddresses('http:', ['127.0.0.1'], allowed), null);
  assert.equal(judgeAddresses('http:', ['8.8.8.8'], allowed)?.code, 'https_required');
  assert.equal(judgeAddresses('http:', ['::1'], allowed)?.code, 'address_not_allowed');
  assert.equal(judgeAddresses('https:', [], allowed)?.code, 'host_not_resolved');
});

test('the guard resolves names at registration: every address must pass; a name that does not resolve (in time) is refused', async () => {
  const names: Record<string, string[]> = {
    'public.example': ['93.184.215.14'],
    'mixed.example': ['93.184.215.14', '10.0.0.1'],
    'local.example': ['127.0.0.1'],
  };
  const resolve = async (name: string) => {
    if (names[name]) return names[name];
    throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' });
  };
  const strict = createWebhookAddressGuard({ resolve });
  assert.equal(await strict.check('https://public.example/hook'), null);
  assert.equal((await strict.check('https://mixed.example/hook'))?.code, 'address_not_allowed');
  assert.equal((await strict.check('https://local.example/hook'))?.code, 'address_not_allowed');
  assert.equal((await strict.check('https://nowhere.example/hook'))?.code, 'host_not_resolved');
  assert.equal((await strict.check('http://public.example/hook'))?.code, 'https_required');
  assert.equal((await strict.check('https://169.254.169.254/latest/meta-data/'))?.code, 'address_not_allowed');
  const slow = createWebhookAddressGuard({ resolve: () => new Promise(() => {}), resolveTimeoutMs: 20 });
  assert.equal((await slow.check('https://slow.example/'))?.code, 'host_not_resolved');
  const local = createWebhookAddressGuard({ resolve, allowedNetworks: ['127.0.0.0/8'] });
  assert.equal(await local.check('http://local.example:8080/hook'), null);
  assert.equal(await local.check('http://127.0.0.1:8080/hook'), null);
  assert.throws(() => createWebhookAddressGuard({ allowedNetworks: ['10.0.0.0/99'] }), /CIDR/);
});

test('at delivery the guard refuses IP literals at once, and its socket lookup hands out only checked addresses', async () => {
  let answer = ['93.184.215.14', '2606:2800:21f:cb07:6820:80da:af6b:8b2c'];
  const guard = createWebhookAddressGuard({ resolve: async () => answer });
  assert.throws(
    () => guard.connectLookup('https://10.0.0.1/'),
    (e: unknown) => e instanceof WebhookAddressRefused && e.code === 'address_not_allowed' && /^address_not_allowed: /.test(e.message),
  );
  assert.throws(() => guard.connectLookup('https://[::ffff:127.0.0.1]/'), WebhookAddressRefused);
  assert.throws(() => guard.connectLookup('https://a:b@host.example/'), WebhookAddressRefused);
  const lookup = guard.connectLookup('https://host.example/');
  const call = (l: ConnectLookup, options: Parameters<ConnectLookup>[1]) =>
    new Promise<{ error: Error | null; address: unknown; family?: number }>((resolve) =>
      l('host.example', options, (error, address, family) => resolve({ error, address, family })),
    );
  assert.deepEqual(await call(lookup, { all: true }), {
    error: null,
    address: [
      { address: '93.184.215.14', family: 4 },
      { address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 },
    ],
    family: undefined,
  });
  assert.deepEqual(await call(lookup, { family: 6 }), { error: null, address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 });
  answer = ['93.184.215.14', '127.0.0.1']; // rebinding: the name now points inside
  const refused = await call(lookup, { all: true });
  assert.ok(refused.error instanceof WebhookAddressRefused && refused.error.code === 'address_not_allowed');
});
