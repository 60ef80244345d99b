import type { SqlSession } from '../../sessions/sql-session.js';
import { accountName, type MysqlAccount, type RoleGrant } from '../catalog/mysql-accounts.js';
import { definerAccount, readExecuteGrants, readStoredRoutines, routineExecution, routineTitle, type StoredRoutine } from '../catalog/mysql-stored-routines.js';
import type { DefinerRoutine, DefinerRoutineRead, RoutineRunner } from './definer-routines.js';

/** What an account holds that this control forbids: everything (an administrator), or the listed rights. */
export interface AccountPower {
  administrator: boolean;
  rights: string[];
}

/**
 * MySQL/MariaDB stored procedures and functions with SQL SECURITY DEFINER whose DEFINER is an
 * administrator or holds a forbidden right, and the non-admin accounts that may run them
 * (routineExecution: EXECUTE on *.*, on the database, or on the routine, held directly, through a
 * role, or through MariaDB's PUBLIC).
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
  const candidates = stored
    .filter((routine) => routine.security_type.toUpperCase() === 'DEFINER')
    .map((routine) => ({ routine, definer: definerAccount(routine, accounts) }))
    .filter((entry): entry is { routine: StoredRoutine; definer: MysqlAccount } => entry.definer !== undefined)
    .filter(({ definer }) => powerOf(definer).administrator || powerOf(definer).rights.length > 0);

  const executionOf = routineExecution(accounts, roleGrants, await readExecuteGrants(session));
  const routines: DefinerRoutine[] = [];
  for (const { routine, definer } of candidates) {
    const power = powerOf(definer);
    const execution = executionOf(routine);
    const runners: RoutineRunner[] = [];
    for (const account of callers) {
      if (accountName(account) === accountName(definer)) continue;
      const may = execution.by(account);
      if (may) runners.push({ account: accountName(account), user: account.user, ...may });
    }
    if (!execution.byPublic && runners.length === 0) continue;
    routines.push({
      routine: routineTitle(routine),
      owner: accountName(definer),
      ownerIsAdministrator: power.administrator,
      ownerRights: power.administrator ? [] : power.rights,
      public: execution.byPublic,
      runners,
    });
  }
  return { routines, examined: stored.length, accounts: callers.length, source };
}
