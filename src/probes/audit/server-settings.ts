import type { Engine } from '../../targets/target.js';
import type { SqlSession } from '../../sessions/sql-session.js';
import type { TargetContext } from '../target-context.js';

/**
 * One server setting as the server reports it. `present: false` means the server does not know the
 * setting at all (removed in this version, or its plugin is not loaded): "absent", which is not
 * the same as "off". A setting that exists but could not be read is `unreadable`, and a check that
 * needs it is undecided.
 */
export type ServerSetting =
  | { name: string; present: true; value: string; source: string; pendingRestart?: true }
  | { name: string; present: false }
  | { name: string; unreadable: string };

export interface ServerPlugin {
  name: string;
  status: string;
  type: string;
}

/**
 * PostgreSQL: a value that ALTER ROLE / ALTER DATABASE ... SET gives the sessions of one role, one
 * database or both (neither: ALTER ROLE ALL) instead of the server's own. The reading session sees
 * only the one that applies to itself, so pgaudit.log = 'none' for the application role, or
 * log_min_messages = 'panic' in one database, would otherwise never show.
 */
export interface SettingOverride {
  name: string;
  value: string;
  role?: string;
  database?: string;
}

/** The settings the audit, backup and rest checks judge, read once per run and shared. */
export interface SettingsEvidence {
  readAs: string;
  settings: ServerSetting[];
  /** MySQL/MariaDB: the AUDIT and ENCRYPTION plugins in information_schema.PLUGINS (empty on PostgreSQL). */
  plugins: ServerPlugin[];
  /** PostgreSQL: every per-role and per-database override of the settings read (pg_db_role_setting); absent on MySQL. */
  overrides?: SettingOverride[];
  /** PostgreSQL: why the overrides could not be read; a judge that needs them is then undecided. */
  overridesProblem?: string;
}

export const POSTGRES_SETTING_NAMES = [
  'log_connections',
  'log_disconnections',
  'log_line_prefix',
  'log_min_messages',
  'log_destination',
  'shared_preload_libraries',
  'pgaudit.log',
  'pgaudit.log_level',
  'pgaudit.log_client',
  'archive_mode',
  'archive_command',
  'archive_library',
  'wal_level',
] as const;

export const MYSQL_SETTING_NAMES = [
  // MariaDB's server_audit plugin
  'server_audit_logging',
  'server_audit_events',
  'server_audit_incl_users',
  'server_audit_excl_users',
  'server_audit_output_type',
  'server_audit_file_path',
  // MySQL's audit_log (Enterprise, Percona) and Azure's audit parameters
  'audit_log_policy',
  'audit_log_connection_policy',
  'audit_log_enabled',
  'audit_log_events',
  'log_warnings',
  'log_error_verbosity',
  'log_bin',
  'binlog_format',
  // How long the binary log is kept (backup.pitr-ready): MariaDB 10.6+ links the first two, MySQL 8.0 keeps
  // both (8.4 only the first), MySQL 8.0.29+ can switch purging off, MariaDB 11.4+ also purges by size.
  'binlog_expire_logs_seconds',
  'expire_logs_days',
  'binlog_expire_logs_auto_purge',
  'max_binlog_total_size',
  // Percona Server's size and file-count limits (8.0+ and MariaDB's alias; 5.6/5.7).
  'binlog_space_limit',
  'max_binlog_files',
  'innodb_encrypt_tables',
  'innodb_encrypt_log',
  'innodb_encrypt_temporary_tables',
  'innodb_encryption_threads',
  'encrypt_binlog',
  'encrypt_tmp_files',
  'encrypt_tmp_disk_tables',
  'aria_encrypt_tables',
  'file_key_management',
] as const;

export function settingNamesFor(engine: Engine): readonly string[] {
  return engine === 'postgres' ? POSTGRES_SETTING_NAMES : MYSQL_SETTING_NAMES;
}

/** Reads every setting the audit, backup and rest checks judge, once per run. */
export function serverSettings(context: TargetContext): Promise<SettingsEvidence> {
  const engine = context.target.engine;
  return context.once(`audit-settings:${engine}`, async () => {
    const { readAs, result } = await context.catalog.read('the server settings for logging, auditing, archiving and encryption', (session) =>
      engine === 'postgres' ? readPostgresSettings(session) : readMysqlSettings(session),
    );
    return { readAs, ...result };
  });
}

interface PostgresSettingRow {
  name: string;
  setting: string | null;
  source: string | null;
  pending_restart: boolean | null;
}

async function readPostgresSettings(session: SqlSession): Promise<Omit<SettingsEvidence, 'readAs'>> {
  const names = [...POSTGRES_SETTING_NAMES];
  const rows = await session.query<PostgresSettingRow>('SELECT name, setting, source, pending_restart FROM pg_settings WHERE name = ANY($1::text[])', [names]);
  const byName = new Map(rows.map((row) => [row.name.toLowerCase(), row]));
  const settings: ServerSetting[] = [];
  for (const name of names) {
    const row = byName.get(name);
    if (row) {
      settings.push({ name, present: true, value: row.setting ?? '', source: row.source ?? 'unknown', ...(row.pending_restart ? { pendingRestart: true as const } : {}) });
      continue;
    }
    // pg_settings hides superuser-only settings from roles without pg_read_all_settings, and a
    // custom setting whose library is not loaded; current_setting(name, true) tells the two apart.
    try {
      const [probe] = await session.query<{ value: string | null }>('SELECT current_setting($1, true) AS value', [name]);
      settings.push(probe?.value === null || probe?.value === undefined ? { name, present: false } : { name, present: true, value: probe.value, source: 'not shown in pg_settings' });
    } catch (error) {
      settings.push({ name, unreadable: errorText(error) });
    }
  }
  return { settings, plugins: [], ...(await readPostgresOverrides(session, names)) };
}

/** pg_db_role_setting, readable by every role, for the named settings: one row per (role, database, setting). */
async function readPostgresOverrides(session: SqlSession, names: readonly string[]): Promise<Pick<SettingsEvidence, 'overrides' | 'overridesProblem'>> {
  try {
    const rows = await session.query<{ name: string; value: string; role: string | null; database: string | null }>(
      `SELECT split_part(item, '=', 1) AS name, substr(item, strpos(item, '=') + 1) AS value,
              CASE WHEN s.setrole = 0 THEN NULL ELSE coalesce(r.rolname, s.setrole::text) END AS role,
              CASE WHEN s.setdatabase = 0 THEN NULL ELSE coalesce(d.datname, s.setdatabase::text) END AS database
         FROM pg_db_role_setting s
         LEFT JOIN pg_roles r ON r.oid = s.setrole
         LEFT JOIN pg_database d ON d.oid = s.setdatabase
         CROSS JOIN LATERAL unnest(s.setconfig) AS item
        WHERE lower(split_part(item, '=', 1)) = ANY($1::text[])
        ORDER BY 3 NULLS FIRST, 4 NULLS FIRST, 1`,
      [names.map((name) => name.toLowerCase())],
    );
    return { overrides: rows.map((row) => ({ name: row.name.toLowerCase(), value: row.value, ...(row.role !== null ? { role: row.role } : {}), ...(row.database !== null ? { database: row.database } : {}) })) };
  } catch (error) {
    return { overrides: [], overridesProblem: `pg_db_role_setting could not be read: ${errorText(error)}` };
  }
}

async function readMysqlSettings(session: SqlSession): Promise<Omit<SettingsEvidence, 'readAs'>> {
  const names = [...MYSQL_SETTING_NAMES];
  const list = names.map((name) => `'${name}'`).join(', ');
  // MariaDB tells where each value came from (SYSTEM_VARIABLES.GLOBAL_VALUE_ORIGIN), MySQL 8 in
  // performance_schema.variables_info; SHOW GLOBAL VARIABLES is the last resort, without a source.
  const attempts = [
    `SELECT LOWER(VARIABLE_NAME) AS name, GLOBAL_VALUE AS value, GLOBAL_VALUE_ORIGIN AS source FROM information_schema.SYSTEM_VARIABLES WHERE LOWER(VARIABLE_NAME) IN (${list})`,
    `SELECT LOWER(v.VARIABLE_NAME) AS name, v.VARIABLE_VALUE AS value, i.VARIABLE_SOURCE AS source FROM performance_schema.global_variables v LEFT JOIN performance_schema.variables_info i ON i.VARIABLE_NAME = v.VARIABLE_NAME WHERE LOWER(v.VARIABLE_NAME) IN (${list})`,
    `SELECT LOWER(VARIABLE_NAME) AS name, VARIABLE_VALUE AS value, 'unknown' AS source FROM information_schema.GLOBAL_VARIABLES WHERE LOWER(VARIABLE_NAME) IN (${list})`,
  ];
  let rows: { name: string; value: string | null; source: string | null }[] | undefined;
  let lastError: unknown;
  for (const sql of attempts) {
    try {
      rows = await session.query(sql);
      break;
    } catch (error) {
      lastError = error;
    }
  }
  if (rows === undefined) throw lastError;
  const byName = new Map(rows.map((row) => [String(row.name).toLowerCase(), row]));
  const settings: ServerSetting[] = names.map((name) => {
    const row = byName.get(name);
    return row ? { name, present: true, value: row.value === null ? '' : String(row.value), source: row.source === null ? 'unknown' : String(row.source) } : { name, present: false };
  });
  settings.push(...(await readMysqlStatus(session)));
  const plugins = await session.query<{ name: string; status: string; type: string }>(
    "SELECT PLUGIN_NAME AS name, PLUGIN_STATUS AS status, PLUGIN_TYPE AS type FROM information_schema.PLUGINS WHERE PLUGIN_TYPE IN ('AUDIT', 'ENCRYPTION') OR UPPER(PLUGIN_NAME) IN ('SERVER_AUDIT', 'AUDIT_LOG')",
  );
  return { settings, plugins: plugins.map((plugin) => ({ name: String(plugin.name), status: String(plugin.status), type: String(plugin.type) })) };
}

/**
 * MariaDB's server_audit reports whether it is writing in status variables, not settings: a file it
 * cannot write (a full disk, a read-only mount, a path it may not open) turns Server_audit_active
 * OFF and counts Server_audit_writes_failed while server_audit_logging still says ON. Read with the
 * settings, under these names (lower case), with source "status"; absent where the plugin is not
 * loaded; unreadable (the judge is then undecided) when neither status table answers.
 */
export const SERVER_AUDIT_STATUS_NAMES = ['server_audit_active', 'server_audit_writes_failed', 'server_audit_last_error', 'server_audit_current_log'] as const;

async function readMysqlStatus(session: SqlSession): Promise<ServerSetting[]> {
  const list = SERVER_AUDIT_STATUS_NAMES.map((name) => `'${name}'`).join(', ');
  const attempts = [
    `SELECT LOWER(VARIABLE_NAME) AS name, VARIABLE_VALUE AS value FROM information_schema.GLOBAL_STATUS WHERE LOWER(VARIABLE_NAME) IN (${list})`,
    `SELECT LOWER(VARIABLE_NAME) AS name, VARIABLE_VALUE AS value FROM performance_schema.global_status WHERE LOWER(VARIABLE_NAME) IN (${list})`,
  ];
  let lastError: unknown;
  for (const sql of attempts) {
    try {
      const rows = await session.query<{ name: string; value: string | null }>(sql);
      const byName = new Map(rows.map((row) => [String(row.name).toLowerCase(), row]));
      return SERVER_AUDIT_STATUS_NAMES.map((name): ServerSetting => {
        const row = byName.get(name);
        return row ? { name, present: true, value: row.value === null ? '' : String(row.value), source: 'status' } : { name, present: false };
      });
    } catch (error) {
      lastError = error;
    }
  }
  return SERVER_AUDIT_STATUS_NAMES.map((name) => ({ name, unreadable: errorText(lastError) }));
}

function errorText(error: unknown): string {
  const failure = error as { code?: string; message?: string };
  return `${failure.code ? `[${failure.code}] ` : ''}${failure.message ?? String(error)}`;
}

/** Looks a setting up case-insensitively; a name not read at all counts as unreadable. */
export function settingOf(evidence: Pick<SettingsEvidence, 'settings'>, name: string): ServerSetting {
  return evidence.settings.find((setting) => setting.name.toLowerCase() === name.toLowerCase()) ?? { name, unreadable: 'not read' };
}

/** on/true/yes/1 (any case) and the MySQL FORCE of encryption settings count as on. */
export function isOn(value: string): boolean {
  return ['on', 'true', 'yes', '1', 'force'].includes(value.trim().toLowerCase());
}

/** A comma-separated list setting as a set of lower-case items, quotes and blanks removed. */
export function settingSet(value: string): Set<string> {
  return new Set(
    value
      .split(',')
      .map((item) => item.trim().replace(/^"(.*)"$/, '$1').trim().toLowerCase())
      .filter((item) => item !== ''),
  );
}

/** How a reason names a setting: `log_connections = 'on' (configuration file)`, or absent/unreadable. */
export function describeSetting(setting: ServerSetting): string {
  if ('unreadable' in setting) return `${setting.name} could not be read (${setting.unreadable})`;
  if (!setting.present) return `${setting.name} is absent on this server`;
  return `${setting.name} = '${setting.value}' (${setting.source})`;
}

/** The settings a judge needs that could not be read: a judge is undecided on any. */
export function unreadableAmong(evidence: Pick<SettingsEvidence, 'settings'>, names: readonly string[]): ServerSetting[] {
  return names.map((name) => settingOf(evidence, name)).filter((setting) => 'unreadable' in setting);
}

/** The plugin, by name, case-insensitively; undefined when the server does not list it. */
export function pluginOf(evidence: Pick<SettingsEvidence, 'plugins'>, name: string): ServerPlugin | undefined {
  return evidence.plugins.find((plugin) => plugin.name.toLowerCase() === name.toLowerCase());
}

export const isActive = (plugin: ServerPlugin | undefined): boolean => plugin?.status.toUpperCase() === 'ACTIVE';

/** pg_settings sources of a value that applies to the reading session only, not to the server. */
const SESSION_SOURCES = new Set(['global', 'database', 'user', 'database user', 'client', 'session', 'interactive']);

/** "for role app in database sales", "in database postgres", "for every role (ALTER ROLE ALL)". */
export function describeOverrideScope(override: Pick<SettingOverride, 'role' | 'database'>): string {
  if (override.role === undefined && override.database === undefined) return 'for every role (ALTER ROLE ALL)';
  return [override.role !== undefined ? `for role ${override.role}` : '', override.database !== undefined ? `in database ${override.database}` : ''].filter(Boolean).join(' ');
}

/** One value a setting takes for some sessions, and which ones. */
export interface ValueInEffect {
  value: string;
  /** "server-wide" or an override's scope. */
  scope: string;
  /** For reasons: `pgaudit.log = 'none' for role app (ALTER ROLE/DATABASE ... SET)`. */
  described: string;
}

/**
 * Every value a PostgreSQL setting takes for some login session: the server's own and each
 * per-role or per-database override. `hidden` says why the server's own value is unknown: the
 * reading session's value came from an override of its own (pg_settings source "user",
 * "database", ...) and no ALTER ROLE ALL override covers the sessions without one, or the
 * overrides could not be read. A setting the server does not have, or could not read, has no
 * values; the caller judges that first.
 */
export function valuesInEffect(evidence: Pick<SettingsEvidence, 'settings' | 'overrides' | 'overridesProblem'>, name: string): { values: ValueInEffect[]; hidden?: string } {
  const setting = settingOf(evidence, name);
  if (!('value' in setting)) return { values: [] };
  if (evidence.overridesProblem) return { values: [], hidden: `${name}: ${evidence.overridesProblem}, so a role or database may run with another value` };
  const overrides = (evidence.overrides ?? []).filter((override) => override.name.toLowerCase() === name.toLowerCase());
  const values: ValueInEffect[] = overrides.map((override) => {
    const scope = describeOverrideScope(override);
    return { value: override.value, scope, described: `${override.name} = '${override.value}' ${scope} (ALTER ROLE/DATABASE ... SET)` };
  });
  const seenThroughOverride = SESSION_SOURCES.has(setting.source.trim().toLowerCase());
  if (!seenThroughOverride) return { values: [{ value: setting.value, scope: 'server-wide', described: describeSetting(setting) }, ...values] };
  const everyRole = overrides.some((override) => override.role === undefined && override.database === undefined);
  if (everyRole) return { values };
  return { values, hidden: `the reading session's ${describeSetting(setting)} is an override of its own, so the server-wide value is not visible` };
}

/**
 * PostgreSQL: the settings among `names` whose configuration files already hold another value that
 * takes effect at the next restart (pg_settings.pending_restart), e.g. archive_mode turned off or
 * pgaudit taken out of shared_preload_libraries. The running value passes today and not after a
 * restart; the coming value itself is only in pg_file_settings, which only superusers may read.
 */
export function awaitingRestart(evidence: Pick<SettingsEvidence, 'settings'>, names: readonly string[]): string[] {
  return names.filter((name) => {
    const setting = settingOf(evidence, name);
    return 'value' in setting && setting.pendingRestart === true;
  });
}

/** The reason a judge gives when a passing value is about to change. */
export function describeAwaitingRestart(names: readonly string[]): string {
  return `${names.join(', ')} ${names.length === 1 ? 'has' : 'have'} a changed value in the configuration files that takes effect at the next restart (pg_settings.pending_restart), so what holds now will not hold then`;
}

/** PostgreSQL's levels from most to least verbose, as log_min_messages orders them for the server log. */
const SERVER_LOG_LEVELS = ['debug5', 'debug4', 'debug3', 'debug2', 'debug1', 'info', 'notice', 'warning', 'error', 'log', 'fatal', 'panic'];

/** Whether a line written at `level` reaches the server log under log_min_messages = `minMessages` (an unknown level does not). */
export function reachesServerLog(level: string, minMessages: string): boolean {
  const rank = SERVER_LOG_LEVELS.indexOf(level.trim().toLowerCase());
  const threshold = SERVER_LOG_LEVELS.indexOf(minMessages.trim().toLowerCase());
  return rank >= 0 && threshold >= 0 && rank >= threshold;
}

/**
 * PostgreSQL: where the server writes its log (log_destination: stderr, csvlog, jsonlog, syslog,
 * eventlog; csvlog and jsonlog without the logging collector fall back to stderr). An empty list is
 * accepted by the server and writes every line nowhere: log_connections, pgaudit and the rest then
 * record nothing. `nowhere` holds the reason when that is so; `written` says where lines go, for a
 * pass to state. Syslog and eventlog hand the lines to the host, which the server does not show.
 */
export function serverLogDestination(evidence: Pick<SettingsEvidence, 'settings'>): { nowhere: string } | { written: string } {
  const setting = settingOf(evidence, 'log_destination');
  if (!('value' in setting)) return { written: `log_destination ${'unreadable' in setting ? 'not read' : 'absent'}` };
  const destinations = [...settingSet(setting.value)];
  if (destinations.length === 0) return { nowhere: `${describeSetting(setting)} writes the server log nowhere` };
  const host = destinations.filter((destination) => destination === 'syslog' || destination === 'eventlog');
  const onlyHost = host.length === destinations.length ? `, handed to the host's ${host.join(' and ')}, which the server does not show` : '';
  return { written: `written to log_destination '${destinations.join(',')}'${onlyHost}` };
}

/**
 * MariaDB's server_audit: where it writes (server_audit_output_type file or syslog; the file is
 * server_audit_file_path, relative to the data directory unless absolute). A file path of
 * /dev/null takes every record and keeps none. `unknown` when the output type could not be read.
 */
export function serverAuditOutput(evidence: Pick<SettingsEvidence, 'settings'>): { nowhere: string } | { written: string } | { unknown: string } {
  const type = settingOf(evidence, 'server_audit_output_type');
  if (!('value' in type) || !type.present) return { unknown: `where server_audit writes cannot be told: ${describeSetting(type)}` };
  const output = type.value.trim().toLowerCase();
  if (output === 'syslog') return { written: "to the host's syslog (server_audit_output_type SYSLOG), which the server does not show" };
  const path = settingOf(evidence, 'server_audit_file_path');
  if (!('value' in path) || !path.present) return { unknown: `server_audit writes to a file, but ${describeSetting(path)}` };
  if (/^\/dev\/null\/?$/.test(path.value.trim())) return { nowhere: `${describeSetting(path)}: server_audit writes every record to /dev/null, which keeps none` };
  return { written: `to file '${path.value.trim() || 'server_audit.log'}' (server_audit_output_type ${type.value.trim().toUpperCase()})` };
}

/**
 * MariaDB's server_audit: whether it is writing now, by its own status (Server_audit_active), not by
 * its settings. `failing` when it has stopped; `unknown` when the status could not be read.
 */
export function serverAuditWriting(evidence: Pick<SettingsEvidence, 'settings'>): { failing: string } | { unknown: string } | { writing: string } {
  const active = settingOf(evidence, 'server_audit_active');
  if (!('value' in active) || !active.present) return { unknown: `whether server_audit is writing cannot be told: ${'unreadable' in active ? `its status could not be read (${active.unreadable})` : 'Server_audit_active is absent from the server status'}` };
  const failedWrites = settingOf(evidence, 'server_audit_writes_failed');
  const lastError = settingOf(evidence, 'server_audit_last_error');
  const current = settingOf(evidence, 'server_audit_current_log');
  const failures = 'value' in failedWrites && failedWrites.present ? failedWrites.value.trim() : '?';
  const error = 'value' in lastError && lastError.present && lastError.value.trim() !== '' ? `, last error '${lastError.value.trim()}'` : '';
  const into = 'value' in current && current.present && current.value.trim() !== '' ? ` to ${current.value.trim()}` : '';
  if (!isOn(active.value)) return { failing: `Server_audit_active = '${active.value}' (status): server_audit has stopped writing${into} (Server_audit_writes_failed ${failures}${error}), though its settings say logging is on` };
  return { writing: `Server_audit_active ON, ${failures} failed writes` };
}
