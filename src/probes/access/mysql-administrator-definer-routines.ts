import type { SqlSession } from '../../sessions/sql-session.js';
import { MARIADB_PUBLIC_ROLE, accountName, reachableRoles, type MysqlAccount, type RoleGrant } from '../catalog/mysql-accounts.js';
import {
  anyUserRowText,
  databasePatternCovers,
  definerAccount,
  readExecuteGrants,
  readStoredRoutines,
  routineExecution,
  routineTitle,
  type RoutineSource,
  type StoredRoutine,
} from '../catalog/mysql-stored-routines.js';
import { hostPatternsMeet } from '../catalog/mysql-like-pattern.js';
import { analyseRoutineBody, isTextualType, parseParameterList, type CallerText, type RoutineParameter } from './mysql-routine-body.js';

/**
 * MySQL/MariaDB SQL SECURITY DEFINER procedures and functions whose DEFINER holds an
 * administrator's power (mysql-administrator-powers.ts, itself or through a role), that the
 * application may EXECUTE: whatever such a routine runs, it runs as the administrator. Observed on
 * lab MariaDB 10.11 as the application (ALL on its database only): through the lab variant's
 * root-defined `PREPARE s FROM statement` it granted itself SELECT on mysql.global_priv; through a
 * root-defined routine with no dynamic SQL at all, `SELECT COUNT(*) INTO n FROM items`, it wrote
 * mysql.global_priv too, after putting an SQL SECURITY INVOKER view over an SQL SECURITY INVOKER
 * function of its own in place of the table `items` (where log_bin_trust_function_creators lets it
 * create functions): the function ran as root. A trigger it creates runs as itself, its DEFINER, and
 * hands over nothing.
 *
 * So access.app-not-superuser fails a routine whose dynamic SQL runs text its caller wrote
 * (mysql-routine-body.ts), and passes one only when its body has no dynamic SQL, none of the
 * statements that reach an administrator's power, no call of a stored function, and the application
 * may create or replace nothing where the body looks names up: the routine's own database and those
 * it names. Every other such routine leaves it undecided, naming it. The body never reaches the
 * evidence: only what it was found to do, and a parameter's name.
 *
 * Left out: what the objects the body uses do when the application cannot replace them (a view,
 * trigger or function an administrator put there; a stored function call is undecided); temporary
 * tables the application creates in the routine's session (data only: they can carry no trigger and
 * be no view).
 */

export interface AdministratorDefinerRoutine {
  /** "PROCEDURE db.name" or "FUNCTION db.name". */
  routine: string;
  /** Its DEFINER account. */
  definer: string;
  /** The administrator's powers its definer holds, worded after it ("holds SUPER", 'is granted role "ops", which holds SUPER'). */
  definerPowers: string[];
  /** The application's accounts that may EXECUTE it; `how`: "through role r" (absent: itself, or through PUBLIC). */
  runners: Array<{ account: string; how?: string }>;
  /** PUBLIC may EXECUTE it: every account. */
  public: boolean;
  /**
   * What its body was found to do (never the body: it may hold a password). caller-statement: its
   * dynamic SQL runs text its caller wrote; dynamic-sql: dynamic SQL not traced to its caller;
   * static: none; unreadable: not analysed.
   */
  body: 'caller-statement' | 'dynamic-sql' | 'static' | 'unreadable';
  /** caller-statement: the parameter, @variable or prepared statement the text comes from. */
  from?: CallerText;
  /** unreadable: why. */
  unreadable?: string;
  /** static: what in it reaches an administrator's power ("GRANT", "the mysql system database"). */
  statements?: string[];
  /** static: the stored functions it calls ("FUNCTION db.name"), which run as its definer or their own. */
  functions?: string[];
  /** static: how the application may create or replace objects where the body looks names up (the routine's database and those it names). */
  replaceable?: string[];
}

export interface AdministratorDefinerRoutinesRead {
  /** Every stored routine listed, SQL SECURITY DEFINER or not. */
  examined: number;
  source?: RoutineSource;
  /** The administrators' SQL SECURITY DEFINER routines the application may EXECUTE (at most MAX_ROUTINES). */
  routines: AdministratorDefinerRoutine[];
  /** More than MAX_ROUTINES such routines: the rest were not read. */
  truncated: boolean;
  /** Why the routines could not all be listed: nothing can pass. */
  problem?: string;
}

/** Routine bodies read; past it the read is incomplete, and cannot pass. */
export const MAX_ROUTINES = 200;
/** Longer bodies are not read (each is one row over the wire), and stay unreadable. */
const MAX_BODY_BYTES = 1 << 20;

/** The privileges that create, drop or change tables, views and routines: with them the application puts its own object where a routine looks a name up. */
const REPLACING_PRIVILEGES: ReadonlyArray<{ column: string; words: string }> = [
  { column: 'Create', words: 'CREATE' },
  { column: 'Drop', words: 'DROP' },
  { column: 'Alter', words: 'ALTER' },
  { column: 'Create_view', words: 'CREATE VIEW' },
  { column: 'Create_routine', words: 'CREATE ROUTINE' },
  { column: 'Alter_routine', words: 'ALTER ROUTINE' },
];
/** The same on one table (mysql.tables_priv's Table_priv words). */
const REPLACING_TABLE_PRIVILEGES = ['Create', 'Drop', 'Alter', 'Create View'];

/**
 * The administrators' SQL SECURITY DEFINER routines that the application's accounts may run, each
 * with what its body was found to do. `administratorPaths`: an account's administrator's powers,
 * itself and through roles, each worded after the account (as app-not-superuser words its paths).
 * `sources`: where to list them from, in order (readStoredRoutines; tests ask for the second alone).
 */
export async function readAdministratorDefinerRoutines(
  session: SqlSession,
  accounts: readonly MysqlAccount[],
  roleGrants: readonly RoleGrant[],
  application: readonly MysqlAccount[],
  administratorPaths: (account: MysqlAccount) => string[],
  sources?: readonly RoutineSource[],
): Promise<AdministratorDefinerRoutinesRead> {
  const [read] = await readAdministratorDefinerRoutinesOf(session, accounts, roleGrants, [application], administratorPaths, sources);
  return read;
}

/**
 * The same for several groups of callers at once (the application's accounts, and each anonymous
 * account a login may land in instead), one read each: the routines are listed, their EXECUTE
 * grants read and each body read once for all the groups.
 */
export async function readAdministratorDefinerRoutinesOf(
  session: SqlSession,
  accounts: readonly MysqlAccount[],
  roleGrants: readonly RoleGrant[],
  groups: ReadonlyArray<readonly MysqlAccount[]>,
  administratorPaths: (account: MysqlAccount) => string[],
  sources?: readonly RoutineSource[],
): Promise<AdministratorDefinerRoutinesRead[]> {
  const listed = await readStoredRoutines(session, accounts, sources);
  if ('problem' in listed) return groups.map(() => ({ examined: 0, routines: [], truncated: false, problem: listed.problem }));
  const { stored, source } = listed;
  const executionOf = routineExecution(accounts, roleGrants, await readExecuteGrants(session));
  const functions = new Set(stored.filter((routine) => routine.type.toUpperCase() === 'FUNCTION').map((routine) => `${routine.db}.${routine.name}`.toLowerCase()));
  // The administrators' SQL SECURITY DEFINER routines, whoever may run them.
  const administrators = stored.flatMap((routine) => {
    if (routine.security_type.toUpperCase() !== 'DEFINER') return [];
    const definer = definerAccount(routine, accounts);
    if (!definer) return [];
    const prefix = `${accountName(definer)} `;
    const definerPowers = administratorPaths(definer).map((path) => (path.startsWith(prefix) ? path.slice(prefix.length) : path));
    return definerPowers.length === 0 ? [] : [{ routine, definer, definerPowers, execution: executionOf(routine) }];
  });
  const texts = new Map<StoredRoutine, ReturnType<typeof readRoutineText>>();
  const textOf = (routine: StoredRoutine) => texts.get(routine) ?? texts.set(routine, readRoutineText(session, routine, source)).get(routine)!;
  const reads: AdministratorDefinerRoutinesRead[] = [];
  for (const application of groups) {
    const mine = new Set(application.map(accountName));
    const found: Array<Omit<AdministratorDefinerRoutine, 'body'> & { stored: StoredRoutine }> = [];
    for (const { routine, definer, definerPowers, execution } of administrators) {
      // An application account that is an administrator is a path already.
      if (mine.has(accountName(definer))) continue;
      const runners = application.flatMap((account) => {
        const may = execution.by(account);
        return may ? [{ account: accountName(account), ...may }] : [];
      });
      if (runners.length === 0) continue;
      found.push({ stored: routine, routine: routineTitle(routine), definer: accountName(definer), definerPowers, runners, public: execution.byPublic });
    }
    const read = found.slice(0, MAX_ROUTINES);
    const replacing = read.length > 0 ? await replacingRights(session, accounts, roleGrants, application) : () => [];
    const routines: AdministratorDefinerRoutine[] = [];
    for (const { stored: routine, ...entry } of read) {
      const text = await textOf(routine);
      if ('unreadable' in text) {
        routines.push({ ...entry, body: 'unreadable', unreadable: text.unreadable });
        continue;
      }
      const finding = analyseRoutineBody(text.body, text.parameters, text.sqlMode, routine.db);
      if (finding.kind === 'caller-statement') routines.push({ ...entry, body: 'caller-statement', from: finding.from });
      else if (finding.kind === 'dynamic-sql') routines.push({ ...entry, body: 'dynamic-sql' });
      else if (finding.kind === 'unreadable') routines.push({ ...entry, body: 'unreadable', unreadable: finding.why });
      else {
        // Unqualified names are looked up in the routine's own database.
        const called = finding.calls.map((call) => (call.includes('.') ? call : `${routine.db}.${call}`)).filter((call) => functions.has(call.toLowerCase()));
        routines.push({
          ...entry,
          body: 'static',
          statements: finding.statements,
          functions: [...new Set(called)].map((call) => `FUNCTION ${call}`),
          replaceable: [...new Set([routine.db, ...finding.databases])].flatMap(replacing),
        });
      }
    }
    reads.push({ examined: stored.length, source, routines, truncated: found.length > MAX_ROUTINES });
  }
  return reads;
}

/** The routine's body, parameters and sql_mode, from where its list came; `unreadable` when they cannot be had whole. */
async function readRoutineText(
  session: SqlSession,
  routine: StoredRoutine,
  source: RoutineSource,
): Promise<{ body: string; parameters: RoutineParameter[]; sqlMode: string } | { unreadable: string }> {
  const key = [routine.db, routine.name, routine.type];
  try {
    const [row] =
      source === 'mysql.proc'
        ? await session.query<{ body: string | null; length: number | string | null; params: string | null; sql_mode: string | null }>(
            `SELECT IF(LENGTH(body) <= ${MAX_BODY_BYTES}, CAST(body AS CHAR), NULL) AS body, LENGTH(body) AS length, CAST(param_list AS CHAR) AS params, CAST(sql_mode AS CHAR) AS sql_mode
               FROM mysql.proc WHERE db = ? AND name = ? AND type = ?`,
            key,
          )
        : await session.query<{ body: string | null; length: number | string | null; params: null; sql_mode: string | null }>(
            `SELECT IF(LENGTH(ROUTINE_DEFINITION) <= ${MAX_BODY_BYTES}, ROUTINE_DEFINITION, NULL) AS body, LENGTH(ROUTINE_DEFINITION) AS length, NULL AS params, SQL_MODE AS sql_mode
               FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = ? AND ROUTINE_NAME = ? AND ROUTINE_TYPE = ?`,
            key,
          );
    if (!row) return { unreadable: `it was not found again in ${source}` };
    if (row.length === null) return { unreadable: `${source} shows its body to no one but its definer and those allowed to see it, and not to the reading account` };
    if (row.body === null) return { unreadable: `its body is longer than ${MAX_BODY_BYTES} bytes, and was not read` };
    const sqlMode = row.sql_mode ?? '';
    const parameters =
      source === 'mysql.proc'
        ? parseParameterList(row.params ?? '', sqlMode)
        : (
            await session.query<{ mode: string | null; name: string; type: string }>(
              `SELECT PARAMETER_MODE AS mode, PARAMETER_NAME AS name, DATA_TYPE AS type FROM information_schema.PARAMETERS
                WHERE SPECIFIC_SCHEMA = ? AND SPECIFIC_NAME = ? AND ROUTINE_TYPE = ? AND ORDINAL_POSITION > 0 ORDER BY ORDINAL_POSITION`,
              key,
            )
          ).map((parameter) => ({ name: parameter.name, mode: (parameter.mode?.toUpperCase() ?? 'IN') as RoutineParameter['mode'], textual: isTextualType(parameter.type) }));
    if (parameters === undefined) return { unreadable: 'its parameter list could not be lexed' };
    return { body: row.body, parameters, sqlMode };
  } catch (error) {
    return { unreadable: `its body could not be read (${(error as Error).message})` };
  }
}

/**
 * For a database, how the application may create or replace objects in it: the replacing privileges
 * held by any of its accounts, itself or through a role it reaches (PUBLIC included), on *.*, on a
 * mysql.db pattern covering the database, on one of its tables, or ALTER ROUTINE on one of its
 * routines (which also turns a routine's SQL SECURITY to INVOKER). INDEX, TRIGGER and EVENT are not
 * among them: an index runs no code, and a trigger or event runs as its own DEFINER, the application
 * (seen on lab 10.11: its trigger's write on mysql.global_priv, fired by root's routine, was denied).
 */
async function replacingRights(session: SqlSession, accounts: readonly MysqlAccount[], roleGrants: readonly RoleGrant[], application: readonly MysqlAccount[]): Promise<(database: string) => string[]> {
  const databaseGrants = await session.query<Record<string, string>>(
    `SELECT User, Host, CAST(Db AS CHAR) AS Db, ${REPLACING_PRIVILEGES.map(({ column }) => `${column}_priv`).join(', ')} FROM mysql.db
      WHERE ${REPLACING_PRIVILEGES.map(({ column }) => `${column}_priv = 'Y'`).join(' OR ')}`,
  );
  const tableGrants = await session.query<{ User: string; Host: string; Db: string; Table_name: string; Table_priv: string }>(
    `SELECT User, Host, CAST(Db AS CHAR) AS Db, CAST(Table_name AS CHAR) AS Table_name, CAST(Table_priv AS CHAR) AS Table_priv FROM mysql.tables_priv
      WHERE ${REPLACING_TABLE_PRIVILEGES.map((privilege) => `FIND_IN_SET('${privilege}', Table_priv) > 0`).join(' OR ')}`,
  );
  const routineGrants = await session.query<{ User: string; Host: string; Db: string; Routine_name: string; Routine_type: string }>(
    "SELECT User, Host, CAST(Db AS CHAR) AS Db, CAST(Routine_name AS CHAR) AS Routine_name, CAST(Routine_type AS CHAR) AS Routine_type FROM mysql.procs_priv WHERE FIND_IN_SET('Alter Routine', Proc_priv) > 0",
  );
  // Each holder once: an application account, or a role one of them reaches, with how.
  const holders = new Map<string, { key: Pick<MysqlAccount, 'user' | 'host'>; who: string }>();
  for (const account of application) {
    holders.set(accountName(account), { key: account, who: accountName(account) });
    for (const { role, via } of reachableRoles(account, roleGrants, accounts)) {
      if (holders.has(accountName(role))) continue;
      const who = role.user === MARIADB_PUBLIC_ROLE && via.length === 0 ? 'PUBLIC (every account)' : `role "${role.user}" (${accountName(account)}${via.length ? ` through ${via.map((name) => `"${name}"`).join(' -> ')}` : ''})`;
      holders.set(accountName(role), { key: role, who });
    }
  }
  const same = (row: { User: string; Host: string }, key: Pick<MysqlAccount, 'user' | 'host'>) => row.User === key.user && row.Host === key.host;
  const words = (held: readonly string[]) => held.join(', ').toUpperCase();
  const heldByName = (row: Record<string, string>) => REPLACING_PRIVILEGES.filter(({ column }) => row[`${column}_priv`] === 'Y').map(({ words: privilege }) => privilege).join(', ');
  // A row for any user name (User '') holds for the application's accounts too, whatever their names.
  const byAnyUser = (database: string) =>
    databaseGrants
      .filter((row) => row.User === '' && databasePatternCovers(row.Db, database) && application.some((account) => !account.isRole && hostPatternsMeet(row.Host, account.host)))
      .map((row) => `every user name holds ${heldByName(row)} on ${row.Db}.* (${anyUserRowText({ Host: row.Host, Db: row.Db })})`);
  return (database) => [
    ...byAnyUser(database),
    ...[...holders.values()].flatMap(({ key, who }) => {
      const account = accounts.find((candidate) => same({ User: candidate.user, Host: candidate.host }, key));
      const global = REPLACING_PRIVILEGES.filter(({ column }) => account?.allGlobalPrivileges || account?.globalPrivileges.includes(column)).map(({ words: privilege }) => privilege);
      return [
        ...(global.length ? [`${who} holds ${global.join(', ')} on *.*`] : []),
        ...databaseGrants
          .filter((row) => same(row as { User: string; Host: string }, key) && databasePatternCovers(row.Db, database))
          .map((row) => `${who} holds ${heldByName(row)} on ${row.Db}.*`),
        ...tableGrants
          .filter((row) => same(row, key) && row.Db.toLowerCase() === database.toLowerCase())
          .map((row) => `${who} holds ${words(row.Table_priv.split(',').filter((privilege) => REPLACING_TABLE_PRIVILEGES.includes(privilege)))} on ${row.Db}.${row.Table_name}`),
        ...routineGrants
          .filter((row) => same(row, key) && row.Db.toLowerCase() === database.toLowerCase())
          .map((row) => `${who} holds ALTER ROUTINE on ${row.Routine_type.toUpperCase()} ${row.Db}.${row.Routine_name}`),
      ];
    }),
  ];
}

/**
 * The routines' part of access.app-not-superuser's judgement: one whose dynamic SQL runs its
 * caller's text is a path to the administrator's power; a static one with nothing the application
 * may steer is not counted; every other one is undecided, with why; a read cut short or a list not
 * read whole is undecided. `lookedFor` says what a pass covered.
 */
export function judgeAdministratorDefinerRoutines(read: AdministratorDefinerRoutinesRead): { paths: string[]; undecided: string[]; lookedFor: string } {
  const paths: string[] = [];
  const undecided: string[] = read.problem ? [read.problem] : [];
  const notCounted: string[] = [];
  for (const routine of read.routines) {
    const runners = routine.runners.map((runner) => runner.account).join(', ');
    const how = routine.public ? ', granted to PUBLIC' : [...new Set(routine.runners.flatMap((runner) => runner.how ?? []))].map((through) => `, ${through}`).join('');
    // The first power names the definer an administrator; the evidence keeps them all.
    const more = routine.definerPowers.length - 1;
    const what = `${runners} may EXECUTE ${routine.routine}${how}, SQL SECURITY DEFINER ${routine.definer} (it ${routine.definerPowers[0]}${more > 0 ? `, and ${more} more administrator's power${more > 1 ? 's' : ''}` : ''})`;
    const as = `as ${routine.definer}`;
    if (routine.body === 'caller-statement' && routine.from) {
      const { kind, name } = routine.from;
      paths.push(
        `${what}: ${
          kind === 'parameter'
            ? `it runs the statement its caller passes as ${name}, ${as}`
            : kind === 'session-variable'
              ? `it runs the statement its caller leaves in ${name} (a session variable the routine never sets), ${as}`
              : `it EXECUTEs prepared statement ${name}, which it never PREPAREs: the statement its caller prepared under that name runs ${as}`
        }`,
      );
      continue;
    }
    const why =
      routine.body === 'dynamic-sql'
        ? ['it runs dynamic SQL (PREPARE ... FROM, EXECUTE IMMEDIATE) whose text was not traced to its caller']
        : routine.body === 'static'
          ? [
              ...(routine.statements?.length ? [`it runs statements that reach an administrator's power, ${as}: ${routine.statements.join(', ')}`] : []),
              ...(routine.functions?.length ? [`it calls ${routine.functions.join(', ')}, whose ${routine.functions.length > 1 ? 'bodies run' : 'body runs'} ${as} or as ${routine.functions.length > 1 ? 'their' : 'its'} own definer and ${routine.functions.length > 1 ? 'were' : 'was'} not followed`] : []),
              ...(routine.replaceable?.length
                ? [`the application may create or replace objects where it looks names up (${routine.replaceable.join('; ')}): an SQL SECURITY INVOKER view or function put in place of a table or function it uses runs ${as}`]
                : []),
            ]
          : [routine.unreadable ?? 'its body could not be read'];
    if (why.length === 0) {
      notCounted.push(routine.routine);
      continue;
    }
    undecided.push(`${what}: ${why.join('; ')}; whether it hands the application the administrator's power is not decided from its text`);
  }
  if (read.truncated) undecided.push(`more than ${MAX_ROUTINES} SQL SECURITY DEFINER routines of administrators that it may EXECUTE: only the first ${MAX_ROUTINES} were read`);
  const examined = `${read.examined} routine${read.examined === 1 ? '' : 's'} examined${read.source ? ` (${read.source})` : ''}`;
  return {
    paths,
    undecided,
    lookedFor: `nor an administrator's SQL SECURITY DEFINER routine it may run: ${examined}, ${read.routines.length} of them an administrator's that it may EXECUTE${
      notCounted.length ? ` (not counted, having no dynamic SQL, no administrator's statement, no stored function call and nothing the application may replace: ${notCounted.join(', ')})` : ''
    }`,
  };
}
