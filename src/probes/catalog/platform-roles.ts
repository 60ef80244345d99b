/**
 * Roles Azure Database for PostgreSQL creates and manages itself: customers cannot change them, so
 * holding them to least privilege or to an expiry would fail every Azure server for nothing. The
 * evidence lists each one it saw as exempt, so an auditor can tell them from declared ones.
 */
export const AZURE_POSTGRES_PLATFORM_ROLES: ReadonlySet<string> = new Set(['azuresu', 'azure_superuser', 'azure_pg_admin', 'replication']);

/** Databases Azure keeps for itself; customers' roles may not connect to azure_maintenance. */
export const AZURE_POSTGRES_PLATFORM_DATABASES: ReadonlySet<string> = new Set(['azure_maintenance']);
