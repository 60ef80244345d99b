import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionsLogged } from '../../../src/probes/audit/connections-logged.js';
import { ACTIVE, awaitingRestartOf, settings, target, withOverrides } from './settings-fixtures.js';

const PG_GOOD = { log_connections: 'on', log_disconnections: 'on', log_line_prefix: '%m [%p] %u@%d %h ', log_min_messages: 'warning', log_destination: 'stderr' };

/** server_audit writing to its file, as the lab's hardened MariaDB does. */
const AUDIT_FILE = { server_audit_output_type: 'file', server_audit_file_path: '/var/lib/mysql/server_audit.log', server_audit_active: 'ON', server_audit_writes_failed: '0', server_audit_last_error: '', server_audit_current_log: '/var/lib/mysql/server_audit.log' };

const cases: Array<{ name: string; engine: 'postgres' | 'mysql'; evidence: ReturnType<typeof settings>; verdict: string; reason: RegExp }> = [
  { name: 'PostgreSQL, all on, prefix with %u %d %h', engine: 'postgres', evidence: settings(PG_GOOD), verdict: 'passed', reason: /names user, database and client address/ },
  { name: 'PostgreSQL, %r counts as the client address', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: '%u %d %r' }), verdict: 'passed', reason: /5 settings read/ },
  { name: 'PostgreSQL, values compared case-insensitively', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_connections: 'ON', log_disconnections: 'True', log_min_messages: 'WARNING' }), verdict: 'passed', reason: /on/ },
  { name: 'PostgreSQL, log_connections off', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_connections: 'off' }), verdict: 'failed', reason: /log_connections = 'off'.*not on/ },
  { name: 'PostgreSQL, log_disconnections off', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_disconnections: 'off' }), verdict: 'failed', reason: /log_disconnections/ },
  { name: 'PostgreSQL, default prefix lacks user, database and address', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: '%m [%p] ' }), verdict: 'failed', reason: /the user \(%u\), the database \(%d\), the client address/ },
  { name: "PostgreSQL, '%%u %%d %%h' writes the letters, not the values", engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: '%m %%u@%%d %%h ' }), verdict: 'failed', reason: /leaves out the user \(%u\), the database \(%d\), the client address/ },
  { name: 'PostgreSQL, padded escapes (%-10u %20d %15h) count', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: '%m %-10u %20d %15h ' }), verdict: 'passed', reason: /names user, database and client address/ },
  { name: "PostgreSQL, a bare '-' is padding of no width: '%-u %-d %-h' name user, database and address (seen in a real server's log)", engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: '%m [%-u] [%-d] [%-h] ' }), verdict: 'passed', reason: /names user, database and client address/ },
  { name: "PostgreSQL, '%-%u' is a percent sign then the letter u", engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: '%m %-%u %d %h' }), verdict: 'failed', reason: /leaves out the user \(%u\)/ },
  { name: "PostgreSQL, '%%%u' is a percent sign then the user", engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: '%%%u %d %r' }), verdict: 'passed', reason: /names user/ },
  { name: 'PostgreSQL, log_min_messages panic drops LOG lines', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_min_messages: 'panic' }), verdict: 'failed', reason: /drops LOG lines/ },
  { name: 'PostgreSQL, absent setting is absent, not off', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_disconnections: null }), verdict: 'failed', reason: /log_disconnections is absent on this server/ },
  { name: 'PostgreSQL, log_min_messages panic for one database only', engine: 'postgres', evidence: withOverrides(settings(PG_GOOD), [{ name: 'log_min_messages', value: 'panic', database: 'postgres' }]), verdict: 'failed', reason: /log_min_messages = 'panic' in database postgres \(ALTER ROLE\/DATABASE \.\.\. SET\) drops LOG lines/ },
  { name: 'PostgreSQL, log_min_messages fatal for one role in one database', engine: 'postgres', evidence: withOverrides(settings(PG_GOOD), [{ name: 'log_min_messages', value: 'fatal', role: 'app', database: 'sales' }]), verdict: 'failed', reason: /for role app in database sales/ },
  { name: 'PostgreSQL, overrides that keep LOG lines are counted', engine: 'postgres', evidence: withOverrides(settings(PG_GOOD), [{ name: 'log_min_messages', value: 'info', role: 'app' }]), verdict: 'passed', reason: /and 1 per-role or per-database overrides, each keeping them/ },
  { name: 'PostgreSQL, no override', engine: 'postgres', evidence: withOverrides(settings(PG_GOOD), []), verdict: 'passed', reason: /no per-role or per-database override of them/ },
  { name: "PostgreSQL, the reader's own override hides the server's value", engine: 'postgres', evidence: withOverrides(settings(PG_GOOD), [{ name: 'log_min_messages', value: 'warning', role: 'auditor' }], { log_min_messages: 'user' }), verdict: 'undecided', reason: /log_min_messages = 'warning' \(user\) is an override of its own, so the server-wide value is not visible/ },
  { name: 'PostgreSQL, an ALTER ROLE ALL override covers every session', engine: 'postgres', evidence: withOverrides(settings(PG_GOOD), [{ name: 'log_min_messages', value: 'warning' }], { log_min_messages: 'global' }), verdict: 'passed', reason: /1 per-role or per-database overrides/ },
  { name: 'PostgreSQL, overrides unreadable', engine: 'postgres', evidence: { ...settings(PG_GOOD), overrides: [], overridesProblem: 'pg_db_role_setting could not be read: [42501] denied' }, verdict: 'undecided', reason: /pg_db_role_setting could not be read/ },
  { name: 'PostgreSQL 18, log_connections all', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_connections: 'all' }), verdict: 'passed', reason: /log_connections and log_disconnections are on/ },
  { name: "PostgreSQL 18, log_connections lists what 'on' means", engine: 'postgres', evidence: settings({ ...PG_GOOD, log_connections: 'receipt,authentication,authorization' }), verdict: 'passed', reason: /are on/ },
  { name: 'PostgreSQL 18, log_connections receipt only', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_connections: 'receipt' }), verdict: 'failed', reason: /log_connections = 'receipt'.*not on/ },
  { name: 'PostgreSQL 18, log_connections empty', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_connections: '' }), verdict: 'failed', reason: /log_connections = ''.*not on/ },
  { name: 'PostgreSQL, a logging setting waiting for a restart', engine: 'postgres', evidence: awaitingRestartOf(settings(PG_GOOD), 'log_min_messages'), verdict: 'undecided', reason: /connections are logged now, but log_min_messages has a changed value/ },
  // Where the lines go: an empty log_destination (which the server accepts) writes them nowhere.
  { name: 'PostgreSQL, log_destination empty', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_destination: '' }), verdict: 'failed', reason: /log_destination = '' \(configuration file\) writes the server log nowhere, so connection lines are never written/ },
  { name: 'PostgreSQL, log_destination blank items', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_destination: ' , ' }), verdict: 'failed', reason: /writes the server log nowhere/ },
  { name: 'PostgreSQL, the pass says where lines are written', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_destination: 'stderr,csvlog' }), verdict: 'passed', reason: /written to log_destination 'stderr,csvlog' \(5 settings read/ },
  { name: 'PostgreSQL, syslog only: the pass says the host keeps them', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_destination: 'syslog' }), verdict: 'passed', reason: /handed to the host's syslog, which the server does not show/ },
  { name: 'PostgreSQL, log_destination unreadable', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_destination: new Error('[42501] permission denied') }), verdict: 'undecided', reason: /log_destination could not be read/ },
  { name: 'PostgreSQL, unreadable setting', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: new Error('[42501] permission denied') }), verdict: 'undecided', reason: /could not be read \(\[42501\]/ },
  {
    name: 'MariaDB, server_audit with CONNECT',
    engine: 'mysql',
    evidence: settings({ ...AUDIT_FILE, server_audit_logging: 'ON', server_audit_events: 'CONNECT,QUERY_DDL', server_audit_incl_users: '' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]),
    verdict: 'passed',
    reason: /include CONNECT/,
  },
  {
    name: 'MariaDB, empty server_audit_events means every event',
    engine: 'mysql',
    evidence: settings({ ...AUDIT_FILE, server_audit_logging: 'on', server_audit_events: '', server_audit_incl_users: '' }, [ACTIVE('server_audit', 'AUDIT')]),
    verdict: 'passed',
    reason: /every event type/,
  },
  {
    name: 'MariaDB, events without CONNECT',
    engine: 'mysql',
    evidence: settings({ ...AUDIT_FILE, server_audit_logging: 'ON', server_audit_events: 'QUERY_DDL, TABLE', server_audit_incl_users: '' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]),
    verdict: 'failed',
    reason: /leaves out CONNECT/,
  },
  {
    name: 'MariaDB, plugin loaded but logging off',
    engine: 'mysql',
    evidence: settings({ server_audit_logging: 'OFF', server_audit_events: 'CONNECT', server_audit_incl_users: '' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]),
    verdict: 'failed',
    reason: /writes nothing/,
  },
  {
    // server_audit logs every account's connections whatever server_audit_incl_users lists (connections-logged-lab.test.ts shows it).
    name: 'MariaDB, audit of queries limited to listed users',
    engine: 'mysql',
    evidence: settings({ ...AUDIT_FILE, server_audit_logging: 'ON', server_audit_events: 'CONNECT', server_audit_incl_users: 'app' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]),
    verdict: 'passed',
    reason: /server_audit_incl_users .*'app'.* narrows query and table events only/,
  },
  // Where server_audit writes: /dev/null keeps nothing; syslog is the host's, which the pass says.
  { name: 'MariaDB, server_audit writing to /dev/null', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_file_path: '/dev/null', server_audit_logging: 'ON', server_audit_events: 'CONNECT' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'failed', reason: /server_audit_file_path = '\/dev\/null' \(configuration file\): server_audit writes every record to \/dev\/null, which keeps none/ },
  { name: 'MariaDB, server_audit to syslog', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_output_type: 'SYSLOG', server_audit_logging: 'ON', server_audit_events: 'CONNECT' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'passed', reason: /written to the host's syslog \(server_audit_output_type SYSLOG\), which the server does not show/ },
  { name: 'MariaDB, server_audit to a file: the pass names it', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_logging: 'ON', server_audit_events: 'CONNECT' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'passed', reason: /written to file '\/var\/lib\/mysql\/server_audit.log' \(server_audit_output_type FILE\)/ },
  { name: 'MariaDB, server_audit output type unreadable', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_output_type: new Error('denied'), server_audit_logging: 'ON', server_audit_events: 'CONNECT' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'undecided', reason: /where server_audit writes cannot be told/ },
  // Whether it writes, by its own status: a file it cannot write stops it while its settings still say ON.
  { name: 'MariaDB, server_audit stopped writing (Server_audit_active OFF)', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_active: 'OFF', server_audit_writes_failed: '4', server_audit_last_error: 'Permission denied', server_audit_logging: 'ON', server_audit_events: 'CONNECT' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'failed', reason: /Server_audit_active = 'OFF' \(status\): server_audit has stopped writing to \/var\/lib\/mysql\/server_audit.log \(Server_audit_writes_failed 4, last error 'Permission denied'\), though its settings say logging is on/ },
  { name: 'MariaDB, server_audit status unreadable', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_active: new Error('denied'), server_audit_logging: 'ON', server_audit_events: 'CONNECT' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'undecided', reason: /whether server_audit is writing cannot be told: its status could not be read/ },
  { name: 'MariaDB, server_audit status absent', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_active: null, server_audit_logging: 'ON', server_audit_events: 'CONNECT' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'undecided', reason: /Server_audit_active is absent/ },
  { name: 'MariaDB, the pass says it is writing', engine: 'mysql', evidence: settings({ ...AUDIT_FILE, server_audit_logging: 'ON', server_audit_events: 'CONNECT' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]), verdict: 'passed', reason: /Server_audit_active ON, 0 failed writes/ },
  { name: 'MariaDB, no audit plugin', engine: 'mysql', evidence: settings({ server_audit_logging: null }), verdict: 'failed', reason: /server_audit is not installed, audit_log is not installed/ },
  {
    name: 'MariaDB, plugin installed but disabled',
    engine: 'mysql',
    evidence: settings({}, [{ name: 'SERVER_AUDIT', status: 'DISABLED', type: 'AUDIT' }]),
    verdict: 'failed',
    reason: /server_audit is DISABLED/,
  },
  { name: 'Azure MySQL, CONNECTION_V2 only counts', engine: 'mysql', evidence: settings({ audit_log_enabled: 'ON', audit_log_events: 'CONNECTION_V2,DDL' }), verdict: 'passed', reason: /logs connections/ },
  { name: 'Azure MySQL, CONNECTION counts', engine: 'mysql', evidence: settings({ audit_log_enabled: 'ON', audit_log_events: 'connection' }), verdict: 'passed', reason: /logs connections/ },
  { name: 'Azure MySQL, audit log on without connection events', engine: 'mysql', evidence: settings({ audit_log_enabled: 'ON', audit_log_events: 'DDL,DCL' }), verdict: 'failed', reason: /leaves out CONNECTION and CONNECTION_V2/ },
  { name: 'Azure MySQL, audit log off', engine: 'mysql', evidence: settings({ audit_log_enabled: 'OFF', audit_log_events: 'CONNECTION' }), verdict: 'failed', reason: /audit log is off/ },
  { name: 'MySQL audit_log, connection policy ERRORS', engine: 'mysql', evidence: settings({ audit_log_connection_policy: 'ERRORS' }, [ACTIVE('audit_log', 'AUDIT')]), verdict: 'failed', reason: /only failed connections/ },
  { name: 'MySQL audit_log, policy LOGINS', engine: 'mysql', evidence: settings({ audit_log_policy: 'LOGINS' }, [ACTIVE('audit_log', 'AUDIT')]), verdict: 'passed', reason: /LOGINS/ },
];

for (const { name, engine, evidence, verdict, reason } of cases) {
  test(`audit.connections-logged judge: ${name} -> ${verdict}`, () => {
    const judgement = connectionsLogged.judge(evidence, target(engine));
    assert.equal(judgement.verdict, verdict, judgement.reason);
    assert.match(judgement.reason, reason);
  });
}
