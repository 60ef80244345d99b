import { defineCheck } from '../check.js';
import { failed, passed, undecided, type Judgement } from '../../controls/judgement.js';
import { logsConnections } from './connection-aspects.js';
import { awaitingRestart, describeAwaitingRestart, reachesServerLog, describeSetting, isActive, isOn, pluginOf, serverAuditOutput, serverAuditWriting, serverLogDestination, serverSettings, settingOf, settingSet, unreadableAmong, valuesInEffect, type SettingsEvidence } from './server-settings.js';


/** Connection and disconnection lines reach the log, and name who, where to and from where. */
export const connectionsLogged = defineCheck<SettingsEvidence>({
  id: 'audit.connections-logged',
  evidenceTitle: 'logging and audit settings as the server reports them (name, value, source)',
  read: (context) => serverSettings(context),
  judge: (evidence, target) => (target.engine === 'postgres' ? judgePostgres(evidence) : judgeMysql(evidence)),
});

/**
 * The escapes a log_line_prefix uses, as PostgreSQL reads it: '%' then an optional padding
 * ('%-10u', '%20d', or a bare '-' of width none: '%-u' is the user), then the letter; '%%' is a
 * literal percent sign, so '%%u' writes the text "%u", never the user.
 */
export function prefixEscapes(prefix: string): Set<string> {
  return new Set([...prefix.matchAll(/%(?:-?\d*)(.)/gs)].map((match) => match[1]).filter((letter) => letter !== '%'));
}

function judgePostgres(evidence: SettingsEvidence): Judgement {
  const needed = ['log_connections', 'log_disconnections', 'log_line_prefix', 'log_min_messages'];
  const unreadable = unreadableAmong(evidence, [...needed, 'log_destination']);
  if (unreadable.length > 0) return undecided(`cannot judge connection logging: ${unreadable.map(describeSetting).join('; ')}`);
  // The server's value and every per-role or per-database override of it: each is what some sessions run with.
  const inEffect = Object.fromEntries(needed.map((name) => [name, valuesInEffect(evidence, name)]));
  const problems: string[] = [];
  for (const name of ['log_connections', 'log_disconnections']) {
    const setting = settingOf(evidence, name);
    if (!('value' in setting)) problems.push(`${describeSetting(setting)}, not on`);
    const logs = name === 'log_connections' ? logsConnections : isOn;
    for (const value of inEffect[name].values) if (!logs(value.value)) problems.push(`${value.described}, not on`);
  }
  for (const prefix of inEffect.log_line_prefix.values) {
    const escapes = prefixEscapes(prefix.value);
    const missing = [
      ...(escapes.has('u') ? [] : ['the user (%u)']),
      ...(escapes.has('d') ? [] : ['the database (%d)']),
      ...(escapes.has('h') || escapes.has('r') ? [] : ['the client address (%h or %r)']),
    ];
    if (missing.length > 0) problems.push(`${prefix.described} leaves out ${missing.join(', ')}`);
  }
  for (const level of inEffect.log_min_messages.values) {
    if (!reachesServerLog('log', level.value)) {
      problems.push(`${level.described} drops LOG lines, so connection lines are never written`);
    }
  }
  const destination = serverLogDestination(evidence);
  if ('nowhere' in destination) problems.push(`${destination.nowhere}, so connection lines are never written`);
  if (problems.length > 0) return failed(`connections are not fully logged (${evidence.readAs}): ${problems.join('; ')}`);
  const hidden = needed.map((name) => inEffect[name].hidden).filter((reason): reason is string => reason !== undefined);
  if (hidden.length > 0) return undecided(`cannot judge connection logging for every session: ${hidden.join('; ')}`);
  const pending = awaitingRestart(evidence, needed);
  if (pending.length > 0) return undecided(`connections are logged now, but ${describeAwaitingRestart(pending)}`);
  const prefix = settingOf(evidence, 'log_line_prefix');
  const level = settingOf(evidence, 'log_min_messages');
  const overrides = needed.reduce((count, name) => count + inEffect[name].values.filter((value) => value.scope !== 'server-wide').length, 0);
  return passed(
    `log_connections and log_disconnections are on, log_line_prefix '${'value' in prefix ? prefix.value : ''}' names user, database and client address, and log_min_messages '${'value' in level ? level.value.trim().toLowerCase() : ''}' keeps LOG lines, ${'written' in destination ? destination.written : ''} ` +
      `(5 settings read, ${overrides === 0 ? 'no per-role or per-database override of them' : `and ${overrides} per-role or per-database overrides, each keeping them`}, ${evidence.readAs})`,
  );
}

function judgeMysql(evidence: SettingsEvidence): Judgement {
  const serverAudit = pluginOf(evidence, 'SERVER_AUDIT');
  if (isActive(serverAudit)) {
    const needed = ['server_audit_logging', 'server_audit_events'];
    const unreadable = unreadableAmong(evidence, needed);
    if (unreadable.length > 0) return undecided(`cannot judge server_audit: ${unreadable.map(describeSetting).join('; ')}`);
    const logging = settingOf(evidence, 'server_audit_logging');
    const events = settingOf(evidence, 'server_audit_events');
    const included = settingOf(evidence, 'server_audit_incl_users');
    const eventSet = 'value' in events ? settingSet(events.value) : new Set<string>();
    const problems: string[] = [];
    if (!('value' in logging) || !isOn(logging.value)) problems.push(`${describeSetting(logging)}: the plugin is loaded but writes nothing`);
    // An empty server_audit_events means every event type.
    if (eventSet.size > 0 && !eventSet.has('connect')) problems.push(`${describeSetting(events)} leaves out CONNECT`);
    const output = serverAuditOutput(evidence);
    if ('nowhere' in output) problems.push(output.nowhere);
    const writing = serverAuditWriting(evidence);
    if ('failing' in writing) problems.push(writing.failing);
    if (problems.length > 0) return failed(`server_audit is active but connections are not logged for every account (${evidence.readAs}): ${problems.join('; ')}`);
    // server_audit writes CONNECT, DISCONNECT and FAILED_CONNECT for every account whatever its
    // user lists say (seen on MariaDB 10.11): server_audit_incl_users narrows query and table events only.
    const limited = 'value' in included && settingSet(included.value).size > 0 ? `; ${describeSetting(included)} narrows query and table events only, connections are logged for every account` : '';
    if ('unknown' in output) return undecided(`server_audit is active and logs connections, but ${output.unknown} (${evidence.readAs})`);
    if ('unknown' in writing) return undecided(`server_audit is active and logs connections, but ${writing.unknown} (${evidence.readAs})`);
    return passed(`server_audit is active, logging ON, events ${eventSet.size === 0 ? 'empty (every event type)' : `[${[...eventSet].join(', ')}]`} include CONNECT, for every account${limited}, written ${'written' in output ? output.written : ''}, ${'writing' in writing ? writing.writing : ''} (${evidence.readAs})`);
  }
  const auditLog = pluginOf(evidence, 'audit_log');
  const azureEnabled = settingOf(evidence, 'audit_log_enabled');
  if (isActive(auditLog) || ('value' in azureEnabled && azureEnabled.present)) return judgeAuditLog(evidence);
  const plugins = evidence.plugins.filter((plugin) => plugin.type.toUpperCase() === 'AUDIT');
  return failed(
    `no audit plugin is active, so connections are not logged (${evidence.readAs}): server_audit ${serverAudit ? `is ${serverAudit.status}` : 'is not installed'}, audit_log ${auditLog ? `is ${auditLog.status}` : 'is not installed'}` +
      (plugins.length > 0 ? `; audit plugins listed: ${plugins.map((plugin) => `${plugin.name} (${plugin.status})`).join(', ')}` : ''),
  );
}

/** MySQL's audit_log: Azure's audit_log_enabled + audit_log_events, or Enterprise/Percona policies. */
function judgeAuditLog(evidence: SettingsEvidence): Judgement {
  const enabled = settingOf(evidence, 'audit_log_enabled');
  if ('value' in enabled && enabled.present) {
    if (!isOn(enabled.value)) return failed(`${describeSetting(enabled)}: the audit log is off`);
    const events = settingOf(evidence, 'audit_log_events');
    if (!('value' in events) || !events.present) return undecided(`audit_log_enabled is on but audit_log_events ${'unreadable' in events ? 'could not be read' : 'is absent'}`);
    const eventSet = settingSet(events.value);
    // Only CONNECTION_V2 carries the error code of a failed attempt; either logs connections.
    if (eventSet.has('connection') || eventSet.has('connection_v2')) return passed(`audit_log_enabled is ON and ${describeSetting(events)} logs connections`);
    return failed(`${describeSetting(events)} leaves out CONNECTION and CONNECTION_V2`);
  }
  const connectionPolicy = settingOf(evidence, 'audit_log_connection_policy');
  const policy = settingOf(evidence, 'audit_log_policy');
  if ('value' in connectionPolicy && connectionPolicy.present) {
    const value = connectionPolicy.value.trim().toLowerCase();
    return value === 'all' ? passed(`audit_log is active and ${describeSetting(connectionPolicy)}`) : failed(`${describeSetting(connectionPolicy)}: ${value === 'errors' ? 'only failed connections are logged' : 'connections are not logged'}`);
  }
  if ('value' in policy && policy.present) {
    const value = policy.value.trim().toLowerCase();
    return value === 'all' || value === 'logins' ? passed(`audit_log is active and ${describeSetting(policy)}`) : failed(`${describeSetting(policy)}: connections are not logged`);
  }
  return undecided('audit_log is active but neither audit_log_connection_policy nor audit_log_policy could be read');
}

