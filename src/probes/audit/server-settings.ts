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
  | { name: string; present: true; value: string; source: string }
  | { name: string; present: false }
  | { name: string; unreadable: string };

export interface ServerPlugin {
  name: string;
  status: string;
  type: string;
}

/** The settings the audit, backup and rest checks judge, read once per run and shared. */
export interface SettingsEvidence {
  readAs: string;
  settings: ServerSetting[];
  /** MySQL/MariaDB: the AUDIT and ENCRYPTION plugins in information_schema.PLUGINS (empty on PostgreSQL). */
  plugins: ServerPlugin[];
}

export const POSTGRES_SETTING_NAMES = [
  'log_connections',
  'log_disconnections',
  'log_line_prefix',
  'log_min_messages',
  'log_destination',
  'shared_preload_libraries',
  'pgaudit.log',
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
  'innodb_encrypt_tables',
  'innodb_encrypt_log',
  'innodb_encrypt_temporary_tables',
  'innodb_encryption_threads',
  'encrypt_binlog',
  'encrypt_tmp_files',
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
}

async function readPostgresSettings(session: SqlSession): Promise<Omit<SettingsEvidence, 'readAs'>> {
  const names = [...POSTGRES_SETTING_NAMES];
  const rows = await session.query<PostgresSettingRow>('SELECT name, setting, source FROM pg_settings WHERE name = ANY($1::text[])', [names]);
  const byName = new Map(rows.map((row) => [row.name.toLowerCase(), row]));
  const settings: ServerSetting[] = [];
  for (const name of names) {
    const row = byName.get(name);
    if (row) {
      settings.push({ name, present: true, value: row.setting ?? '', source: row.source ?? 'unknown' });
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
  return { settings, plugins: [] };
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
  const plugins = await session.query<{ name: string; status: string; type: string }>(
    "SELECT PLUGIN_NAME AS name, PLUGIN_STATUS AS status, PLUGIN_TYPE AS type FROM information_schema.PLUGINS WHERE PLUGIN_TYPE IN ('AUDIT', 'ENCRYPTION') OR UPPER(PLUGIN_NAME) IN ('SERVER_AUDIT', 'AUDIT_LOG')",
  );
  return { settings, plugins: plugins.map((plugin) => ({ name: String(plugin.name), status: String(plugin.status), type: String(plugin.type) })) };
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
