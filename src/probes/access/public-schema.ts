import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';

export interface PublicSchemaEvidence {
  readAs: string;
  database: string;
  schemaPublicExists: boolean;
  acl: string | null;
  publicCanCreate: boolean | null;
}

/** access.public-schema (PostgreSQL): in the target's database, PUBLIC may not CREATE in schema public. */
export const publicSchema = defineCheck<PublicSchemaEvidence>({
  id: 'access.public-schema',
  evidenceTitle: 'privileges on schema public',
  async read(context) {
    const { readAs, result } = await context.catalog.read('the privileges on schema public', (session) =>
      session.query<{ database: string; exists: boolean; public_can_create: boolean | null; acl: string | null }>(
        `SELECT current_database() AS database, n.oid IS NOT NULL AS exists,
                has_schema_privilege('public', n.oid, 'CREATE') AS public_can_create, n.nspacl::text AS acl
           FROM (SELECT 1) one LEFT JOIN pg_namespace n ON n.nspname = 'public'`,
      ),
    );
    const [row] = result;
    return { readAs, database: row.database, schemaPublicExists: row.exists, acl: row.acl, publicCanCreate: row.public_can_create };
  },
  judge({ database, schemaPublicExists, acl, publicCanCreate }) {
    if (!schemaPublicExists) return passed(`database "${database}" has no schema public`);
    if (publicCanCreate === null) return undecided(`the privileges of PUBLIC on schema public in "${database}" could not be read`);
    return publicCanCreate
      ? failed(`in database "${database}" every role (PUBLIC) may CREATE in schema public (ACL ${acl ?? 'default'})`)
      : passed(`in database "${database}" PUBLIC may not CREATE in schema public (ACL ${acl ?? 'default'})`);
  },
});
