import type { CatalogSession } from '../../sessions/catalog-session.js';
import type { SqlSession } from '../../sessions/sql-session.js';
import type { LogReader } from './log-reader.js';

/** At most this much is read per poll: the tail travels over the network, and a log can be gigabytes. */
export const MAX_SQL_READ_BYTES = 4 * 1024 * 1024;

/** The functions the auditor must be allowed to run; superusers may, others need EXECUTE granted. */
export const POSTGRES_LOG_FUNCTIONS = ['pg_current_logfile()', 'pg_stat_file(text)', 'pg_read_file(text,bigint,bigint)'] as const;

/** The logging collector's current file and how long it was when the harness looked. */
export interface PostgresLogPosition {
  file: string;
  size: number;
}

/** Whether this server lets the auditor read its log over SQL, and if not, why not. */
export type PostgresLogOffer = { offered: true; reader: PostgresLogOverSql } | { offered: false; reason: string };

interface OfferRow {
  collector: string;
  destinations: string;
  role: string;
  file: string | null;
  [privilege: `may_${number}`]: boolean;
}

/**
 * The server's own log, read over SQL: with the logging collector on, `pg_current_logfile()` names
 * the file it writes now (stderr, csvlog or jsonlog, whichever log_destination puts first) and
 * `pg_read_file(path, offset, length)` reads a stretch of it. Only the tail written since the
 * position is read, at most MAX_SQL_READ_BYTES per poll. When the collector rotates to a new file
 * between two looks, the rest of the old file and the start of the new one are read. All reads go
 * through the catalog session (the declared auditor), within the target's timeout.
 */
export class PostgresLogOverSql implements LogReader<PostgresLogPosition> {
  private readonly filesRead: string[] = [];

  private constructor(
    private readonly catalog: CatalogSession,
    private readonly role: string,
    firstFile: string,
  ) {
    this.filesRead.push(firstFile);
  }

  /**
   * Asks the server whether it writes a log file the harness may read over SQL: the collector must
   * be on and write a file, and the session's role must be allowed every function in
   * POSTGRES_LOG_FUNCTIONS. Throws (CannotObserve) when the question itself cannot be asked.
   */
  static async offer(catalog: CatalogSession): Promise<PostgresLogOffer> {
    const privileges = POSTGRES_LOG_FUNCTIONS.map((signature, index) => `has_function_privilege('${signature}', 'EXECUTE') AS may_${index}`).join(', ');
    const { result: row } = await catalog.read('whether the server log is readable over SQL', async (session) => {
      const [settings] = await session.query<OfferRow>(
        `SELECT current_setting('logging_collector') AS collector, current_setting('log_destination') AS destinations, current_user AS role, ${privileges}`,
      );
      // Only ask for the file name when allowed: pg_current_logfile() itself refuses a role without EXECUTE.
      const file = settings.may_0 ? (await session.query<{ file: string | null }>('SELECT pg_current_logfile() AS file'))[0].file : null;
      return { ...settings, file } as OfferRow;
    });
    const missing = POSTGRES_LOG_FUNCTIONS.filter((_, index) => !row[`may_${index}`]);
    if (row.collector !== 'on') return { offered: false, reason: `the server's logging_collector is ${row.collector}, so it writes no log file that SQL can name (log_destination = ${row.destinations})` };
    if (missing.length > 0) return { offered: false, reason: `role "${row.role}" may not run ${missing.join(', ')} (GRANT EXECUTE ON FUNCTION ... TO "${row.role}")` };
    if (!row.file) return { offered: false, reason: `pg_current_logfile() names no file: log_destination = ${row.destinations} writes none (stderr, csvlog or jsonlog would)` };
    return { offered: true, reader: new PostgresLogOverSql(catalog, row.role, row.file) };
  }

  /** e.g. "pg_read_file on log/postgresql-2026-01-01_000000.log as role dbcomply_auditor". */
  describe(): string {
    return `pg_read_file on ${this.filesRead.join(' then ')} as role ${this.role}`;
  }

  position(): Promise<PostgresLogPosition> {
    return this.read('where the server log ends', (session) => currentEnd(session));
  }

  async readAll(): Promise<string> {
    return this.read('the server log', async (session) => {
      const end = await currentEnd(session);
      this.noteFile(end.file);
      return readStretch(session, end.file, Math.max(0, end.size - MAX_SQL_READ_BYTES), end.size);
    });
  }

  async readSince(since: PostgresLogPosition): Promise<string> {
    return this.read('the server log since the attempts', async (session) => {
      const end = await currentEnd(session);
      if (end.file === since.file) {
        this.noteFile(end.file);
        // Shorter than before: truncated in place on rotation (log_truncate_on_rotation), so read from its start.
        const from = end.size < since.size ? 0 : since.size;
        return readStretch(session, end.file, Math.max(from, end.size - MAX_SQL_READ_BYTES), end.size);
      }
      // Rotated: what the old file got after the position, then the new file from its start; the newest bytes win the budget.
      const old = Number((await session.query<{ size: string }>('SELECT size FROM pg_stat_file($1)', [since.file]))[0].size);
      const fromNew = Math.min(end.size, MAX_SQL_READ_BYTES);
      const fromOld = Math.min(Math.max(0, old - since.size), MAX_SQL_READ_BYTES - fromNew);
      this.noteFile(since.file);
      this.noteFile(end.file);
      const before = fromOld > 0 ? await readStretch(session, since.file, old - fromOld, old) : '';
      return `${before}\n${await readStretch(session, end.file, end.size - fromNew, end.size)}`;
    });
  }

  private async read<T>(what: string, read: (session: SqlSession) => Promise<T>): Promise<T> {
    return (await this.catalog.read(what, read)).result;
  }

  private noteFile(file: string): void {
    if (!this.filesRead.includes(file)) this.filesRead.push(file);
  }
}

async function currentEnd(session: SqlSession): Promise<PostgresLogPosition> {
  const [row] = await session.query<{ file: string | null; size: string | null }>(
    'SELECT f.file, (pg_stat_file(f.file)).size FROM (SELECT pg_current_logfile() AS file) f WHERE f.file IS NOT NULL',
  );
  // The collector was switched off (or its destinations changed to none) since the offer.
  if (!row?.file || row.size === null) throw new Error('pg_current_logfile() names no file any more: the logging collector stopped writing one');
  return { file: row.file, size: Number(row.size) };
}

/** PostgreSQL's "invalid byte sequence": pg_read_file returns text, so a stretch may not start inside a character. */
const INVALID_BYTE_SEQUENCE = '22021';

/**
 * Bytes [from, to) of `file`. A bounded stretch can start inside a multi-byte character, which
 * pg_read_file refuses as invalid text: then the start moves on by a byte, at most three times
 * (the longest UTF-8 continuation).
 */
export async function readStretch(session: SqlSession, file: string, from: number, to: number): Promise<string> {
  for (let start = from; ; start++) {
    if (start >= to) return '';
    try {
      const [row] = await session.query<{ text: string }>('SELECT pg_read_file($1, $2, $3) AS text', [file, start, to - start]);
      return row.text ?? '';
    } catch (error) {
      if ((error as { code?: string }).code !== INVALID_BYTE_SEQUENCE || start - from >= 3) throw error;
    }
  }
}
