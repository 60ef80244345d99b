import type { Engine } from '../../targets/target.js';
import { auditedClasses } from '../audit/audit-extension.js';
import { connectionAspects } from '../audit/connection-aspects.js';
import {
  describeSetting,
  isActive,
  isOn,
  pluginOf,
  reachesServerLog,
  serverAuditOutput,
  serverAuditWriting,
  serverLogDestination,
  settingOf,
  settingSet,
  unreadableAmong,
  valuesInEffect,
  type SettingsEvidence,
} from '../audit/server-settings.js';
import type { ObservedAudit, ObservedBehaviour, ObservedConnectionLogging } from './configuration-vs-behaviour.js';

/** The settings read the catalog checks made (audit.connections-logged, audit.audit-extension), or why it failed. */
export type CatalogRead = { evidence: SettingsEvidence } | { unreadable: string };

/**
 * The server-side half of the configuration comparison, in its terms, from the settings the catalog
 * checks read: what log_connections logs for each session and whether the audit is writing. Pure.
 * A read that failed leaves both not known, saying why: never an agreement.
 */
export function behaviourFromCatalog(engine: Engine, read: CatalogRead): Pick<ObservedBehaviour, 'logConnections' | 'audit'> {
  if ('unreadable' in read) {
    const unknown = `the server's settings could not be read (${read.unreadable})`;
    return { ...(engine === 'postgres' ? { logConnections: { unknown } } : {}), audit: { unknown } };
  }
  const { evidence } = read;
  return engine === 'postgres' ? { logConnections: postgresConnectionLogging(evidence), audit: pgauditWriting(evidence) } : { audit: mysqlAuditWriting(evidence) };
}

const withReadAs = (evidence: SettingsEvidence, text: string) => `${text} (${evidence.readAs})`;

/**
 * Every log_connections value in effect, as audit.connections-logged judges them (per-role and
 * per-database overrides count), and whether LOG lines reach the log (log_min_messages in effect,
 * log_destination).
 */
export function postgresConnectionLogging(evidence: SettingsEvidence): ObservedConnectionLogging {
  const setting = settingOf(evidence, 'log_connections');
  if (!('value' in setting)) return { unknown: describeSetting(setting) };
  const inEffect = valuesInEffect(evidence, 'log_connections');
  const values = inEffect.values.map((value) => ({ aspects: [...connectionAspects(value.value)].sort(), described: value.described }));
  return { values, ...(inEffect.hidden ? { hidden: inEffect.hidden } : {}), written: linesWritten(evidence, ['log']) };
}

/**
 * Whether lines at `levels` reach the server log for every session: an empty log_destination
 * writes none anywhere; a log_min_messages in effect above a level drops it, for every session
 * when every value in effect does.
 */
function linesWritten(evidence: SettingsEvidence, levels: readonly string[]): { yes: string } | { no: string; forEverySession: boolean } | { unknown: string } {
  const unreadable = unreadableAmong(evidence, ['log_min_messages', 'log_destination']);
  if (unreadable.length > 0) return { unknown: unreadable.map(describeSetting).join('; ') };
  const destination = serverLogDestination(evidence);
  if ('nowhere' in destination) return { no: destination.nowhere, forEverySession: true };
  const thresholds = valuesInEffect(evidence, 'log_min_messages');
  const dropping = thresholds.values.filter((threshold) => levels.some((level) => !reachesServerLog(level, threshold.value)));
  if (dropping.length > 0) {
    const forEverySession = dropping.length === thresholds.values.length && !thresholds.hidden;
    return { no: `${dropping.map((threshold) => threshold.described).join('; ')} drops ${[...new Set(levels)].join(', ').toUpperCase()} lines`, forEverySession };
  }
  if (thresholds.hidden) return { unknown: thresholds.hidden };
  return { yes: destination.written };
}

/**
 * pgaudit writing: preloaded, a pgaudit.log in effect that audits some class, and its lines (at LOG,
 * or pgaudit.log_level where pgaudit.log_client is on) reaching the log. A per-role or
 * per-database pgaudit.log of 'none' beside an auditing one is writing for some sessions only.
 */
export function pgauditWriting(evidence: SettingsEvidence): ObservedAudit {
  const libraries = settingOf(evidence, 'shared_preload_libraries');
  if (!('value' in libraries)) return { unknown: describeSetting(libraries) };
  const restart = libraries.pendingRestart ? '; its configuration files hold another value for the next restart (pg_settings.pending_restart)' : '';
  if (!settingSet(libraries.value).has('pgaudit')) return { writing: 'none', described: withReadAs(evidence, `pgaudit is not loaded: ${describeSetting(libraries)}${restart}`) };
  const unreadable = unreadableAmong(evidence, ['pgaudit.log', 'pgaudit.log_client', 'pgaudit.log_level']);
  if (unreadable.length > 0) return { unknown: unreadable.map(describeSetting).join('; ') };
  const log = settingOf(evidence, 'pgaudit.log');
  if (!('value' in log) || !log.present) return { unknown: `pgaudit is in shared_preload_libraries, but ${describeSetting(log)}` };
  const classes = valuesInEffect(evidence, 'pgaudit.log');
  const client = valuesInEffect(evidence, 'pgaudit.log_client');
  const levels = client.values.some((value) => isOn(value.value)) ? ['log', ...valuesInEffect(evidence, 'pgaudit.log_level').values.map((level) => level.value)] : ['log'];
  const written = linesWritten(evidence, levels);
  const auditing = classes.values.filter((value) => auditedClasses(value.value).size > 0);
  const silent = classes.values.filter((value) => auditedClasses(value.value).size === 0);
  const hidden = classes.hidden ?? client.hidden;
  if (hidden) return { unknown: `pgaudit is loaded, but ${hidden}` };
  const described = `pgaudit is in shared_preload_libraries${restart}; ${classes.values.map((value) => value.described).join('; ')}`;
  if (auditing.length === 0) return { writing: 'none', described: withReadAs(evidence, `${described}: it audits nothing`) };
  // Lines dropped for some sessions only, or some sessions silent and others dropped: which sessions
  // are left writing cannot be told, and "some" agrees with neither on nor off.
  if ('no' in written) return { writing: written.forEverySession ? 'none' : 'some', described: withReadAs(evidence, `${described}; but ${written.no}`) };
  if ('unknown' in written) return { unknown: `pgaudit is loaded, but whether its lines reach the log is not known: ${written.unknown}` };
  if (silent.length > 0) return { writing: 'some', described: withReadAs(evidence, `${described}: ${silent.map((value) => value.described).join('; ')} audits nothing`) };
  return { writing: 'all', described: withReadAs(evidence, `${described}, ${written.yes}`) };
}

/**
 * MariaDB's server_audit or Azure's audit_log_enabled writing, not merely loaded: server_audit with
 * server_audit_logging ON, its status Server_audit_active ON and a file other than /dev/null;
 * audit_log_enabled as the server itself reports it. Another audit plugin (MySQL Enterprise's
 * audit_log filters, a third party's) cannot be told from these settings: not known.
 */
export function mysqlAuditWriting(evidence: SettingsEvidence): ObservedAudit {
  const serverAudit = pluginOf(evidence, 'SERVER_AUDIT');
  if (isActive(serverAudit)) {
    const logging = settingOf(evidence, 'server_audit_logging');
    if ('unreadable' in logging) return { unknown: `server_audit is loaded, but ${describeSetting(logging)}` };
    if (!logging.present || !isOn(logging.value)) return { writing: 'none', described: withReadAs(evidence, `server_audit is loaded, but ${describeSetting(logging)}: it writes nothing`) };
    const output = serverAuditOutput(evidence);
    if ('nowhere' in output) return { writing: 'none', described: withReadAs(evidence, `server_audit is loaded and logging, but ${output.nowhere}`) };
    const writing = serverAuditWriting(evidence);
    if ('failing' in writing) return { writing: 'none', described: withReadAs(evidence, writing.failing) };
    if ('unknown' in output) return { unknown: `server_audit is loaded and logging, but ${output.unknown}` };
    if ('unknown' in writing) return { unknown: `server_audit is loaded and logging, but ${writing.unknown}` };
    return { writing: 'all', described: withReadAs(evidence, `server_audit is loaded, ${describeSetting(logging)}, ${writing.writing}, written ${output.written}`) };
  }
  const enabled = settingOf(evidence, 'audit_log_enabled');
  if ('unreadable' in enabled) return { unknown: describeSetting(enabled) };
  if (enabled.present) return { writing: isOn(enabled.value) ? 'all' : 'none', described: withReadAs(evidence, `the server reports ${describeSetting(enabled)}`) };
  const otherAudit = evidence.plugins.filter((plugin) => isActive(plugin) && plugin.type.toUpperCase() === 'AUDIT');
  if (otherAudit.length > 0) return { unknown: `audit plugin ${otherAudit.map((plugin) => plugin.name).join(', ')} is active, and whether it writes cannot be told from the settings read (its filters or policies decide)` };
  return {
    writing: 'none',
    described: withReadAs(evidence, `no audit plugin is active: server_audit ${serverAudit ? `is ${serverAudit.status}` : 'is not installed'}, and the server has no audit_log_enabled`),
  };
}
