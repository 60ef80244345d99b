import { test } from 'node:test';
import assert from 'node:assert/strict';
import { auditExtension } from '../../../src/probes/audit/audit-extension.js';
import { ACTIVE, awaitingRestartOf, settings, target, withOverrides } from './settings-fixtures.js';

/** What decides whether pgaudit's lines are written at all, as a hardened server has it. */
const SERVER_LOG = { log_min_messages: 'warning', log_destination: 'stderr' };

/** server_audit writing to its file, as the lab's hardened MariaDB does. */
const AUDIT_FILE = { server_audit_output_type: 'file', server_audit_file_path: '/var/lib/mysql/server_audit.log', server_audit_active: 'ON', server_audit_writes_failed: '0', server_audit_last_error: '', server_audit_current_log: '/var/lib/mysql/server_audit.log' };

const cases: Array<{ name: string; engine: 'postgres' | 'mysql'; evidence: ReturnType<typeof settings>; verdict: string; reason: RegExp }> = [
  { name: 'pgaudit preloaded, logging ddl and role', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'auth_delay,pgaudit', 'pgaudit.log': 'ddl, role' }), verdict: 'passed', reason: /pgaudit.log = 'ddl, role'/ },
  { name: 'library list parsed as a set (quotes, blanks, case)', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: ' "PGAudit" , pg_stat_statements', 'pgaudit.log': 'ALL' }), verdict: 'passed', reason: /shared_preload_libraries/ },
  { name: 'a library merely named like pgaudit does not count', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit_extra', 'pgaudit.log': 'all' }), verdict: 'failed', reason: /not loaded/ },
  { name: 'pgaudit not preloaded', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: '', 'pgaudit.log': null }), verdict: 'failed', reason: /pgaudit is not loaded/ },
  { name: 'pgaudit.log none', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'none' }), verdict: 'failed', reason: /audits nothing/ },
  { name: 'pgaudit.log none for the application role only', engine: 'postgres', evidence: withOverrides(settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl, role' }), [{ name: 'pgaudit.log', value: 'none', role: 'app' }]), verdict: 'failed', reason: /pgaudit.log = 'none' for role app \(ALTER ROLE\/DATABASE \.\.\. SET\): it audits nothing there/ },
  { name: 'pgaudit.log emptied in one database', engine: 'postgres', evidence: withOverrides(settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl' }), [{ name: 'pgaudit.log', value: '', database: 'sales' }]), verdict: 'failed', reason: /in database sales/ },
  { name: 'an override that audits more', engine: 'postgres', evidence: withOverrides(settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl' }), [{ name: 'pgaudit.log', value: 'all', role: 'app' }]), verdict: 'passed', reason: /1 per-role or per-database overrides, each auditing/ },
  { name: "the reader's own override hides pgaudit.log none server-wide", engine: 'postgres', evidence: withOverrides(settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl' }), [{ name: 'pgaudit.log', value: 'ddl', role: 'auditor' }], { 'pgaudit.log': 'user' }), verdict: 'undecided', reason: /server-wide value is not visible/ },
  { name: 'pgaudit taken out of shared_preload_libraries, waiting for a restart', engine: 'postgres', evidence: awaitingRestartOf(settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl' }), 'shared_preload_libraries'), verdict: 'undecided', reason: /shared_preload_libraries has a changed value in the configuration files that takes effect at the next restart/ },
  { name: "pgaudit.log 'all, -all' subtracts every class", engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'all, -all' }), verdict: 'failed', reason: /pgaudit.log = 'all, -all' \(configuration file\): it audits nothing there/ },
  { name: 'a subtraction that leaves a class audits', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl, role, -ddl' }), verdict: 'passed', reason: /pgaudit is in shared_preload_libraries/ },
  { name: 'log_min_messages panic drops the lines pgaudit writes at LOG', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl', log_min_messages: 'panic' }), verdict: 'failed', reason: /its lines never reach the log: pgaudit's lines \(written at LOG\) below log_min_messages = 'panic'/ },
  { name: 'log_min_messages fatal for one role', engine: 'postgres', evidence: withOverrides(settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl', log_min_messages: 'warning' }), [{ name: 'log_min_messages', value: 'fatal', role: 'app' }]), verdict: 'failed', reason: /below log_min_messages = 'fatal' for role app/ },
  { name: 'pgaudit.log_level is ignored while pgaudit.log_client is off', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl', 'pgaudit.log_level': 'debug1', 'pgaudit.log_client': 'off', log_min_messages: 'warning' }), verdict: 'passed', reason: /pgaudit.log = 'ddl'/ },
  { name: 'pgaudit.log_level below log_min_messages with pgaudit.log_client on', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl', 'pgaudit.log_level': 'debug1', 'pgaudit.log_client': 'on', log_min_messages: 'warning' }), verdict: 'failed', reason: /pgaudit.log_level = 'debug1' \(configuration file\), with pgaudit.log_client on below log_min_messages = 'warning'/ },
  { name: 'log_destination empty writes pgaudit lines nowhere', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl', log_destination: '' }), verdict: 'failed', reason: /its lines never reach the log: log_destination = '' \(configuration file\) writes the server log nowhere/ },
  { name: 'the pass says where the lines go', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl', log_destination: 'jsonlog' }), verdict: 'passed', reason: /its lines written to log_destination 'jsonlog'/ },
  { name: 'log_min_messages unreadable', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl', log_min_messages: new Error('denied') }), verdict: 'undecided', reason: /log_min_messages could not be read/ },
  { name: 'pgaudit preloaded but its setting absent', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: 'pgaudit', 'pgaudit.log': null }), verdict: 'failed', reason: /pgaudit.log is absent/ },
  { name: 'shared_preload_libraries unreadable', engine: 'postgres', evidence: settings({ ...SERVER_LOG, shared_preload_libraries: new Error('must be superuser'), 'pgaudit.log': null }), verdict: 'undecided', reason: /could not be read/ },
  { name: 'server_audit active and logging', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_logging: 'ON', server_audit_events: 'CONNECT' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'passed', reason: /server_audit is active/ },
  { name: 'server_audit active, logging off', engine: 'mysql', evidence: settings({ server_audit_logging: 'OFF' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'failed', reason: /writes nothing/ },
  { name: 'server_audit writing to /dev/null', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_file_path: '/dev/null', server_audit_logging: 'ON' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'failed', reason: /server_audit writes every record to \/dev\/null, which keeps none/ },
  { name: 'server_audit to syslog, said in the pass', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_output_type: 'syslog', server_audit_logging: 'ON' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'passed', reason: /written to the host's syslog/ },
  { name: 'server_audit stopped writing', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_active: 'OFF', server_audit_writes_failed: '2', server_audit_logging: 'ON' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'failed', reason: /its settings say logging, but Server_audit_active = 'OFF' \(status\): server_audit has stopped writing/ },
  { name: 'no audit plugin', engine: 'mysql', evidence: settings({}), verdict: 'failed', reason: /no audit plugin is active/ },
  { name: 'Azure audit_log_enabled ON', engine: 'mysql', evidence: settings({ audit_log_enabled: 'ON' }), verdict: 'passed', reason: /audit log is on/ },
  { name: 'MySQL audit_log policy NONE', engine: 'mysql', evidence: settings({ audit_log_policy: 'NONE' }, [ACTIVE('audit_log', 'AUDIT')]), verdict: 'failed', reason: /NONE/ },
];

for (const { name, engine, evidence, verdict, reason } of cases) {
  test(`audit.audit-extension judge: ${name} -> ${verdict}`, () => {
    const judgement = auditExtension.judge(evidence, target(engine));
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}
