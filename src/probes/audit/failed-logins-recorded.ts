import { CannotObserve, defaultTimeBudgetMs, defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { lookupService } from 'node:dns/promises';
import { awaitMarker, failLogins, namesHost, newMarker, type DetonatedLogin, type MarkerSearch } from './detonation.js';
import { chooseLogSource } from './log-source-choice.js';
import { firstContactOf } from '../reachability.js';
import { withDeadline } from '../../util/deadline.js';

/** Two: enough to tell a recorded pattern from a stray line, far below any lockout threshold. */
export const FAILED_LOGINS_MADE = 2;
export const DEFAULT_LOG_WAIT_MS = 15_000;

export interface FailedLoginsEvidence {
  /** The source as read, e.g. "file /var/log/x.log" or "pg_read_file on log/postgresql-….log as role dbcomply_auditor". */
  source: string;
  /** Why that source: declared by the target, or offered by the server over SQL. */
  sourceChosen?: string;
  marker: string;
  /** The negative check: the marker was nowhere in the source before the attempts. */
  absentBefore: true;
  attempts: DetonatedLogin[];
  search: MarkerSearch;
  /**
   * The address this harness connects from, as its socket reports it, and the name that address
   * resolves to (looked up only when no line names an address): a server with log_hostname on
   * writes the name. Absent in evidence from before.
   */
  harness?: { address?: string; hostName?: string; lookup?: string };
  /** PostgreSQL: the database the failed logins asked for, which a log_line_prefix with %d writes on each line. Absent in evidence from before. */
  database?: string;
}

/** How long the reverse lookup of the harness's own address may take. */
const NAME_LOOKUP_MS = 2_000;

/** What this harness's address resolves to, the way a server resolves a client's (getnameinfo); a failure is said, not thrown. */
async function harnessName(address: string | undefined): Promise<Pick<NonNullable<FailedLoginsEvidence['harness']>, 'hostName' | 'lookup'>> {
  if (!address) return { lookup: 'the local address of the connection is unknown' };
  try {
    const { hostname } = await withDeadline(NAME_LOOKUP_MS, `resolving ${address}`, () => lookupService(address, 0));
    return hostname && hostname !== address ? { hostName: hostname } : { lookup: `${address} resolves to no name` };
  } catch (error) {
    return { lookup: `${address} did not resolve: ${error instanceof Error ? error.message : String(error)}` };
  }
}

const REFUSED = new Set(['refused-by-authentication', 'refused-by-policy', 'locked']);

/** A failed login made now, with a name nobody else uses, must show up in the server's log. */
export const failedLoginsRecorded = defineCheck<FailedLoginsEvidence>({
  id: 'audit.failed-logins-recorded',
  evidenceTitle: 'failed logins made with a marker user name, and the log lines that name it',
  // The reads and logins, plus the wait for the line, which may be minutes for an exported log.
  timeBudgetMs: (target) => defaultTimeBudgetMs(target) + (target.logs?.waitMs ?? DEFAULT_LOG_WAIT_MS),
  read: async (context, signal) => {
    const target = context.target;
    const marker = newMarker();
    const { reader: source, chosenBecause } = await chooseLogSource(context, marker);
    let position: unknown;
    let before: string;
    try {
      position = await source.position();
      before = await source.readAll();
    } catch (error) {
      throw new CannotObserve(`cannot read the log source (${source.describe()}): ${(error as Error).message}`);
    }
    if (before.includes(marker)) throw new CannotObserve(`the marker ${marker} is already in ${source.describe()} before any attempt: the source cannot tell this run's attempts apart`);
    const attempts = await failLogins(target, marker, FAILED_LOGINS_MADE, { concurrently: true });
    let search: MarkerSearch;
    try {
      search = await awaitMarker(source, position, marker, target.logs?.waitMs ?? DEFAULT_LOG_WAIT_MS, signal);
    } catch (error) {
      throw new CannotObserve(`cannot read the log source (${source.describe()}) after the attempts: ${(error as Error).message}`, { source: source.describe(), sourceChosen: chosenBecause, marker, attempts });
    }
    const { localAddress: address } = await firstContactOf(context);
    const namedByAddress = search.found.some((line) => line.addresses.length > 0);
    const harness = { address, ...(search.found.length > 0 && !namedByAddress ? await harnessName(address) : {}) };
    // The detonation's PostgreSQL logins ask for the target's database, as every PostgreSQL session does (sql-session.ts).
    const database = target.engine === 'postgres' ? (target.database ?? 'postgres') : undefined;
    return { source: source.describe(), sourceChosen: chosenBecause, marker, absentBefore: true as const, attempts, search, harness, ...(database ? { database } : {}) };
  },
  judge: ({ source, marker, attempts, search, harness, database }) => {
    const refused = attempts.filter((attempt) => REFUSED.has(attempt.outcome));
    if (refused.length === 0) {
      return undecided(`no failed login could be made as ${marker} (${attempts.map((attempt) => `${attempt.outcome}${attempt.serverCode ? ` [${attempt.serverCode}]` : ''}`).join(', ')}), so there was nothing for the log to record`);
    }
    const made = `${refused.length} failed login${refused.length > 1 ? 's' : ''} as ${marker} from ${refused[0].at}`;
    if (search.found.length === 0) {
      return failed(`${made} did not appear in ${source} within ${search.waitedMs} ms (${search.polls} reads; the marker was absent before)`);
    }
    const addresses = [...new Set(search.found.flatMap((line) => line.addresses))];
    if (addresses.length === 0) {
      const names = [...new Set(search.found.flatMap((line) => line.hostNames ?? []))];
      if (names.length > 0) {
        return passed(`${made} appeared in ${source} after ${search.waitedMs} ms (${search.found.length} lines, seen ${search.found[0].seenAt}), naming the source by host name ${names.join(', ')} (the server logs the name it resolved the client's address to, not the address)`);
      }
      const hostName = harness?.hostName;
      if (hostName && search.found.some((line) => namesHost(line.line, hostName))) {
        // %d writes the database the logins asked for: named like the harness's host (a machine
        // called "postgres" and the default database), the line cannot tell it from the client.
        if (database?.toLowerCase() === hostName.toLowerCase()) {
          return undecided(`${made} appeared in ${source} (${search.found.length} lines, seen ${search.found[0].seenAt}) and names ${hostName}, the name the harness's address ${harness.address} resolves to; but that is also the database the failed logins asked for, which a log_line_prefix with %d writes, so whether a line names the client cannot be told`);
        }
        return passed(
          `${made} appeared in ${source} after ${search.waitedMs} ms (${search.found.length} lines, seen ${search.found[0].seenAt}), naming the source by host name ${hostName} (the name the harness's address ${harness.address} resolves to, which a server with log_hostname on writes in place of the address; log_hostname itself was not read)`,
        );
      }
      const lookup = harness?.lookup ? `; ${harness.lookup}` : hostName ? `; no line names ${hostName}, the name the harness's address resolves to` : '';
      return failed(`${made} appeared in ${source} (${search.found.length} lines, seen ${search.found[0].seenAt}) but no line names the source address${lookup}`);
    }
    return passed(`${made} appeared in ${source} after ${search.waitedMs} ms (${search.found.length} lines, seen ${search.found[0].seenAt}), naming source address ${addresses.join(', ')}`);
  },
});
