import type { SqlSession } from '../../sessions/sql-session.js';
import { describeSetting, isOn, settingOf, type SettingsEvidence } from '../audit/server-settings.js';

/**
 * The user tables of a MySQL/MariaDB server by storage engine. InnoDB encryption covers InnoDB
 * only: a MyISAM, CSV or ARCHIVE table is never encrypted, an Aria table only with
 * aria_encrypt_tables on and ROW_FORMAT=PAGE. Only metadata is read (information_schema.TABLES),
 * never a row.
 */

/** Schemas of the server itself, left out of the user tables. */
export const SYSTEM_SCHEMAS = ['mysql', 'information_schema', 'performance_schema', 'sys'] as const;

/** How many tables outside InnoDB are listed one by one; beyond it they are counted only. */
export const LISTED_TABLES_LIMIT = 200;

/** The base tables of one schema in one engine (NULL: the server could not open the table's engine). */
export interface EngineCount {
  schema: string;
  engine: string | null;
  tables: number;
}

/** One user table outside InnoDB, by name: its rows are judged by its engine. */
export interface NonInnodbTable {
  schema: string;
  name: string;
  engine: string | null;
  rowFormat: string | null;
  /** information_schema.TABLES.CREATE_OPTIONS, e.g. "row_format=PAGE transactional=1": whether an Aria table writes the Aria log. */
  createOptions: string | null;
  /** Created (or last rebuilt) since the server started: for Aria, whether it was made under today's aria_encrypt_tables. null: CREATE_TIME unknown. */
  createdSinceStart: boolean | null;
}

export interface UserTablesEvidence {
  counts: EngineCount[];
  /** The first LISTED_TABLES_LIMIT tables outside InnoDB, by schema and name. */
  nonInnodb: NonInnodbTable[];
  nonInnodbTotal: number;
  /**
   * information_schema.TABLES shows only tables the reading account holds some privilege on.
   * true: it holds a global table privilege, so it sees every table; `how` says which (or why not).
   */
  visibility: { allTables: boolean; how: string };
}

/**
 * Global privileges that make information_schema.TABLES show every table (MariaDB's TABLE_ACLS:
 * any privilege on a table shows it). SHOW VIEW is the one an auditor needs: it reveals view
 * definitions, never rows; verified on MariaDB 10.11 (PROCESS and SELECT on mysql.* show none).
 */
export const TABLE_VISIBILITY_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'CREATE', 'DROP', 'REFERENCES', 'INDEX', 'ALTER', 'CREATE VIEW', 'SHOW VIEW', 'TRIGGER'];

const SYSTEM_LIST = SYSTEM_SCHEMAS.map((schema) => `'${schema}'`).join(', ');
// BINARY: information_schema compares names without regard to case, and a user schema named
// `MySQL` or `Sys` (distinct from the system ones where lower_case_table_names is 0) must be judged.
const BASE_TABLES = `TABLE_TYPE NOT IN ('VIEW', 'SYSTEM VIEW') AND BINARY TABLE_SCHEMA NOT IN (${SYSTEM_LIST})`;

export async function readUserTables(session: SqlSession): Promise<UserTablesEvidence> {
  const counts = await session.query<{ schema_name: string; engine: string | null; tables: number | string }>(
    `SELECT TABLE_SCHEMA AS schema_name, ENGINE AS engine, COUNT(*) AS tables FROM information_schema.TABLES WHERE ${BASE_TABLES} GROUP BY TABLE_SCHEMA, ENGINE ORDER BY TABLE_SCHEMA, ENGINE`,
  );
  const [uptime] = await session.query<{ Value?: string | number; VALUE?: string | number }>("SHOW GLOBAL STATUS LIKE 'Uptime'");
  const uptimeSeconds = Number(uptime?.Value ?? uptime?.VALUE);
  const sinceStart = Number.isFinite(uptimeSeconds) ? `CREATE_TIME >= NOW() - INTERVAL ${Math.trunc(uptimeSeconds)} SECOND` : 'NULL';
  const nonInnodb = await session.query<{ schema_name: string; name: string; engine: string | null; row_format: string | null; create_options: string | null; since_start: number | string | null }>(
    `SELECT TABLE_SCHEMA AS schema_name, TABLE_NAME AS name, ENGINE AS engine, ROW_FORMAT AS row_format, CREATE_OPTIONS AS create_options, ${sinceStart} AS since_start
       FROM information_schema.TABLES
      WHERE ${BASE_TABLES} AND (ENGINE IS NULL OR UPPER(ENGINE) <> 'INNODB')
      ORDER BY TABLE_SCHEMA, TABLE_NAME LIMIT ${LISTED_TABLES_LIMIT}`,
  );
  const tally = counts.map((row) => ({ schema: String(row.schema_name), engine: row.engine === null ? null : String(row.engine), tables: Number(row.tables) }));
  return {
    counts: tally,
    nonInnodb: nonInnodb.map((row) => ({
      schema: String(row.schema_name),
      name: String(row.name),
      engine: row.engine === null ? null : String(row.engine),
      rowFormat: row.row_format === null ? null : String(row.row_format),
      createOptions: row.create_options === null || row.create_options === undefined ? null : String(row.create_options),
      createdSinceStart: row.since_start === null || row.since_start === undefined ? null : Number(row.since_start) === 1,
    })),
    nonInnodbTotal: tally.filter((count) => count.engine === null || count.engine.toUpperCase() !== 'INNODB').reduce((sum, count) => sum + count.tables, 0),
    visibility: await readVisibility(session),
  };
}

/** Whether the reading account holds, directly, a global privilege that shows every table. */
async function readVisibility(session: SqlSession): Promise<UserTablesEvidence['visibility']> {
  const [current] = await session.query<{ account: string }>('SELECT CURRENT_USER() AS account');
  const account = String(current?.account ?? '');
  const at = account.lastIndexOf('@');
  const grantee = `'${account.slice(0, at)}'@'${account.slice(at + 1)}'`;
  const rows = await session.query<{ privilege: string }>('SELECT PRIVILEGE_TYPE AS privilege FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = ?', [grantee]);
  const held = rows.map((row) => String(row.privilege).toUpperCase());
  const showing = held.filter((privilege) => TABLE_VISIBILITY_PRIVILEGES.includes(privilege));
  if (showing.length > 0) {
    const restricted = await partialRevokes(session, account.slice(0, at), account.slice(at + 1));
    if (restricted) return { allTables: false, how: `${grantee} holds ${showing.join(', ')} on *.*, but ${restricted}` };
    return { allTables: true, how: `${grantee} holds ${showing.join(', ')} on *.*, which shows every table` };
  }
  return {
    allTables: false,
    how: `${grantee} holds no global table privilege (${held.length > 0 ? held.join(', ') : 'none listed'}): information_schema.TABLES shows it only the tables it has a privilege on; grant it SHOW VIEW ON *.* (metadata only, no rows)`,
  };
}

/**
 * MySQL 8 with partial_revokes ON: a global privilege can be revoked on one schema, hiding its
 * tables; the account's restrictions are in mysql.user.User_attributes. MariaDB has no such thing
 * (the variable is absent). Returns why the account may not see every schema, or undefined.
 */
async function partialRevokes(session: SqlSession, user: string, host: string): Promise<string | undefined> {
  const [setting] = await session.query<{ Value?: string; VALUE?: string }>("SHOW GLOBAL VARIABLES LIKE 'partial_revokes'");
  const value = String(setting?.Value ?? setting?.VALUE ?? '');
  if (setting === undefined || !/^(ON|1)$/i.test(value)) return undefined;
  try {
    const [row] = await session.query<{ attributes: string | object | null }>('SELECT User_attributes AS attributes FROM mysql.user WHERE User = ? AND Host = ?', [user, host]);
    if (row === undefined) return 'partial_revokes is ON and its mysql.user row was not found, so a revoke on one schema cannot be ruled out';
    const attributes = typeof row.attributes === 'string' ? (JSON.parse(row.attributes) as { Restrictions?: unknown[] }) : ((row.attributes ?? {}) as { Restrictions?: unknown[] });
    const restrictions = attributes.Restrictions ?? [];
    return restrictions.length > 0 ? `partial_revokes is ON and ${restrictions.length} schema restrictions (partial revokes) apply to it, which can hide tables` : undefined;
  } catch (error) {
    return `partial_revokes is ON and its restrictions could not be read (${(error as Error).message}), so a revoke on one schema cannot be ruled out`;
  }
}

/** What the user tables outside InnoDB add to the at-rest judgement. */
export interface UserTablesFinding {
  /** Tables whose rows are on disk unencrypted: the control fails. */
  plaintext: string[];
  /** Reasons the tables cannot be decided (stored elsewhere, unknown engine, Aria of unknown age, a truncated view). */
  undecided: string[];
  /** What a pass covered, e.g. "12 user tables in 2 schemas examined (InnoDB 10, MEMORY 2)". */
  covered: string;
}

/** Engines that keep no rows on disk of their own. MRG_MyISAM's rows are its MyISAM tables', which are listed themselves. */
const NOTHING_ON_DISK: Record<string, string> = { MEMORY: 'rows in memory only', BLACKHOLE: 'discards its rows', MRG_MYISAM: 'its rows are those of its MyISAM tables, judged themselves' };
/** Engines that never encrypt what they write. */
const NEVER_ENCRYPTED = new Set(['MYISAM', 'CSV', 'ARCHIVE']);
/** Engines whose rows live on another server, a file or object store this check does not see. */
const STORED_ELSEWHERE: Record<string, string> = {
  FEDERATED: 'rows on another server',
  FEDERATEDX: 'rows on another server',
  SPIDER: 'rows on other servers',
  CONNECT: 'rows in an outside file or another server',
  S3: 'rows in object storage',
};

const MAX_NAMED = 10;

/**
 * `innodbTablespaces`: the InnoDB tablespace names ("schema/table", read with PROCESS, whatever the
 * table privileges): a user schema among them that information_schema.TABLES did not show is seen
 * proof that the table list is cut short.
 */
export function judgeUserTables(evidence: UserTablesEvidence, settings: SettingsEvidence, innodbTablespaces: readonly string[] = []): UserTablesFinding {
  const total = evidence.counts.reduce((sum, count) => sum + count.tables, 0);
  const schemas = new Set(evidence.counts.map((count) => count.schema)).size;
  const byEngine = new Map<string, number>();
  for (const count of evidence.counts) byEngine.set(count.engine ?? 'engine unknown', (byEngine.get(count.engine ?? 'engine unknown') ?? 0) + count.tables);
  const covered =
    total === 0
      ? `no user table outside the system schemas (${SYSTEM_SCHEMAS.join(', ')}): nothing more to encrypt`
      : `${total} user tables in ${schemas} schemas examined (${[...byEngine].map(([engine, tables]) => `${engine} ${tables}`).join(', ')})`;

  const aria = settingOf(settings, 'aria_encrypt_tables');
  const ariaOn = 'value' in aria && isOn(aria.value);
  // Aria encrypts only tables created or rebuilt while aria_encrypt_tables is on, and no SQL shows
  // which ones are (MDEV-17324): a table made since a start with the setting on from its options is.
  const ariaOnSinceStart = ariaOn && 'source' in aria && aria.source.toUpperCase() !== 'SQL';
  const plaintext: string[] = [];
  const unknown: string[] = [];
  for (const table of evidence.nonInnodb) {
    const name = `${table.schema}.${table.name}`;
    const engine = (table.engine ?? '').toUpperCase();
    if (table.engine === null) unknown.push(`${name} (its engine could not be read)`);
    else if (engine in NOTHING_ON_DISK) continue;
    else if (NEVER_ENCRYPTED.has(engine)) plaintext.push(`${name} (${table.engine}: never encrypted)`);
    else if (engine === 'ARIA') {
      const page = (table.rowFormat ?? '').toUpperCase() === 'PAGE';
      if (!page) plaintext.push(`${name} (Aria ROW_FORMAT=${table.rowFormat ?? 'unknown'}: only PAGE tables are encrypted)`);
      // Observed on MariaDB 10.11 with aria_encrypt_tables on: a transactional Aria table's rows
      // are written to the Aria log (aria_log.*) in plaintext; only TRANSACTIONAL=0 keeps them in the
      // encrypted data file alone. PAGE tables are transactional unless created otherwise.
      else if (!/\btransactional=0\b/i.test(table.createOptions ?? '')) plaintext.push(`${name} (Aria, transactional: its rows reach the Aria log, aria_log.*, unencrypted)`);
      else if ('unreadable' in aria) unknown.push(`${name} (Aria PAGE TRANSACTIONAL=0, but ${describeSetting(aria)})`);
      else if (!ariaOn) plaintext.push(`${name} (Aria: aria_encrypt_tables ${'value' in aria ? `= '${aria.value}'` : 'absent'})`);
      else if (!ariaOnSinceStart || table.createdSinceStart !== true)
        unknown.push(`${name} (Aria PAGE TRANSACTIONAL=0, but ${ariaOnSinceStart ? 'created before the server started' : 'aria_encrypt_tables was set over SQL'}, so perhaps before aria_encrypt_tables was on; Aria encrypts only tables created or rebuilt with it on)`);
    } else if (engine in STORED_ELSEWHERE) unknown.push(`${name} (${table.engine}: ${STORED_ELSEWHERE[engine]}, whose encryption this check cannot see)`);
    else unknown.push(`${name} (${table.engine}: an engine this check does not know to encrypt)`);
  }
  const unlisted = evidence.nonInnodbTotal - evidence.nonInnodb.length;
  const shown = evidence.counts.map((count) => count.schema);
  const unseen = [...new Set(innodbTablespaces.filter((name) => name.includes('/')).map((name) => name.slice(0, name.indexOf('/'))))]
    .filter((encoded) => !encoded.startsWith('#') && !(SYSTEM_SCHEMAS as readonly string[]).includes(encoded))
    .filter((encoded) => !shown.some((schema) => mayBeEncodedAs(schema, encoded)))
    .map(decodeFilename);
  const undecided = [
    ...(unknown.length > 0 ? [`${unknown.length} user tables cannot be decided: ${named(unknown)}`] : []),
    ...(unlisted > 0 ? [`${unlisted} more tables outside InnoDB were counted but not listed (over ${LISTED_TABLES_LIMIT})`] : []),
    ...(evidence.visibility.allTables ? [] : [`the reading account may not see every user table: ${evidence.visibility.how}`]),
    ...(unseen.length > 0 ? [`the InnoDB tablespace list names tables in ${unseen.length} schemas information_schema.TABLES did not show (${named(unseen)}): the table list is cut short`] : []),
  ];
  return { plaintext: plaintext.length > 0 ? [`${plaintext.length} user tables keep their rows unencrypted outside InnoDB: ${named(plaintext)} (${covered})`] : [], undecided, covered };
}

/** MySQL's file-name encoding of identifiers: "@" and four hex digits stand for one character (my-db is my@002ddb). */
function decodeFilename(name: string): string {
  return name.replace(/@([0-9a-fA-F]{4})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}

/**
 * Whether a tablespace's schema part could be `schema` in MySQL's file-name encoding. Letters,
 * digits and _ stand for themselves; any other character is "@" and four hex digits, or "@" and two
 * characters from a table of MySQL's (é is @0p), which this check does not carry: such a character
 * matches any two-character code. Case counts, as it does in file names.
 */
function mayBeEncodedAs(schema: string, encoded: string): boolean {
  const pattern = [...schema].map((character) => (/[A-Za-z0-9_]/.test(character) ? character : `(?:@[0-9a-fA-F]{4}|@[0-9A-Za-z]{2})`)).join('');
  return new RegExp(`^${pattern}$`).test(encoded);
}

function named(items: string[]): string {
  return `${items.slice(0, MAX_NAMED).join(', ')}${items.length > MAX_NAMED ? `, and ${items.length - MAX_NAMED} more` : ''}`;
}
