import { defineCheck, NothingToJudge } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { SqlSession } from '../../sessions/sql-session.js';
import { describeSetting, isOn, serverSettings, settingOf, unreadableAmong, type SettingsEvidence } from '../audit/server-settings.js';
import { judgeUserTables, readUserTables, SYSTEM_SCHEMAS, type UserTablesEvidence } from './user-table-engines.js';

export const POSTGRES_AT_REST_REASON = 'not decidable on the data plane: PostgreSQL has no native at-rest encryption; the Azure plane controls (rest.cmk-*) decide it';

/** One InnoDB tablespace and whether its pages are encrypted, from the full list joined with the encryption table. */
export interface TablespaceState {
  space: number;
  name: string;
  /** false also when INNODB_TABLESPACES_ENCRYPTION does not list the tablespace: it has no encryption data. */
  encrypted: boolean;
  /** MariaDB: ENCRYPTION_SCHEME and whether background threads are still rotating its pages. */
  detail: string;
}

export interface AtRestEvidence {
  settings: SettingsEvidence;
  tablespaces: TablespaceState[];
  /** How the list was made, e.g. "INNODB_SYS_TABLESPACES left-joined with INNODB_TABLESPACES_ENCRYPTION, plus the system tablespace". */
  listedFrom: string;
  /** The user tables by engine: InnoDB encryption leaves every other engine's rows as they are. Absent in evidence from before. */
  userTables?: UserTablesEvidence;
}

/**
 * Every InnoDB tablespace, the system one included, plus the redo log, binary log and temporary
 * files, encrypted; and no user table in an engine that keeps its rows unencrypted on disk.
 */
export const tablespacesEncrypted = defineCheck<AtRestEvidence>({
  id: 'rest.tablespaces-encrypted',
  evidenceTitle: 'encryption plugins, encryption settings, every InnoDB tablespace with its encryption state, and the user tables by storage engine',
  read: async (context) => {
    if (context.target.engine === 'postgres') throw new NothingToJudge(POSTGRES_AT_REST_REASON);
    const settings = await serverSettings(context);
    const { result } = await context.catalog.read('the InnoDB tablespaces and their encryption state (needs PROCESS)', readTablespaces);
    const { result: userTables } = await context.catalog.read('the user tables by storage engine (information_schema.TABLES; needs a global table privilege such as SHOW VIEW to see them all)', readUserTables);
    return { settings, ...result, userTables };
  },
  judge: (evidence) => judgeAtRest(evidence),
});

interface MariaDbTablespaceRow {
  space: number | string;
  name: string;
  scheme: number | string | null;
  rotating: number | string | null;
}

async function readTablespaces(session: SqlSession): Promise<Omit<AtRestEvidence, 'settings'>> {
  try {
    // MariaDB lists only tablespaces with encryption data in INNODB_TABLESPACES_ENCRYPTION, and
    // the system tablespace (space 0) in neither list on some versions: join, and add space 0.
    const rows = await session.query<MariaDbTablespaceRow>(
      `SELECT t.SPACE AS space, t.NAME AS name, e.ENCRYPTION_SCHEME AS scheme, e.KEY_ROTATION_PAGE_NUMBER AS rotating
         FROM information_schema.INNODB_SYS_TABLESPACES t
         LEFT JOIN information_schema.INNODB_TABLESPACES_ENCRYPTION e ON e.SPACE = t.SPACE
       UNION
       SELECT 0, 'innodb_system', e.ENCRYPTION_SCHEME, e.KEY_ROTATION_PAGE_NUMBER
         FROM (SELECT 0 AS SPACE) s
         LEFT JOIN information_schema.INNODB_TABLESPACES_ENCRYPTION e ON e.SPACE = s.SPACE
        WHERE NOT EXISTS (SELECT 1 FROM information_schema.INNODB_SYS_TABLESPACES WHERE SPACE = 0)`,
    );
    return {
      listedFrom: 'INNODB_SYS_TABLESPACES left-joined with INNODB_TABLESPACES_ENCRYPTION, plus the system tablespace',
      tablespaces: rows.map((row) => {
        const scheme = row.scheme === null ? undefined : Number(row.scheme);
        const rotating = row.rotating !== null && row.rotating !== undefined;
        return {
          space: Number(row.space),
          name: String(row.name),
          encrypted: scheme === 1,
          detail: scheme === undefined ? 'not in INNODB_TABLESPACES_ENCRYPTION (no encryption data)' : `ENCRYPTION_SCHEME ${scheme}${rotating ? ', background threads still rotating its pages' : ''}`,
        };
      }),
    };
  } catch (mariaDbError) {
    // MySQL 8: INNODB_TABLESPACES has an ENCRYPTION column (Y/N) for every tablespace.
    const code = (mariaDbError as { errno?: number }).errno;
    if (code !== 1109) throw mariaDbError; // 1109: unknown table: not MariaDB
    const rows = await session.query<{ space: number | string; name: string; encryption: string | null }>(
      'SELECT SPACE AS space, NAME AS name, ENCRYPTION AS encryption FROM information_schema.INNODB_TABLESPACES',
    );
    return {
      listedFrom: 'INNODB_TABLESPACES (MySQL 8)',
      tablespaces: rows.map((row) => ({ space: Number(row.space), name: String(row.name), encrypted: String(row.encryption ?? '').toUpperCase() === 'Y', detail: `ENCRYPTION ${row.encryption ?? 'NULL'}` })),
    };
  }
}

const SETTINGS_JUDGED = ['innodb_encrypt_tables', 'innodb_encrypt_log', 'encrypt_binlog', 'encrypt_tmp_files', 'encrypt_tmp_disk_tables', 'log_bin'];

export function judgeAtRest(evidence: AtRestEvidence): Judgement {
  const { settings, tablespaces } = evidence;
  const unreadable = unreadableAmong(settings, SETTINGS_JUDGED);
  if (unreadable.length > 0) return undecided(`cannot judge encryption at rest: ${unreadable.map(describeSetting).join('; ')}`);
  if (tablespaces.length === 0) return undecided(`no InnoDB tablespace was listed (${evidence.listedFrom}): an empty list proves nothing`);
  if (evidence.userTables === undefined) return undecided('the user tables were not read by engine: a table outside InnoDB (MyISAM, Aria, CSV, ARCHIVE) would keep its rows unencrypted');
  const problems: string[] = [];
  const plugins = settings.plugins.filter((plugin) => plugin.type.toUpperCase() === 'ENCRYPTION');
  const active = plugins.filter((plugin) => plugin.status.toUpperCase() === 'ACTIVE');
  if (active.length === 0) problems.push(plugins.length === 0 ? 'no encryption plugin is installed' : `no encryption plugin is active (${plugins.map((plugin) => `${plugin.name} ${plugin.status}`).join(', ')})`);
  const logBin = settingOf(settings, 'log_bin');
  const binlogOn = 'value' in logBin && isOn(logBin.value);
  // encrypt_tmp_disk_tables: the internal on-disk temporary tables a query makes (Aria), the
  // "temporary files created while running queries" of seed 000, which encrypt_tmp_files does not cover.
  for (const name of ['innodb_encrypt_tables', 'innodb_encrypt_log', 'encrypt_tmp_files', 'encrypt_tmp_disk_tables', ...(binlogOn ? ['encrypt_binlog'] : [])]) {
    const setting = settingOf(settings, name);
    if (!('value' in setting) || !isOn(setting.value)) problems.push(`${describeSetting(setting)}, not on`);
  }
  const temporary = settingOf(settings, 'innodb_encrypt_temporary_tables');
  if ('value' in temporary && !isOn(temporary.value)) problems.push(`${describeSetting(temporary)}, not on`);
  // The temporary tablespace is made anew at each start and never gets encryption data; its pages
  // are encrypted when innodb_encrypt_temporary_tables is on, which is what decides it.
  const temporaryEncrypted = 'value' in temporary && isOn(temporary.value);
  const plain = tablespaces.filter((tablespace) => !(tablespace.encrypted || (isTemporaryTablespace(tablespace) && temporaryEncrypted)));
  if (!tablespaces.some((tablespace) => tablespace.space === 0)) problems.push('the system tablespace (space 0) is not listed');
  if (plain.length > 0) {
    const shown = plain.slice(0, 10).map((tablespace) => `${tablespace.name} (space ${tablespace.space}: ${tablespace.detail})`);
    problems.push(`${plain.length} of ${tablespaces.length} tablespaces are not encrypted: ${shown.join(', ')}${plain.length > shown.length ? ', ...' : ''}`);
  }
  const userTables = judgeUserTables(evidence.userTables, settings, tablespaces.map((tablespace) => tablespace.name));
  problems.push(...userTables.plaintext);
  if (problems.length > 0) return failed(`data at rest is not all encrypted: ${[...problems, ...userTables.undecided].join('; ')}`);
  if (userTables.undecided.length > 0) return undecided(`cannot tell whether every user table is encrypted: ${userTables.undecided.join('; ')} (${userTables.covered})`);
  return passed(
    `${active.map((plugin) => plugin.name).join(', ')} active; all ${tablespaces.length} InnoDB tablespaces (system tablespace included${tablespaces.some(isTemporaryTablespace) ? '; the temporary one by innodb_encrypt_temporary_tables' : ''}) encrypted; innodb_encrypt_log, encrypt_tmp_files, encrypt_tmp_disk_tables${binlogOn ? ', encrypt_binlog' : ' (binary log off: nothing to encrypt there)'} on; ${userTables.covered}, none in an engine that leaves rows unencrypted (${evidence.userTables.visibility.how}); the system schemas (${SYSTEM_SCHEMAS.join(', ')}) are not judged (${settings.readAs})`,
  );
}

/** MariaDB's temporary tablespace (ibtmp1): space id 0xFFFFFFFE, named innodb_temporary. */
function isTemporaryTablespace(tablespace: TablespaceState): boolean {
  return tablespace.name.toLowerCase() === 'innodb_temporary' || tablespace.space === 0xfffffffe;
}
