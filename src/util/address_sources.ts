/**
 * Lists of the addresses a caller may come from (single addresses or CIDRs,
 * IPv4 or IPv6), as node's BlockList checks them: a token API client's sources,
 * and the Mattermost server's (APP_MATTERMOST_SOURCES). The address is the
 * socket's peer, never a header a caller could write.
 */
import { BlockList, isIP } from 'node:net';

/** A CIDR (or a single address) that node's BlockList accepts. */
export function validSource(source: string): boolean {
  const [address = '', bits, extra] = source.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (bits === undefined) return true;
  const prefix = Number(bits);
  return /^\d{1,3}$/.test(bits) && prefix <= (family === 4 ? 32 : 128);
}

/** The check of one list, built once: whether an address (as the socket reports it) is within it; every address when it is empty. */
export function sourceCheck(sources: readonly string[]): (address: string | undefined) => boolean {
  if (sources.length === 0) return () => true;
  const list = new BlockList();
  for (const source of sources) {
    const [net = '', bits] = source.split('/');
    const type = isIP(net) === 6 ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(net, type);
    else list.addSubnet(net, Number(bits), type);
  }
  return (address) => {
    if (!address) return false;
    // A dual-stack socket reports an IPv4 peer as ::ffff:a.b.c.d.
    const plain = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(address)?.[1] ?? address;
    return list.check(plain, isIP(plain) === 6 ? 'ipv6' : 'ipv4');
  };
}

/** Whether `address` is within one of the sources; every address when there are none. */
export const fromAllowedSource = (sources: readonly string[], address: string | undefined): boolean => sourceCheck(sources)(address);
