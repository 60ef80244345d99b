import type { ServerPlugin, ServerSetting, SettingOverride, SettingsEvidence } from '../../../src/probes/audit/server-settings.js';
import type { Target } from '../../../src/targets/target.js';

/** Settings evidence from name -> value; `null` marks a setting the server does not have, `Error` one that could not be read. */
export function settings(values: Record<string, string | null | Error>, plugins: ServerPlugin[] = []): SettingsEvidence {
  return {
    readAs: 'read as the declared auditor "auditor"',
    settings: Object.entries(values).map(([name, value]): ServerSetting =>
      value === null ? { name, present: false } : value instanceof Error ? { name, unreadable: value.message } : { name, present: true, value, source: 'configuration file' },
    ),
    plugins,
  };
}

export function target(engine: Target['engine']): Target {
  return { name: 't', engine, host: 'db.example', port: engine === 'postgres' ? 5432 : 3306, profile: 'baseline', timeoutMs: 5000, minCertDaysLeft: 30 };
}

export const ACTIVE = (name: string, type: string): ServerPlugin => ({ name, status: 'ACTIVE', type });

/** PostgreSQL evidence with per-role or per-database overrides (pg_db_role_setting) and, optionally, the sources the reading session saw. */
export function withOverrides(evidence: SettingsEvidence, overrides: SettingOverride[], sources: Record<string, string> = {}): SettingsEvidence {
  return {
    ...evidence,
    settings: evidence.settings.map((setting) => ('source' in setting && sources[setting.name] ? { ...setting, source: sources[setting.name] } : setting)),
    overrides,
  };
}

/** The same evidence with `names` marked pending_restart: their files hold a value that takes effect at the next restart. */
export function awaitingRestartOf(evidence: SettingsEvidence, ...names: string[]): SettingsEvidence {
  return { ...evidence, settings: evidence.settings.map((setting) => ('value' in setting && names.includes(setting.name) ? { ...setting, pendingRestart: true as const } : setting)) };
}
