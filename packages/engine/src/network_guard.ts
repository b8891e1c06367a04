/**
 * SSRF guard for requests to providers (admin-typed URLs and endpoints named
 * by discovery documents): private, loopback, link-local, CGNAT, unique-local,
 * multicast, reserved and metadata addresses, also behind NAT64, are refused,
 * both for IP literals in the URL and, at connect time, for every address a
 * host name resolves to,
 * so a name that resolves differently on a second lookup (DNS rebinding)
 * gains nothing. The engine option allowPrivateNetwork turns the guard off.
 */
import { lookup as dnsLookup, type LookupAddress, type LookupOptions } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import { Agent } from 'undici';

const blocked = new BlockList();
const PRIVATE_IPV4 = [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const;
for (const [network, prefix] of PRIVATE_IPV4) {
  blocked.addSubnet(network, prefix, 'ipv4');
  // NAT64 (RFC 6052 well-known prefix 64:ff9b::/96) reaches the IPv4 address in its last 32 bits, so
  // 64:ff9b::10.0.0.1 is 10.0.0.1. Only the private ones are refused: on an IPv6-only network with DNS64
  // every IPv4-only provider resolves into this prefix.
  blocked.addSubnet(`64:ff9b::${network}`, 96 + prefix, 'ipv6');
}
for (const [network, prefix] of [
  ['::', 128],
  ['::1', 128],
  // Local-use NAT64 (RFC 8215): the operator's own translator, whose IPv4 side may be any network.
  ['64:ff9b:1::', 48],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['fec0::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(network, prefix, 'ipv6');

// BlockList also checks IPv4-mapped IPv6 addresses (::ffff:a.b.c.d) against the IPv4 rules.
/** True for an address no provider should have (169.254.169.254, fd00:ec2::254 and 100.100.100.200 included). */
export function isPrivateAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  return blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export class PrivateAddressError extends Error {
  readonly code = 'ERR_PRIVATE_ADDRESS';
  constructor(
    readonly host: string,
    readonly address: string,
  ) {
    super(`${host} resolves to a private address (${address})`);
    this.name = 'PrivateAddressError';
  }
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** dns.lookup that answers only when every resolved address is public. */
export function publicOnlyLookup(host: string, options: LookupOptions, callback: LookupCallback): void {
  dnsLookup(host, { ...options, all: true }, (err, addresses) => {
    if (err) return callback(err, []);
    const bad = addresses.find((a) => isPrivateAddress(a.address));
    if (bad) return callback(new PrivateAddressError(host, bad.address), []);
    if (options.all) return callback(null, addresses);
    const first = addresses[0];
    if (!first) return callback(Object.assign(new Error(`${host} has no address`), { code: 'ENOTFOUND' }), []);
    callback(null, first.address, first.family);
  });
}

let agent: Agent | undefined;
/** The dispatcher that connects only to public addresses (one per process, shared connection pool). */
export function publicOnlyDispatcher(): Agent {
  agent ??= new Agent({ connect: { lookup: publicOnlyLookup as never } });
  return agent;
}

/** The PrivateAddressError somewhere in a fetch failure's causes, if any. */
export function privateAddressCause(err: unknown): PrivateAddressError | undefined {
  for (let e = err, depth = 0; e instanceof Error && depth < 4; e = e.cause, depth += 1) {
    if (e instanceof PrivateAddressError) return e;
  }
  return undefined;
}
