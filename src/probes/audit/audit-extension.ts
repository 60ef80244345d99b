import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { awaitingRestart, describeAwaitingRestart, reachesServerLog, describeSetting, isActive, isOn, pluginOf, serverAuditOutput, serverAuditWriting, serverLogDestination, serverSettings, settingOf, settingSet, unreadableAmong, valuesInEffect, type SettingsEvidence } from './server-settings.js';

/** An audit trail beyond the server log: pgaudit, MariaDB's server_audit or MySQL's audit_log, loaded and writing. */
export const auditExtension = defineCheck<SettingsEvidence>({
  id: 'audit.audit-extension',
  evidenceTitle: 'audit extension or plugin and its settings as the server reports them',
  read: (context) => serverSettings(context),
  judge: (evidence, target) => (target.engine === 'postgres' ? judgePgaudit(evidence) : judgeAuditPlugin(evidence)),
});

function judgePgaudit(evidence: SettingsEvidence): Judgement {
  // log_min_messages and log_destination decide whether pgaudit's lines are written at all.
  const unreadable = unreadableAmong(evidence, ['shared_preload_libraries', 'pgaudit.log', 'log_min_messages', 'log_destination']);
  if (unreadable.length > 0) return undecided(`cannot judge pgaudit: ${unreadable.map(describeSetting).join('; ')}`);
  const libraries = settingOf(evidence, 'shared_preload_libraries');
  const loaded = 'value' in libraries && settingSet(libraries.value).has('pgaudit');
  if (!loaded) return failed(`pgaudit is not loaded: ${describeSetting(libraries)} (${evidence.readAs})`);
  const log = settingOf(evidence, 'pgaudit.log');
  if (!('value' in log)) return failed(`pgaudit is preloaded but ${describeSetting(log)}`);
  // pgaudit.log may be set per role or database: the application role's sessions may audit nothing while the server's value looks right.
  const inEffect = valuesInEffect(evidence, 'pgaudit.log');
  const auditingNothing = inEffect.values.filter((value) => auditedClasses(value.value).size === 0);
  if (auditingNothing.length > 0) return failed(`pgaudit is loaded but ${auditingNothing.map((value) => value.described).join('; ')}: it audits nothing there`);
  // pgaudit writes its lines at LOG, or at pgaudit.log_level where pgaudit.log_client is on; below log_min_messages they never reach the log.
  const client = valuesInEffect(evidence, 'pgaudit.log_client');
  const levels = valuesInEffect(evidence, 'pgaudit.log_level');
  const written = [
    { value: 'log', described: "pgaudit's lines (written at LOG)" },
    ...(client.values.some((value) => isOn(value.value)) ? levels.values.map((level) => ({ value: level.value, described: `${level.described}, with pgaudit.log_client on` })) : []),
  ];
  const thresholds = valuesInEffect(evidence, 'log_min_messages');
  const dropped = written.flatMap((level) => thresholds.values.filter((threshold) => !reachesServerLog(level.value, threshold.value)).map((threshold) => `${level.described} below ${threshold.described}`));
  if (dropped.length > 0) return failed(`pgaudit is loaded but its lines never reach the log: ${dropped.join('; ')}`);
  const destination = serverLogDestination(evidence);
  if ('nowhere' in destination) return failed(`pgaudit is loaded but its lines never reach the log: ${destination.nowhere} (${evidence.readAs})`);
  const hidden = [inEffect.hidden, client.hidden, levels.hidden, thresholds.hidden].filter((reason): reason is string => reason !== undefined);
  if (hidden.length > 0) return undecided(`pgaudit is loaded, but ${hidden.join('; ')}`);
  const pending = awaitingRestart(evidence, ['shared_preload_libraries', 'pgaudit.log']);
  if (pending.length > 0) return undecided(`pgaudit is loaded and auditing now, but ${describeAwaitingRestart(pending)}`);
  const overrides = inEffect.values.filter((value) => value.scope !== 'server-wide');
  return passed(
    `pgaudit is in shared_preload_libraries and ${inEffect.values.map((value) => value.described).join('; ')}` +
      `, its lines ${'written' in destination ? destination.written : ''}` +
      ` (${overrides.length === 0 ? 'no per-role or per-database override' : `${overrides.length} per-role or per-database overrides, each auditing`}; ${evidence.readAs})`,
  );
}

/** pgaudit's classes: applied in order, "-x" takes one away, "all" is every class; "all, -all" leaves none. */
const PGAUDIT_CLASSES = ['read', 'write', 'function', 'role', 'ddl', 'misc', 'misc_set'];

export function auditedClasses(value: string): Set<string> {
  const classes = new Set<string>();
  for (const item of value.split(',').map((entry) => entry.trim().toLowerCase()).filter((entry) => entry !== '')) {
    const removed = item.startsWith('-');
    const name = removed ? item.slice(1).trim() : item;
    const named = name === 'all' ? PGAUDIT_CLASSES : name === 'none' ? [] : [name];
    for (const entry of named) {
      if (removed) classes.delete(entry);
      else classes.add(entry);
    }
  }
  return classes;
}

function judgeAuditPlugin(evidence: SettingsEvidence): Judgement {
  const serverAudit = pluginOf(evidence, 'SERVER_AUDIT');
  if (isActive(serverAudit)) {
    const unreadable = unreadableAmong(evidence, ['server_audit_logging']);
    if (unreadable.length > 0) return undecided(`cannot judge server_audit: ${unreadable.map(describeSetting).join('; ')}`);
    const logging = settingOf(evidence, 'server_audit_logging');
    if (!('value' in logging) || !isOn(logging.value)) return failed(`server_audit is active but ${describeSetting(logging)}: it writes nothing`);
    const output = serverAuditOutput(evidence);
    if ('nowhere' in output) return failed(`server_audit is active and logging, but ${output.nowhere} (${evidence.readAs})`);
    if ('unknown' in output) return undecided(`server_audit is active and logging, but ${output.unknown} (${evidence.readAs})`);
    const writing = serverAuditWriting(evidence);
    if ('failing' in writing) return failed(`server_audit is active and its settings say logging, but ${writing.failing} (${evidence.readAs})`);
    if ('unknown' in writing) return undecided(`server_audit is active and logging, but ${writing.unknown} (${evidence.readAs})`);
    return passed(`server_audit is active and ${describeSetting(logging)}, events ${describeSetting(settingOf(evidence, 'server_audit_events'))}, written ${output.written}, ${writing.writing} (${evidence.readAs})`);
  }
  const auditLog = pluginOf(evidence, 'audit_log');
  const enabled = settingOf(evidence, 'audit_log_enabled');
  if ('value' in enabled && enabled.present) {
    return isOn(enabled.value) ? passed(`the audit log is on: ${describeSetting(enabled)}`) : failed(`the audit log is off: ${describeSetting(enabled)}`);
  }
  if (isActive(auditLog)) {
    const policy = settingOf(evidence, 'audit_log_policy');
    if ('value' in policy && policy.present && policy.value.trim().toLowerCase() === 'none') return failed(`audit_log is active but ${describeSetting(policy)}`);
    return passed(`audit_log is active${'value' in policy && policy.present ? ` and ${describeSetting(policy)}` : ''}`);
  }
  return failed(
    `no audit plugin is active (${evidence.readAs}): server_audit ${serverAudit ? `is ${serverAudit.status}` : 'is not installed'}, audit_log ${auditLog ? `is ${auditLog.status}` : 'is not installed'}`,
  );
}
