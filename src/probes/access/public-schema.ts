import { failed, passed } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import { readCatalog } from '../catalog/catalog-session.js';
import { findingOf, type Finding } from '../finding.js';

/** access.public-schema (PostgreSQL): in the target's database, PUBLIC may not CREATE in schema public. */
export function checkPublicSchema(target: Target): Promise<Finding> {
  return findingOf(async () => {
    const { readAs, result } = await readCatalog(target, 'the privileges on schema public', (session) =>
      session.query<{ database: string; exists: boolean; public_can_create: boolean | null; acl: string | null }>(
        `SELECT current_database() AS database, n.oid IS NOT NULL AS exists,
                has_schema_privilege('public', n.oid, 'CREATE') AS public_can_create, n.nspacl::text AS acl
           FROM (SELECT 1) one LEFT JOIN pg_namespace n ON n.nspname = 'public'`,
      ),
    );
    const [row] = result;
    const evidence = { readAs, database: row.database, schemaPublicExists: row.exists, acl: row.acl, publicCanCreate: row.public_can_create };
    if (!row.exists) return { evidence, judgement: passed(`database "${row.database}" has no schema public`) };
    return {
      evidence,
      judgement: row.public_can_create
        ? failed(`in database "${row.database}" every role (PUBLIC) may CREATE in schema public (ACL ${row.acl ?? 'default'})`)
        : passed(`in database "${row.database}" PUBLIC may not CREATE in schema public (ACL ${row.acl ?? 'default'})`),
    };
  });
}
