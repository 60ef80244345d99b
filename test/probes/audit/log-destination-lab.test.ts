/**
 * How the server log is written, on a real PostgreSQL. log_destination = '': the server accepts the
 * empty list and then writes no log line anywhere, so log_connections, log_line_prefix and pgaudit
 * may all be right and still record nothing. log_line_prefix with '%%u': the line carries the text
 * "%u", not the user.
 */
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { startLocalServer, stopAllLocalServers, type LocalServer } from '../../../src/lab/local-server.js';
import { targetForLocalServer } from '../../../src/lab/lab-target.js';
import { auditExtension } from '../../../src/probes/audit/audit-extension.js';
import { connectionsLogged } from '../../../src/probes/audit/connections-logged.js';
import { decideCheck } from '../../support/decide-check.js';
import { asPostgresAccount, asPostgresAdmin as asAdmin, reloadLabPostgres } from '../../support/postgres-admin.js';

after(() => stopAllLocalServers());

/** Waits up to 3 s for the server's log to hold `text` (it is copied from the server's output as it comes). */
async function logHolds(server: LocalServer, text: string): Promise<boolean> {
  for (const deadline = Date.now() + 3000; Date.now() < deadline; await new Promise((resolve) => setTimeout(resolve, 100))) {
    if (server.serverLog!().includes(text)) return true;
  }
  return false;
}

test("log_destination = '': nothing reaches the log, and audit.connections-logged and audit.audit-extension fail", async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-log-destination-empty', server, 'baseline');
    const logged = (await decideCheck(connectionsLogged, target)).decision;
    assert.equal(logged.verdict, 'passed', logged.reason);
    assert.match(logged.reason, /written to log_destination 'stderr' \(5 settings read/);
    const before = `audited_${randomBytes(4).toString('hex')}`;
    await asPostgresAccount(server, `CREATE TABLE ${before} (id int)`);
    assert.equal(await logHolds(server, before), true, 'pgaudit wrote no line for DDL with log_destination stderr');

    await reloadLabPostgres(server, ["ALTER SYSTEM SET log_destination = ''"]);
    const [{ destination }] = await asAdmin<{ destination: string }>(server, ["SELECT current_setting('log_destination') AS destination"]);
    assert.equal(destination, '');
    // The same DDL, and a new connection, now leave no line at all.
    const after = `unlogged_${randomBytes(4).toString('hex')}`;
    await asPostgresAccount(server, `CREATE TABLE ${after} (id int)`);
    assert.equal(await logHolds(server, after), false, 'a line reached the log after all');

    const unlogged = (await decideCheck(connectionsLogged, target)).decision;
    assert.equal(unlogged.verdict, 'failed', unlogged.reason);
    assert.match(unlogged.reason, /log_destination = '' \(configuration file\) writes the server log nowhere, so connection lines are never written/);
    const unaudited = (await decideCheck(auditExtension, target)).decision;
    assert.equal(unaudited.verdict, 'failed', unaudited.reason);
    assert.match(unaudited.reason, /its lines never reach the log: log_destination = '' \(configuration file\) writes the server log nowhere/);
  } finally {
    await server.stop();
  }
});

test("log_line_prefix '%m %%u@%%d from %%h ': the lines carry the letters, not who connected, and audit.connections-logged fails", async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-prefix-escaped', server, 'baseline');
    await reloadLabPostgres(server, ["ALTER SYSTEM SET log_line_prefix = '%m %%u@%%d from %%h '"]);
    const table = `escaped_${randomBytes(4).toString('hex')}`;
    await asPostgresAccount(server, `CREATE TABLE ${table} (id int)`);
    assert.equal(await logHolds(server, table), true, 'pgaudit wrote no line for the DDL');
    const line = server.serverLog!().split('\n').find((each) => each.includes(table)) ?? '';
    assert.match(line, / %u@%d from %h /, `the line: ${line}`);
    const decision = (await decideCheck(connectionsLogged, target)).decision;
    assert.equal(decision.verdict, 'failed', decision.reason);
    assert.match(decision.reason, /log_line_prefix = '%m %%u@%%d from %%h ' \(configuration file\) leaves out the user \(%u\), the database \(%d\), the client address/);
  } finally {
    await server.stop();
  }
});

test("log_line_prefix '%m [%-u] [%-d] [%-h] ': a '-' with no width is padding, the lines name who connected, and audit.connections-logged passes", async () => {
  const server = await startLocalServer('postgres', 'hardened', { mode: 'process' });
  try {
    const target = targetForLocalServer('pg-log-line-prefix-dash', server, 'baseline');
    await reloadLabPostgres(server, ["ALTER SYSTEM SET log_line_prefix = '%m [%-u] [%-d] [%-h] '"]);
    await asPostgresAccount(server, 'SELECT 1');
    assert.equal(await logHolds(server, `[${server.user}] [${server.database}] [127.0.0.1] `), true, 'no line named the user, the database and the client address');
    const decision = (await decideCheck(connectionsLogged, target)).decision;
    assert.equal(decision.verdict, 'passed', decision.reason);
  } finally {
    await server.stop();
  }
});
