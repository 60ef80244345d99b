import type { SqlSession } from '../../sessions/sql-session.js';

/** What PUBLIC may do on schema public in one database. */
export interface SchemaPublicInDatabase {
  database: string;
  schemaPublicExists: boolean;
  acl: string | null;
  publicCanCreate: boolean | null;
}

export function readSchemaPublic(session: SqlSession) {
  return session.query<{ database: string; exists: boolean; public_can_create: boolean | null; acl: string | null }>(
    `SELECT current_database() AS database, n.oid IS NOT NULL AS exists,
            has_schema_privilege('public', n.oid, 'CREATE') AS public_can_create, n.nspacl::text AS acl
       FROM (SELECT 1) one LEFT JOIN pg_namespace n ON n.nspname = 'public'`,
  );
}

export const inDatabase = (row: Awaited<ReturnType<typeof readSchemaPublic>>[number]): SchemaPublicInDatabase => ({ database: row.database, schemaPublicExists: row.exists, acl: row.acl, publicCanCreate: row.public_can_create });
