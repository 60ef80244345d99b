import type { SqlSession } from '../../sessions/sql-session.js';
import { FIRST_VERSION_NUM_WITH_PARAMETER_GRANTS, executableServerFileFunctions, type roleReach } from './postgres-database-rights.js';
import { DBLINK_UNCHECKED_CONNECTION, dblinkUncheckedConnections } from './postgres-dblink-connect.js';

/**
 * PostgreSQL's powers that make a role a superuser in all but name, short of the attribute or a
 * superuser role: what access.app-not-superuser fails beside them.
 *
 * The predefined roles that reach the host as the server's operating-system user, which PostgreSQL's
 * documentation says "could be used to gain superuser-level access" (Predefined Roles). Observed on
 * lab servers 15, 16 and 18: a member's COPY ... FROM PROGRAM ran psql over the server's Unix socket
 * and was let in as postgres (peer), rolsuper true; a member's COPY ... TO overwrote
 * postgresql.auto.conf, in force at the next reload; a member's COPY ... FROM read pg_hba.conf.
 */
export const SUPERUSER_EQUIVALENT_ROLES: Record<string, string> = {
  pg_execute_server_program: "runs shell commands as the server's operating-system user (COPY ... PROGRAM), who logs in as a superuser over the Unix socket and owns the data directory",
  pg_write_server_files: 'writes any file the server can: postgresql.auto.conf (archive_command, a shell command) and pg_hba.conf, in force at the next reload',
  pg_read_server_files: "reads any file the server can: its TLS key, pg_hba.conf, its operating-system user's .pgpass and the server log",
};

/**
 * The server-file functions that hand a role what those predefined roles give, by EXECUTE alone:
 * content of its choosing written to a server file, or any file of the data directory read.
 * PostgreSQL's documentation (Generic File Access Functions): EXECUTE on pg_read_file "or related
 * functions" lets a role "read any file on the server which the database can read", bypassing "all
 * in-database privilege checks", pg_authid among them. Observed on lab servers 13, 15 and 18 as the
 * application with EXECUTE granted: lo_export overwrote postgresql.auto.conf (a setting it wrote was
 * in force after the next reload) and may name any path; adminpack's pg_file_write (13 and 15; 17
 * removed adminpack) appended to it, likewise in force; lo_import read /etc/passwd and pg_hba.conf;
 * pg_read_binary_file read global/1260 (pg_authid, its SCRAM verifiers) and global/pg_control, but
 * no absolute path outside the data directory. Not counted, and left to access.least-privilege:
 * pg_ls_dir and pg_stat_file (names and metadata), adminpack's pg_file_rename, pg_file_unlink,
 * pg_file_sync and pg_logdir_ls, which move, delete or list files but put no content in them.
 */
export const SUPERUSER_EQUIVALENT_FUNCTIONS: Record<string, string> = {
  lo_export: "writes a large object of its choosing to any file the server's operating-system user may write: postgresql.auto.conf (archive_command, a shell command) and pg_hba.conf, in force at the next reload",
  pg_file_write: 'writes and appends to files of the data directory (adminpack): postgresql.auto.conf (archive_command, a shell command) and pg_hba.conf, in force at the next reload',
  lo_import: "reads any file the server's operating-system user may read into a large object: its TLS key, pg_hba.conf, every role's password verifier (pg_authid) and every database's tables past their grants",
  pg_read_file: "reads any file of the data directory and the log folder: every role's password verifier (pg_authid), every database's tables past their grants, pg_hba.conf and a TLS key kept there",
  pg_read_binary_file: "reads any file of the data directory and the log folder as bytes: every role's password verifier (pg_authid), every database's tables past their grants, pg_hba.conf and a TLS key kept there",
};

/**
 * Before 16 CREATEROLE grants membership in any role that is not a superuser, the roles above
 * included, and changes any such role's password (PostgreSQL's documentation: "regard roles that
 * have the CREATEROLE privilege as almost-superuser-roles"). Observed on a lab 15: a CREATEROLE
 * application granted itself pg_execute_server_program and ran a program; on 16 and 18 both were
 * refused (from 16 it needs ADMIN OPTION on the role), so there it is access.least-privilege's.
 */
const FIRST_VERSION_NUM_WITH_BOUNDED_CREATEROLE = 160000;

type Reach = Awaited<ReturnType<typeof roleReach>>;

/**
 * Each way `role` reaches one of these powers: a membership it may use (inherit, or SET ROLE to,
 * which NOINHERIT does not stop), an ADMIN OPTION on the role held by it or a role it reaches (it
 * may grant the role to itself), and before 16 CREATEROLE of itself or of a role it may SET ROLE
 * to (attributes are never inherited). `lookedFor` says what was looked for, for a pass to name.
 */
export async function postgresSuperuserEquivalents(session: SqlSession, role: string, reach: Reach): Promise<{ paths: string[]; lookedFor: string[] }> {
  const roles = await session.query<{ rolname: string; member: boolean; admins: string[] }>(
    `SELECT p.rolname, ${reach.uses('r.oid', 'p.oid')} AS member,
            ARRAY(SELECT DISTINCT g.rolname FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.member
                   WHERE am.roleid = p.oid AND am.admin_option AND ${reach.uses('r.oid', 'g.oid')} ORDER BY 1)::text[] AS admins
       FROM pg_roles r JOIN pg_roles p ON p.rolname = ANY($2::text[])
      WHERE r.rolname = $1 AND NOT r.rolsuper
      ORDER BY p.rolname`,
    [role, Object.keys(SUPERUSER_EQUIVALENT_ROLES)],
  );
  const paths = roles.flatMap((row) => {
    const what = SUPERUSER_EQUIVALENT_ROLES[row.rolname];
    const admin = row.admins.length === 0 ? [] : [`holds ADMIN OPTION on predefined role "${row.rolname}"${row.admins.some((holder) => holder !== role) ? ` through role ${row.admins.join(', ')}` : ''}, so may grant it to itself (${what})`];
    return [...(row.member ? [`member of predefined role "${row.rolname}" (${what})`] : []), ...admin];
  });
  paths.push(...(await adminOptionsOnIntermediateRoles(session, role, reach, 'p.rolname = ANY($2::text[])', Object.keys(SUPERUSER_EQUIVALENT_ROLES))).map(
    (row) => `${row.path}, which reaches predefined role "${row.target}", so may grant it to itself (${SUPERUSER_EQUIVALENT_ROLES[row.target]})`,
  ));
  const files = await superuserEquivalentFunctions(session, role, reach);
  paths.push(...files.paths);
  const commands = await shellCommandParameters(session, role, reach);
  paths.push(...commands.paths);
  const dblink = await dblinkConnections(session, role, reach);
  paths.push(...dblink.paths);
  const lookedFor = [`membership or ADMIN OPTION in ${Object.keys(SUPERUSER_EQUIVALENT_ROLES).join(', ')} (the host as the server's operating-system user)`, files.lookedFor, commands.lookedFor, dblink.lookedFor];
  if (reach.version >= FIRST_VERSION_NUM_WITH_BOUNDED_CREATEROLE) {
    return { paths, lookedFor: [...lookedFor, 'CREATEROLE not counted: from PostgreSQL 16 it grants only roles held WITH ADMIN OPTION (access.least-privilege judges it)'] };
  }
  const creators = await session.query<{ rolname: string }>(
    `SELECT g.rolname FROM pg_roles r JOIN pg_roles g ON NOT g.rolsuper AND g.rolcreaterole AND ${reach.sets('r.oid', 'g.oid')}
      WHERE r.rolname = $1 AND NOT r.rolsuper ORDER BY g.oid <> r.oid, g.rolname`,
    [role],
  );
  const createrole = creators.map((row) =>
    `${row.rolname === role ? `role "${role}" has CREATEROLE` : `may SET ROLE to "${row.rolname}", which has CREATEROLE`}: before PostgreSQL 16 that grants any role that is not a superuser (pg_execute_server_program among them) and changes such roles' passwords`,
  );
  return { paths: [...paths, ...createrole], lookedFor: [...lookedFor, 'CREATEROLE, itself or through SET ROLE (before PostgreSQL 16 it grants itself any role that is not a superuser)'] };
}

/**
 * The functions of SUPERUSER_EQUIVALENT_FUNCTIONS `role` may EXECUTE, each with how it reaches the
 * grant (itself, PUBLIC, or a role it inherits or may SET ROLE to), and what was looked at: every
 * overload this server has.
 */
async function superuserEquivalentFunctions(session: SqlSession, role: string, reach: Reach): Promise<{ paths: string[]; lookedFor: string }> {
  const { coverage, grants } = await executableServerFileFunctions(session, reach.uses(), role);
  const counted = (signature: string) => Object.keys(SUPERUSER_EQUIVALENT_FUNCTIONS).includes(signature.slice(0, signature.indexOf('(')));
  const paths = grants
    .filter((grant) => SUPERUSER_EQUIVALENT_FUNCTIONS[grant.proname] !== undefined)
    .map((grant) => `may EXECUTE ${grant.signature}, ${grant.how || 'granted to it directly'} (${SUPERUSER_EQUIVALENT_FUNCTIONS[grant.proname]})`);
  const lookedAt = coverage.functions.filter(counted);
  const left = coverage.functions.filter((signature) => !counted(signature));
  return {
    paths,
    lookedFor: `EXECUTE, granted to it, to PUBLIC or to a role it reaches, on the ${lookedAt.length} server-file functions that write or read file contents (${lookedAt.join(', ')})${left.length ? `; not counted: ${left.join(', ')} (names, metadata, moves or deletions only: access.least-privilege judges them)` : ''}`,
  };
}

/**
 * From 16 an ADMIN OPTION may come without SET or INHERIT. One on an ordinary role x (not a
 * superuser, so granting it needs no superuser) lets `role` grant x to itself WITH SET TRUE, and
 * then reach every role x reaches: a superuser role or a predefined one among them. Observed on a
 * lab 18: GRANT dbas TO app WITH ADMIN TRUE, INHERIT FALSE, SET FALSE, dbas a member of postgres;
 * the application ran GRANT dbas TO itself, then SET ROLE postgres. Before 16 an ADMIN OPTION is a
 * membership, which the callers count already. `reached` is an SQL condition on p, the roles
 * looked for; each row names the role administered (`path`) and the role it reaches (`target`).
 */
export async function adminOptionsOnIntermediateRoles(
  session: SqlSession,
  role: string,
  reach: Reach,
  reached: string,
  parameter: readonly string[] = [],
): Promise<Array<{ path: string; target: string }>> {
  if (reach.version < FIRST_VERSION_NUM_WITH_BOUNDED_CREATEROLE) return [];
  const rows = await session.query<{ administered: string; target: string; holders: string[] }>(
    `SELECT x.rolname AS administered, p.rolname AS target, array_agg(DISTINCT g.rolname ORDER BY g.rolname)::text[] AS holders
       FROM pg_roles r
       JOIN pg_roles g ON ${reach.uses('r.oid', 'g.oid')}
       JOIN pg_auth_members am ON am.member = g.oid AND am.admin_option
       JOIN pg_roles x ON x.oid = am.roleid AND NOT x.rolsuper
       JOIN pg_roles p ON p.oid <> x.oid AND p.oid <> r.oid AND ${reached} AND ${reach.uses('x.oid', 'p.oid')}
      WHERE r.rolname = $1 AND NOT r.rolsuper
      GROUP BY x.rolname, p.rolname
      ORDER BY p.rolname, x.rolname`,
    [role, ...(parameter.length ? [parameter] : [])],
  );
  return rows.map((row) => ({
    path: `holds ADMIN OPTION on role "${row.administered}"${row.holders.some((holder) => holder !== role) ? ` through role ${row.holders.filter((holder) => holder !== role).join(', ')}` : ''}`,
    target: row.target,
  }));
}

/**
 * Parameters whose value is a shell command the server runs as its operating-system user: ALTER
 * SYSTEM on one (15+, pg_parameter_acl) writes it into postgresql.auto.conf, in force at the next
 * reload, as pg_write_server_files would. Observed on lab 15 and 18: the application, granted
 * ALTER SYSTEM ON PARAMETER archive_command, set it, and after the next reload the server's
 * archive_command was the application's. ALTER SYSTEM on other parameters is access.least-privilege's.
 */
export const SHELL_COMMAND_PARAMETERS = ['archive_command', 'archive_cleanup_command', 'recovery_end_command', 'restore_command', 'ssl_passphrase_command'];

/** ALTER SYSTEM on a SHELL_COMMAND_PARAMETERS parameter that `role` holds itself, through PUBLIC or through a role it reaches. */
async function shellCommandParameters(session: SqlSession, role: string, reach: Reach): Promise<{ paths: string[]; lookedFor: string }> {
  if (reach.version < FIRST_VERSION_NUM_WITH_PARAMETER_GRANTS) return { paths: [], lookedFor: 'no parameter grants (PostgreSQL before 15 has none)' };
  const rows = await session.query<{ parname: string; grantees: string[] }>(
    `SELECT p.parname, array_agg(DISTINCT coalesce(g.rolname, 'PUBLIC') ORDER BY coalesce(g.rolname, 'PUBLIC'))::text[] AS grantees
       FROM pg_parameter_acl p CROSS JOIN LATERAL aclexplode(p.paracl) acl
       JOIN pg_roles r ON r.rolname = $1 AND NOT r.rolsuper
       LEFT JOIN pg_roles g ON g.oid = acl.grantee
      WHERE acl.privilege_type = 'ALTER SYSTEM' AND p.parname = ANY($2::text[])
        AND (acl.grantee = 0 OR ${reach.uses('r.oid', 'g.oid')})
      GROUP BY p.parname ORDER BY p.parname`,
    [role, SHELL_COMMAND_PARAMETERS],
  );
  return {
    paths: rows.map((row) => {
      const others = row.grantees.filter((grantee) => grantee !== role);
      return `may ALTER SYSTEM SET ${row.parname}${others.length ? `, granted to ${others.map((grantee) => (grantee === 'PUBLIC' ? 'PUBLIC' : `role ${grantee}`)).join(', ')}` : ''} (a shell command the server runs as its operating-system user, written into postgresql.auto.conf and in force at the next reload)`;
    }),
    lookedFor: `ALTER SYSTEM, granted to it, to PUBLIC or to a role it reaches, on the parameters that hold shell commands (${SHELL_COMMAND_PARAMETERS.join(', ')})`,
  };
}

/**
 * EXECUTE, with USAGE on its schema, on one of dblink's connections without its password checks
 * (postgres-dblink-connect.ts), in the catalog session's database: the application logs in as any
 * role the server's own trust or peer lines, its operating-system user's .pgpass or client
 * certificate let in, the bootstrap superuser over the Unix socket among them.
 */
async function dblinkConnections(session: SqlSession, role: string, reach: Reach): Promise<{ paths: string[]; lookedFor: string }> {
  const { functions, grants } = await dblinkUncheckedConnections(session, reach.uses, role);
  const [{ database }] = await session.query<{ database: string }>('SELECT current_database() AS database');
  return {
    paths: grants.map(
      (grant) =>
        `may EXECUTE ${grant.signature}, ${grant.how || 'granted to it directly'} (${DBLINK_UNCHECKED_CONNECTION}, superuser "${grant.owner}", so connects as any role the server's own trust or peer lines, its operating-system user's .pgpass or client certificate let in: the bootstrap superuser over the Unix socket, where peer or trust usually lets it in)`,
    ),
    lookedFor: `EXECUTE and USAGE on its schema, granted to it, to PUBLIC or to a role it reaches, on dblink's connections without password checks (SECURITY DEFINER, owned by a superuser) in database "${database}": ${functions.length ? functions.join(', ') : 'none installed'}`,
  };
}
