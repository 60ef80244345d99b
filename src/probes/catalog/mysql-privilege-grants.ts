import type { SqlSession } from '../../sessions/sql-session.js';
import type { MysqlAccount } from './mysql-accounts.js';

/**
 * MySQL/MariaDB grants that mysql.user's privilege columns do not show, read once for every
 * account check: writes on the mysql system database at database, table and column level, MariaDB
 * privileges that only mysql.global_priv's access mask holds, and PROXY grants. Each names its
 * grantee as 'user'@'host' (a MariaDB role has host '').
 */

type AccountKey = Pick<MysqlAccount, 'user' | 'host'>;

/** Writes on the mysql system database: the grant tables, so accounts, passwords and grants (CREATE USER asks no more than INSERT there), and mysql.proc's routines. */
export const SYSTEM_DATABASE_WRITES = ['Insert', 'Update', 'Delete', 'Create', 'Drop', 'Alter'];

/** A grant of writes that reach the mysql system database; `where` completes "INSERT, UPDATE ..." ("on mysql.*, which covers the mysql system database"). */
export interface SystemDatabaseWrite {
  grantee: AccountKey;
  /** Column names without "_priv" (Insert, Update, ...), as SYSTEM_DATABASE_WRITES spells them. */
  privileges: string[];
  where: string;
  /** The mysql table the grant names; absent for a grant on a database pattern. */
  table?: string;
  /** A mysql.db row for any user name (User ''): every account logging in from its Host holds it (mysql-stored-routines.ts, anyUserRowText). */
  anyUser?: true;
}

/** "INSERT, UPDATE on mysql.*, which covers ...": the write as least-privilege and app-not-superuser name it. */
export const describeSystemWrite = (privileges: readonly string[], where: string) => `${privileges.join(', ').toUpperCase()} ${where}`;

/** What covers the mysql system database in a global grant (on *.*): the account row's own columns. */
export const GLOBAL_SYSTEM_WRITE_WHERE = 'on *.*, which covers the mysql system database';

/**
 * Writes on the mysql system database granted below the global level: on a database pattern that
 * matches mysql (LIKE: `%`.* and `m%`.* reach it too), on one of its tables, or on columns of one
 * (UPDATE (Priv) ON mysql.global_priv is enough to rewrite an account's privileges).
 */
export async function readSystemDatabaseWrites(session: SqlSession): Promise<SystemDatabaseWrite[]> {
  const found: SystemDatabaseWrite[] = [];
  const databaseGrants = await session.query<Record<string, string>>(
    `SELECT User, Host, Db, ${SYSTEM_DATABASE_WRITES.map((privilege) => `${privilege}_priv`).join(', ')} FROM mysql.db WHERE 'mysql' LIKE Db`,
  );
  for (const grant of databaseGrants) {
    const privileges = SYSTEM_DATABASE_WRITES.filter((privilege) => grant[`${privilege}_priv`] === 'Y');
    if (privileges.length === 0) continue;
    found.push(
      grant.User === ''
        ? { grantee: { user: '', host: grant.Host }, privileges, where: `on ${grant.Db}.* for any user name (mysql.db's row for '' at host '${grant.Host}'), which covers the mysql system database`, anyUser: true }
        : { grantee: { user: grant.User, host: grant.Host }, privileges, where: `on ${grant.Db}.*, which covers the mysql system database` },
    );
  }
  const tableGrants = await session.query<{ User: string; Host: string; Table_name: string; Table_priv: string; Column_priv: string }>(
    "SELECT User, Host, Table_name, Table_priv, Column_priv FROM mysql.tables_priv WHERE Db = 'mysql'",
  );
  for (const grant of tableGrants) {
    const grantee = { user: grant.User, host: grant.Host };
    const onTable = String(grant.Table_priv).split(',').filter((privilege) => SYSTEM_DATABASE_WRITES.includes(privilege));
    if (onTable.length > 0) found.push({ grantee, privileges: onTable, where: `on the system table mysql.${grant.Table_name}`, table: grant.Table_name });
    const onColumns = String(grant.Column_priv).split(',').filter((privilege) => SYSTEM_DATABASE_WRITES.includes(privilege));
    if (onColumns.length > 0) found.push({ grantee, privileges: onColumns, where: `on columns of the system table mysql.${grant.Table_name}`, table: grant.Table_name });
  }
  return found;
}

/** MariaDB's SET USER, by its bit in mysql.global_priv's access mask. */
export const MARIADB_SET_USER_BIT = 30;

/**
 * MariaDB privileges that mysql.user (a view kept for old clients) has no column for, by their bit
 * in mysql.global_priv's access mask (sql/privilege.h, 10.5 on). Each one hands over more than it
 * says: SET USER makes a procedure run as any account (DEFINER = root), BINLOG REPLAY applies row
 * events without privilege checks, REPLICATION SLAVE ADMIN points replication at a server of the
 * holder's choosing, whose changes are applied unchecked.
 */
const MARIADB_UNLISTED_PRIVILEGES: Record<number, string> = {
  [MARIADB_SET_USER_BIT]: 'SET USER (creates objects that run as any account, root included)',
  34: 'REPLICATION SLAVE ADMIN (replicates from a server of its choosing)',
  37: 'BINLOG REPLAY (applies binary log events without privilege checks)',
};

export interface UnlistedPrivilege {
  grantee: AccountKey;
  bit: number;
  right: string;
}

/** MariaDB: the unlisted privileges each account or role holds; MySQL has none of them (and no mysql.global_priv). */
export async function readMariaDbUnlistedPrivileges(session: SqlSession): Promise<UnlistedPrivilege[]> {
  const [{ version }] = await session.query<{ version: string }>('SELECT @@version AS version');
  if (!/mariadb/i.test(version)) return [];
  const rows = await session.query<{ User: string; Host: string; access: string | number | null }>(
    "SELECT User, Host, CAST(JSON_VALUE(Priv, '$.access') AS UNSIGNED) AS access FROM mysql.global_priv",
  );
  return rows.flatMap((row) =>
    Object.entries(MARIADB_UNLISTED_PRIVILEGES)
      .filter(([bit]) => (BigInt(row.access ?? 0) >> BigInt(bit)) & 1n)
      .map(([bit, right]) => ({ grantee: { user: row.User, host: row.Host }, bit: Number(bit), right })),
  );
}

/** GRANT PROXY ON proxied TO grantee: the grantee may log in with the proxied account's privileges, and with grant option pass that on. */
export interface ProxyGrant {
  grantee: AccountKey;
  /** ''@'' (MariaDB and MySQL's default row for root): every account. */
  proxied: AccountKey;
  withGrant: boolean;
}

/** Every PROXY grant, MariaDB and MySQL alike (mysql.proxies_priv). */
export async function readProxyGrants(session: SqlSession): Promise<ProxyGrant[]> {
  const rows = await session.query<{ User: string; Host: string; Proxied_user: string; Proxied_host: string; With_grant: number | string }>(
    'SELECT User, Host, Proxied_user, Proxied_host, With_grant FROM mysql.proxies_priv',
  );
  return rows.map((row) => ({ grantee: { user: row.User, host: row.Host }, proxied: { user: row.Proxied_user, host: row.Proxied_host }, withGrant: Number(row.With_grant) === 1 }));
}

/** How least-privilege names a PROXY grant. */
export function describeProxyGrant({ proxied, withGrant }: ProxyGrant): string {
  const whom = proxied.user === '' && proxied.host === '' ? 'every account' : `'${proxied.user}'@'${proxied.host}'`;
  return `PROXY on ${whom} (logs in as it where the login's plugin maps users: PAM or LDAP, or the built-in ones with check_proxy_users on)${withGrant ? ' WITH GRANT OPTION (may grant proxying to others)' : ''}`;
}
