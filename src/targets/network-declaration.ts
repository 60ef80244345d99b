import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';
import type { NetworkEntry } from './config-schema.js';

/**
 * A place the harness can probe the server from, other than its own default route: a local source
 * address to bind the client socket to, or a Linux network namespace to run the probe in (which
 * needs root and `ip netns`). `expect` is what the server's owner says should happen from there.
 */
export type VantagePoint = {
  name: string;
  expect: 'allowed' | 'denied';
  sourceAddress?: string;
  namespace?: string;
};

/**
 * What the target declares about its network exposure; absent parts leave their controls skipped.
 * Type aliases, not interfaces, so a Target stays assignable to Cucumber's JSON world parameters.
 */
export type NetworkDeclaration = {
  /** Where network.allowlist and network.no-banner probe from. */
  from?: VantagePoint[];
  /** `private`: network.private-endpoint and network.public-access-disabled are required whatever the profile. */
  access?: 'private';
  /** DNS servers (address or address:port) to resolve the host name with instead of the system resolver. */
  resolver?: string[];
};

/** The `network` mapping of a config-file target, its shape already checked; `where` is e.g. "targets[0].network". */
export function parseNetworkDeclaration(value: NetworkEntry, where: string): NetworkDeclaration {
  const declaration: NetworkDeclaration = {};
  if (value.from) declaration.from = parseVantagePoints(value.from, `${where}.from`);
  if (value.access) declaration.access = value.access;
  if (value.resolver != null) declaration.resolver = parseResolvers(value.resolver, `${where}.resolver`);
  return declaration;
}

function parseVantagePoints(entries: NonNullable<NetworkEntry['from']>, where: string): VantagePoint[] {
  const points = entries.map((entry, index) => parseVantagePoint(entry, `${where}[${index}]`));
  const names = new Set<string>();
  points.forEach((point, index) => {
    if (names.has(point.name)) throw new ConfigError(`${where}[${index}].name`, `duplicate vantage point name "${point.name}"`);
    names.add(point.name);
  });
  // Without both kinds the comparison that makes a drop meaningful is missing: a dead server drops everyone.
  for (const expect of ['denied', 'allowed'] as const) {
    if (!points.some((point) => point.expect === expect)) {
      throw new ConfigError(where, `declare at least one vantage point with expect: ${expect}; a denial only counts next to a source the server answers`);
    }
  }
  return points;
}

function parseVantagePoint(entry: NonNullable<NetworkEntry['from']>[number], where: string): VantagePoint {
  const { name, expect, sourceAddress, namespace } = entry;
  if (sourceAddress != null && isIP(sourceAddress) === 0) throw new ConfigError(`${where}.sourceAddress`, 'expected an IPv4 or IPv6 address of this machine');
  return { name, expect, ...(sourceAddress == null ? {} : { sourceAddress }), ...(namespace == null ? {} : { namespace }) };
}

function parseResolvers(value: string | string[], where: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  return list.map((server, index) => {
    if (!isDnsServerAddress(server)) {
      throw new ConfigError(`${where}[${index}]`, `expected an IP address with an optional port, e.g. 10.0.0.2, 127.0.0.1:5353 or [fd00::53]:53; got "${server}"`);
    }
    return server;
  });
}

function isDnsServerAddress(server: string): boolean {
  const withPort = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(server) ?? /^([\d.]+):(\d{1,5})$/.exec(server);
  const [address, port] = withPort ? [withPort[1], withPort[2]] : [server, undefined];
  return isIP(address) !== 0 && (port === undefined || (Number(port) >= 1 && Number(port) <= 65535));
}
