import { mysqlLikePattern } from '../catalog/mysql-like-pattern.js';

/**
 * Whether a MySQL/MariaDB account host matches every client: '%' and '' do, but so do '_%',
 * '%.%.%.%' (every IPv4 address) and the netmask form '0.0.0.0/0.0.0.0', which an exact
 * comparison with '%' lets through. The server matches the host column against the client's
 * address (and, with name resolution on, its name) with LIKE, or as address/netmask; here each
 * pattern is tried on addresses of every kind taken far apart, and it matches every client when it
 * matches all of one kind.
 */

/** Public addresses spread over the space: no allow list meant for some clients admits them all. */
const SAMPLE_CLIENTS: readonly (readonly string[])[] = [
  ['1.2.3.4', '45.33.32.156', '100.64.0.1', '172.217.16.142', '198.51.100.23', '203.0.113.7', '223.255.255.254'],
  ['2001:db8::7', '2a00:1450:4001:82a::200e', '2606:4700:4700::1111', 'fe80::1'],
  ['x', 'client.example.net', 'host-1.corp.example.org'],
];

export function matchesEveryClient(hostPattern: string): boolean {
  if (hostPattern === '' || hostPattern === '%') return true;
  return SAMPLE_CLIENTS.some((clients) => clients.every((client) => hostMatches(hostPattern, client)));
}

function hostMatches(hostPattern: string, client: string): boolean {
  const netmask = /^(\d{1,3}(?:\.\d{1,3}){3})\/(\d{1,3}(?:\.\d{1,3}){3})$/.exec(hostPattern);
  if (netmask) {
    const address = ipv4Number(client);
    return address !== undefined && (address & ipv4Number(netmask[2])!) >>> 0 === ipv4Number(netmask[1]);
  }
  return mysqlLikePattern(hostPattern).test(client);
}

function ipv4Number(text: string): number | undefined {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text)?.slice(1).map(Number);
  if (!parts || parts.some((part) => part > 255)) return undefined;
  return parts.reduce((sum, part) => sum * 256 + part, 0) >>> 0;
}
