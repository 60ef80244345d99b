import type { SqlSession } from '../../sessions/sql-session.js';
import type { RoutineRunner } from './definer-routines.js';
import { membershipTest } from './postgres-database-rights.js';
import { isExtensionMember, routineSignature } from './postgres-routine-sql.js';

/**
 * PostgreSQL's SECURITY DEFINER functions and procedures in the session's database, with the login
 * roles (not superusers) that may run them. Functions are per database, so access.least-privilege
 * reads this in every database it visits; whether an owner's rights are forbidden is known only once
 * every database's rights are read, so this lists every owner and the caller filters.
 */
export interface DatabaseDefinerRoutines {
  database: string;
  /** Routines outside pg_catalog and information_schema that belong to no extension. */
  examined: number;
  leftOut: { extension: number; system: number };
  routines: Array<{ routine: string; owner: string; ownerIsAdministrator: boolean; public: boolean; runners: RoutineRunner[] }>;
  /** More SECURITY DEFINER routines than were read. */
  truncated: boolean;
}

/** SECURITY DEFINER routines read per database; past it the read is incomplete, and cannot pass. */
export const MAX_DEFINER_ROUTINES = 1000;

/** pg_catalog's and information_schema's routines are the server's own; an extension's (pg_depend 'e') are its vendor's (Azure's, on Azure). */
const ROUTINES = `
  SELECT p.oid, p.proname, p.proowner, p.pronamespace, p.prosecdef, n.nspname,
         n.nspname IN ('pg_catalog', 'information_schema') AS system,
         ${isExtensionMember('p')} AS extension
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace`;

export async function readDefinerRoutines(session: SqlSession): Promise<DatabaseDefinerRoutines> {
  const [counts] = await session.query<{ database: string; examined: number; extension: number; system: number }>(
    `WITH routines AS (${ROUTINES})
     SELECT current_database() AS database,
            count(*) FILTER (WHERE NOT system AND NOT extension)::int AS examined,
            count(*) FILTER (WHERE prosecdef AND extension AND NOT system)::int AS extension,
            count(*) FILTER (WHERE prosecdef AND system)::int AS system
       FROM routines`,
  );
  const definers = await session.query<{ oid: string; routine: string; owner: string; owner_super: boolean; public: boolean }>(
    `WITH routines AS (${ROUTINES})
     SELECT f.oid::text AS oid,
            ${routineSignature('f', 'f')} AS routine,
            o.rolname AS owner, o.rolsuper AS owner_super,
            has_function_privilege('public', f.oid, 'EXECUTE') AND has_schema_privilege('public', f.pronamespace, 'USAGE') AS public
       FROM routines f JOIN pg_roles o ON o.oid = f.proowner
      WHERE f.prosecdef AND NOT f.system AND NOT f.extension
      ORDER BY 2
      LIMIT ${MAX_DEFINER_ROUTINES + 1}`,
  );
  const read = definers.slice(0, MAX_DEFINER_ROUTINES);
  // A role may run the routine if it, or a role whose rights it uses or may SET ROLE to, holds
  // EXECUTE (granted, or through PUBLIC) and USAGE on the schema. A role that reaches the owner
  // already holds the owner's rights and gets nothing from the routine; superusers reached through
  // SET ROLE are access.app-not-superuser's finding.
  const reachesTest = await membershipTest(session);
  const reaches = reachesTest();
  const reachesOwner = reachesTest('r.oid', 'f.proowner');
  const runners = await session.query<{ oid: string; rolname: string; via: string[] }>(
    `SELECT f.oid::text AS oid, r.rolname, array_agg(DISTINCT p.rolname ORDER BY p.rolname)::text[] AS via
       FROM pg_proc f
       JOIN pg_roles r ON r.rolcanlogin AND NOT r.rolsuper AND r.rolname !~ '^pg_'
       JOIN pg_roles p ON NOT p.rolsuper AND ${reaches}
      WHERE f.oid = ANY($1::oid[]) AND NOT ${reachesOwner}
        AND has_function_privilege(p.oid, f.oid, 'EXECUTE') AND has_schema_privilege(p.oid, f.pronamespace, 'USAGE')
      GROUP BY f.oid, r.rolname
      ORDER BY r.rolname`,
    [read.map((row) => row.oid)],
  );
  return {
    database: counts.database,
    examined: counts.examined,
    leftOut: { extension: counts.extension, system: counts.system },
    truncated: definers.length > MAX_DEFINER_ROUTINES,
    routines: read.map((row) => ({
      routine: row.routine,
      owner: row.owner,
      ownerIsAdministrator: row.owner_super,
      public: row.public,
      runners: runners
        .filter((runner) => runner.oid === row.oid)
        .map((runner) => {
          const others = runner.via.filter((role) => role !== runner.rolname);
          // A role holding EXECUTE makes its members hold it too (via lists both): name the role.
          return { account: runner.rolname, ...(row.public || others.length === 0 ? {} : { how: `through role ${others.join(', ')}` }) };
        }),
    })),
  };
}
