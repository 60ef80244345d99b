import { stringify } from 'yaml';
import type { ProfileName } from '../targets/target.js';
import type { DiscoveredServer } from './discover-servers.js';

/** What the user chose for every discovered target: names of things, never a secret. */
export interface DiscoveryChoices {
  profile: ProfileName;
  /** The account to log in as, and the environment variable holding its password; absent: no login. */
  user?: string;
  passwordEnv?: string;
  /** Plane only: no host is written, the servers are assessed on the Azure plane alone. */
  planeOnly?: boolean;
  azure: {
    tenantId?: string;
    clientId?: string;
    clientSecretEnv?: string;
    authorityHost?: string;
    armEndpoint?: string;
    keyVaultDnsSuffix?: string;
    caFile?: string;
  };
}

const SAFE = /[^A-Za-z0-9._-]/g;

/** A config file (YAML text) with one target per server, in the order found, with unique names. */
export function discoveredConfig(servers: readonly DiscoveredServer[], choices: DiscoveryChoices, header: string): string {
  const used = new Set<string>();
  const targets = servers.map((server) => {
    let name = server.name.replace(SAFE, '_').slice(0, 60) || 'server';
    for (let suffix = 2; used.has(name); suffix++) name = `${server.name.replace(SAFE, '_').slice(0, 56)}-${suffix}`;
    used.add(name);
    const reachable = !choices.planeOnly && server.fullyQualifiedDomainName;
    const azure = Object.fromEntries(Object.entries({ resourceId: server.id, ...choices.azure }).filter(([, value]) => value !== undefined));
    return {
      name,
      ...(reachable
        ? {
            engine: server.engine,
            host: server.fullyQualifiedDomainName,
            ...(choices.user ? { user: choices.user } : {}),
            ...(choices.user && choices.passwordEnv ? { passwordEnv: choices.passwordEnv } : {}),
            ...(server.engine === 'postgres' && choices.user ? { database: 'postgres' } : {}),
          }
        : {}),
      profile: choices.profile,
      azure,
    };
  });
  return `${header.split('\n').map((line) => `# ${line}`).join('\n')}\n${stringify({ targets })}`;
}
