import type { SqlSession } from '../../sessions/sql-session.js';
import { MARIADB_PUBLIC_ROLE, accountName, reachableRoles, type MysqlAccount, type RoleGrant } from '../catalog/mysql-accounts.js';
import type { DefinerRoutine, DefinerRoutineRead, RoutineRunner } from './definer-routines.js';
import { mysqlLikePattern } from '../catalog/mysql-like-pattern.js';

/** What an account holds that this control forbids: everything (an administrator), or the listed rights. */
export interface AccountPower {
  administrator: boolean;
  rights: string[];
}

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
 * MySQL/MariaDB stored procedures and functions with SQL SECURITY DEFINER whose DEFINER is an
 * administrator or holds a forbidden right, and the non-admin accounts that may run them: EXECUTE
 * on *.*, on the database (a mysql.db pattern, matched by the server with LIKE), or on the routine,
 * held directly, through a role, or through MariaDB's PUBLIC.
 *
 * The routines are listed by readStoredRoutines, which refuses a partial list.
 */
export async function mysqlDefinerRoutines(
  session: SqlSession,
  accounts: readonly MysqlAccount[],
  roleGrants: readonly RoleGrant[],
  powerOf: (account: MysqlAccount) => AccountPower,
): Promise<DefinerRoutineRead> {
  const callers = accounts.filter((account) => !account.locked && !account.isRole && !powerOf(account).administrator);
  const listed = await readStoredRoutines(session, accounts);
  if ('problem' in listed) return { routines: [], examined: 0, accounts: callers.length, problem: listed.problem };
  const { stored, source } = listed;
  const byKey = new Map(accounts.map((account) => [accountName(account), account]));
  // The definer is written user@host; a user name may hold '@', a host name may not.
  const definerOf = (routine: StoredRoutine) => {
    const at = routine.definer.lastIndexOf('@');
    return byKey.get(accountName({ user: routine.definer.slice(0, at), host: routine.definer.slice(at + 1) }));
  };
  // A routine whose definer no longer exists does not run at all ("The user specified as a definer does not exist").
  const candidates = stored
    .filter((routine) => routine.security_type.toUpperCase() === 'DEFINER')
    .map((routine) => ({ routine, definer: definerOf(routine) }))
    .filter((entry): entry is { routine: StoredRoutine; definer: MysqlAccount } => entry.definer !== undefined)
    .filter(({ definer }) => powerOf(definer).administrator || powerOf(definer).rights.length > 0);

  const databaseGrants = await session.query<{ User: string; Host: string; Db: string }>("SELECT User, Host, CAST(Db AS CHAR) AS Db FROM mysql.db WHERE Execute_priv = 'Y'");
  const routineGrants = await session.query<{ User: string; Host: string; Db: string; Routine_name: string; Routine_type: string }>(
    "SELECT User, Host, CAST(Db AS CHAR) AS Db, CAST(Routine_name AS CHAR) AS Routine_name, CAST(Routine_type AS CHAR) AS Routine_type FROM mysql.procs_priv WHERE FIND_IN_SET('Execute', Proc_priv) > 0",
  );
  const sameRoutine = (routine: StoredRoutine, db: string, name: string, type: string) =>
    routine.db === db && routine.name.toLowerCase() === name.toLowerCase() && routine.type.toUpperCase() === type.toUpperCase();
  const mayExecute = (holder: Pick<MysqlAccount, 'user' | 'host'> & Partial<MysqlAccount>, routine: StoredRoutine) =>
    (holder.globalPrivileges?.includes('Execute') ?? false) ||
    databaseGrants.some((grant) => grant.User === holder.user && grant.Host === holder.host && databasePatternCovers(grant.Db, routine.db)) ||
    routineGrants.some((grant) => grant.User === holder.user && grant.Host === holder.host && sameRoutine(routine, grant.Db, grant.Routine_name, grant.Routine_type));
  const publicRole = accounts.find((account) => account.isRole && account.user === MARIADB_PUBLIC_ROLE);

  const routines: DefinerRoutine[] = [];
  for (const { routine, definer } of candidates) {
    const power = powerOf(definer);
    // What PUBLIC may run, or a role granted to PUBLIC, every account may.
    const byPublic = publicRole !== undefined && [publicRole, ...reachableRoles(publicRole, roleGrants, accounts).map(({ role }) => role)].some((role) => accounts.some((held) => held.user === role.user && held.host === role.host && mayExecute(held, routine)));
    const runners: RoutineRunner[] = [];
    for (const account of callers) {
      if (accountName(account) === accountName(definer)) continue;
      const runner = { account: accountName(account), user: account.user };
      if (byPublic || mayExecute(account, routine)) {
        runners.push(runner);
        continue;
      }
      const through = reachableRoles(account, roleGrants, accounts).find(
        ({ role, via }) => role.user !== MARIADB_PUBLIC_ROLE && via[0] !== MARIADB_PUBLIC_ROLE && accounts.some((held) => held.user === role.user && held.host === role.host && mayExecute(held, routine)),
      );
      if (through) runners.push({ ...runner, how: `through role ${[...through.via, through.role.user].join(' -> ')}` });
    }
    if (!byPublic && runners.length === 0) continue;
    routines.push({
      routine: `${routine.type.toUpperCase()} ${routine.db}.${routine.name}`,
      owner: accountName(definer),
      ownerIsAdministrator: power.administrator,
      ownerRights: power.administrator ? [] : power.rights,
      public: byPublic,
      runners,
    });
  }
  return { routines, examined: stored.length, accounts: callers.length, source };
}
