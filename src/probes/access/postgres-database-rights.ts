import { CannotObserve } from '../../controls/observation.js';
import type { SqlSession } from '../../sessions/sql-session.js';
import { DBLINK_UNCHECKED_CONNECTION, dblinkUncheckedConnections } from './postgres-dblink-connect.js';

/**
 * The rights PostgreSQL keeps per database (CREATE on schemas, EXECUTE on functions, grant options
 * on objects), read in one session's database: what access.least-privilege reads in the target's
 * database and in every other one.
 */

export interface ServerFileCoverage {
  loginRoles: number;
  /** Their names: what loginRoles counted. Absent in evidence from before. */
  loginRoleNames?: string[];
  /** Signatures as pg_catalog has them on this server, e.g. "pg_read_file(text,bigint,bigint)". */
  functions: string[];
}

/**
 * PostgreSQL functions that reach the server's files whatever the role's other rights: a grant of
 * EXECUTE on one lets the role read (or write) files of the data directory, pg_hba.conf and a TLS
 * key kept there among them. Looked up by name in pg_catalog, so every overload of this version
 * counts (pg_read_file has 3 on 13, 4 from 16). adminpack's writers live in pg_catalog too, where
 * the extension is installed. Left out: pg_ls_logdir/pg_ls_waldir and kin, which pg_monitor holds by
 * default and which list names in fixed folders only, and pg_current_logfile, a path only.
 */
const POSTGRES_SERVER_FILE_FUNCTIONS: Record<string, string> = {
  pg_read_file: 'reads server files as text',
  pg_read_binary_file: 'reads server files as bytes',
  pg_ls_dir: 'lists server folders',
  pg_stat_file: 'reads server file metadata',
  lo_import: 'copies a server file into a large object',
  lo_export: 'writes a large object to a server file',
  pg_file_write: 'writes server files (adminpack)',
  pg_file_rename: 'renames server files (adminpack)',
  pg_file_unlink: 'deletes server files (adminpack)',
  pg_file_sync: 'syncs server files (adminpack)',
  pg_logdir_ls: 'lists the log folder (adminpack)',
};

/** 16 split membership into ADMIN, INHERIT and SET (pg_auth_members.inherit_option, set_option); before it every membership allows SET ROLE. */
export const FIRST_VERSION_NUM_WITH_MEMBERSHIP_OPTIONS = 160000;

/**
 * The SQL test that role `member` may use role `role`'s rights (roleReach's `uses`): before 16 every
 * membership allows SET ROLE; from 16 a membership may allow neither SET ROLE nor inheritance, and then confers nothing.
 */
export async function membershipTest(session: SqlSession): Promise<(member?: string, role?: string) => string> {
  return (await roleReach(session)).uses;
}

/**
 * How one role reaches another's rights, as SQL tests over two oid expressions. `uses`: by
 * inheritance or by SET ROLE, which a NOINHERIT member (or, from 16, a membership WITH INHERIT
 * FALSE) still may: object privileges, grant and admin options. `sets`: by SET ROLE only, the one
 * way to a role's attributes (CREATEROLE, CREATEDB, REPLICATION, BYPASSRLS), which are never
 * inherited. Before 16 every membership allows both (pg_has_role MEMBER). Both hold for a role and itself.
 */
export async function roleReach(session: SqlSession): Promise<{ version: number; uses: (member?: string, role?: string) => string; sets: (member?: string, role?: string) => string }> {
  const [{ version }] = await session.query<{ version: number }>("SELECT current_setting('server_version_num')::int AS version");
  const options = version >= FIRST_VERSION_NUM_WITH_MEMBERSHIP_OPTIONS;
  return {
    version,
    uses: (member = 'r.oid', role = 'p.oid') => (options ? `(pg_has_role(${member}, ${role}, 'USAGE') OR pg_has_role(${member}, ${role}, 'SET'))` : `pg_has_role(${member}, ${role}, 'MEMBER')`),
    sets: (member = 'r.oid', role = 'p.oid') => (options ? `pg_has_role(${member}, ${role}, 'SET')` : `pg_has_role(${member}, ${role}, 'MEMBER')`),
  };
}

/**
 * SQL: each role a holding is reported on (r: not a superuser, not predefined), joined to every
 * grantee g whose rights it reaches (itself included) by `reach`. A predefined role may hold rights
 * too, and hands them to its members: it is a grantee here, reported through its members.
 */
const reportedThrough = (reach: string) => `pg_roles r ON NOT r.rolsuper AND r.rolname !~ '^pg_' AND ${reach}`;

/** Rows with the grantees a right came through (`via`, without the role itself) and whether the role holds it itself. */
export interface ReachedRow {
  rolname: string;
  via: string[] | null;
  direct: boolean;
}

/** " through role ops, pg_monitor" when the role holds the right only through others; nothing when it holds it itself. */
export const throughRoles = (row: ReachedRow) => (row.direct || !row.via?.length ? '' : ` through role ${row.via.join(', ')}`);

/** The columns that make a ReachedRow, for a query that joins r (reported) to g (grantee) and groups by the rest. */
export const REACHED_COLUMNS = "array_agg(DISTINCT g.rolname ORDER BY g.rolname) FILTER (WHERE g.oid <> r.oid)::text[] AS via, bool_or(g.oid = r.oid) AS direct";

/**
 * The rights kept per database, in the session's database: CREATE on another owner's schema,
 * EXECUTE on the server-file functions and on dblink's connections without password checks, grant options on objects, each held itself or through a
 * role reached by inheritance or SET ROLE; with `withSharedObjects`, also what every database
 * shares, read once: grant options on databases and tablespaces, CREATE on databases, and (15+)
 * grants on parameters (pg_parameter_acl).
 */
export async function databaseRights(session: SqlSession, options: { withSharedObjects?: boolean } = {}): Promise<{ rights: Array<{ rolname: string; right: string }>; coverage: ServerFileCoverage }> {
  const reach = await roleReach(session);
  const uses = reach.uses('r.oid', 'g.oid');
  // Grants to a role, or to PUBLIC (every role) on a schema other than public: PUBLIC on schema public is access.public-schema's question.
  const schemaCreate = await session.query<ReachedRow & { nspname: string }>(
    `SELECT coalesce(r.rolname, '${PUBLIC_GRANTEE}') AS rolname, n.nspname, ${REACHED_COLUMNS}
       FROM pg_namespace n CROSS JOIN LATERAL aclexplode(n.nspacl) acl
       LEFT JOIN pg_roles g ON g.oid = acl.grantee
       LEFT JOIN ${reportedThrough(uses)} AND NOT g.rolsuper AND NOT pg_has_role(r.oid, n.nspowner, 'MEMBER')
      WHERE acl.privilege_type = 'CREATE' AND n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'
        AND (CASE WHEN acl.grantee = 0 THEN n.nspname <> 'public' ELSE r.oid IS NOT NULL END)
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const grantOptions = await grantOptionsHeld(session, uses, options.withSharedObjects ?? false);
  const shared = options.withSharedObjects ? await sharedObjectRights(session, uses, reach.version) : [];
  const { coverage, executable } = await serverFileFunctionGrants(session, reach.uses());
  const dblink = await dblinkUncheckedConnections(session, reach.uses);
  return {
    rights: [
      ...schemaCreate.map((row) => ({ rolname: row.rolname, right: `CREATE on schema ${row.nspname} owned by another role${throughRoles(row)}` })),
      ...[...executable].flatMap(([rolname, rights]) => rights.map((right) => ({ rolname, right }))),
      ...dblink.grants.map((grant) => ({ rolname: grant.rolname, right: `EXECUTE on ${grant.signature} (${DBLINK_UNCHECKED_CONNECTION}, superuser "${grant.owner}": logs in as another role without a password${grant.how ? `; ${grant.how}` : ''})` })),
      ...grantOptions,
      ...shared,
    ],
    coverage,
  };
}

/** PostgreSQL 15 added grants on configuration parameters (GRANT SET / ALTER SYSTEM ON PARAMETER). */
export const FIRST_VERSION_NUM_WITH_PARAMETER_GRANTS = 150000;

/**
 * What the shared catalogs grant, read once: CREATE on a database another role owns (schemas in
 * it, one named after another role among them, which that role's search_path reads first), and
 * grants on parameters: ALTER SYSTEM on any (postgresql.auto.conf, read by the whole server:
 * archive_command runs shell commands), SET on one only a superuser may set (log_statement = none
 * for its own sessions), or either with grant option. SET on a parameter every role may set gives
 * nothing and is left out; one pg_settings does not show (an extension's, not loaded) counts.
 */
async function sharedObjectRights(session: SqlSession, uses: string, version: number): Promise<Array<{ rolname: string; right: string }>> {
  const databaseCreate = await session.query<ReachedRow & { datname: string }>(
    `SELECT coalesce(r.rolname, '${PUBLIC_GRANTEE}') AS rolname, d.datname, ${REACHED_COLUMNS}
       FROM pg_database d CROSS JOIN LATERAL aclexplode(d.datacl) acl
       LEFT JOIN pg_roles g ON g.oid = acl.grantee
       LEFT JOIN ${reportedThrough(uses)} AND NOT g.rolsuper AND NOT pg_has_role(r.oid, d.datdba, 'MEMBER')
      WHERE acl.privilege_type = 'CREATE' AND (acl.grantee = 0 OR r.oid IS NOT NULL)
      GROUP BY 1, 2 ORDER BY 1, 2`,
  );
  const rights = databaseCreate.map((row) => ({ rolname: row.rolname, right: `CREATE on database ${row.datname} owned by another role (creates schemas in it)${throughRoles(row)}` }));
  if (version < FIRST_VERSION_NUM_WITH_PARAMETER_GRANTS) return rights;
  const parameters = await session.query<ReachedRow & { parname: string; privilege: string; grantable: boolean }>(
    `SELECT coalesce(r.rolname, '${PUBLIC_GRANTEE}') AS rolname, p.parname, acl.privilege_type AS privilege, bool_or(acl.is_grantable) AS grantable, ${REACHED_COLUMNS}
       FROM pg_parameter_acl p CROSS JOIN LATERAL aclexplode(p.paracl) acl
       LEFT JOIN pg_roles g ON g.oid = acl.grantee
       LEFT JOIN ${reportedThrough(uses)} AND NOT g.rolsuper
       LEFT JOIN pg_settings s ON s.name = p.parname
      WHERE (acl.grantee = 0 OR r.oid IS NOT NULL)
        AND (acl.privilege_type <> 'SET' OR acl.is_grantable OR s.context IS NULL OR s.context IN ('superuser', 'superuser-backend'))
      GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`,
  );
  const what = (privilege: string) => (privilege === 'ALTER SYSTEM' ? 'writes it for the whole server into postgresql.auto.conf' : 'sets what only a superuser may, for its own sessions');
  return [
    ...rights,
    ...parameters.map((row) => ({ rolname: row.rolname, right: `${row.privilege} on parameter ${row.parname} (${what(row.privilege)})${row.grantable ? ' WITH GRANT OPTION' : ''}${throughRoles(row)}` })),
  ];
}

/** How a holding names PUBLIC, the pseudo-role every role belongs to. */
const PUBLIC_GRANTEE = 'PUBLIC (every role)';

/**
 * Rights a role may pass on (WITH GRANT OPTION) on objects it does not own, held itself or through
 * a role it reaches (a predefined one too): the PostgreSQL form of MySQL's GRANT OPTION. An owner,
 * or a member of the owner, holds every grant option on its objects implicitly, so only grants to others count.
 * Read in the catalog session's database, plus the cluster-wide databases and tablespaces.
 */
async function grantOptionsHeld(session: SqlSession, uses: string, withSharedObjects: boolean): Promise<Array<{ rolname: string; right: string }>> {
  const objects = await session.query<ReachedRow & { object: string; privileges: string }>(
    `WITH objects(object, owner, acl) AS (
       SELECT CASE c.relkind WHEN 'S' THEN 'sequence ' WHEN 'v' THEN 'view ' WHEN 'm' THEN 'materialized view ' WHEN 'f' THEN 'foreign table ' ELSE 'table ' END || c.oid::regclass::text, c.relowner, c.relacl FROM pg_class c WHERE c.relacl IS NOT NULL
       UNION ALL SELECT 'column ' || a.attrelid::regclass::text || '.' || quote_ident(a.attname), c.relowner, a.attacl FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid WHERE a.attacl IS NOT NULL
       UNION ALL SELECT 'schema ' || quote_ident(n.nspname), n.nspowner, n.nspacl FROM pg_namespace n WHERE n.nspacl IS NOT NULL
       UNION ALL SELECT 'function ' || p.oid::regprocedure::text, p.proowner, p.proacl FROM pg_proc p WHERE p.proacl IS NOT NULL
       UNION ALL SELECT 'type ' || t.oid::regtype::text, t.typowner, t.typacl FROM pg_type t WHERE t.typacl IS NOT NULL
       UNION ALL SELECT 'language ' || quote_ident(l.lanname), l.lanowner, l.lanacl FROM pg_language l WHERE l.lanacl IS NOT NULL
       UNION ALL SELECT 'large object ' || m.oid::text, m.lomowner, m.lomacl FROM pg_largeobject_metadata m WHERE m.lomacl IS NOT NULL
       UNION ALL SELECT 'foreign data wrapper ' || quote_ident(w.fdwname), w.fdwowner, w.fdwacl FROM pg_foreign_data_wrapper w WHERE w.fdwacl IS NOT NULL
       UNION ALL SELECT 'foreign server ' || quote_ident(f.srvname), f.srvowner, f.srvacl FROM pg_foreign_server f WHERE f.srvacl IS NOT NULL
       UNION ALL SELECT 'database ' || quote_ident(d.datname), d.datdba, d.datacl FROM pg_database d WHERE d.datacl IS NOT NULL AND $1
       UNION ALL SELECT 'tablespace ' || quote_ident(s.spcname), s.spcowner, s.spcacl FROM pg_tablespace s WHERE s.spcacl IS NOT NULL AND $1
       UNION ALL SELECT 'default privileges of ' || quote_ident(pg_get_userbyid(d.defaclrole)) || ' on new ' || CASE d.defaclobjtype WHEN 'r' THEN 'tables' WHEN 'S' THEN 'sequences' WHEN 'f' THEN 'functions' WHEN 'T' THEN 'types' WHEN 'n' THEN 'schemas' ELSE d.defaclobjtype::text END || CASE WHEN d.defaclnamespace = 0 THEN '' ELSE ' in schema ' || quote_ident(d.defaclnamespace::regnamespace::text) END, d.defaclrole, d.defaclacl FROM pg_default_acl d
     )
     SELECT r.rolname, o.object, string_agg(DISTINCT acl.privilege_type, ', ' ORDER BY acl.privilege_type) AS privileges, ${REACHED_COLUMNS}
       FROM objects o CROSS JOIN LATERAL aclexplode(o.acl) acl
       JOIN pg_roles g ON g.oid = acl.grantee AND NOT g.rolsuper
       JOIN ${reportedThrough(uses)} AND NOT pg_has_role(r.oid, o.owner, 'MEMBER')
      WHERE acl.is_grantable
      GROUP BY r.rolname, o.object
      ORDER BY r.rolname, o.object`,
    [withSharedObjects],
  );
  return objects.map((row) => ({ rolname: row.rolname, right: `GRANT OPTION for ${row.privileges} on ${row.object} owned by another role${throughRoles(row)}` }));
}

/** One login role's EXECUTE on one server-file function, and how it reaches it. */
export interface ServerFileFunctionGrant {
  rolname: string;
  proname: string;
  signature: string;
  /** '' when granted to the role itself, else "granted to PUBLIC" or "through role ops". */
  how: string;
}

/**
 * Which server-file functions each login role that is not a superuser (or only `role`) may
 * EXECUTE: granted to it, to PUBLIC, to a role whose rights it inherits, or to a role it may SET
 * ROLE to (`reaches`, the same test as for predefined roles). Superuser roles reached through SET
 * ROLE are access.app-not-superuser's finding and are left out here. A LANGUAGE sql function that is
 * not SECURITY DEFINER runs what it calls with the caller's rights, so EXECUTE on it confers nothing:
 * adminpack grants its wrapper pg_file_rename(text,text) to PUBLIC (observed on lab 13 and 15) and
 * it calls pg_file_rename(text,text,text), listed and judged itself.
 */
export async function executableServerFileFunctions(
  session: SqlSession,
  reaches: string,
  role?: string,
): Promise<{ coverage: ServerFileCoverage; grants: ServerFileFunctionGrant[] }> {
  const functions = await session.query<{ oid: string; signature: string; proname: string; public: boolean; wrapper: boolean }>(
    `SELECT p.oid::text AS oid, p.oid::regprocedure::text AS signature, p.proname, has_function_privilege('public', p.oid, 'EXECUTE') AS public,
            (l.lanname = 'sql' AND NOT p.prosecdef) AS wrapper
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
      WHERE n.nspname = 'pg_catalog' AND p.proname = ANY($1::text[])
      ORDER BY p.proname, p.oid`,
    [Object.keys(POSTGRES_SERVER_FILE_FUNCTIONS)],
  );
  // Every PostgreSQL since 8.1 has pg_read_file; not finding it means the catalog was not what it seems.
  if (!functions.some((row) => row.proname === 'pg_read_file')) throw new CannotObserve('pg_catalog shows no pg_read_file: the server-file functions could not be listed');
  const loginRoles = (
    await session.query<{ rolname: string }>("SELECT rolname FROM pg_roles WHERE rolcanlogin AND NOT rolsuper AND rolname !~ '^pg_' AND ($1::text IS NULL OR rolname = $1) ORDER BY rolname", [role ?? null])
  ).map((row) => row.rolname);
  const rows = await session.query<{ rolname: string; oid: string; via: string[] }>(
    `SELECT r.rolname, f.oid::text AS oid, array_agg(DISTINCT p.rolname ORDER BY p.rolname)::text[] AS via
       FROM pg_roles r
       JOIN pg_roles p ON NOT p.rolsuper AND ${reaches}
       JOIN pg_proc f ON f.oid = ANY($1::oid[]) AND has_function_privilege(p.oid, f.oid, 'EXECUTE')
      WHERE r.rolcanlogin AND NOT r.rolsuper AND r.rolname !~ '^pg_' AND ($2::text IS NULL OR r.rolname = $2)
      GROUP BY r.rolname, f.oid
      ORDER BY r.rolname, f.oid::regprocedure::text`,
    [functions.filter((row) => !row.wrapper).map((row) => row.oid), role ?? null],
  );
  const byOid = new Map(functions.map((row) => [row.oid, row]));
  const grants = rows.map((grant) => {
    const fn = byOid.get(grant.oid)!;
    const others = grant.via.filter((name) => name !== grant.rolname);
    const how = fn.public ? 'granted to PUBLIC' : grant.via.includes(grant.rolname) && others.length === 0 ? '' : `through role ${others.join(', ')}`;
    return { rolname: grant.rolname, proname: fn.proname, signature: fn.signature, how };
  });
  return { coverage: { loginRoles: loginRoles.length, loginRoleNames: loginRoles, functions: functions.map((row) => row.signature) }, grants };
}

/** Each login role's server-file functions, worded as access.least-privilege lists a right. */
async function serverFileFunctionGrants(session: SqlSession, reaches: string): Promise<{ coverage: ServerFileCoverage; executable: Map<string, string[]> }> {
  const { coverage, grants } = await executableServerFileFunctions(session, reaches);
  const executable = new Map<string, string[]>();
  for (const grant of grants) {
    const right = `EXECUTE on ${grant.signature} (${POSTGRES_SERVER_FILE_FUNCTIONS[grant.proname]}${grant.how ? `; ${grant.how}` : ''})`;
    executable.set(grant.rolname, [...(executable.get(grant.rolname) ?? []), right]);
  }
  return { coverage, executable };
}
