import { CannotObserve, NothingToJudge } from '../check.js';
import type { TargetContext } from '../target-context.js';
import { catalogCredentials } from '../../sessions/catalog-session.js';
import type { LogReader } from './log-reader.js';
import { LogSource } from './log-source.js';
import { MariaDbGeneralLogTable } from './mariadb-general-log-table.js';
import { PostgresLogOverSql } from './postgres-log-over-sql.js';

export interface ChosenLogSource {
  reader: LogReader<unknown>;
  /** Why this source: declared by the target, or offered by the server over SQL. */
  chosenBecause: string;
}

const BOTH_WAYS = 'declare one (logs: { file | files | command }) or let the auditor read the server\'s log over SQL';

/**
 * Where audit.failed-logins-recorded looks for its marker. A declared file or command wins. Else
 * (or when `logs: { sql: true }` asks for it) the server's own log over SQL, as the catalog session's
 * account: PostgreSQL's collector file through pg_read_file, MariaDB/MySQL's general log table.
 * Neither: skipped, naming both ways to give the control a source. A declared SQL source the server
 * does not offer, or a question the server does not answer, is undecided.
 */
export async function chooseLogSource(context: TargetContext, marker: string): Promise<ChosenLogSource> {
  const target = context.target;
  const declared = target.logs;
  if (declared && ((declared.files?.length ?? 0) > 0 || (declared.command?.length ?? 0) > 0)) {
    return { reader: LogSource.from(declared, target.timeoutMs), chosenBecause: 'declared by the target' };
  }
  const sqlDeclared = declared?.sql === true;
  if (!sqlDeclared && catalogCredentials(target) === undefined) {
    throw new NothingToJudge(`no log source: ${BOTH_WAYS} (no account is declared to try the latter with: an auditor or login account with a password, or an Entra principal)`);
  }
  const offer = target.engine === 'postgres' ? await PostgresLogOverSql.offer(context.catalog) : await MariaDbGeneralLogTable.offer(context.catalog, marker);
  if (offer.offered) return { reader: offer.reader as LogReader<unknown>, chosenBecause: sqlDeclared ? 'declared by the target (logs: { sql: true })' : 'offered by the server over SQL (no log source declared)' };
  if (sqlDeclared) throw new CannotObserve(`the target declares its log readable over SQL, but it is not: ${offer.reason}`);
  throw new NothingToJudge(`no log source: ${BOTH_WAYS}, which this server does not allow: ${offer.reason}`);
}
