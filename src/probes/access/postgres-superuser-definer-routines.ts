import type { SqlSession } from '../../sessions/sql-session.js';
import type { roleReach } from './postgres-database-rights.js';
import { analyseBody, isTextualType, namedCalls, type RoutineParameter } from './postgres-routine-body.js';
import { isExtensionMember, routineSignature } from './postgres-routine-sql.js';

/**
 * SECURITY DEFINER routines owned by a superuser that a role may run: what the routine's statements
 * do, they do as the superuser, and whatever the caller steers into them with it. Observed on lab
 * 13, 15 and 18 as the application: through the lab variant's public.run_statement(text) (PL/pgSQL,
 * EXECUTE $1) it ran ALTER ROLE app SUPERUSER; through a LANGUAGE sql one with no dynamic SQL at
 * all, SELECT lower($1) without a pinned search_path, it did the same: called with its own schema
 * first on search_path, its own lower(text) ran inside, as postgres. And a trigger function's
 * EXECUTE of TG_ARGV ran the argument the application gave CREATE TRIGGER on a table of its own.
 *
 * So access.app-not-superuser fails a routine whose PL/pgSQL EXECUTE runs text its caller wrote
 * (postgres-routine-body.ts), and passes only a LANGUAGE sql body written BEGIN ATOMIC (14+: names
 * bound when it was created, not at each call) that depends on nothing outside pg_catalog and calls
 * none of the functions that run a query string or reach the server's files. Every other such routine
 * leaves it undecided, naming the routine: whether it can be steered is not decided from its text.
 *
 * Left out: an extension's routines (its vendor's code, Azure's own on Azure: stock contrib has
 * only dblink_connect_u, judged by postgres-dblink-connect.ts, and pgaudit's event trigger
 * functions), event trigger functions (only a superuser creates event triggers), and pg_catalog's
 * and information_schema's (stock PostgreSQL 13 to 18 has none SECURITY DEFINER).
 */

/** pg_catalog functions that run a query string or reach the server's files or settings: as the superuser, the caller's choice of them is the superuser's power. */
export const SUPERUSER_STEERABLE_CALLS = [
  'query_to_xml',
  'query_to_xmlschema',
  'query_to_xml_and_xmlschema',
  'ts_stat',
  'ts_rewrite',
  'lo_import',
  'lo_export',
  'pg_read_file',
  'pg_read_binary_file',
  'pg_ls_dir',
  'pg_stat_file',
  'pg_file_write',
  'pg_file_rename',
  'pg_file_unlink',
  'set_config',
];

export interface SuperuserDefinerRoutine {
  /** schema.name(argument types). */
  routine: string;
  owner: string;
  language: string;
  /** '' when granted to the role itself, else "granted to PUBLIC" or "through role ops". */
  how: string;
  /** A trigger function: the role attaches it to a table it owns, with arguments of its choosing. */
  trigger: boolean;
  /**
   * What its body was found to do (never the body: it may hold a password). caller-statement and
   * dynamic-sql: PL/pgSQL EXECUTE (postgres-routine-body.ts); bound-to-catalog: a BEGIN ATOMIC SQL
   * body depending on pg_catalog only, calling none of SUPERUSER_STEERABLE_CALLS; static-sql: any
   * other SQL or PL/pgSQL body without EXECUTE; other: another language, or a body that could not be lexed.
   */
  body: 'caller-statement' | 'dynamic-sql' | 'bound-to-catalog' | 'static-sql' | 'other';
  /** caller-statement: the parameter ($1, its name, TG_ARGV[n]) whose text EXECUTE runs. */
  parameter?: string;
  /** SUPERUSER_STEERABLE_CALLS its body calls. */
  calls: string[];
}

export interface SuperuserDefinerRoutinesRead {
  database: string;
  routines: SuperuserDefinerRoutine[];
  /** Such routines it may run that were not judged: an extension's, and event trigger functions. */
  leftOut: { extension: number; eventTrigger: number };
  /** More than MAX_ROUTINES: the rest were not read. */
  truncated: boolean;
}

/** Routines read per role and database; past it the read is incomplete, and cannot pass. */
const MAX_ROUTINES = 200;

/** 14 added BEGIN ATOMIC bodies (pg_proc.prosqlbody, pg_get_function_sqlbody). */
const FIRST_VERSION_NUM_WITH_SQL_BODIES = 140000;

type Reach = Awaited<ReturnType<typeof roleReach>>;

/** The superuser-owned SECURITY DEFINER routines in the session's database that `role` may run (EXECUTE and USAGE on the schema, itself, through PUBLIC or a role it reaches). */
export async function readSuperuserDefinerRoutines(session: SqlSession, role: string, reach: Reach): Promise<SuperuserDefinerRoutinesRead> {
  const sqlBodies = reach.version >= FIRST_VERSION_NUM_WITH_SQL_BODIES;
  const rows = await session.query<{
    routine: string;
    owner: string;
    language: string;
    source: string | null;
    atomic_body: string | null;
    argument_names: string[] | null;
    argument_modes: string[] | null;
    input_types: string[];
    returns: string;
    extension: boolean;
    public: boolean;
    via: string[];
    outside_catalog: boolean;
  }>(
    `SELECT ${routineSignature('f', 'n')} AS routine,
            o.rolname AS owner, l.lanname AS language, f.prosrc AS source,
            ${sqlBodies ? 'CASE WHEN f.prosqlbody IS NOT NULL THEN pg_get_function_sqlbody(f.oid) END' : 'NULL::text'} AS atomic_body,
            f.proargnames::text[] AS argument_names, f.proargmodes::text[] AS argument_modes,
            ARRAY(SELECT format_type(t.type, NULL) FROM unnest(f.proargtypes::oid[]) WITH ORDINALITY AS t(type, n) ORDER BY t.n)::text[] AS input_types,
            format_type(f.prorettype, NULL) AS returns,
            ${isExtensionMember('f')} AS extension,
            has_function_privilege('public', f.oid, 'EXECUTE') AS public,
            ARRAY(SELECT q.rolname FROM pg_roles q WHERE ${reach.uses('r.oid', 'q.oid')} AND has_function_privilege(q.oid, f.oid, 'EXECUTE') ORDER BY q.rolname)::text[] AS via,
            -- What the body depends on, as recorded for a BEGIN ATOMIC body: anything in a schema other than pg_catalog.
            EXISTS (SELECT 1 FROM pg_depend d CROSS JOIN LATERAL pg_identify_object(d.refclassid, d.refobjid, d.refobjsubid) i
                     WHERE d.classid = 'pg_proc'::regclass AND d.objid = f.oid AND d.deptype = 'n' AND i.schema IS NOT NULL AND i.schema <> 'pg_catalog') AS outside_catalog
       FROM pg_proc f
       JOIN pg_namespace n ON n.oid = f.pronamespace
       JOIN pg_roles o ON o.oid = f.proowner AND o.rolsuper
       JOIN pg_language l ON l.oid = f.prolang
       JOIN pg_roles r ON r.rolname = $1 AND NOT r.rolsuper
      WHERE f.prosecdef AND n.nspname NOT IN ('pg_catalog', 'information_schema')
        AND EXISTS (SELECT 1 FROM pg_roles q WHERE ${reach.uses('r.oid', 'q.oid')} AND has_function_privilege(q.oid, f.oid, 'EXECUTE'))
        AND EXISTS (SELECT 1 FROM pg_roles q WHERE ${reach.uses('r.oid', 'q.oid')} AND has_schema_privilege(q.oid, f.pronamespace, 'USAGE'))
      ORDER BY 1
      LIMIT ${MAX_ROUTINES + 1}`,
    [role],
  );
  const [{ database }] = await session.query<{ database: string }>('SELECT current_database() AS database');
  const read = rows.slice(0, MAX_ROUTINES);
  const judged = read.filter((row) => !row.extension && row.returns !== 'event_trigger');
  return {
    database,
    truncated: rows.length > MAX_ROUTINES,
    leftOut: { extension: read.filter((row) => row.extension).length, eventTrigger: read.filter((row) => !row.extension && row.returns === 'event_trigger').length },
    routines: judged.map((row) => {
      const others = row.via.filter((name) => name !== role);
      const how = row.public ? 'granted to PUBLIC' : row.via.includes(role) && others.length === 0 ? '' : `through role ${others.join(', ')}`;
      const trigger = row.returns === 'trigger';
      const body = row.atomic_body ?? row.source ?? '';
      const calls = namedCalls(body, SUPERUSER_STEERABLE_CALLS);
      return { routine: row.routine, owner: row.owner, language: row.language, how, trigger, calls: calls ?? [], ...bodyKind(row, trigger, calls) };
    }),
  };
}

/** What the body does, from its language and text (the body itself stays here). */
function bodyKind(
  row: { language: string; source: string | null; atomic_body: string | null; argument_names: string[] | null; argument_modes: string[] | null; input_types: string[]; outside_catalog: boolean },
  trigger: boolean,
  calls: string[] | undefined,
): Pick<SuperuserDefinerRoutine, 'body' | 'parameter'> {
  if (calls === undefined) return { body: 'other' };
  if (row.atomic_body !== null) return { body: row.outside_catalog || calls.length > 0 ? 'static-sql' : 'bound-to-catalog' };
  if (row.language !== 'plpgsql' && row.language !== 'sql') return { body: 'other' };
  const finding = analyseBody(row.source ?? '', inputParameters(row), trigger);
  if (finding.kind === 'unreadable') return { body: 'other' };
  // A LANGUAGE sql EXECUTE runs a statement the caller PREPAREd in its own session: dynamic too.
  if (finding.kind === 'caller-statement') return row.language === 'plpgsql' ? { body: 'caller-statement', parameter: finding.parameter } : { body: 'dynamic-sql' };
  return { body: finding.kind };
}

/** The input parameters ($1, $2 ...): IN, INOUT and VARIADIC arguments, in order, with their names and whether they hold free text. */
function inputParameters(row: { argument_names: string[] | null; argument_modes: string[] | null; input_types: string[] }): RoutineParameter[] {
  const modes = row.argument_modes ?? row.input_types.map(() => 'i');
  const names = row.argument_names ?? [];
  const inputs = modes.flatMap((mode, index) => (['i', 'b', 'v'].includes(mode) ? [index] : []));
  return inputs.map((index, position) => ({
    position: position + 1,
    ...(names[index] ? { name: names[index] } : {}),
    textual: isTextualType(row.input_types[position] ?? ''),
  }));
}

/**
 * The routines' part of access.app-not-superuser's judgement: a routine that runs its caller's text
 * is a path to superuser power; one bound to pg_catalog is not counted; every other one is
 * undecided, with why; a read cut short is undecided. `lookedFor` says what a pass covered.
 */
export function judgeSuperuserDefinerRoutines(read: SuperuserDefinerRoutinesRead): { paths: string[]; undecided: string[]; lookedFor: string } {
  const paths: string[] = [];
  const undecided: string[] = [];
  const notCounted: string[] = [];
  for (const routine of read.routines) {
    const kind = routine.trigger ? 'trigger function' : 'routine';
    const what = `${routine.routine}, a SECURITY DEFINER ${kind} (LANGUAGE ${routine.language}) of superuser "${routine.owner}" that it may EXECUTE${routine.how ? `, ${routine.how}` : ''}`;
    const attach = routine.trigger ? ' (it may attach it to a table it owns, with arguments of its choosing, and fire it with rows it writes)' : '';
    if (routine.body === 'caller-statement') {
      paths.push(`${what}${attach}: its EXECUTE runs the text of ${routine.parameter?.startsWith('TG_ARGV') ? 'its trigger argument' : 'its parameter'} ${routine.parameter} as given, so any statement written there runs as "${routine.owner}"`);
      continue;
    }
    if (routine.body === 'bound-to-catalog') {
      notCounted.push(`${routine.routine} (a BEGIN ATOMIC SQL body bound when created, depending on pg_catalog only)`);
      continue;
    }
    const why = {
      'dynamic-sql': 'it runs dynamic SQL (EXECUTE) whose text was not traced to a constant',
      'static-sql':
        routine.calls.length > 0
          ? `it calls ${routine.calls.join(', ')}, which run a query string or reach the server's files or settings as "${routine.owner}"`
          : "its names are resolved when it runs (the caller's search_path, unless it sets one, and temporary tables first), or it depends on objects outside pg_catalog, so functions, operators, tables and their triggers that the application controls may run in it as the superuser",
      other: routine.language === 'plpgsql' || routine.language === 'sql' ? 'its body could not be read' : `a LANGUAGE ${routine.language} body is not analysed`,
    }[routine.body];
    undecided.push(`${what}${attach}: ${why}; whether it hands the application the superuser's power is not decided from its text`);
  }
  if (read.truncated) undecided.push(`more than ${MAX_ROUTINES} SECURITY DEFINER routines of superusers that it may EXECUTE in database "${read.database}": only the first ${MAX_ROUTINES} were read`);
  const leftOut = [
    ...(read.leftOut.extension ? [`${read.leftOut.extension} of extensions (vendor code; dblink's are judged above)`] : []),
    ...(read.leftOut.eventTrigger ? [`${read.leftOut.eventTrigger} event trigger functions (only a superuser creates event triggers)`] : []),
  ];
  return {
    paths,
    undecided,
    lookedFor: `SECURITY DEFINER routines of superusers that it may EXECUTE, itself, through PUBLIC or a role it reaches, in database "${read.database}": ${read.routines.length}${notCounted.length ? ` (not counted: ${notCounted.join('; ')})` : ''}${leftOut.length ? `; left out: ${leftOut.join(', ')}` : ''}`,
  };
}
