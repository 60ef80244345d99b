import { defineCheck } from '../check.js';
import { failed, passed } from '../../controls/judgement.js';
import { accountName, readMysqlAccounts } from '../catalog/mysql-accounts.js';
import { AZURE_POSTGRES_PLATFORM_ROLES } from '../catalog/platform-roles.js';
import type { SqlSession } from '../../sessions/sql-session.js';

export interface Holding {
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

export interface LeastPrivilegeEvidence {
  readAs: string;
  /** Every account that is not an administrator and holds one of the rights looked for. */
  holdings: Holding[];
}

/**
 * PostgreSQL's predefined roles that reach past the database: the host's shell and files (the
 * equivalents of MySQL's FILE), or every table whatever its grants. Membership counts directly or
 * through other roles, when it lets the member use the role's rights or SET ROLE to it.
 */
const POSTGRES_RISKY_ROLES: Record<string, string> = {
  pg_execute_server_program: 'pg_execute_server_program (runs shell commands on the database host through COPY ... PROGRAM)',
  pg_read_server_files: 'pg_read_server_files (reads any file the server can)',
  pg_write_server_files: 'pg_write_server_files (writes any file the server can)',
  pg_read_all_data: 'pg_read_all_data (reads every table, whatever its grants)',
  pg_write_all_data: 'pg_write_all_data (writes every table, whatever its grants)',
};

/**
 * access.least-privilege: accounts that are not administrators (superusers, SUPER / ALL PRIVILEGES
 * holders, which access.app-not-superuser judges) hold no right to create roles or databases,
 * replicate, touch server files, grant, or create in another owner's schema, unless allowed.
 */
export const leastPrivilege = defineCheck<LeastPrivilegeEvidence>({
  id: 'access.least-privilege',
  evidenceTitle: 'privileged rights held',
  async read(context) {
    const { target } = context;
    const { readAs, result } = await context.catalog.read('account privileges', (session) => (target.engine === 'postgres' ? postgresHoldings(session) : mysqlHoldings(session)));
    return { readAs, holdings: result };
  },
  judge({ readAs, holdings }, target) {
    const allowed = new Set(target.allow?.privileged ?? []);
    const platform = target.engine === 'postgres' ? AZURE_POSTGRES_PLATFORM_ROLES : new Set<string>();
    const userOf = (account: string) => account.replace(/^'([^']*)'@.*$/, '$1');
    const offenders = holdings.filter((holding) => !allowed.has(userOf(holding.account)) && !platform.has(holding.account));
    const exempt = holdings
      .filter((holding) => !offenders.includes(holding))
      .map((holding) => `${holding.account} (${platform.has(holding.account) ? 'Azure platform role' : 'declared in allow.privileged'}: ${holding.rights.join(', ')})`);
    if (offenders.length > 0) return failed(`non-admin accounts hold privileged rights: ${offenders.map((holding) => `${holding.account} (${holding.rights.join(', ')})`).join('; ')}`);
    return passed(
      `no non-admin account holds role-creating, database-creating, replication, server-file or program (FILE, pg_*_server_*), all-data, GRANT OPTION or foreign-schema CREATE rights${exempt.length ? `; exempt: ${exempt.join('; ')}` : ''} (${readAs})`,
    );
  },
});

async function postgresHoldings(session: SqlSession): Promise<Holding[]> {
  const attributes = await session.query<{ rolname: string; rights: string[] }>(
    `SELECT rolname, array_remove(ARRAY[
              CASE WHEN rolcreaterole THEN 'CREATEROLE' END, CASE WHEN rolcreatedb THEN 'CREATEDB' END,
              CASE WHEN rolreplication THEN 'REPLICATION' END, CASE WHEN rolbypassrls THEN 'BYPASSRLS' END], NULL)::text[] AS rights
       FROM pg_roles
      WHERE NOT rolsuper AND rolname !~ '^pg_' AND (rolcreaterole OR rolcreatedb OR rolreplication OR rolbypassrls)`,
  );
  // Predefined roles that reach the host or every table; only those this server version has are joined.
  // From 16 a membership may allow neither SET ROLE nor inheritance, and then confers nothing.
  const [{ version }] = await session.query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version");
  const reaches = version >= 160000 ? "(pg_has_role(r.oid, p.oid, 'USAGE') OR pg_has_role(r.oid, p.oid, 'SET'))" : "pg_has_role(r.oid, p.oid, 'MEMBER')";
  const predefined = await session.query<{ rolname: string; granted: string[] }>(
    `SELECT r.rolname, array_agg(p.rolname ORDER BY p.rolname)::text[] AS granted
       FROM pg_roles r JOIN pg_roles p ON p.rolname = ANY($1::text[])
      WHERE NOT r.rolsuper AND r.rolname !~ '^pg_' AND ${reaches}
      GROUP BY r.rolname`,
    [Object.keys(POSTGRES_RISKY_ROLES)],
  );
  // Only grants to the role by name: what PUBLIC may do is access.public-schema's question.
  const schemaCreate = await session.query<{ rolname: string; nspname: string }>(
    `SELECT r.rolname, n.nspname
       FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) acl JOIN pg_roles r ON r.oid = acl.grantee
      WHERE acl.privilege_type = 'CREATE' AND NOT r.rolsuper AND r.rolname !~ '^pg_'
        AND NOT pg_has_role(r.oid, n.nspowner, 'MEMBER') AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'`,
  );
  const byRole = new Map<string, string[]>(attributes.map((row) => [row.rolname, [...row.rights]]));
  for (const row of predefined) byRole.set(row.rolname, [...(byRole.get(row.rolname) ?? []), ...row.granted.map((role) => POSTGRES_RISKY_ROLES[role])]);
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
