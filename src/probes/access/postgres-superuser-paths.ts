import type { SqlSession } from '../../sessions/sql-session.js';
import { FIRST_VERSION_NUM_WITH_MEMBERSHIP_OPTIONS, roleReach } from './postgres-database-rights.js';
import type { DatabaseDefinerRoutines } from './postgres-definer-routines.js';
import { judgeForeignLogins, loginNameOf, readForeignLogins, type ForeignLoginOptions, type ForeignLoginsRead, type LoginPower } from './postgres-foreign-logins.js';
import { adminOptionsOnIntermediateRoles, postgresSuperuserEquivalents } from './postgres-superuser-equivalents.js';
import { judgeSuperuserDefinerRoutines, superuserDefinerRoutinesOf, type SuperuserDefinerRoutinesRead } from './postgres-superuser-definer-routines.js';

/**
 * How a PostgreSQL role reaches superuser power in one database (access.app-not-superuser's
 * reading): superuser memberships, what makes a superuser in all but name, foreign logins, and
 * superusers' SECURITY DEFINER routines it may run. Read in the catalog session's database and, in
 * the walk of the other databases the checks share (other-database-catalog.ts), in each of those.
 */
export interface PostgresSuperuserPaths {
  superuserPaths: string[];
  accountsSeen: string[];
  /** 16+: memberships in superuser roles that allow neither SET ROLE nor inheritance. */
  inertMemberships?: string[];
  alsoLookedFor: string[];
  foreignLogins: ForeignLoginsRead;
  definerRoutines: SuperuserDefinerRoutinesRead;
}

/**
 * Superuser is an attribute, never inherited: a member gets it by SET ROLE. Before 16 every
 * membership allows that (pg_has_role MEMBER). From 16 a grant may say SET FALSE: then the member
 * reaches the role only if SET is allowed along some chain ('SET'); inheriting the role's
 * privileges ('USAGE', e.g. owner rights over what the superuser owns) fails too. A membership
 * with neither (an ADMIN option alone cannot grant a superuser role) is reported, not failed.
 */
export async function postgresSuperuserPaths(
  session: SqlSession,
  role: string,
  thisServer: readonly string[],
  routines: DatabaseDefinerRoutines,
  chain: ReadonlySet<string> = new Set(),
): Promise<PostgresSuperuserPaths> {
  const reach = await roleReach(session);
  const { version } = reach;
  const options = version >= FIRST_VERSION_NUM_WITH_MEMBERSHIP_OPTIONS;
  const rows = await session.query<{ rolname: string; rolsuper: boolean; via_set: string[]; via_inherit: string[]; inert: string[] }>(
    options
      ? `SELECT r.rolname, r.rolsuper,
                ARRAY(SELECT s.rolname FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'SET') ORDER BY 1)::text[] AS via_set,
                ARRAY(SELECT s.rolname FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'USAGE') ORDER BY 1)::text[] AS via_inherit,
                ARRAY(SELECT s.rolname FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'MEMBER')
                        AND NOT pg_has_role(r.oid, s.oid, 'SET') AND NOT pg_has_role(r.oid, s.oid, 'USAGE') ORDER BY 1)::text[] AS inert
           FROM pg_roles r WHERE r.rolname = $1`
      : `SELECT r.rolname, r.rolsuper,
                ARRAY(SELECT s.rolname FROM pg_roles s WHERE s.rolsuper AND s.oid <> r.oid AND pg_has_role(r.oid, s.oid, 'MEMBER') ORDER BY 1)::text[] AS via_set,
                ARRAY[]::text[] AS via_inherit, ARRAY[]::text[] AS inert
           FROM pg_roles r WHERE r.rolname = $1`,
    [role],
  );
  const paths = rows.flatMap((row) => [
    ...(row.rolsuper ? [`role "${row.rolname}" is SUPERUSER`] : []),
    ...row.via_set.map((superuser) => `member of superuser role "${superuser}"${options ? ' that it may SET ROLE to' : ''}`),
    ...row.via_inherit.filter((superuser) => !row.via_set.includes(superuser)).map((superuser) => `inherits the privileges of superuser role "${superuser}"`),
  ]);
  // 16+: an ADMIN OPTION alone on an ordinary role that reaches a superuser role: the application grants that role to itself.
  const administered = await adminOptionsOnIntermediateRoles(session, role, reach, 'p.rolsuper');
  paths.push(...administered.map((row) => `${row.path}, which reaches superuser role "${row.target}", so may grant it to itself`));
  const inert = rows.flatMap((row) => row.inert.filter((superuser) => !administered.some((entry) => entry.target === superuser)).map((superuser) => `member of superuser role "${superuser}" without SET or INHERIT: confers no superuser power`));
  // A superuser in all but name: the host as the server's operating-system user, or (before 16) CREATEROLE.
  const equivalents = await postgresSuperuserEquivalents(session, role, reach);
  // A login handed over by a foreign server's user mapping: as strong as the role it logs in as.
  const foreignLogins = await readForeignLogins(session, role, reach, thisServer);
  const further = new Set([...chain, role]);
  for (const login of foreignLogins.logins) if (login.options) login.login = await loginPower(session, login.options, thisServer, routines, further);
  // A superuser's SECURITY DEFINER routine it may run: whatever its caller steers into it runs as the superuser.
  const definerRoutines = superuserDefinerRoutinesOf(routines, role);
  return {
    superuserPaths: [...paths, ...equivalents.paths],
    accountsSeen: rows.map((row) => row.rolname),
    ...(options ? { inertMemberships: inert } : {}),
    alsoLookedFor: equivalents.lookedFor,
    foreignLogins,
    definerRoutines,
  };
}

/** How many logins deep a chain of foreign logins is followed (app -> x -> y ...) before it is undecided. */
const MAX_FOREIGN_LOGIN_DEPTH = 5;

/**
 * The power of the role a foreign login logs in as: its own superuser paths, read as the
 * application's are, its own foreign logins judged among them. A role already on the chain is being
 * judged further up, and a way back to it adds nothing.
 */
async function loginPower(session: SqlSession, options: ForeignLoginOptions, thisServer: readonly string[], routines: DatabaseDefinerRoutines, chain: ReadonlySet<string>): Promise<LoginPower | undefined> {
  const name = loginNameOf(options);
  if (name === undefined) return undefined;
  const [row] = await session.query<{ rolname: string; rolcanlogin: boolean; rolsuper: boolean }>(
    `SELECT rolname, rolcanlogin, rolsuper FROM pg_roles WHERE ${name === 'bootstrap' ? 'oid = 10' : 'rolname = $1'}`,
    name === 'bootstrap' ? [] : [name.user],
  );
  const assumed = name === 'bootstrap' ? { assumed: true as const } : {};
  if (!row) return { role: name === 'bootstrap' ? 'the bootstrap superuser' : name.user, ...assumed, exists: false, canLogin: false, superuserPaths: [], undecided: [] };
  const known = { role: row.rolname, ...assumed, exists: true, canLogin: row.rolcanlogin };
  // A superuser is one; pg_has_role would also call it a member of every other superuser role.
  if (row.rolsuper) return { ...known, superuserPaths: [`role "${row.rolname}" is SUPERUSER`], undecided: [] };
  if (chain.has(row.rolname)) return { ...known, superuserPaths: [], undecided: [] };
  if (chain.size >= MAX_FOREIGN_LOGIN_DEPTH) return { ...known, superuserPaths: [], undecided: [`a chain of more than ${MAX_FOREIGN_LOGIN_DEPTH} foreign logins (${[...chain, row.rolname].join(' -> ')}) was not followed further`] };
  const own = await postgresSuperuserPaths(session, row.rolname, thisServer, routines, chain);
  const foreign = judgeForeignLogins(own.foreignLogins, row.rolname);
  const ownRoutines = judgeSuperuserDefinerRoutines(own.definerRoutines);
  return { ...known, superuserPaths: [...own.superuserPaths, ...foreign.paths, ...ownRoutines.paths], undecided: [...foreign.undecided, ...ownRoutines.undecided] };
}

/** The databases that accept connections which the role may connect to (CONNECT, held itself, through PUBLIC or a role it inherits). */
export async function databasesItMayConnectTo(session: SqlSession, role: string): Promise<string[]> {
  const rows = await session.query<{ datname: string }>(
    `SELECT d.datname FROM pg_database d JOIN pg_roles r ON r.rolname = $1
      WHERE d.datallowconn AND has_database_privilege(r.oid, d.oid, 'CONNECT') ORDER BY 1`,
    [role],
  );
  return rows.map((row) => row.datname);
}

/** The names this server is known by for a foreign login's host: the target's host, and the address the catalog session reached (none over a Unix socket). */
export async function thisServerNames(session: SqlSession, targetHost: string): Promise<string[]> {
  const [{ address }] = await session.query<{ address: string | null }>('SELECT host(inet_server_addr()) AS address');
  return [...new Set([targetHost, ...(address ? [address] : [])])];
}

/** The role's paths in another database, read in the walk of the other databases; undefined where it may not connect. */
export async function superuserPathsInThisDatabase(
  session: SqlSession,
  role: string,
  targetHost: string,
  routines: DatabaseDefinerRoutines,
): Promise<{ superuserPaths: string[]; foreignLogins: ForeignLoginsRead; definerRoutines: SuperuserDefinerRoutinesRead } | undefined> {
  const [{ connects }] = await session.query<{ connects: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_database d JOIN pg_roles r ON r.rolname = $1
                     WHERE d.datname = current_database() AND has_database_privilege(r.oid, d.oid, 'CONNECT')) AS connects`,
    [role],
  );
  if (!connects) return undefined;
  const { superuserPaths, foreignLogins, definerRoutines } = await postgresSuperuserPaths(session, role, await thisServerNames(session, targetHost), routines);
  return { superuserPaths, foreignLogins, definerRoutines };
}
