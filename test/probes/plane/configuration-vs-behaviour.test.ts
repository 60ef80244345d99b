/**
 * Configuration against behaviour: the parameters Azure reports (parsed as the service returns
 * them) set beside what the probes observe. Pure tables first; then the stand-in's configuration,
 * read through the real SDKs, compared with what real lab servers do on the wire.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { interpretConfiguration, parseFlag, parseTlsVersion, configuredSecurity } from '../../../src/probes/plane/configured-security.js';
import { compareConfigurationWithBehaviour, handshakeAnswer, loginAnswer, observedBehaviour, type ObservedBehaviour, type ObservedConnectionLogging } from '../../../src/probes/plane/configuration-vs-behaviour.js';
import { behaviourFromCatalog, type CatalogRead } from '../../../src/probes/plane/catalog-behaviour.js';
import { ACTIVE, settings, withOverrides } from '../audit/settings-fixtures.js';
import { AzureStandIn } from '../../../src/lab/azure-stand-in/azure-stand-in.js';
import { mysqlServerId, pgServerId } from '../../../src/lab/azure-stand-in/stand-in-fleet.js';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { handshake } from '../../../src/tls/handshake.js';
import { TLS_VERSIONS } from '../../../src/tls/versions.js';
import { attemptLogin } from '../../../src/sessions/login-attempt.js';
import { endpointOf, type Target } from '../../../src/targets/target.js';
import { contextFor, standInTarget } from './plane-target.js';

let standIn: AzureStandIn;
before(async () => {
  standIn = await AzureStandIn.start();
});
after(async () => {
  await Promise.all([standIn?.stop(), stopAllLocalServers()]);
});

test('server parameters are parsed as the service returns them: flags in any case, lists in any order, absent is not off', () => {
  for (const [value, flag] of [['ON', true], ['on', true], ['True', true], ['1', true], ['OFF', false], ['off', false], ['False', false], ['maybe', undefined], [undefined, undefined]] as const) {
    assert.equal(parseFlag(value), flag, String(value));
  }
  for (const [name, version] of [['TLSv1.2', 'TLSv1.2'], ['tlsv1.3', 'TLSv1.3'], ['TLSv1.0', 'TLSv1'], ['TLSv1', 'TLSv1'], ['SSLv3', undefined]] as const) assert.equal(parseTlsVersion(name), version, name);
  const mysql = interpretConfiguration('mysql', new Map([['tls_version', 'tlsv1.3, TLSv1.2'], ['require_secure_transport', 'ON'], ['aad_auth_only', 'OFF']]), undefined, 'p');
  assert.deepEqual(mysql.allowedTls, ['TLSv1.2', 'TLSv1.3']);
  assert.equal(mysql.requireSecureTransport, true);
  assert.equal(mysql.entraOnly, false);
  assert.equal(mysql.auditEnabled, undefined, 'audit_log_enabled absent on this server: not off');
  assert.deepEqual(mysql.absent, ['audit_log_enabled', 'audit_log_events']);
  const postgres = interpretConfiguration('postgres', new Map([['ssl_min_protocol_version', 'TLSv1.2'], ['shared_preload_libraries', 'pg_cron,PGAUDIT']]), { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled' }, 'p');
  assert.deepEqual(postgres.allowedTls, ['TLSv1.2', 'TLSv1.3']);
  assert.equal(postgres.entraOnly, true);
  assert.equal(postgres.auditEnabled, undefined, 'pgaudit preloaded, pgaudit.log not read: whether it audits anything is not known');
  assert.equal(interpretConfiguration('postgres', new Map([['shared_preload_libraries', 'pg_cron,PGAUDIT'], ['pgaudit.log', 'DDL,ROLE']]), undefined, 'p').auditEnabled, true);
  assert.equal(interpretConfiguration('postgres', new Map([['shared_preload_libraries', 'pg_cron,pgaudit'], ['pgaudit.log', 'none']]), undefined, 'p').auditEnabled, false, "Azure's default pgaudit.log: preloaded, auditing nothing");
  assert.equal(interpretConfiguration('postgres', new Map([['shared_preload_libraries', 'pg_cron']]), undefined, 'p').auditEnabled, false);
  assert.equal(postgres.requireSecureTransport, undefined);
});

test('a parameter read but not in force is listed as such, among the ones asked for only', () => {
  const mysql = interpretConfiguration('mysql', new Map([['aad_auth_only', 'ON'], ['audit_log_enabled', 'ON'], ['innodb_buffer_pool_size', '1']]), undefined, 'p', new Map([['aad_auth_only', 'pending a restart (isConfigPendingRestart True)'], ['innodb_buffer_pool_size', 'pending a restart (isConfigPendingRestart True)']]));
  assert.deepEqual(mysql.notInEffect, { aad_auth_only: 'pending a restart (isConfigPendingRestart True)' });
  assert.equal(mysql.entraOnly, true, 'the value is still parsed: the judges decide what a pending value is worth');
  assert.deepEqual(interpretConfiguration('mysql', new Map([['aad_auth_only', 'ON']]), undefined, 'p').notInEffect, {});
});

/** log_connections 'on' for every session, its lines written: the server side of a hardened PostgreSQL. */
const LOGS_ON: ObservedConnectionLogging = { values: [{ aspects: ['authentication', 'authorization', 'receipt'], described: "log_connections = 'on' (configuration file)" }], written: { yes: "written to log_destination 'stderr'" } };

test('the comparison sets each aspect side by side; a disagreement is a finding, an unknown side is never an agreement', () => {
  const configured = interpretConfiguration('postgres', new Map([['require_secure_transport', 'on'], ['ssl_min_protocol_version', 'TLSv1.2'], ['log_connections', 'on']]), { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled' }, 'p');
  const observed: ObservedBehaviour = { tlsHandshake: { TLSv1: true, 'TLSv1.2': true, 'TLSv1.3': false }, plaintextLoginAccepted: true, passwordLoginAccepted: true, logConnections: LOGS_ON };
  const rows = compareConfigurationWithBehaviour(configured, observed);
  const byAspect = Object.fromEntries(rows.map((row) => [row.aspect, row]));
  assert.equal(byAspect['TLS required'].agrees, false);
  assert.match(byAspect['TLS required'].finding!, /TLS is required, yet the server accepted a login without TLS/);
  assert.equal(byAspect['TLS 1.0 handshake'].agrees, false);
  assert.match(byAspect['TLS 1.0 handshake'].finding!, /does not allow TLS 1.0, yet the server completed/);
  assert.equal(byAspect['TLS 1.1 handshake'].agrees, undefined, 'TLS 1.1 was not observed');
  assert.equal(byAspect['TLS 1.2 handshake'].agrees, true);
  assert.equal(byAspect['TLS 1.3 handshake'].agrees, false);
  assert.match(byAspect['TLS 1.3 handshake'].finding!, /allows TLS 1.3, yet the server refused it/);
  assert.equal(byAspect['Entra-only authentication'].agrees, false);
  assert.equal(byAspect['connection logging'].agrees, true);
  assert.equal(byAspect['audit logging'].agrees, undefined);
  assert.equal(rows.filter((row) => row.finding).length, 4);
  for (const [outcome, corroborated, answer] of [['accepted', false, true], ['refused', false, false], ['declined', false, undefined], ['declined', true, false], ['undecided', true, undefined]] as const) {
    assert.equal(handshakeAnswer(outcome, corroborated), answer, `${outcome} ${corroborated}`);
  }
  for (const [outcome, answer] of [['accepted', true], ['refused-by-policy', false], ['timed-out', undefined], [undefined, undefined]] as const) assert.equal(loginAnswer(outcome), answer);
});

test('a parameter pending a restart is not compared: neither a disagreement nor an agreement, and the row says which parameter waits', () => {
  const pending = 'pending a restart (isConfigPendingRestart true)';
  // Set to TLS 1.3 minimum, pgaudit newly added to the preload list, TLS required and connection
  // logging switched on: none of it in force until the restart, and the server still runs as before.
  const configured = interpretConfiguration(
    'postgres',
    new Map([['require_secure_transport', 'on'], ['ssl_min_protocol_version', 'TLSv1.3'], ['log_connections', 'on'], ['shared_preload_libraries', 'pg_cron,pgaudit']]),
    { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled' },
    'p',
    new Map([['require_secure_transport', pending], ['ssl_min_protocol_version', pending], ['log_connections', pending], ['shared_preload_libraries', pending]]),
  );
  const observed: ObservedBehaviour = { tlsHandshake: { 'TLSv1.2': true, 'TLSv1.3': true }, plaintextLoginAccepted: true, passwordLoginAccepted: false, logConnections: { ...LOGS_ON, values: [{ aspects: [], described: "log_connections = 'off' (configuration file)" }] }, audit: { writing: 'all', described: 'pgaudit' } };
  const byAspect = Object.fromEntries(compareConfigurationWithBehaviour(configured, observed).map((row) => [row.aspect, row]));
  for (const [aspect, parameter] of [['TLS required', 'require_secure_transport on'], ['TLS 1.2 handshake', 'ssl_min_protocol_version TLSv1.3'], ['TLS 1.3 handshake', 'ssl_min_protocol_version TLSv1.3'], ['connection logging', 'log_connections on'], ['audit logging', 'shared_preload_libraries pg_cron,pgaudit']]) {
    const row = byAspect[aspect];
    assert.equal(row.agrees, undefined, `${aspect}: ${JSON.stringify(row)}`);
    assert.equal(row.finding, undefined, aspect);
    assert.equal(row.notInEffect, `${parameter} is ${pending}, so not compared with what the server does now`, aspect);
    assert.match(row.configured, /\(not in force: pending a restart/, aspect);
  }
  // PostgreSQL's Entra-only switch is authConfig, not a parameter: still compared.
  assert.equal(byAspect['Entra-only authentication'].agrees, true);
  assert.equal(byAspect['Entra-only authentication'].notInEffect, undefined);

  // MySQL: audit_log_enabled and aad_auth_only pending; tls_version in force is still compared.
  const mysql = interpretConfiguration('mysql', new Map([['tls_version', 'TLSv1.2,TLSv1.3'], ['aad_auth_only', 'ON'], ['audit_log_enabled', 'ON']]), undefined, 'p', new Map([['aad_auth_only', 'pending a restart (isConfigPendingRestart True)'], ['audit_log_enabled', 'not what the server runs with (currentValue OFF)']]));
  const mysqlRows = Object.fromEntries(compareConfigurationWithBehaviour(mysql, { tlsHandshake: { 'TLSv1.2': true }, passwordLoginAccepted: true, audit: { writing: 'none', described: 'no audit plugin is active' } }).map((row) => [row.aspect, row]));
  assert.equal(mysqlRows['Entra-only authentication'].agrees, undefined);
  assert.equal(mysqlRows['Entra-only authentication'].notInEffect, 'aad_auth_only ON is pending a restart (isConfigPendingRestart True), so not compared with what the server does now');
  assert.equal(mysqlRows['audit logging'].agrees, undefined);
  assert.match(mysqlRows['audit logging'].notInEffect!, /^audit_log_enabled ON is not what the server runs with \(currentValue OFF\)/);
  assert.equal(mysqlRows['TLS 1.2 handshake'].agrees, true);
  assert.equal(mysqlRows['TLS 1.2 handshake'].notInEffect, undefined);
});

const PG_SERVER = { log_connections: 'on', log_min_messages: 'warning', log_destination: 'stderr', shared_preload_libraries: 'auth_delay,pgaudit', 'pgaudit.log': 'ddl, role', 'pgaudit.log_client': 'off', 'pgaudit.log_level': 'log' };
const MARIADB_AUDITING = { server_audit_logging: 'ON', server_audit_output_type: 'file', server_audit_file_path: 'server_audit.log', server_audit_active: 'ON', server_audit_writes_failed: '0', server_audit_last_error: '', server_audit_current_log: 'server_audit.log', audit_log_enabled: null };

/** The logging rows for Azure's parameters beside the server's own settings, as a run reads them. */
function loggingRows(engine: 'postgres' | 'mysql', parameters: Record<string, string>, server: CatalogRead, pending: Record<string, string> = {}) {
  const configured = interpretConfiguration(engine, new Map(Object.entries(parameters)), undefined, 'p', new Map(Object.entries(pending)));
  const rows = compareConfigurationWithBehaviour(configured, behaviourFromCatalog(engine, server));
  return { connections: rows.find((row) => row.aspect === 'connection logging'), audit: rows.find((row) => row.aspect === 'audit logging')! };
}

test("connection logging: Azure's log_connections beside every value the server runs, PostgreSQL 18's lists read as the audit.connections-logged judge reads them", () => {
  const cases: Array<[string, string, ReturnType<typeof settings>, boolean | undefined, RegExp?]> = [
    ['both on', 'on', settings(PG_SERVER), true],
    ["18: Azure 'on', the server lists what 'on' means", 'on', settings({ ...PG_SERVER, log_connections: 'receipt,authentication,authorization' }), true],
    ["18: Azure lists what 'on' means, the server says 'on'", 'receipt,authentication,authorization', settings(PG_SERVER), true],
    ['both off, in either form', 'off', settings({ ...PG_SERVER, log_connections: '' }), true],
    ["18: Azure 'on', the server logs receipt only", 'on', settings({ ...PG_SERVER, log_connections: 'receipt' }), false, /Azure says log_connections 'on' \(logs authentication, authorization, receipt\), yet the server runs log_connections = 'receipt' \(configuration file\) \(logs receipt\)/],
    ["18: Azure 'on', the server's empty list", 'on', settings({ ...PG_SERVER, log_connections: '' }), false, /logs nothing/],
    ["18: Azure 'all', the server 'on' (no setup_durations)", 'all', settings(PG_SERVER), false, /yet the server runs log_connections = 'on'/],
    ['Azure off, the server on', 'off', settings(PG_SERVER), false, /logs nothing\), yet the server runs log_connections = 'on'/],
    ['Azure on, the server on but off for the application role', 'on', withOverrides(settings(PG_SERVER), [{ name: 'log_connections', value: 'off', role: 'app' }]), false, /log_connections = 'off' for role app/],
    ['Azure on, the server on, but log_min_messages panic drops every line', 'on', settings({ ...PG_SERVER, log_min_messages: 'panic' }), false, /and the server runs it, yet it writes no connection line: log_min_messages = 'panic'/],
    ['both off, log_min_messages panic: nothing expected, nothing written', 'off', settings({ ...PG_SERVER, log_connections: 'off', log_min_messages: 'panic' }), true],
    ['Azure on, the per-role values unreadable', 'on', { ...settings(PG_SERVER), overridesProblem: 'pg_db_role_setting could not be read' }, undefined],
    ['Azure on, log_destination unreadable', 'on', settings({ ...PG_SERVER, log_destination: new Error('[42501] denied') }), undefined],
    ['Azure says a word PostgreSQL does not take', 'maybe', settings(PG_SERVER), undefined],
  ];
  for (const [name, azure, evidence, agrees, finding] of cases) {
    const { connections } = loggingRows('postgres', { log_connections: azure }, { evidence });
    assert.equal(connections!.agrees, agrees, `${name}: ${JSON.stringify(connections)}`);
    if (finding) assert.match(connections!.finding!, finding, name);
    if (agrees !== false) assert.equal(connections!.finding, undefined, name);
  }
});

test('audit logging: pgaudit preloaded and auditing per Azure, beside whether the server audit is writing; loaded and silent is not on', () => {
  const ON = { shared_preload_libraries: 'pg_cron,pgaudit', 'pgaudit.log': 'DDL,ROLE' };
  const cases: Array<[string, Record<string, string>, ReturnType<typeof settings>, boolean | undefined, RegExp?]> = [
    ['both auditing', ON, settings(PG_SERVER), true],
    ["Azure auditing, the server's pgaudit.log none", ON, settings({ ...PG_SERVER, 'pgaudit.log': 'none' }), false, /Azure says auditing is on, yet the server's audit is not writing: .*it audits nothing/],
    ['Azure auditing, the server without pgaudit', ON, settings({ ...PG_SERVER, shared_preload_libraries: 'auth_delay', 'pgaudit.log': null }), false, /pgaudit is not loaded/],
    ['Azure auditing, the application role not audited', ON, withOverrides(settings(PG_SERVER), [{ name: 'pgaudit.log', value: 'none', role: 'app' }]), false, /writes for some sessions only/],
    ["Azure's default pgaudit.log none, the server the same", { ...ON, 'pgaudit.log': 'none' }, settings({ ...PG_SERVER, 'pgaudit.log': 'none' }), true],
    ['Azure without pgaudit, the server auditing', { shared_preload_libraries: 'pg_cron', 'pgaudit.log': 'none' }, settings(PG_SERVER), false, /Azure says auditing is off, yet the server's audit is writing/],
    ['Azure preloads pgaudit, pgaudit.log not read', { shared_preload_libraries: 'pg_cron,pgaudit' }, settings(PG_SERVER), undefined],
  ];
  for (const [name, azure, evidence, agrees, finding] of cases) {
    const { audit } = loggingRows('postgres', azure, { evidence });
    assert.equal(audit.agrees, agrees, `${name}: ${JSON.stringify(audit)}`);
    if (finding) assert.match(audit.finding!, finding, name);
  }
});

test('audit logging on MySQL: audit_log_enabled beside whether the audit is writing, not loaded; a value pending a restart is not in force', () => {
  const plugin = [ACTIVE('SERVER_AUDIT', 'AUDIT')];
  const cases: Array<[string, string, ReturnType<typeof settings>, boolean | undefined, RegExp?]> = [
    ['ON, server_audit writing', 'ON', settings(MARIADB_AUDITING, plugin), true],
    ['ON, server_audit loaded but server_audit_logging OFF', 'ON', settings({ ...MARIADB_AUDITING, server_audit_logging: 'OFF' }, plugin), false, /Azure says auditing is on, yet the server's audit is not writing: server_audit is loaded, but server_audit_logging = 'OFF'/],
    ['ON, server_audit loaded, logging ON, stopped writing', 'ON', settings({ ...MARIADB_AUDITING, server_audit_active: 'OFF', server_audit_writes_failed: '4' }, plugin), false, /has stopped writing/],
    ['ON, no audit plugin', 'ON', settings({ audit_log_enabled: null }), false, /no audit plugin is active/],
    ['OFF, server_audit writing', 'OFF', settings(MARIADB_AUDITING, plugin), false, /Azure says auditing is off, yet the server's audit is writing: server_audit is loaded/],
    ['OFF, server_audit loaded, logging OFF', 'off', settings({ ...MARIADB_AUDITING, server_audit_logging: 'OFF' }, plugin), true],
    ["ON, the server's own audit_log_enabled ON", 'ON', settings({ audit_log_enabled: 'ON' }, [ACTIVE('audit_log', 'AUDIT')]), true],
    ["ON, the server's own audit_log_enabled OFF, plugin loaded", 'ON', settings({ audit_log_enabled: 'OFF' }, [ACTIVE('audit_log', 'AUDIT')]), false, /audit_log_enabled = 'OFF'/],
    ['ON, status unreadable', 'ON', settings({ ...MARIADB_AUDITING, server_audit_active: new Error('[1227] denied') }, plugin), undefined],
  ];
  for (const [name, azure, evidence, agrees, finding] of cases) {
    const { audit } = loggingRows('mysql', { audit_log_enabled: azure }, { evidence });
    assert.equal(audit.agrees, agrees, `${name}: ${JSON.stringify(audit)}`);
    if (finding) assert.match(audit.finding!, finding, name);
  }
  const pending = loggingRows('mysql', { audit_log_enabled: 'ON' }, { evidence: settings({ ...MARIADB_AUDITING, server_audit_logging: 'OFF' }, plugin) }, { audit_log_enabled: 'pending a restart (isConfigPendingRestart True)' }).audit;
  assert.deepEqual([pending.agrees, pending.finding], [undefined, undefined], JSON.stringify(pending));
  assert.equal(pending.configured, 'audit_log_enabled on (not in force: pending a restart (isConfigPendingRestart True))');
  assert.match(pending.observed, /the audit is not writing: server_audit is loaded, but server_audit_logging = 'OFF'/, 'what the server does is still shown');
});

test('a catalog that could not be read: both logging rows not known, saying why, never agreeing', () => {
  const why = 'cannot log in as "auditor" with its password to read the catalog: refused (28P01)';
  for (const engine of ['postgres', 'mysql'] as const) {
    const { connections, audit } = loggingRows(engine, engine === 'postgres' ? { log_connections: 'on', shared_preload_libraries: 'pgaudit', 'pgaudit.log': 'ddl' } : { audit_log_enabled: 'ON' }, { unreadable: why });
    for (const row of engine === 'postgres' ? [connections!, audit] : [audit]) {
      assert.equal(row.agrees, undefined, JSON.stringify(row));
      assert.equal(row.observed, `not known: the server's settings could not be read (${why})`);
    }
  }
});

/** The probes main's TargetContext makes, for a lab server (this branch's context stand-in has only target and once). */
function observe(target: Target, password: string): Promise<ObservedBehaviour> {
  return observedBehaviour({
    allHandshakes: () => Promise.all(TLS_VERSIONS.map((version) => handshake(endpointOf(target), { version, host: target.host }))),
    login: (transport) => attemptLogin(target, { user: target.user!, password }, transport),
  });
}

for (const engine of ['postgres', 'mysql'] as const) {
  test(`${engine}: Azure (stand-in) says TLS required with TLS 1.2 minimum; a real lab server accepting TLS 1.0 and plaintext logins disagrees, side by side`, async () => {
    const configured = await configuredSecurity(contextFor(standInTarget(standIn, engine === 'postgres' ? pgServerId('pg-compliant') : mysqlServerId('mysql-compliant'))));
    assert.equal(configured.requireSecureTransport, true, JSON.stringify(configured));
    assert.deepEqual(configured.allowedTls, ['TLSv1.2', 'TLSv1.3']);
    assert.match(configured.plane, /Azure stand-in/);

    const weak = await startLocalServer(engine, 'tls1.0-enabled');
    const plaintext = await startLocalServer(engine, 'plaintext-allowed');
    const hardened = await startLocalServer(engine, 'hardened');

    const weakRows = compareConfigurationWithBehaviour(configured, await observe(targetForLocalServer(`cvb-weak-${engine}`, weak, 'baseline'), weak.password));
    const tls10 = weakRows.find((row) => row.aspect === 'TLS 1.0 handshake')!;
    assert.deepEqual([tls10.configured, tls10.observed, tls10.agrees], [`ssl_min_protocol_version TLSv1.2: not allowed`.replace('ssl_min_protocol_version TLSv1.2', engine === 'postgres' ? 'ssl_min_protocol_version TLSv1.2' : 'tls_version TLSv1.3,TLSv1.2'), 'completed', false]);

    const plaintextRows = compareConfigurationWithBehaviour(configured, await observe(targetForLocalServer(`cvb-plain-${engine}`, plaintext, 'baseline'), plaintext.password));
    const required = plaintextRows.find((row) => row.aspect === 'TLS required')!;
    assert.equal(required.agrees, false, JSON.stringify(required));
    assert.equal(required.observed, 'a login without TLS was accepted');

    const hardenedObserved = await observe(targetForLocalServer(`cvb-hard-${engine}`, hardened, 'baseline'), hardened.password);
    const hardenedRows = compareConfigurationWithBehaviour(configured, hardenedObserved);
    // pg-compliant's authConfig says Entra-only; the lab server takes passwords: that one disagreement is real.
    // The MySQL stand-in server has aad_auth_only OFF, so the hardened MariaDB agrees on everything observed.
    assert.deepEqual(
      hardenedRows.filter((row) => row.agrees === false).map((row) => [row.aspect, row.observed]),
      engine === 'postgres' ? [['Entra-only authentication', 'a password login was accepted']] : [],
      'the hardened server does what the configuration says about TLS',
    );
    assert.ok(hardenedRows.filter((row) => row.agrees === true).length >= 5, JSON.stringify(hardenedRows));

    // The same hardened server beside a stand-in server whose TLS floor was raised to 1.3 and waits
    // for a restart: the server still completing TLS 1.2 is what it runs with, not a disagreement.
    const pendingId = engine === 'postgres' ? pgServerId('pg-tls-floor-pending-restart') : mysqlServerId('mysql-tls-version-pending-restart');
    const pendingConfigured = await configuredSecurity(contextFor(standInTarget(standIn, pendingId)));
    const parameter = engine === 'postgres' ? 'ssl_min_protocol_version' : 'tls_version';
    assert.deepEqual(pendingConfigured.notInEffect, { [parameter]: `pending a restart (isConfigPendingRestart ${engine === 'postgres' ? 'true' : 'True'})` });
    const pendingRows = compareConfigurationWithBehaviour(pendingConfigured, hardenedObserved);
    const tls12 = pendingRows.find((row) => row.aspect === 'TLS 1.2 handshake')!;
    assert.deepEqual([tls12.observed, tls12.agrees, tls12.finding], ['completed', undefined, undefined], JSON.stringify(tls12));
    assert.match(tls12.notInEffect!, new RegExp(`^${parameter} TLSv1\\.3 is pending a restart`));
    assert.deepEqual(
      pendingRows.filter((row) => row.agrees === false).map((row) => row.aspect),
      engine === 'postgres' ? ['Entra-only authentication'] : [],
      'a value pending a restart is no disagreement',
    );
    assert.equal(pendingRows.find((row) => row.aspect === 'TLS required')!.agrees, true, 'require_secure_transport is in force and still compared');
  });
}
