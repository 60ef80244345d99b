import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import type { SqlSession } from '../../sessions/sql-session.js';
import { readEveryOtherDatabase } from '../catalog/other-databases.js';

/** What PUBLIC may do on schema public in one database. */
export interface SchemaPublicInDatabase {
  database: string;
  schemaPublicExists: boolean;
  acl: string | null;
  publicCanCreate: boolean | null;
}

export interface PublicSchemaEvidence extends SchemaPublicInDatabase {
  readAs: string;
  /**
   * Every other database that accepts connections: schema public is per database, and a role that
   * may log in to one (the login-path controls show which) may create in its schema public. Absent
   * in evidence from before they were read.
   */
  otherDatabases?: ReadonlyArray<SchemaPublicInDatabase | { database: string; unreadable: string; platform?: true }>;
  /** Why the other databases could not be listed, or that there were more than the bound. */
  otherDatabasesProblem?: string;
}

function readSchemaPublic(session: SqlSession) {
  return session.query<{ database: string; exists: boolean; public_can_create: boolean | null; acl: string | null }>(
    `SELECT current_database() AS database, n.oid IS NOT NULL AS exists,
            has_schema_privilege('public', n.oid, 'CREATE') AS public_can_create, n.nspacl::text AS acl
       FROM (SELECT 1) one LEFT JOIN pg_namespace n ON n.nspname = 'public'`,
  );
}

const inDatabase = (row: Awaited<ReturnType<typeof readSchemaPublic>>[number]): SchemaPublicInDatabase => ({ database: row.database, schemaPublicExists: row.exists, acl: row.acl, publicCanCreate: row.public_can_create });

/** access.public-schema (PostgreSQL): in every database that accepts connections, PUBLIC may not CREATE in schema public. */
export const publicSchema = defineCheck<PublicSchemaEvidence>({
  id: 'access.public-schema',
  evidenceTitle: 'privileges on schema public, per database',
  async read(context) {
    const { readAs, result } = await context.catalog.read('the privileges on schema public', readSchemaPublic);
    const others = await readEveryOtherDatabase(context, 'the privileges on schema public', readSchemaPublic);
    return {
      readAs,
      ...inDatabase(result[0]),
      otherDatabases: [...others.results.map(({ result: rows }) => inDatabase(rows[0])), ...others.unreadable.map(({ database, reason, platform }) => ({ database, unreadable: reason, ...(platform ? { platform } : {}) }))],
      ...(others.problem ? { otherDatabasesProblem: others.problem } : {}),
    };
  },
  judge({ database, schemaPublicExists, acl, publicCanCreate, otherDatabases, otherDatabasesProblem }) {
    const others = otherDatabases ?? [];
    const creatable = [{ database, schemaPublicExists, acl, publicCanCreate }, ...others].filter((entry): entry is SchemaPublicInDatabase => 'publicCanCreate' in entry && entry.publicCanCreate === true);
    if (creatable.length > 0) return failed(`every role (PUBLIC) may CREATE in schema public in ${creatable.map((entry) => `database "${entry.database}" (ACL ${entry.acl ?? 'default'})`).join(', ')}`);
    if (schemaPublicExists && publicCanCreate === null) return undecided(`the privileges of PUBLIC on schema public in "${database}" could not be read`);
    const unknown = others.filter((entry) => ('unreadable' in entry && !entry.platform) || ('publicCanCreate' in entry && entry.schemaPublicExists && entry.publicCanCreate === null));
    if (unknown.length > 0) return undecided(`schema public could not be read in ${unknown.map((entry) => `"${entry.database}"${'unreadable' in entry ? ` (${entry.unreadable})` : ''}`).join(', ')}`);
    if (otherDatabasesProblem) return undecided(otherDatabasesProblem);
    const home = schemaPublicExists ? `in database "${database}" PUBLIC may not CREATE in schema public (ACL ${acl ?? 'default'})` : `database "${database}" has no schema public`;
    const read = others.filter((entry): entry is SchemaPublicInDatabase => 'publicCanCreate' in entry);
    const platform = others.filter((entry) => 'unreadable' in entry && entry.platform).map((entry) => entry.database);
    const elsewhere = otherDatabases === undefined ? '' : `; nor in the ${read.length} other databases that accept connections${read.length > 0 ? ` (${read.map((entry) => entry.database).join(', ')})` : ''}${platform.length > 0 ? `; not readable, Azure platform databases: ${platform.join(', ')}` : ''}`;
    return passed(`${home}${elsewhere}`);
  },
});
