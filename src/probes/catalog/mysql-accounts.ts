import type { SqlSession } from '../../sessions/sql-session.js';
import { authPluginKind, checksStoredPassword } from './mysql-auth-plugins.js';

/** One row of mysql.user as both MySQL 8 and MariaDB present it, with the lock state added. */
export interface MysqlAccount {
  user: string;
  host: string;
  /** The plugin mysql.user shows; on MariaDB, one of possibly several alternatives (IDENTIFIED VIA a OR b). */
  plugin: string;
  /** Every plugin, of every alternative, that holds a password: what a stolen row gives away. */
  passwordPlugins: string[];
  hasCredential: boolean;
  /** A password plugin with an empty stored password, in any alternative: anyone may log in with no password. */
  passwordless: boolean;
  /**
   * Plugins this harness does not know (mysql-auth-plugins.ts) that the account may log in with and
   * whose stored credential is empty: whether they let anyone in with no password is not known.
   */
  unknownPluginsWithoutCredential: string[];
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

export const accountName = (account: Pick<MysqlAccount, 'user' | 'host'>) => `'${account.user}'@'${account.host}'`;

export async function readMysqlAccounts(session: SqlSession): Promise<MysqlAccount[]> {
  const rows = await session.query<Record<string, unknown>>('SELECT * FROM mysql.user');
  const mariaDb = rows.length > 0 && !('account_locked' in rows[0]);
  const lockedOnMariaDb = mariaDb ? await mariaDbLockedAccounts(session) : new Set<string>();
  const alternativesOnMariaDb = mariaDb ? await mariaDbAuthAlternatives(session) : new Map<string, AuthAlternative[]>();
  return rows.map((row) => accountFromRow(row, alternativesOnMariaDb.get(`${userOf(row)}@${hostOf(row)}`) ?? [], lockedOnMariaDb));
}

// MySQL 8 names mysql.user's columns User and Host; some views and versions spell them in lower case.
const userOf = (row: Record<string, unknown>) => String(row.User ?? row.user ?? '');
const hostOf = (row: Record<string, unknown>) => String(row.Host ?? row.host ?? '');

/** One mysql.user row, with MariaDB's other alternatives of IDENTIFIED VIA a OR b (global_priv's auth_or) and its locked accounts. */
export function accountFromRow(row: Record<string, unknown>, others: readonly AuthAlternative[], lockedOnMariaDb: ReadonlySet<string> = new Set()): MysqlAccount {
  const user = userOf(row);
  const host = hostOf(row);
  const privilegeColumns = Object.keys(row).filter((column) => column.endsWith('_priv'));
  const globalPrivileges = privilegeColumns.filter((column) => row[column] === 'Y').map((column) => column.replace(/_priv$/, ''));
  const credential = String(row.authentication_string ?? row.Password ?? '');
  const plugin = String(row.plugin ?? '');
  // An alternative whose plugin is not known to ask someone else may hold a password: a stolen row's worth is judged from it.
  const othersWithPassword = others.filter((alternative) => authPluginKind(alternative.plugin) !== 'external' && !alternative.empty);
  const topHasCredential = !NO_PASSWORD_POSSIBLE.has(credential);
  const alternatives = [{ plugin, empty: credential === '' }, ...others];
  return {
    user,
    host,
    plugin,
    passwordPlugins: [...new Set([...(topHasCredential ? [plugin] : []), ...othersWithPassword.map((alternative) => alternative.plugin)])],
    hasCredential: topHasCredential || othersWithPassword.length > 0,
    passwordless: alternatives.some((alternative) => checksStoredPassword(alternative.plugin) && alternative.empty),
    unknownPluginsWithoutCredential: [...new Set(alternatives.filter((alternative) => alternative.empty && authPluginKind(alternative.plugin) === 'unknown').map((alternative) => alternative.plugin))],
    locked: row.account_locked === 'Y' || lockedOnMariaDb.has(`${user}@${host}`),
    isRole: row.is_role === 'Y',
    globalPrivileges,
    allGlobalPrivileges: privilegeColumns.length > 0 && globalPrivileges.length === privilegeColumns.length,
    sslType: String(row.ssl_type ?? ''),
  };
}

async function mariaDbLockedAccounts(session: SqlSession): Promise<Set<string>> {
  const rows = await session.query<{ User: string; Host: string }>(
    "SELECT User, Host FROM mysql.global_priv WHERE JSON_VALUE(Priv, '$.account_locked') IN ('true', '1')",
  );
  return new Set(rows.map((row) => `${row.User}@${row.Host}`));
}

export interface AuthAlternative {
  plugin: string;
  /** Whether its stored password is empty (or absent); the hash itself is never read. */
  empty: boolean;
}

/**
 * MariaDB 10.4+: the alternatives of IDENTIFIED VIA a OR b other than the one mysql.user shows
 * (the shown one is an empty object in auth_or). `ed25519 USING PASSWORD('') OR unix_socket`
 * shows as unix_socket, yet anyone logs in through the ed25519 alternative with no password.
 * Only whether each stored password is empty leaves the server, never the hash. Servers without
 * JSON_TABLE (before 10.6) answer only if no account has alternatives; otherwise the read fails.
 */
async function mariaDbAuthAlternatives(session: SqlSession): Promise<Map<string, AuthAlternative[]>> {
  const byAccount = new Map<string, AuthAlternative[]>();
  let rows: Array<{ User: string; Host: string; plugin: string; empty: number | string }>;
  try {
    rows = await session.query(
      "SELECT g.User, g.Host, j.plugin, COALESCE(j.auth, '') = '' AS empty FROM mysql.global_priv g, " +
        "JSON_TABLE(g.Priv, '$.auth_or[*]' COLUMNS (plugin VARCHAR(128) PATH '$.plugin', auth TEXT PATH '$.authentication_string')) j WHERE j.plugin IS NOT NULL",
    );
  } catch (error) {
    const withAlternatives = await session.query<{ n: number | string }>("SELECT COUNT(*) AS n FROM mysql.global_priv WHERE JSON_CONTAINS_PATH(Priv, 'one', '$.auth_or')");
    if (Number(withAlternatives[0]?.n ?? 0) > 0) throw error;
    return byAccount;
  }
  for (const row of rows) {
    const key = `${row.User}@${row.Host}`;
    byAccount.set(key, [...(byAccount.get(key) ?? []), { plugin: String(row.plugin), empty: Number(row.empty) === 1 }]);
  }
  return byAccount;
}

type AccountKey = Pick<MysqlAccount, 'user' | 'host'>;

/** One grant of a role to an account or to another role. */
export interface RoleGrant {
  grantee: AccountKey;
  role: AccountKey;
  /** WITH ADMIN OPTION: the grantee may grant the role to others (and revoke it). Absent: read before it was. */
  admin?: boolean;
}

/** Every role grant on the server, read once: MariaDB keeps them in roles_mapping, MySQL 8 in role_edges. */
export async function readRoleGrants(session: SqlSession): Promise<RoleGrant[]> {
  try {
    // A MariaDB role has host '' (a role granted to a role is keyed by host '' in roles_mapping too).
    const rows = await session.query<{ User: string; Host: string; Role: string; Admin_option: string }>('SELECT User, Host, Role, Admin_option FROM mysql.roles_mapping');
    return rows.map((row) => ({ grantee: { user: row.User, host: row.Host }, role: { user: row.Role, host: '' }, admin: row.Admin_option === 'Y' }));
  } catch {
    // Not MariaDB: the MySQL 8 table answers, or its error makes the check undecided.
    const rows = await session.query<{ FROM_USER: string; FROM_HOST: string; TO_USER: string; TO_HOST: string; WITH_ADMIN_OPTION: string }>(
      'SELECT FROM_USER, FROM_HOST, TO_USER, TO_HOST, WITH_ADMIN_OPTION FROM mysql.role_edges',
    );
    return rows.map((row) => ({ grantee: { user: row.TO_USER, host: row.TO_HOST }, role: { user: row.FROM_USER, host: row.FROM_HOST }, admin: row.WITH_ADMIN_OPTION === 'Y' }));
  }
}

/** MariaDB 10.11's PUBLIC: a role every account holds without a grant of it. */
export const MARIADB_PUBLIC_ROLE = 'PUBLIC';

/** A role an account can use, and the roles in between (empty: granted directly, or PUBLIC itself). */
export interface ReachedRole {
  role: AccountKey;
  via: string[];
}

/**
 * Every role whose privileges an account can use: granted to it, granted to one of those roles
 * (role chains, any depth: the visited set ends cycles), and MariaDB's PUBLIC when the server has it
 * (`accounts` shows it as a role), which every account holds, with whatever is granted to PUBLIC. A
 * granted role counts whether or not it is the default: the account may SET ROLE to it at any time.
 */
export function reachableRoles(account: AccountKey, grants: readonly RoleGrant[], accounts: readonly MysqlAccount[]): ReachedRole[] {
  const reached = new Map<string, ReachedRole>();
  const publicRole = accounts.find((candidate) => candidate.isRole && candidate.user === MARIADB_PUBLIC_ROLE);
  const frontier: Array<{ grantee: AccountKey; via: string[] }> = [{ grantee: account, via: [] }];
  if (publicRole) {
    reached.set(accountName(publicRole), { role: publicRole, via: [] });
    frontier.push({ grantee: publicRole, via: [MARIADB_PUBLIC_ROLE] });
  }
  for (let next = frontier.shift(); next; next = frontier.shift()) {
    const { grantee, via } = next;
    for (const { role } of grants.filter((grant) => grant.grantee.user === grantee.user && grant.grantee.host === grantee.host)) {
      if (reached.has(accountName(role)) || accountName(role) === accountName(account)) continue;
      reached.set(accountName(role), { role, via });
      frontier.push({ grantee: role, via: [...via, role.user] });
    }
  }
  return [...reached.values()];
}
