import { defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { MARIADB_PUBLIC_ROLE, accountName, reachableRoles, readMysqlAccounts, readRoleGrants, type MysqlAccount } from '../catalog/mysql-accounts.js';
import { exemptPlatformRoles, runsAzurePlatformRoles } from '../catalog/platform-roles.js';
import { GLOBAL_SYSTEM_WRITE_WHERE, SYSTEM_DATABASE_WRITES, describeProxyGrant, describeSystemWrite, readMariaDbUnlistedPrivileges, readProxyGrants, readSystemDatabaseWrites } from '../catalog/mysql-privilege-grants.js';
import { readOtherDatabaseCatalog } from './other-database-catalog.js';
import { FIRST_VERSION_NUM_WITH_MEMBERSHIP_OPTIONS, FIRST_VERSION_NUM_WITH_PARAMETER_GRANTS, REACHED_COLUMNS, databaseRights, roleReach, throughRoles, type ReachedRow, type ServerFileCoverage } from './postgres-database-rights.js';
import type { SqlSession } from '../../sessions/sql-session.js';
import { judgeDefinerRoutines, type DefinerRoutineRead, type RoutineRunner } from './definer-routines.js';
import { MAX_DEFINER_ROUTINES, definerRoutinesOfCatalogDatabase, type DatabaseDefinerRoutines } from './postgres-definer-routines.js';
import { mysqlDefinerRoutines, type AccountPower } from './mysql-definer-routines.js';

export interface Holding {
  account: string;
  /** MySQL: the account's user name, which allow.privileged names (the account is 'user'@'host'). */
  user?: string;
  rights: string[];
}

/** MySQL global privileges that let an ordinary account widen its own reach. */
const MYSQL_RISKY_PRIVILEGES: Record<string, string> = {
  Create_user: 'CREATE USER (creates and alters accounts)',
  Create_role: 'CREATE ROLE',
  Create: 'CREATE on *.* (creates databases)',
  Repl_slave: 'REPLICATION SLAVE (reads the whole change stream)',
  File: 'FILE (reads and writes server files)',
  Grant: 'GRANT OPTION on *.*',
};

/** What a write on the whole mysql database gives (access.app-not-superuser says it per privilege). */
const WHAT_SYSTEM_WRITES_DO = ' (creates accounts, changes passwords and grants)';

export type { ServerFileCoverage };

export interface LeastPrivilegeEvidence {
  readAs: string;
  /** Every account that is not an administrator and holds one of the rights looked for. */
  holdings: Holding[];
  /**
   * Every account (PostgreSQL: role other than pg_*; MySQL: account or role not locked) whose rights
   * were looked at, and the administrators left to access.app-not-superuser: what a pass covered.
   * Absent in evidence from before.
   */
  accountsExamined?: readonly string[];
  administrators?: readonly string[];
  /** PostgreSQL: what the server-file function read covered (every login role that is not a superuser x every overload found). */
  serverFileFunctions?: ServerFileCoverage;
  /**
   * PostgreSQL: the per-database rights (schema CREATE, EXECUTE on server-file functions, grant
   * options on objects) are read in every other database that accepts connections too; their
   * holdings are in `holdings`, each right naming its database. Absent in evidence from before.
   */
  /** PostgreSQL: whether the server keeps Azure's own superuser, so that its platform roles are Azure's; absent in evidence from before. */
  azurePlatform?: boolean;
  otherDatabases?: { read: readonly string[]; unreadable: ReadonlyArray<{ database: string; reason: string; platform?: true }>; problem?: string };
  /**
   * Routines that run with their owner's rights (SECURITY DEFINER) whose owner is an administrator
   * or holds a forbidden right, and the non-admin accounts that may run them: through one, those
   * accounts hold the owner's rights. On PostgreSQL read in every database visited. Absent in
   * evidence from before they were read.
   */
  definerRoutines?: DefinerRoutineRead;
  /** Grants read beyond each account's own privileges and attributes, for the pass to name; absent in evidence from before they were read. */
  alsoRead?: readonly string[];
}


/**
 * PostgreSQL's predefined roles that reach past a role's own objects: the host's shell and files (the
 * equivalents of MySQL's FILE, which access.app-not-superuser fails too), every table whatever its
 * grants, other roles' sessions, or what the server holds back for administrators. Membership counts
 * directly or through other roles, when it lets the member use the role's rights or SET ROLE to it.
 */
const POSTGRES_RISKY_ROLES: Record<string, string> = {
  pg_execute_server_program: 'pg_execute_server_program (runs shell commands on the database host through COPY ... PROGRAM)',
  pg_read_server_files: 'pg_read_server_files (reads any file the server can)',
  pg_write_server_files: 'pg_write_server_files (writes any file the server can)',
  pg_read_all_data: 'pg_read_all_data (reads every table, whatever its grants)',
  pg_write_all_data: 'pg_write_all_data (writes every table, whatever its grants)',
  // 17+: VACUUM, ANALYZE, REINDEX, REFRESH MATERIALIZED VIEW, CLUSTER and LOCK TABLE on every relation.
  pg_maintain: 'pg_maintain (vacuums, reindexes, refreshes, clusters and locks every table, whatever its grants)',
  // pg_cancel_backend and pg_terminate_backend on any backend but a superuser's: the others' work and sessions.
  pg_signal_backend: "pg_signal_backend (cancels the queries and ends the sessions of every role that is not a superuser)",
  // 15+: CHECKPOINT, which flushes every dirty buffer of the server at once.
  pg_checkpoint: 'pg_checkpoint (runs CHECKPOINT at will: a write burst across the whole server)',
  // 16+: CREATE SUBSCRIPTION with CREATE on a database: the server's own outbound connections.
  pg_create_subscription: 'pg_create_subscription (creates subscriptions: the server connects to a host the role names and applies what it sends to tables)',
  // 16+: the slots reserved_connections keeps back from every other role that is not a superuser.
  pg_use_reserved_connections: 'pg_use_reserved_connections (takes the connection slots reserved_connections keeps back from the other roles)',
  // 18+: pg_cancel_backend and pg_terminate_backend on autovacuum workers.
  pg_signal_autovacuum_worker: 'pg_signal_autovacuum_worker (cancels and ends autovacuum workers, holding back vacuuming and wraparound protection)',
};

/**
 * access.least-privilege: accounts that are not administrators (superusers, SUPER / ALL PRIVILEGES
 * holders, which access.app-not-superuser judges) hold no right to create roles or databases,
 * replicate, touch server files, grant, or create in another owner's schema, unless allowed.
 * On PostgreSQL "touch server files" is both the predefined roles and EXECUTE on the server-file
 * functions: pg_read_file('server.key') hands a role the server's TLS key.
 */
export const leastPrivilege = defineCheck<LeastPrivilegeEvidence>({
  id: 'access.least-privilege',
  evidenceTitle: 'privileged rights held',
  async read(context) {
    const { target } = context;
    if (target.engine !== 'postgres') {
      const { readAs, result } = await context.catalog.read('account privileges', mysqlHoldings);
      return { readAs, ...result };
    }
    const { readAs, result } = await context.catalog.read('account privileges', postgresHoldings);
    const { result: roles } = await context.catalog.read('the roles', (session) =>
      session.query<{ rolname: string; rolsuper: boolean }>("SELECT rolname, rolsuper FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY rolname"),
    );
    const { result: definerRoutinesHere } = await definerRoutinesOfCatalogDatabase(context);
    const others = await readOtherDatabaseCatalog(context);
    const holdings = mergeHoldings(result.holdings, others.results.flatMap(({ database, result: { rights: { rights } } }) => rights.map((row) => ({ rolname: row.rolname, right: `${row.right} in database "${database}"` }))));
    const { result: azurePlatform } = await context.catalog.read('whether the server is an Azure one', runsAzurePlatformRoles);
    const definerRoutines = postgresDefinerRoutines([definerRoutinesHere, ...others.results.map(({ result: { definerRoutines } }) => definerRoutines)], holdings, result.serverFileFunctions.loginRoles);
    return {
      readAs,
      holdings,
      accountsExamined: roles.filter((role) => !role.rolsuper).map((role) => role.rolname),
      administrators: roles.filter((role) => role.rolsuper).map((role) => role.rolname),
      serverFileFunctions: result.serverFileFunctions,
      azurePlatform,
      otherDatabases: { read: others.results.map(({ database }) => database), unreadable: others.unreadable, ...(others.problem ? { problem: others.problem } : {}) },
      definerRoutines,
      alsoRead: result.alsoRead,
    };
  },
  judge({ readAs, holdings, accountsExamined, administrators, serverFileFunctions, otherDatabases, azurePlatform, definerRoutines, alsoRead }, target) {
    const allowed = new Set(target.allow?.privileged ?? []);
    const platform = target.engine === 'postgres' ? exemptPlatformRoles(azurePlatform) : new Set<string>();
    // Older evidence has no user: a quote in a user name could make the account text say another name.
    const userOf = (holding: Holding) => holding.user ?? holding.account.replace(/^'([^']*)'@.*$/, '$1');
    const offenders = holdings.filter((holding) => !allowed.has(userOf(holding)) && !platform.has(holding.account));
    const exempt = holdings
      .filter((holding) => !offenders.includes(holding))
      .map((holding) => `${holding.account} (${platform.has(holding.account) ? 'Azure platform role' : 'declared in allow.privileged'}: ${holding.rights.join(', ')})`);
    const engine = target.engine === 'postgres' ? 'postgres' : 'mysql';
    const runnerExempt = (runner: RoutineRunner) => (platform.has(runner.account) ? 'platform' : allowed.has(runner.user ?? runner.account) ? 'declared' : undefined);
    const routines = definerRoutines ? judgeDefinerRoutines(definerRoutines, engine, runnerExempt) : undefined;
    const findings = [
      ...(offenders.length > 0 ? [`non-admin accounts hold privileged rights: ${offenders.map((holding) => `${holding.account} (${holding.rights.join(', ')})`).join('; ')}`] : []),
      ...(routines && routines.offences.length > 0
        ? [`${engine === 'postgres' ? 'SECURITY DEFINER routines hand their owner' : 'SQL SECURITY DEFINER routines hand their definer'}'s rights to non-admin accounts: ${routines.offences.join('; ')}`]
        : []),
    ];
    if (findings.length > 0) return failed(findings.join('. '));
    if (definerRoutines?.problem) return undecided(definerRoutines.problem);
    const unreadable = otherDatabases?.unreadable.filter((entry) => !entry.platform) ?? [];
    if (unreadable.length > 0) return undecided(`the per-database rights could not be read in ${unreadable.map((entry) => `"${entry.database}" (${entry.reason})`).join(', ')}`);
    if (otherDatabases?.problem) return undecided(otherDatabases.problem);
    const accountWord = engine === 'postgres' ? 'roles' : 'accounts';
    // The reading account is itself one that is not an administrator: none at all is a view cut down to nothing.
    if (accountsExamined?.length === 0) return undecided(`the catalog showed no ${accountWord} other than administrators (${readAs})`);
    const examined = accountsExamined
      ? `; ${accountsExamined.length} ${accountWord} examined (administrators, which access.app-not-superuser judges: ${administrators?.length ? administrators.join(', ') : 'none'})`
      : '';
    const also = alsoRead?.length ? `; also read: ${alsoRead.join(', ')}` : '';
    const covered = serverFileFunctions
      ? `; EXECUTE checked for ${serverFileFunctions.loginRoles} login roles (not superusers) x ${serverFileFunctions.functions.length} server-file functions (${serverFileFunctions.functions.join(', ')})`
      : '';
    const platformDatabases = otherDatabases?.unreadable.filter((entry) => entry.platform).map((entry) => entry.database) ?? [];
    const databases = otherDatabases
      ? `; schemas, functions and object grants read in the target's database and ${otherDatabases.read.length} other databases that accept connections${otherDatabases.read.length > 0 ? ` (${otherDatabases.read.join(', ')})` : ''}${platformDatabases.length > 0 ? `; not readable, Azure platform databases: ${platformDatabases.join(', ')}` : ''}`
      : '';
    const routineCoverage = routines ? `; ${routines.coverage}${routines.accepted.length > 0 ? `; routines accepted: ${routines.accepted.join('; ')}` : ''}` : '; routines that run with their owner\'s rights not examined (evidence from before they were read)';
    return passed(
      `no non-admin account holds role-creating, database-creating, replication, ${engine === 'postgres' ? 'server-file or program (pg_*_server_*, EXECUTE on server-file functions), unchecked dblink connection (EXECUTE on dblink_connect_u), all-data or all-table maintenance (pg_maintain), other roles\' sessions or the server\'s resources (pg_signal_backend, pg_checkpoint, pg_create_subscription, pg_use_reserved_connections, pg_signal_autovacuum_worker, those this version has), parameter (ALTER SYSTEM, SET ON PARAMETER), role ADMIN OPTION, database CREATE' : 'server-file (FILE), account-creating (CREATE USER, SET USER), system-database write, PROXY, role ADMIN OPTION'}, GRANT OPTION or foreign-schema CREATE rights${examined}${also}${covered}${databases}${exempt.length ? `; exempt: ${exempt.join('; ')}` : ''}${routineCoverage} (${readAs})`,
    );
  },
});

async function postgresHoldings(session: SqlSession): Promise<{ holdings: Holding[]; serverFileFunctions: ServerFileCoverage; alsoRead: string[] }> {
  const reach = await roleReach(session);
  // Attributes are never inherited: a member uses them after SET ROLE, which NOINHERIT does not stop.
  const attributes = await session.query<{ rolname: string; via: string; rights: string[] }>(
    `SELECT r.rolname, g.rolname AS via, array_remove(ARRAY[
              CASE WHEN g.rolcreaterole THEN 'CREATEROLE' END, CASE WHEN g.rolcreatedb THEN 'CREATEDB' END,
              CASE WHEN g.rolreplication THEN 'REPLICATION' END, CASE WHEN g.rolbypassrls THEN 'BYPASSRLS' END], NULL)::text[] AS rights
       FROM pg_roles g JOIN pg_roles r ON NOT r.rolsuper AND r.rolname !~ '^pg_' AND ${reach.sets('r.oid', 'g.oid')}
      WHERE NOT g.rolsuper AND (g.rolcreaterole OR g.rolcreatedb OR g.rolreplication OR g.rolbypassrls)
      ORDER BY r.rolname, g.oid <> r.oid, g.rolname`,
  );
  // Predefined roles that reach the host, every table or other roles' sessions; only those this server
  // version has are joined (pg_roles says which: pg_checkpoint is 15+, pg_signal_autovacuum_worker 18+).
  // Each is named with the grantees it comes through: the role itself (`direct`) or the roles it reaches
  // that are members of it by a grant that confers something (16+: INHERIT or SET; an ADMIN OPTION alone is below).
  const confers = reach.version >= FIRST_VERSION_NUM_WITH_MEMBERSHIP_OPTIONS ? '(am.inherit_option OR am.set_option)' : 'true';
  const predefined = await session.query<ReachedRow & { granted: string }>(
    `SELECT r.rolname, p.rolname AS granted, ${REACHED_COLUMNS}
       FROM pg_roles r JOIN pg_roles p ON p.rolname = ANY($1::text[]) AND ${reach.uses()}
       JOIN pg_auth_members am ON am.roleid = p.oid AND ${confers}
       JOIN pg_roles g ON g.oid = am.member AND ${reach.uses('r.oid', 'g.oid')}
      WHERE NOT r.rolsuper AND r.rolname !~ '^pg_'
      GROUP BY r.rolname, p.rolname
      ORDER BY r.rolname, p.rolname`,
    [Object.keys(POSTGRES_RISKY_ROLES)],
  );
  const present = await session.query<{ rolname: string }>('SELECT rolname FROM pg_roles WHERE rolname = ANY($1::text[]) ORDER BY rolname', [Object.keys(POSTGRES_RISKY_ROLES)]);
  // WITH ADMIN OPTION, held itself or by a role it reaches (a predefined one too): it may grant that role onward.
  const adminOptions = await session.query<{ rolname: string; granted: string; via: string[] | null; direct: boolean }>(
    `SELECT r.rolname, x.rolname AS granted, array_agg(DISTINCT g.rolname ORDER BY g.rolname) FILTER (WHERE g.oid <> r.oid)::text[] AS via, bool_or(g.oid = r.oid) AS direct
       FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.member JOIN pg_roles x ON x.oid = am.roleid
       JOIN pg_roles r ON NOT r.rolsuper AND r.rolname !~ '^pg_' AND ${reach.uses('r.oid', 'g.oid')}
      WHERE am.admin_option AND NOT g.rolsuper AND x.oid <> r.oid
      GROUP BY r.rolname, x.rolname
      ORDER BY r.rolname, x.rolname`,
  );
  const { rights, coverage } = await databaseRights(session, { withSharedObjects: true });
  const byRole = new Map<string, string[]>();
  for (const row of attributes) byRole.set(row.rolname, [...(byRole.get(row.rolname) ?? []), ...row.rights.map((right) => (row.via === row.rolname ? right : `${right} through SET ROLE to ${row.via}`))]);
  for (const row of predefined) byRole.set(row.rolname, [...(byRole.get(row.rolname) ?? []), `${POSTGRES_RISKY_ROLES[row.granted]}${throughRoles(row)}`]);
  const holdings = mergeHoldings(
    [...byRole].map(([account, rights]) => ({ account, rights })),
    [...adminOptions.map((row) => ({ rolname: row.rolname, right: `ADMIN OPTION on role ${row.granted} (may grant it to others)${throughRoles(row)}` })), ...rights],
  );
  const alsoRead = [
    'rights of every role a role may SET ROLE to or inherits (NOINHERIT memberships included; predefined pg_* roles too)',
    `membership in the predefined roles this server has that reach past a role's own objects (${present.map((row) => row.rolname).join(', ')})`,
    'CREATE on databases',
    reach.version >= FIRST_VERSION_NUM_WITH_PARAMETER_GRANTS ? 'parameter grants (pg_parameter_acl: ALTER SYSTEM, SET)' : 'no parameter grants (PostgreSQL before 15 has none)',
  ];
  return { holdings, serverFileFunctions: coverage, alsoRead };
}

/**
 * Every database's SECURITY DEFINER routines whose owner is a superuser or holds a right in
 * `holdings` (in any database: a routine's owner is one role cluster-wide), and that some non-admin
 * login role may run.
 */
function postgresDefinerRoutines(perDatabase: DatabaseDefinerRoutines[], holdings: Holding[], loginRoles: number): DefinerRoutineRead {
  const rightsOf = new Map(holdings.map((holding) => [holding.account, holding.rights]));
  // An extension's routines are vendor code, counted in leftOut; the read lists them for access.app-not-superuser.
  const routines = perDatabase
    .flatMap(({ database, routines: found }) => found.filter((routine) => !routine.extension).map((routine) => ({ ...routine, database, ownerRights: routine.ownerIsAdministrator ? [] : (rightsOf.get(routine.owner) ?? []) })))
    .filter((routine) => (routine.ownerIsAdministrator || routine.ownerRights.length > 0) && (routine.public || routine.runners.length > 0))
    .map(({ routine, database, owner, ownerIsAdministrator, ownerRights, public: byPublic, runners }) => ({
      routine,
      database,
      owner,
      ownerIsAdministrator,
      ownerRights,
      public: byPublic,
      runners: runners.map(({ account, via }) => {
        const others = via.filter((role) => role !== account);
        // A role holding EXECUTE makes its members hold it too (via lists both): name the role.
        return { account, ...(byPublic || others.length === 0 ? {} : { how: `through role ${others.join(', ')}` }) };
      }),
    }));
  const truncated = perDatabase.filter((database) => database.truncated).map((database) => `"${database.database}"`);
  return {
    routines,
    examined: perDatabase.reduce((sum, database) => sum + database.examined, 0),
    databases: perDatabase.length,
    accounts: loginRoles,
    leftOut: {
      extension: perDatabase.reduce((sum, database) => sum + database.leftOut.extension, 0),
      system: perDatabase.reduce((sum, database) => sum + database.leftOut.system, 0),
    },
    ...(truncated.length > 0 ? { problem: `more than ${MAX_DEFINER_ROUTINES} SECURITY DEFINER routines in database ${truncated.join(', ')}: only the first ${MAX_DEFINER_ROUTINES} were read, so the others' owners and callers are unknown` } : {}),
  };
}


/** Adds rights to the holdings, by role, keeping the order roles were first seen in. */
function mergeHoldings(holdings: Holding[], more: Array<{ rolname: string; right: string }>): Holding[] {
  const byRole = new Map(holdings.map((holding) => [holding.account, [...holding.rights]]));
  for (const { rolname, right } of more) byRole.set(rolname, [...(byRole.get(rolname) ?? []), right]);
  return [...byRole].map(([account, rights]) => ({ account, rights }));
}


/** What mysqlHoldings reads beyond the account rows and mysql.db, tables_priv and global_priv, for the pass to name. */
const MYSQL_ALSO_READ = ['role grants WITH ADMIN OPTION (mysql.roles_mapping / role_edges)', 'PROXY grants (mysql.proxies_priv)'];

async function mysqlHoldings(session: SqlSession): Promise<{ holdings: Holding[]; accountsExamined: string[]; administrators: string[]; definerRoutines: DefinerRoutineRead; alsoRead: readonly string[] }> {
  const accounts = await readMysqlAccounts(session);
  const rightsOf = new Map<string, string[]>();
  // mysql.db rows for any user name (User ''): every account holds them, so they are reported once, like PUBLIC's.
  const everyAccountRights: string[] = [];
  const add = (account: Pick<MysqlAccount, 'user' | 'host'>, right: string, fromDatabaseRow = false) => {
    if (fromDatabaseRow && account.user === '') everyAccountRights.push(`${right} (mysql.db's row for any user name, '' at host '${account.host}')`);
    else rightsOf.set(accountName(account), [...(rightsOf.get(accountName(account)) ?? []), right]);
  };
  const databaseGrants = await session.query<{ User: string; Host: string; Db: string }>("SELECT User, Host, Db FROM mysql.db WHERE Grant_priv = 'Y'");
  for (const grant of databaseGrants) add({ user: grant.User, host: grant.Host }, `GRANT OPTION on ${grant.Db}.*`, true);
  for (const write of await readSystemDatabaseWrites(session)) add(write.grantee, `${describeSystemWrite(write.privileges, write.where)}${write.table === undefined ? WHAT_SYSTEM_WRITES_DO : ''}`, write.anyUser);
  // Only `%` counts: `_` is a wildcard too, but names like app_db are written that way by habit.
  const creatingGrants = await session.query<{ User: string; Host: string; Db: string }>("SELECT User, Host, Db FROM mysql.db WHERE Create_priv = 'Y'");
  for (const grant of creatingGrants.filter((row) => /(^|[^\\])%/.test(row.Db))) add({ user: grant.User, host: grant.Host }, `CREATE on databases matching ${grant.Db} (creates databases)`, true);
  // GRANT OPTION on tables and columns anywhere (writes on the mysql tables are read above).
  const tableGrants = await session.query<{ User: string; Host: string; Db: string; Table_name: string }>(
    "SELECT User, Host, Db, Table_name FROM mysql.tables_priv WHERE FIND_IN_SET('Grant', Table_priv) > 0",
  );
  for (const grant of tableGrants) add({ user: grant.User, host: grant.Host }, `GRANT OPTION on ${grant.Db}.${grant.Table_name}`);
  for (const { grantee, right } of await readMariaDbUnlistedPrivileges(session)) add(grantee, right);
  for (const proxy of await readProxyGrants(session)) add(proxy.grantee, describeProxyGrant(proxy));
  const roleGrants = await readRoleGrants(session);
  // A role held WITH ADMIN OPTION may be granted onward, to any account, by its holder.
  for (const grant of roleGrants.filter((candidate) => candidate.admin)) add(grant.grantee, `ADMIN OPTION on role ${grant.role.user} (may grant it to others)`);
  const directRights = (account: MysqlAccount) => {
    // A write on *.* is a write on the grant tables too (CREATE on *.* is listed already).
    const globalWrites = account.globalPrivileges.filter((privilege) => privilege !== 'Create' && SYSTEM_DATABASE_WRITES.includes(privilege));
    return [
      ...account.globalPrivileges.filter((privilege) => privilege in MYSQL_RISKY_PRIVILEGES).map((privilege) => MYSQL_RISKY_PRIVILEGES[privilege]),
      ...(globalWrites.length > 0 ? [`${describeSystemWrite(globalWrites, GLOBAL_SYSTEM_WRITE_WHERE)}${WHAT_SYSTEM_WRITES_DO}`] : []),
      ...(rightsOf.get(accountName(account)) ?? []),
    ];
  };
  const isAdministrator = (account: MysqlAccount) => account.allGlobalPrivileges || account.globalPrivileges.includes('Super');
  // Locked accounts too: a locked account logs in to nothing, but a routine it defines runs with its rights.
  const powerOf = (account: MysqlAccount): AccountPower => {
    // What PUBLIC holds is reported once, on PUBLIC, rather than on every account.
    const roles = (account.isRole ? [] : reachableRoles(account, roleGrants, accounts))
      .filter(({ role, via }) => role.user !== MARIADB_PUBLIC_ROLE && via[0] !== MARIADB_PUBLIC_ROLE)
      .flatMap(({ role, via }) => accounts.filter((candidate) => candidate.user === role.user && candidate.host === role.host).map((held) => ({ held, via })));
    // An account that reaches SUPER or ALL PRIVILEGES through a role is an administrator too.
    if (isAdministrator(account) || roles.some(({ held }) => isAdministrator(held))) return { administrator: true, rights: [] };
    return {
      administrator: false,
      rights: [...directRights(account), ...roles.flatMap(({ held, via }) => directRights(held).map((right) => `${right} through role ${[...via, held.user].join(' -> ')}`))],
    };
  };
  const holdings: Holding[] = [];
  const accountsExamined: string[] = [];
  const administrators: string[] = [];
  for (const account of accounts.filter((candidate) => !candidate.locked)) {
    const { administrator, rights } = powerOf(account);
    (administrator ? administrators : accountsExamined).push(accountName(account));
    if (administrator) continue;
    if (rights.length > 0) holdings.push({ account: accountName(account) + (account.isRole && account.user === MARIADB_PUBLIC_ROLE ? ' (PUBLIC: every account holds it)' : ''), user: account.user, rights });
  }
  if (everyAccountRights.length > 0) holdings.push({ account: 'every account (mysql.db rows for any user name)', user: '', rights: everyAccountRights });
  return { holdings, accountsExamined, administrators, definerRoutines: await mysqlDefinerRoutines(session, accounts, roleGrants, powerOf), alsoRead: MYSQL_ALSO_READ };
}
