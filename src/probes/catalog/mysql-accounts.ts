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
async function readRoleGrants(session: SqlSession, account: Pick<MysqlAccount, 'user' | 'host'>): Promise<Array<Pick<MysqlAccount, 'user' | 'host'>>> {
  const params = [account.user, account.host];
  try {
    // A MariaDB role has host '' (in roles_mapping, a role granted to a role is keyed by host '' too).
    return (await session.query<{ role: string }>('SELECT Role AS role FROM mysql.roles_mapping WHERE User = ? AND Host = ?', params)).map((row) => ({ user: row.role, host: '' }));
  } catch {
    // Not MariaDB: the MySQL 8 table answers, or its error makes the check undecided.
    return (
      await session.query<{ role: string; host: string }>('SELECT FROM_USER AS role, FROM_HOST AS host FROM mysql.role_edges WHERE TO_USER = ? AND TO_HOST = ?', params)
    ).map((row) => ({ user: row.role, host: row.host }));
  }
}

/** MariaDB 10.11's PUBLIC: a role every account holds without a grant of it. */
export const MARIADB_PUBLIC_ROLE = 'PUBLIC';

/** A role an account can use, and the roles in between (empty: granted directly, or PUBLIC). */
export interface ReachedRole {
  role: Pick<MysqlAccount, 'user' | 'host'>;
  via: string[];
}

/** How far role grants are followed; a chain this deep is no configuration anyone means. */
const MAX_ROLE_DEPTH = 16;

/**
 * Every role whose privileges an account can use: granted to it, granted to one of those roles
 * (role chains, any depth), and MariaDB's PUBLIC when the server has it (`accounts` shows it as a
 * role), which every account holds. A granted role counts whether or not it is the default: the
 * account may SET ROLE to it at any time. Each entry says how the account reaches the role.
 */
export async function readReachableRoles(session: SqlSession, account: Pick<MysqlAccount, 'user' | 'host'>, accounts: readonly MysqlAccount[]): Promise<ReachedRole[]> {
  const reached = new Map<string, ReachedRole>();
  const publicRole = accounts.find((candidate) => candidate.isRole && candidate.user === MARIADB_PUBLIC_ROLE);
  let frontier: Array<{ grantee: Pick<MysqlAccount, 'user' | 'host'>; via: string[] }> = [{ grantee: account, via: [] }];
  if (publicRole) frontier.push({ grantee: publicRole, via: [MARIADB_PUBLIC_ROLE] });
  if (publicRole) reached.set(accountName(publicRole), { role: publicRole, via: [] });
  for (let depth = 0; frontier.length > 0; depth++) {
    if (depth > MAX_ROLE_DEPTH) throw new Error(`role grants of ${accountName(account)} nest deeper than ${MAX_ROLE_DEPTH} levels; not followed to the end`);
    const next: typeof frontier = [];
    for (const { grantee, via } of frontier) {
      for (const role of await readRoleGrants(session, grantee)) {
        if (reached.has(accountName(role))) continue;
        reached.set(accountName(role), { role, via });
        next.push({ grantee: role, via: [...via, role.user] });
      }
    }
    frontier = next;
  }
  return [...reached.values()];
}
