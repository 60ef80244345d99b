/**
 * The server side of the configuration comparison, from the settings the catalog checks read:
 * log_connections as the aspects it logs (PostgreSQL 18's lists and the older booleans alike), and
 * whether the audit is writing, not merely loaded. A read that failed is not known, saying why.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { behaviourFromCatalog } from '../../../src/probes/plane/catalog-behaviour.js';
import type { ObservedAudit, ObservedConnectionLogging } from '../../../src/probes/plane/configuration-vs-behaviour.js';
import { ACTIVE, awaitingRestartOf, settings, withOverrides } from '../audit/settings-fixtures.js';

const PG_LOGGING = { log_min_messages: 'warning', log_destination: 'stderr' };
const PG_AUDIT = { ...PG_LOGGING, log_connections: 'on', shared_preload_libraries: 'auth_delay,pgaudit', 'pgaudit.log': 'ddl, role', 'pgaudit.log_client': 'off', 'pgaudit.log_level': 'log' };
/** server_audit writing to its file, as the lab's hardened MariaDB does. */
const SERVER_AUDIT = { server_audit_logging: 'ON', server_audit_output_type: 'file', server_audit_file_path: '/var/lib/mysql/server_audit.log', server_audit_active: 'ON', server_audit_writes_failed: '0', server_audit_last_error: '', server_audit_current_log: 'server_audit.log' };
const SERVER_AUDIT_PLUGIN = [ACTIVE('SERVER_AUDIT', 'AUDIT')];

const connections = (evidence: ReturnType<typeof settings>) => behaviourFromCatalog('postgres', { evidence }).logConnections as ObservedConnectionLogging;
const pgAudit = (evidence: ReturnType<typeof settings>) => behaviourFromCatalog('postgres', { evidence }).audit as ObservedAudit;
const mysqlAudit = (evidence: ReturnType<typeof settings>) => behaviourFromCatalog('mysql', { evidence }).audit as ObservedAudit;

test('log_connections as the aspects it logs: the boolean and PostgreSQL 18 forms of one value are one set', () => {
  const ON = ['authentication', 'authorization', 'receipt'];
  for (const [value, aspects] of [
    ['on', ON],
    ['true', ON],
    ['receipt,authentication,authorization', ON],
    ['authorization, Receipt ,authentication', ON],
    ['all', ['authentication', 'authorization', 'receipt', 'setup_durations']],
    ['receipt', ['receipt']],
    ['', []],
    ['off', []],
  ] as const) {
    const observed = connections(settings({ ...PG_LOGGING, log_connections: value }));
    assert.ok('values' in observed, JSON.stringify(observed));
    assert.deepEqual(observed.values.map((entry) => entry.aspects), [aspects], value);
    assert.deepEqual(observed.written, { yes: "written to log_destination 'stderr'" });
  }
});

test('log_connections: overrides are values in effect, lines dropped or written nowhere say so, an unreadable setting is not known', () => {
  const override = connections(withOverrides(settings({ ...PG_LOGGING, log_connections: 'on' }), [{ name: 'log_connections', value: 'off', role: 'app' }]));
  assert.ok('values' in override);
  assert.deepEqual(override.values.map((value) => [value.aspects.length, value.described]), [[3, "log_connections = 'on' (configuration file)"], [0, "log_connections = 'off' for role app (ALTER ROLE/DATABASE ... SET)"]]);
  const panic = connections(settings({ ...PG_LOGGING, log_connections: 'on', log_min_messages: 'panic' }));
  assert.ok('values' in panic && 'no' in panic.written, JSON.stringify(panic));
  assert.match(panic.written.no, /log_min_messages = 'panic' .* drops LOG lines/);
  const nowhere = connections(settings({ ...PG_LOGGING, log_connections: 'on', log_destination: '' }));
  assert.ok('values' in nowhere && 'no' in nowhere.written);
  assert.match(nowhere.written.no, /writes the server log nowhere/);
  const hidden = connections({ ...settings({ ...PG_LOGGING, log_connections: 'on' }), overridesProblem: 'pg_db_role_setting could not be read: [42501] denied' });
  assert.ok('values' in hidden && hidden.hidden, JSON.stringify(hidden));
  assert.deepEqual(connections(settings({ ...PG_LOGGING, log_connections: new Error('[42501] permission denied') })), { unknown: "log_connections could not be read ([42501] permission denied)" });
});

test('pgaudit: writing when loaded, auditing a class and its lines reach the log; loaded is not writing', () => {
  const cases: Array<[string, ReturnType<typeof settings>, 'all' | 'none' | 'some' | 'unknown', RegExp]> = [
    ['loaded and auditing ddl, role', settings(PG_AUDIT), 'all', /pgaudit.log = 'ddl, role' \(configuration file\), written to log_destination 'stderr'/],
    ['not preloaded', settings({ ...PG_AUDIT, shared_preload_libraries: 'auth_delay', 'pgaudit.log': null }), 'none', /pgaudit is not loaded: shared_preload_libraries = 'auth_delay'/],
    ['preloaded, pgaudit.log none', settings({ ...PG_AUDIT, 'pgaudit.log': 'none' }), 'none', /it audits nothing/],
    ["preloaded, pgaudit.log 'all, -all'", settings({ ...PG_AUDIT, 'pgaudit.log': 'all, -all' }), 'none', /it audits nothing/],
    ['preloaded, log_min_messages panic', settings({ ...PG_AUDIT, log_min_messages: 'panic' }), 'none', /drops LOG lines/],
    ['preloaded, log_destination empty', settings({ ...PG_AUDIT, log_destination: '' }), 'none', /nowhere/],
    ['preloaded, none for the application role', withOverrides(settings(PG_AUDIT), [{ name: 'pgaudit.log', value: 'none', role: 'app' }]), 'some', /pgaudit.log = 'none' for role app .* audits nothing/],
    ['preloaded, log_min_messages panic in one database', withOverrides(settings(PG_AUDIT), [{ name: 'log_min_messages', value: 'panic', database: 'app' }]), 'some', /log_min_messages = 'panic' in database app/],
    ['preloaded, pgaudit.log unreadable', settings({ ...PG_AUDIT, 'pgaudit.log': new Error('[42501] denied') }), 'unknown', /pgaudit.log could not be read/],
    ['shared_preload_libraries unreadable', settings({ ...PG_AUDIT, shared_preload_libraries: new Error('[42501] must be superuser') }), 'unknown', /shared_preload_libraries could not be read/],
    ['overrides unreadable', { ...settings(PG_AUDIT), overridesProblem: 'pg_db_role_setting could not be read' }, 'unknown', /pg_db_role_setting could not be read/],
  ];
  for (const [name, evidence, writing, described] of cases) {
    const observed = pgAudit(evidence);
    assert.equal('writing' in observed ? observed.writing : 'unknown', writing, `${name}: ${JSON.stringify(observed)}`);
    assert.match('writing' in observed ? observed.described : observed.unknown, described, name);
  }
  const pending = pgAudit(awaitingRestartOf(settings({ ...PG_AUDIT, shared_preload_libraries: 'auth_delay', 'pgaudit.log': null }), 'shared_preload_libraries'));
  assert.ok('writing' in pending && pending.writing === 'none');
  assert.match(pending.described, /another value for the next restart/, 'what runs now is compared; the file waiting for a restart is said');
});

test('MariaDB/MySQL: the audit is writing when server_audit logs and its status says so, or the server reports audit_log_enabled ON; loaded is not enough', () => {
  const cases: Array<[string, ReturnType<typeof settings>, 'all' | 'none' | 'unknown', RegExp]> = [
    ['server_audit loaded, logging, active', settings(SERVER_AUDIT, SERVER_AUDIT_PLUGIN), 'all', /server_audit is loaded, server_audit_logging = 'ON'.*Server_audit_active ON/],
    ['server_audit loaded, logging OFF', settings({ ...SERVER_AUDIT, server_audit_logging: 'OFF' }, SERVER_AUDIT_PLUGIN), 'none', /server_audit_logging = 'OFF' .*: it writes nothing/],
    ['server_audit loaded, logging, stopped on a write failure', settings({ ...SERVER_AUDIT, server_audit_active: 'OFF', server_audit_writes_failed: '3' }, SERVER_AUDIT_PLUGIN), 'none', /has stopped writing/],
    ['server_audit to /dev/null', settings({ ...SERVER_AUDIT, server_audit_file_path: '/dev/null' }, SERVER_AUDIT_PLUGIN), 'none', /keeps none/],
    ['server_audit, status unreadable', settings({ ...SERVER_AUDIT, server_audit_active: new Error('[1227] denied') }, SERVER_AUDIT_PLUGIN), 'unknown', /its status could not be read/],
    ['server_audit installed, not active', settings({ audit_log_enabled: null }, [{ name: 'SERVER_AUDIT', status: 'DISABLED', type: 'AUDIT' }]), 'none', /no audit plugin is active: server_audit is DISABLED/],
    ['no audit plugin', settings({ audit_log_enabled: null }), 'none', /no audit plugin is active/],
    ["Azure MySQL's audit_log_enabled ON", settings({ audit_log_enabled: 'ON' }, [ACTIVE('audit_log', 'AUDIT')]), 'all', /audit_log_enabled = 'ON'/],
    ["Azure MySQL's audit_log_enabled OFF, plugin still loaded", settings({ audit_log_enabled: 'OFF' }, [ACTIVE('audit_log', 'AUDIT')]), 'none', /audit_log_enabled = 'OFF'/],
    ['audit_log_enabled unreadable', settings({ audit_log_enabled: new Error('[1227] denied') }), 'unknown', /audit_log_enabled could not be read/],
    ["Enterprise audit_log without Azure's switch: its filters decide", settings({ audit_log_enabled: null, audit_log_policy: 'NONE' }, [ACTIVE('audit_log', 'AUDIT')]), 'unknown', /audit plugin audit_log is active/],
  ];
  for (const [name, evidence, writing, described] of cases) {
    const observed = mysqlAudit(evidence);
    assert.equal('writing' in observed ? observed.writing : 'unknown', writing, `${name}: ${JSON.stringify(observed)}`);
    assert.match('writing' in observed ? observed.described : observed.unknown, described, name);
  }
});

test('a catalog that could not be read leaves both rows not known, saying why', () => {
  const why = 'cannot read the server settings for logging, auditing, archiving and encryption as "auditor": [42501] permission denied';
  assert.deepEqual(behaviourFromCatalog('postgres', { unreadable: why }), { logConnections: { unknown: `the server's settings could not be read (${why})` }, audit: { unknown: `the server's settings could not be read (${why})` } });
  assert.deepEqual(behaviourFromCatalog('mysql', { unreadable: 'no auditor account is declared' }), { audit: { unknown: "the server's settings could not be read (no auditor account is declared)" } });
});
