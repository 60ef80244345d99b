import type { CatalogSession } from '../../sessions/catalog-session.js';
import type { SqlSession } from '../../sessions/sql-session.js';
import type { LogReader } from './log-reader.js';

/** At most this much is read per poll: the text travels over the network, and a log can be gigabytes. */
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
 * `pg_read_file(path, offset, length)` reads a stretch of it. Only what was written since the
 * position is read, continuing from poll to poll, at most MAX_SQL_READ_BYTES per poll. When the
 * collector rotates to a new file between two looks, the rest of the old file and the start of the
 * new one are read. All reads go through the catalog session (the declared auditor), within the
 * target's timeout.
 */
export class PostgresLogOverSql implements LogReader<PostgresLogPosition> {
  private readonly filesRead: string[] = [];
  /** Where the last poll for a position stopped. */
  private cursor?: { since: PostgresLogPosition; at: PostgresLogPosition };

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

  /**
   * What was written after `since`, oldest first. Polls with the same position continue where the
   * previous one stopped (the earlier text held no marker, or the poll would have ended), at most
   * MAX_SQL_READ_BYTES each: the marker's lines, written right after the position, come first
   * however much the server logs meanwhile, and nothing is skipped.
   */
  async readSince(since: PostgresLogPosition): Promise<string> {
    return this.read('the server log since the attempts', async (session) => {
      const from = this.cursor?.since === since ? this.cursor.at : since;
      const end = await currentEnd(session);
      this.noteFile(from.file);
      if (end.file === from.file) {
        // Shorter than before: truncated in place on rotation (log_truncate_on_rotation), so read from its start.
        const stretch = await readForward(session, end.file, end.size < from.size ? 0 : from.size, end.size, MAX_SQL_READ_BYTES);
        this.cursor = { since, at: { file: end.file, size: stretch.end } };
        return stretch.text;
      }
      // Rotated: the rest of the old file, then the new file from its start, within one budget.
      const oldSize = Number((await session.query<{ size: string }>('SELECT size FROM pg_stat_file($1)', [from.file]))[0].size);
      const old = await readForward(session, from.file, Math.min(from.size, oldSize), oldSize, MAX_SQL_READ_BYTES);
      if (old.end < oldSize) {
        this.cursor = { since, at: { file: from.file, size: old.end } };
        return old.text;
      }
      this.noteFile(end.file);
      const fresh = await readForward(session, end.file, 0, end.size, MAX_SQL_READ_BYTES - (old.end - Math.min(from.size, oldSize)));
      this.cursor = { since, at: { file: end.file, size: fresh.end } };
      return `${old.text}\n${fresh.text}`;
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

/** PostgreSQL's "invalid byte sequence": pg_read_file returns text, so a stretch must start and end between characters. */
const INVALID_BYTE_SEQUENCE = '22021';
/** The most bytes a boundary moves to leave a UTF-8 character whole. */
const MAX_CHARACTER_TAIL = 3;

/**
 * Bytes [from, to) of `file`, for the tail readAll looks at. A stretch that starts inside a
 * multi-byte character is refused by pg_read_file as invalid text: then the start moves on a byte,
 * at most MAX_CHARACTER_TAIL times. (`to` is the file's end, where a message ends.)
 */
export async function readStretch(session: SqlSession, file: string, from: number, to: number): Promise<string> {
  for (let start = from; ; start++) {
    if (start >= to) return '';
    try {
      const [row] = await session.query<{ text: string }>('SELECT pg_read_file($1, $2, $3) AS text', [file, start, to - start]);
      return row.text ?? '';
    } catch (error) {
      if ((error as { code?: string }).code !== INVALID_BYTE_SEQUENCE || start - from >= MAX_CHARACTER_TAIL) throw error;
    }
  }
}

/**
 * At most `budget` bytes of `file` from `from` (a boundary the last read left) towards `to`, and
 * where the read stopped. A stretch cut short of `to` may end inside a multi-byte character: then
 * it ends a byte earlier, at most MAX_CHARACTER_TAIL times, and the next read starts there.
 */
export async function readForward(session: SqlSession, file: string, from: number, to: number, budget: number): Promise<{ text: string; end: number }> {
  const limit = Math.min(to, from + Math.max(0, budget));
  for (let end = limit; ; end--) {
    if (end <= from) return { text: '', end: from };
    try {
      const [row] = await session.query<{ text: string }>('SELECT pg_read_file($1, $2, $3) AS text', [file, from, end - from]);
      return { text: row.text ?? '', end };
    } catch (error) {
      if ((error as { code?: string }).code !== INVALID_BYTE_SEQUENCE || end === to || limit - end >= MAX_CHARACTER_TAIL) throw error;
    }
  }
}
