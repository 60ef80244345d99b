import type { SqlSession } from '../../sessions/sql-session.js';
import type { TargetContext } from '../target-context.js';
import { AZURE_POSTGRES_PLATFORM_DATABASES, runsAzurePlatformRoles } from './platform-roles.js';

/**
 * PostgreSQL keeps schemas, functions and their grants per database: what the catalog session's
 * database shows says nothing about the others, and a role that may log in to another database
 * (the login-path controls show which) has the rights granted there. These helpers read the same
 * thing in every other database that accepts connections, as the auditor, one session at a time.
 */

/** Databases read besides the target's; past it a check is undecided. */
export const MAX_OTHER_DATABASES = 50;

export interface OtherDatabaseReads<T> {
  results: Array<{ database: string; result: T }>;
  /** Databases the auditor could not read; `platform` marks Azure's own, which customers' roles may not enter. */
  unreadable: Array<{ database: string; reason: string; platform?: true }>;
  /** Why the databases could not be listed, or that there were more than the bound. */
  problem?: string;
}

/** The other databases that accept connections, listed once per run. */
function otherDatabaseNames(context: TargetContext): Promise<string[]> {
  return context.once('other-databases', async () => {
    const { result } = await context.catalog.read('the databases that accept connections', (session) =>
      session.query<{ datname: string }>('SELECT datname FROM pg_database WHERE datallowconn AND datname <> current_database() ORDER BY datname'),
    );
    return result.map((row) => row.datname);
  });
}

/**
 * Whether a database the auditor could not read is Azure's own, which no customer's role may
 * enter: by its name, and only on a server that runs Azure's platform superuser. Elsewhere a
 * database may carry the name and hold anything, so it is judged like any other; when whether the
 * server is an Azure one cannot be read, it is not excused either.
 */
async function isAzurePlatformDatabase(context: TargetContext, database: string): Promise<boolean> {
  if (!AZURE_POSTGRES_PLATFORM_DATABASES.has(database)) return false;
  return context
    .once('azure-platform-server', async () => (await context.catalog.read('whether the server is an Azure one', runsAzurePlatformRoles)).result)
    .catch(() => false);
}

/**
 * A second read in each database's session, after the first: no second login, but a deadline and a
 * failure of its own, so that one check's part cannot make a database unreadable for the checks
 * that share the first (nor its time count against theirs). It is given the first read's result,
 * or undefined where that failed.
 */
export interface FollowUpRead<T, F> {
  what: string;
  read: (session: SqlSession, first: T | undefined) => Promise<F>;
}

export async function readEveryOtherDatabase<T, F = never>(
  context: TargetContext,
  what: string,
  read: (session: SqlSession) => Promise<T>,
  followUp?: FollowUpRead<T, F>,
): Promise<OtherDatabaseReads<T> & { followUp?: OtherDatabaseReads<F> }> {
  let names: string[];
  try {
    names = await otherDatabaseNames(context);
  } catch (error) {
    const problem = `the other databases could not be listed: ${(error as Error).message}`;
    return { results: [], unreadable: [], problem, ...(followUp ? { followUp: { results: [], unreadable: [], problem } } : {}) };
  }
  const reads: OtherDatabaseReads<T> = { results: [], unreadable: [] };
  const followUps: OtherDatabaseReads<F> = { results: [], unreadable: [] };
  // Each session is closed before the next: a server may have many databases and few free connections.
  for (const database of names.slice(0, MAX_OTHER_DATABASES)) {
    // Shared by several checks, so it cannot stop at one check's deadline; it stops when the target's run ends.
    context.closed.throwIfAborted();
    const session = context.catalog.inDatabase(database);
    const platform = async () => ((await isAzurePlatformDatabase(context, database)) ? { platform: true as const } : {});
    try {
      let first: T | undefined;
      try {
        first = (await session.read(`${what} in database "${database}"`, read)).result;
        reads.results.push({ database, result: first });
      } catch (error) {
        reads.unreadable.push({ database, reason: (error as Error).message, ...(await platform()) });
      }
      if (!followUp) continue;
      // The same session: a login the server refused is not tried again (the refusal is kept), nor one that worked made twice.
      try {
        followUps.results.push({ database, result: (await session.read(`${followUp.what} in database "${database}"`, (same) => followUp.read(same, first))).result });
      } catch (error) {
        followUps.unreadable.push({ database, reason: (error as Error).message, ...(await platform()) });
      }
    } finally {
      await session.close();
    }
  }
  if (names.length > MAX_OTHER_DATABASES) reads.problem = followUps.problem = `${names.length} other databases accept connections; only the first ${MAX_OTHER_DATABASES} were read`;
  return { ...reads, ...(followUp ? { followUp: followUps } : {}) };
}
