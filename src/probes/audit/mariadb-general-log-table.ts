import type { CatalogSession } from '../../sessions/catalog-session.js';
import type { SqlSession } from '../../sessions/sql-session.js';
import type { LogReader } from './log-reader.js';

/** At most this many rows per read: the marker's few failed logins, with room for a busy server's own. */
const MAX_ROWS = 200;

/** The server's clock when the harness looked, as the table's event_time compares with it. */
export interface GeneralLogPosition {
  serverTime: string;
}

export type GeneralLogOffer = { offered: true; reader: MariaDbGeneralLogTable } | { offered: false; reason: string };

interface GeneralLogRow {
  event_time: string;
  user_host: string;
  argument: string;
}

/**
 * MariaDB/MySQL's general query log as a table: with general_log ON and log_output including
 * TABLE, every connection attempt is a row of mysql.general_log, a refused one with command_type
 * "Connect" and the server's "Access denied for user ..." as its argument, user_host naming the
 * client address. (MariaDB's server_audit writes only to a file or syslog, so it is not readable
 * here.) Only "Connect" rows are searched: the harness's own search names the marker in its query
 * text, which the general log records too. Of those, the row every attempt gets before it is
 * decided ("user@host on db using SSL/TLS") is left out: only the server's refusal counts as a
 * record of the failed login, in whatever language the server writes it. The rows are searched for the marker on the server,
 * because the table (CSV engine, no index) holds every statement the server ran.
 */
export class MariaDbGeneralLogTable implements LogReader<GeneralLogPosition> {
  private constructor(
    private readonly catalog: CatalogSession,
    private readonly account: string,
    private readonly marker: string,
  ) {}

  /**
   * Asks whether the server writes the general log to its table and the session's account may
   * read it. Throws (CannotObserve) when the question itself cannot be asked.
   */
  static async offer(catalog: CatalogSession, marker: string): Promise<GeneralLogOffer> {
    const { result } = await catalog.read('whether the general log is readable over SQL', async (session) => {
      const [row] = await session.query<{ general_log: number | string; log_output: string; account: string }>(
        'SELECT @@GLOBAL.general_log AS general_log, @@GLOBAL.log_output AS log_output, CURRENT_USER() AS account',
      );
      let readable: true | string = true;
      try {
        await session.query('SELECT 1 FROM mysql.general_log LIMIT 0');
      } catch (error) {
        readable = `${(error as { code?: string }).code ?? 'error'}: ${(error as Error).message.split('\n')[0]}`;
      }
      return { ...row, readable };
    });
    const outputs = new Set(String(result.log_output).toUpperCase().split(',').map((each) => each.trim()));
    if (String(result.general_log) !== '1' && String(result.general_log).toUpperCase() !== 'ON') return { offered: false, reason: 'the server\'s general_log is OFF, and no other log it keeps is a table (server_audit writes to a file or syslog)' };
    if (!outputs.has('TABLE')) return { offered: false, reason: `the server writes its general log to ${result.log_output}, not to a table (log_output does not include TABLE)` };
    if (result.readable !== true) return { offered: false, reason: `account ${result.account} may not read mysql.general_log (${result.readable}; GRANT SELECT ON mysql.general_log TO it)` };
    return { offered: true, reader: new MariaDbGeneralLogTable(catalog, result.account, marker) };
  }

  describe(): string {
    return `table mysql.general_log as ${this.account}`;
  }

  position(): Promise<GeneralLogPosition> {
    return this.read('the server time', async (session) => {
      const [row] = await session.query<{ now: string }>("SELECT DATE_FORMAT(NOW(6), '%Y-%m-%d %H:%i:%s.%f') AS now");
      return { serverTime: row.now };
    });
  }

  readAll(): Promise<string> {
    return this.rows(undefined);
  }

  readSince(since: GeneralLogPosition): Promise<string> {
    return this.rows(since.serverTime);
  }

  /** One line per row: time, user_host (with the client address) and the server's message. */
  private rows(since: string | undefined): Promise<string> {
    return this.read('mysql.general_log', async (session) => {
      const rows = await session.query<GeneralLogRow>(
        `SELECT DATE_FORMAT(event_time, '%Y-%m-%d %H:%i:%s.%f') AS event_time, CONVERT(user_host USING utf8mb4) AS user_host, CONVERT(argument USING utf8mb4) AS argument
         FROM mysql.general_log
         WHERE command_type = 'Connect' ${since === undefined ? '' : 'AND event_time >= ?'} AND (LOCATE(?, user_host) > 0 OR LOCATE(?, argument) > 0)
           AND LOCATE(CONCAT(?, '@'), argument) <> 1
         ORDER BY event_time LIMIT ${MAX_ROWS}`,
        [...(since === undefined ? [] : [since]), this.marker, this.marker, this.marker],
      );
      return rows.map((row) => `${row.event_time} ${row.user_host} Connect ${row.argument}`).join('\n');
    });
  }

  private async read<T>(what: string, read: (session: SqlSession) => Promise<T>): Promise<T> {
    return (await this.catalog.read(what, read)).result;
  }
}
