import type { Engine } from '../../targets/target.js';

/** A flexible server's place in Azure, parsed from its resource id. */
export interface ServerResource {
  id: string;
  subscriptionId: string;
  resourceGroup: string;
  name: string;
  engine: Engine;
  /** Microsoft.DBforPostgreSQL or Microsoft.DBforMySQL. */
  provider: string;
}

const SERVER_ID = /^\/subscriptions\/([^/]+)\/resourceGroups\/([^/]+)\/providers\/(Microsoft\.DBforPostgreSQL|Microsoft\.DBforMySQL)\/flexibleServers\/([^/]+)\/?$/i;

/** Undefined when the id is not a PostgreSQL or MySQL flexible server's (ARM ids are case-insensitive). */
export function parseServerResourceId(id: string): ServerResource | undefined {
  const match = SERVER_ID.exec(id.trim());
  if (!match) return undefined;
  const [, subscriptionId, resourceGroup, provider, name] = match;
  const engine: Engine = provider.toLowerCase() === 'microsoft.dbforpostgresql' ? 'postgres' : 'mysql';
  return { id: id.trim().replace(/\/$/, ''), subscriptionId, resourceGroup, name, engine, provider: engine === 'postgres' ? 'Microsoft.DBforPostgreSQL' : 'Microsoft.DBforMySQL' };
}

/** ARM ids compare case-insensitively. */
export function sameResourceId(a: string | undefined, b: string | undefined): boolean {
  return a !== undefined && b !== undefined && a.replace(/\/$/, '').toLowerCase() === b.replace(/\/$/, '').toLowerCase();
}
