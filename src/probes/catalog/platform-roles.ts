import type { SqlSession } from '../../sessions/sql-session.js';

/**
 * Roles Azure Database for PostgreSQL creates and manages itself: customers cannot change them, so
 * holding them to least privilege or to an expiry would fail every Azure server for nothing. The
 * evidence lists each one it saw as exempt, so an auditor can tell them from declared ones.
 */
export const AZURE_POSTGRES_PLATFORM_ROLES: ReadonlySet<string> = new Set(['azuresu', 'azure_superuser', 'azure_pg_admin', 'replication']);

/** Databases Azure keeps for itself; customers' roles may not connect to azure_maintenance. */
export const AZURE_POSTGRES_PLATFORM_DATABASES: ReadonlySet<string> = new Set(['azure_maintenance']);

/**
 * Whether the server is an Azure one, so that the platform roles are Azure's and not a customer's
 * roles that happen to share a name ("replication" is a common one): Azure keeps a superuser of its
 * own, azuresu (flexible server) or azure_superuser (single server), and customers may not be
 * superusers there.
 */
export async function runsAzurePlatformRoles(session: SqlSession): Promise<boolean> {
  const [row] = await session.query<{ azure: boolean }>("SELECT EXISTS (SELECT 1 FROM pg_roles WHERE rolsuper AND rolname IN ('azuresu', 'azure_superuser')) AS azure");
  return row?.azure === true;
}

/** The platform roles a check may exempt: none unless the server is an Azure one (absent: evidence from before it was read). */
export function exemptPlatformRoles(azurePlatform: boolean | undefined): ReadonlySet<string> {
  return azurePlatform === false ? new Set() : AZURE_POSTGRES_PLATFORM_ROLES;
}
