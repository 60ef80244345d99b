import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { readOtherDatabaseCatalog } from './other-database-catalog.js';
import { inDatabase, readSchemaPublic, type SchemaPublicInDatabase } from './schema-public-read.js';

export type { SchemaPublicInDatabase };

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

/** access.public-schema (PostgreSQL): in every database that accepts connections, PUBLIC may not CREATE in schema public. */
export const publicSchema = defineCheck<PublicSchemaEvidence>({
  id: 'access.public-schema',
  evidenceTitle: 'privileges on schema public, per database',
  async read(context) {
    const { readAs, result } = await context.catalog.read('the privileges on schema public', readSchemaPublic);
    const others = await readOtherDatabaseCatalog(context);
    return {
      readAs,
      ...inDatabase(result[0]),
      otherDatabases: [...others.results.map(({ result: { schemaPublic } }) => inDatabase(schemaPublic[0])), ...others.unreadable.map(({ database, reason, platform }) => ({ database, unreadable: reason, ...(platform ? { platform } : {}) }))],
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
    const elsewhere = otherDatabases === undefined ? '' : `; nor in the ${read.length} other databases that accept connections${read.length > 0 ? ` (${read.map((entry) => (entry.schemaPublicExists ? entry.database : `${entry.database}: no schema public`)).join(', ')})` : ''}${platform.length > 0 ? `; not readable, Azure platform databases: ${platform.join(', ')}` : ''}`;
    return passed(`${home}${elsewhere}`);
  },
});
