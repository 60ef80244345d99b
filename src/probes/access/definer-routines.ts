/**
 * Routines that run with their owner's rights (PostgreSQL SECURITY DEFINER functions and
 * procedures, MySQL/MariaDB SQL SECURITY DEFINER procedures and functions): whoever may run one
 * holds, through it, whatever its owner holds. One owned by a superuser that runs dynamic SQL hands
 * every caller the superuser. access.least-privilege reads them on both engines; this file holds
 * the evidence's shape and how the judge names and exempts them.
 *
 * MySQL views with a DEFINER are left out: they hand over reads and writes of what the view selects,
 * never the definer's other rights.
 */

/** A non-admin account that may run a routine. */
export interface RoutineRunner {
  /** PostgreSQL: the login role; MySQL: 'user'@'host'. */
  account: string;
  /** MySQL: the user name, which allow.privileged names. */
  user?: string;
  /** How it may: "through role x" (absent: granted to it, or at the level the account holds EXECUTE). */
  how?: string;
}

export interface DefinerRoutine {
  /** PostgreSQL: schema.name(argument types); MySQL: "PROCEDURE db.name" or "FUNCTION db.name". */
  routine: string;
  /** PostgreSQL: the database it is in. */
  database?: string;
  /** PostgreSQL: the owning role; MySQL: the DEFINER account. */
  owner: string;
  /** PostgreSQL superuser; MySQL SUPER or ALL PRIVILEGES, directly or through a role. */
  ownerIsAdministrator: boolean;
  /** The forbidden rights the owner holds (the holdings' words), when it is not an administrator. */
  ownerRights: string[];
  /** PUBLIC may run it: every account, today's and tomorrow's, which no declaration can accept. */
  public: boolean;
  /** Every non-admin account that may run it (with `public`, all of them). */
  runners: RoutineRunner[];
}

export interface DefinerRoutineRead {
  /**
   * Routines whose owner is an administrator or holds a forbidden right and that some non-admin
   * account may run; routines of ordinary owners hand over nothing this control forbids.
   */
  routines: DefinerRoutine[];
  /** Routines examined (PostgreSQL: outside pg_catalog and information_schema and not an extension's), SECURITY DEFINER or not. */
  examined: number;
  /** PostgreSQL: the databases the routines were read in. */
  databases?: number;
  /** Non-admin accounts whose right to run them was checked. */
  accounts: number;
  /** PostgreSQL: SECURITY DEFINER routines not judged: an extension's (vendor code, e.g. Azure's) and pg_catalog's or information_schema's. */
  leftOut?: { extension: number; system: number };
  /** MySQL: where the routines were listed (mysql.proc, or information_schema.ROUTINES when the reader sees them all). */
  source?: string;
  /** Why not every routine could be read or matched: the judge cannot pass. */
  problem?: string;
}

/** Routines and runners named in a reason; the rest are counted. */
const NAMED_ROUTINES = 10;
const NAMED_RUNNERS = 5;

const plural = (count: number, one: string, many: string) => `${count} ${count === 1 ? one : many}`;

function namedList(names: readonly string[], limit: number): string {
  return names.length > limit ? `${names.slice(0, limit).join(', ')} and ${names.length - limit} more` : names.join(', ');
}

function routineName(routine: DefinerRoutine): string {
  return `${routine.routine}${routine.database === undefined ? '' : ` in database "${routine.database}"`}`;
}

export interface DefinerRoutineJudgement {
  /** A reason part for each routine some undeclared account (or PUBLIC) may run; empty when none. */
  offences: string[];
  /** A reason part for each routine only declared accounts or platform roles may run. */
  accepted: string[];
  /** What a pass says it covered. */
  coverage: string;
}

/**
 * Sorts the routines into offences and accepted ones. An account declared in allow.privileged may
 * hold privileged rights, through a routine as well as directly; declaring the owner accepts its
 * rights for itself, not for everyone who may run its routines. Routines are not named in the
 * allow list: allow.privileged names accounts, and a routine is accepted through its runners.
 */
export function judgeDefinerRoutines(
  read: DefinerRoutineRead,
  engine: 'postgres' | 'mysql',
  isExempt: (runner: RoutineRunner) => 'declared' | 'platform' | undefined,
): DefinerRoutineJudgement {
  const accountWord = engine === 'postgres' ? ['non-admin login role', 'non-admin login roles'] : ['non-admin account', 'non-admin accounts'];
  const everyone = engine === 'postgres' ? 'PUBLIC (every role)' : 'PUBLIC (every account)';
  const offences: string[] = [];
  const accepted: string[] = [];
  for (const routine of read.routines) {
    const power = routine.ownerIsAdministrator ? (engine === 'postgres' ? 'superuser' : 'administrator: SUPER / ALL PRIVILEGES') : routine.ownerRights.join(', ');
    const owned = `${routineName(routine)} ${engine === 'postgres' ? 'owned' : 'defined'} by ${routine.owner} (${power})`;
    const runnerText = (runner: RoutineRunner) => `${runner.account}${runner.how ? ` (${runner.how})` : ''}`;
    const undeclared = routine.runners.filter((runner) => isExempt(runner) === undefined);
    if (routine.public) {
      offences.push(`${owned}, executable by ${everyone}: ${plural(routine.runners.length, accountWord[0], accountWord[1])} (${namedList(routine.runners.map((runner) => runner.account), NAMED_RUNNERS)})`);
    } else if (undeclared.length > 0) {
      offences.push(`${owned}, executable by ${plural(undeclared.length, accountWord[0], accountWord[1])}: ${namedList(undeclared.map(runnerText), NAMED_RUNNERS)}`);
    } else if (routine.runners.length > 0) {
      const byReason = (kind: 'declared' | 'platform') => routine.runners.filter((runner) => isExempt(runner) === kind).map((runner) => runner.account);
      const parts = [
        ...(byReason('declared').length > 0 ? [`${byReason('declared').join(', ')}, declared in allow.privileged`] : []),
        ...(byReason('platform').length > 0 ? [`${byReason('platform').join(', ')}, Azure platform roles`] : []),
      ];
      accepted.push(`${routineName(routine)} (executable by ${parts.join('; ')})`);
    }
  }
  const listed = offences.length > NAMED_ROUTINES ? [...offences.slice(0, NAMED_ROUTINES), `and ${offences.length - NAMED_ROUTINES} more routines`] : offences;
  const kind = engine === 'postgres' ? 'SECURITY DEFINER' : 'SQL SECURITY DEFINER';
  const where = engine === 'postgres' ? `${plural(read.examined, 'routine', 'routines')} in ${plural(read.databases ?? 1, 'database', 'databases')}` : `${plural(read.examined, 'routine', 'routines')} (${read.source ?? 'mysql.proc'})`;
  const leftOut = read.leftOut
    ? ` (left out: ${plural(read.leftOut.extension, 'SECURITY DEFINER routine that belongs to an extension', 'SECURITY DEFINER routines that belong to an extension')} (vendor code) and ${read.leftOut.system} in pg_catalog or information_schema)`
    : ' (views with a DEFINER are not examined: they hand over reads and writes through the view only)';
  return {
    offences: listed,
    accepted,
    coverage: `${where} examined, none ${kind} with ${engine === 'postgres' ? 'an owner' : 'a definer'} holding forbidden rights executable by any of ${read.accounts} ${accountWord[1]}${accepted.length > 0 ? ' beyond the accepted ones below' : ''}${leftOut}`,
  };
}
