import { isIP } from 'node:net';
import { ConfigError } from './config-error.js';

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
  /** `private`: network.private-endpoint is required whatever the profile. */
  access?: 'private';
  /** DNS servers (address or address:port) to resolve the host name with instead of the system resolver. */
  resolver?: string[];
};

const NETWORK_KEYS = new Set(['from', 'access', 'resolver']);
const VANTAGE_KEYS = new Set(['name', 'expect', 'sourceAddress', 'namespace']);
/** What `ip netns` accepts as a name, without path separators or option-like dashes. */
const NAMESPACE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

type Mapping = Record<string, unknown>;

function isMapping(value: unknown): value is Mapping {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function rejectUnknownKeys(mapping: Mapping, allowed: Set<string>, where: string): void {
  for (const key of Object.keys(mapping)) {
    if (!allowed.has(key)) throw new ConfigError(`${where}.${key}`, `unknown key; expected one of ${[...allowed].join(', ')}`);
  }
}

/** The `network` mapping of a config-file target; `where` is e.g. "targets[0].network". */
export function parseNetworkDeclaration(value: unknown, where: string): NetworkDeclaration {
  if (!isMapping(value)) throw new ConfigError(where, 'expected a mapping with from, access and/or resolver');
  rejectUnknownKeys(value, NETWORK_KEYS, where);
  const declaration: NetworkDeclaration = {};
  if (value.from !== undefined) declaration.from = parseVantagePoints(value.from, `${where}.from`);
  if (value.access !== undefined) {
    if (value.access !== 'private') throw new ConfigError(`${where}.access`, 'expected "private" (leave it out when the server may be public)');
    declaration.access = 'private';
  }
  if (value.resolver !== undefined) declaration.resolver = parseResolvers(value.resolver, `${where}.resolver`);
  return declaration;
}

function parseVantagePoints(value: unknown, where: string): VantagePoint[] {
  if (!Array.isArray(value) || value.length === 0) throw new ConfigError(where, 'expected a non-empty list of vantage points');
  const points = value.map((entry, index) => parseVantagePoint(entry, `${where}[${index}]`));
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

function parseVantagePoint(entry: unknown, where: string): VantagePoint {
  if (!isMapping(entry)) throw new ConfigError(where, 'expected a mapping with name, expect and sourceAddress or namespace');
  rejectUnknownKeys(entry, VANTAGE_KEYS, where);
  const { name, expect, sourceAddress, namespace } = entry;
  if (typeof name !== 'string' || name === '') throw new ConfigError(`${where}.name`, 'every vantage point needs a name');
  if (expect !== 'allowed' && expect !== 'denied') throw new ConfigError(`${where}.expect`, `expected allowed or denied, got "${String(expect ?? '')}"`);
  if ((sourceAddress === undefined) === (namespace === undefined)) {
    throw new ConfigError(where, 'give exactly one of sourceAddress (a local address to bind) or namespace (a network namespace to probe from)');
  }
  if (sourceAddress !== undefined && (typeof sourceAddress !== 'string' || isIP(sourceAddress) === 0)) {
    throw new ConfigError(`${where}.sourceAddress`, 'expected an IPv4 or IPv6 address of this machine');
  }
  if (namespace !== undefined && (typeof namespace !== 'string' || !NAMESPACE_NAME.test(namespace))) {
    throw new ConfigError(`${where}.namespace`, 'expected a network namespace name (letters, digits, dot, dash, underscore)');
  }
  return { name, expect, ...(sourceAddress === undefined ? {} : { sourceAddress }), ...(namespace === undefined ? {} : { namespace }) };
}

function parseResolvers(value: unknown, where: string): string[] {
  const list = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(list) || list.length === 0) throw new ConfigError(where, 'expected a DNS server address (or a list), e.g. 10.0.0.2 or 127.0.0.1:5353');
  return list.map((server, index) => {
    if (typeof server !== 'string' || !isDnsServerAddress(server)) {
      throw new ConfigError(`${where}[${index}]`, `expected an IP address with an optional port, e.g. 10.0.0.2, 127.0.0.1:5353 or [fd00::53]:53; got "${String(server)}"`);
    }
    return server;
  });
}

function isDnsServerAddress(server: string): boolean {
  const withPort = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(server) ?? /^([\d.]+):(\d{1,5})$/.exec(server);
  const [address, port] = withPort ? [withPort[1], withPort[2]] : [server, undefined];
  return isIP(address) !== 0 && (port === undefined || (Number(port) >= 1 && Number(port) <= 65535));
}
