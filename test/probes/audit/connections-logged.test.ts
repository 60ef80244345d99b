import { test } from 'node:test';
import assert from 'node:assert/strict';
import { connectionsLogged } from '../../../src/probes/audit/connections-logged.js';
import { ACTIVE, settings, target } from './settings-fixtures.js';

const PG_GOOD = { log_connections: 'on', log_disconnections: 'on', log_line_prefix: '%m [%p] %u@%d %h ', log_min_messages: 'warning' };

const cases: Array<{ name: string; engine: 'postgres' | 'mysql'; evidence: ReturnType<typeof settings>; verdict: string; reason: RegExp }> = [
  { name: 'PostgreSQL, all on, prefix with %u %d %h', engine: 'postgres', evidence: settings(PG_GOOD), verdict: 'passed', reason: /names user, database and client address/ },
  { name: 'PostgreSQL, %r counts as the client address', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: '%u %d %r' }), verdict: 'passed', reason: /4 settings read/ },
  { name: 'PostgreSQL, values compared case-insensitively', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_connections: 'ON', log_disconnections: 'True', log_min_messages: 'WARNING' }), verdict: 'passed', reason: /on/ },
  { name: 'PostgreSQL, log_connections off', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_connections: 'off' }), verdict: 'failed', reason: /log_connections = 'off'.*not on/ },
  { name: 'PostgreSQL, log_disconnections off', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_disconnections: 'off' }), verdict: 'failed', reason: /log_disconnections/ },
  { name: 'PostgreSQL, default prefix lacks user, database and address', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: '%m [%p] ' }), verdict: 'failed', reason: /the user \(%u\), the database \(%d\), the client address/ },
  { name: 'PostgreSQL, log_min_messages panic drops LOG lines', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_min_messages: 'panic' }), verdict: 'failed', reason: /drops LOG lines/ },
  { name: 'PostgreSQL, absent setting is absent, not off', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_disconnections: null }), verdict: 'failed', reason: /log_disconnections is absent on this server/ },
  { name: 'PostgreSQL, unreadable setting', engine: 'postgres', evidence: settings({ ...PG_GOOD, log_line_prefix: new Error('[42501] permission denied') }), verdict: 'undecided', reason: /could not be read \(\[42501\]/ },
  {
    name: 'MariaDB, server_audit with CONNECT',
    engine: 'mysql',
    evidence: settings({ server_audit_logging: 'ON', server_audit_events: 'CONNECT,QUERY_DDL', server_audit_incl_users: '' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]),
    verdict: 'passed',
    reason: /include CONNECT/,
  },
  {
    name: 'MariaDB, empty server_audit_events means every event',
    engine: 'mysql',
    evidence: settings({ server_audit_logging: 'on', server_audit_events: '', server_audit_incl_users: '' }, [ACTIVE('server_audit', 'AUDIT')]),
    verdict: 'passed',
    reason: /every event type/,
  },
  {
    name: 'MariaDB, events without CONNECT',
    engine: 'mysql',
    evidence: settings({ server_audit_logging: 'ON', server_audit_events: 'QUERY_DDL, TABLE', server_audit_incl_users: '' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]),
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
    name: 'MariaDB, audit limited to listed users',
    engine: 'mysql',
    evidence: settings({ server_audit_logging: 'ON', server_audit_events: 'CONNECT', server_audit_incl_users: 'app' }, [ACTIVE('SERVER_AUDIT', 'AUDIT')]),
    verdict: 'failed',
    reason: /only those accounts/,
  },
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
