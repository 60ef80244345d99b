import type { SqlSession } from '../../sessions/sql-session.js';
import { routineSignature } from './postgres-routine-sql.js';

/**
 * dblink's connections that skip its password checks. dblink refuses a role that is not a
 * superuser a connection whose string carries no password, or that the other server let in without
 * asking for one; it asks `superuser()`, which inside a SECURITY DEFINER function is its owner.
 * dblink_connect_u is such a function (dblink--1.2.sql: "allows non-superusers to use
 * non-password authenticated connections", EXECUTE revoked from PUBLIC), owned by the superuser who
 * created the extension. Observed on lab servers 13, 15 and 18: the application, granted EXECUTE on
 * it (and USAGE on the extension's schema, not public), connected over the Unix socket as postgres,
 * which the lab's pg_hba trusts there, and ran ALTER ROLE app SUPERUSER through it. The lab's trust
 * line is no exception: without it the server's own operating-system user still has peer on the
 * socket, its .pgpass and its client certificate, and a connection from the server's host to any
 * other that trusts it.
 *
 * Found by what they are, not by name or schema: a SECURITY DEFINER function of the dblink
 * extension (pg_depend), or of its library (a copy made outside the extension, its library named
 * as CREATE FUNCTION took it: 'dblink', '$libdir/dblink' or a path), whose owner is a superuser. Owned by a role that is not one, dblink's checks apply to it, and it is not counted.
 */
export const DBLINK_UNCHECKED_CONNECTION = "dblink's connection without its password checks: it runs as its owner";

/** One role's way to such a function: EXECUTE (itself, PUBLIC or a role it reaches) and USAGE on its schema. */
export interface DblinkConnectGrant {
  rolname: string;
  /** Schema-qualified, with argument types: ext.dblink_connect_u(text, text). */
  signature: string;
  owner: string;
  /** '' when granted to the role itself, else "granted to PUBLIC" or "through role ops". */
  how: string;
}

/**
 * Every such function in the session's database, and which login roles that are not superusers
 * (or only `role`) may call it: EXECUTE through `reaches` (roleReach's `uses`: the roles it inherits
 * or may SET ROLE to, as for the server-file functions) and USAGE on the function's schema, without which the name
 * cannot be called. Both are looked for across the roles it reaches, which may over-count a
 * NOINHERIT member that needs two roles at once: a failure there, never a pass.
 */
export async function dblinkUncheckedConnections(session: SqlSession, reaches: (member: string, role: string) => string, role?: string): Promise<{ functions: string[]; grants: DblinkConnectGrant[] }> {
  const functions = await session.query<{ oid: string; signature: string; owner: string; public: boolean }>(
    `SELECT p.oid::text AS oid, ${routineSignature('p', 'n')} AS signature,
            o.rolname AS owner, has_function_privilege('public', p.oid, 'EXECUTE') AS public
       FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_roles o ON o.oid = p.proowner AND o.rolsuper
      WHERE p.prosecdef
        -- The library by any name CREATE FUNCTION takes for it: 'dblink', '$libdir/dblink', a path, with or without its suffix.
        AND (p.probin ~ '(^|/)dblink([.](so|dylib|dll))?$'
             OR EXISTS (SELECT 1 FROM pg_depend d JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'dblink'
                         WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.refclassid = 'pg_extension'::regclass AND d.deptype = 'e'))
      ORDER BY 2`,
  );
  if (functions.length === 0) return { functions: [], grants: [] };
  const rows = await session.query<{ rolname: string; oid: string; via: string[] }>(
    `SELECT r.rolname, f.oid::text AS oid, array_agg(DISTINCT p.rolname ORDER BY p.rolname)::text[] AS via
       FROM pg_roles r
       JOIN pg_roles p ON NOT p.rolsuper AND ${reaches('r.oid', 'p.oid')}
       JOIN pg_proc f ON f.oid = ANY($1::oid[]) AND has_function_privilege(p.oid, f.oid, 'EXECUTE')
      WHERE r.rolcanlogin AND NOT r.rolsuper AND r.rolname !~ '^pg_' AND ($2::text IS NULL OR r.rolname = $2)
        AND EXISTS (SELECT 1 FROM pg_roles q WHERE ${reaches('r.oid', 'q.oid')} AND has_schema_privilege(q.oid, f.pronamespace, 'USAGE'))
      GROUP BY r.rolname, f.oid
      ORDER BY r.rolname, f.oid`,
    [functions.map((row) => row.oid), role ?? null],
  );
  const byOid = new Map(functions.map((row) => [row.oid, row]));
  return {
    functions: functions.map((row) => row.signature),
    grants: rows.map((row) => {
      const fn = byOid.get(row.oid)!;
      const others = row.via.filter((name) => name !== row.rolname);
      const how = fn.public ? 'granted to PUBLIC' : others.length === 0 ? '' : `through role ${others.join(', ')}`;
      return { rolname: row.rolname, signature: fn.signature, owner: fn.owner, how };
    }),
  };
}
