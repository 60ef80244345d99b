import { BlockList, isIP } from 'node:net';

/**
 * private: RFC 1918 and IPv6 unique local (fc00::/7), what a private endpoint hands out.
 * cgnat: RFC 6598 shared space (100.64/10), carrier-routed and not a private network of the owner.
 * loopback: this machine itself, which says nothing about where other clients reach the server.
 * special: link-local, documentation, multicast, reserved, unspecified: not private either.
 */
export type AddressClass = 'private' | 'cgnat' | 'loopback' | 'special' | 'public';

function blockList(subnets: Array<[string, number]>): BlockList {
  const list = new BlockList();
  for (const [network, prefix] of subnets) list.addSubnet(network, prefix, isIP(network) === 6 ? 'ipv6' : 'ipv4');
  return list;
}

// BlockList matches IPv4-mapped IPv6 addresses (::ffff:10.0.0.1) against the IPv4 subnets too.
const CLASSES: Array<[Exclude<AddressClass, 'public'>, BlockList]> = [
  ['private', blockList([['10.0.0.0', 8], ['172.16.0.0', 12], ['192.168.0.0', 16], ['fc00::', 7]])],
  ['cgnat', blockList([['100.64.0.0', 10]])],
  ['loopback', blockList([['127.0.0.0', 8], ['::1', 128]])],
  [
    'special',
    blockList([
      ['0.0.0.0', 8], ['169.254.0.0', 16], ['192.0.0.0', 24], ['192.0.2.0', 24], ['198.18.0.0', 15], ['198.51.100.0', 24],
      ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4], ['::', 128], ['fe80::', 10], ['ff00::', 8], ['2001:db8::', 32],
    ]),
  ],
];

export function classifyAddress(address: string): AddressClass {
  const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
  return CLASSES.find(([, list]) => list.check(address, family))?.[0] ?? 'public';
}
