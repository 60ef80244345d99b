import { postgresClient, mysqlClient } from '../probes/plane/plane-clients.js';
import { listAll, planeRead, ROLES } from '../probes/plane/plane-errors.js';
import type { AzureAccess } from '../probes/plane/plane-session.js';
import type { Engine } from '../targets/target.js';

/** Which servers to list: subscriptions, optionally narrowed to resource groups and tags. */
export interface DiscoveryScope {
  subscriptions: string[];
  /** Empty: every resource group of each subscription. */
  resourceGroups: string[];
  /** key=value pairs a server must all carry (key compared without case, value exactly). */
  tags: Array<{ key: string; value: string }>;
}

export interface DiscoveredServer {
  id: string;
  name: string;
  engine: Engine;
  subscriptionId: string;
  location?: string;
  fullyQualifiedDomainName?: string;
  version?: string;
  replicationRole?: string;
  tags: Record<string, string>;
}

/**
 * Lists the PostgreSQL and MySQL flexible servers in scope through ARM list calls (the plain
 * path that works on Node 20; Resource Graph would need Node 22). Every listing must succeed:
 * a fleet listed in part would silently drop servers from the assessment.
 */
export async function discoverServers(access: AzureAccess, scope: DiscoveryScope): Promise<DiscoveredServer[]> {
  const found: DiscoveredServer[] = [];
  for (const subscriptionId of scope.subscriptions) {
    const postgres = await postgresClient(access, subscriptionId);
    const mysql = await mysqlClient(access, subscriptionId);
    const groups = scope.resourceGroups.length > 0 ? scope.resourceGroups : [undefined];
    for (const group of groups) {
      const where = group ? `resource group ${group} of subscription ${subscriptionId}` : `subscription ${subscriptionId}`;
      const pg = await planeRead(access, `the PostgreSQL flexible servers of ${where}`, ROLES.armReader, () => listAll(group ? postgres.servers.listByResourceGroup(group) : postgres.servers.listBySubscription()));
      const my = await planeRead(access, `the MySQL flexible servers of ${where}`, ROLES.armReader, () => listAll(group ? mysql.servers.listByResourceGroup(group) : mysql.servers.list()));
      for (const [engine, servers] of [['postgres', pg ?? []], ['mysql', my ?? []]] as const) {
        for (const server of servers as Array<Record<string, any>>) {
          found.push({
            id: server.id,
            name: server.name,
            engine,
            subscriptionId,
            location: server.location,
            fullyQualifiedDomainName: server.fullyQualifiedDomainName,
            version: server.version,
            replicationRole: server.replicationRole,
            tags: server.tags ?? {},
          });
        }
      }
    }
  }
  return found.filter((server) => scope.tags.every(({ key, value }) => Object.entries(server.tags).some(([tag, tagValue]) => tag.toLowerCase() === key.toLowerCase() && tagValue === value)));
}
