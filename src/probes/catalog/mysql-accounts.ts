import type { SqlSession } from '../../sessions/sql-session.js';

/** One row of mysql.user as both MySQL 8 and MariaDB present it, with the lock state added. */
export interface MysqlAccount {
  user: string;
  host: string;
  plugin: string;
  hasCredential: boolean;
  /** A password plugin with an empty stored password: anyone may log in with no password. */
  passwordless: boolean;
  locked: boolean;
  isRole: boolean;
  /** Global privileges held, by column name without "_priv" (Super, File, Grant, ...). */
  globalPrivileges: string[];
  /** Every global privilege column is Y: ALL PRIVILEGES ON *.*. */
  allGlobalPrivileges: boolean;
  /** mysql.user ssl_type: '' (no TLS requirement), ANY (REQUIRE SSL), X509 or SPECIFIED. */
  sslType: string;
}

/** MariaDB writes "invalid" for an account that cannot log in by password at all. */
const NO_PASSWORD_POSSIBLE = new Set(['', 'invalid']);
/** Plugins that check a password (as opposed to unix_socket, pam, gssapi, which ask someone else). */
export const PASSWORD_PLUGINS = new Set(['', 'mysql_native_password', 'mysql_old_password', 'caching_sha2_password', 'sha256_password', 'ed25519']);

export const accountName = (account: Pick<MysqlAccount, 'user' | 'host'>) => `'${account.user}'@'${account.host}'`;

export async function readMysqlAccounts(session: SqlSession): Promise<MysqlAccount[]> {
  const rows = await session.query<Record<string, unknown>>('SELECT * FROM mysql.user');
  const lockedOnMariaDb = rows.length > 0 && !('account_locked' in rows[0]) ? await mariaDbLockedAccounts(session) : new Set<string>();
  return rows.map((row) => {
    const user = String(row.User ?? row.user ?? '');
    const host = String(row.Host ?? row.host ?? '');
    const privilegeColumns = Object.keys(row).filter((column) => column.endsWith('_priv'));
    const globalPrivileges = privilegeColumns.filter((column) => row[column] === 'Y').map((column) => column.replace(/_priv$/, ''));
    const credential = String(row.authentication_string ?? row.Password ?? '');
    const plugin = String(row.plugin ?? '');
    return {
      user,
      host,
      plugin,
      hasCredential: !NO_PASSWORD_POSSIBLE.has(credential),
      passwordless: credential === '' && PASSWORD_PLUGINS.has(plugin),
      locked: row.account_locked === 'Y' || lockedOnMariaDb.has(`${user}@${host}`),
      isRole: row.is_role === 'Y',
      globalPrivileges,
      allGlobalPrivileges: privilegeColumns.length > 0 && globalPrivileges.length === privilegeColumns.length,
      sslType: String(row.ssl_type ?? ''),
    };
  });
}

async function mariaDbLockedAccounts(session: SqlSession): Promise<Set<string>> {
  const rows = await session.query<{ User: string; Host: string }>(
    "SELECT User, Host FROM mysql.global_priv WHERE JSON_VALUE(Priv, '$.account_locked') IN ('true', '1')",
  );
  return new Set(rows.map((row) => `${row.User}@${row.Host}`));
}

/** Roles granted to an account: MariaDB keeps them in roles_mapping, MySQL 8 in role_edges. */
export async function readGrantedRoles(session: SqlSession, account: Pick<MysqlAccount, 'user' | 'host'>): Promise<string[]> {
  const params = [account.user, account.host];
  try {
    return (await session.query<{ role: string }>('SELECT Role AS role FROM mysql.roles_mapping WHERE User = ? AND Host = ?', params)).map((row) => row.role);
  } catch {
    // Not MariaDB: the MySQL 8 table answers, or its error makes the check undecided.
    return (await session.query<{ role: string }>('SELECT FROM_USER AS role FROM mysql.role_edges WHERE TO_USER = ? AND TO_HOST = ?', params)).map((row) => row.role);
  }
}
