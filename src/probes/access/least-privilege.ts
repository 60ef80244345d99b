import { failed, passed } from '../../controls/judgement.js';
import type { Target } from '../../targets/target.js';
import { readCatalog } from '../catalog/catalog-session.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import { findingOf, type Finding } from '../finding.js';
import { AZURE_POSTGRES_PLATFORM_ROLES } from '../catalog/platform-roles.js';
import type { SqlSession } from '../sql/sql-session.js';

interface Holding {
  account: string;
  rights: string[];
}

/** MySQL global privileges that let an ordinary account widen its own reach. */
const MYSQL_RISKY_PRIVILEGES: Record<string, string> = {
  Create_user: 'CREATE USER (creates and alters accounts)',
  Create_role: 'CREATE ROLE',
  Create: 'CREATE on *.* (creates databases)',
  Repl_slave: 'REPLICATION SLAVE (reads the whole change stream)',
  File: 'FILE (reads and writes server files)',
  Grant: 'GRANT OPTION on *.*',
};

/**
 * access.least-privilege: accounts that are not administrators (superusers, SUPER / ALL PRIVILEGES
 * holders, which access.app-not-superuser judges) hold no right to create roles or databases,
 * replicate, touch server files, grant, or create in another owner's schema, unless allowed.
 */
export function checkLeastPrivilege(target: Target): Promise<Finding> {
  return findingOf(async () => {
    const allowed = new Set(target.allow?.privileged ?? []);
    const { readAs, result } = await readCatalog(target, 'account privileges', (session) =>
      target.engine === 'postgres' ? postgresHoldings(session) : mysqlHoldings(session),
    );
    const platform = target.engine === 'postgres' ? AZURE_POSTGRES_PLATFORM_ROLES : new Set<string>();
    const offenders = result.filter((holding) => !allowed.has(holding.account.replace(/^'([^']*)'@.*$/, '$1')) && !platform.has(holding.account));
    const exempted = result.filter((holding) => !offenders.includes(holding));
    const evidence = { readAs, offenders, exempt: exempted.map((holding) => ({ ...holding, because: platform.has(holding.account) ? 'Azure platform role' : 'declared in allow.privileged' })) };
    return {
      evidence,
      judgement: offenders.length > 0
        ? failed(`non-admin accounts hold privileged rights: ${offenders.map((holding) => `${holding.account} (${holding.rights.join(', ')})`).join('; ')}`)
        : passed(`no non-admin account holds role-creating, database-creating, replication, FILE, GRANT OPTION or foreign-schema CREATE rights${exempted.length ? ` beyond the ${exempted.length} exempt` : ''} (${readAs})`),
    };
  });
}

async function postgresHoldings(session: SqlSession): Promise<Holding[]> {
  const attributes = await session.query<{ rolname: string; rights: string[] }>(
    `SELECT rolname, array_remove(ARRAY[
              CASE WHEN rolcreaterole THEN 'CREATEROLE' END, CASE WHEN rolcreatedb THEN 'CREATEDB' END,
              CASE WHEN rolreplication THEN 'REPLICATION' END, CASE WHEN rolbypassrls THEN 'BYPASSRLS' END], NULL)::text[] AS rights
       FROM pg_roles
      WHERE NOT rolsuper AND rolname !~ '^pg_' AND (rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)`,
  );
  // Only grants to the role by name: what PUBLIC may do is access.public-schema's question.
  const schemaCreate = await session.query<{ rolname: string; nspname: string }>(
    `SELECT r.rolname, n.nspname
       FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) acl JOIN pg_roles r ON r.oid = acl.grantee
      WHERE acl.privilege_type = 'CREATE' AND NOT r.rolsuper AND r.rolname !~ '^pg_'
        AND NOT pg_has_role(r.oid, n.nspowner, 'MEMBER') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'`,
  );
  const byRole = new Map<string, string[]>(attributes.map((row) => [row.rolname, [...row.rights]]));
  for (const row of schemaCreate) byRole.set(row.rolname, [...(byRole.get(row.rolname) ?? []), `CREATE on schema ${row.nspname} owned by another role`]);
  return [...byRole].map(([account, rights]) => ({ account, rights }));
}

async function mysqlHoldings(session: SqlSession): Promise<Holding[]> {
  const accounts = await readMysqlAccounts(session);
  const databaseGrants = await session.query<{ User: string; Host: string; Db: string }>("SELECT User, Host, Db FROM mysql.db WHERE Grant_priv = 'Y'");
  return accounts
    .filter((account) => !account.locked && !account.allGlobalPrivileges && !account.globalPrivileges.includes('Super'))
    .map((account) => ({
      account: accountName(account),
      rights: [
        ...account.globalPrivileges.filter((privilege) => privilege in MYSQL_RISKY_PRIVILEGES).map((privilege) => MYSQL_RISKY_PRIVILEGES[privilege]),
        ...databaseGrants.filter((grant) => grant.User === account.user && grant.Host === account.host).map((grant) => `GRANT OPTION on ${grant.Db}.*`),
      ],
    }))
    .filter((holding) => holding.rights.length > 0);
}
