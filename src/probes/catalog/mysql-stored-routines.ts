import type { SqlSession } from '../../sessions/sql-session.js';
import { MARIADB_PUBLIC_ROLE, reachableRoles, type MysqlAccount, type RoleGrant } from './mysql-accounts.js';
import { hostPatternsMeet, mysqlLikePattern } from './mysql-like-pattern.js';

/**
 * MySQL/MariaDB stored procedures and functions: the list of them, the account each one's DEFINER
 * names, and who may EXECUTE each. access.least-privilege (a definer holding forbidden rights) and
 * access.app-not-superuser (an administrator's routine the application may run) read them alike.
 */

export interface StoredRoutine {
  db: string;
  name: string;
  type: string;
  security_type: string;
  definer: string;
}

/** Where the list of routines comes from: every one, or, on MySQL 8, what the reading account may see. */
export type RoutineSource = 'mysql.proc' | 'information_schema.ROUTINES';

/**
 * Every stored routine on the server. mysql.proc (MariaDB, MySQL before 8) lists them all to whoever
 * may SELECT it. MySQL 8 keeps them in its data dictionary, and information_schema.ROUTINES lists
 * only those the reading account may see: all of them only with SELECT on *.* or SHOW_ROUTINE,
 * held directly (a role's grant counts only while the role is active, which the catalog session
 * does not arrange). Without either the list would be partial: a problem, never a shorter list.
 * `sources`: the order to try them in (tests ask for the second alone).
 */
export async function readStoredRoutines(
  session: SqlSession,
  accounts: readonly MysqlAccount[],
  sources: readonly RoutineSource[] = ['mysql.proc', 'information_schema.ROUTINES'],
): Promise<{ stored: StoredRoutine[]; source: RoutineSource } | { problem: string }> {
  const failures: string[] = [];
  for (const source of sources) {
    try {
      if (source === 'mysql.proc') {
        const stored = await session.query<StoredRoutine>(
          'SELECT CAST(db AS CHAR) AS db, CAST(name AS CHAR) AS name, CAST(type AS CHAR) AS type, CAST(security_type AS CHAR) AS security_type, CAST(definer AS CHAR) AS definer FROM mysql.proc',
        );
        return { stored, source };
      }
      const [{ reader }] = await session.query<{ reader: string }>('SELECT CURRENT_USER() AS reader');
      const at = reader.lastIndexOf('@');
      const account = accounts.find((candidate) => candidate.user === reader.slice(0, at) && candidate.host === reader.slice(at + 1));
      const showRoutine = await session
        .query<{ held: number }>("SELECT COUNT(*) AS held FROM mysql.global_grants WHERE USER = ? AND HOST = ? AND PRIV = 'SHOW_ROUTINE'", [reader.slice(0, at), reader.slice(at + 1)])
        .then(([row]) => Number(row?.held ?? 0) > 0)
        .catch(() => false);
      if (!(account?.allGlobalPrivileges || account?.globalPrivileges.includes('Select') || showRoutine)) {
        failures.push(`information_schema.ROUTINES lists only the routines the reading account ${reader} may see, and it holds neither SELECT on *.* nor SHOW_ROUTINE`);
        continue;
      }
      const stored = await session.query<StoredRoutine>(
        'SELECT ROUTINE_SCHEMA AS db, ROUTINE_NAME AS name, ROUTINE_TYPE AS type, SECURITY_TYPE AS security_type, DEFINER AS definer FROM information_schema.ROUTINES',
      );
      return { stored, source };
    } catch (error) {
      failures.push(`${source} could not be read (${(error as Error).message})`);
    }
  }
  return { problem: `the stored routines could not all be listed: ${failures.join('; ')}; routines running with their definer's rights are undecided` };
}

/** Whether a mysql.db database pattern covers a database, as the server's LIKE matches it. */
export function databasePatternCovers(pattern: string, database: string): boolean {
  return mysqlLikePattern(pattern).test(database);
}

/**
 * The account a SQL SECURITY DEFINER routine runs as: its DEFINER, written user@host (a user name
 * may hold '@', a host name may not), or on MariaDB a role's bare name (seen on 10.11:
 * `DEFINER=r_admin` is kept as "r_admin", and the routine runs with the role's privileges).
 * The server finds the definer as it finds a login: the account of that user name whose host
 * pattern matches the definer's host, the most specific first (seen on 10.11: a routine of
 * 'boss'@'localhost', where only 'boss'@'%' exists, ran with 'boss'@'%''s ALL PRIVILEGES).
 * Undefined when no account matches: the routine then does not run at all ("The user specified as a
 * definer does not exist").
 */
export function definerAccount(routine: Pick<StoredRoutine, 'definer'>, accounts: readonly MysqlAccount[]): MysqlAccount | undefined {
  const at = routine.definer.lastIndexOf('@');
  if (at === -1) return accounts.find((account) => account.isRole && account.user === routine.definer && account.host === '');
  const user = routine.definer.slice(0, at);
  const host = routine.definer.slice(at + 1);
  const sameUser = accounts.filter((account) => !account.isRole && account.user === user);
  const exact = sameUser.find((account) => account.host.toLowerCase() === host.toLowerCase());
  if (exact) return exact;
  // Fewer wildcards first, as the server sorts its accounts.
  const wildcards = (pattern: string) => (pattern.match(/(?<!\\)[%_]/g) ?? []).length;
  return sameUser.filter((account) => mysqlLikePattern(account.host).test(host)).sort((a, b) => wildcards(a.host) - wildcards(b.host))[0];
}

/** The EXECUTE grants below the global level: on databases (mysql.db, a LIKE pattern) and on single routines (mysql.procs_priv). */
export interface ExecuteGrants {
  databases: ReadonlyArray<{ User: string; Host: string; Db: string }>;
  routines: ReadonlyArray<{ User: string; Host: string; Db: string; Routine_name: string; Routine_type: string }>;
}

export async function readExecuteGrants(session: SqlSession): Promise<ExecuteGrants> {
  return {
    databases: await session.query("SELECT User, Host, CAST(Db AS CHAR) AS Db FROM mysql.db WHERE Execute_priv = 'Y'"),
    routines: await session.query(
      "SELECT User, Host, CAST(Db AS CHAR) AS Db, CAST(Routine_name AS CHAR) AS Routine_name, CAST(Routine_type AS CHAR) AS Routine_type FROM mysql.procs_priv WHERE FIND_IN_SET('Execute', Proc_priv) > 0",
    ),
  };
}

/** Who may run one routine: everyone (PUBLIC), and for an account, whether it may and how. */
export interface RoutineExecution {
  /** What PUBLIC may run, or a role granted to PUBLIC, every account may. */
  byPublic: boolean;
  /** Undefined: it may not. `how` absent: itself (or through PUBLIC); else "through role a -> b". */
  by(account: MysqlAccount): { how?: string } | undefined;
}

/**
 * A mysql.db row whose User is empty holds for every user name logging in from a host its Host
 * matches (hostPatternsMeet), not for an anonymous account alone (seen on lab MariaDB 10.11: with the old default row
 * ('%', 'test\\_%', '') holding EXECUTE and CREATE, the application created tables in test_ops and
 * ran root's procedure there). How findings name such a row.
 */
export const anyUserRowText = (row: { Host: string; Db: string }) => `through mysql.db's row for any user name ('' at host '${row.Host}') on ${row.Db}.*`;

/**
 * Who may EXECUTE a routine: EXECUTE on *.*, on its database (a mysql.db pattern, matched by the
 * server with LIKE, including a row for any user name), or on the routine itself, held directly,
 * through a role (any depth), or through MariaDB's PUBLIC.
 */
export function routineExecution(accounts: readonly MysqlAccount[], roleGrants: readonly RoleGrant[], grants: ExecuteGrants): (routine: StoredRoutine) => RoutineExecution {
  const sameRoutine = (routine: StoredRoutine, db: string, name: string, type: string) =>
    routine.db === db && routine.name.toLowerCase() === name.toLowerCase() && routine.type.toUpperCase() === type.toUpperCase();
  const holds = (holder: Pick<MysqlAccount, 'user' | 'host'>, routine: StoredRoutine) => {
    const account = accounts.find((candidate) => candidate.user === holder.user && candidate.host === holder.host);
    return (
      (account?.globalPrivileges.includes('Execute') ?? false) ||
      grants.databases.some((grant) => grant.User === holder.user && grant.Host === holder.host && databasePatternCovers(grant.Db, routine.db)) ||
      grants.routines.some((grant) => grant.User === holder.user && grant.Host === holder.host && sameRoutine(routine, grant.Db, grant.Routine_name, grant.Routine_type))
    );
  };
  const publicRole = accounts.find((account) => account.isRole && account.user === MARIADB_PUBLIC_ROLE);
  return (routine) => {
    const byPublic = publicRole !== undefined && [publicRole, ...reachableRoles(publicRole, roleGrants, accounts).map(({ role }) => role)].some((role) => holds(role, routine));
    const anyUserRows = grants.databases.filter((grant) => grant.User === '' && databasePatternCovers(grant.Db, routine.db));
    return {
      byPublic,
      by(account) {
        if (byPublic || holds(account, routine)) return {};
        const byAnyUser = account.isRole ? undefined : anyUserRows.find((grant) => hostPatternsMeet(grant.Host, account.host));
        if (byAnyUser) return { how: anyUserRowText(byAnyUser) };
        const through = reachableRoles(account, roleGrants, accounts).find(({ role, via }) => role.user !== MARIADB_PUBLIC_ROLE && via[0] !== MARIADB_PUBLIC_ROLE && holds(role, routine));
        return through ? { how: `through role ${[...through.via, through.role.user].join(' -> ')}` } : undefined;
      },
    };
  };
}

/** A routine's name as findings give it: "PROCEDURE db.name" or "FUNCTION db.name". */
export const routineTitle = (routine: Pick<StoredRoutine, 'type' | 'db' | 'name'>) => `${routine.type.toUpperCase()} ${routine.db}.${routine.name}`;
