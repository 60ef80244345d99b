/**
 * Configuration against behaviour: the parameters Azure reports (parsed as the service returns
 * them) set beside what the probes observe. Pure tables first; then the stand-in's configuration,
 * read through the real SDKs, compared with what real lab servers do on the wire.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { interpretConfiguration, parseFlag, parseTlsVersion, configuredSecurity } from '../../../src/probes/plane/configured-security.js';
import { compareConfigurationWithBehaviour, handshakeAnswer, loginAnswer, observedBehaviour, type ObservedBehaviour } from '../../../src/probes/plane/configuration-vs-behaviour.js';
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
  assert.equal(postgres.auditEnabled, true);
  assert.equal(postgres.requireSecureTransport, undefined);
});

test('a parameter read but not in force is listed as such, among the ones asked for only', () => {
  const mysql = interpretConfiguration('mysql', new Map([['aad_auth_only', 'ON'], ['audit_log_enabled', 'ON'], ['innodb_buffer_pool_size', '1']]), undefined, 'p', new Map([['aad_auth_only', 'pending a restart (isConfigPendingRestart True)'], ['innodb_buffer_pool_size', 'pending a restart (isConfigPendingRestart True)']]));
  assert.deepEqual(mysql.notInEffect, { aad_auth_only: 'pending a restart (isConfigPendingRestart True)' });
  assert.equal(mysql.entraOnly, true, 'the value is still parsed: the judges decide what a pending value is worth');
  assert.deepEqual(interpretConfiguration('mysql', new Map([['aad_auth_only', 'ON']]), undefined, 'p').notInEffect, {});
});

test('the comparison sets each aspect side by side; a disagreement is a finding, an unknown side is never an agreement', () => {
  const configured = interpretConfiguration('postgres', new Map([['require_secure_transport', 'on'], ['ssl_min_protocol_version', 'TLSv1.2'], ['log_connections', 'on']]), { activeDirectoryAuth: 'Enabled', passwordAuth: 'Disabled' }, 'p');
  const observed: ObservedBehaviour = { tlsHandshake: { TLSv1: true, 'TLSv1.2': true, 'TLSv1.3': false }, plaintextLoginAccepted: true, passwordLoginAccepted: true, logConnections: true };
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
  const observed: ObservedBehaviour = { tlsHandshake: { 'TLSv1.2': true, 'TLSv1.3': true }, plaintextLoginAccepted: true, passwordLoginAccepted: false, logConnections: false, auditLoaded: true };
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
  const mysqlRows = Object.fromEntries(compareConfigurationWithBehaviour(mysql, { tlsHandshake: { 'TLSv1.2': true }, passwordLoginAccepted: true, auditLoaded: false }).map((row) => [row.aspect, row]));
  assert.equal(mysqlRows['Entra-only authentication'].agrees, undefined);
  assert.equal(mysqlRows['Entra-only authentication'].notInEffect, 'aad_auth_only ON is pending a restart (isConfigPendingRestart True), so not compared with what the server does now');
  assert.equal(mysqlRows['audit logging'].agrees, undefined);
  assert.match(mysqlRows['audit logging'].notInEffect!, /^audit_log_enabled ON is not what the server runs with \(currentValue OFF\)/);
  assert.equal(mysqlRows['TLS 1.2 handshake'].agrees, true);
  assert.equal(mysqlRows['TLS 1.2 handshake'].notInEffect, undefined);
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
