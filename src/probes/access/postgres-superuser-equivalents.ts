import type { SqlSession } from '../../sessions/sql-session.js';
import type { roleReach } from './postgres-database-rights.js';

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
  const lookedFor = [`membership or ADMIN OPTION in ${Object.keys(SUPERUSER_EQUIVALENT_ROLES).join(', ')} (the host as the server's operating-system user)`];
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
