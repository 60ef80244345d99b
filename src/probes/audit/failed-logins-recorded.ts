import { CannotObserve, defaultTimeBudgetMs, defineCheck } from '../check.js';
import { failed, passed, undecided } from '../../controls/judgement.js';
import { awaitMarker, failLogins, newMarker, type DetonatedLogin, type MarkerSearch } from './detonation.js';
import { chooseLogSource } from './log-source-choice.js';

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
    return { source: source.describe(), sourceChosen: chosenBecause, marker, absentBefore: true as const, attempts, search };
  },
  judge: ({ source, marker, attempts, search }) => {
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
      return failed(`${made} appeared in ${source} (${search.found.length} lines, seen ${search.found[0].seenAt}) but no line names the source address`);
    }
    return passed(`${made} appeared in ${source} after ${search.waitedMs} ms (${search.found.length} lines, seen ${search.found[0].seenAt}), naming source address ${addresses.join(', ')}`);
  },
});
