import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { awaitingRestart, describeAwaitingRestart, describeSetting, isActive, isOn, pluginOf, serverSettings, settingOf, settingSet, unreadableAmong, valuesInEffect, type SettingsEvidence } from './server-settings.js';

/** An audit trail beyond the server log: pgaudit, MariaDB's server_audit or MySQL's audit_log, loaded and writing. */
export const auditExtension = defineCheck<SettingsEvidence>({
  id: 'audit.audit-extension',
  evidenceTitle: 'audit extension or plugin and its settings as the server reports them',
  read: (context) => serverSettings(context),
  judge: (evidence, target) => (target.engine === 'postgres' ? judgePgaudit(evidence) : judgeAuditPlugin(evidence)),
});

function judgePgaudit(evidence: SettingsEvidence): Judgement {
  const unreadable = unreadableAmong(evidence, ['shared_preload_libraries', 'pgaudit.log']);
  if (unreadable.length > 0) return undecided(`cannot judge pgaudit: ${unreadable.map(describeSetting).join('; ')}`);
  const libraries = settingOf(evidence, 'shared_preload_libraries');
  const loaded = 'value' in libraries && settingSet(libraries.value).has('pgaudit');
  if (!loaded) return failed(`pgaudit is not loaded: ${describeSetting(libraries)} (${evidence.readAs})`);
  const log = settingOf(evidence, 'pgaudit.log');
  if (!('value' in log)) return failed(`pgaudit is preloaded but ${describeSetting(log)}`);
  // pgaudit.log may be set per role or database: the application role's sessions may audit nothing while the server's value looks right.
  const inEffect = valuesInEffect(evidence, 'pgaudit.log');
  const auditingNothing = inEffect.values.filter((value) => {
    const classes = settingSet(value.value);
    return classes.size === 0 || (classes.size === 1 && classes.has('none'));
  });
  if (auditingNothing.length > 0) return failed(`pgaudit is loaded but ${auditingNothing.map((value) => value.described).join('; ')}: it audits nothing there`);
  if (inEffect.hidden) return undecided(`pgaudit is loaded, but ${inEffect.hidden}`);
  const pending = awaitingRestart(evidence, ['shared_preload_libraries', 'pgaudit.log']);
  if (pending.length > 0) return undecided(`pgaudit is loaded and auditing now, but ${describeAwaitingRestart(pending)}`);
  const overrides = inEffect.values.filter((value) => value.scope !== 'server-wide');
  return passed(
    `pgaudit is in shared_preload_libraries and ${inEffect.values.map((value) => value.described).join('; ')}` +
      ` (${overrides.length === 0 ? 'no per-role or per-database override' : `${overrides.length} per-role or per-database overrides, each auditing`}; ${evidence.readAs})`,
  );
}

function judgeAuditPlugin(evidence: SettingsEvidence): Judgement {
  const serverAudit = pluginOf(evidence, 'SERVER_AUDIT');
  if (isActive(serverAudit)) {
    const unreadable = unreadableAmong(evidence, ['server_audit_logging']);
    if (unreadable.length > 0) return undecided(`cannot judge server_audit: ${unreadable.map(describeSetting).join('; ')}`);
    const logging = settingOf(evidence, 'server_audit_logging');
    if (!('value' in logging) || !isOn(logging.value)) return failed(`server_audit is active but ${describeSetting(logging)}: it writes nothing`);
    return passed(`server_audit is active and ${describeSetting(logging)}, events ${describeSetting(settingOf(evidence, 'server_audit_events'))} (${evidence.readAs})`);
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
