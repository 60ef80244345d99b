/**
 * MariaDB's server_audit with server_audit_incl_users set: audit.connections-logged passes, and
 * the pass is true, because the server's own audit log shows the connection of an account the list
 * leaves out (the auditor, whose catalog session the check itself opens). Real MariaDB.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { startLocalServer, stopAllLocalServers } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { AUDITOR_USER } from '../../../src/lab/fixture-accounts.js';
import { connectionsLogged } from '../../../src/probes/audit/connections-logged.js';
import { auditExtension } from '../../../src/probes/audit/audit-extension.js';
import { decideCheck } from '../../support/decide-check.js';
import { asMariaDbRoot } from '../../support/mariadb-admin.js';

after(() => stopAllLocalServers());

test('server_audit_incl_users narrows queries only: every account\'s connection is still logged, and the control passes', async () => {
  const server = await startLocalServer('mysql', 'hardened', { mode: 'process' });
  const auditLog = server.logFiles?.find((file) => file.endsWith('server_audit.log')) ?? assert.fail('the lab server names no audit log');
  await asMariaDbRoot(server)("SET GLOBAL server_audit_incl_users = 'app'");
  const offset = (await readFile(auditLog, 'utf8')).length;
  const outcome = await decideCheck(connectionsLogged, targetForLocalServer('incl-users', server, 'baseline'));
  assert.equal(outcome.decision.verdict, 'passed', outcome.decision.reason);
  assert.match(outcome.decision.reason, /server_audit_incl_users = 'app'/);
  // Nothing to wait for: server_audit writes a CONNECT record, unbuffered, before the login answers
  // (on lab 10.11 the record was always in the file when the client's first query returned).
  const written = (await readFile(auditLog, 'utf8')).slice(offset);
  assert.match(written, new RegExp(`,${AUDITOR_USER},[^,]*,\\d+,\\d+,CONNECT,`), `the audit log since the check:\n${written}`);
});

test('server_audit_file_path = /dev/null: the plugin is active and logging, nothing is kept, and audit.connections-logged and audit.audit-extension fail', async () => {
  const server = await startLocalServer('mysql', 'hardened', { mode: 'process' });
  try {
    const auditLog = server.logFiles?.find((file) => file.endsWith('server_audit.log')) ?? assert.fail('the lab server names no audit log');
    const target = targetForLocalServer('audit-to-dev-null', server, 'baseline');
    const toFile = await decideCheck(connectionsLogged, target);
    assert.equal(toFile.decision.verdict, 'passed', toFile.decision.reason);
    assert.match(toFile.decision.reason, /written to file '.*server_audit\.log' \(server_audit_output_type FILE\)/);

    await asMariaDbRoot(server)("SET GLOBAL server_audit_file_path = '/dev/null'");
    const offset = (await readFile(auditLog, 'utf8')).length;
    const logged = await decideCheck(connectionsLogged, target);
    assert.equal(logged.decision.verdict, 'failed', logged.decision.reason);
    assert.match(logged.decision.reason, /server_audit_file_path = '\/dev\/null' \(SQL\): server_audit writes every record to \/dev\/null, which keeps none/);
    const extension = await decideCheck(auditExtension, target);
    assert.equal(extension.decision.verdict, 'failed', extension.decision.reason);
    assert.match(extension.decision.reason, /writes every record to \/dev\/null/);
    // The checks' own catalog sessions connected as the auditor: no record of them reached the file the plugin wrote before.
    // Nothing to wait for: server_audit closed that file at the SET GLOBAL, and writes each record before the login answers.
    const written = (await readFile(auditLog, 'utf8')).slice(offset);
    assert.doesNotMatch(written, new RegExp(`,${AUDITOR_USER},[^,]*,\\d+,\\d+,CONNECT,`), `the old audit file still got:\n${written}`);
  } finally {
    await server.stop();
  }
});

test('server_audit pointed at a file it cannot write: its settings still say logging ON, its status says it stopped, and both audit controls fail', async () => {
  const server = await startLocalServer('mysql', 'hardened', { mode: 'process' });
  try {
    const root = asMariaDbRoot(server);
    const target = targetForLocalServer('audit-unwritable', server, 'baseline');
    // A path the server may open by name but never write (as a full disk or a read-only mount would be): even root cannot write /proc/version.
    await root("SET GLOBAL server_audit_file_path = '/proc/version'");
    const logged = await decideCheck(connectionsLogged, target);
    const status = await root("SHOW GLOBAL STATUS LIKE 'Server_audit_active'; SHOW GLOBAL VARIABLES LIKE 'server_audit_logging'");
    assert.match(status, /Server_audit_active\tOFF/, status);
    assert.match(status, /server_audit_logging\tON/, status);
    assert.equal(logged.decision.verdict, 'failed', logged.decision.reason);
    assert.match(logged.decision.reason, /Server_audit_active = 'OFF' \(status\): server_audit has stopped writing to \/proc\/version \(Server_audit_writes_failed [1-9]\d*.*\), though its settings say logging is on/);
    const extension = await decideCheck(auditExtension, target);
    assert.equal(extension.decision.verdict, 'failed', extension.decision.reason);
    assert.match(extension.decision.reason, /server_audit has stopped writing/);
  } finally {
    await server.stop();
  }
});
