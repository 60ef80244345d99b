import { defineCheck } from '../check.js';
import { failed, passed, type Judgement } from '../../controls/judgement.js';
import type { Engine } from '../../targets/target.js';
import { exportsLogs, serverDiagnosticSettings, type DiagnosticSettingFacts } from '../plane/diagnostic-settings.js';
import { planeSession } from '../plane/plane-session.js';

export interface LogsExportedEvidence {
  plane: string;
  server: string;
  engine: Engine;
  settings: DiagnosticSettingFacts[];
}

/**
 * The log categories that carry what seed 003 asks to keep, each with the category groups that
 * include it: PostgreSQL's server log; MySQL's audit log and its slow log, both (CONTROLS.md: "MySQL
 * audit and slow logs"). The slow log is no audit trail, so the audit group does not stand for it.
 */
export const SERVER_LOG_CATEGORIES: Record<Engine, Array<{ category: string; groups: string[] }>> = {
  postgres: [{ category: 'PostgreSQLLogs', groups: ['audit', 'allLogs'] }],
  mysql: [
    { category: 'MySqlAuditLogs', groups: ['audit', 'allLogs'] },
    { category: 'MySqlSlowLogs', groups: ['allLogs'] },
  ],
};

/** Every required category must reach a destination through some setting; one setting exporting one of them is not enough. */
export function judgeLogsExported(evidence: LogsExportedEvidence): Judgement {
  const where = `${evidence.server} (${evidence.plane})`;
  const required = SERVER_LOG_CATEGORIES[evidence.engine];
  const coverage = required.map(({ category, groups }) => ({ category, groups, by: evidence.settings.filter((setting) => exportsLogs(setting, [category], groups)) }));
  const missing = coverage.filter((entry) => entry.by.length === 0);
  const shown = (setting: DiagnosticSettingFacts) => `${setting.name} (${[...setting.enabledCategories, ...setting.enabledCategoryGroups].join(', ') || 'no logs'} to ${setting.destinations.join(', ') || 'no destination'})`;
  if (missing.length === 0) {
    return passed(`${evidence.settings.length} diagnostic settings of ${where} read; ${coverage.map((entry) => `${entry.category} exported by ${entry.by.map(shown).join(', ')}`).join('; ')}`);
  }
  if (evidence.settings.length === 0) return failed(`${where} has no diagnostic setting: its logs stay on the server, for its short retention only`);
  const exported = coverage.filter((entry) => entry.by.length > 0).map((entry) => entry.category);
  return failed(`${missing.map((entry) => `${entry.category} (or the ${entry.groups.join('/')} group)`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} exported to a destination by none of the ${evidence.settings.length} diagnostic settings of ${where}${exported.length ? `, though ${exported.join(', ')} ${exported.length === 1 ? 'is' : 'are'}` : ''}: ${evidence.settings.map(shown).join('; ')}`);
}

export const logsExportedCheck = defineCheck<LogsExportedEvidence>({
  id: 'audit.logs-exported',
  evidenceTitle: "the server's diagnostic settings",
  async read(context) {
    const session = await planeSession(context);
    return { plane: session.cloud.label, server: session.server.name, engine: session.server.engine, settings: await serverDiagnosticSettings(context) };
  },
  judge: judgeLogsExported,
});
