import { MAX_DEFINER_ROUTINES, type DatabaseDefinerRoutines } from './postgres-definer-routines.js';
import type { RoutineBodyKind } from './postgres-routine-body.js';

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

export interface SuperuserDefinerRoutine {
  /** schema.name(argument types). */
  routine: string;
  owner: string;
  language: string;
  /** '' when granted to the role itself, else "granted to PUBLIC" or "through role ops". */
  how: string;
  /** A trigger function: the role attaches it to a table it owns, with arguments of its choosing. */
  trigger: boolean;
  /** What its body was found to do (never the body: it may hold a password); see RoutineBodyKind. */
  body: RoutineBodyKind['body'];
  /** caller-statement: the parameter ($1, its name, TG_ARGV[n]) whose text EXECUTE runs. */
  parameter?: string;
  /** SUPERUSER_STEERABLE_CALLS (postgres-routine-body.ts) its body calls. */
  calls: string[];
}

export interface SuperuserDefinerRoutinesRead {
  database: string;
  routines: SuperuserDefinerRoutine[];
  /** Such routines it may run that were not judged: an extension's, and event trigger functions. */
  leftOut: { extension: number; eventTrigger: number };
  /** The read stopped short: see readUpTo. */
  truncated: boolean;
  /**
   * How many SECURITY DEFINER routines of the database, of any owner, the read takes
   * (MAX_DEFINER_ROUTINES: the read access.least-privilege shares); absent in evidence from before,
   * when truncated meant more than 200 superusers' routines it may run.
   */
  readUpTo?: number;
}

/**
 * The superuser-owned SECURITY DEFINER routines in the read's database that `role` may run (EXECUTE
 * and USAGE on the schema, itself, through PUBLIC or roles it reaches: postgres-definer-routines.ts),
 * from the read both controls share.
 */
export function superuserDefinerRoutinesOf(read: DatabaseDefinerRoutines, role: string): SuperuserDefinerRoutinesRead {
  const mayRun = read.routines.flatMap((routine) => {
    const runner = routine.ownerIsAdministrator ? routine.runners.find((candidate) => candidate.account === role) : undefined;
    return runner ? [{ routine, via: runner.via }] : [];
  });
  const eventTrigger = ({ routine }: (typeof mayRun)[number]) => !routine.extension && routine.returns === 'event_trigger';
  const judged = mayRun.filter((entry) => !entry.routine.extension && !eventTrigger(entry));
  return {
    database: read.database,
    truncated: read.truncated,
    readUpTo: MAX_DEFINER_ROUTINES,
    leftOut: { extension: mayRun.filter((entry) => entry.routine.extension).length, eventTrigger: mayRun.filter(eventTrigger).length },
    routines: judged.map(({ routine, via }) => {
      const others = via.filter((name) => name !== role);
      const how = routine.executeGrantedToPublic ? 'granted to PUBLIC' : via.includes(role) && others.length === 0 ? '' : `through role ${others.join(', ')}`;
      // A routine the read judged has its body's kind; one without (never, by the read's own test) is not analysed.
      const { body, parameter, calls } = routine.body ?? { body: 'other' as const, calls: [] };
      return { routine: routine.routine, owner: routine.owner, language: routine.language, how, trigger: routine.returns === 'trigger', body, ...(parameter ? { parameter } : {}), calls };
    }),
  };
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
  if (read.truncated) {
    undecided.push(
      read.readUpTo === undefined
        ? `more than 200 SECURITY DEFINER routines of superusers that it may EXECUTE in database "${read.database}": only the first 200 were read`
        : `more than ${read.readUpTo} SECURITY DEFINER routines in database "${read.database}": only the first ${read.readUpTo} were read, so whether it may EXECUTE a superuser's among the others is unknown`,
    );
  }
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
