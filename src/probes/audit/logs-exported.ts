import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import type { Engine } from '../../targets/target.js';
import { exportsLogs, serverDiagnosticSettings, type DiagnosticSettingFacts } from '../plane/diagnostic-settings.js';
import { parseFlag } from '../plane/configured-security.js';
import { planeSession } from '../plane/plane-session.js';
import { serverParameters } from '../plane/server-facts.js';

/** A server parameter that makes the server write a log, as ARM reported it; no value when ARM lists no such parameter. */
export interface LogSwitch {
  parameter: string;
  value?: string;
  /** Why the value is not in force (a restart pending), when ARM says so. */
  notInEffect?: string;
}

export interface LogsExportedEvidence {
  plane: string;
  server: string;
  engine: Engine;
  settings: DiagnosticSettingFacts[];
  /** MySQL: the parameters that make the server write the exported logs (a category with no switch is always written). */
  logSwitches?: LogSwitch[];
}

/**
 * The log categories that carry what seed 003 asks to keep, each with the category groups that
 * include it and, where the server writes it only when told to, the parameter that tells it:
 * PostgreSQL's server log (always written); MySQL's audit log (audit_log_enabled) and its slow log
 * (slow_query_log), both (CONTROLS.md: "MySQL audit and slow logs"). The slow log is no audit
 * trail, so the audit group does not stand for it. Exporting a log that is never written keeps nothing.
 */
export const SERVER_LOG_CATEGORIES: Record<Engine, Array<{ category: string; groups: string[]; writtenWhenOn?: string }>> = {
  postgres: [{ category: 'PostgreSQLLogs', groups: ['audit', 'allLogs'] }],
  mysql: [
    { category: 'MySqlAuditLogs', groups: ['audit', 'allLogs'], writtenWhenOn: 'audit_log_enabled' },
    { category: 'MySqlSlowLogs', groups: ['allLogs'], writtenWhenOn: 'slow_query_log' },
  ],
};

/**
 * Every required category must reach a destination through some setting (one setting exporting one
 * of them is not enough), and the server must write it: its switch ON and in force. A switch not
 * reported, not a flag, or set but pending a restart leaves the control undecided.
 */
export function judgeLogsExported(evidence: LogsExportedEvidence): Judgement {
  const where = `${evidence.server} (${evidence.plane})`;
  const required = SERVER_LOG_CATEGORIES[evidence.engine];
  const coverage = required.map(({ category, groups }) => ({ category, groups, by: evidence.settings.filter((setting) => exportsLogs(setting, [category], groups)) }));
  const missing = coverage.filter((entry) => entry.by.length === 0);
  const shown = (setting: DiagnosticSettingFacts) => `${setting.name} (${[...setting.enabledCategories, ...setting.enabledCategoryGroups].join(', ') || 'no logs'} to ${setting.destinations.join(', ') || 'no destination'})`;
  const failures: string[] = [];
  if (missing.length > 0) {
    if (evidence.settings.length === 0) failures.push(`${where} has no diagnostic setting: its logs stay on the server, for its short retention only`);
    else {
      const exported = coverage.filter((entry) => entry.by.length > 0).map((entry) => entry.category);
      failures.push(`${missing.map((entry) => `${entry.category} (or the ${entry.groups.join('/')} group)`).join(' and ')} ${missing.length === 1 ? 'is' : 'are'} exported to a destination by none of the ${evidence.settings.length} diagnostic settings of ${where}${exported.length ? `, though ${exported.join(', ')} ${exported.length === 1 ? 'is' : 'are'}` : ''}: ${evidence.settings.map(shown).join('; ')}`);
    }
  }
  const switches = judgeLogSwitches(evidence, where);
  failures.push(...switches.failures);
  if (failures.length > 0) return failed(failures.join('; and '));
  if (switches.unknown.length > 0) return undecided(`${coverage.map((entry) => `${entry.category} is exported by ${entry.by.map((setting) => setting.name).join(', ')}`).join('; ')}; but ${switches.unknown.join('; and ')}`);
  return passed(`${evidence.settings.length} diagnostic settings of ${where} read; ${coverage.map((entry) => `${entry.category} exported by ${entry.by.map(shown).join(', ')}`).join('; ')}${switches.written ? `; ${switches.written}` : ''}`);
}

/** Whether the server writes each exported log that needs a switch: failures, what cannot be told, and what the pass covered. */
function judgeLogSwitches(evidence: LogsExportedEvidence, where: string): { failures: string[]; unknown: string[]; written?: string } {
  const needed = SERVER_LOG_CATEGORIES[evidence.engine].filter((entry) => entry.writtenWhenOn);
  if (needed.length === 0) return { failures: [], unknown: [] };
  if (!evidence.logSwitches) return { failures: [], unknown: [`the server parameters that make ${where} write these logs (${needed.map((entry) => entry.writtenWhenOn).join(', ')}) were not read`] };
  const failures: string[] = [];
  const unknown: string[] = [];
  const on: string[] = [];
  for (const { category, writtenWhenOn } of needed) {
    const found = evidence.logSwitches.find((each) => each.parameter.toLowerCase() === writtenWhenOn!.toLowerCase());
    if (found?.value === undefined) {
      unknown.push(`${where} reports no ${writtenWhenOn} parameter, so whether it writes ${category} at all cannot be told`);
      continue;
    }
    // A value set but pending a restart says what the server will do, not what it does: it decides nothing either way.
    if (found.notInEffect) {
      unknown.push(`${writtenWhenOn} ${found.value} is ${found.notInEffect}, so whether ${where} writes ${category} now cannot be told`);
      continue;
    }
    const flag = parseFlag(found.value);
    if (flag === true) on.push(`${writtenWhenOn} ${found.value}`);
    else if (flag === false) failures.push(`${writtenWhenOn} is ${found.value} on ${where}: ${category} is exported, but the server writes none, so nothing is kept`);
    else unknown.push(`${writtenWhenOn} is "${found.value}" on ${where}, not a value this check reads as on or off`);
  }
  return { failures, unknown, written: `written (${on.join(', ')})` };
}

export const logsExportedCheck = defineCheck<LogsExportedEvidence>({
  id: 'audit.logs-exported',
  evidenceTitle: "the server's diagnostic settings, and the parameters that make it write the exported logs",
  async read(context) {
    const session = await planeSession(context);
    const { engine } = session.server;
    const settings = await serverDiagnosticSettings(context);
    const wanted = SERVER_LOG_CATEGORIES[engine].flatMap((entry) => (entry.writtenWhenOn ? [entry.writtenWhenOn] : []));
    if (wanted.length === 0) return { plane: session.cloud.label, server: session.server.name, engine, settings };
    const parameters = await serverParameters(context);
    const logSwitches = wanted.map((parameter): LogSwitch => {
      const found = parameters.get(parameter.toLowerCase());
      return { parameter, ...(found ? { value: found.value } : {}), ...(found?.notInEffect ? { notInEffect: found.notInEffect } : {}) };
    });
    return { plane: session.cloud.label, server: session.server.name, engine, settings, logSwitches };
  },
  judge: judgeLogsExported,
});
