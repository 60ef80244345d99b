import type { SqlSession } from '../../sessions/sql-session.js';
import { MARIADB_PUBLIC_ROLE, accountName, reachableRoles, type MysqlAccount, type RoleGrant } from '../catalog/mysql-accounts.js';
import type { DefinerRoutine, DefinerRoutineRead, RoutineRunner } from './definer-routines.js';

/** What an account holds that this control forbids: everything (an administrator), or the listed rights. */
export interface AccountPower {
  administrator: boolean;
  rights: string[];
}

interface StoredRoutine {
  db: string;
  name: string;
  type: string;
  security_type: string;
  definer: string;
}

/**
 * MySQL/MariaDB stored procedures and functions with SQL SECURITY DEFINER whose DEFINER is an
 * administrator or holds a forbidden right, and the non-admin accounts that may run them: EXECUTE
 * on *.*, on the database (a mysql.db pattern, matched by the server with LIKE), or on the routine,
 * held directly, through a role, or through MariaDB's PUBLIC.
 *
 * Read from mysql.proc, which lists every routine to whoever may SELECT it; information_schema.ROUTINES
 * would list only the routines the auditor itself may see, so a server without a readable
 * mysql.proc (MySQL 8 keeps routines in its data dictionary) leaves the routines undecided.
 */
export async function mysqlDefinerRoutines(
  session: SqlSession,
  accounts: readonly MysqlAccount[],
  roleGrants: readonly RoleGrant[],
  powerOf: (account: MysqlAccount) => AccountPower,
): Promise<DefinerRoutineRead> {
  const callers = accounts.filter((account) => !account.locked && !account.isRole && !powerOf(account).administrator);
  let stored: StoredRoutine[];
  try {
    stored = await session.query<StoredRoutine>(
      'SELECT CAST(db AS CHAR) AS db, CAST(name AS CHAR) AS name, CAST(type AS CHAR) AS type, CAST(security_type AS CHAR) AS security_type, CAST(definer AS CHAR) AS definer FROM mysql.proc',
    );
  } catch (error) {
    return {
      routines: [],
      examined: 0,
      accounts: callers.length,
      problem: `the stored routines could not be read from mysql.proc (${(error as Error).message}); information_schema.ROUTINES shows only the routines the reading account may see, so routines running with their definer's rights are undecided`,
    };
  }
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

  const databaseGrants = await session.query<{ User: string; Host: string; db: string; name: string; type: string }>(
    `SELECT d.User, d.Host, CAST(p.db AS CHAR) AS db, CAST(p.name AS CHAR) AS name, CAST(p.type AS CHAR) AS type
       FROM mysql.db d JOIN mysql.proc p ON p.db LIKE d.Db
      WHERE d.Execute_priv = 'Y' AND p.security_type = 'DEFINER'`,
  );
  const routineGrants = await session.query<{ User: string; Host: string; Db: string; Routine_name: string; Routine_type: string }>(
    "SELECT User, Host, CAST(Db AS CHAR) AS Db, CAST(Routine_name AS CHAR) AS Routine_name, CAST(Routine_type AS CHAR) AS Routine_type FROM mysql.procs_priv WHERE FIND_IN_SET('Execute', Proc_priv) > 0",
  );
  const sameRoutine = (routine: StoredRoutine, db: string, name: string, type: string) =>
    routine.db === db && routine.name.toLowerCase() === name.toLowerCase() && routine.type.toUpperCase() === type.toUpperCase();
  const mayExecute = (holder: Pick<MysqlAccount, 'user' | 'host'> & Partial<MysqlAccount>, routine: StoredRoutine) =>
    (holder.globalPrivileges?.includes('Execute') ?? false) ||
    databaseGrants.some((grant) => grant.User === holder.user && grant.Host === holder.host && sameRoutine(routine, grant.db, grant.name, grant.type)) ||
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
  return { routines, examined: stored.length, accounts: callers.length };
}
