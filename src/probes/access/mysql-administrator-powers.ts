import type { MysqlAccount } from '../catalog/mysql-accounts.js';
import { hostPatternsMeet } from '../catalog/mysql-like-pattern.js';
import { GLOBAL_SYSTEM_WRITE_WHERE, MARIADB_SET_USER_BIT, describeSystemWrite, type SystemDatabaseWrite, type UnlistedPrivilege } from '../catalog/mysql-privilege-grants.js';

/**
 * What makes a MySQL/MariaDB account an administrator in all but name, beside SUPER and ALL
 * PRIVILEGES: each lets it take over an administrator's account or write its own privileges.
 * Observed on MariaDB 10.11: with CREATE USER an account ALTERs another's password and logs in as
 * it; with UPDATE on mysql.* it does the same through SET PASSWORD; INSERT on mysql.* creates
 * accounts and writes rows into mysql.global_priv; DELETE on mysql.* drops any account; SET USER
 * creates a procedure with DEFINER root that runs as root.
 */

/** The writes on the mysql system database that rewrite who is an administrator. */
const ADMINISTRATOR_WRITES: Record<string, string> = {
  Insert: 'creates accounts (CREATE USER asks no more) and writes privileges into the grant tables',
  Update: "changes any account's password, an administrator's included (SET PASSWORD asks no more), and rewrites privileges",
  Delete: 'drops any account, administrators included (DROP USER asks no more)',
};

/**
 * Tables of the mysql database a table-level write on which makes an administrator: the grant
 * tables the server reads its accounts and privileges from (at the next FLUSH PRIVILEGES or
 * restart), and the stored routines and events, which run as their DEFINER, root included.
 */
const ADMINISTRATOR_TABLES = new Set(['user', 'global_priv', 'db', 'tables_priv', 'columns_priv', 'procs_priv', 'proxies_priv', 'roles_mapping', 'role_edges', 'default_roles', 'global_grants', 'proc', 'event']);

const tableConsequence = (table: string) =>
  table === 'proc' || table === 'event'
    ? `writes ${table === 'proc' ? 'stored routines' : 'events'} that run as their DEFINER, root included`
    : `rewrites a grant table the server takes accounts and privileges from at the next FLUSH PRIVILEGES or restart`;

/** What the server says beside the account: the writes and MariaDB-only privileges read from the catalog. */
export interface GrantsBeyondColumns {
  systemWrites: readonly SystemDatabaseWrite[];
  unlisted: readonly UnlistedPrivilege[];
}

/** Each administrator's power the account (or role) holds itself, worded "SUPER", "CREATE USER, which ..."; empty for none. */
export function administratorPowers(account: MysqlAccount, grants: GrantsBeyondColumns): string[] {
  if (account.allGlobalPrivileges) return ['ALL PRIVILEGES ON *.*'];
  const mine = (grantee: Pick<MysqlAccount, 'user' | 'host'>) => grantee.user === account.user && grantee.host === account.host;
  const writesIn = (privileges: readonly string[]) => privileges.filter((privilege) => privilege in ADMINISTRATOR_WRITES);
  const explained = (privileges: string[]) => privileges.map((privilege) => `${privilege.toUpperCase()} ${ADMINISTRATOR_WRITES[privilege]}`).join('; ');
  const globalWrites = writesIn(account.globalPrivileges);
  return [
    ...(account.globalPrivileges.includes('Super') ? ['SUPER'] : []),
    ...(account.globalPrivileges.includes('Create_user') ? ["CREATE USER, which changes any account's password, an administrator's included (ALTER USER), and so logs in as it"] : []),
    ...(grants.unlisted.some((privilege) => mine(privilege.grantee) && privilege.bit === MARIADB_SET_USER_BIT) ? ['SET USER, which creates routines that run as any account, root included (DEFINER)'] : []),
    ...(globalWrites.length > 0 ? [`${describeSystemWrite(globalWrites, GLOBAL_SYSTEM_WRITE_WHERE)}: ${explained(globalWrites)}`] : []),
    ...grants.systemWrites
      .filter((write) => (mine(write.grantee) || (write.anyUser === true && !account.isRole && hostPatternsMeet(write.grantee.host, account.host))) && (write.table === undefined || ADMINISTRATOR_TABLES.has(write.table)))
      .flatMap((write) => {
        const writes = writesIn(write.privileges);
        if (writes.length === 0) return [];
        return [write.table === undefined ? `${describeSystemWrite(writes, write.where)}: ${explained(writes)}` : `${describeSystemWrite(writes, write.where)}, which ${tableConsequence(write.table)}`];
      }),
  ];
}
