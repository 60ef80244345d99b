import { failed, passed, undecided } from '../../controls/judgement.js';
import { defineCheck, CannotObserve } from '../check.js';
import { MARIADB_PUBLIC_ROLE, accountName, reachableRoles, readMysqlAccounts, readRoleGrants, type MysqlAccount } from '../catalog/mysql-accounts.js';
import { readMariaDbUnlistedPrivileges, readSystemDatabaseWrites } from '../catalog/mysql-privilege-grants.js';
import { matchedAccountText } from '../../sessions/login-attempt.js';
import { administratorPowers } from './mysql-administrator-powers.js';
import type { SqlSession } from '../../sessions/sql-session.js';
import { judgeForeignLogins, type ForeignLoginsRead } from './postgres-foreign-logins.js';
import { judgeSuperuserDefinerRoutines, type SuperuserDefinerRoutinesRead } from './postgres-superuser-definer-routines.js';
import { definerRoutinesOfCatalogDatabase } from './postgres-definer-routines.js';
import { databasesItMayConnectTo, postgresSuperuserPaths, thisServerNames } from './postgres-superuser-paths.js';
import { readOtherDatabaseCatalog, type OtherDatabaseCatalog } from './other-database-catalog.js';
import { judgeAdministratorDefinerRoutines, readAdministratorDefinerRoutinesOf, type AdministratorDefinerRoutinesRead } from './mysql-administrator-definer-routines.js';

export interface SuperuserEvidence {
  readAs: string;
  application: string;
  /** Each way the application account reaches superuser power. */
  superuserPaths: string[];
  /** PostgreSQL 16+: memberships in superuser roles that allow neither SET ROLE nor inheritance, so confer no power. */
  inertMemberships?: string[];
  accountsSeen: string[];
  /**
   * MySQL: the anonymous accounts (empty user name) a login as the application may be let in as
   * instead, from a host none of its own accounts matches first, each with the administrator's
   * powers it holds (directly or through roles). Absent in evidence from before they were read.
   */
  anonymousAccounts?: ReadonlyArray<{ account: string; powers: readonly string[] }>;
  /** MySQL: the account the harness's own login as the application was let in as (CURRENT_USER()); absent when it did not log in. */
  loginMatched?: string;
  /** MySQL: the roles the application's accounts hold (any depth, and PUBLIC), examined; absent in evidence from before. */
  rolesExamined?: readonly string[];
  /** PostgreSQL: the powers short of superuser that were looked for too (postgres-superuser-equivalents.ts), for a pass to name; absent in evidence from before. */
  alsoLookedFor?: readonly string[];
  /** PostgreSQL: the user mappings of foreign servers it may use, judged with the paths (postgres-foreign-logins.ts); absent in evidence from before they were read. */
  foreignLogins?: ForeignLoginsRead;
  /** PostgreSQL: the superusers' SECURITY DEFINER routines it may run, judged with the paths (postgres-superuser-definer-routines.ts); absent in evidence from before they were read. */
  definerRoutines?: SuperuserDefinerRoutinesRead;
  /** MySQL: administrators' SQL SECURITY DEFINER routines it may run, judged with the paths (mysql-administrator-definer-routines.ts); absent in evidence from before they were read. */
  administratorDefinerRoutines?: AdministratorDefinerRoutinesRead;
  /**
   * PostgreSQL: the same read in every other database the application may connect to (CONNECT):
   * function grants, dblink's functions, foreign servers and routines are kept per database. Absent in
   * evidence from before they were read.
   */
  otherDatabases?: OtherDatabasePaths;
}

export interface OtherDatabasePaths {
  read: ReadonlyArray<{ database: string; superuserPaths: readonly string[]; foreignLogins?: ForeignLoginsRead; definerRoutines?: SuperuserDefinerRoutinesRead }>;
  /** Databases the application may connect to that the reading account could not read; `platform` marks Azure's own. */
  unreadable: ReadonlyArray<{ database: string; reason: string; platform?: true }>;
  /** Why the other databases could not be listed, or that there were more than the bound. */
  problem?: string;
}

type SuperuserPaths = Pick<
  SuperuserEvidence,
  'superuserPaths' | 'accountsSeen' | 'inertMemberships' | 'anonymousAccounts' | 'rolesExamined' | 'alsoLookedFor' | 'foreignLogins' | 'definerRoutines' | 'administratorDefinerRoutines'
>;

/**
 * access.app-not-superuser: the application (login) account holds no superuser power, directly or
 * through a role, nor what makes a superuser in all but name: on PostgreSQL the predefined roles
 * that reach the host, EXECUTE on the functions that write or read server files or on
 * dblink_connect_u, and before 16 CREATEROLE (postgres-superuser-equivalents.ts), and a foreign
 * server's user mapping that logs it in to this host as such a role (postgres-foreign-logins.ts), or a
 * superuser's SECURITY DEFINER routine that runs what its caller gives it (undecided for one whose
 * body cannot be shown harmless: postgres-superuser-definer-routines.ts); on MySQL every
 * account of its user name counts (which one a login gets depends on its host), and so does
 * what makes an administrator in all but name (mysql-administrator-powers.ts), and an
 * administrator's SQL SECURITY DEFINER routine that runs what its caller gives it (undecided for one
 * whose body cannot be shown harmless: mysql-administrator-definer-routines.ts).
 */
export const appNotSuperuser = defineCheck<SuperuserEvidence>({
  id: 'access.app-not-superuser',
  evidenceTitle: 'application account privileges',
  async read(context) {
    const { target } = context;
    const application = target.user;
    if (!application) throw new CannotObserve('no application (login) account is declared for this target');
    if (target.engine === 'postgres') {
      // The SECURITY DEFINER routines are read once for this check and access.least-privilege.
      const { result: routines } = await definerRoutinesOfCatalogDatabase(context);
      const { readAs, result } = await context.catalog.read("the application account's privileges", async (session) => {
        const thisServer = await thisServerNames(session, target.host);
        return { ...(await postgresSuperuserPaths(session, application, thisServer, routines)), connectable: await databasesItMayConnectTo(session, application) };
      });
      const { connectable, ...paths } = result;
      if (paths.accountsSeen.length === 0) return { readAs, application, ...paths };
      return { readAs, application, ...paths, otherDatabases: applicationPathsInOtherDatabases(await readOtherDatabaseCatalog(context), connectable) };
    }
    // Which account the server lets a login as the application in as: an anonymous account may take it.
    const login = await context.login(await context.loginTransport());
    const loginMatched = login?.outcome === 'accepted' && login.matchedAccount !== undefined ? matchedAccountText(login.matchedAccount) : undefined;
    const { readAs, result } = await context.catalog.read("the application account's privileges", (session) => mysqlSuperuserPaths(session, application, loginMatched));
    return { readAs, application, ...result, ...(loginMatched ? { loginMatched } : {}) };
  },
  judge({ readAs, application, superuserPaths, accountsSeen, inertMemberships, anonymousAccounts, loginMatched, rolesExamined, alsoLookedFor, foreignLogins, definerRoutines, administratorDefinerRoutines, otherDatabases }) {
    const foreign = foreignLogins ? judgeForeignLogins(foreignLogins, application) : undefined;
    const routines = definerRoutines ? judgeSuperuserDefinerRoutines(definerRoutines) : undefined;
    const administratorRoutines = administratorDefinerRoutines ? judgeAdministratorDefinerRoutines(administratorDefinerRoutines) : undefined;
    const paths = [...superuserPaths, ...(foreign?.paths ?? []), ...(routines?.paths ?? []), ...(administratorRoutines?.paths ?? [])];
    const elsewhere = otherDatabases ? judgeOtherDatabases(otherDatabases, application, new Set(paths)) : undefined;
    paths.push(...(elsewhere?.paths ?? []));
    if (paths.length > 0) return failed(`the application account "${application}" has superuser power: ${paths.join('; ')}`);
    if (accountsSeen.length === 0) return undecided(`the catalog has no account named "${application}"`);
    const maskingAdministrators = (anonymousAccounts ?? []).filter((anonymous) => anonymous.powers.length > 0);
    if (maskingAdministrators.length > 0) {
      return undecided(
        `which account a login as "${application}" is let in as depends on the host it comes from, and cannot be told from here: from a host none of ${accountsSeen.join(', ')} matches first, an anonymous account takes it, and has superuser power: ${maskingAdministrators.flatMap((anonymous) => anonymous.powers).join('; ')}; the harness's own login as "${application}" was ${loginMatched ? `let in as ${loginMatched}` : 'not let in'}`,
      );
    }
    if (foreign?.undecided.length) return undecided(`whether the application account "${application}" may log in as a superuser through a foreign server could not be decided: ${foreign.undecided.join('; ')} (${readAs})`);
    if (routines?.undecided.length) return undecided(`whether the application account "${application}" has superuser power through a superuser's SECURITY DEFINER routine could not be decided: ${routines.undecided.join('; ')} (${readAs})`);
    if (administratorRoutines?.undecided.length) {
      return undecided(`whether the application account "${application}" has an administrator's power through an administrator's SQL SECURITY DEFINER routine could not be decided: ${administratorRoutines.undecided.join('; ')} (${readAs})`);
    }
    if (elsewhere?.undecided.length) return undecided(`whether the application account "${application}" has superuser power through what another database keeps could not be decided: ${elsewhere.undecided.join('; ')} (${readAs})`);
    const inert = inertMemberships?.length ? `; ${inertMemberships.length} membership in a superuser role allows neither SET ROLE nor inheritance: ${inertMemberships.join('; ')}` : '';
    const lookedFor = [...(alsoLookedFor ?? []), ...(foreign ? [foreign.lookedFor] : []), ...(routines ? [routines.lookedFor] : [])];
    const also = `${lookedFor.length ? `; nor what makes a superuser in all but name: ${lookedFor.join('; ')}` : ''}${elsewhere ? `; ${elsewhere.lookedFor}` : ''}`;
    if (anonymousAccounts === undefined) return passed(`the application account "${application}" (${accountsSeen.join(', ')}) holds no superuser, SUPER or all-privileges grant${also}${inert} (${readAs})`);
    const roles = rolesExamined?.length ? `, directly or through ${rolesExamined.length} role${rolesExamined.length > 1 ? 's' : ''} (${rolesExamined.join(', ')})` : `, directly (${accountsSeen.length > 1 ? 'they hold' : 'it holds'} no role)`;
    const anonymous = anonymousAccounts.length > 0 ? `; nor do the anonymous accounts a login as "${application}" may be let in as instead: ${anonymousAccounts.map((entry) => entry.account).join(', ')}` : '';
    const definerRoutine = administratorRoutines ? `; ${administratorRoutines.lookedFor}` : '';
    return passed(
      `the ${accountsSeen.length} account${accountsSeen.length > 1 ? 's' : ''} of the application, "${application}" (${accountsSeen.join(', ')}), hold${accountsSeen.length > 1 ? '' : 's'} no SUPER, ALL PRIVILEGES, CREATE USER, SET USER or write on the mysql system database${roles}${anonymous}${definerRoutine}${loginMatched ? `; the harness's login as "${application}" was let in as ${loginMatched}` : ''} (${readAs})`,
    );
  },
});

/**
 * The application's superuser paths read again in every other database it may connect to: EXECUTE
 * on the server-file functions and on dblink's functions, foreign servers with their user mappings,
 * and routines are kept per database, and a grant or mapping there serves it as well as one in the
 * catalog session's database (seen on lab 15: a PUBLIC mapping to this host as postgres in another
 * database, and the application made itself SUPERUSER through it while this check passed). They are
 * read in the walk the checks share (other-database-catalog.ts), one login per database for all.
 */
function applicationPathsInOtherDatabases(catalog: OtherDatabaseCatalog, connectable: readonly string[]): OtherDatabasePaths {
  const may = new Set(connectable);
  // Read whenever the target declares an application account, which this check needs to get here.
  const others = catalog.application ?? { results: [], unreadable: [], problem: "the application account's privileges were not read in the other databases" };
  return {
    read: others.results.flatMap(({ database, result }) => (result && may.has(database) ? [{ database, ...result }] : [])),
    unreadable: others.unreadable.filter((entry) => may.has(entry.database)),
    ...(others.problem ? { problem: others.problem } : {}),
  };
}

/**
 * What the other databases add: their paths not already found (memberships and the like are the
 * same in every database), each naming its database; undecided for a database that could not be
 * read (Azure's own excepted: no customer's role may enter them) and for its undecided mappings.
 */
export function judgeOtherDatabases(others: OtherDatabasePaths, application: string, found: ReadonlySet<string>): { paths: string[]; undecided: string[]; lookedFor: string } {
  const paths: string[] = [];
  const undecided: string[] = [];
  for (const { database, superuserPaths, foreignLogins, definerRoutines } of others.read) {
    const foreign = foreignLogins ? judgeForeignLogins(foreignLogins, application) : undefined;
    const routines = definerRoutines ? judgeSuperuserDefinerRoutines(definerRoutines) : undefined;
    for (const path of [...superuserPaths, ...(foreign?.paths ?? []), ...(routines?.paths ?? [])]) if (!found.has(path)) paths.push(`in database "${database}": ${path}`);
    undecided.push(...[...(foreign?.undecided ?? []), ...(routines?.undecided ?? [])].map((reason) => `in database "${database}": ${reason}`));
  }
  const unreadable = others.unreadable.filter((entry) => !entry.platform);
  undecided.push(...unreadable.map((entry) => `database "${entry.database}", which it may connect to, could not be read (${entry.reason})`));
  if (others.problem) undecided.push(others.problem);
  const names = others.read.map((entry) => entry.database);
  return {
    paths,
    undecided,
    lookedFor: `the same function grants, dblink functions, foreign servers and superusers' SECURITY DEFINER routines read in the ${names.length} other database${names.length === 1 ? '' : 's'} it may connect to${names.length ? ` (${names.join(', ')})` : ''}`,
  };
}

async function mysqlSuperuserPaths(session: SqlSession, user: string, loginMatched: string | undefined): Promise<SuperuserPaths> {
  const accounts = await readMysqlAccounts(session);
  const grants = await readRoleGrants(session);
  const beyondColumns = { systemWrites: await readSystemDatabaseWrites(session), unlisted: await readMariaDbUnlistedPrivileges(session) };
  const rolesExamined = new Set<string>();
  /** Every administrator's power the account holds, itself or through a role, worded after the account; `seen` collects the roles looked at. */
  const pathsOf = (account: MysqlAccount, seen?: Set<string>): string[] => [
    ...administratorPowers(account, beyondColumns).map((power) => `${accountName(account)} holds ${power}`),
    ...reachableRoles(account, grants, accounts).flatMap(({ role, via }) => {
      seen?.add(role.user);
      const granted = accounts.find((candidate) => candidate.user === role.user && candidate.host === role.host);
      const powers = granted ? administratorPowers(granted, beyondColumns) : [];
      const how = role.user === MARIADB_PUBLIC_ROLE && via.length === 0 ? 'holds role PUBLIC (every account does)' : `is granted role "${role.user}"${via.length ? ` through ${via.map((name) => `"${name}"`).join(' -> ')}` : ''}`;
      return powers.map((power) => `${accountName(account)} ${how}, which holds ${power}`);
    }),
  ];
  const mine = accounts.filter((account) => account.user === user && !account.isRole);
  const paths = mine.flatMap((account) => pathsOf(account, rolesExamined));
  // An anonymous account takes any user name from the hosts it matches first (MySQL sorts by host before user).
  const anonymous = accounts.filter((account) => account.user === '' && !account.isRole && !account.locked).map((account) => ({ account: accountName(account), paths: pathsOf(account) }));
  const matchedAnonymous = anonymous.find((entry) => entry.account === loginMatched);
  // An administrator's SQL SECURITY DEFINER routine it may run: whatever its caller steers into it runs as the administrator.
  // The anonymous account its login was let in as runs them too: what that account may EXECUTE, the application may.
  const landedIn = accounts.filter((account) => matchedAnonymous !== undefined && accountName(account) === matchedAnonymous.account);
  // Another anonymous account a login from elsewhere may land in: a routine that runs its caller's statement as an administrator is its power too.
  const elsewhere = anonymous.filter((candidate) => candidate !== matchedAnonymous);
  const [administratorDefinerRoutines, ...anonymousRoutines] = await readAdministratorDefinerRoutinesOf(
    session,
    accounts,
    grants,
    [[...mine, ...landedIn], ...elsewhere.map((entry) => accounts.filter((candidate) => accountName(candidate) === entry.account))],
    (account) => pathsOf(account),
  );
  const otherAnonymous = elsewhere.map((entry, index) => {
    const routines = judgeAdministratorDefinerRoutines(anonymousRoutines[index]);
    // A routine whose body could not be shown harmless is not a power, but leaves which account a login lands in as undecided as one.
    return { account: entry.account, powers: [...entry.paths, ...routines.paths, ...routines.undecided.map((reason) => `${reason} (not decided)`)] };
  });
  return {
    superuserPaths: [...paths, ...(matchedAnonymous ? matchedAnonymous.paths.map((path) => `a login as "${user}" is let in as the anonymous account: ${path}`) : [])],
    accountsSeen: mine.map(accountName),
    anonymousAccounts: otherAnonymous,
    rolesExamined: [...rolesExamined].sort(),
    administratorDefinerRoutines,
  };
}
