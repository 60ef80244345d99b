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

/** The log categories that carry what seed 003 asks to keep: PostgreSQL's server log; MySQL's audit and slow logs. */
export const SERVER_LOG_CATEGORIES: Record<Engine, string[]> = {
  postgres: ['PostgreSQLLogs'],
  mysql: ['MySqlAuditLogs', 'MySqlSlowLogs'],
};

export function judgeLogsExported(evidence: LogsExportedEvidence): Judgement {
  const where = `${evidence.server} (${evidence.plane})`;
  const categories = SERVER_LOG_CATEGORIES[evidence.engine];
  const exporting = evidence.settings.filter((setting) => exportsLogs(setting, categories));
  if (exporting.length > 0) return passed(`${evidence.settings.length} diagnostic settings of ${where} read; ${exporting.map((setting) => `${setting.name} sends ${[...setting.enabledCategories, ...setting.enabledCategoryGroups].join(', ')} to ${setting.destinations.join(', ')}`).join('; ')}`);
  if (evidence.settings.length === 0) return failed(`${where} has no diagnostic setting: its logs stay on the server, for its short retention only`);
  return failed(`none of the ${evidence.settings.length} diagnostic settings of ${where} exports ${categories.join(' or ')} (or the audit/allLogs group) to a destination`);
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
