import type { SqlSession } from '../../sessions/sql-session.js';
import type { TargetContext } from '../target-context.js';
import { roleReach } from './postgres-database-rights.js';
import { isExtensionMember, routineSignature } from './postgres-routine-sql.js';
import { routineBodyKind, type RoutineBodyKind, type RoutineWithBody } from './postgres-routine-body.js';

/**
 * PostgreSQL's SECURITY DEFINER functions and procedures in the session's database, read once for
 * both controls that judge them: access.least-privilege (every owner whose rights are forbidden,
 * known only once every database's rights are read, so every owner is listed and the caller
 * filters) and access.app-not-superuser (a superuser's routine the application may run, judged by
 * what its body does). Functions are per database, so both read this in every database they visit:
 * the catalog session's through `definerRoutinesOfCatalogDatabase`, the others in the shared walk
 * (other-database-catalog.ts).
 */
export interface DatabaseDefinerRoutines {
  database: string;
  /** Routines outside pg_catalog and information_schema that belong to no extension, SECURITY DEFINER or not. */
  examined: number;
  /** SECURITY DEFINER routines that belong to an extension (listed below too), and pg_catalog's or information_schema's (not listed). */
  leftOut: { extension: number; system: number };
  /** Every SECURITY DEFINER routine outside pg_catalog and information_schema, an extension's too, up to MAX_DEFINER_ROUTINES. */
  routines: DatabaseDefinerRoutine[];
  /** More SECURITY DEFINER routines than were read: neither control can pass this database. */
  truncated: boolean;
}

export interface DatabaseDefinerRoutine {
  /** schema.name(argument types). */
  routine: string;
  owner: string;
  ownerIsAdministrator: boolean;
  language: string;
  /** It belongs to an extension (pg_depend 'e'): its vendor's code, Azure's on Azure. */
  extension: boolean;
  /** format_type of what it returns: 'trigger' and 'event_trigger' tell those functions apart. */
  returns: string;
  /** PUBLIC may run it: EXECUTE granted to PUBLIC, and USAGE on its schema too. */
  public: boolean;
  /** EXECUTE is granted to PUBLIC (USAGE on the schema may come from a role instead). */
  executeGrantedToPublic: boolean;
  /**
   * Each login role that is not a superuser and may run it, unless it reaches the owner already (it
   * then holds the owner's rights without the routine; a superuser owner reached is
   * access.app-not-superuser's finding as a membership). `via`: the roles, itself among them, whose
   * EXECUTE it uses (itself, through PUBLIC, or a role it inherits or may SET ROLE to).
   */
  runners: Array<{ account: string; via: string[] }>;
  /**
   * What its body does (postgres-routine-body.ts), for a superuser's routine that is no extension's
   * and no event trigger function: the only ones whose body access.app-not-superuser judges. The
   * body itself never leaves the read: it may hold a password (a dblink connection string).
   */
  body?: RoutineBodyKind;
}

/**
 * SECURITY DEFINER routines read per database; past it the read is incomplete, and neither control
 * passes. 1000: access.least-privilege's bound before the two reads became one (so a database it
 * decided stays decided, but for the extensions' routines now listed too, a handful in stock
 * contrib), while access.app-not-superuser's 200 bounded a subset of these (the superusers' routines
 * one role may run), so where it was decided it stays decided unless the database holds more than
 * 1000 in all. What the bound holds back: a body per superuser's routine, and a row per routine
 * and login role that may run it.
 */
export const MAX_DEFINER_ROUTINES = 1000;

/** 14 added BEGIN ATOMIC bodies (pg_proc.prosqlbody, pg_get_function_sqlbody). */
const FIRST_VERSION_NUM_WITH_SQL_BODIES = 140000;

/** pg_catalog's and information_schema's routines are the server's own; an extension's (pg_depend 'e') are its vendor's (Azure's, on Azure). */
const ROUTINES = `
  SELECT p.oid, p.proname, p.proowner, p.pronamespace, p.prosecdef, p.prolang, p.prorettype, n.nspname,
         n.nspname IN ('pg_catalog', 'information_schema') AS system,
         ${isExtensionMember('p')} AS extension
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace`;

/** The read of the catalog session's database, made once per run and shared by both controls. */
export function definerRoutinesOfCatalogDatabase(context: TargetContext): Promise<{ readAs: string; result: DatabaseDefinerRoutines }> {
  return context.once('postgres-definer-routines', () => context.catalog.read('the SECURITY DEFINER routines', readDefinerRoutines));
}

export async function readDefinerRoutines(session: SqlSession): Promise<DatabaseDefinerRoutines> {
  const reach = await roleReach(session);
  const [counts] = await session.query<{ database: string; examined: number; extension: number; system: number }>(
    `WITH routines AS (${ROUTINES})
     SELECT current_database() AS database,
            count(*) FILTER (WHERE NOT system AND NOT extension)::int AS examined,
            count(*) FILTER (WHERE prosecdef AND extension AND NOT system)::int AS extension,
            count(*) FILTER (WHERE prosecdef AND system)::int AS system
       FROM routines`,
  );
  // The body and what it needs are read only where it is judged: a superuser's routine, no extension's, no event trigger function.
  const sqlBodies = reach.version >= FIRST_VERSION_NUM_WITH_SQL_BODIES;
  // The body columns are those routineBodyKind reads; outside_catalog is null where the body is not judged.
  const definers = await session.query<
    Omit<RoutineWithBody, 'outside_catalog'> & {
      oid: string;
      routine: string;
      owner: string;
      owner_super: boolean;
      extension: boolean;
      public_execute: boolean;
      public_usage: boolean;
      judged: boolean;
      outside_catalog: boolean | null;
    }
  >(
    `WITH routines AS (
       SELECT f.*, ${routineSignature('f', 'f')} AS routine, o.rolname AS owner, o.rolsuper AS owner_super, l.lanname AS language,
              format_type(f.prorettype, NULL) AS returns
         FROM (${ROUTINES}) f JOIN pg_roles o ON o.oid = f.proowner JOIN pg_language l ON l.oid = f.prolang
        WHERE f.prosecdef AND NOT f.system
        ORDER BY routine
        LIMIT ${MAX_DEFINER_ROUTINES + 1}),
     judged AS (SELECT r.*, r.owner_super AND NOT r.extension AND r.returns <> 'event_trigger' AS judged FROM routines r)
     SELECT f.oid::text AS oid, f.routine, f.owner, f.owner_super, f.language, f.extension, f.returns,
            has_function_privilege('public', f.oid, 'EXECUTE') AS public_execute,
            has_schema_privilege('public', f.pronamespace, 'USAGE') AS public_usage,
            f.judged,
            CASE WHEN f.judged THEN x.prosrc END AS source,
            ${sqlBodies ? 'CASE WHEN f.judged AND x.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(f.oid) END' : 'NULL::text'} AS atomic_body,
            x.proargnames::text[] AS argument_names, x.proargmodes::text[] AS argument_modes,
            ARRAY(SELECT format_type(t.type, NULL) FROM unnest(x.proargtypes::oid[]) WITH ORDINALITY AS t(type, n) ORDER BY t.n)::text[] AS input_types,
            -- What a BEGIN ATOMIC body depends on, as recorded: anything in a schema other than pg_catalog.
            CASE WHEN f.judged THEN EXISTS (SELECT 1 FROM pg_depend d CROSS JOIN LATERAL pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid) i
                     WHERE d.classid = 'pg_proc'::regclass AND d.objid = f.oid AND d.deptype = 'n' AND i.schema IS NOT NULL AND i.schema <> 'pg_catalog') END AS outside_catalog
       FROM judged f JOIN pg_proc x ON x.oid = f.oid
      ORDER BY f.routine`,
  );
  const read = definers.slice(0, MAX_DEFINER_ROUTINES);
  // A role may run the routine when the roles it reaches (itself, those whose rights it uses or
  // may SET ROLE to) hold EXECUTE on it (granted, or through PUBLIC) and USAGE on its schema, not
  // necessarily the same one: observed on lab 15, a NOINHERIT member of one role holding EXECUTE
  // and of another holding USAGE ran a superuser's routine (SET ROLE to the second, PREPARE the
  // call, SET ROLE to the first, EXECUTE it), as app-not-superuser's read had it and
  // least-privilege's did not. A role that reaches the owner gets nothing from the routine.
  // Superusers are left out as roles reached: reaching one is a membership of its own finding.
  const runners = await session.query<{ oid: string; rolname: string; via: string[] }>(
    `WITH reach AS (
       SELECT r.oid AS member, r.rolname AS member_name, p.oid AS role, p.rolname AS role_name
         FROM pg_roles r JOIN pg_roles p ON NOT p.rolsuper AND ${reach.uses('r.oid', 'p.oid')}
        WHERE r.rolcanlogin AND NOT r.rolsuper AND r.rolname !~ '^pg_'),
     roles AS (SELECT DISTINCT role FROM reach),
     routines AS (SELECT oid, pronamespace, proowner FROM pg_proc WHERE oid = ANY($1::oid[])),
     usage AS (
       SELECT s.schema, x.role FROM (SELECT DISTINCT pronamespace AS schema FROM routines) s CROSS JOIN roles x
        WHERE has_schema_privilege(x.role, s.schema, 'USAGE'))
     SELECT f.oid::text AS oid, m.member_name AS rolname, array_agg(DISTINCT m.role_name ORDER BY m.role_name)::text[] AS via
       FROM routines f CROSS JOIN roles x JOIN reach m ON m.role = x.role
      WHERE has_function_privilege(x.role, f.oid, 'EXECUTE')
        AND EXISTS (SELECT 1 FROM reach u JOIN usage s ON s.role = u.role WHERE u.member = m.member AND s.schema = f.pronamespace)
        AND NOT ${reach.uses('m.member', 'f.proowner')}
      GROUP BY f.oid, m.member_name
      ORDER BY m.member_name`,
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
      language: row.language,
      extension: row.extension,
      returns: row.returns,
      public: row.public_execute && row.public_usage,
      executeGrantedToPublic: row.public_execute,
      runners: runners.filter((runner) => runner.oid === row.oid).map((runner) => ({ account: runner.rolname, via: runner.via })),
      ...(row.judged ? { body: routineBodyKind({ ...row, outside_catalog: row.outside_catalog ?? false }) } : {}),
    })),
  };
}
